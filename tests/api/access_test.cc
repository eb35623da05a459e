// Every route, called by a user holding each single role (and by nobody): the allowed ones get
// through, the others get 401/403 with the error alone — no data, no counts, no ids.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "api/routes.h"
#include "api/test_server.h"
#include "crypto/password.h"
#include "hub/hub.h"

namespace evhub::api {
namespace {

using accounts::Role;
using nlohmann::json;

// Who may call each route; "*" is any signed-in user, "public" anyone.
const std::map<std::string, std::set<std::string>> kAllowed = {
    {"GET /api/v1/health", {"public"}},
    {"POST /api/v1/session", {"public"}},
    {"GET /api/v1/session", {"*"}},
    {"DELETE /api/v1/session", {"*"}},
    {"POST /api/v1/session/totp", {"*"}},
    {"POST /api/v1/session/totp/confirm", {"*"}},
    {"GET /api/v1/objects",
     {"intake-officer", "analyst", "osint-researcher", "legal-officer", "reviewer", "lead"}},
    {"POST /api/v1/objects", {"intake-officer", "analyst", "osint-researcher", "lead"}},
    {"GET /api/v1/objects/{id}/content",
     {"intake-officer", "analyst", "osint-researcher", "legal-officer", "reviewer", "lead"}},
    {"POST /api/v1/objects/{id}/verify",
     {"intake-officer", "analyst", "osint-researcher", "legal-officer", "reviewer", "lead"}},
    {"GET /api/v1/dashboard", {"*"}},
    {"GET /api/v1/organisations", {"administrator"}},
    {"GET /api/v1/users", {"administrator"}},
    {"POST /api/v1/users", {"administrator"}},
    {"POST /api/v1/users/{username}/grants", {"administrator"}},
    {"DELETE /api/v1/users/{username}/grants", {"administrator"}},
    {"POST /api/v1/users/{username}/disabled", {"administrator"}},
    {"GET /api/v1/audit", {"administrator", "auditor"}},
    {"GET /api/v1/hub", {"administrator", "lead", "auditor"}},
};

TEST(Access, EveryRouteWithEveryRole) {
  testing::TempDir tmp;
  const auto cred = [] { return vault::Credential::key_file(Bytes(32, 9)); };
  hub::InitOptions init;
  init.actor = "test";
  ASSERT_TRUE(hub::init_hub(tmp / "hub", cred(), init).is_ok());
  auto hub = std::move(hub::Hub::open(tmp / "hub", cred(), {"test", 5000})).value();
  auto accounts = std::move(accounts::Accounts::open(hub->layout().accounts())).value();
  ASSERT_TRUE(accounts->add_organisation("Partner B").is_ok());
  auto orgs = *accounts->organisations();
  const std::string hash = *crypto::hash_password("a password 12", crypto::KdfCost::interactive());
  for (Role r : accounts::kAllRoles) {
    ASSERT_TRUE(accounts->add_user(role_name(r), "Partner B", hash).is_ok());
    ASSERT_TRUE(accounts->grant(role_name(r), "Partner B", r, "test").is_ok());
  }
  accounts.reset();
  auto stored = hub->put_data("t", "evidence", "W-00001", orgs[0].id);
  ASSERT_TRUE(stored.is_ok());
  auto api = std::move(Api::open(*hub)).value();
  auto router = std::make_shared<Router>();
  api->add_routes(*router);
  TestServer server(router);

  // Every registered route is in the table, and the reverse.
  std::set<std::string> registered;
  for (const auto& r : router->routes()) registered.insert(r.method + " " + r.path);
  std::set<std::string> tabled;
  for (const auto& [k, v] : kAllowed) tabled.insert(k);
  ASSERT_EQ(registered, tabled) << "update kAllowed when routes change";

  std::vector<std::string> callers = {"nobody"};
  for (Role r : accounts::kAllRoles) callers.push_back(role_name(r));
  for (const std::string& who : callers) {
    for (const auto& r : router->routes()) {
      const std::string key = r.method + " " + r.path;
      // A fresh session per call: some routes (sign-out) end it.
      std::string jar = tmp / ("jar-" + who);
      std::string csrf;
      std::filesystem::remove(jar);
      if (who != "nobody") {
        auto [st, body] = curl({"-c", jar, "--data",
                                json{{"username", who}, {"password", "a password 12"}}.dump(),
                                server.url("/api/v1/session")});
        ASSERT_EQ(st, 200) << who;
        csrf = json::parse(body)["csrf_token"];
      }
      std::string path = r.path;
      if (auto p = path.find("{id}"); p != std::string::npos) path.replace(p, 4, stored->id);
      if (auto p = path.find("{username}"); p != std::string::npos) path.replace(p, 10, "analyst");
      if (r.method == "POST" && path == "/api/v1/objects") path += "?domain=W-00001";
      std::vector<std::string> args = {"-X", r.method, "-H", "X-CSRF-Token: " + csrf};
      if (who != "nobody") args.insert(args.end(), {"-b", jar});
      if (r.method == "POST") args.insert(args.end(), {"--data", "{}"});
      args.push_back(server.url(path));
      auto [status, body] = curl(args);
      const auto& allowed = kAllowed.at(key);
      const bool ok = allowed.count("public") ||
                      (who != "nobody" && (allowed.count("*") || allowed.count(who)));
      SCOPED_TRACE(who + " " + key + " -> " + std::to_string(status) + " " + body);
      if (ok) {
        EXPECT_NE(status, 401);
        EXPECT_NE(status, 403);
      } else {
        EXPECT_EQ(status, who == "nobody" ? 401 : 403);
        json j = json::parse(body, nullptr, false);
        ASSERT_FALSE(j.is_discarded());
        EXPECT_EQ(j.size(), 1u) << "a refusal carries the error alone";
        EXPECT_TRUE(j.contains("error"));
        EXPECT_EQ(body.find(stored->id), std::string::npos);
        EXPECT_EQ(body.find(stored->sha256), std::string::npos);
      }
    }
  }
}

}  // namespace
}  // namespace evhub::api
