// The collection's records as JSON, one shape for the CLI's --json, the API and the stored
// records themselves, so that a field is named the same everywhere.
#pragma once

#include <nlohmann/json.hpp>

#include "collection/collection.h"

namespace evhub::collection {

// The code, `erased`, and then the tombstone (erased_at, erased_by, erasure_reason,
// erased_objects) alone, or the profile with registered_at, has_personal_details and
// consent_versions. Callers add the organisation and the consent as they show them.
nlohmann::json witness_json(const Witness& witness);
// `conditions` only when asked: they may say things about the witness.
nlohmann::json consent_json(const Consent& consent, bool with_conditions);
nlohmann::json interview_json(const Interview& interview);

}  // namespace evhub::collection
