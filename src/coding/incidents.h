// Incidents: one event — what was done, when, where, to whom and by whom — that an analyst
// assembles from annotations across witnesses and documents, citing every passage that supports
// (or contradicts) it; and the timeline of incidents that prosecutors read.
//
// Each version of an incident is an encrypted record (kind "incident") in the organisation's
// hub-wide key domain "incidents-<organisation id>": erasing a witness never erases the incident
// (it is the organisation's analysis), only the witness's passages it cites, which it then shows
// as erased. incidents.db is a view of those records rebuilt from the custody log, holding only
// what lists and the timeline need (title, acts, dates, place, facility, the annotation ids
// cited): victims, perpetrators and the summary stay in the encrypted record.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coding/annotations.h"
#include "coding/framework.h"
#include "core/status.h"
#include "hub/hub.h"

namespace evhub::coding {

struct Victim {
  std::string witness;      // a witness's code (their key domain), if they are one
  std::string description;  // who, when not (only) a witness: "a 17-year-old detainee"
  std::string harm;         // what was done to them
};

struct Perpetrators {
  std::vector<std::string> persons;  // named officers or officials, free text for now
  std::vector<std::string> units;
  std::string description;
};

// What a cited passage does for the incident.
inline constexpr const char* kEvidenceRoles[] = {"supports", "contradicts"};

struct Evidence {
  std::string annotation_id;
  std::string role = "supports";
  // Filled in by the store from the annotation when it is first cited, and kept: they say whose
  // material it was after the annotation itself is gone.
  std::string domain;     // the annotation's key domain (a witness's code)
  std::string object_id;  // the transcript or document it codes
  // Set when read, never stored: the annotation's key domain has been erased since it was
  // cited (the witness withdrew). The incident keeps its own text; the passage is gone.
  bool erased = false;
};

struct Incident {
  std::string id;  // "in-" + 32 hex, given when it is first stored
  int version = 0;
  std::string organisation_id;
  std::string title;
  std::vector<CodeRef> acts;  // codes of the framework, with the revision the analyst saw
  IncidentDate date;          // precision "day" needs YYYY-MM-DD, "month" YYYY-MM, "year" YYYY
  std::string place;          // a gazetteer place (its name today, its id later)
  std::string facility;       // a facility of the registry (its name today, its id later)
  std::vector<Victim> victims;
  Perpetrators perpetrators;
  std::string summary;
  std::vector<Evidence> evidence;
  std::string created_by;  // set by the store from the first version's updated_by
  std::string created_at;
  std::string updated_by;  // the user making this version (required)
  std::string updated_at;  // set by the store
  bool removed = false;
};

// An incident as lists show it, from the view alone (nothing decrypted).
struct ListedIncident {
  std::string id;
  int version = 0;
  std::string organisation_id;
  std::string title;
  std::vector<CodeRef> acts;
  IncidentDate date;
  std::string place;
  std::string facility;
  std::vector<Evidence> evidence;  // in the order cited, `erased` set
  std::string updated_at;
  bool removed = false;
};

// Where a timeline puts an incident, and what that position means: a day it happened, or only
// the start of the month or year it happened in, or a date the witnesses could only estimate.
enum class Placement { kDay, kStartOfMonth, kStartOfYear, kApproximate, kUndated };
const char* placement_name(Placement placement);  // "day", "start-of-month", ...

struct TimelineEntry {
  ListedIncident incident;
  Placement placement = Placement::kUndated;
  std::string placed_at;  // the first day its date can mean (YYYY-MM-DD); empty if undated
  std::string ends_at;    // the last day its date can mean; empty if undated
};

// Filters of list() and timeline(); empty fields do not filter.
struct IncidentFilter {
  std::string act;       // a code of the framework: incidents with it or a code under it
  std::string place;     // exactly this place
  std::string facility;  // exactly this facility
  // Incidents whose dates overlap [from, to] (YYYY, YYYY-MM or YYYY-MM-DD, each end may be
  // left empty); undated incidents are left out when either is given.
  std::string from;
  std::string to;
  bool include_removed = false;
};

// A cited passage as a reader of the incident sees it now.
enum class EvidenceState { kPresent, kRemoved, kErased };
const char* evidence_state_name(EvidenceState state);  // "present", "removed", "erased"
struct CitedEvidence {
  Evidence evidence;
  EvidenceState state = EvidenceState::kPresent;
  // The annotation's newest version with its passage (kPresent), or the removed version
  // (kRemoved); nothing when erased.
  std::optional<Annotation> annotation;
};

// Limits that refuse absurd input.
inline constexpr std::size_t kMaxIncidentActs = 50;
inline constexpr std::size_t kMaxIncidentEvidence = 2'000;
inline constexpr std::size_t kMaxIncidentVictims = 1'000;
inline constexpr std::size_t kMaxIncidentNames = 200;  // persons, units: each list
inline constexpr std::size_t kMaxIncidentSummaryBytes = 100'000;

class IncidentStore {
 public:
  // Opens incidents.db (creating it) and catches up with the log. `annotations` must outlive
  // the store: evidence is checked and read through it.
  static Result<std::unique_ptr<IncidentStore>> open(hub::Hub& hub, AnnotationStore& annotations);
  ~IncidentStore();

  Status sync();

  // Stores a new incident (id, version, created_* and updated_at given here). Refused with a
  // reason (kInvalidArgument unless said otherwise): no title and no act; a malformed date, a
  // range that ends before it starts, a precision its dates do not match; an act the framework
  // does not know at that revision, or retired; an evidence annotation that does not exist
  // (kNotFound), is removed (kFailedPrecondition) or is another organisation's; a victim with
  // neither witness nor description; texts too long or not UTF-8; no updated_by.
  Result<Incident> add(Incident incident, const Framework& framework);
  // A new version of an existing incident; `incident.version` must be the newest
  // (kFailedPrecondition otherwise: "it is at version N; reload"). The organisation stays.
  // Evidence and acts the newest version already has are kept as they are even if the
  // annotation has since been removed or erased, or the code retired; what is new is checked
  // as in add().
  Result<Incident> update(Incident incident, const Framework& framework);
  // Marks it removed (a new version: the log keeps every one).
  Result<Incident> remove(const std::string& id, int version, const std::string& by);

  // The newest version, decrypted, evidence flagged `erased` where it is (nullopt if unknown,
  // or if the organisation's incidents domain itself was erased).
  Result<std::optional<Incident>> get(const std::string& id);
  // Every version, oldest first.
  Result<std::vector<Incident>> history(const std::string& id);
  // Incidents of these organisations (all if empty) that pass the filter, the most recently
  // changed first. `framework` tells which codes are under filter.act.
  Result<std::vector<ListedIncident>> list(const std::vector<std::string>& organisation_ids,
                                           const IncidentFilter& filter,
                                           const Framework& framework);
  // The same incidents in the order they happened: by the first day their date can mean (a
  // month-precision incident at the 1st of its month, a year-precision one at 1 January, each
  // saying so in `placement`), then by the last day (shorter first), title and id; undated
  // incidents last, by title.
  Result<std::vector<TimelineEntry>> timeline(const std::vector<std::string>& organisation_ids,
                                              const IncidentFilter& filter,
                                              const Framework& framework);
  // The incidents (not removed) that cite this annotation, in timeline order.
  Result<std::vector<ListedIncident>> of_annotation(const std::string& annotation_id);
  // Each cited passage as it stands now: present (with its passage), removed or erased.
  Result<std::vector<CitedEvidence>> cited(const Incident& incident);

  // Proposes an incident from annotations of one organisation (not stored; the analyst edits
  // it before add()): acts are the codes applied (first applied first, the highest revision
  // seen), the date spans theirs at the coarsest precision among them, place and facility are
  // the most frequent (the first seen on a tie), perpetrators the union of persons and units,
  // victims the witnesses (key domains) whose annotations they are, evidence every annotation
  // as "supports". kNotFound for an unknown (or erased) annotation, kFailedPrecondition for a
  // removed one, kInvalidArgument for none or for annotations of two organisations.
  Result<Incident> draft_from_annotations(const std::vector<std::string>& annotation_ids);

 private:
  struct Impl;
  explicit IncidentStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The key domain holding an organisation's incidents.
std::string incidents_domain(const std::string& organisation_id);

}  // namespace evhub::coding
