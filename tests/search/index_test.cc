// The search index with a real Xapian database: words in three languages, stems, phrases,
// NEAR, prefixes, filters, dates, facets, snippets, the security trimming and erasure.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "search/search.h"
#include "support/support.h"

namespace evhub::search {
namespace {

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto idx = Index::open_writable(dir_.path() + "/index");
    ASSERT_TRUE(idx.is_ok()) << idx.status().message();
    index_ = std::move(*idx);
    add("t1", "ru", "org-a", "normal", "transcript", "2020-08-10",
        "Меня избивали дубинками в изоляторе на улице Окрестина. Майор Коваленко кричал.",
        {"Minsk"}, {"Akrestsina isolation centre"}, "g1", "dom-1", "W-00001");
    add("t2", "be", "org-a", "normal", "translation", "2020-08-10",
        "Мяне білі дубінкамі ў ізалятары на вуліцы Акрэсціна. Маёр Кавалёнак крычаў.", {"Minsk"},
        {"Akrestsina isolation centre"}, "g1", "dom-1", "W-00001");
    add("t3", "en", "org-a", "health", "extracted", "2021-03-02",
        "Medical report: bruises consistent with baton blows. Examined after release from "
        "Zhodzina prison.",
        {"Zhodzina"}, {"Zhodzina prison No. 8"}, "g3", "dom-2", "W-00002");
    add("t4", "en", "org-b", "normal", "ocr", "2020-09-01",
        "The court in Homel sentenced him after a hearing of ten minutes. Judge Kavalenka "
        "refused counsel.",
        {"Homel"}, {}, "g4", "dom-3", "W-00003");
    ASSERT_TRUE(index_->commit().is_ok());
    texts_ = {
        {"t1", texts_["t1"]}, {"t2", texts_["t2"]}, {"t3", texts_["t3"]}, {"t4", texts_["t4"]}};
  }

  void add(const std::string& id, const std::string& lang, const std::string& org,
           const std::string& sens, const std::string& type, const std::string& date,
           const std::string& text, std::vector<std::string> places,
           std::vector<std::string> facilities, const std::string& group, const std::string& domain,
           const std::string& witness) {
    IndexItem item;
    item.id = id;
    item.language = lang;
    item.organisation_id = org;
    item.sensitivity = sens;
    item.type = type;
    item.date = date;
    item.text = text;
    item.places = std::move(places);
    item.facilities = std::move(facilities);
    item.group = group;
    item.domain_id = domain;
    item.witness = witness;
    item.title = "Text " + id;
    item.version = "v1";
    texts_[id] = text;
    ASSERT_TRUE(index_->put(item).is_ok());
  }

  static std::vector<Scope> everything() {
    return {{"org-a", {"normal", "health", "sexual-violence"}},
            {"org-b", {"normal", "health", "sexual-violence"}}};
  }

  SearchResults find(const std::string& q, std::vector<Scope> scopes = everything(),
                     SortOrder sort = SortOrder::kRelevance) {
    SearchRequest r;
    r.query = q;
    r.scopes = std::move(scopes);
    r.sort = sort;
    auto res = index_->search(
        r, [this](const std::string& id) -> Result<std::string> { return texts_.at(id); });
    EXPECT_TRUE(res.is_ok()) << q << ": " << res.status().message();
    return res.is_ok() ? *res : SearchResults{};
  }

  static std::vector<std::string> ids(const SearchResults& r) {
    std::vector<std::string> out;
    for (const auto& h : r.hits) out.push_back(h.id);
    std::sort(out.begin(), out.end());
    return out;
  }

  static std::int64_t facet(const SearchResults& r, const std::string& f, const std::string& v) {
    auto it = r.facets.find(f);
    if (it == r.facets.end()) return 0;
    for (const auto& fv : it->second) {
      if (fv.value == v) return fv.count;
    }
    return 0;
  }

  testing::TempDir dir_;
  std::unique_ptr<Index> index_;
  std::map<std::string, std::string> texts_;
};

TEST_F(IndexTest, WordsAreFoundThroughStemsInEachLanguage) {
  EXPECT_EQ(ids(find("дубинка")), (std::vector<std::string>{"t1", "t2"}));  // ru and be stems
  EXPECT_EQ(ids(find("blow")), (std::vector<std::string>{"t3"}));
  EXPECT_EQ(ids(find("sentencing")), (std::vector<std::string>{"t4"}));
}

TEST_F(IndexTest, NamesMeetAcrossScripts) {
  auto r = find("Akrestsina");
  EXPECT_EQ(ids(r), (std::vector<std::string>{"t1", "t2"}));
  ASSERT_FALSE(r.hits.empty());
  ASSERT_FALSE(r.hits[0].snippets.empty());
  EXPECT_NE(r.hits[0].snippets[0].html.find("<mark>"), std::string::npos);
}

TEST_F(IndexTest, PhrasesNearAndPrefixes) {
  EXPECT_EQ(ids(find("\"baton blows\"")), (std::vector<std::string>{"t3"}));
  EXPECT_TRUE(find("\"blows baton\"").hits.empty());
  EXPECT_EQ(ids(find("court NEAR/3 Homel")), (std::vector<std::string>{"t4"}));
  EXPECT_TRUE(find("court NEAR/1 minutes").hits.empty());
  EXPECT_EQ(ids(find("Zhodz*")), (std::vector<std::string>{"t3"}));
}

TEST_F(IndexTest, BooleanOperators) {
  EXPECT_EQ(ids(find("baton OR court")), (std::vector<std::string>{"t3", "t4"}));
  EXPECT_EQ(ids(find("court -Homel")), (std::vector<std::string>{}));
  EXPECT_EQ(ids(find("(baton OR court) NOT judge")), (std::vector<std::string>{"t3"}));
  EXPECT_EQ(ids(find("NOT court")), (std::vector<std::string>{"t1", "t2", "t3"}));
}

TEST_F(IndexTest, FieldFiltersAndDates) {
  EXPECT_EQ(ids(find("lang:be")), (std::vector<std::string>{"t2"}));
  EXPECT_EQ(ids(find("type:ocr")), (std::vector<std::string>{"t4"}));
  EXPECT_EQ(ids(find("witness:w-00002")), (std::vector<std::string>{"t3"}));
  EXPECT_EQ(ids(find("facility:Окрестина")), (std::vector<std::string>{"t1", "t2"}));
  EXPECT_EQ(ids(find("place:Гомель")), (std::vector<std::string>{"t4"}));
  EXPECT_EQ(ids(find("date:2020-08")), (std::vector<std::string>{"t1", "t2"}));
  EXPECT_EQ(ids(find("date:2020-08..2020-09")), (std::vector<std::string>{"t1", "t2", "t4"}));
  EXPECT_EQ(ids(find("date:2021..")), (std::vector<std::string>{"t3"}));
  EXPECT_EQ(ids(find("date:..2020-08-31 дубинка")), (std::vector<std::string>{"t1", "t2"}));
  EXPECT_EQ(ids(find("month:2020-09")), (std::vector<std::string>{"t4"}));
}

// Date ranges run on date buckets (a month's, or a year's for items dated by year only) with a
// date test only where the range cuts a bucket: every range must find exactly what comparing
// the dates would (from <= date <= to, where a shorter "to" covers its whole month or year).
TEST(DateRanges, BucketsFindExactlyTheDatesInRange) {
  testing::TempDir dir;
  auto index = Index::open_writable(dir.path() + "/i");
  ASSERT_TRUE(index.is_ok());
  const std::vector<std::string> dates = {"2019",       "2020",       "2020-07",    "2020-08",
                                          "2020-08-01", "2020-08-09", "2020-08-10", "2020-08-31",
                                          "2020-09-01", "2020-12-31", "2021-01-01", "2021-03"};
  for (std::size_t i = 0; i < dates.size(); ++i) {
    IndexItem item;
    item.id = "d" + std::to_string(i);
    item.organisation_id = "o";
    item.date = dates[i];
    item.text = "baton";
    ASSERT_TRUE((*index)->put(item).is_ok());
  }
  ASSERT_TRUE((*index)->commit().is_ok());
  const std::vector<std::pair<std::string, std::string>> ranges = {
      {"2020", "2020"},       {"2020-08", "2020-08"},    {"2020-08-09", "2020-08-10"},
      {"2020-08-05", ""},     {"", "2020-08-09"},        {"2020-07", "2020-09"},
      {"2019", "2021-01-01"}, {"2020-08-10", "2021"},    {"2020-09-02", "2020-12-30"},
      {"2022", ""},           {"2020-08-01", "2020-08"}, {"2020-12", "2021-02"}};
  for (const auto& [from, to] : ranges) {
    const std::string hi = to.empty() ? "~" : to + "~";
    std::set<std::string> want;
    for (std::size_t i = 0; i < dates.size(); ++i) {
      if (dates[i] >= from && dates[i] <= hi) want.insert("d" + std::to_string(i));
    }
    for (const char* words : {"", "baton "}) {
      SearchRequest r;
      r.query = std::string(words) + "date:" + from + ".." + to;
      r.scopes = {{"o", {"normal"}}};
      r.limit = 100;
      auto found = (*index)->search(r, {});
      ASSERT_TRUE(found.is_ok()) << r.query << ": " << found.status().message();
      std::set<std::string> got;
      for (const auto& h : found->hits) got.insert(h.id);
      EXPECT_EQ(got, want) << r.query;
    }
  }
}

TEST_F(IndexTest, FacetsCountWhatMatches) {
  auto r = find("date:2020..2021");
  EXPECT_EQ(r.total, 4);
  EXPECT_EQ(facet(r, "language", "en"), 2);
  EXPECT_EQ(facet(r, "organisation", "org-a"), 3);
  EXPECT_EQ(facet(r, "month", "2020-08"), 2);
  EXPECT_EQ(facet(r, "facility", "Akrestsina isolation centre"), 2);
  EXPECT_EQ(facet(r, "place", "Minsk"), 2);
}

TEST_F(IndexTest, AnItemWithSeveralFacilitiesCountsUnderEach) {
  add("t6", "en", "org-a", "normal", "extracted", "2020-08-20",
      "Transferred from Akrestsina to Zhodzina the same night.", {"Minsk", "Zhodzina"},
      {"Akrestsina isolation centre", "Zhodzina prison No. 8"}, "g6", "dom-4", "");
  ASSERT_TRUE(index_->commit().is_ok());
  auto r = find("date:2020..2021");
  EXPECT_EQ(facet(r, "facility", "Akrestsina isolation centre"), 3);
  EXPECT_EQ(facet(r, "facility", "Zhodzina prison No. 8"), 2);
  EXPECT_EQ(facet(r, "place", "Minsk"), 3);
  EXPECT_EQ(facet(r, "place", "Zhodzina"), 2);
  EXPECT_EQ(ids(find("facility:Zhodino")), (std::vector<std::string>{"t3", "t6"}));
}

TEST_F(IndexTest, AnotherOrganisationSeesNothingNotEvenCounts) {
  const std::vector<Scope> org_b = {{"org-b", {"normal", "health", "sexual-violence"}}};
  for (const std::string q : {"дубинка", "Akrestsina", "lang:be", "baton", "date:2020..2021"}) {
    auto r = find(q, org_b);
    for (const auto& h : r.hits) EXPECT_EQ(h.organisation_id, "org-b") << q;
    EXPECT_EQ(facet(r, "organisation", "org-a"), 0) << q;
    EXPECT_EQ(facet(r, "facility", "Akrestsina isolation centre"), 0) << q;
  }
  EXPECT_EQ(find("дубинка", org_b).total, 0);
  EXPECT_TRUE(find("anything", {}).hits.empty());
}

TEST_F(IndexTest, HealthMaterialNeedsTheRight) {
  const std::vector<Scope> normal_only = {{"org-a", {"normal"}}};
  auto r = find("baton", normal_only);
  EXPECT_EQ(r.total, 0);
  EXPECT_EQ(facet(find("date:2021", normal_only), "language", "en"), 0);
}

TEST_F(IndexTest, SnippetsShowTheOriginalAndItsTranslation) {
  auto r = find("Akrestsina lang:ru");
  ASSERT_EQ(r.hits.size(), 1u);
  ASSERT_EQ(r.hits[0].snippets.size(), 2u);  // t1, and t2 of the same group
  EXPECT_EQ(r.hits[0].snippets[1].id, "t2");
  EXPECT_NE(r.hits[0].snippets[1].html.find("<mark>Акрэсціна</mark>"), std::string::npos)
      << r.hits[0].snippets[1].html;
}

TEST_F(IndexTest, SnippetsEscapeHtml) {
  add("t5", "en", "org-a", "normal", "extracted", "", "<script>alert(1)</script> baton & co", {},
      {}, "", "dom-1", "");
  ASSERT_TRUE(index_->commit().is_ok());
  auto r = find("alert baton");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].snippets[0].html,
            "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt; <mark>baton</mark> &amp; co");
}

TEST_F(IndexTest, SortByDateAndStablePages) {
  auto r = find("date:2020..2021", everything(), SortOrder::kNewest);
  ASSERT_EQ(r.hits.size(), 4u);
  EXPECT_EQ(r.hits[0].id, "t3");
  EXPECT_EQ(r.hits[3].date, "2020-08-10");
  SearchRequest page;
  page.query = "date:2020..2021";
  page.scopes = everything();
  page.sort = SortOrder::kOldest;
  std::vector<std::string> seen;
  for (int off = 0; off < 4; off += 2) {
    page.offset = off;
    page.limit = 2;
    auto p = index_->search(page, {});
    ASSERT_TRUE(p.is_ok());
    for (const auto& h : p->hits) seen.push_back(h.id);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"t1", "t2", "t3", "t4"}));
}

TEST_F(IndexTest, ErasingADomainRemovesItsItems) {
  auto removed = index_->remove_domain("dom-1");
  ASSERT_TRUE(removed.is_ok());
  EXPECT_EQ(*removed, 2);
  ASSERT_TRUE(index_->commit().is_ok());
  EXPECT_TRUE(find("Akrestsina").hits.empty());
  EXPECT_EQ(*index_->size(), 2);
}

TEST_F(IndexTest, ReplacingAnItemKeepsWhenItWasAdded) {
  auto before = find("baton");
  const std::int64_t mark = before.mark;
  SearchRequest r;
  r.query = "baton";
  r.scopes = everything();
  r.added_after = mark;
  EXPECT_TRUE(index_->search(r, {})->hits.empty());
  add("t3", "en", "org-a", "health", "extracted", "2021-03-02", "baton blows again", {}, {}, "g3",
      "dom-2", "W-00002");
  add("t9", "en", "org-a", "normal", "extracted", "2021-03-02", "a new baton account", {}, {}, "g9",
      "dom-2", "W-00002");
  ASSERT_TRUE(index_->commit().is_ok());
  auto fresh = index_->search(r, {});
  ASSERT_TRUE(fresh.is_ok());
  EXPECT_EQ(ids(*fresh), (std::vector<std::string>{"t9"}));
}

TEST_F(IndexTest, ARebuildKeepsSavedSearchMarksMeaningful) {
  const std::int64_t mark = find("baton").mark;
  index_.reset();
  auto rebuilt = Index::open_writable(dir_.path() + "/index", true);
  ASSERT_TRUE(rebuilt.is_ok());
  index_ = std::move(*rebuilt);
  add("t3", "en", "org-a", "health", "extracted", "2021-03-02", "baton blows", {}, {}, "g3",
      "dom-2", "W-00002");
  ASSERT_TRUE(index_->commit().is_ok());
  // Marks go on from where the old index stopped: what a rebuild indexes again counts as new
  // once (at least once, never missed), and so does what comes after it.
  add("t8", "en", "org-a", "normal", "extracted", "2021-03-03", "a later baton account", {}, {},
      "g8", "dom-2", "W-00002");
  ASSERT_TRUE(index_->commit().is_ok());
  SearchRequest r;
  r.query = "baton";
  r.scopes = everything();
  r.added_after = mark;
  auto fresh = index_->search(r, {});
  ASSERT_TRUE(fresh.is_ok());
  EXPECT_EQ(ids(*fresh), (std::vector<std::string>{"t3", "t8"}));
  EXPECT_GT(fresh->mark, mark);
}

TEST(QuerySyntax, MistakesSayWhere) {
  testing::TempDir dir;
  auto index = Index::open_writable(dir.path() + "/i");
  ASSERT_TRUE(index.is_ok());
  const std::map<std::string, std::string> cases = {
      {"\"baton blows", "at character 1: this quotation mark is never closed"},
      {"(baton OR court", "at character 1: this bracket is never closed"},
      {"baton)", "at character 6: this bracket closes nothing"},
      {"baton OR", "at character 9: the query ends where a word was expected"},
      {"colour:red", "at character 1: there is no field \"colour\""},
      {"date:2020-13", "at character 1: date: takes YYYY, YYYY-MM or YYYY-MM-DD"},
      {"date:2021..2020", "the range ends (2020) before it starts (2021)"},
      {"a NEAR/x b", "NEAR/ needs a number"},
      {"NEAR b", "at character 1: NEAR needs a word before it"},
      {"b*c", "may only end a word"},
      {"", "the query is empty"},
      {"type:", "type: needs a value"},
  };
  for (const auto& [q, want] : cases) {
    SearchRequest r;
    r.query = q;
    r.scopes = {{"o", {"normal"}}};
    auto res = (*index)->search(r, {});
    ASSERT_FALSE(res.is_ok()) << q;
    EXPECT_EQ(res.status().code(), Code::kInvalidArgument) << q;
    EXPECT_NE(res.status().message().find(want), std::string::npos)
        << q << " said: " << res.status().message();
  }
}

TEST(IndexLocking, ASecondWriterIsToldWhy) {
  testing::TempDir dir;
  auto first = Index::open_writable(dir.path() + "/i");
  ASSERT_TRUE(first.is_ok());
  auto second = Index::open_writable(dir.path() + "/i");
  ASSERT_FALSE(second.is_ok());
  EXPECT_EQ(second.status().code(), Code::kBusy);
  EXPECT_NE(second.status().message().find("another process is writing the index"),
            std::string::npos);
}

}  // namespace
}  // namespace evhub::search
