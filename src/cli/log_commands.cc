// evhub log show | proof | consistency: read-only views of the custody log for auditors and
// recipients. They need no passphrase; docs/custody.md shows how to check their output by hand.
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "custody/proof.h"
#include "hub/hub.h"

namespace evhub::cli {

using nlohmann::json;

int cmd_log_show(const Options& o) {
  auto log = hub::open_custody_log(selected_hub_dir(o));
  if (!log.is_ok()) return report_failure(o, log.status());
  auto lines = (*log)->event_lines();
  if (!lines.is_ok()) return report_failure(o, lines.status());
  auto from = static_cast<std::size_t>(std::max<std::int64_t>(0, o.from));
  std::size_t end = lines->size();
  if (o.limit >= 0) end = std::min(end, from + static_cast<std::size_t>(o.limit));
  for (std::size_t i = from; i < end; ++i) {
    const std::string& line = (*lines)[i];
    if (o.json) {
      std::cout << line << "\n";  // the exact leaf bytes
      continue;
    }
    auto e = custody::parse_event(line);
    if (!e.is_ok()) {
      std::cout << fmt::format("{:>6}  (damaged: {})\n", i, e.status().message());
      continue;
    }
    std::cout << fmt::format("{:>6}  {}  {:<14} {:<16} {}  {}\n", e->seq, e->time, e->action,
                             e->actor, e->object.empty() ? "-" : e->object,
                             e->details.dump(-1, ' ', false, kReplaceBadUtf8));
  }
  return 0;
}

int cmd_log_proof(const Options& o) {
  auto log = hub::open_custody_log(selected_hub_dir(o));
  if (!log.is_ok()) return report_failure(o, log.status());
  auto builder = custody::ProofBuilder::open(**log);
  if (!builder.is_ok()) return report_failure(o, builder.status());
  auto proof = builder->prove(o.event);
  if (!proof.is_ok()) return report_failure(o, proof.status());
  const custody::TreeHead& head = proof->head;
  const auto& path = proof->audit_path;
  const custody::Hash& leaf = proof->leaf_hash;
  bool ok = custody::verify_inclusion(leaf, o.event, head.tree_size, path, head.root);
  auto pub = (*log)->public_key();
  bool signed_ok =
      pub.is_ok() &&
      crypto::verify_signature(*pub, as_bytes(custody::tree_head_message((*log)->hub_id(), head)),
                               head.signature);
  if (o.json) {
    json out = custody::proof_json(*proof);
    out["verified"] = ok && signed_ok;
    std::cout << out.dump(-1, ' ', false, kReplaceBadUtf8) << "\n";
  } else {
    std::cout << "event:      " << proof->event_line << "\n"
              << "leaf index: " << o.event << "\n"
              << "leaf hash:  " << to_hex(leaf) << "  (SHA-256 of 0x00 || event line)\n"
              << "tree size:  " << head.tree_size << "\n"
              << "root:       " << to_hex(head.root) << "\n"
              << "signed at:  " << head.time << "\n"
              << "signature:  " << to_hex(head.signature) << "\n"
              << "audit path:\n";
    for (const auto& h : path) std::cout << "  " << to_hex(h) << "\n";
    std::cout << "verified:   " << (ok && signed_ok ? "yes" : "NO") << "\n";
  }
  return ok && signed_ok ? 0 : 5;
}

int cmd_log_consistency(const Options& o) {
  auto log = hub::open_custody_log(selected_hub_dir(o));
  if (!log.is_ok()) return report_failure(o, log.status());
  auto heads = (*log)->heads();
  if (!heads.is_ok()) return report_failure(o, heads.status());
  auto find = [&](std::uint64_t size) -> const custody::TreeHead* {
    for (const auto& h : *heads) {
      if (h.tree_size == size) return &h;
    }
    return nullptr;
  };
  const custody::TreeHead* old_head = find(o.old_size);
  const custody::TreeHead* new_head = find(o.new_size);
  if (o.old_size == 0 || o.old_size > o.new_size || !old_head || !new_head) {
    return report_failure(
        o, Status(Code::kNotFound, fmt::format("need two signed tree heads with 0 < OLD <= NEW; "
                                               "sizes {} and {} are not both signed heads "
                                               "(see custody/heads.jsonl)",
                                               o.old_size, o.new_size)));
  }
  auto leaves = (*log)->leaf_hashes();
  if (!leaves.is_ok()) return report_failure(o, leaves.status());
  if (leaves->size() < o.new_size) {
    return report_failure(o, Status(Code::kIntegrity, "the log holds fewer events than the head"));
  }
  auto proof = custody::consistency_proof(*leaves, o.old_size, o.new_size);
  bool ok =
      custody::verify_consistency(o.old_size, o.new_size, old_head->root, new_head->root, proof);
  if (o.json) {
    std::cout << json{{"old_size", o.old_size},
                      {"old_root", to_hex(old_head->root)},
                      {"new_size", o.new_size},
                      {"new_root", to_hex(new_head->root)},
                      {"proof", custody::hashes_json(proof)},
                      {"verified", ok}}
                     .dump(-1, ' ', false, kReplaceBadUtf8)
              << "\n";
  } else {
    std::cout << "old head: size " << o.old_size << ", root " << to_hex(old_head->root) << "\n"
              << "new head: size " << o.new_size << ", root " << to_hex(new_head->root) << "\n"
              << "proof:\n";
    for (const auto& h : proof) std::cout << "  " << to_hex(h) << "\n";
    std::cout << "verified: " << (ok ? "yes" : "NO") << "\n";
  }
  return ok ? 0 : 5;
}

}  // namespace evhub::cli
