// What changed between two frameworks, and whether one may replace the other without changing
// what an old coding (code id, revision) means.
#include <fmt/format.h>

#include "coding/framework.h"
#include "coding/framework_internal.h"

namespace evhub::coding {

namespace {

// Whether `after` gives any revision that `before` knows of the code another meaning, or no
// longer has it (its revision went back).
bool rewrites(const Framework& before, const Framework& after, const FrameworkCode& old) {
  for (int r = 1; r <= old.revision; ++r) {
    auto was = before.code_at(old.id, r);
    auto is = after.code_at(old.id, r);
    if (!was.is_ok() || !is.is_ok() || !same_meaning(*was, *is)) return true;
  }
  return false;
}

}  // namespace

bool FrameworkDiff::empty() const {
  return added.empty() && relabelled.empty() && moved.empty() && restriction_changed.empty() &&
         retired.empty() && reinstated.empty() && removed.empty() && rewritten.empty();
}

FrameworkDiff diff(const Framework& before, const Framework& after) {
  FrameworkDiff d;
  for (const FrameworkCode& now : after.codes()) {
    const FrameworkCode* old = before.find(now.id);
    if (!old) {
      d.added.push_back(now.id);
      continue;
    }
    if (old->label != now.label || old->definition != now.definition) {
      d.relabelled.push_back(now.id);
    }
    if (old->parent != now.parent) d.moved.push_back(now.id);
    if (old->restricted != now.restricted) d.restriction_changed.push_back(now.id);
    if (!old->retired && now.retired) d.retired.push_back(now.id);
    if (old->retired && !now.retired) d.reinstated.push_back(now.id);
    if (rewrites(before, after, *old)) d.rewritten.push_back(now.id);
  }
  for (const FrameworkCode& old : before.codes()) {
    if (!after.find(old.id)) d.removed.push_back(old.id);
  }
  return d;
}

Status check_successor(const Framework& before, const Framework& after) {
  const FrameworkDiff d = diff(before, after);
  std::vector<std::string> problems;
  if (!d.removed.empty()) {
    problems.push_back(fmt::format("codes are never deleted, but {} would be (retire them instead)",
                                   internal::some_ids(d.removed)));
  }
  if (!d.rewritten.empty()) {
    problems.push_back(fmt::format(
        "revisions of {} would mean something else than before, silently re-labelling what was "
        "coded with them (a change needs a new revision)",
        internal::some_ids(d.rewritten)));
  }
  if (!d.empty() && after.version() <= before.version()) {
    problems.push_back(fmt::format("version {} is not above the current version {}",
                                   after.version(), before.version()));
  }
  return problems.empty() ? Status::ok() : internal::invalid(problems);
}

}  // namespace evhub::coding
