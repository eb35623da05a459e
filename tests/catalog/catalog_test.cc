#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "catalog/sqlite.h"
#include "support/support.h"

namespace evhub::catalog {
namespace {

KeyDomain domain(const std::string& id, const std::string& name) {
  KeyDomain d;
  d.id = id;
  d.name = name;
  d.created_at = "2026-11-21T10:00:00.000Z";
  return d;
}

ObjectRecord object(const std::string& id, const std::string& domain_id, char hash) {
  ObjectRecord o;
  o.id = id;
  o.domain_id = domain_id;
  o.sha256 = std::string(64, hash);
  o.size = 42;
  o.created_at = "2026-11-21T10:00:01.000Z";
  o.created_by = "tester";
  return o;
}

TEST(Catalog, CreatesAtLatestVersionWithWalAndRecordsChanges) {
  testing::TempDir tmp;
  auto cat = Catalog::open(tmp / "c.db", true);
  ASSERT_TRUE(cat.is_ok()) << cat.status().to_string();
  EXPECT_EQ(*(*cat)->schema_version(), latest_schema_version());
  ASSERT_TRUE((*cat)
                  ->apply(2,
                          [](Catalog::Change& c) {
                            EVHUB_RETURN_IF_ERROR(c.add_domain(domain("d1", "W-00001")));
                            return c.add_object(object("o1", "d1", 'a'));
                          })
                  .is_ok());
  EXPECT_EQ(*(*cat)->applied_seq(), 2);
  auto found = (*cat)->find_object_by_hash("d1", std::string(64, 'a'));
  ASSERT_TRUE(found.is_ok() && found->has_value());
  EXPECT_EQ((*found)->id, "o1");
  auto r = testing::run({"sqlite3", tmp / "c.db", "PRAGMA journal_mode"});
  EXPECT_EQ(r.out, "wal\n");
  EXPECT_TRUE((*cat)->integrity_check().is_ok());
}

TEST(Catalog, FailedChangeLeavesNothingBehind) {
  testing::TempDir tmp;
  auto cat = std::move(Catalog::open(tmp / "c.db", true)).value();
  ASSERT_TRUE(
      cat->apply(1, [](Catalog::Change& c) { return c.add_domain(domain("d1", "A")); }).is_ok());
  // Second object with the same (domain, sha256) violates dedup: the whole change rolls back.
  Status st = cat->apply(3, [](Catalog::Change& c) {
    EVHUB_RETURN_IF_ERROR(c.add_object(object("o1", "d1", 'b')));
    return c.add_object(object("o2", "d1", 'b'));
  });
  EXPECT_FALSE(st.is_ok());
  EXPECT_EQ(*cat->applied_seq(), 1);
  EXPECT_FALSE(cat->find_object("o1")->has_value());
  // Foreign keys are enforced: an object in an unknown domain is refused.
  EXPECT_FALSE(
      cat->apply(2, [](Catalog::Change& c) { return c.add_object(object("o3", "nope", 'c')); })
          .is_ok());
}

TEST(Catalog, UpgradesAnOlderCatalogInPlaceKeepingItsData) {
  testing::TempDir tmp;
  const std::string path = tmp / "c.db";
  ASSERT_TRUE(Catalog::create_at_version(path, 1).is_ok());
  // Data written by a version-1 build, straight through SQLite.
  auto r = testing::run(
      {"sqlite3", path,
       "INSERT INTO key_domains VALUES('d1','W-00007','2025-01-01T00:00:00.000Z','active',NULL,"
       "NULL,NULL);"
       "INSERT INTO objects VALUES('o1','d1','" +
           std::string(64, 'e') +
           "',7,'text/plain','uploaded','2025-01-01T00:00:00.000Z','old-build');"
           "UPDATE hub_state SET value=2;"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto cat = Catalog::open(path, false);
  ASSERT_TRUE(cat.is_ok()) << cat.status().to_string();
  EXPECT_EQ(*(*cat)->schema_version(), latest_schema_version());
  auto o = (*cat)->find_object("o1");
  ASSERT_TRUE(o.is_ok() && o->has_value());
  EXPECT_EQ((*o)->created_by, "old-build");
  EXPECT_FALSE((*o)->derived_from.has_value()) << "new provenance columns start empty";
  EXPECT_EQ(*(*cat)->applied_seq(), 2);
}

TEST(Catalog, RefusesACatalogFromANewerBuild) {
  testing::TempDir tmp;
  ASSERT_TRUE(Catalog::create_at_version(tmp / "c.db", latest_schema_version()).is_ok());
  testing::run({"sqlite3", tmp / "c.db", "PRAGMA user_version=99"});
  auto cat = Catalog::open(tmp / "c.db", false);
  EXPECT_EQ(cat.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(cat.status().message().find("newer"), std::string::npos);
}

TEST(Catalog, CorruptFileGivesAClearIntegrityError) {
  testing::TempDir tmp;
  testing::write_random_file(tmp / "c.db", 8192, 7);
  auto cat = Catalog::open(tmp / "c.db", false);
  ASSERT_FALSE(cat.is_ok());
  EXPECT_EQ(cat.status().code(), Code::kIntegrity) << cat.status().to_string();
  EXPECT_NE(cat.status().message().find("damaged"), std::string::npos);
}

TEST(Catalog, MissingFileIsNotFoundWhenNotCreating) {
  testing::TempDir tmp;
  EXPECT_EQ(Catalog::open(tmp / "none.db", false).status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace evhub::catalog

namespace evhub::catalog {
namespace {

// Database::texts: the first column of each row, in the query's order, for one bound value;
// none for a value nothing matches; a malformed query is an error, not an empty list.
TEST(Database, TextsListsTheFirstColumnInOrder) {
  testing::TempDir tmp;
  auto db = Database::open(tmp / "t.db", true);
  ASSERT_TRUE(db.is_ok()) << db.status().to_string();
  ASSERT_TRUE(db->exec("CREATE TABLE v(id TEXT, version INTEGER, record TEXT);"
                       "INSERT INTO v VALUES ('a', 2, 'r2'), ('a', 1, 'r1'), ('b', 1, 'x');")
                  .is_ok());
  const std::string sql = "SELECT record FROM v WHERE id = ? ORDER BY version";
  EXPECT_EQ(*db->texts(sql, "a"), (std::vector<std::string>{"r1", "r2"}));
  EXPECT_TRUE(db->texts(sql, "none")->empty());
  EXPECT_FALSE(db->texts("SELECT nothing FROM nowhere WHERE id = ?", "a").is_ok());
}

}  // namespace
}  // namespace evhub::catalog
