// Test helpers: temporary directories, files of given sizes, running the real evhub binary as
// a child process (with its exit code and output), and a file system that fails on command.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/fs.h"

namespace evhub::testing {

// A fresh directory under $TMPDIR, removed with everything in it when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Writes `size` bytes of deterministic pseudo-random content (seeded) to `path`.
void write_random_file(const std::string& path, std::uint64_t size, std::uint64_t seed);
void write_text_file(const std::string& path, const std::string& text);
std::string read_text(const std::string& path);
// What `sha256sum FILE` prints as the hash.
std::string sha256sum_of(const std::string& path);
// Flips one bit of the byte at `offset` (negative: from the end).
void flip_byte(const std::string& path, std::int64_t offset);
std::uint64_t file_size(const std::string& path);

struct RunResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
  long max_rss_kib = 0;
};

// The evhub binary under test ($EVHUB_BIN, set by CMake).
std::string evhub_binary();
// Runs argv[0] with the rest as arguments; `env` entries are added to the environment, and
// `shell_prefix` (e.g. "ulimit -f 100;") runs the command through bash when not empty.
RunResult run(const std::vector<std::string>& argv,
              const std::map<std::string, std::string>& env = {},
              const std::string& shell_prefix = "");
// Runs evhub with --hub HUB --key-file KEYFILE in front of `args`.
RunResult evhub(const std::string& hub, const std::string& key_file,
                const std::vector<std::string>& args);

// A child process started in the background, for crash and concurrency tests.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});
  ~Child();
  void kill_now();  // SIGKILL
  void send_signal(int sig);
  // The next line the child prints on stdout (without the newline); empty after `timeout_ms`
  // or at end of output. Lines read here are not part of wait()'s output.
  std::string read_line(int timeout_ms);
  RunResult wait();  // collects exit code and output
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  bool waited_ = false;
  std::string pending_;      // stdout read by read_line beyond the line it returned
  std::string spawn_error_;  // set when the program could not be started
};

// Wraps the real file system and fails the N-th mutating call (write, sync, rename, create,
// remove, mkdir, truncate) with the given errno, so tests can fail a write anywhere.
class FaultyFileSystem final : public FileSystem {
 public:
  explicit FaultyFileSystem(FileSystem& real) : real_(real) {}
  void fail_at(int nth, int err) {
    fail_at_ = nth;
    errno_ = err;
    calls_ = 0;
  }
  // Called on every mutating operation before it happens (e.g. to race another process).
  void on_operation(std::function<void(const std::string& what)> hook) { hook_ = std::move(hook); }
  int calls() const { return calls_; }
  bool failed() const { return failed_; }

  Result<std::unique_ptr<WritableFile>> create_new(const std::string& path) override;
  Result<std::unique_ptr<WritableFile>> create_unnamed(const std::string& dir) override;
  Result<std::unique_ptr<WritableFile>> open_append(const std::string& path) override;
  Result<std::unique_ptr<WritableFile>> open_overwrite(const std::string& path) override;
  Result<std::unique_ptr<ReadableFile>> open_read(const std::string& path) override {
    return real_.open_read(path);
  }
  Status rename(const std::string& from, const std::string& to) override;
  Status sync_dir(const std::string& dir) override;
  Status remove(const std::string& path) override;
  Status truncate(const std::string& path, std::uint64_t size) override;
  Status make_dir(const std::string& path) override;
  Status restrict_to_owner(const std::string& path) override;
  bool exists(const std::string& path) override { return real_.exists(path); }
  Result<std::vector<std::string>> list_dir(const std::string& dir) override {
    return real_.list_dir(dir);
  }

  // Called before every mutating operation; returns the injected failure when due.
  Status tick(const std::string& what, const std::string& path);

 private:
  FileSystem& real_;
  int fail_at_ = -1;
  int errno_ = 0;
  int calls_ = 0;
  bool failed_ = false;
  std::function<void(const std::string&)> hook_;
};

}  // namespace evhub::testing
