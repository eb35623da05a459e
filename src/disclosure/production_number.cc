#include "disclosure/production_number.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace evhub::disclosure {

namespace {

bool valid_prefix(std::string_view p) {
  return p.size() >= 2 && p.size() <= 8 &&
         std::all_of(p.begin(), p.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// Exactly `digits` ASCII digits, as a number.
std::optional<int> fixed_number(std::string_view text, std::size_t digits) {
  if (text.size() != digits) return std::nullopt;
  int n = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

}  // namespace

bool valid(const ProductionNumber& n) {
  return valid_prefix(n.prefix) && n.year >= 1000 && n.year <= 9999 && n.package >= 1 &&
         n.package <= 9999 && n.item >= 1 && n.item <= 999999;
}

std::string to_string(const ProductionNumber& n) {
  return fmt::format("{}-{:04}-{:04}-{:06}", n.prefix, n.year, n.package, n.item);
}

std::optional<ProductionNumber> parse_production_number(std::string_view text) {
  // From the right: the prefix is the only part whose length varies.
  if (text.size() < 2 + 1 + 4 + 1 + 4 + 1 + 6) return std::nullopt;
  const std::size_t item_at = text.size() - 6, package_at = item_at - 5, year_at = package_at - 5;
  if (text[item_at - 1] != '-' || text[package_at - 1] != '-' || text[year_at - 1] != '-') {
    return std::nullopt;
  }
  ProductionNumber n;
  n.prefix = std::string(text.substr(0, year_at - 1));
  const auto year = fixed_number(text.substr(year_at, 4), 4);
  const auto package = fixed_number(text.substr(package_at, 4), 4);
  const auto item = fixed_number(text.substr(item_at, 6), 6);
  if (!year || !package || !item) return std::nullopt;
  n.year = *year;
  n.package = *package;
  n.item = *item;
  if (!valid(n)) return std::nullopt;
  return n;
}

}  // namespace evhub::disclosure
