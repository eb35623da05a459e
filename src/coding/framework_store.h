// The hub's coding framework: the shipped default (data/coding/) until an administrator first
// changes it, then the newest version stored in the hub. Each stored version is the whole
// framework, every code's history included, as an encrypted record in the hub-wide key domain
// "coding-framework"; a replacement must be a successor of the current framework (no code
// removed, no revision rewritten: framework.h), so no old coding ever changes meaning.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "coding/framework.h"
#include "core/status.h"
#include "hub/hub.h"

namespace evhub::coding {

inline constexpr const char* kFrameworkDomain = "coding-framework";

struct StoredFramework {
  int version = 0;
  std::string record_object;  // the encrypted record that holds it
  std::string stored_by;      // the acting user
  std::string stored_at;
};

class FrameworkStore {
 public:
  static Result<std::unique_ptr<FrameworkStore>> open(hub::Hub& hub);
  ~FrameworkStore();

  // The framework in force: the newest stored, or the shipped default if none is.
  Result<Framework> current();
  // Makes `next` the hub's framework. `based_on` is the version the editor started from:
  // kFailedPrecondition if the framework has changed since (reload, apply the change again);
  // kInvalidArgument (naming the codes) if `next` removes a code or rewrites a revision. A
  // `next` that changes nothing stores nothing and returns the current framework.
  Result<Framework> replace(const Framework& next, int based_on, const std::string& by);
  // Every stored version, newest first.
  Result<std::vector<StoredFramework>> versions();
  // The framework as stored at `version` (kNotFound if no stored version has that number).
  Result<Framework> at_version(int version);

 private:
  struct Impl;
  explicit FrameworkStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace evhub::coding
