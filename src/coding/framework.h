// The coding framework: the taxonomy analysts apply to passages of testimony ("baton blows",
// "forced nudity"), a tree of codes labelled and defined in English, Belarusian and Russian.
// It is versioned so that an edit never silently re-labels old codings: a coding stores (code
// id, code revision), and the framework keeps every revision of every code to show it by.
//
// A pure model with no storage; the hub keeps it as JSON (framework_to_json) in its records.
//
// Versioning, the rule every edit follows:
//  - A code's MEANING is its parent, its labels and definitions in every language and its
//    `restricted` flag. Any change to it, a one-letter typo fix included, makes a new revision
//    of the code (revision + 1) and keeps the old one in the code's history: a coding made with
//    revision 3 still shows revision 3's words, and its revision differing from the code's
//    current one is how the workspace says "label changed since coded".
//  - `retired` is not part of the meaning: retiring or reinstating a code changes no revision
//    (what old codings mean is unchanged), it only hides the code from new coding.
//  - The framework's `version` goes up by one with every edit that changes anything (a code
//    added, a meaning changed, a code retired or reinstated), and by one for a whole CSV applied
//    at once. An edit that changes nothing changes no number.
//  - Ids never change and codes are never deleted (old codings name them): a code that should
//    go is retired, a code that should be renamed is added anew and the old one retired.
//
// Invariants of every Framework (checked on each edit and import):
//  - ids are unique and well formed (is_code_id); a parent is a code of the framework, the tree
//    has no cycle and is at most kMaxDepth levels deep;
//  - every code has an English label; texts are UTF-8 without control characters (definitions
//    may have line breaks), within the limits below, without white space at either end;
//  - a code that is not retired is not under a retired one (the tree shown for new coding has
//    no holes), and a code under a restricted one is restricted too (moving a code under
//    "sgbv" cannot leave it readable by people not cleared for sexual-violence material);
//  - a code at revision r has exactly revisions 1..r-1 in its history, oldest first.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace evhub::coding {

// Limits that refuse absurd input (a framework in use has a few hundred codes).
inline constexpr std::size_t kMaxCodes = 10'000;
inline constexpr std::size_t kMaxIdBytes = 100;
inline constexpr std::size_t kMaxLabelBytes = 200;
inline constexpr std::size_t kMaxDefinitionBytes = 2'000;
inline constexpr int kMaxDepth = 8;
inline constexpr int kMaxRevisions = 1'000;                     // of one code
inline constexpr std::size_t kMaxFileBytes = 32 * 1024 * 1024;  // JSON or CSV to import

// One text in each of the platform's languages (Belarusian in the official orthography).
struct Texts {
  std::string en;
  std::string be;
  std::string ru;
  bool operator==(const Texts&) const = default;
};

struct FrameworkCode {
  // "physical.baton-blows": lower-case ASCII letters, digits and '-', with '.' between levels.
  // A new code's id is its parent's id, a dot and one more part; it then never changes, even
  // when the code is moved elsewhere.
  std::string id;
  std::string parent;  // empty: a top-level category
  Texts label;         // en required
  Texts definition;
  bool restricted = false;  // material coded with it is restricted further (SGBV, health)
  bool retired = false;     // hidden from new coding; old codings keep it
  int revision = 1;         // set by the framework
  bool operator==(const FrameworkCode&) const = default;
};

// Whether a and b mean the same (parent, labels, definitions, restricted): if not, b is a new
// revision of a.
bool same_meaning(const FrameworkCode& a, const FrameworkCode& b);
// Whether `id` is well formed: parts of [a-z0-9] words joined by single '-', separated by '.'.
bool is_code_id(std::string_view id);

namespace internal {
struct FrameworkParts;
}

class Framework {
 public:
  Framework() = default;  // no codes, version 0

  int version() const { return version_; }
  // Every code, current revisions, in tree order: each code before its children, siblings in
  // the order they were added or listed in the file they came from (a moved code comes last
  // among its new siblings).
  const std::vector<FrameworkCode>& codes() const { return codes_; }
  // nullptr if there is no such code. Pointers from find, children and path are good until
  // the next edit.
  const FrameworkCode* find(std::string_view id) const;
  // The code as it was at `revision` (meaning of that revision, today's `retired`); kNotFound
  // for an unknown id or revision.
  Result<FrameworkCode> code_at(std::string_view id, int revision) const;
  // The code's past revisions, oldest first (revisions 1 .. current - 1); empty if none.
  const std::vector<FrameworkCode>& history(std::string_view id) const;
  // The codes directly under `id` ("" for the top-level categories), retired ones included.
  std::vector<const FrameworkCode*> children(std::string_view id) const;
  // The code's ancestors from its top-level category down, ending with the code itself;
  // empty for an unknown id.
  std::vector<const FrameworkCode*> path(std::string_view id) const;

  // Edits. Each checks the framework it would make and, on any problem, changes nothing and
  // returns kInvalidArgument naming the code and what is wrong ("code physical.x: parent:
  // unknown parent \"physical.y\"").
  //
  // A new code, at revision 1 (code.revision is ignored); it may not be retired.
  Status add(FrameworkCode code);
  // Replaces the code's meaning and retired flag by `changed`'s. changed.id must be `id` (ids
  // never change) and changed.revision the code's current revision, i.e. the one the edit was
  // made from: kFailedPrecondition if the code has been changed since. kNotFound for an
  // unknown id.
  Status edit(std::string_view id, const FrameworkCode& changed);
  // Hides the code from new coding; refused while codes under it are not retired.
  Status retire(std::string_view id);
  // Offers a retired code for new coding again; refused while its parent is retired.
  Status reinstate(std::string_view id);

  friend bool operator==(const Framework& a, const Framework& b);

 private:
  friend struct internal::FrameworkParts;
  // Puts codes_ in tree order and rebuilds index_; codes_ must form a valid tree.
  void reindex();
  // Makes `next` this framework if it breaks no invariant.
  Status commit(Framework next);

  int version_ = 0;
  std::vector<FrameworkCode> codes_;
  std::map<std::string, std::vector<FrameworkCode>, std::less<>> history_;  // past revisions by id
  std::map<std::string, std::size_t, std::less<>> index_;  // id -> position in codes_
};

// The sensitivity (catalog::kSensitivities) a code gives the material it is applied to:
// "normal" unless the code is restricted; a restricted code under the top-level category "sgbv"
// makes it "sexual-violence", any other restricted code (injuries, health) "health".
std::string sensitivity_of_code(const Framework& framework, std::string_view id);

// What changed from `before` to `after`, for an administrator's review before an import.
// Each list holds ids in `after`'s tree order (`removed`: in `before`'s).
struct FrameworkDiff {
  std::vector<std::string> added;
  std::vector<std::string> relabelled;           // a label or definition, in any language
  std::vector<std::string> moved;                // parent changed
  std::vector<std::string> restriction_changed;  // restricted set or cleared
  std::vector<std::string> retired;
  std::vector<std::string> reinstated;
  // Never acceptable in an import (check_successor refuses them):
  std::vector<std::string> removed;    // codes `after` lacks: old codings would name nothing
  std::vector<std::string> rewritten;  // a revision `before` knows means something else in
                                       // `after`, or the revision went back: old codings would
                                       // silently change meaning
  bool empty() const;
};
FrameworkDiff diff(const Framework& before, const Framework& after);
// OK if `after` may replace `before`: nothing removed or rewritten, and a higher version if
// anything changed. kInvalidArgument naming the codes otherwise.
Status check_successor(const Framework& before, const Framework& after);

// JSON, the framework whole with every code's history (the format the hub stores):
//   {"format": "evhub-coding-framework", "format_version": 1, "version": 7,
//    "codes": [{"id": "physical.baton-blows", "parent": "physical",
//               "labels": {"en": "Baton blows", "be": "...", "ru": "..."},
//               "definitions": {"en": "...", "be": "...", "ru": "..."},
//               "restricted": false, "retired": false, "revision": 2,
//               "history": [{"revision": 1, "parent": "physical", "labels": {...},
//                            "definitions": {...}, "restricted": false}]}]}
// Codes are listed in tree order. On import, "parent", "definitions", "be", "ru" (default
// empty), "restricted", "retired" (false), "revision" (1) and "history" ([]) may be left out;
// unknown fields are refused, since a misspelt one would be silently lost.
inline constexpr std::string_view kJsonFormat = "evhub-coding-framework";
inline constexpr int kJsonFormatVersion = 1;
std::string framework_to_json(const Framework& framework);
// Checks everything and never throws: kInvalidArgument lists the problems (the first 20), each
// with its JSON path: "codes[12].labels.en: missing; codes[14].parent: unknown parent \"x\"".
Result<Framework> framework_from_json(std::string_view json);
// framework_from_json of a file (at most kMaxFileBytes); kNotFound if it cannot be read.
Result<Framework> read_framework_file(const std::string& path);

// The framework shipped with Evidence Hub (data/coding/default-framework.json in the source
// tree, found where the build was configured): the violation types the platform documents,
// about 75 codes under eight top-level categories.
std::string default_framework_path();
Result<Framework> default_framework();

// CSV, one code a line, for editing in a spreadsheet. Columns (a header row names them):
//   id,parent,label_en,label_be,label_ru,definition_en,definition_be,definition_ru,restricted,retired
// restricted and retired are yes or no (true/false, 1/0 and empty for no are read too). The
// history is not in CSV. Exported in tree order as UTF-8 with a byte-order mark, which
// spreadsheet programs need to read Cyrillic right.
std::string framework_to_csv(const Framework& framework);
// Applies a CSV to `base` as edits and returns the result (framework_to_csv's output, edited):
//  - a row whose id is in `base` edits that code: when its meaning changes it gets a new
//    revision and the old one goes to its history; a row that changes nothing changes nothing;
//  - a row with a new id adds a code at revision 1 (into an empty base: a new framework);
//  - codes the CSV leaves out are unchanged: codes are never deleted, set retired to yes;
//  - the header may leave out columns other than id: for existing codes those fields are kept,
//    for new codes they are empty (or no). A cell left empty in a column that is there empties
//    that field. Cells are trimmed of spaces at both ends.
//  - the version goes up by one if anything changed.
// UTF-8 with or without a byte-order mark; quoted fields may hold commas, quotes ("") and line
// breaks; lines may end in LF or CRLF. Nothing is applied unless the whole file is sound:
// kInvalidArgument lists the problems (the first 20) with line and column:
// "line 4, column 2 (parent): unknown parent \"physical.x\"".
Result<Framework> apply_csv(const Framework& base, std::string_view csv);

}  // namespace evhub::coding
