#include "accounts/accounts.h"

#include <algorithm>

#include <fmt/format.h>

#include "accounts/accounts_impl.h"
#include "catalog/migrations.h"
#include "catalog/sqlite.h"
#include "core/clock.h"
#include "core/random_name.h"
#include "core/text.h"

namespace evhub::accounts {

namespace {

constexpr const char* kRoleNames[] = {"intake-officer", "analyst",       "osint-researcher",
                                      "legal-officer",  "reviewer",      "mhpss-coordinator",
                                      "lead",           "administrator", "auditor"};

// The schema history of accounts.db; entries are never edited once released.
const std::vector<catalog::Migration>& account_migrations() {
  static const std::vector<catalog::Migration> kMigrations = {
      {1, "organisations, users and role grants",
       R"sql(
CREATE TABLE organisations (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
CREATE TABLE users (
  id              TEXT PRIMARY KEY,
  username        TEXT NOT NULL UNIQUE,
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  password_hash   TEXT NOT NULL,
  disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at      TEXT NOT NULL
);
CREATE TABLE role_grants (
  user_id         TEXT NOT NULL REFERENCES users(id),
  organisation_id TEXT NOT NULL REFERENCES organisations(id),
  role            TEXT NOT NULL,
  granted_at      TEXT NOT NULL,
  granted_by      TEXT NOT NULL,
  PRIMARY KEY (user_id, organisation_id, role)
);
)sql"},
      {2, "second factor, sessions and sign-in throttling",
       R"sql(
ALTER TABLE users ADD COLUMN totp_secret_sealed TEXT;
ALTER TABLE users ADD COLUMN totp_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT -1;
CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,   -- SHA-256 of the cookie's token; the token is never stored
  user_id      TEXT NOT NULL REFERENCES users(id),
  csrf_hash    TEXT NOT NULL,      -- SHA-256 of the CSRF token
  created_ms   INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE TABLE sign_in_failures (
  key   TEXT NOT NULL,             -- 'user:<name>' or 'address:<ip>'
  at_ms INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_by_key ON sign_in_failures(key, at_ms);
)sql"},
      {3, "a TOTP enrolment waits beside the active secret",
       R"sql(
ALTER TABLE users ADD COLUMN totp_pending_sealed TEXT;
)sql"},
      {4, "API tokens for scripts",
       R"sql(
CREATE TABLE api_tokens (
  id           TEXT PRIMARY KEY,   -- SHA-256 of the token; the token is shown once, never stored
  user_id      TEXT NOT NULL REFERENCES users(id),
  name         TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  revoked      INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
  UNIQUE (user_id, name)
);
)sql"},
  };
  return kMigrations;
}

}  // namespace

const char* role_name(Role role) {
  return kRoleNames[static_cast<int>(role)];
}

std::optional<Role> parse_role(std::string_view name) {
  for (Role r : kAllRoles) {
    if (name == role_name(r)) return r;
  }
  return std::nullopt;
}

Status check_username(std::string_view u) {
  bool ok =
      u.size() >= 2 && u.size() <= 64 && std::all_of(u.begin(), u.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      });
  if (!ok) {
    return Status(Code::kInvalidArgument,
                  "a username has 2 to 64 characters: lower-case letters, digits, '.', '_', '-'");
  }
  return Status::ok();
}

Status check_organisation_name(std::string_view name) {
  if (name.empty() || !is_printable_text(name, 100)) {
    return Status(Code::kInvalidArgument,
                  "an organisation name has 1 to 100 bytes of text without control characters");
  }
  return Status::ok();
}

Status check_new_password(std::string_view password) {
  if (password.size() < 12) {
    return Status(Code::kInvalidArgument, "a password must have at least 12 characters");
  }
  if (password.size() > 1024) return Status(Code::kInvalidArgument, "that password is too long");
  return Status::ok();
}

Accounts::Accounts(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Accounts::~Accounts() = default;

Result<std::unique_ptr<Accounts>> Accounts::open(const std::string& path) {
  EVHUB_ASSIGN_OR_RETURN(Database db, Database::open(path, true));
  EVHUB_RETURN_IF_ERROR(catalog::migrate(db, account_migrations(), "accounts.db"));
  return std::unique_ptr<Accounts>(new Accounts(std::make_unique<Impl>(Impl{std::move(db)})));
}

Result<Organisation> Accounts::add_organisation(const std::string& name) {
  EVHUB_RETURN_IF_ERROR(check_organisation_name(name));
  EVHUB_ASSIGN_OR_RETURN(auto existing, impl_->id_of("organisations", "name", name));
  if (existing) return Status(Code::kAlreadyExists, "there is already an organisation " + name);
  Organisation o{random_name(), name, now_rfc3339()};
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare("INSERT INTO organisations VALUES (?, ?, ?)"));
  st.bind(1, o.id).bind(2, o.name).bind(3, o.created_at);
  EVHUB_RETURN_IF_ERROR(st.run());
  return o;
}

Result<std::vector<Organisation>> Accounts::organisations() {
  EVHUB_ASSIGN_OR_RETURN(
      Statement st,
      impl_->db.prepare("SELECT id, name, created_at FROM organisations ORDER BY name"));
  std::vector<Organisation> out;
  for (;;) {
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    out.push_back(Organisation{st.text(0), st.text(1), st.text(2)});
  }
  return out;
}

Result<User> Accounts::add_user(const std::string& username, const std::string& organisation,
                                const std::string& password_hash) {
  EVHUB_RETURN_IF_ERROR(check_username(username));
  EVHUB_ASSIGN_OR_RETURN(std::string org_id, impl_->organisation_id(organisation));
  EVHUB_ASSIGN_OR_RETURN(auto existing, impl_->id_of("users", "username", username));
  if (existing) return Status(Code::kAlreadyExists, "there is already a user " + username);
  User u;
  u.id = random_name();
  u.username = username;
  u.organisation = organisation;
  u.created_at = now_rfc3339();
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare("INSERT INTO users(id, username, organisation_id, "
                                           "password_hash, created_at) VALUES (?, ?, ?, ?, ?)"));
  st.bind(1, u.id).bind(2, username).bind(3, org_id).bind(4, password_hash).bind(5, u.created_at);
  EVHUB_RETURN_IF_ERROR(st.run());
  return u;
}

Result<std::optional<User>> Accounts::find_user(const std::string& username) {
  EVHUB_ASSIGN_OR_RETURN(auto users, impl_->query_users("WHERE u.username=?", username));
  if (users.empty()) return std::optional<User>();
  return std::optional<User>(std::move(users.front()));
}

Result<std::vector<User>> Accounts::users() {
  return impl_->query_users("", "");
}

Status Accounts::set_password_hash(const std::string& username, const std::string& hash) {
  EVHUB_ASSIGN_OR_RETURN(std::string id, impl_->user_id(username));
  EVHUB_ASSIGN_OR_RETURN(Transaction tx, Transaction::begin(impl_->db));
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare("UPDATE users SET password_hash=? WHERE id=?"));
  st.bind(1, hash).bind(2, id);
  EVHUB_RETURN_IF_ERROR(st.run());
  // A new password ends every session opened with the old one.
  EVHUB_ASSIGN_OR_RETURN(Statement end, impl_->db.prepare("DELETE FROM sessions WHERE user_id=?"));
  end.bind(1, id);
  EVHUB_RETURN_IF_ERROR(end.run());
  return tx.commit();
}

Result<std::string> Accounts::password_hash(const std::string& username) {
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare("SELECT password_hash FROM users WHERE username=?"));
  st.bind(1, username);
  EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row) return Status(Code::kNotFound, "there is no user " + username);
  return st.text(0);
}

Status Accounts::set_disabled(const std::string& username, bool disabled) {
  EVHUB_ASSIGN_OR_RETURN(std::string id, impl_->user_id(username));
  EVHUB_ASSIGN_OR_RETURN(Statement st, impl_->db.prepare("UPDATE users SET disabled=? WHERE id=?"));
  st.bind(1, std::int64_t{disabled ? 1 : 0}).bind(2, id);
  EVHUB_RETURN_IF_ERROR(st.run());
  if (!disabled) return Status::ok();
  EVHUB_ASSIGN_OR_RETURN(Statement end, impl_->db.prepare("DELETE FROM sessions WHERE user_id=?"));
  end.bind(1, id);
  return end.run();
}

Status Accounts::grant(const std::string& username, const std::string& organisation, Role role,
                       const std::string& granted_by) {
  EVHUB_ASSIGN_OR_RETURN(std::string user_id, impl_->user_id(username));
  EVHUB_ASSIGN_OR_RETURN(std::string org_id, impl_->organisation_id(organisation));
  EVHUB_ASSIGN_OR_RETURN(
      Statement check,
      impl_->db.prepare(
          "SELECT 1 FROM role_grants WHERE user_id=? AND organisation_id=? AND role=?"));
  check.bind(1, user_id).bind(2, org_id).bind(3, std::string(role_name(role)));
  EVHUB_ASSIGN_OR_RETURN(bool exists, check.step());
  if (exists) {
    return Status(Code::kAlreadyExists,
                  fmt::format("{} already is {} in {}", username, role_name(role), organisation));
  }
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare("INSERT INTO role_grants VALUES (?, ?, ?, ?, ?)"));
  st.bind(1, user_id).bind(2, org_id).bind(3, std::string(role_name(role)));
  st.bind(4, now_rfc3339()).bind(5, granted_by);
  return st.run();
}

Status Accounts::revoke(const std::string& username, const std::string& organisation, Role role) {
  EVHUB_ASSIGN_OR_RETURN(std::string user_id, impl_->user_id(username));
  EVHUB_ASSIGN_OR_RETURN(std::string org_id, impl_->organisation_id(organisation));
  EVHUB_ASSIGN_OR_RETURN(
      Statement st,
      impl_->db.prepare(
          "DELETE FROM role_grants WHERE user_id=? AND organisation_id=? AND role=?"));
  st.bind(1, user_id).bind(2, org_id).bind(3, std::string(role_name(role)));
  EVHUB_RETURN_IF_ERROR(st.run());
  if (sqlite3_changes(impl_->db.handle()) == 0) {
    return Status(Code::kNotFound,
                  fmt::format("{} is not {} in {}", username, role_name(role), organisation));
  }
  return Status::ok();
}

}  // namespace evhub::accounts
