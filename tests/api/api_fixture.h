// The fixture of the API tests against a real server: a hub with Partners A and B, an
// administrator and two analysts, the API on a free loopback port, and sessions made with curl.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "api/routes.h"
#include "api/test_server.h"
#include "crypto/password.h"
#include "hub/hub.h"

namespace evhub::api {

class ApiTest : public ::testing::Test {
 protected:
  using json = nlohmann::json;

  void SetUp() override {
    hub::InitOptions init;
    init.kdf = crypto::KdfCost::interactive();
    init.actor = "test";
    ASSERT_TRUE(hub::init_hub(tmp_ / "hub", credential(), init).is_ok());
    auto h = hub::Hub::open(tmp_ / "hub", credential(), hub::OpenOptions{"api-test", 5000});
    ASSERT_TRUE(h.is_ok());
    hub_ = std::move(h).value();
    {
      auto accounts = accounts::Accounts::open(hub_->layout().accounts());
      ASSERT_TRUE(accounts.is_ok());
      auto& a = **accounts;
      ASSERT_TRUE(a.add_organisation("Partner A").is_ok());
      ASSERT_TRUE(a.add_organisation("Partner B").is_ok());
      for (auto [user, org, role] :
           {std::tuple{"admin", "Partner A", accounts::Role::kAdministrator},
            std::tuple{"analyst", "Partner B", accounts::Role::kAnalyst},
            std::tuple{"analyst.a", "Partner A", accounts::Role::kAnalyst}}) {
        auto hash =
            crypto::hash_password(std::string(user) + " password!", crypto::KdfCost::interactive());
        ASSERT_TRUE(a.add_user(user, org, *hash).is_ok());
        ASSERT_TRUE(a.grant(user, org, role, "test").is_ok());
      }
    }
    auto api = Api::open(*hub_);
    ASSERT_TRUE(api.is_ok()) << api.status().to_string();
    api_ = std::move(api).value();
    auto router = std::make_shared<Router>();
    api_->add_routes(*router);
    server_ = std::make_unique<TestServer>(router);
  }
  static vault::Credential credential() { return vault::Credential::key_file(Bytes(32, 7)); }

  // Signs in with a cookie jar of its own; returns the CSRF token.
  std::string sign_in(const std::string& user, const std::string& jar) {
    auto [status, body] = curl({"-c", jar, "-H", "Content-Type: application/json", "--data",
                                json{{"username", user}, {"password", user + " password!"}}.dump(),
                                server_->url("/api/v1/session")});
    EXPECT_EQ(status, 200) << body;
    return json::parse(body).value("csrf_token", "");
  }

  // Another account, made beside the fixture's (the API reads accounts.db on each sign-in).
  void add_user(const std::string& user, const std::string& org,
                std::initializer_list<std::pair<const char*, accounts::Role>> grants) {
    auto accounts = accounts::Accounts::open(hub_->layout().accounts());
    ASSERT_TRUE(accounts.is_ok());
    auto hash = crypto::hash_password(user + " password!", crypto::KdfCost::interactive());
    ASSERT_TRUE((*accounts)->add_user(user, org, *hash).is_ok());
    for (const auto& [grant_org, role] : grants) {
      ASSERT_TRUE((*accounts)->grant(user, grant_org, role, "test").is_ok());
    }
  }

  // A signed-in person for the witness tests: GET, or a change with the CSRF token.
  struct Session {
    ApiTest* test;
    std::string jar;
    std::string csrf;
    std::pair<int, std::string> get(const std::string& path) const {
      return curl({"-b", jar, test->server_->url(path)});
    }
    std::pair<int, std::string> send(const std::string& method, const std::string& path,
                                     const json& body = nullptr) const {
      std::vector<std::string> args = {"-X", method, "-b", jar, "-H", "X-CSRF-Token: " + csrf};
      if (!body.is_null())
        args.insert(args.end(), {"-H", "Content-Type: application/json", "--data", body.dump()});
      args.push_back(test->server_->url(path));
      return curl(args);
    }
  };
  Session session(const std::string& user) {
    const std::string jar = tmp_ / (user + ".jar");
    return Session{this, jar, sign_in(user, jar)};
  }

  testing::TempDir tmp_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<TestServer> server_;
};

}  // namespace evhub::api
