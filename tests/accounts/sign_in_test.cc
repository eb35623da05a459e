#include <gtest/gtest.h>

#include "accounts/accounts.h"
#include "crypto/otp.h"
#include "crypto/password.h"
#include "support/support.h"

namespace evhub::accounts {
namespace {

constexpr std::int64_t kMinute = 60 * 1000;

class SignInTest : public ::testing::Test {
 protected:
  void SetUp() override {
    accounts_ = std::move(Accounts::open(tmp_ / "accounts.db")).value();
    ASSERT_TRUE(accounts_->add_organisation("Partner B").is_ok());
    auto hash = crypto::hash_password("the right password", crypto::KdfCost::interactive());
    ASSERT_TRUE(accounts_->add_user("analyst", "Partner B", *hash).is_ok());
    ASSERT_TRUE(accounts_->grant("analyst", "Partner B", Role::kAnalyst, "admin").is_ok());
  }
  Result<NewSession> sign_in(const std::string& pw, std::int64_t at, const std::string& code = "",
                             const std::string& user = "analyst",
                             const std::string& address = "127.0.0.1") {
    return accounts_->sign_in(user, pw, code, address, at, key_);
  }
  // The secret inside an otpauth:// URI, as an authenticator app reads it from the QR code.
  static Bytes secret_of(const std::string& uri) {
    auto start = uri.find("secret=") + 7;
    return *crypto::base32_decode(uri.substr(start, uri.find('&', start) - start));
  }

  testing::TempDir tmp_;
  std::unique_ptr<Accounts> accounts_;
  crypto::SecretKey key_ = crypto::SecretKey::random();
  const std::int64_t t0_ = 1790000000000;
};

TEST_F(SignInTest, SessionResumesWithItsTokenAndCsrf) {
  auto s = sign_in("the right password", t0_);
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  EXPECT_EQ(s->token.size(), 64u);
  EXPECT_EQ(s->user.grants.size(), 1u);
  auto caller = accounts_->resume(s->token, t0_ + kMinute);
  ASSERT_TRUE(caller.is_ok());
  EXPECT_EQ(caller->user.username, "analyst");
  EXPECT_TRUE(Accounts::csrf_matches(*caller, s->csrf_token));
  EXPECT_FALSE(Accounts::csrf_matches(*caller, s->token));
  EXPECT_FALSE(Accounts::csrf_matches(*caller, ""));
  EXPECT_EQ(accounts_->resume("not a token", t0_).status().code(), Code::kUnauthenticated);
  auto db = testing::read_text(tmp_ / "accounts.db") + testing::read_text(tmp_ / "accounts.db-wal");
  EXPECT_EQ(db.find(s->token), std::string::npos) << "only the token's hash is stored";
  ASSERT_TRUE(accounts_->sign_out(s->token).is_ok());
  EXPECT_EQ(accounts_->resume(s->token, t0_ + kMinute).status().code(), Code::kUnauthenticated);
}

TEST_F(SignInTest, WrongPasswordAndUnknownUserLookTheSame) {
  auto wrong = sign_in("the wrong password", t0_);
  auto unknown = sign_in("the right password", t0_, "", "nobody");
  EXPECT_EQ(wrong.status().code(), Code::kUnauthenticated);
  EXPECT_EQ(wrong.status().message(), unknown.status().message());
}

TEST_F(SignInTest, RepeatedFailuresAreThrottledPerAccountAndPerAddress) {
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(sign_in("guess " + std::to_string(i), t0_ + i).is_ok());
  auto blocked = sign_in("the right password", t0_ + 10);
  EXPECT_EQ(blocked.status().code(), Code::kBusy) << "even the right password waits";
  EXPECT_TRUE(sign_in("the right password", t0_ + 16 * kMinute).is_ok()) << "after the window";
  // Many accounts tried from one address: the address is blocked.
  for (int i = 0; i < 20; ++i) {
    (void)sign_in("x", t0_ + 20 * kMinute, "", "user" + std::to_string(i), "10.9.9.9");
  }
  EXPECT_EQ(
      sign_in("the right password", t0_ + 20 * kMinute, "", "analyst", "10.9.9.9").status().code(),
      Code::kBusy);
  EXPECT_TRUE(sign_in("the right password", t0_ + 20 * kMinute, "", "analyst", "10.1.1.1").is_ok());
}

TEST_F(SignInTest, SessionsExpireWhenIdleAndAfterAnAbsoluteLifetime) {
  auto s = sign_in("the right password", t0_);
  EXPECT_EQ(accounts_->resume(s->token, t0_ + 31 * kMinute).status().code(),
            Code::kUnauthenticated);
  auto busy = sign_in("the right password", t0_);
  std::int64_t t = t0_;
  for (; t < t0_ + 12 * 60 * kMinute; t += 20 * kMinute) {
    ASSERT_TRUE(accounts_->resume(busy->token, t).is_ok()) << (t - t0_) / kMinute;
  }
  EXPECT_EQ(accounts_->resume(busy->token, t).status().code(), Code::kUnauthenticated)
      << "no session outlives 12 hours, however busy";
}

TEST_F(SignInTest, DisablingAUserEndsTheirSessions) {
  auto s = sign_in("the right password", t0_);
  ASSERT_TRUE(accounts_->set_disabled("analyst", true).is_ok());
  EXPECT_FALSE(accounts_->resume(s->token, t0_ + 1).is_ok());
  EXPECT_EQ(sign_in("the right password", t0_ + 2).status().code(), Code::kUnauthenticated);
}

TEST_F(SignInTest, TotpIsRequiredOnceEnrolledAndCodesWorkOnce) {
  auto uri = accounts_->begin_totp("analyst", key_, "Evidence Hub");
  ASSERT_TRUE(uri.is_ok());
  EXPECT_EQ(uri->rfind("otpauth://totp/Evidence%20Hub:analyst?secret=", 0), 0u) << *uri;
  Bytes secret = secret_of(*uri);
  EXPECT_TRUE(sign_in("the right password", t0_).is_ok()) << "not active before confirmation";
  EXPECT_EQ(accounts_->confirm_totp("analyst", "000000", t0_, key_).code(), Code::kUnauthenticated);
  ASSERT_TRUE(
      accounts_->confirm_totp("analyst", crypto::totp(secret, t0_ / 1000), t0_, key_).is_ok());
  EXPECT_TRUE(*accounts_->totp_enabled("analyst"));

  const std::int64_t t1 = t0_ + 5 * kMinute;
  auto no_code = sign_in("the right password", t1);
  EXPECT_EQ(no_code.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(no_code.status().message(), "totp_required");
  std::string code = crypto::totp(secret, t1 / 1000);
  EXPECT_TRUE(sign_in("the right password", t1, code).is_ok());
  EXPECT_EQ(sign_in("the right password", t1, code).status().code(), Code::kUnauthenticated)
      << "a code is good once";
  EXPECT_EQ(sign_in("the wrong password", t1 + 30000, crypto::totp(secret, t1 / 1000 + 30))
                .status()
                .code(),
            Code::kUnauthenticated);
  EXPECT_TRUE(
      sign_in("the right password", t1 + 60000, crypto::totp(secret, t1 / 1000 + 60)).is_ok());
  // The secret is sealed at rest: the raw bytes are not in the file.
  auto db = testing::read_text(tmp_ / "accounts.db") + testing::read_text(tmp_ / "accounts.db-wal");
  EXPECT_EQ(db.find(std::string(secret.begin(), secret.end())), std::string::npos);
  EXPECT_EQ(db.find(crypto::base32_encode(secret, false)), std::string::npos);
}

TEST_F(SignInTest, ANewEnrolmentDoesNotSwitchOffTheSecondFactor) {
  auto uri = accounts_->begin_totp("analyst", key_, "Evidence Hub");
  Bytes secret = secret_of(*uri);
  ASSERT_TRUE(
      accounts_->confirm_totp("analyst", crypto::totp(secret, t0_ / 1000), t0_, key_).is_ok());
  // Someone with a stolen session starts a new enrolment: the old factor stays required.
  auto second = accounts_->begin_totp("analyst", key_, "Evidence Hub");
  ASSERT_TRUE(second.is_ok());
  EXPECT_TRUE(*accounts_->totp_enabled("analyst"));
  const std::int64_t t1 = t0_ + 5 * kMinute;
  EXPECT_EQ(sign_in("the right password", t1).status().message(), "totp_required");
  EXPECT_TRUE(sign_in("the right password", t1, crypto::totp(secret, t1 / 1000)).is_ok());
  // Confirming the new one replaces the old.
  Bytes next = secret_of(*second);
  const std::int64_t t2 = t1 + kMinute;
  ASSERT_TRUE(accounts_->confirm_totp("analyst", crypto::totp(next, t2 / 1000), t2, key_).is_ok());
  const std::int64_t t3 = t2 + kMinute;
  EXPECT_FALSE(sign_in("the right password", t3, crypto::totp(secret, t3 / 1000)).is_ok());
  EXPECT_TRUE(
      sign_in("the right password", t3 + kMinute, crypto::totp(next, t3 / 1000 + 60)).is_ok());
}

TEST_F(SignInTest, ANewPasswordEndsEverySession) {
  auto s = sign_in("the right password", t0_);
  ASSERT_TRUE(s.is_ok());
  auto hash = crypto::hash_password("another right password", crypto::KdfCost::interactive());
  ASSERT_TRUE(accounts_->set_password_hash("analyst", *hash).is_ok());
  EXPECT_EQ(accounts_->resume(s->token, t0_ + 1).status().code(), Code::kUnauthenticated);
}

TEST_F(SignInTest, OldFailuresAreForgotten) {
  (void)sign_in("wrong", t0_, "", "nobody.at.all", "10.0.0.1");
  (void)sign_in("the right password", t0_ + 16 * kMinute);
  auto r = testing::run({"sqlite3", tmp_ / "accounts.db", "SELECT count(*) FROM sign_in_failures"});
  EXPECT_EQ(r.out, "0\n") << "names tried and addresses are not kept beyond the window";
}

TEST_F(SignInTest, ApiTokensActAsTheirUserUntilRevoked) {
  auto token = accounts_->create_token("analyst", "nightly import");
  ASSERT_TRUE(token.is_ok());
  EXPECT_EQ(token->rfind("evh_", 0), 0u);
  EXPECT_EQ(accounts_->create_token("analyst", "nightly import").status().code(),
            Code::kAlreadyExists);
  auto caller = accounts_->resume_token(*token);
  ASSERT_TRUE(caller.is_ok());
  EXPECT_EQ(caller->user.username, "analyst");
  EXPECT_EQ(accounts_->resume_token("evh_" + std::string(64, '0')).status().code(),
            Code::kUnauthenticated);
  auto db = testing::read_text(tmp_ / "accounts.db") + testing::read_text(tmp_ / "accounts.db-wal");
  EXPECT_EQ(db.find(*token), std::string::npos) << "only the token's hash is stored";
  ASSERT_TRUE(accounts_->set_disabled("analyst", true).is_ok());
  EXPECT_FALSE(accounts_->resume_token(*token).is_ok()) << "a disabled user's tokens stop";
  ASSERT_TRUE(accounts_->set_disabled("analyst", false).is_ok());
  EXPECT_TRUE(accounts_->resume_token(*token).is_ok());
  ASSERT_TRUE(accounts_->revoke_token("analyst", "nightly import").is_ok());
  EXPECT_FALSE(accounts_->resume_token(*token).is_ok());
  EXPECT_EQ(accounts_->revoke_token("analyst", "nightly import").code(), Code::kNotFound);
  auto list = accounts_->tokens("analyst");
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE((*list)[0].revoked);
}

}  // namespace
}  // namespace evhub::accounts
