// The file-system interface every layer writes through, so that tests can make any write fail
// (disk full, I/O error) at any point and check that nothing is lost. local_fs() is the real one.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/hex.h"
#include "core/status.h"

namespace evhub {

class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status append(ByteSpan data) = 0;
  // Makes everything appended so far durable (fsync).
  virtual Status sync() = 0;
  virtual Status close() = 0;
  // Hint: start writing back what was appended so far, so the final sync() waits less.
  virtual void start_writeback() {}
  // For a file made by create_unnamed(): gives it the name `path`. Without `replace`, fails
  // with kAlreadyExists if `path` exists; with it, atomically replaces what is there.
  virtual Status link_as(const std::string& path, bool replace) = 0;
};

class ReadableFile {
 public:
  virtual ~ReadableFile() = default;
  // Fills as much of `buffer` as the file has left; 0 means end of file.
  virtual Result<std::size_t> read(std::span<std::uint8_t> buffer) = 0;
  // Reads at `offset` without moving the sequential position (pread); short only at the end.
  virtual Result<std::size_t> read_at(std::uint64_t offset, std::span<std::uint8_t> buffer) = 0;
  virtual Result<std::uint64_t> size() = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Creates a file that must not exist yet (O_EXCL), readable by the owner only.
  virtual Result<std::unique_ptr<WritableFile>> create_new(const std::string& path) = 0;
  // A file in `dir` that has no name until link_as(): if the process dies first, nothing is
  // left behind (O_TMPFILE; where unsupported, a hidden temp file removed on destruction).
  virtual Result<std::unique_ptr<WritableFile>> create_unnamed(const std::string& dir) = 0;
  // Opens for appending, creating the file if it is missing.
  virtual Result<std::unique_ptr<WritableFile>> open_append(const std::string& path) = 0;
  // Opens an existing file for writing from its first byte, keeping its blocks (no truncation).
  virtual Result<std::unique_ptr<WritableFile>> open_overwrite(const std::string& path) = 0;
  virtual Result<std::unique_ptr<ReadableFile>> open_read(const std::string& path) = 0;
  virtual Status rename(const std::string& from, const std::string& to) = 0;
  // fsync of a directory, so that a rename or a new entry in it survives a crash.
  virtual Status sync_dir(const std::string& dir) = 0;
  virtual Status remove(const std::string& path) = 0;
  virtual Status truncate(const std::string& path, std::uint64_t size) = 0;
  // Creates the directory (mode 0700) and makes its entry durable; succeeds if it exists.
  virtual Status make_dir(const std::string& path) = 0;
  // Makes an existing file or directory readable and writable by its owner only.
  virtual Status restrict_to_owner(const std::string& path) = 0;
  virtual bool exists(const std::string& path) = 0;
  // Names of the entries, without "." and "..", in no particular order.
  virtual Result<std::vector<std::string>> list_dir(const std::string& dir) = 0;
};

FileSystem& local_fs();

// Bytes in memory read as a file (e.g. an uploaded body); the file shares ownership of them.
std::unique_ptr<ReadableFile> memory_file(std::shared_ptr<const std::string> data);

// Maps an errno to a Status naming the operation and the path: ENOSPC/EDQUOT/EFBIG become
// kNoSpace, ENOENT kNotFound, everything else kIoError.
Status errno_status(int err, const std::string& what, const std::string& path);

Result<Bytes> read_file(FileSystem& fs, const std::string& path);
Result<std::string> read_text_file(FileSystem& fs, const std::string& path);
// Writes a whole file so that a crash leaves either the old content or the new, never a mix:
// temp file in the same directory, fsync, rename over the target, fsync the directory.
Status write_file_atomic(FileSystem& fs, const std::string& path, ByteSpan data);
std::string parent_dir(const std::string& path);
std::string join_path(const std::string& a, const std::string& b);

}  // namespace evhub
