#include "disclosure/bagit_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/text.h"

namespace evhub::disclosure::bagit {

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}
bool is_control(char c) {
  return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
}
bool is_lower_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

std::optional<std::string> component_problem(std::string_view c, NameRule rule) {
  if (c.empty()) return "it has an empty component (\"//\" or a '/' at either end)";
  if (c == "." || c == "..") return "it has a \".\" or \"..\" component";
  if (rule == NameRule::kStockTools && (is_blank(c.front()) || is_blank(c.back()))) {
    return "a name begins or ends with white space";
  }
  return std::nullopt;
}

std::optional<std::string> character_problem(std::string_view path, NameRule rule) {
  if (!is_valid_utf8(path)) return "it is not valid UTF-8";
  if (path.find('\0') != std::string_view::npos) return "it contains a NUL byte";
  if (path.find('\\') != std::string_view::npos) return "it contains a backslash";
  if (rule == NameRule::kRfc) return std::nullopt;
  if (path.find('%') != std::string_view::npos) {
    return "it contains '%', which BagIt writes as %25 and sha256sum would not find";
  }
  if (std::any_of(path.begin(), path.end(), is_control)) {
    return "it contains a line break or another control character";
  }
  return std::nullopt;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::uint64_t> parse_count(std::string_view text) {
  std::uint64_t n = 0;
  if (text.empty()) return std::nullopt;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// Where to break `text` so that the part before is at most `width` bytes: the last single
// space (between two non-spaces) after `from` and at or before `width`, or npos.
std::size_t fold_point(std::string_view text, std::size_t width, std::size_t from) {
  for (std::size_t i = std::min(width, text.size() - 1); i > from; --i) {
    if (text[i] == ' ' && text[i - 1] != ' ' && i + 1 < text.size() && text[i + 1] != ' ') {
      return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::optional<std::string> path_problem(std::string_view path, NameRule rule) {
  if (path.empty()) return "it is empty";
  if (path.front() == '/') return "it is absolute (begins with '/')";
  if (auto p = character_problem(path, rule)) return p;
  std::size_t start = 0;
  for (;;) {
    const std::size_t slash = path.find('/', start);
    const std::string_view c = path.substr(start, slash - start);
    if (auto p = component_problem(c, rule)) return p;
    if (slash == std::string_view::npos) return std::nullopt;
    start = slash + 1;
  }
}

std::string encode_path(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (const char c : path) {
    if (c == '%') {
      out += "%25";
    } else if (c == '\n') {
      out += "%0A";
    } else if (c == '\r') {
      out += "%0D";
    } else {
      out += c;
    }
  }
  return out;
}

std::string decode_path(std::string_view encoded) {
  std::string out;
  out.reserve(encoded.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '%' && i + 2 < encoded.size()) {
      const int hi = hex_value(encoded[i + 1]), lo = hex_value(encoded[i + 2]);
      const int value = hi * 16 + lo;
      if (hi >= 0 && lo >= 0 && (value == '%' || value == '\n' || value == '\r')) {
        out += static_cast<char>(value);
        i += 2;
        continue;
      }
    }
    out += encoded[i];
  }
  return out;
}

std::string manifest_line(std::string_view hex, std::string_view path) {
  return fmt::format("{}  {}\n", hex, encode_path(path));
}

std::optional<ManifestEntry> parse_manifest_line(std::string_view line) {
  const std::size_t end = line.find_first_of(" \t");
  if (end == 0 || end == std::string_view::npos) return std::nullopt;
  const std::size_t path_at = line.find_first_not_of(" \t", end);
  if (path_at == std::string_view::npos) return std::nullopt;
  return ManifestEntry{std::string(line.substr(0, end)), decode_path(line.substr(path_at))};
}

bool is_canonical_manifest_line(std::string_view line, std::size_t hex_length) {
  if (line.size() < hex_length + 3 || line.substr(hex_length, 2) != "  ") return false;
  const std::string_view hex = line.substr(0, hex_length);
  if (!std::all_of(hex.begin(), hex.end(), is_lower_hex)) return false;
  const std::string_view path = line.substr(hex_length + 2);
  return encode_path(decode_path(path)) == path && !is_blank(path.front());
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
    if (text[end] == '\r' && start < text.size() && text[start] == '\n') ++start;
  }
  return lines;
}

std::optional<std::string> label_problem(std::string_view label) {
  if (label.empty()) return "a label is empty";
  if (label.find_first_of(":\r\n") != std::string_view::npos) {
    return "a label contains ':' or a line break";
  }
  if (is_blank(label.front()) || is_blank(label.back())) {
    return "a label begins or ends with white space";
  }
  if (!is_valid_utf8(label)) return "a label is not valid UTF-8";
  return std::nullopt;
}

std::optional<std::string> value_problem(std::string_view value) {
  if (!is_valid_utf8(value)) return "a value is not valid UTF-8";
  if (std::any_of(value.begin(), value.end(), is_control)) {
    return "a value contains a line break or another control character";
  }
  if (!value.empty() && (is_blank(value.front()) || is_blank(value.back()))) {
    return "a value begins or ends with white space";
  }
  return std::nullopt;
}

std::string format_field(const Field& field) {
  constexpr std::size_t kWidth = 79;
  std::string line = field.label + ": " + field.value;
  std::string out;
  std::string_view rest = line;
  std::size_t from = field.label.size() + 1;  // never between the label and its value
  while (rest.size() > kWidth) {
    const std::size_t at = fold_point(rest, kWidth, from);
    if (at == std::string_view::npos) break;
    out += rest.substr(0, at);
    out += '\n';
    rest.remove_prefix(at);  // the continuation line starts with the space
    from = 0;
  }
  out += rest;
  out += '\n';
  return out;
}

ParsedFields parse_fields(std::string_view text) {
  ParsedFields parsed;
  const auto lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (trim_blanks(line).empty()) continue;
    if (is_blank(line.front())) {
      if (parsed.fields.empty()) {
        parsed.problems.push_back(
            fmt::format("line {} continues a field that is not there", i + 1));
      } else {
        parsed.fields.back().value += " " + std::string(trim_blanks(line));
      }
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      parsed.problems.push_back(fmt::format("line {} has no ':' after a label", i + 1));
      continue;
    }
    parsed.fields.push_back({std::string(trim_blanks(line.substr(0, colon))),
                             std::string(trim_blanks(line.substr(colon + 1)))});
  }
  return parsed;
}

std::string to_string(const PayloadOxum& oxum) {
  return fmt::format("{}.{}", oxum.octets, oxum.files);
}

std::optional<PayloadOxum> parse_payload_oxum(std::string_view text) {
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto octets = parse_count(text.substr(0, dot));
  const auto files = parse_count(text.substr(dot + 1));
  if (!octets || !files) return std::nullopt;
  return PayloadOxum{*octets, *files};
}

std::optional<std::string> manifest_algorithm(std::string_view file_name, std::string_view prefix) {
  constexpr std::string_view kSuffix = ".txt";
  if (file_name.size() <= prefix.size() + kSuffix.size()) return std::nullopt;
  if (file_name.substr(0, prefix.size()) != prefix) return std::nullopt;
  if (file_name.substr(file_name.size() - kSuffix.size()) != kSuffix) return std::nullopt;
  const std::string_view algorithm =
      file_name.substr(prefix.size(), file_name.size() - prefix.size() - kSuffix.size());
  if (algorithm.find('/') != std::string_view::npos) return std::nullopt;
  return std::string(algorithm);
}

std::size_t hex_length(std::string_view algorithm) {
  if (algorithm == "sha256") return 64;
  if (algorithm == "sha512") return 128;
  return 0;
}

}  // namespace evhub::disclosure::bagit
