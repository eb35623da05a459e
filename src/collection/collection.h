// The closed-source collection's register: witnesses known everywhere by a pseudonymous code,
// their personal details sealed in their own key domain, and their versioned informed consent.
// Every record is an encrypted object in the witness's key domain, named in a signed `put`
// event; collection.db is a view of those events, rebuilt by replaying the log, so erasing a
// witness (crypto-shredding their domain) leaves only a tombstone that says what went, when and
// by whom.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collection/consent.h"
#include "core/status.h"
#include "hub/hub.h"

namespace evhub::collection {

inline constexpr const char* kGenders[] = {"female", "male", "non-binary", "undisclosed"};
inline constexpr const char* kAgeBands[] = {"under-18", "18-29",   "30-44",
                                            "45-59",    "60-plus", "unknown"};
inline constexpr const char* kVulnerabilities[] = {
    "minor",         "health-condition",  "disability",
    "sgbv-survivor", "relative-detained", "at-risk-in-country",
    "displaced"};

// What may be known of a witness without their name: the profile analysts work with.
struct WitnessProfile {
  std::string gender = "undisclosed";
  std::string age_band = "unknown";
  std::string country;                       // of residence, ISO 3166-1 alpha-2, or empty
  std::vector<std::string> languages;        // ISO 639-1/-3 codes: be, ru, en, …
  std::vector<std::string> vulnerabilities;  // kVulnerabilities
  bool do_not_contact = false;
};

// Who the witness is: shown only to roles that need it, only on request, each view logged.
struct PersonalDetails {
  std::string name;
  std::string contacts;
  std::string date_of_birth;
  std::string address;
  std::string notes;
};

struct Witness {
  std::string code;  // W-00123
  std::string organisation_id;
  WitnessProfile profile;
  int profile_version = 0;
  std::string registered_at;
  std::string registered_by;
  std::string updated_at;
  bool has_personal_details = false;
  int consent_versions = 0;
  std::optional<Consent> consent;  // the newest version (its conditions are not loaded here)
  // The tombstone of an erased witness: everything else is gone.
  bool erased = false;
  std::string erased_at;
  std::string erased_by;
  std::string erasure_reason;
  std::int64_t erased_objects = 0;
};

inline constexpr const char* kContactChannels[] = {"in-person", "phone", "video",
                                                   "messenger", "email", "through-third-party"};
// Contacts closer together than this draw a warning: re-interviewing re-traumatises.
inline constexpr int kRecentContactDays = 30;

// A contact with a witness, made or planned: who, when, by which channel, why (the purpose is
// kept encrypted; it may say things about the witness).
struct Contact {
  std::string on;  // YYYY-MM-DD
  std::string by;
  std::string channel;  // kContactChannels
  std::string purpose;
  bool planned = false;
};
std::optional<std::string> contact_problem(const Contact& contact);

// An interview moves forward through these, never back.
inline constexpr const char* kInterviewStatuses[] = {"recorded", "transcribed", "translated",
                                                     "coded", "summarised"};
struct Interview {
  std::string id;  // "iv-" + 32 hex, given when it is recorded
  std::string code;
  std::string on;     // YYYY-MM-DD
  std::string place;  // where, or empty when remote
  bool remote = false;
  std::string interviewer;
  std::vector<std::string> languages;
  std::vector<std::string> recordings;    // object ids in the witness's domain
  std::string transcript;                 // object id, or empty
  std::vector<std::string> translations;  // object ids
  std::string status = "recorded";
};

inline constexpr const char* kDocumentKinds[] = {"medical", "court", "official", "photo",
                                                 "video",   "audio", "other"};
// A document a witness handed over: an object in their domain, described.
struct WitnessDocument {
  std::string object_id;
  std::string code;
  std::string kind;  // kDocumentKinds
  std::string date;  // of the document, YYYY-MM-DD or empty
  std::string language;
  std::string description;   // kept encrypted: it may name people
  std::string interview_id;  // the interview it came with, or empty
};

// Witnesses whose consent does not (or will soon not) allow a purpose.
struct ConsentGap {
  std::string code;
  std::string organisation_id;
  std::string problem;  // missing | withdrawn | expired | too-narrow | expiring
  std::string reason;   // the decision's reason, or "renew by 2026-12-01"
};

// Checks a pseudonymous code: 1 to 4 capital letters, a hyphen, 3 to 8 digits (W-00123).
Status check_witness_code(const std::string& code);
// Checks a profile against the vocabularies above.
Status check_profile(const WitnessProfile& profile);

class Collection {
 public:
  // Opens collection.db beside the hub's catalog (creating it) and catches up with the log.
  static Result<std::unique_ptr<Collection>> open(hub::Hub& hub);
  ~Collection();

  // Applies custody events this view has not seen yet (others may have written since).
  Status sync();

  // A new witness in `organisation_id`'s care; kAlreadyExists if the code is taken (or erased:
  // codes are never reused).
  Result<Witness> register_witness(const std::string& code, const std::string& organisation_id,
                                   const WitnessProfile& profile,
                                   const std::optional<PersonalDetails>& personal);
  Result<Witness> update_profile(const std::string& code, const WitnessProfile& profile);
  Status set_personal_details(const std::string& code, const PersonalDetails& personal);
  // Decrypts the personal details (kNotFound if none). The caller logs the view.
  Result<PersonalDetails> personal_details(const std::string& code);

  Result<std::optional<Witness>> witness(const std::string& code);
  // Every witness (tombstones included) of the given organisations, or of all if empty.
  Result<std::vector<Witness>> witnesses(const std::vector<std::string>& organisation_ids);

  // A new consent version (numbered in log order); `consent.version` is ignored.
  Result<Consent> add_consent(const std::string& code, const Consent& consent);
  // Every version, oldest first, with the conditions decrypted.
  Result<std::vector<Consent>> consents(const std::string& code);
  Result<ConsentDecision> allows(const std::string& code, Purpose purpose, Recipient recipient,
                                 const std::string& today);
  // Witnesses (not erased) whose consent refuses the purpose, or allows it but must be renewed
  // within `within_days` of `today`.
  Result<std::vector<ConsentGap>> consent_gaps(const std::vector<std::string>& organisation_ids,
                                               Purpose purpose, Recipient recipient,
                                               const std::string& today, int within_days);

  // Warnings before contacting `code` on `on` (YYYY-MM-DD; empty: today): marked not to be
  // contacted, contacted within kRecentContactDays, consent without re-contact. Empty if none.
  Result<std::vector<std::string>> check_contact(const std::string& code, const std::string& on);
  // Records a contact (made or planned) and returns the warnings it drew; they do not stop it:
  // the log must hold every contact, wanted or not.
  Result<std::vector<std::string>> log_contact(const std::string& code, const Contact& contact);
  // Every contact, oldest first, with its purpose decrypted.
  Result<std::vector<Contact>> contacts(const std::string& code);

  // A new interview (its id is given here); recordings, transcript and translations must be
  // objects in the witness's own key domain.
  Result<Interview> record_interview(Interview interview);
  // A new version of interview `interview.id`: objects added, status moved forward.
  Result<Interview> update_interview(const Interview& interview);
  Result<std::vector<Interview>> interviews(const std::string& code);
  // One interview by its id, whoever's it is (nullopt if there is none): the caller decides
  // by its witness's code whether it may be shown.
  Result<std::optional<Interview>> interview(const std::string& id);
  // Describes an object of the witness's domain as a document they handed over.
  Result<WitnessDocument> add_document(const WitnessDocument& document);
  // Every document, descriptions decrypted.
  Result<std::vector<WitnessDocument>> documents(const std::string& code);

  // Crypto-shreds the witness's key domain: records, personal details, consent forms and
  // evidence in it can no longer be decrypted; the register keeps a tombstone.
  Result<hub::ShredReport> erase(const std::string& code, const std::string& reason);

 private:
  struct Impl;
  explicit Collection(std::unique_ptr<Impl> impl);
  Status check_objects_of(const std::string& code, const std::vector<std::string>& ids);
  Result<Interview> store_interview(const Interview& interview, const Witness& witness);
  static std::vector<std::string> contact_warnings(const Witness& w,
                                                   const std::vector<Contact>& history,
                                                   const std::string& on);
  std::unique_ptr<Impl> impl_;
};

}  // namespace evhub::collection
