#include "support/support.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace evhub::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/evhub-test-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void write_random_file(const std::string& path, std::uint64_t size, std::uint64_t seed) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::mt19937_64 rng(seed);
  std::vector<std::uint64_t> block(8192);
  while (size > 0) {
    for (auto& w : block) w = rng();
    std::uint64_t n = std::min<std::uint64_t>(size, block.size() * 8);
    out.write(reinterpret_cast<const char*>(block.data()), static_cast<std::streamsize>(n));
    size -= n;
  }
  if (!out) throw std::runtime_error("could not write " + path);
}

void write_text_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string sha256sum_of(const std::string& path) {
  RunResult r = run({"sha256sum", path});
  if (r.exit_code != 0) throw std::runtime_error("sha256sum failed: " + r.err);
  return r.out.substr(0, 64);
}

void flip_byte(const std::string& path, std::int64_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  if (offset < 0) {
    f.seekg(0, std::ios::end);
    offset += static_cast<std::int64_t>(f.tellg());
  }
  f.seekg(offset);
  char c = 0;
  f.get(c);
  c = static_cast<char>(c ^ 0x01);
  f.seekp(offset);
  f.put(c);
  if (!f) throw std::runtime_error("could not flip a byte of " + path);
}

std::uint64_t file_size(const std::string& path) {
  return std::filesystem::file_size(path);
}

std::string evhub_binary() {
  const char* bin = std::getenv("EVHUB_BIN");
  if (bin == nullptr || *bin == '\0') throw std::runtime_error("EVHUB_BIN is not set");
  return bin;
}

namespace {

// No test waits this long for a child on purpose: past it the child is killed and the test
// fails with a message, instead of hanging the whole run until CI gives up.
constexpr auto kChildDeadline = std::chrono::minutes(10);

// Reads both pipes to the end without letting either fill up and block the child. Gives up at
// `deadline` (returning false) so a child that never ends cannot hang the test.
bool drain(int out_fd, int err_fd, std::string& out, std::string& err,
           std::chrono::steady_clock::time_point deadline) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open_count = 2;
  char buf[65536];
  while (open_count > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) return false;
    int ready = ::poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? out : err).append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  return true;
}

// The environment of a child: ours, with `overrides` set, and without proxy settings (the
// tests talk to servers on loopback, never through a proxy).
std::vector<std::string> child_environment(const std::map<std::string, std::string>& overrides) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq != std::string::npos) vars[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const char* proxy :
       {"http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"}) {
    vars.erase(proxy);
  }
  for (const auto& [k, v] : overrides) vars[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : vars) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> pointers_to(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

// posix_spawn, not fork: the tests run servers on other threads, and a forked child of a
// multithreaded process that allocates before exec can deadlock on a lock another thread held
// (the sanitizer's allocator has no fork handler). Everything the child needs is built here.
Child::Child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  std::vector<std::string> args = argv;
  std::vector<std::string> vars = child_environment(env);
  std::vector<char*> arg_ptrs = pointers_to(args), var_ptrs = pointers_to(vars);
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  ::posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  int rc = ::posix_spawnp(&pid_, arg_ptrs[0], &actions, nullptr, arg_ptrs.data(), var_ptrs.data());
  ::posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  ::close(err[1]);
  out_fd_ = out[0];
  err_fd_ = err[0];
  if (rc != 0) {
    // Like a shell: the command was not found or could not be run.
    ::close(out_fd_);
    ::close(err_fd_);
    waited_ = true;
    spawn_error_ = "exec " + argv[0] + " failed: " + std::strerror(rc);
  }
}

Child::~Child() {
  if (!waited_) {
    kill_now();
    (void)wait();
  }
}

void Child::send_signal(int sig) {
  if (pid_ > 0 && !waited_) ::kill(pid_, sig);
}

std::string Child::read_line(int timeout_ms) {
  if (waited_) return "";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto nl = pending_.find('\n');
    if (nl != std::string::npos) {
      std::string line = pending_.substr(0, nl);
      pending_.erase(0, nl + 1);
      return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) return "";
    pollfd p{out_fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    char buf[4096];
    ssize_t n = ::read(out_fd_, buf, sizeof buf);
    if (n <= 0) return "";
    pending_.append(buf, static_cast<std::size_t>(n));
  }
}

void Child::kill_now() {
  if (pid_ > 0 && !waited_) ::kill(pid_, SIGKILL);
}

RunResult Child::wait() {
  RunResult r;
  if (!spawn_error_.empty()) {
    r.exit_code = 127;
    r.err = spawn_error_;
    return r;
  }
  if (waited_) return r;
  bool ended =
      drain(out_fd_, err_fd_, r.out, r.err, std::chrono::steady_clock::now() + kChildDeadline);
  if (!ended) {
    ::kill(pid_, SIGKILL);
    r.err += "\n[test support: the child did not finish within 10 minutes and was killed]";
  }
  r.out = pending_ + r.out;
  ::close(out_fd_);
  ::close(err_fd_);
  int status = 0;
  rusage usage{};
  ::wait4(pid_, &status, 0, &usage);
  waited_ = true;
  r.max_rss_kib = usage.ru_maxrss;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.exit_code = 128 + WTERMSIG(status);
  return r;
}

RunResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
              const std::string& shell_prefix) {
  if (shell_prefix.empty()) return Child(argv, env).wait();
  std::string cmd = shell_prefix + " exec";
  for (const auto& a : argv) {
    std::string q = "'";
    for (char c : a) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    cmd += " " + q + "'";
  }
  return Child({"bash", "-c", cmd}, env).wait();
}

RunResult evhub(const std::string& hub, const std::string& key_file,
                const std::vector<std::string>& args) {
  std::vector<std::string> argv = {evhub_binary(), "--hub", hub, "--key-file", key_file};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, {{"EVHUB_ACTOR", "test-runner"}});
}

Status FaultyFileSystem::tick(const std::string& what, const std::string& path) {
  if (hook_) hook_(what);
  ++calls_;
  if (calls_ == fail_at_) {
    failed_ = true;
    return errno_status(errno_, what, path);
  }
  return Status::ok();
}

namespace {
class FaultyWritable final : public WritableFile {
 public:
  FaultyWritable(FaultyFileSystem& fs, std::unique_ptr<WritableFile> real, std::string path)
      : fs_(fs), real_(std::move(real)), path_(std::move(path)) {}
  Status append(ByteSpan data) override {
    EVHUB_RETURN_IF_ERROR(fs_.tick("writing", path_));
    return real_->append(data);
  }
  Status sync() override {
    EVHUB_RETURN_IF_ERROR(fs_.tick("syncing", path_));
    return real_->sync();
  }
  Status close() override { return real_->close(); }
  Status link_as(const std::string& path, bool replace) override {
    EVHUB_RETURN_IF_ERROR(fs_.tick("naming", path));
    return real_->link_as(path, replace);
  }

 private:
  FaultyFileSystem& fs_;
  std::unique_ptr<WritableFile> real_;
  std::string path_;
};

Result<std::unique_ptr<WritableFile>> wrap(FaultyFileSystem& fs,
                                           Result<std::unique_ptr<WritableFile>> real,
                                           const std::string& path) {
  if (!real.is_ok()) return real.status();
  return std::unique_ptr<WritableFile>(new FaultyWritable(fs, std::move(real).value(), path));
}
}  // namespace

Result<std::unique_ptr<WritableFile>> FaultyFileSystem::create_new(const std::string& path) {
  EVHUB_RETURN_IF_ERROR(tick("creating", path));
  return wrap(*this, real_.create_new(path), path);
}
Result<std::unique_ptr<WritableFile>> FaultyFileSystem::create_unnamed(const std::string& dir) {
  EVHUB_RETURN_IF_ERROR(tick("creating a file in", dir));
  return wrap(*this, real_.create_unnamed(dir), dir);
}
Result<std::unique_ptr<WritableFile>> FaultyFileSystem::open_append(const std::string& path) {
  EVHUB_RETURN_IF_ERROR(tick("opening", path));
  return wrap(*this, real_.open_append(path), path);
}
Result<std::unique_ptr<WritableFile>> FaultyFileSystem::open_overwrite(const std::string& path) {
  EVHUB_RETURN_IF_ERROR(tick("opening", path));
  return wrap(*this, real_.open_overwrite(path), path);
}
Status FaultyFileSystem::rename(const std::string& from, const std::string& to) {
  EVHUB_RETURN_IF_ERROR(tick("renaming", from));
  return real_.rename(from, to);
}
Status FaultyFileSystem::sync_dir(const std::string& dir) {
  EVHUB_RETURN_IF_ERROR(tick("syncing directory", dir));
  return real_.sync_dir(dir);
}
Status FaultyFileSystem::remove(const std::string& path) {
  EVHUB_RETURN_IF_ERROR(tick("removing", path));
  return real_.remove(path);
}
Status FaultyFileSystem::truncate(const std::string& path, std::uint64_t size) {
  EVHUB_RETURN_IF_ERROR(tick("truncating", path));
  return real_.truncate(path, size);
}
Status FaultyFileSystem::restrict_to_owner(const std::string& path) {
  EVHUB_RETURN_IF_ERROR(tick("restricting access to", path));
  return real_.restrict_to_owner(path);
}
Status FaultyFileSystem::make_dir(const std::string& path) {
  EVHUB_RETURN_IF_ERROR(tick("creating directory", path));
  return real_.make_dir(path);
}

}  // namespace evhub::testing
