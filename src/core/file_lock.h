// An advisory lock on a file (flock), held for as long as the FileLock lives. The hub takes it
// exclusively for every change so that concurrent writers queue instead of interleaving.
#pragma once

#include <string>

#include "core/status.h"

namespace evhub {

class FileLock {
 public:
  // Waits up to `wait_ms` for the lock; kBusy if another process still holds it then.
  static Result<FileLock> acquire(const std::string& path, bool exclusive, int wait_ms);
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace evhub
