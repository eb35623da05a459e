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

}  // namespace
}  // namespace evhub::collection
