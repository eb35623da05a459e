// Inside `evhub synth` (synth.h): the seeded random numbers, the texts composed from templates
// (synth_text.cc) and the files they become (synth_files.cc: PDF with a text layer, scans).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "collection/synth.h"
#include "core/status.h"

namespace evhub::collection::synth {

// SplitMix64: tiny, fast and the same on every platform and standard library (the
// distributions of <random> are not), which the byte-for-byte determinism needs.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0. The modulo bias (n << 2^64) does not matter here.
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  int between(int lo, int hi) { return lo + below(hi - lo + 1); }  // inclusive
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(below(static_cast<int>(v.size())))];
  }

 private:
  std::uint64_t state_;
};

// A stream of its own for each (seed, witness number, purpose), so adding a document to one
// witness does not change the texts of the next.
Rng rng_for(std::uint64_t seed, int witness_number, std::uint64_t purpose);

enum class Lang { kBe, kRu, kEn };
const char* lang_code(Lang lang);

// Days since 1970-01-01 and back, for YYYY-MM-DD dates.
int day_number(const std::string& iso);
std::string iso_date(int day_number);
// A date as a text writes it: "9 жніўня 2020 года", "9 August 2020".
std::string written_date(int day_number, Lang lang);

// The words texts are composed of (synth_text.cc), shared with the search corpus
// (synth_corpus.cc) so both speak of the same places, facilities, units and acts.
using Tri = std::array<const char*, 3>;  // be, ru, en
inline const char* in(const Tri& t, Lang lang) {
  return t[static_cast<std::size_t>(lang)];
}
struct Place {
  const char* id;
  Tri at;    // "у Мінску"
  Tri name;  // "Мінск"
};
struct Facility {
  const char* id;
  int place;  // index in places()
  Tri at;     // where someone is held: "у ізалятары на вуліцы Акрэсціна"
  const char* name;  // in a facility registry: "Akrestsina detention centre"
};
struct Act {
  const char* id;
  Tri did;  // what they did, after "they": "білі нас дубінкамі па спіне і нагах"
};
const std::vector<Place>& places();
const std::vector<Facility>& facilities();
const std::vector<Tri>& units();  // after "супрацоўнікі" / "сотрудники" / "officers of"
const std::vector<Tri>& ranks();
const std::vector<Act>& acts();

// The witness a text is about, in the forms the texts need.
struct Person {
  int given = 0;    // index into synth_male_names() or synth_female_names()
  int surname = 0;  // index into synth_surnames()
  bool female = false;
  std::string name(Lang lang) const;
};

// A composed text: a title, body lines, and what it says (GroundTruth without ids and media).
struct Composed {
  std::string title;
  std::vector<std::string> lines;
  GroundTruth truth;
  std::string text() const;  // title and lines joined by "\n"
};

// The story a witness tells, chosen once so that all their texts agree with each other.
struct Story {
  int arrest_day = 0;  // day_number()
  int place = 0;       // index of the place of arrest
  int facility = 0;
  int unit = 0;
  int officer_given = 0, officer_surname = 0, officer_rank = 0;
  int judge_given = 0, judge_surname = 0;
  int days = 15;
  int country = -1;  // where they went, -1: stayed
};
Story make_story(Rng& rng);
// ISO 3166 code of the country a witness left for ("" if none).
const char* story_country(const Story& story);

// An interview transcript (first person, with a header naming code, date and interviewer).
Composed make_transcript(Rng& rng, Lang lang, const Story& story, const std::string& code,
                         const std::string& interview_date, const std::string& interviewer);
// A document of `kind` (court, official, medical, other); `short_form` keeps it to a few lines
// (scans: OCR time grows with the text).
Composed make_document(Rng& rng, Lang lang, const Story& story, const Person& witness,
                       const std::string& kind, bool short_form);

// An A4 (or, for short texts, A5) PDF with a real text layer: DejaVu Sans Mono by name (not
// embedded), a one-byte encoding of ASCII and the Cyrillic letters with a ToUnicode map.
std::string make_pdf(const std::string& title, const std::vector<std::string>& lines,
                     bool small_page);
// A scan of that PDF's first page: rendered at 300 dpi, turned by up to 1.5 degrees, specked;
// PNG (8-bit grey) or TIFF (1-bit, G4) as a scanner would make.
Result<std::string> make_scan(const std::string& pdf, Rng& rng, bool tiff);

}  // namespace evhub::collection::synth
