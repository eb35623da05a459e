#include "disclosure/checksums.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <vector>

#include "core/fs.h"

namespace evhub::disclosure {

namespace {

struct MdContextDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdContext = std::unique_ptr<EVP_MD_CTX, MdContextDeleter>;

MdContext new_context(const EVP_MD* md) {
  MdContext ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) {
    throw std::runtime_error("OpenSSL could not start a digest");
  }
  return ctx;
}

std::string final_hex(EVP_MD_CTX* ctx) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx, out, &len) != 1) {
    throw std::runtime_error("OpenSSL could not finish a digest");
  }
  return to_hex({out, len});
}

// A file descriptor that closes itself.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

struct DualHasher::Impl {
  MdContext sha256 = new_context(EVP_sha256());
  MdContext sha512 = new_context(EVP_sha512());
  std::uint64_t size = 0;
};

DualHasher::DualHasher() : impl_(std::make_unique<Impl>()) {}
DualHasher::~DualHasher() = default;

void DualHasher::update(ByteSpan data) {
  if (EVP_DigestUpdate(impl_->sha256.get(), data.data(), data.size()) != 1 ||
      EVP_DigestUpdate(impl_->sha512.get(), data.data(), data.size()) != 1) {
    throw std::runtime_error("OpenSSL could not update a digest");
  }
  impl_->size += data.size();
}

Checksums DualHasher::finish() {
  Checksums out;
  out.sha256 = final_hex(impl_->sha256.get());
  out.sha512 = final_hex(impl_->sha512.get());
  out.size = impl_->size;
  return out;
}

Result<Checksums> checksum_file(const std::string& path) {
  Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
  if (file.fd < 0) return errno_status(errno, "opening", path);
  DualHasher hasher;
  std::vector<std::uint8_t> buffer(kReadChunk);
  for (;;) {
    const ssize_t n = ::read(file.fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_status(errno, "reading", path);
    if (n == 0) break;
    hasher.update({buffer.data(), static_cast<std::size_t>(n)});
  }
  return hasher.finish();
}

}  // namespace evhub::disclosure
