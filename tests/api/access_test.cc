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
#include "catalog/catalog.h"
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
     {"intake-officer", "analyst", "osint-researcher", "legal-officer", "reviewer",
      "mhpss-coordinator", "lead"}},
    {"POST /api/v1/objects", {"intake-officer", "analyst", "osint-researcher", "lead"}},
    {"GET /api/v1/objects/{id}/content",
     {"intake-officer", "analyst", "osint-researcher", "legal-officer", "reviewer",
      "mhpss-coordinator", "lead"}},
    {"POST /api/v1/objects/{id}/verify",
     {"intake-officer", "analyst", "osint-researcher", "legal-officer", "reviewer",
      "mhpss-coordinator", "lead"}},
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
  auto stored = hub->put_data("t", "evidence", "W-00001", hub::Intake::evidence(orgs[0].id));
  ASSERT_TRUE(stored.is_ok());
  // The MHPSS coordinator reads only restricted categories: the record-level rules have their
  // own test below; here each role is given a record it may read, if any.
  auto health =
      hub->put_data("h", "medical record", "W-00001", hub::Intake::evidence(orgs[0].id, "health"));
  ASSERT_TRUE(health.is_ok());
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
      if (auto p = path.find("{id}"); p != std::string::npos) {
        path.replace(p, 4, who == "mhpss-coordinator" ? health->id : stored->id);
      }
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
        for (const auto* o : {&*stored, &*health}) {
          EXPECT_EQ(body.find(o->id), std::string::npos);
          EXPECT_EQ(body.find(o->sha256), std::string::npos);
        }
      }
    }
  }
}

// Health and sexual-violence material, record by record: each role sees in lists, counts and
// downloads exactly the categories api/policy.h gives it, and nothing at all of another
// organisation's material.
TEST(Access, RestrictedCategoriesAreSeenOnlyByTheRolesThatNeedThem) {
  testing::TempDir tmp;
  const auto cred = [] { return vault::Credential::key_file(Bytes(32, 4)); };
  hub::InitOptions init;
  init.actor = "test";
  ASSERT_TRUE(hub::init_hub(tmp / "hub", cred(), init).is_ok());
  auto hub = std::move(hub::Hub::open(tmp / "hub", cred(), {"test", 5000})).value();
  auto accounts = std::move(accounts::Accounts::open(hub->layout().accounts())).value();
  ASSERT_TRUE(accounts->add_organisation("Partner A").is_ok());
  ASSERT_TRUE(accounts->add_organisation("Partner B").is_ok());
  const auto orgs = *accounts->organisations();
  const std::string hash = *crypto::hash_password("a password 12", crypto::KdfCost::interactive());
  for (Role r : accounts::kAllRoles) {
    ASSERT_TRUE(accounts->add_user(role_name(r), "Partner A", hash).is_ok());
    ASSERT_TRUE(accounts->grant(role_name(r), "Partner A", r, "test").is_ok());
  }
  accounts.reset();
  // One object per category in Partner A, and one of each in Partner B that nobody here reads.
  std::map<std::string, hub::StoredObject> in_a, in_b;
  for (const char* s : catalog::kSensitivities) {
    in_a[s] =
        *hub->put_data("a", std::string("A ") + s, "W-00001", hub::Intake::evidence(orgs[0].id, s));
    in_b[s] =
        *hub->put_data("b", std::string("B ") + s, "W-00002", hub::Intake::evidence(orgs[1].id, s));
  }
  auto api = std::move(Api::open(*hub)).value();
  auto router = std::make_shared<Router>();
  api->add_routes(*router);
  TestServer server(router);

  const std::map<std::string, std::set<std::string>> kReads = {
      {"intake-officer", {"normal", "health", "sexual-violence"}},
      {"analyst", {"normal"}},
      {"osint-researcher", {"normal"}},
      {"legal-officer", {"normal", "health", "sexual-violence"}},
      {"reviewer", {"normal"}},
      {"mhpss-coordinator", {"health", "sexual-violence"}},
      {"lead", {"normal", "health", "sexual-violence"}},
      {"administrator", {}},
      {"auditor", {}},
  };
  for (const auto& [who, reads] : kReads) {
    SCOPED_TRACE(who);
    const std::string jar = tmp / ("jar-" + who);
    ASSERT_EQ(
        curl({"-c", jar, "--data", json{{"username", who}, {"password", "a password 12"}}.dump(),
              server.url("/api/v1/session")})
            .first,
        200);
    auto [list_status, list_body] = curl({"-b", jar, server.url("/api/v1/objects")});
    std::set<std::string> listed;
    if (list_status == 200) {
      const json page =
          json::parse(list_body);  // named: a range-for over a temporary's member dangles
      for (const auto& o : page["objects"]) listed.insert(o["id"].get<std::string>());
    }
    json dash = json::parse(curl({"-b", jar, server.url("/api/v1/dashboard")}).second);
    EXPECT_EQ(dash["objects"], reads.size()) << "counts include only what may be read";
    for (const char* s : catalog::kSensitivities) {
      const bool may = reads.count(s) > 0;
      EXPECT_EQ(listed.count(in_a[s].id), may ? 1u : 0u) << s;
      EXPECT_EQ(listed.count(in_b[s].id), 0u) << s;
      auto [get, body] =
          curl({"-b", jar, server.url("/api/v1/objects/" + in_a[s].id + "/content")});
      EXPECT_EQ(get, may ? 200 : 403) << s;
      EXPECT_EQ(body.find("A "), may ? 0u : std::string::npos) << s;
      EXPECT_EQ(curl({"-b", jar, server.url("/api/v1/objects/" + in_b[s].id + "/content")}).first,
                403)
          << s;
    }
  }
}

}  // namespace
}  // namespace evhub::api
