// Saved searches and their alerts: a user keeps a query under a name and is shown what the
// index has gained for it since they last looked. The query text may name people, so it is
// sealed with a key derived from the hub's master key; only the owner's id is in the clear.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "crypto/crypto.h"

namespace evhub::search {

struct SavedSearch {
  std::int64_t id = 0;
  std::string user_id;
  std::string name;
  std::string query;
  std::int64_t created_ms = 0;
  // The index revision (SearchResults::mark) of the last look: newer items are "new".
  std::int64_t seen_mark = 0;
};

class SavedSearches {
 public:
  // saved_searches.db at `path` (created when missing); `key` seals names and queries.
  static Result<std::unique_ptr<SavedSearches>> open(const std::string& path,
                                                     crypto::SecretKey key);
  ~SavedSearches();

  Result<SavedSearch> add(const std::string& user_id, const std::string& name,
                          const std::string& query, std::int64_t seen_mark, std::int64_t now_ms);
  // The user's saved searches, newest first.
  Result<std::vector<SavedSearch>> of_user(const std::string& user_id);
  // kNotFound for another user's search, exactly as for one that does not exist.
  Result<SavedSearch> find(const std::string& user_id, std::int64_t id);
  Status mark_seen(const std::string& user_id, std::int64_t id, std::int64_t mark);
  Status remove(const std::string& user_id, std::int64_t id);

 private:
  struct Impl;
  explicit SavedSearches(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace evhub::search
