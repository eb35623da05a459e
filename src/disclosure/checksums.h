// SHA-256 and SHA-512 of one stream computed in the same pass (OpenSSL EVP), as a bag's two
// manifests need them: a payload of gigabytes is read once, in chunks, in constant memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/hex.h"
#include "core/status.h"

namespace evhub::disclosure {

// Lowercase hex, as sha256sum and sha512sum print them.
struct Checksums {
  std::string sha256;
  std::string sha512;
  std::uint64_t size = 0;  // bytes hashed
};

class DualHasher {
 public:
  DualHasher();
  ~DualHasher();
  DualHasher(const DualHasher&) = delete;
  DualHasher& operator=(const DualHasher&) = delete;
  void update(ByteSpan data);
  Checksums finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads the regular file at `path` (never through a symbolic link) and hashes it.
Result<Checksums> checksum_file(const std::string& path);

// The chunk in which payloads and files are read.
inline constexpr std::size_t kReadChunk = 1u << 20;

}  // namespace evhub::disclosure
