// Bulk import from a manifest on a real hub: every problem reported with its line and column
// and nothing imported; a sound manifest imported whole; run again, nothing is stored twice;
// a longer manifest resumes where the first one stopped.
#include "collection/import.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/support.h"

namespace evhub::collection {
namespace {

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub::InitOptions init;
    init.kdf = crypto::KdfCost::interactive();
    init.actor = "test";
    ASSERT_TRUE(hub::init_hub(tmp_ / "hub", cred(), init).is_ok());
    hub_ = std::move(hub::Hub::open(tmp_ / "hub", cred(), {"importer", 5000})).value();
    collection_ = std::move(Collection::open(*hub_)).value();
    queue_ = std::move(jobs::JobQueue::open(hub_->layout().jobs())).value();
    std::filesystem::create_directories(tmp_ / "intake");
    testing::write_text_file(tmp_ / "intake/int1.wav", "RIFF fictional recording 1");
    testing::write_text_file(tmp_ / "intake/int1.txt", "Transcript: detained in Minsk.");
    testing::write_text_file(tmp_ / "intake/med1.pdf", "%PDF- fictional medical certificate");
    testing::write_text_file(tmp_ / "intake/court2.pdf", "%PDF- fictional court decision");
  }
  static vault::Credential cred() { return vault::Credential::key_file(Bytes(32, 8)); }
  Result<Manifest> read(const std::string& csv) {
    testing::write_text_file(tmp_ / "intake/manifest.csv", csv);
    return read_manifest(tmp_ / "intake/manifest.csv", *collection_, orgs_);
  }

  testing::TempDir tmp_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<Collection> collection_;
  std::unique_ptr<jobs::JobQueue> queue_;
  std::map<std::string, std::string> orgs_ = {{"Partner A", "org-a"}};
};

const char* const kGood =
    "record,witness,organisation,gender,age_band,country,languages,date,by,scopes,renew_by,"
    "key,place,file,transcript,kind,description,interview\n"
    "witness,W-00101,Partner A,female,30-44,LT,be;ru,,,,,,,,,,,\n"
    "consent,W-00101,,,,,,2026-01-10,intake-1,internal-analysis;share-icc,2027-01-10,,,,,,,\n"
    "interview,W-00101,,,,,be,2026-01-10,intake-1,,,int-1,Vilnius,int1.wav,int1.txt,,,\n"
    "document,W-00101,,,,,,2020-08-14,,,,,,med1.pdf,,medical,\"certificate, city "
    "hospital\",int-1\n";

TEST_F(ImportTest, EveryProblemIsReportedWithItsLineAndColumnAndNothingIsImported) {
  auto m = read(
      "record,witness,organisation,gender,date,by,scopes,place,file,kind,interview\n"
      "witness,W-00102,Partner Z,female,,,,,,,\n"                // line 2: organisation
      "witness,Alesia,Partner A,robot,,,,,,,\n"                  // line 3: code, gender
      "consent,W-00102,,,2026-02-30,intake-1,share-press,,,,\n"  // line 4: date, scope
      "interview,W-00102,,,2026-01-10,,,,missing.wav,,\n"        // line 5: by, place, file
      "document,W-00999,,,,,,,med1.pdf,diary,int-9\n"            // line 6: witness, kind, key
      "parcel,W-00102,,,,,,,,,\n");                              // line 7: record
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  std::vector<std::string> found;
  for (const auto& p : m->problems) {
    found.push_back(std::to_string(p.line) + ":" + std::to_string(p.column) + " " + p.message);
  }
  auto has = [&](int line, int column, const std::string& words) {
    return std::any_of(m->problems.begin(), m->problems.end(), [&](const ManifestProblem& p) {
      return p.line == line && p.column == column && p.message.find(words) != std::string::npos;
    });
  };
  EXPECT_TRUE(has(2, 3, "no organisation \"Partner Z\"")) << ::testing::PrintToString(found);
  EXPECT_TRUE(has(3, 2, "capital letters")) << ::testing::PrintToString(found);
  EXPECT_TRUE(has(3, 0, "gender must be")) << ::testing::PrintToString(found);
  EXPECT_TRUE(has(4, 5, "date must be YYYY-MM-DD")) << ::testing::PrintToString(found);
  EXPECT_TRUE(has(4, 7, "unknown scope share-press")) << ::testing::PrintToString(found);
  EXPECT_TRUE(has(5, 6, "interview needs by")) << ::testing::PrintToString(found);
  EXPECT_TRUE(has(5, 8, "give the place")) << ::testing::PrintToString(found);
  EXPECT_TRUE(has(5, 9, "no file missing.wav")) << ::testing::PrintToString(found);
  EXPECT_TRUE(has(6, 2, "W-00999 is neither registered")) << ::testing::PrintToString(found);
  EXPECT_TRUE(has(6, 10, "kind must be")) << ::testing::PrintToString(found);
  EXPECT_TRUE(has(6, 11, "no interview row above has key int-9"))
      << ::testing::PrintToString(found);
  EXPECT_TRUE(has(7, 1, "record must be")) << ::testing::PrintToString(found);
  EXPECT_EQ(import_manifest(*m, *collection_, *hub_, *queue_, orgs_).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(collection_->witnesses({})->size(), 0u) << "nothing was imported";

  auto header = read("record,witness,colour\n");
  ASSERT_TRUE(header.is_ok());
  ASSERT_EQ(header->problems.size(), 1u);
  EXPECT_EQ(header->problems[0].column, 3);
  auto broken = read("record,witness\nwitness,\"W-00101\n");
  ASSERT_TRUE(broken.is_ok());
  ASSERT_FALSE(broken->problems.empty());
  EXPECT_NE(broken->problems[0].message.find("not valid CSV"), std::string::npos);
}

TEST_F(ImportTest, ASoundManifestIsImportedOnceAndResumedWithoutDuplicates) {
  auto m = read(kGood);
  ASSERT_TRUE(m.is_ok());
  ASSERT_TRUE(m->problems.empty()) << m->problems[0].line << ":" << m->problems[0].message;
  int calls = 0;
  auto r = import_manifest(*m, *collection_, *hub_, *queue_, orgs_, [&](int, int) { ++calls; });
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->witnesses, 1);
  EXPECT_EQ(r->consents, 1);
  EXPECT_EQ(r->interviews, 1);
  EXPECT_EQ(r->documents, 1);
  EXPECT_EQ(calls, 4);
  auto interviews = *collection_->interviews("W-00101");
  ASSERT_EQ(interviews.size(), 1u);
  EXPECT_EQ(interviews[0].status, "transcribed");
  auto docs = *collection_->documents("W-00101");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].interview_id, interviews[0].id);
  EXPECT_EQ(docs[0].description, "certificate, city hospital");
  EXPECT_EQ(hub_->describe(docs[0].object_id)->record.sensitivity, "health");
  EXPECT_EQ(queue_->counts()->queued, 3) << "recording, transcript and document are queued";

  // Run again (as after an interruption): everything is recognised, nothing stored twice.
  const auto objects = hub_->summary()->counts.objects;
  auto again = import_manifest(*read(kGood), *collection_, *hub_, *queue_, orgs_);
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_EQ(again->skipped, 4);
  EXPECT_EQ(again->witnesses + again->consents + again->interviews + again->documents, 0);
  EXPECT_EQ(hub_->summary()->counts.objects, objects);

  // A longer manifest picks up where the first stopped.
  auto longer = read(std::string(kGood) +
                     "witness,W-00102,Partner A,male,45-59,PL,ru,,,,,,,,,,,\n"
                     "document,W-00102,,,,,,2021-03-02,,,,,,court2.pdf,,court,decision,\n");
  ASSERT_TRUE(longer.is_ok());
  ASSERT_TRUE(longer->problems.empty());
  auto resumed = import_manifest(*longer, *collection_, *hub_, *queue_, orgs_);
  ASSERT_TRUE(resumed.is_ok());
  EXPECT_EQ(resumed->skipped, 4);
  EXPECT_EQ(resumed->witnesses, 1);
  EXPECT_EQ(resumed->documents, 1);
}

TEST_F(ImportTest, UploadedFilesAreCheckedAndStoredFromMemoryWithinTheImportersOrganisations) {
  auto files = std::make_shared<UploadedFiles>();
  (*files)["int1.wav"] = "RIFF fictional recording 1";
  (*files)["int1.txt"] = "Transcript: detained in Minsk.";
  auto missing = check_manifest(kGood, files, *collection_, orgs_);
  ASSERT_TRUE(missing.is_ok());
  ASSERT_EQ(missing->problems.size(), 1u);
  EXPECT_EQ(missing->problems[0].line, 5);
  EXPECT_EQ(missing->problems[0].column, 14);
  EXPECT_NE(missing->problems[0].message.find("no file med1.pdf was uploaded"), std::string::npos);

  (*files)["med1.pdf"] = "%PDF- fictional medical certificate";
  auto m = check_manifest(kGood, files, *collection_, orgs_);
  ASSERT_TRUE(m.is_ok());
  ASSERT_TRUE(m->problems.empty()) << m->problems[0].message;
  auto r = import_manifest(*m, *collection_, *hub_, *queue_, orgs_);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->documents, 1);
  auto docs = *collection_->documents("W-00101");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(hub_->describe(docs[0].object_id)->domain, "W-00101");

  // An importer of Partner B reaches no witness of Partner A, registered or in a witness row.
  const std::map<std::string, std::string> b = {{"Partner B", "org-b"}};
  auto other = check_manifest(
      "record,witness,organisation,date,by,scopes\n"
      "consent,W-00101,,2026-02-01,intake-b,internal-analysis\n"
      "witness,W-00101,Partner B,,,\n",
      files, *collection_, b);
  ASSERT_TRUE(other.is_ok());
  ASSERT_EQ(other->problems.size(), 2u);
  for (const auto& p : other->problems) {
    EXPECT_EQ(p.column, 2);
    EXPECT_NE(p.message.find("an organisation you may not import into"), std::string::npos);
  }
}

// A manifest with thousands of problems lists the first thousand and says how many more; one
// with millions of cells is refused whole, without being held in memory.
TEST_F(ImportTest, HugeManifestsAreBoundedNotHeldWhole) {
  auto files = std::make_shared<UploadedFiles>();
  std::string bad = "record,witness\n";
  for (int i = 0; i < 1500; ++i) bad += "nonsense,W-00101\n";
  auto many = check_manifest(bad, files, *collection_, orgs_);
  ASSERT_TRUE(many.is_ok());
  ASSERT_EQ(many->problems.size(), 1001u);
  EXPECT_NE(many->problems.back().message.find("more problems; correct these"), std::string::npos)
      << many->problems.back().message;

  std::string wide = "record,witness\n";
  wide.reserve(4'200'000);
  for (int i = 0; i < 1'050'000; ++i) wide += "a,b\n";
  auto huge = check_manifest(wide, files, *collection_, orgs_);
  ASSERT_TRUE(huge.is_ok());
  ASSERT_EQ(huge->problems.size(), 1u);
  EXPECT_NE(huge->problems[0].message.find("split it"), std::string::npos);
  EXPECT_TRUE(huge->rows.empty());
}

}  // namespace
}  // namespace evhub::collection
