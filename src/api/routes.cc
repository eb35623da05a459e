#include "api/routes.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "api/policy.h"
#include "api/qr_code.h"
#include "core/clock.h"
#include "crypto/password.h"

#include <fmt/format.h>
#include <tuple>

namespace evhub::api {

using accounts::Role;
using nlohmann::json;

namespace {

constexpr const char* kCookie = "evhub_session";

Response json_response(int status, const json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Response no_content() {
  Response r;
  r.status = 204;
  r.content_type = "application/json";
  return r;
}

// Who may call a route: anyone, anyone signed in, or holders of one of the listed roles (in
// any organisation; per-record decisions by organisation come with the evidence routes).
struct Access {
  bool signed_in = true;
  std::vector<Role> roles;  // empty: any signed-in user
  // The handler runs holding the hub lock, unless it takes it itself only where needed
  // (sign-in: the slow password check must not hold up every other request).
  bool holds_hub_lock = true;
  // Changes need the CSRF token, except signing out: harmless to force, and a tab that lost
  // its token (a new tab, cleared storage) must still be able to end the session.
  bool needs_csrf = true;
};
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

// A status from the accounts or the hub as an API error a person can act on.
Response status_response(const Status& st, const std::string& what) {
  switch (st.code()) {
    case Code::kInvalidArgument:
      return error_response(400, "bad_request", st.message());
    case Code::kNotFound:
      return error_response(404, "not_found", st.message());
    case Code::kAlreadyExists:
      return error_response(409, "exists", st.message());
    case Code::kFailedPrecondition:
      return error_response(409, "conflict", st.message());
    case Code::kErased:
      return error_response(410, "erased", st.message());
    case Code::kNoSpace:
      return error_response(507, "no_space", "the hub's disk is full");
    default:
      return error_response(500, "internal", what + " failed");
  }
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

bool is_object_id(const std::string& id) {
  return id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
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

}  // namespace

struct Api::Context {
  const Request& request;
  const accounts::Caller* caller;  // null on public routes
};

Api::Api(hub::Hub& hub, std::unique_ptr<accounts::Accounts> accounts, ApiOptions options)
    : hub_(hub),
      accounts_(std::move(accounts)),
      options_(std::move(options)),
      sealing_key_(hub.derive_key("evhub accounts sealing v1")) {
  if (!options_.clock) options_.clock = [] { return now_millis(); };
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

Result<std::unique_ptr<Api>> Api::open(hub::Hub& hub, ApiOptions options) {
  EVHUB_ASSIGN_OR_RETURN(auto accounts, accounts::Accounts::open(hub.layout().accounts()));
  return std::unique_ptr<Api>(new Api(hub, std::move(accounts), std::move(options)));
}

void Api::add_routes(Router& router) {
  // Every route passes through here: the session is resumed, the CSRF token checked on every
  // change, and the caller's roles checked, before the handler sees the request. A refusal
  // carries no data beyond the error.
  auto route = [&](const char* method, const char* path, Access access,
                   std::function<Response(Context&)> handler) {
    router.add(method, path, [this, access, handler](const Request& req) -> Response {
      std::optional<accounts::Caller> caller;
      if (access.signed_in) {
        // A script sends an API token (Authorization: Bearer); a browser sends the session
        // cookie, which it would send on a forged cross-site request too — hence CSRF tokens
        // for cookies only.
        const std::string& authorization = req.header("authorization");
        const bool bearer = authorization.rfind("Bearer ", 0) == 0;
        auto resumed =
            bearer ? resume(authorization.substr(7), true) : resume(cookie_token(req), false);
        if (!resumed.is_ok()) {
          return error_response(401, "unauthenticated", "sign in first");
        }
        caller = std::move(resumed).value();
        if (!bearer && access.needs_csrf && changes_state(req.method) &&
            !accounts::Accounts::csrf_matches(*caller, req.header("x-csrf-token"))) {
          return error_response(403, "csrf", "missing or wrong X-CSRF-Token header");
        }
        if (!has_any_role(caller->user, access.roles)) {
          return error_response(403, "forbidden", "your roles do not allow this");
        }
      }
      Context ctx{req, caller ? &*caller : nullptr};
      // Sessions are checked under the accounts lock only, so that one request's check runs
      // while another's handler works with the hub.
      if (!access.holds_hub_lock) return handler(ctx);
      std::lock_guard lock(hub_mu_);
      return handler(ctx);
    });
  };

  route("GET", "/api/v1/health", kPublic, [](Context&) {
    return json_response(200, {{"status", "ok"}});
  });

  route("POST", "/api/v1/session", kSignIn, [this](Context& c) {
    json in = json::parse(c.request.body, nullptr, false);
    if (in.is_discarded() || !in.is_object() || !in.contains("username") ||
        !in.contains("password") || !in["username"].is_string() || !in["password"].is_string()) {
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
      if (limit_text.size() > 4 || !std::all_of(limit_text.begin(), limit_text.end(), ::isdigit)) {
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

  route("POST", "/api/v1/objects", Access{true, evidence_writers()}, [this](Context& c) {
    auto all = organisations();
    if (!all.is_ok()) return error_response(500, "internal", "could not read organisations");
    auto orgs = writable_organisations(c.caller->user, *all);
    std::string org_id;
    const std::string wanted = c.request.query("organisation");
    for (const auto& o : *all) {
      if (std::find(orgs.begin(), orgs.end(), o.id) == orgs.end()) continue;
      if (wanted.empty() ? orgs.size() == 1 : o.name == wanted) org_id = o.id;
    }
    if (org_id.empty()) {
      return error_response(400, "organisation",
                            "name the organisation (?organisation=) in which you may add evidence");
    }
    const std::string domain = c.request.query("domain");
    if (domain.empty()) return error_response(400, "bad_request", "name the key domain (?domain=)");
    const std::string sensitivity =
        c.request.query("sensitivity").empty() ? "normal" : c.request.query("sensitivity");
    auto stored = hub_.put_data("the upload", c.request.body, domain,
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
    auto number = [](const std::string& t) {
      return !t.empty() && t.size() <= 12 && std::all_of(t.begin(), t.end(), ::isdigit);
    };
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

  // The home page: what the caller's organisations hold, their newest objects, and (for those
  // who may read the audit trail) the latest custody events. Processing jobs arrive with the
  // job queue of the collection module; until then the list is empty.
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
}

}  // namespace evhub::api
