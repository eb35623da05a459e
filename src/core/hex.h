// Hexadecimal encoding of byte strings, as used for hashes, ids and keys in files humans read.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace evhub {

using Bytes = std::vector<std::uint8_t>;
using ByteSpan = std::span<const std::uint8_t>;

std::string to_hex(ByteSpan bytes);
// Lower- or upper-case hex; nullopt for odd length or a non-hex character.
std::optional<Bytes> from_hex(std::string_view hex);

inline ByteSpan as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace evhub
