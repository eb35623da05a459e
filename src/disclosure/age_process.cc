#include "disclosure/age_process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

extern char** environ;

namespace evhub::disclosure {

namespace {

// Owns a file descriptor.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

struct SpawnActions {
  posix_spawn_file_actions_t actions;
  SpawnActions() { posix_spawn_file_actions_init(&actions); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&actions); }
};

// When age exits early (a bad recipient), writing to its pipe must fail with EPIPE instead of
// killing us. Process-wide, as in core/subprocess.cc: evhub never wants SIGPIPE.
void ignore_sigpipe() {
  static const bool ignored = [] {
    std::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)ignored;
}

bool is_bech32_char(char c) {
  return (c >= '0' && c <= '9' && c != '1') ||
         (c >= 'a' && c <= 'z' && c != 'b' && c != 'i' && c != 'o');
}

Status errno_error(const std::string& what) {
  return Status(Code::kIoError, what + ": " + std::strerror(errno));
}

Result<pid_t> spawn(const std::string& program, const std::vector<std::string>& argv,
                    SpawnActions& actions) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc =
      ::posix_spawnp(&pid, program.c_str(), &actions.actions, nullptr, args.data(), environ);
  if (rc == ENOENT) {
    return Status(Code::kNotFound, "the age program (" + program +
                                       ") was not found; install the Debian package \"age\"");
  }
  if (rc != 0) return Status(Code::kIoError, "cannot run " + program + ": " + std::strerror(rc));
  return pid;
}

Result<int> stderr_file() {
  const int fd = ::memfd_create("age-stderr", MFD_CLOEXEC);
  if (fd < 0) return errno_error("creating a memory file for age's messages");
  return fd;
}

}  // namespace

std::optional<std::string> recipient_problem(std::string_view r) {
  if (r.substr(0, 12) == "ssh-ed25519 " || r.substr(0, 8) == "ssh-rsa ") {
    if (r.find_first_of("\r\n") == std::string_view::npos) return std::nullopt;
    return "an SSH public key is one line";
  }
  if (r.size() < 10 || r.substr(0, 4) != "age1" ||
      !std::all_of(r.begin() + 4, r.end(), is_bech32_char)) {
    return "an age recipient looks like age1 followed by lowercase letters and digits "
           "(age-keygen -y prints it)";
  }
  return std::nullopt;
}

AgeProcess::AgeProcess(pid_t pid, int pipe_fd, int err_fd, bool decrypting)
    : pid_(pid), pipe_fd_(pipe_fd), err_fd_(err_fd), decrypting_(decrypting) {}

AgeProcess::~AgeProcess() {
  if (pipe_fd_ >= 0) ::close(pipe_fd_);
  if (err_fd_ >= 0) ::close(err_fd_);
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

Result<std::unique_ptr<AgeProcess>> AgeProcess::encrypt(const std::vector<std::string>& recipients,
                                                        int out_fd, const AgeOptions& options) {
  if (recipients.empty()) return Status(Code::kInvalidArgument, "no age recipient given");
  std::vector<std::string> argv = {options.program};
  for (const auto& r : recipients) {
    if (auto problem = recipient_problem(r)) {
      return Status(Code::kInvalidArgument, "\"" + r + "\" is not an age recipient: " + *problem);
    }
    argv.insert(argv.end(), {"-r", r});
  }
  ignore_sigpipe();
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return errno_error("creating a pipe to age");
  UniqueFd read_end(p[0]), write_end(p[1]);
  EVHUB_ASSIGN_OR_RETURN(int err, stderr_file());
  UniqueFd err_fd(err);
  SpawnActions actions;
  posix_spawn_file_actions_adddup2(&actions.actions, read_end.get(), 0);
  posix_spawn_file_actions_adddup2(&actions.actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions.actions, err_fd.get(), 2);
  EVHUB_ASSIGN_OR_RETURN(pid_t pid, spawn(options.program, argv, actions));
  return std::unique_ptr<AgeProcess>(
      new AgeProcess(pid, write_end.release(), err_fd.release(), false));
}

Result<std::unique_ptr<AgeProcess>> AgeProcess::decrypt(const std::string& identity_file,
                                                        const std::string& input_path,
                                                        const AgeOptions& options) {
  if (identity_file.empty() || ::access(identity_file.c_str(), R_OK) != 0) {
    return Status(Code::kNotFound, "the age identity file " + identity_file + " cannot be read");
  }
  UniqueFd input(::open(input_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (input.get() < 0) return errno_error("opening " + input_path);
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return errno_error("creating a pipe from age");
  UniqueFd read_end(p[0]), write_end(p[1]);
  EVHUB_ASSIGN_OR_RETURN(int err, stderr_file());
  UniqueFd err_fd(err);
  SpawnActions actions;
  posix_spawn_file_actions_adddup2(&actions.actions, input.get(), 0);
  posix_spawn_file_actions_adddup2(&actions.actions, write_end.get(), 1);
  posix_spawn_file_actions_adddup2(&actions.actions, err_fd.get(), 2);
  // "-i -" would make age read identities from its stdin, which here is the package.
  const std::string identity = identity_file.front() == '-' ? "./" + identity_file : identity_file;
  const std::vector<std::string> argv = {options.program, "-d", "-i", identity};
  EVHUB_ASSIGN_OR_RETURN(pid_t pid, spawn(options.program, argv, actions));
  return std::unique_ptr<AgeProcess>(
      new AgeProcess(pid, read_end.release(), err_fd.release(), true));
}

std::string AgeProcess::error_text() const {
  std::string text(4096, '\0');
  const ssize_t n = ::pread(err_fd_, text.data(), text.size(), 0);
  text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  // age prints "age: error: ..." and then lines of advice; the error is what matters.
  const std::size_t at = text.find("error: ");
  if (at != std::string::npos) text = text.substr(at + 7);
  text = text.substr(0, text.find('\n'));
  return text.empty() ? "no message" : text;
}

Status AgeProcess::finish() {
  if (pipe_fd_ >= 0) ::close(pipe_fd_);
  pipe_fd_ = -1;
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::ok();
  const std::string said = "age says: " + error_text();
  if (!decrypting_) {
    const bool refused = said.find("recipient") != std::string::npos;
    return Status(refused ? Code::kInvalidArgument : Code::kIoError,
                  "age could not encrypt; " + said);
  }
  if (said.find("no identity matched") != std::string::npos) {
    return Status(Code::kUnauthenticated,
                  "the package is not encrypted to this age identity; " + said);
  }
  return Status(Code::kIntegrity, "age could not decrypt the package; " + said);
}

}  // namespace evhub::disclosure
