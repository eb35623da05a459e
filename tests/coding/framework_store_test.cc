// The framework kept in a real hub: the shipped default until the first change, then every
// stored version; stale and rewriting changes refused; a view rebuilt from the log.
#include "coding/framework_store.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/fs.h"
#include "support/support.h"
#include "support/test_hub.h"

namespace evhub::coding {
namespace {

class FrameworkStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = testing::new_test_hub(tmp_ / "hub");
    store_ = std::move(FrameworkStore::open(*hub_)).value();
  }

  // The current framework with a new code under "physical".
  Framework with_new_code(const std::string& id) {
    Framework f = store_->current().value();
    FrameworkCode code;
    code.id = id;
    code.parent = "physical";
    code.label = {"Water torture", "Катаванне вадой", "Пытка водой"};
    EXPECT_TRUE(f.add(code).is_ok());
    return f;
  }

  testing::TempDir tmp_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<FrameworkStore> store_;
};

TEST_F(FrameworkStoreTest, TheShippedFrameworkIsInForceUntilTheFirstChange) {
  auto now = store_->current();
  ASSERT_TRUE(now.is_ok()) << now.status().message();
  EXPECT_EQ(now->codes().size(), default_framework().value().codes().size());
  EXPECT_TRUE(store_->versions().value().empty());
}

TEST_F(FrameworkStoreTest, AChangeIsStoredWithItsAuthorAndEveryVersionKept) {
  const int shipped = store_->current().value().version();
  auto stored = store_->replace(with_new_code("physical.water"), shipped, "user-admin");
  ASSERT_TRUE(stored.is_ok()) << stored.status().message();
  EXPECT_EQ(stored->version(), shipped + 1);
  ASSERT_NE(store_->current().value().find("physical.water"), nullptr);

  Framework again = store_->current().value();
  ASSERT_TRUE(again.retire("physical.water").is_ok());
  ASSERT_TRUE(store_->replace(again, shipped + 1, "user-admin").is_ok());

  auto versions = store_->versions().value();
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].version, shipped + 2);
  EXPECT_EQ(versions[1].version, shipped + 1);
  EXPECT_EQ(versions[1].stored_by, "user-admin");
  EXPECT_FALSE(store_->at_version(shipped + 1).value().find("physical.water")->retired);
  EXPECT_TRUE(store_->at_version(shipped + 2).value().find("physical.water")->retired);
  EXPECT_EQ(store_->at_version(99).status().code(), Code::kNotFound);
}

TEST_F(FrameworkStoreTest, AChangeFromAnOldVersionIsRefused) {
  const int shipped = store_->current().value().version();
  ASSERT_TRUE(store_->replace(with_new_code("physical.water"), shipped, "a").is_ok());
  Framework mine = default_framework().value();  // what a second admin started from
  FrameworkCode code;
  code.id = "physical.noise";
  code.parent = "physical";
  code.label.en = "Loud noise";
  ASSERT_TRUE(mine.add(code).is_ok());
  auto refused = store_->replace(mine, shipped, "b");
  EXPECT_EQ(refused.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("reload"), std::string::npos);
  EXPECT_EQ(store_->current().value().find("physical.noise"), nullptr);
}

TEST_F(FrameworkStoreTest, RemovingACodeOrRewritingARevisionIsRefused) {
  const Framework now = store_->current().value();
  // An imported file without one of the codes: old codings would name nothing.
  std::string json = framework_to_json(now);
  const std::string gone = now.codes().back().id;
  nlohmann::json j = nlohmann::json::parse(json);
  j["codes"].erase(j["codes"].end() - 1);
  j["version"] = now.version() + 1;
  const Framework fewer = framework_from_json(j.dump()).value();
  auto refused = store_->replace(fewer, now.version(), "admin");
  EXPECT_EQ(refused.status().code(), Code::kInvalidArgument);
  EXPECT_NE(refused.status().message().find(gone), std::string::npos);
  EXPECT_TRUE(store_->versions().value().empty());
}

TEST_F(FrameworkStoreTest, AChangeThatChangesNothingStoresNothing) {
  const Framework now = store_->current().value();
  ASSERT_TRUE(store_->replace(now, now.version(), "admin").is_ok());
  EXPECT_TRUE(store_->versions().value().empty());
}

TEST_F(FrameworkStoreTest, TheViewIsRebuiltFromTheLog) {
  const int shipped = store_->current().value().version();
  ASSERT_TRUE(store_->replace(with_new_code("physical.water"), shipped, "admin").is_ok());
  store_.reset();
  hub_.reset();
  ASSERT_TRUE(local_fs().remove(join_path(tmp_ / "hub", "coding.db")).is_ok());
  hub_ = testing::open_test_hub(tmp_ / "hub");
  store_ = std::move(FrameworkStore::open(*hub_)).value();
  EXPECT_NE(store_->current().value().find("physical.water"), nullptr);
  EXPECT_EQ(store_->versions().value().at(0).stored_by, "admin");
}

}  // namespace
}  // namespace evhub::coding
