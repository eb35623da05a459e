// Thin RAII wrappers over SQLite (connection, prepared statement, transaction) that turn every
// SQLite error into a Status naming what was being done: the embedded backend of the catalog
// and of the other modules that keep their own SQLite file (accounts).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace evhub::catalog {

class Statement;

class Database {
 public:
  // Opens with the hub's settings: WAL, synchronous=FULL, foreign keys, secure_delete.
  static Result<Database> open(const std::string& path, bool create);
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  ~Database();

  Status exec(const std::string& sql);
  // Prepared statements are kept for reuse: preparing costs more than running most queries.
  Result<Statement> prepare(const std::string& sql);
  // The first column of every row of `sql`, which has one parameter, bound to `value`: e.g. the
  // record objects of an entity's versions, oldest first.
  Result<std::vector<std::string>> texts(const std::string& sql, const std::string& value);
  Status error(const std::string& what) const;
  sqlite3* handle() { return db_; }

 private:
  friend class Statement;
  void close();
  using Cache = std::unordered_multimap<std::string, sqlite3_stmt*>;
  explicit Database(sqlite3* db, std::string path)
      : db_(db), path_(std::move(path)), cache_(std::make_unique<Cache>()) {}
  sqlite3* db_ = nullptr;
  std::string path_;
  std::unique_ptr<Cache> cache_;  // statements not in use, by SQL text
};

class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, const std::string& value);
  Statement& bind(int index, std::int64_t value);
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::string>& value);
  // true while there is a row; false when done.
  Result<bool> step();
  Status run();  // step to completion, expecting no rows
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;
  std::int64_t integer(int column) const;

 private:
  friend class Database;
  Statement(Database* db, sqlite3_stmt* stmt, std::string sql)
      : db_(db), stmt_(stmt), sql_(std::move(sql)) {}
  Database* db_;
  sqlite3_stmt* stmt_;
  std::string sql_;
};

// BEGIN IMMEDIATE … COMMIT; rolls back if destroyed before commit().
class Transaction {
 public:
  static Result<Transaction> begin(Database& db);
  Transaction(Transaction&& other) noexcept;
  Transaction(const Transaction&) = delete;
  ~Transaction();
  Status commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;
};

}  // namespace evhub::catalog
