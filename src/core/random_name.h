// Unpredictable names for temporary files and opaque ids (128 bits from the kernel's CSPRNG).
#pragma once

#include <string>

namespace evhub {

// 32 lowercase hex characters.
std::string random_name();

}  // namespace evhub
