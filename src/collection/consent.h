// Informed consent: what a witness agreed to, version by version, and the one decision every
// later feature asks before it uses, shares or acts on their testimony: consent_allows(). The
// decision is a pure function of the consent history and the date, so it can be tested and
// explained; its reason names the witness, the version and the date that decided.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace evhub::collection {

// What the testimony is to be used for.
enum class Purpose { kInternalAnalysis, kSharing, kRecontact, kIdentityDisclosure };
// Who receives it, for sharing and identity disclosure.
enum class Recipient { kNone, kUnMechanism, kIcc, kNationalProsecutor, kLawyer, kNgo, kOsce };

// What a consent form covers, as the CLI, the API and the records write them:
// internal-analysis, share-un, share-icc, share-national-prosecutor, share-lawyer, share-ngo,
// share-osce (OSCE mechanisms, e.g. the Moscow Mechanism), recontact, identity-disclosure.
inline constexpr const char* kScopes[] = {
    "internal-analysis", "share-un",   "share-icc", "share-national-prosecutor", "share-lawyer",
    "share-ngo",         "share-osce", "recontact", "identity-disclosure"};
bool is_scope(std::string_view scope);

std::optional<Purpose> parse_purpose(std::string_view name);      // "sharing", …
std::optional<Recipient> parse_recipient(std::string_view name);  // "lawyer", "un", "osce", …
const char* purpose_name(Purpose purpose);
const char* recipient_name(Recipient recipient);

struct Consent {
  int version = 0;                  // 1, 2, … per witness
  std::string given_on;             // YYYY-MM-DD
  std::string taken_by;             // the staff member who took it
  std::vector<std::string> scopes;  // kScopes
  std::string conditions;           // free text; kept in the encrypted record only
  std::string renew_by;             // YYYY-MM-DD or empty
  std::string withdrawn_on;         // YYYY-MM-DD or empty
  std::string form_object;          // the signed form, an object id, or empty
};

struct ConsentDecision {
  bool allowed = false;
  std::string reason;  // "W-00123: consent v2 does not cover lawyers"
};

// Whether `witness`'s consent, as of `today` (YYYY-MM-DD), covers `purpose` for `recipient`.
// The newest version decides; it must not be withdrawn or past its renew-by date. Sharing
// needs the recipient's share- scope; identity disclosure needs identity-disclosure and, when a
// recipient is named, its share- scope too.
ConsentDecision consent_allows(const std::string& witness, const std::vector<Consent>& history,
                               Purpose purpose, Recipient recipient, const std::string& today);

// The state of a witness's consent as of `today` (YYYY-MM-DD), as the register shows it:
// "missing", "withdrawn", "expired" or "valid". The newest version decides, as in
// consent_allows(). A state, not a permission: a valid consent may still not cover a purpose.
inline constexpr const char* kConsentStates[] = {"missing", "withdrawn", "expired", "valid"};
const char* consent_state(const std::optional<Consent>& newest, const std::string& today);

// Checks a consent record's fields (dates, scopes); the message says which field is wrong.
std::optional<std::string> consent_problem(const Consent& consent);

// YYYY-MM-DD that names a real day.
bool is_date(std::string_view text);

}  // namespace evhub::collection
