// Incidents (docs/openapi.yaml: /incidents): events assembled by analysts from annotations
// across witnesses and documents, listed, filtered and laid on a timeline. An incident belongs
// to one organisation; it is read by those who read codings there and made by those who code.
// The passages it cites are shown only where the caller may read them (the object's
// sensitivity and restricted codes); the others are counted as withheld. Reads and changes are
// logged by id.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "api/policy.h"
#include "api/route_support.h"
#include "coding/incidents.h"

namespace evhub::api {

using coding::Incident;
using nlohmann::json;

namespace {

json date_json(const coding::IncidentDate& d) {
  return {{"from", d.from}, {"to", d.to}, {"precision", d.precision}};
}

json acts_json(const std::vector<coding::CodeRef>& acts, const coding::Framework& framework) {
  json out = json::array();
  for (const auto& a : acts) {
    auto then = framework.code_at(a.id, a.revision);
    out.push_back({{"id", a.id},
                   {"revision", a.revision},
                   {"label", then.is_ok() ? then->label.en : a.id},
                   {"labels", then.is_ok() ? json{{"en", then->label.en},
                                                  {"be", then->label.be},
                                                  {"ru", then->label.ru}}
                                           : json{{"en", a.id}}}});
  }
  return out;
}

json listed_json(const coding::ListedIncident& i, const coding::Framework& framework,
                 const std::map<std::string, std::string>& organisation_names) {
  std::size_t erased = 0;
  for (const auto& e : i.evidence) erased += e.erased;
  auto org = organisation_names.find(i.organisation_id);
  return {{"id", i.id},
          {"version", i.version},
          {"organisation", org == organisation_names.end() ? "" : org->second},
          {"title", i.title},
          {"acts", acts_json(i.acts, framework)},
          {"date", date_json(i.date)},
          {"place", i.place},
          {"facility", i.facility},
          {"evidence", i.evidence.size()},
          {"evidence_erased", erased},
          {"updated_at", i.updated_at},
          {"removed", i.removed}};
}

// An incident from a request body; `version` on changes.
Result<Incident> parse_incident(const std::string& body, const coding::Framework& framework,
                                bool with_version) {
  using enum FieldType;
  std::map<std::string, FieldType> fields = {
      {"organisation", kText}, {"title", kText},    {"acts", kTextList}, {"date", kObject},
      {"place", kText},        {"facility", kText}, {"victims", kList},  {"perpetrators", kObject},
      {"summary", kText},      {"evidence", kList}};
  if (with_version) fields["version"] = kInteger;
  EVHUB_ASSIGN_OR_RETURN(
      json in,
      parse_body(body, R"(send {"title": …, "acts": […], "evidence": […]} as JSON)", fields));
  Incident i;
  i.version = in.value("version", 0);
  i.title = in.value("title", "");
  for (const auto& id : in.value("acts", std::vector<std::string>{})) {
    const coding::FrameworkCode* code = framework.find(id);
    i.acts.push_back({id, code ? code->revision : 1});
  }
  const json date = in.value("date", json::object());
  EVHUB_RETURN_IF_ERROR(check_fields(date, {{"from", kText}, {"to", kText}, {"precision", kText}}));
  i.date = {date.value("from", ""), date.value("to", ""), date.value("precision", "day")};
  i.place = in.value("place", "");
  i.facility = in.value("facility", "");
  for (const auto& v : in.value("victims", json::array())) {
    EVHUB_RETURN_IF_ERROR(
        check_fields(v, {{"witness", kText}, {"description", kText}, {"harm", kText}}));
    i.victims.push_back({v.value("witness", ""), v.value("description", ""), v.value("harm", "")});
  }
  const json p = in.value("perpetrators", json::object());
  EVHUB_RETURN_IF_ERROR(
      check_fields(p, {{"persons", kTextList}, {"units", kTextList}, {"description", kText}}));
  i.perpetrators.persons = p.value("persons", std::vector<std::string>{});
  i.perpetrators.units = p.value("units", std::vector<std::string>{});
  i.perpetrators.description = p.value("description", "");
  i.summary = in.value("summary", "");
  for (const auto& e : in.value("evidence", json::array())) {
    EVHUB_RETURN_IF_ERROR(check_fields(e, {{"annotation_id", kText}, {"role", kText}}));
    coding::Evidence ev;
    ev.annotation_id = e.value("annotation_id", "");
    ev.role = e.value("role", "supports");
    i.evidence.push_back(std::move(ev));
  }
  return i;
}

Result<coding::IncidentFilter> filter_of(const Request& r) {
  coding::IncidentFilter f;
  f.act = r.query("act");
  f.place = r.query("place");
  f.facility = r.query("facility");
  f.from = r.query("from");
  f.to = r.query("to");
  f.include_removed = r.query("removed") == "1";
  return f;
}

}  // namespace

Result<coding::IncidentStore*> Api::incident_store() {
  if (!incidents_) {
    EVHUB_ASSIGN_OR_RETURN(coding::AnnotationStore * annotations, annotation_store());
    EVHUB_ASSIGN_OR_RETURN(incidents_, coding::IncidentStore::open(hub_, *annotations));
  }
  return incidents_.get();
}

// The whole incident for a reader: its text, acts, and each cited passage as it stands now,
// those the caller may not read withheld.
Response Api::incident_response(int status, const accounts::Caller& caller, const Incident& i,
                                const coding::Framework& framework) {
  auto store = incident_store();
  auto all = organisations();
  if (!store.is_ok() || !all.is_ok())
    return error_response(500, "internal", "incidents unavailable");
  auto cited = (*store)->cited(i);
  if (!cited.is_ok()) return status_response(cited.status(), "reading the cited passages");
  const auto scopes = read_scopes(caller.user, *all);
  const auto names = usernames();
  auto name_of = [&](const std::string& id) {
    auto it = names.find(id);
    return it == names.end() ? id : it->second;
  };
  json evidence = json::array();
  for (const auto& c : *cited) {
    json e = {{"annotation_id", c.evidence.annotation_id},
              {"role", c.evidence.role},
              {"witness", c.evidence.domain},
              {"object_id", c.evidence.object_id},
              {"state", coding::evidence_state_name(c.state)},
              {"withheld", false},
              {"codes", json::array()},
              {"passage", ""},
              {"date", ""}};
    if (c.annotation) {
      auto object = hub_.describe(c.evidence.object_id);
      std::string sensitivity = object.is_ok() ? object->record.sensitivity : "normal";
      for (const auto& code : c.annotation->codes) {
        sensitivity = catalog::stricter_sensitivity(
            sensitivity, coding::sensitivity_of_code(framework, code.id));
      }
      if (!object.is_ok() || !may_read(scopes, object->organisation_id, sensitivity)) {
        e["withheld"] = true;
      } else {
        e["codes"] = acts_json(c.annotation->codes, framework);
        e["passage"] = c.annotation->passage;
        e["date"] = c.annotation->facets.date.from;
        e["kind"] = coding::target_kind_name(c.annotation->target.kind);
        e["begin"] = c.annotation->target.begin;
        e["end"] = c.annotation->target.end;
      }
    }
    evidence.push_back(std::move(e));
  }
  json victims = json::array();
  for (const auto& v : i.victims) {
    victims.push_back({{"witness", v.witness}, {"description", v.description}, {"harm", v.harm}});
  }
  auto org = std::find_if(all->begin(), all->end(), [&](const accounts::Organisation& o) {
    return o.id == i.organisation_id;
  });
  json out = {{"id", i.id},
              {"version", i.version},
              {"organisation", org == all->end() ? "" : org->name},
              {"title", i.title},
              {"acts", acts_json(i.acts, framework)},
              {"date", date_json(i.date)},
              {"place", i.place},
              {"facility", i.facility},
              {"victims", std::move(victims)},
              {"perpetrators",
               {{"persons", i.perpetrators.persons},
                {"units", i.perpetrators.units},
                {"description", i.perpetrators.description}}},
              {"summary", i.summary},
              {"evidence", std::move(evidence)},
              {"created_by", name_of(i.created_by)},
              {"created_at", i.created_at},
              {"updated_by", name_of(i.updated_by)},
              {"updated_at", i.updated_at},
              {"removed", i.removed}};
  Response r = json_response(status, out);
  wipe(out);
  return r;
}

// The incident `id` if the caller holds one of `roles` in its organisation (404, 403 otherwise).
Api::ReachableIncident Api::reachable_incident(const accounts::Caller& caller,
                                               const std::string& id,
                                               const std::vector<accounts::Role>& roles) {
  ReachableIncident out;
  auto store = incident_store();
  auto all = organisations();
  if (!store.is_ok() || !all.is_ok()) {
    out.refusal = error_response(500, "internal", "incidents unavailable");
    return out;
  }
  auto i = (*store)->get(id);
  if (!i.is_ok()) {
    out.refusal = i.status().code() == Code::kInvalidArgument
                      ? error_response(404, "not_found", "no such incident")
                      : status_response(i.status(), "reading the incident");
    return out;
  }
  if (!*i) {
    out.refusal = error_response(404, "not_found", "no such incident");
    return out;
  }
  if (!holds_role_in(caller.user, roles, (*i)->organisation_id, *all)) {
    out.refusal = error_response(403, "forbidden", "your roles do not allow this");
    return out;
  }
  out.incident = std::move(**i);
  return out;
}

void Api::add_incident_routes(const AddRoute& route) {
  // ?view=timeline: in the order they happened; otherwise the most recently changed first.
  route("GET", "/api/v1/incidents", Access{true, coding_readers()}, [this](Context& c) {
    auto store = incident_store();
    auto frameworks = framework_store();
    auto all = organisations();
    if (!store.is_ok() || !frameworks.is_ok() || !all.is_ok()) {
      return error_response(500, "internal", "incidents unavailable");
    }
    auto framework = (*frameworks)->current();
    if (!framework.is_ok()) return status_response(framework.status(), "reading the framework");
    auto filter = filter_of(c.request);
    if (!filter.is_ok()) return error_response(400, "bad_request", filter.status().message());
    const auto orgs = organisations_where(c.caller->user, coding_readers(), *all);
    const auto names = organisation_names();
    json list = json::array();
    if (c.request.query("view") == "timeline") {
      auto entries = (*store)->timeline(orgs, *filter, *framework);
      if (!entries.is_ok()) return status_response(entries.status(), "reading the timeline");
      for (const auto& e : *entries) {
        json item = listed_json(e.incident, *framework, names);
        item["placement"] = coding::placement_name(e.placement);
        item["placed_at"] = e.placed_at;
        item["ends_at"] = e.ends_at;
        list.push_back(std::move(item));
      }
    } else {
      auto listed = (*store)->list(orgs, *filter, *framework);
      if (!listed.is_ok()) return status_response(listed.status(), "listing incidents");
      for (const auto& i : *listed) list.push_back(listed_json(i, *framework, names));
    }
    return json_response(200, {{"incidents", std::move(list)}});
  });

  // A proposal from annotations (not stored): the analyst edits it, then POSTs it.
  route("POST", "/api/v1/incidents/draft", Access{true, coders()}, [this](Context& c) {
    auto in = parse_body(c.request.body, R"(send {"annotation_ids": […]})",
                         {{"annotation_ids", FieldType::kTextList}});
    if (!in.is_ok()) return error_response(400, "bad_request", in.status().message());
    const auto ids = in->value("annotation_ids", std::vector<std::string>{});
    for (const auto& id : ids) {
      auto visible = visible_annotation(*c.caller, id, coders());
      if (!visible.annotation) return visible.refusal;
    }
    auto store = incident_store();
    auto frameworks = framework_store();
    if (!store.is_ok() || !frameworks.is_ok()) {
      return error_response(500, "internal", "incidents unavailable");
    }
    auto framework = (*frameworks)->current();
    auto draft = (*store)->draft_from_annotations(ids);
    if (!framework.is_ok()) return status_response(framework.status(), "reading the framework");
    if (!draft.is_ok()) return status_response(draft.status(), "drafting the incident");
    return incident_response(200, *c.caller, *draft, *framework);
  });

  route("POST", "/api/v1/incidents", Access{true, coders()}, [this](Context& c) {
    auto frameworks = framework_store();
    auto store = incident_store();
    auto all = organisations();
    if (!frameworks.is_ok() || !store.is_ok() || !all.is_ok()) {
      return error_response(500, "internal", "incidents unavailable");
    }
    auto framework = (*frameworks)->current();
    if (!framework.is_ok()) return status_response(framework.status(), "reading the framework");
    auto i = parse_incident(c.request.body, *framework, false);
    if (!i.is_ok()) return error_response(400, "bad_request", i.status().message());
    // The organisation: named, or the one where the caller codes.
    const auto mine = organisations_where(c.caller->user, coders(), *all);
    const std::string named = json::parse(c.request.body).value("organisation", "");
    std::string org_id;
    for (const auto& o : *all) {
      if (!named.empty() && o.name == named) org_id = o.id;
    }
    if (named.empty() && mine.size() == 1) org_id = mine.front();
    if (org_id.empty()) {
      return error_response(400, "bad_request",
                            "name the organisation the incident belongs to (\"organisation\")");
    }
    if (std::find(mine.begin(), mine.end(), org_id) == mine.end()) {
      return error_response(403, "forbidden", "your roles do not allow this");
    }
    for (const auto& e : i->evidence) {
      auto visible = visible_annotation(*c.caller, e.annotation_id, coders());
      if (!visible.annotation) return visible.refusal;
    }
    i->organisation_id = org_id;
    i->updated_by = c.caller->user.id;
    auto stored = (*store)->add(std::move(*i), *framework);
    if (!stored.is_ok()) return status_response(stored.status(), "storing the incident");
    (void)hub_.audit("incident.add", stored->id, {{"user_id", c.caller->user.id}});
    return incident_response(201, *c.caller, *stored, *framework);
  });

  route("GET", "/api/v1/incidents/{id}", Access{true, coding_readers()}, [this](Context& c) {
    auto reachable = reachable_incident(*c.caller, c.request.params.at("id"), coding_readers());
    if (!reachable.incident) return reachable.refusal;
    auto framework = (*framework_store())->current();
    if (!framework.is_ok()) return status_response(framework.status(), "reading the framework");
    if (!hub_.audit("incident.read", reachable.incident->id, {{"user_id", c.caller->user.id}})
             .is_ok()) {
      return error_response(503, "unavailable", "the read could not be recorded; try again");
    }
    return incident_response(200, *c.caller, *reachable.incident, *framework);
  });

  route("PUT", "/api/v1/incidents/{id}", Access{true, coders()}, [this](Context& c) {
    auto reachable = reachable_incident(*c.caller, c.request.params.at("id"), coders());
    if (!reachable.incident) return reachable.refusal;
    auto framework = (*framework_store())->current();
    if (!framework.is_ok()) return status_response(framework.status(), "reading the framework");
    auto i = parse_incident(c.request.body, *framework, true);
    if (!i.is_ok()) return error_response(400, "bad_request", i.status().message());
    // Passages newly cited must be ones the caller may read; those cited before stay.
    std::set<std::string> before;
    for (const auto& e : reachable.incident->evidence) before.insert(e.annotation_id);
    for (const auto& e : i->evidence) {
      if (before.count(e.annotation_id)) continue;
      auto visible = visible_annotation(*c.caller, e.annotation_id, coders());
      if (!visible.annotation) return visible.refusal;
    }
    i->id = reachable.incident->id;
    i->organisation_id = reachable.incident->organisation_id;
    i->updated_by = c.caller->user.id;
    auto stored = (*incident_store())->update(std::move(*i), *framework);
    if (!stored.is_ok()) return status_response(stored.status(), "storing the incident");
    (void)hub_.audit("incident.change", stored->id,
                     {{"user_id", c.caller->user.id}, {"version", stored->version}});
    return incident_response(200, *c.caller, *stored, *framework);
  });

  route("DELETE", "/api/v1/incidents/{id}", Access{true, coders()}, [this](Context& c) {
    auto reachable = reachable_incident(*c.caller, c.request.params.at("id"), coders());
    if (!reachable.incident) return reachable.refusal;
    const std::string version = c.request.query("version");
    if (!is_small_number(version, 9)) {
      return error_response(400, "bad_request", "?version=N: the version you saw");
    }
    auto removed =
        (*incident_store())->remove(reachable.incident->id, std::stoi(version), c.caller->user.id);
    if (!removed.is_ok()) return status_response(removed.status(), "removing the incident");
    (void)hub_.audit("incident.remove", removed->id, {{"user_id", c.caller->user.id}});
    Response r;
    r.status = 204;
    return r;
  });

  route(
      "GET", "/api/v1/incidents/{id}/history", Access{true, coding_readers()}, [this](Context& c) {
        auto reachable = reachable_incident(*c.caller, c.request.params.at("id"), coding_readers());
        if (!reachable.incident) return reachable.refusal;
        auto versions = (*incident_store())->history(reachable.incident->id);
        auto framework = (*framework_store())->current();
        if (!versions.is_ok()) return status_response(versions.status(), "reading the history");
        if (!framework.is_ok()) return status_response(framework.status(), "reading framework");
        const auto names = usernames();
        json list = json::array();
        for (const auto& v : *versions) {
          auto by = names.find(v.updated_by);
          list.push_back({{"version", v.version},
                          {"title", v.title},
                          {"acts", acts_json(v.acts, *framework)},
                          {"date", date_json(v.date)},
                          {"place", v.place},
                          {"facility", v.facility},
                          {"evidence", v.evidence.size()},
                          {"updated_by", by == names.end() ? v.updated_by : by->second},
                          {"updated_at", v.updated_at},
                          {"removed", v.removed}});
        }
        return json_response(200, {{"versions", std::move(list)}});
      });
}

}  // namespace evhub::api
