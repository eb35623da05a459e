#include "custody/merkle.h"

#include <bit>

namespace evhub::custody {

Hash leaf_hash(ByteSpan entry) {
  crypto::Sha256 h;
  const std::uint8_t prefix = 0x00;
  h.update({&prefix, 1});
  h.update(entry);
  return h.finish();
}

Hash node_hash(const Hash& left, const Hash& right) {
  crypto::Sha256 h;
  const std::uint8_t prefix = 0x01;
  h.update({&prefix, 1});
  h.update(left);
  h.update(right);
  return h.finish();
}

namespace {

// Largest power of two strictly smaller than n (n >= 2).
std::uint64_t split_point(std::uint64_t n) {
  return std::bit_floor(n - 1);
}

Hash root_of(const std::vector<Hash>& leaves, std::uint64_t begin, std::uint64_t n) {
  if (n == 1) return leaves[begin];
  std::uint64_t k = split_point(n);
  return node_hash(root_of(leaves, begin, k), root_of(leaves, begin + k, n - k));
}

void path(const std::vector<Hash>& leaves, std::uint64_t begin, std::uint64_t m, std::uint64_t n,
          std::vector<Hash>& out) {
  if (n <= 1) return;
  std::uint64_t k = split_point(n);
  if (m < k) {
    path(leaves, begin, m, k, out);
    out.push_back(root_of(leaves, begin + k, n - k));
  } else {
    path(leaves, begin + k, m - k, n - k, out);
    out.push_back(root_of(leaves, begin, k));
  }
}

void subproof(const std::vector<Hash>& leaves, std::uint64_t begin, std::uint64_t m,
              std::uint64_t n, bool complete, std::vector<Hash>& out) {
  if (m == n) {
    if (!complete) out.push_back(root_of(leaves, begin, n));
    return;
  }
  std::uint64_t k = split_point(n);
  if (m <= k) {
    subproof(leaves, begin, m, k, complete, out);
    out.push_back(root_of(leaves, begin + k, n - k));
  } else {
    subproof(leaves, begin + k, m - k, n - k, false, out);
    out.push_back(root_of(leaves, begin, k));
  }
}

}  // namespace

Hash merkle_root(const std::vector<Hash>& leaves, std::uint64_t n) {
  if (n == 0) return crypto::sha256({});
  return root_of(leaves, 0, n);
}

Hash merkle_root(const std::vector<Hash>& leaves) {
  return merkle_root(leaves, leaves.size());
}

std::vector<Hash> inclusion_proof(const std::vector<Hash>& leaves, std::uint64_t index,
                                  std::uint64_t n) {
  std::vector<Hash> out;
  if (index < n && n <= leaves.size()) path(leaves, 0, index, n, out);
  return out;
}

std::vector<Hash> consistency_proof(const std::vector<Hash>& leaves, std::uint64_t m,
                                    std::uint64_t n) {
  std::vector<Hash> out;
  if (0 < m && m <= n && n <= leaves.size()) subproof(leaves, 0, m, n, true, out);
  return out;
}

// RFC 9162 §2.1.3.2.
bool verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t tree_size,
                      const std::vector<Hash>& proof, const Hash& root) {
  if (index >= tree_size) return false;
  std::uint64_t fn = index;
  std::uint64_t sn = tree_size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      r = node_hash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

// RFC 9162 §2.1.4.2.
bool verify_consistency(std::uint64_t old_size, std::uint64_t new_size, const Hash& old_root,
                        const Hash& new_root, const std::vector<Hash>& proof) {
  if (old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (old_size == 0) return false;  // RFC 9162: consistency with the empty tree is not proved
  std::vector<Hash> p = proof;
  if (std::has_single_bit(old_size)) p.insert(p.begin(), old_root);
  if (p.empty()) return false;
  std::uint64_t fn = old_size - 1;
  std::uint64_t sn = new_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = p[0];
  Hash sr = p[0];
  for (std::size_t i = 1; i < p.size(); ++i) {
    const Hash& c = p[i];
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && fr == old_root && sr == new_root;
}

void MerkleFrontier::append(const Hash& leaf) {
  subtrees_.push_back(leaf);
  heights_.push_back(0);
  // Merge equal-height neighbours: the binary representation of size_ + 1.
  while (heights_.size() >= 2 && heights_[heights_.size() - 1] == heights_[heights_.size() - 2]) {
    Hash right = subtrees_.back();
    subtrees_.pop_back();
    heights_.pop_back();
    subtrees_.back() = node_hash(subtrees_.back(), right);
    ++heights_.back();
  }
  ++size_;
}

Hash MerkleFrontier::root() const {
  if (subtrees_.empty()) return crypto::sha256({});
  // RFC 6962 splits at the largest power of two, so the root folds the subtrees right to left.
  Hash r = subtrees_.back();
  for (std::size_t i = subtrees_.size() - 1; i-- > 0;) r = node_hash(subtrees_[i], r);
  return r;
}

}  // namespace evhub::custody
