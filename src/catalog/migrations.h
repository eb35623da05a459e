// Versioned schema migrations: each SQLite file the hub keeps (catalog.db, accounts.db) has an
// ordered list of them, and PRAGMA user_version records how far a file has come. migrations.cc
// holds the catalog's own history.
#pragma once

#include <string>
#include <vector>

#include "catalog/sqlite.h"
#include "core/status.h"

namespace evhub::catalog {

struct Migration {
  int version;
  const char* description;
  const char* sql;
};

const std::vector<Migration>& migrations();

// Upgrades `db` in one transaction to `target` (default: the newest of `list`). A file written
// by a newer build is refused rather than misread. `what` names the file in messages.
Status migrate(Database& db, const std::vector<Migration>& list, const std::string& what,
               int target = -1);

}  // namespace evhub::catalog
