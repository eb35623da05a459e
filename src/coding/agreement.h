// Inter-coder agreement: how consistently two or more analysts applied the same codes to the
// same testimony, per code, as Cohen's kappa per coder pair and Krippendorff's alpha over
// explicit units (usually sentences), with character overlap and the disagreements to review.
// Pure computation over values: nothing here reads or writes storage.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace evhub::coding {

// A stretch of a text that agreement is measured on: coders agree or disagree about whether a
// code applies to each unit. Offsets are code points of the stored text, [begin, end).
struct Unit {
  std::string text_id;
  std::size_t index = 0;  // the unit's number within its text, unique per text
  std::size_t begin = 0;
  std::size_t end = 0;
};

// One span a coder coded with a code, in code points of the stored text, [begin, end).
struct Coding {
  std::string coder;
  std::string text_id;
  std::string code;
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Which coders worked on each text. A coder listed for a text who left a unit without a code
// said "absent" for it; a coder not listed for a text gave no value for its units (missing),
// and is left out of every statistic on them.
using CodersPerText = std::map<std::string, std::set<std::string>>;

// The sentences of `text` (UTF-8) as units of `text_id`, numbered from 0, by ICU's sentence
// rules, with offsets in code points. White space around a sentence is left out of its unit
// (it would count towards the unit's length in span_codes_unit), and stretches of nothing but
// white space are not units. kInvalidArgument for text that is not valid UTF-8.
Result<std::vector<Unit>> split_sentences(const std::string& text_id, std::string_view text);

// The rule that turns spans into unit values: a span codes a unit when they overlap by at
// least half the length of the shorter of the two. Coders highlight loosely: a short phrase
// inside a long sentence ("hit me with a baton") means the sentence, so half of the unit alone
// would be too strict; a span that runs a word into the next sentence does not mean that
// sentence, so any overlap would be too loose. A coder applied a code to a unit when any one
// of their spans for it codes the unit. Both lengths must be positive.
bool span_codes_unit(std::size_t unit_begin, std::size_t unit_end, std::size_t span_begin,
                     std::size_t span_end);

// A 2x2 table of two coders' binary values over the units both gave a value to.
struct BinaryTable {
  std::size_t both = 0;     // both applied the code
  std::size_t only_a = 0;   // the first applied it, the second did not
  std::size_t only_b = 0;   // the second applied it, the first did not
  std::size_t neither = 0;  // neither applied it
  std::size_t units() const { return both + only_a + only_b + neither; }
};

// Cohen's kappa, (Po - Pe) / (1 - Pe), with Pe = Σ_k pA(k)·pB(k) over k ∈ {applied, not}.
// Undefined (no value, with the reason) when the table is empty, or when Pe = 1: both coders
// gave every unit the same value, so there is no chance-corrected agreement to speak of.
struct Kappa {
  BinaryTable table;
  double observed = 0;  // Po; 0 when the table is empty
  double chance = 0;    // Pe; 0 when the table is empty
  std::optional<double> value;
  std::string undefined_reason;  // set exactly when value is empty
};
Kappa cohen_kappa(const BinaryTable& table);

// [unit][coder]: the category a coder gave a unit, or nothing when that coder did not code the
// unit at all. Every row has one entry per coder.
using ReliabilityData = std::vector<std::vector<std::optional<int>>>;

// Krippendorff's alpha for nominal data, 1 - D_o / D_e, from the coincidence matrix: each unit
// with m ≥ 2 values adds 1/(m-1) to o(c,k) for every ordered pair of values c, k from
// different coders; units with fewer than two values are not pairable and add nothing.
struct Alpha {
  std::optional<double> value;
  std::string undefined_reason;                        // set exactly when value is empty
  std::size_t pairable_values = 0;                     // n, the sum of the coincidence matrix
  std::map<std::pair<int, int>, double> coincidences;  // o(c,k); cells that stay 0 are absent
  double observed_disagreement = 0;                    // D_o = Σ_{c≠k} o(c,k) / n
  double expected_disagreement = 0;                    // D_e = Σ_{c≠k} n_c·n_k / (n(n-1))
};
// kInvalidArgument when rows differ in length, there are fewer than two coders, or no unit has
// values from two coders (fewer than two pairable values: nothing to compare). Alpha is
// undefined, not an error, when every pairable value is the same category (D_e = 0).
Result<Alpha> nominal_alpha(const ReliabilityData& data);

// Character overlap of two coders' spans for a code: |A∩B| / |A∪B| (Jaccard) over the code
// points each coded, over the texts both worked on. A diagnostic beside the unit statistics:
// it shows whether coders who agree on units also mark the same words.
struct CharacterOverlap {
  std::size_t intersection = 0;   // code points both coded
  std::size_t union_size = 0;     // code points either coded
  std::optional<double> jaccard;  // empty when neither coded anything there (0/0)
};

// The statistics of one code for one pair of coders (coder_a < coder_b).
struct CoderPair {
  std::string coder_a;
  std::string coder_b;
  Kappa kappa;  // over the units of the texts both worked on
  CharacterOverlap overlap;
};

// A unit where coders differ on one code, for review side by side.
struct Disagreement {
  std::string text_id;
  std::size_t unit_index = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::vector<std::string> applied;      // coders who applied the code, sorted
  std::vector<std::string> not_applied;  // coders who worked on the text but did not, sorted
};

struct CodeAgreement {
  std::string code;
  std::vector<CoderPair> pairs;  // every pair of coders, in coder order
  // The mean of the pairs' defined kappas (Light's kappa when there are more than two coders;
  // the one pair's kappa when there are two). Empty when no pair's kappa is defined.
  std::optional<double> mean_kappa;
  std::size_t pairs_in_mean = 0;
  // Over every pairable unit, with 1 for applied and 0 for not; missing where a coder did not
  // work on the text.
  Alpha alpha;
  std::vector<Disagreement> disagreements;  // by text, then unit index
};

struct AgreementReport {
  std::vector<std::string> coders;   // sorted
  std::size_t units = 0;             // units given
  std::size_t pairable_units = 0;    // units of texts that two or more coders worked on
  std::vector<CodeAgreement> codes;  // every code that appears in the codings, sorted
  // Alpha over the binary values of every (unit, code): the per-code data stacked, so it is
  // the agreement on "does this code apply to this unit" across all codes. There is no
  // nominal alpha over one value per unit: a unit can carry several codes at once.
  Alpha overall_alpha;
};

// Agreement over `units` (any order) of the codings. kInvalidArgument, naming what to fix, for
// an empty or reversed unit or span, a unit index given twice for a text, a unit or coding on a
// text missing from `coders_per_text`, a coding by a coder not listed for its text, fewer than
// two coders in all, or no unit in a text that two or more coders worked on.
Result<AgreementReport> agreement(const std::vector<Unit>& units,
                                  const std::vector<Coding>& codings,
                                  const CodersPerText& coders_per_text);

}  // namespace evhub::coding
