// evhub search and evhub index as scripts and people use them: the real binary on a real hub
// whose texts the processing jobs (evhub jobs --wait) extract, translate and index.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/support.h"

namespace evhub {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunResult;

class SearchCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RunResult r =
        testing::run({testing::evhub_binary(), "--hub", hub(), "--key-file", key(), "init"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(ev({"org", "add", "Partner A"}).exit_code, 0);
    ASSERT_EQ(ev({"org", "add", "Partner B"}).exit_code, 0);
    testing::write_text_file(tmp_ / "note.txt",
                             "Затрыманых везлі ў ізалятар на Акрэсціна. Маёр Кавалёнак быў там.");
    ASSERT_EQ(
        ev({"put", tmp_ / "note.txt", "--domain", "source-7", "--org", "Partner A"}).exit_code, 0);
    RunResult jobs = ev({"jobs", "--wait"});
    ASSERT_EQ(jobs.exit_code, 0) << jobs.err;
  }
  std::string hub() const { return tmp_ / "hub"; }
  std::string key() const { return tmp_ / "hub.key"; }
  RunResult ev(const std::vector<std::string>& args) { return testing::evhub(hub(), key(), args); }
  testing::TempDir tmp_;
};

TEST_F(SearchCliTest, FindsAcrossScriptsWithMarkedSnippets) {
  RunResult r = ev({"search", "Akrestsina"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("[Акрэсціна]"), std::string::npos) << r.out;
  RunResult j = ev({"search", "Kavalionak lang:be", "--json"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  json doc = json::parse(j.out);
  EXPECT_EQ(doc["total"], 1);
  EXPECT_EQ(doc["facets"]["language"][0]["value"], "be");
  EXPECT_NE(doc["hits"][0]["snippets"][0]["html"].get<std::string>().find("<mark>Кавалёнак</mark>"),
            std::string::npos);
}

TEST_F(SearchCliTest, AsAUserOfAnotherOrganisationNothingIsFound) {
  ASSERT_EQ(testing::run({testing::evhub_binary(), "--hub", hub(), "--key-file", key(), "user",
                          "add", "analyst.b", "--org", "Partner B", "--role", "analyst"},
                         {{"EVHUB_USER_PASSWORD", "a password for b"}})
                .exit_code,
            0);
  RunResult r = ev({"search", "Akrestsina", "--as", "analyst.b", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc["total"], 0);
  EXPECT_TRUE(doc["hits"].empty());
  EXPECT_EQ(r.out.find("Акрэсціна"), std::string::npos);
  RunResult nobody = ev({"search", "Akrestsina", "--as", "nobody"});
  EXPECT_NE(nobody.exit_code, 0);
  EXPECT_NE(nobody.err.find("no user nobody"), std::string::npos) << nobody.err;
}

TEST_F(SearchCliTest, AMalformedQueryIsExitCode2WithWhere) {
  RunResult r = ev({"search", "(Akrestsina OR"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("at character"), std::string::npos) << r.err;
}

TEST_F(SearchCliTest, CheckAndRebuild) {
  RunResult check = ev({"index", "check", "--json"});
  ASSERT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_TRUE(json::parse(check.out)["ok"].get<bool>());
  // Damage: the index is removed; check says what is missing, rebuild makes it again.
  fs::remove_all(hub() + "/index");
  fs::create_directory(hub() + "/index");
  RunResult bad = ev({"index", "check"});
  EXPECT_EQ(bad.exit_code, 5) << bad.out << bad.err;
  EXPECT_NE(bad.out.find("missing"), std::string::npos);
  RunResult rebuild = ev({"index", "rebuild"});
  ASSERT_EQ(rebuild.exit_code, 0) << rebuild.err;
  EXPECT_NE(rebuild.out.find("indexed 2 texts"), std::string::npos) << rebuild.out;
  EXPECT_EQ(ev({"index", "check"}).exit_code, 0);
  EXPECT_EQ(json::parse(ev({"search", "Akrestsina", "--json"}).out)["total"], 2)
      << "the note and its translation, found again";
}

}  // namespace
}  // namespace evhub
