// evhub framework, evhub annotations export and evhub agreement as administrators and analysts
// use them: the real binary on a real hub, its codings made through the coding library.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "coding/annotations.h"
#include "coding/framework.h"
#include "coding/summary.h"
#include "collection/collection.h"
#include "core/fs.h"
#include "hub/hub.h"
#include "support/support.h"

namespace evhub {
namespace {

using nlohmann::json;
using testing::RunResult;

const char* const kText = "Мяне затрымалі ў Мінску. Маёр загадаў біць нас. Потым нас трымалі.";

class CodingCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RunResult r =
        testing::run({testing::evhub_binary(), "--hub", hub(), "--key-file", key(), "init"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(ev({"org", "add", "Partner A"}).exit_code, 0);
    testing::write_text_file(tmp_ / "t.txt", kText);
    ASSERT_EQ(ev({"put", tmp_ / "t.txt", "--domain", "W-00042", "--org", "Partner A", "--json"})
                  .exit_code,
              0);
  }
  std::string hub() const { return tmp_ / "hub"; }
  std::string key() const { return tmp_ / "hub.key"; }
  RunResult ev(const std::vector<std::string>& args) { return testing::evhub(hub(), key(), args); }

  // Two coders code the same text: the first codes two sentences, the second one of them.
  void code_twice() {
    auto key_bytes = read_file(local_fs(), key());
    ASSERT_TRUE(key_bytes.is_ok());
    auto h = hub::Hub::open(hub(), vault::Credential::key_file(*key_bytes), {"test", 5000});
    ASSERT_TRUE(h.is_ok()) << h.status().to_string();
    auto listed = (*h)->list("W-00042");
    ASSERT_TRUE(listed.is_ok());
    auto store = std::move(coding::AnnotationStore::open(**h)).value();
    auto code = [&](const std::string& coder, std::int64_t begin, std::int64_t end) {
      coding::Annotation a;
      a.target.object_id = listed->at(0).record.id;
      a.target.begin = begin;
      a.target.end = end;
      a.codes = {{"physical.baton-blows", 1}};
      a.coder = coder;
      auto added = store->add(a);
      ASSERT_TRUE(added.is_ok()) << added.status().to_string();
    };
    code("coder-a", 25, 46);
    code("coder-a", 0, 23);
    code("coder-b", 25, 46);
  }
  testing::TempDir tmp_;
};

TEST_F(CodingCliTest, FrameworkExportEditImportAndShow) {
  RunResult shown = ev({"framework", "show"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("physical.baton-blows"), std::string::npos);
  const std::string csv = tmp_ / "framework.csv";
  ASSERT_EQ(ev({"framework", "export", "--format", "csv", "--out", csv}).exit_code, 0);
  RunResult again = ev({"framework", "export", "--format", "csv", "--out", csv});
  EXPECT_NE(again.exit_code, 0) << "an export does not overwrite a file unasked";
  EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;

  const std::string edits = tmp_ / "edits.csv";
  testing::write_text_file(edits, "id,parent,label_en\nphysical.noise,physical,Loud noise\n");
  RunResult dry = ev({"framework", "import", edits, "--dry-run", "--json"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(json::parse(dry.out)["diff"]["added"], json::array({"physical.noise"}));
  EXPECT_EQ(ev({"framework", "show"}).out.find("physical.noise"), std::string::npos)
      << "a dry run stores nothing";
  RunResult stored = ev({"framework", "import", edits, "--json"});
  ASSERT_EQ(stored.exit_code, 0) << stored.err;
  EXPECT_TRUE(json::parse(stored.out)["stored"].get<bool>());
  EXPECT_NE(ev({"framework", "show"}).out.find("physical.noise"), std::string::npos);

  // The JSON export of the old framework lacks the new code: importing it would delete a code
  // that codings may name, and is refused.
  const std::string old_json = tmp_ / "old.json";
  ASSERT_EQ(ev({"framework", "export", "--out", old_json}).exit_code, 0);
  auto text = read_text_file(local_fs(), old_json);
  ASSERT_TRUE(text.is_ok());
  json doc = json::parse(*text);
  auto& codes = doc["codes"];
  for (auto it = codes.begin(); it != codes.end(); ++it) {
    if ((*it)["id"] == "physical.noise") {
      codes.erase(it);
      break;
    }
  }
  doc["version"] = doc["version"].get<int>() + 1;
  testing::write_text_file(old_json, doc.dump());
  RunResult refused = ev({"framework", "import", old_json});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("physical.noise"), std::string::npos) << refused.err;
}

TEST_F(CodingCliTest, AnnotationsExportAndAgreement) {
  ASSERT_NO_FATAL_FAILURE(code_twice());
  const std::string out = tmp_ / "annotations.json";
  RunResult exported =
      ev({"annotations", "export", "--code", "physical.baton-blows", "--out", out});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  auto text = read_text_file(local_fs(), out);
  ASSERT_TRUE(text.is_ok());
  json doc = json::parse(*text);
  ASSERT_EQ(doc["annotations"].size(), 3u);
  EXPECT_EQ(doc["annotations"][0]["passage"], "Мяне затрымалі ў Мінску");
  RunResult log = ev({"log", "show", "--json"});
  EXPECT_NE(log.out.find("annotations.export"), std::string::npos) << "the export is logged";

  RunResult agreement = ev({"agreement", "--json"});
  ASSERT_EQ(agreement.exit_code, 0) << agreement.err;
  json report = json::parse(agreement.out);
  EXPECT_EQ(report["coders"], json::array({"coder-a", "coder-b"}));
  ASSERT_EQ(report["codes"].size(), 1u);
  EXPECT_EQ(report["codes"][0]["disagreements"], 1);
  RunResult readable = ev({"agreement"});
  EXPECT_NE(readable.out.find("physical.baton-blows"), std::string::npos) << readable.out;
}

// A summary drafted, submitted and approved through the library; exported by the CLI to both
// formats, stored in the hub as derived objects and written out.
TEST_F(CodingCliTest, SummaryExportIsRefusedUnapprovedUnlessMarkedDraft) {
  std::string id;
  {
    auto key_bytes = read_file(local_fs(), key());
    ASSERT_TRUE(key_bytes.is_ok());
    auto h =
        std::move(hub::Hub::open(hub(), vault::Credential::key_file(*key_bytes), {"test", 5000}))
            .value();
    auto witnesses = std::move(collection::Collection::open(*h)).value();
    ASSERT_TRUE(witnesses
                    ->register_witness("W-00042",
                                       h->list("W-00042")->at(0).organisation_id.value_or(""), {},
                                       std::nullopt)
                    .is_ok());
    auto annotations = std::move(coding::AnnotationStore::open(*h)).value();
    coding::Annotation a;
    a.target.object_id = h->list("W-00042")->at(0).record.id;
    a.target.begin = 25;
    a.target.end = 46;
    a.codes = {{"physical.baton-blows", 1}};
    a.coder = "coder-a";
    ASSERT_TRUE(annotations->add(a).is_ok());
    auto store = std::move(coding::SummaryStore::open(*h, *witnesses, *annotations,
                                                      coding::default_framework().value()))
                     .value();
    auto draft = store->draft_from_annotations("W-00042", "author-1", {});
    ASSERT_TRUE(draft.is_ok()) << draft.status().to_string();
    id = draft->id;
    ASSERT_TRUE(store->submit(id, 1, "author-1").is_ok());
  }
  const std::string pdf = tmp_ / "summary.pdf";
  RunResult refused = ev({"summary", "export", id, "--out", pdf});
  EXPECT_NE(refused.exit_code, 0) << "a version in review is not exported unmarked";
  RunResult draft = ev({"summary", "export", id, "--draft", "--out", pdf, "--json"});
  ASSERT_EQ(draft.exit_code, 0) << draft.err;
  auto bytes = read_text_file(local_fs(), pdf);
  ASSERT_TRUE(bytes.is_ok());
  EXPECT_EQ(bytes->rfind("%PDF", 0), 0u);
  const std::string object = json::parse(draft.out)["object_id"];
  RunResult ls = ev({"ls", "--json"});
  EXPECT_NE(ls.out.find(object), std::string::npos) << "the export is an object of the hub";
  const std::string docx = tmp_ / "summary.docx";
  RunResult word = ev({"summary", "export", id, "--format", "docx", "--draft", "--out", docx});
  ASSERT_EQ(word.exit_code, 0) << word.err;
  EXPECT_EQ(read_text_file(local_fs(), docx)->rfind("PK", 0), 0u);
  EXPECT_NE(ev({"summary", "export", "ws-nothing"}).exit_code, 0);
}

}  // namespace
}  // namespace evhub
