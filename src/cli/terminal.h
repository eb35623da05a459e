// Talking to a person at a terminal: reading a passphrase without echo, and a progress line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace evhub::cli {

bool stdin_is_terminal();
bool stderr_is_terminal();
// Prompts on /dev/tty with echo off; nullopt if there is no terminal.
std::optional<std::string> read_secret(const std::string& prompt);

// "\rstored 120 of 20000 files (1.2 GiB)" on stderr, redrawn at most ten times a second.
class Progress {
 public:
  Progress(bool enabled, std::uint64_t total_files, std::string verb = "stored");
  ~Progress();
  void advance(std::uint64_t bytes);
  // Erases the progress line so that a result line can be printed; the next advance redraws.
  void clear();

 private:
  bool enabled_;
  std::string verb_;
  std::uint64_t total_;
  std::uint64_t done_ = 0;
  std::uint64_t bytes_ = 0;
  std::int64_t last_draw_ms_ = 0;
};

std::string human_bytes(std::uint64_t bytes);

}  // namespace evhub::cli
