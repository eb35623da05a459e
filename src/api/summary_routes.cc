// Witness summaries (docs/openapi.yaml: /summaries): a first draft assembled from a witness's
// codings (grouped by the incidents that cite them), edited by analysts, reviewed under the
// quality-control workflow (draft → in review → changes requested → approved; the reviewer is
// never the author nor an editor), every version kept with a diff, and exported to PDF or DOCX
// as an object of the hub with its provenance. A summary is as restricted as the material it
// quotes: a caller who may not read that sensitivity in its organisation gets 403 and nothing.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>

#include "api/policy.h"
#include "api/route_support.h"
#include "coding/incidents.h"
#include "coding/summary.h"

namespace evhub::api {

using coding::WitnessSummary;
using nlohmann::json;

namespace {

json listing_json(const coding::SummaryListing& l, const std::map<std::string, std::string>& names,
                  const std::map<std::string, std::string>& organisations) {
  auto name_of = [&](const std::string& id) {
    auto it = names.find(id);
    return it == names.end() ? id : it->second;
  };
  auto org = organisations.find(l.organisation_id);
  return {{"id", l.id},
          {"witness", l.witness_code},
          {"organisation", org == organisations.end() ? "" : org->second},
          {"status", coding::summary_status_name(l.status)},
          {"version", l.version},
          {"author", name_of(l.author)},
          {"reviewer", name_of(l.reviewer)},
          {"sensitivity", l.sensitivity},
          {"updated_at", l.updated_at}};
}

}  // namespace

Result<coding::SummaryStore*> Api::summary_store() {
  EVHUB_ASSIGN_OR_RETURN(coding::FrameworkStore * frameworks, framework_store());
  EVHUB_ASSIGN_OR_RETURN(coding::Framework framework, frameworks->current());
  if (!summaries_) {
    EVHUB_ASSIGN_OR_RETURN(coding::AnnotationStore * annotations, annotation_store());
    EVHUB_ASSIGN_OR_RETURN(summaries_,
                           coding::SummaryStore::open(hub_, *witnesses_, *annotations, framework));
  } else {
    summaries_->set_framework(std::move(framework));
  }
  return summaries_.get();
}

// The summary `id` if the caller holds one of `roles` in its organisation and may read its
// sensitivity there; 404 or 403 otherwise.
Api::ReachableSummary Api::reachable_summary(const accounts::Caller& caller, const std::string& id,
                                             const std::vector<accounts::Role>& roles) {
  ReachableSummary out;
  auto store = summary_store();
  auto all = organisations();
  if (!store.is_ok() || !all.is_ok()) {
    out.refusal = error_response(500, "internal", "summaries unavailable");
    return out;
  }
  auto s = (*store)->get(id);
  if (!s.is_ok() || !*s) {
    out.refusal = error_response(404, "not_found", "no such summary");
    return out;
  }
  if (!holds_role_in(caller.user, roles, (*s)->organisation_id, *all) ||
      !may_read(read_scopes(caller.user, *all), (*s)->organisation_id, (*s)->sensitivity)) {
    out.refusal = error_response(403, "forbidden", "your roles do not allow this");
    return out;
  }
  out.summary = std::move(**s);
  return out;
}

Response Api::summary_response(int status, const WitnessSummary& s) {
  auto store = summary_store();
  if (!store.is_ok()) return status_response(store.status(), "reading summaries");
  json out = coding::summary_to_json(s);
  const auto names = usernames();
  json people = json::object();
  std::set<std::string> ids = {s.author, s.changed_by, s.reviewer};
  ids.insert(s.editors.begin(), s.editors.end());
  for (const auto& c : s.comments) ids.insert(c.by);
  for (const auto& id : ids) {
    auto it = names.find(id);
    if (!id.empty()) people[id] = it == names.end() ? id : it->second;
  }
  out["people"] = std::move(people);
  json exports = json::array();
  auto made = (*store)->exports(s.id);
  if (made.is_ok()) {
    for (const auto& e : *made) {
      exports.push_back(
          {{"object_id", e.object_id}, {"version", e.version}, {"format", e.format}, {"at", e.at}});
    }
  }
  out["exports"] = std::move(exports);
  Response r = json_response(status, out);
  wipe(out);  // the witness's words
  return r;
}

void Api::add_summary_routes(const AddRoute& route) {
  route("GET", "/api/v1/summaries", Access{true, coding_readers()}, [this](Context& c) {
    auto store = summary_store();
    auto all = organisations();
    if (!store.is_ok() || !all.is_ok()) return error_response(500, "internal", "unavailable");
    coding::SummaryFilter filter;
    filter.organisation_ids = organisations_where(c.caller->user, coding_readers(), *all);
    filter.witness_code = c.request.query("witness");
    const std::string status = c.request.query("status");
    if (!status.empty()) {
      for (auto s : {coding::SummaryStatus::kDraft, coding::SummaryStatus::kInReview,
                     coding::SummaryStatus::kChangesRequested, coding::SummaryStatus::kApproved}) {
        if (status == coding::summary_status_name(s)) filter.status = s;
      }
      if (!filter.status) {
        return error_response(400, "bad_request",
                              "status must be draft, in-review, changes-requested or approved");
      }
    }
    json list = json::array();
    if (!filter.organisation_ids.empty()) {
      auto listed = (*store)->list(filter);
      if (!listed.is_ok()) return status_response(listed.status(), "listing summaries");
      const auto scopes = read_scopes(c.caller->user, *all);
      const auto names = usernames();
      const auto orgs = organisation_names();
      for (const auto& l : *listed) {
        if (may_read(scopes, l.organisation_id, l.sensitivity)) {
          list.push_back(listing_json(l, names, orgs));
        }
      }
    }
    return json_response(200, {{"summaries", std::move(list)}});
  });

  // A first draft for a witness, its passages grouped by the incidents that cite them.
  route("POST", "/api/v1/summaries", Access{true, summary_writers()}, [this](Context& c) {
    auto in =
        parse_body(c.request.body, R"(send {"witness": "W-…"})", {{"witness", FieldType::kText}});
    if (!in.is_ok()) return error_response(400, "bad_request", in.status().message());
    const std::string code = in->value("witness", "");
    auto reachable = reachable_witness(*c.caller, code, summary_writers());
    if (!reachable.witness) return reachable.refusal;
    std::vector<coding::IncidentGroup> groups;
    auto incidents = incident_store();
    auto frameworks = framework_store();
    if (incidents.is_ok() && frameworks.is_ok()) {
      auto framework = (*frameworks)->current();
      auto timeline =
          framework.is_ok()
              ? (*incidents)->timeline({reachable.witness->organisation_id}, {}, *framework)
              : Result<std::vector<coding::TimelineEntry>>(framework.status());
      if (timeline.is_ok()) {
        for (const auto& e : *timeline) {
          coding::IncidentGroup g;
          g.incident_id = e.incident.id;
          g.title = e.incident.title;
          g.date =
              e.incident.date.from + (e.incident.date.to.empty() ? "" : " – " + e.incident.date.to);
          for (const auto& ev : e.incident.evidence) {
            if (ev.domain == code && !ev.erased) g.annotation_ids.push_back(ev.annotation_id);
          }
          if (!g.annotation_ids.empty()) groups.push_back(std::move(g));
        }
      }
    }
    auto store = summary_store();
    if (!store.is_ok()) return status_response(store.status(), "opening summaries");
    auto drafted = (*store)->draft_from_annotations(code, c.caller->user.id, groups);
    if (!drafted.is_ok()) return status_response(drafted.status(), "drafting the summary");
    (void)hub_.audit("summary.draft", drafted->id,
                     {{"user_id", c.caller->user.id}, {"witness", code}});
    return summary_response(201, *drafted);
  });

  route("GET", "/api/v1/summaries/{id}", Access{true, coding_readers()}, [this](Context& c) {
    auto reachable = reachable_summary(*c.caller, c.request.params.at("id"), coding_readers());
    if (!reachable.summary) return reachable.refusal;
    if (!hub_.audit("summary.read", reachable.summary->id, {{"user_id", c.caller->user.id}})
             .is_ok()) {
      return error_response(503, "unavailable", "the read could not be recorded; try again");
    }
    const std::string version = c.request.query("version");
    if (!version.empty()) {
      if (!is_small_number(version, 6)) return error_response(400, "bad_request", "version: N");
      auto v = (*summary_store())->get_version(reachable.summary->id, std::stoi(version));
      if (!v.is_ok() || !*v) return error_response(404, "not_found", "no such version");
      return summary_response(200, **v);
    }
    return summary_response(200, *reachable.summary);
  });

  // New text: incidents, perpetrators, injuries and documents (a draft, or changes requested).
  route("PUT", "/api/v1/summaries/{id}", Access{true, summary_writers()}, [this](Context& c) {
    auto reachable = reachable_summary(*c.caller, c.request.params.at("id"), summary_writers());
    if (!reachable.summary) return reachable.refusal;
    json in = json::parse(c.request.body, nullptr, false);
    Status fields = check_fields(in, {{"version", FieldType::kInteger},
                                      {"incidents", FieldType::kList},
                                      {"perpetrators", FieldType::kObject},
                                      {"injuries", FieldType::kObject},
                                      {"documents", FieldType::kList}});
    if (in.is_discarded() || !fields.is_ok() || !in.contains("version")) {
      return error_response(
          400, "bad_request",
          fields.is_ok() ? "send {\"version\": N, \"incidents\": […], …}" : fields.message());
    }
    WitnessSummary edited = *reachable.summary;
    const WitnessSummary given = coding::summary_from_json(in);
    edited.version = in.value("version", 0);
    if (in.contains("incidents")) edited.incidents = given.incidents;
    if (in.contains("perpetrators")) edited.perpetrators = given.perpetrators;
    if (in.contains("injuries")) edited.injuries = given.injuries;
    if (in.contains("documents")) edited.documents = given.documents;
    auto stored = (*summary_store())->update(edited, c.caller->user.id);
    if (!stored.is_ok()) return status_response(stored.status(), "storing the summary");
    (void)hub_.audit("summary.edit", stored->id,
                     {{"user_id", c.caller->user.id}, {"version", stored->version}});
    return summary_response(200, *stored);
  });

  // The workflow: submit, request-changes, approve, comment, reopen. Who may: writers submit,
  // comment and reopen; reviewers request changes and approve (never their own work).
  route("POST", "/api/v1/summaries/{id}/transitions", Access{true, coding_readers()},
        [this](Context& c) {
          auto in = parse_body(c.request.body, R"(send {"action": …, "version": N})",
                               {{"action", FieldType::kText},
                                {"version", FieldType::kInteger},
                                {"section", FieldType::kText},
                                {"text", FieldType::kText}});
          if (!in.is_ok()) return error_response(400, "bad_request", in.status().message());
          const std::string action = in->value("action", "");
          const bool review = action == "request-changes" || action == "approve";
          const bool writing = action == "submit" || action == "reopen";
          if (!review && !writing && action != "comment") {
            return error_response(
                400, "bad_request",
                "action must be submit, request-changes, approve, comment or reopen");
          }
          if (!in->contains("version")) {
            return error_response(400, "bad_request", "version: the version you saw");
          }
          const auto& roles = review    ? summary_reviewers()
                              : writing ? summary_writers()
                                        : coding_readers();
          auto reachable = reachable_summary(*c.caller, c.request.params.at("id"), roles);
          if (!reachable.summary) return reachable.refusal;
          auto* store = *summary_store();
          const std::string& id = reachable.summary->id;
          const int version = in->value("version", 0);
          const std::string& by = c.caller->user.id;
          const std::string section = in->value("section", ""), text = in->value("text", "");
          Result<WitnessSummary> done =
              action == "submit"            ? store->submit(id, version, by)
              : action == "request-changes" ? store->request_changes(id, version, by, section, text)
              : action == "approve"         ? store->approve(id, version, by)
              : action == "comment"         ? store->comment(id, version, by, section, text)
                                            : store->reopen(id, version, by);
          if (!done.is_ok()) return status_response(done.status(), "changing the summary");
          (void)hub_.audit("summary." + action, id, {{"user_id", by}, {"version", done->version}});
          return summary_response(200, *done);
        });

  // What an editor may cite: the witness's coded passages, regions and time ranges that the
  // caller may read, each ready to be a reference. Their words are read: logged like a read.
  route(
      "GET", "/api/v1/summaries/{id}/citable", Access{true, summary_writers()}, [this](Context& c) {
        auto reachable = reachable_summary(*c.caller, c.request.params.at("id"), summary_writers());
        if (!reachable.summary) return reachable.refusal;
        auto annotations = annotation_store();
        auto frameworks = framework_store();
        auto all = organisations();
        if (!annotations.is_ok() || !frameworks.is_ok() || !all.is_ok()) {
          return error_response(500, "internal", "the coding view cannot be opened");
        }
        auto framework = (*frameworks)->current();
        auto found = (*annotations)->in_domain(reachable.summary->domain);
        if (!framework.is_ok()) return status_response(framework.status(), "reading codes");
        if (!found.is_ok()) return status_response(found.status(), "reading the codings");
        if (!hub_.audit("summary.citable", reachable.summary->id, {{"user_id", c.caller->user.id}})
                 .is_ok()) {
          return error_response(503, "unavailable", "the read could not be recorded; try again");
        }
        const auto scopes = read_scopes(c.caller->user, *all);
        std::map<std::string, std::string> object_sensitivity;
        json list = json::array();
        std::size_t withheld = 0;
        for (const auto& a : *found) {
          auto known = object_sensitivity.find(a.target.object_id);
          if (known == object_sensitivity.end()) {
            auto described = hub_.describe(a.target.object_id);
            known = object_sensitivity
                        .emplace(a.target.object_id, described.is_ok() && !described->erased
                                                         ? described->record.sensitivity
                                                         : std::string())
                        .first;
          }
          if (known->second.empty() ||
              !may_read(scopes, a.organisation_id,
                        annotation_sensitivity(*framework, known->second, a.codes))) {
            ++withheld;
            continue;
          }
          json codes = json::array();
          for (const auto& code : a.codes) codes.push_back(code.id);
          json item = coding::target_json(a.target);
          item.update(
              {{"annotation_id", a.id}, {"codes", std::move(codes)}, {"passage", a.passage}});
          list.push_back(std::move(item));
        }
        json out = {{"passages", std::move(list)}, {"withheld", withheld}};
        Response r = json_response(200, out);
        wipe(out);  // the witness's words
        return r;
      });

  route(
      "GET", "/api/v1/summaries/{id}/history", Access{true, coding_readers()}, [this](Context& c) {
        auto reachable = reachable_summary(*c.caller, c.request.params.at("id"), coding_readers());
        if (!reachable.summary) return reachable.refusal;
        auto versions = (*summary_store())->history(reachable.summary->id);
        if (!versions.is_ok()) return status_response(versions.status(), "reading the history");
        const auto names = usernames();
        auto name_of = [&](const std::string& id) {
          auto it = names.find(id);
          return it == names.end() ? id : it->second;
        };
        json list = json::array();
        for (const auto& v : *versions) {
          list.push_back({{"version", v.version},
                          {"status", coding::summary_status_name(v.status)},
                          {"change", v.change},
                          {"changed_by", name_of(v.changed_by)},
                          {"changed_at", v.changed_at}});
        }
        return json_response(200, {{"versions", std::move(list)}});
      });

  route("GET", "/api/v1/summaries/{id}/diff", Access{true, coding_readers()}, [this](Context& c) {
    auto reachable = reachable_summary(*c.caller, c.request.params.at("id"), coding_readers());
    if (!reachable.summary) return reachable.refusal;
    const std::string from = c.request.query("from"), to = c.request.query("to");
    if (!is_small_number(from, 6) || !is_small_number(to, 6)) {
      return error_response(400, "bad_request", "?from=N&to=M: two versions");
    }
    auto diff = (*summary_store())->diff(reachable.summary->id, std::stoi(from), std::stoi(to));
    if (!diff.is_ok()) return status_response(diff.status(), "comparing versions");
    json out = {{"from", std::stoi(from)}, {"to", std::stoi(to)}, {"diff", std::move(*diff)}};
    Response r = json_response(200, out);
    wipe(out);
    return r;
  });

  // A PDF or DOCX of a version, stored as an object derived from it (download it through
  // /objects/{id}/content). Only an approved version, unless "draft_watermark".
  route(
      "POST", "/api/v1/summaries/{id}/exports", Access{true, coding_readers()}, [this](Context& c) {
        auto in = parse_body(c.request.body, R"(send {"version": N, "format": "pdf"})",
                             {{"version", FieldType::kInteger},
                              {"format", FieldType::kText},
                              {"draft_watermark", FieldType::kFlag}});
        if (!in.is_ok()) return error_response(400, "bad_request", in.status().message());
        auto format = coding::parse_export_format(in->value("format", ""));
        if (!format) return error_response(400, "bad_request", "format must be pdf or docx");
        auto reachable = reachable_summary(*c.caller, c.request.params.at("id"), coding_readers());
        if (!reachable.summary) return reachable.refusal;
        coding::ExportOptions options;
        options.draft_watermark = in->value("draft_watermark", false);
        options.people = usernames();
        const int version = in->value("version", reachable.summary->version);
        auto exported = (*summary_store())
                            ->export_summary(reachable.summary->id, version, *format,
                                             c.caller->user.id, options);
        if (!exported.is_ok()) return status_response(exported.status(), "exporting");
        (void)hub_.audit("summary.export", reachable.summary->id,
                         {{"user_id", c.caller->user.id},
                          {"version", version},
                          {"object", exported->object_id}});
        return json_response(201, {{"object_id", exported->object_id},
                                   {"sha256", exported->sha256},
                                   {"size", exported->size},
                                   {"media_type", exported->media_type}});
      });
}

}  // namespace evhub::api
