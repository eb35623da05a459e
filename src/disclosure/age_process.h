// The stock `age` program (Debian package age) run as a streaming filter, so that packages are
// encrypted and decrypted by the very tool a recipient uses, not by a reimplementation of its
// format. No shell: arguments go to age as they are. age's own error message is kept and
// returned when it fails (a malformed recipient, an identity that does not match).
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace evhub::disclosure {

struct AgeOptions {
  std::string program = "age";  // looked up in PATH unless it holds a '/'
};

// Why `recipient` is not an age recipient ("age1" and lowercase bech32 letters, or an
// "ssh-ed25519 ..." / "ssh-rsa ..." public key line), or nullopt. age checks the rest.
std::optional<std::string> recipient_problem(std::string_view recipient);

// One running age process with a pipe between it and us.
class AgeProcess {
 public:
  // `age -r R...`: plaintext written to pipe_fd() comes out encrypted into `out_fd`.
  static Result<std::unique_ptr<AgeProcess>> encrypt(const std::vector<std::string>& recipients,
                                                     int out_fd, const AgeOptions& options = {});
  // `age -d -i IDENTITY_FILE` on the file `input_path`: the plaintext is read from pipe_fd().
  static Result<std::unique_ptr<AgeProcess>> decrypt(const std::string& identity_file,
                                                     const std::string& input_path,
                                                     const AgeOptions& options = {});
  ~AgeProcess();  // a process not finished is killed
  AgeProcess(const AgeProcess&) = delete;
  AgeProcess& operator=(const AgeProcess&) = delete;

  int pipe_fd() const { return pipe_fd_; }
  // Closes our end of the pipe and waits for age: ok if it succeeded, else its message
  // (kUnauthenticated when no identity matched, kInvalidArgument for a refused recipient,
  // kIntegrity when the encrypted file is damaged, kIoError for the rest, e.g. a full disk).
  Status finish();

 private:
  AgeProcess(pid_t pid, int pipe_fd, int err_fd, bool decrypting);
  std::string error_text() const;

  pid_t pid_ = -1;
  int pipe_fd_ = -1;
  int err_fd_ = -1;  // a memory file holding age's stderr
  bool decrypting_ = false;
};

}  // namespace evhub::disclosure
