// The search corpus of `evhub synth --corpus` and its queries: the same seed makes the same
// bytes, item n does not depend on the items before it, texts keep to their word counts,
// languages and types are mixed, names come in several spellings, every line is valid JSON in
// the shape of search::IndexItem, and the queries are a fixed mix of five kinds.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "collection/synth.h"
#include "support/support.h"

namespace evhub::collection {
namespace {

using nlohmann::json;

std::string corpus(std::uint64_t seed, std::int64_t items) {
  std::ostringstream out;
  CorpusOptions o;
  o.seed = seed;
  o.items = items;
  EXPECT_TRUE(write_synth_corpus(out, o).is_ok());
  return out.str();
}

std::vector<json> lines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(json::parse(line));  // throws if invalid
  return out;
}

int words(const std::string& s) {
  std::istringstream in(s);
  std::string w;
  int n = 0;
  while (in >> w) ++n;
  return n;
}

TEST(SynthCorpusTest, SameSeedSameBytesAndItemNStandsAlone) {
  const std::string a = corpus(7, 300);
  EXPECT_EQ(a, corpus(7, 300));
  EXPECT_NE(a, corpus(8, 300));
  // A longer corpus starts with the shorter one; any item can be made again on its own.
  EXPECT_EQ(corpus(7, 500).substr(0, a.size()), a);
  const auto items = lines(a);
  ASSERT_EQ(items.size(), 300u);
  EXPECT_EQ(corpus_item_json(synth_corpus_item(7, 123)), items[123]);
}

TEST(SynthCorpusTest, ItemsAreValidIndexItemsWithinTheirWordCounts) {
  const auto items = lines(corpus(3, 3000));
  ASSERT_EQ(items.size(), 3000u);
  const std::map<std::string, std::pair<int, int>> bounds = {
      {"osint-caption", {20, 60}}, {"osint-post", {40, 300}}, {"transcript", {150, 500}}};
  const std::set<std::string> orgs(synth_corpus_organisations().begin(),
                                   synth_corpus_organisations().end());
  std::map<std::string, int> languages, types, sensitivities;
  std::set<std::string> ids, persons;
  int with_facility = 0, with_persons = 0, early = 0;
  for (const auto& j : items) {
    for (const char* key : {"id", "type", "language", "organisation_id", "sensitivity", "domain_id",
                            "date", "group", "title", "text"}) {
      ASSERT_TRUE(j.contains(key) && j[key].is_string()) << key << " in " << j.dump();
    }
    for (const char* key : {"places", "facilities", "persons", "codes"}) {
      ASSERT_TRUE(j[key].is_array()) << key;
    }
    EXPECT_TRUE(ids.insert(j["id"].get<std::string>()).second) << "duplicate id";
    const std::string type = j["type"], text = j["text"], date = j["date"];
    ASSERT_TRUE(bounds.count(type)) << type;
    const int n = words(text);
    EXPECT_GE(n, bounds.at(type).first) << type << ": " << text;
    EXPECT_LE(n, bounds.at(type).second) << type << ": " << text;
    EXPECT_EQ(date.size(), 10u);
    EXPECT_GE(date, "2020-08-09");
    EXPECT_LE(date, "2024-12-31");
    if (date < "2020-10-01") ++early;
    EXPECT_TRUE(orgs.count(j["organisation_id"].get<std::string>()));
    EXPECT_FALSE(j["places"].empty());
    ++languages[j["language"]];
    ++types[type];
    ++sensitivities[j["sensitivity"]];
    if (!j["facilities"].empty()) ++with_facility;
    if (!j["persons"].empty()) ++with_persons;
    for (const auto& p : j["persons"]) {
      persons.insert(p.get<std::string>());
      // Each official in the fields is named in the text: in Cyrillic texts by the Belarusian
      // or Russian form of the surname (Latin spellings are checked below).
      if (j["language"] == "en") continue;
      const std::string id = p;
      const std::string surname = id.substr(id.find(' ') + 1);
      bool named = false;
      for (const auto& forms : synth_surnames()) {
        if (surname == forms.en) {
          named =
              text.find(forms.be) != std::string::npos || text.find(forms.ru) != std::string::npos;
        }
      }
      EXPECT_TRUE(named) << id << " in " << text;
    }
    // Cyrillic texts in be and ru (2-byte UTF-8 from 0xD0/0xD1), Latin in en.
    const bool cyrillic = text.find('\xD0') != std::string::npos;
    EXPECT_EQ(cyrillic, j["language"] != "en") << text;
  }
  for (const char* l : {"be", "ru", "en"}) EXPECT_GT(languages[l], 450) << l;
  for (const auto& [type, _] : bounds) EXPECT_GT(types[type], 300) << type;
  EXPECT_GT(sensitivities["normal"], 2400);
  EXPECT_GT(sensitivities["health"], 60);
  EXPECT_GT(sensitivities["sexual-violence"], 20);
  EXPECT_GT(with_facility, 1000);
  EXPECT_GT(with_persons, 1000);
  EXPECT_GT(persons.size(), 200u);
  EXPECT_GT(early, 600);  // the weeks after the election weigh more
}

TEST(SynthCorpusTest, NamesAppearInCyrillicAndInSeveralLatinSpellings) {
  // Official Kavalevich (in the lists as Кавалевіч / Ковалевич / Kavalevich): count the
  // spellings of that surname over many items.
  std::map<std::string, int> seen;
  const std::vector<std::string> forms = {"Кавалевіч",  "Ковалевич", "Kavalevich",
                                          "Kovalevich", "Kovalevič", "Kavalevič"};
  for (std::int64_t n = 0; n < 20000; ++n) {
    const auto item = synth_corpus_item(11, n);
    for (const auto& f : forms) {
      if (item.text.find(f) != std::string::npos) ++seen[f];
    }
  }
  for (const auto& f : forms) EXPECT_GT(seen[f], 0) << f;
}

TEST(SynthCorpusTest, QueriesAreAFixedMixOfFiveKinds) {
  const auto queries = synth_corpus_queries(1);
  ASSERT_EQ(queries.size(), 500u);
  EXPECT_EQ(queries, synth_corpus_queries(1));
  std::map<std::string, int> kinds;
  std::set<std::string> ids, strings;
  for (const auto& q : queries) {
    ++kinds[q["kind"]];
    EXPECT_TRUE(ids.insert(q["id"].get<std::string>()).second);
    strings.insert(q["query"].get<std::string>());
    EXPECT_FALSE(q["query"].get<std::string>().empty());
    EXPECT_TRUE(!q["all"].empty() || q.contains("phrase")) << q.dump();
    for (const auto& group : q["all"]) {
      ASSERT_FALSE(group.empty());
      for (const auto& w : group) {
        const std::string s = w;
        EXPECT_EQ(s.find(' '), std::string::npos) << q.dump();
        for (char c : s) EXPECT_FALSE(c >= 'A' && c <= 'Z') << q.dump();
      }
    }
    if (q["kind"] == "name") {
      EXPECT_GE(q["all"].back().size(), 2u) << q.dump();
    }
    if (q["kind"] == "date") {
      EXPECT_LE(q["date_from"].get<std::string>(), q["date_to"].get<std::string>());
      EXPECT_NE(q["query"].get<std::string>().find("date:"), std::string::npos);
    }
    if (q["kind"] == "facet") {
      EXPECT_FALSE(q["filters"].empty()) << q.dump();
    }
  }
  for (const char* k : {"term", "phrase", "name", "facet", "date"}) EXPECT_EQ(kinds[k], 100);
  EXPECT_GT(strings.size(), 450u);  // a mix, not one query 500 times
}

TEST(SynthCorpusCommandTest, WritesFilesWithoutAHubAndRefusesBadCounts) {
  testing::TempDir tmp;
  auto ok = testing::evhub(tmp / "no-hub", tmp / "no-key",
                           {"synth", "--corpus", tmp / "c.jsonl", "--queries", tmp / "q.jsonl",
                            "--items", "50", "--seed", "4"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  std::ifstream c(tmp / "c.jsonl"), q(tmp / "q.jsonl");
  std::stringstream cs, qs;
  cs << c.rdbuf();
  qs << q.rdbuf();
  EXPECT_EQ(cs.str(), corpus(4, 50));
  EXPECT_EQ(lines(qs.str()).size(), 500u);

  auto zero = testing::evhub(tmp / "no-hub", tmp / "no-key",
                             {"synth", "--corpus", tmp / "d.jsonl", "--items", "0"});
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_NE(zero.err.find("--items must be between"), std::string::npos) << zero.err;
}

}  // namespace
}  // namespace evhub::collection
