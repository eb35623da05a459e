#include "search/names.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <vector>

#include "search/names_internal.h"

namespace evhub::search {
namespace {

icu::UnicodeString from_utf8(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

std::string to_utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

icu::UnicodeString upper(icu::UnicodeString s) {
  return s.toUpper(icu::Locale::getRoot());
}

// The first code point upper case, the rest as given: "Zh" for "zh", "Дз" for "дз".
icu::UnicodeString title(const icu::UnicodeString& s) {
  if (s.isEmpty()) return s;
  const int32_t first = U16_LENGTH(s.char32At(0));
  return upper(s.tempSubString(0, first)) + s.tempSubString(first);
}

// Every code point as an escape: no letter of a table can be read as rule syntax (the
// apostrophe, for one, quotes in ICU's rule language).
std::string escaped(const icu::UnicodeString& s) {
  std::string out;
  for (int32_t i = 0; i < s.length();) {
    const UChar32 c = s.char32At(i);
    std::array<char, 16> buf{};
    std::snprintf(buf.data(), buf.size(), c > 0xFFFF ? "\\U%08X" : "\\u%04X",
                  static_cast<unsigned>(c));
    out += buf.data();
    i += U16_LENGTH(c);
  }
  return out;
}

std::string set_of(const icu::UnicodeString& letters) {
  return "[" + escaped(letters) + "]";
}

// One line of a romanisation table: lowercase Cyrillic `from` becomes lowercase Latin `to`,
// optionally only after one of the Latin letters `after` or before one of the Cyrillic letters
// `before`. Contexts before the letter are Latin because ICU matches them against text it has
// already transliterated; contexts after it are still Cyrillic.
struct Letter {
  const char* from;
  const char* to;
  const char* after = nullptr;
  const char* before = nullptr;
};

// Latin letters that end a romanised consonant: after them е ё ю я mark softness ("ie", "ia"),
// elsewhere (word start, after a vowel, ў, й, the apostrophe, the soft sign) they are iotated
// ("je", "ja"). j, w and y are left out on purpose: й, ў and ы are followed by iotated vowels.
constexpr const char* kConsonants = "bcdfghklmnpqrstvxzčšžćśźńĺłŝ";
// Belarusian passports write я ю ё as "ia" "iu" "io" after ы and і too (Maryia, Viktoryia).
constexpr const char* kConsonantsIY = "bcdfghklmnpqrstvxzčšžćśźńĺłŝiy";
constexpr const char* kApostrophes = "'\u2019\u02BC";

// Rules for ICU from a table, with the upper-case forms: a capital whose neighbour is a capital
// is written all in capitals ("ЖУК" -> "ZHUK"), otherwise in title case ("Жук" -> "Zhuk").
std::string rules_of(const std::vector<Letter>& table) {
  std::string rules = ":: NFC ;\n";
  for (const Letter& letter : table) {
    const icu::UnicodeString from = from_utf8(letter.from);
    const icu::UnicodeString to = from_utf8(letter.to);
    std::string ante_any;
    std::string ante_upper = "[:Lu:] { ";
    if (letter.after != nullptr) {
      const icu::UnicodeString after = from_utf8(letter.after);
      ante_any = set_of(after + upper(after)) + " { ";
      ante_upper = set_of(upper(after)) + " { ";
    }
    std::string post_any;
    std::string post_upper = " } [:Lu:]";
    if (letter.before != nullptr) {
      const icu::UnicodeString before = from_utf8(letter.before);
      post_any = " } " + set_of(before + upper(before));
      post_upper = " } " + set_of(upper(before));
    }
    rules += ante_any + escaped(from) + post_any + " > " + escaped(to) + " ;\n";
    const icu::UnicodeString from_upper = upper(from);
    if (from_upper == from) continue;  // apostrophes, signs without case
    rules += ante_upper + escaped(from_upper) + post_any + " > " + escaped(upper(to)) + " ;\n";
    rules += ante_any + escaped(from_upper) + post_upper + " > " + escaped(upper(to)) + " ;\n";
    rules += ante_any + escaped(from_upper) + post_any + " > " + escaped(title(to)) + " ;\n";
    if (title(from) != from_upper && title(from) != from) {
      rules += ante_any + escaped(title(from)) + post_any + " > " + escaped(title(to)) + " ;\n";
    }
  }
  return rules;
}

// ISO 9:1995 (= GOST 7.79-2000 system A): one Latin letter per Cyrillic letter, no context.
const std::vector<Letter>& iso9_table() {
  static const std::vector<Letter> table = {
      {"а", "a"}, {"б", "b"}, {"в", "v"}, {"г", "g"}, {"ґ", "g\u0300"}, {"д", "d"}, {"е", "e"},
      {"ё", "ë"}, {"ж", "ž"}, {"з", "z"}, {"и", "i"}, {"і", "ì"},       {"й", "j"}, {"к", "k"},
      {"л", "l"}, {"м", "m"}, {"н", "n"}, {"о", "o"}, {"п", "p"},       {"р", "r"}, {"с", "s"},
      {"т", "t"}, {"у", "u"}, {"ў", "ŭ"}, {"ф", "f"}, {"х", "h"},       {"ц", "c"}, {"ч", "č"},
      {"ш", "š"}, {"щ", "ŝ"}, {"ъ", "ʺ"}, {"ы", "y"}, {"ь", "ʹ"},       {"э", "è"}, {"ю", "û"},
      {"я", "â"}, {"'", "’"}, {"’", "’"}, {"ʼ", "’"},
  };
  return table;
}

// Belarusian national system (Instruction on transliteration of geographical names, 2007;
// UNGEGN 2012): Łacinka without ł, soft consonants with an acute, "ie ia iu io" after
// consonants and "je ja ju jo" elsewhere.
const std::vector<Letter>& national_table() {
  static const std::vector<Letter> table = {
      // After the apostrophe the vowel is iotated, though the apostrophe itself is dropped.
      {"'е", "je"}, {"'ё", "jo"},
      {"'ю", "ju"}, {"'я", "ja"},
      {"’е", "je"}, {"’ё", "jo"},
      {"’ю", "ju"}, {"’я", "ja"},
      {"ʼе", "je"}, {"ʼё", "jo"},
      {"ʼю", "ju"}, {"ʼя", "ja"},
      {"зь", "ź"},  {"ль", "ĺ"},
      {"нь", "ń"},  {"сь", "ś"},
      {"ць", "ć"},  {"е", "ie", kConsonants},
      {"е", "je"},  {"ё", "io", kConsonants},
      {"ё", "jo"},  {"ю", "iu", kConsonants},
      {"ю", "ju"},  {"я", "ia", kConsonants},
      {"я", "ja"},  {"а", "a"},
      {"б", "b"},   {"в", "v"},
      {"г", "h"},   {"ґ", "g"},
      {"д", "d"},   {"ж", "ž"},
      {"з", "z"},   {"і", "i"},
      {"и", "i"},  // Russian letters in a Belarusian text: the nearest Belarusian value
      {"й", "j"},   {"к", "k"},
      {"л", "l"},   {"м", "m"},
      {"н", "n"},   {"о", "o"},
      {"п", "p"},   {"р", "r"},
      {"с", "s"},   {"т", "t"},
      {"у", "u"},   {"ў", "ŭ"},
      {"ф", "f"},   {"х", "ch"},
      {"ц", "c"},   {"ч", "č"},
      {"ш", "š"},   {"щ", "šč"},
      {"ы", "y"},   {"ь", ""},
      {"ъ", ""},    {"э", "e"},
      {"'", ""},    {"’", ""},
      {"ʼ", ""},
  };
  return table;
}

// Classical Łacinka: as the national system, but л is ł except before the soft vowels and ь,
// where it is l and the vowel loses its "i"/"j" (ля -> la, ле -> le, лю -> lu, лё -> lo, ль -> l).
const std::vector<Letter>& lacinka_table() {
  static const std::vector<Letter> table = {
      {"'е", "je"},
      {"'ё", "jo"},
      {"'ю", "ju"},
      {"'я", "ja"},
      {"’е", "je"},
      {"’ё", "jo"},
      {"’ю", "ju"},
      {"’я", "ja"},
      {"ʼе", "je"},
      {"ʼё", "jo"},
      {"ʼю", "ju"},
      {"ʼя", "ja"},
      {"зь", "ź"},
      {"нь", "ń"},
      {"сь", "ś"},
      {"ць", "ć"},
      {"ль", "l"},
      {"лл", "ll", nullptr, "еёіюяь"},  // Ілля -> Illa: a doubled soft л is soft twice
      {"л", "l", nullptr, "еёіюяь"},
      {"л", "ł"},
      {"е", "e", "l"},
      {"е", "ie", kConsonants},
      {"е", "je"},
      {"ё", "o", "l"},
      {"ё", "io", kConsonants},
      {"ё", "jo"},
      {"ю", "u", "l"},
      {"ю", "iu", kConsonants},
      {"ю", "ju"},
      {"я", "a", "l"},
      {"я", "ia", kConsonants},
      {"я", "ja"},
      {"а", "a"},
      {"б", "b"},
      {"в", "v"},
      {"г", "h"},
      {"ґ", "g"},
      {"д", "d"},
      {"ж", "ž"},
      {"з", "z"},
      {"і", "i"},
      {"и", "i"},
      {"й", "j"},
      {"к", "k"},
      {"м", "m"},
      {"н", "n"},
      {"о", "o"},
      {"п", "p"},
      {"р", "r"},
      {"с", "s"},
      {"т", "t"},
      {"у", "u"},
      {"ў", "ŭ"},
      {"ф", "f"},
      {"х", "ch"},
      {"ц", "c"},
      {"ч", "č"},
      {"ш", "š"},
      {"щ", "šč"},
      {"ы", "y"},
      {"ь", ""},
      {"ъ", ""},
      {"э", "e"},
      {"'", ""},
      {"’", ""},
      {"ʼ", ""},
  };
  return table;
}

// Belarusian passports (MVD instruction No. 288 of 2008 as the issued passports show it:
// Aliaksandr, Siarhei, Tsikhanouskaya, Maryia, Yury): English-style digraphs, г -> h,
// ў -> u, е -> e after consonants, я ю ё -> ia iu io after consonants, ы and і, ya yu yo ye
// elsewhere; й -> i, silent after ы (Yury, Dzmitry).
const std::vector<Letter>& passport_belarusian_table() {
  static const std::vector<Letter> table = {
      {"'е", "ye"},
      {"'ё", "yo"},
      {"'ю", "yu"},
      {"'я", "ya"},
      {"’е", "ye"},
      {"’ё", "yo"},
      {"’ю", "yu"},
      {"’я", "ya"},
      {"ʼе", "ye"},
      {"ʼё", "yo"},
      {"ʼю", "yu"},
      {"ʼя", "ya"},
      {"е", "e", kConsonants},
      {"е", "ye"},
      {"ё", "io", kConsonantsIY},
      {"ё", "yo"},
      {"ю", "iu", kConsonantsIY},
      {"ю", "yu"},
      {"я", "ia", kConsonantsIY},
      {"я", "ya"},
      {"й", "", "y"},
      {"й", "i"},
      {"а", "a"},
      {"б", "b"},
      {"в", "v"},
      {"г", "h"},
      {"ґ", "g"},
      {"д", "d"},
      {"ж", "zh"},
      {"з", "z"},
      {"і", "i"},
      {"и", "i"},
      {"к", "k"},
      {"л", "l"},
      {"м", "m"},
      {"н", "n"},
      {"о", "o"},
      {"п", "p"},
      {"р", "r"},
      {"с", "s"},
      {"т", "t"},
      {"у", "u"},
      {"ў", "u"},
      {"ф", "f"},
      {"х", "kh"},
      {"ц", "ts"},
      {"ч", "ch"},
      {"ш", "sh"},
      {"щ", "shch"},
      {"ы", "y"},
      {"ь", ""},
      {"ъ", ""},
      {"э", "e"},
      {"'", ""},
      {"’", ""},
      {"ʼ", ""},
  };
  return table;
}

// Russian passports since 2014: ICAO Doc 9303 (7th ed., 2015), part 3, table for Cyrillic,
// context free, with its values for Belarusian і and ў.
const std::vector<Letter>& passport_russian_table() {
  static const std::vector<Letter> table = {
      {"а", "a"},  {"б", "b"},    {"в", "v"},  {"г", "g"}, {"ґ", "g"},  {"д", "d"},  {"е", "e"},
      {"ё", "e"},  {"ж", "zh"},   {"з", "z"},  {"и", "i"}, {"і", "i"},  {"й", "i"},  {"к", "k"},
      {"л", "l"},  {"м", "m"},    {"н", "n"},  {"о", "o"}, {"п", "p"},  {"р", "r"},  {"с", "s"},
      {"т", "t"},  {"у", "u"},    {"ў", "u"},  {"ф", "f"}, {"х", "kh"}, {"ц", "ts"}, {"ч", "ch"},
      {"ш", "sh"}, {"щ", "shch"}, {"ъ", "ie"}, {"ы", "y"}, {"ь", ""},   {"э", "e"},  {"ю", "iu"},
      {"я", "ia"}, {"'", ""},     {"’", ""},   {"ʼ", ""},
  };
  return table;
}

// Not a published system: how name_forms() latinises Cyrillic before folding, in the spellings
// the folding of Latin input converges on (ya yu yo ye, kh ts ch sh zh). г is h in a word with
// a Belarusian letter, g otherwise.
std::vector<Letter> fold_table(bool belarusian) {
  return {
      {"'е", "ye"},
      {"'ё", "yo"},
      {"'ю", "yu"},
      {"'я", "ya"},
      {"’е", "ye"},
      {"’ё", "yo"},
      {"’ю", "yu"},
      {"’я", "ya"},
      {"ʼе", "ye"},
      {"ʼё", "yo"},
      {"ʼю", "yu"},
      {"ʼя", "ya"},
      {"е", "e", kConsonants},
      {"е", "ye"},
      {"ё", "yo"},
      {"ю", "yu"},
      {"я", "ya"},
      {"а", "a"},
      {"б", "b"},
      {"в", "v"},
      {"г", belarusian ? "h" : "g"},
      {"ґ", "g"},
      {"д", "d"},
      {"ж", "zh"},
      {"з", "z"},
      {"и", "i"},
      {"і", "i"},
      {"й", "y"},
      {"к", "k"},
      {"л", "l"},
      {"м", "m"},
      {"н", "n"},
      {"о", "o"},
      {"п", "p"},
      {"р", "r"},
      {"с", "s"},
      {"т", "t"},
      {"у", "u"},
      {"ў", "w"},
      {"ф", "f"},
      {"х", "kh"},
      {"ц", "ts"},
      {"ч", "ch"},
      {"ш", "sh"},
      {"щ", "shch"},
      {"ъ", ""},
      {"ы", "y"},
      {"ь", ""},
      {"э", "e"},
      {"'", ""},
      {"’", ""},
      {"ʼ", ""},
  };
}

[[noreturn]] void fail(const char* what, UErrorCode status) {
  // A rule set of ours that ICU refuses is a programming error the tests catch; no data of a
  // user is involved, so nothing personal reaches stderr.
  std::fprintf(stderr, "evhub search: ICU transliterator %s: %s\n", what, u_errorName(status));
  std::abort();
}

std::unique_ptr<icu::Transliterator> from_rules(const char* id, const std::string& rules) {
  UParseError parse_error{};
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createFromRules(
      icu::UnicodeString::fromUTF8(id), from_utf8(rules), UTRANS_FORWARD, parse_error, status));
  if (U_FAILURE(status) || t == nullptr) fail(id, status);
  return t;
}

std::unique_ptr<icu::Transliterator> from_id(const char* id) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
      icu::UnicodeString::fromUTF8(id), UTRANS_FORWARD, status));
  if (U_FAILURE(status) || t == nullptr) fail(id, status);
  return t;
}

// Slots: one per Romanisation value, then the two fold transliterators of name_forms().
constexpr size_t kSystems = 7;
constexpr size_t kFoldBelarusian = kSystems;
constexpr size_t kFoldRussian = kSystems + 1;
constexpr size_t kSlots = kSystems + 2;

using Set = std::array<std::unique_ptr<icu::Transliterator>, kSlots>;

// The transliterators are built once (rule compilation takes milliseconds) and never changed.
// ICU's rule-based transliterate() is const but serialises callers on a global mutex, so each
// thread works on its own clones, made on its first call: no lock and no shared mutable state.
const Set& prototypes() {
  static const Set set = [] {
    Set s;
    // ICU's BGN transforms cover one language each; the other's letters (и щ ъ in Belarusian
    // text, і ў in Russian) go through the other transform rather than staying Cyrillic.
    s[static_cast<size_t>(Romanisation::kBgnPcgnBelarusian)] =
        from_id("NFC; Belarusian-Latin/BGN; Russian-Latin/BGN");
    s[static_cast<size_t>(Romanisation::kBgnPcgnRussian)] =
        from_id("NFC; Russian-Latin/BGN; Belarusian-Latin/BGN");
    s[static_cast<size_t>(Romanisation::kIso9)] = from_rules("evhub-iso9", rules_of(iso9_table()));
    s[static_cast<size_t>(Romanisation::kBelarusianNational)] =
        from_rules("evhub-be-national", rules_of(national_table()));
    s[static_cast<size_t>(Romanisation::kLacinka)] =
        from_rules("evhub-be-lacinka", rules_of(lacinka_table()));
    s[static_cast<size_t>(Romanisation::kPassportBelarusian)] =
        from_rules("evhub-be-passport", rules_of(passport_belarusian_table()));
    s[static_cast<size_t>(Romanisation::kPassportRussian)] =
        from_rules("evhub-ru-icao", rules_of(passport_russian_table()));
    s[kFoldBelarusian] = from_rules("evhub-fold-be", rules_of(fold_table(true)));
    s[kFoldRussian] = from_rules("evhub-fold-ru", rules_of(fold_table(false)));
    return s;
  }();
  return set;
}

const icu::Transliterator& transliterator(size_t slot) {
  thread_local Set mine;
  if (mine[slot] == nullptr) mine[slot].reset(prototypes()[slot]->clone());
  return *mine[slot];
}

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}
bool is_ascii_letter(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_consonant(char c) {
  return is_ascii_letter(c) && !is_vowel(c);
}

// Latin letters with diacritics (ISO 9, national, Łacinka, a few Polish and Czech spellings)
// in the plain spelling the rest of the folding expects.
const char* plain_for(UChar32 c) {
  switch (c) {
    case 0x010D:
      return "ch";  // č
    case 0x0161:
      return "sh";  // š
    case 0x017E:
      return "zh";  // ž
    case 0x015D:
      return "shch";  // ŝ (ISO 9 щ)
    case 0x0107:
      return "ts";  // ć
    case 0x015B:
      return "s";  // ś
    case 0x017A:
      return "z";  // ź
    case 0x0144:
      return "n";  // ń
    case 0x013A:
      return "l";  // ĺ
    case 0x0142:
      return "l";  // ł
    case 0x016D:
      return "w";  // ŭ (ў)
    case 0x00E2:
      return "ya";  // â (ISO 9 я)
    case 0x00FB:
      return "yu";  // û (ISO 9 ю)
    case 0x00EB:
      return "yo";  // ë
    case 0x00E8:
      return "e";  // è (ISO 9 э)
    case 0x00EC:
      return "i";  // ì (ISO 9 і)
    case 0x0027:
    case 0x2019:
    case 0x02BC:
    case 0x02B9:
    case 0x02BA:
    case 0x0060:
    case 0x00B4:
      return "";  // apostrophes, ISO 9's soft and hard signs
    default:
      break;
  }
  return nullptr;
}

// Does this (case-folded) Latin word follow Łacinka / the national system / ISO 9, where "ch" is
// х and c is ц? Its diacritics say so, as does a c that is neither "ch" nor "cz".
bool lacinka_style(const icu::UnicodeString& s) {
  for (int32_t i = 0; i < s.length(); ++i) {
    const UChar c = s.charAt(i);
    if (c == 0x010D || c == 0x0161 || c == 0x017E || c == 0x016D || c == 0x0142 || c == 0x0107 ||
        c == 0x015B || c == 0x017A || c == 0x0144 || c == 0x013A) {
      return true;
    }
    if (c == u'c') {
      const UChar next = i + 1 < s.length() ? s.charAt(i + 1) : u' ';
      if (next != u'h' && next != u'z' && next != u'k') return true;
    }
  }
  return false;
}

// A (case-folded) word with Cyrillic already latinised, as plain ASCII letters; other scripts'
// letters stay as they are.
std::string plain_ascii(const icu::UnicodeString& s) {
  const bool lacinka = lacinka_style(s);
  const icu::Normalizer2* nfd = nullptr;
  UErrorCode status = U_ZERO_ERROR;
  nfd = icu::Normalizer2::getNFDInstance(status);
  std::string out;
  for (int32_t i = 0; i < s.length();) {
    const UChar32 c = s.char32At(i);
    const int32_t next = i + U16_LENGTH(c);
    i = next;
    if (lacinka && c == u'c' && next < s.length() && s.charAt(next) == u'h') {
      out += "kh";
      ++i;
      continue;
    }
    if (const char* plain = plain_for(c)) {
      out += plain;
      continue;
    }
    if (c < 0x80) {
      if (is_ascii_letter(static_cast<char>(c)) || (c >= '0' && c <= '9')) {
        out += static_cast<char>(c);
      }
      continue;
    }
    if (!u_isalpha(c)) continue;
    icu::UnicodeString decomposed;
    if (nfd != nullptr && U_SUCCESS(status)) {
      decomposed = nfd->normalize(icu::UnicodeString(c), status);
    }
    const UChar32 base = decomposed.isEmpty() ? c : decomposed.char32At(0);
    if (base < 0x80 && is_ascii_letter(static_cast<char>(base))) {
      out += static_cast<char>(base);
    } else {
      out += to_utf8(icu::UnicodeString(c));
    }
  }
  return out;
}

// The spelling variants of the romanisations made one: Polish sz cz, c -> ts, w after a vowel
// stays w (ў of BGN, ŭ, the fold) and is v elsewhere (German-style в), x -> ks, j -> y, i before
// a vowel -> y (ia ja ya are one), i after a vowel -> y (ei ey ej are one), ye after a consonant
// -> e (BGN's Belarusian "Kalyesnikava", the national "Kaliesnikava"), yy -> y.
std::string fold_spellings(const std::string& a) {
  std::string b;
  for (size_t i = 0; i < a.size(); ++i) {
    const char c = a[i];
    const char next = i + 1 < a.size() ? a[i + 1] : '\0';
    if (c == 's' && next == 'z') {
      b += "sh";
      ++i;
    } else if (c == 'c' && next == 'z') {
      b += "ch";
      ++i;
    } else if (c == 'c' && next == 'h') {
      b += "ch";
      ++i;
    } else if (c == 'c') {
      b += "ts";
    } else if (c == 'w') {
      b += !b.empty() && is_vowel(b.back()) ? 'w' : 'v';  // ў (BGN, ŭ) or German-style в
    } else if (c == 'x') {
      b += "ks";
    } else if (c == 'j') {
      b += 'y';
    } else if (c == 'q') {
      b += 'k';
    } else {
      b += c;
    }
  }
  std::string d;
  for (size_t i = 0; i < b.size(); ++i) {
    char c = b[i];
    const char next = i + 1 < b.size() ? b[i + 1] : '\0';
    if (c == 'i') {
      const bool before_vowel = next == 'a' || next == 'e' || next == 'o' || next == 'u';
      const bool after_vowel = !d.empty() && is_vowel(d.back());
      if (before_vowel || (after_vowel && !is_vowel(next))) c = 'y';
    }
    if (c == 'e' && d.size() >= 2 && d.back() == 'y' && is_consonant(d[d.size() - 2])) {
      d.back() = 'e';
      continue;
    }
    if (c == 'y' && !d.empty() && d.back() == 'y') continue;
    d += c;
  }
  return d;
}

}  // namespace

std::string romanise(std::string_view cyrillic, Romanisation system) {
  icu::UnicodeString s = from_utf8(cyrillic);
  transliterator(static_cast<size_t>(system)).transliterate(s);
  return to_utf8(s);
}

namespace internal {

std::string key_of_latin(std::string_view latin, InitialVowel initial) {
  // 1. Digraphs to one letter each, sibilants and the three h-like sounds merged: shch sch sh s
  //    -> s, zh z -> z, kh -> h, ch (ч) -> x, ts tz -> c, dz dzh -> d (Belarusian дз(ь) is
  //    Russian д; дж is rare in names either way), ph -> f.
  std::string t;
  for (size_t i = 0; i < latin.size();) {
    const std::string_view rest = latin.substr(i);
    auto take = [&](std::string_view digraph, char to) {
      if (rest.substr(0, digraph.size()) != digraph) return false;
      t += to;
      i += digraph.size();
      return true;
    };
    if (take("shch", 's') || take("sch", 's') || take("dzh", 'd') || take("sh", 's') ||
        take("zh", 'z') || take("kh", 'h') || take("ch", 'x') || take("ts", 'c') ||
        take("tz", 'c') || take("dz", 'd') || take("ph", 'f')) {
      continue;
    }
    t += latin[i];
    ++i;
  }
  // 2. Doubled letters once: Belarusian doubles soft consonants (Таццяна, Ілля, Наталля) where
  //    Russian writes one and a soft sign (Татьяна, Илья, Наталья).
  t.erase(std::unique(t.begin(), t.end()), t.end());
  // 3. Belarusian ці це ця (soft ц) is Russian ти те тя; ў (w, or u after a vowel other than
  //    the y of ю, before a consonant or at the end) and the prothetic у of Уладзімір are в;
  //    г (h) and g are one.
  for (size_t i = 0; i < t.size(); ++i) {
    const char next = i + 1 < t.size() ? t[i + 1] : '\0';
    const char after = i + 2 < t.size() ? t[i + 2] : '\0';
    if (t[i] == 'c' && (next == 'i' || next == 'e' || (next == 'y' && is_vowel(after)))) {
      t[i] = 't';
    } else if (t[i] == 'w' || (t[i] == 'u' && !is_vowel(next) &&
                               ((i > 0 && is_vowel(t[i - 1]) && t[i - 1] != 'y') ||
                                (i == 0 && is_consonant(next))))) {
      t[i] = 'v';
    } else if (t[i] == 'g') {
      t[i] = 'h';
    }
  }
  // 4. The consonant skeleton: vowels (akanne, і/и/ы, э/е, iotation) dropped.
  std::string key;
  if (!t.empty() && is_vowel(t[0])) {
    if (initial == InitialVowel::kMarker) key += 'a';
    if (initial == InitialVowel::kLetter) key += t[0];
  }
  char last = '\0';
  for (const char c : t) {
    if (c == last) continue;
    last = c;
    if (!is_vowel(c)) key += c;
  }
  if (key.empty() || (key == "a" && initial == InitialVowel::kMarker)) return std::string(latin);
  return key;
}

}  // namespace internal

// Belarusian given names whose Russian form is another word, not another spelling (Ганна and
// Анна, Мікалай and Николай): the Belarusian form's folded latin, keyed as the Russian form's.
// Only given names common enough in the region's records to matter; diminutives (Алесь as a
// pet name, Янка) are left out, and `latin` keeps the spelling as written for re-ranking.
const std::string& cognate_given_name(const std::string& latin) {
  static const std::map<std::string, std::string> cognates = {{"ganna", "anna"},
                                                              {"hanna", "anna"},
                                                              {"volga", "olga"},
                                                              {"volha", "olga"},
                                                              {"mikalay", "nikolay"},
                                                              {"khvedar", "fyodor"},
                                                              {"hvedar", "fyodor"},
                                                              {"khvyodar", "fyodor"},
                                                              {"katsyaryna", "yekaterina"},
                                                              {"yazep", "yosif"},
                                                              {"zmitser", "dmitriy"},
                                                              {"apanas", "afanasiy"},
                                                              {"yewfrasinnya", "yefrosinya"},
                                                              {"yefrasinnya", "yefrosinya"}};
  auto it = cognates.find(latin);
  return it == cognates.end() ? latin : it->second;
}

NameForms name_forms(std::string_view word) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* folding = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) fail("nfkc_cf", status);
  icu::UnicodeString s = folding->normalize(from_utf8(word), status);
  if (U_FAILURE(status)) return {};
  int letters = 0;
  bool digits = false;
  bool cyrillic = false;
  bool belarusian = false;
  for (int32_t i = 0; i < s.length();) {
    const UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (u_isalpha(c)) ++letters;
    if (u_isdigit(c)) digits = true;
    if (c >= 0x0400 && c <= 0x052F) cyrillic = true;
    if (c == 0x0456 || c == 0x045E) belarusian = true;  // і ў
  }
  if (cyrillic) transliterator(belarusian ? kFoldBelarusian : kFoldRussian).transliterate(s);
  NameForms forms;
  forms.latin = fold_spellings(plain_ascii(s));
  if (digits || letters < 2) return forms;
  forms.key =
      internal::key_of_latin(cognate_given_name(forms.latin), internal::kDefaultInitialVowel);
  return forms;
}

double name_distance(std::string_view a, std::string_view b) {
  // Damerau-Levenshtein (optimal string alignment): a swapped pair of letters is one edit.
  const size_t n = a.size();
  const size_t m = b.size();
  if (n == 0 && m == 0) return 0;
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return static_cast<double>(d[n][m]) / static_cast<double>(std::max(n, m));
}

}  // namespace evhub::search
