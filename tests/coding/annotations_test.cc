// Annotations on a real hub: spans in code points of a stored Belarusian transcript, versions
// that are never silently overwritten, retrieval by code from the view, erasure with the
// witness, a view rebuilt from the log, no memo or description in the plaintext view, and
// agreement measured over the sentences of a text two coders annotated.
#include "coding/annotations.h"

#include "coding/coded_agreement.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "collection/collection.h"
#include "core/fs.h"
#include "support/support.h"
#include "support/test_hub.h"

namespace evhub::coding {
namespace {

// "ў", "і" and "ё" are two bytes each: offsets are code points, not bytes.
const char* const kTranscript =
    "Мяне затрымалі ў Мінску 10 жніўня 2020 года. Маёр загадаў біць нас дубінкамі. Потым нас "
    "трымалі ў камеры без вады.";

// Code point offsets of `part` in kTranscript.
std::pair<std::int64_t, std::int64_t> span_of(const std::string& part) {
  const std::string text = kTranscript;
  const std::size_t at = text.find(part);
  if (at == std::string::npos) {
    ADD_FAILURE() << part << " is not in the transcript";
    return {0, 0};
  }
  auto points = [&](std::size_t bytes) {
    std::int64_t n = 0;
    for (std::size_t i = 0; i < bytes; ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
    }
    return n;
  };
  return {points(at), points(at + part.size())};
}

class AnnotationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = testing::new_test_hub(tmp_ / "hub");
    collection_ = std::move(collection::Collection::open(*hub_)).value();
    ASSERT_TRUE(collection_->register_witness("W-00800", "org-a", {}, std::nullopt).is_ok());
    auto t = hub_->put_data("t.txt", kTranscript, "W-00800", hub::Intake::evidence("org-a"));
    ASSERT_TRUE(t.is_ok());
    transcript_ = t->id;
    store_ = std::move(AnnotationStore::open(*hub_)).value();
  }

  Annotation on_text(const std::string& part, const std::string& code) {
    Annotation a;
    a.target.object_id = transcript_;
    std::tie(a.target.begin, a.target.end) = span_of(part);
    a.codes = {{code, 1}};
    a.facets.date.from = "2020-08-10";
    a.facets.place = "Minsk";
    a.facets.facility = "Akrestsina isolation centre";
    a.facets.victims = "the witness and two other detainees";
    a.memo = "memo-that-must-stay-encrypted";
    a.coder = "user-1";
    return a;
  }

  testing::TempDir tmp_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<collection::Collection> collection_;
  std::unique_ptr<AnnotationStore> store_;
  std::string transcript_;
};

TEST_F(AnnotationsTest, ASpanCodesTheExactPassageInCodePoints) {
  auto added = store_->add(on_text("біць нас дубінкамі", "physical.baton-blows"));
  ASSERT_TRUE(added.is_ok()) << added.status().to_string();
  EXPECT_EQ(added->passage, "біць нас дубінкамі");
  EXPECT_EQ(added->version, 1);
  EXPECT_EQ(added->domain, "W-00800");
  EXPECT_EQ(added->organisation_id, "org-a");
  EXPECT_EQ(added->target.object_sha256, hub_->describe(transcript_)->record.sha256);

  auto got = store_->get(added->id);
  ASSERT_TRUE(got.is_ok() && got->has_value());
  EXPECT_EQ((*got)->passage, "біць нас дубінкамі");
  EXPECT_EQ((*got)->memo, "memo-that-must-stay-encrypted");
  EXPECT_EQ((*got)->facets.facility, "Akrestsina isolation centre");
  ASSERT_EQ((*got)->codes.size(), 1U);
  EXPECT_EQ((*got)->codes[0].id, "physical.baton-blows");
}

TEST_F(AnnotationsTest, BadAnnotationsAreRefusedWithAReason) {
  auto outside = on_text("вады.", "x");
  outside.target.end += 1;
  auto r = store_->add(outside);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("not within the text"), std::string::npos);

  auto unknown = on_text("вады.", "x");
  unknown.target.object_id = std::string(64, 'a');
  EXPECT_EQ(store_->add(unknown).status().code(), Code::kNotFound);

  auto no_codes = on_text("вады.", "x");
  no_codes.codes.clear();
  EXPECT_NE(store_->add(no_codes).status().message().find("at least one code"), std::string::npos);

  auto bad_date = on_text("вады.", "x");
  bad_date.facets.date.from = "10.08.2020";
  EXPECT_NE(store_->add(bad_date).status().message().find("is not YYYY"), std::string::npos);

  auto reversed = on_text("вады.", "x");
  reversed.facets.date = {"2020-09", "2020-08", "month"};
  EXPECT_NE(store_->add(reversed).status().message().find("ends"), std::string::npos);

  auto region = on_text("вады.", "x");
  region.target.kind = TargetKind::kRegion;
  region.target.page = 1;
  region.target.x = 0.8;
  region.target.width = 0.3;
  region.target.height = 0.1;
  EXPECT_NE(store_->add(region).status().message().find("fractions of the page"),
            std::string::npos);
  EXPECT_TRUE(store_->on_object(transcript_)->empty());  // nothing was stored
}

TEST_F(AnnotationsTest, AChangeIsANewVersionAndAStaleOneIsRefused) {
  auto first = store_->add(on_text("біць нас дубінкамі", "physical.baton-blows"));
  ASSERT_TRUE(first.is_ok());
  Annotation changed = *first;
  changed.codes.push_back({"psychological.verbal-abuse", 2});
  std::tie(changed.target.begin, changed.target.end) = span_of("Маёр загадаў біць нас дубінкамі");
  auto second = store_->update(changed);
  ASSERT_TRUE(second.is_ok()) << second.status().to_string();
  EXPECT_EQ(second->version, 2);
  EXPECT_EQ(second->passage, "Маёр загадаў біць нас дубінкамі");

  // Someone still holding version 1 cannot overwrite version 2.
  Annotation stale = *first;
  stale.memo = "a late edit";
  auto refused = store_->update(stale);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("it is at version 2"), std::string::npos);

  auto history = store_->history(first->id);
  ASSERT_TRUE(history.is_ok());
  ASSERT_EQ(history->size(), 2U);
  EXPECT_EQ(history->at(0).codes.size(), 1U);
  EXPECT_EQ(history->at(1).codes.size(), 2U);
  EXPECT_EQ(history->at(1).codes[1].revision, 2);

  auto removed = store_->remove(first->id, 2, "user-2");
  ASSERT_TRUE(removed.is_ok());
  EXPECT_TRUE(store_->on_object(transcript_)->empty());
  EXPECT_TRUE(store_->with_codes({"physical.baton-blows"}, {})->empty());
  EXPECT_EQ(store_->history(first->id)->size(), 3U);
}

TEST_F(AnnotationsTest, RetrievalByCodeFindsExactlyTheCodedPassages) {
  ASSERT_TRUE(store_->add(on_text("біць нас дубінкамі", "physical.baton-blows")).is_ok());
  ASSERT_TRUE(store_->add(on_text("камеры без вады", "conditions.food-water")).is_ok());
  auto both = on_text("Маёр загадаў", "psychological.verbal-abuse");
  both.codes.push_back({"physical.baton-blows", 1});
  ASSERT_TRUE(store_->add(both).is_ok());

  auto baton = store_->with_codes({"physical.baton-blows"}, {});
  ASSERT_TRUE(baton.is_ok());
  ASSERT_EQ(baton->size(), 2U);
  EXPECT_EQ((*baton)[0].begin, span_of("Маёр загадаў").first);
  EXPECT_EQ((*baton)[1].begin, span_of("біць нас дубінкамі").first);
  EXPECT_EQ((*baton)[1].facility, "Akrestsina isolation centre");
  EXPECT_EQ((*baton)[1].incident_from, "2020-08-10");
  EXPECT_EQ(store_->with_codes({"physical.baton-blows", "conditions.food-water"}, {})->size(), 3U);
  EXPECT_TRUE(store_->with_codes({"physical.baton-blows"}, {"org-b"})->empty());
  EXPECT_TRUE(store_->with_codes({"sgbv.rape"}, {})->empty());

  auto all = store_->on_object(transcript_);
  ASSERT_TRUE(all.is_ok());
  ASSERT_EQ(all->size(), 3U);
  EXPECT_EQ(all->at(0).passage, "Маёр загадаў");  // in text order
  EXPECT_EQ(all->at(2).passage, "камеры без вады");
}

// Pages of retrieval: three transcripts (one of health sensitivity), passages coded with one
// or two codes of the "physical" category, one also with a restricted code. Walking the pages
// lists every passage the scope allows once, in order of object and position, whatever the
// page size, and the total counts exactly those.
TEST_F(AnnotationsTest, PagesOfPassagesListEachAllowedPassageOnceInOrder) {
  std::vector<std::string> objects = {transcript_};
  for (const char* sensitivity : {"normal", "health"}) {
    auto t = hub_->put_data(std::string(sensitivity) + ".txt",
                            std::string(kTranscript) + " " + sensitivity, "W-00800",
                            hub::Intake::evidence("org-a", sensitivity));
    ASSERT_TRUE(t.is_ok());
    objects.push_back(t->id);
  }
  std::map<std::string, std::string> sensitivity_of;  // annotation id -> the object's
  std::set<std::string> with_rape;
  for (std::size_t o = 0; o < objects.size(); ++o) {
    for (const char* part : {"Мяне затрымалі", "біць нас дубінкамі", "Маёр загадаў", "без вады"}) {
      auto a = on_text(part, "physical.baton-blows");
      a.target.object_id = objects[o];
      if (std::string(part) == "Маёр загадаў") a.codes.push_back({"physical.punches", 1});
      if (std::string(part) == "без вады") a.codes = {{"physical.kicks", 1}, {"sgbv.rape", 1}};
      auto added = store_->add(a);
      ASSERT_TRUE(added.is_ok()) << added.status().to_string();
      sensitivity_of[added->id] = o == 2 ? "health" : "normal";
      if (std::string(part) == "без вады") with_rape.insert(added->id);
    }
  }
  const std::vector<std::string> category = {"physical.baton-blows", "physical.kicks",
                                             "physical.punches"};
  // Every page of `limit`, checked as it comes; returns the annotation ids in order.
  auto walk = [&](const PassageScope& scope, int limit) {
    std::vector<std::string> ids;
    std::optional<PassageCursor> after;
    for (int pages = 0; pages < 100; ++pages) {
      auto page = store_->passages({scope}, after, limit);
      EXPECT_TRUE(page.is_ok()) << page.status().to_string();
      if (!page.is_ok()) break;
      EXPECT_LE(page->passages.size(), static_cast<std::size_t>(limit));
      for (const auto& p : page->passages) {
        if (!ids.empty()) {
          const auto& before = ids.back();
          EXPECT_NE(before, p.annotation_id);
        }
        ids.push_back(p.annotation_id);
      }
      if (!page->next) break;
      EXPECT_EQ(page->next->annotation_id, ids.back());
      after = page->next;
    }
    return ids;
  };
  auto expected = [&](const PassageScope& scope) {
    std::vector<std::string> ids;
    for (const auto& p : *store_->with_codes(category, {})) {
      const bool hidden = std::find(scope.hidden_code_ids.begin(), scope.hidden_code_ids.end(),
                                    "sgbv.rape") != scope.hidden_code_ids.end() &&
                          with_rape.count(p.annotation_id);
      const bool readable = std::find(scope.sensitivities.begin(), scope.sensitivities.end(),
                                      sensitivity_of[p.annotation_id]) != scope.sensitivities.end();
      if (!hidden && readable && (ids.empty() || ids.back() != p.annotation_id)) {
        ids.push_back(p.annotation_id);
      }
    }
    return ids;
  };

  const PassageScope cleared{"org-a", {"normal", "health", "sexual-violence"}, category, {}};
  const auto all = expected(cleared);
  ASSERT_EQ(all.size(), 12U);  // four passages on each of three transcripts, each once
  for (int limit : {1, 2, 5, 12, 500}) EXPECT_EQ(walk(cleared, limit), all) << "limit " << limit;
  EXPECT_EQ(store_->passages({cleared}, std::nullopt, 5)->total, 12);

  // Not cleared for health objects nor for sexual violence: the health transcript and every
  // passage also coded as rape are left out, from the pages and from the count.
  const PassageScope normal{"org-a", {"normal"}, category, {"sgbv.rape"}};
  const auto allowed = expected(normal);
  ASSERT_EQ(allowed.size(), 6U);
  for (int limit : {1, 4, 500}) EXPECT_EQ(walk(normal, limit), allowed) << "limit " << limit;
  EXPECT_EQ(store_->passages({normal}, std::nullopt, 1)->total, 6);

  // One code, one range: the count needs no set, and still says how many.
  const PassageScope punches{"org-a", {"normal", "health"}, {"physical.punches"}, {}};
  auto page = store_->passages({punches}, std::nullopt, 2);
  ASSERT_TRUE(page.is_ok());
  EXPECT_EQ(page->total, 3);
  EXPECT_EQ(page->passages.size(), 2U);
  EXPECT_TRUE(page->next.has_value());

  // Another organisation's scope finds nothing of org-a's. With a witness there, a reader of
  // both organisations walks one list of the two, and the count holds both.
  EXPECT_EQ(store_->passages({{"org-b", {"normal"}, category, {}}}, std::nullopt, 10)->total, 0);
  ASSERT_TRUE(collection_->register_witness("W-00801", "org-b", {}, std::nullopt).is_ok());
  auto other = hub_->put_data("b.txt", kTranscript, "W-00801", hub::Intake::evidence("org-b"));
  ASSERT_TRUE(other.is_ok());
  auto in_b = on_text("Маёр загадаў", "physical.baton-blows");
  in_b.target.object_id = other->id;
  in_b.codes.push_back({"physical.kicks", 1});
  ASSERT_TRUE(store_->add(in_b).is_ok());
  in_b.codes = {{"physical.punches", 1}};
  std::tie(in_b.target.begin, in_b.target.end) = span_of("без вады");
  ASSERT_TRUE(store_->add(in_b).is_ok());
  const PassageScope b{"org-b", {"normal"}, category, {"sgbv.rape"}};
  std::vector<std::string> both;
  for (const auto& p : *store_->with_codes(category, {})) {
    const bool wanted = p.organisation_id == "org-b" ||
                        std::find(allowed.begin(), allowed.end(), p.annotation_id) != allowed.end();
    if (wanted && (both.empty() || both.back() != p.annotation_id)) both.push_back(p.annotation_id);
  }
  ASSERT_EQ(both.size(), 8U);
  for (int limit : {1, 3, 500}) {
    std::vector<std::string> ids;
    std::optional<PassageCursor> after;
    for (int pages = 0; pages < 20; ++pages) {
      auto some = store_->passages({normal, b}, after, limit);
      ASSERT_TRUE(some.is_ok());
      EXPECT_EQ(some->total, 8);
      for (const auto& p : some->passages) ids.push_back(p.annotation_id);
      if (!(after = some->next)) break;
    }
    EXPECT_EQ(ids, both) << "limit " << limit;
  }

  // A page of nothing is refused.
  EXPECT_EQ(store_->passages({cleared}, std::nullopt, 0).status().code(), Code::kInvalidArgument);
}

TEST_F(AnnotationsTest, TheViewIsRebuiltFromTheLogAndHoldsNoMemo) {
  auto a = store_->add(on_text("біць нас дубінкамі", "physical.baton-blows"));
  ASSERT_TRUE(a.is_ok());
  store_.reset();
  {
    std::ifstream in(hub_->layout().coding(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    EXPECT_NE(bytes.find("physical.baton-blows"), std::string::npos);  // the view is real
    EXPECT_EQ(bytes.find("memo-that-must-stay-encrypted"), std::string::npos);
    EXPECT_EQ(bytes.find("two other detainees"), std::string::npos);
  }
  std::remove(hub_->layout().coding().c_str());
  std::remove((hub_->layout().coding() + "-wal").c_str());
  std::remove((hub_->layout().coding() + "-shm").c_str());
  store_ = std::move(AnnotationStore::open(*hub_)).value();
  auto again = store_->with_codes({"physical.baton-blows"}, {});
  ASSERT_TRUE(again.is_ok());
  ASSERT_EQ(again->size(), 1U);
  EXPECT_EQ(again->at(0).annotation_id, a->id);
}

TEST_F(AnnotationsTest, ErasingTheWitnessErasesTheirCodings) {
  auto a = store_->add(on_text("біць нас дубінкамі", "physical.baton-blows"));
  ASSERT_TRUE(a.is_ok());
  ASSERT_TRUE(collection_->erase("W-00800", "withdrew consent").is_ok());
  EXPECT_TRUE(store_->with_codes({"physical.baton-blows"}, {})->empty());
  auto got = store_->get(a->id);
  ASSERT_TRUE(got.is_ok());
  EXPECT_FALSE(got->has_value());
  EXPECT_TRUE(store_->history(a->id)->empty());
}

// Three sentences; coder A codes the second, coder B the second and (loosely) the third:
// A = [0, 1, 0], B = [0, 1, 1]. Po = 2/3; pA(yes) = 1/3, pB(yes) = 2/3, so
// Pe = 1/3 * 2/3 + 2/3 * 1/3 = 4/9 and kappa = (2/3 - 4/9) / (1 - 4/9) = 0.4.
TEST_F(AnnotationsTest, AgreementIsMeasuredOverTheSentencesOfTextsTwoCodersAnnotated) {
  auto a = on_text("біць нас дубінкамі", "physical.baton-blows");
  a.coder = "coder-a";
  auto b = on_text("Маёр загадаў біць нас дубінкамі", "physical.baton-blows");
  b.coder = "coder-b";
  auto b2 = on_text("трымалі ў камеры без вады", "physical.baton-blows");
  b2.coder = "coder-b";
  for (const auto& x : {a, b, b2}) ASSERT_TRUE(store_->add(x).is_ok());
  // A text only one coder annotated does not count.
  auto other =
      hub_->put_data("o.txt", "Іншы тэкст. Другі сказ.", "W-00800", hub::Intake::evidence("org-a"));
  ASSERT_TRUE(other.is_ok());
  Annotation alone = on_text("біць", "physical.baton-blows");
  alone.target.object_id = other->id;
  alone.target.begin = 0;
  alone.target.end = 5;
  alone.coder = "coder-a";
  ASSERT_TRUE(store_->add(alone).is_ok());

  auto report = agreement_in_hub(*hub_, *store_, {});
  ASSERT_TRUE(report.is_ok()) << report.status().to_string();
  EXPECT_EQ(report->coders, (std::vector<std::string>{"coder-a", "coder-b"}));
  EXPECT_EQ(report->units, 3U);
  ASSERT_EQ(report->codes.size(), 1U);
  const CodeAgreement& baton = report->codes[0];
  ASSERT_EQ(baton.pairs.size(), 1U);
  ASSERT_TRUE(baton.pairs[0].kappa.value.has_value());
  EXPECT_NEAR(*baton.pairs[0].kappa.value, 0.4, 1e-9);
  ASSERT_EQ(baton.disagreements.size(), 1U);
  EXPECT_EQ(baton.disagreements[0].unit_index, 2U);
  EXPECT_EQ(baton.disagreements[0].applied, (std::vector<std::string>{"coder-b"}));

  AgreementScope only_a;
  only_a.coders = {"coder-a"};
  auto none = agreement_in_hub(*hub_, *store_, only_a);
  ASSERT_FALSE(none.is_ok());
  EXPECT_EQ(none.status().code(), Code::kFailedPrecondition);
}

}  // namespace
}  // namespace evhub::coding

namespace evhub::coding {
namespace {

// "Coding spans survive re-rendering": a span is code points of the exact stored text, so it
// codes the same words however the text is shown again — after characters outside the Basic
// Multilingual Plane (two UTF-16 units in a browser), combining accents and CRLF line ends,
// after the view is rebuilt and the hub reopened, and after a corrected transcript is stored
// beside the old one.
TEST_F(AnnotationsTest, SpansSurviveReRendering) {
  const std::string text =
      "Запіс 📼 пачынаецца.\r\nЁ\xCC\x81 — націск.\r\nМаёр загадаў біць нас дубінкамі 😶.";
  auto stored = hub_->put_data("t2.txt", text, "W-00800", hub::Intake::evidence("org-a"));
  ASSERT_TRUE(stored.is_ok());
  const std::string part = "біць нас дубінкамі 😶";
  const std::size_t at = text.find(part);
  auto points = [&](std::size_t bytes) {
    std::int64_t n = 0;
    for (std::size_t i = 0; i < bytes; ++i)
      n += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    return n;
  };
  Annotation a = on_text("біць нас дубінкамі", "physical.baton-blows");
  a.target.object_id = stored->id;
  a.target.begin = points(at);
  a.target.end = points(at + part.size());
  auto added = store_->add(a);
  ASSERT_TRUE(added.is_ok()) << added.status().to_string();
  EXPECT_EQ(added->passage, part);

  // A corrected transcript is a new object: the coding stays on the text it was made on.
  auto corrected =
      hub_->put_data("t3.txt", "Маёр загадаў біць нас.", "W-00800", hub::Intake::evidence("org-a"));
  ASSERT_TRUE(corrected.is_ok());
  store_.reset();
  hub_.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::remove((tmp_ / "hub" + "/coding.db" + suffix).c_str());
  }
  hub_ = testing::open_test_hub(tmp_ / "hub");
  store_ = std::move(AnnotationStore::open(*hub_)).value();
  auto again = store_->on_object(stored->id);
  ASSERT_TRUE(again.is_ok());
  ASSERT_EQ(again->size(), 1U);
  EXPECT_EQ(again->at(0).passage, part);
  EXPECT_EQ(again->at(0).target.object_sha256, hub_->describe(stored->id)->record.sha256);
  EXPECT_TRUE(store_->on_object(corrected->id)->empty());
}

}  // namespace
}  // namespace evhub::coding
