// The framework as CSV for spreadsheets (the format is in framework.h): written in tree order,
// read back with libcsv and applied to a framework as edits, every problem at its line and
// column.
#include <algorithm>
#include <array>
#include <iterator>
#include <set>
#include <tuple>

#include <csv.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "coding/framework.h"
#include "coding/framework_internal.h"
#include "core/text.h"

namespace evhub::coding {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::array<std::string_view, 10> kColumns = {
    "id",         "parent",        "label_en",      "label_be",
    "label_ru",   "definition_en", "definition_be", "definition_ru",
    "restricted", "retired"};
// More cells than a file of kMaxCodes rows can hold: the rest are not kept.
constexpr std::size_t kMaxCells = (kMaxCodes + 2) * kColumns.size();

std::string quoted(std::string_view cell) {
  if (cell.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(cell);
  std::string out = "\"";
  for (char c : cell) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

std::string trimmed(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return "";
  return std::string(s.substr(begin, s.find_last_not_of(" \t") - begin + 1));
}

// yes/no as written, true/false and 1/0 as spreadsheets write them, empty for no.
bool read_flag(std::string_view cell, bool& out) {
  std::string v(cell);
  std::transform(v.begin(), v.end(), v.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  if (v == "yes" || v == "true" || v == "1") {
    out = true;
  } else if (v == "no" || v == "false" || v == "0" || v.empty()) {
    out = false;
  } else {
    return false;
  }
  return true;
}

// The CSV column of a field that the framework's check names ("labels.en" -> "label_en").
std::string column_of_field(std::string_view field) {
  if (field.starts_with("labels.")) return "label_" + std::string(field.substr(7));
  if (field.starts_with("definitions.")) return "definition_" + std::string(field.substr(12));
  return std::string(field);
}

// Lines end in LF only from here on: libcsv then reports exactly one row end per line (with
// CSV_REPALL_NL, blank lines too), which is how rows keep their line numbers.
std::string with_lf_line_ends(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      out += text[i];
    } else if (i + 1 == text.size() || text[i + 1] != '\n') {
      out += '\n';
    }
  }
  return out;
}

// libcsv hands over cells and row ends; this keeps rows with the line each started on.
struct CsvRows {
  std::vector<std::vector<std::string>> rows;
  std::vector<int> lines;
  std::vector<std::string> row;
  int line = 1;      // where the current row started
  int newlines = 0;  // inside the current row's quoted cells
  std::size_t cells = 0;
  bool too_large = false;

  static void cell(void* data, std::size_t len, void* self_ptr) {
    auto* self = static_cast<CsvRows*>(self_ptr);
    if (++self->cells > kMaxCells) {
      self->too_large = true;
      return;
    }
    std::string value(static_cast<const char*>(data), len);
    self->newlines += static_cast<int>(std::count(value.begin(), value.end(), '\n'));
    self->row.push_back(std::move(value));
  }
  static void end(int, void* self_ptr) {
    auto* self = static_cast<CsvRows*>(self_ptr);
    if (self->too_large) return;
    self->rows.push_back(std::move(self->row));
    self->lines.push_back(self->line);
    self->line += 1 + self->newlines;
    self->row.clear();
    self->newlines = 0;
  }
};

struct CsvProblem {
  int line = 0;    // 0: a code the file does not list
  int column = 0;  // 1-based; 0: the row, or a column the header lacks
  std::string column_name;
  std::string message;
};

class CsvApply {
 public:
  explicit CsvApply(const Framework& base)
      : base_(base), codes_(base.codes()), history_(internal::FrameworkParts::history(base)) {}

  Result<Framework> run(std::string_view csv) {
    if (csv.size() > kMaxFileBytes) {
      return internal::invalid(
          {fmt::format("larger than {} MiB; a framework is far smaller", kMaxFileBytes >> 20)});
    }
    if (csv.starts_with(kBom)) csv.remove_prefix(kBom.size());
    if (!utf8(csv)) return report();
    CsvRows parsed;
    if (!parse(with_lf_line_ends(csv), parsed)) return report();
    std::size_t first = 0;
    while (first < parsed.rows.size() && blank(parsed.rows[first])) ++first;
    if (first == parsed.rows.size()) {
      problem(1, 0, "", "the file is empty; it needs a header row naming the columns");
      return report();
    }
    if (!header(parsed.rows[first], parsed.lines[first])) return report();
    for (std::size_t r = first + 1; r < parsed.rows.size(); ++r) {
      if (!blank(parsed.rows[r])) row(parsed.rows[r], parsed.lines[r]);
    }
    if (!problems_.empty()) return report();
    new_ids_extend_parents();
    // Last in codes_, a moved code comes last among its new siblings (as Framework::edit).
    std::stable_partition(codes_.begin(), codes_.end(),
                          [&](const FrameworkCode& c) { return !moved_.count(c.id); });
    const int version = base_.version() + (changed_ ? 1 : 0);
    const auto found = internal::FrameworkParts::check(version, codes_, history_);
    for (const auto& p : found) at_its_row(p);
    if (!problems_.empty()) return report();
    return internal::FrameworkParts::make(version, std::move(codes_), std::move(history_));
  }

 private:
  static bool blank(const std::vector<std::string>& cells) {
    return cells.empty() || (cells.size() == 1 && trimmed(cells[0]).empty());
  }

  void problem(int line, int column, std::string column_name, std::string message) {
    problems_.push_back({line, column, std::move(column_name), std::move(message)});
  }

  // Valid UTF-8, checked line by line so that the problem has a line.
  bool utf8(std::string_view csv) {
    int line = 1;
    for (std::size_t start = 0; start <= csv.size(); ++line) {
      const std::size_t end = std::min(csv.find('\n', start), csv.size());
      if (!is_valid_utf8(csv.substr(start, end - start))) {
        problem(line, 0, "", "not UTF-8 text (save the file as UTF-8)");
        return false;
      }
      start = end + 1;
    }
    return true;
  }

  bool parse(const std::string& csv, CsvRows& out) {
    csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
      problem(0, 0, "", "cannot start the CSV parser");
      return false;
    }
    const std::size_t used =
        csv_parse(&parser, csv.data(), csv.size(), CsvRows::cell, CsvRows::end, &out);
    const bool whole = used == csv.size();
    const bool parsed = whole && csv_fini(&parser, CsvRows::cell, CsvRows::end, &out) == 0;
    const std::string error = parsed ? "" : csv_strerror(csv_error(&parser));
    csv_free(&parser);
    if (!parsed) {
      // Stopped inside the text: the line it stopped on; at the end: an unclosed quote, whose
      // row started on out.line.
      const int line = whole ? out.line
                             : 1 + static_cast<int>(std::count(
                                       csv.begin(), csv.begin() + static_cast<long>(used), '\n'));
      problem(line, static_cast<int>(out.row.size()) + 1, "",
              whole ? "a quoted cell is never closed" : "not valid CSV here (" + error + ")");
      return false;
    }
    if (out.too_large) {
      problem(0, 0, "",
              fmt::format("more than {} cells; a framework has at most {} codes", kMaxCells,
                          kMaxCodes));
      return false;
    }
    return true;
  }

  bool header(const std::vector<std::string>& cells, int line) {
    header_line_ = line;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::string name = trimmed(cells[c]);
      const int column = static_cast<int>(c + 1);
      if (std::find(kColumns.begin(), kColumns.end(), name) == kColumns.end()) {
        problem(line, column, "",
                fmt::format("unknown column \"{}\" (the columns are {})", name,
                            fmt::join(kColumns, ",")));
      } else if (!column_.emplace(name, column).second) {
        problem(line, column, name, "this column appears twice");
      }
    }
    header_size_ = cells.size();
    if (!column_.count("id")) problem(line, 0, "", "the header needs a column id");
    return problems_.empty();
  }

  // The cell of `name` in this row, or nullptr if the header lacks that column.
  const std::string* cell(const std::vector<std::string>& cells, std::string_view name) {
    auto it = column_.find(std::string(name));
    return it == column_.end() ? nullptr : &cells[static_cast<std::size_t>(it->second - 1)];
  }

  void row(std::vector<std::string> cells, int line) {
    if (cells.size() != header_size_) {
      problem(line, 0, "",
              fmt::format("{} cells, but the header (line {}) has {}", cells.size(), header_line_,
                          header_size_));
      return;
    }
    for (auto& c : cells) c = trimmed(c);
    const std::string& id = *cell(cells, "id");
    const int id_column = column_.at("id");
    if (id.empty()) {
      problem(line, id_column, "id", "missing");
      return;
    }
    if (auto [it, added] = line_of_.emplace(id, line); !added) {
      problem(line, id_column, "id", fmt::format("\"{}\" is also on line {}", id, it->second));
      return;
    }
    const FrameworkCode* existing = base_.find(id);
    FrameworkCode code;
    if (existing) code = *existing;
    code.id = id;
    if (!fill(code, cells, line)) return;
    if (!existing) {
      if (code.retired) {
        problem(line, column_.at("retired"), "retired", "a new code cannot be retired");
      }
      new_ids_.push_back(id);
      codes_.push_back(std::move(code));
      changed_ = true;
      return;
    }
    if (code.parent != existing->parent) moved_.insert(id);
    FrameworkCode& target = codes_[static_cast<std::size_t>(existing - base_.codes().data())];
    if (!same_meaning(*existing, code)) {
      FrameworkCode old = *existing;
      old.retired = false;  // not part of a revision (framework.h)
      history_[id].push_back(std::move(old));
      code.revision = existing->revision + 1;
      changed_ = true;
    }
    if (code.retired != existing->retired) changed_ = true;
    target = std::move(code);
  }

  // Sets the fields whose columns the header has; false if a flag is unreadable.
  bool fill(FrameworkCode& code, const std::vector<std::string>& cells, int line) {
    const std::pair<std::string_view, std::string*> texts[] = {
        {"parent", &code.parent},
        {"label_en", &code.label.en},
        {"label_be", &code.label.be},
        {"label_ru", &code.label.ru},
        {"definition_en", &code.definition.en},
        {"definition_be", &code.definition.be},
        {"definition_ru", &code.definition.ru}};
    for (const auto& [name, field] : texts) {
      if (const std::string* value = cell(cells, name)) *field = *value;
    }
    bool readable = true;
    for (const auto& [name, flag] :
         {std::pair<std::string_view, bool*>{"restricted", &code.restricted},
          std::pair<std::string_view, bool*>{"retired", &code.retired}}) {
      const std::string* value = cell(cells, name);
      if (value && !read_flag(*value, *flag)) {
        problem(line, column_.at(std::string(name)), std::string(name),
                fmt::format("\"{}\" is not yes or no", *value));
        readable = false;
      }
    }
    return readable;
  }

  // Once every row is read, so that a parent may come after its child. Under an unknown parent
  // the check names that instead.
  void new_ids_extend_parents() {
    std::set<std::string_view> known;
    for (const FrameworkCode& c : codes_) known.insert(c.id);
    for (const FrameworkCode& c : codes_) {
      if (std::find(new_ids_.begin(), new_ids_.end(), c.id) == new_ids_.end()) continue;
      if (!c.parent.empty() && !known.count(c.parent)) continue;
      if (auto p = internal::new_id_problem(c); !p.empty()) {
        problem(line_of_.at(c.id), column_.at("id"), "id", p);
      }
    }
  }

  // A problem of the framework the file would make, at the row of the code it is about.
  void at_its_row(const internal::Problem& p) {
    if (p.code == internal::kNoCode) {
      problem(0, 0, "", fmt::format("{}: {}", p.field, p.message));
      return;
    }
    const std::string& id = codes_[p.code].id;
    const std::string name = column_of_field(p.field);
    auto line = line_of_.find(id);
    if (line == line_of_.end()) {
      // A code the file leaves alone, broken by a row that is (a parent retired or restricted).
      problem(0, 0, "", fmt::format("code {} (not in the file): {}: {}", id, p.field, p.message));
      return;
    }
    auto column = column_.find(name);
    problem(line->second, column == column_.end() ? 0 : column->second, name, p.message);
  }

  Status report() {
    std::stable_sort(problems_.begin(), problems_.end(), [](const auto& a, const auto& b) {
      // Problems at a line first, in order; those of codes not in the file after them.
      return std::make_tuple(a.line == 0, a.line, a.column) <
             std::make_tuple(b.line == 0, b.line, b.column);
    });
    std::vector<std::string> messages;
    for (const auto& p : problems_) {
      std::string where;
      if (p.line > 0) where = fmt::format("line {}", p.line);
      if (p.line > 0 && p.column > 0) where += fmt::format(", column {}", p.column);
      if (!p.column_name.empty()) {
        const bool in_header = column_.count(p.column_name) > 0;
        where += fmt::format(" ({}{})", p.column_name, in_header ? "" : ", not in the header");
      }
      messages.push_back(where.empty() ? p.message : where + ": " + p.message);
    }
    return internal::invalid(messages);
  }

  const Framework& base_;
  std::vector<FrameworkCode> codes_;  // base_'s, edited, then the new ones
  internal::History history_;
  bool changed_ = false;
  std::map<std::string, int> column_;  // header name -> 1-based column
  std::size_t header_size_ = 0;
  int header_line_ = 1;
  std::map<std::string, int> line_of_;  // id -> line of its row
  std::vector<std::string> new_ids_;    // rows that add a code
  std::set<std::string> moved_;         // rows that give a code another parent
  std::vector<CsvProblem> problems_;
};

}  // namespace

std::string framework_to_csv(const Framework& framework) {
  std::string out(kBom);
  out += fmt::format("{}\n", fmt::join(kColumns, ","));
  for (const FrameworkCode& c : framework.codes()) {
    const std::string cells[] = {c.id,
                                 c.parent,
                                 c.label.en,
                                 c.label.be,
                                 c.label.ru,
                                 c.definition.en,
                                 c.definition.be,
                                 c.definition.ru,
                                 c.restricted ? "yes" : "no",
                                 c.retired ? "yes" : "no"};
    for (std::size_t i = 0; i < std::size(cells); ++i) {
      if (i > 0) out += ',';
      out += quoted(cells[i]);
    }
    out += '\n';
  }
  return out;
}

Result<Framework> apply_csv(const Framework& base, std::string_view csv) {
  return CsvApply(base).run(csv);
}

}  // namespace evhub::coding
