// Sign-in: password check with throttling per account and per address, the TOTP second factor
// with replay protection, and sessions with idle and absolute expiry. Tokens are 256-bit random
// values; only their SHA-256 is stored, so a copy of accounts.db opens no session.
#include <sodium.h>

#include "accounts/accounts_impl.h"
#include "core/clock.h"
#include "core/random_name.h"
#include "core/text.h"
#include "crypto/otp.h"
#include "crypto/password.h"

namespace evhub::accounts {

namespace {

constexpr std::int64_t kTouchEveryMs = 60 * 1000;

std::string token() {
  return to_hex(crypto::random_bytes(32));
}
std::string token_hash(const std::string& t) {
  return to_hex(crypto::sha256(as_bytes(t)));
}

std::string totp_context(const std::string& user_id) {
  return "evhub totp secret v1|" + user_id;
}

// A fixed hash to check against when the user does not exist, so that timing does not tell
// whether a username is known.
const std::string& dummy_hash() {
  static const std::string hash =
      crypto::hash_password("no such user", crypto::KdfCost::interactive()).value();
  return hash;
}

}  // namespace

Result<int> failures_since(Database& db, const std::string& key, std::int64_t since_ms) {
  EVHUB_ASSIGN_OR_RETURN(
      Statement st, db.prepare("SELECT count(*) FROM sign_in_failures WHERE key=? AND at_ms>=?"));
  st.bind(1, key).bind(2, since_ms);
  EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
  return row ? static_cast<int>(st.integer(0)) : 0;
}

Status record_failure(Database& db, const std::string& key, std::int64_t now_ms) {
  EVHUB_ASSIGN_OR_RETURN(Statement st, db.prepare("INSERT INTO sign_in_failures VALUES (?, ?)"));
  st.bind(1, key).bind(2, now_ms);
  return st.run();
}

Result<NewSession> Accounts::sign_in(const std::string& username, const std::string& password,
                                     const std::string& totp_code, const std::string& address,
                                     std::int64_t now_ms, const crypto::SecretKey& sealing_key,
                                     const SignInPolicy& policy) {
  Database& db = impl_->db;
  const std::string user_key = "user:" + username;
  const std::string address_key = "address:" + address;
  const std::int64_t since = now_ms - policy.failure_window_ms;
  {
    // Failures older than the window count for nothing and are not kept.
    EVHUB_ASSIGN_OR_RETURN(Statement prune,
                           db.prepare("DELETE FROM sign_in_failures WHERE at_ms<?"));
    prune.bind(1, since);
    EVHUB_RETURN_IF_ERROR(prune.run());
  }
  EVHUB_ASSIGN_OR_RETURN(int user_failures, failures_since(db, user_key, since));
  EVHUB_ASSIGN_OR_RETURN(int address_failures, failures_since(db, address_key, since));
  if (user_failures >= policy.max_failures_per_user ||
      address_failures >= policy.max_failures_per_address) {
    return Status(Code::kBusy, "too many failed sign-ins; try again later");
  }
  auto fail = [&](Status st) -> Result<NewSession> {
    EVHUB_RETURN_IF_ERROR(record_failure(db, user_key, now_ms));
    EVHUB_RETURN_IF_ERROR(record_failure(db, address_key, now_ms));
    return st;
  };
  const Status wrong(Code::kUnauthenticated, "wrong username or password");

  EVHUB_ASSIGN_OR_RETURN(
      Statement st, db.prepare("SELECT id, password_hash, disabled, totp_enabled, "
                               "totp_secret_sealed, totp_last_step FROM users WHERE username=?"));
  st.bind(1, username);
  EVHUB_ASSIGN_OR_RETURN(bool found, st.step());
  if (!found) {
    (void)crypto::check_password(password, dummy_hash());
    return fail(wrong);
  }
  const std::string user_id = st.text(0);
  const bool disabled = st.integer(2) != 0;
  const bool totp_on = st.integer(3) != 0;
  const auto sealed = st.optional_text(4);
  const std::int64_t last_step = st.integer(5);
  if (!crypto::check_password(password, st.text(1)) || disabled) return fail(wrong);

  if (totp_on) {
    if (totp_code.empty()) return Status(Code::kFailedPrecondition, "totp_required");
    auto sealed_bytes = from_hex(sealed.value_or(""));
    if (!sealed_bytes) return Status(Code::kIntegrity, "a TOTP secret in accounts.db is damaged");
    EVHUB_ASSIGN_OR_RETURN(Bytes secret,
                           crypto::open(sealing_key, *sealed_bytes, totp_context(user_id)));
    auto step = crypto::totp_match(secret, totp_code, now_ms / 1000);
    sodium_memzero(secret.data(), secret.size());
    // A code is good once: a step at or before the last one used is a replay.
    if (!step || *step <= last_step) {
      return fail(Status(Code::kUnauthenticated, "wrong or reused one-time code"));
    }
    EVHUB_ASSIGN_OR_RETURN(Statement upd,
                           db.prepare("UPDATE users SET totp_last_step=? WHERE id=?"));
    upd.bind(1, *step).bind(2, user_id);
    EVHUB_RETURN_IF_ERROR(upd.run());
  }

  NewSession s;
  s.token = token();
  s.csrf_token = token();
  EVHUB_ASSIGN_OR_RETURN(Statement ins, db.prepare("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)"));
  ins.bind(1, token_hash(s.token)).bind(2, user_id).bind(3, token_hash(s.csrf_token));
  ins.bind(4, now_ms).bind(5, now_ms);
  EVHUB_RETURN_IF_ERROR(ins.run());
  EVHUB_ASSIGN_OR_RETURN(Statement clear, db.prepare("DELETE FROM sign_in_failures WHERE key=?"));
  clear.bind(1, user_key);
  EVHUB_RETURN_IF_ERROR(clear.run());
  EVHUB_ASSIGN_OR_RETURN(auto user, find_user(username));
  if (!user) return wrong;
  s.user = std::move(*user);
  return s;
}

Result<Caller> Accounts::resume(const std::string& token_text, std::int64_t now_ms,
                                const SignInPolicy& policy) {
  Database& db = impl_->db;
  const std::string id = token_hash(token_text);
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         db.prepare("SELECT s.user_id, s.csrf_hash, s.created_ms, s.last_seen_ms, "
                                    "u.username, u.disabled FROM sessions s JOIN users u ON u.id = "
                                    "s.user_id WHERE s.id=?"));
  st.bind(1, id);
  EVHUB_ASSIGN_OR_RETURN(bool found, st.step());
  const Status expired(Code::kUnauthenticated, "not signed in, or the session has expired");
  if (!found) return expired;
  const std::string csrf_hash = st.text(1);
  const std::int64_t created = st.integer(2), last_seen = st.integer(3);
  const std::string username = st.text(4);
  const bool disabled = st.integer(5) != 0;
  if (disabled || now_ms - last_seen > policy.idle_ms || now_ms - created >= policy.absolute_ms) {
    EVHUB_RETURN_IF_ERROR(sign_out(token_text));
    return expired;
  }
  // Idle time is tracked to the minute: writing (and fsyncing) on every request would make
  // each API call a disk write.
  if (now_ms - last_seen >= kTouchEveryMs) {
    EVHUB_ASSIGN_OR_RETURN(Statement touch,
                           db.prepare("UPDATE sessions SET last_seen_ms=? WHERE id=?"));
    touch.bind(1, now_ms).bind(2, id);
    EVHUB_RETURN_IF_ERROR(touch.run());
  }
  EVHUB_ASSIGN_OR_RETURN(auto user, find_user(username));
  if (!user) return expired;
  return Caller{std::move(*user), id, csrf_hash};
}

bool Accounts::csrf_matches(const Caller& caller, const std::string& csrf_token) {
  const std::string h = token_hash(csrf_token);
  return h.size() == caller.csrf_hash.size() &&
         sodium_memcmp(h.data(), caller.csrf_hash.data(), h.size()) == 0;
}

Status Accounts::sign_out(const std::string& token_text) {
  EVHUB_ASSIGN_OR_RETURN(Statement st, impl_->db.prepare("DELETE FROM sessions WHERE id=?"));
  st.bind(1, token_hash(token_text));
  return st.run();
}

Result<std::string> Accounts::begin_totp(const std::string& username,
                                         const crypto::SecretKey& sealing_key,
                                         const std::string& issuer) {
  EVHUB_ASSIGN_OR_RETURN(std::string user_id, impl_->user_id(username));
  Bytes secret = crypto::random_bytes(20);  // 160 bits, as RFC 4226 recommends for SHA-1
  // Kept aside until confirmed: an enrolled second factor stays in force meanwhile, so a stolen
  // session cannot switch it off by starting a new enrolment.
  Bytes sealed = crypto::seal(sealing_key, secret, totp_context(user_id));
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare("UPDATE users SET totp_pending_sealed=? WHERE id=?"));
  st.bind(1, to_hex(sealed)).bind(2, user_id);
  EVHUB_RETURN_IF_ERROR(st.run());
  std::string uri = crypto::otpauth_uri(issuer, username, secret);
  sodium_memzero(secret.data(), secret.size());
  return uri;
}

Status Accounts::confirm_totp(const std::string& username, const std::string& code,
                              std::int64_t now_ms, const crypto::SecretKey& sealing_key) {
  EVHUB_ASSIGN_OR_RETURN(std::string user_id, impl_->user_id(username));
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare("SELECT totp_pending_sealed FROM users WHERE id=?"));
  st.bind(1, user_id);
  EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
  auto sealed = row ? st.optional_text(0) : std::nullopt;
  if (!sealed) return Status(Code::kFailedPrecondition, "start the enrolment first");
  auto sealed_bytes = from_hex(*sealed);
  if (!sealed_bytes) return Status(Code::kIntegrity, "a TOTP secret in accounts.db is damaged");
  EVHUB_ASSIGN_OR_RETURN(Bytes secret,
                         crypto::open(sealing_key, *sealed_bytes, totp_context(user_id)));
  auto step = crypto::totp_match(secret, code, now_ms / 1000);
  sodium_memzero(secret.data(), secret.size());
  if (!step) return Status(Code::kUnauthenticated, "wrong one-time code");
  EVHUB_ASSIGN_OR_RETURN(
      Statement upd,
      impl_->db.prepare("UPDATE users SET totp_secret_sealed=totp_pending_sealed, "
                        "totp_pending_sealed=NULL, totp_enabled=1, totp_last_step=? WHERE id=?"));
  upd.bind(1, *step).bind(2, user_id);
  return upd.run();
}

Result<bool> Accounts::totp_enabled(const std::string& username) {
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare("SELECT totp_enabled FROM users WHERE username=?"));
  st.bind(1, username);
  EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row) return Status(Code::kNotFound, "there is no user " + username);
  return st.integer(0) != 0;
}

Result<std::string> Accounts::create_token(const std::string& username, const std::string& name) {
  if (name.empty() || !is_printable_text(name, 100)) {
    return Status(Code::kInvalidArgument, "a token name has 1 to 100 bytes of printable text");
  }
  EVHUB_ASSIGN_OR_RETURN(std::string user_id, impl_->user_id(username));
  const std::string secret = "evh_" + token();
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare("INSERT INTO api_tokens(id, user_id, name, created_at) "
                                           "VALUES (?, ?, ?, ?)"));
  st.bind(1, token_hash(secret)).bind(2, user_id).bind(3, name).bind(4, now_rfc3339());
  Status done = st.run();
  if (done.code() == Code::kAlreadyExists) {
    return Status(Code::kAlreadyExists, username + " already has a token named " + name);
  }
  EVHUB_RETURN_IF_ERROR(done);
  return secret;
}

Result<Caller> Accounts::resume_token(const std::string& secret) {
  EVHUB_ASSIGN_OR_RETURN(
      Statement st, impl_->db.prepare("SELECT u.username, u.disabled, t.revoked FROM api_tokens t "
                                      "JOIN users u ON u.id = t.user_id WHERE t.id=?"));
  st.bind(1, token_hash(secret));
  EVHUB_ASSIGN_OR_RETURN(bool found, st.step());
  const Status refused(Code::kUnauthenticated, "unknown or revoked API token");
  if (!found || st.integer(1) != 0 || st.integer(2) != 0) return refused;
  const std::string username = st.text(0);
  EVHUB_ASSIGN_OR_RETURN(auto user, find_user(username));
  if (!user) return refused;
  return Caller{std::move(*user), "", ""};
}

Status Accounts::revoke_token(const std::string& username, const std::string& name) {
  EVHUB_ASSIGN_OR_RETURN(std::string user_id, impl_->user_id(username));
  EVHUB_ASSIGN_OR_RETURN(
      Statement st,
      impl_->db.prepare(
          "UPDATE api_tokens SET revoked=1 WHERE user_id=? AND name=? AND revoked=0"));
  st.bind(1, user_id).bind(2, name);
  EVHUB_RETURN_IF_ERROR(st.run());
  if (sqlite3_changes(impl_->db.handle()) == 0) {
    return Status(Code::kNotFound, username + " has no live token named " + name);
  }
  return Status::ok();
}

Result<std::vector<Accounts::TokenInfo>> Accounts::tokens(const std::string& username) {
  EVHUB_ASSIGN_OR_RETURN(std::string user_id, impl_->user_id(username));
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare("SELECT name, created_at, revoked FROM api_tokens WHERE "
                                           "user_id=? ORDER BY name"));
  st.bind(1, user_id);
  std::vector<TokenInfo> out;
  for (;;) {
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    out.push_back(TokenInfo{st.text(0), st.text(1), st.integer(2) != 0});
  }
  return out;
}

}  // namespace evhub::accounts
