// Inside the coding framework: the one check of a framework's parts that edits, JSON import and
// CSV import share. Each problem names the code by its position and the field by its JSON path
// within the code, so that each caller can say where it is in its own terms (a code id, a JSON
// path, a CSV line and column).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "coding/framework.h"

namespace evhub::coding::internal {

using History = std::map<std::string, std::vector<FrameworkCode>, std::less<>>;

inline constexpr std::size_t kNoCode = static_cast<std::size_t>(-1);
// Problems listed in one Status message; the rest are counted.
inline constexpr std::size_t kMaxReported = 20;

struct Problem {
  std::size_t code = kNoCode;  // index into the codes checked; kNoCode: the framework as a whole
  std::string field;           // "parent", "labels.en", "history[0].labels.en"; "version"
  std::string message;         // reads after "<field>: "
};

// What is wrong with one label or definition, "" if nothing.
std::string text_problem(std::string_view text, std::size_t max_bytes, bool line_breaks);
// Why `code` cannot be a new code where it is (its id must extend its parent's), "" if it can.
std::string new_id_problem(const FrameworkCode& code);
// kInvalidArgument with the first kMaxReported messages and how many more there were (`more`:
// problems found but not kept).
Status invalid(const std::vector<std::string>& messages, std::size_t more = 0);
// "a, b, c and 4 more"
std::string some_ids(const std::vector<std::string>& ids);

struct FrameworkParts {
  // Every invariant of framework.h, on codes in any order.
  static std::vector<Problem> check(int version, const std::vector<FrameworkCode>& codes,
                                    const History& history);
  // A framework of parts that check() found nothing wrong with.
  static Framework make(int version, std::vector<FrameworkCode> codes, History history);
  static const History& history(const Framework& framework) { return framework.history_; }
};

}  // namespace evhub::coding::internal
