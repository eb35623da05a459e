#include "cli/terminal.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>

#include <fmt/format.h>

#include "core/clock.h"

namespace evhub::cli {

bool stdin_is_terminal() {
  return ::isatty(STDIN_FILENO) == 1;
}
bool stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

namespace {
// Restores the terminal's echo if the user presses Ctrl-C at the prompt, then dies as usual.
int g_tty_fd = -1;
termios g_saved_tty{};
void restore_tty_and_die(int sig) {
  if (g_tty_fd >= 0) ::tcsetattr(g_tty_fd, TCSAFLUSH, &g_saved_tty);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}
}  // namespace

std::optional<std::string> read_secret(const std::string& prompt) {
  int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  termios old{};
  if (::tcgetattr(fd, &old) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  g_tty_fd = fd;
  g_saved_tty = old;
  auto prev_int = std::signal(SIGINT, restore_tty_and_die);
  auto prev_term = std::signal(SIGTERM, restore_tty_and_die);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  ::tcsetattr(fd, TCSAFLUSH, &quiet);
  (void)!::write(fd, prompt.data(), prompt.size());
  // Reserved up front so the passphrase is never copied into a reallocated buffer left unwiped.
  std::string line;
  line.reserve(4096);
  char c;
  while (line.size() < 4095 && ::read(fd, &c, 1) == 1 && c != '\n') line.push_back(c);
  ::tcsetattr(fd, TCSAFLUSH, &old);
  std::signal(SIGINT, prev_int);
  std::signal(SIGTERM, prev_term);
  g_tty_fd = -1;
  (void)!::write(fd, "\n", 1);
  ::close(fd);
  return line;
}

std::string human_bytes(std::uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", v, units[u]);
}

Progress::Progress(bool enabled, std::uint64_t total_files, std::string verb)
    : enabled_(enabled && total_files > 1), verb_(std::move(verb)), total_(total_files) {}

Progress::~Progress() {
  if (enabled_ && last_draw_ms_ != 0) std::fputs("\r\033[K", stderr);
}

void Progress::clear() {
  if (enabled_ && last_draw_ms_ != 0) {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  }
  last_draw_ms_ = 0;
}

void Progress::advance(std::uint64_t bytes) {
  ++done_;
  bytes_ += bytes;
  if (!enabled_) return;
  std::int64_t now = now_millis();
  if (last_draw_ms_ != 0 && now - last_draw_ms_ < 100 && done_ != total_) return;
  last_draw_ms_ = now;
  std::fprintf(stderr, "\r%s %llu of %llu objects (%s)\033[K", verb_.c_str(),
               static_cast<unsigned long long>(done_), static_cast<unsigned long long>(total_),
               human_bytes(bytes_).c_str());
  std::fflush(stderr);
}

}  // namespace evhub::cli
