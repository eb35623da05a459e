#include "api/spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "core/hex.h"
#include "crypto/crypto.h"

namespace evhub::api {

namespace {

// Chunk i of the plaintext is sealed alone at offset i * kSealed; the last chunk (possibly
// empty) carries the final flag, so a spool cut short does not read back as a whole one.
constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kSealed = kChunk + crypto::kChunkTagSize;

Status write_all(int fd, std::uint64_t offset, const std::uint8_t* data, std::size_t size,
                 const std::string& dir) {
  while (size > 0) {
    ssize_t n = ::pwrite(fd, data, size, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status(errno, "cannot spool an upload in", dir);
    }
    data += n;
    size -= static_cast<std::size_t>(n);
    offset += static_cast<std::uint64_t>(n);
  }
  return Status::ok();
}

}  // namespace

struct SpooledBody::Impl {
  std::string dir;
  int fd = -1;
  crypto::SecretKey key = crypto::SecretKey::random();
  crypto::ChunkCipher cipher{key};
  Bytes pending;  // plaintext of the chunk being filled
  Bytes sealed = Bytes(kSealed);
  std::uint64_t size = 0;
  bool finished = false;
  std::uint64_t position = 0;  // of read()
  // The chunk read back last, so sequential reads decrypt each chunk once.
  Bytes plain = Bytes(kChunk);
  std::uint64_t plain_index = UINT64_MAX;
  std::size_t plain_size = 0;

  ~Impl() {
    crypto::wipe(pending.data(), pending.size());
    crypto::wipe(plain.data(), plain.size());
    if (fd >= 0) ::close(fd);
  }

  Status seal_chunk(std::uint64_t index, bool final) {
    cipher.seal(index, final, pending, sealed.data());
    Status st =
        write_all(fd, index * kSealed, sealed.data(), pending.size() + crypto::kChunkTagSize, dir);
    crypto::wipe(pending.data(), pending.size());
    pending.clear();
    return st;
  }

  Status load_chunk(std::uint64_t index) {
    if (index == plain_index) return Status::ok();
    const std::uint64_t last = size / kChunk;
    const std::size_t length = index == last ? static_cast<std::size_t>(size % kChunk) : kChunk;
    const std::size_t want = length + crypto::kChunkTagSize;
    std::size_t got = 0;
    while (got < want) {
      ssize_t n =
          ::pread(fd, sealed.data() + got, want - got, static_cast<off_t>(index * kSealed + got));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Status(Code::kIoError, "the spooled upload could not be read back");
      got += static_cast<std::size_t>(n);
    }
    if (!cipher.open(index, index == last, {sealed.data(), want}, plain.data())) {
      plain_index = UINT64_MAX;
      return Status(Code::kIntegrity, "the spooled upload was altered on disk");
    }
    plain_index = index;
    plain_size = length;
    return Status::ok();
  }
};

Result<std::shared_ptr<SpooledBody>> SpooledBody::create(const std::string& dir) {
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (impl->fd < 0) return errno_status(errno, "cannot spool an upload in", dir);
  impl->pending.reserve(kChunk);
  return std::shared_ptr<SpooledBody>(new SpooledBody(std::move(impl)));
}

SpooledBody::SpooledBody(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SpooledBody::~SpooledBody() = default;

Status SpooledBody::append(ByteSpan bytes) {
  Impl& s = *impl_;
  if (s.finished) return Status(Code::kFailedPrecondition, "the spool was already finished");
  while (!bytes.empty()) {
    const std::size_t n = std::min(bytes.size(), kChunk - s.pending.size());
    s.pending.insert(s.pending.end(), bytes.begin(), bytes.begin() + static_cast<long>(n));
    bytes = bytes.subspan(n);
    s.size += n;
    if (s.pending.size() == kChunk) EVHUB_RETURN_IF_ERROR(s.seal_chunk(s.size / kChunk - 1, false));
  }
  return Status::ok();
}

Status SpooledBody::finish() {
  Impl& s = *impl_;
  if (s.finished) return Status::ok();
  EVHUB_RETURN_IF_ERROR(s.seal_chunk(s.size / kChunk, true));
  s.finished = true;
  return Status::ok();
}

Result<std::size_t> SpooledBody::read_at(std::uint64_t offset, std::span<std::uint8_t> buffer) {
  Impl& s = *impl_;
  if (!s.finished) return Status(Code::kFailedPrecondition, "the spool is still being written");
  std::size_t done = 0;
  while (done < buffer.size() && offset + done < s.size) {
    const std::uint64_t at = offset + done;
    EVHUB_RETURN_IF_ERROR(s.load_chunk(at / kChunk));
    const std::size_t in_chunk = static_cast<std::size_t>(at % kChunk);
    const std::size_t n = std::min(buffer.size() - done, s.plain_size - in_chunk);
    std::copy_n(s.plain.data() + in_chunk, n, buffer.data() + done);
    done += n;
  }
  return done;
}

Result<std::size_t> SpooledBody::read(std::span<std::uint8_t> buffer) {
  EVHUB_ASSIGN_OR_RETURN(std::size_t n, read_at(impl_->position, buffer));
  impl_->position += n;
  return n;
}

Result<std::uint64_t> SpooledBody::size() {
  return impl_->size;
}

}  // namespace evhub::api
