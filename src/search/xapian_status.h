// Xapian's exceptions as statuses a user can act on. Internal to search/.
#pragma once

#include <string>

#include <xapian.h>

#include "core/status.h"

namespace evhub::search {

Status xapian_error(const std::string& what, const Xapian::Error& e);

}  // namespace evhub::search
