// Synthetic codings on a real hub: synth makes witnesses and transcripts, fictional coders code
// their lines, and the search index (with coded passages) and AnnotationStore::with_codes find
// exactly the annotations the ground truth lists, by code (a category finds its codes), facility,
// place and date. The codes fit what each line says, two coders disagree where the ground truth
// says so (agreement is neither perfect nor undefined), the same seed makes the same codings,
// and bad options, other texts and unknown objects are refused or passed over.
#include "coding/synth_codings.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <set>

#include "coding/coded_agreement.h"
#include "coding/framework_store.h"
#include "coding/passage_index.h"
#include "collection/indexing.h"
#include "collection/synth.h"
#include "support/support.h"

namespace evhub::coding {
namespace {

using nlohmann::json;
using Ids = std::set<std::string>;

const char* const kOrg = "org-synth";

class SynthCodingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_coded_passages();
    hub::InitOptions init;
    init.kdf = crypto::KdfCost::interactive();
    init.actor = "test";
    ASSERT_TRUE(hub::init_hub(tmp_ / "hub", cred(), init).is_ok());
    hub_ = std::move(hub::Hub::open(tmp_ / "hub", cred(), {"test", 5000})).value();
    collection_ = std::move(collection::Collection::open(*hub_)).value();
    queue_ = std::move(jobs::JobQueue::open(hub_->layout().jobs())).value();
    collection::SynthOptions o;
    o.witnesses = 10;
    o.interviews_per_witness = 1;
    o.documents_per_witness = 1;
    o.scans = 0;
    o.seed = 11;
    o.organisation_id = kOrg;
    o.today = "2026-03-01";
    auto report =
        collection::synthesize(*collection_, *hub_, *queue_, o,
                               [&](const collection::GroundTruth& t) { truths_.push_back(t); });
    ASSERT_TRUE(report.is_ok()) << report.status().to_string();
    store_ = std::move(AnnotationStore::open(*hub_)).value();
    auto frameworks = FrameworkStore::open(*hub_);
    ASSERT_TRUE(frameworks.is_ok());
    framework_ = std::move((*frameworks)->current()).value();
    options_.passages_per_transcript = 4;
    options_.coders = 3;
    options_.disagreement = 0.4;
    options_.seed = 11;
    for (const auto& t : truths_) {
      auto made = code_synth_transcript(*store_, framework_, t, options_);
      ASSERT_TRUE(made.is_ok()) << made.status().to_string();
      codings_.insert(codings_.end(), made->begin(), made->end());
    }
    ASSERT_GT(codings_.size(), 40u);
  }
  static vault::Credential cred() { return vault::Credential::key_file(Bytes(32, 7)); }

  void update_index() {
    auto index = search::Index::open_writable(hub_->layout().index());
    ASSERT_TRUE(index.is_ok()) << index.status().to_string();
    auto r = collection::update_index(*hub_, mu_, **index);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  }

  // The annotation ids of the coded passages `query` finds, for a reader cleared for everything.
  Ids find(const std::string& query) {
    auto index = search::Index::open_readonly({hub_->layout().index()});
    EXPECT_TRUE(index.is_ok()) << index.status().to_string();
    if (!index.is_ok()) return {};
    search::SearchRequest r;
    r.query = query + " type:coded-passage";
    r.scopes = {{kOrg, {"normal", "health", "sexual-violence"}, true}};
    r.limit = 1000;
    r.snippets = false;
    auto found = (*index)->search(r, {});
    EXPECT_TRUE(found.is_ok()) << query << ": " << found.status().to_string();
    Ids ids;
    if (!found.is_ok()) return ids;
    EXPECT_EQ(found->total, static_cast<std::int64_t>(found->hits.size())) << query;
    for (const auto& h : found->hits) {
      EXPECT_EQ(h.id.rfind(kPassageIdPrefix, 0), 0u) << h.id;
      ids.insert(h.id.substr(std::string(kPassageIdPrefix).size()));
    }
    return ids;
  }

  // The ground truth's annotations that `keep` selects.
  template <typename Keep>
  Ids expected(Keep keep) const {
    Ids ids;
    for (const auto& c : codings_) {
      if (keep(c)) ids.insert(c.annotation_id);
    }
    return ids;
  }
  // Those with `code` or a code under it.
  Ids expected_code(const std::string& code) const {
    return expected([&](const SynthCoding& c) {
      for (const auto& applied : c.codes) {
        for (const FrameworkCode* up : framework_.path(applied)) {
          if (up->id == code) return true;
        }
      }
      return false;
    });
  }
  // What with_codes finds for `code` and every code under it (as the passages route asks).
  Ids with_codes(const std::string& code) {
    std::vector<std::string> codes = {code};
    for (std::size_t i = 0; i < codes.size(); ++i) {
      for (const auto* child : framework_.children(codes[i])) codes.push_back(child->id);
    }
    auto found = store_->with_codes(codes, {kOrg});
    EXPECT_TRUE(found.is_ok()) << found.status().to_string();
    Ids ids;
    if (found.is_ok()) {
      for (const auto& p : *found) ids.insert(p.annotation_id);
    }
    return ids;
  }

  testing::TempDir tmp_;
  std::mutex mu_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<collection::Collection> collection_;
  std::unique_ptr<jobs::JobQueue> queue_;
  std::unique_ptr<AnnotationStore> store_;
  Framework framework_;
  SynthCodingOptions options_;
  std::vector<collection::GroundTruth> truths_;
  std::vector<SynthCoding> codings_;
};

TEST_F(SynthCodingsTest, SearchAndWithCodesFindExactlyTheGroundTruth) {
  update_index();
  // Codes: categories (each also applied as such or only through its codes) and the most
  // frequent code of all.
  std::map<std::string, int> uses;
  for (const auto& c : codings_) {
    for (const auto& code : c.codes) ++uses[code];
  }
  const auto most = std::max_element(uses.begin(), uses.end(), [](auto& a, auto& b) {
                      return a.second < b.second;
                    })->first;
  int checked = 0;
  for (const std::string& code :
       {std::string("due-process"), std::string("detention-conditions"), std::string("physical"),
        std::string("psychological"), std::string("fundamental-rights.forced-departure"), most}) {
    const Ids want = expected_code(code);
    EXPECT_EQ(find("code:" + code), want) << code;
    EXPECT_EQ(with_codes(code), want) << code;
    checked += !want.empty();
  }
  EXPECT_GE(checked, 5) << "the sample should use most of these codes";
  ASSERT_FALSE(expected_code("due-process").empty());
  EXPECT_GT(expected_code("due-process").size(), expected_code(most).size() / 2);

  // Facets: every facility and place the codings name, by a word of its name (the first word
  // of each facility's name is its own), and dates by day and by month.
  std::set<std::string> facilities, places, days;
  for (const auto& c : codings_) {
    if (!c.facets.facility.empty()) facilities.insert(c.facets.facility);
    if (!c.facets.place.empty()) places.insert(c.facets.place);
    days.insert(c.facets.date.from);
  }
  ASSERT_GE(facilities.size(), 3u);
  ASSERT_GE(places.size(), 3u);
  for (const auto& facility : facilities) {
    const std::string word = facility.substr(0, facility.find(' '));
    EXPECT_EQ(find("facility:" + word),
              expected([&](const SynthCoding& c) { return c.facets.facility == facility; }))
        << facility;
  }
  for (const auto& place : places) {
    EXPECT_EQ(find("place:" + place),
              expected([&](const SynthCoding& c) { return c.facets.place == place; }))
        << place;
  }
  int dated = 0;
  for (const auto& day : days) {
    if (++dated > 4) break;
    EXPECT_EQ(find("date:" + day),
              expected([&](const SynthCoding& c) { return c.facets.date.from == day; }))
        << day;
  }
  EXPECT_EQ(find("date:2020-08"), expected([](const SynthCoding& c) {
              return c.facets.date.from.rfind("2020-08", 0) == 0;
            }));
  // A code and a facet together.
  const std::string facility = *facilities.begin();
  const Ids physical = expected_code("physical");
  Ids both;
  for (const auto& c : codings_) {
    if (c.facets.facility == facility && physical.count(c.annotation_id)) {
      both.insert(c.annotation_id);
    }
  }
  EXPECT_EQ(find("code:physical facility:" + facility.substr(0, facility.find(' '))), both);

  // Every annotation is found by its own code; and none the ground truth does not list.
  EXPECT_EQ(find("(code:due-process OR code:detention-conditions OR code:physical OR "
                 "code:psychological OR code:fundamental-rights OR code:transnational)"),
            expected([](const SynthCoding&) { return true; }));
  EXPECT_TRUE(find("code:no-such-code").empty());
  EXPECT_TRUE(with_codes("no-such-code").empty());
}

TEST_F(SynthCodingsTest, CodingsFitTheLinesAndCodersDisagreeWhereTheTruthSays) {
  std::map<std::string, const collection::GroundTruth*> truth_of;
  for (const auto& t : truths_) truth_of[t.object_id] = &t;
  std::map<std::string, int> kinds;
  std::set<std::string> coders;
  for (const auto& c : codings_) {
    auto stored = store_->get(c.annotation_id);
    ASSERT_TRUE(stored.is_ok() && *stored) << c.annotation_id;
    const Annotation& a = **stored;
    EXPECT_EQ(a.target.object_id, c.object_id);
    EXPECT_EQ(a.target.begin, c.begin);
    EXPECT_EQ(a.target.end, c.end);
    EXPECT_EQ(a.coder, c.coder);
    EXPECT_EQ(a.facets.facility, c.facets.facility);
    EXPECT_EQ(a.facets.place, c.facets.place);
    EXPECT_EQ(a.facets.date.from, c.facets.date.from);
    std::vector<std::string> codes;
    for (const auto& r : a.codes) {
      codes.push_back(r.id);
      EXPECT_EQ(r.revision, framework_.find(r.id)->revision);
    }
    EXPECT_EQ(codes, c.codes);
    // The passage is one whole line of the transcript, as synth wrote it.
    const collection::GroundTruth& t = *truth_of.at(c.object_id);
    EXPECT_EQ(t.kind, "transcript");
    EXPECT_NE(("\n" + t.text + "\n").find("\n" + a.passage + "\n"), std::string::npos) << a.passage;
    auto told = std::find_if(t.statements.begin(), t.statements.end(),
                             [&](const auto& s) { return s.begin == c.begin; });
    ASSERT_NE(told, t.statements.end());
    EXPECT_EQ(c.fits, synth_codes_for(told->says));
    if (c.disagreement.empty()) {
      EXPECT_EQ(c.codes, c.fits);
    } else {
      EXPECT_NE(c.codes, c.fits);
      ++kinds[c.disagreement];
    }
    if (!c.missed_by.empty()) ++kinds["missed"];
    EXPECT_EQ(c.facets.place.empty() && c.facets.facility.empty(), told->theme == "departure")
        << told->theme;
    coders.insert(c.coder);
  }
  EXPECT_EQ(coders, (std::set<std::string>{"synth-coder-1", "synth-coder-2", "synth-coder-3"}));
  EXPECT_GE(kinds.size(), 3u) << "several kinds of disagreement";

  // What synth says of its lines fits the framework: an arrest is arbitrary detention, the
  // acts told are their codes.
  EXPECT_EQ(
      synth_codes_for({"arrest", "peaceful-march"}),
      (std::vector<std::string>{"due-process.arbitrary-detention", "fundamental-rights.assembly"}));
  EXPECT_EQ(synth_codes_for({"beating", "forced-kneeling"}),
            (std::vector<std::string>{"physical.baton-blows", "physical.stress-positions",
                                      "psychological.humiliation"}));
  EXPECT_TRUE(synth_codes_for({"held", "trial"}).empty());
  for (const auto& [word, code] : std::map<std::string, std::string>{
           {"left-belarus", "fundamental-rights.forced-departure"},
           {"denial-of-medical-care", "detention-conditions.medical-care"}}) {
    EXPECT_EQ(synth_codes_for({word}), std::vector<std::string>{code});
    EXPECT_NE(framework_.find(code), nullptr) << code;
  }

  // Agreement over the hub: two coders a transcript, differing on purpose, so neither perfect
  // nor undefined.
  auto report = agreement_in_hub(*hub_, *store_, {});
  ASSERT_TRUE(report.is_ok()) << report.status().to_string();
  EXPECT_EQ(report->coders.size(), 3u);
  ASSERT_TRUE(report->overall_alpha.value) << report->overall_alpha.undefined_reason;
  EXPECT_LT(*report->overall_alpha.value, 0.99);
  EXPECT_GT(*report->overall_alpha.value, 0.3);
}

TEST_F(SynthCodingsTest, TheSameSeedMakesTheSameCodingsAndAnotherOther) {
  auto strip = [](std::vector<SynthCoding> v) {
    std::vector<json> out;
    for (auto& c : v) {
      json j = synth_coding_json(c);
      j.erase("annotation_id");
      out.push_back(j);
    }
    return out;
  };
  std::vector<SynthCoding> again, other;
  SynthCodingOptions seeded = options_;
  seeded.seed = 12;
  for (const auto& t : truths_) {
    auto a = code_synth_transcript(*store_, framework_, t, options_);
    auto b = code_synth_transcript(*store_, framework_, t, seeded);
    ASSERT_TRUE(a.is_ok() && b.is_ok());
    again.insert(again.end(), a->begin(), a->end());
    other.insert(other.end(), b->begin(), b->end());
  }
  EXPECT_EQ(strip(again), strip(codings_));
  EXPECT_NE(strip(other), strip(codings_));
}

TEST_F(SynthCodingsTest, BadOptionsOtherTextsAndUnknownObjects) {
  for (auto [passages, coders, disagreement, message] :
       {std::tuple{-1, 3, 0.2, "--codings must be between 0 and 100"},
        std::tuple{101, 3, 0.2, "--codings must be between 0 and 100"},
        std::tuple{3, 0, 0.2, "--coders must be between 1 and 20"},
        std::tuple{3, 3, 1.5, "disagreement must be a fraction"}}) {
    SynthCodingOptions o;
    o.passages_per_transcript = passages;
    o.coders = coders;
    o.disagreement = disagreement;
    Status st = check_synth_coding_options(o);
    EXPECT_EQ(st.code(), Code::kInvalidArgument);
    EXPECT_NE(st.message().find(message), std::string::npos) << st.message();
    auto refused = code_synth_transcript(*store_, framework_, truths_.front(), o);
    EXPECT_EQ(refused.status().code(), Code::kInvalidArgument);
  }
  // Documents are not coded; nor is anything with no passages asked for, or a framework
  // without the codes.
  auto document = std::find_if(truths_.begin(), truths_.end(),
                               [](const auto& t) { return t.kind != "transcript"; });
  ASSERT_NE(document, truths_.end());
  auto none = code_synth_transcript(*store_, framework_, *document, options_);
  ASSERT_TRUE(none.is_ok());
  EXPECT_TRUE(none->empty());
  auto transcript = std::find_if(truths_.begin(), truths_.end(),
                                 [](const auto& t) { return t.kind == "transcript"; });
  SynthCodingOptions zero = options_;
  zero.passages_per_transcript = 0;
  EXPECT_TRUE(code_synth_transcript(*store_, framework_, *transcript, zero)->empty());
  EXPECT_TRUE(code_synth_transcript(*store_, Framework(), *transcript, options_)->empty());
  // One coder: nobody to disagree with.
  SynthCodingOptions alone = options_;
  alone.coders = 1;
  auto single = code_synth_transcript(*store_, framework_, *transcript, alone);
  ASSERT_TRUE(single.is_ok());
  ASSERT_FALSE(single->empty());
  for (const auto& c : *single) {
    EXPECT_EQ(c.coder, "synth-coder-1");
    EXPECT_EQ(c.codes, c.fits);
  }
  // A transcript whose object the hub does not hold, or none at all.
  collection::GroundTruth unknown = *transcript;
  unknown.object_id = "0123456789abcdef0123456789abcdef";
  EXPECT_EQ(code_synth_transcript(*store_, framework_, unknown, options_).status().code(),
            Code::kNotFound);
  unknown.object_id.clear();
  EXPECT_EQ(code_synth_transcript(*store_, framework_, unknown, options_).status().code(),
            Code::kInvalidArgument);
}

// `evhub synth` codes the transcripts it makes and writes the codings' ground truth beside the
// texts'; a bad --codings is refused before the hub is touched.
TEST(SynthCodingsCli, SynthCodesTranscriptsAndWritesTheirGroundTruth) {
  testing::TempDir tmp;
  const std::string hub = tmp / "hub", key = tmp / "key";
  ASSERT_EQ(testing::evhub(hub, key, {"init", "--kdf", "interactive"}).exit_code, 0);
  ASSERT_EQ(testing::evhub(hub, key, {"org", "add", "Demo Partner"}).exit_code, 0);
  auto bad = testing::evhub(hub, key, {"synth", "--witnesses", "2", "--codings=-1"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--codings must be between 0 and 100"), std::string::npos) << bad.err;

  auto ok = testing::evhub(hub, key,
                           {"synth", "--witnesses", "3", "--documents-per-witness", "0",
                            "--codings", "2", "--ground-truth", tmp / "gt.jsonl", "--json"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const json report = json::parse(ok.out);
  ASSERT_GT(report["codings"].get<int>(), 0);
  std::ifstream gt(tmp / "gt.codings.jsonl");
  int lines = 0;
  std::set<std::string> objects;
  for (std::string line; std::getline(gt, line);) {
    const json c = json::parse(line);
    EXPECT_EQ(c["annotation_id"].get<std::string>().rfind("an-", 0), 0u);
    EXPECT_FALSE(c["codes"].empty());
    objects.insert(c["object_id"]);
    ++lines;
  }
  EXPECT_EQ(lines, report["codings"].get<int>());
  EXPECT_EQ(objects.size(), 3u);  // each witness's transcript

  // --codings 0: none, and no codings file.
  auto none = testing::evhub(hub, key,
                             {"synth", "--witnesses", "1", "--codings", "0", "--ground-truth",
                              tmp / "none.jsonl", "--json"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_EQ(json::parse(none.out)["codings"], 0);
  EXPECT_FALSE(std::ifstream(tmp / "none.codings.jsonl").good());
}

}  // namespace
}  // namespace evhub::coding
