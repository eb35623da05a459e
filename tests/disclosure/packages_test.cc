// Disclosure packages on a real hub: numbered per year, items changed only with the version
// seen and only before review, blocked or unreviewed items keep a package from review, the
// approver must not have built or changed it, every version is kept, the view answers where a
// witness's material has gone, and it is rebuilt from the log.
#include "disclosure/packages.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "support/support.h"
#include "support/test_hub.h"

namespace evhub::disclosure {
namespace {

class PackagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = testing::new_test_hub(tmp_ / "hub");
    store_ = std::move(PackageStore::open(*hub_)).value();
  }

  PackageItem item(const std::string& object, const std::string& witness, bool allowed) {
    PackageItem i;
    i.object_id = object;
    i.witness = witness;
    i.folder = witness;
    i.description = "interview transcript";
    i.gate.allowed = allowed;
    i.gate.reason = allowed ? "" : witness + ": consent v2 does not cover lawyers";
    i.gate.consent_version = allowed ? 2 : 0;
    return i;
  }

  testing::TempDir tmp_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<PackageStore> store_;
};

TEST_F(PackagesTest, PackagesAreNumberedWithinTheYear) {
  auto first = store_->create("org-a", "RQ-2026-0001", "legal-1");
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  auto second = store_->create("org-a", "RQ-2026-0002", "legal-1");
  ASSERT_TRUE(second.is_ok());
  EXPECT_EQ(first->number, 1);
  EXPECT_EQ(second->number, 2);
  EXPECT_EQ(first->year, second->year);
  EXPECT_GE(first->year, 2026);
  EXPECT_EQ(first->state, "draft");
  EXPECT_EQ(first->editors, std::vector<std::string>{"legal-1"});
  EXPECT_EQ(store_->create("", "RQ-1", "legal-1").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(store_->create("org-a", "", "legal-1").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(store_->create("org-a", "RQ-1", "").status().code(), Code::kInvalidArgument);
}

TEST_F(PackagesTest, TheWorkflowRefusesBlockedItemsAndSelfApprovalAndKeepsEveryVersion) {
  auto p = *store_->create("org-a", "RQ-2026-0001", "legal-1");
  auto v2 = store_->set_items(
      p.id, 1, {item("obj-1", "W-00001", true), item("obj-2", "W-00002", false)}, "legal-1");
  ASSERT_TRUE(v2.is_ok()) << v2.status().to_string();
  EXPECT_EQ(store_->set_items(p.id, 1, {}, "legal-1").status().code(),
            Code::kFailedPrecondition);  // stale

  auto blocked = store_->submit(p.id, 2, "legal-1");
  ASSERT_FALSE(blocked.is_ok());
  EXPECT_NE(blocked.status().message().find("W-00002: consent v2 does not cover lawyers"),
            std::string::npos)
      << blocked.status().message();

  auto redacted = item("obj-1", "W-00001", true);
  redacted.delivered_object_id = "obj-1-redacted";
  ASSERT_TRUE(store_->set_items(p.id, 2, {redacted}, "legal-1").is_ok());
  EXPECT_NE(store_->submit(p.id, 3, "legal-1").status().message().find("not been reviewed"),
            std::string::npos);
  redacted.redaction_reviewed_by = "legal-3";
  ASSERT_TRUE(store_->set_items(p.id, 3, {redacted}, "legal-3").is_ok());
  ASSERT_TRUE(store_->submit(p.id, 4, "legal-1").is_ok());
  EXPECT_EQ(store_->set_items(p.id, 5, {}, "legal-1").status().code(), Code::kFailedPrecondition);

  // Neither the builder nor anyone who changed it may approve.
  for (const char* who : {"legal-1", "legal-3"}) {
    auto self = store_->approve(p.id, 5, who);
    EXPECT_EQ(self.status().code(), Code::kFailedPrecondition) << who;
    EXPECT_NE(self.status().message().find("did not build or change it"), std::string::npos);
  }
  EXPECT_EQ(store_->request_changes(p.id, 5, "legal-2", "").status().code(),
            Code::kInvalidArgument);
  auto changes = store_->request_changes(p.id, 5, "legal-2", "describe the second item");
  ASSERT_TRUE(changes.is_ok());
  EXPECT_EQ(changes->state, "changes-requested");
  redacted.description = "transcript of the interview of 12 August 2020";
  ASSERT_TRUE(store_->set_items(p.id, 6, {redacted}, "legal-1").is_ok());
  ASSERT_TRUE(store_->submit(p.id, 7, "legal-1").is_ok());
  EXPECT_EQ(store_->mark_exported(p.id, 8, "legal-1").status().code(),
            Code::kFailedPrecondition);  // not approved yet
  auto approved = store_->approve(p.id, 8, "legal-2");
  ASSERT_TRUE(approved.is_ok()) << approved.status().to_string();
  EXPECT_EQ(approved->approved_by, "legal-2");
  auto exported = store_->mark_exported(p.id, 9, "legal-1");
  ASSERT_TRUE(exported.is_ok());
  EXPECT_EQ(store_->submit(p.id, 10, "legal-1").status().code(), Code::kFailedPrecondition);

  auto history = store_->history(p.id);
  ASSERT_TRUE(history.is_ok());
  ASSERT_EQ(history->size(), 10U);
  EXPECT_EQ(history->front().state, "draft");
  EXPECT_EQ(history->at(5).note, "describe the second item");
  EXPECT_EQ(history->back().state, "exported");
  EXPECT_EQ(store_->approve("pk-unknown", 1, "legal-2").status().code(), Code::kNotFound);
}

TEST_F(PackagesTest, WhereAWitnessesMaterialHasGoneSurvivesARebuildOfTheView) {
  auto p = *store_->create("org-a", "RQ-2026-0001", "legal-1");
  auto q = *store_->create("org-a", "RQ-2026-0002", "legal-1");
  ASSERT_TRUE(store_
                  ->set_items(p.id, 1,
                              {item("obj-1", "W-00001", true), item("obj-2", "W-00002", true)},
                              "legal-1")
                  .is_ok());
  ASSERT_TRUE(store_->set_items(q.id, 1, {item("obj-3", "W-00001", true)}, "legal-1").is_ok());
  ASSERT_TRUE(store_->submit(p.id, 2, "legal-1").is_ok());
  ASSERT_TRUE(store_->approve(p.id, 3, "legal-2").is_ok());
  ASSERT_TRUE(store_->mark_exported(p.id, 4, "legal-1").is_ok());

  auto gone = store_->disclosures_of("W-00001");
  ASSERT_TRUE(gone.is_ok());
  ASSERT_EQ(gone->size(), 1U);  // q was never exported
  EXPECT_EQ(gone->at(0).object_id, "obj-1");
  EXPECT_EQ(gone->at(0).request_id, "RQ-2026-0001");
  EXPECT_EQ(gone->at(0).consent_version, 2);
  EXPECT_EQ(*store_->requests_holding("W-00001"), std::vector<std::string>{"RQ-2026-0001"});
  EXPECT_EQ(*store_->requests_holding("W-00002"), std::vector<std::string>{"RQ-2026-0001"});
  EXPECT_TRUE(store_->requests_holding("W-00003")->empty());

  store_.reset();
  const std::string db = hub_->layout().packages();
  {
    std::ifstream in(db, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(bytes.find("interview transcript"), std::string::npos);  // descriptions stay sealed
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((db + suffix).c_str());
  store_ = std::move(PackageStore::open(*hub_)).value();
  auto again = store_->disclosures_of("W-00001");
  ASSERT_TRUE(again.is_ok());
  ASSERT_EQ(again->size(), 1U);
  EXPECT_EQ(again->at(0).package_id, p.id);
  auto listed = store_->list({"org-a"});
  ASSERT_TRUE(listed.is_ok());
  ASSERT_EQ(listed->size(), 2U);
  EXPECT_EQ(listed->at(0).id, p.id);  // the newest change first
  EXPECT_TRUE(store_->list({"org-b"})->empty());
}

TEST_F(PackagesTest, TheDisclosureLogListsExportedItemsOfTheOrganisationsAskedFor) {
  auto p = *store_->create("org-a", "RQ-2026-0001", "legal-1");
  auto q = *store_->create("org-b", "RQ-2026-0002", "legal-1");
  PackageItem osint = item("obj-9", "", true);
  osint.gate.consent_version = 0;
  ASSERT_TRUE(
      store_->set_items(p.id, 1, {item("obj-1", "W-00001", true), osint}, "legal-1").is_ok());
  ASSERT_TRUE(store_->set_items(q.id, 1, {item("obj-3", "W-00003", true)}, "legal-1").is_ok());
  for (const auto* id : {&p.id, &q.id}) {
    ASSERT_TRUE(store_->submit(*id, 2, "legal-1").is_ok());
    ASSERT_TRUE(store_->approve(*id, 3, "legal-2").is_ok());
  }
  ASSERT_TRUE(store_->mark_exported(q.id, 4, "legal-1").is_ok());
  EXPECT_TRUE(store_->disclosures({"org-a"})->empty()) << "approved is not yet disclosed";
  ASSERT_TRUE(store_->mark_exported(p.id, 4, "legal-1").is_ok());

  auto log = store_->disclosures({"org-a"});
  ASSERT_TRUE(log.is_ok()) << log.status().to_string();
  ASSERT_EQ(log->size(), 2U);  // material of no witness is in the log too
  EXPECT_EQ(log->at(0).object_id, "obj-1");
  EXPECT_EQ(log->at(0).witness, "W-00001");
  EXPECT_EQ(log->at(0).request_id, "RQ-2026-0001");
  EXPECT_EQ(log->at(0).consent_version, 2);
  EXPECT_EQ(log->at(1).witness, "");
  auto both = store_->disclosures({"org-b", "org-a"});
  ASSERT_EQ(both->size(), 3U);
  EXPECT_EQ(both->at(0).organisation_id, "org-b");  // exported first
  EXPECT_TRUE(store_->disclosures({})->empty()) << "nobody's organisations: nothing";
  EXPECT_TRUE(store_->disclosures({"org-c"})->empty());
}

}  // namespace
}  // namespace evhub::disclosure
