// The exit codes of evhub, one per kind of failure, documented in `evhub --help`. Scripts rely
// on them: never renumber.
#pragma once

#include "core/status.h"

namespace evhub::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;  // a bug or an unexpected failure

int exit_code_for(Code code);
const char* exit_codes_help();

}  // namespace evhub::cli
