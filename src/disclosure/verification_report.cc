#include "disclosure/verification_report.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"

namespace evhub::disclosure {

void VerificationReport::append(const VerificationReport& other) {
  lines_.insert(lines_.end(), other.lines_.begin(), other.lines_.end());
}

bool VerificationReport::ok() const {
  return std::none_of(lines_.begin(), lines_.end(),
                      [](const ReportLine& l) { return l.verdict == Verdict::kFailed; });
}

std::vector<std::string> VerificationReport::problems() const {
  std::vector<std::string> out;
  for (const auto& l : lines_) {
    if (l.verdict == Verdict::kFailed) out.push_back(l.text);
  }
  return out;
}

std::string VerificationReport::to_text() const {
  std::string out;
  for (const auto& l : lines_) {
    const char* tag = l.verdict == Verdict::kPassed   ? "PASS "
                      : l.verdict == Verdict::kFailed ? "FAIL "
                                                      : "NOTE ";
    out += tag + l.text + "\n";
  }
  return out;
}

std::string printable(std::string_view path) {
  const bool utf8 = is_valid_utf8(path);
  std::string out;
  for (const char c : path) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7f || (!utf8 && b >= 0x80)) {
      out += fmt::format("\\x{:02x}", b);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace evhub::disclosure
