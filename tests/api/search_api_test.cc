// Search through the API against a real server whose workers index what is uploaded: hits
// with marked snippets, a clear 400 for a malformed query, another organisation's user sees no
// hit and no count, OSINT researchers do not see testimony, saved searches show what is new.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/api_fixture.h"

namespace evhub::api {
namespace {

using accounts::Role;
using nlohmann::json;

// Fictional statements: one in Belarusian in a witness's domain, one English open-source note.
const char* const kStatement =
    "Мяне затрымалі ў Мінску. Маёр Кавалёнак загадаў біць нас дубінкамі ў ізалятары на "
    "Акрэсціна.";
const char* const kOsintNote = "Video caption: riot police with batons near Akrestsina street.";

class SearchApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    add_user("intake.a", "Partner A", {{"Partner A", Role::kIntakeOfficer}});
    add_user("osint.a", "Partner A", {{"Partner A", Role::kOsintResearcher}});
    add_user("analyst.b", "Partner B", {{"Partner B", Role::kAnalyst}});
    add_user("admin.a", "Partner A", {{"Partner A", Role::kAdministrator}});
  }
  std::pair<int, json> upload(const Session& s, const std::string& domain,
                              const std::string& bytes) {
    auto [status, body] = curl({"-b", s.jar, "-H", "X-CSRF-Token: " + s.csrf, "--data-binary",
                                bytes, server_->url("/api/v1/objects?domain=" + domain)});
    return {status, json::parse(body, nullptr, false)};
  }
  static std::string encode(const std::string& q) {
    std::string out;
    for (unsigned char c : q) {
      if (std::isalnum(c) || c == '-' || c == '.') {
        out += static_cast<char>(c);
      } else {
        out += fmt::format("%{:02X}", c);
      }
    }
    return out;
  }
  std::pair<int, json> search(const Session& s, const std::string& q) {
    auto [status, body] = s.get("/api/v1/search?q=" + encode(q));
    return {status, json::parse(body, nullptr, false)};
  }
  // Searches until `want` hits appear (the workers index in the background), at most a minute.
  json search_until(const Session& s, const std::string& q, std::size_t want) {
    json r;
    for (int i = 0; i < 600; ++i) {
      auto [status, body] = search(s, q);
      EXPECT_EQ(status, 200) << body;
      r = body;
      if (r["hits"].size() >= want) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return r;
  }
};

TEST_F(SearchApiTest, FindsAcrossScriptsAndTrimsEverythingElse) {
  api_->start_processing(1);
  const auto intake = session("intake.a");
  ASSERT_EQ(intake.send("POST", "/api/v1/witnesses", {{"code", "W-00400"}}).first, 201);
  ASSERT_EQ(upload(intake, "W-00400", kStatement).first, 201);
  const auto osint = session("osint.a");
  ASSERT_EQ(upload(osint, "source-1", kOsintNote).first, 201);

  // A Latin query finds the Belarusian testimony, its Russian translation and the English note,
  // with marked snippets.
  json r = search_until(intake, "Akrestsina", 3);
  ASSERT_EQ(r["hits"].size(), 3u) << r.dump();
  EXPECT_EQ(r["total"], 3);
  bool testimony = false;
  for (const auto& h : r["hits"]) {
    if (h["witness"] == "W-00400" && h["type"] == "text") {
      testimony = true;
      EXPECT_EQ(h["language"], "be");
      EXPECT_NE(h["snippets"][0]["html"].get<std::string>().find("<mark>Акрэсціна</mark>"),
                std::string::npos)
          << h.dump();
    }
  }
  EXPECT_TRUE(testimony);
  EXPECT_EQ(r["facets"]["organisation"][0]["value"], "Partner A");
  EXPECT_EQ(r["facets"]["organisation"][0]["count"], 3);

  // The OSINT researcher reads open sources, not testimony: one hit, one count.
  json o = search_until(osint, "Akrestsina", 1);
  EXPECT_EQ(o["total"], 1) << o.dump();
  EXPECT_EQ(o.dump().find("W-00400"), std::string::npos);
  EXPECT_EQ(o.dump().find("Акрэсціна"), std::string::npos);

  // Another organisation's analyst: no hit, no count, no facet value, no snippet.
  const auto b = session("analyst.b");
  auto [bs, br] = search(b, "Akrestsina");
  ASSERT_EQ(bs, 200);
  EXPECT_EQ(br["total"], 0);
  EXPECT_TRUE(br["hits"].empty());
  for (const auto& [facet, values] : br["facets"].items()) {
    EXPECT_TRUE(values.empty()) << facet << ": " << values.dump();
  }
  // An administrator holds no evidence role: refused, with the error alone.
  const auto admin = session("admin.a");
  auto [as, ab] = admin.get("/api/v1/search?q=Akrestsina");
  EXPECT_EQ(as, 403);
  EXPECT_EQ(json::parse(ab).size(), 1u);
  EXPECT_EQ(ab.find("Akrestsina"), std::string::npos);
}

TEST_F(SearchApiTest, AMalformedQuerySaysWhere) {
  const auto intake = session("intake.a");
  auto [status, body] = search(intake, "baton AND (court");
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body["error"]["code"], "bad_query");
  EXPECT_EQ(body["error"]["message"], "at character 11: this bracket is never closed");
  auto [s2, b2] = search(intake, "colour:red");
  EXPECT_EQ(s2, 400);
  EXPECT_NE(b2["error"]["message"].get<std::string>().find("no field"), std::string::npos);
}

TEST_F(SearchApiTest, ASavedSearchShowsWhatIsNew) {
  api_->start_processing(1);
  const auto osint = session("osint.a");
  ASSERT_EQ(upload(osint, "source-1", kOsintNote).first, 201);
  ASSERT_EQ(search_until(osint, "batons", 1)["hits"].size(), 1u);
  auto [st, saved_body] = osint.send("POST", "/api/v1/saved-searches",
                                     {{"name", "batons near Akrestsina"}, {"query", "batons"}});
  ASSERT_EQ(st, 201) << saved_body;
  const json saved = json::parse(saved_body);
  EXPECT_EQ(saved["new"], 0);
  const std::string id = std::to_string(saved["id"].get<std::int64_t>());

  ASSERT_EQ(upload(osint, "source-1", "Second caption: batons again, Okrestina, 2020.").first, 201);
  json fresh;
  for (int i = 0; i < 600; ++i) {
    auto [s, body] = osint.get("/api/v1/saved-searches/" + id + "/new");
    ASSERT_EQ(s, 200) << body;
    fresh = json::parse(body);
    if (!fresh["hits"].empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(fresh["hits"].size(), 1u) << fresh.dump();
  EXPECT_NE(fresh["hits"][0]["snippets"][0]["html"].get<std::string>().find("again"),
            std::string::npos);
  EXPECT_EQ(fresh["saved"]["new"], 1);
  auto [ms, marked] =
      osint.send("POST", "/api/v1/saved-searches/" + id + "/seen", {{"mark", fresh["mark"]}});
  ASSERT_EQ(ms, 200) << marked;
  EXPECT_EQ(json::parse(marked)["new"], 0);

  // Another user cannot see, use or delete it.
  add_user("osint.a2", "Partner A", {{"Partner A", Role::kOsintResearcher}});
  const auto other = session("osint.a2");
  EXPECT_EQ(other.get("/api/v1/saved-searches/" + id + "/new").first, 404);
  auto [ls, list] = other.get("/api/v1/saved-searches");
  EXPECT_EQ(ls, 200);
  EXPECT_EQ(json::parse(list)["saved_searches"].size(), 0u);
  EXPECT_EQ(other.send("DELETE", "/api/v1/saved-searches/" + id, json::object()).first, 404);
  EXPECT_EQ(osint.send("DELETE", "/api/v1/saved-searches/" + id, json::object()).first, 204);
}

}  // namespace
}  // namespace evhub::api
