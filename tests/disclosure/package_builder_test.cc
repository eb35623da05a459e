// The steps the CLI and the API share, on a real hub: candidates through the consent gate
// (reasons, consent versions, folders, renewals, unknown and doubled objects), a package built
// and its items replaced (a kept object keeps its redaction), an item redacted for its witness
// with the read of their personal details logged and nothing personal in the log, the review,
// and the refusals: stale version, a package past review, an object not in it. Persons are
// fictional.
#include "disclosure/package_builder.h"

#include <gtest/gtest.h>

#include <set>

#include "hub/record_io.h"
#include "support/support.h"
#include "support/test_hub.h"

namespace evhub::disclosure {
namespace {

constexpr const char* kToday = "2026-03-01";

class PackageBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = testing::new_test_hub(tmp_ / "hub");
    witnesses_ = std::move(collection::Collection::open(*hub_)).value();
    packages_ = std::move(PackageStore::open(*hub_)).value();
    witness("W-00101", "Алена Дзераўянка", "share-lawyer");
    witness("W-00102", "Ян Клімовіч", "share-icc");
    request_.id = "RQ-2026-0001";
    request_.organisation_id = "org-a";
    request_.requester.kind = "lawyer";
    allowed_ = put("W-00101", "Мяне завуць Алена Дзераўянка. Нас білі на Акрэсціна.");
    blocked_ = put("W-00102", "Мяне завуць Ян Клімовіч.");
    osint_ = put("source-1", "A video description from an open source.");
  }

  void witness(const std::string& code, const std::string& name, const std::string& scope) {
    collection::PersonalDetails personal;
    personal.name = name;
    ASSERT_TRUE(witnesses_->register_witness(code, "org-a", {}, personal).is_ok());
    collection::Consent c;
    c.given_on = "2026-01-10";
    c.taken_by = "intake-1";
    c.scopes = {"internal-analysis", scope};
    ASSERT_TRUE(witnesses_->add_consent(code, c).is_ok());
  }

  std::string put(const std::string& domain, const std::string& text) {
    auto stored = hub_->put_data("item", text, domain, hub::Intake::evidence("org-a"));
    EXPECT_TRUE(stored.is_ok()) << stored.status().to_string();
    return stored.is_ok() ? stored->id : "";
  }

  static ItemSpec spec(const std::string& object) {
    ItemSpec s;
    s.object_id = object;
    return s;
  }

  testing::TempDir tmp_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<collection::Collection> witnesses_;
  std::unique_ptr<PackageStore> packages_;
  Request request_;
  std::string allowed_, blocked_, osint_;
};

TEST_F(PackageBuilderTest, CandidatesPassTheGateWithReasonsFoldersAndRenewals) {
  ItemSpec named = spec(osint_);
  named.folder = "INC-0012";
  named.description = "Video description";
  auto built = gate_candidates(*hub_, *witnesses_, request_,
                               {spec(allowed_), spec(blocked_), named}, kToday);
  ASSERT_TRUE(built.is_ok()) << built.status().to_string();
  ASSERT_EQ(built->candidates.size(), 3U);
  const auto& a = built->candidates[0];
  EXPECT_TRUE(a.item.gate.allowed);
  EXPECT_EQ(a.item.gate.reason, "");
  EXPECT_FALSE(a.decision.reason.empty()) << "what allowed it is said";
  EXPECT_EQ(a.item.gate.consent_version, 1);
  EXPECT_EQ(a.item.witness, "W-00101");
  EXPECT_EQ(a.item.folder, "W-00101");
  EXPECT_EQ(a.item.description, hub_->describe(allowed_)->record.media_type);
  EXPECT_TRUE(a.warnings.empty());
  const auto& b = built->candidates[1];
  EXPECT_FALSE(b.item.gate.allowed);
  EXPECT_EQ(b.item.gate.reason, "W-00102: consent v1 does not cover lawyers");
  EXPECT_EQ(b.decision.block, GateBlock::kNotCovered);
  EXPECT_EQ(b.item.gate.consent_version, 0);
  const auto& c = built->candidates[2];
  EXPECT_TRUE(c.item.gate.allowed) << c.decision.reason;
  EXPECT_EQ(c.item.witness, "");
  EXPECT_EQ(c.item.folder, "INC-0012");
  EXPECT_EQ(c.item.description, "Video description");
  EXPECT_EQ(built->renew, std::vector<std::string>{"W-00102"});
  EXPECT_EQ(built->items().size(), 3U);

  const std::string unknown(allowed_.size(), '0');
  EXPECT_EQ(gate_candidates(*hub_, *witnesses_, request_, {spec(unknown)}, kToday).status().code(),
            Code::kNotFound);
  EXPECT_EQ(gate_candidates(*hub_, *witnesses_, request_, {spec(allowed_), spec(allowed_)}, kToday)
                .status()
                .code(),
            Code::kInvalidArgument);
  EXPECT_EQ(
      gate_candidates(*hub_, *witnesses_, request_, {spec(allowed_)}, "1 March").status().code(),
      Code::kInvalidArgument);
}

TEST_F(PackageBuilderTest, ReplacedItemsAreGatedAgainAndAKeptObjectKeepsItsRedaction) {
  auto built = build_package(*hub_, *witnesses_, *packages_, request_,
                             {spec(allowed_), spec(blocked_)}, kToday, "legal-1");
  ASSERT_TRUE(built.is_ok()) << built.status().to_string();
  EXPECT_EQ(built->package.version, 2);
  EXPECT_EQ(built->package.request_id, "RQ-2026-0001");
  ASSERT_EQ(built->package.items.size(), 2U);
  EXPECT_FALSE(built->package.items[1].gate.allowed);

  auto redacted =
      redact_package_item(*hub_, *witnesses_, *packages_, built->package, allowed_, {}, "legal-1");
  ASSERT_TRUE(redacted.is_ok()) << redacted.status().to_string();
  auto reviewed = review_redaction(*packages_, redacted->package, allowed_, "legal-3");
  ASSERT_TRUE(reviewed.is_ok()) << reviewed.status().to_string();

  const std::string id = built->package.id;
  EXPECT_EQ(replace_items(*hub_, *witnesses_, *packages_, request_, id, 2, {spec(allowed_)}, kToday,
                          "legal-1")
                .status()
                .code(),
            Code::kFailedPrecondition)
      << "stale";
  auto replaced = replace_items(*hub_, *witnesses_, *packages_, request_, id, reviewed->version,
                                {spec(allowed_), spec(osint_)}, kToday, "legal-1");
  ASSERT_TRUE(replaced.is_ok()) << replaced.status().to_string();
  ASSERT_EQ(replaced->package.items.size(), 2U);
  EXPECT_EQ(replaced->package.items[0].delivered_object_id, redacted->redacted.object_id);
  EXPECT_EQ(replaced->package.items[0].redaction_reviewed_by, "legal-3");
  EXPECT_TRUE(replaced->package.items[1].delivered_object_id.empty());
  EXPECT_TRUE(packages_->submit(id, replaced->package.version, "legal-1").is_ok());

  EXPECT_EQ(replace_items(*hub_, *witnesses_, *packages_, request_, "pk-unknown", 1,
                          {spec(allowed_)}, kToday, "legal-1")
                .status()
                .code(),
            Code::kNotFound);
  Request other = request_;
  other.id = "RQ-2026-0002";
  EXPECT_EQ(replace_items(*hub_, *witnesses_, *packages_, other, id, 1, {spec(allowed_)}, kToday,
                          "legal-1")
                .status()
                .code(),
            Code::kInvalidArgument);
}

TEST_F(PackageBuilderTest, ARedactionReadsTheWitnessesDetailsLoggedAndNeedsAReview) {
  auto built =
      build_package(*hub_, *witnesses_, *packages_, request_, {spec(allowed_)}, kToday, "legal-1");
  ASSERT_TRUE(built.is_ok()) << built.status().to_string();
  EXPECT_EQ(review_redaction(*packages_, built->package, allowed_, "legal-1").status().code(),
            Code::kFailedPrecondition)
      << "nothing to review yet";

  auto done =
      redact_package_item(*hub_, *witnesses_, *packages_, built->package, allowed_, {}, "legal-1");
  ASSERT_TRUE(done.is_ok()) << done.status().to_string();
  ASSERT_FALSE(done->redacted.log.empty());
  EXPECT_EQ(done->redacted.log[0].kind, "name");
  const std::string text = *hub::read_object_text(*hub_, done->redacted.object_id, 1 << 20);
  EXPECT_EQ(text.find("Дзераўянка"), std::string::npos) << text;
  EXPECT_NE(text.find("W-00101"), std::string::npos) << text;
  EXPECT_EQ(done->package.items[0].delivered_object_id, done->redacted.object_id);
  EXPECT_TRUE(done->package.items[0].redaction_reviewed_by.empty());

  auto viewed = hub_->events(-1, "witness.personal.view", 10);
  ASSERT_TRUE(viewed.is_ok());
  ASSERT_EQ(viewed->size(), 1U);
  const auto& details = viewed->at(0).details;
  EXPECT_EQ(details.value("witness", ""), "W-00101");
  EXPECT_EQ(details.value("for", ""), "redaction");
  EXPECT_EQ(details.value("by", ""), "legal-1");
  EXPECT_EQ(details.dump().find("Алена"), std::string::npos) << "no personal data in the log";

  EXPECT_EQ(packages_->submit(done->package.id, done->package.version, "legal-1").status().code(),
            Code::kFailedPrecondition)
      << "not reviewed";
  // The version the caller saw is stale now.
  EXPECT_EQ(
      redact_package_item(*hub_, *witnesses_, *packages_, built->package, allowed_, {}, "legal-1")
          .status()
          .code(),
      Code::kFailedPrecondition);
  EXPECT_EQ(
      redact_package_item(*hub_, *witnesses_, *packages_, done->package, osint_, {}, "legal-1")
          .status()
          .code(),
      Code::kNotFound);
  auto reviewed = review_redaction(*packages_, done->package, allowed_, "legal-3");
  ASSERT_TRUE(reviewed.is_ok()) << reviewed.status().to_string();
  EXPECT_EQ(reviewed->items[0].redaction_reviewed_by, "legal-3");
  auto submitted = packages_->submit(reviewed->id, reviewed->version, "legal-1");
  ASSERT_TRUE(submitted.is_ok()) << submitted.status().to_string();

  // In review nothing is redacted: no derived object is left behind, no details are read.
  const auto before = hub_->events(-1, "", 1)->at(0).seq;
  auto late =
      redact_package_item(*hub_, *witnesses_, *packages_, *submitted, allowed_, {}, "legal-1");
  EXPECT_EQ(late.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(hub_->events(-1, "", 1)->at(0).seq, before);
}

TEST_F(PackageBuilderTest, AnImageNeedsBoxesAndAMalformedBoxIsRefused) {
  auto built =
      build_package(*hub_, *witnesses_, *packages_, request_, {spec(osint_)}, kToday, "legal-1");
  ASSERT_TRUE(built.is_ok());
  // A text cannot be boxed: redact_item says what to do, and the package is unchanged.
  auto boxed = redact_package_item(*hub_, *witnesses_, *packages_, built->package, osint_,
                                   {{1, 0.1, 0.1, 0.2, 0.2}}, "legal-1");
  EXPECT_EQ(boxed.status().code(), Code::kInvalidArgument);
  EXPECT_EQ((*packages_->get(built->package.id))->version, built->package.version);
}

TEST_F(PackageBuilderTest, ManyTextsAreRedactedInOneVersionWithOneDetailsReadPerWitness) {
  witness("W-00103", "Марына Лябёдкіна", "share-lawyer");
  const std::string a2 = put("W-00101", "Алена Дзераўянка расказала пра другі дзень.");
  const std::string c1 = put("W-00103", "Мяне завуць Марына Лябёдкіна.");
  const std::string c2 = put("W-00103", "Лябёдкіна Марына бачыла затрыманне.");
  const std::string image = put("W-00101", std::string("\x89PNG\r\n\x1a\n", 8) + "not a text");
  auto built = build_package(
      *hub_, *witnesses_, *packages_, request_,
      {spec(allowed_), spec(a2), spec(c1), spec(c2), spec(image), spec(osint_)}, kToday, "legal-1");
  ASSERT_TRUE(built.is_ok()) << built.status().to_string();
  const auto events_before = hub_->event_count();

  auto done = redact_package_items(*hub_, *witnesses_, *packages_, built->package, {}, "legal-1");
  ASSERT_TRUE(done.is_ok()) << done.status().to_string();
  EXPECT_EQ(done->package.version, built->package.version + 1) << "one new version";
  EXPECT_EQ(done->object_ids, (std::vector<std::string>{allowed_, a2, c1, c2, osint_}))
      << "every text, in the package's order; not the image";
  ASSERT_EQ(done->redacted.size(), 5U);
  for (std::size_t i = 0; i < 5; ++i) {
    const auto& item = done->package.items[i == 4 ? 5 : i];
    EXPECT_EQ(item.object_id, done->object_ids[i]);
    EXPECT_EQ(item.delivered_object_id, done->redacted[i].object_id);
    EXPECT_TRUE(item.redaction_reviewed_by.empty());
    const std::string text = *hub::read_object_text(*hub_, item.delivered_object_id, 1 << 20);
    for (const char* name : {"Алена", "Дзераўянка", "Марына", "Лябёдкіна"}) {
      EXPECT_EQ(text.find(name), std::string::npos) << text;
    }
  }
  EXPECT_TRUE(done->package.items[4].delivered_object_id.empty()) << "the image is left whole";
  EXPECT_NE(hub::read_object_text(*hub_, done->redacted[2].object_id, 1 << 20)->find("W-00103"),
            std::string::npos);

  auto viewed = hub_->events(-1, "witness.personal.view", 10);
  ASSERT_TRUE(viewed.is_ok());
  ASSERT_EQ(viewed->size(), 2U) << "one read per witness";
  std::set<std::string> read_of;
  for (const auto& e : *viewed) {
    read_of.insert(e.details.value("witness", ""));
    EXPECT_EQ(e.details.value("for", ""), "redaction");
    EXPECT_EQ(e.details.value("by", ""), "legal-1");
    EXPECT_EQ(e.details.dump().find("Марына"), std::string::npos) << "no personal data";
  }
  EXPECT_EQ(read_of, (std::set<std::string>{"W-00101", "W-00103"}));
  // 2 reads + 5 redacted objects + 1 package version; the reads logged before the objects.
  EXPECT_EQ(hub_->event_count(), events_before + 8);

  // Nothing left to redact: no new version, nothing read.
  auto again = redact_package_items(*hub_, *witnesses_, *packages_, done->package, {}, "legal-1");
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_EQ(again->package.version, done->package.version);
  EXPECT_TRUE(again->object_ids.empty());
  EXPECT_EQ(hub_->event_count(), events_before + 8);

  // Reviewed all at once, in one version; then submitted.
  auto reviewed = review_redactions(*packages_, done->package, {}, "legal-3");
  ASSERT_TRUE(reviewed.is_ok()) << reviewed.status().to_string();
  EXPECT_EQ(reviewed->version, done->package.version + 1);
  for (const auto& item : reviewed->items) {
    EXPECT_EQ(item.redaction_reviewed_by, item.delivered_object_id.empty() ? "" : "legal-3");
  }
  auto none_left = review_redactions(*packages_, *reviewed, {}, "legal-3");
  ASSERT_TRUE(none_left.is_ok());
  EXPECT_EQ(none_left->version, reviewed->version);
  EXPECT_TRUE(packages_->submit(reviewed->id, reviewed->version, "legal-1").is_ok());
}

TEST_F(PackageBuilderTest, ABatchRedactionRefusesBeforeReadingOrStoringAnything) {
  auto built = build_package(*hub_, *witnesses_, *packages_, request_,
                             {spec(allowed_), spec(blocked_), spec(osint_)}, kToday, "legal-1");
  ASSERT_TRUE(built.is_ok()) << built.status().to_string();
  const auto before = hub_->event_count();
  const std::string unknown(allowed_.size(), '0');
  auto redact = [&](const Package& p, const std::vector<std::string>& ids) {
    return redact_package_items(*hub_, *witnesses_, *packages_, p, ids, "legal-1").status().code();
  };
  EXPECT_EQ(redact(built->package, {allowed_, unknown}), Code::kNotFound);
  EXPECT_EQ(redact(built->package, {allowed_, blocked_}), Code::kFailedPrecondition);
  EXPECT_EQ(redact(built->package, {allowed_, allowed_}), Code::kInvalidArgument);
  Package stale = built->package;
  stale.version -= 1;
  EXPECT_EQ(redact(stale, {allowed_}), Code::kFailedPrecondition);
  EXPECT_EQ(review_redactions(*packages_, built->package, {allowed_}, "legal-3").status().code(),
            Code::kFailedPrecondition)
      << "nothing to review yet";
  EXPECT_EQ(hub_->event_count(), before) << "nothing read, stored or logged";

  // Every text: the blocked one is left out, not refused.
  auto done = redact_package_items(*hub_, *witnesses_, *packages_, built->package, {}, "legal-1");
  ASSERT_TRUE(done.is_ok()) << done.status().to_string();
  EXPECT_EQ(done->object_ids, (std::vector<std::string>{allowed_, osint_}));
  EXPECT_TRUE(done->package.items[1].delivered_object_id.empty());
  EXPECT_EQ(
      review_redactions(*packages_, done->package, {allowed_, allowed_}, "legal-3").status().code(),
      Code::kInvalidArgument);

  // Past draft: refused, nothing logged.
  auto taken_out = replace_items(*hub_, *witnesses_, *packages_, request_, done->package.id,
                                 done->package.version, {spec(allowed_)}, kToday, "legal-1");
  ASSERT_TRUE(taken_out.is_ok()) << taken_out.status().to_string();
  auto reviewed = review_redactions(*packages_, taken_out->package, {}, "legal-3");
  ASSERT_TRUE(reviewed.is_ok()) << reviewed.status().to_string();
  auto submitted = packages_->submit(reviewed->id, reviewed->version, "legal-1");
  ASSERT_TRUE(submitted.is_ok()) << submitted.status().to_string();
  const auto now = hub_->event_count();
  EXPECT_EQ(redact(*submitted, {}), Code::kFailedPrecondition);
  EXPECT_EQ(redact(*submitted, {allowed_}), Code::kFailedPrecondition);
  EXPECT_EQ(hub_->event_count(), now);
}

}  // namespace
}  // namespace evhub::disclosure
