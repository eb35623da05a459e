// Production numbers: every file delivered in a disclosure package carries one, so that a
// prosecutor can cite it ("EVH-2026-0007-000123": the hub's prefix, the year and number of the
// package, the file's place in it) and the disclosure log can say which file went where.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace evhub::disclosure {

struct ProductionNumber {
  std::string prefix = "EVH";  // the hub's; 2 to 8 capital Latin letters
  int year = 0;                // the package's year, 4 digits
  int package = 0;             // 1 to 9,999 within the year
  int item = 0;                // 1 to 999,999 within the package

  bool operator==(const ProductionNumber&) const = default;
};

// "EVH-2026-0007-000123". Fields out of range are a bug of the caller (checked by valid()).
std::string to_string(const ProductionNumber& number);
// The number written by to_string, or nullopt if `text` is not one (wrong shape, zero parts).
std::optional<ProductionNumber> parse_production_number(std::string_view text);
// Whether every field is within its range.
bool valid(const ProductionNumber& number);

}  // namespace evhub::disclosure
