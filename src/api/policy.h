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

}  // namespace evhub::api
