// minisign signatures made with libsodium and checked by the stock minisign, and the reverse:
// signatures made by the stock minisign checked here; the key id shown by minisign is the
// first 16 hex digits of the SHA-256 of the public key.
#include "disclosure/minisign.h"

#include <gtest/gtest.h>

#include <fstream>

#include "package_fixture.h"
#include "support/support.h"

namespace evhub::disclosure::minisign {
namespace {

std::string write(const std::string& path, const std::string& text) {
  testing::write_text_file(path, text);
  return path;
}

class Minisign : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::write_random_file(file_, 3'000'000, 7);  // several read chunks
    write(pub_, public_key_file(key_.public_key()));
  }
  Signature sign(const std::string& trusted = "timestamp:1772323200\tfile:evidence.bin\thashed") {
    auto signature = sign_file(key_, file_, trusted);
    EXPECT_TRUE(signature.is_ok()) << signature.status().to_string();
    return *signature;
  }
  testing::TempDir tmp_;
  crypto::SigningKey key_ = crypto::SigningKey::generate();
  std::string file_ = tmp_ / "evidence.bin";
  std::string pub_ = tmp_ / "hub.pub";
};

TEST_F(Minisign, TheStockToolVerifiesOurSignature) {
  write(file_ + ".minisig", to_text(sign()));
  const auto checked = testing::run({"minisign", "-Vm", file_, "-p", pub_});
  EXPECT_EQ(checked.exit_code, 0) << checked.out << checked.err;
  EXPECT_NE(checked.out.find("Trusted comment: timestamp:1772323200\tfile:evidence.bin\thashed"),
            std::string::npos)
      << checked.out;
  // -H: the stock tool also confirms it is the prehashed form.
  EXPECT_EQ(testing::run({"minisign", "-VHm", file_, "-p", pub_}).exit_code, 0);
  testing::flip_byte(file_, 1'500'000);
  EXPECT_NE(testing::run({"minisign", "-Vm", file_, "-p", pub_}).exit_code, 0);
}

TEST_F(Minisign, TheKeyIdIsTheStartOfTheKeysSha256) {
  const Bytes pk = key_.public_key();
  std::ofstream(tmp_ / "pk.raw", std::ios::binary)
      .write(reinterpret_cast<const char*>(pk.data()), static_cast<std::streamsize>(pk.size()));
  std::string expected = testing::sha256sum_of(tmp_ / "pk.raw").substr(0, 16);
  for (char& c : expected) c = static_cast<char>(std::toupper(c));
  expected.erase(0, expected.find_first_not_of('0'));  // minisign prints no leading zeros
  EXPECT_EQ(key_id_text(key_id_of(pk)), expected);
  const std::string text = public_key_file(pk);
  EXPECT_EQ(text.substr(0, text.find('\n')), "untrusted comment: minisign public key " + expected);
  const auto parsed = parse_public_key(text);
  ASSERT_TRUE(parsed.is_ok());
  EXPECT_EQ(parsed->id, key_id_of(pk));
  EXPECT_TRUE(std::equal(pk.begin(), pk.end(), parsed->key.begin()));
  // The base64 line alone, as `minisign -P` takes it, is a key too.
  EXPECT_TRUE(parse_public_key(text.substr(text.find('\n') + 1)).is_ok());
}

TEST_F(Minisign, WeVerifyTheStockToolsSignature) {
  const auto made =
      testing::run({"minisign", "-GW", "-p", tmp_ / "stock.pub", "-s", tmp_ / "stock.key"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const auto signed_ = testing::run(
      {"minisign", "-SW", "-s", tmp_ / "stock.key", "-m", file_, "-t", "stock trusted comment"});
  ASSERT_EQ(signed_.exit_code, 0) << signed_.err;
  const auto key = parse_public_key(testing::read_text(tmp_ / "stock.pub"));
  const auto signature = parse_signature(testing::read_text(file_ + ".minisig"));
  ASSERT_TRUE(key.is_ok()) << key.status().to_string();
  ASSERT_TRUE(signature.is_ok()) << signature.status().to_string();
  const auto verified = verify_file(*key, file_, *signature);
  ASSERT_TRUE(verified.is_ok()) << verified.status().to_string();
  EXPECT_EQ(*verified, "stock trusted comment");
  const auto from_texts = verify_file(testing::read_text(tmp_ / "stock.pub"), file_,
                                      testing::read_text(file_ + ".minisig"));
  ASSERT_TRUE(from_texts.is_ok()) << from_texts.status().to_string();
  EXPECT_EQ(verify_file("not a key", file_, testing::read_text(file_ + ".minisig")).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(to_text(*signature), testing::read_text(file_ + ".minisig"));
  // A legacy (not prehashed) signature is refused with the reason.
  ASSERT_EQ(testing::run({"minisign", "-SWl", "-s", tmp_ / "stock.key", "-m", file_}).exit_code, 0);
  const auto legacy = parse_signature(testing::read_text(file_ + ".minisig"));
  ASSERT_FALSE(legacy.is_ok());
  EXPECT_NE(legacy.status().message().find("legacy"), std::string::npos);
}

TEST_F(Minisign, AChangedFileCommentOrKeyIsCaughtWithItsReason) {
  const Signature signature = sign();
  const auto key = parse_public_key(public_key_file(key_.public_key()));
  ASSERT_TRUE(key.is_ok());
  ASSERT_TRUE(verify_file(*key, file_, signature).is_ok());

  Signature comment_changed = signature;
  comment_changed.trusted_comment = "timestamp:1772323201\tfile:evidence.bin\thashed";
  const auto bad_comment = verify_file(*key, file_, comment_changed);
  ASSERT_FALSE(bad_comment.is_ok());
  EXPECT_EQ(bad_comment.status().code(), Code::kIntegrity);
  EXPECT_NE(bad_comment.status().message().find("trusted comment"), std::string::npos);

  const auto other = crypto::SigningKey::generate();
  const auto other_key = parse_public_key(public_key_file(other.public_key()));
  const auto wrong_key = verify_file(*other_key, file_, signature);
  ASSERT_FALSE(wrong_key.is_ok());
  EXPECT_NE(wrong_key.status().message().find(key_id_text(signature.id)), std::string::npos);

  testing::flip_byte(file_, -1);
  const auto changed = verify_file(*key, file_, signature);
  ASSERT_FALSE(changed.is_ok());
  EXPECT_NE(changed.status().message().find("changed after it was signed"), std::string::npos);
}

TEST_F(Minisign, MalformedTextsAndCommentsAreRefused) {
  for (const char* text : {"", "untrusted comment: x\nRWQ\n", "RW!!!!\n"}) {
    const auto key = parse_public_key(text);
    ASSERT_FALSE(key.is_ok()) << text;
    EXPECT_EQ(key.status().code(), Code::kInvalidArgument);
  }
  const std::string good = to_text(sign());
  EXPECT_TRUE(parse_signature(good).is_ok());
  EXPECT_FALSE(parse_signature(good + "extra line\n").is_ok());
  EXPECT_FALSE(parse_signature(good.substr(0, good.size() - 10)).is_ok());
  std::string damaged = good;
  damaged[damaged.find('\n') + 5] = '*';
  EXPECT_FALSE(parse_signature(damaged).is_ok());
  EXPECT_FALSE(sign_file(key_, file_, "two\nlines").is_ok());
  EXPECT_FALSE(sign_file(key_, file_, "trailing space ").is_ok());
  EXPECT_FALSE(sign_file(key_, file_, std::string(1001, 'x')).is_ok());
  EXPECT_FALSE(sign_file(key_, tmp_ / "missing", "x").is_ok());
}

}  // namespace
}  // namespace evhub::disclosure::minisign
