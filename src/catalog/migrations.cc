// The catalog's schema history. Each entry upgrades version N-1 to N and is never edited once
// released: a hub created by any earlier build is upgraded in place, inside one transaction.
#include "catalog/migrations.h"

namespace evhub::catalog {

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "key domains and objects",
       R"sql(
CREATE TABLE hub_state (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT INTO hub_state(key, value) VALUES ('custody_applied_seq', 0);
CREATE TABLE key_domains (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  created_at   TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('active', 'shredded')),
  shredded_at  TEXT,
  shredded_by  TEXT,
  shred_reason TEXT
);
CREATE TABLE objects (
  id         TEXT PRIMARY KEY,
  domain_id  TEXT NOT NULL REFERENCES key_domains(id),
  sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
  size       INTEGER NOT NULL CHECK (size >= 0),
  media_type TEXT NOT NULL,
  origin     TEXT NOT NULL CHECK (origin IN ('uploaded', 'captured', 'derived')),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (domain_id, sha256)
);
)sql"},
      {2, "provenance of derived objects",
       R"sql(
ALTER TABLE objects ADD COLUMN derived_from TEXT REFERENCES objects(id);
ALTER TABLE objects ADD COLUMN tool TEXT;
ALTER TABLE objects ADD COLUMN tool_version TEXT;
ALTER TABLE objects ADD COLUMN tool_parameters TEXT;
CREATE INDEX objects_by_sha256 ON objects(sha256);
CREATE INDEX objects_by_source ON objects(derived_from);
)sql"},
      {3, "key domains belong to an organisation",
       R"sql(
ALTER TABLE key_domains ADD COLUMN organisation_id TEXT;
CREATE INDEX key_domains_by_organisation ON key_domains(organisation_id);
)sql"},
      {4, "objects carry a sensitivity (restricted categories: health, sexual violence)",
       R"sql(
ALTER TABLE objects ADD COLUMN sensitivity TEXT NOT NULL DEFAULT 'normal'
  CHECK (sensitivity IN ('normal', 'health', 'sexual-violence'));
)sql"},
      {5, "records that domain modules keep as objects",
       R"sql(
ALTER TABLE objects ADD COLUMN record TEXT;
)sql"},
  };
  return kMigrations;
}

}  // namespace evhub::catalog
