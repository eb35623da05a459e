// The witness register on a real hub: records are encrypted objects in the witness's domain,
// the register is rebuilt from the log alone, personal details stay out of the log and the
// register, and erasure leaves nothing readable but a tombstone.
#include "collection/collection.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/support.h"

namespace evhub::collection {
namespace {

class CollectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub::InitOptions init;
    init.kdf = crypto::KdfCost::interactive();
    init.actor = "test";
    ASSERT_TRUE(hub::init_hub(dir(), credential(), init).is_ok());
    reopen();
  }
  std::string dir() const { return tmp_ / "hub"; }
  static vault::Credential credential() { return vault::Credential::key_file(Bytes(32, 5)); }
  void reopen() {
    collection_.reset();
    hub_.reset();
    auto h = hub::Hub::open(dir(), credential(), hub::OpenOptions{"intake-officer-1", 5000});
    ASSERT_TRUE(h.is_ok()) << h.status().to_string();
    hub_ = std::move(h).value();
    auto c = Collection::open(*hub_);
    ASSERT_TRUE(c.is_ok()) << c.status().to_string();
    collection_ = std::move(c).value();
  }
  static WitnessProfile profile() {
    WitnessProfile p;
    p.gender = "female";
    p.age_band = "30-44";
    p.country = "LT";
    p.languages = {"be", "ru"};
    p.vulnerabilities = {"relative-detained"};
    return p;
  }
  static PersonalDetails personal() {
    // Fictional.
    return {"Alesia Fictionalava", "+370 600 00000", "1985-04-02", "Vilnius (fictional)", ""};
  }
  static Consent consent(std::vector<std::string> scopes, std::string renew_by = "") {
    Consent c;
    c.given_on = "2026-01-15";
    c.taken_by = "intake-officer-1";
    c.scopes = std::move(scopes);
    c.conditions = "only through her lawyer";
    c.renew_by = std::move(renew_by);
    return c;
  }

  testing::TempDir tmp_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<Collection> collection_;
};

TEST_F(CollectionTest, WitnessesAreRegisteredWithoutNamesInTheLogOrTheRegister) {
  auto w = collection_->register_witness("W-00123", "org-a", profile(), personal());
  ASSERT_TRUE(w.is_ok()) << w.status().to_string();
  EXPECT_EQ(w->code, "W-00123");
  EXPECT_EQ(w->profile.languages, (std::vector<std::string>{"be", "ru"}));
  EXPECT_TRUE(w->has_personal_details);
  EXPECT_EQ(w->registered_by, "intake-officer-1");
  EXPECT_EQ(
      collection_->register_witness("W-00123", "org-a", profile(), std::nullopt).status().code(),
      Code::kAlreadyExists);
  EXPECT_EQ(
      collection_->register_witness("Alesia", "org-a", profile(), std::nullopt).status().code(),
      Code::kInvalidArgument);
  WitnessProfile odd = profile();
  odd.country = "Lithuania";
  EXPECT_NE(collection_->register_witness("W-00124", "org-a", odd, std::nullopt)
                .status()
                .message()
                .find("ISO 3166"),
            std::string::npos);

  auto details = collection_->personal_details("W-00123");
  ASSERT_TRUE(details.is_ok()) << details.status().to_string();
  EXPECT_EQ(details->name, "Alesia Fictionalava");
  // The name is nowhere in plaintext: not in the log, the catalog or the register.
  for (const char* file : {"custody/events.jsonl", "catalog.db", "collection.db"}) {
    EXPECT_EQ(testing::read_text(dir() + "/" + file).find("Fictionalava"), std::string::npos)
        << file;
  }
  EXPECT_EQ(testing::read_text(dir() + "/collection.db").find("only through"), std::string::npos);

  auto updated = collection_->update_profile("W-00123", WitnessProfile{});
  ASSERT_TRUE(updated.is_ok());
  EXPECT_EQ(updated->profile_version, 2);
  EXPECT_EQ(updated->profile.gender, "undisclosed");
}

TEST_F(CollectionTest, ConsentVersionsDecideAndTheGapsAreListed) {
  ASSERT_TRUE(collection_->register_witness("W-00001", "org-a", profile(), std::nullopt).is_ok());
  ASSERT_TRUE(collection_->register_witness("W-00002", "org-a", profile(), std::nullopt).is_ok());
  ASSERT_TRUE(collection_->register_witness("W-00003", "org-b", profile(), std::nullopt).is_ok());
  auto v1 = collection_->add_consent("W-00001", consent({"internal-analysis", "share-un"}));
  ASSERT_TRUE(v1.is_ok()) << v1.status().to_string();
  EXPECT_EQ(v1->version, 1);
  auto v2 = collection_->add_consent(
      "W-00001", consent({"internal-analysis", "share-un", "share-lawyer"}, "2026-07-01"));
  ASSERT_TRUE(v2.is_ok());
  EXPECT_EQ(v2->version, 2);
  ASSERT_TRUE(collection_->add_consent("W-00002", consent({"internal-analysis"})).is_ok());
  Consent bad = consent({"share-press"});
  EXPECT_EQ(collection_->add_consent("W-00002", bad).status().code(), Code::kInvalidArgument);

  auto lawyers =
      collection_->allows("W-00001", Purpose::kSharing, Recipient::kLawyer, "2026-06-01");
  ASSERT_TRUE(lawyers.is_ok());
  EXPECT_TRUE(lawyers->allowed) << lawyers->reason;
  auto later = collection_->allows("W-00001", Purpose::kSharing, Recipient::kLawyer, "2026-08-01");
  EXPECT_FALSE(later->allowed);
  EXPECT_NE(later->reason.find("renew-by date passed on 2026-07-01"), std::string::npos);

  auto history = collection_->consents("W-00001");
  ASSERT_TRUE(history.is_ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].conditions, "only through her lawyer") << "decrypted from the record";

  auto gaps =
      collection_->consent_gaps({"org-a"}, Purpose::kSharing, Recipient::kLawyer, "2026-06-20", 30);
  ASSERT_TRUE(gaps.is_ok());
  ASSERT_EQ(gaps->size(), 2u);
  EXPECT_EQ((*gaps)[0].code, "W-00001");
  EXPECT_EQ((*gaps)[0].problem, "expiring");
  EXPECT_EQ((*gaps)[1].code, "W-00002");
  EXPECT_EQ((*gaps)[1].problem, "too-narrow");
  EXPECT_NE((*gaps)[1].reason.find("does not cover lawyers"), std::string::npos);
  auto all_orgs =
      collection_->consent_gaps({}, Purpose::kInternalAnalysis, Recipient::kNone, "2026-06-20", 0);
  ASSERT_EQ(all_orgs->size(), 1u);
  EXPECT_EQ((*all_orgs)[0].code, "W-00003");
  EXPECT_EQ((*all_orgs)[0].problem, "missing");
}

TEST_F(CollectionTest, TheRegisterIsRebuiltFromTheLogAlone) {
  ASSERT_TRUE(collection_->register_witness("W-00007", "org-a", profile(), personal()).is_ok());
  ASSERT_TRUE(collection_->add_consent("W-00007", consent({"internal-analysis"})).is_ok());
  ASSERT_TRUE(collection_->add_consent("W-00007", consent({"recontact"})).is_ok());
  auto before = collection_->witness("W-00007");
  collection_.reset();
  std::filesystem::remove(dir() + "/collection.db");
  reopen();
  auto after = collection_->witness("W-00007");
  ASSERT_TRUE(after.is_ok() && *after);
  EXPECT_EQ((*after)->profile.languages, (*before)->profile.languages);
  EXPECT_EQ((*after)->consent_versions, 2);
  EXPECT_EQ((*after)->consent->scopes, (std::vector<std::string>{"recontact"}));
  EXPECT_EQ((*after)->registered_at, (*before)->registered_at);
  EXPECT_TRUE((*after)->has_personal_details);
}

TEST_F(CollectionTest, ErasureLeavesATombstoneAndNothingReadable) {
  ASSERT_TRUE(collection_->register_witness("W-00042", "org-a", profile(), personal()).is_ok());
  ASSERT_TRUE(collection_->add_consent("W-00042", consent({"internal-analysis"})).is_ok());
  auto evidence = hub_->put_data("statement", "statement of W-00042", "W-00042",
                                 hub::Intake::evidence("org-a"));
  ASSERT_TRUE(evidence.is_ok());

  auto report = collection_->erase("W-00042", "witness withdrew consent");
  ASSERT_TRUE(report.is_ok()) << report.status().to_string();
  auto w = collection_->witness("W-00042");
  ASSERT_TRUE(w.is_ok() && *w);
  EXPECT_TRUE((*w)->erased);
  EXPECT_EQ((*w)->erasure_reason, "witness withdrew consent");
  EXPECT_EQ((*w)->erased_by, "intake-officer-1");
  EXPECT_EQ((*w)->erased_objects, 4) << "profile, personal details, consent and the statement";
  EXPECT_EQ((*w)->consent_versions, 0);
  EXPECT_EQ((*w)->profile.languages.size(), 0u);
  EXPECT_EQ(collection_->personal_details("W-00042").status().code(), Code::kErased);
  EXPECT_EQ(hub_->open_object(evidence->id).status().code(), Code::kErased);
  auto decision = collection_->allows("W-00042", Purpose::kInternalAnalysis, Recipient::kNone, "");
  EXPECT_FALSE(decision->allowed);
  EXPECT_EQ(
      collection_->register_witness("W-00042", "org-a", profile(), std::nullopt).status().code(),
      Code::kAlreadyExists)
      << "an erased code is never given to someone else";

  // Replayed from the log, the tombstone is all there is.
  collection_.reset();
  std::filesystem::remove(dir() + "/collection.db");
  reopen();
  auto rebuilt = collection_->witness("W-00042");
  ASSERT_TRUE(rebuilt.is_ok() && *rebuilt);
  EXPECT_TRUE((*rebuilt)->erased);
  EXPECT_EQ((*rebuilt)->consent_versions, 0);
  EXPECT_FALSE((*rebuilt)->has_personal_details);
}

TEST_F(CollectionTest, ContactsAreLoggedAndTooSoonOrUnwantedOnesWarned) {
  WitnessProfile careful = profile();
  ASSERT_TRUE(collection_->register_witness("W-00900", "org-a", careful, std::nullopt).is_ok());
  careful.do_not_contact = true;
  ASSERT_TRUE(collection_->register_witness("W-00901", "org-a", careful, std::nullopt).is_ok());
  ASSERT_TRUE(collection_->add_consent("W-00900", consent({"internal-analysis"})).is_ok());

  Contact first{"2026-03-01", "intake-officer-1", "phone", "follow-up on the medical record",
                false};
  auto w1 = collection_->log_contact("W-00900", first);
  ASSERT_TRUE(w1.is_ok()) << w1.status().to_string();
  ASSERT_EQ(w1->size(), 1u);
  EXPECT_NE((*w1)[0].find("does not cover re-contact"), std::string::npos) << (*w1)[0];

  auto soon = collection_->check_contact("W-00900", "2026-03-20");
  ASSERT_TRUE(soon.is_ok());
  ASSERT_EQ(soon->size(), 2u);
  EXPECT_NE((*soon)[0].find("was contacted 19 days before, on 2026-03-01 by intake-officer-1"),
            std::string::npos)
      << (*soon)[0];
  auto later = collection_->check_contact("W-00900", "2026-05-01");
  EXPECT_EQ(later->size(), 1u) << "only the consent warning after 30 days";

  auto unwanted = collection_->check_contact("W-00901", "2026-05-01");
  ASSERT_EQ(unwanted->size(), 1u);
  EXPECT_EQ((*unwanted)[0], "W-00901 is marked not to be contacted");

  Contact bad = first;
  bad.channel = "pigeon";
  EXPECT_EQ(collection_->log_contact("W-00900", bad).status().code(), Code::kInvalidArgument);

  auto history = collection_->contacts("W-00900");
  ASSERT_TRUE(history.is_ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].purpose, "follow-up on the medical record");
  EXPECT_EQ(testing::read_text(dir() + "/collection.db").find("medical record"), std::string::npos)
      << "the purpose stays encrypted";

  ASSERT_TRUE(collection_->erase("W-00900", "erased").is_ok());
  EXPECT_EQ(collection_->contacts("W-00900")->size(), 0u);
}

TEST_F(CollectionTest, InterviewsAndDocumentsLinkTheWitnesssOwnObjects) {
  ASSERT_TRUE(collection_->register_witness("W-00777", "org-a", profile(), std::nullopt).is_ok());
  ASSERT_TRUE(collection_->register_witness("W-00778", "org-a", profile(), std::nullopt).is_ok());
  auto evidence = [&](const std::string& code, const std::string& bytes) {
    return hub_->put_data("f", bytes, code, hub::Intake::evidence("org-a"))->id;
  };
  const std::string recording = evidence("W-00777", "RIFF....WAVE recording");
  const std::string transcript = evidence("W-00777", "Transcript: we were taken to Akrescina.");
  const std::string scan = evidence("W-00777", "%PDF- medical certificate");
  const std::string elsewhere = evidence("W-00778", "another witness's file");

  Interview iv;
  iv.code = "W-00777";
  iv.on = "2026-02-03";
  iv.place = "Vilnius";
  iv.interviewer = "intake-officer-1";
  iv.languages = {"be"};
  iv.recordings = {recording};
  auto recorded = collection_->record_interview(iv);
  ASSERT_TRUE(recorded.is_ok()) << recorded.status().to_string();
  EXPECT_EQ(recorded->id.rfind("iv-", 0), 0u);
  iv.recordings = {elsewhere};
  EXPECT_EQ(collection_->record_interview(iv).status().code(), Code::kInvalidArgument)
      << "another witness's recording is refused";
  iv.recordings = {};
  iv.place.clear();
  EXPECT_EQ(collection_->record_interview(iv).status().code(), Code::kInvalidArgument);

  Interview next = *recorded;
  next.transcript = transcript;
  next.status = "transcribed";
  ASSERT_TRUE(collection_->update_interview(next).is_ok());
  next.status = "recorded";
  EXPECT_EQ(collection_->update_interview(next).status().code(), Code::kFailedPrecondition);

  WitnessDocument doc{scan,         "W-00777", "medical",
                      "2020-08-14", "ru",      "certificate from the city hospital",
                      recorded->id};
  ASSERT_TRUE(collection_->add_document(doc).is_ok());
  doc.kind = "diary";
  EXPECT_EQ(collection_->add_document(doc).status().code(), Code::kInvalidArgument);

  // Rebuilt from the log, the interview is transcribed and the document described.
  collection_.reset();
  std::filesystem::remove(dir() + "/collection.db");
  reopen();
  auto all = collection_->interviews("W-00777");
  ASSERT_TRUE(all.is_ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].status, "transcribed");
  EXPECT_EQ((*all)[0].transcript, transcript);
  EXPECT_EQ((*all)[0].recordings, (std::vector<std::string>{recording}));
  auto docs = collection_->documents("W-00777");
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ((*docs)[0].description, "certificate from the city hospital");
  EXPECT_EQ((*docs)[0].interview_id, recorded->id);
  EXPECT_EQ(testing::read_text(dir() + "/collection.db").find("city hospital"), std::string::npos);
  auto found = collection_->interview(recorded->id);
  ASSERT_TRUE(found.is_ok() && *found);
  EXPECT_EQ((*found)->code, "W-00777");
  EXPECT_EQ((*found)->status, "transcribed");
  EXPECT_FALSE(*collection_->interview("iv-unknown"));

  ASSERT_TRUE(collection_->erase("W-00777", "erased").is_ok());
  EXPECT_EQ(collection_->interviews("W-00777")->size(), 0u);
  EXPECT_EQ(collection_->documents("W-00777")->size(), 0u);
}

}  // namespace
}  // namespace evhub::collection
