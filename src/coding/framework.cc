#include "coding/framework.h"

#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include "coding/framework_internal.h"

namespace evhub::coding {

namespace {

using internal::invalid;

// "code physical.x: parent: unknown parent \"physical.y\"" for each problem.
std::vector<std::string> describe(const std::vector<internal::Problem>& problems,
                                  const std::vector<FrameworkCode>& codes) {
  std::vector<std::string> out;
  for (const auto& p : problems) {
    out.push_back(p.code == internal::kNoCode
                      ? fmt::format("{}: {}", p.field, p.message)
                      : fmt::format("code {}: {}: {}", codes[p.code].id, p.field, p.message));
  }
  return out;
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

}  // namespace

bool same_meaning(const FrameworkCode& a, const FrameworkCode& b) {
  return a.parent == b.parent && a.label == b.label && a.definition == b.definition &&
         a.restricted == b.restricted;
}

bool is_code_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes) return false;
  bool after_separator = true;  // at the start, or after '-' or '.'
  for (char c : id) {
    if (is_word_char(c)) {
      after_separator = false;
    } else if ((c == '-' || c == '.') && !after_separator) {
      after_separator = true;
    } else {
      return false;
    }
  }
  return !after_separator;
}

const FrameworkCode* Framework::find(std::string_view id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &codes_[it->second];
}

Result<FrameworkCode> Framework::code_at(std::string_view id, int revision) const {
  const FrameworkCode* code = find(id);
  if (!code) return Status(evhub::Code::kNotFound, fmt::format("no code {}", id));
  if (revision == code->revision) return *code;
  const auto& past = history(id);
  if (revision < 1 || revision > code->revision) {
    return Status(evhub::Code::kNotFound, fmt::format("code {} has no revision {} (it has 1 to {})",
                                                      id, revision, code->revision));
  }
  FrameworkCode then = past[static_cast<std::size_t>(revision - 1)];
  then.retired = code->retired;
  return then;
}

const std::vector<FrameworkCode>& Framework::history(std::string_view id) const {
  static const std::vector<FrameworkCode> kNone;
  auto it = history_.find(id);
  return it == history_.end() ? kNone : it->second;
}

std::vector<const FrameworkCode*> Framework::children(std::string_view id) const {
  std::vector<const FrameworkCode*> out;
  for (const FrameworkCode& code : codes_) {
    if (code.parent == id) out.push_back(&code);
  }
  return out;
}

std::vector<const FrameworkCode*> Framework::path(std::string_view id) const {
  std::vector<const FrameworkCode*> out;
  // The tree is at most kMaxDepth deep and has no cycle; the bound is only a guard.
  for (const FrameworkCode* code = find(id);
       code && out.size() <= static_cast<std::size_t>(kMaxDepth);
       code = code->parent.empty() ? nullptr : find(code->parent)) {
    out.push_back(code);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

Status Framework::add(FrameworkCode code) {
  if (find(code.id)) {
    return invalid({fmt::format("code {}: id: already exists (ids are never reused)", code.id)});
  }
  // Under an unknown parent, that is the problem to name (commit does).
  if (code.parent.empty() || find(code.parent)) {
    if (auto p = internal::new_id_problem(code); !p.empty()) {
      return invalid({fmt::format("code {}: id: {}", code.id, p)});
    }
  }
  if (code.retired) {
    return invalid({fmt::format("code {}: retired: a new code cannot be retired", code.id)});
  }
  code.revision = 1;
  Framework next = *this;
  next.codes_.push_back(std::move(code));
  ++next.version_;
  return commit(std::move(next));
}

Status Framework::edit(std::string_view id, const FrameworkCode& changed) {
  const FrameworkCode* current = find(id);
  if (!current) return Status(evhub::Code::kNotFound, fmt::format("no code {}", id));
  if (changed.id != id) {
    return invalid(
        {fmt::format("code {}: id: ids never change (the edit names \"{}\"); add a new "
                     "code and retire this one",
                     id, changed.id)});
  }
  if (changed.revision != current->revision) {
    return Status(evhub::Code::kFailedPrecondition,
                  fmt::format("code {} is at revision {}, but the edit was made to revision {}: it "
                              "has changed since; review it and edit again",
                              id, current->revision, changed.revision));
  }
  const bool new_meaning = !same_meaning(*current, changed);
  if (!new_meaning && changed.retired == current->retired) return Status::ok();
  if (changed.retired && !current->retired) {
    std::vector<std::string> in_use;
    for (const FrameworkCode* child : children(id)) {
      if (!child->retired) in_use.push_back(child->id);
    }
    if (!in_use.empty()) {
      return invalid({fmt::format(
          "code {}: retired: codes under it are still in use ({}); retire or move them first", id,
          internal::some_ids(in_use))});
    }
  }
  Framework next = *this;
  const auto position = next.codes_.begin() + static_cast<long>(index_.find(id)->second);
  FrameworkCode& target = *position;
  const bool moved = target.parent != changed.parent;
  if (new_meaning) {
    FrameworkCode old = target;
    old.retired = false;  // not part of a revision: code_at() shows today's
    next.history_[target.id].push_back(std::move(old));
    ++target.revision;
  }
  target.parent = changed.parent;
  target.label = changed.label;
  target.definition = changed.definition;
  target.restricted = changed.restricted;
  target.retired = changed.retired;
  // Last in codes_, a moved code comes last among its new siblings (reindex keeps the order).
  if (moved) std::rotate(position, position + 1, next.codes_.end());
  ++next.version_;
  return commit(std::move(next));
}

Status Framework::retire(std::string_view id) {
  const FrameworkCode* current = find(id);
  if (!current) return Status(evhub::Code::kNotFound, fmt::format("no code {}", id));
  FrameworkCode changed = *current;
  changed.retired = true;
  return edit(id, changed);
}

Status Framework::reinstate(std::string_view id) {
  const FrameworkCode* current = find(id);
  if (!current) return Status(evhub::Code::kNotFound, fmt::format("no code {}", id));
  FrameworkCode changed = *current;
  changed.retired = false;
  return edit(id, changed);
}

bool operator==(const Framework& a, const Framework& b) {
  return a.version_ == b.version_ && a.codes_ == b.codes_ && a.history_ == b.history_;
}

void Framework::reindex() {
  // Children by parent, in their present order; a pre-order walk then keeps siblings' order.
  std::map<std::string_view, std::vector<std::size_t>> children_of;
  for (std::size_t i = 0; i < codes_.size(); ++i) children_of[codes_[i].parent].push_back(i);
  std::vector<std::size_t> order;
  order.reserve(codes_.size());
  std::function<void(std::string_view)> visit = [&](std::string_view parent) {
    auto it = children_of.find(parent);
    if (it == children_of.end()) return;
    for (std::size_t i : it->second) {
      order.push_back(i);
      visit(codes_[i].id);
    }
  };
  visit("");
  std::vector<FrameworkCode> sorted;
  sorted.reserve(codes_.size());
  for (std::size_t i : order) sorted.push_back(std::move(codes_[i]));
  codes_ = std::move(sorted);
  index_.clear();
  for (std::size_t i = 0; i < codes_.size(); ++i) index_.emplace(codes_[i].id, i);
}

Status Framework::commit(Framework next) {
  const auto problems = internal::FrameworkParts::check(next.version_, next.codes_, next.history_);
  if (!problems.empty()) return invalid(describe(problems, next.codes_));
  next.reindex();
  *this = std::move(next);
  return Status::ok();
}

std::string sensitivity_of_code(const Framework& framework, std::string_view id) {
  const FrameworkCode* code = framework.find(id);
  if (!code || !code->restricted) return "normal";
  const auto path = framework.path(id);
  return !path.empty() && path.front()->id == "sgbv" ? "sexual-violence" : "health";
}

}  // namespace evhub::coding
