// The invariants of a framework (framework.h), checked on its parts in one pass over the codes,
// one over the tree and one over the histories.
#include <algorithm>

#include <fmt/format.h>

#include "coding/framework_internal.h"
#include "core/text.h"

namespace evhub::coding::internal {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The checks of one code, or of one past revision (prefix "history[2].", no id of its own).
void check_fields(const FrameworkCode& code, std::size_t index, const std::string& prefix,
                  bool with_id, std::vector<Problem>& out) {
  auto problem = [&](const std::string& field, std::string message) {
    out.push_back({index, prefix + field, std::move(message)});
  };
  if (with_id) {
    if (code.id.empty()) {
      problem("id", "missing");
    } else if (!is_code_id(code.id)) {
      problem("id", fmt::format("\"{}\" is not a code id: lower-case letters a-z, digits and "
                                "'-', with '.' between levels, at most {} bytes",
                                code.id, kMaxIdBytes));
    }
  }
  if (!code.parent.empty() && !is_code_id(code.parent)) {
    problem("parent", fmt::format("\"{}\" is not a code id", code.parent));
  }
  if (code.label.en.empty()) problem("labels.en", "missing");
  const std::pair<const char*, const std::string*> labels[] = {
      {"en", &code.label.en}, {"be", &code.label.be}, {"ru", &code.label.ru}};
  for (const auto& [language, text] : labels) {
    if (auto p = text_problem(*text, kMaxLabelBytes, false); !p.empty()) {
      problem(std::string("labels.") + language, p);
    }
  }
  const std::pair<const char*, const std::string*> definitions[] = {
      {"en", &code.definition.en}, {"be", &code.definition.be}, {"ru", &code.definition.ru}};
  for (const auto& [language, text] : definitions) {
    if (auto p = text_problem(*text, kMaxDefinitionBytes, true); !p.empty()) {
      problem(std::string("definitions.") + language, p);
    }
  }
  if (code.revision < 1 || code.revision > kMaxRevisions) {
    problem("revision", fmt::format("must be from 1 to {}", kMaxRevisions));
  }
}

// Walks each code up to its top-level category once, marking cycles and depth.
class TreeCheck {
 public:
  TreeCheck(const std::vector<FrameworkCode>& codes,
            const std::map<std::string_view, std::size_t>& by_id)
      : codes_(codes), by_id_(by_id), depth_(codes.size(), 0), state_(codes.size(), kNew) {}

  void run(std::vector<Problem>& out) {
    for (std::size_t i = 0; i < codes_.size(); ++i) {
      if (state_[i] == kNew) walk(i, out);
    }
  }
  bool in_cycle(std::size_t i) const { return state_[i] == kCycle; }

 private:
  enum State { kNew, kOnPath, kDone, kCycle };

  void walk(std::size_t start, std::vector<Problem>& out) {
    std::vector<std::size_t> path;  // start and its ancestors not yet done
    std::size_t i = start;
    int base_depth = 0;  // depth of the first done ancestor (0: none, a root)
    while (true) {
      state_[i] = kOnPath;
      path.push_back(i);
      auto parent = by_id_.find(codes_[i].parent);
      if (codes_[i].parent.empty() || parent == by_id_.end()) break;
      const std::size_t p = parent->second;
      if (state_[p] == kOnPath) {
        report_cycle(path, p, out);
        return;
      }
      if (state_[p] != kNew) {
        base_depth = state_[p] == kCycle ? -1 : depth_[p];
        break;
      }
      i = p;
    }
    // Depths from the top down: the last on the path is the highest.
    for (std::size_t k = path.size(); k-- > 0;) {
      const std::size_t code = path[k];
      if (base_depth < 0) {
        state_[code] = kCycle;  // under a cycle, already reported
        continue;
      }
      depth_[code] = ++base_depth;
      state_[code] = kDone;
      if (depth_[code] == kMaxDepth + 1) {
        out.push_back({code, "parent", fmt::format("more than {} levels deep", kMaxDepth)});
      }
    }
  }

  void report_cycle(const std::vector<std::size_t>& path, std::size_t first,
                    std::vector<Problem>& out) {
    auto at = std::find(path.begin(), path.end(), first);
    std::string chain;
    for (auto it = at; it != path.end(); ++it) chain += codes_[*it].id + " -> ";
    chain += codes_[first].id;
    out.push_back(
        {first, "parent", fmt::format("codes form a cycle: {} (each under the next)", chain)});
    for (std::size_t i : path) state_[i] = kCycle;
  }

  const std::vector<FrameworkCode>& codes_;
  const std::map<std::string_view, std::size_t>& by_id_;
  std::vector<int> depth_;
  std::vector<State> state_;
};

void check_history(const FrameworkCode& code, std::size_t index,
                   const std::vector<FrameworkCode>& past,
                   const std::map<std::string_view, std::size_t>& by_id,
                   std::vector<Problem>& out) {
  if (code.revision < 1 || code.revision > kMaxRevisions) return;  // reported already
  const std::size_t expected = static_cast<std::size_t>(code.revision - 1);
  if (past.size() != expected) {
    out.push_back({index, "history",
                   expected == 0
                       ? fmt::format("revision 1 has no history, but {} past revisions are listed",
                                     past.size())
                       : fmt::format("revision {} needs revisions 1 to {} in its history, but {} "
                                     "are listed",
                                     code.revision, expected, past.size())});
    return;
  }
  for (std::size_t k = 0; k < past.size(); ++k) {
    const std::string prefix = fmt::format("history[{}].", k);
    if (past[k].revision != static_cast<int>(k + 1)) {
      out.push_back({index, prefix + "revision",
                     fmt::format("must be {} (oldest first, none left out)", k + 1)});
    }
    check_fields(past[k], index, prefix, false, out);
    if (!past[k].parent.empty() && is_code_id(past[k].parent) && !by_id.count(past[k].parent)) {
      out.push_back(
          {index, prefix + "parent",
           fmt::format("unknown parent \"{}\" (codes are never deleted)", past[k].parent)});
    }
  }
}

}  // namespace

std::string text_problem(std::string_view text, std::size_t max_bytes, bool line_breaks) {
  if (text.size() > max_bytes) return fmt::format("longer than {} bytes", max_bytes);
  if (!is_valid_utf8(text)) return "not UTF-8 text";
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && !(line_breaks && c == '\n')) || c == 0x7f) {
      return line_breaks ? "has control characters (only line breaks are allowed)"
                         : "has control characters or line breaks";
    }
  }
  if (!text.empty() && (is_space(text.front()) || is_space(text.back()))) {
    return "starts or ends with white space";
  }
  return "";
}

std::string new_id_problem(const FrameworkCode& code) {
  if (!is_code_id(code.id)) return "";  // the check names that
  if (code.parent.empty()) {
    return code.id.find('.') == std::string::npos
               ? ""
               : fmt::format("a new top-level code's id has no '.' (\"{}\" names a parent)",
                             code.id);
  }
  const std::string prefix = code.parent + ".";
  const bool extends = code.id.size() > prefix.size() && code.id.starts_with(prefix) &&
                       code.id.find('.', prefix.size()) == std::string::npos;
  return extends ? ""
                 : fmt::format("a new code under \"{}\" needs an id \"{}.<name>\", not \"{}\"",
                               code.parent, code.parent, code.id);
}

Status invalid(const std::vector<std::string>& messages, std::size_t more) {
  std::string text;
  for (std::size_t i = 0; i < messages.size() && i < kMaxReported; ++i) {
    if (i > 0) text += "; ";
    text += messages[i];
  }
  if (messages.size() + more > kMaxReported) {
    text += fmt::format("; and {} more problems", messages.size() + more - kMaxReported);
  }
  return Status(evhub::Code::kInvalidArgument, text);
}

std::string some_ids(const std::vector<std::string>& ids) {
  constexpr std::size_t kShown = 5;
  std::string text;
  for (std::size_t i = 0; i < ids.size() && i < kShown; ++i) {
    if (i > 0) text += ", ";
    text += ids[i];
  }
  if (ids.size() > kShown) text += fmt::format(" and {} more", ids.size() - kShown);
  return text;
}

std::vector<Problem> FrameworkParts::check(int version, const std::vector<FrameworkCode>& codes,
                                           const History& history) {
  std::vector<Problem> out;
  if (codes.size() > kMaxCodes) {
    out.push_back({kNoCode, "codes", fmt::format("{} codes; at most {}", codes.size(), kMaxCodes)});
    return out;
  }
  std::map<std::string_view, std::size_t> by_id;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    check_fields(codes[i], i, "", true, out);
    if (!by_id.emplace(codes[i].id, i).second) {
      out.push_back({i, "id", fmt::format("\"{}\" is the id of an earlier code too", codes[i].id)});
    }
  }
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const std::string& parent = codes[i].parent;
    if (!parent.empty() && is_code_id(parent) && !by_id.count(parent)) {
      out.push_back({i, "parent", fmt::format("unknown parent \"{}\"", parent)});
    }
  }
  TreeCheck tree(codes, by_id);
  tree.run(out);
  for (std::size_t i = 0; i < codes.size(); ++i) {
    auto parent = by_id.find(codes[i].parent);
    if (codes[i].parent.empty() || parent == by_id.end() || tree.in_cycle(i)) continue;
    const FrameworkCode& p = codes[parent->second];
    if (p.retired && !codes[i].retired) {
      out.push_back(
          {i, "parent", fmt::format("\"{}\" is retired: a code in use cannot be under it", p.id)});
    }
    if (p.restricted && !codes[i].restricted) {
      out.push_back(
          {i, "restricted", fmt::format("must be restricted like its parent \"{}\"", p.id)});
    }
  }
  static const std::vector<FrameworkCode> kNone;
  int highest_revision = 0;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    auto past = history.find(codes[i].id);
    check_history(codes[i], i, past == history.end() ? kNone : past->second, by_id, out);
    if (codes[i].revision > highest_revision) {
      highest_revision = codes[i].revision;
    }
  }
  for (const auto& [id, past] : history) {
    if (!by_id.count(id)) out.push_back({kNoCode, "history", "history of an unknown code " + id});
  }
  if (version < 0 || (!codes.empty() && version < 1)) {
    out.push_back({kNoCode, "version", "must be at least 1 for a framework with codes"});
  } else if (version < highest_revision) {
    out.push_back({kNoCode, "version",
                   fmt::format("{} is lower than a code's revision {}: every revision came with "
                               "a new version",
                               version, highest_revision)});
  }
  return out;
}

Framework FrameworkParts::make(int version, std::vector<FrameworkCode> codes, History history) {
  Framework framework;
  framework.version_ = version;
  framework.codes_ = std::move(codes);
  framework.history_ = std::move(history);
  framework.reindex();
  return framework;
}

}  // namespace evhub::coding::internal
