// Pseudonymisation of the texts a recipient receives: a witness's name and personal details
// (from their own encrypted record) are replaced by the witness's code, and contact data and
// identity numbers found by pattern by a marker naming their kind. The redaction log says what
// kind of information was removed where, never what it was. A person reviews the result before
// a package is approved: patterns miss things and catch too much, and the reviewer decides.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace evhub::disclosure {

// What a text must not reveal of one witness (collection::PersonalDetails, with their code).
struct WitnessIdentity {
  std::string code;           // W-00123: what their name becomes
  std::string name;           // every word of it is looked for, in any script and inflection
  std::string contacts;       // phone numbers, e-mail addresses, messengers: each item looked for
  std::string date_of_birth;  // YYYY-MM-DD; also looked for as DD.MM.YYYY and DD/MM/YYYY
  std::string address;        // looked for as written
};

enum class RedactedKind {
  kName,
  kContact,
  kDateOfBirth,
  kAddress,
  kEmail,
  kPhone,
  kPassport,
  kIdNumber,
};
const char* redacted_kind_name(RedactedKind kind);  // "name", "phone", "passport-number", ...
// What the text shows instead: the witness's code for a name, "[phone]" and the like otherwise.
std::string redaction_marker(RedactedKind kind);

// One replacement, where it stands in the redacted text (Unicode code points [begin, end)).
struct Redaction {
  RedactedKind kind = RedactedKind::kName;
  std::int64_t begin = 0;
  std::int64_t end = 0;
};

struct RedactedText {
  std::string text;
  std::vector<Redaction> redactions;  // in order of position
};

// `text` (UTF-8) with every witness's identity and every contact or identity number found by
// pattern replaced. Overlapping finds are merged into one replacement of the first kind found.
RedactedText redact_text(std::string_view text, const std::vector<WitnessIdentity>& witnesses);

}  // namespace evhub::disclosure
