// The search index kept in step with the collection on a real hub: a witness's transcript, its
// extracted text and apertium translation, and a document's description are indexed by the
// jobs that processing queues; `check` finds what is missing or stale; erasing the witness
// takes their items out of the index.
#include "collection/indexing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "collection/collection.h"
#include "collection/processing.h"
#include "core/clock.h"
#include "support/support.h"

namespace evhub::collection {
namespace {

const char* const kTranscript =
    "Мяне затрымалі ў Мінску 10 жніўня 2020 года. Маёр Кавалёнак загадаў біць нас дубінкамі.";

class IndexingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub::InitOptions init;
    init.kdf = crypto::KdfCost::interactive();
    init.actor = "test";
    ASSERT_TRUE(hub::init_hub(tmp_ / "hub", cred(), init).is_ok());
    hub_ = std::move(hub::Hub::open(tmp_ / "hub", cred(), {"worker", 5000})).value();
    queue_ = std::move(jobs::JobQueue::open(hub_->layout().jobs())).value();
    translator_ = translate::apertium_translator();
    collection_ = std::move(Collection::open(*hub_)).value();
  }
  static vault::Credential cred() { return vault::Credential::key_file(Bytes(32, 7)); }
  void run_jobs() {
    jobs::WorkerOptions options;
    options.threads = 1;
    options.backoff_ms = 0;
    jobs::WorkerPool pool(*queue_, processing_handlers(*hub_, mu_, *queue_, *translator_), options);
    auto r = pool.run_until_idle();
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_EQ(r->failed, 0);
  }
  search::SearchResults find(const std::string& q) {
    auto index = search::Index::open_readonly({hub_->layout().index()});
    EXPECT_TRUE(index.is_ok()) << index.status().to_string();
    if (!index.is_ok()) return {};
    search::SearchRequest r;
    r.query = q;
    r.scopes = {{"org-a", {"normal", "health", "sexual-violence"}, true}};
    auto found = (*index)->search(r, {});
    EXPECT_TRUE(found.is_ok()) << found.status().to_string();
    return found.is_ok() ? *found : search::SearchResults{};
  }
  IndexCheck check() {
    auto index = search::Index::open_writable(hub_->layout().index());
    EXPECT_TRUE(index.is_ok());
    auto c = check_index(*hub_, mu_, **index);
    EXPECT_TRUE(c.is_ok()) << c.status().to_string();
    return c.is_ok() ? *c : IndexCheck{};
  }
  // A witness with an interview whose transcript is kTranscript and a described document.
  void witness_with_material() {
    ASSERT_TRUE(collection_->register_witness("W-00700", "org-a", {}, std::nullopt).is_ok());
    auto ids = store_for_processing(*hub_, *queue_, {write("t.txt", kTranscript)}, "W-00700",
                                    hub::Intake::evidence("org-a"));
    ASSERT_TRUE(ids.is_ok()) << ids.status().to_string();
    Interview iv;
    iv.code = "W-00700";
    iv.on = "2020-09-01";
    iv.place = "Vilnius";
    iv.interviewer = "intake staff";
    iv.transcript = ids->at(0);
    ASSERT_TRUE(collection_->record_interview(iv).is_ok());
    auto doc = hub_->put_data("d", "%PDF-1.4 not really", "W-00700",
                              hub::Intake::evidence("org-a", "health"));
    ASSERT_TRUE(doc.is_ok());
    WitnessDocument d;
    d.object_id = doc->id;
    d.code = "W-00700";
    d.kind = "medical";
    d.date = "2020-08-12";
    d.language = "en";
    d.description = "Certificate of bruises on the back after baton blows";
    ASSERT_TRUE(collection_->add_document(d).is_ok());
    transcript_ = ids->at(0);
  }
  std::string write(const std::string& name, const std::string& text) {
    testing::write_text_file(tmp_ / name, text);
    return tmp_ / name;
  }

  testing::TempDir tmp_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<jobs::JobQueue> queue_;
  std::unique_ptr<translate::Translator> translator_;
  std::unique_ptr<Collection> collection_;
  std::mutex mu_;
  std::string transcript_;
};

TEST_F(IndexingTest, ProcessingIndexesTranscriptsTranslationsAndDescriptions) {
  ASSERT_NO_FATAL_FAILURE(witness_with_material());
  run_jobs();
  // The transcript (Belarusian) and its apertium translation (Russian), found by a Latin name.
  auto r = find("Kavalionak");
  ASSERT_EQ(r.total, 2) << "the transcript and its translation";
  std::set<std::string> types;
  for (const auto& h : r.hits) {
    types.insert(h.type);
    EXPECT_EQ(h.witness, "W-00700");
    EXPECT_EQ(h.date, "2020-09-01");
    EXPECT_EQ(h.title, "Interview 2020-09-01, W-00700");
    EXPECT_EQ(h.open.rfind("interview/", 0), 0u);
  }
  EXPECT_EQ(types, (std::set<std::string>{"transcript", "translation"}));
  EXPECT_EQ(find("place:Vilnius lang:be").total, 1);
  // The document's description, with the document's date and sensitivity.
  auto d = find("baton type:document-description");
  ASSERT_EQ(d.total, 1);
  EXPECT_EQ(d.hits[0].date, "2020-08-12");
  EXPECT_TRUE(check().ok());
}

TEST_F(IndexingTest, CheckFindsWhatIsMissingAndRebuildMendsIt) {
  ASSERT_NO_FATAL_FAILURE(witness_with_material());
  run_jobs();
  // Another description, never followed by an index job: the index is behind and misses it.
  auto doc = hub_->put_data("e", "another paper", "W-00700", hub::Intake::evidence("org-a"));
  ASSERT_TRUE(doc.is_ok());
  WitnessDocument d;
  d.object_id = doc->id;
  d.code = "W-00700";
  d.kind = "court";
  d.description = "Court ruling, ten minutes, no counsel";
  ASSERT_TRUE(collection_->add_document(d).is_ok());
  IndexCheck c = check();
  EXPECT_FALSE(c.ok());
  EXPECT_GT(c.behind, 0);
  EXPECT_NE(std::find(c.missing.begin(), c.missing.end(), "desc:" + doc->id), c.missing.end());
  {
    auto index = search::Index::open_writable(hub_->layout().index(), true);
    ASSERT_TRUE(index.is_ok());
    auto report = rebuild_index(*hub_, mu_, **index);
    ASSERT_TRUE(report.is_ok()) << report.status().to_string();
    EXPECT_GE(report->indexed, 4);
  }
  EXPECT_TRUE(check().ok());
  EXPECT_EQ(find("counsel").total, 1);
}

TEST_F(IndexingTest, ErasingAWitnessTakesTheirItemsOutOfTheIndex) {
  ASSERT_NO_FATAL_FAILURE(witness_with_material());
  run_jobs();
  ASSERT_EQ(find("witness:W-00700").total, 3) << "transcript, translation, description";
  ASSERT_TRUE(collection_->erase("W-00700", "withdrew consent").is_ok());
  ASSERT_TRUE(enqueue_indexing(*queue_, "after-erasure", now_millis()).is_ok());
  run_jobs();
  EXPECT_EQ(find("witness:W-00700").total, 0);
  EXPECT_EQ(find("Kavalionak").total, 0);
  EXPECT_TRUE(check().ok());
}

}  // namespace
}  // namespace evhub::collection
