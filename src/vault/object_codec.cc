#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "core/random_name.h"
#include "vault/vault.h"

namespace evhub::vault {

namespace {

constexpr char kMagic[8] = {'E', 'V', 'H', 'O', 'B', 'J', '0', '1'};
constexpr std::size_t kMaxChunkSize = 64u << 20;
// Start writing back every few chunks so the final fsync of a large object waits little.
constexpr std::uint64_t kWritebackEvery = 16u << 20;

std::string key_context(const std::string& domain_id, const std::string& id,
                        std::size_t chunk_size) {
  return fmt::format("evhub object key v1|{}|{}|{}", domain_id, id, chunk_size);
}

// Buffers are left uninitialised: they are always filled by a read before use, and zeroing a
// chunk-sized buffer per small file would cost more than encrypting it.
struct Chunk {
  explicit Chunk(std::size_t cap) : data(new std::uint8_t[cap]), capacity(cap) {}
  std::unique_ptr<std::uint8_t[]> data;
  std::size_t capacity;
  std::size_t size = 0;
  bool final = false;
  std::span<std::uint8_t> space() { return {data.get(), capacity}; }
};

// A bounded hand-over between the reading-and-hashing thread and the encrypting-and-writing
// thread. Buffers circulate between `free` and `full`, so memory stays at kBuffers chunks.
class ChunkPipe {
 public:
  ChunkPipe(std::size_t buffers, std::size_t chunk_size) {
    for (std::size_t i = 0; i < buffers; ++i) free_.emplace_back(chunk_size);
  }
  std::optional<Chunk> take_free() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !free_.empty() || stopped_; });
    if (stopped_) return std::nullopt;
    Chunk c = std::move(free_.front());
    free_.pop_front();
    return c;
  }
  void give_free(Chunk c) { push(free_, std::move(c)); }
  void give_full(Chunk c) { push(full_, std::move(c)); }
  std::optional<Chunk> take_full() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !full_.empty() || stopped_; });
    if (full_.empty()) return std::nullopt;
    Chunk c = std::move(full_.front());
    full_.pop_front();
    return c;
  }
  void stop() {
    std::lock_guard lock(mu_);
    stopped_ = true;
    cv_.notify_all();
  }

 private:
  void push(std::deque<Chunk>& q, Chunk c) {
    std::lock_guard lock(mu_);
    q.push_back(std::move(c));
    cv_.notify_all();
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Chunk> free_, full_;
  bool stopped_ = false;
};

class ChunkWriter {
 public:
  ChunkWriter(WritableFile& out, const crypto::SecretKey& key, std::size_t chunk_size)
      : out_(out), cipher_(key), sealed_(chunk_size + crypto::kChunkTagSize) {}
  Status write(const Chunk& c) {
    cipher_.seal(index_++, c.final, {c.data.get(), c.size}, sealed_.data.get());
    EVHUB_RETURN_IF_ERROR(out_.append({sealed_.data.get(), c.size + crypto::kChunkTagSize}));
    unflushed_ += c.size;
    if (unflushed_ >= kWritebackEvery) {
      out_.start_writeback();
      unflushed_ = 0;
    }
    return Status::ok();
  }

 private:
  WritableFile& out_;
  crypto::ChunkCipher cipher_;
  Chunk sealed_;
  std::uint64_t index_ = 0;
  std::uint64_t unflushed_ = 0;
};

// Reads the whole input in chunks, hashing each, and hands it to `sink` in order with the last
// chunk flagged. A chunk is final when the input ends inside it or right after it.
template <typename Sink>
Status read_chunks(ReadableFile& in, crypto::Sha256& hash, std::uint64_t& total,
                   std::function<std::optional<Chunk>()> next_buffer, Sink&& sink) {
  auto cur = next_buffer();
  if (!cur) return Status::ok();
  EVHUB_ASSIGN_OR_RETURN(cur->size, in.read(cur->space()));
  for (;;) {
    hash.update({cur->data.get(), cur->size});
    total += cur->size;
    if (cur->size < cur->capacity) {
      cur->final = true;
      return sink(std::move(*cur));
    }
    auto next = next_buffer();
    if (!next) return Status::ok();
    EVHUB_ASSIGN_OR_RETURN(next->size, in.read(next->space()));
    if (next->size == 0) {
      cur->final = true;
      EVHUB_RETURN_IF_ERROR(sink(std::move(*cur)));
      return Status::ok();
    }
    cur->final = false;
    EVHUB_RETURN_IF_ERROR(sink(std::move(*cur)));
    cur = std::move(next);
  }
}

struct ObjectHeader {
  std::size_t chunk_size = 0;
  crypto::SecretKey key;  // the object's own key, unwrapped
};

// Reads (sequentially, from a freshly opened file) and checks the header: magic, chunk size,
// and the object key wrapped for exactly this domain and object id.
Result<ObjectHeader> read_header(ReadableFile& in, const std::string& id,
                                 const std::string& domain_id,
                                 const crypto::SecretKey& domain_key) {
  Bytes header(kHeaderSize);
  EVHUB_ASSIGN_OR_RETURN(std::size_t got, in.read(header));
  if (got != kHeaderSize || !std::equal(kMagic, kMagic + 8, header.begin())) {
    return Status(Code::kIntegrity, fmt::format("object {}: the header is damaged", id));
  }
  ObjectHeader h;
  for (int i = 0; i < 4; ++i) h.chunk_size |= static_cast<std::size_t>(header[8 + i]) << (8 * i);
  crypto::WrappedKey wrapped;
  wrapped.nonce.assign(header.begin() + 12, header.begin() + 36);
  wrapped.ciphertext.assign(header.begin() + 36, header.end());
  auto key = crypto::unwrap_key(domain_key, wrapped, key_context(domain_id, id, h.chunk_size));
  if (h.chunk_size == 0 || h.chunk_size > kMaxChunkSize || !key.is_ok()) {
    return Status(Code::kIntegrity,
                  fmt::format("object {}: the header is damaged (its key does not unwrap)", id));
  }
  h.key = std::move(key).value();
  return h;
}

}  // namespace

Result<SealedObject> seal_object(ObjectStore& store, ReadableFile& in, const std::string& domain_id,
                                 const crypto::SecretKey& domain_key, std::size_t chunk_size) {
  if (chunk_size == 0 || chunk_size > kMaxChunkSize) {
    return Status(Code::kInvalidArgument, "chunk size out of range");
  }
  SealedObject sealed;
  sealed.id = random_name();
  EVHUB_ASSIGN_OR_RETURN(sealed.pending, store.create(sealed.id));
  WritableFile& out = sealed.pending->file();

  crypto::SecretKey object_key = crypto::SecretKey::random();
  crypto::WrappedKey wrapped =
      crypto::wrap_key(domain_key, object_key, key_context(domain_id, sealed.id, chunk_size));
  Bytes header(kMagic, kMagic + 8);
  for (int i = 0; i < 4; ++i) header.push_back(static_cast<std::uint8_t>(chunk_size >> (8 * i)));
  header.insert(header.end(), wrapped.nonce.begin(), wrapped.nonce.end());
  header.insert(header.end(), wrapped.ciphertext.begin(), wrapped.ciphertext.end());
  EVHUB_RETURN_IF_ERROR(out.append(header));

  crypto::Sha256 hash;
  ChunkWriter writer(out, object_key, chunk_size);
  EVHUB_ASSIGN_OR_RETURN(std::uint64_t input_size, in.size());

  if (input_size < chunk_size) {
    // Small objects: one chunk (two if the file grows while read), no thread hand-over.
    EVHUB_RETURN_IF_ERROR(read_chunks(
        in, hash, sealed.size, [&] { return std::optional<Chunk>(Chunk(chunk_size)); },
        [&](Chunk c) { return writer.write(c); }));
  } else {
    // Large objects: this thread reads and hashes while another encrypts and writes, so SHA-256
    // and AES-GCM run on both cores at once.
    ChunkPipe pipe(4, chunk_size);
    Status write_status;
    std::thread encryptor([&] {
      while (auto c = pipe.take_full()) {
        if (write_status.is_ok()) write_status = writer.write(*c);
        if (!write_status.is_ok()) {
          pipe.stop();
          return;
        }
        pipe.give_free(std::move(*c));
      }
    });
    Status read_status = read_chunks(
        in, hash, sealed.size, [&] { return pipe.take_free(); },
        [&](Chunk c) {
          pipe.give_full(std::move(c));
          return Status::ok();
        });
    pipe.stop();
    encryptor.join();
    EVHUB_RETURN_IF_ERROR(read_status);
    EVHUB_RETURN_IF_ERROR(write_status);
  }
  EVHUB_RETURN_IF_ERROR(sealed.pending->finish());
  sealed.sha256 = hash.finish();
  return sealed;
}

Result<OpenedObject> open_object(ObjectStore& store, const std::string& id,
                                 const std::string& domain_id, const crypto::SecretKey& domain_key,
                                 WritableFile* out) {
  EVHUB_ASSIGN_OR_RETURN(auto in, store.open(id));
  EVHUB_ASSIGN_OR_RETURN(ObjectHeader h, read_header(*in, id, domain_id, domain_key));
  const std::size_t chunk_size = h.chunk_size;
  crypto::ChunkCipher cipher(h.key);
  const std::size_t sealed_size = chunk_size + crypto::kChunkTagSize;
  Bytes cur(sealed_size), next(sealed_size), plain(chunk_size);
  crypto::Sha256 hash;
  OpenedObject result;
  EVHUB_ASSIGN_OR_RETURN(std::size_t n, in->read(cur));
  for (std::uint64_t index = 0;; ++index) {
    std::size_t m = 0;
    if (n == sealed_size) {
      EVHUB_ASSIGN_OR_RETURN(m, in->read(next));
    }
    const bool final = m == 0;
    if (n < crypto::kChunkTagSize || !cipher.open(index, final, {cur.data(), n}, plain.data())) {
      return Status(Code::kIntegrity,
                    fmt::format("object {}: chunk {} fails authentication (the object was altered "
                                "or truncated)",
                                id, index));
    }
    const std::size_t plain_size = n - crypto::kChunkTagSize;
    hash.update({plain.data(), plain_size});
    result.size += plain_size;
    if (out) EVHUB_RETURN_IF_ERROR(out->append({plain.data(), plain_size}));
    if (final) break;
    std::swap(cur, next);
    n = m;
  }
  result.sha256 = hash.finish();
  return result;
}

Result<std::unique_ptr<ObjectReader>> ObjectReader::open(ObjectStore& store, const std::string& id,
                                                         const std::string& domain_id,
                                                         const crypto::SecretKey& domain_key) {
  std::unique_ptr<ObjectReader> r(new ObjectReader());
  r->id_ = id;
  EVHUB_ASSIGN_OR_RETURN(r->file_, store.open(id));
  EVHUB_ASSIGN_OR_RETURN(ObjectHeader h, read_header(*r->file_, id, domain_id, domain_key));
  EVHUB_ASSIGN_OR_RETURN(std::uint64_t file_size, r->file_->size());
  const std::size_t chunk_size = h.chunk_size;
  const std::uint64_t body = file_size - kHeaderSize;
  const std::uint64_t sealed_chunk = chunk_size + crypto::kChunkTagSize;
  r->chunks_ = (body + sealed_chunk - 1) / sealed_chunk;
  if (r->chunks_ == 0 ||
      (body % sealed_chunk != 0 && body % sealed_chunk < crypto::kChunkTagSize)) {
    return Status(Code::kIntegrity, fmt::format("object {}: it is truncated", id));
  }
  r->plain_size_ = body - r->chunks_ * crypto::kChunkTagSize;
  r->chunk_size_ = chunk_size;
  r->cipher_ = std::make_unique<crypto::ChunkCipher>(h.key);
  r->sealed_.resize(sealed_chunk);
  r->plain_.resize(chunk_size);
  return r;
}

Result<std::string> ObjectReader::read_prefix(std::uint64_t max_bytes) {
  std::string bytes(static_cast<std::size_t>(std::min(max_bytes, plain_size_)), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    EVHUB_ASSIGN_OR_RETURN(
        std::size_t n,
        read(done, {reinterpret_cast<std::uint8_t*>(bytes.data()) + done, bytes.size() - done}));
    if (n == 0) break;
    done += n;
  }
  bytes.resize(done);
  return bytes;
}

ObjectReader::~ObjectReader() {
  crypto::wipe(plain_.data(), plain_.size());
}

Status ObjectReader::load_chunk(std::uint64_t index) {
  if (loaded_ == index) return Status::ok();
  const std::uint64_t sealed_chunk = chunk_size_ + crypto::kChunkTagSize;
  EVHUB_ASSIGN_OR_RETURN(std::size_t n,
                         file_->read_at(kHeaderSize + index * sealed_chunk, sealed_));
  const bool final = index + 1 == chunks_;
  if (n < crypto::kChunkTagSize || (!final && n != sealed_chunk) ||
      !cipher_->open(index, final, {sealed_.data(), n}, plain_.data())) {
    loaded_ = UINT64_MAX;
    return Status(Code::kIntegrity,
                  fmt::format("object {}: chunk {} fails authentication (the object was altered "
                              "or truncated)",
                              id_, index));
  }
  loaded_ = index;
  plain_len_ = n - crypto::kChunkTagSize;
  return Status::ok();
}

Result<std::size_t> ObjectReader::read(std::uint64_t offset, std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size() && offset + done < plain_size_) {
    const std::uint64_t at = offset + done;
    EVHUB_RETURN_IF_ERROR(load_chunk(at / chunk_size_));
    const std::size_t in_chunk = static_cast<std::size_t>(at % chunk_size_);
    const std::size_t n = std::min(out.size() - done, plain_len_ - in_chunk);
    std::copy_n(plain_.data() + in_chunk, n, out.data() + done);
    done += n;
  }
  return done;
}

}  // namespace evhub::vault
