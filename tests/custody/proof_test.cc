// Batched inclusion proofs against the newest signed head: for every event of logs of many
// sizes (powers of two and the uneven right edges between), the same audit path as RFC 6962's
// PATH(m, D[n]) computed from scratch, verified against the signed root; and the refusals.
#include "custody/proof.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/support.h"

namespace evhub::custody {
namespace {

class ProofTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(CustodyLog::create(local_fs(), dir(), key_.public_key()).is_ok());
    auto log = CustodyLog::open(local_fs(), dir(), "hub-1", true);
    ASSERT_TRUE(log.is_ok());
    log_ = std::move(log).value();
  }
  std::string dir() const { return tmp_ / "custody"; }
  void add(int n, bool sign = true) {
    std::vector<Event> events;
    for (int i = 0; i < n; ++i) {
      Event e;
      e.actor = "tester";
      e.action = "put";
      e.object = "obj" + std::to_string(log_->size() + i);
      events.push_back(e);
    }
    ASSERT_TRUE(log_->append(events).is_ok());
    if (sign) {
      ASSERT_TRUE(log_->sign_head(key_).is_ok());
    }
  }

  testing::TempDir tmp_;
  crypto::SigningKey key_ = crypto::SigningKey::generate();
  std::unique_ptr<CustodyLog> log_;
};

TEST_F(ProofTest, EveryEventsPathIsRfc6962sPathAndVerifies) {
  for (int size = 1; size <= 70; ++size) {
    add(1);
    auto builder = ProofBuilder::open(*log_);
    ASSERT_TRUE(builder.is_ok()) << builder.status().to_string();
    ASSERT_EQ(builder->head().tree_size, static_cast<std::uint64_t>(size));
    const auto leaves = *log_->leaf_hashes();
    for (int i = 0; i < size; ++i) {
      auto p = builder->prove(static_cast<std::uint64_t>(i));
      ASSERT_TRUE(p.is_ok()) << p.status().to_string();
      EXPECT_EQ(p->audit_path, inclusion_proof(leaves, static_cast<std::uint64_t>(i),
                                               static_cast<std::uint64_t>(size)))
          << "event " << i << " of " << size;
      EXPECT_TRUE(verify_inclusion(p->leaf_hash, p->leaf_index, p->head.tree_size, p->audit_path,
                                   p->head.root));
      EXPECT_EQ(leaf_hash(as_bytes(p->event_line)), p->leaf_hash);
    }
  }
  auto p = ProofBuilder::open(*log_)->prove(3);
  ASSERT_TRUE(p.is_ok());
  const auto j = proof_json(*p);
  EXPECT_EQ(j["leaf_index"], 3);
  EXPECT_EQ(j["tree_size"], 70);
  EXPECT_EQ(j["hub_id"], "hub-1");
  EXPECT_TRUE(crypto::verify_signature(
      key_.public_key(), as_bytes(tree_head_message("hub-1", p->head)), p->head.signature));
}

TEST_F(ProofTest, WhatNoSignedHeadCoversHasNoProof) {
  EXPECT_EQ(ProofBuilder::open(*log_).status().code(), Code::kNotFound);  // no head yet
  add(3);
  add(2, false);  // appended, not yet signed
  auto builder = ProofBuilder::open(*log_);
  ASSERT_TRUE(builder.is_ok());
  EXPECT_TRUE(builder->prove(2).is_ok());
  auto uncovered = builder->prove(3);
  EXPECT_EQ(uncovered.status().code(), Code::kNotFound);
  EXPECT_NE(uncovered.status().message().find("not covered"), std::string::npos);
}

TEST_F(ProofTest, AnEditedLogIsRefused) {
  add(4);
  {
    // Rewrite one signed event: the leaves no longer hash to the signed root.
    std::ifstream in(dir() + "/events.jsonl");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    text.replace(text.find("obj1"), 4, "objX");
    std::ofstream(dir() + "/events.jsonl", std::ios::trunc) << text;
  }
  auto reopened = CustodyLog::open(local_fs(), dir(), "hub-1", false);
  ASSERT_TRUE(reopened.is_ok());
  auto builder = ProofBuilder::open(**reopened);
  EXPECT_EQ(builder.status().code(), Code::kIntegrity);
}

}  // namespace
}  // namespace evhub::custody
