#include "api/routes.h"

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "api/policy.h"
#include "api/qr_code.h"
#include "api/route_support.h"
#include "coding/passage_index.h"
#include "collection/consent.h"
#include "collection/indexing.h"
#include "collection/processing.h"
#include "collection/records_json.h"
#include "core/clock.h"
#include "crypto/crypto.h"
#include "crypto/password.h"

#include <fmt/format.h>
#include <tuple>

namespace evhub::api {

using accounts::Role;
using collection::Consent;
using collection::Witness;
using nlohmann::json;

namespace {

constexpr const char* kCookie = "evhub_session";

Response no_content() {
  Response r;
  r.status = 204;
  r.content_type = "application/json";
  return r;
}

const Access kPublic{false, {}, true};
const Access kSignIn{false, {}, false};
const Access kAnySignedIn{true, {}, true};
const Access kSignOut{true, {}, true, false};

bool has_any_role(const accounts::User& u, const std::vector<Role>& roles) {
  if (roles.empty()) return true;
  return std::any_of(u.grants.begin(), u.grants.end(), [&](const accounts::Grant& g) {
    return std::find(roles.begin(), roles.end(), g.role) != roles.end();
  });
}

std::string cookie_token(const Request& req) {
  std::string_view cookies = req.header("cookie");
  const std::string key = std::string(kCookie) + "=";
  while (!cookies.empty()) {
    auto semi = cookies.find(';');
    std::string_view part = cookies.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.substr(0, key.size()) == key) return std::string(part.substr(key.size()));
    if (semi == std::string_view::npos) break;
    cookies.remove_prefix(semi + 1);
  }
  return "";
}

bool changes_state(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

json user_json(const accounts::User& u, bool totp) {
  json grants = json::array();
  for (const auto& g : u.grants) {
    grants.push_back({{"organisation", g.organisation}, {"role", accounts::role_name(g.role)}});
  }
  return {{"username", u.username},
          {"organisation", u.organisation},
          {"roles", grants},
          {"disabled", u.disabled},
          {"totp", totp}};
}

// The body as a JSON object whose `fields` are strings, or nullopt.
std::optional<json> json_object_with(const std::string& body,
                                     std::initializer_list<const char*> fields) {
  json in = json::parse(body, nullptr, false);
  if (in.is_discarded() || !in.is_object()) return std::nullopt;
  for (const char* f : fields) {
    if (!in.contains(f) || !in[f].is_string()) return std::nullopt;
  }
  return in;
}

void append_json_string(const std::string& s, std::string& out) {
  out += json(s).dump(-1, ' ', false, json::error_handler_t::replace);
}

// {"created_at":…,"domain":…,"id":…,"media_type":…,"sensitivity":…,"sha256":…,"size":…}
void append_object_json(const hub::ListedObject& l, std::string& out) {
  // (written by hand: the objects list is the hottest route)
  out += R"({"created_at":)";
  append_json_string(l.record.created_at, out);
  out += R"(,"domain":)";
  append_json_string(l.domain, out);
  out += R"(,"id":")" + l.record.id + R"(","media_type":)";
  append_json_string(l.record.media_type, out);
  out += R"(,"sensitivity":")" + l.record.sensitivity;
  out += R"(","sha256":")" + l.record.sha256 + R"(","size":)" + std::to_string(l.record.size) + "}";
}

const std::vector<Role> kAuditReaders = {Role::kAdministrator, Role::kAuditor};

// An event for the audit view. The log names people by id only; `user` is the username of the
// signed-in person who acted, looked up now for those allowed to read the trail, or null (the
// CLI and the system act as the OS user in `actor`). The acting person is details.by where
// present; in account changes (user.*, token.*) details.user_id is the account changed, in every
// other event the person acting.
json event_json(const custody::Event& e, const std::map<std::string, std::string>& usernames) {
  json user = nullptr;
  const bool account_change = e.action.rfind("user.", 0) == 0 || e.action.rfind("token.", 0) == 0;
  const char* key = e.details.contains("by") ? "by" : account_change ? nullptr : "user_id";
  if (key && e.details.is_object() && e.details.contains(key) && e.details[key].is_string()) {
    auto it = usernames.find(e.details[key].get<std::string>());
    if (it != usernames.end()) user = it->second;
  }
  return {{"seq", e.seq},       {"time", e.time},     {"actor", e.actor},     {"action", e.action},
          {"object", e.object}, {"sha256", e.sha256}, {"details", e.details}, {"user", user}};
}

// Serves an object's plaintext while decrypting it, from `first` to `last` inclusive.
class ObjectBody final : public BodySource {
 public:
  ObjectBody(std::unique_ptr<vault::ObjectReader> reader, std::uint64_t first, std::uint64_t last)
      : reader_(std::move(reader)), next_(first), end_(last + 1), size_(last + 1 - first) {}
  std::uint64_t size() const override { return size_; }
  Result<std::size_t> read(std::span<std::uint8_t> out) override {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), end_ - next_));
    EVHUB_ASSIGN_OR_RETURN(std::size_t n, reader_->read(next_, out.first(want)));
    next_ += n;
    return n;
  }

 private:
  std::unique_ptr<vault::ObjectReader> reader_;
  std::uint64_t next_;
  std::uint64_t end_;
  std::uint64_t size_;
};

// --- The witness register ------------------------------------------------------------------

json consent_summary(const std::optional<Consent>& newest, const std::string& today) {
  json j = {{"state", collection::consent_state(newest, today)}};
  if (newest) {
    j["version"] = newest->version;
    j["given_on"] = newest->given_on;
    j["renew_by"] = newest->renew_by;
    j["withdrawn_on"] = newest->withdrawn_on;
    j["scopes"] = newest->scopes;
  }
  return j;
}

// One consent version. The conditions are the witness's own words and may identify them: only
// for the roles policy.h names.
json consent_version_json(const Consent& c, bool with_conditions) {
  json j = {{"version", c.version},
            {"given_on", c.given_on},
            {"taken_by", c.taken_by},
            {"scopes", c.scopes},
            {"renew_by", c.renew_by},
            {"withdrawn_on", c.withdrawn_on},
            {"has_form", !c.form_object.empty()}};
  if (with_conditions) j["conditions"] = c.conditions;
  return j;
}

// A register entry: the pseudonymous profile and the consent summary, or for an erased witness
// the tombstone alone. `erased_by` names the person when the API did the erasing.
json witness_json(const Witness& w, const std::string& organisation, const std::string& erased_by,
                  const std::string& today) {
  json j = collection::witness_json(w);
  j["organisation"] = organisation;
  if (w.erased) {
    if (!erased_by.empty()) j["erased_by"] = erased_by;
    return j;
  }
  j["consent"] = consent_summary(w.consent, today);
  return j;
}

// POST /witnesses. The personal details are moved out of the parsed body, so that the copies
// this process makes are the ones it wipes (the request body itself belongs to the server).
struct NewWitness {
  std::string code;
  std::string organisation;
  collection::WitnessProfile profile;
  std::optional<collection::PersonalDetails> personal;
  NewWitness() = default;
  NewWitness(NewWitness&&) = default;
  NewWitness& operator=(NewWitness&&) = default;
  ~NewWitness() {
    if (personal) wipe(*personal);
  }
};

constexpr std::size_t kMaxPersonalField = 10000;

Result<NewWitness> parse_new_witness(const std::string& body) {
  using enum FieldType;
  EVHUB_ASSIGN_OR_RETURN(json in,
                         parse_body(body, R"(send {"code": "W-00123", "gender": …} as JSON)",
                                    {{"code", kText},
                                     {"organisation", kText},
                                     {"gender", kText},
                                     {"age_band", kText},
                                     {"country", kText},
                                     {"languages", kTextList},
                                     {"vulnerabilities", kTextList},
                                     {"do_not_contact", kFlag},
                                     {"personal", kObject}}));
  if (!in.contains("code")) {
    return Status(Code::kInvalidArgument, "give the witness's code, e.g. W-00123 (never a name)");
  }
  NewWitness w;
  w.code = in["code"];
  w.organisation = in.value("organisation", "");
  w.profile.gender = in.value("gender", w.profile.gender);
  w.profile.age_band = in.value("age_band", w.profile.age_band);
  w.profile.country = in.value("country", "");
  w.profile.languages = in.value("languages", std::vector<std::string>{});
  w.profile.vulnerabilities = in.value("vulnerabilities", std::vector<std::string>{});
  w.profile.do_not_contact = in.value("do_not_contact", false);
  if (!in.contains("personal")) return w;
  json& p = in["personal"];
  Status fields = check_fields(p, {{"name", kText},
                                   {"contacts", kText},
                                   {"date_of_birth", kText},
                                   {"address", kText},
                                   {"notes", kText}});
  collection::PersonalDetails d;
  for (auto [key, field] : {std::pair{"name", &d.name}, std::pair{"contacts", &d.contacts},
                            std::pair{"date_of_birth", &d.date_of_birth},
                            std::pair{"address", &d.address}, std::pair{"notes", &d.notes}}) {
    if (fields.is_ok() && p.contains(key)) *field = std::move(p[key].get_ref<std::string&>());
    if (field->size() > kMaxPersonalField) {
      fields = Status(Code::kInvalidArgument,
                      fmt::format("personal.{} is longer than {} bytes", key, kMaxPersonalField));
    }
  }
  const bool any = !(d.name.empty() && d.contacts.empty() && d.date_of_birth.empty() &&
                     d.address.empty() && d.notes.empty());
  if (!fields.is_ok() || !any) {
    wipe(d);
    if (!fields.is_ok()) return fields;
    return w;  // an empty section of the form: no personal details
  }
  w.personal = std::move(d);
  return w;
}

// POST /witnesses/{code}/consents.
Result<Consent> parse_consent(const std::string& body) {
  using enum FieldType;
  EVHUB_ASSIGN_OR_RETURN(
      json in,
      parse_body(body, R"(send {"given_on": "YYYY-MM-DD", "taken_by": …, "scopes": [ … ]} as JSON)",
                 {{"given_on", kText},
                  {"taken_by", kText},
                  {"scopes", kTextList},
                  {"conditions", kText},
                  {"renew_by", kText},
                  {"withdrawn_on", kText}}));
  Consent c;
  c.given_on = in.value("given_on", "");
  c.taken_by = in.value("taken_by", "");
  c.scopes = in.value("scopes", std::vector<std::string>{});
  c.conditions = in.value("conditions", "");
  c.renew_by = in.value("renew_by", "");
  c.withdrawn_on = in.value("withdrawn_on", "");
  if (c.conditions.size() > kMaxPersonalField) {
    return Status(Code::kInvalidArgument,
                  fmt::format("conditions are longer than {} bytes", kMaxPersonalField));
  }
  return c;
}

// ?purpose=&recipient=&today= of a consent decision.
struct ConsentQuestion {
  collection::Purpose purpose;
  collection::Recipient recipient;
  std::string today;  // empty: today
};

Result<ConsentQuestion> consent_question(const Request& req) {
  auto purpose = collection::parse_purpose(req.query("purpose"));
  if (!purpose) {
    return Status(Code::kInvalidArgument,
                  "purpose must be internal-analysis, sharing, recontact or identity-disclosure");
  }
  auto recipient = collection::parse_recipient(req.query("recipient"));
  if (!recipient) {
    return Status(Code::kInvalidArgument,
                  "recipient must be un, icc, national-prosecutor, lawyer, ngo, osce or none");
  }
  const std::string today = req.query("today");
  if (!today.empty() && !collection::is_date(today)) {
    return Status(Code::kInvalidArgument, "today must be a date, YYYY-MM-DD");
  }
  return ConsentQuestion{*purpose, *recipient, today};
}

}  // namespace

Api::Api(hub::Hub& hub, std::unique_ptr<accounts::Accounts> accounts,
         std::unique_ptr<collection::Collection> witnesses, std::unique_ptr<jobs::JobQueue> jobs,
         ApiOptions options)
    : hub_(hub),
      accounts_(std::move(accounts)),
      witnesses_(std::move(witnesses)),
      options_(std::move(options)),
      sealing_key_(hub.derive_key("evhub accounts sealing v1")),
      jobs_(std::move(jobs)) {
  if (!options_.clock) options_.clock = [] { return now_millis(); };
}

void Api::start_processing(int threads) {
  if (workers_) return;
  translator_ = translate::apertium_translator();
  jobs::WorkerOptions options;
  options.threads = threads;
  options.name = "evhub-serve";
  // Changes that no processing job follows (a document described, an interview's transcript
  // linked, a witness erased) reach the index through a catch-up queued when the log has grown.
  options.on_idle = [this] {
    std::lock_guard lock(hub_mu_);
    const std::int64_t events = hub_.event_count();
    if (index_requested_at_ < 0) index_requested_at_ = 0;
    if (events <= index_requested_at_) return;
    // Reads and sign-ins are logged too; only stored or erased material concerns the index.
    auto added =
        hub_.events_from(index_requested_at_, static_cast<int>(events - index_requested_at_));
    if (!added.is_ok()) return;
    index_requested_at_ = events;
    for (const auto& e : *added) {
      if (e.action == "put" || e.action == "shred") {
        (void)collection::enqueue_indexing(*jobs_, "log@" + std::to_string(events),
                                           options_.clock());
        return;
      }
    }
  };
  workers_ = std::make_unique<jobs::WorkerPool>(
      *jobs_, collection::processing_handlers(hub_, hub_mu_, *jobs_, *translator_), options);
  workers_->start();
}

Result<accounts::Caller> Api::resume(const std::string& token, bool api_token) {
  // A session checked less than kCacheMs ago is trusted again without SQLite: three queries
  // per request were most of an API call's cost. A sign-out through the API takes effect at
  // once; a change made elsewhere (evhub user disable, a password change) within kCacheMs.
  const std::int64_t now = options_.clock();
  const std::string key = to_hex(crypto::sha256(as_bytes(token)));
  std::lock_guard lock(accounts_mu_);
  if (auto it = session_cache_.find(key); it != session_cache_.end() && it->second.until > now) {
    return it->second.caller;
  }
  auto caller =
      api_token ? accounts_->resume_token(token) : accounts_->resume(token, now, options_.policy);
  if (!caller.is_ok()) {
    session_cache_.erase(key);
    return caller;
  }
  if (session_cache_.size() > 10000) session_cache_.clear();
  session_cache_[key] = CachedCaller{*caller, now + kCacheMs};
  return caller;
}

void Api::forget(const std::string& token) {
  std::lock_guard lock(accounts_mu_);
  session_cache_.erase(to_hex(crypto::sha256(as_bytes(token))));
}

Result<std::vector<accounts::Organisation>> Api::organisations() {
  const std::int64_t now = options_.clock();
  std::lock_guard lock(accounts_mu_);
  if (organisations_until_ > now) return organisations_;
  EVHUB_ASSIGN_OR_RETURN(organisations_, accounts_->organisations());
  organisations_until_ = now + kCacheMs;
  return organisations_;
}

bool Api::totp_enabled(const std::string& username) {
  auto on = accounts()->totp_enabled(username);
  return on.is_ok() && *on;
}

// An object the caller may read: it exists, is not erased, and its domain belongs to an
// organisation where the caller holds an evidence role. Unknown ids and other organisations'
// ids are told apart (404/403) only after the id's shape is checked.
Api::Readable Api::readable_object(const accounts::Caller& caller, const std::string& id) {
  Readable out;
  if (!is_object_id(id)) {
    out.refusal = error_response(404, "not_found", "no such object");
    return out;
  }
  auto described = hub_.describe(id);
  // Records of the domain modules (a witness's profile or consent) are served by their own
  // routes under their own rules, never as evidence.
  if (!described.is_ok() || described->record.record) {
    out.refusal = error_response(404, "not_found", "no such object");
    return out;
  }
  auto all = organisations();
  if (!all.is_ok()) {
    out.refusal = error_response(500, "internal", "could not read organisations");
    return out;
  }
  if (!may_read(read_scopes(caller.user, *all), described->organisation_id,
                described->record.sensitivity)) {
    out.refusal = error_response(403, "forbidden", "your roles do not allow this");
    return out;
  }
  if (described->erased) {
    out.refusal = error_response(410, "erased", "this object was crypto-shredded");
    return out;
  }
  out.object = std::move(described).value();
  return out;
}

std::map<std::string, std::string> Api::usernames() {
  std::map<std::string, std::string> names;
  auto users = accounts()->users();
  if (users.is_ok()) {
    for (const auto& u : *users) names[u.id] = u.username;
  }
  return names;
}

std::string Api::organisation_id(const std::string& name) {
  auto all = organisations();
  if (all.is_ok()) {
    for (const auto& o : *all) {
      if (o.name == name) return o.id;
    }
  }
  return "";
}

Response Api::user_response(int status, const std::string& username) {
  auto user = accounts()->find_user(username);
  if (!user.is_ok() || !*user) return error_response(500, "internal", "could not read the user");
  return json_response(status, user_json(**user, totp_enabled(username)));
}

void Api::forget_sessions() {
  std::lock_guard lock(accounts_mu_);
  session_cache_.clear();
}

Response Api::change_grant(const accounts::User& by, const std::string& username,
                           const std::string& body, std::string organisation, std::string role,
                           bool grant) {
  if (grant) {
    auto in = json_object_with(body, {"organisation", "role"});
    if (!in) return error_response(400, "bad_request", R"(send {"organisation": …, "role": …})");
    organisation = (*in)["organisation"];
    role = (*in)["role"];
  }
  auto parsed = accounts::parse_role(role);
  if (!parsed) return error_response(400, "bad_request", "unknown role " + role);
  if (!grant && username == by.username && *parsed == Role::kAdministrator) {
    return error_response(409, "conflict", "you cannot take away your own administrator role");
  }
  auto user = accounts()->find_user(username);
  if (!user.is_ok()) return status_response(user.status(), "reading the user");
  if (!*user) return error_response(404, "not_found", "no such user");
  Status st = grant ? accounts()->grant(username, organisation, *parsed, by.username)
                    : accounts()->revoke(username, organisation, *parsed);
  if (!st.is_ok()) return status_response(st, grant ? "granting the role" : "revoking the role");
  forget_sessions();  // the new roles count from the next request
  (void)hub_.audit(grant ? "user.grant" : "user.revoke", "",
                   {{"user_id", (*user)->id},
                    {"by", by.id},
                    {"organisation_id", organisation_id(organisation)},
                    {"role", accounts::role_name(*parsed)}});
  return user_response(200, username);
}

std::string Api::today() const {
  return format_rfc3339(options_.clock()).substr(0, 10);
}

std::map<std::string, std::string> Api::organisation_names() {
  std::map<std::string, std::string> names;
  auto all = organisations();
  if (all.is_ok()) {
    for (const auto& o : *all) names[o.id] = o.name;
  }
  return names;
}

// A witness the caller may act on: the code is well formed and registered, and the caller holds
// one of `roles` in the witness's organisation. Unknown codes and other organisations' codes are
// told apart (404/403), as for objects; a refusal carries the error alone.
Api::Reachable Api::reachable_witness(const accounts::Caller& caller, const std::string& code,
                                      const std::vector<Role>& roles) {
  Reachable out;
  if (!collection::check_witness_code(code).is_ok()) {
    out.refusal = error_response(404, "not_found", "no such witness");
    return out;
  }
  auto w = witnesses_->witness(code);
  if (!w.is_ok()) {
    out.refusal = error_response(500, "internal", "could not read the witness register");
    return out;
  }
  if (!*w) {
    out.refusal = error_response(404, "not_found", "no such witness");
    return out;
  }
  auto all = organisations();
  if (!all.is_ok()) {
    out.refusal = error_response(500, "internal", "could not read organisations");
    return out;
  }
  if (!holds_role_in(caller.user, roles, (*w)->organisation_id, *all)) {
    out.refusal = error_response(403, "forbidden", "your roles do not allow this");
    return out;
  }
  out.witness = std::move(**w);
  return out;
}

// The shred that erases a witness names the account the server runs as (the hub's actor), not
// the person; the witness.erase event the API writes beside it does. Newest first, so a code
// (never reused) maps to the one erasure there can be.
std::map<std::string, std::string> Api::erasers() {
  std::map<std::string, std::string> by;
  auto events = hub_.events(-1, "witness.erase", 1 << 20);
  if (!events.is_ok()) return by;
  const auto names = usernames();
  for (const auto& e : *events) {
    if (!e.details.is_object()) continue;
    auto it = names.find(e.details.value("user_id", ""));
    const std::string code = e.details.value("witness", "");
    if (it != names.end() && !code.empty()) by.emplace(code, it->second);
  }
  return by;
}

Response Api::witness_page(int status, const accounts::User& user, const Witness& w) {
  auto all = organisations();
  if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
  const auto names = organisation_names();
  auto org = names.find(w.organisation_id);
  std::string erased_by;
  if (w.erased) {
    const auto by = erasers();
    if (auto it = by.find(w.code); it != by.end()) erased_by = it->second;
  }
  json out = witness_json(w, org == names.end() ? "" : org->second, erased_by, today());
  auto may = [&](const std::vector<Role>& roles) {
    return !w.erased && holds_role_in(user, roles, w.organisation_id, *all);
  };
  const bool conditions = may(consent_condition_readers());
  json versions = json::array();
  if (!w.erased && w.consent_versions > 0) {
    // (The register decrypts every version's conditions; those who may not read them get the
    // versions without.)
    auto history = witnesses_->consents(w.code);
    if (!history.is_ok()) return status_response(history.status(), "reading the consent history");
    for (auto& c : *history) {
      versions.push_back(consent_version_json(c, conditions));
      wipe(c.conditions);
    }
  }
  out["consents"] = std::move(versions);
  out["permissions"] = {{"view_personal", may(personal_detail_readers())},
                        {"add_consent", may(witness_writers())},
                        {"check_consent", may(consent_checkers())},
                        {"read_conditions", conditions},
                        {"erase", may(witness_erasers())},
                        {"record", may(witness_writers())},
                        {"contacts", may(contact_log_keepers())}};
  return json_response(status, out);
}

Result<std::unique_ptr<Api>> Api::open(hub::Hub& hub, ApiOptions options) {
  // Coded passages go into the index the server's jobs keep up to date.
  coding::index_coded_passages();
  EVHUB_ASSIGN_OR_RETURN(auto accounts, accounts::Accounts::open(hub.layout().accounts()));
  EVHUB_ASSIGN_OR_RETURN(auto witnesses, collection::Collection::open(hub));
  EVHUB_ASSIGN_OR_RETURN(auto jobs, jobs::JobQueue::open(hub.layout().jobs()));
  return std::unique_ptr<Api>(
      new Api(hub, std::move(accounts), std::move(witnesses), std::move(jobs), std::move(options)));
}

void Api::add_routes(Router& router) {
  // Every route passes through here: the session is resumed, the CSRF token checked on every
  // change, and the caller's roles checked, before the handler sees the request. A refusal
  // carries no data beyond the error.
  auto admit = [this](const Request& req, const Access& access,
                      std::optional<accounts::Caller>& caller) -> std::optional<Response> {
    if (!access.signed_in) return std::nullopt;
    // A script sends an API token (Authorization: Bearer); a browser sends the session
    // cookie, which it would send on a forged cross-site request too — hence CSRF tokens
    // for cookies only.
    const std::string& authorization = req.header("authorization");
    const bool bearer = authorization.rfind("Bearer ", 0) == 0;
    auto resumed =
        bearer ? resume(authorization.substr(7), true) : resume(cookie_token(req), false);
    if (!resumed.is_ok()) return error_response(401, "unauthenticated", "sign in first");
    caller = std::move(resumed).value();
    if (!bearer && access.needs_csrf && changes_state(req.method) &&
        !accounts::Accounts::csrf_matches(*caller, req.header("x-csrf-token"))) {
      return error_response(403, "csrf", "missing or wrong X-CSRF-Token header");
    }
    if (!has_any_role(caller->user, access.roles)) {
      return error_response(403, "forbidden", "your roles do not allow this");
    }
    return std::nullopt;
  };
  auto run = [this, admit](const Request& req, const Access& access,
                           const std::function<Response(Context&)>& handler) -> Response {
    std::optional<accounts::Caller> caller;
    if (auto refusal = admit(req, access, caller)) return std::move(*refusal);
    Context ctx{req, caller ? &*caller : nullptr};
    // Sessions are checked under the accounts lock only, so that one request's check runs
    // while another's handler works with the hub.
    if (!access.holds_hub_lock) return handler(ctx);
    std::lock_guard lock(hub_mu_);
    return handler(ctx);
  };
  auto route = [&](const char* method, const char* path, Access access,
                   std::function<Response(Context&)> handler) {
    router.add(method, path,
               [run, access, handler](const Request& req) { return run(req, access, handler); });
  };
  // Uploads are admitted on their head, before the body is received: the gate above, then
  // `check` (under the hub lock) on what the head says, e.g. where the upload would go. The
  // handler sees the request afterwards like any other, and checks again.
  using HeadCheck = std::function<std::optional<Response>(Context&)>;
  auto upload_route = [&](const char* method, const char* path, Access access, HeadCheck check,
                          std::function<Response(Context&)> handler) {
    router.add_upload(
        method, path,
        [this, admit, access, check](const Request& head) -> std::optional<Response> {
          std::optional<accounts::Caller> caller;
          if (auto refusal = admit(head, access, caller)) return refusal;
          Context ctx{head, caller ? &*caller : nullptr};
          std::lock_guard lock(hub_mu_);
          return check(ctx);
        },
        [run, access, handler](const Request& req) { return run(req, access, handler); });
  };

  route("GET", "/api/v1/health", kPublic, [](Context&) {
    return json_response(200, {{"status", "ok"}});
  });

  route("POST", "/api/v1/session", kSignIn, [this](Context& c) {
    json in = json::parse(c.request.body, nullptr, false);
    if (in.is_discarded() || !in.is_object() || !in.contains("username") ||
        !in.contains("password") || !in["username"].is_string() || !in["password"].is_string() ||
        (in.contains("totp") && !in["totp"].is_string())) {
      return error_response(400, "bad_request", "send {\"username\": …, \"password\": …}");
    }
    std::string totp = in.value("totp", "");
    auto s = accounts()->sign_in(in["username"], in["password"], totp, c.request.remote_address,
                                 options_.clock(), sealing_key_, options_.policy);
    if (!s.is_ok()) {
      const Status& st = s.status();
      if (st.code() == Code::kFailedPrecondition && st.message() == "totp_required") {
        return error_response(401, "totp_required", "enter the code from your authenticator app");
      }
      std::string outcome = st.code() == Code::kBusy ? "throttled" : "refused";
      {
        std::lock_guard lock(hub_mu_);
        (void)hub_.audit("session.refused", "", {{"outcome", outcome}});
      }
      if (st.code() == Code::kBusy) return error_response(429, "throttled", st.message());
      if (st.code() == Code::kUnauthenticated) {
        return error_response(401, "unauthenticated", st.message());
      }
      return error_response(500, "internal", "sign-in failed");
    }
    Status audited;
    {
      std::lock_guard lock(hub_mu_);
      audited = hub_.audit("session.start", "", {{"user_id", s->user.id}, {"outcome", "ok"}});
    }
    if (!audited.is_ok()) {
      // No session without its audit event.
      (void)accounts()->sign_out(s->token);
      return error_response(503, "unavailable", "the sign-in could not be recorded; try again");
    }
    Response r = json_response(200, {{"user", user_json(s->user, totp_enabled(s->user.username))},
                                     {"csrf_token", s->csrf_token}});
    r.headers["Set-Cookie"] = std::string(kCookie) + "=" + s->token +
                              "; Path=/; HttpOnly; SameSite=Strict" +
                              (options_.tls ? "; Secure" : "");
    return r;
  });

  route("GET", "/api/v1/session", kAnySignedIn, [this](Context& c) {
    return json_response(
        200, {{"user", user_json(c.caller->user, totp_enabled(c.caller->user.username))}});
  });

  route("DELETE", "/api/v1/session", kSignOut, [this](Context& c) {
    forget(cookie_token(c.request));
    (void)accounts()->sign_out(cookie_token(c.request));
    (void)hub_.audit("session.end", "", {{"user_id", c.caller->user.id}});
    Response r = no_content();
    r.headers["Set-Cookie"] =
        std::string(kCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict";
    return r;
  });

  // Second factor: a new secret shown as a QR code, active once a code from the app confirms it.
  route("POST", "/api/v1/session/totp", kAnySignedIn, [this](Context& c) {
    auto uri = accounts()->begin_totp(c.caller->user.username, sealing_key_, "Evidence Hub");
    if (!uri.is_ok()) return error_response(500, "internal", "could not start the enrolment");
    auto svg = qr_svg(*uri);
    if (!svg.is_ok()) return error_response(500, "internal", "could not draw the QR code");
    (void)hub_.audit("totp.begin", "", {{"user_id", c.caller->user.id}});
    return json_response(200, {{"otpauth_uri", *uri}, {"qr_svg", *svg}});
  });

  route("POST", "/api/v1/session/totp/confirm", kAnySignedIn, [this](Context& c) {
    json in = json::parse(c.request.body, nullptr, false);
    if (in.is_discarded() || !in.is_object() || !in.contains("code") || !in["code"].is_string()) {
      return error_response(400, "bad_request", "send {\"code\": \"123456\"}");
    }
    Status st = accounts()->confirm_totp(c.caller->user.username, in["code"], options_.clock(),
                                         sealing_key_);
    if (st.code() == Code::kFailedPrecondition) {
      return error_response(409, "not_started", st.message());
    }
    if (!st.is_ok()) return error_response(400, "wrong_code", "that code is not right; try again");
    (void)hub_.audit("totp.enable", "", {{"user_id", c.caller->user.id}});
    return no_content();
  });

  // Evidence: only objects whose key domain belongs to an organisation where the caller holds
  // an evidence role are listed, and the filter is in the catalog query itself.
  route("GET", "/api/v1/objects", Access{true, evidence_readers()}, [this](Context& c) {
    auto all = organisations();
    if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
    const std::string limit_text = c.request.query("limit");
    int limit = 50;
    if (!limit_text.empty()) {
      if (!is_small_number(limit_text, 4)) {
        return error_response(400, "bad_request", "limit must be a number from 1 to 1000");
      }
      limit = std::stoi(limit_text);
    }
    if (limit < 1 || limit > 1000) {
      return error_response(400, "bad_request", "limit must be a number from 1 to 1000");
    }
    const std::string after = c.request.query("after");
    if (!after.empty() && !is_object_id(after)) {
      return error_response(400, "bad_request", "after must be an object id");
    }
    auto page = hub_.list_for(read_scopes(c.caller->user, *all), after, limit + 1);
    if (!page.is_ok()) return error_response(500, "internal", "could not read the catalog");
    // The hottest route: the body is written directly rather than through a json tree.
    const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(limit), page->size());
    Response r;
    r.body.reserve(64 + n * 256);
    r.body += R"({"objects":[)";
    for (std::size_t i = 0; i < n; ++i) {
      if (i) r.body += ',';
      append_object_json((*page)[i], r.body);
    }
    r.body += R"(],"next":)";
    r.body += page->size() > n ? "\"" + (*page)[n - 1].record.id + "\"" : std::string("null");
    r.body += '}';
    return r;
  });

  // Where an upload goes: its key domain and the organisation it is stored for, or a refusal.
  auto upload_target = [this](Context& c, std::string& org_id) -> std::optional<Response> {
    const std::string domain = c.request.query("domain");
    if (domain.empty()) return error_response(400, "bad_request", "name the key domain (?domain=)");
    // A registered witness's key domain takes their material only from those who may add to
    // their record, in their own organisation (collection_routes.cc).
    if (auto refused = witness_upload(*c.caller, domain, org_id)) return *refused;
    auto all = organisations();
    if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
    auto orgs = writable_organisations(c.caller->user, *all);
    const std::string wanted = c.request.query("organisation");
    for (const auto& o : *all) {
      if (!org_id.empty() || std::find(orgs.begin(), orgs.end(), o.id) == orgs.end()) continue;
      if (wanted.empty() ? orgs.size() == 1 : o.name == wanted) org_id = o.id;
    }
    if (org_id.empty()) {
      return error_response(400, "organisation",
                            "name the organisation (?organisation=) in which you may add evidence");
    }
    return std::nullopt;
  };
  upload_route(
      "POST", "/api/v1/objects", Access{true, evidence_writers()},
      [upload_target](Context& c) {
        std::string org_id;
        return upload_target(c, org_id);
      },
      [this, upload_target](Context& c) {
        std::string org_id;
        if (auto refused = upload_target(c, org_id)) return *refused;
        const std::string domain = c.request.query("domain");
        const std::string sensitivity =
            c.request.query("sensitivity").empty() ? "normal" : c.request.query("sensitivity");
        auto stored = hub_.put_file("the upload", *c.request.body_file, domain,
                                    hub::Intake::evidence(org_id, sensitivity));
        if (!stored.is_ok()) {
          const Status& st = stored.status();
          if (st.code() == Code::kInvalidArgument)
            return error_response(400, "bad_request", st.message());
          if (st.code() == Code::kFailedPrecondition)
            return error_response(403, "forbidden", st.message());
          if (st.code() == Code::kErased) return error_response(409, "erased", st.message());
          if (st.code() == Code::kNoSpace)
            return error_response(507, "no_space", "the hub's disk is full");
          return error_response(500, "internal", "the upload could not be stored");
        }
        // put logs the object; this says which signed-in person brought it.
        (void)hub_.audit("upload", stored->id, {{"user_id", c.caller->user.id}});
        // Stored and logged: a queue that cannot be written costs the processing, not the upload.
        if (!stored->deduplicated) {
          (void)collection::enqueue_processing(*jobs_, stored->id, options_.clock());
        }
        return json_response(201, {{"id", stored->id},
                                   {"sha256", stored->sha256},
                                   {"size", stored->size},
                                   {"domain", stored->domain},
                                   {"deduplicated", stored->deduplicated},
                                   {"sensitivity", stored->sensitivity}});
      });

  route("GET", "/api/v1/objects/{id}/content", Access{true, evidence_readers()},
        [this](Context& c) {
          const std::string id = c.request.params.at("id");
          auto readable = readable_object(*c.caller, id);
          if (!readable.object) return readable.refusal;
          const auto& described = readable.object;
          auto reader = hub_.open_object(id);
          if (!reader.is_ok()) return error_response(500, "internal", "the object cannot be read");
          const std::uint64_t size = (*reader)->size();
          auto range = parse_range(c.request.header("range"), size);
          if (!range.is_ok()) {
            Response r = error_response(416, "range", "unsatisfiable or malformed Range");
            r.headers["Content-Range"] = "bytes */" + std::to_string(size);
            return r;
          }
          // The read is in the custody log before a byte leaves.
          json details = {{"via", "api"}, {"user_id", c.caller->user.id}};
          if (*range) details["range"] = {(*range)->first, (*range)->second};
          if (!hub_.audit("get", id, details).is_ok()) {
            return error_response(503, "unavailable", "the read could not be recorded; try again");
          }
          Response r;
          r.content_type = "application/octet-stream";
          r.headers["Accept-Ranges"] = "bytes";
          r.headers["X-Content-SHA256"] = described->record.sha256;
          r.headers["Content-Disposition"] = "attachment; filename=\"" + id + "\"";
          if (size == 0) return r;
          // ?inline=1: a document or recording shown in the app's own pages. Only formats the
          // browser displays itself get their type; they may be framed by this origin alone,
          // and anything but a PDF (which needs the browser's viewer) is sandboxed.
          std::array<std::uint8_t, 16> head{};
          auto got = c.request.query("inline") == "1" ? (*reader)->read(0, head)
                                                      : Result<std::size_t>(std::size_t{0});
          const char* type = got.is_ok() ? inline_media_type({head.data(), *got}) : nullptr;
          if (type) {
            r.content_type = type;
            r.headers["Content-Disposition"] = "inline";
            r.headers["Content-Security-Policy"] =
                std::string(type) == "application/pdf"
                    ? "frame-ancestors 'self'"
                    : "default-src 'none'; sandbox; frame-ancestors 'self'";
          }
          std::uint64_t first = 0, last = size - 1;
          if (*range) {
            std::tie(first, last) = **range;
            r.status = 206;
            r.headers["Content-Range"] = fmt::format("bytes {}-{}/{}", first, last, size);
          }
          r.stream = std::make_shared<ObjectBody>(std::move(*reader), first, last);
          return r;
        });

  // The audit trail: the custody log's events, newest first, for administrators and auditors.
  route("GET", "/api/v1/audit", Access{true, kAuditReaders}, [this](Context& c) {
    const std::string limit_text = c.request.query("limit");
    const std::string before_text = c.request.query("before");
    auto number = [](const std::string& t) { return is_small_number(t, 12); };
    if ((!limit_text.empty() && !number(limit_text)) ||
        (!before_text.empty() && !number(before_text))) {
      return error_response(400, "bad_request", "limit and before must be numbers");
    }
    int limit = limit_text.empty() ? 100 : std::stoi(limit_text);
    if (limit < 1 || limit > 1000) {
      return error_response(400, "bad_request", "limit must be from 1 to 1000");
    }
    std::int64_t before = before_text.empty() ? -1 : std::stoll(before_text);
    auto events = hub_.events(before, c.request.query("action"), limit + 1);
    if (!events.is_ok()) return error_response(500, "internal", "could not read the log");
    json out = json::array();
    const auto names = usernames();
    for (std::size_t i = 0; i < events->size() && i < static_cast<std::size_t>(limit); ++i) {
      out.push_back(event_json((*events)[i], names));
    }
    json next = nullptr;
    if (events->size() > static_cast<std::size_t>(limit)) next = out.back()["seq"];
    return json_response(200, {{"events", out}, {"next", next}});
  });

  route("GET", "/api/v1/users", Access{true, {Role::kAdministrator}}, [this](Context&) {
    auto users = accounts()->users();
    if (!users.is_ok()) return error_response(500, "internal", "could not read the users");
    json out = json::array();
    for (const auto& u : *users) out.push_back(user_json(u, totp_enabled(u.username)));
    return json_response(200, {{"users", out}});
  });

  route("GET", "/api/v1/hub", Access{true, {Role::kAdministrator, Role::kLead, Role::kAuditor}},
        [this](Context&) {
          auto s = hub_.summary();
          if (!s.is_ok()) return error_response(500, "internal", "could not read the hub");
          return json_response(200, {{"objects", s->counts.objects},
                                     {"bytes", s->counts.bytes},
                                     {"key_domains", s->counts.domains},
                                     {"shredded_domains", s->counts.shredded_domains},
                                     {"custody_events", s->events}});
        });

  // The home page: what the caller's organisations hold, their newest objects, the latest
  // processing jobs on objects they may read, and (for those who may read the audit trail) the
  // latest custody events.
  route("GET", "/api/v1/dashboard", kAnySignedIn, [this](Context& c) {
    auto all = organisations();
    if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
    const auto scopes = read_scopes(c.caller->user, *all);
    auto counts = hub_.summary_for(scopes);
    auto newest = hub_.newest_for(scopes, 5);
    if (!counts.is_ok() || !newest.is_ok()) {
      return error_response(500, "internal", "could not read the catalog");
    }
    std::string objects = "[";
    for (std::size_t i = 0; i < newest->size(); ++i) {
      if (i) objects += ',';
      append_object_json((*newest)[i], objects);
    }
    objects += ']';
    json out = {{"objects", counts->objects},
                {"bytes", counts->bytes},
                {"recent_objects", json::parse(objects)},
                {"jobs", json::array()}};
    auto recent_jobs = readable_jobs(scopes, "", 0, 10, 200);
    if (!recent_jobs.is_ok()) return error_response(500, "internal", "could not read the jobs");
    for (const auto& j : recent_jobs->jobs) out["jobs"].push_back(job_json(j.job));
    if (has_any_role(c.caller->user, kAuditReaders)) {
      auto events = hub_.events(-1, "", 10);
      if (!events.is_ok()) return error_response(500, "internal", "could not read the log");
      out["recent_events"] = json::array();
      const auto names = usernames();
      for (const auto& e : *events) out["recent_events"].push_back(event_json(e, names));
    }
    return json_response(200, out);
  });

  // Re-reads an object, decrypting every chunk, and compares its SHA-256 with the intake
  // record; the check and its outcome go into the custody log.
  route(
      "POST", "/api/v1/objects/{id}/verify", Access{true, evidence_readers()}, [this](Context& c) {
        const std::string id = c.request.params.at("id");
        auto readable = readable_object(*c.caller, id);
        if (!readable.object) return readable.refusal;
        auto check = hub_.check_object(id);
        if (!check.is_ok()) return status_response(check.status(), "the check");
        const std::string checked_at = format_rfc3339(options_.clock());
        if (!hub_.audit("object.verify", id,
                        {{"user_id", c.caller->user.id}, {"outcome", check->ok ? "ok" : "failed"}})
                 .is_ok()) {
          return error_response(503, "unavailable", "the check could not be recorded; try again");
        }
        json out = {{"id", id},
                    {"sha256", readable.object->record.sha256},
                    {"verified", check->ok},
                    {"checked_at", checked_at}};
        if (!check->ok) out["problem"] = check->problem;
        return json_response(200, out);
      });

  route("GET", "/api/v1/organisations", Access{true, {Role::kAdministrator}}, [this](Context&) {
    auto all = organisations();
    if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
    json out = json::array();
    for (const auto& o : *all) out.push_back({{"id", o.id}, {"name", o.name}});
    return json_response(200, {{"organisations", out}});
  });

  // Accounts, as `evhub user` manages them; every change is in the custody log (ids only).
  route("POST", "/api/v1/users", Access{true, {Role::kAdministrator}, false}, [this](Context& c) {
    auto in = json_object_with(c.request.body, {"username", "organisation", "password"});
    if (!in || (in->contains("roles") && !(*in)["roles"].is_array())) {
      return error_response(
          400, "bad_request",
          R"(send {"username": …, "organisation": …, "password": …, "roles": [ … ]})");
    }
    std::vector<Role> roles;
    for (const auto& r : in->value("roles", json::array())) {
      auto role = r.is_string() ? accounts::parse_role(r.get<std::string>()) : std::nullopt;
      if (!role) return error_response(400, "bad_request", "unknown role " + r.dump());
      roles.push_back(*role);
    }
    const std::string username = (*in)["username"], organisation = (*in)["organisation"];
    std::string password = (*in)["password"];
    Status st = accounts::check_username(username);
    if (st.is_ok()) st = accounts::check_new_password(password);
    if (!st.is_ok()) {
      crypto::wipe(password.data(), password.size());
      return error_response(400, "bad_request", st.message());
    }
    // The slow hash runs outside both locks.
    auto hash = crypto::hash_password(password, crypto::KdfCost::interactive());
    crypto::wipe(password.data(), password.size());
    if (!hash.is_ok()) return error_response(500, "internal", "could not hash the password");
    std::lock_guard lock(hub_mu_);
    auto user = accounts()->add_user(username, organisation, *hash);
    if (!user.is_ok()) return status_response(user.status(), "adding the user");
    json granted = json::array();
    for (Role r : roles) {
      st = accounts()->grant(username, organisation, r, c.caller->user.username);
      if (!st.is_ok()) return status_response(st, "granting the role");
      granted.push_back(accounts::role_name(r));
    }
    (void)hub_.audit("user.add", "",
                     {{"user_id", user->id},
                      {"by", c.caller->user.id},
                      {"organisation_id", organisation_id(organisation)},
                      {"roles", granted}});
    return user_response(201, username);
  });

  route("POST", "/api/v1/users/{username}/grants", Access{true, {Role::kAdministrator}},
        [this](Context& c) {
          return change_grant(c.caller->user, c.request.params.at("username"), c.request.body, "",
                              "", true);
        });

  route("DELETE", "/api/v1/users/{username}/grants", Access{true, {Role::kAdministrator}},
        [this](Context& c) {
          return change_grant(c.caller->user, c.request.params.at("username"), "",
                              c.request.query("organisation"), c.request.query("role"), false);
        });

  route("POST", "/api/v1/users/{username}/disabled", Access{true, {Role::kAdministrator}},
        [this](Context& c) {
          json in = json::parse(c.request.body, nullptr, false);
          if (in.is_discarded() || !in.is_object() || !in.contains("disabled") ||
              !in["disabled"].is_boolean()) {
            return error_response(400, "bad_request", R"(send {"disabled": true|false})");
          }
          const std::string username = c.request.params.at("username");
          const bool disable = in["disabled"];
          if (disable && username == c.caller->user.username) {
            return error_response(409, "conflict", "you cannot disable your own account");
          }
          auto user = accounts()->find_user(username);
          if (!user.is_ok()) return status_response(user.status(), "reading the user");
          if (!*user) return error_response(404, "not_found", "no such user");
          Status st = accounts()->set_disabled(username, disable);
          if (!st.is_ok()) return status_response(st, "changing the user");
          forget_sessions();
          (void)hub_.audit(disable ? "user.disable" : "user.enable", "",
                           {{"user_id", (*user)->id}, {"by", c.caller->user.id}});
          return user_response(200, username);
        });

  // The witness register (collection/), by pseudonymous code. The table gates on the roles
  // held in any organisation; each witness is then decided by the roles held in its own
  // (api/policy.h), and lists are filtered to the caller's organisations before anything is
  // read, so that another organisation's witnesses leave neither codes nor counts.
  route("GET", "/api/v1/witnesses", Access{true, witness_readers()}, [this](Context& c) {
    const std::string wanted = c.request.query("consent");
    if (!wanted.empty() && !one_of(wanted, collection::kConsentStates)) {
      return error_response(400, "bad_request",
                            "consent must be missing, withdrawn, expired or valid");
    }
    auto all = organisations();
    if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
    const auto orgs = organisations_where(c.caller->user, witness_readers(), *all);
    json out = json::array();
    // (An empty list would mean every organisation to Collection::witnesses.)
    if (!orgs.empty()) {
      auto list = witnesses_->witnesses(orgs);
      if (!list.is_ok()) return error_response(500, "internal", "could not read the register");
      const auto names = organisation_names();
      const std::string day = today();
      std::map<std::string, std::string> by;
      if (wanted.empty() &&
          std::any_of(list->begin(), list->end(), [](const Witness& w) { return w.erased; })) {
        by = erasers();
      }
      for (const auto& w : *list) {
        // A consent filter asks about living witnesses; tombstones have no consent to judge.
        if (!wanted.empty() && (w.erased || consent_state(w.consent, day) != wanted)) continue;
        auto org = names.find(w.organisation_id);
        auto erased_by = by.find(w.code);
        out.push_back(witness_json(w, org == names.end() ? "" : org->second,
                                   erased_by == by.end() ? "" : erased_by->second, day));
      }
    }
    return json_response(200, {{"witnesses", out}});
  });

  route("POST", "/api/v1/witnesses", Access{true, witness_writers()}, [this](Context& c) {
    auto parsed = parse_new_witness(c.request.body);
    if (!parsed.is_ok()) return error_response(400, "bad_request", parsed.status().message());
    NewWitness& in = *parsed;
    auto all = organisations();
    if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
    const auto orgs = organisations_where(c.caller->user, witness_writers(), *all);
    std::string org_id;
    for (const auto& o : *all) {
      const bool may = std::find(orgs.begin(), orgs.end(), o.id) != orgs.end();
      if (!in.organisation.empty() && o.name == in.organisation && !may) {
        return error_response(403, "forbidden",
                              "your roles do not allow registering witnesses in " + o.name);
      }
      if (may && (in.organisation.empty() ? orgs.size() == 1 : o.name == in.organisation)) {
        org_id = o.id;
      }
    }
    if (org_id.empty()) {
      return error_response(400, "organisation",
                            "name the organisation in which you may register witnesses");
    }
    auto w = witnesses_->register_witness(in.code, org_id, in.profile, in.personal);
    if (!w.is_ok()) return status_response(w.status(), "registering the witness");
    // The put events record the encrypted records; this says which signed-in person brought
    // them (and never what the personal details say).
    (void)hub_.audit("witness.register", "",
                     {{"witness", w->code},
                      {"user_id", c.caller->user.id},
                      {"personal", in.personal.has_value()}});
    return witness_page(201, c.caller->user, *w);
  });

  route("GET", "/api/v1/witnesses/{code}", Access{true, witness_readers()}, [this](Context& c) {
    auto r = reachable_witness(*c.caller, c.request.params.at("code"), witness_readers());
    if (!r.witness) return r.refusal;
    return witness_page(200, c.caller->user, *r.witness);
  });

  // Who a witness is: decrypted only on request, only for the roles that need it, and every
  // view is in the custody log (by code and user id, never what was shown) before anything is
  // decrypted. Without the event there is no view.
  route("GET", "/api/v1/witnesses/{code}/personal", Access{true, personal_detail_readers()},
        [this](Context& c) {
          const std::string code = c.request.params.at("code");
          auto r = reachable_witness(*c.caller, code, personal_detail_readers());
          if (!r.witness) return r.refusal;
          if (r.witness->erased) {
            return error_response(410, "erased",
                                  code + " was erased on " + r.witness->erased_at +
                                      "; their personal details were crypto-shredded");
          }
          if (!r.witness->has_personal_details) {
            return error_response(404, "not_found", "no personal details are recorded for " + code);
          }
          if (!hub_.audit("witness.personal.view", "",
                          {{"witness", code}, {"user_id", c.caller->user.id}})
                   .is_ok()) {
            return error_response(503, "unavailable", "the view could not be recorded; try again");
          }
          auto p = witnesses_->personal_details(code);
          if (!p.is_ok()) return status_response(p.status(), "reading the personal details");
          json out = {{"code", code},
                      {"name", p->name},
                      {"contacts", p->contacts},
                      {"date_of_birth", p->date_of_birth},
                      {"address", p->address},
                      {"notes", p->notes}};
          wipe(*p);
          Response res = json_response(200, out);
          for (auto& [key, value] : out.items()) {
            if (value.is_string()) wipe(value.get_ref<std::string&>());
          }
          return res;
        });

  route("POST", "/api/v1/witnesses/{code}/consents", Access{true, witness_writers()},
        [this](Context& c) {
          const std::string code = c.request.params.at("code");
          auto r = reachable_witness(*c.caller, code, witness_writers());
          if (!r.witness) return r.refusal;
          auto consent = parse_consent(c.request.body);
          if (!consent.is_ok()) {
            return error_response(400, "bad_request", consent.status().message());
          }
          auto added = witnesses_->add_consent(code, *consent);
          if (!added.is_ok()) {
            wipe(consent->conditions);
            return status_response(added.status(), "recording the consent");
          }
          (void)hub_.audit(
              "consent.add", "",
              {{"witness", code}, {"version", added->version}, {"user_id", c.caller->user.id}});
          // The register returns the version without its conditions (they live in the
          // encrypted record only); the caller, who wrote them, gets them back.
          added->conditions = std::move(consent->conditions);
          json out = consent_version_json(*added, true);
          // A withdrawal names the recipients who already hold the witness's material.
          if (!added->withdrawn_on.empty()) {
            auto holders = holders_json(code);
            if (!holders.is_ok()) {
              wipe(out);
              wipe(added->conditions);
              return status_response(holders.status(), "reading the holders");
            }
            out["notify"] = std::move(*holders);
          }
          Response res = json_response(201, out);
          wipe(out);
          wipe(added->conditions);
          return res;
        });

  route("GET", "/api/v1/witnesses/{code}/consent-check", Access{true, consent_checkers()},
        [this](Context& c) {
          const std::string code = c.request.params.at("code");
          auto r = reachable_witness(*c.caller, code, consent_checkers());
          if (!r.witness) return r.refusal;
          auto q = consent_question(c.request);
          if (!q.is_ok()) return error_response(400, "bad_request", q.status().message());
          auto d = witnesses_->allows(code, q->purpose, q->recipient,
                                      q->today.empty() ? today() : q->today);
          if (!d.is_ok()) return status_response(d.status(), "the consent check");
          return json_response(200, {{"allowed", d->allowed}, {"reason", d->reason}});
        });

  route("GET", "/api/v1/consent-gaps", Access{true, consent_gap_readers()}, [this](Context& c) {
    auto q = consent_question(c.request);
    if (!q.is_ok()) return error_response(400, "bad_request", q.status().message());
    const std::string within_text = c.request.query("within");
    int within = 30;
    if (!within_text.empty()) {
      if (!is_small_number(within_text, 4) || std::stoi(within_text) > 3650) {
        return error_response(400, "bad_request", "within must be a number of days, 0 to 3650");
      }
      within = std::stoi(within_text);
    }
    auto all = organisations();
    if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
    const auto orgs = organisations_where(c.caller->user, consent_gap_readers(), *all);
    const std::string day = q->today.empty() ? today() : q->today;
    json out = json::array();
    if (!orgs.empty()) {  // (an empty list would mean every organisation)
      auto gaps = witnesses_->consent_gaps(orgs, q->purpose, q->recipient, day, within);
      if (!gaps.is_ok()) return error_response(500, "internal", "could not read the register");
      const auto names = organisation_names();
      for (const auto& g : *gaps) {
        auto org = names.find(g.organisation_id);
        out.push_back({{"code", g.code},
                       {"organisation", org == names.end() ? "" : org->second},
                       {"problem", g.problem},
                       {"reason", g.reason}});
      }
    }
    return json_response(200, {{"gaps", out}, {"today", day}, {"within", within}});
  });

  // Erasure crypto-shreds the witness's key domain: their records, personal details, consent
  // forms and evidence can never be decrypted again, and the register keeps a tombstone.
  route("DELETE", "/api/v1/witnesses/{code}", Access{true, witness_erasers()}, [this](Context& c) {
    const std::string code = c.request.params.at("code");
    auto r = reachable_witness(*c.caller, code, witness_erasers());
    if (!r.witness) return r.refusal;
    const std::string reason = c.request.query("reason");
    if (reason.empty()) {
      return error_response(400, "bad_request",
                            "say why (?reason=); it is kept in the tombstone and the log");
    }
    auto report = witnesses_->erase(code, reason);
    if (!report.is_ok()) return status_response(report.status(), "erasing the witness");
    (void)hub_.audit(
        "witness.erase", "",
        {{"witness", code}, {"user_id", c.caller->user.id}, {"objects", report->objects}});
    auto w = witnesses_->witness(code);
    if (!w.is_ok() || !*w) {
      return error_response(500, "internal", "erased; the tombstone could not be read");
    }
    return witness_page(200, c.caller->user, **w);
  });

  add_collection_routes(route);
  add_search_routes(route);
  add_coding_routes(route);
  add_places_routes(route);
  add_incident_routes(route);
  add_summary_routes(route);
  add_disclosure_routes(route);
}

}  // namespace evhub::api
