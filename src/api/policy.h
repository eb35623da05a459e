// Who may read and add which evidence: the one place where roles, partner organisations and the
// restricted categories (health; sexual and gender-based violence) meet. Routes gate on the
// roles below, then ask here for each record, and pass read_scopes() into catalog queries, so
// that lists, counts, downloads and checks always agree.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "accounts/accounts.h"
#include "catalog/catalog.h"

namespace evhub::api {

// Roles that read evidence in some category, and roles that add it (DESIGN.md §1).
const std::vector<accounts::Role>& evidence_readers();
const std::vector<accounts::Role>& evidence_writers();

// The sensitivities a role may read in an organisation where it is held: every evidence role
// reads ordinary material except the MHPSS coordinator, who reads only the restricted categories
// (for referrals); health and sexual-violence material is open to intake officers (who collect
// it), legal officers (who decide what may be disclosed), leads and MHPSS coordinators only.
std::vector<std::string> readable_sensitivities(accounts::Role role);

// What `user` may read, per organisation (by id) where they hold an evidence role.
std::vector<catalog::ReadScope> read_scopes(const accounts::User& user,
                                            const std::vector<accounts::Organisation>& all);

// Whether `scopes` cover a record of `organisation_id` with `sensitivity`. A record of no
// organisation is nobody's to read through the API.
bool may_read(const std::vector<catalog::ReadScope>& scopes,
              const std::optional<std::string>& organisation_id, const std::string& sensitivity);

// The ids of the organisations where `user` may add evidence.
std::vector<std::string> writable_organisations(const accounts::User& user,
                                                const std::vector<accounts::Organisation>& all);

// The witness register (collection/). A witness belongs to one organisation, and every
// decision below is made by the roles the caller holds in that organisation: an intake officer
// of one partner who is an analyst of another reads the second partner's witnesses as an
// analyst. The routes gate on these roles held anywhere, then ask here for each witness.
//
// Who reads the register (pseudonymous profiles, consent versions without their conditions):
// everyone who works with testimony, not OSINT researchers (open sources only), administrators
// or auditors (accounts and the log, never witnesses).
const std::vector<accounts::Role>& witness_readers();
// Who registers witnesses and records their consent: intake officers, who meet them, and leads.
const std::vector<accounts::Role>& witness_writers();
// Who may see who a witness is (name, contacts, date of birth, address): intake officers, MHPSS
// coordinators (referrals and care) and leads; each view is logged.
const std::vector<accounts::Role>& personal_detail_readers();
// Who reads the conditions of a consent (the witness's own words, which may identify them):
// those who act on them — intake officers, legal officers, MHPSS coordinators and leads.
const std::vector<accounts::Role>& consent_condition_readers();
// Who asks whether consent allows a use: intake officers, legal officers and leads.
const std::vector<accounts::Role>& consent_checkers();
// Who lists the witnesses whose consent falls short of a purpose: legal officers and leads.
const std::vector<accounts::Role>& consent_gap_readers();
// Who erases a witness (crypto-shredding everything of theirs): leads only.
const std::vector<accounts::Role>& witness_erasers();
// Interviews and the documents a witness handed over are read by the register's readers and
// recorded by its writers, in the witness's organisation; the objects they name are shown only
// where the caller may read them (sensitivity, above), the rest is counted as withheld.
//
// Who keeps a witness's contact log (when, who, how, and a purpose that may say things about
// the witness) and is warned before contacting them: intake officers, who arrange interviews,
// MHPSS coordinators, who stay in touch for care, and leads.
const std::vector<accounts::Role>& contact_log_keepers();
// Who adds a human translation of material they may read, and retries a failed processing job
// on it: those who add evidence (intake officers, analysts, OSINT researchers, leads), in the
// material's organisation.
const std::vector<accounts::Role>& translators();
const std::vector<accounts::Role>& job_retriers();
// Who imports a manifest of witnesses, consent, interviews and documents: those who register
// witnesses, into the organisations where they do.
const std::vector<accounts::Role>& importers();

// Coding (coding/). Who reads annotations, on material they may read, in its organisation:
// those who work with testimony as analysis — analysts, legal officers, reviewers, leads.
const std::vector<accounts::Role>& coding_readers();
// Who codes (adds, edits and removes annotations): analysts and leads.
const std::vector<accounts::Role>& coders();
// Who adds and corrects detention facilities and other sites in the registry (hub-wide, no
// personal data): those who meet the places in testimony — intake officers, analysts, leads.
const std::vector<accounts::Role>& facility_editors();
// Witness summaries: analysts and leads draft and edit them; reviewers and leads review them
// (request changes, approve) — never a summary they wrote or edited (coding/summary.h).
const std::vector<accounts::Role>& summary_writers();
const std::vector<accounts::Role>& summary_reviewers();
// Requests for assistance and disclosure packages (disclosure/). Who registers and updates
// requests, builds packages, redacts, reviews redactions, submits, requests changes, approves
// (never a package they built or changed: disclosure/packages.h) and exports them: legal
// officers, whose decision a disclosure is, and leads. Reviewers check analysis, not
// disclosures: they read no requests or packages (a package lists witnesses, recipients and
// what went to them, which only those who decide on disclosure need).
const std::vector<accounts::Role>& disclosure_officers();
// Who reads the disclosure log and where a witness's material has gone: the same legal officers
// and leads, who notify recipients when consent is withdrawn and answer a witness's request to
// know where their testimony went. Each read is logged.
const std::vector<accounts::Role>& disclosure_log_readers();
// Who changes the hub's coding framework: administrators (the framework is hub-wide).
const std::vector<accounts::Role>& framework_editors();

// The ids of the organisations where `user` holds one of `roles`, in the order of the grants.
std::vector<std::string> organisations_where(const accounts::User& user,
                                             const std::vector<accounts::Role>& roles,
                                             const std::vector<accounts::Organisation>& all);

// Whether `user` holds one of `roles` in organisation `organisation_id`. A witness of no
// organisation (an empty id) is nobody's to reach through the API.
bool holds_role_in(const accounts::User& user, const std::vector<accounts::Role>& roles,
                   const std::string& organisation_id,
                   const std::vector<accounts::Organisation>& all);

}  // namespace evhub::api
