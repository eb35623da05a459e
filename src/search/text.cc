#include "search/text.h"

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>
#include <xapian.h>

#include <memory>
#include <stdexcept>
#include <unordered_set>

namespace evhub::search {
namespace {

// A word break iterator per thread: creating one loads ICU's rules (slow), and one instance
// must not be used by two threads at once.
icu::BreakIterator& word_breaker() {
  thread_local std::unique_ptr<icu::BreakIterator> breaker = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> b(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status) || !b) throw std::runtime_error("ICU has no word break rules");
    return b;
  }();
  return *breaker;
}

const icu::Normalizer2& nfkc_casefold() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status) || !n) throw std::runtime_error("ICU has no NFKC_Casefold data");
  return *n;
}

bool is_apostrophe(UChar32 c) {
  return c == 0x27 || c == 0x60 || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x02B9;
}

bool is_cyrillic(UChar32 c) {
  return c >= 0x0400 && c <= 0x04FF;
}

}  // namespace

std::string normalise_word(std::string_view word) {
  std::string folded;
  icu::StringByteSink<std::string> sink(&folded);
  UErrorCode status = U_ZERO_ERROR;
  nfkc_casefold().normalizeUTF8(0, icu::StringPiece(word.data(), static_cast<int32_t>(word.size())),
                                sink, nullptr, status);
  if (U_FAILURE(status)) return {};
  std::string out;
  out.reserve(folded.size());
  const auto* s = reinterpret_cast<const std::uint8_t*>(folded.data());
  const auto n = static_cast<int32_t>(folded.size());
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0 || is_apostrophe(c)) continue;
    if (c == 0x0451) {    // ё
      out += "\xD0\xB5";  // е
      continue;
    }
    out.append(folded, static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
  }
  return out;
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  if (U_FAILURE(status)) return tokens;
  icu::BreakIterator& bi = word_breaker();
  bi.setText(ut, status);
  if (U_FAILURE(status)) {
    utext_close(ut);
    return tokens;
  }
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  for (int32_t begin = bi.first(), end = bi.next(); end != icu::BreakIterator::DONE;
       begin = end, end = bi.next()) {
    const int32_t rule = bi.getRuleStatus();
    if (rule < UBRK_WORD_NONE_LIMIT) continue;  // spaces, punctuation
    Token t;
    t.begin = static_cast<std::size_t>(begin);
    t.end = static_cast<std::size_t>(end);
    t.word = normalise_word(text.substr(t.begin, t.end - t.begin));
    if (t.word.empty() || t.word.size() > kMaxWordBytes) continue;
    int32_t i = begin;
    UChar32 first;
    U8_NEXT(bytes, i, end, first);
    t.letters = rule >= UBRK_WORD_LETTER || u_isalpha(first);
    t.capitalised = u_isupper(first) || u_istitle(first);
    tokens.push_back(std::move(t));
  }
  // Detach the iterator from the UText before closing it: the iterator lives on per thread.
  bi.setText(icu::UnicodeString());
  utext_close(ut);
  return tokens;
}

std::string stem_word(const std::string& word) {
  thread_local Xapian::Stem russian("russian");
  thread_local Xapian::Stem english("english");
  const auto* s = reinterpret_cast<const std::uint8_t*>(word.data());
  const auto n = static_cast<int32_t>(word.size());
  int32_t i = 0;
  UChar32 first;
  U8_NEXT(s, i, n, first);
  if (first < 0 || !u_isalpha(first)) return {};
  if (is_cyrillic(first)) {
    // Belarusian words go through the Russian stemmer with і→и and ў→у: the endings of the two
    // languages are close enough that cognates (міліцыя, милиция) share a stem, and Snowball
    // has no Belarusian stemmer.
    std::string mapped;
    mapped.reserve(word.size());
    for (int32_t j = 0; j < n;) {
      const int32_t start = j;
      UChar32 c;
      U8_NEXT(s, j, n, c);
      if (c == 0x0456)
        mapped += "\xD0\xB8";  // і → и
      else if (c == 0x045E)
        mapped += "\xD1\x83";  // ў → у
      else
        mapped.append(word, static_cast<std::size_t>(start), static_cast<std::size_t>(j - start));
    }
    return russian(mapped);
  }
  if (first < 0x250) return english(word);  // Latin
  return {};
}

bool is_stop_word(const std::string& word) {
  static const std::unordered_set<std::string> words = {
      // English
      "a", "an", "the", "of", "in", "on", "at", "to", "for", "by", "with", "from", "and", "or",
      "is", "was", "were", "be", "been", "it", "its", "this", "that", "as", "into", "about",
      // Russian
      "в", "во", "на", "и", "с", "со", "к", "ко", "по", "о", "об", "от", "до", "из", "у", "за",
      "не", "что", "как", "а", "но", "же", "бы", "ли", "это", "был", "была", "были",
      // Belarusian
      "і", "й", "ў", "ад", "да", "з", "са", "па", "аб", "ці", "што", "як", "але", "гэта", "быў",
      "была", "былі", "таксама"};
  return words.count(word) > 0;
}

}  // namespace evhub::search
