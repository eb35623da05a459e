#include "coding/synth_codings.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "crypto/crypto.h"

namespace evhub::coding {

namespace {

// SplitMix64, as synth's own (collection/synth_internal.h): the same numbers on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }

 private:
  std::uint64_t state_;
};

// FNV-1a: a transcript's codings depend on its text and the seed, not on the id the hub gave it.
std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

// What synth's words mean in the default framework. Words with no code here (an arrest told
// with masked officers, being held, a trial as such) tell of no violation of their own.
const std::map<std::string, std::vector<std::string>>& codes_of_words() {
  static const std::map<std::string, std::vector<std::string>> kCodes = {
      {"arrest", {"due-process.arbitrary-detention"}},
      {"peaceful-march", {"fundamental-rights.assembly"}},
      {"thrown-to-ground", {"physical.excessive-force"}},
      {"crowded-cell", {"detention-conditions.overcrowding"}},
      {"cold-cell", {"detention-conditions.temperature"}},
      {"family-not-told", {"detention-conditions.incommunicado"}},
      // the acts of ill-treatment (collection::synth acts())
      {"beating", {"physical.baton-blows"}},
      {"stress-position", {"physical.stress-positions"}},
      {"electric-shock", {"physical.stun-guns"}},
      {"overcrowding", {"detention-conditions.overcrowding"}},
      {"denial-of-medical-care", {"detention-conditions.medical-care"}},
      {"denial-of-food-and-water", {"detention-conditions.food-water"}},
      {"sleep-deprivation", {"detention-conditions.sleep-deprivation"}},
      {"threats", {"psychological.threats-to-person"}},
      {"forced-kneeling", {"physical.stress-positions", "psychological.humiliation"}},
      {"humiliation", {"psychological.verbal-abuse"}},
      {"denial-of-lawyer", {"due-process.no-counsel"}},
      {"video-link-trial", {"due-process.minutes-long-trial"}},
      // an unfair trial with no more specific code: the category itself
      {"defence-witnesses-refused", {"due-process"}},
      {"report-sole-evidence", {"due-process"}},
      {"left-belarus", {"fundamental-rights.forced-departure"}},
      {"followed-after-release", {"fundamental-rights.family-life"}}};
  return kCodes;
}

// The code a second coder might take a code for: a neighbour in meaning, for deliberate
// disagreement that looks like a real one.
const std::map<std::string, std::string>& neighbours() {
  static const std::map<std::string, std::string> kNeighbours = {
      {"physical.baton-blows", "physical.punches"},
      {"physical.stress-positions", "psychological.humiliation"},
      {"physical.stun-guns", "physical.stun-guns-sensitive-areas"},
      {"physical.excessive-force", "physical.punches"},
      {"detention-conditions.overcrowding", "detention-conditions.hygiene"},
      {"detention-conditions.temperature", "detention-conditions.no-bedding"},
      {"detention-conditions.incommunicado", "due-process.no-counsel"},
      {"detention-conditions.food-water", "detention-conditions.hygiene"},
      {"detention-conditions.sleep-deprivation", "detention-conditions.no-bedding"},
      {"detention-conditions.medical-care", "detention-conditions.hygiene"},
      {"psychological.threats-to-person", "psychological.threats-to-family"},
      {"psychological.verbal-abuse", "psychological.humiliation"},
      {"psychological.humiliation", "psychological.verbal-abuse"},
      {"due-process.no-counsel", "detention-conditions.incommunicado"},
      {"due-process.arbitrary-detention", "due-process.no-information-on-charges"},
      {"due-process.minutes-long-trial", "due-process.closed-trial"},
      {"due-process", "due-process.fake-witnesses"},
      {"fundamental-rights.assembly", "fundamental-rights.expression"},
      {"fundamental-rights.forced-departure", "fundamental-rights.movement"},
      {"fundamental-rights.family-life", "transnational.surveillance"}};
  return kNeighbours;
}

bool usable(const Framework& framework, const std::string& id) {
  const FrameworkCode* code = framework.find(id);
  return code && !code->retired;
}

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// The second coder's codes for a line that fits `fits`, differing in the way `kind` says, or
// nothing if that kind of difference is not possible here.
std::optional<std::vector<std::string>> differ(const Framework& framework,
                                               const std::vector<std::string>& fits,
                                               const std::string& kind, Rng& rng) {
  std::vector<std::string> codes = fits;
  const std::size_t which = rng.below(codes.size());
  const std::string& code = codes[which];
  if (kind == kOtherCode || kind == kExtraCode) {
    auto n = neighbours().find(code);
    if (n == neighbours().end() || !usable(framework, n->second) || has(codes, n->second)) {
      return std::nullopt;
    }
    if (kind == kOtherCode) {
      codes[which] = n->second;
    } else {
      codes.push_back(n->second);
    }
    return codes;
  }
  if (kind == kBroaderCode) {
    const FrameworkCode* c = framework.find(code);
    if (!c || c->parent.empty() || !usable(framework, c->parent) || has(codes, c->parent)) {
      return std::nullopt;
    }
    codes[which] = c->parent;
    return codes;
  }
  if (kind == kLeftOutCode && codes.size() > 1) {
    codes.erase(codes.begin() + static_cast<std::ptrdiff_t>(which));
    return codes;
  }
  return std::nullopt;
}

}  // namespace

Status check_synth_coding_options(const SynthCodingOptions& o) {
  if (o.passages_per_transcript < 0 || o.passages_per_transcript > 100) {
    return Status(Code::kInvalidArgument, "--codings must be between 0 and 100");
  }
  if (o.coders < 1 || o.coders > 20) {
    return Status(Code::kInvalidArgument, "--coders must be between 1 and 20");
  }
  if (!(o.disagreement >= 0.0 && o.disagreement <= 1.0)) {
    return Status(Code::kInvalidArgument, "the disagreement must be a fraction, between 0 and 1");
  }
  return Status::ok();
}

std::vector<std::string> synth_codes_for(const std::vector<std::string>& says) {
  std::vector<std::string> out;
  for (const auto& word : says) {
    auto codes = codes_of_words().find(word);
    if (codes == codes_of_words().end()) continue;
    for (const auto& c : codes->second) {
      if (!has(out, c)) out.push_back(c);
    }
  }
  return out;
}

nlohmann::json synth_coding_json(const SynthCoding& c) {
  const Facets& f = c.facets;
  return {{"annotation_id", c.annotation_id},
          {"version", c.version},
          {"object_id", c.object_id},
          {"witness", c.witness},
          {"coder", c.coder},
          {"begin", c.begin},
          {"end", c.end},
          {"theme", c.theme},
          {"codes", c.codes},
          {"fits", c.fits},
          {"disagreement", c.disagreement},
          {"missed_by", c.missed_by},
          {"facets",
           {{"date", {{"from", f.date.from}, {"to", f.date.to}, {"precision", f.date.precision}}},
            {"place", f.place},
            {"facility", f.facility},
            {"persons", f.persons}}}};
}

Result<std::vector<SynthCoding>> code_synth_transcript(AnnotationStore& store,
                                                       const Framework& framework,
                                                       const collection::GroundTruth& transcript,
                                                       const SynthCodingOptions& options) {
  EVHUB_RETURN_IF_ERROR(check_synth_coding_options(options));
  std::vector<SynthCoding> out;
  if (transcript.kind != "transcript" || options.passages_per_transcript == 0) return out;
  if (transcript.object_id.empty()) {
    return Status(Code::kInvalidArgument, "the transcript's ground truth has no object id");
  }

  // The lines that tell of something the framework has a code for.
  struct Line {
    const collection::SynthStatement* told;
    std::vector<std::string> fits;
  };
  std::vector<Line> lines;
  for (const auto& told : transcript.statements) {
    Line line{&told, {}};
    for (auto& c : synth_codes_for(told.says)) {
      if (usable(framework, c)) line.fits.push_back(std::move(c));
    }
    if (!line.fits.empty()) lines.push_back(std::move(line));
  }
  if (lines.empty()) return out;

  Rng rng(options.seed ^ fnv1a(transcript.text));
  // Which lines (a random choice, kept in the order of the text) and which coders.
  std::vector<std::size_t> order(lines.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  order.resize(std::min(order.size(), static_cast<std::size_t>(options.passages_per_transcript)));
  std::sort(order.begin(), order.end());
  const auto n = static_cast<std::size_t>(options.coders);
  auto coder = [](std::size_t i) { return kSynthCoderPrefix + std::to_string(i + 1); };
  const std::size_t first = rng.below(n);
  std::vector<std::string> coders = {coder(first)};
  if (n > 1) coders.push_back(coder((first + 1 + rng.below(n - 1)) % n));
  static const char* const kKinds[] = {"missed", kOtherCode, kExtraCode, kBroaderCode,
                                       kLeftOutCode};

  for (std::size_t index : order) {
    const Line& line = lines[index];
    const collection::SynthStatement& told = *line.told;
    Facets facets;
    facets.date.from = told.date;
    facets.date.precision = "day";
    // Where it happened: the arrest's place and the facility, except for leaving the country.
    if (told.theme != "departure") {
      facets.place = transcript.place_name;
      facets.facility = transcript.facility_name;
    }
    facets.persons = told.persons;

    // What each coder applies: the first what the line says; the second mostly the same.
    std::vector<std::pair<std::string, std::vector<std::string>>> applied = {
        {coders[0], line.fits}};
    std::string kind;
    std::vector<std::string> missed_by;
    if (coders.size() > 1) {
      std::vector<std::string> second = line.fits;
      if (rng.chance(options.disagreement)) {
        kind = kKinds[rng.below(std::size(kKinds))];
        if (kind != "missed") {
          // A difference this line cannot have becomes the next kind that it can.
          auto codes = differ(framework, line.fits, kind, rng);
          for (const char* other : {kOtherCode, kBroaderCode, kExtraCode}) {
            if (codes) break;
            kind = other;
            codes = differ(framework, line.fits, kind, rng);
          }
          if (codes) {
            second = std::move(*codes);
          } else {
            kind.clear();
          }
        }
      }
      if (kind == "missed") {
        missed_by.push_back(coders[1]);
        kind.clear();
      } else {
        applied.emplace_back(coders[1], std::move(second));
      }
    }

    for (std::size_t i = 0; i < applied.size(); ++i) {
      Annotation a;
      a.target.object_id = transcript.object_id;
      a.target.kind = TargetKind::kText;
      a.target.begin = told.begin;
      a.target.end = told.end;
      for (const auto& c : applied[i].second) a.codes.push_back({c, framework.find(c)->revision});
      a.facets = facets;
      a.memo = "FICTIONAL coding made by evhub synth";
      a.coder = applied[i].first;
      EVHUB_ASSIGN_OR_RETURN(Annotation stored, store.add(std::move(a)));
      SynthCoding truth;
      truth.annotation_id = stored.id;
      truth.version = stored.version;
      truth.object_id = transcript.object_id;
      truth.witness = transcript.witness;
      truth.coder = applied[i].first;
      truth.begin = told.begin;
      truth.end = told.end;
      truth.theme = told.theme;
      truth.codes = applied[i].second;
      truth.fits = line.fits;
      if (i == 1) truth.disagreement = kind;
      truth.missed_by = missed_by;
      truth.facets = facets;
      crypto::wipe(stored.passage.data(), stored.passage.size());
      out.push_back(std::move(truth));
    }
  }
  return out;
}

}  // namespace evhub::coding
