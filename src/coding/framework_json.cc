// The framework as JSON (the format is in framework.h), and the default framework shipped in
// data/coding/. Reading checks every field's type and presence first, each problem at its JSON
// path, and then the framework's invariants, also at their paths.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "coding/framework.h"
#include "coding/framework_internal.h"

#ifndef EVHUB_DATA_DIR
#error "EVHUB_DATA_DIR must name the repository's data/ folder (set in CMakeLists.txt)"
#endif

namespace evhub::coding {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// Enough to show what is wrong with a file; more would only be counted.
constexpr std::size_t kMaxProblems = 200;
// A framework nests 5 deep. nlohmann::json keeps a value for every bracket, so a file of
// nothing but brackets would take some 40 times its size in memory: refused before parsing.
constexpr int kMaxNesting = 32;

bool nested_too_deep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxNesting) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

ordered_json texts_json(const Texts& t) {
  ordered_json j = ordered_json::object();
  j["en"] = t.en;
  j["be"] = t.be;
  j["ru"] = t.ru;
  return j;
}

std::string at(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// Reads the document into codes and history, noting each problem at its path.
class Reader {
 public:
  std::vector<std::string> problems;
  std::size_t uncounted = 0;  // problems beyond kMaxProblems

  void problem(const std::string& path, const std::string& message) {
    if (problems.size() < kMaxProblems) {
      problems.push_back(path.empty() ? message : path + ": " + message);
    } else {
      ++uncounted;
    }
  }

  bool object(const json& j, const std::string& path) {
    if (j.is_object()) return true;
    problem(path, "must be an object");
    return false;
  }

  void only(const json& j, const std::string& path, std::initializer_list<std::string_view> known) {
    for (const auto& item : j.items()) {
      if (std::find(known.begin(), known.end(), item.key()) == known.end()) {
        problem(at(path, item.key()), "unknown field");
      }
    }
  }

  void string(const json& j, const std::string& path, std::string_view key, bool required,
              std::string& out) {
    auto it = j.find(std::string(key));
    if (it == j.end()) {
      if (required) problem(at(path, key), "missing");
      return;
    }
    if (!it->is_string()) {
      problem(at(path, key), "must be a string");
      return;
    }
    out = it->get<std::string>();
  }

  void boolean(const json& j, const std::string& path, std::string_view key, bool& out) {
    auto it = j.find(std::string(key));
    if (it == j.end()) return;
    if (!it->is_boolean()) {
      problem(at(path, key), "must be true or false");
      return;
    }
    out = it->get<bool>();
  }

  void integer(const json& j, const std::string& path, std::string_view key, bool required, int min,
               int max, int& out) {
    auto it = j.find(std::string(key));
    if (it == j.end()) {
      if (required) problem(at(path, key), "missing");
      return;
    }
    bool fits = false;
    if (it->is_number_unsigned()) {  // what JSON has for every number >= 0
      const auto v = it->get<std::uint64_t>();
      fits = v <= static_cast<std::uint64_t>(max) &&
             (min <= 0 || v >= static_cast<std::uint64_t>(min));
    } else if (it->is_number_integer()) {
      const auto v = it->get<std::int64_t>();
      fits = v >= min && v <= max;
    }
    if (!fits) {
      problem(at(path, key), fmt::format("must be a whole number from {} to {}", min, max));
      return;
    }
    out = static_cast<int>(it->get<std::int64_t>());
  }

  void texts(const json& j, const std::string& path, std::string_view key, bool required,
             Texts& out) {
    const std::string here = at(path, key);
    auto it = j.find(std::string(key));
    if (it == j.end()) {
      if (required) problem(here, "missing");
      return;
    }
    if (!object(*it, here)) return;
    only(*it, here, {"en", "be", "ru"});
    string(*it, here, "en", required, out.en);
    string(*it, here, "be", false, out.be);
    string(*it, here, "ru", false, out.ru);
  }

  // The meaning of a code or of one of its past revisions.
  void meaning(const json& j, const std::string& path, FrameworkCode& out) {
    string(j, path, "parent", false, out.parent);
    texts(j, path, "labels", true, out.label);
    texts(j, path, "definitions", false, out.definition);
    boolean(j, path, "restricted", out.restricted);
  }

  void code(const json& j, const std::string& path, std::vector<FrameworkCode>& codes,
            internal::History& history) {
    if (!object(j, path)) return;
    only(j, path,
         {"id", "parent", "labels", "definitions", "restricted", "retired", "revision", "history"});
    FrameworkCode c;
    string(j, path, "id", true, c.id);
    meaning(j, path, c);
    boolean(j, path, "retired", c.retired);
    integer(j, path, "revision", false, 1, kMaxRevisions, c.revision);
    std::vector<FrameworkCode> past;
    if (auto h = j.find("history"); h != j.end()) {
      const std::string here = at(path, "history");
      if (!h->is_array()) {
        problem(here, "must be an array");
      } else if (h->size() >= static_cast<std::size_t>(kMaxRevisions)) {
        problem(here, fmt::format("more than {} revisions", kMaxRevisions));
      } else {
        for (std::size_t k = 0; k < h->size(); ++k) {
          const std::string entry = fmt::format("{}[{}]", here, k);
          const json& e = (*h)[k];
          if (!object(e, entry)) continue;
          only(e, entry, {"revision", "parent", "labels", "definitions", "restricted"});
          FrameworkCode then;
          then.id = c.id;
          integer(e, entry, "revision", true, 1, kMaxRevisions, then.revision);
          meaning(e, entry, then);
          past.push_back(std::move(then));
        }
      }
    }
    if (!past.empty()) history.emplace(c.id, std::move(past));
    codes.push_back(std::move(c));
  }

  Status status() const { return internal::invalid(problems, uncounted); }
};

// nlohmann::json reports where a document stops being JSON only through its parse_error; the
// exception is caught here and becomes the message.
bool parse(std::string_view text, json& out, std::string& error) {
  try {
    out = json::parse(text.begin(), text.end());
    return true;
  } catch (const json::parse_error& e) {
    std::string what = e.what();  // "[json.exception.parse_error.101] parse error at line 1, ..."
    const auto bracket = what.find("] ");
    error = bracket == std::string::npos ? what : what.substr(bracket + 2);
    return false;
  }
}

}  // namespace

std::string framework_to_json(const Framework& framework) {
  ordered_json codes = ordered_json::array();
  for (const FrameworkCode& c : framework.codes()) {
    ordered_json j = ordered_json::object();
    j["id"] = c.id;
    j["parent"] = c.parent;
    j["labels"] = texts_json(c.label);
    j["definitions"] = texts_json(c.definition);
    j["restricted"] = c.restricted;
    j["retired"] = c.retired;
    j["revision"] = c.revision;
    ordered_json history = ordered_json::array();
    for (const FrameworkCode& past : framework.history(c.id)) {
      ordered_json e = ordered_json::object();
      e["revision"] = past.revision;
      e["parent"] = past.parent;
      e["labels"] = texts_json(past.label);
      e["definitions"] = texts_json(past.definition);
      e["restricted"] = past.restricted;
      history.push_back(std::move(e));
    }
    j["history"] = std::move(history);
    codes.push_back(std::move(j));
  }
  ordered_json doc = ordered_json::object();
  doc["format"] = std::string(kJsonFormat);
  doc["format_version"] = kJsonFormatVersion;
  doc["version"] = framework.version();
  doc["codes"] = std::move(codes);
  return doc.dump(2) + "\n";
}

Result<Framework> framework_from_json(std::string_view text) {
  if (text.size() > kMaxFileBytes) {
    return internal::invalid(
        {fmt::format("larger than {} MiB; a framework is far smaller", kMaxFileBytes >> 20)});
  }
  if (nested_too_deep(text)) {
    return internal::invalid(
        {fmt::format("nested more than {} levels deep; a coding framework nests 5", kMaxNesting)});
  }
  json doc;
  std::string error;
  if (!parse(text, doc, error)) return internal::invalid({"not valid JSON: " + error});
  if (!doc.is_object()) return internal::invalid({"not a coding framework: not a JSON object"});
  // The format first: another kind of JSON file gets one clear message, not a list of problems.
  auto format = doc.find("format");
  if (format == doc.end() || !format->is_string() || format->get<std::string>() != kJsonFormat) {
    return internal::invalid(
        {fmt::format("format: {}, not \"{}\": this is not a coding framework file",
                     format == doc.end() ? "missing" : format->dump(), kJsonFormat)});
  }
  Reader r;
  int format_version = 0;
  r.integer(doc, "", "format_version", true, 1, 1'000'000, format_version);
  if (!r.problems.empty()) return r.status();
  if (format_version > kJsonFormatVersion) {
    return internal::invalid({fmt::format(
        "format_version: {} is newer than this program reads ({}); update Evidence Hub",
        format_version, kJsonFormatVersion)});
  }
  r.only(doc, "", {"format", "format_version", "version", "codes"});
  int version = 0;
  r.integer(doc, "", "version", true, 0, std::numeric_limits<int>::max(), version);
  std::vector<FrameworkCode> codes;
  internal::History history;
  auto list = doc.find("codes");
  if (list == doc.end()) {
    r.problem("codes", "missing");
  } else if (!list->is_array()) {
    r.problem("codes", "must be an array");
  } else if (list->size() > kMaxCodes) {
    r.problem("codes", fmt::format("{} codes; at most {}", list->size(), kMaxCodes));
  } else {
    for (std::size_t i = 0; i < list->size(); ++i) {
      r.code((*list)[i], fmt::format("codes[{}]", i), codes, history);
    }
  }
  if (!r.problems.empty()) return r.status();
  const auto found = internal::FrameworkParts::check(version, codes, history);
  if (!found.empty()) {
    std::vector<std::string> messages;
    for (const auto& p : found) {
      const std::string path =
          p.code == internal::kNoCode ? p.field : fmt::format("codes[{}].{}", p.code, p.field);
      messages.push_back(path + ": " + p.message);
    }
    return internal::invalid(messages);
  }
  return internal::FrameworkParts::make(version, std::move(codes), std::move(history));
}

Result<Framework> read_framework_file(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec)
    return Status(evhub::Code::kNotFound, fmt::format("cannot read {}: {}", path, ec.message()));
  if (size > kMaxFileBytes) {
    return Status(evhub::Code::kInvalidArgument,
                  fmt::format("{}: larger than {} MiB; a framework is far smaller", path,
                              kMaxFileBytes >> 20));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return Status(evhub::Code::kNotFound, "cannot read " + path);
  auto framework = framework_from_json(text.str());
  if (!framework.is_ok()) return framework.status().with_context(path);
  return framework;
}

std::string default_framework_path() {
  return std::string(EVHUB_DATA_DIR) + "/coding/default-framework.json";
}

Result<Framework> default_framework() {
  return read_framework_file(default_framework_path());
}

}  // namespace evhub::coding
