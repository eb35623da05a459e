#include "custody/proof.h"

#include <fmt/format.h>

#include "core/hex.h"

namespace evhub::custody {

nlohmann::json hashes_json(const std::vector<Hash>& hashes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& h : hashes) out.push_back(to_hex(h));
  return out;
}

nlohmann::json proof_json(const InclusionProof& p) {
  return {{"event", p.event_line},
          {"leaf_index", p.leaf_index},
          {"leaf_hash", to_hex(p.leaf_hash)},
          {"tree_size", p.head.tree_size},
          {"root", to_hex(p.head.root)},
          {"head_time", p.head.time},
          {"hub_id", p.hub_id},
          {"signature", to_hex(p.head.signature)},
          {"audit_path", hashes_json(p.audit_path)}};
}

Result<ProofBuilder> ProofBuilder::open(CustodyLog& log) {
  EVHUB_ASSIGN_OR_RETURN(auto heads, log.heads());
  if (heads.empty()) return Status(Code::kNotFound, "no signed tree head yet");
  ProofBuilder builder(log, heads.back());
  EVHUB_ASSIGN_OR_RETURN(auto leaves, log.leaf_hashes());
  const std::uint64_t size = builder.head_.tree_size;
  if (leaves.size() < size) {
    return Status(Code::kIntegrity,
                  fmt::format("the newest signed tree head covers {} events but the log holds "
                              "only {}: events were removed",
                              size, leaves.size()));
  }
  leaves.resize(size);
  builder.levels_.push_back(std::move(leaves));
  while (builder.levels_.back().size() > 1) {
    const auto& below = builder.levels_.back();
    std::vector<Hash> level;
    level.reserve((below.size() + 1) / 2);
    for (std::size_t i = 0; i < below.size(); i += 2) {
      level.push_back(i + 1 < below.size() ? node_hash(below[i], below[i + 1]) : below[i]);
    }
    builder.levels_.push_back(std::move(level));
  }
  const Hash root = size == 0 ? merkle_root({}) : builder.levels_.back()[0];
  if (root != builder.head_.root) {
    return Status(Code::kIntegrity,
                  "the log's events do not hash to the root of its newest signed tree head");
  }
  return builder;
}

Result<InclusionProof> ProofBuilder::prove(std::uint64_t seq) const {
  if (seq >= head_.tree_size) {
    return Status(Code::kNotFound,
                  fmt::format("event {} is not covered by the newest signed tree head (size {})",
                              seq, head_.tree_size));
  }
  EVHUB_ASSIGN_OR_RETURN(auto lines, log_->event_lines_from(seq, 1));
  if (lines.empty()) return Status(Code::kIntegrity, fmt::format("event {} cannot be read", seq));
  InclusionProof p;
  p.event_line = std::move(lines[0]);
  p.leaf_index = seq;
  p.leaf_hash = levels_[0][seq];
  if (leaf_hash(as_bytes(p.event_line)) != p.leaf_hash) {
    return Status(Code::kIntegrity, fmt::format("event {} changed while proofs were made", seq));
  }
  p.head = head_;
  p.hub_id = log_->hub_id();
  std::uint64_t i = seq;
  for (std::size_t k = 0; k + 1 < levels_.size(); ++k, i /= 2) {
    const std::uint64_t sibling = i ^ 1;
    if (sibling < levels_[k].size()) p.audit_path.push_back(levels_[k][sibling]);
  }
  return p;
}

}  // namespace evhub::custody
