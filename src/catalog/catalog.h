// The catalog: what the hub holds (key domains, objects and their provenance) in SQLite, with
// WAL, foreign keys and versioned migrations that upgrade an older hub in place. It is a
// materialised view of the custody log: every change records the log sequence number it
// applies, so that after a crash the hub can replay what the catalog has not seen yet.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace evhub::catalog {

struct KeyDomain {
  std::string id;    // opaque, used in file names
  std::string name;  // what people call it, e.g. a witness code
  std::string created_at;
  bool shredded = false;
  std::optional<std::string> shredded_at;
  std::optional<std::string> shredded_by;
  std::optional<std::string> shred_reason;
  // The partner organisation whose material it holds (schema version 3); none for domains
  // made before organisations existed, or by the command line without --org.
  std::optional<std::string> organisation_id;
};

struct ObjectRecord {
  std::string id;
  std::string domain_id;
  std::string sha256;  // of the plaintext, lowercase hex
  std::int64_t size = 0;
  std::string media_type = "application/octet-stream";
  std::string origin = "uploaded";  // uploaded | captured | derived
  std::string created_at;
  std::string created_by;
  // Provenance of derived objects (schema version 2).
  std::optional<std::string> derived_from;
  std::optional<std::string> tool;
  std::optional<std::string> tool_version;
  std::optional<std::string> tool_parameters;
  // normal | health | sexual-violence (schema version 4): the restricted categories that only
  // some roles may read (see api/policy.h).
  std::string sensitivity = "normal";
  // The kind of record a domain module keeps in this object ("witness", "consent", …; schema
  // version 5), or none for evidence. Records are never listed or served as evidence.
  std::optional<std::string> record;
};

// The sensitivities an object may have, least restricted first.
inline constexpr const char* kSensitivities[] = {"normal", "health", "sexual-violence"};
bool is_sensitivity(const std::string& name);
// The more restricted of two sensitivities (an unknown name counts as more restricted than
// any known one: a mistake must never open material up).
std::string stricter_sensitivity(const std::string& a, const std::string& b);

// What one reader may see in one organisation: objects of its live domains whose sensitivity is
// one of `sensitivities`.
struct ReadScope {
  std::string organisation_id;
  std::vector<std::string> sensitivities;
};

struct Counts {
  std::int64_t domains = 0;
  std::int64_t shredded_domains = 0;
  std::int64_t objects = 0;
  std::int64_t bytes = 0;
};

// The newest schema version this build knows.
int latest_schema_version();

class Catalog {
 public:
  // Opens (creating when `create`) and migrates to the latest schema. A catalog written by a
  // newer build is refused rather than misread.
  static Result<std::unique_ptr<Catalog>> open(const std::string& path, bool create);
  // For tests of the upgrade path: creates a catalog at an older schema version.
  static Status create_at_version(const std::string& path, int version);
  ~Catalog();

  Result<int> schema_version();
  Status integrity_check();

  // Changes run inside a transaction that also records the custody sequence they apply.
  class Change {
   public:
    virtual ~Change() = default;
    virtual Status add_domain(const KeyDomain& domain) = 0;
    virtual Status add_object(const ObjectRecord& object) = 0;
    virtual Status mark_shredded(const std::string& domain_id, const std::string& at,
                                 const std::string& by, const std::string& reason) = 0;
  };
  // Applies `fn`'s changes and sets applied_seq atomically.
  template <typename Fn>
  Status apply(std::int64_t applied_seq, Fn&& fn);

  // Number of custody events applied so far (the next event to apply has this sequence).
  Result<std::int64_t> applied_seq();

  Result<std::optional<KeyDomain>> find_domain_by_name(const std::string& name);
  Result<std::optional<KeyDomain>> find_domain(const std::string& id);
  Result<std::vector<KeyDomain>> domains();
  Result<std::optional<ObjectRecord>> find_object(const std::string& id);
  Result<std::optional<ObjectRecord>> find_object_by_hash(const std::string& domain_id,
                                                          const std::string& sha256);
  Result<std::vector<ObjectRecord>> objects();
  // Objects within `scopes`, by id, after `after_id` (exclusive; "" from the start), at most
  // `limit`: a page that stays stable as objects are added. The scopes are part of the query,
  // so nothing else is ever read.
  Result<std::vector<ObjectRecord>> objects_of(const std::vector<ReadScope>& scopes,
                                               const std::string& after_id, int limit);
  // The newest objects (by created_at) within `scopes`.
  Result<std::vector<ObjectRecord>> newest_objects_of(const std::vector<ReadScope>& scopes,
                                                      int limit);
  Result<std::int64_t> count_objects_in(const std::string& domain_id);
  Result<Counts> counts();
  // Domains of the scopes' organisations; objects and bytes within the scopes.
  Result<Counts> counts_of(const std::vector<ReadScope>& scopes);

 private:
  Result<std::vector<ObjectRecord>> objects_where(const std::string& condition,
                                                  const std::vector<std::string>& values,
                                                  const std::string& after_id, int limit);
  struct Impl;
  explicit Catalog(std::unique_ptr<Impl> impl);
  Status apply_impl(std::int64_t applied_seq, const std::function<Status(Change&)>& fn);
  std::unique_ptr<Impl> impl_;
};

template <typename Fn>
Status Catalog::apply(std::int64_t applied_seq, Fn&& fn) {
  return apply_impl(applied_seq, std::function<Status(Change&)>(std::forward<Fn>(fn)));
}

}  // namespace evhub::catalog
