#include "catalog/sqlite.h"

#include <cerrno>
#include <utility>

#include <fmt/format.h>

namespace evhub::catalog {

namespace {
Code code_for(int rc) {
  switch (rc & 0xff) {
    case SQLITE_FULL:
      return Code::kNoSpace;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Code::kBusy;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Code::kIntegrity;
    case SQLITE_CANTOPEN:
      return Code::kNotFound;
    case SQLITE_CONSTRAINT:
      return Code::kAlreadyExists;
    default:
      return Code::kIoError;
  }
}
}  // namespace

Result<Database> Database::open(const std::string& path, bool create) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    std::string hint = (rc & 0xff) == SQLITE_CANTOPEN && !create
                           ? "; restore it from a backup or rebuild it from the custody log "
                             "(evhub catalog rebuild)"
                           : "";
    return Status(code_for(rc), fmt::format("opening catalog {}: {}{}", path, msg, hint));
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 10000);
  Database database(db, path);
  // WAL for concurrent readers; FULL sync so a committed change survives power loss; foreign
  // keys enforced; secure_delete so that erased rows do not linger in free pages.
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                             "PRAGMA foreign_keys=ON", "PRAGMA secure_delete=ON"}) {
    EVHUB_RETURN_IF_ERROR(database.exec(pragma));
  }
  return database;
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      cache_(std::move(other.cache_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    close();
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
    cache_ = std::move(other.cache_);
  }
  return *this;
}

void Database::close() {
  if (cache_) {
    for (auto& [sql, stmt] : *cache_) sqlite3_finalize(stmt);
    cache_->clear();
  }
  sqlite3_close(db_);
  db_ = nullptr;
}

Database::~Database() {
  close();
}

Status Database::error(const std::string& what) const {
  int rc = sqlite3_extended_errcode(db_);
  Code code = code_for(rc);
  if ((rc & 0xff) == SQLITE_IOERR) {
    // SQLite says "disk I/O error" for a full disk too; the OS error tells them apart.
    int err = sqlite3_system_errno(db_);
    if (err == ENOSPC || err == EDQUOT || err == EFBIG) code = Code::kNoSpace;
  }
  std::string msg = fmt::format("catalog {}: {} ({})", what, sqlite3_errmsg(db_), path_);
  if (code == Code::kNoSpace) msg += " (disk full or file size limit reached)";
  if (code == Code::kIntegrity) {
    msg +=
        "; the catalog file is damaged — restore it from a backup or rebuild it from the "
        "custody log (evhub catalog rebuild)";
  }
  return Status(code, msg);
}

Status Database::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    sqlite3_free(err);
    return error("statement failed");
  }
  return Status::ok();
}

Result<std::vector<std::string>> Database::texts(const std::string& sql, const std::string& value) {
  EVHUB_ASSIGN_OR_RETURN(Statement st, prepare(sql));
  st.bind(1, value);
  std::vector<std::string> out;
  for (;;) {
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) return out;
    out.push_back(st.text(0));
  }
}

Result<Statement> Database::prepare(const std::string& sql) {
  if (auto it = cache_->find(sql); it != cache_->end()) {
    sqlite3_stmt* stmt = it->second;
    cache_->erase(it);
    return Statement(this, stmt, sql);
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    return error("preparing a query");
  }
  return Statement(this, stmt, sql);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), sql_(std::move(other.sql_)) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  // Back to the cache, reset and unbound, for the next prepare() of the same SQL.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  db_->cache_->emplace(std::move(sql_), stmt_);
}

Statement& Statement::bind(int index, const std::string& value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->error("query failed");
}

Status Statement::run() {
  for (;;) {
    EVHUB_ASSIGN_OR_RETURN(bool row, step());
    if (!row) return Status::ok();
  }
}

std::string Statement::text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
           : std::string();
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return text(column);
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

Result<Transaction> Transaction::begin(Database& db) {
  EVHUB_RETURN_IF_ERROR(db.exec("BEGIN IMMEDIATE"));
  return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  if (db_) (void)db_->exec("ROLLBACK");
}

Status Transaction::commit() {
  Status st = db_->exec("COMMIT");
  if (st.is_ok()) db_ = nullptr;
  return st;
}

}  // namespace evhub::catalog
