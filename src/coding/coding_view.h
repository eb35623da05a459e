// coding.db, the coding module's view of the custody log: annotations (where codes were applied)
// and the stored versions of the hub's coding framework. It is derived data: deleting the file
// makes the next open replay the log. Every store that reads it syncs through sync_coding_view,
// the one follower that applies every coding event, so its single applied_seq stays true.
// Internal to coding/: other modules use the stores' headers.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "catalog/sqlite.h"
#include "coding/record_io.h"
#include "core/status.h"
#include "custody/custody_log.h"
#include "hub/hub.h"

namespace evhub::coding::internal {

// The record kinds this view follows (Intake::record_of).
inline constexpr const char* kAnnotationRecord = "annotation";
inline constexpr const char* kFrameworkRecord = "coding-framework";

// Opens coding.db (creating and migrating it); the caller syncs.
Result<catalog::Database> open_coding_view(hub::Hub& hub);
// Applies the events logged since the view last did.
Status sync_coding_view(catalog::Database& db, hub::Hub& hub);

// In annotations.cc: an annotation's version put, and a shredded domain's annotations dropped.
Status apply_annotation_put(catalog::Database& db, hub::Hub& hub, const custody::Event& e);
Status apply_annotation_shred(catalog::Database& db, const custody::Event& e);

}  // namespace evhub::coding::internal
