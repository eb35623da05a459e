// A hub made for a test: initialised in a temporary directory with a fixed key file and a fast
// key derivation, and opened for work. Header-only, for the test binaries that link the hub.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "hub/hub.h"

namespace evhub::testing {

inline vault::Credential test_credential() {
  return vault::Credential::key_file(Bytes(32, 7));
}

// Opens the hub in `dir` as actor "test" (throws, failing the test, if it cannot).
inline std::unique_ptr<hub::Hub> open_test_hub(const std::string& dir) {
  auto opened = hub::Hub::open(dir, test_credential(), {"test", 5000});
  if (!opened.is_ok()) throw std::runtime_error(opened.status().to_string());
  return std::move(opened).value();
}

// Makes a hub in `dir` (which must not exist or be empty) and opens it.
inline std::unique_ptr<hub::Hub> new_test_hub(const std::string& dir) {
  hub::InitOptions init;
  init.kdf = crypto::KdfCost::interactive();
  init.actor = "test";
  Status made = hub::init_hub(dir, test_credential(), init);
  if (!made.is_ok()) throw std::runtime_error(made.to_string());
  return open_test_hub(dir);
}

}  // namespace evhub::testing
