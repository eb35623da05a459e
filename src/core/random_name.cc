#include "core/random_name.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <stdexcept>

#include "core/hex.h"

namespace evhub {

std::string random_name() {
  std::uint8_t buf[16];
  std::size_t got = 0;
  while (got < sizeof buf) {
    ssize_t n = ::getrandom(buf + got, sizeof buf - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("the kernel's random number generator failed");
    }
    got += static_cast<std::size_t>(n);
  }
  return to_hex(buf);
}

}  // namespace evhub
