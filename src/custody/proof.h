// Inclusion proofs of many events against one signed tree head: what a disclosure package ships
// so a recipient can check, by hand or with any RFC 6962 verifier, that each item's intake and
// the export itself are in the hub's custody log. The tree's levels are built once (linear in
// the log), then each proof costs its depth.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "custody/custody_log.h"

namespace evhub::custody {

struct InclusionProof {
  std::string event_line;  // the exact line of events.jsonl
  std::uint64_t leaf_index = 0;
  Hash leaf_hash{};
  TreeHead head;
  std::string hub_id;
  std::vector<Hash> audit_path;  // from the leaf upwards
};

// Hashes as a JSON array of hex strings, as the proofs write them.
nlohmann::json hashes_json(const std::vector<Hash>& hashes);

// The proof as `evhub log proof --json` writes it (docs/custody.md, "Checking a proof by hand"),
// without evhub's own "verified" opinion.
nlohmann::json proof_json(const InclusionProof& proof);

class ProofBuilder {
 public:
  // Proofs against the newest signed head of `log`: kNotFound if there is none, kIntegrity if
  // the log holds fewer events than the head covers or they do not hash to its root.
  static Result<ProofBuilder> open(CustodyLog& log);

  const TreeHead& head() const { return head_; }
  // The proof of event `seq`: kNotFound if the head does not cover it.
  Result<InclusionProof> prove(std::uint64_t seq) const;

 private:
  ProofBuilder(CustodyLog& log, TreeHead head) : log_(&log), head_(std::move(head)) {}

  CustodyLog* log_;
  TreeHead head_;
  // levels_[0] are the leaves of the head's tree; levels_[k + 1][i] hashes levels_[k][2i] and
  // [2i + 1], or is levels_[k][2i] itself when that is the last node of its level: the
  // RFC 6962 tree, whose right edge is not split evenly, has exactly these nodes.
  std::vector<std::vector<Hash>> levels_;
};

}  // namespace evhub::custody
