// The coding module reads its records (annotations, framework versions, incidents, summaries,
// facilities) with the hub's record reader, under the names it has always used.
#pragma once

#include "hub/record_io.h"

namespace evhub::coding::internal {

using hub::read_object_text;
using hub::read_record;

}  // namespace evhub::coding::internal
