// Who may sign in and what they may do: organisations (the consortium's partners), users with
// Argon2id password hashes, and role grants per organisation (DESIGN.md §1). Kept in its own
// SQLite file, accounts.db, beside the catalog: the catalog can be rebuilt from the custody log,
// accounts cannot (the log records who changed what, never a password hash).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "crypto/crypto.h"

namespace evhub::accounts {

// The roles of DESIGN.md §1; their names are what the CLI and the API use.
enum class Role {
  kIntakeOfficer,
  kAnalyst,
  kOsintResearcher,
  kLegalOfficer,
  kReviewer,
  kMhpssCoordinator,
  kLead,
  kAdministrator,
  kAuditor,
};
inline constexpr Role kAllRoles[] = {
    Role::kIntakeOfficer, Role::kAnalyst,       Role::kOsintResearcher,
    Role::kLegalOfficer,  Role::kReviewer,      Role::kMhpssCoordinator,
    Role::kLead,          Role::kAdministrator, Role::kAuditor};
const char* role_name(Role role);  // "intake-officer", "analyst", ...
std::optional<Role> parse_role(std::string_view name);

struct Organisation {
  std::string id;
  std::string name;
  std::string created_at;
};

struct Grant {
  std::string organisation;  // name
  Role role;
  std::string granted_at;
  std::string granted_by;
};

struct User {
  std::string id;  // opaque; what the custody log names
  std::string username;
  std::string organisation;  // name of the home organisation
  std::string created_at;
  bool disabled = false;
  std::vector<Grant> grants;
};

// Usernames: 2 to 64 of a-z 0-9 . _ - (they appear in URLs and logs; no personal names needed).
Status check_username(std::string_view username);
// Organisation names: 1 to 100 bytes of printable UTF-8.
Status check_organisation_name(std::string_view name);
// At least 12 characters; the hub holds evidence a hostile state wants.
Status check_new_password(std::string_view password);

// How sign-in behaves; the defaults are the hub's policy.
struct SignInPolicy {
  std::int64_t idle_ms = 30 * 60 * 1000;           // a session unused this long ends
  std::int64_t absolute_ms = 12 * 60 * 60 * 1000;  // and none lives longer than this
  int max_failures_per_user = 5;                   // within failure_window_ms, then refused
  int max_failures_per_address = 20;
  std::int64_t failure_window_ms = 15 * 60 * 1000;
};

// A new session. Both tokens are secrets held by the client only; the hub keeps their hashes.
struct NewSession {
  std::string token;       // for the HttpOnly cookie
  std::string csrf_token;  // echoed by the client in X-CSRF-Token on every change
  User user;
};

// Who is calling, resolved from a session token.
struct Caller {
  User user;
  std::string session_id;
  std::string csrf_hash;
};

class Accounts {
 public:
  static Result<std::unique_ptr<Accounts>> open(const std::string& path);
  ~Accounts();

  Result<Organisation> add_organisation(const std::string& name);
  Result<std::vector<Organisation>> organisations();

  // `password_hash` comes from crypto::hash_password; the user starts with no grants.
  Result<User> add_user(const std::string& username, const std::string& organisation,
                        const std::string& password_hash);
  Result<std::optional<User>> find_user(const std::string& username);
  Result<std::vector<User>> users();
  Status set_password_hash(const std::string& username, const std::string& password_hash);
  Result<std::string> password_hash(const std::string& username);
  Status set_disabled(const std::string& username, bool disabled);

  // kAlreadyExists if the grant exists; kNotFound for an unknown user or organisation.
  Status grant(const std::string& username, const std::string& organisation, Role role,
               const std::string& granted_by);
  Status revoke(const std::string& username, const std::string& organisation, Role role);

  // Sign-in (sign_in.cc). `sealing_key` protects TOTP secrets at rest (derived from the hub's
  // master key). Failures: kUnauthenticated "wrong username or password" (the same for an
  // unknown user), kFailedPrecondition with message "totp_required" when the second factor is
  // enrolled but no code was given, kBusy when too many attempts failed recently.
  Result<NewSession> sign_in(const std::string& username, const std::string& password,
                             const std::string& totp_code, const std::string& address,
                             std::int64_t now_ms, const crypto::SecretKey& sealing_key,
                             const SignInPolicy& policy = {});
  // kUnauthenticated when the token is unknown, expired (idle or absolute) or the user disabled.
  Result<Caller> resume(const std::string& token, std::int64_t now_ms,
                        const SignInPolicy& policy = {});
  static bool csrf_matches(const Caller& caller, const std::string& csrf_token);
  Status sign_out(const std::string& token);

  // TOTP enrolment: a new secret (returned as an otpauth:// URI for a QR code), active only
  // once confirmed with a code from the authenticator app.
  Result<std::string> begin_totp(const std::string& username, const crypto::SecretKey& sealing_key,
                                 const std::string& issuer);
  Status confirm_totp(const std::string& username, const std::string& code, std::int64_t now_ms,
                      const crypto::SecretKey& sealing_key);
  Result<bool> totp_enabled(const std::string& username);

  // API tokens for scripts (sign_in.cc): a named secret per user, shown once ("evh_" + 64 hex),
  // stored as its SHA-256, acting with the user's roles until revoked or the user is disabled.
  Result<std::string> create_token(const std::string& username, const std::string& name);
  Result<Caller> resume_token(const std::string& token);
  Status revoke_token(const std::string& username, const std::string& name);
  struct TokenInfo {
    std::string name;
    std::string created_at;
    bool revoked = false;
  };
  Result<std::vector<TokenInfo>> tokens(const std::string& username);

  struct Impl;  // accounts_impl.h

 private:
  explicit Accounts(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace evhub::accounts
