// Wall-clock time in the one textual form the hub writes everywhere: RFC 3339, UTC, milliseconds.
#pragma once

#include <cstdint>
#include <string>

namespace evhub {

// Milliseconds since the Unix epoch.
std::int64_t now_millis();
// 2026-11-21T23:30:13.123Z
std::string format_rfc3339(std::int64_t millis);
std::string now_rfc3339();

}  // namespace evhub
