#include "disclosure/bagit_writer.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/random_name.h"
#include "crypto/crypto.h"
#include "disclosure/verification_report.h"

namespace evhub::disclosure {

namespace {

// A buffer of payload bytes: plaintext evidence, wiped when done with.
struct WipedBuffer {
  std::vector<std::uint8_t> bytes = std::vector<std::uint8_t>(kReadChunk);
  ~WipedBuffer() { crypto::wipe(bytes.data(), bytes.size()); }
};

// One digest (OpenSSL EVP), as lowercase hex when finished.
class Digest {
 public:
  explicit Digest(const EVP_MD* md) : ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_, md, nullptr) != 1) {
      EVP_MD_CTX_free(ctx_);
      throw std::runtime_error("OpenSSL could not start a digest");
    }
  }
  ~Digest() { EVP_MD_CTX_free(ctx_); }
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;
  void update(const std::uint8_t* data, std::size_t size) {
    if (EVP_DigestUpdate(ctx_, data, size) != 1) {
      throw std::runtime_error("OpenSSL could not hash");
    }
  }
  std::string finish() {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx_, out, &len) != 1) {
      throw std::runtime_error("OpenSSL could not finish a digest");
    }
    return to_hex({out, len});
  }

 private:
  EVP_MD_CTX* ctx_;
};

// SHA-512 of a stream on a thread of its own, one chunk at a time beside the writer's thread,
// which meanwhile hashes the same chunk with SHA-256, writes it and reads the next. SHA-512 is
// the slowest step of writing a payload (CPUs accelerate SHA-256, not SHA-512), so a bag of
// gigabytes is written in about the time of its SHA-512 alone rather than of everything in
// turn. A chunk handed over must stay unchanged until the next hand-over or finish() returns.
class Sha512Beside {
 public:
  Sha512Beside() : thread_([this] { run(); }) {}
  ~Sha512Beside() { stop(); }
  Sha512Beside(const Sha512Beside&) = delete;
  Sha512Beside& operator=(const Sha512Beside&) = delete;

  // Waits until the previous chunk is hashed, then hands this one over.
  void update(const std::uint8_t* data, std::size_t size) {
    std::unique_lock lock(mu_);
    idle_.wait(lock, [this] { return data_ == nullptr; });
    data_ = data;
    size_ = size;
    work_.notify_one();
  }
  std::string finish() {
    stop();
    return digest_.finish();
  }

 private:
  void run() {
    std::unique_lock lock(mu_);
    for (;;) {
      work_.wait(lock, [this] { return data_ != nullptr || stopping_; });
      if (data_ == nullptr) return;
      const std::uint8_t* data = data_;
      const std::size_t size = size_;
      lock.unlock();
      digest_.update(data, size);
      lock.lock();
      data_ = nullptr;
      idle_.notify_one();
    }
  }
  void stop() {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      stopping_ = true;  // the thread hashes what it holds first
      work_.notify_one();
    }
    thread_.join();
  }

  Digest digest_{EVP_sha512()};
  std::mutex mu_;
  std::condition_variable work_, idle_;
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  bool stopping_ = false;
  std::thread thread_;  // last: started once the rest is ready
};

// Names the writer makes itself (RFC 8493 §2.1, §2.2), at the bag root.
bool reserved_tag_name(std::string_view path) {
  return path == "bagit.txt" || path == "bag-info.txt" || path == "fetch.txt" ||
         bagit::manifest_algorithm(path, "manifest-") ||
         bagit::manifest_algorithm(path, "tagmanifest-");
}

Status invalid_path(std::string_view path, const std::string& why) {
  return Status(Code::kInvalidArgument, fmt::format("cannot put \"{}\" in the bag: {}", path, why));
}

bool by_path(const std::pair<std::string, Checksums>& a,
             const std::pair<std::string, Checksums>& b) {
  return a.first < b.first;
}

std::string today_utc() {
  return format_rfc3339(now_millis()).substr(0, 10);
}

bool is_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (const std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

Status check_field(const bagit::Field& f) {
  auto problem = bagit::label_problem(f.label);
  if (!problem) problem = bagit::value_problem(f.value);
  if (!problem) return Status::ok();
  return Status(Code::kInvalidArgument,
                fmt::format("bag-info.txt field \"{}\": {}", f.label, *problem));
}

}  // namespace

ByteSource source_from(std::istream& in) {
  return [&in](std::span<std::uint8_t> buffer) -> Result<std::size_t> {
    in.read(reinterpret_cast<char*>(buffer.data()), static_cast<std::streamsize>(buffer.size()));
    if (in.bad()) return Status(Code::kIoError, "reading a payload stream failed");
    return static_cast<std::size_t>(in.gcount());
  };
}

ByteSource source_from(ReadableFile& file) {
  return [&file](std::span<std::uint8_t> buffer) { return file.read(buffer); };
}

struct BagWriter::Buffers {
  WipedBuffer turns[2];
};

BagWriter::BagWriter(FileSystem& fs, std::string dir, std::string work, bagit::NameRule names,
                     bool durable)
    : fs_(fs), dir_(std::move(dir)), work_(std::move(work)), names_(names), durable_(durable) {}

BagWriter::~BagWriter() {
  if (finished_) return;
  std::error_code ignored;
  std::filesystem::remove_all(work_, ignored);
}

Result<std::unique_ptr<BagWriter>> BagWriter::create(const std::string& dir,
                                                     BagWriterOptions options) {
  FileSystem& fs = options.fs != nullptr ? *options.fs : local_fs();
  std::string target = dir;
  while (target.size() > 1 && target.back() == '/') target.pop_back();
  if (fs.exists(target)) {
    auto entries = fs.list_dir(target);
    if (!entries.is_ok() || !entries->empty()) {
      return Status(Code::kAlreadyExists,
                    target +
                        " already exists and is not an empty directory; a bag is "
                        "written into a new one");
    }
  }
  const std::string work = join_path(parent_dir(target), ".bag-partial-" + random_name());
  EVHUB_RETURN_IF_ERROR(fs.make_dir(work));
  std::unique_ptr<BagWriter> writer(
      new BagWriter(fs, target, work, options.names, options.durable));
  EVHUB_RETURN_IF_ERROR(writer->make_dirs(std::string(bagit::kPayloadDir)));
  return writer;
}

Status BagWriter::check_open() const {
  if (failed_) {
    return Status(Code::kFailedPrecondition,
                  "finishing the bag " + dir_ + " failed; it was removed, start a new one");
  }
  if (!finished_) return Status::ok();
  return Status(Code::kFailedPrecondition,
                "the bag " + dir_ + " is finished; nothing can be added");
}

Status BagWriter::make_dirs(const std::string& dir) {
  for (std::size_t slash = 0; slash != std::string::npos;) {
    slash = dir.find('/', slash + 1);
    const std::string prefix = dir.substr(0, slash);
    if (dirs_.count(prefix) != 0) continue;
    EVHUB_RETURN_IF_ERROR(fs_.make_dir(join_path(work_, prefix)));
    dirs_.insert(prefix);
  }
  return Status::ok();
}

Status BagWriter::make_parents(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? Status::ok() : make_dirs(path.substr(0, slash));
}

bagit::PayloadOxum BagWriter::payload_oxum() const {
  bagit::PayloadOxum oxum;
  for (const auto& [path, sums] : payload_) oxum = {oxum.octets + sums.size, oxum.files + 1};
  return oxum;
}

Status BagWriter::check_new_path(const std::string& path) const {
  if (paths_.count(path) != 0 || dirs_.count(path) != 0) {
    return Status(Code::kAlreadyExists, "\"" + printable(path) + "\" is already in the bag");
  }
  for (std::size_t slash = path.find('/'); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    if (paths_.count(path.substr(0, slash)) != 0) {
      return Status(Code::kAlreadyExists, "\"" + printable(path.substr(0, slash)) +
                                              "\" is a file in the bag, not a directory");
    }
  }
  return Status::ok();
}

Result<Checksums> BagWriter::write_file(const std::string& path, const ByteSource& source,
                                        bool keep_bytes) {
  EVHUB_RETURN_IF_ERROR(check_new_path(path));
  EVHUB_RETURN_IF_ERROR(make_parents(path));
  const std::string full = join_path(work_, path);
  EVHUB_ASSIGN_OR_RETURN(auto file, fs_.create_new(full));
  // Two buffers in turn: the SHA-512 thread reads one while the next is filled.
  if (!buffers_) buffers_ = std::make_unique<Buffers>();
  WipedBuffer* buffers = buffers_->turns;
  Digest sha256(EVP_sha256());
  Checksums sums;
  Status st;
  {
    Sha512Beside sha512;
    for (int turn = 0;; turn ^= 1) {
      std::vector<std::uint8_t>& buffer = buffers[turn].bytes;
      auto n = source(buffer);
      if (!n.is_ok()) st = n.status().with_context("reading the content of " + path);
      if (!st.is_ok() || *n == 0) break;
      const ByteSpan chunk(buffer.data(), std::min(*n, buffer.size()));
      sha512.update(chunk.data(), chunk.size());
      sha256.update(chunk.data(), chunk.size());
      sums.size += chunk.size();
      if (!keep_bytes) continue;
      st = file->append(chunk);
      if (!st.is_ok()) break;
    }
    sums.sha512 = sha512.finish();  // before the buffers it may still read are wiped
  }
  if (st.is_ok() && durable_) st = file->sync();
  if (st.is_ok()) st = file->close();
  // A placeholder: the size the archive's header gives, without the bytes.
  if (st.is_ok() && !keep_bytes) st = fs_.truncate(full, sums.size);
  if (!st.is_ok()) {
    file.reset();
    (void)fs_.remove(full);
    return st;
  }
  paths_.insert(path);
  sums.sha256 = sha256.finish();
  return sums;
}

Result<Checksums> BagWriter::add_payload(std::string_view path, const ByteSource& source) {
  EVHUB_RETURN_IF_ERROR(check_open());
  if (auto problem = bagit::path_problem(path, names_)) return invalid_path(path, *problem);
  const std::string full = std::string(bagit::kPayloadDir) + "/" + std::string(path);
  EVHUB_ASSIGN_OR_RETURN(Checksums sums, write_file(full, source));
  payload_.emplace_back(full, sums);
  return sums;
}

Result<Checksums> BagWriter::add_streamed_payload(std::string_view path, const ByteSource& source) {
  EVHUB_RETURN_IF_ERROR(check_open());
  if (auto problem = bagit::path_problem(path, names_)) return invalid_path(path, *problem);
  const std::string full = std::string(bagit::kPayloadDir) + "/" + std::string(path);
  EVHUB_ASSIGN_OR_RETURN(Checksums sums, write_file(full, source, false));
  payload_.emplace_back(full, sums);
  return sums;
}

// A tag file is small and in memory already: hashed and written in one go, without the
// payload's buffers and SHA-512 thread (a package has thousands of proofs).
Status BagWriter::write_tag(const std::string& path, std::string_view contents, bool listed) {
  EVHUB_RETURN_IF_ERROR(check_new_path(path));
  EVHUB_RETURN_IF_ERROR(make_parents(path));
  const std::string full = join_path(work_, path);
  EVHUB_ASSIGN_OR_RETURN(auto file, fs_.create_new(full));
  const ByteSpan bytes(reinterpret_cast<const std::uint8_t*>(contents.data()), contents.size());
  DualHasher hasher;
  hasher.update(bytes);
  Status st = file->append(bytes);
  if (st.is_ok() && durable_) st = file->sync();
  if (st.is_ok()) st = file->close();
  if (!st.is_ok()) {
    file.reset();
    (void)fs_.remove(full);
    return st;
  }
  paths_.insert(path);
  if (listed) tags_.emplace_back(path, hasher.finish());
  return Status::ok();
}

Status BagWriter::add_tag_file(std::string_view path, std::string_view contents) {
  EVHUB_RETURN_IF_ERROR(check_open());
  if (auto problem = bagit::path_problem(path, names_)) return invalid_path(path, *problem);
  if (path == bagit::kPayloadDir || path.substr(0, 5) == "data/") {
    return invalid_path(path, "tag files go outside data/ (use add_payload for data/)");
  }
  if (reserved_tag_name(path)) return invalid_path(path, "the bag writes this file itself");
  return write_tag(std::string(path), contents, true);
}

Result<std::string> BagWriter::bag_info_text(const BagInfo& info) const {
  if (info.source_organization.empty() || info.external_identifier.empty()) {
    return Status(Code::kInvalidArgument,
                  "bag-info.txt needs a Source-Organization and an External-Identifier");
  }
  const std::string date = info.bagging_date.empty() ? today_utc() : info.bagging_date;
  if (!is_date(date)) {
    return Status(Code::kInvalidArgument, "Bagging-Date must be YYYY-MM-DD, not " + date);
  }
  const std::vector<bagit::Field> own = {{"Source-Organization", info.source_organization},
                                         {"External-Identifier", info.external_identifier},
                                         {"Bagging-Date", date},
                                         {"Payload-Oxum", bagit::to_string(payload_oxum())},
                                         {"Bag-Software-Agent", info.software_agent}};
  std::string text;
  for (const auto& field : own) {
    if (field.value.empty()) continue;  // only the agent may be left out
    EVHUB_RETURN_IF_ERROR(check_field(field));
    text += bagit::format_field(field);
  }
  for (const auto& field : info.extra) {
    EVHUB_RETURN_IF_ERROR(check_field(field));
    if (std::any_of(own.begin(), own.end(),
                    [&](const auto& f) { return f.label == field.label; })) {
      return Status(Code::kInvalidArgument,
                    "bag-info.txt field \"" + field.label + "\" is written by the bag itself");
    }
    text += bagit::format_field(field);
  }
  return text;
}

Status BagWriter::write_manifests() {
  std::sort(payload_.begin(), payload_.end(), by_path);
  for (const char* algorithm : bagit::kAlgorithms) {
    std::string text;
    for (const auto& [path, sums] : payload_) {
      const bool sha256 = std::string_view(algorithm) == "sha256";
      text += bagit::manifest_line(sha256 ? sums.sha256 : sums.sha512, path);
    }
    EVHUB_RETURN_IF_ERROR(write_tag(fmt::format("manifest-{}.txt", algorithm), text, true));
  }
  return Status::ok();
}

Status BagWriter::write_tag_manifests() {
  std::sort(tags_.begin(), tags_.end(), by_path);
  for (const char* algorithm : bagit::kAlgorithms) {
    std::string text;
    for (const auto& [path, sums] : tags_) {
      const bool sha256 = std::string_view(algorithm) == "sha256";
      text += bagit::manifest_line(sha256 ? sums.sha256 : sums.sha512, path);
    }
    EVHUB_RETURN_IF_ERROR(write_tag(fmt::format("tagmanifest-{}.txt", algorithm), text, false));
  }
  return Status::ok();
}

Status BagWriter::sync_and_move() {
  if (durable_) {
    for (const auto& dir : dirs_) EVHUB_RETURN_IF_ERROR(fs_.sync_dir(join_path(work_, dir)));
    EVHUB_RETURN_IF_ERROR(fs_.sync_dir(work_));
  }
  // rename(2) replaces an empty directory, and fails if `dir_` gained entries meanwhile.
  EVHUB_RETURN_IF_ERROR(fs_.rename(work_, dir_));
  return durable_ ? fs_.sync_dir(parent_dir(dir_)) : Status::ok();
}

Result<FinishedBag> BagWriter::finish(const BagInfo& info, const FinalStep& final_step) {
  EVHUB_RETURN_IF_ERROR(check_open());
  EVHUB_ASSIGN_OR_RETURN(const std::string bag_info, bag_info_text(info));
  const Status st = write_bag_files(bag_info, final_step);
  if (!st.is_ok()) {
    failed_ = true;
    std::error_code ignored;
    std::filesystem::remove_all(work_, ignored);
    return st;
  }
  finished_ = true;
  return FinishedBag{dir_, payload_oxum()};
}

Status BagWriter::write_bag_files(const std::string& bag_info, const FinalStep& final_step) {
  EVHUB_RETURN_IF_ERROR(write_manifests());
  EVHUB_RETURN_IF_ERROR(write_tag("bag-info.txt", bag_info, true));
  // bagit.txt is listed in the tag manifests but written last: a bag without it is no bag.
  DualHasher declaration;
  declaration.update(as_bytes(bagit::kDeclaration));
  tags_.emplace_back("bagit.txt", declaration.finish());
  EVHUB_RETURN_IF_ERROR(write_tag_manifests());
  EVHUB_RETURN_IF_ERROR(write_tag("bagit.txt", bagit::kDeclaration, false));
  if (final_step) EVHUB_RETURN_IF_ERROR(final_step(work_));
  return sync_and_move();
}

}  // namespace evhub::disclosure
