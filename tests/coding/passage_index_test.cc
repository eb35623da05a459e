// Coded passages in a real search index: found by code (and by an ancestor code), facility,
// place and date; restricted codes hidden from readers not cleared for them; edits, removals
// and erasure of the witness followed by the index; snippets read from the passage.
#include "coding/passage_index.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "coding/annotations.h"
#include "collection/collection.h"
#include "support/support.h"
#include "support/test_hub.h"

namespace evhub::coding {
namespace {

const char* const kTranscript =
    "Мяне затрымалі ў Мінску 10 жніўня 2020 года. Маёр загадаў біць нас дубінкамі. Потым нас "
    "распранулі дагола ў калідоры.";

std::pair<std::int64_t, std::int64_t> span_of(const std::string& part) {
  const std::string text = kTranscript;
  const std::size_t at = text.find(part);
  auto points = [&](std::size_t bytes) {
    std::int64_t n = 0;
    for (std::size_t i = 0; i < bytes; ++i)
      n += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    return n;
  };
  return {points(at), points(at + part.size())};
}

class PassageIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_coded_passages();
    hub_ = testing::new_test_hub(tmp_ / "hub");
    auto witnesses = std::move(collection::Collection::open(*hub_)).value();
    ASSERT_TRUE(witnesses->register_witness("W-00900", "org-a", {}, std::nullopt).is_ok());
    auto t = hub_->put_data("t.txt", kTranscript, "W-00900", hub::Intake::evidence("org-a"));
    ASSERT_TRUE(t.is_ok());
    transcript_ = t->id;
    store_ = std::move(AnnotationStore::open(*hub_)).value();
    beating_ = add("біць нас дубінкамі", "physical.baton-blows", "Akrestsina", "2020-08-11");
    nudity_ = add("распранулі дагола", "sgbv.forced-nudity", "Zhodzina prison", "2020-08-12");
  }

  Annotation add(const std::string& part, const std::string& code, const std::string& facility,
                 const std::string& date) {
    Annotation a;
    a.target.object_id = transcript_;
    std::tie(a.target.begin, a.target.end) = span_of(part);
    a.codes = {{code, 1}};
    a.facets.date.from = date;
    a.facets.place = "Minsk";
    a.facets.facility = facility;
    a.coder = "user-1";
    auto stored = store_->add(a);
    EXPECT_TRUE(stored.is_ok()) << stored.status().to_string();
    return stored.is_ok() ? *stored : a;
  }

  void update_index() {
    auto index = search::Index::open_writable(hub_->layout().index());
    ASSERT_TRUE(index.is_ok()) << index.status().to_string();
    auto r = collection::update_index(*hub_, mu_, **index);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  }

  // The ids of the coded passages `query` finds for a reader of org-a cleared for `sensitivities`.
  std::vector<std::string> find(const std::string& query,
                                std::vector<std::string> sensitivities = {"normal", "health",
                                                                          "sexual-violence"}) {
    auto index = search::Index::open_readonly({hub_->layout().index()});
    EXPECT_TRUE(index.is_ok()) << index.status().to_string();
    if (!index.is_ok()) return {};
    search::SearchRequest r;
    r.query = query + " type:coded-passage";
    r.scopes = {{"org-a", std::move(sensitivities), true}};
    auto found = (*index)->search(r, {});
    EXPECT_TRUE(found.is_ok()) << found.status().to_string();
    std::vector<std::string> ids;
    if (found.is_ok()) {
      for (const auto& h : found->hits) ids.push_back(h.id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  std::string id_of(const Annotation& a) { return kPassageIdPrefix + a.id; }

  testing::TempDir tmp_;
  std::mutex mu_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<AnnotationStore> store_;
  std::string transcript_;
  Annotation beating_;
  Annotation nudity_;
};

TEST_F(PassageIndexTest, FoundByCodeAncestorFacilityPlaceAndDate) {
  update_index();
  EXPECT_EQ(find("code:physical.baton-blows"), std::vector<std::string>{id_of(beating_)});
  EXPECT_EQ(find("code:physical"), std::vector<std::string>{id_of(beating_)});
  EXPECT_EQ(find("facility:Akrestsina"), std::vector<std::string>{id_of(beating_)});
  EXPECT_EQ(find("date:2020-08-12"), std::vector<std::string>{id_of(nudity_)});
  auto both = std::vector<std::string>{id_of(beating_), id_of(nudity_)};
  std::sort(both.begin(), both.end());
  EXPECT_EQ(find("place:Minsk date:2020-08"), both);
  EXPECT_EQ(find("дубінкамі"), std::vector<std::string>{id_of(beating_)});
}

TEST_F(PassageIndexTest, ARestrictedCodeHidesThePassageFromReadersNotClearedForIt) {
  update_index();
  EXPECT_EQ(find("code:sgbv"), std::vector<std::string>{id_of(nudity_)});
  EXPECT_TRUE(find("code:sgbv", {"normal", "health"}).empty());
  EXPECT_TRUE(find("дагола", {"normal"}).empty());
  EXPECT_EQ(find("code:physical", {"normal"}), std::vector<std::string>{id_of(beating_)});
}

TEST_F(PassageIndexTest, EditsRemovalsAndErasureAreFollowed) {
  update_index();
  Annotation changed = beating_;
  changed.codes = {{"physical.kicks", 1}};
  ASSERT_TRUE(store_->update(changed).is_ok());
  update_index();
  EXPECT_TRUE(find("code:physical.baton-blows").empty());
  EXPECT_EQ(find("code:physical.kicks"), std::vector<std::string>{id_of(beating_)});

  ASSERT_TRUE(store_->remove(beating_.id, 2, "user-1").is_ok());
  update_index();
  EXPECT_TRUE(find("code:physical").empty());

  ASSERT_TRUE(hub_->shred("W-00900", "withdrew consent").is_ok());
  update_index();
  EXPECT_TRUE(find("code:sgbv").empty());
}

TEST_F(PassageIndexTest, SnippetTextIsThePassageAndTheIndexChecksOut) {
  update_index();
  auto witnesses = std::move(collection::Collection::open(*hub_)).value();
  auto text = collection::item_text(*hub_, *witnesses, id_of(beating_));
  ASSERT_TRUE(text.is_ok()) << text.status().to_string();
  EXPECT_EQ(*text, "біць нас дубінкамі");
  auto index = search::Index::open_writable(hub_->layout().index());
  ASSERT_TRUE(index.is_ok());
  auto check = collection::check_index(*hub_, mu_, **index);
  ASSERT_TRUE(check.is_ok());
  EXPECT_TRUE(check->ok()) << check->missing.size() << " missing, " << check->stale.size()
                           << " stale, " << check->extra.size() << " extra";
}

}  // namespace
}  // namespace evhub::coding
