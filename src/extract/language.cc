// detect_language(): letters that only Belarusian or only Russian writes. See extract.h.
#include <fmt/format.h>

#include "extract/extract.h"

namespace evhub::extract {
namespace {

// The next code point of `text` at `pos`, advancing `pos`; U+FFFD for a malformed sequence (it
// counts as nothing, and OCR output is valid UTF-8 anyway).
char32_t next_code_point(std::string_view text, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char b0 = byte(pos);
  int extra = 0;
  char32_t cp = 0;
  if (b0 < 0x80) {
    ++pos;
    return b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    extra = 1;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    extra = 2;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    extra = 3;
    cp = b0 & 0x07;
  } else {
    ++pos;
    return 0xFFFD;
  }
  if (pos + extra >= text.size()) {  // cut short at the end
    pos = text.size();
    return 0xFFFD;
  }
  for (int i = 1; i <= extra; ++i) {
    const unsigned char b = byte(pos + i);
    if ((b & 0xC0) != 0x80) {
      ++pos;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  pos += extra + 1;
  return cp;
}

bool is_cyrillic(char32_t c) {
  return c >= 0x0400 && c <= 0x04FF;
}
bool is_latin(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// ', ’ and ʼ: Belarusian writes one of them where Russian writes ъ (з'ехаў, сем'і).
bool is_apostrophe(char32_t c) {
  return c == 0x27 || c == 0x2019 || c == 0x02BC;
}

// Whether `mine` distinctive letters against `theirs` decide, in text of `cyrillic` letters.
// Belarusian or Russian text shows two or three of its own in a line of fifty letters and,
// read by the right model, none of the other's: two against none decide in a line's worth;
// otherwise three and twice as many as the other side (text mixing both languages, or OCR
// noise).
bool decides(int mine, int theirs, int cyrillic) {
  if (mine >= 2 && theirs == 0 && cyrillic >= 20) return true;
  return mine >= 3 && mine >= 2 * theirs;
}

}  // namespace

std::string LanguageGuess::summary() const {
  return fmt::format("і/ў/'={} и/щ/ъ={} cyrillic={} latin={}", belarusian, russian, cyrillic,
                     latin);
}

LanguageGuess detect_language(std::string_view utf8) {
  LanguageGuess guess;
  char32_t before = 0;   // the code point before the current one
  bool pending = false;  // an apostrophe right after a Cyrillic letter
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    const char32_t c = next_code_point(utf8, pos);
    if (pending && is_cyrillic(c)) ++guess.belarusian;
    pending = is_apostrophe(c) && is_cyrillic(before);
    before = c;
    if (is_latin(c)) {
      ++guess.latin;
    } else if (is_cyrillic(c)) {
      ++guess.cyrillic;
      switch (c) {
        case U'і':
        case U'І':
        case U'ў':
        case U'Ў':
          ++guess.belarusian;
          break;
        case U'и':
        case U'И':
        case U'щ':
        case U'Щ':
        case U'ъ':
        case U'Ъ':
          ++guess.russian;
          break;
        default:
          break;
      }
    }
  }
  const int letters = guess.latin + guess.cyrillic;
  if (guess.latin >= 8 && 2 * guess.latin >= letters) {
    guess.language = "en";
  } else if (decides(guess.belarusian, guess.russian, guess.cyrillic)) {
    guess.language = "be";
  } else if (decides(guess.russian, guess.belarusian, guess.cyrillic)) {
    guess.language = "ru";
  }
  return guess;
}

}  // namespace evhub::extract
