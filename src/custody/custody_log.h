// The custody log: an append-only file of events (one JSON line each: who did what to which
// object, when, with which SHA-256), whose lines are the leaves of an RFC 6962 Merkle tree, and
// a second file of tree heads signed with the hub's Ed25519 key. docs/custody.md is the format.
// Anyone holding the two files and the public key can check them without evhub.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/fs.h"
#include "core/status.h"
#include "crypto/crypto.h"
#include "custody/merkle.h"

namespace evhub::custody {

// What happened. `seq` (the leaf index, from 0) and `time` are set by the log on append.
struct Event {
  std::int64_t seq = -1;
  std::string time;
  std::string actor;
  std::string action;  // init, domain.create, put, get, derive, export, shred
  std::string object;  // object id or empty
  std::string sha256;  // plaintext SHA-256 of the object or empty
  nlohmann::json details = nlohmann::json::object();
};

std::string serialize_event(const Event& event);
// kIntegrity with a message naming what is malformed.
Result<Event> parse_event(std::string_view line);

struct TreeHead {
  std::uint64_t tree_size = 0;
  Hash root{};
  std::string time;
  Bytes signature;
};

// The exact bytes the hub signs for a tree head (see docs/custody.md).
std::string tree_head_message(const std::string& hub_id, const TreeHead& head);
std::string serialize_head(const TreeHead& head);
Result<TreeHead> parse_head(std::string_view line);

// Ed25519 public key as a PEM SubjectPublicKeyInfo, readable by `openssl pkeyutl -verify`.
std::string public_key_pem(ByteSpan public_key);

inline constexpr const char* kEventsFile = "events.jsonl";
inline constexpr const char* kHeadsFile = "heads.jsonl";
inline constexpr const char* kPublicKeyFile = "signing-key.pub";  // hex
inline constexpr const char* kPublicKeyPemFile = "signing-key.pem";

class CustodyLog {
 public:
  // Creates an empty log in `dir` and publishes the public key beside it.
  static Status create(FileSystem& fs, const std::string& dir, ByteSpan public_key);
  // Reads the log. With `repair`, an incomplete last line (an append cut short by a crash;
  // never acknowledged, never signed) is cut off; without it such a line is ignored.
  static Result<std::unique_ptr<CustodyLog>> open(FileSystem& fs, const std::string& dir,
                                                  std::string hub_id, bool repair);

  // Catches up with events other processes appended since open (call holding the hub lock).
  Status refresh();

  std::uint64_t size() const { return frontier_.size(); }
  Hash root() const { return frontier_.root(); }
  // The newest tree head in heads.jsonl (unverified), and the root the log's first
  // last_head()->tree_size events actually hash to (nullopt if the log is shorter).
  const std::optional<TreeHead>& last_head() const { return last_head_; }
  const std::optional<Hash>& root_at_last_head() const { return root_at_last_head_; }
  // The last event, covered by a signed head, lacks its newline: the file was cut or edited
  // (a crash never does this, as heads are signed after the append is durable).
  bool signed_line_unterminated() const { return signed_line_unterminated_; }

  // Removes the events after the newest signed head (appended by a process that was killed
  // before signing them, or written by someone without the key) and saves them to `aside`.
  // Returns how many were removed. Call holding the hub lock, after checking the head.
  Result<std::uint64_t> set_aside_unsigned_tail(const std::string& aside);
  const std::string& hub_id() const { return hub_id_; }
  Result<Bytes> public_key();

  // Appends the events durably (one fsync) and assigns their seq and time.
  Status append(std::vector<Event>& events);
  // Signs and appends a head for the current size unless the newest head already covers it.
  Status sign_head(const crypto::SigningKey& key);

  Result<std::vector<std::string>> event_lines();
  // Events first .. first + limit - 1 (fewer at the end of the log), as event_lines() has
  // them, read from where they start in the file: a view catching up with the log reads what
  // is new, not the whole log again (whose size has no bound).
  Result<std::vector<std::string>> event_lines_from(std::uint64_t first, std::size_t limit);
  Result<std::vector<TreeHead>> heads();
  Result<std::vector<Hash>> leaf_hashes();

 private:
  CustodyLog(FileSystem& fs, std::string dir, std::string hub_id)
      : fs_(fs), dir_(std::move(dir)), hub_id_(std::move(hub_id)) {}
  Result<std::vector<std::string>> read_lines(const std::string& file);
  Status load(bool repair);
  Status read_events(bool repair, std::vector<std::string>& lines);
  Result<std::uint64_t> file_size(const char* name);
  FileSystem& fs_;
  std::string dir_;
  std::string hub_id_;
  MerkleFrontier frontier_;
  std::optional<TreeHead> last_head_;
  std::optional<Hash> root_at_last_head_;
  std::uint64_t last_head_offset_ = 0;
  bool signed_line_unterminated_ = false;  // byte offset of the first event after the last head
  std::uint64_t events_bytes_ = 0;         // file sizes as last read or written by this process
  std::uint64_t heads_bytes_ = 0;
  std::vector<std::uint64_t> line_starts_;  // where each event's line starts in events.jsonl
  std::uint64_t lines_end_ = 0;             // just after the last event's newline
};

// Everything wrong with a log, each problem in a sentence; empty when all checks.
std::vector<std::string> verify_log(CustodyLog& log, ByteSpan public_key);

}  // namespace evhub::custody
