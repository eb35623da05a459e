// The HTTP API under /api/v1: who may call what (one table, in routes.cc), sign-in with a
// session cookie (HttpOnly, SameSite=Strict, Secure under TLS) plus a CSRF token on every change,
// and the routes themselves. Every sign-in and every refusal of one is written to the custody
// log through the hub.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "accounts/accounts.h"
#include "api/server.h"
#include "hub/hub.h"

namespace evhub::api {

struct ApiOptions {
  bool tls = false;  // adds Secure to the session cookie
  accounts::SignInPolicy policy;
  std::function<std::int64_t()> clock;  // milliseconds since the epoch; default: the real clock
};

class Api {
 public:
  static Result<std::unique_ptr<Api>> open(hub::Hub& hub, ApiOptions options = {});
  void add_routes(Router& router);

 private:
  Api(hub::Hub& hub, std::unique_ptr<accounts::Accounts> accounts, ApiOptions options);
  struct Context;
  hub::Hub& hub_;
  std::unique_ptr<accounts::Accounts> accounts_;
  ApiOptions options_;
  crypto::SecretKey sealing_key_;
  // The hub is used by one request at a time (hub_mu_), and so is the accounts database
  // (accounts_mu_, taken inside hub_mu_ by handlers, alone by the session check: one order).
  std::mutex hub_mu_;
  std::mutex accounts_mu_;
  struct LockedAccounts {
    std::unique_lock<std::mutex> lock;
    accounts::Accounts* accounts;
    accounts::Accounts* operator->() { return accounts; }
  };
  // accounts()->f(…) holds the accounts lock for the call.
  LockedAccounts accounts() { return {std::unique_lock(accounts_mu_), accounts_.get()}; }

  // Sessions and organisations, remembered for a second (see routes.cc).
  static constexpr std::int64_t kCacheMs = 1000;
  struct CachedCaller {
    accounts::Caller caller;
    std::int64_t until = 0;
  };
  Result<accounts::Caller> resume(const std::string& token, bool api_token);
  bool totp_enabled(const std::string& username);
  struct Readable {
    std::optional<hub::ListedObject> object;  // set when the caller may read it
    Response refusal;                         // otherwise
  };
  Readable readable_object(const accounts::Caller& caller, const std::string& id);
  std::string organisation_id(const std::string& name);  // "" if unknown
  std::map<std::string, std::string> usernames();        // by user id
  Response user_response(int status, const std::string& username);
  Response change_grant(const accounts::User& by, const std::string& username,
                        const std::string& body, std::string organisation, std::string role,
                        bool grant);
  // After a change of roles or a disabled account: no remembered session outlives it.
  void forget_sessions();
  void forget(const std::string& token);
  Result<std::vector<accounts::Organisation>> organisations();
  std::unordered_map<std::string, CachedCaller> session_cache_;
  std::vector<accounts::Organisation> organisations_;
  std::int64_t organisations_until_ = 0;
};

}  // namespace evhub::api
