#include <gtest/gtest.h>

#include "accounts/accounts.h"
#include "crypto/password.h"
#include "support/support.h"

namespace evhub::accounts {
namespace {

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a = Accounts::open(tmp_ / "accounts.db");
    ASSERT_TRUE(a.is_ok()) << a.status().to_string();
    accounts_ = std::move(a).value();
    ASSERT_TRUE(accounts_->add_organisation("Viasna Partner A").is_ok());
    ASSERT_TRUE(accounts_->add_organisation("Partner B").is_ok());
  }
  std::string hash(const std::string& pw) {
    return *crypto::hash_password(pw, crypto::KdfCost::interactive());
  }
  testing::TempDir tmp_;
  std::unique_ptr<Accounts> accounts_;
};

TEST_F(AccountsTest, RolesHaveStableNames) {
  for (Role r : kAllRoles) EXPECT_EQ(parse_role(role_name(r)), r);
  EXPECT_EQ(std::string(role_name(Role::kMhpssCoordinator)), "mhpss-coordinator");
  EXPECT_FALSE(parse_role("superuser").has_value());
}

TEST_F(AccountsTest, UsersGrantsAndRevocations) {
  auto u = accounts_->add_user("analyst.one", "Partner B", hash("a long password 1"));
  ASSERT_TRUE(u.is_ok()) << u.status().to_string();
  EXPECT_EQ(u->id.size(), 32u);
  ASSERT_TRUE(accounts_->grant("analyst.one", "Partner B", Role::kAnalyst, "admin").is_ok());
  ASSERT_TRUE(
      accounts_->grant("analyst.one", "Viasna Partner A", Role::kReviewer, "admin").is_ok());
  EXPECT_EQ(accounts_->grant("analyst.one", "Partner B", Role::kAnalyst, "admin").code(),
            Code::kAlreadyExists);
  auto found = accounts_->find_user("analyst.one");
  ASSERT_TRUE(found.is_ok() && found->has_value());
  ASSERT_EQ((*found)->grants.size(), 2u);
  EXPECT_EQ((*found)->grants[0].organisation, "Partner B");
  EXPECT_EQ((*found)->grants[0].role, Role::kAnalyst);
  ASSERT_TRUE(accounts_->revoke("analyst.one", "Partner B", Role::kAnalyst).is_ok());
  EXPECT_EQ(accounts_->revoke("analyst.one", "Partner B", Role::kAnalyst).code(), Code::kNotFound);
  EXPECT_EQ((*accounts_->find_user("analyst.one"))->grants.size(), 1u);
  EXPECT_EQ(accounts_->grant("nobody", "Partner B", Role::kAnalyst, "admin").code(),
            Code::kNotFound);
  EXPECT_EQ(accounts_->grant("analyst.one", "Partner Z", Role::kAnalyst, "admin").code(),
            Code::kNotFound);
}

TEST_F(AccountsTest, PasswordsAreStoredOnlyAsHashes) {
  ASSERT_TRUE(accounts_->add_user("lead", "Partner B", hash("first password!!")).is_ok());
  EXPECT_TRUE(crypto::check_password("first password!!", *accounts_->password_hash("lead")));
  ASSERT_TRUE(accounts_->set_password_hash("lead", hash("second password!!")).is_ok());
  EXPECT_FALSE(crypto::check_password("first password!!", *accounts_->password_hash("lead")));
  auto r = testing::run({"sqlite3", tmp_ / "accounts.db", "SELECT password_hash FROM users"});
  EXPECT_EQ(r.out.rfind("$argon2id$", 0), 0u) << r.out;
  EXPECT_EQ(testing::read_text(tmp_ / "accounts.db").find("second password"), std::string::npos);
}

TEST_F(AccountsTest, RejectsBadNamesPasswordsAndDuplicates) {
  EXPECT_EQ(accounts_->add_user("Has Space", "Partner B", "h").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(accounts_->add_user("x", "Partner B", "h").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(accounts_->add_user("ok.name", "Nope", "h").status().code(), Code::kNotFound);
  ASSERT_TRUE(accounts_->add_user("ok.name", "Partner B", "h").is_ok());
  EXPECT_EQ(accounts_->add_user("ok.name", "Partner B", "h").status().code(), Code::kAlreadyExists);
  EXPECT_EQ(accounts_->add_organisation("Partner B").status().code(), Code::kAlreadyExists);
  EXPECT_EQ(accounts_->add_organisation("bad\nname").status().code(), Code::kInvalidArgument);
  EXPECT_FALSE(check_new_password("short").is_ok());
  EXPECT_TRUE(check_new_password("twelve chars").is_ok());
}

TEST_F(AccountsTest, DisabledFlagPersistsAcrossReopen) {
  ASSERT_TRUE(accounts_->add_user("intake", "Partner B", "h").is_ok());
  ASSERT_TRUE(accounts_->set_disabled("intake", true).is_ok());
  accounts_.reset();
  auto again = Accounts::open(tmp_ / "accounts.db");
  ASSERT_TRUE(again.is_ok());
  EXPECT_TRUE((*(*again)->find_user("intake"))->disabled);
  EXPECT_EQ((*again)->users()->size(), 1u);
  EXPECT_EQ((*again)->organisations()->size(), 2u);
}

}  // namespace
}  // namespace evhub::accounts
