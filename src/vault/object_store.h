// Where encrypted objects live. ObjectStore is the seam for other backends (S3 later); the
// directory store keeps objects/<2 hex>/<id>, written to objects/tmp first and renamed into
// place only when complete and durable, so no partial object is ever visible under its id.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/fs.h"
#include "core/status.h"

namespace evhub::vault {

// An object being written. Invisible until commit(); destroyed uncommitted, it is removed.
class PendingObject {
 public:
  virtual ~PendingObject() = default;
  virtual WritableFile& file() = 0;
  // Makes the content durable and closes it; still invisible.
  virtual Status finish() = 0;
  // Makes the finished object visible under its id, atomically and durably.
  virtual Status commit() = 0;
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  virtual Result<std::unique_ptr<PendingObject>> create(const std::string& id) = 0;
  virtual Result<std::unique_ptr<ReadableFile>> open(const std::string& id) = 0;
  virtual bool contains(const std::string& id) = 0;
  virtual Result<std::vector<std::string>> list() = 0;
  // Moves a complete object that no record names (a put cut short between storing the object
  // and logging it) out of sight, keeping it for an administrator instead of deleting it.
  virtual Status quarantine(const std::string& id) = 0;
  // Removes what writers that died left half-written.
  virtual Status collect_garbage() = 0;
};

std::unique_ptr<ObjectStore> make_directory_store(FileSystem& fs, const std::string& root);

}  // namespace evhub::vault
