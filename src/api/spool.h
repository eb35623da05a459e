// Where a large request body waits between the socket and the vault: an unnamed file (it has
// no name at any moment, so a crash leaves nothing behind) encrypted under a key that lives
// only in this process's memory, so not one byte of an upload is on disk in plaintext.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/fs.h"
#include "core/status.h"

namespace evhub::api {

class SpooledBody : public ReadableFile {
 public:
  // An empty spool in `dir` (a directory on the hub's disk). kIoError / kNoSpace if the file
  // cannot be made.
  static Result<std::shared_ptr<SpooledBody>> create(const std::string& dir);
  ~SpooledBody() override;
  SpooledBody(const SpooledBody&) = delete;
  SpooledBody& operator=(const SpooledBody&) = delete;

  // While writing: appends bytes (kNoSpace when the disk is full).
  Status append(ByteSpan bytes);
  // Ends writing; reading is allowed only after this.
  Status finish();

  // ReadableFile: the plaintext, authenticated chunk by chunk as it is read back.
  Result<std::size_t> read(std::span<std::uint8_t> buffer) override;
  Result<std::size_t> read_at(std::uint64_t offset, std::span<std::uint8_t> buffer) override;
  Result<std::uint64_t> size() override;

 private:
  struct Impl;
  explicit SpooledBody(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace evhub::api
