#include <gtest/gtest.h>

#include "custody/merkle.h"

namespace evhub::custody {
namespace {

// The test inputs and roots of the Certificate Transparency reference implementation
// (RFC 6962 hashing), so the tree is checked against numbers computed elsewhere.
std::vector<Hash> reference_leaves() {
  std::vector<Bytes> inputs = {
      {},
      {0x00},
      {0x10},
      {0x20, 0x21},
      {0x30, 0x31},
      {0x40, 0x41, 0x42, 0x43},
      {0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57},
      {0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e,
       0x6f},
  };
  std::vector<Hash> leaves;
  for (const Bytes& b : inputs) leaves.push_back(leaf_hash(b));
  return leaves;
}

TEST(Merkle, RootsMatchCertificateTransparencyVectors) {
  const char* roots[] = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  };
  auto leaves = reference_leaves();
  for (std::uint64_t n = 1; n <= 8; ++n) {
    EXPECT_EQ(to_hex(merkle_root(leaves, n)), roots[n - 1]) << "tree size " << n;
  }
  EXPECT_EQ(to_hex(merkle_root(leaves, 0)),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

std::vector<Hash> many_leaves(std::size_t n) {
  std::vector<Hash> leaves;
  for (std::size_t i = 0; i < n; ++i) {
    std::string s = "event " + std::to_string(i);
    leaves.push_back(leaf_hash(as_bytes(s)));
  }
  return leaves;
}

TEST(Merkle, FrontierAgreesWithFullRootAtEverySize) {
  auto leaves = many_leaves(130);
  MerkleFrontier f;
  EXPECT_EQ(f.root(), merkle_root(leaves, 0));
  for (std::size_t n = 1; n <= leaves.size(); ++n) {
    f.append(leaves[n - 1]);
    ASSERT_EQ(f.root(), merkle_root(leaves, n)) << "size " << n;
  }
}

TEST(Merkle, InclusionProofsVerifyAndRejectTampering) {
  auto leaves = many_leaves(37);
  for (std::uint64_t n = 1; n <= leaves.size(); ++n) {
    Hash root = merkle_root(leaves, n);
    for (std::uint64_t m = 0; m < n; ++m) {
      auto proof = inclusion_proof(leaves, m, n);
      ASSERT_TRUE(verify_inclusion(leaves[m], m, n, proof, root)) << m << " in " << n;
      if (n > 1) {
        EXPECT_FALSE(verify_inclusion(leaves[(m + 1) % n], m, n, proof, root));
        auto bad = proof;
        bad[0][0] ^= 1;
        EXPECT_FALSE(verify_inclusion(leaves[m], m, n, bad, root));
      }
    }
  }
}

TEST(Merkle, ConsistencyProofsVerifyAndRejectTampering) {
  auto leaves = many_leaves(33);
  for (std::uint64_t n = 1; n <= leaves.size(); ++n) {
    for (std::uint64_t m = 1; m <= n; ++m) {
      auto proof = consistency_proof(leaves, m, n);
      Hash old_root = merkle_root(leaves, m), new_root = merkle_root(leaves, n);
      ASSERT_TRUE(verify_consistency(m, n, old_root, new_root, proof)) << m << " -> " << n;
      if (m < n) {
        Hash wrong = old_root;
        wrong[5] ^= 1;
        EXPECT_FALSE(verify_consistency(m, n, wrong, new_root, proof));
        if (!proof.empty()) {
          auto bad = proof;
          bad.back()[0] ^= 1;
          EXPECT_FALSE(verify_consistency(m, n, old_root, new_root, bad));
        }
      }
    }
  }
}

TEST(Merkle, RewrittenHistoryIsNotConsistent) {
  auto leaves = many_leaves(20);
  auto rewritten = leaves;
  rewritten[3] = leaf_hash(as_bytes("forged"));
  auto proof = consistency_proof(rewritten, 10, 20);
  EXPECT_FALSE(
      verify_consistency(10, 20, merkle_root(leaves, 10), merkle_root(rewritten, 20), proof));
}

}  // namespace
}  // namespace evhub::custody
