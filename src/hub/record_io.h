// Reading back the records domain modules keep in the hub: each version of a witness summary,
// an incident, a request or a package is a JSON object stored as an encrypted object, and a
// module's view of the log reads it again when it applies the put.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"
#include "hub/hub.h"

namespace evhub::hub {

// An object's plaintext, whole: kInvalidArgument if it is larger than `max_bytes` (a text too
// long to code, say), kErased if its domain was shredded. The caller wipes it when done.
Result<std::string> read_object_text(Hub& hub, const std::string& object_id,
                                     std::int64_t max_bytes);

// A record object, decrypted and parsed; the plaintext is wiped. kErased if its domain was
// shredded, kIntegrity if it is larger than `max_bytes` (no record is written that large) or
// not a JSON object.
Result<nlohmann::json> read_record(Hub& hub, const std::string& object_id,
                                   std::size_t max_bytes = 1 << 20);

}  // namespace evhub::hub
