// Reading the coding module's records back: each is a JSON object in an encrypted object of
// the hub (annotations, framework versions, incidents, summaries, facilities). Internal to
// coding/.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"
#include "hub/hub.h"

namespace evhub::coding::internal {

// An object's plaintext, whole: kInvalidArgument if it is larger than `max_bytes` (a text too
// long to code, say), kErased if its domain was shredded. The caller wipes it when done.
Result<std::string> read_object_text(hub::Hub& hub, const std::string& object_id,
                                     std::int64_t max_bytes);

// A record object, decrypted and parsed; the plaintext is wiped. kErased if its domain was
// shredded, kIntegrity if it is larger than `max_bytes` (no record is written that large) or
// not a JSON object.
Result<nlohmann::json> read_record(hub::Hub& hub, const std::string& object_id,
                                   std::size_t max_bytes = 1 << 20);

}  // namespace evhub::coding::internal
