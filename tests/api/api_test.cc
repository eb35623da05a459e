// The API with a real hub, real accounts and real HTTP: sign-in, the session cookie, CSRF, and
// refusals by role that carry no data.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "api/routes.h"
#include "api/test_server.h"
#include "crypto/password.h"
#include "hub/hub.h"

namespace evhub::api {
namespace {

using nlohmann::json;

class ApiTest : public ::testing::Test {
 protected:
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

  testing::TempDir tmp_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(ApiTest, SignInSetsAStrictHttpOnlyCookieAndRefusesWrongPasswords) {
  auto [bad_status, bad_body] = curl(
      {"--data", R"({"username":"admin","password":"nope"})", server_->url("/api/v1/session")});
  EXPECT_EQ(bad_status, 401);
  EXPECT_EQ(json::parse(bad_body)["error"]["code"], "unauthenticated");
  auto [garbage_status, garbage_body] =
      curl({"--data", "{not json", server_->url("/api/v1/session")});
  EXPECT_EQ(garbage_status, 400);

  testing::RunResult r = testing::run({"curl", "-s", "-D", "-", "--data",
                                       R"({"username":"admin","password":"admin password!"})",
                                       server_->url("/api/v1/session")});
  EXPECT_NE(r.out.find("Set-Cookie: evhub_session="), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("HttpOnly"), std::string::npos);
  EXPECT_NE(r.out.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(r.out.find("\"csrf_token\""), std::string::npos);
}

TEST_F(ApiTest, SessionCookieIdentifiesTheCaller) {
  std::string jar = tmp_ / "admin.jar";
  sign_in("admin", jar);
  auto [status, body] = curl({"-b", jar, server_->url("/api/v1/session")});
  ASSERT_EQ(status, 200) << body;
  json j = json::parse(body);
  EXPECT_EQ(j["user"]["username"], "admin");
  EXPECT_EQ(j["user"]["roles"][0]["role"], "administrator");
  EXPECT_EQ(curl({server_->url("/api/v1/session")}).first, 401) << "no cookie, no session";
}

TEST_F(ApiTest, ForbiddenMeans403AndNoData) {
  std::string admin_jar = tmp_ / "admin.jar", analyst_jar = tmp_ / "analyst.jar";
  sign_in("admin", admin_jar);
  sign_in("analyst", analyst_jar);
  auto [ok_status, ok_body] = curl({"-b", admin_jar, server_->url("/api/v1/users")});
  EXPECT_EQ(ok_status, 200);
  EXPECT_EQ(json::parse(ok_body)["users"].size(), 3u);
  for (const char* path : {"/api/v1/users", "/api/v1/hub"}) {
    auto [status, body] = curl({"-b", analyst_jar, server_->url(path)});
    EXPECT_EQ(status, 403) << path;
    json j = json::parse(body);
    EXPECT_EQ(j.size(), 1u) << "only the error: " << body;
    EXPECT_EQ(j["error"]["code"], "forbidden");
    EXPECT_EQ(body.find("admin"), std::string::npos) << body;
    auto [anon_status, anon_body] = curl({server_->url(path)});
    EXPECT_EQ(anon_status, 401) << path;
  }
}

TEST_F(ApiTest, ChangesNeedTheCsrfToken) {
  std::string jar = tmp_ / "admin.jar";
  std::string csrf = sign_in("admin", jar);
  ASSERT_FALSE(csrf.empty());
  const std::string totp = server_->url("/api/v1/session/totp");
  auto [no_token, body] = curl({"-b", jar, "-X", "POST", totp});
  EXPECT_EQ(no_token, 403);
  EXPECT_EQ(json::parse(body)["error"]["code"], "csrf");
  EXPECT_EQ(curl({"-b", jar, "-H", "X-CSRF-Token: wrong", "-X", "POST", totp}).first, 403);
  EXPECT_EQ(curl({"-b", jar, "-H", "X-CSRF-Token: " + csrf, "-X", "POST", totp}).first, 200);
  // Signing out is the one change that needs no token: a tab that lost it can still end the
  // session (and the SameSite=Strict cookie is never sent from another site anyway).
  EXPECT_EQ(curl({"-b", jar, "-X", "DELETE", server_->url("/api/v1/session")}).first, 204);
  EXPECT_EQ(curl({"-b", jar, server_->url("/api/v1/session")}).first, 401) << "signed out";
}

TEST_F(ApiTest, SignInsAndRefusalsAreInTheCustodyLogWithoutNames) {
  sign_in("admin", tmp_ / "jar");
  curl({"--data", R"({"username":"analyst","password":"wrong one"})",
        server_->url("/api/v1/session")});
  std::string log = testing::read_text(tmp_ / "hub/custody/events.jsonl");
  EXPECT_NE(log.find("\"action\":\"session.start\""), std::string::npos);
  EXPECT_NE(log.find("\"action\":\"session.refused\""), std::string::npos);
  EXPECT_EQ(log.find("analyst"), std::string::npos);
  EXPECT_EQ(log.find("password"), std::string::npos);
  // The same events through the audit route, filtered and newest first.
  auto [status, body] =
      curl({"-b", tmp_ / "jar", server_->url("/api/v1/audit?action=session.refused")});
  ASSERT_EQ(status, 200) << body;
  json events = json::parse(body)["events"];
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["action"], "session.refused");
  auto [all_status, all_body] = curl({"-b", tmp_ / "jar", server_->url("/api/v1/audit")});
  json all = json::parse(all_body)["events"];
  ASSERT_GE(all.size(), 3u);
  EXPECT_GT(all[0]["seq"].get<int>(), all[1]["seq"].get<int>());
}

TEST_F(ApiTest, EvidenceIsUploadedListedAndDownloadedWithinTheOrganisationOnly) {
  std::string b_jar = tmp_ / "b.jar", a_jar = tmp_ / "a.jar", admin_jar = tmp_ / "admin.jar";
  std::string b_csrf = sign_in("analyst", b_jar);
  std::string a_csrf = sign_in("analyst.a", a_jar);
  sign_in("admin", admin_jar);
  std::string file = tmp_ / "scan.bin";
  testing::write_random_file(file, 3 * 1024 * 1024 + 5, 42);
  const std::string sha = testing::sha256sum_of(file);

  auto [up_status, up_body] = curl({"-b", b_jar, "-H", "X-CSRF-Token: " + b_csrf, "-H",
                                    "Content-Type: application/octet-stream", "--data-binary",
                                    "@" + file, server_->url("/api/v1/objects?domain=W-00123")});
  ASSERT_EQ(up_status, 201) << up_body;
  json up = json::parse(up_body);
  EXPECT_EQ(up["sha256"], sha);
  const std::string id = up["id"];

  auto [list_status, list_body] = curl({"-b", b_jar, server_->url("/api/v1/objects?limit=10")});
  ASSERT_EQ(list_status, 200);
  json list = json::parse(list_body);
  ASSERT_EQ(list["objects"].size(), 1u);
  EXPECT_EQ(list["objects"][0]["id"], id);
  EXPECT_TRUE(list["next"].is_null());

  std::string got = tmp_ / "got.bin";
  testing::RunResult dl = testing::run({"curl", "-s", "-f", "-b", b_jar, "-o", got,
                                        server_->url("/api/v1/objects/" + id + "/content")});
  ASSERT_EQ(dl.exit_code, 0) << dl.err;
  EXPECT_EQ(testing::sha256sum_of(got), sha);

  testing::RunResult part = testing::run({"curl", "-s", "-b", b_jar, "-r", "1048570-1048589", "-D",
                                          "-", server_->url("/api/v1/objects/" + id + "/content")});
  EXPECT_NE(part.out.find("206"), std::string::npos);
  EXPECT_NE(part.out.find("Content-Range: bytes 1048570-1048589/3145733"), std::string::npos)
      << part.out;
  std::string original = testing::read_text(file);
  EXPECT_EQ(part.out.substr(part.out.size() - 20), original.substr(1048570, 20));
  EXPECT_EQ(
      curl({"-b", b_jar, "-r", "9999999-", server_->url("/api/v1/objects/" + id + "/content")})
          .first,
      416);

  // Another organisation's analyst sees zero objects and cannot fetch or extend this one.
  auto [a_status, a_body] = curl({"-b", a_jar, server_->url("/api/v1/objects")});
  EXPECT_EQ(a_status, 200);
  EXPECT_EQ(json::parse(a_body)["objects"].size(), 0u);
  auto [a_get, a_get_body] =
      curl({"-b", a_jar, server_->url("/api/v1/objects/" + id + "/content")});
  EXPECT_EQ(a_get, 403);
  EXPECT_EQ(a_get_body.find(sha), std::string::npos);
  auto [a_put, a_put_body] = curl({"-b", a_jar, "-H", "X-CSRF-Token: " + a_csrf, "--data-binary",
                                   "x", server_->url("/api/v1/objects?domain=W-00123")});
  EXPECT_EQ(a_put, 403) << a_put_body;
  // An administrator manages accounts, not evidence.
  EXPECT_EQ(curl({"-b", admin_jar, server_->url("/api/v1/objects")}).first, 403);
  EXPECT_EQ(
      curl({"-b", b_jar, server_->url("/api/v1/objects/" + std::string(32, 'f') + "/content")})
          .first,
      404);

  // The reads are in the custody log, before the bytes left.
  std::string log = testing::read_text(tmp_ / "hub/custody/events.jsonl");
  EXPECT_NE(log.find("\"action\":\"get\",\"object\":\"" + id), std::string::npos);
  EXPECT_NE(log.find("\"via\":\"api\""), std::string::npos);
}

TEST_F(ApiTest, ScriptsUseBearerTokensWithoutCsrf) {
  std::string token;
  {
    auto accounts = accounts::Accounts::open(hub_->layout().accounts());
    auto t = (*accounts)->create_token("analyst", "script");
    ASSERT_TRUE(t.is_ok());
    token = *t;
  }
  auto [up, up_body] = curl({"-H", "Authorization: Bearer " + token, "--data-binary", "bytes",
                             server_->url("/api/v1/objects?domain=W-00777")});
  EXPECT_EQ(up, 201) << up_body;
  auto [list, list_body] =
      curl({"-H", "Authorization: Bearer " + token, server_->url("/api/v1/objects")});
  EXPECT_EQ(list, 200);
  EXPECT_EQ(json::parse(list_body)["objects"].size(), 1u);
  EXPECT_EQ(curl({"-H", "Authorization: Bearer evh_forged", server_->url("/api/v1/objects")}).first,
            401);
  EXPECT_EQ(curl({"-H", "Authorization: Bearer " + token, server_->url("/api/v1/users")}).first,
            403)
      << "a token has its user's roles, no more";
}

TEST_F(ApiTest, VerifyRehashesAnObjectAndTheDashboardCountsOwnOrganisationsOnly) {
  std::string b_jar = tmp_ / "b.jar", a_jar = tmp_ / "a.jar", admin_jar = tmp_ / "admin.jar";
  std::string b_csrf = sign_in("analyst", b_jar);
  std::string a_csrf = sign_in("analyst.a", a_jar);
  std::string admin_csrf = sign_in("admin", admin_jar);
  auto [up_status, up_body] =
      curl({"-b", b_jar, "-H", "X-CSRF-Token: " + b_csrf, "--data-binary", "statement of W-00124",
            server_->url("/api/v1/objects?domain=W-00124")});
  ASSERT_EQ(up_status, 201) << up_body;
  const std::string id = json::parse(up_body)["id"];
  const std::string verify_url = server_->url("/api/v1/objects/" + id + "/verify");

  auto [v_status, v_body] =
      curl({"-X", "POST", "-b", b_jar, "-H", "X-CSRF-Token: " + b_csrf, verify_url});
  ASSERT_EQ(v_status, 200) << v_body;
  json v = json::parse(v_body);
  EXPECT_EQ(v["verified"], true);
  EXPECT_EQ(v["id"], id);
  EXPECT_FALSE(v["checked_at"].get<std::string>().empty());
  // Another organisation's analyst may not even learn whether it checks.
  auto [a_status, a_body] =
      curl({"-X", "POST", "-b", a_jar, "-H", "X-CSRF-Token: " + a_csrf, verify_url});
  EXPECT_EQ(a_status, 403);
  EXPECT_EQ(a_body.find("verified"), std::string::npos);

  // Damage the stored ciphertext: the check says so, as a value, and the log records it.
  std::string stored;
  for (const auto& e : std::filesystem::recursive_directory_iterator(tmp_ / "hub/objects")) {
    if (e.path().filename().string().rfind(id, 0) == 0) stored = e.path();
  }
  ASSERT_FALSE(stored.empty());
  std::string bytes = testing::read_text(stored);
  bytes[bytes.size() - 3] ^= 1;
  testing::write_text_file(stored, bytes);
  auto [bad_status, bad_body] =
      curl({"-X", "POST", "-b", b_jar, "-H", "X-CSRF-Token: " + b_csrf, verify_url});
  ASSERT_EQ(bad_status, 200) << bad_body;
  EXPECT_EQ(json::parse(bad_body)["verified"], false);
  EXPECT_FALSE(json::parse(bad_body)["problem"].get<std::string>().empty());
  std::string log = testing::read_text(tmp_ / "hub/custody/events.jsonl");
  EXPECT_NE(log.find("\"action\":\"object.verify\",\"object\":\"" + id), std::string::npos);
  EXPECT_NE(log.find("\"outcome\":\"failed\""), std::string::npos);

  // The dashboard counts what the caller's organisations hold, and nothing of the others'.
  json b_dash = json::parse(curl({"-b", b_jar, server_->url("/api/v1/dashboard")}).second);
  EXPECT_EQ(b_dash["objects"], 1);
  EXPECT_EQ(b_dash["bytes"], 20);
  ASSERT_EQ(b_dash["recent_objects"].size(), 1u);
  EXPECT_EQ(b_dash["recent_objects"][0]["id"], id);
  EXPECT_FALSE(b_dash.contains("recent_events")) << "analysts do not read the audit trail";
  auto [ad_status, ad_body] = curl({"-b", a_jar, server_->url("/api/v1/dashboard")});
  EXPECT_EQ(ad_status, 200);
  EXPECT_EQ(json::parse(ad_body)["objects"], 0);
  EXPECT_EQ(ad_body.find(id), std::string::npos);
  json admin_dash = json::parse(curl({"-b", admin_jar, server_->url("/api/v1/dashboard")}).second);
  ASSERT_TRUE(admin_dash.contains("recent_events"));
  EXPECT_EQ(admin_dash["recent_events"][0]["action"], "object.verify");
  EXPECT_EQ(admin_dash["recent_events"][0]["user"], "analyst")
      << "the trail names who acted; the log itself holds only the id";
  EXPECT_EQ(log.find("\"analyst\""), std::string::npos);
}

TEST_F(ApiTest, AdministratorsManageUsersAndRightsThroughTheApi) {
  std::string admin_jar = tmp_ / "admin.jar", jar = tmp_ / "new.jar";
  const std::string csrf = sign_in("admin", admin_jar);
  auto admin = [&](const std::string& method, const std::string& path, const std::string& body) {
    return curl({"-X", method, "-b", admin_jar, "-H", "X-CSRF-Token: " + csrf, "--data", body,
                 server_->url(path)});
  };
  auto orgs = curl({"-b", admin_jar, server_->url("/api/v1/organisations")});
  ASSERT_EQ(orgs.first, 200);
  EXPECT_EQ(json::parse(orgs.second)["organisations"].size(), 2u);

  const json add = {{"username", "intake.b"},
                    {"organisation", "Partner B"},
                    {"password", "intake.b password!"},
                    {"roles", {"intake-officer"}}};
  auto [st, body] = admin("POST", "/api/v1/users", add.dump());
  ASSERT_EQ(st, 201) << body;
  json user = json::parse(body);
  EXPECT_EQ(user["username"], "intake.b");
  EXPECT_EQ(user["roles"][0]["role"], "intake-officer");
  EXPECT_EQ(user["disabled"], false);
  EXPECT_EQ(user["totp"], false);
  EXPECT_EQ(admin("POST", "/api/v1/users", add.dump()).first, 409);
  json weak = add;
  weak["username"] = "weak";
  weak["password"] = "short";
  auto [weak_st, weak_body] = admin("POST", "/api/v1/users", weak.dump());
  EXPECT_EQ(weak_st, 400);
  EXPECT_NE(weak_body.find("12"), std::string::npos) << weak_body;
  json unknown_role = add;
  unknown_role["username"] = "other";
  unknown_role["roles"] = {"warlord"};
  EXPECT_EQ(admin("POST", "/api/v1/users", unknown_role.dump()).first, 400);

  sign_in("intake.b", jar);
  EXPECT_EQ(curl({"-b", jar, server_->url("/api/v1/users")}).first, 403);
  // A grant counts from the next request; so does its revocation.
  auto [g_st, g_body] = admin("POST", "/api/v1/users/intake.b/grants",
                              json{{"organisation", "Partner B"}, {"role", "auditor"}}.dump());
  ASSERT_EQ(g_st, 200) << g_body;
  EXPECT_EQ(json::parse(g_body)["roles"].size(), 2u);
  EXPECT_EQ(curl({"-b", jar, server_->url("/api/v1/audit")}).first, 200);
  auto [r_st, r_body] = curl({"-X", "DELETE", "-b", admin_jar, "-H", "X-CSRF-Token: " + csrf,
                              server_->url("/api/v1/users/intake.b/grants?organisation=Partner%20B"
                                           "&role=auditor")});
  ASSERT_EQ(r_st, 200) << r_body;
  EXPECT_EQ(curl({"-b", jar, server_->url("/api/v1/audit")}).first, 403);
  EXPECT_EQ(admin("POST", "/api/v1/users/nobody/grants",
                  json{{"organisation", "Partner B"}, {"role", "auditor"}}.dump())
                .first,
            404);

  // Disabling ends the user's sessions at once.
  auto [d_st, d_body] = admin("POST", "/api/v1/users/intake.b/disabled", R"({"disabled":true})");
  ASSERT_EQ(d_st, 200) << d_body;
  EXPECT_EQ(json::parse(d_body)["disabled"], true);
  EXPECT_EQ(curl({"-b", jar, server_->url("/api/v1/session")}).first, 401);
  EXPECT_EQ(admin("POST", "/api/v1/users/admin/disabled", R"({"disabled":true})").first, 409)
      << "an administrator cannot lock themselves out";

  // The log has the changes by id, never the username or the password.
  std::string log = testing::read_text(tmp_ / "hub/custody/events.jsonl");
  EXPECT_NE(log.find("\"action\":\"user.add\""), std::string::npos);
  EXPECT_NE(log.find("\"action\":\"user.grant\""), std::string::npos);
  EXPECT_NE(log.find("\"action\":\"user.revoke\""), std::string::npos);
  EXPECT_NE(log.find("\"action\":\"user.disable\""), std::string::npos);
  EXPECT_EQ(log.find("intake.b"), std::string::npos);
  EXPECT_EQ(log.find("password"), std::string::npos);

  // The trail, read back, names the administrator as the one who acted, not the account changed.
  json trail =
      json::parse(curl({"-b", admin_jar, server_->url("/api/v1/audit?action=user.add")}).second);
  ASSERT_EQ(trail["events"].size(), 1u);
  EXPECT_EQ(trail["events"][0]["user"], "admin");
}

}  // namespace
}  // namespace evhub::api
