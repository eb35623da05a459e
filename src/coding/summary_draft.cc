// The first draft of a witness summary, assembled from the witness's annotations: a pure
// function of what the store gathered (DraftSource), so that its rules can be read in one place.
//
// Rules (docs/summaries.md says them to users):
//  - incidents: the caller's groups first, in their order; every other annotation goes to the
//    incident of its first code's top-level category (framework order; "Other" for codes the
//    framework does not know);
//  - what the witness suffered: every passage of the incident, quoted, with its codes' labels,
//    date, place and facility; what the witness saw: where and when, who else was affected
//    (victims' descriptions), and passages coded as killings or deaths (the witness cannot
//    have suffered those themselves);
//  - perpetrators: the persons, units and descriptions of perpetrators coded, each citing the
//    passages it comes from;
//  - injuries: passages coded under "physical" (or a "health" category), and the medical
//    documents handed over;
//  - documents: the witness's documents, then any other object a passage is quoted from.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "coding/summary_internal.h"
#include "collection/consent.h"

namespace evhub::coding::internal {
namespace {

SummaryReference reference_of(const Annotation& a) {
  SummaryReference r;
  r.kind = a.target.kind;
  r.annotation_id = a.id;
  r.object_id = a.target.object_id;
  r.object_sha256 = a.target.object_sha256;
  if (a.target.kind == TargetKind::kRegion) {
    r.page = a.target.page;
  } else {
    r.begin = a.target.begin;
    r.end = a.target.end;
  }
  if (a.target.kind == TargetKind::kText) r.passage = a.passage;
  return r;
}

// The reference's number in `t` ("[n]"), adding it if it is not there yet.
int cite(SummaryText& t, const SummaryReference& r) {
  for (std::size_t i = 0; i < t.references.size(); ++i) {
    if (t.references[i] == r) return static_cast<int>(i) + 1;
  }
  t.references.push_back(r);
  return static_cast<int>(t.references.size());
}

void append_line(std::string& text, const std::string& line) {
  if (!text.empty()) text += '\n';
  text += line;
}

std::string top_category(const Framework& f, const std::string& code_id) {
  const auto path = f.path(code_id);
  return path.empty() ? std::string() : path.front()->id;
}

std::string label_of(const Framework& f, const CodeRef& c) {
  auto at = f.code_at(c.id, c.revision);
  if (at.is_ok()) return at->label.en;
  if (const FrameworkCode* now = f.find(c.id)) return now->label.en;
  return c.id;
}

std::string date_of(const IncidentDate& d) {
  if (d.from.empty()) return "";
  std::string s = d.to.empty() || d.to == d.from ? d.from : d.from + " – " + d.to;
  if (d.precision == "approximate") s = "about " + s;
  return s;
}

// "“passage” — Baton blows, Verbal abuse; 2020-08-10; Minsk; Akrestsina" and the like.
std::string passage_line(const Annotation& a, const Framework& f, const DraftSource& source,
                         int n) {
  std::string what;
  const std::string title = source.object_titles.count(a.target.object_id)
                                ? source.object_titles.at(a.target.object_id)
                                : "object " + a.target.object_id;
  switch (a.target.kind) {
    case TargetKind::kText:
      what = "“" + a.passage + "”";
      break;
    case TargetKind::kRegion:
      what = fmt::format("{}, page {}", title, a.target.page);
      break;
    case TargetKind::kTime:
      what = fmt::format("{}, {}–{} s", title, a.target.begin / 1000, (a.target.end + 999) / 1000);
      break;
  }
  std::vector<std::string> labels;
  for (const auto& c : a.codes) labels.push_back(label_of(f, c));
  std::string facts;
  for (const auto& l : labels) facts += (facts.empty() ? "" : ", ") + l;
  for (const std::string& fact : {date_of(a.facets.date), a.facets.place, a.facets.facility}) {
    if (!fact.empty()) facts += "; " + fact;
  }
  return fmt::format("[{}] {} — {}.", n, what, facts);
}

struct Group {
  SummaryIncident incident;
  std::vector<const Annotation*> annotations;
  bool dated = false;  // the caller gave a date
};

std::string date_range(const std::vector<const Annotation*>& annotations) {
  std::string from;
  std::string to;
  for (const Annotation* a : annotations) {
    const IncidentDate& d = a->facets.date;
    if (d.from.empty()) continue;
    if (from.empty() || d.from < from) from = d.from;
    const std::string& end = d.to.empty() ? d.from : d.to;
    if (to.empty() || end > to) to = end;
  }
  if (from.empty()) return "";
  return from == to ? from : from + " – " + to;
}

void fill_incident(Group& g, const DraftSource& source) {
  const Framework& f = *source.framework;
  std::stable_sort(
      g.annotations.begin(), g.annotations.end(), [](const Annotation* x, const Annotation* y) {
        return std::tie(x->facets.date.from, x->target.object_id, x->target.begin, x->id) <
               std::tie(y->facets.date.from, y->target.object_id, y->target.begin, y->id);
      });
  if (!g.dated) g.incident.date = date_range(g.annotations);

  std::vector<std::string> places;
  std::vector<std::string> facilities;
  auto note = [](std::vector<std::string>& list, const std::string& v) {
    if (!v.empty() && std::find(list.begin(), list.end(), v) == list.end()) list.push_back(v);
  };
  for (const Annotation* a : g.annotations) {
    note(places, a->facets.place);
    note(facilities, a->facets.facility);
  }
  SummaryText& saw = g.incident.saw;
  std::string where;
  if (!g.incident.date.empty()) where += "When: " + g.incident.date + ".";
  if (!places.empty()) {
    std::string list;
    for (const auto& p : places) list += (list.empty() ? "" : ", ") + p;
    where += std::string(where.empty() ? "" : " ") + "Where: " + list + ".";
  }
  if (!facilities.empty()) {
    std::string list;
    for (const auto& p : facilities) list += (list.empty() ? "" : ", ") + p;
    where += std::string(where.empty() ? "" : " ") + "Facilities: " + list + ".";
  }
  if (!where.empty()) append_line(saw.text, where);
  for (const Annotation* a : g.annotations) {
    if (a->facets.victims.empty()) continue;
    const int n = cite(saw, reference_of(*a));
    append_line(saw.text, fmt::format("Others affected, as coded: {} [{}].", a->facets.victims, n));
  }
  for (const Annotation* a : g.annotations) {
    const bool killing = std::any_of(a->codes.begin(), a->codes.end(), [&](const CodeRef& c) {
      return top_category(f, c.id) == "killing";
    });
    SummaryText& into = killing ? saw : g.incident.suffered;
    const int n = cite(into, reference_of(*a));
    append_line(into.text, passage_line(*a, f, source, n));
  }
}

bool is_injury(const Framework& f, const CodeRef& c) {
  const std::string top = top_category(f, c.id);
  if (top == "physical" || top == "health") return true;
  // Health-related codes elsewhere in the tree (denial of medical care).
  return c.id.find("medical") != std::string::npos;
}

}  // namespace

Result<WitnessSummary> assemble_draft(const DraftSource& source) {
  const Framework& f = *source.framework;
  const collection::Witness& w = *source.witness;
  WitnessSummary s;
  s.witness_code = w.code;
  s.domain = w.code;
  s.organisation_id = w.organisation_id;
  s.profile.gender = w.profile.gender;
  s.profile.age_band = w.profile.age_band;
  s.profile.country = w.profile.country;
  s.profile.languages = w.profile.languages;

  s.consent.as_of = source.today;
  std::optional<collection::Consent> newest;
  if (!source.consents.empty()) newest = source.consents.back();
  s.consent.state = collection::consent_state(newest, source.today);
  if (newest) {
    s.consent.version = newest->version;
    s.consent.scopes = newest->scopes;
    s.consent.given_on = newest->given_on;
    s.consent.renew_by = newest->renew_by;
    s.consent.withdrawn_on = newest->withdrawn_on;
  }

  std::map<std::string, const Annotation*> by_id;
  for (const Annotation& a : source.annotations) by_id[a.id] = &a;

  // The caller's incidents, then one per top-level category for the rest.
  std::vector<Group> groups;
  std::set<std::string> grouped;
  for (const IncidentGroup& ig : source.groups) {
    Group g;
    g.incident.incident_id = ig.incident_id;
    g.incident.title = ig.title;
    g.incident.date = ig.date;
    g.dated = !ig.date.empty();
    for (const std::string& id : ig.annotation_ids) {
      auto it = by_id.find(id);
      if (it == by_id.end()) {
        return Status(Code::kInvalidArgument,
                      fmt::format("annotation {} is not on {}'s material (or was removed); "
                                  "group only the witness's own annotations",
                                  id, w.code));
      }
      if (std::find(g.annotations.begin(), g.annotations.end(), it->second) ==
          g.annotations.end()) {
        g.annotations.push_back(it->second);
      }
      grouped.insert(id);
    }
    groups.push_back(std::move(g));
  }
  std::map<std::string, Group> by_category;
  for (const Annotation& a : source.annotations) {
    if (grouped.count(a.id) || a.codes.empty()) continue;
    by_category[top_category(f, a.codes.front().id)].annotations.push_back(&a);
  }
  for (const FrameworkCode* top : f.children("")) {
    auto it = by_category.find(top->id);
    if (it == by_category.end()) continue;
    it->second.incident.title = top->label.en;
    groups.push_back(std::move(it->second));
    by_category.erase(it);
  }
  for (auto& [category, g] : by_category) {  // codes the framework does not know
    g.incident.title = "Other";
    groups.push_back(std::move(g));
  }
  for (Group& g : groups) {
    fill_incident(g, source);
    s.incidents.push_back(std::move(g.incident));
  }

  // Perpetrators: who, as coded, with the passages that say so.
  std::vector<const Annotation*> ordered;
  for (const Annotation& a : source.annotations) ordered.push_back(&a);
  std::map<std::string, std::vector<int>> persons;
  std::map<std::string, std::vector<int>> units;
  std::vector<std::string> person_order;
  std::vector<std::string> unit_order;
  std::vector<std::string> described;
  SummaryText& perpetrators = s.perpetrators;
  auto cites = [](const std::vector<int>& ns) {
    std::string out;
    for (int n : ns) out += fmt::format("[{}]", n);
    return out;
  };
  for (const Annotation* a : ordered) {
    const bool any =
        !a->facets.persons.empty() || !a->facets.units.empty() || !a->facets.perpetrators.empty();
    if (!any) continue;
    const int n = cite(perpetrators, reference_of(*a));
    for (const auto& p : a->facets.persons) {
      if (!persons.count(p)) person_order.push_back(p);
      if (persons[p].empty() || persons[p].back() != n) persons[p].push_back(n);
    }
    for (const auto& u : a->facets.units) {
      if (!units.count(u)) unit_order.push_back(u);
      if (units[u].empty() || units[u].back() != n) units[u].push_back(n);
    }
    if (!a->facets.perpetrators.empty()) {
      described.push_back(fmt::format("{} [{}]", a->facets.perpetrators, n));
    }
  }
  if (!person_order.empty()) {
    append_line(perpetrators.text, "Persons named:");
    for (const auto& p : person_order)
      append_line(perpetrators.text, "- " + p + " " + cites(persons[p]));
  }
  if (!unit_order.empty()) {
    append_line(perpetrators.text, "Units:");
    for (const auto& u : unit_order)
      append_line(perpetrators.text, "- " + u + " " + cites(units[u]));
  }
  if (!described.empty()) {
    append_line(perpetrators.text, "Described as:");
    for (const auto& d : described) append_line(perpetrators.text, "- " + d);
  }

  // Injuries: passages coded as physical harm, and the medical documents.
  for (const Annotation* a : ordered) {
    if (!std::any_of(a->codes.begin(), a->codes.end(),
                     [&](const CodeRef& c) { return is_injury(f, c); })) {
      continue;
    }
    const int n = cite(s.injuries, reference_of(*a));
    append_line(s.injuries.text, passage_line(*a, f, source, n));
  }

  // Documents: the witness's, then the other objects quoted.
  std::set<std::string> listed;
  for (const auto& [object_id, title] : source.document_titles) {
    if (!listed.insert(object_id).second) continue;
    SummaryDocument d;
    d.object_id = object_id;
    d.title = title;
    if (source.sha256.count(object_id)) d.object_sha256 = source.sha256.at(object_id);
    s.documents.push_back(std::move(d));
  }
  for (const Annotation* a : ordered) {
    const std::string& id = a->target.object_id;
    if (!listed.insert(id).second) continue;
    SummaryDocument d;
    d.object_id = id;
    d.title = source.object_titles.count(id) ? source.object_titles.at(id) : "Object " + id;
    d.object_sha256 = a->target.object_sha256;
    s.documents.push_back(std::move(d));
  }

  // Medical documents: cited by their number in the documents section.
  std::string medical;
  for (std::size_t i = 0; i < s.documents.size(); ++i) {
    const SummaryDocument& d = s.documents[i];
    if (std::find(source.medical_documents.begin(), source.medical_documents.end(), d.object_id) ==
        source.medical_documents.end()) {
      continue;
    }
    medical += fmt::format("{}{} [D{}]", medical.empty() ? "" : "; ", d.title, i + 1);
  }
  if (!medical.empty()) append_line(s.injuries.text, "Medical documents: " + medical + ".");

  // Sensitivity: the most restricted of the objects and codes drawn on.
  std::string sensitivity = "normal";
  for (const Annotation* a : ordered) {
    for (const auto& c : a->codes)
      sensitivity = catalog::stricter_sensitivity(sensitivity, sensitivity_of_code(f, c.id));
  }
  for (const SummaryDocument& d : s.documents) {
    auto it = source.object_sensitivity.find(d.object_id);
    if (it != source.object_sensitivity.end())
      sensitivity = catalog::stricter_sensitivity(sensitivity, it->second);
  }
  s.sensitivity = sensitivity;
  return s;
}

}  // namespace evhub::coding::internal
