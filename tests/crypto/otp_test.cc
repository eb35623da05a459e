#include <gtest/gtest.h>

#include "crypto/otp.h"
#include "crypto/password.h"

namespace evhub::crypto {
namespace {

// RFC 6238 Appendix B: 8-digit codes for the three hash functions and their seeds.
TEST(Totp, MatchesRfc6238TestVectors) {
  const std::string sha1_seed = "12345678901234567890";
  const std::string sha256_seed = "12345678901234567890123456789012";
  const std::string sha512_seed =
      "1234567890123456789012345678901234567890123456789012345678901234";
  struct Row {
    std::int64_t time;
    const char* sha1;
    const char* sha256;
    const char* sha512;
  };
  const Row rows[] = {
      {59, "94287082", "46119246", "90693936"},
      {1111111109, "07081804", "68084774", "25091201"},
      {1111111111, "14050471", "67062674", "99943326"},
      {1234567890, "89005924", "91819424", "93441116"},
      {2000000000, "69279037", "90698825", "38618901"},
      {20000000000, "65353130", "77737706", "47863826"},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(totp(as_bytes(sha1_seed), r.time, {OtpHash::kSha1, 8, 30}), r.sha1) << r.time;
    EXPECT_EQ(totp(as_bytes(sha256_seed), r.time, {OtpHash::kSha256, 8, 30}), r.sha256) << r.time;
    EXPECT_EQ(totp(as_bytes(sha512_seed), r.time, {OtpHash::kSha512, 8, 30}), r.sha512) << r.time;
  }
}

TEST(Totp, AcceptsNeighbouringStepsOnlyAndReportsTheStep) {
  const std::string seed = "12345678901234567890";
  const std::int64_t now = 1111111111;
  std::string code = totp(as_bytes(seed), now);
  ASSERT_EQ(code.size(), 6u);
  EXPECT_EQ(totp_match(as_bytes(seed), code, now), now / 30);
  EXPECT_EQ(totp_match(as_bytes(seed), code, now + 30), now / 30) << "one step late is fine";
  EXPECT_FALSE(totp_match(as_bytes(seed), code, now + 90).has_value()) << "three steps is not";
  EXPECT_FALSE(totp_match(as_bytes(seed), "12345", now).has_value());
  std::string wrong = code;
  wrong[0] = wrong[0] == '9' ? '0' : static_cast<char>(wrong[0] + 1);
  EXPECT_FALSE(totp_match(as_bytes(seed), wrong, now).has_value());
}

TEST(Base32, MatchesRfc4648AndRoundTrips) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "MY======"},
      {"fo", "MZXQ===="},
      {"foo", "MZXW6==="},
      {"foob", "MZXW6YQ="},
      {"fooba", "MZXW6YTB"},
      {"foobar", "MZXW6YTBOI======"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base32_encode(as_bytes(plain)), encoded);
    auto back = base32_decode(encoded);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(std::string(back->begin(), back->end()), plain);
  }
  EXPECT_EQ(base32_decode("mzxw 6ytb oi").value(), base32_decode("MZXW6YTBOI").value());
  EXPECT_FALSE(base32_decode("MZ1W").has_value());
  EXPECT_FALSE(base32_decode("MY==MY").has_value());
}

TEST(Totp, OtpauthUriCarriesTheSecretAndEscapesNames) {
  Bytes secret = {0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x21, 0xde, 0xad, 0xbe, 0xef};
  std::string uri = otpauth_uri("Evidence Hub", "analyst one@org", secret);
  EXPECT_EQ(uri,
            "otpauth://totp/Evidence%20Hub:analyst%20one%40org?secret=JBSWY3DPEHPK3PXP"
            "&issuer=Evidence%20Hub&algorithm=SHA1&digits=6&period=30");
}

TEST(Password, HashesVerifyAndAskForRehashWhenCostRises) {
  auto hash = hash_password("correct horse", KdfCost::interactive());
  ASSERT_TRUE(hash.is_ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
  EXPECT_TRUE(check_password("correct horse", *hash));
  EXPECT_FALSE(check_password("correct horsE", *hash));
  EXPECT_FALSE(check_password("correct horse", "not a hash"));
  EXPECT_FALSE(password_needs_rehash(*hash, KdfCost::interactive()));
  EXPECT_TRUE(password_needs_rehash(*hash, KdfCost::moderate()));
  auto again = hash_password("correct horse", KdfCost::interactive());
  EXPECT_NE(*again, *hash) << "a fresh salt every time";
}

}  // namespace
}  // namespace evhub::crypto
