// The API with a real hub, real accounts and real HTTP: sign-in, the session cookie, CSRF, and
// refusals by role that carry no data.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "accounts/accounts.h"
#include "api/api_fixture.h"

namespace evhub::api {
namespace {

using nlohmann::json;

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
  EXPECT_EQ(r.out.find("; Secure"), std::string::npos) << "plain HTTP: a Secure cookie is lost";

  // Served over TLS (evhub serve --tls-cert), the cookie is Secure too.
  ApiOptions tls;
  tls.tls = true;
  auto secure_api = Api::open(*hub_, tls);
  ASSERT_TRUE(secure_api.is_ok()) << secure_api.status().to_string();
  auto router = std::make_shared<Router>();
  (*secure_api)->add_routes(*router);
  TestServer secure(router);
  testing::RunResult s = testing::run({"curl", "-s", "-D", "-", "--data",
                                       R"({"username":"admin","password":"admin password!"})",
                                       secure.url("/api/v1/session")});
  EXPECT_NE(s.out.find("; Secure"), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("HttpOnly"), std::string::npos);
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

TEST_F(ApiTest, UploadsAreProcessedInTheBackgroundAndShownOnTheDashboard) {
  api_->start_processing(1);
  std::string b_jar = tmp_ / "b.jar", a_jar = tmp_ / "a.jar";
  std::string b_csrf = sign_in("analyst", b_jar);
  sign_in("analyst.a", a_jar);
  auto [st, body] = curl({"-b", b_jar, "-H", "X-CSRF-Token: " + b_csrf, "--data-binary",
                          "Мяне затрымалі ў Мінску ў жніўні і білі ў пастарунку.",
                          server_->url("/api/v1/objects?domain=W-00800")});
  ASSERT_EQ(st, 201) << body;
  const std::string id = json::parse(body)["id"];
  // Extraction, then the translation it queues; the test waits for both (bounded).
  json jobs;
  for (int i = 0; i < 600; ++i) {
    jobs = json::parse(curl({"-b", b_jar, server_->url("/api/v1/dashboard")}).second)["jobs"];
    if (jobs.size() == 2 && jobs[0]["state"] == "done" && jobs[1]["state"] == "done") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(jobs.size(), 2u) << jobs;
  EXPECT_EQ(jobs[0]["kind"], "translate") << "newest first";
  EXPECT_EQ(jobs[1]["kind"], "extract-text");
  EXPECT_EQ(jobs[1]["object"], id);
  EXPECT_EQ(jobs[0]["state"], "done") << jobs;
  // The translation is a derived object the analyst can list and read.
  json list = json::parse(curl({"-b", b_jar, server_->url("/api/v1/objects")}).second);
  EXPECT_EQ(list["objects"].size(), 2u) << list;
  // Another organisation sees none of it.
  json other = json::parse(curl({"-b", a_jar, server_->url("/api/v1/dashboard")}).second);
  EXPECT_EQ(other["jobs"].size(), 0u);
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

// The witness register through the API, as an intake officer and a legal officer use it.
TEST_F(ApiTest, WitnessesAreRegisteredWithConsentAndCheckedForEachUse) {
  using accounts::Role;
  add_user("intake.a", "Partner A", {{"Partner A", Role::kIntakeOfficer}});
  add_user("legal.a", "Partner A", {{"Partner A", Role::kLegalOfficer}});
  const Session intake = session("intake.a"), legal = session("legal.a");
  const Session other = session("analyst");  // Partner B

  const json witness = {{"code", "W-00123"},         {"gender", "female"},
                        {"age_band", "30-44"},       {"country", "BY"},
                        {"languages", {"be", "ru"}}, {"vulnerabilities", {"relative-detained"}},
                        {"do_not_contact", false}};
  auto [st, body] = intake.send("POST", "/api/v1/witnesses", witness);
  ASSERT_EQ(st, 201) << body;
  json w = json::parse(body);
  EXPECT_EQ(w["code"], "W-00123");
  EXPECT_EQ(w["organisation"], "Partner A") << "the only organisation the officer registers in";
  EXPECT_EQ(w["languages"], json({"be", "ru"}));
  EXPECT_EQ(w["consent"]["state"], "missing");
  EXPECT_EQ(w["consents"].size(), 0u);
  EXPECT_EQ(w["permissions"]["add_consent"], true);
  EXPECT_EQ(w["permissions"]["erase"], false) << "leads erase";

  EXPECT_EQ(intake.send("POST", "/api/v1/witnesses", witness).first, 409);
  auto [bad_st, bad_body] =
      intake.send("POST", "/api/v1/witnesses", {{"code", "W-00124"}, {"gender", "unknown"}});
  EXPECT_EQ(bad_st, 400);
  EXPECT_NE(bad_body.find("gender must be"), std::string::npos) << "the register's own message";
  EXPECT_EQ(intake.send("POST", "/api/v1/witnesses", {{"code", "Ivan Petrov"}}).first, 400);
  EXPECT_EQ(intake.send("POST", "/api/v1/witnesses", {{"code", "W-00125"}, {"personl", {}}}).first,
            400)
      << "a misspelt field is refused, not dropped";
  EXPECT_EQ(
      intake.send("POST", "/api/v1/witnesses", {{"code", "W-00126"}, {"organisation", "Partner B"}})
          .first,
      403);
  EXPECT_EQ(legal.send("POST", "/api/v1/witnesses", {{"code", "W-00127"}}).first, 403)
      << "legal officers do not register witnesses";

  // Consent v1 covers internal analysis and the ICC until the end of 2030.
  const json v1 = {{"given_on", "2026-03-01"},
                   {"taken_by", "intake officer K."},
                   {"scopes", {"internal-analysis", "share-icc"}},
                   {"conditions", "not before the trial"},
                   {"renew_by", "2030-12-31"}};
  auto [c_st, c_body] = intake.send("POST", "/api/v1/witnesses/W-00123/consents", v1);
  ASSERT_EQ(c_st, 201) << c_body;
  json c = json::parse(c_body);
  EXPECT_EQ(c["version"], 1);
  EXPECT_EQ(c["scopes"], json({"internal-analysis", "share-icc"}));
  EXPECT_EQ(c["conditions"], "not before the trial");
  json bad_scope = v1;
  bad_scope["scopes"] = {"share-everyone"};
  auto [bs_st, bs_body] = intake.send("POST", "/api/v1/witnesses/W-00123/consents", bad_scope);
  EXPECT_EQ(bs_st, 400);
  EXPECT_NE(bs_body.find("unknown scope share-everyone"), std::string::npos) << bs_body;
  EXPECT_EQ(intake.send("POST", "/api/v1/witnesses/W-99999/consents", v1).first, 404);

  auto [l_st, l_body] = intake.get("/api/v1/witnesses");
  ASSERT_EQ(l_st, 200);
  json list = json::parse(l_body)["witnesses"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["consent"]["state"], "valid");
  EXPECT_EQ(list[0]["consent"]["version"], 1);
  EXPECT_EQ(list[0]["consent"]["renew_by"], "2030-12-31");
  EXPECT_EQ(l_body.find("trial"), std::string::npos) << "no conditions in the register";
  EXPECT_EQ(json::parse(intake.get("/api/v1/witnesses?consent=valid").second)["witnesses"].size(),
            1u);
  EXPECT_EQ(json::parse(intake.get("/api/v1/witnesses?consent=missing").second)["witnesses"].size(),
            0u);
  EXPECT_EQ(intake.get("/api/v1/witnesses?consent=maybe").first, 400);

  // The decision names the witness, the version and why.
  const std::string check = "/api/v1/witnesses/W-00123/consent-check";
  auto [k_st, k_body] = legal.get(check + "?purpose=sharing&recipient=lawyer");
  ASSERT_EQ(k_st, 200) << k_body;
  EXPECT_EQ(json::parse(k_body)["allowed"], false);
  EXPECT_EQ(json::parse(k_body)["reason"], "W-00123: consent v1 does not cover lawyers");
  auto [i_st, i_body] = legal.get(check + "?purpose=sharing&recipient=icc");
  EXPECT_EQ(json::parse(i_body)["allowed"], true) << i_body;
  auto [e_st, e_body] = legal.get(check + "?purpose=sharing&recipient=icc&today=2031-01-01");
  EXPECT_EQ(json::parse(e_body)["allowed"], false);
  EXPECT_NE(json::parse(e_body)["reason"].get<std::string>().find("renew-by date passed"),
            std::string::npos);
  EXPECT_EQ(legal.get(check + "?purpose=gossip").first, 400);
  EXPECT_EQ(legal.get(check + "?purpose=sharing&recipient=icc&today=tomorrow").first, 400);

  // The legal officer's list of whom a request to lawyers may not include.
  auto [g_st, g_body] = legal.get("/api/v1/consent-gaps?purpose=sharing&recipient=lawyer");
  ASSERT_EQ(g_st, 200) << g_body;
  json gaps = json::parse(g_body)["gaps"];
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0]["code"], "W-00123");
  EXPECT_EQ(gaps[0]["problem"], "too-narrow");
  EXPECT_EQ(gaps[0]["organisation"], "Partner A");
  auto [r_st, r_body] =
      legal.get("/api/v1/consent-gaps?purpose=sharing&recipient=icc&within=30&today=2030-12-15");
  ASSERT_EQ(r_st, 200) << r_body;
  EXPECT_EQ(json::parse(r_body)["gaps"][0]["problem"], "expiring");
  EXPECT_EQ(legal.get("/api/v1/consent-gaps?purpose=sharing&within=-1").first, 400);

  // A withdrawal is a new version; the newest decides.
  json v2 = v1;
  v2["withdrawn_on"] = "2026-04-01";
  ASSERT_EQ(intake.send("POST", "/api/v1/witnesses/W-00123/consents", v2).first, 201);
  json page = json::parse(legal.get("/api/v1/witnesses/W-00123").second);
  EXPECT_EQ(page["consent"]["state"], "withdrawn");
  ASSERT_EQ(page["consents"].size(), 2u);
  EXPECT_EQ(page["consents"][1]["withdrawn_on"], "2026-04-01");
  EXPECT_EQ(page["consents"][0]["conditions"], "not before the trial")
      << "legal officers read the conditions";

  // Partner B sees nothing of it.
  auto [b_st, b_body] = other.get("/api/v1/witnesses");
  ASSERT_EQ(b_st, 200);
  EXPECT_EQ(json::parse(b_body)["witnesses"].size(), 0u);
  auto [bw_st, bw_body] = other.get("/api/v1/witnesses/W-00123");
  EXPECT_EQ(bw_st, 403);
  EXPECT_EQ(json::parse(bw_body).size(), 1u) << bw_body;
  EXPECT_EQ(bw_body.find("BY"), std::string::npos);
  EXPECT_EQ(other.get("/api/v1/witnesses/W-99999").first, 404);

  // Each change is in the log with the person who made it, by id.
  std::string log = testing::read_text(tmp_ / "hub/custody/events.jsonl");
  EXPECT_NE(log.find("\"action\":\"witness.register\""), std::string::npos);
  EXPECT_NE(log.find("\"action\":\"consent.add\""), std::string::npos);
  EXPECT_EQ(log.find("intake.a"), std::string::npos);
  EXPECT_EQ(log.find("not before the trial"), std::string::npos) << "conditions are encrypted";
  Session admin = session("admin");
  json trail = json::parse(admin.get("/api/v1/audit?action=consent.add").second)["events"];
  ASSERT_EQ(trail.size(), 2u);
  EXPECT_EQ(trail[0]["user"], "intake.a");
}

TEST_F(ApiTest, PersonalDetailsAreShownOnRequestAndEveryViewIsLoggedWithoutThem) {
  using accounts::Role;
  add_user("intake.a", "Partner A", {{"Partner A", Role::kIntakeOfficer}});
  add_user("mhpss.a", "Partner A", {{"Partner A", Role::kMhpssCoordinator}});
  add_user("legal.a", "Partner A", {{"Partner A", Role::kLegalOfficer}});
  const Session intake = session("intake.a"), mhpss = session("mhpss.a"),
                legal = session("legal.a"), analyst = session("analyst.a");
  const json personal = {{"name", "Hanna Zhukava"},
                         {"contacts", "Signal +370 600 00000"},
                         {"date_of_birth", "1984-05-02"},
                         {"address", "Vilnius"},
                         {"notes", "prefers evening calls"}};
  auto [st, body] =
      intake.send("POST", "/api/v1/witnesses", {{"code", "W-00200"}, {"personal", personal}});
  ASSERT_EQ(st, 201) << body;
  EXPECT_EQ(body.find("Hanna"), std::string::npos) << "the new witness's page holds no name";
  EXPECT_EQ(json::parse(body)["has_personal_details"], true);
  ASSERT_EQ(
      intake.send("POST", "/api/v1/witnesses", {{"code", "W-00201"}, {"personal", json::object()}})
          .first,
      201);
  EXPECT_EQ(intake.get("/api/v1/witnesses/W-00201/personal").first, 404) << "none recorded";
  EXPECT_EQ(
      intake.send("POST", "/api/v1/witnesses", {{"code", "W-00202"}, {"personal", {{"nmae", "x"}}}})
          .first,
      400);

  for (const Session* s : {&intake, &mhpss}) {
    auto [p_st, p_body] = s->get("/api/v1/witnesses/W-00200/personal");
    ASSERT_EQ(p_st, 200) << p_body;
    json p = json::parse(p_body);
    EXPECT_EQ(p["name"], "Hanna Zhukava");
    EXPECT_EQ(p["contacts"], "Signal +370 600 00000");
    EXPECT_EQ(p["notes"], "prefers evening calls");
  }
  for (const Session* s : {&legal, &analyst}) {
    auto [p_st, p_body] = s->get("/api/v1/witnesses/W-00200/personal");
    EXPECT_EQ(p_st, 403);
    EXPECT_EQ(p_body.find("Hanna"), std::string::npos);
    // Nor anywhere on the pages they may read.
    EXPECT_EQ(s->get("/api/v1/witnesses/W-00200").second.find("Hanna"), std::string::npos);
    EXPECT_EQ(s->get("/api/v1/witnesses").second.find("Hanna"), std::string::npos);
  }

  // Two views, each logged by code and user id; the log, the catalog and the register hold no
  // trace of what was shown.
  std::string log = testing::read_text(tmp_ / "hub/custody/events.jsonl");
  std::size_t views = 0;
  for (auto at = log.find("\"action\":\"witness.personal.view\""); at != std::string::npos;
       at = log.find("\"action\":\"witness.personal.view\"", at + 1)) {
    ++views;
  }
  EXPECT_EQ(views, 2u);
  EXPECT_NE(log.find("\"witness\":\"W-00200\""), std::string::npos);
  for (const auto& f : std::filesystem::recursive_directory_iterator(tmp_ / "hub")) {
    if (!f.is_regular_file()) continue;
    const std::string bytes = testing::read_text(f.path());
    for (const char* secret : {"Hanna", "Zhukava", "+370", "1984-05-02", "Vilnius", "evening"}) {
      EXPECT_EQ(bytes.find(secret), std::string::npos) << secret << " in " << f.path();
    }
  }
  Session admin = session("admin");
  json trail =
      json::parse(admin.get("/api/v1/audit?action=witness.personal.view").second)["events"];
  ASSERT_EQ(trail.size(), 2u);
  EXPECT_EQ(trail[0]["user"], "mhpss.a");
  EXPECT_EQ(trail[1]["user"], "intake.a");
  EXPECT_EQ(trail[0]["details"]["witness"], "W-00200");
}

TEST_F(ApiTest, ErasingAWitnessLeavesOnlyATombstone) {
  using accounts::Role;
  add_user("intake.a", "Partner A", {{"Partner A", Role::kIntakeOfficer}});
  add_user("lead.a", "Partner A", {{"Partner A", Role::kLead}});
  const Session intake = session("intake.a"), lead = session("lead.a");
  ASSERT_EQ(intake
                .send("POST", "/api/v1/witnesses",
                      {{"code", "W-00300"},
                       {"gender", "male"},
                       {"personal", {{"name", "Siarhei Example"}}}})
                .first,
            201);
  ASSERT_EQ(
      intake
          .send("POST", "/api/v1/witnesses/W-00300/consents",
                {{"given_on", "2026-01-05"}, {"taken_by", "K."}, {"scopes", {"internal-analysis"}}})
          .first,
      201);
  // Evidence in the witness's key domain goes with them.
  auto [up, up_body] =
      curl({"-b", intake.jar, "-H", "X-CSRF-Token: " + intake.csrf, "--data-binary",
            "statement of W-00300", server_->url("/api/v1/objects?domain=W-00300")});
  ASSERT_EQ(up, 201) << up_body;
  const std::string evidence = json::parse(up_body)["id"];

  EXPECT_EQ(intake.send("DELETE", "/api/v1/witnesses/W-00300?reason=x").first, 403)
      << "only leads erase";
  EXPECT_EQ(lead.send("DELETE", "/api/v1/witnesses/W-00300").first, 400) << "a reason is needed";
  auto [st, body] =
      lead.send("DELETE", "/api/v1/witnesses/W-00300?reason=consent%20withdrawn%20in%20writing");
  ASSERT_EQ(st, 200) << body;
  json t = json::parse(body);
  EXPECT_EQ(t["code"], "W-00300");
  EXPECT_EQ(t["erased"], true);
  EXPECT_EQ(t["erased_by"], "lead.a") << "the person, not the server's account";
  EXPECT_EQ(t["erasure_reason"], "consent withdrawn in writing");
  EXPECT_GE(t["erased_objects"].get<int>(), 4) << "profile, personal, consent and evidence";
  EXPECT_FALSE(t.contains("gender")) << "the profile went too";
  EXPECT_EQ(t["consents"].size(), 0u);

  json again = json::parse(intake.get("/api/v1/witnesses/W-00300").second);
  EXPECT_EQ(again["erased"], true);
  EXPECT_EQ(again["erased_by"], "lead.a");
  json list = json::parse(intake.get("/api/v1/witnesses").second)["witnesses"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["erased"], true);
  EXPECT_EQ(list[0]["erased_by"], "lead.a");
  EXPECT_EQ(json::parse(intake.get("/api/v1/witnesses?consent=missing").second)["witnesses"].size(),
            0u)
      << "tombstones have no consent to judge";
  auto [p_st, p_body] = intake.get("/api/v1/witnesses/W-00300/personal");
  EXPECT_EQ(p_st, 410);
  EXPECT_EQ(json::parse(p_body)["error"]["code"], "erased");
  EXPECT_EQ(intake
                .send("POST", "/api/v1/witnesses/W-00300/consents",
                      {{"given_on", "2026-02-01"}, {"taken_by", "K."}})
                .first,
            410);
  EXPECT_EQ(intake.send("POST", "/api/v1/witnesses", {{"code", "W-00300"}}).first, 409)
      << "codes are never reused";
  EXPECT_EQ(lead.send("DELETE", "/api/v1/witnesses/W-00300?reason=again").first, 410);
  EXPECT_EQ(intake.get("/api/v1/objects/" + evidence + "/content").first, 410);
  auto [k_st, k_body] =
      intake.get("/api/v1/witnesses/W-00300/consent-check?purpose=internal-analysis");
  EXPECT_EQ(k_st, 200);
  EXPECT_EQ(json::parse(k_body)["allowed"], false);

  std::string log = testing::read_text(tmp_ / "hub/custody/events.jsonl");
  EXPECT_NE(log.find("\"action\":\"shred\""), std::string::npos);
  EXPECT_NE(log.find("\"action\":\"witness.erase\""), std::string::npos);
  EXPECT_EQ(log.find("Siarhei"), std::string::npos);
}

// Decisions are made per organisation: an intake officer of Partner A who is an analyst of
// Partner B reads Partner B's register as an analyst does.
TEST_F(ApiTest, WitnessDecisionsFollowTheRolesHeldInTheWitnesssOrganisation) {
  using accounts::Role;
  add_user("intake.b", "Partner B", {{"Partner B", Role::kIntakeOfficer}});
  add_user("mixed", "Partner A",
           {{"Partner A", Role::kIntakeOfficer}, {"Partner B", Role::kAnalyst}});
  const Session b = session("intake.b"), mixed = session("mixed");
  ASSERT_EQ(b.send("POST", "/api/v1/witnesses",
                   {{"code", "W-00400"}, {"personal", {{"name", "Partner B witness"}}}})
                .first,
            201);
  ASSERT_EQ(mixed
                .send("POST", "/api/v1/witnesses",
                      {{"code", "W-00401"}, {"personal", {{"name", "Partner A witness"}}}})
                .first,
            201)
      << "the one organisation where they register witnesses";
  json list = json::parse(mixed.get("/api/v1/witnesses").second)["witnesses"];
  EXPECT_EQ(list.size(), 2u) << "they read both registers";
  EXPECT_EQ(mixed.get("/api/v1/witnesses/W-00401/personal").first, 200);
  auto [st, body] = mixed.get("/api/v1/witnesses/W-00400/personal");
  EXPECT_EQ(st, 403);
  EXPECT_EQ(body.find("Partner B witness"), std::string::npos);
  json page = json::parse(mixed.get("/api/v1/witnesses/W-00400").second);
  EXPECT_EQ(page["permissions"]["view_personal"], false);
  EXPECT_EQ(page["permissions"]["add_consent"], false);
  EXPECT_EQ(mixed
                .send("POST", "/api/v1/witnesses/W-00400/consents",
                      {{"given_on", "2026-01-05"}, {"taken_by", "K."}})
                .first,
            403);
  EXPECT_EQ(mixed.get("/api/v1/witnesses/W-00400/consent-check?purpose=recontact").first, 403);
  EXPECT_EQ(
      mixed.send("POST", "/api/v1/witnesses", {{"code", "W-00402"}, {"organisation", "Partner B"}})
          .first,
      403);
}

}  // namespace
}  // namespace evhub::api
