// RFC 6962 / RFC 9162 Merkle tree hashing: the root of a list of leaves, audit paths (inclusion
// proofs) and consistency proofs, and the verifiers a third party can re-implement by hand.
// leaf hash = SHA-256(0x00 || entry); node hash = SHA-256(0x01 || left || right).
#pragma once

#include <cstdint>
#include <vector>

#include "core/hex.h"
#include "crypto/crypto.h"

namespace evhub::custody {

using Hash = crypto::Digest;

Hash leaf_hash(ByteSpan entry);
Hash node_hash(const Hash& left, const Hash& right);
// MTH(D[0:n]); the hash of the empty string for n = 0.
Hash merkle_root(const std::vector<Hash>& leaves, std::uint64_t n);
Hash merkle_root(const std::vector<Hash>& leaves);

// PATH(m, D[0:n]).
std::vector<Hash> inclusion_proof(const std::vector<Hash>& leaves, std::uint64_t index,
                                  std::uint64_t n);
// PROOF(m, D[0:n]) for 0 < m <= n.
std::vector<Hash> consistency_proof(const std::vector<Hash>& leaves, std::uint64_t m,
                                    std::uint64_t n);

bool verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t tree_size,
                      const std::vector<Hash>& proof, const Hash& root);
bool verify_consistency(std::uint64_t old_size, std::uint64_t new_size, const Hash& old_root,
                        const Hash& new_root, const std::vector<Hash>& proof);

// The right edge of a tree: the roots of its perfect subtrees, largest first. Lets the log
// extend its root with new leaves without re-reading the old ones.
class MerkleFrontier {
 public:
  void append(const Hash& leaf);
  std::uint64_t size() const { return size_; }
  Hash root() const;

 private:
  std::vector<Hash> subtrees_;  // subtrees_[i] covers 2^heights_[i] leaves
  std::vector<int> heights_;
  std::uint64_t size_ = 0;
};

}  // namespace evhub::custody
