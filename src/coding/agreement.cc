#include "coding/agreement.h"

#include <fmt/format.h>
#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <tuple>

#include "core/text.h"

namespace evhub::coding {
namespace {

Status invalid(std::string message) {
  return Status(Code::kInvalidArgument, std::move(message));
}

// The coincidence matrix of Krippendorff's alpha, built unit by unit so that the per-code and
// the overall alpha come out of one pass over the units without a matrix of values per code.
class Coincidences {
 public:
  // The values one unit got from the coders who coded it; fewer than two are not pairable.
  void add_unit(const std::vector<int>& values);
  std::size_t pairable_values() const { return n_; }
  Alpha alpha() const;

 private:
  std::map<std::pair<int, int>, double> o_;
  std::map<int, std::uint64_t> n_c_;  // the matrix's marginals: integers, as each value is one
  std::uint64_t n_ = 0;
};

void Coincidences::add_unit(const std::vector<int>& values) {
  if (values.size() < 2) return;
  std::map<int, std::uint64_t> counts;
  for (int v : values) ++counts[v];
  const double m_minus_1 = static_cast<double>(values.size() - 1);
  for (const auto& [c, n_uc] : counts) {
    n_c_[c] += n_uc;
    for (const auto& [k, n_uk] : counts) {
      // Ordered pairs of values from different coders: a value is never paired with itself.
      const std::uint64_t pairs = c == k ? n_uc * (n_uc - 1) : n_uc * n_uk;
      if (pairs > 0) o_[{c, k}] += static_cast<double>(pairs) / m_minus_1;
    }
  }
  n_ += values.size();
}

Alpha Coincidences::alpha() const {
  Alpha a;
  a.pairable_values = n_;
  a.coincidences = o_;
  if (n_ < 2) {
    a.undefined_reason = "fewer than two pairable values: no unit has values from two coders";
    return a;
  }
  double disagreeing = 0;  // Σ_{c≠k} o(c,k)
  for (const auto& [ck, o] : o_) {
    if (ck.first != ck.second) disagreeing += o;
  }
  // Σ_{c≠k} n_c·n_k = n² - Σ n_c², in integers so that "no variation" is found exactly.
  std::uint64_t sum_of_squares = 0;
  for (const auto& [c, n_c] : n_c_) sum_of_squares += n_c * n_c;
  const std::uint64_t expected_pairs = n_ * n_ - sum_of_squares;
  const auto n = static_cast<double>(n_);
  a.observed_disagreement = disagreeing / n;
  a.expected_disagreement = static_cast<double>(expected_pairs) / (n * (n - 1));
  if (expected_pairs == 0) {
    a.undefined_reason = fmt::format(
        "every pairable value is {}: with no variation, agreement cannot be told from chance",
        n_c_.begin()->first);
    return a;
  }
  a.value = 1.0 - (n - 1) * disagreeing / static_cast<double>(expected_pairs);
  return a;
}

using Span = std::pair<std::size_t, std::size_t>;

// Sorted, with overlapping and touching spans joined: the code points a coder coded.
std::vector<Span> merged(std::vector<Span> spans) {
  std::sort(spans.begin(), spans.end());
  std::vector<Span> out;
  for (const Span& s : spans) {
    if (!out.empty() && s.first <= out.back().second) {
      out.back().second = std::max(out.back().second, s.second);
    } else {
      out.push_back(s);
    }
  }
  return out;
}

std::size_t covered(const std::vector<Span>& spans) {
  std::size_t n = 0;
  for (const Span& s : spans) n += s.second - s.first;
  return n;
}

// Both lists merged (sorted, disjoint).
std::size_t intersection(const std::vector<Span>& a, const std::vector<Span>& b) {
  std::size_t n = 0;
  for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    const std::size_t lo = std::max(a[i].first, b[j].first);
    const std::size_t hi = std::min(a[i].second, b[j].second);
    if (lo < hi) n += hi - lo;
    if (a[i].second < b[j].second) {
      ++i;
    } else {
      ++j;
    }
  }
  return n;
}

Status check_units(const std::vector<Unit>& sorted_units, const CodersPerText& coders_per_text) {
  for (std::size_t i = 0; i < sorted_units.size(); ++i) {
    const Unit& u = sorted_units[i];
    if (u.begin >= u.end) {
      return invalid(fmt::format(
          "unit {} of text '{}' is empty or reversed ([{}, {})): a unit needs a code point",
          u.index, u.text_id, u.begin, u.end));
    }
    if (!coders_per_text.contains(u.text_id)) {
      return invalid(fmt::format(
          "unit {} lies in text '{}', which the coders per text do not list: list the coders "
          "who worked on it (an empty list if none did)",
          u.index, u.text_id));
    }
    if (i > 0 && sorted_units[i - 1].text_id == u.text_id && sorted_units[i - 1].index == u.index) {
      return invalid(fmt::format("text '{}' has unit {} twice: unit numbers are unique per text",
                                 u.text_id, u.index));
    }
  }
  return Status::ok();
}

Status check_codings(const std::vector<Coding>& codings, const CodersPerText& coders_per_text) {
  for (const Coding& c : codings) {
    if (c.begin >= c.end) {
      return invalid(
          fmt::format("'{}' coded '{}' on text '{}' over an empty or reversed span "
                      "([{}, {})): a span needs a code point",
                      c.coder, c.code, c.text_id, c.begin, c.end));
    }
    const auto it = coders_per_text.find(c.text_id);
    if (it == coders_per_text.end()) {
      return invalid(fmt::format(
          "'{}' coded text '{}', which the coders per text do not list: list the text with the "
          "coders who worked on it",
          c.coder, c.text_id));
    }
    if (!it->second.contains(c.coder)) {
      return invalid(fmt::format(
          "'{}' has codings on text '{}' but is not listed among the coders who worked on it: "
          "add them to its coders, or leave their codings out",
          c.coder, c.text_id));
    }
  }
  return Status::ok();
}

// The units and coders of one computation, numbered: rows are units in (text, index) order,
// columns are coders in name order.
struct Layout {
  std::vector<std::string> coders;
  std::vector<Unit> rows;
  std::map<std::string, std::vector<std::size_t>> rows_of_text;
  std::map<std::string, std::vector<std::size_t>> columns_of_text;  // ascending
  std::size_t pairable_rows = 0;

  const std::vector<std::size_t>& columns(std::size_t row) const {
    return columns_of_text.at(rows[row].text_id);
  }
};

Layout make_layout(std::vector<Unit> sorted_units, const CodersPerText& coders_per_text) {
  Layout l;
  std::set<std::string> all;
  for (const auto& [text, coders] : coders_per_text) all.insert(coders.begin(), coders.end());
  l.coders.assign(all.begin(), all.end());
  for (const auto& [text, coders] : coders_per_text) {
    auto& columns = l.columns_of_text[text];
    for (const std::string& coder : coders) {
      columns.push_back(static_cast<std::size_t>(
          std::lower_bound(l.coders.begin(), l.coders.end(), coder) - l.coders.begin()));
    }
  }
  l.rows = std::move(sorted_units);
  for (std::size_t r = 0; r < l.rows.size(); ++r) {
    l.rows_of_text[l.rows[r].text_id].push_back(r);
    if (l.columns(r).size() >= 2) ++l.pairable_rows;
  }
  return l;
}

// For each code, whether each coder applied it to each unit: [row * coders + column].
using Applied = std::map<std::string, std::vector<bool>>;

Applied apply_codings(const Layout& l, const std::vector<Coding>& codings) {
  Applied applied;
  const std::size_t width = l.coders.size();
  for (const Coding& c : codings) {
    auto& marks = applied[c.code];
    if (marks.empty()) marks.assign(l.rows.size() * width, false);
    const auto rows = l.rows_of_text.find(c.text_id);
    if (rows == l.rows_of_text.end()) continue;  // a text without units: overlap only
    const std::size_t column = static_cast<std::size_t>(
        std::lower_bound(l.coders.begin(), l.coders.end(), c.coder) - l.coders.begin());
    for (std::size_t r : rows->second) {
      if (span_codes_unit(l.rows[r].begin, l.rows[r].end, c.begin, c.end)) {
        marks[r * width + column] = true;
      }
    }
  }
  return applied;
}

// Each coder's coded code points per (code, text, coder), merged.
using SpanKey = std::tuple<std::string, std::string, std::string>;
std::map<SpanKey, std::vector<Span>> coded_spans(const std::vector<Coding>& codings) {
  std::map<SpanKey, std::vector<Span>> spans;
  for (const Coding& c : codings) spans[{c.code, c.text_id, c.coder}].emplace_back(c.begin, c.end);
  for (auto& [key, list] : spans) list = merged(std::move(list));
  return spans;
}

CharacterOverlap character_overlap(const std::string& code, const std::string& a,
                                   const std::string& b, const CodersPerText& coders_per_text,
                                   const std::map<SpanKey, std::vector<Span>>& spans) {
  static const std::vector<Span> none;
  const auto spans_of = [&](const std::string& text, const std::string& coder) -> const auto& {
    const auto it = spans.find({code, text, coder});
    return it == spans.end() ? none : it->second;
  };
  CharacterOverlap o;
  for (const auto& [text, coders] : coders_per_text) {
    if (!coders.contains(a) || !coders.contains(b)) continue;
    const auto& sa = spans_of(text, a);
    const auto& sb = spans_of(text, b);
    const std::size_t both = intersection(sa, sb);
    o.intersection += both;
    o.union_size += covered(sa) + covered(sb) - both;
  }
  if (o.union_size > 0) {
    o.jaccard = static_cast<double>(o.intersection) / static_cast<double>(o.union_size);
  }
  return o;
}

std::string binary_alpha_reason(const Alpha& alpha) {
  return fmt::format(
      "every one of the {} values from units that two or more coders share is '{}': with no "
      "variation, agreement cannot be told from chance and alpha is undefined",
      alpha.pairable_values, alpha.coincidences.contains({1, 1}) ? "applied" : "not applied");
}

// The kappa and character overlap of every pair of coders, from their tables ([a·width + b]).
void add_pairs(CodeAgreement& result, const std::vector<BinaryTable>& tables, const Layout& l,
               const CodersPerText& coders_per_text,
               const std::map<SpanKey, std::vector<Span>>& spans) {
  const std::size_t width = l.coders.size();
  double kappa_sum = 0;
  for (std::size_t a = 0; a < width; ++a) {
    for (std::size_t b = a + 1; b < width; ++b) {
      CoderPair p;
      p.coder_a = l.coders[a];
      p.coder_b = l.coders[b];
      p.kappa = cohen_kappa(tables[a * width + b]);
      if (p.kappa.table.units() == 0) {
        p.kappa.undefined_reason = "no unit lies in a text that both coders worked on";
      }
      p.overlap = character_overlap(result.code, p.coder_a, p.coder_b, coders_per_text, spans);
      if (p.kappa.value) {
        kappa_sum += *p.kappa.value;
        ++result.pairs_in_mean;
      }
      result.pairs.push_back(std::move(p));
    }
  }
  if (result.pairs_in_mean > 0) {
    result.mean_kappa = kappa_sum / static_cast<double>(result.pairs_in_mean);
  }
}

// One pass over the units for a code: its coincidences (and the overall ones), a 2x2 table
// per coder pair, and the units where the coders who worked on the text differ.
CodeAgreement code_agreement(const std::string& code, const std::vector<bool>& marks,
                             const Layout& l, const CodersPerText& coders_per_text,
                             const std::map<SpanKey, std::vector<Span>>& spans,
                             Coincidences& overall) {
  const std::size_t width = l.coders.size();
  CodeAgreement result;
  result.code = code;
  Coincidences coincidences;
  std::vector<BinaryTable> tables(width * width);
  for (std::size_t r = 0; r < l.rows.size(); ++r) {
    const auto& columns = l.columns(r);
    std::vector<int> values;
    Disagreement d;
    for (std::size_t c : columns) {
      const bool applied = marks[r * width + c];
      values.push_back(applied ? 1 : 0);
      (applied ? d.applied : d.not_applied).push_back(l.coders[c]);
    }
    coincidences.add_unit(values);
    overall.add_unit(values);
    for (std::size_t i = 0; i < columns.size(); ++i) {
      for (std::size_t j = i + 1; j < columns.size(); ++j) {
        BinaryTable& t = tables[columns[i] * width + columns[j]];
        const bool a = values[i] == 1;
        const bool b = values[j] == 1;
        ++(a ? (b ? t.both : t.only_a) : (b ? t.only_b : t.neither));
      }
    }
    if (!d.applied.empty() && !d.not_applied.empty()) {
      d.text_id = l.rows[r].text_id;
      d.unit_index = l.rows[r].index;
      d.begin = l.rows[r].begin;
      d.end = l.rows[r].end;
      result.disagreements.push_back(std::move(d));
    }
  }
  add_pairs(result, tables, l, coders_per_text, spans);
  result.alpha = coincidences.alpha();
  if (!result.alpha.value && result.alpha.pairable_values >= 2) {
    result.alpha.undefined_reason = binary_alpha_reason(result.alpha);
  }
  return result;
}

}  // namespace

bool span_codes_unit(std::size_t unit_begin, std::size_t unit_end, std::size_t span_begin,
                     std::size_t span_end) {
  const std::size_t lo = std::max(unit_begin, span_begin);
  const std::size_t hi = std::min(unit_end, span_end);
  if (lo >= hi) return false;
  const std::size_t shorter = std::min(unit_end - unit_begin, span_end - span_begin);
  return 2 * (hi - lo) >= shorter;
}

Result<std::vector<Unit>> split_sentences(const std::string& text_id, std::string_view text) {
  if (!is_valid_utf8(text)) {
    return invalid(fmt::format("text '{}' is not valid UTF-8", text_id));
  }
  if (text.size() > static_cast<std::size_t>(std::numeric_limits<int32_t>::max())) {
    return invalid(fmt::format("text '{}' is over 2 GiB: too long to split", text_id));
  }
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> breaker(
      icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || !breaker) {
    return Status(Code::kFailedPrecondition, "ICU has no sentence break rules (libicu data)");
  }
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  breaker->setText(ut, status);
  if (U_FAILURE(status)) {
    utext_close(ut);
    return Status(Code::kFailedPrecondition,
                  fmt::format("ICU could not read text '{}': {}", text_id, u_errorName(status)));
  }
  // ICU's boundaries over UTF-8 are byte offsets; units count code points, so the points of
  // each sentence are counted on the way (boundaries only move forward).
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  std::vector<Unit> units;
  std::vector<UChar32> sentence;
  std::size_t points_before = 0;
  for (int32_t from = breaker->first(), to = breaker->next(); to != icu::BreakIterator::DONE;
       from = to, to = breaker->next()) {
    sentence.clear();
    for (int32_t i = from; i < to;) {
      UChar32 c;
      U8_NEXT(bytes, i, to, c);
      sentence.push_back(c);
    }
    std::size_t first = 0;
    std::size_t last = sentence.size();
    while (first < last && u_isUWhiteSpace(sentence[first])) ++first;
    while (last > first && u_isUWhiteSpace(sentence[last - 1])) --last;
    if (first < last) {
      Unit u;
      u.text_id = text_id;
      u.index = units.size();
      u.begin = points_before + first;
      u.end = points_before + last;
      units.push_back(std::move(u));
    }
    points_before += sentence.size();
  }
  breaker.reset();  // the iterator refers to the UText until it is gone
  utext_close(ut);
  return units;
}

Kappa cohen_kappa(const BinaryTable& table) {
  Kappa k;
  k.table = table;
  const std::uint64_t n = table.units();
  if (n == 0) {
    k.undefined_reason = "the two coders share no unit";
    return k;
  }
  const std::uint64_t agree = table.both + table.neither;
  const std::uint64_t a_applied = table.both + table.only_a;
  const std::uint64_t b_applied = table.both + table.only_b;
  // Pe·n² in integers, so that Pe = 1 is found exactly.
  const std::uint64_t chance_n2 = a_applied * b_applied + (n - a_applied) * (n - b_applied);
  const auto nd = static_cast<double>(n);
  k.observed = static_cast<double>(agree) / nd;
  k.chance = static_cast<double>(chance_n2) / (nd * nd);
  if (chance_n2 == n * n) {
    k.undefined_reason = fmt::format(
        "{} of the {} units they share, so chance agreement Pe is 1 and kappa is undefined",
        table.both == n ? "both coders applied the code to every one"
                        : "neither coder applied the code to any",
        n);
    return k;
  }
  k.value = (static_cast<double>(agree) * nd - static_cast<double>(chance_n2)) /
            static_cast<double>(n * n - chance_n2);
  return k;
}

Result<Alpha> nominal_alpha(const ReliabilityData& data) {
  if (data.empty()) return invalid("the reliability data have no units");
  const std::size_t coders = data.front().size();
  for (std::size_t u = 0; u < data.size(); ++u) {
    if (data[u].size() != coders) {
      return invalid(fmt::format(
          "unit {} has {} entries but unit 0 has {}: give every unit one entry per coder, "
          "empty where the coder did not code it",
          u, data[u].size(), coders));
    }
  }
  if (coders < 2) {
    return invalid(
        fmt::format("alpha compares coders, and the data have {}: add a second coder", coders));
  }
  Coincidences coincidences;
  for (const auto& row : data) {
    std::vector<int> values;
    for (const auto& v : row) {
      if (v) values.push_back(*v);
    }
    coincidences.add_unit(values);
  }
  if (coincidences.pairable_values() < 2) {
    return invalid(
        "no unit has values from two or more coders (fewer than two pairable values): alpha "
        "needs units that several coders coded");
  }
  return coincidences.alpha();
}

Result<AgreementReport> agreement(const std::vector<Unit>& units,
                                  const std::vector<Coding>& codings,
                                  const CodersPerText& coders_per_text) {
  std::vector<Unit> sorted_units = units;
  std::sort(sorted_units.begin(), sorted_units.end(), [](const Unit& a, const Unit& b) {
    return std::tie(a.text_id, a.index) < std::tie(b.text_id, b.index);
  });
  EVHUB_RETURN_IF_ERROR(check_units(sorted_units, coders_per_text));
  EVHUB_RETURN_IF_ERROR(check_codings(codings, coders_per_text));
  const Layout layout = make_layout(std::move(sorted_units), coders_per_text);
  if (layout.coders.size() < 2) {
    return invalid(
        layout.coders.empty()
            ? std::string("no coder is listed for any text: agreement needs two or more coders")
            : fmt::format("only '{}' worked on these texts: agreement needs a second coder on "
                          "the same texts",
                          layout.coders.front()));
  }
  if (layout.pairable_rows == 0) {
    return invalid(
        "no unit lies in a text that two or more coders worked on: agreement compares coders "
        "on the same texts (check the units' text ids against the coders per text)");
  }
  AgreementReport report;
  report.coders = layout.coders;
  report.units = layout.rows.size();
  report.pairable_units = layout.pairable_rows;
  const Applied applied = apply_codings(layout, codings);
  const auto spans = coded_spans(codings);
  Coincidences overall;
  for (const auto& [code, marks] : applied) {
    report.codes.push_back(code_agreement(code, marks, layout, coders_per_text, spans, overall));
  }
  report.overall_alpha = overall.alpha();
  if (report.codes.empty()) {
    report.overall_alpha.undefined_reason = "no coder applied any code";
  } else if (!report.overall_alpha.value) {
    report.overall_alpha.undefined_reason = binary_alpha_reason(report.overall_alpha);
  }
  return report;
}

}  // namespace evhub::coding
