#include "search/saved_searches.h"

#include "catalog/sqlite.h"
#include "core/hex.h"

namespace evhub::search {

namespace {
constexpr const char* kContext = "evhub saved search v1";
constexpr int kMaxPerUser = 200;
}  // namespace

struct SavedSearches::Impl {
  catalog::Database db;
  crypto::SecretKey key;

  std::string seal(const std::string& text) {
    return to_hex(crypto::seal(key, as_bytes(text), kContext));
  }
  Result<std::string> open(const std::string& hex) {
    auto bytes = from_hex(hex);
    if (!bytes) return Status(Code::kIntegrity, "a saved search is damaged");
    EVHUB_ASSIGN_OR_RETURN(Bytes plain, crypto::open(key, *bytes, kContext));
    return std::string(plain.begin(), plain.end());
  }
  Result<SavedSearch> row(catalog::Statement& st) {
    SavedSearch s;
    s.id = st.integer(0);
    s.user_id = st.text(1);
    EVHUB_ASSIGN_OR_RETURN(s.name, open(st.text(2)));
    EVHUB_ASSIGN_OR_RETURN(s.query, open(st.text(3)));
    s.created_ms = st.integer(4);
    s.seen_mark = st.integer(5);
    return s;
  }
};

SavedSearches::SavedSearches(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SavedSearches::~SavedSearches() = default;

Result<std::unique_ptr<SavedSearches>> SavedSearches::open(const std::string& path,
                                                           crypto::SecretKey key) {
  EVHUB_ASSIGN_OR_RETURN(catalog::Database db, catalog::Database::open(path, true));
  EVHUB_RETURN_IF_ERROR(
      db.exec("CREATE TABLE IF NOT EXISTS saved_searches ("
              " id INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL, name TEXT NOT NULL,"
              " query TEXT NOT NULL, created_ms INTEGER NOT NULL, seen_mark INTEGER NOT NULL);"
              "CREATE INDEX IF NOT EXISTS saved_searches_user ON saved_searches(user_id);"));
  auto impl = std::make_unique<Impl>(Impl{std::move(db), std::move(key)});
  return std::unique_ptr<SavedSearches>(new SavedSearches(std::move(impl)));
}

Result<SavedSearch> SavedSearches::add(const std::string& user_id, const std::string& name,
                                       const std::string& query, std::int64_t seen_mark,
                                       std::int64_t now_ms) {
  EVHUB_ASSIGN_OR_RETURN(auto mine, of_user(user_id));
  if (mine.size() >= kMaxPerUser) {
    return Status(Code::kFailedPrecondition,
                  "you have " + std::to_string(kMaxPerUser) +
                      " saved searches already; delete one you no longer need");
  }
  EVHUB_ASSIGN_OR_RETURN(catalog::Statement st,
                         impl_->db.prepare("INSERT INTO saved_searches (user_id, name, query, "
                                           "created_ms, seen_mark) VALUES (?, ?, ?, ?, ?)"));
  st.bind(1, user_id).bind(2, impl_->seal(name)).bind(3, impl_->seal(query));
  st.bind(4, now_ms).bind(5, seen_mark);
  EVHUB_RETURN_IF_ERROR(st.run());
  EVHUB_ASSIGN_OR_RETURN(catalog::Statement last, impl_->db.prepare("SELECT last_insert_rowid()"));
  EVHUB_ASSIGN_OR_RETURN(bool got, last.step());
  if (!got) return Status(Code::kIoError, "the saved search was not stored");
  return find(user_id, last.integer(0));
}

Result<std::vector<SavedSearch>> SavedSearches::of_user(const std::string& user_id) {
  EVHUB_ASSIGN_OR_RETURN(
      catalog::Statement st,
      impl_->db.prepare("SELECT id, user_id, name, query, created_ms, seen_mark FROM "
                        "saved_searches WHERE user_id = ? ORDER BY id DESC"));
  st.bind(1, user_id);
  std::vector<SavedSearch> out;
  while (true) {
    EVHUB_ASSIGN_OR_RETURN(bool more, st.step());
    if (!more) break;
    EVHUB_ASSIGN_OR_RETURN(SavedSearch s, impl_->row(st));
    out.push_back(std::move(s));
  }
  return out;
}

Result<SavedSearch> SavedSearches::find(const std::string& user_id, std::int64_t id) {
  EVHUB_ASSIGN_OR_RETURN(
      catalog::Statement st,
      impl_->db.prepare("SELECT id, user_id, name, query, created_ms, seen_mark FROM "
                        "saved_searches WHERE user_id = ? AND id = ?"));
  st.bind(1, user_id).bind(2, id);
  EVHUB_ASSIGN_OR_RETURN(bool got, st.step());
  if (!got) return Status(Code::kNotFound, "no saved search " + std::to_string(id));
  return impl_->row(st);
}

Status SavedSearches::mark_seen(const std::string& user_id, std::int64_t id, std::int64_t mark) {
  EVHUB_RETURN_IF_ERROR(find(user_id, id).status());
  EVHUB_ASSIGN_OR_RETURN(
      catalog::Statement st,
      impl_->db.prepare("UPDATE saved_searches SET seen_mark = ? WHERE user_id = ? AND id = ?"));
  st.bind(1, mark).bind(2, user_id).bind(3, id);
  return st.run();
}

Status SavedSearches::remove(const std::string& user_id, std::int64_t id) {
  EVHUB_RETURN_IF_ERROR(find(user_id, id).status());
  EVHUB_ASSIGN_OR_RETURN(
      catalog::Statement st,
      impl_->db.prepare("DELETE FROM saved_searches WHERE user_id = ? AND id = ?"));
  st.bind(1, user_id).bind(2, id);
  return st.run();
}

}  // namespace evhub::search
