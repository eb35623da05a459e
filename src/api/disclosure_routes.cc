// Requests for assistance and disclosure packages (docs/openapi.yaml: /requests, /packages,
// /disclosures; docs/disclosure.md): the register of requests with its deadlines view; packages
// built from objects that each pass the consent gate for the request's recipient (blocked items
// stay with their reason), redacted and the redactions reviewed, submitted, approved by someone
// who did not build them, exported as an encrypted bag and downloaded; the disclosure log and
// where a witness's material has gone. Legal officers and leads only (api/policy.h), and only
// in the request's or package's organisation: a caller who does not hold the role there gets
// 403 and nothing. The library logs every record; the routes log every step and every read.
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "api/policy.h"
#include "api/route_support.h"
#include "core/fs.h"
#include "disclosure/holders.h"
#include "disclosure/package_builder.h"
#include "disclosure/package_export.h"
#include "disclosure/source_spec.h"

namespace evhub::api {

using disclosure::Package;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxItemsPerCall = 10'000;
constexpr std::size_t kMaxBoxes = 200;

using NameOf = std::function<std::string(const std::string&)>;

NameOf name_lookup(const std::map<std::string, std::string>& names) {
  return [&names](const std::string& id) {
    auto it = names.find(id);
    return it == names.end() ? id : it->second;
  };
}

json names_of(const std::vector<std::string>& ids, const NameOf& name_of) {
  json out = json::array();
  for (const auto& id : ids) out.push_back(name_of(id));
  return out;
}

std::string organisation_name(const std::map<std::string, std::string>& organisations,
                              const std::string& id) {
  auto it = organisations.find(id);
  return it == organisations.end() ? "" : it->second;
}

json listed_request_json(const disclosure::ListedRequest& r, const NameOf& name_of,
                         const std::map<std::string, std::string>& organisations) {
  return {{"id", r.id},
          {"version", r.version},
          {"organisation", organisation_name(organisations, r.organisation_id)},
          {"requester_kind", r.requester_kind},
          {"body", r.body},
          {"reference", r.reference},
          {"received_on", r.received_on},
          {"deadline", r.deadline},
          {"status", r.status},
          {"assignees", names_of(r.assignees, name_of)},
          {"updated_at", r.updated_at}};
}

json request_json(const disclosure::Request& r, const NameOf& name_of,
                  const std::map<std::string, std::string>& organisations) {
  json periods = json::array();
  for (const auto& p : r.scope.periods) periods.push_back({{"from", p.from}, {"to", p.to}});
  json letters = json::array();
  for (const auto& c : r.correspondence) {
    letters.push_back({{"object_id", c.object_id},
                       {"direction", c.direction},
                       {"on", c.on},
                       {"label", c.label},
                       {"media_type", c.media_type},
                       {"added_by", name_of(c.added_by)},
                       {"added_at", c.added_at}});
  }
  return {
      {"id", r.id},
      {"version", r.version},
      {"organisation", organisation_name(organisations, r.organisation_id)},
      {"requester",
       {{"kind", r.requester.kind}, {"body", r.requester.body}, {"contact", r.requester.contact}}},
      {"received_on", r.received_on},
      {"reference", r.reference},
      {"legal_basis", r.legal_basis},
      {"scope",
       {{"description", r.scope.description},
        {"incidents", r.scope.incidents},
        {"persons", r.scope.persons},
        {"facilities", r.scope.facilities},
        {"places", r.scope.places},
        {"periods", std::move(periods)},
        {"violation_types", r.scope.violation_types},
        {"restricted", r.scope.restricted}}},
      {"terms",
       {{"confidential", r.terms.confidential},
        {"confidentiality", r.terms.confidentiality},
        {"onward_sharing_allowed", r.terms.onward_sharing_allowed},
        {"onward_sharing", r.terms.onward_sharing},
        {"minimise_reinterviews", r.terms.minimise_reinterviews},
        {"reinterviews", r.terms.reinterviews},
        {"agreed_on", r.terms.agreed_on}}},
      {"deadline", r.deadline},
      {"assignees", names_of(r.assignees, name_of)},
      {"status", r.status},
      {"correspondence", std::move(letters)},
      {"created_by", name_of(r.created_by)},
      {"created_at", r.created_at},
      {"updated_by", name_of(r.updated_by)},
      {"updated_at", r.updated_at}};
}

// The parts of a request a body may set (POST: all; PATCH: those it names).
Status apply_request_fields(const json& in, disclosure::Request& r) {
  using enum FieldType;
  if (in.contains("requester")) {
    const json& who = in["requester"];
    EVHUB_RETURN_IF_ERROR(
        check_fields(who, {{"kind", kText}, {"body", kText}, {"contact", kText}}));
    r.requester.kind = who.value("kind", r.requester.kind);
    r.requester.body = who.value("body", r.requester.body);
    r.requester.contact = who.value("contact", r.requester.contact);
  }
  for (auto [key, field] :
       {std::pair{"received_on", &r.received_on}, std::pair{"reference", &r.reference},
        std::pair{"legal_basis", &r.legal_basis}, std::pair{"deadline", &r.deadline},
        std::pair{"status", &r.status}}) {
    if (in.contains(key)) *field = in[key].get<std::string>();
  }
  if (in.contains("scope")) {
    const json& s = in["scope"];
    EVHUB_RETURN_IF_ERROR(check_fields(s, {{"description", kText},
                                           {"incidents", kTextList},
                                           {"persons", kTextList},
                                           {"facilities", kTextList},
                                           {"places", kTextList},
                                           {"periods", kList},
                                           {"violation_types", kTextList},
                                           {"restricted", kTextList}}));
    disclosure::RequestScope scope;
    scope.description = s.value("description", "");
    scope.incidents = s.value("incidents", std::vector<std::string>{});
    scope.persons = s.value("persons", std::vector<std::string>{});
    scope.facilities = s.value("facilities", std::vector<std::string>{});
    scope.places = s.value("places", std::vector<std::string>{});
    for (const auto& p : s.value("periods", json::array())) {
      EVHUB_RETURN_IF_ERROR(check_fields(p, {{"from", kText}, {"to", kText}}));
      scope.periods.push_back({p.value("from", ""), p.value("to", "")});
    }
    scope.violation_types = s.value("violation_types", std::vector<std::string>{});
    scope.restricted = s.value("restricted", std::vector<std::string>{});
    r.scope = std::move(scope);
  }
  if (in.contains("terms")) {
    const json& t = in["terms"];
    EVHUB_RETURN_IF_ERROR(check_fields(t, {{"confidential", kFlag},
                                           {"confidentiality", kText},
                                           {"onward_sharing_allowed", kFlag},
                                           {"onward_sharing", kText},
                                           {"minimise_reinterviews", kFlag},
                                           {"reinterviews", kText},
                                           {"agreed_on", kText}}));
    disclosure::Terms terms;
    terms.confidential = t.value("confidential", false);
    terms.confidentiality = t.value("confidentiality", "");
    terms.onward_sharing_allowed = t.value("onward_sharing_allowed", false);
    terms.onward_sharing = t.value("onward_sharing", "");
    terms.minimise_reinterviews = t.value("minimise_reinterviews", false);
    terms.reinterviews = t.value("reinterviews", "");
    terms.agreed_on = t.value("agreed_on", "");
    r.terms = std::move(terms);
  }
  return Status::ok();
}

const std::map<std::string, FieldType>& request_fields() {
  using enum FieldType;
  static const std::map<std::string, FieldType> fields = {
      {"organisation", kText}, {"requester", kObject}, {"received_on", kText},
      {"reference", kText},    {"legal_basis", kText}, {"deadline", kText},
      {"scope", kObject},      {"terms", kObject},     {"assignees", kTextList},
      {"status", kText},       {"version", kInteger}};
  return fields;
}

// Usernames as user ids; kInvalidArgument naming one that is unknown.
Result<std::vector<std::string>> user_ids(const std::vector<std::string>& usernames,
                                          const std::map<std::string, std::string>& names) {
  std::vector<std::string> ids;
  for (const auto& u : usernames) {
    auto it =
        std::find_if(names.begin(), names.end(), [&](const auto& n) { return n.second == u; });
    if (it == names.end()) {
      return Status(Code::kInvalidArgument, "there is no user " + u.substr(0, 60));
    }
    ids.push_back(it->first);
  }
  return ids;
}

std::string production_prefix(const Package& p) {
  return fmt::format("EVH-{}-{:04}", p.year, p.number);
}

json listed_package_json(const Package& p,
                         const std::map<std::string, std::string>& organisations) {
  return {{"id", p.id},
          {"version", p.version},
          {"organisation", organisation_name(organisations, p.organisation_id)},
          {"request", p.request_id},
          {"production", production_prefix(p)},
          {"state", p.state},
          {"updated_at", p.updated_at}};
}

json gate_json(const disclosure::BuiltItems& built) {
  json items = json::array();
  for (const auto& c : built.candidates) {
    items.push_back({{"object", c.item.object_id},
                     {"witness", c.item.witness},
                     {"allowed", c.item.gate.allowed},
                     {"reason", c.decision.reason},
                     {"block", disclosure::gate_block_name(c.decision.block)},
                     {"consent_version", c.item.gate.consent_version},
                     {"warnings", c.warnings}});
  }
  return items;
}

// [{object, folder?, description?}] as item specs.
Result<std::vector<disclosure::ItemSpec>> parse_items(const json& list) {
  using enum FieldType;
  if (!list.is_array() || list.size() > kMaxItemsPerCall) {
    return Status(Code::kInvalidArgument, "items: a list of {\"object\": …, \"folder\": …}");
  }
  std::vector<disclosure::ItemSpec> specs;
  for (const auto& i : list) {
    EVHUB_RETURN_IF_ERROR(
        check_fields(i, {{"object", kText}, {"folder", kText}, {"description", kText}}));
    disclosure::ItemSpec s;
    s.object_id = i.value("object", "");
    if (s.object_id.empty()) return Status(Code::kInvalidArgument, "each item names its object");
    s.folder = i.value("folder", "");
    s.description = i.value("description", "");
    specs.push_back(std::move(s));
  }
  return specs;
}

// [{page, x, y, width, height}] (fractions of the page from its top left) as boxes.
Result<std::vector<disclosure::RedactionBox>> parse_boxes(const json& list) {
  using enum FieldType;
  const char* usage =
      "boxes: a list of {\"page\": 1, \"x\": 0.1, \"y\": 0.2, \"width\": 0.3, \"height\": 0.1}, "
      "fractions of the page from its top left";
  if (!list.is_array() || list.size() > kMaxBoxes) return Status(Code::kInvalidArgument, usage);
  std::vector<disclosure::RedactionBox> boxes;
  for (const auto& b : list) {
    Status fields = check_fields(b, {{"page", kInteger},
                                     {"x", kNumber},
                                     {"y", kNumber},
                                     {"width", kNumber},
                                     {"height", kNumber}});
    if (!fields.is_ok()) return Status(Code::kInvalidArgument, fields.message() + "; " + usage);
    for (const char* key : {"page", "x", "y", "width", "height"}) {
      if (!b.contains(key)) return Status(Code::kInvalidArgument, usage);
    }
    disclosure::RedactionBox box;
    box.page = b["page"].get<int>();
    box.x = b["x"].get<double>();
    box.y = b["y"].get<double>();
    box.width = b["width"].get<double>();
    box.height = b["height"].get<double>();
    if (box.page < 1 || box.x < 0 || box.y < 0 || box.width <= 0 || box.height <= 0 ||
        box.x + box.width > 1 || box.y + box.height > 1) {
      return Status(Code::kInvalidArgument,
                    "a box must lie within its page (pages count from 1); " + std::string(usage));
    }
    boxes.push_back(box);
  }
  return boxes;
}

// Sends a delivered package file as it is read, in constant memory.
class FileBody final : public BodySource {
 public:
  FileBody(std::unique_ptr<ReadableFile> file, std::uint64_t size)
      : file_(std::move(file)), size_(size) {}
  std::uint64_t size() const override { return size_; }
  Result<std::size_t> read(std::span<std::uint8_t> out) override { return file_->read(out); }

 private:
  std::unique_ptr<ReadableFile> file_;
  std::uint64_t size_;
};

// The one .tar.age in a package's delivery directory, or "" if none.
std::string delivered_file(const std::string& dir) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file(ec) && name.ends_with(".tar.age")) return e.path().string();
  }
  return "";
}

}  // namespace

Result<disclosure::RequestRegister*> Api::request_register() {
  if (!requests_) {
    EVHUB_ASSIGN_OR_RETURN(requests_, disclosure::RequestRegister::open(hub_));
  }
  return requests_.get();
}

Result<disclosure::PackageStore*> Api::package_store() {
  if (!packages_) {
    EVHUB_ASSIGN_OR_RETURN(packages_, disclosure::PackageStore::open(hub_));
  }
  return packages_.get();
}

namespace {

// The refusal for a record (`found`) the caller cannot reach — 404 for none, 403 unless they
// hold one of `roles` in its organisation — or nullopt, with the record moved into `out`.
template <typename Record>
std::optional<Response> refusal_for(Result<std::optional<Record>> found,
                                    const Result<std::vector<accounts::Organisation>>& all,
                                    const accounts::User& user,
                                    const std::vector<accounts::Role>& roles, const char* what,
                                    std::optional<Record>& out) {
  if (!all.is_ok()) return error_response(500, "internal", std::string(what) + "s unavailable");
  if (!found.is_ok() || !*found) {
    return error_response(404, "not_found", std::string("no such ") + what);
  }
  if (!holds_role_in(user, roles, (*found)->organisation_id, *all)) {
    return error_response(403, "forbidden", "your roles do not allow this");
  }
  out = std::move(**found);
  return std::nullopt;
}

}  // namespace

// The request `id` if the caller holds one of `roles` in its organisation; 404 or 403.
Api::ReachableRequest Api::reachable_request(const accounts::Caller& caller, const std::string& id,
                                             const std::vector<accounts::Role>& roles) {
  ReachableRequest out;
  auto requests = request_register();
  if (!requests.is_ok()) {
    out.refusal = error_response(500, "internal", "requests unavailable");
    return out;
  }
  if (auto refused = refusal_for((*requests)->get(id), organisations(), caller.user, roles,
                                 "request", out.request)) {
    out.refusal = std::move(*refused);
  }
  return out;
}

Api::ReachablePackage Api::reachable_package(const accounts::Caller& caller, const std::string& id,
                                             const std::vector<accounts::Role>& roles) {
  ReachablePackage out;
  auto packages = package_store();
  if (!packages.is_ok()) {
    out.refusal = error_response(500, "internal", "packages unavailable");
    return out;
  }
  if (auto refused = refusal_for((*packages)->get(id), organisations(), caller.user, roles,
                                 "package", out.package)) {
    out.refusal = std::move(*refused);
  }
  return out;
}

std::optional<Response> Api::check_package_objects(const accounts::Caller& caller,
                                                   const std::string& organisation_id,
                                                   const json& items) {
  std::size_t n = 0;
  for (const auto& i : items) {
    ++n;
    auto readable = readable_object(caller, i.value("object", ""));
    if (!readable.object) {
      json refusal = json::parse(readable.refusal.body, nullptr, false);
      const std::string code =
          refusal.is_object() ? refusal["error"].value("code", "bad_request") : "bad_request";
      const std::string why =
          refusal.is_object() ? refusal["error"].value("message", "") : std::string("refused");
      return error_response(readable.refusal.status, code, fmt::format("item {}: {}", n, why));
    }
    if (readable.object->organisation_id != organisation_id) {
      // Material of another partner goes out only in that partner's own packages.
      return error_response(403, "forbidden",
                            fmt::format("item {}: your roles do not allow this", n));
    }
  }
  return std::nullopt;
}

Response Api::package_response(int status, const Package& p, json extra) {
  const auto names = usernames();
  const auto name_of = name_lookup(names);
  const auto orgs = organisation_names();
  json items = json::array();
  for (const auto& i : p.items) {
    items.push_back({{"object", i.object_id},
                     {"witness", i.witness},
                     {"folder", i.folder},
                     {"description", i.description},
                     {"gate",
                      {{"allowed", i.gate.allowed},
                       {"reason", i.gate.reason},
                       {"consent_version", i.gate.consent_version}}},
                     {"delivered_object", i.delivered_object_id},
                     {"redaction_reviewed_by",
                      i.redaction_reviewed_by.empty() ? "" : name_of(i.redaction_reviewed_by)}});
  }
  json out = listed_package_json(p, orgs);
  out["items"] = std::move(items);
  out["note"] = p.note;
  out["editors"] = names_of(p.editors, name_of);
  out["approved_by"] = p.approved_by.empty() ? "" : name_of(p.approved_by);
  out["updated_by"] = name_of(p.updated_by);
  out["exported_file"] = !delivered_file(join_path(hub_.layout().deliveries(), p.id)).empty();
  for (auto& [k, v] : extra.items()) out[k] = std::move(v);
  return json_response(status, out);
}

Result<json> Api::holders_json(const std::string& witness) {
  EVHUB_ASSIGN_OR_RETURN(auto* packages, package_store());
  EVHUB_ASSIGN_OR_RETURN(auto* requests, request_register());
  EVHUB_ASSIGN_OR_RETURN(auto holders, disclosure::holders_of(*packages, *requests, witness));
  json out = json::array();
  for (const auto& h : holders) {
    out.push_back(
        {{"request", h.request_id},
         {"recipient", {{"kind", h.requester_kind}, {"body", h.body}, {"reference", h.reference}}},
         {"status", h.status}});
  }
  return out;
}

void Api::add_disclosure_routes(const AddRoute& route) {
  const auto& officers = disclosure_officers();

  // --- Requests for assistance ------------------------------------------------------------

  route("GET", "/api/v1/requests", Access{true, officers}, [this](Context& c) {
    auto requests = request_register();
    auto all = organisations();
    if (!requests.is_ok() || !all.is_ok()) return error_response(500, "internal", "unavailable");
    disclosure::RequestFilter filter;
    filter.status = c.request.query("status");
    filter.requester_kind = c.request.query("kind");
    if (!filter.status.empty() && !disclosure::is_request_status(filter.status)) {
      return error_response(400, "bad_request",
                            "status must be received, scoping, collecting, legal-review, "
                            "approved, delivered or closed");
    }
    if (!filter.requester_kind.empty() && !disclosure::is_requester_kind(filter.requester_kind)) {
      return error_response(400, "bad_request", "kind: one of the requester kinds");
    }
    const auto names = usernames();
    const std::string assignee = c.request.query("assignee");
    if (!assignee.empty()) {
      auto ids = user_ids({assignee}, names);
      if (!ids.is_ok()) return error_response(400, "bad_request", ids.status().message());
      filter.assignee = ids->front();
    }
    const std::string view = c.request.query("view");
    if (!view.empty() && view != "deadlines") {
      return error_response(400, "bad_request", "view: deadlines, or leave it out");
    }
    auto within = number_in(c.request.query("within"), 14, 3650);
    if (!within) return error_response(400, "bad_request", "within: days, 0 to 3650");
    const auto orgs = organisations_where(c.caller->user, disclosure_officers(), *all);
    json list = json::array();
    if (orgs.empty()) return json_response(200, {{"requests", std::move(list)}});
    const auto name_of = name_lookup(names);
    const auto org_names = organisation_names();
    if (view == "deadlines") {
      auto due = (*requests)->deadlines(orgs, today(), *within);
      if (!due.is_ok()) return status_response(due.status(), "listing deadlines");
      for (const auto& d : *due) {
        const auto& r = d.request;
        if ((!filter.status.empty() && r.status != filter.status) ||
            (!filter.requester_kind.empty() && r.requester_kind != filter.requester_kind) ||
            (!filter.assignee.empty() && std::find(r.assignees.begin(), r.assignees.end(),
                                                   filter.assignee) == r.assignees.end())) {
          continue;
        }
        json j = listed_request_json(r, name_of, org_names);
        j["days_left"] = d.days_left;
        j["deadline_state"] = disclosure::deadline_state_name(d.state);
        list.push_back(std::move(j));
      }
    } else {
      auto listed = (*requests)->list(orgs, filter);
      if (!listed.is_ok()) return status_response(listed.status(), "listing requests");
      for (const auto& r : *listed) list.push_back(listed_request_json(r, name_of, org_names));
    }
    return json_response(200, {{"requests", std::move(list)}});
  });

  route("POST", "/api/v1/requests", Access{true, officers}, [this](Context& c) {
    auto in = parse_body(c.request.body,
                         R"(send {"organisation": …, "requester": {"kind": …, "body": …}, …})",
                         request_fields());
    if (!in.is_ok()) return error_response(400, "bad_request", in.status().message());
    if (in->contains("version") || in->contains("status")) {
      return error_response(400, "bad_request", "a new request has no version or status yet");
    }
    auto all = organisations();
    if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
    const auto orgs = organisations_where(c.caller->user, disclosure_officers(), *all);
    std::string org_id;
    const std::string org_name = in->value("organisation", "");
    if (org_name.empty()) {
      if (orgs.size() != 1) {
        return error_response(400, "bad_request", "organisation: which one answers it");
      }
      org_id = orgs.front();
    } else {
      org_id = organisation_id(org_name);
      if (org_id.empty()) return error_response(404, "not_found", "no such organisation");
      if (std::find(orgs.begin(), orgs.end(), org_id) == orgs.end()) {
        return error_response(403, "forbidden", "your roles do not allow this");
      }
    }
    disclosure::Request r;
    r.organisation_id = org_id;
    Status applied = apply_request_fields(*in, r);
    if (!applied.is_ok()) return error_response(400, "bad_request", applied.message());
    if (r.received_on.empty()) r.received_on = today();
    const auto names = usernames();
    auto assignees = user_ids(in->value("assignees", std::vector<std::string>{}), names);
    if (!assignees.is_ok()) return error_response(400, "bad_request", assignees.status().message());
    r.assignees = std::move(*assignees);
    r.updated_by = c.caller->user.id;
    auto frameworks = framework_store();
    auto framework = frameworks.is_ok() ? (*frameworks)->current()
                                        : Result<coding::Framework>(frameworks.status());
    auto requests = request_register();
    if (!framework.is_ok() || !requests.is_ok()) {
      return error_response(500, "internal", "requests unavailable");
    }
    auto added = (*requests)->add(std::move(r), *framework);
    if (!added.is_ok()) return status_response(added.status(), "registering the request");
    (void)hub_.audit("request.register", "",
                     {{"request", added->id}, {"user_id", c.caller->user.id}});
    return json_response(201, request_json(*added, name_lookup(names), organisation_names()));
  });

  route("GET", "/api/v1/requests/{id}", Access{true, officers}, [this](Context& c) {
    auto reachable = reachable_request(*c.caller, c.request.params.at("id"), disclosure_officers());
    if (!reachable.request) return reachable.refusal;
    if (!hub_.audit("request.read", "",
                    {{"request", reachable.request->id}, {"user_id", c.caller->user.id}})
             .is_ok()) {
      return error_response(503, "unavailable", "the read could not be recorded; try again");
    }
    const auto names = usernames();
    return json_response(
        200, request_json(*reachable.request, name_lookup(names), organisation_names()));
  });

  // A new version: a status the register allows next, assignees, the deadline, or any other
  // part of the request, with the version seen.
  route("PATCH", "/api/v1/requests/{id}", Access{true, officers}, [this](Context& c) {
    auto in = parse_body(c.request.body, R"(send {"version": N, "status": …})", request_fields());
    if (!in.is_ok()) return error_response(400, "bad_request", in.status().message());
    if (!in->contains("version")) {
      return error_response(400, "bad_request", "version: the version you saw");
    }
    if (in->contains("organisation")) {
      return error_response(400, "bad_request",
                            "a request stays with the organisation that registered it");
    }
    auto reachable = reachable_request(*c.caller, c.request.params.at("id"), disclosure_officers());
    if (!reachable.request) return reachable.refusal;
    disclosure::Request r = *reachable.request;
    Status applied = apply_request_fields(*in, r);
    if (!applied.is_ok()) return error_response(400, "bad_request", applied.message());
    const auto names = usernames();
    if (in->contains("assignees")) {
      auto assignees = user_ids(in->value("assignees", std::vector<std::string>{}), names);
      if (!assignees.is_ok()) {
        return error_response(400, "bad_request", assignees.status().message());
      }
      r.assignees = std::move(*assignees);
    }
    r.version = in->value("version", 0);
    r.updated_by = c.caller->user.id;
    auto frameworks = framework_store();
    auto framework = frameworks.is_ok() ? (*frameworks)->current()
                                        : Result<coding::Framework>(frameworks.status());
    if (!framework.is_ok()) return error_response(500, "internal", "the framework is unavailable");
    auto updated = (*request_register())->update(std::move(r), *framework);
    if (!updated.is_ok()) return status_response(updated.status(), "updating the request");
    (void)hub_.audit("request.update", "",
                     {{"request", updated->id},
                      {"version", updated->version},
                      {"status", updated->status},
                      {"user_id", c.caller->user.id}});
    return json_response(200, request_json(*updated, name_lookup(names), organisation_names()));
  });

  // A letter, e-mail or note exchanged with the requester: the body is the file, the query
  // says which way it went, when and what it is; stored in the request's key domain and listed
  // in a new version of the request (the version seen, as for any change).
  route("POST", "/api/v1/requests/{id}/correspondence", Access{true, officers}, [this](Context& c) {
    const std::string version = c.request.query("version");
    if (!is_small_number(version, 6)) {
      return error_response(400, "bad_request", "version: the version you saw");
    }
    if (c.request.body.empty()) {
      return error_response(400, "bad_request", "send the letter as the request's body");
    }
    auto reachable = reachable_request(*c.caller, c.request.params.at("id"), disclosure_officers());
    if (!reachable.request) return reachable.refusal;
    disclosure::Correspondence letter;
    letter.direction = c.request.query("direction");
    letter.on = c.request.query("on").empty() ? today() : c.request.query("on");
    letter.label = c.request.query("label");
    auto added = (*request_register())
                     ->add_correspondence(reachable.request->id, std::stoi(version),
                                          std::move(letter), c.request.body, c.caller->user.id);
    if (!added.is_ok()) return status_response(added.status(), "adding the letter");
    (void)hub_.audit(
        "request.correspondence", added->correspondence.back().object_id,
        {{"request", added->id}, {"version", added->version}, {"user_id", c.caller->user.id}});
    const auto names = usernames();
    return json_response(201, request_json(*added, name_lookup(names), organisation_names()));
  });

  // A letter of the request, downloaded (the read is logged before a byte leaves).
  route("GET", "/api/v1/requests/{id}/correspondence/{object}", Access{true, officers},
        [this](Context& c) {
          auto reachable =
              reachable_request(*c.caller, c.request.params.at("id"), disclosure_officers());
          if (!reachable.request) return reachable.refusal;
          const std::string object = c.request.params.at("object");
          const auto& letters = reachable.request->correspondence;
          auto letter = std::find_if(letters.begin(), letters.end(),
                                     [&](const auto& l) { return l.object_id == object; });
          if (letter == letters.end()) {
            return error_response(404, "not_found", "no such letter in this request");
          }
          auto reader = hub_.open_object(object);
          if (!reader.is_ok()) return status_response(reader.status(), "reading the letter");
          auto bytes = (*reader)->read_prefix((*reader)->size());
          if (!bytes.is_ok()) return status_response(bytes.status(), "reading the letter");
          if (!hub_.audit("get", object,
                          {{"via", "request"},
                           {"request", reachable.request->id},
                           {"user_id", c.caller->user.id}})
                   .is_ok()) {
            return error_response(503, "unavailable", "the read could not be recorded; try again");
          }
          Response r;
          r.content_type = "application/octet-stream";
          r.headers["Content-Disposition"] = "attachment; filename=\"" + object + "\"";
          r.body = std::move(*bytes);
          return r;
        });

  // --- Packages --------------------------------------------------------------------------

  route("GET", "/api/v1/packages", Access{true, officers}, [this](Context& c) {
    auto packages = package_store();
    auto all = organisations();
    if (!packages.is_ok() || !all.is_ok()) return error_response(500, "internal", "unavailable");
    const auto orgs = organisations_where(c.caller->user, disclosure_officers(), *all);
    const std::string request = c.request.query("request");
    json list = json::array();
    if (!orgs.empty()) {
      auto listed = (*packages)->list(orgs);
      if (!listed.is_ok()) return status_response(listed.status(), "listing packages");
      const auto org_names = organisation_names();
      for (const auto& p : *listed) {
        if (request.empty() || p.request_id == request) {
          list.push_back(listed_package_json(p, org_names));
        }
      }
    }
    return json_response(200, {{"packages", std::move(list)}});
  });

  // Candidate items from a source (incident:ID, witness:CODE, summary:ID, summary+refs:ID,
  // code:CODE with facility/place/from/to, search:QUERY, saved-search:N), within what the caller
  // may read in the organisations where they decide on disclosure. Only the source's kind is
  // logged: a query may hold a name.
  route("GET", "/api/v1/package-candidates", Access{true, officers}, [this](Context& c) {
    auto spec = disclosure::parse_source(c.request.query("source"));
    if (!spec.is_ok()) return error_response(400, "bad_request", spec.status().message());
    spec->passages.facility = c.request.query("facility");
    spec->passages.place = c.request.query("place");
    spec->passages.from = c.request.query("from");
    spec->passages.to = c.request.query("to");
    auto all = organisations();
    if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
    const auto orgs = organisations_where(c.caller->user, disclosure_officers(), *all);
    auto in_orgs = [&](const std::string& org) {
      return std::find(orgs.begin(), orgs.end(), org) != orgs.end();
    };
    std::vector<catalog::ReadScope> reads;
    for (auto& r : read_scopes(c.caller->user, *all)) {
      if (in_orgs(r.organisation_id)) reads.push_back(std::move(r));
    }
    disclosure::SourceStores stores;
    auto annotations = annotation_store();
    auto incidents = incident_store();
    auto summaries = summary_store();
    auto frameworks = framework_store();
    auto framework = frameworks.is_ok() ? (*frameworks)->current()
                                        : Result<coding::Framework>(frameworks.status());
    auto scopes = search_scopes(c.caller->user);
    if (!annotations.is_ok() || !incidents.is_ok() || !summaries.is_ok() || !framework.is_ok() ||
        !scopes.is_ok()) {
      return error_response(500, "internal", "the coding views cannot be opened");
    }
    stores.annotations = *annotations;
    stores.incidents = *incidents;
    stores.summaries = *summaries;
    stores.framework = &*framework;
    for (auto& s : *scopes) {
      if (in_orgs(s.organisation_id)) stores.scopes.push_back(std::move(s));
    }
    if (spec->kind == "search" || spec->kind == "saved-search") {
      auto index = search_index();
      auto saved = saved_searches();
      if (!index.is_ok()) return status_response(index.status(), "opening the search index");
      stores.index = *index;
      stores.saved = saved.is_ok() ? *saved : nullptr;
      stores.user_id = c.caller->user.id;
    }
    disclosure::PackageSources sources(hub_, *witnesses_, std::move(reads));
    auto got = disclosure::expand_source(sources, *spec, stores);
    if (!got.is_ok()) return status_response(got.status(), "reading the source");
    if (!hub_.audit("package.candidates", "",
                    {{"source", spec->kind},
                     {"items", got->items.size()},
                     {"user_id", c.caller->user.id}})
             .is_ok()) {
      return error_response(503, "unavailable", "the read could not be recorded; try again");
    }
    json items = json::array();
    for (const auto& i : got->items) {
      items.push_back(
          {{"object", i.object_id}, {"folder", i.folder}, {"description", i.description}});
    }
    return json_response(
        200, {{"items", std::move(items)}, {"withheld", got->withheld}, {"erased", got->erased}});
  });

  // A new package for a request: every item through the consent gate, blocked ones kept with
  // the reason, the witnesses whose consent should be renewed listed.
  route("POST", "/api/v1/packages", Access{true, officers}, [this](Context& c) {
    auto in = parse_body(c.request.body, R"(send {"request": "RQ-…", "items": [{"object": …}]})",
                         {{"request", FieldType::kText}, {"items", FieldType::kList}});
    if (!in.is_ok()) return error_response(400, "bad_request", in.status().message());
    auto specs = parse_items(in->value("items", json::array()));
    if (!specs.is_ok()) return error_response(400, "bad_request", specs.status().message());
    auto reachable = reachable_request(*c.caller, in->value("request", ""), disclosure_officers());
    if (!reachable.request) return reachable.refusal;
    const disclosure::Request& request = *reachable.request;
    if (auto refusal = check_package_objects(*c.caller, request.organisation_id,
                                             in->value("items", json::array()))) {
      return std::move(*refusal);
    }
    auto packages = package_store();
    if (!packages.is_ok()) return error_response(500, "internal", "packages unavailable");
    auto built = disclosure::build_package(hub_, *witnesses_, **packages, request, *specs, today(),
                                           c.caller->user.id);
    if (!built.is_ok()) return status_response(built.status(), "building the package");
    (void)hub_.audit("package.build", "",
                     {{"package", built->package.id},
                      {"request", request.id},
                      {"items", built->package.items.size()},
                      {"user_id", c.caller->user.id}});
    return package_response(201, built->package,
                            {{"gate", gate_json(built->gated)}, {"renew", built->gated.renew}});
  });

  route("GET", "/api/v1/packages/{id}", Access{true, officers}, [this](Context& c) {
    auto reachable = reachable_package(*c.caller, c.request.params.at("id"), disclosure_officers());
    if (!reachable.package) return reachable.refusal;
    if (!hub_.audit("package.read", "",
                    {{"package", reachable.package->id}, {"user_id", c.caller->user.id}})
             .is_ok()) {
      return error_response(503, "unavailable", "the read could not be recorded; try again");
    }
    return package_response(200, *reachable.package, json::object());
  });

  route("GET", "/api/v1/packages/{id}/history", Access{true, officers}, [this](Context& c) {
    auto reachable = reachable_package(*c.caller, c.request.params.at("id"), disclosure_officers());
    if (!reachable.package) return reachable.refusal;
    auto versions = (*package_store())->history(reachable.package->id);
    if (!versions.is_ok()) return status_response(versions.status(), "reading the history");
    const auto names = usernames();
    const auto name_of = name_lookup(names);
    json list = json::array();
    for (const auto& v : *versions) {
      std::size_t blocked = 0;
      for (const auto& i : v.items) blocked += !i.gate.allowed;
      list.push_back({{"version", v.version},
                      {"state", v.state},
                      {"items", v.items.size()},
                      {"blocked", blocked},
                      {"note", v.note},
                      {"updated_by", name_of(v.updated_by)},
                      {"updated_at", v.updated_at}});
    }
    return json_response(200, {{"versions", std::move(list)}});
  });

  // The items replaced, each through the gate again (draft or changes requested only).
  route("PUT", "/api/v1/packages/{id}/items", Access{true, officers}, [this](Context& c) {
    auto in = parse_body(c.request.body, R"(send {"version": N, "items": [{"object": …}]})",
                         {{"version", FieldType::kInteger}, {"items", FieldType::kList}});
    if (!in.is_ok()) return error_response(400, "bad_request", in.status().message());
    if (!in->contains("version") || !in->contains("items")) {
      return error_response(400, "bad_request", "version and items: both are needed");
    }
    auto specs = parse_items((*in)["items"]);
    if (!specs.is_ok()) return error_response(400, "bad_request", specs.status().message());
    auto reachable = reachable_package(*c.caller, c.request.params.at("id"), disclosure_officers());
    if (!reachable.package) return reachable.refusal;
    const Package& p = *reachable.package;
    auto requests = request_register();
    if (!requests.is_ok()) return error_response(500, "internal", "requests unavailable");
    auto request = (*requests)->get(p.request_id);
    if (!request.is_ok() || !*request) {
      return error_response(409, "conflict", "the package's request is gone");
    }
    if (auto refusal = check_package_objects(*c.caller, p.organisation_id, (*in)["items"])) {
      return std::move(*refusal);
    }
    auto replaced =
        disclosure::replace_items(hub_, *witnesses_, **package_store(), **request, p.id,
                                  in->value("version", 0), *specs, today(), c.caller->user.id);
    if (!replaced.is_ok()) return status_response(replaced.status(), "changing the items");
    (void)hub_.audit("package.items", "",
                     {{"package", p.id},
                      {"version", replaced->package.version},
                      {"items", replaced->package.items.size()},
                      {"user_id", c.caller->user.id}});
    return package_response(
        200, replaced->package,
        {{"gate", gate_json(replaced->gated)}, {"renew", replaced->gated.renew}});
  });

  // An item's redaction: a text pseudonymised for its witness, a PDF or image boxed.
  route("POST", "/api/v1/packages/{id}/items/{object}/redaction", Access{true, officers},
        [this](Context& c) {
          auto in = parse_body(c.request.body, R"(send {"version": N, "boxes": […]})",
                               {{"version", FieldType::kInteger}, {"boxes", FieldType::kList}});
          if (!in.is_ok()) return error_response(400, "bad_request", in.status().message());
          auto boxes = parse_boxes(in->value("boxes", json::array()));
          if (!boxes.is_ok()) return error_response(400, "bad_request", boxes.status().message());
          auto reachable =
              reachable_package(*c.caller, c.request.params.at("id"), disclosure_officers());
          if (!reachable.package) return reachable.refusal;
          const Package& p = *reachable.package;
          if (in->contains("version") && in->value("version", 0) != p.version) {
            return error_response(
                409, "conflict",
                fmt::format("package {} is at version {}; reload", p.id, p.version));
          }
          const std::string object = c.request.params.at("object");
          auto done = disclosure::redact_package_item(hub_, *witnesses_, **package_store(), p,
                                                      object, *boxes, c.caller->user.id);
          if (!done.is_ok()) return status_response(done.status(), "redacting the item");
          (void)hub_.audit("package.redact", done->redacted.object_id,
                           {{"package", p.id},
                            {"original", object},
                            {"version", done->package.version},
                            {"user_id", c.caller->user.id}});
          json log = json::array();
          for (const auto& e : done->redacted.log) {
            json entry = {{"kind", e.kind}, {"page", e.page}, {"begin", e.begin}, {"end", e.end}};
            if (e.kind == "region") {
              entry["box"] = {{"page", e.box.page},
                              {"x", e.box.x},
                              {"y", e.box.y},
                              {"width", e.box.width},
                              {"height", e.box.height}};
            }
            log.push_back(std::move(entry));
          }
          return json_response(201,
                               {{"object_id", done->redacted.object_id},
                                {"sha256", done->redacted.sha256},
                                {"log", std::move(log)},
                                {"package", {{"id", p.id}, {"version", done->package.version}}}});
        });

  // The caller has read the redacted version and confirms it.
  route("POST", "/api/v1/packages/{id}/items/{object}/review", Access{true, officers},
        [this](Context& c) {
          auto in = parse_body(c.request.body.empty() ? "{}" : c.request.body,
                               R"(send {"version": N})", {{"version", FieldType::kInteger}});
          if (!in.is_ok()) return error_response(400, "bad_request", in.status().message());
          auto reachable =
              reachable_package(*c.caller, c.request.params.at("id"), disclosure_officers());
          if (!reachable.package) return reachable.refusal;
          const Package& p = *reachable.package;
          if (in->contains("version") && in->value("version", 0) != p.version) {
            return error_response(
                409, "conflict",
                fmt::format("package {} is at version {}; reload", p.id, p.version));
          }
          const std::string object = c.request.params.at("object");
          auto reviewed =
              disclosure::review_redaction(**package_store(), p, object, c.caller->user.id);
          if (!reviewed.is_ok()) return status_response(reviewed.status(), "recording the review");
          (void)hub_.audit("package.review", "",
                           {{"package", p.id},
                            {"object", object},
                            {"version", reviewed->version},
                            {"user_id", c.caller->user.id}});
          return package_response(200, *reviewed, json::object());
        });

  // Every text of the package not yet redacted (or those named), pseudonymised in one go and
  // one new version; and every redaction not yet reviewed (or those named), confirmed at once
  // by the caller, who has read them. For packages of hundreds of statements.
  route("POST", "/api/v1/packages/{id}/redactions", Access{true, officers}, [this](Context& c) {
    auto in = parse_body(c.request.body, R"(send {"version": N[, "objects": [...]]})",
                         {{"version", FieldType::kInteger}, {"objects", FieldType::kTextList}});
    if (!in.is_ok()) return error_response(400, "bad_request", in.status().message());
    if (!in->contains("version")) {
      return error_response(400, "bad_request", "version: the version you saw");
    }
    auto reachable = reachable_package(*c.caller, c.request.params.at("id"), disclosure_officers());
    if (!reachable.package) return reachable.refusal;
    Package p = *reachable.package;
    if (in->value("version", 0) != p.version) {
      return error_response(409, "conflict",
                            fmt::format("package {} is at version {}; reload", p.id, p.version));
    }
    auto done = disclosure::redact_package_items(hub_, *witnesses_, **package_store(), p,
                                                 in->value("objects", std::vector<std::string>{}),
                                                 c.caller->user.id);
    if (!done.is_ok()) return status_response(done.status(), "redacting the items");
    (void)hub_.audit("package.redact", "",
                     {{"package", p.id},
                      {"items", done->object_ids.size()},
                      {"version", done->package.version},
                      {"user_id", c.caller->user.id}});
    return package_response(200, done->package, {{"redacted", done->object_ids}});
  });

  route("POST", "/api/v1/packages/{id}/reviews", Access{true, officers}, [this](Context& c) {
    auto in = parse_body(c.request.body, R"(send {"version": N[, "objects": [...]]})",
                         {{"version", FieldType::kInteger}, {"objects", FieldType::kTextList}});
    if (!in.is_ok()) return error_response(400, "bad_request", in.status().message());
    if (!in->contains("version")) {
      return error_response(400, "bad_request", "version: the version you saw");
    }
    auto reachable = reachable_package(*c.caller, c.request.params.at("id"), disclosure_officers());
    if (!reachable.package) return reachable.refusal;
    const Package& p = *reachable.package;
    if (in->value("version", 0) != p.version) {
      return error_response(409, "conflict",
                            fmt::format("package {} is at version {}; reload", p.id, p.version));
    }
    auto reviewed = disclosure::review_redactions(
        **package_store(), p, in->value("objects", std::vector<std::string>{}), c.caller->user.id);
    if (!reviewed.is_ok()) return status_response(reviewed.status(), "recording the reviews");
    (void)hub_.audit(
        "package.review", "",
        {{"package", p.id}, {"version", reviewed->version}, {"user_id", c.caller->user.id}});
    return package_response(200, *reviewed, json::object());
  });

  // submit, changes (request changes, with a note), approve: a step of the workflow.
  for (const char* step : {"submit", "changes", "approve"}) {
    const std::string path = std::string("/api/v1/packages/{id}/") + step;
    const std::string action = step;
    route("POST", path.c_str(), Access{true, officers}, [this, action](Context& c) {
      std::map<std::string, FieldType> fields = {{"version", FieldType::kInteger}};
      if (action == "changes") fields["note"] = FieldType::kText;
      auto in = parse_body(c.request.body,
                           action == "changes" ? R"(send {"version": N, "note": "what to change"})"
                                               : R"(send {"version": N})",
                           fields);
      if (!in.is_ok()) return error_response(400, "bad_request", in.status().message());
      if (!in->contains("version")) {
        return error_response(400, "bad_request", "version: the version you saw");
      }
      auto reachable =
          reachable_package(*c.caller, c.request.params.at("id"), disclosure_officers());
      if (!reachable.package) return reachable.refusal;
      auto* store = *package_store();
      const std::string& id = reachable.package->id;
      const int version = in->value("version", 0);
      const std::string& by = c.caller->user.id;
      Result<Package> done = action == "submit" ? store->submit(id, version, by)
                             : action == "changes"
                                 ? store->request_changes(id, version, by, in->value("note", ""))
                                 : store->approve(id, version, by);
      if (!done.is_ok()) return status_response(done.status(), "changing the package");
      const std::string event =
          action == "changes" ? "package.request-changes" : "package." + action;
      (void)hub_.audit(event, "", {{"package", id}, {"version", done->version}, {"user_id", by}});
      return package_response(200, *done, json::object());
    });
  }

  // The approved package exported as a bag, signed and encrypted to the recipient's age keys,
  // into the hub's deliveries/<package>/ (the export is logged by the library, naming the
  // caller); GET on the same path downloads it.
  route("POST", "/api/v1/packages/{id}/export", Access{true, officers}, [this](Context& c) {
    auto in = parse_body(c.request.body, R"(send {"version": N, "recipients": ["age1…"]})",
                         {{"version", FieldType::kInteger},
                          {"recipients", FieldType::kTextList},
                          {"prefix", FieldType::kText}});
    if (!in.is_ok()) return error_response(400, "bad_request", in.status().message());
    if (!in->contains("version") || in->value("recipients", std::vector<std::string>{}).empty()) {
      return error_response(400, "bad_request",
                            "version and recipients (the recipient's age public keys) are needed");
    }
    auto reachable = reachable_package(*c.caller, c.request.params.at("id"), disclosure_officers());
    if (!reachable.package) return reachable.refusal;
    const Package& p = *reachable.package;
    auto requests = request_register();
    if (!requests.is_ok()) return error_response(500, "internal", "requests unavailable");
    auto request = (*requests)->get(p.request_id);
    if (!request.is_ok() || !*request) {
      return error_response(409, "conflict", "the package's request is gone");
    }
    disclosure::ExportOptions options;
    options.age_recipients = in->value("recipients", std::vector<std::string>{});
    options.prefix = in->value("prefix", std::string("EVH"));
    options.request_reference =
        (*request)->reference.empty() ? (*request)->id : (*request)->reference;
    options.source_organization = organisation_name(organisation_names(), p.organisation_id);
    const std::string deliveries = hub_.layout().deliveries();
    options.out_dir = join_path(deliveries, p.id);
    for (const auto& dir : {deliveries, options.out_dir}) {
      if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        return error_response(500, "internal", "the deliveries directory cannot be made");
      }
    }
    if (!delivered_file(options.out_dir).empty()) {
      return error_response(409, "conflict", "the package has been exported already");
    }
    auto exported =
        disclosure::export_package(hub_, **package_store(), *witnesses_, **request, p.id,
                                   in->value("version", 0), c.caller->user.id, options);
    if (!exported.is_ok()) return status_response(exported.status(), "exporting the package");
    std::error_code ec;
    const auto size = std::filesystem::file_size(exported->path, ec);
    return json_response(201, {{"bag", exported->bag_name},
                               {"file", exported->bag_name + ".tar.age"},
                               {"size", ec ? 0 : size},
                               {"files", exported->files},
                               {"payload_oxum", exported->payload_oxum},
                               {"export_event", exported->export_event},
                               {"package",
                                {{"id", exported->package.id},
                                 {"version", exported->package.version},
                                 {"state", exported->package.state}}}});
  });

  route("GET", "/api/v1/packages/{id}/export", Access{true, officers}, [this](Context& c) {
    auto reachable = reachable_package(*c.caller, c.request.params.at("id"), disclosure_officers());
    if (!reachable.package) return reachable.refusal;
    const Package& p = *reachable.package;
    const std::string path = delivered_file(join_path(hub_.layout().deliveries(), p.id));
    if (path.empty()) return error_response(404, "not_found", "the package has not been exported");
    auto file = local_fs().open_read(path);
    if (!file.is_ok()) return error_response(500, "internal", "the package file cannot be read");
    auto size = (*file)->size();
    if (!size.is_ok()) return error_response(500, "internal", "the package file cannot be read");
    const std::string name = std::filesystem::path(path).filename().string();
    // The download is in the custody log before a byte leaves.
    if (!hub_.audit("package.download", "",
                    {{"package", p.id}, {"file", name}, {"user_id", c.caller->user.id}})
             .is_ok()) {
      return error_response(503, "unavailable", "the read could not be recorded; try again");
    }
    Response r;
    r.content_type = "application/octet-stream";
    r.headers["Content-Disposition"] = "attachment; filename=\"" + name + "\"";
    r.stream = std::make_shared<FileBody>(std::move(*file), *size);
    return r;
  });

  // --- The disclosure log ----------------------------------------------------------------

  route("GET", "/api/v1/disclosures", Access{true, disclosure_log_readers()}, [this](Context& c) {
    auto packages = package_store();
    auto requests = request_register();
    auto all = organisations();
    if (!packages.is_ok() || !requests.is_ok() || !all.is_ok()) {
      return error_response(500, "internal", "unavailable");
    }
    const auto orgs = organisations_where(c.caller->user, disclosure_log_readers(), *all);
    const std::string witness = c.request.query("witness");
    const std::string request = c.request.query("request");
    auto log = (*packages)->disclosures(orgs);
    if (!log.is_ok()) return status_response(log.status(), "reading the disclosure log");
    std::map<std::string, disclosure::ListedRequest> by_id;
    if (!orgs.empty()) {
      auto listed = (*requests)->list(orgs, {});
      if (!listed.is_ok()) return status_response(listed.status(), "reading the requests");
      for (auto& r : *listed) by_id[r.id] = std::move(r);
    }
    const auto org_names = organisation_names();
    json list = json::array();
    for (const auto& d : *log) {
      if ((!witness.empty() && d.witness != witness) ||
          (!request.empty() && d.request_id != request)) {
        continue;
      }
      const auto r = by_id.find(d.request_id);
      list.push_back({{"package", d.package_id},
                      {"request", d.request_id},
                      {"recipient",
                       {{"kind", r == by_id.end() ? "" : r->second.requester_kind},
                        {"body", r == by_id.end() ? "" : r->second.body},
                        {"reference", r == by_id.end() ? "" : r->second.reference}}},
                      {"organisation", organisation_name(org_names, d.organisation_id)},
                      {"object", d.object_id},
                      {"witness", d.witness},
                      {"consent_version", d.consent_version},
                      {"exported_at", d.exported_at}});
    }
    if (!hub_.audit("disclosures.read", "",
                    {{"user_id", c.caller->user.id}, {"entries", list.size()}})
             .is_ok()) {
      return error_response(503, "unavailable", "the read could not be recorded; try again");
    }
    return json_response(200, {{"disclosures", std::move(list)}});
  });

  // Where a witness's material has gone, and who holds it now: the recipients to notify when
  // the witness withdraws consent.
  route("GET", "/api/v1/witnesses/{code}/disclosures", Access{true, disclosure_log_readers()},
        [this](Context& c) {
          auto reachable =
              reachable_witness(*c.caller, c.request.params.at("code"), disclosure_log_readers());
          if (!reachable.witness) return reachable.refusal;
          const std::string& code = reachable.witness->code;
          auto packages = package_store();
          auto requests = request_register();
          if (!packages.is_ok() || !requests.is_ok()) {
            return error_response(500, "internal", "unavailable");
          }
          auto gone = (*packages)->disclosures_of(code);
          auto held = holders_json(code);
          if (!gone.is_ok()) return status_response(gone.status(), "reading the disclosures");
          if (!held.is_ok()) return status_response(held.status(), "reading the holders");
          auto listed = (*requests)->list({}, {});
          if (!listed.is_ok()) return status_response(listed.status(), "reading the requests");
          std::map<std::string, disclosure::ListedRequest> by_id;
          for (auto& r : *listed) by_id[r.id] = std::move(r);
          auto recipient = [&](const std::string& id) {
            const auto r = by_id.find(id);
            if (r == by_id.end()) return json{{"kind", ""}, {"body", ""}, {"reference", ""}};
            return json{{"kind", r->second.requester_kind},
                        {"body", r->second.body},
                        {"reference", r->second.reference}};
          };
          json list = json::array();
          for (const auto& d : *gone) {
            list.push_back({{"package", d.package_id},
                            {"request", d.request_id},
                            {"recipient", recipient(d.request_id)},
                            {"object", d.object_id},
                            {"consent_version", d.consent_version},
                            {"exported_at", d.exported_at}});
          }
          if (!hub_.audit("witness.disclosures.read", "",
                          {{"witness", code}, {"user_id", c.caller->user.id}})
                   .is_ok()) {
            return error_response(503, "unavailable", "the read could not be recorded; try again");
          }
          return json_response(
              200,
              {{"witness", code}, {"disclosures", std::move(list)}, {"holders", std::move(*held)}});
        });
}

}  // namespace evhub::api
