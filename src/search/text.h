// How text becomes terms, shared by the indexer, the query parser and the snippet cutter so
// that the three always agree: ICU word breaking over UTF-8, NFKC with case folding, ё→е and
// apostrophes dropped, and a stem per script (Snowball's Russian stemmer for Cyrillic, after
// Belarusian-only letters are mapped to their Russian cognates; English for Latin).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace evhub::search {

struct Token {
  std::size_t begin = 0;  // byte offsets into the text
  std::size_t end = 0;
  std::string word;  // normalised (see normalise_word)
  bool capitalised = false;
  bool letters = false;  // false for numbers
};

// The words of `text` (letters or digits; punctuation and spaces are not words). Words longer
// than kMaxWordBytes after normalisation are left out: they are not language.
inline constexpr std::size_t kMaxWordBytes = 64;
std::vector<Token> tokenize(std::string_view text);

// NFKC, case folded, ё→е, apostrophes (' ’ ʼ ‘ `) removed.
std::string normalise_word(std::string_view word);

// The stem of a normalised word, by its script ("" for numbers and other scripts).
std::string stem_word(const std::string& word);

// True if `word` (normalised) is a stop word of English, Russian or Belarusian: left out of
// queries unless quoted, as "the", "в", "і" carry nothing.
bool is_stop_word(const std::string& word);

}  // namespace evhub::search
