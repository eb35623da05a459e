// Runs an external program (apertium, an operator's translation command) with bytes on its
// stdin, collecting stdout and stderr, under a deadline. No shell is involved: arguments are
// passed as they are, so text never becomes a command.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/status.h"

namespace evhub {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string out;
  std::string err;
};

// kNotFound if the program cannot be started, kBusy if it outlives `timeout` (it is killed),
// kNoSpace if it writes more than `max_output` bytes (it is killed). A non-zero exit is a
// value: the caller decides what it means.
Result<ProcessResult> run_process(const std::vector<std::string>& argv, const std::string& input,
                                  std::chrono::milliseconds timeout,
                                  std::size_t max_output = 64u << 20);

}  // namespace evhub
