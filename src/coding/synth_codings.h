// Synthetic codings for `evhub synth` (demos, tests, benchmarks): FICTIONAL coders apply codes of
// the hub's coding framework to the lines of synth's transcripts that tell of a violation. The
// codes fit what each line says (collection::SynthStatement::says, synth's own words, turned into
// framework codes here), with the facets its story gives: the day it tells of, the place and
// facility by name, the officials it names. Two coders code each transcript and sometimes differ
// on purpose (a code left out, another or a broader one chosen, a passage missed) so that the
// agreement statistics have something to measure. Every annotation made is returned with what it
// was given: the ground truth that retrieval by code and facet is measured against.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "coding/annotations.h"
#include "coding/framework.h"
#include "collection/synth.h"
#include "core/status.h"

namespace evhub::coding {

// The coders are user ids "synth-coder-1" .. "synth-coder-N", not accounts: an annotation names
// its coder by user id, and nobody signs in as a synthetic coder.
inline constexpr const char* kSynthCoderPrefix = "synth-coder-";

struct SynthCodingOptions {
  int passages_per_transcript = 3;  // lines coded per transcript (fewer if fewer tell anything)
  int coders = 3;                   // synth-coder-1 .. N; two of them code each transcript
  double disagreement = 0.2;        // chance that the second coder differs on a passage
  std::uint64_t seed = 1;           // the same seed and transcripts make the same codings
};
// Checks the numbers; the message names the option as `evhub synth` spells it.
Status check_synth_coding_options(const SynthCodingOptions& options);

// The codes of the default framework a line fits, by what it says (SynthStatement::says), in
// a fixed order; empty when it tells of no violation ("held" alone).
std::vector<std::string> synth_codes_for(const std::vector<std::string>& says);

// How a coder's annotation differs from what the line says (SynthCoding::disagreement).
inline constexpr const char* kOtherCode = "other-code";       // a neighbouring code instead
inline constexpr const char* kExtraCode = "extra-code";       // a neighbouring code as well
inline constexpr const char* kBroaderCode = "broader-code";   // the category instead of the code
inline constexpr const char* kLeftOutCode = "left-out-code";  // one of several codes left out

// The ground truth of one annotation made: what it was given, and what the line says.
struct SynthCoding {
  std::string annotation_id;
  int version = 1;
  std::string object_id;
  std::string witness;
  std::string coder;
  std::int64_t begin = 0;  // code points of the transcript, as the annotation's target
  std::int64_t end = 0;
  std::string theme;                   // of the line (collection::SynthStatement::theme)
  std::vector<std::string> codes;      // as applied
  std::vector<std::string> fits;       // what the line says, as codes
  std::string disagreement;            // "" or one of the kinds above
  std::vector<std::string> missed_by;  // coders of the transcript who did not code this line
  Facets facets;
};
nlohmann::json synth_coding_json(const SynthCoding& coding);

// Codes one text synth made, as the ground truth `transcript` (from collection::synthesize, with
// its object id) says it: only transcripts, others get nothing. Up to
// options.passages_per_transcript of its lines that fit a code of `framework` (codes it lacks
// or has retired are left out), each by two of the coders (one when options.coders is 1).
// Codes are applied at `framework`'s current revisions; the caller passes the hub's framework.
Result<std::vector<SynthCoding>> code_synth_transcript(AnnotationStore& store,
                                                       const Framework& framework,
                                                       const collection::GroundTruth& transcript,
                                                       const SynthCodingOptions& options);

}  // namespace evhub::coding
