// The incident proposed from annotations: what the passages an analyst chose say together.
#include <algorithm>
#include <map>

#include "coding/incidents_internal.h"

namespace evhub::coding::internal {

namespace {

// The most frequent non-empty value, the first seen on a tie.
std::string most_frequent(const std::vector<std::string>& values) {
  std::map<std::string, int> counts;
  for (const auto& v : values) {
    if (!v.empty()) ++counts[v];
  }
  std::string best;
  int best_count = 0;
  for (const auto& v : values) {
    if (v.empty()) continue;
    const int n = counts[v];
    if (n > best_count) {
      best = v;
      best_count = n;
    }
  }
  return best;
}

void add_once(std::vector<std::string>& to, const std::string& value) {
  if (!value.empty() && std::find(to.begin(), to.end(), value) == to.end()) to.push_back(value);
}

}  // namespace

Incident draft_from(const std::vector<Annotation>& annotations) {
  Incident in;
  if (annotations.empty()) return in;
  in.organisation_id = annotations.front().organisation_id;

  std::vector<std::string> places;
  std::vector<std::string> facilities;
  std::string first;  // the earliest first day of any annotation's date
  std::string last;   // the latest last day
  int rank = -1;      // the coarsest precision, as precision_rank
  int written = 0;    // the coarsest granularity a date is written in
  for (const Annotation& a : annotations) {
    for (const auto& code : a.codes) {
      auto same = std::find_if(in.acts.begin(), in.acts.end(),
                               [&](const CodeRef& c) { return c.id == code.id; });
      if (same == in.acts.end()) {
        in.acts.push_back(code);
      } else {
        same->revision = std::max(same->revision, code.revision);
      }
    }

    const IncidentDate& d = a.facets.date;
    const int from = date_granularity(d.from);
    if (from >= 0) {
      // An end the annotation's checks let through but the calendar does not is left out.
      const int to = d.to.empty() ? -1 : date_granularity(d.to);
      const std::string start = first_day(d.from);
      const std::string end = last_day(to >= 0 ? d.to : d.from);
      if (first.empty() || start < first) first = start;
      if (last.empty() || end > last) last = end;
      // A date written coarser than its precision says is as coarse as it is written.
      int precision = precision_rank(d.precision);
      if (precision < 0) precision = 3;
      rank = std::max({rank, precision, from, to});
      written = std::max({written, from, to});
    }

    places.push_back(a.facets.place);
    facilities.push_back(a.facets.facility);
    for (const auto& p : a.facets.persons) add_once(in.perpetrators.persons, p);
    for (const auto& u : a.facets.units) add_once(in.perpetrators.units, u);

    if (!a.domain.empty() && std::none_of(in.victims.begin(), in.victims.end(),
                                          [&](const Victim& v) { return v.witness == a.domain; })) {
      Victim v;
      v.witness = a.domain;
      in.victims.push_back(std::move(v));
    }

    Evidence e;
    e.annotation_id = a.id;
    e.role = "supports";
    e.domain = a.domain;
    e.object_id = a.target.object_id;
    in.evidence.push_back(std::move(e));
  }

  if (rank >= 0) {
    // Written as finely as the coarsest precision allows: an approximate span keeps the
    // granularity its dates were written in.
    const int granularity = rank < 3 ? rank : written;
    in.date.precision = kPrecisionByRank[rank];
    in.date.from = coarsen(first, granularity);
    in.date.to = coarsen(last, granularity);
    if (in.date.to == in.date.from) in.date.to.clear();
  }
  in.place = most_frequent(places);
  in.facility = most_frequent(facilities);
  return in;
}

}  // namespace evhub::coding::internal
