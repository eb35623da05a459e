// A domain module's SQLite view of the custody log (collection.db, coding.db): its view_state
// table (one row, applied_seq) says how many events it has applied, and follow_log() applies
// the rest. Each batch is applied in one transaction with its new count, so a crash never
// applies an event twice or skips one, and deleting the file makes the next open replay the log.
#pragma once

#include <functional>

#include "catalog/sqlite.h"
#include "core/status.h"
#include "custody/custody_log.h"
#include "hub/hub.h"

namespace evhub::hub {

// The migration SQL that makes the view_state table (for a module's first migration).
inline constexpr const char* kViewStateSql = R"sql(
CREATE TABLE view_state (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  applied_seq INTEGER NOT NULL
);
INSERT INTO view_state VALUES (1, 0);
)sql";

Status follow_log(catalog::Database& db, Hub& hub,
                  const std::function<Status(const custody::Event&)>& apply);

}  // namespace evhub::hub
