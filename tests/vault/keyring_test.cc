#include <gtest/gtest.h>

#include <filesystem>

#include "support/support.h"
#include "vault/keyring.h"

namespace evhub::vault {
namespace {

TEST(MasterKey, UnlocksWithTheRightPassphraseOnly) {
  testing::TempDir tmp;
  auto created =
      create_master_key(local_fs(), tmp / "master.json", Credential::passphrase("right passphrase"),
                        crypto::KdfCost::interactive());
  ASSERT_TRUE(created.is_ok());
  std::string before = testing::read_text(tmp / "master.json");
  auto ok = unlock_master_key(local_fs(), tmp / "master.json",
                              Credential::passphrase("right passphrase"));
  ASSERT_TRUE(ok.is_ok());
  EXPECT_EQ(to_hex(ok->span()), to_hex(created->span()));
  auto wrong = unlock_master_key(local_fs(), tmp / "master.json",
                                 Credential::passphrase("wrong passphrase"));
  EXPECT_EQ(wrong.status().code(), Code::kUnauthenticated);
  EXPECT_EQ(wrong.status().message(), "wrong passphrase");
  auto keyfile =
      unlock_master_key(local_fs(), tmp / "master.json", Credential::key_file(Bytes(32, 1)));
  EXPECT_EQ(keyfile.status().code(), Code::kUnauthenticated);
  EXPECT_EQ(testing::read_text(tmp / "master.json"), before) << "unlocking never writes";
  EXPECT_EQ(testing::read_text(tmp / "master.json").find("right passphrase"), std::string::npos);
}

TEST(MasterKey, KeyFileAndBadInputs) {
  testing::TempDir tmp;
  Bytes secret = crypto::random_bytes(32);
  ASSERT_TRUE(create_master_key(local_fs(), tmp / "m.json", Credential::key_file(secret),
                                crypto::KdfCost::interactive())
                  .is_ok());
  EXPECT_TRUE(unlock_master_key(local_fs(), tmp / "m.json", Credential::key_file(secret)).is_ok());
  Bytes other = secret;
  other[0] ^= 1;
  EXPECT_EQ(
      unlock_master_key(local_fs(), tmp / "m.json", Credential::key_file(other)).status().message(),
      "wrong key file");
  EXPECT_EQ(create_master_key(local_fs(), tmp / "short.json", Credential::passphrase("short"),
                              crypto::KdfCost::interactive())
                .status()
                .code(),
            Code::kInvalidArgument);
  testing::write_text_file(tmp / "m.json", "{ not json");
  EXPECT_EQ(
      unlock_master_key(local_fs(), tmp / "m.json", Credential::key_file(secret)).status().code(),
      Code::kIntegrity);
}

TEST(DomainKeys, DestroyMakesTheKeyUnrecoverable) {
  testing::TempDir tmp;
  auto master = crypto::SecretKey::random();
  DomainKeys keys(local_fs(), tmp / "domains", "hub", master);
  auto k = keys.create("d1");
  ASSERT_TRUE(k.is_ok());
  auto loaded = keys.load("d1");
  ASSERT_TRUE(loaded.is_ok());
  EXPECT_EQ(to_hex(loaded->span()), to_hex(k->span()));
  EXPECT_EQ(*keys.domain_ids(), std::vector<std::string>{"d1"});
  ASSERT_TRUE(keys.destroy("d1").is_ok());
  EXPECT_FALSE(keys.exists("d1"));
  EXPECT_EQ(keys.load("d1").status().code(), Code::kErased);
  EXPECT_TRUE(std::filesystem::is_empty(tmp / "domains"));
}

}  // namespace
}  // namespace evhub::vault
