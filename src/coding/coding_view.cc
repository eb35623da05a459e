#include "coding/coding_view.h"

#include "catalog/migrations.h"
#include "coding/framework.h"
#include "hub/log_view.h"

namespace evhub::coding::internal {

using catalog::Database;
using catalog::Statement;
using nlohmann::json;

namespace {

// coding.db is derived data: deleting it makes the next open replay the log.
const std::vector<catalog::Migration>& view_migrations() {
  static const std::vector<catalog::Migration> kMigrations = {
      {1, "follows the custody log", hub::kViewStateSql},
      {2, "annotations", R"sql(
CREATE TABLE annotations (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  record_object TEXT NOT NULL,
  domain_id TEXT NOT NULL,
  domain TEXT NOT NULL,
  organisation_id TEXT NOT NULL,
  object_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  span_begin INTEGER NOT NULL,
  span_end INTEGER NOT NULL,
  incident_from TEXT NOT NULL,
  place TEXT NOT NULL,
  facility TEXT NOT NULL,
  coder TEXT NOT NULL,
  removed INTEGER NOT NULL
);
CREATE INDEX annotations_by_object ON annotations(object_id);
CREATE INDEX annotations_by_domain ON annotations(domain_id);
CREATE TABLE annotation_versions (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  record_object TEXT NOT NULL,
  PRIMARY KEY (id, version)
);
CREATE TABLE annotation_codes (
  annotation_id TEXT NOT NULL,
  code_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  PRIMARY KEY (annotation_id, code_id)
);
CREATE INDEX annotation_codes_by_code ON annotation_codes(code_id);
)sql"},
      // The framework's versions as stored: the newest (highest seq) is the hub's framework,
      // since each stored version was checked as the successor of the one before.
      {3, "coding framework versions", R"sql(
CREATE TABLE framework_versions (
  seq INTEGER PRIMARY KEY,
  version INTEGER NOT NULL,
  record_object TEXT NOT NULL,
  stored_by TEXT NOT NULL,
  stored_at TEXT NOT NULL
);
)sql"},
      // The coded object's sensitivity, so that retrieval decides who may see a passage from
      // the view alone (an object's sensitivity never changes). The view is replayed to fill it.
      {4, "coded objects' sensitivity", R"sql(
ALTER TABLE annotations ADD COLUMN sensitivity TEXT NOT NULL DEFAULT 'normal';
DELETE FROM annotation_codes;
DELETE FROM annotation_versions;
DELETE FROM annotations;
DELETE FROM framework_versions;
UPDATE view_state SET applied_seq = 0;
)sql"},
      // Retrieval by code reads one range of one table: a code's passages clustered by
      // (code, organisation, object, position), with what a listing shows. Joining
      // annotation_codes to annotations cost a random lookup per passage (66 ms p95 for a
      // code with 25,000 passages; bench/README-coding.md). The view is replayed to fill it.
      {5, "passages clustered by code", R"sql(
DROP TABLE annotation_codes;
CREATE TABLE code_passages (
  code_id TEXT NOT NULL,
  organisation_id TEXT NOT NULL,
  object_id TEXT NOT NULL,
  span_begin INTEGER NOT NULL,
  annotation_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  domain TEXT NOT NULL,
  kind TEXT NOT NULL,
  span_end INTEGER NOT NULL,
  incident_from TEXT NOT NULL,
  place TEXT NOT NULL,
  facility TEXT NOT NULL,
  coder TEXT NOT NULL,
  sensitivity TEXT NOT NULL,
  PRIMARY KEY (code_id, organisation_id, object_id, span_begin, annotation_id)
) WITHOUT ROWID;
CREATE INDEX code_passages_by_annotation ON code_passages(annotation_id);
DELETE FROM annotation_versions;
DELETE FROM annotations;
DELETE FROM framework_versions;
UPDATE view_state SET applied_seq = 0;
)sql"},
      // How many codes the passage has, on each of its rows: counting the passages of several
      // codes needs a set of ids only for passages with more than one (bench/README-coding.md).
      // Filled from the rows already there: no replay.
      {6, "codes per passage", R"sql(
ALTER TABLE code_passages ADD COLUMN code_count INTEGER NOT NULL DEFAULT 1;
UPDATE code_passages SET code_count = (SELECT COUNT(*) FROM code_passages q
  WHERE q.annotation_id = code_passages.annotation_id);
)sql"}};
  return kMigrations;
}

// Only the place of the version in the log is kept: the framework itself stays in its record.
Status apply_framework_put(Database& db, hub::Hub& hub, const custody::Event& e) {
  auto record = read_record(hub, e.object, kMaxFileBytes + 4096);
  // Erased later in the log: the store passes over versions it cannot read.
  if (!record.is_ok() && record.status().code() == Code::kErased) return Status::ok();
  EVHUB_RETURN_IF_ERROR(record.status());
  EVHUB_ASSIGN_OR_RETURN(Statement st,
                         db.prepare("INSERT OR REPLACE INTO framework_versions(seq, version, "
                                    "record_object, stored_by, stored_at) VALUES (?, ?, ?, ?, ?)"));
  st.bind(1, static_cast<std::int64_t>(e.seq))
      .bind(2, std::int64_t{record->value("framework", json::object()).value("version", 0)})
      .bind(3, e.object)
      .bind(4, record->value("stored_by", e.actor))
      .bind(5, e.time);
  return st.run();
}

Status apply(Database& db, hub::Hub& hub, const custody::Event& e) {
  if (e.action == "shred") return apply_annotation_shred(db, e);
  if (e.action != "put" || !e.details.is_object()) return Status::ok();
  const std::string kind = e.details.value("record", "");
  if (kind == kAnnotationRecord) return apply_annotation_put(db, hub, e);
  if (kind == kFrameworkRecord) return apply_framework_put(db, hub, e);
  return Status::ok();
}

}  // namespace

Result<Database> open_coding_view(hub::Hub& hub) {
  EVHUB_ASSIGN_OR_RETURN(Database db, Database::open(hub.layout().coding(), true));
  EVHUB_RETURN_IF_ERROR(catalog::migrate(db, view_migrations(), "coding.db"));
  return db;
}

Status sync_coding_view(Database& db, hub::Hub& hub) {
  return hub::follow_log(db, hub, [&](const custody::Event& e) { return apply(db, hub, e); });
}

}  // namespace evhub::coding::internal
