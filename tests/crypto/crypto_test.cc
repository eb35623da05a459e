#include <gtest/gtest.h>

#include "crypto/crypto.h"

namespace evhub::crypto {
namespace {

TEST(Sha256, MatchesFipsVectors) {
  EXPECT_EQ(to_hex(sha256({})), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(to_hex(sha256(as_bytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 h;
  h.update(as_bytes("ab"));
  h.update(as_bytes("c"));
  EXPECT_EQ(to_hex(h.finish()), to_hex(sha256(as_bytes("abc"))));
}

TEST(KeyWrap, RoundTripsAndRejectsWrongKeyOrContext) {
  SecretKey kek = SecretKey::random();
  SecretKey key = SecretKey::random();
  WrappedKey w = wrap_key(kek, key, "ctx-a");
  auto back = unwrap_key(kek, w, "ctx-a");
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(to_hex(back->span()), to_hex(key.span()));
  EXPECT_EQ(unwrap_key(SecretKey::random(), w, "ctx-a").status().code(), Code::kIntegrity);
  EXPECT_EQ(unwrap_key(kek, w, "ctx-b").status().code(), Code::kIntegrity)
      << "a wrapped key moved to another context must not unwrap";
  w.ciphertext[3] ^= 1;
  EXPECT_FALSE(unwrap_key(kek, w, "ctx-a").is_ok());
}

TEST(Passphrase, SameInputsSameKeyOtherwiseDifferent) {
  Bytes salt = random_bytes(kSaltSize);
  auto a = derive_key_from_passphrase("a long passphrase", salt, KdfCost::interactive());
  auto b = derive_key_from_passphrase("a long passphrase", salt, KdfCost::interactive());
  auto c = derive_key_from_passphrase("a long passphrasf", salt, KdfCost::interactive());
  ASSERT_TRUE(a.is_ok() && b.is_ok() && c.is_ok());
  EXPECT_EQ(to_hex(a->span()), to_hex(b->span()));
  EXPECT_NE(to_hex(a->span()), to_hex(c->span()));
  EXPECT_FALSE(derive_key_from_passphrase("x", Bytes(3), KdfCost::interactive()).is_ok());
}

TEST(Subkey, DependsOnKeyAndPurpose) {
  SecretKey k = SecretKey::random();
  auto a = derive_subkey(k, "accounts v1");
  EXPECT_EQ(to_hex(a.span()), to_hex(derive_subkey(k, "accounts v1").span()));
  EXPECT_NE(to_hex(a.span()), to_hex(derive_subkey(k, "accounts v2").span()));
  EXPECT_NE(to_hex(a.span()), to_hex(derive_subkey(SecretKey::random(), "accounts v1").span()));
  EXPECT_NE(to_hex(a.span()), to_hex(k.span()));
}

TEST(Signing, VerifiesAndRejectsAlteredMessageOrSignature) {
  SigningKey k = SigningKey::generate();
  Bytes sig = k.sign(as_bytes("tree head"));
  EXPECT_TRUE(verify_signature(k.public_key(), as_bytes("tree head"), sig));
  EXPECT_FALSE(verify_signature(k.public_key(), as_bytes("tree heae"), sig));
  sig[10] ^= 1;
  EXPECT_FALSE(verify_signature(k.public_key(), as_bytes("tree head"), sig));
  auto again = SigningKey::from_secret(k.secret());
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(again->public_key(), k.public_key());
}

TEST(ChunkCipher, RoundTripsAndBindsIndexAndFinalFlag) {
  SecretKey key = SecretKey::random();
  ChunkCipher c(key);
  Bytes plain(1000, 0x5a);
  Bytes sealed(plain.size() + kChunkTagSize);
  c.seal(7, false, plain, sealed.data());
  Bytes out(plain.size());
  EXPECT_TRUE(c.open(7, false, sealed, out.data()));
  EXPECT_EQ(out, plain);
  EXPECT_FALSE(c.open(8, false, sealed, out.data())) << "reordered chunk";
  EXPECT_FALSE(c.open(7, true, sealed, out.data())) << "truncation: non-final chunk read as last";
  sealed[0] ^= 1;
  EXPECT_FALSE(c.open(7, false, sealed, out.data())) << "altered ciphertext";
  Bytes empty_sealed(kChunkTagSize);
  c.seal(0, true, {}, empty_sealed.data());
  EXPECT_TRUE(c.open(0, true, empty_sealed, out.data()));
}

}  // namespace
}  // namespace evhub::crypto
