// The proof checker a recipient runs on a package's custody proofs: data/custody/verify_proof.py
// (Python 3 standard library only; docs/custody.md explains it line by line), compiled into the
// binary at build time so that every exported package carries the script of the build that made
// it, wherever evhub runs from.
#pragma once

#include <string_view>

namespace evhub::disclosure {

// The text of data/custody/verify_proof.py as it was when this binary was built.
std::string_view verify_proof_script();

}  // namespace evhub::disclosure
