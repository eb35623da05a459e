// What a verification found, line by line, in words a recipient understands: each line says
// what passed, what failed and why, or notes something the reader should know. A package or
// a bag is good only when no line failed; verifiers never stop at the first problem.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace evhub::disclosure {

enum class Verdict { kPassed, kFailed, kNote };

struct ReportLine {
  Verdict verdict = Verdict::kNote;
  std::string text;
};

class VerificationReport {
 public:
  void pass(std::string text) { lines_.push_back({Verdict::kPassed, std::move(text)}); }
  void fail(std::string text) { lines_.push_back({Verdict::kFailed, std::move(text)}); }
  void note(std::string text) { lines_.push_back({Verdict::kNote, std::move(text)}); }
  void append(const VerificationReport& other);

  bool ok() const;
  const std::vector<ReportLine>& lines() const { return lines_; }
  // The texts of the failed lines, in order.
  std::vector<std::string> problems() const;
  // One line each, "PASS ", "FAIL " or "NOTE " in front; for a terminal or a log file.
  std::string to_text() const;

 private:
  std::vector<ReportLine> lines_;
};

// A path from a bag or an archive as it may be shown to a person: control characters (a
// terminal escape in a hostile file name) become \xNN, invalid UTF-8 bytes too.
std::string printable(std::string_view path);

}  // namespace evhub::disclosure
