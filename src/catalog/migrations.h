// Versioned schema migrations of the catalog (see migrations.cc for the history).
#pragma once

#include <vector>

namespace evhub::catalog {

struct Migration {
  int version;
  const char* description;
  const char* sql;
};

const std::vector<Migration>& migrations();

}  // namespace evhub::catalog
