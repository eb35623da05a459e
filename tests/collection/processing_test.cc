// The processing pipeline on a real hub: a Belarusian statement is stored, its text extracted
// (language detected), translated into Russian by apertium, each step a derived object naming
// its source and tool; a damaged file fails visibly; erasing the witness erases it all.
#include "collection/processing.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "support/support.h"

namespace evhub::collection {
namespace {

using nlohmann::json;

class ProcessingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub::InitOptions init;
    init.kdf = crypto::KdfCost::interactive();
    init.actor = "test";
    ASSERT_TRUE(hub::init_hub(tmp_ / "hub", cred(), init).is_ok());
    hub_ = std::move(hub::Hub::open(tmp_ / "hub", cred(), {"worker", 5000})).value();
    queue_ = std::move(jobs::JobQueue::open(hub_->layout().jobs())).value();
    translator_ = translate::apertium_translator();
  }
  static vault::Credential cred() { return vault::Credential::key_file(Bytes(32, 6)); }
  Result<jobs::RunSummary> run() {
    jobs::WorkerOptions options;
    options.threads = 2;
    options.backoff_ms = 0;
    jobs::WorkerPool pool(*queue_, processing_handlers(*hub_, mu_, *queue_, *translator_), options);
    return pool.run_until_idle();
  }
  std::string read(const std::string& id) {
    auto reader = hub_->open_object(id);
    EXPECT_TRUE(reader.is_ok());
    std::string s(static_cast<std::size_t>((*reader)->size()), '\0');
    EXPECT_TRUE((*reader)->read(0, {reinterpret_cast<std::uint8_t*>(s.data()), s.size()}).is_ok());
    return s;
  }
  json result_of(const std::string& kind, const std::string& object) {
    for (const auto& j : *queue_->list("", 100)) {
      if (j.kind == kind && j.object_id == object) {
        EXPECT_EQ(j.state, "done") << j.error;
        return json::parse(j.result.empty() ? "{}" : j.result);
      }
    }
    ADD_FAILURE() << "no " << kind << " job for " << object;
    return json::object();
  }

  testing::TempDir tmp_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<jobs::JobQueue> queue_;
  std::unique_ptr<translate::Translator> translator_;
  std::mutex mu_;
};

TEST_F(ProcessingTest, AStatementIsExtractedAndTranslatedWithProvenance) {
  // A byte-order mark and CRLF line ends: the extracted text differs from the file, so it is
  // stored as a derived object of its own.
  auto statement = hub_->put_data(
      "statement",
      "\xEF\xBB\xBFМяне затрымалі ў Мінску ў жніўні 2020 года.\r\nМяне білі дубінкамі.\r\n",
      "W-00610", hub::Intake::evidence("org-a", "sexual-violence"));
  ASSERT_TRUE(statement.is_ok());
  ASSERT_TRUE(enqueue_processing(*queue_, statement->id, now_millis()).is_ok());
  ASSERT_TRUE(enqueue_processing(*queue_, statement->id, now_millis()).is_ok());
  auto summary = run();
  ASSERT_TRUE(summary.is_ok()) << summary.status().to_string();
  EXPECT_EQ(summary->done, 4)
      << "extraction once, then the translation it queued, and an index catch-up after each";

  json extracted = result_of(kExtractTextJob, statement->id);
  EXPECT_EQ(extracted["language"], "be");
  const std::string text_id = extracted["text"];
  auto text = hub_->describe(text_id);
  ASSERT_TRUE(text.is_ok());
  EXPECT_EQ(text->record.derived_from, statement->id);
  EXPECT_EQ(text->record.sensitivity, "sexual-violence");
  EXPECT_NE(read(text_id).find("Мяне затрымалі"), std::string::npos);

  json translated = result_of(kTranslateJob, text_id);
  const std::string ru_id = translated["translation"];
  auto ru = hub_->describe(ru_id);
  ASSERT_TRUE(ru.is_ok());
  EXPECT_EQ(ru->record.derived_from, text_id);
  EXPECT_EQ(ru->record.tool, "apertium");
  const json params = json::parse(ru->record.tool_parameters.value_or("{}"));
  EXPECT_EQ(params["from"], "be");
  EXPECT_EQ(params["to"], "ru");
  EXPECT_EQ(params["machine"], true) << "marked as a machine translation";
  EXPECT_NE(read(ru_id).find("Меня задержали в Минске"), std::string::npos) << read(ru_id);

  EXPECT_EQ(read(text_id).find('\r'), std::string::npos) << "CRLF became LF";

  // Plain text that needs no change is its own text: no copy, the translation hangs off it.
  auto note = hub_->put_data("note", "Мяне выклікалі ў міліцыю на допыт і пагражалі.\n", "W-00610",
                             hub::Intake::evidence("org-a"));
  ASSERT_TRUE(enqueue_processing(*queue_, note->id, now_millis()).is_ok());
  ASSERT_TRUE(run().is_ok());
  EXPECT_EQ(result_of(kExtractTextJob, note->id)["text"], note->id);
  EXPECT_FALSE(result_of(kTranslateJob, note->id)["translation"].get<std::string>().empty());

  // Erasing the witness erases the statement and everything derived from it.
  ASSERT_TRUE(hub_->shred("W-00610", "erased").is_ok());
  for (const auto& id : {statement->id, text_id, ru_id}) {
    EXPECT_EQ(hub_->open_object(id).status().code(), Code::kErased);
  }
  // A job for an object erased before it ran has nothing to do: done, not failed.
  auto late = hub_->put_data("late", "%PDF-1.7 late", "W-00612", hub::Intake::evidence("org-a"));
  ASSERT_TRUE(enqueue_processing(*queue_, late->id, now_millis()).is_ok());
  ASSERT_TRUE(hub_->shred("W-00612", "erased").is_ok());
  ASSERT_TRUE(run().is_ok());
  EXPECT_EQ(result_of(kExtractTextJob, late->id)["skipped"], "the object was erased");
}

TEST_F(ProcessingTest, ADamagedFileFailsVisiblyAndIsNotRetried) {
  auto pdf =
      hub_->put_data("broken", "%PDF-1.7\n1 0 obj <<", "W-00611", hub::Intake::evidence("org-a"));
  ASSERT_TRUE(pdf.is_ok());
  ASSERT_TRUE(enqueue_processing(*queue_, pdf->id, now_millis()).is_ok());
  auto summary = run();
  ASSERT_TRUE(summary.is_ok());
  auto failed = *queue_->list("failed", 10);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].attempts, 1) << "a damaged file is not tried again";
  EXPECT_FALSE(failed[0].error.empty());
  EXPECT_EQ(failed[0].error.find("1 0 obj"), std::string::npos) << "no content in the error";
}

// Recordings (here WAV, MP4, Ogg and an MP3 with an ID3 tag) hold no text: their jobs end done
// and say why, without reading the whole recording, and nothing is derived from them.
TEST_F(ProcessingTest, RecordingsAreSkippedWithoutBeingReadWhole) {
  const std::string tail(200000, '\x11');
  const std::string recordings[] = {std::string("RIFF\x24\x00\x00\x00WAVEfmt ", 16) + tail,
                                    std::string("\x00\x00\x00\x20"
                                                "ftypisom",
                                                12) +
                                        tail,
                                    "OggS" + tail, "ID3\x04" + tail};
  std::vector<std::string> ids;
  for (const auto& r : recordings) {
    auto stored = hub_->put_data("recording", r, "W-00613", hub::Intake::evidence("org-a"));
    ASSERT_TRUE(stored.is_ok());
    ASSERT_TRUE(enqueue_processing(*queue_, stored->id, now_millis()).is_ok());
    ids.push_back(stored->id);
  }
  ASSERT_TRUE(run().is_ok());
  for (const auto& id : ids) {
    EXPECT_EQ(result_of(kExtractTextJob, id)["skipped"], "a recording: no text to extract");
  }
  EXPECT_TRUE(queue_->list("failed", 10)->empty());
}

}  // namespace
}  // namespace evhub::collection
