// Inside incidents: what needs neither the hub nor the view — partial dates and the days they
// can mean, the checks of an incident's own content, and its record as JSON — shared by the
// store (incidents.cc) and the draft from annotations (incident_draft.cc).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "coding/incidents.h"
#include "core/status.h"

namespace evhub::coding::internal {

// How fine a partial date is: 0 a day (YYYY-MM-DD), 1 a month (YYYY-MM), 2 a year (YYYY);
// -1 if it is none of these or not a date of the calendar (2020-02-30, 2020-13).
int date_granularity(const std::string& date);
// The first and last day a well-formed partial date can mean, as YYYY-MM-DD:
// "2020-08" -> 2020-08-01 and 2020-08-31; "2020" -> 2020-01-01 and 2020-12-31.
std::string first_day(const std::string& date);
std::string last_day(const std::string& date);
// A day (YYYY-MM-DD) shortened to granularity 1 (YYYY-MM) or 2 (YYYY).
std::string coarsen(const std::string& day, int granularity);
// The rank of a precision: day 0, month 1, year 2, approximate 3; -1 if unknown.
int precision_rank(const std::string& precision);
extern const char* const kPrecisionByRank[4];

// The first and last day an incident date can mean (both empty if undated); the date must have
// passed check_date.
std::pair<std::string, std::string> date_span(const IncidentDate& date);
Placement placement_of(const IncidentDate& date);

// Problems with a date: malformed, not in the calendar, a range ending before it starts, a
// precision its dates do not match, an end without a start. `what` names it in messages.
Status check_date(const IncidentDate& date, const std::string& what);
// Everything about an incident that needs no hub and no framework: sizes, texts, roles,
// victims, a title or an act, updated_by, duplicate acts or evidence.
Status check_content(const Incident& incident);

nlohmann::json incident_json(const Incident& incident);
Incident incident_from(const nlohmann::json& j);

// The incident IncidentStore::draft_from_annotations proposes from these annotations (at least
// one, all of one organisation, none removed), as its header describes.
Incident draft_from(const std::vector<Annotation>& annotations);

}  // namespace evhub::coding::internal
