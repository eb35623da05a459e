// A rebuild (Index::open_writable with `empty`): items written to parallel segments and merged
// at commit must give the same index as one writer would, the old index must survive a rebuild
// that is abandoned or killed, and totals and facets past kExactCountLimit are scaled estimates.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "search/search.h"
#include "support/support.h"

namespace evhub::search {
namespace {

namespace fs = std::filesystem;

IndexItem item(int n, const std::string& text, const std::string& domain = "dom-1") {
  IndexItem i;
  i.id = "t" + std::to_string(n);
  i.language = n % 2 == 0 ? "en" : "ru";
  i.organisation_id = "org-a";
  i.type = "transcript";
  i.date = "2020-08-1" + std::to_string(n % 10);
  i.domain_id = domain;
  i.places = {n % 3 == 0 ? "Homel" : "Minsk"};
  i.text = text;
  i.version = "v1";
  return i;
}

std::vector<Scope> everything() {
  return {{"org-a", {"normal", "health", "sexual-violence"}}};
}

Result<SearchResults> find(Index& index, const std::string& q) {
  SearchRequest r;
  r.query = q;
  r.scopes = everything();
  r.limit = 100;
  r.snippets = false;
  return index.search(r, {});
}

std::set<std::string> ids(const SearchResults& r) {
  std::set<std::string> out;
  for (const auto& h : r.hits) out.insert(h.id);
  return out;
}

// The old index: two items the rebuild will not put again.
void make_old_index(const std::string& dir) {
  auto old = Index::open_writable(dir);
  ASSERT_TRUE(old.is_ok()) << old.status().message();
  ASSERT_TRUE((*old)->put(item(100, "an old baton account")).is_ok());
  ASSERT_TRUE((*old)->put(item(101, "another old baton account")).is_ok());
  ASSERT_TRUE((*old)->commit().is_ok());
}

BuildOptions small_segments() {
  BuildOptions o;
  o.writers = 2;
  o.segment_items = 3;  // 25 items: nine segments, so the merge has work to do
  return o;
}

TEST(Rebuild, SegmentsMergeIntoTheSameIndexOneWriterWouldMake) {
  testing::TempDir tmp;
  const std::string dir = tmp / "index";
  make_old_index(dir);
  auto rebuilt = Index::open_writable(dir, true, small_segments());
  ASSERT_TRUE(rebuilt.is_ok()) << rebuilt.status().message();
  Index& index = **rebuilt;
  for (int n = 0; n < 25; ++n) {
    ASSERT_TRUE(
        index
            .put(item(n, "baton blows number " + std::to_string(n), n < 5 ? "dom-erased" : "dom-1"))
            .is_ok());
  }
  // A repeated id replaces the earlier copy, wherever that went; removals reach every segment.
  ASSERT_TRUE(index.put(item(7, "stun grenade")).is_ok());
  ASSERT_TRUE(index.remove("t8").is_ok());
  auto erased = index.remove_domain("dom-erased");
  ASSERT_TRUE(erased.is_ok());
  EXPECT_EQ(*erased, 5);
  ASSERT_TRUE(index.set_metadata("followed", "42").is_ok());
  EXPECT_EQ(*index.metadata("followed"), "42");

  // Until the commit, the new index cannot be read and the old one is what readers see.
  auto early = find(index, "baton");
  ASSERT_FALSE(early.is_ok());
  EXPECT_EQ(early.status().code(), Code::kFailedPrecondition);
  {
    auto reader = Index::open_readonly({dir});
    ASSERT_TRUE(reader.is_ok());
    auto old = find(**reader, "baton");
    ASSERT_TRUE(old.is_ok());
    EXPECT_EQ(ids(*old), (std::set<std::string>{"t100", "t101"}));
  }

  ASSERT_TRUE(index.commit().is_ok());
  std::set<std::string> want;
  for (int n = 5; n < 25; ++n) {
    if (n != 7 && n != 8) want.insert("t" + std::to_string(n));
  }
  auto found = find(index, "baton");
  ASSERT_TRUE(found.is_ok()) << found.status().message();
  EXPECT_EQ(ids(*found), want);
  EXPECT_EQ(found->total, 18);
  EXPECT_EQ(ids(*find(index, "grenade")), (std::set<std::string>{"t7"}));
  EXPECT_EQ(*index.size(), 19);
  EXPECT_EQ(*index.metadata("followed"), "42");
  EXPECT_FALSE(fs::exists(dir + ".rebuild"));
  EXPECT_FALSE(fs::exists(dir + ".old"));

  // After the commit it is an ordinary writer of the new index, and other readers see it.
  ASSERT_TRUE(index.put(item(200, "a later baton account")).is_ok());
  ASSERT_TRUE(index.commit().is_ok());
  auto reader = Index::open_readonly({dir});
  ASSERT_TRUE(reader.is_ok());
  EXPECT_EQ(find(**reader, "baton")->total, 19);
}

TEST(Rebuild, AnAbandonedRebuildLeavesTheOldIndex) {
  testing::TempDir tmp;
  const std::string dir = tmp / "index";
  make_old_index(dir);
  {
    auto rebuilt = Index::open_writable(dir, true, small_segments());
    ASSERT_TRUE(rebuilt.is_ok());
    for (int n = 0; n < 10; ++n) ASSERT_TRUE((*rebuilt)->put(item(n, "baton")).is_ok());
  }  // no commit: a failed rebuild
  EXPECT_FALSE(fs::exists(dir + ".rebuild"));
  auto reader = Index::open_readonly({dir});
  ASSERT_TRUE(reader.is_ok());
  EXPECT_EQ(ids(*find(**reader, "baton")), (std::set<std::string>{"t100", "t101"}));
}

TEST(Rebuild, ASecondWriterIsRefusedBeforeItTouchesAnything) {
  testing::TempDir tmp;
  const std::string dir = tmp / "index";
  make_old_index(dir);
  auto writer = Index::open_writable(dir);
  ASSERT_TRUE(writer.is_ok());
  auto rebuilt = Index::open_writable(dir, true);
  ASSERT_FALSE(rebuilt.is_ok());
  EXPECT_EQ(rebuilt.status().code(), Code::kBusy);
  EXPECT_FALSE(fs::exists(dir + ".rebuild"));
}

// A rebuild killed between its two renames: the old index moved aside, the merged one complete
// but not yet in place. The next open puts the merged one in place.
TEST(Rebuild, ASwapCutShortIsCompletedOnOpen) {
  testing::TempDir tmp;
  const std::string dir = tmp / "index";
  make_old_index(dir);
  fs::create_directories(dir + ".rebuild");
  {
    auto merged = Index::open_writable(dir + ".rebuild/done");
    ASSERT_TRUE(merged.is_ok());
    ASSERT_TRUE((*merged)->put(item(1, "baton after the rebuild")).is_ok());
    ASSERT_TRUE((*merged)->commit().is_ok());
  }
  fs::rename(dir, dir + ".old");
  auto reader = Index::open_readonly({dir});
  ASSERT_TRUE(reader.is_ok()) << reader.status().message();
  EXPECT_EQ(ids(*find(**reader, "baton")), (std::set<std::string>{"t1"}));
  EXPECT_FALSE(fs::exists(dir + ".old"));

  // Killed before the merge was complete: the old index stays.
  testing::TempDir tmp2;
  const std::string dir2 = tmp2 / "index";
  make_old_index(dir2);
  fs::rename(dir2, dir2 + ".old");
  auto writer = Index::open_writable(dir2);
  ASSERT_TRUE(writer.is_ok()) << writer.status().message();
  EXPECT_EQ(ids(*find(**writer, "baton")), (std::set<std::string>{"t100", "t101"}));
}

// Past kExactCountLimit matches the total is Xapian's estimate and the facets are counted over
// the matches examined, scaled to it: their proportions hold and they add up to about the total.
TEST(Rebuild, BroadQueriesGetScaledFacets) {
  testing::TempDir tmp;
  // One writer: items dealt to two would put all even-numbered items (English, here) first.
  BuildOptions one;
  one.writers = 1;
  auto index = Index::open_writable(tmp / "index", true, one);
  ASSERT_TRUE(index.is_ok());
  const int n = static_cast<int>(kExactCountLimit) * 3;
  // Some items weigh more, so that once the best hits are found Xapian stops examining (which
  // is what makes a broad query cheap). They come in runs of six, every language and place
  // alike: the matches examined are then a fair sample, as they are in a large collection.
  for (int i = 0; i < n; ++i) {
    const bool heavier = (i / 6) % 10 == 0;
    ASSERT_TRUE((*index)->put(item(i, heavier ? "baton baton" : "baton blows")).is_ok());
  }
  ASSERT_TRUE((*index)->commit().is_ok());
  auto found = find(**index, "baton");
  ASSERT_TRUE(found.is_ok());
  EXPECT_FALSE(found->total_exact);
  EXPECT_NEAR(static_cast<double>(found->total), n, n * 0.2);
  std::map<std::string, std::int64_t> language;
  for (const auto& v : found->facets.at("language")) language[v.value] = v.count;
  ASSERT_EQ(language.size(), 2U);
  EXPECT_NEAR(static_cast<double>(language["en"]), n / 2.0, n * 0.2);
  EXPECT_NEAR(static_cast<double>(language["ru"]), n / 2.0, n * 0.2);
  std::map<std::string, std::int64_t> place;
  for (const auto& v : found->facets.at("place")) place[v.value] = v.count;
  EXPECT_NEAR(static_cast<double>(place["Homel"]), n / 3.0, n * 0.2);
  EXPECT_NEAR(static_cast<double>(place["Minsk"]), 2 * n / 3.0, n * 0.2);

  // A narrow query is still counted exactly.
  auto narrow = find(**index, "baton place:homel lang:en");
  ASSERT_TRUE(narrow.is_ok());
  EXPECT_TRUE(narrow->total_exact);
  EXPECT_EQ(narrow->total, (n + 5) / 6);
}

}  // namespace
}  // namespace evhub::search
