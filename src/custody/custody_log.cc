#include "custody/custody_log.h"

#include <fmt/format.h>
#include <sodium.h>

#include <cstring>
#include <functional>

#include "core/clock.h"
#include "core/random_name.h"

namespace evhub::custody {

using nlohmann::json;

std::string serialize_event(const Event& e) {
  // Fixed key order and compact form, so that the line a person reads is the leaf that is hashed.
  return fmt::format(
      R"({{"seq":{},"time":{},"actor":{},"action":{},"object":{},"sha256":{},"details":{}}})",
      e.seq, json(e.time).dump(), json(e.actor).dump(), json(e.action).dump(),
      json(e.object).dump(), json(e.sha256).dump(), e.details.dump());
}

Result<Event> parse_event(std::string_view line) {
  json j = json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status(Code::kIntegrity, "is not valid JSON");
  }
  Event e;
  try {
    e.seq = j.at("seq").get<std::int64_t>();
    e.time = j.at("time").get<std::string>();
    e.actor = j.at("actor").get<std::string>();
    e.action = j.at("action").get<std::string>();
    e.object = j.at("object").get<std::string>();
    e.sha256 = j.at("sha256").get<std::string>();
    e.details = j.at("details");
  } catch (const json::exception&) {
    return Status(Code::kIntegrity, "lacks a field every event has, or has one of the wrong type");
  }
  if (!e.details.is_object()) return Status(Code::kIntegrity, "has details that are not an object");
  return e;
}

std::string tree_head_message(const std::string& hub_id, const TreeHead& head) {
  return fmt::format("evhub tree head v1\nhub {}\nsize {}\nroot {}\ntime {}\n", hub_id,
                     head.tree_size, to_hex(head.root), head.time);
}

std::string serialize_head(const TreeHead& h) {
  return fmt::format(R"({{"tree_size":{},"root":"{}","time":{},"signature":"{}"}})", h.tree_size,
                     to_hex(h.root), json(h.time).dump(), to_hex(h.signature));
}

Result<TreeHead> parse_head(std::string_view line) {
  json j = json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status(Code::kIntegrity, "is not valid JSON");
  TreeHead h;
  try {
    h.tree_size = j.at("tree_size").get<std::uint64_t>();
    h.time = j.at("time").get<std::string>();
    auto root = from_hex(j.at("root").get<std::string>());
    auto sig = from_hex(j.at("signature").get<std::string>());
    if (!root || root->size() != h.root.size() || !sig) {
      return Status(Code::kIntegrity, "has a malformed root or signature");
    }
    std::copy(root->begin(), root->end(), h.root.begin());
    h.signature = std::move(*sig);
  } catch (const json::exception&) {
    return Status(Code::kIntegrity, "lacks a field every tree head has");
  }
  return h;
}

std::string public_key_pem(ByteSpan public_key) {
  // SubjectPublicKeyInfo for Ed25519 (RFC 8410): a fixed 12-byte DER prefix and the raw key.
  static constexpr std::uint8_t kPrefix[] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                             0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
  Bytes der(std::begin(kPrefix), std::end(kPrefix));
  der.insert(der.end(), public_key.begin(), public_key.end());
  std::string b64(sodium_base64_ENCODED_LEN(der.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), der.data(), der.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::strlen(b64.c_str()));
  return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
}

Status CustodyLog::create(FileSystem& fs, const std::string& dir, ByteSpan public_key) {
  EVHUB_RETURN_IF_ERROR(fs.make_dir(dir));
  EVHUB_RETURN_IF_ERROR(write_file_atomic(fs, join_path(dir, kEventsFile), {}));
  EVHUB_RETURN_IF_ERROR(write_file_atomic(fs, join_path(dir, kHeadsFile), {}));
  std::string hex = to_hex(public_key) + "\n";
  EVHUB_RETURN_IF_ERROR(write_file_atomic(fs, join_path(dir, kPublicKeyFile), as_bytes(hex)));
  std::string pem = public_key_pem(public_key);
  return write_file_atomic(fs, join_path(dir, kPublicKeyPemFile), as_bytes(pem));
}

namespace {

// Splits into complete lines; `torn` receives the length of a trailing partial line.
std::vector<std::string> split_lines(const Bytes& data, std::size_t& complete_bytes) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '\n') {
      lines.emplace_back(data.begin() + static_cast<std::ptrdiff_t>(start),
                         data.begin() + static_cast<std::ptrdiff_t>(i));
      start = i + 1;
    }
  }
  complete_bytes = start;
  return lines;
}

// Reads a log file as lines. A last line without its newline is an append cut short by a crash
// (never acknowledged, never signed) when `may_cut` says so: then, with `repair`, it is cut off,
// and without, ignored. Otherwise it is kept as a line of its own, so that the Merkle checks see
// exactly what is on disk (e.g. a newline removed from an event a signed head covers).
Status read_log_lines(FileSystem& fs, const std::string& path, bool repair,
                      const std::function<bool(std::size_t)>& may_cut,
                      std::vector<std::string>& lines, bool* kept_unterminated = nullptr) {
  EVHUB_ASSIGN_OR_RETURN(Bytes data, read_file(fs, path));
  std::size_t complete = 0;
  lines = split_lines(data, complete);
  if (kept_unterminated) *kept_unterminated = false;
  if (complete == data.size()) return Status::ok();
  if (!may_cut(lines.size())) {
    lines.emplace_back(data.begin() + static_cast<std::ptrdiff_t>(complete), data.end());
    if (kept_unterminated) *kept_unterminated = true;
    return Status::ok();
  }
  if (repair) {
    // Kept beside the log rather than lost: whoever audits the hub can see what was cut.
    Bytes torn(data.begin() + static_cast<std::ptrdiff_t>(complete), data.end());
    EVHUB_RETURN_IF_ERROR(write_file_atomic(fs, path + ".torn-" + random_name(), torn));
    EVHUB_RETURN_IF_ERROR(fs.truncate(path, complete));
    EVHUB_ASSIGN_OR_RETURN(auto f, fs.open_append(path));
    EVHUB_RETURN_IF_ERROR(f->sync());
  }
  return Status::ok();
}

bool always(std::size_t) {
  return true;
}

}  // namespace

Result<std::unique_ptr<CustodyLog>> CustodyLog::open(FileSystem& fs, const std::string& dir,
                                                     std::string hub_id, bool repair) {
  std::unique_ptr<CustodyLog> log(new CustodyLog(fs, dir, std::move(hub_id)));
  EVHUB_RETURN_IF_ERROR(log->load(repair));
  return log;
}

Status CustodyLog::load(bool repair) {
  std::vector<std::string> heads;
  EVHUB_RETURN_IF_ERROR(read_log_lines(fs_, join_path(dir_, kHeadsFile), repair, always, heads)
                            .with_context("reading the signed tree heads"));
  last_head_.reset();
  if (!heads.empty()) {
    auto last = parse_head(heads.back());
    if (last.is_ok()) last_head_ = std::move(last).value();
  }
  std::vector<std::string> events;
  EVHUB_RETURN_IF_ERROR(read_events(repair, events).with_context("reading the custody log"));
  frontier_ = MerkleFrontier();
  root_at_last_head_.reset();
  last_head_offset_ = 0;
  const std::uint64_t head_size = last_head_ ? last_head_->tree_size : 0;
  std::uint64_t offset = 0;
  line_starts_.clear();
  line_starts_.reserve(events.size());
  for (const std::string& line : events) {
    if (frontier_.size() == head_size) {
      root_at_last_head_ = frontier_.root();
      last_head_offset_ = offset;
    }
    frontier_.append(leaf_hash(as_bytes(line)));
    line_starts_.push_back(offset);
    offset += line.size() + 1;
  }
  lines_end_ = offset;
  if (frontier_.size() == head_size) {
    root_at_last_head_ = frontier_.root();
    last_head_offset_ = offset;
  }
  EVHUB_ASSIGN_OR_RETURN(events_bytes_, file_size(kEventsFile));
  EVHUB_ASSIGN_OR_RETURN(heads_bytes_, file_size(kHeadsFile));
  return Status::ok();
}

Result<std::uint64_t> CustodyLog::set_aside_unsigned_tail(const std::string& aside) {
  const std::uint64_t head_size = last_head_ ? last_head_->tree_size : 0;
  if (frontier_.size() <= head_size || !root_at_last_head_) return std::uint64_t{0};
  const std::string path = join_path(dir_, kEventsFile);
  EVHUB_ASSIGN_OR_RETURN(Bytes data, read_file(fs_, path));
  const std::uint64_t removed = frontier_.size() - head_size;
  Bytes tail(data.begin() + static_cast<std::ptrdiff_t>(last_head_offset_), data.end());
  EVHUB_RETURN_IF_ERROR(write_file_atomic(fs_, aside, tail));
  EVHUB_RETURN_IF_ERROR(fs_.truncate(path, last_head_offset_));
  EVHUB_ASSIGN_OR_RETURN(auto f, fs_.open_append(path));
  EVHUB_RETURN_IF_ERROR(f->sync());
  EVHUB_RETURN_IF_ERROR(load(false));
  return removed;
}

Result<std::uint64_t> CustodyLog::file_size(const char* name) {
  EVHUB_ASSIGN_OR_RETURN(auto f, fs_.open_read(join_path(dir_, name)));
  return f->size();
}

Status CustodyLog::refresh() {
  EVHUB_ASSIGN_OR_RETURN(std::uint64_t events, file_size(kEventsFile));
  EVHUB_ASSIGN_OR_RETURN(std::uint64_t heads, file_size(kHeadsFile));
  if (events == events_bytes_ && heads == heads_bytes_) return Status::ok();
  return load(true);
}

Result<Bytes> CustodyLog::public_key() {
  EVHUB_ASSIGN_OR_RETURN(std::string hex, read_text_file(fs_, join_path(dir_, kPublicKeyFile)));
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.pop_back();
  auto key = from_hex(hex);
  if (!key || key->size() != crypto::kPublicKeySize) {
    return Status(Code::kIntegrity, "custody/signing-key.pub is not a 32-byte hex key");
  }
  return *key;
}

Status CustodyLog::append(std::vector<Event>& events) {
  if (events.empty()) return Status::ok();
  std::string text;
  std::vector<Hash> leaves;
  std::uint64_t seq = frontier_.size();
  for (Event& e : events) {
    e.seq = static_cast<std::int64_t>(seq++);
    if (e.time.empty()) e.time = now_rfc3339();
    std::string line = serialize_event(e);
    leaves.push_back(leaf_hash(as_bytes(line)));
    text += line;
    text += '\n';
  }
  // One write of whole lines: a crash leaves at most one torn line at the end, which open()
  // cuts off because it was never acknowledged.
  EVHUB_ASSIGN_OR_RETURN(auto file, fs_.open_append(join_path(dir_, kEventsFile)));
  EVHUB_RETURN_IF_ERROR(file->append(as_bytes(text)).with_context("appending to the custody log"));
  EVHUB_RETURN_IF_ERROR(file->sync().with_context("appending to the custody log"));
  EVHUB_RETURN_IF_ERROR(file->close());
  for (const Hash& h : leaves) frontier_.append(h);
  std::uint64_t start = lines_end_;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') continue;
    line_starts_.push_back(start);
    start = lines_end_ + i + 1;
  }
  lines_end_ += text.size();
  events_bytes_ += text.size();
  return Status::ok();
}

Status CustodyLog::sign_head(const crypto::SigningKey& key) {
  if (last_head_ && last_head_->tree_size == frontier_.size()) return Status::ok();
  TreeHead head;
  head.tree_size = frontier_.size();
  head.root = frontier_.root();
  head.time = now_rfc3339();
  head.signature = key.sign(as_bytes(tree_head_message(hub_id_, head)));
  std::string line = serialize_head(head) + "\n";
  EVHUB_ASSIGN_OR_RETURN(auto file, fs_.open_append(join_path(dir_, kHeadsFile)));
  EVHUB_RETURN_IF_ERROR(file->append(as_bytes(line)).with_context("signing a tree head"));
  EVHUB_RETURN_IF_ERROR(file->sync().with_context("signing a tree head"));
  EVHUB_RETURN_IF_ERROR(file->close());
  root_at_last_head_ = head.root;
  last_head_offset_ = events_bytes_;
  last_head_ = std::move(head);
  heads_bytes_ += line.size();
  return Status::ok();
}

Result<std::vector<std::string>> CustodyLog::read_lines(const std::string& file) {
  EVHUB_ASSIGN_OR_RETURN(Bytes data, read_file(fs_, join_path(dir_, file)));
  std::size_t complete = 0;
  return split_lines(data, complete);
}

Status CustodyLog::read_events(bool repair, std::vector<std::string>& lines) {
  // A torn last event may be cut only if no signed head covers it: the hub signs only after
  // the whole append is durable.
  const std::uint64_t signed_size = last_head_ ? last_head_->tree_size : 0;
  return read_log_lines(
      fs_, join_path(dir_, kEventsFile), repair,
      [&](std::size_t complete) { return complete >= signed_size; }, lines,
      &signed_line_unterminated_);
}

Result<std::vector<std::string>> CustodyLog::event_lines() {
  std::vector<std::string> lines;
  EVHUB_RETURN_IF_ERROR(read_events(false, lines));
  return lines;
}

Result<std::vector<std::string>> CustodyLog::event_lines_from(std::uint64_t first,
                                                              std::size_t limit) {
  if (first >= line_starts_.size() || limit == 0) return std::vector<std::string>();
  const std::uint64_t last = std::min<std::uint64_t>(first + limit, line_starts_.size());
  const std::uint64_t begin = line_starts_[first];
  const std::uint64_t end = last < line_starts_.size() ? line_starts_[last] : lines_end_;
  EVHUB_ASSIGN_OR_RETURN(auto file, fs_.open_read(join_path(dir_, kEventsFile)));
  // From the line before, to check that `begin` really starts a line.
  const std::uint64_t from = begin == 0 ? 0 : begin - 1;
  Bytes data(static_cast<std::size_t>(end - from));
  EVHUB_ASSIGN_OR_RETURN(std::size_t n, file->read_at(from, data));
  std::vector<std::string> lines;
  if (n == data.size() && (begin == 0 || data[0] == '\n')) {
    std::size_t complete = 0;
    lines = split_lines(Bytes(data.begin() + static_cast<std::ptrdiff_t>(begin - from), data.end()),
                        complete);
    if (complete == end - begin && lines.size() == last - first) return lines;
  }
  // The file is not as this process last saw it (it should have refreshed): read it all.
  EVHUB_ASSIGN_OR_RETURN(lines, event_lines());
  if (first >= lines.size()) return std::vector<std::string>();
  const auto stop = std::min<std::size_t>(lines.size(), static_cast<std::size_t>(last));
  return std::vector<std::string>(lines.begin() + static_cast<std::ptrdiff_t>(first),
                                  lines.begin() + static_cast<std::ptrdiff_t>(stop));
}

Result<std::vector<TreeHead>> CustodyLog::heads() {
  EVHUB_ASSIGN_OR_RETURN(std::vector<std::string> lines, read_lines(kHeadsFile));
  std::vector<TreeHead> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto h = parse_head(lines[i]);
    if (!h.is_ok()) {
      return Status(Code::kIntegrity, fmt::format("tree head {} {}", i + 1, h.status().message()));
    }
    out.push_back(std::move(h).value());
  }
  return out;
}

Result<std::vector<Hash>> CustodyLog::leaf_hashes() {
  EVHUB_ASSIGN_OR_RETURN(std::vector<std::string> lines, event_lines());
  std::vector<Hash> out;
  out.reserve(lines.size());
  for (const std::string& line : lines) out.push_back(leaf_hash(as_bytes(line)));
  return out;
}

std::vector<std::string> verify_log(CustodyLog& log, ByteSpan public_key) {
  std::vector<std::string> problems;
  auto lines = log.event_lines();
  if (!lines.is_ok()) return {lines.status().message()};
  std::vector<Hash> leaves;
  for (std::size_t i = 0; i < lines->size(); ++i) {
    const std::string& line = (*lines)[i];
    leaves.push_back(leaf_hash(as_bytes(line)));
    auto e = parse_event(line);
    if (!e.is_ok()) {
      problems.push_back(fmt::format("custody event {} {}", i, e.status().message()));
    } else if (e->seq != static_cast<std::int64_t>(i)) {
      problems.push_back(fmt::format("custody event {} says it is event {}", i, e->seq));
    }
  }
  if (log.signed_line_unterminated()) {
    problems.push_back(fmt::format(
        "custody event {} has lost its line end although a signed tree head covers it: the log "
        "was cut or edited",
        lines->size() - 1));
  }
  auto heads = log.heads();
  if (!heads.is_ok()) {
    problems.push_back(heads.status().message());
    return problems;
  }
  // One pass over the leaves, comparing the root at each head's size (heads are in order).
  MerkleFrontier frontier;
  std::uint64_t prev_size = 0;
  std::uint64_t verified_size = 0;
  for (std::size_t i = 0; i < heads->size(); ++i) {
    const TreeHead& h = (*heads)[i];
    std::string name = fmt::format("tree head {} (size {}, {})", i + 1, h.tree_size, h.time);
    if (!crypto::verify_signature(public_key, as_bytes(tree_head_message(log.hub_id(), h)),
                                  h.signature)) {
      problems.push_back(name + " has an invalid signature: the head was altered or forged");
      continue;
    }
    if (h.tree_size < prev_size) {
      problems.push_back(name + " covers fewer events than the head before it");
      continue;
    }
    prev_size = h.tree_size;
    if (h.tree_size > leaves.size()) {
      problems.push_back(
          fmt::format("{} covers {} events but the log holds only {}: events were removed", name,
                      h.tree_size, leaves.size()));
      continue;
    }
    while (frontier.size() < h.tree_size) frontier.append(leaves[frontier.size()]);
    if (frontier.root() != h.root) {
      problems.push_back(
          fmt::format("{} does not match the log: one or more of events {} to {} were altered",
                      name, verified_size, h.tree_size - 1));
    } else {
      verified_size = h.tree_size;
    }
  }
  if (heads->empty() && !leaves.empty()) {
    problems.push_back("the custody log has no signed tree head");
  } else if (!heads->empty() && heads->back().tree_size < leaves.size()) {
    problems.push_back(fmt::format("custody events {} to {} are not covered by a signed tree head",
                                   heads->back().tree_size, leaves.size() - 1));
  }
  return problems;
}

}  // namespace evhub::custody
