// Precision@10 of name queries over the synthetic corpus (`evhub synth --corpus`), through the
// real index: each fictional official named in the corpus is searched for by first name and
// surname in Belarusian and Russian Cyrillic, English and every romanisation of
// search/names.h, and the top ten hits are checked against the corpus's ground truth (the
// persons each item names). Issue 5 asks for at least 0.8. Recall (of all the texts naming the
// person, how many the query finds) is measured beside it.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>

#include "collection/synth.h"
#include "search/names.h"
#include "search/search.h"
#include "support/support.h"

namespace evhub::collection {
namespace {

constexpr std::int64_t kItems = 6000;
constexpr std::uint64_t kSeed = 5;

TEST(NamePrecision, TopTenHitsForNameQueriesNameThePerson) {
  testing::TempDir tmp;
  auto index = search::Index::open_writable(tmp / "index");
  ASSERT_TRUE(index.is_ok());
  std::map<std::string, std::set<std::string>> persons_of;  // item id -> canonical persons
  std::map<std::string, int> mentions;                      // person -> items
  for (std::int64_t n = 0; n < kItems; ++n) {
    search::IndexItem item = synth_corpus_item(kSeed, n);
    for (const auto& p : item.persons) {
      persons_of[item.id].insert(p);
      ++mentions[p];
    }
    ASSERT_TRUE((*index)->put(item).is_ok());
  }
  ASSERT_TRUE((*index)->commit().is_ok());

  // Every official's spellings: the generator's lists give the Cyrillic and English forms.
  std::map<std::string, std::vector<std::string>> spellings;  // person -> queries
  for (const auto& first : synth_male_names()) {
    for (const auto& last : synth_surnames()) {
      const std::string id = std::string(first.en) + " " + last.en;
      if (mentions[id] < 3) continue;
      const std::string be = std::string(first.be) + " " + last.be;
      std::vector<std::string> q = {be, std::string(first.ru) + " " + last.ru, id};
      for (auto system : {search::Romanisation::kBgnPcgnBelarusian, search::Romanisation::kIso9,
                          search::Romanisation::kBelarusianNational, search::Romanisation::kLacinka,
                          search::Romanisation::kPassportBelarusian}) {
        q.push_back(search::romanise(be, system));
      }
      spellings[id] = std::move(q);
    }
  }
  ASSERT_GE(spellings.size(), 20u) << "the corpus names too few officials three times";

  std::vector<search::Scope> everything;
  for (const auto& org : synth_corpus_organisations()) {
    everything.push_back({org, {"normal", "health", "sexual-violence"}, true});
  }
  double sum = 0;
  int queries = 0, empty = 0;
  std::map<std::size_t, std::pair<double, int>> by_spelling;
  double recall_sum = 0;
  for (const auto& [person, qs] : spellings) {
    for (std::size_t k = 0; k < qs.size(); ++k) {
      const std::string& q = qs[k];
      search::SearchRequest r;
      r.query = q;
      r.scopes = everything;
      r.limit = 10;
      r.facets = false;
      r.snippets = false;
      auto found = (*index)->search(r, {});
      ASSERT_TRUE(found.is_ok()) << q << ": " << found.status().to_string();
      if (found->hits.empty()) {
        ++empty;
        ++queries;  // nothing found counts as precision 0
        continue;
      }
      int relevant = 0;
      for (const auto& h : found->hits) relevant += persons_of[h.id].count(person) ? 1 : 0;
      const double p = static_cast<double>(relevant) / static_cast<double>(found->hits.size());
      sum += p;
      by_spelling[k].first += p;
      ++by_spelling[k].second;
      // Recall: how many of the texts that name the person the query finds at all.
      r.limit = 1000;
      auto all = (*index)->search(r, {});
      ASSERT_TRUE(all.is_ok());
      int named = 0;
      for (const auto& h : all->hits) named += persons_of[h.id].count(person) ? 1 : 0;
      recall_sum += static_cast<double>(named) / mentions[person];
      ++queries;
    }
  }
  for (const auto& [k, v] : by_spelling) {
    std::printf("  spelling %zu: precision@10 %.3f\n", k, v.first / v.second);
  }
  const double precision = sum / queries;
  const double recall = recall_sum / (queries - empty);
  std::printf(
      "name queries: %d over %zu officials of a %lld-item corpus; precision@10 %.3f; "
      "recall %.3f; %d found nothing\n",
      queries, spellings.size(), static_cast<long long>(kItems), precision, recall, empty);
  EXPECT_GE(precision, 0.8);
  // A quarter of the corpus's mentions give the surname alone ("капітан Бандарэнка"): a query
  // for the full name cannot know that is the same Aleh, so recall stays near 0.8 by design (a
  // query for the surname alone finds those).
  EXPECT_GE(recall, 0.8);
}

}  // namespace
}  // namespace evhub::collection
