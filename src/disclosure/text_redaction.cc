#include "disclosure/text_redaction.h"

#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "search/names.h"
#include "search/text.h"

namespace evhub::disclosure {

namespace {

// A span of the original text (bytes) to replace.
struct Find {
  std::size_t begin = 0;
  std::size_t end = 0;
  RedactedKind kind = RedactedKind::kName;
  std::string replacement;
};

// Contact data and identity numbers by their shape (ICU regular expressions, so that \p{L}
// and \b know Cyrillic). The phone pattern is wide; a find counts only with 9 to 15 digits.
struct Pattern {
  RedactedKind kind;
  const char* regex;
};
constexpr Pattern kPatterns[] = {
    {RedactedKind::kEmail,
     R"([\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,})"},
    // Belarusian identification number: 7 digits, a letter, 3 digits, 2 letters, a digit.
    {RedactedKind::kIdNumber, R"(\b\d{7}[A-Za-z]\d{3}[A-Za-z]{2}\d\b)"},
    // Passport series and number: Belarusian (MP1234567) and Russian (45 10 123456).
    {RedactedKind::kPassport, R"(\b[A-Z\p{Lu}]{2}\s?\d{7}\b|\b\d{2}\s?\d{2}\s?\d{6}\b)"},
    {RedactedKind::kPhone, R"((?<![\p{N}\p{L}])(?:\+|00)?\d[\d \-().]{6,}\d(?![\p{N}\p{L}]))"},
    // A street, a house number, and perhaps a building and a flat, in Belarusian, Russian or
    // English.
    {RedactedKind::kAddress,
     R"((?i)\b(?:ул\.|улица|вул\.|вуліца|пр-т|просп\.|проспект|праспект|пер\.|переулок|завулак|)"
     R"(бульвар|бул\.|street|st\.|avenue|ave\.)\s*[\p{L}\p{N}\-. ]{1,40}?,?\s*)"
     R"((?:д\.|дом|house|№)?\s*\d+\p{L}?(?:\s*[,/]\s*(?:корп\.|к\.)?\s*\d+)?)"
     R"((?:,?\s*(?:кв\.|квартира|кватэра|apt\.?|flat)\s*\d+)?)"},
};

std::size_t digit_count(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }));
}

// Byte offsets in the UTF-8 text of each UTF-16 index of the same text (one past the end too).
std::vector<std::size_t> utf16_to_bytes(std::string_view text) {
  std::vector<std::size_t> out;
  out.reserve(text.size() + 1);
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    out.push_back(i);
    if (len == 4) out.push_back(i);  // a surrogate pair: two UTF-16 units
    i += len;
  }
  out.push_back(text.size());
  return out;
}

void find_patterns(std::string_view text, std::vector<Find>& finds) {
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
  const auto bytes = utf16_to_bytes(text);
  for (const auto& p : kPatterns) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexMatcher> m(
        new icu::RegexMatcher(icu::UnicodeString::fromUTF8(p.regex), u, 0, status));
    if (U_FAILURE(status)) continue;  // a bug in kPatterns; the tests catch it
    while (m->find(status) && U_SUCCESS(status)) {
      const auto b = bytes[static_cast<std::size_t>(m->start(status))];
      const auto e = bytes[static_cast<std::size_t>(m->end(status))];
      const std::string_view found = text.substr(b, e - b);
      if (p.kind == RedactedKind::kPhone && (digit_count(found) < 9 || digit_count(found) > 15)) {
        continue;
      }
      finds.push_back({b, e, p.kind, redaction_marker(p.kind)});
    }
  }
}

void find_literal(std::string_view text, std::string_view what, RedactedKind kind,
                  std::vector<Find>& finds) {
  if (what.size() < 4) return;  // too short to tell from other words
  for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) {
    finds.push_back({at, at + what.size(), kind, redaction_marker(kind)});
  }
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  return std::string(s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1));
}

// The witness's name words in any script and inflection: name_forms' phonetic key (the search
// index's, so Калеснікавай, Колесниковой and Kalesnikava are one name), for the name as written
// and as each romanisation system spells it (a passport's "Dzerauyanka" has another key than
// Дзераўянка's). Short keys (Ян, Іра) would match common words, so they must be spelt the same.
void find_names(std::string_view text, const std::vector<search::Token>& tokens,
                const WitnessIdentity& w, std::vector<Find>& finds) {
  constexpr search::Romanisation kSystems[] = {search::Romanisation::kBgnPcgnBelarusian,
                                               search::Romanisation::kBgnPcgnRussian,
                                               search::Romanisation::kIso9,
                                               search::Romanisation::kBelarusianNational,
                                               search::Romanisation::kLacinka,
                                               search::Romanisation::kPassportBelarusian,
                                               search::Romanisation::kPassportRussian};
  std::vector<search::NameForms> parts;
  for (const auto& t : search::tokenize(w.name)) {
    if (!t.letters) continue;
    const std::string word(std::string_view(w.name).substr(t.begin, t.end - t.begin));
    std::vector<std::string> spellings = {word};
    for (auto system : kSystems) spellings.push_back(search::romanise(word, system));
    for (const auto& spelling : spellings) {
      auto forms = search::name_forms(spelling);
      if (!forms.key.empty()) parts.push_back(std::move(forms));
    }
  }
  for (const auto& t : tokens) {
    if (!t.letters || !t.capitalised) continue;
    const auto forms = search::name_forms(text.substr(t.begin, t.end - t.begin));
    const bool named = std::any_of(parts.begin(), parts.end(), [&](const auto& part) {
      return forms.key == part.key && (part.key.size() >= 3 || forms.latin == part.latin);
    });
    if (named) finds.push_back({t.begin, t.end, RedactedKind::kName, w.code});
  }
}

void find_identity(std::string_view text, const std::vector<search::Token>& tokens,
                   const WitnessIdentity& w, std::vector<Find>& finds) {
  find_names(text, tokens, w, finds);
  std::string item;
  for (char c : w.contacts + "\n") {
    if (c == ',' || c == ';' || c == '\n') {
      find_literal(text, trim(item), RedactedKind::kContact, finds);
      item.clear();
    } else {
      item += c;
    }
  }
  find_literal(text, trim(w.address), RedactedKind::kAddress, finds);
  const std::string& d = w.date_of_birth;
  if (d.size() == 10) {
    const std::string day = d.substr(8, 2), month = d.substr(5, 2), year = d.substr(0, 4);
    for (const std::string& form :
         {d, day + "." + month + "." + year, day + "/" + month + "/" + year}) {
      find_literal(text, form, RedactedKind::kDateOfBirth, finds);
    }
  }
}

// Two words of one witness's name with only spaces between ("Алена Дзераўянка") become one
// code, not two.
bool same_name(const Find& a, const Find& b, std::string_view text) {
  if (a.kind != RedactedKind::kName || b.kind != RedactedKind::kName ||
      a.replacement != b.replacement || b.begin < a.end) {
    return false;
  }
  const auto between = text.substr(a.end, b.begin - a.end);
  return between.find_first_not_of(" \t") == std::string_view::npos;
}

std::int64_t code_points(std::string_view s) {
  return static_cast<std::int64_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

const char* redacted_kind_name(RedactedKind kind) {
  switch (kind) {
    case RedactedKind::kName:
      return "name";
    case RedactedKind::kContact:
      return "contact";
    case RedactedKind::kDateOfBirth:
      return "date-of-birth";
    case RedactedKind::kAddress:
      return "address";
    case RedactedKind::kEmail:
      return "e-mail";
    case RedactedKind::kPhone:
      return "phone";
    case RedactedKind::kPassport:
      return "passport-number";
    case RedactedKind::kIdNumber:
      return "id-number";
  }
  return "unknown";
}

std::string redaction_marker(RedactedKind kind) {
  return std::string("[") + redacted_kind_name(kind) + "]";
}

RedactedText redact_text(std::string_view text, const std::vector<WitnessIdentity>& witnesses) {
  std::vector<Find> finds;
  const auto tokens = search::tokenize(text);
  // The witness's own details first: on an overlap, the first find's kind is kept, and a
  // name is replaced by the witness's code rather than a marker.
  for (const auto& w : witnesses) find_identity(text, tokens, w, finds);
  find_patterns(text, finds);
  std::stable_sort(finds.begin(), finds.end(),
                   [](const Find& a, const Find& b) { return a.begin < b.begin; });
  RedactedText out;
  std::size_t at = 0;
  std::int64_t points = 0;  // code points of out.text so far
  for (std::size_t i = 0; i < finds.size();) {
    Find merged = finds[i];
    for (++i;
         i < finds.size() && (finds[i].begin < merged.end || same_name(merged, finds[i], text));
         ++i) {
      merged.end = std::max(merged.end, finds[i].end);
    }
    const std::string_view kept = text.substr(at, merged.begin - at);
    out.text.append(kept);
    const std::int64_t begin = points + code_points(kept);
    out.text += merged.replacement;
    points = begin + code_points(merged.replacement);
    out.redactions.push_back({merged.kind, begin, points});
    at = merged.end;
  }
  out.text.append(text.substr(at));
  return out;
}

}  // namespace evhub::disclosure
