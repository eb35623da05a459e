#include "catalog/catalog.h"

#include <fmt/format.h>

#include "catalog/migrations.h"
#include "catalog/sqlite.h"

namespace evhub::catalog {

int latest_schema_version() {
  return migrations().back().version;
}

struct Catalog::Impl {
  Database db;
};

namespace {

Result<int> user_version(Database& db) {
  EVHUB_ASSIGN_OR_RETURN(Statement st, db.prepare("PRAGMA user_version"));
  EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row) return db.error("reading the schema version");
  return static_cast<int>(st.integer(0));
}

}  // namespace

Status migrate(Database& db, const std::vector<Migration>& list, const std::string& what,
               int target) {
  const int newest = list.empty() ? 0 : list.back().version;
  if (target < 0) target = newest;
  EVHUB_ASSIGN_OR_RETURN(Transaction tx, Transaction::begin(db));
  EVHUB_ASSIGN_OR_RETURN(int current, user_version(db));
  if (current > newest) {
    return Status(Code::kFailedPrecondition,
                  fmt::format("{} has schema version {}, newer than this evhub understands ({}); "
                              "upgrade evhub",
                              what, current, newest));
  }
  for (const Migration& m : list) {
    if (m.version <= current || m.version > target) continue;
    Status st = db.exec(m.sql);
    if (!st.is_ok()) {
      return st.with_context(
          fmt::format("upgrading {} to version {} ({})", what, m.version, m.description));
    }
    EVHUB_RETURN_IF_ERROR(db.exec(fmt::format("PRAGMA user_version={}", m.version)));
  }
  return tx.commit();
}

namespace {

constexpr const char* kObjectColumns =
    "id, domain_id, sha256, size, media_type, origin, created_at, created_by, derived_from, "
    "tool, tool_version, tool_parameters, sensitivity, record";

// kObjectColumns, each prefixed with "o." for queries that join key_domains.
std::string qualified_object_columns() {
  std::string out = "o.";
  for (const char* c = kObjectColumns; *c; ++c) {
    out += *c;
    if (*c == ' ') out += "o.";
  }
  return out;
}

ObjectRecord read_object(const Statement& st) {
  ObjectRecord o;
  o.id = st.text(0);
  o.domain_id = st.text(1);
  o.sha256 = st.text(2);
  o.size = st.integer(3);
  o.media_type = st.text(4);
  o.origin = st.text(5);
  o.created_at = st.text(6);
  o.created_by = st.text(7);
  o.derived_from = st.optional_text(8);
  o.tool = st.optional_text(9);
  o.sensitivity = st.text(12);
  o.record = st.optional_text(13);
  o.tool_version = st.optional_text(10);
  o.tool_parameters = st.optional_text(11);
  return o;
}

constexpr const char* kDomainColumns =
    "id, name, created_at, state, shredded_at, shredded_by, shred_reason, organisation_id";

KeyDomain read_domain(const Statement& st) {
  KeyDomain d;
  d.id = st.text(0);
  d.name = st.text(1);
  d.created_at = st.text(2);
  d.shredded = st.text(3) == "shredded";
  d.shredded_at = st.optional_text(4);
  d.shredded_by = st.optional_text(5);
  d.shred_reason = st.optional_text(6);
  d.organisation_id = st.optional_text(7);
  return d;
}

template <typename T, typename Reader>
Result<std::vector<T>> query_all(Database& db, const std::string& sql, Reader reader,
                                 const std::vector<std::string>& args = {}) {
  EVHUB_ASSIGN_OR_RETURN(Statement st, db.prepare(sql));
  for (std::size_t i = 0; i < args.size(); ++i) st.bind(static_cast<int>(i + 1), args[i]);
  std::vector<T> out;
  for (;;) {
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    out.push_back(reader(st));
  }
  return out;
}

template <typename T, typename Reader>
Result<std::optional<T>> query_one(Database& db, const std::string& sql, Reader reader,
                                   const std::vector<std::string>& args) {
  EVHUB_ASSIGN_OR_RETURN(std::vector<T> all, query_all<T>(db, sql, reader, args));
  if (all.empty()) return std::optional<T>();
  return std::optional<T>(std::move(all.front()));
}

class ChangeImpl final : public Catalog::Change {
 public:
  explicit ChangeImpl(Database& db) : db_(db) {}

  Status add_domain(const KeyDomain& d) override {
    EVHUB_ASSIGN_OR_RETURN(Statement st,
                           db_.prepare("INSERT INTO key_domains(id, name, created_at, state, "
                                       "organisation_id) VALUES (?, ?, ?, 'active', ?)"));
    st.bind(1, d.id).bind(2, d.name).bind(3, d.created_at).bind(4, d.organisation_id);
    return st.run();
  }

  Status add_object(const ObjectRecord& o) override {
    EVHUB_ASSIGN_OR_RETURN(
        Statement st,
        db_.prepare(fmt::format("INSERT INTO objects({}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                                kObjectColumns)));
    st.bind(1, o.id).bind(2, o.domain_id).bind(3, o.sha256).bind(4, o.size);
    st.bind(5, o.media_type).bind(6, o.origin).bind(7, o.created_at).bind(8, o.created_by);
    st.bind(9, o.derived_from).bind(10, o.tool).bind(11, o.tool_version);
    st.bind(12, o.tool_parameters).bind(13, o.sensitivity).bind(14, o.record);
    return st.run();
  }

  Status mark_shredded(const std::string& domain_id, const std::string& at, const std::string& by,
                       const std::string& reason) override {
    EVHUB_ASSIGN_OR_RETURN(Statement st,
                           db_.prepare("UPDATE key_domains SET state='shredded', shredded_at=?, "
                                       "shredded_by=?, shred_reason=? WHERE id=?"));
    st.bind(1, at).bind(2, by).bind(3, reason).bind(4, domain_id);
    EVHUB_RETURN_IF_ERROR(st.run());
    if (sqlite3_changes(db_.handle()) != 1) {
      return Status(Code::kNotFound, "no key domain " + domain_id);
    }
    return Status::ok();
  }

 private:
  Database& db_;
};

}  // namespace

Catalog::Catalog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Catalog::~Catalog() = default;

Result<std::unique_ptr<Catalog>> Catalog::open(const std::string& path, bool create) {
  EVHUB_ASSIGN_OR_RETURN(Database db, Database::open(path, create));
  EVHUB_RETURN_IF_ERROR(migrate(db, migrations(), "the catalog"));
  return std::unique_ptr<Catalog>(new Catalog(std::make_unique<Impl>(Impl{std::move(db)})));
}

Status Catalog::create_at_version(const std::string& path, int version) {
  EVHUB_ASSIGN_OR_RETURN(Database db, Database::open(path, true));
  return migrate(db, migrations(), "the catalog", version);
}

Result<int> Catalog::schema_version() {
  return user_version(impl_->db);
}

Status Catalog::integrity_check() {
  EVHUB_ASSIGN_OR_RETURN(Statement st, impl_->db.prepare("PRAGMA integrity_check"));
  EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row || st.text(0) != "ok") {
    return Status(Code::kIntegrity, "the catalog database fails SQLite's integrity check: " +
                                        (row ? st.text(0) : std::string("no answer")));
  }
  EVHUB_ASSIGN_OR_RETURN(Statement fk, impl_->db.prepare("PRAGMA foreign_key_check"));
  EVHUB_ASSIGN_OR_RETURN(bool bad, fk.step());
  if (bad) return Status(Code::kIntegrity, "the catalog has rows that point at missing rows");
  return Status::ok();
}

Status Catalog::apply_impl(std::int64_t applied_seq, const std::function<Status(Change&)>& fn) {
  EVHUB_ASSIGN_OR_RETURN(Transaction tx, Transaction::begin(impl_->db));
  ChangeImpl change(impl_->db);
  EVHUB_RETURN_IF_ERROR(fn(change));
  EVHUB_ASSIGN_OR_RETURN(
      Statement st,
      impl_->db.prepare("UPDATE hub_state SET value=? WHERE key='custody_applied_seq'"));
  st.bind(1, applied_seq);
  EVHUB_RETURN_IF_ERROR(st.run());
  return tx.commit();
}

Result<std::int64_t> Catalog::applied_seq() {
  EVHUB_ASSIGN_OR_RETURN(
      Statement st,
      impl_->db.prepare("SELECT value FROM hub_state WHERE key='custody_applied_seq'"));
  EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
  if (!row) return Status(Code::kIntegrity, "the catalog has lost its custody position");
  return st.integer(0);
}

Result<std::optional<KeyDomain>> Catalog::find_domain_by_name(const std::string& name) {
  return query_one<KeyDomain>(
      impl_->db, fmt::format("SELECT {} FROM key_domains WHERE name=?", kDomainColumns),
      read_domain, {name});
}

Result<std::optional<KeyDomain>> Catalog::find_domain(const std::string& id) {
  return query_one<KeyDomain>(impl_->db,
                              fmt::format("SELECT {} FROM key_domains WHERE id=?", kDomainColumns),
                              read_domain, {id});
}

Result<std::vector<KeyDomain>> Catalog::domains() {
  return query_all<KeyDomain>(
      impl_->db, fmt::format("SELECT {} FROM key_domains ORDER BY name", kDomainColumns),
      read_domain);
}

Result<std::optional<ObjectRecord>> Catalog::find_object(const std::string& id) {
  return query_one<ObjectRecord>(impl_->db,
                                 fmt::format("SELECT {} FROM objects WHERE id=?", kObjectColumns),
                                 read_object, {id});
}

Result<std::optional<ObjectRecord>> Catalog::find_object_by_hash(const std::string& domain_id,
                                                                 const std::string& sha256) {
  return query_one<ObjectRecord>(
      impl_->db,
      fmt::format("SELECT {} FROM objects WHERE domain_id=? AND sha256=?", kObjectColumns),
      read_object, {domain_id, sha256});
}

Result<std::vector<ObjectRecord>> Catalog::objects() {
  return query_all<ObjectRecord>(
      impl_->db, fmt::format("SELECT {} FROM objects ORDER BY created_at, id", kObjectColumns),
      read_object);
}

namespace {

// The one row of a counts query: domains, shredded domains, objects, bytes.
Result<Counts> read_counts(Statement& st) {
  EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
  Counts c;
  if (row) {
    c.domains = st.integer(0);
    c.shredded_domains = st.integer(1);
    c.objects = st.integer(2);
    c.bytes = st.integer(3);
  }
  return c;
}

// "(d.organisation_id = ? AND o.sensitivity IN (?,?)) OR (…)" for `scopes`, and its values in
// order. An empty list matches nothing.
std::pair<std::string, std::vector<std::string>> scope_condition(
    const std::vector<ReadScope>& scopes) {
  std::string sql;
  std::vector<std::string> values;
  for (const ReadScope& s : scopes) {
    if (s.sensitivities.empty()) continue;
    std::string marks;
    for (std::size_t i = 0; i < s.sensitivities.size(); ++i) marks += i ? ",?" : "?";
    sql += fmt::format("{}(d.organisation_id = ? AND o.sensitivity IN ({}))",
                       sql.empty() ? "" : " OR ", marks);
    values.push_back(s.organisation_id);
    values.insert(values.end(), s.sensitivities.begin(), s.sensitivities.end());
  }
  // Records that domain modules keep as objects (witness profiles, consent) are not evidence.
  return {sql.empty() ? "0" : "(o.record IS NULL AND (" + sql + "))", values};
}

}  // namespace

bool is_sensitivity(const std::string& name) {
  for (const char* s : kSensitivities) {
    if (name == s) return true;
  }
  return false;
}

std::string stricter_sensitivity(const std::string& a, const std::string& b) {
  auto rank = [](const std::string& s) {
    int i = 0;
    for (const char* known : kSensitivities) {
      if (s == known) return i;
      ++i;
    }
    return i;  // unknown: more restricted than any, never the least
  };
  return rank(a) >= rank(b) ? a : b;
}

Result<std::vector<ObjectRecord>> Catalog::objects_of(const std::vector<ReadScope>& scopes,
                                                      const std::string& after_id, int limit) {
  if (scopes.empty() || limit <= 0) return std::vector<ObjectRecord>();
  // CROSS JOIN keeps objects the outer loop: SQLite walks the id index from `after_id` and stops
  // at `limit` matches, instead of sorting every object of the organisations on each page.
  auto [condition, values] = scope_condition(scopes);
  return objects_where(condition + " AND o.id > ? ORDER BY o.id LIMIT ?", values, after_id, limit);
}

Result<std::vector<ObjectRecord>> Catalog::newest_objects_of(const std::vector<ReadScope>& scopes,
                                                             int limit) {
  if (scopes.empty() || limit <= 0) return std::vector<ObjectRecord>();
  auto [condition, values] = scope_condition(scopes);
  return objects_where(condition + " AND o.id > ? ORDER BY o.created_at DESC, o.id LIMIT ?", values,
                       "", limit);
}

Result<std::vector<ObjectRecord>> Catalog::objects_where(const std::string& condition,
                                                         const std::vector<std::string>& values,
                                                         const std::string& after_id, int limit) {
  EVHUB_ASSIGN_OR_RETURN(
      Statement st, impl_->db.prepare(fmt::format(
                        "SELECT {} FROM objects o CROSS JOIN key_domains d ON d.id = o.domain_id "
                        "WHERE d.state = 'active' AND {}",
                        qualified_object_columns(), condition)));
  int i = 1;
  for (const auto& v : values) st.bind(i++, v);
  st.bind(i++, after_id);
  st.bind(i, std::int64_t{limit});
  std::vector<ObjectRecord> out;
  for (;;) {
    EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    out.push_back(read_object(st));
  }
  return out;
}

Result<Counts> Catalog::counts_of(const std::vector<ReadScope>& scopes) {
  if (scopes.empty()) return Counts();
  std::string orgs;
  std::vector<std::string> org_ids;
  for (const ReadScope& s : scopes) {
    orgs += orgs.empty() ? "?" : ",?";
    org_ids.push_back(s.organisation_id);
  }
  auto [condition, values] = scope_condition(scopes);
  EVHUB_ASSIGN_OR_RETURN(
      Statement st,
      impl_->db.prepare(fmt::format(
          "SELECT (SELECT count(*) FROM key_domains WHERE organisation_id IN ({0})),"
          " (SELECT count(*) FROM key_domains WHERE state='shredded' AND organisation_id IN ({0})),"
          " count(o.id), coalesce(sum(o.size), 0) FROM objects o JOIN key_domains d"
          " ON d.id = o.domain_id WHERE d.state = 'active' AND {1}",
          orgs, condition)));
  int i = 1;
  for (int round = 0; round < 2; ++round) {
    for (const auto& org : org_ids) st.bind(i++, org);
  }
  for (const auto& v : values) st.bind(i++, v);
  return read_counts(st);
}

Result<std::int64_t> Catalog::count_objects_in(const std::string& domain_id) {
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         impl_->db.prepare("SELECT count(*) FROM objects WHERE domain_id=?"));
  st.bind(1, domain_id);
  EVHUB_ASSIGN_OR_RETURN(bool row, st.step());
  return row ? st.integer(0) : 0;
}

Result<Counts> Catalog::counts() {
  EVHUB_ASSIGN_OR_RETURN(
      Statement st, impl_->db.prepare("SELECT (SELECT count(*) FROM key_domains),"
                                      " (SELECT count(*) FROM key_domains WHERE state='shredded'),"
                                      " (SELECT count(*) FROM objects),"
                                      " (SELECT coalesce(sum(size), 0) FROM objects)"));
  return read_counts(st);
}

}  // namespace evhub::catalog
