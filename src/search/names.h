// Names across scripts and spellings: the forms under which one East-Slavic name meets itself
// whether it is written in Belarusian or Russian Cyrillic or in any common romanisation
// (Калеснікава = Колесникова = Kalesnikava = Kolesnikova = Kalesnikova). The index stores a
// word's phonetic key as a term, so a query in any spelling finds every other; results are then
// re-ranked by how close the spellings are. docs/search-names.md explains the rules.
#pragma once

#include <string>
#include <string_view>

namespace evhub::search {

// The forms of one word (a single token, any script, any case, UTF-8).
struct NameForms {
  // The word latinised (Cyrillic and Łacinka to plain ASCII) and folded, lowercase: what
  // spellings are compared on when results are re-ranked.
  std::string latin;
  // The phonetic key: cognate spellings folded, then the consonant skeleton. Empty when the
  // word cannot be a name (fewer than two letters, digits, ...).
  std::string key;
};
NameForms name_forms(std::string_view word);

// How far apart two latin forms are: the edit distance over the longer length, 0 (same) .. 1.
double name_distance(std::string_view latin_a, std::string_view latin_b);

// The romanisation systems a name may arrive in (docs/search-names.md cites each).
enum class Romanisation {
  kBgnPcgnBelarusian,   // BGN/PCGN 1979, ICU's Belarusian-Latin/BGN
  kBgnPcgnRussian,      // BGN/PCGN 1947, ICU's Russian-Latin/BGN
  kIso9,                // ISO 9:1995 (system A, with diacritics)
  kBelarusianNational,  // Belarusian national system (2007, UN-adopted 2012)
  kLacinka,             // Belarusian Łacinka (classical)
  kPassportBelarusian,  // spellings in Belarusian passports (French/English-style, e.g. "kh", "ts")
  kPassportRussian,     // Russian passports, ICAO Doc 9303 (2013 rules: "ia", "iu", "kh", "ts")
};
// `cyrillic` written in `system` (words in other scripts pass through unchanged). Thread-safe.
std::string romanise(std::string_view cyrillic, Romanisation system);

}  // namespace evhub::search
