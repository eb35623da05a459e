#include "core/subprocess.h"

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace evhub {

namespace {

// A pipe whose ends close themselves.
struct Pipe {
  int fd[2] = {-1, -1};
  ~Pipe() {
    for (int f : fd) {
      if (f >= 0) ::close(f);
    }
  }
  void close_end(int i) {
    if (fd[i] >= 0) ::close(fd[i]);
    fd[i] = -1;
  }
};

std::int64_t monotonic_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<ProcessResult> run_process(const std::vector<std::string>& argv, const std::string& input,
                                  std::chrono::milliseconds timeout, std::size_t max_output) {
  if (argv.empty()) return Status(Code::kInvalidArgument, "no program to run");
  // A program that exits before reading all its input must not kill us with SIGPIPE; the write
  // then fails with EPIPE instead. (Process-wide: evhub never wants SIGPIPE.)
  static const bool sigpipe_ignored = [] {
    std::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)sigpipe_ignored;
  Pipe in, out, err;
  if (::pipe2(in.fd, O_CLOEXEC) != 0 || ::pipe2(out.fd, O_CLOEXEC) != 0 ||
      ::pipe2(err.fd, O_CLOEXEC) != 0) {
    return Status(Code::kIoError, std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return Status(Code::kNotFound, "cannot run " + argv[0] + ": " + std::strerror(rc));
  }
  in.close_end(0);
  out.close_end(1);
  err.close_end(1);
  ::fcntl(in.fd[1], F_SETFL, O_NONBLOCK);

  ProcessResult result;
  std::size_t written = 0;
  if (input.empty()) in.close_end(1);
  const std::int64_t deadline = monotonic_ms() + timeout.count();
  Status failure;
  char buf[65536];
  while (out.fd[0] >= 0 || err.fd[0] >= 0) {
    const std::int64_t left = deadline - monotonic_ms();
    if (left <= 0) {
      failure = Status(Code::kBusy, argv[0] + " took longer than " +
                                        std::to_string(timeout.count()) + " ms and was stopped");
      break;
    }
    pollfd fds[3];
    nfds_t n = 0;
    for (int f : {out.fd[0], err.fd[0]}) {
      if (f >= 0) fds[n++] = {f, POLLIN, 0};
    }
    if (in.fd[1] >= 0) fds[n++] = {in.fd[1], POLLOUT, 0};
    if (::poll(fds, n, static_cast<int>(std::min<std::int64_t>(left, 1000))) < 0) {
      if (errno == EINTR) continue;
      failure = Status(Code::kIoError, std::string("poll: ") + std::strerror(errno));
      break;
    }
    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in.fd[1]) {
        const ssize_t w = ::write(in.fd[1], input.data() + written, input.size() - written);
        if (w > 0) written += static_cast<std::size_t>(w);
        if (w < 0 && errno != EAGAIN) written = input.size();  // the reader left (EPIPE)
        if (written == input.size()) in.close_end(1);
        continue;
      }
      const ssize_t r = ::read(fds[i].fd, buf, sizeof buf);
      Pipe& p = fds[i].fd == out.fd[0] ? out : err;
      if (r <= 0) {
        if (r < 0 && errno == EINTR) continue;
        p.close_end(0);
        continue;
      }
      (fds[i].fd == out.fd[0] ? result.out : result.err).append(buf, static_cast<std::size_t>(r));
      if (result.out.size() + result.err.size() > max_output) {
        failure = Status(Code::kNoSpace, argv[0] + " wrote more than the limit and was stopped");
      }
    }
    if (!failure.is_ok()) break;
  }
  if (!failure.is_ok()) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!failure.is_ok()) return failure;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace evhub
