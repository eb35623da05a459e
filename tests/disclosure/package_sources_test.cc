// Candidate items of a package from its sources, on a real hub: two witnesses of one
// organisation and one of another, with interviews, a translation, a medical document,
// annotations, an incident, a witness summary and the search index. Each source gives each
// object once, in a stable order, in its folder, described without names; never what the
// caller may not read; and refuses unknown incidents, summaries and codes, and a summary
// without an approved export. Every person here is fictional.
#include "disclosure/package_sources.h"
#include "disclosure/item_facts.h"
#include "disclosure/source_spec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <nlohmann/json.hpp>

#include "coding/passage_index.h"
#include "collection/indexing.h"
#include "support/support.h"
#include "support/test_hub.h"

namespace evhub::disclosure {
namespace {

const char* const kTranscript1 =
    "Мяне затрымалі ў Мінску 11 жніўня 2020 года. На Акрэсціна нас білі дубінкамі. Потым нас "
    "распранулі дагола.";
const char* const kTranscript2 = "Другое интервью: нас держали в камере без воды трое суток.";
const char* const kTranscript3 =
    "Нас привезли на Окрестина ночью. Охранник кричал на нас и бил дубинкой по ногам.";
const char* const kTranscriptOther = "Another organisation's testimony: бил дубинкой по ногам.";

// Code point offsets of `part` in `text`.
std::pair<std::int64_t, std::int64_t> span_of(const std::string& text, const std::string& part) {
  const std::size_t at = text.find(part);
  EXPECT_NE(at, std::string::npos) << part;
  auto points = [&](std::size_t bytes) {
    std::int64_t n = 0;
    for (std::size_t i = 0; i < bytes && i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
    }
    return n;
  };
  return {points(at), points(at + part.size())};
}

std::vector<std::string> ids_of(const SourceItems& s) {
  std::vector<std::string> out;
  for (const auto& i : s.items) out.push_back(i.object_id);
  return out;
}

const std::vector<std::string> kAll = {"normal", "health", "sexual-violence"};

class PackageSourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = evhub::testing::new_test_hub(tmp_ / "hub");
    witnesses_ = std::move(collection::Collection::open(*hub_)).value();
    collection::PersonalDetails personal;
    personal.name = "Зоя Тэставая";
    ASSERT_TRUE(witnesses_->register_witness("W-00102", "org-a", {}, personal).is_ok());
    ASSERT_TRUE(witnesses_->register_witness("W-00103", "org-a", {}, std::nullopt).is_ok());
    ASSERT_TRUE(witnesses_->register_witness("W-00900", "org-b", {}, std::nullopt).is_ok());
    collection::Consent consent;
    consent.given_on = "2024-01-15";
    consent.taken_by = "intake-1";
    consent.scopes = {"internal-analysis", "share-lawyer"};
    ASSERT_TRUE(witnesses_->add_consent("W-00102", consent).is_ok());

    t1_ = put("t1.txt", kTranscript1, "W-00102", "org-a");
    t2_ = put("t2.txt", kTranscript2, "W-00102", "org-a");
    recording_ = put("r.ogg", std::string("OggS\0\x02 not really audio", 24), "W-00102", "org-a");
    medical_ = put("m.txt", "Medical certificate: bruises on the back and legs.", "W-00102",
                   "org-a", "health");
    t3_ = put("t3.txt", kTranscript3, "W-00103", "org-a");
    other_ = put("o.txt", kTranscriptOther, "W-00900", "org-b");

    hub::Intake translation;
    translation.tool = "apertium";
    translation.tool_version = "3.8";
    translation.tool_parameters = R"({"from":"ru","to":"be"})";
    translation.media_type = "text/plain; charset=utf-8";
    auto tr = hub_->put_derived("tr.txt", "Другое інтэрв'ю: нас трымалі ў камеры без вады.", t2_,
                                translation);
    ASSERT_TRUE(tr.is_ok()) << tr.status().to_string();
    translation_ = tr->id;

    // Interview 2 is recorded first but took place later: interviews are numbered by date.
    second_ = interview("2021-05-01", t2_, {});
    second_.translations = {translation_};
    ASSERT_TRUE(witnesses_->update_interview(second_).is_ok());
    interview("2021-03-02", t1_, {recording_});
    collection::WitnessDocument doc;
    doc.object_id = medical_;
    doc.code = "W-00102";
    doc.kind = "medical";
    doc.date = "2020-08-14";
    doc.description = "Certificate about Зоя Тэставая";  // never in a description
    ASSERT_TRUE(witnesses_->add_document(doc).is_ok());
    collection::Interview iv3;
    iv3.code = "W-00103";
    iv3.on = "2021-04-01";
    iv3.remote = true;
    iv3.interviewer = "intake-1";
    iv3.transcript = t3_;
    ASSERT_TRUE(witnesses_->record_interview(iv3).is_ok());

    annotations_ = std::move(coding::AnnotationStore::open(*hub_)).value();
    incidents_ = std::move(coding::IncidentStore::open(*hub_, *annotations_)).value();
    framework_ = std::move(coding::default_framework()).value();
    baton_a_ = code(t1_, kTranscript1, "нас білі дубінкамі", "physical.baton-blows", "Akrestsina",
                    "2020-08-11");
    nudity_ = code(t1_, kTranscript1, "распранулі дагола", "sgbv.forced-nudity", "Akrestsina",
                   "2020-08-11");
    water_ = code(t2_, kTranscript2, "без воды", "detention-conditions.food-water", "Zhodzina",
                  "2020-08-13");
    baton_b_ = code(t3_, kTranscript3, "бил дубинкой по ногам", "physical.baton-blows", "Okrestina",
                    "2020-09");
    baton_other_ = code(other_, kTranscriptOther, "бил дубинкой по ногам", "physical.baton-blows",
                        "Okrestina", "2020-08-11");
  }

  std::string put(const std::string& label, const std::string& data, const std::string& witness,
                  const std::string& org, const std::string& sensitivity = "normal") {
    auto stored = hub_->put_data(label, data, witness, hub::Intake::evidence(org, sensitivity));
    EXPECT_TRUE(stored.is_ok()) << stored.status().to_string();
    return stored.is_ok() ? stored->id : "";
  }

  collection::Interview interview(const std::string& on, const std::string& transcript,
                                  std::vector<std::string> recordings) {
    collection::Interview iv;
    iv.code = "W-00102";
    iv.on = on;
    iv.place = "Vilnius";
    iv.interviewer = "intake-1";
    iv.transcript = transcript;
    iv.recordings = std::move(recordings);
    auto stored = witnesses_->record_interview(iv);
    EXPECT_TRUE(stored.is_ok()) << stored.status().to_string();
    return stored.is_ok() ? *stored : iv;
  }

  std::string code(const std::string& object, const std::string& text, const std::string& part,
                   const std::string& code_id, const std::string& facility,
                   const std::string& date) {
    coding::Annotation a;
    a.target.object_id = object;
    std::tie(a.target.begin, a.target.end) = span_of(text, part);
    a.codes = {{code_id, 1}};
    a.facets.date.from = date;
    a.facets.place = "Minsk";
    a.facets.facility = facility;
    a.coder = "analyst-1";
    auto added = annotations_->add(a);
    EXPECT_TRUE(added.is_ok()) << added.status().to_string();
    return added.is_ok() ? added->id : "";
  }

  coding::Incident incident(const std::vector<std::pair<std::string, std::string>>& cited) {
    coding::Incident in;
    in.organisation_id = "org-a";
    in.title = "Beatings at Akrestsina, August 2020";
    in.acts = {{"physical.baton-blows", 1}};
    in.date = {"2020-08-11", "", "day"};
    for (const auto& [annotation, role] : cited) {
      coding::Evidence e;
      e.annotation_id = annotation;
      e.role = role;
      in.evidence.push_back(e);
    }
    in.updated_by = "analyst-1";
    auto added = incidents_->add(in, framework_);
    EXPECT_TRUE(added.is_ok()) << added.status().to_string();
    return added.is_ok() ? *added : in;
  }

  // The sources as seen by a reader of org-a cleared for `sensitivities`.
  std::unique_ptr<PackageSources> sources(std::vector<std::string> sensitivities = kAll,
                                          const std::string& org = "org-a") {
    return std::make_unique<PackageSources>(
        *hub_, *witnesses_, std::vector<catalog::ReadScope>{{org, std::move(sensitivities)}});
  }

  std::unique_ptr<coding::SummaryStore> summaries() {
    auto store = coding::SummaryStore::open(*hub_, *witnesses_, *annotations_, framework_);
    EXPECT_TRUE(store.is_ok()) << store.status().to_string();
    return store.is_ok() ? std::move(*store) : nullptr;
  }

  void update_index() {
    coding::index_coded_passages();
    auto index = search::Index::open_writable(hub_->layout().index());
    ASSERT_TRUE(index.is_ok()) << index.status().to_string();
    auto r = collection::update_index(*hub_, mu_, **index);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  }
  std::unique_ptr<search::Index> reader() {
    auto index = search::Index::open_readonly({hub_->layout().index()});
    EXPECT_TRUE(index.is_ok()) << index.status().to_string();
    return index.is_ok() ? std::move(*index) : nullptr;
  }

  evhub::testing::TempDir tmp_;
  std::mutex mu_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<collection::Collection> witnesses_;
  std::unique_ptr<coding::AnnotationStore> annotations_;
  std::unique_ptr<coding::IncidentStore> incidents_;
  coding::Framework framework_;
  collection::Interview second_;
  std::string t1_, t2_, t3_, recording_, medical_, translation_, other_;
  std::string baton_a_, nudity_, water_, baton_b_, baton_other_;
};

TEST(PackageSourceHelpers, IncidentFolderAndAppendUnique) {
  EXPECT_EQ(incident_folder("in-3f9a1c02deadbeef00000000000000ff"), "INC-3f9a1c02");
  std::vector<ItemSource> items = {{"a", "W-1", "first"}, {"b", "W-1", "second"}};
  append_unique(items, {{"b", "INC-1", "again"}, {"c", "INC-1", "third"}, {"c", "", "dup"}});
  ASSERT_EQ(items.size(), 3U);
  EXPECT_EQ(items[1].folder, "W-1");  // kept where it was first added
  EXPECT_EQ(items[2].object_id, "c");
  EXPECT_EQ(items[2].description, "third");
}

TEST_F(PackageSourcesTest, AnIncidentGivesTheObjectsItCitesInItsFolderOnce) {
  const auto in = incident(
      {{baton_a_, "supports"}, {baton_b_, "contradicts"}, {nudity_, "supports"}});  // t1 again
  auto got = sources()->incident(*incidents_, in.id);
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_EQ(ids_of(*got), (std::vector<std::string>{t1_, t3_}));
  const std::string folder = incident_folder(in.id);
  EXPECT_EQ(folder.substr(0, 4), "INC-");
  EXPECT_EQ(got->items[0].folder, folder);
  EXPECT_EQ(got->items[1].folder, folder);
  EXPECT_EQ(got->items[0].description, "Transcript of interview 1 of W-00102 (2021-03-02)");
  EXPECT_EQ(got->items[1].description,
            "Transcript of interview 1 of W-00103 (2021-04-01) (cited as contradicting the "
            "incident)");
  EXPECT_EQ(got->withheld, 0);

  // Another organisation's reader does not learn it exists; nor does anyone of an unknown id.
  EXPECT_EQ(sources(kAll, "org-b")->incident(*incidents_, in.id).status().code(), Code::kNotFound);
  EXPECT_EQ(sources()->incident(*incidents_, "in-00000000000000000000000000000000").status().code(),
            Code::kNotFound);

  // A witness erased since: their material is counted as erased, the rest still comes.
  ASSERT_TRUE(witnesses_->erase("W-00103", "withdrew").is_ok());
  auto after = sources()->incident(*incidents_, in.id);
  ASSERT_TRUE(after.is_ok()) << after.status().to_string();
  EXPECT_EQ(ids_of(*after), std::vector<std::string>{t1_});
  EXPECT_EQ(after->erased, 1);

  // A removed incident offers nothing.
  ASSERT_TRUE(incidents_->remove(in.id, in.version, "analyst-1").is_ok());
  const auto removed = sources()->incident(*incidents_, in.id);
  EXPECT_EQ(removed.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(removed.status().message().find("removed"), std::string::npos);
}

TEST_F(PackageSourcesTest, AWitnessGivesInterviewsByDateThenDocumentsWithoutNames) {
  auto got = sources()->witness("W-00102");
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_EQ(ids_of(*got), (std::vector<std::string>{t1_, recording_, t2_, translation_, medical_}));
  std::vector<std::string> descriptions;
  for (const auto& i : got->items) {
    EXPECT_EQ(i.folder, "W-00102");
    EXPECT_EQ(i.description.find("Зоя"), std::string::npos) << i.description;
    descriptions.push_back(i.description);
  }
  EXPECT_EQ(descriptions, (std::vector<std::string>{
                              "Transcript of interview 1 of W-00102 (2021-03-02)",
                              "Recording of interview 1 of W-00102 (2021-03-02)",
                              "Transcript of interview 2 of W-00102 (2021-05-01)",
                              "Translation (be) of interview 2 of W-00102 (2021-05-01)",
                              "Medical document from W-00102 (2020-08-14)",
                          }));

  // A reader not cleared for health material does not get the medical certificate.
  auto normal = sources({"normal"})->witness("W-00102");
  ASSERT_TRUE(normal.is_ok()) << normal.status().to_string();
  EXPECT_EQ(ids_of(*normal), (std::vector<std::string>{t1_, recording_, t2_, translation_}));
  EXPECT_EQ(normal->withheld, 1);

  EXPECT_EQ(sources()->witness("W-99999").status().code(), Code::kNotFound);
  EXPECT_EQ(sources(kAll, "org-b")->witness("W-00102").status().code(), Code::kNotFound);
  ASSERT_TRUE(witnesses_->erase("W-00103", "withdrew").is_ok());
  EXPECT_EQ(sources()->witness("W-00103").status().code(), Code::kErased);
}

TEST_F(PackageSourcesTest, ASummaryGivesItsNewestApprovedExportOnly) {
  auto store = summaries();
  ASSERT_NE(store, nullptr);
  auto draft = store->draft_from_annotations("W-00102", "analyst-1", {});
  ASSERT_TRUE(draft.is_ok()) << draft.status().to_string();
  const std::string id = draft->id;

  // No export at all, then only a DRAFT-marked export of a draft: refused, saying what to do.
  auto none = sources()->witness_summary(*store, id, false);
  EXPECT_EQ(none.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(none.status().message().find("evhub summary export " + id), std::string::npos)
      << none.status().message();
  coding::ExportOptions watermark;
  watermark.draft_watermark = true;
  ASSERT_TRUE(
      store->export_summary(id, 1, coding::ExportFormat::kPdf, "analyst-1", watermark).is_ok());
  EXPECT_EQ(sources()->witness_summary(*store, id, false).status().code(),
            Code::kFailedPrecondition);

  auto submitted = store->submit(id, 1, "analyst-1");
  ASSERT_TRUE(submitted.is_ok()) << submitted.status().to_string();
  auto approved = store->approve(id, submitted->version, "reviewer-1");
  ASSERT_TRUE(approved.is_ok()) << approved.status().to_string();
  // An approved version exported with DRAFT on its pages is not an approved export either.
  ASSERT_TRUE(
      store->export_summary(id, approved->version, coding::ExportFormat::kPdf, "legal-1", watermark)
          .is_ok());
  EXPECT_EQ(sources()->witness_summary(*store, id, false).status().code(),
            Code::kFailedPrecondition);
  auto docx =
      store->export_summary(id, approved->version, coding::ExportFormat::kDocx, "legal-1", {});
  ASSERT_TRUE(docx.is_ok()) << docx.status().to_string();
  auto pdf =
      store->export_summary(id, approved->version, coding::ExportFormat::kPdf, "legal-1", {});
  ASSERT_TRUE(pdf.is_ok()) << pdf.status().to_string();

  // Reopened and exported as a draft again: the approved version's exports are still the ones.
  auto reopened = store->reopen(id, approved->version, "analyst-1");
  ASSERT_TRUE(reopened.is_ok()) << reopened.status().to_string();
  ASSERT_TRUE(store
                  ->export_summary(id, reopened->version, coding::ExportFormat::kPdf, "analyst-1",
                                   watermark)
                  .is_ok());

  auto got = sources()->witness_summary(*store, id, false);
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_EQ(ids_of(*got), (std::vector<std::string>{pdf->object_id, docx->object_id}));
  const std::string v = std::to_string(approved->version);
  EXPECT_EQ(got->items[0].description, "Witness summary of W-00102 (approved v" + v + ", PDF)");
  EXPECT_EQ(got->items[1].description, "Witness summary of W-00102 (approved v" + v + ", DOCX)");
  EXPECT_EQ(got->items[0].folder, "W-00102");

  // With what it quotes and rests on: the transcripts and the medical document, once each.
  auto cited = sources()->witness_summary(*store, id, true);
  ASSERT_TRUE(cited.is_ok()) << cited.status().to_string();
  auto ids = ids_of(*cited);
  ASSERT_GE(ids.size(), 4U);
  EXPECT_EQ(ids[0], pdf->object_id);
  EXPECT_NE(std::find(ids.begin(), ids.end(), t1_), ids.end());
  EXPECT_NE(std::find(ids.begin(), ids.end(), medical_), ids.end());
  auto sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end());
  // Not cleared for health (nor sexual violence, which the summary quotes): left out.
  auto normal = sources({"normal"})->witness_summary(*store, id, true);
  ASSERT_TRUE(normal.is_ok()) << normal.status().to_string();
  const auto n = ids_of(*normal);
  EXPECT_EQ(std::find(n.begin(), n.end(), medical_), n.end());
  EXPECT_EQ(std::find(n.begin(), n.end(), pdf->object_id), n.end());
  EXPECT_NE(std::find(n.begin(), n.end(), t2_), n.end());
  EXPECT_GE(normal->withheld, 3);  // the PDF, the DOCX, the medical certificate

  EXPECT_EQ(sources()->witness_summary(*store, "ws-nothing", false).status().code(),
            Code::kNotFound);
  EXPECT_EQ(sources(kAll, "org-b")->witness_summary(*store, id, false).status().code(),
            Code::kNotFound);
}

TEST_F(PackageSourcesTest, CodedPassagesGiveTheirObjectsNarrowedByFacets) {
  CodedPassageQuery q;
  q.code = "physical";
  auto got = sources()->coded_passages(*annotations_, framework_, q);
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  // By witness: W-00102's transcript, then W-00103's; never org-b's.
  EXPECT_EQ(ids_of(*got), (std::vector<std::string>{t1_, t3_}));
  EXPECT_EQ(got->items[0].folder, "W-00102");
  EXPECT_EQ(got->items[1].folder, "W-00103");

  q.narrower_codes = false;  // nothing is coded with the category itself
  EXPECT_TRUE(sources()->coded_passages(*annotations_, framework_, q)->items.empty());
  q.narrower_codes = true;
  q.facility = "Okrestina";
  EXPECT_EQ(ids_of(*sources()->coded_passages(*annotations_, framework_, q)),
            std::vector<std::string>{t3_});
  q.facility.clear();
  q.from = "2020-08";
  q.to = "2020-08-31";
  EXPECT_EQ(ids_of(*sources()->coded_passages(*annotations_, framework_, q)),
            std::vector<std::string>{t1_});  // t3's passage is dated 2020-09
  q.from = "2020-09";
  q.to.clear();
  EXPECT_EQ(ids_of(*sources()->coded_passages(*annotations_, framework_, q)),
            std::vector<std::string>{t3_});

  // Org-b's reader gets org-b's passage only.
  q.from.clear();
  EXPECT_EQ(ids_of(*sources(kAll, "org-b")->coded_passages(*annotations_, framework_, q)),
            std::vector<std::string>{other_});

  // A passage coded sexual violence is withheld from a reader not cleared for it.
  CodedPassageQuery sgbv;
  sgbv.code = "sgbv";
  EXPECT_EQ(ids_of(*sources()->coded_passages(*annotations_, framework_, sgbv)),
            std::vector<std::string>{t1_});
  auto normal = sources({"normal", "health"})->coded_passages(*annotations_, framework_, sgbv);
  ASSERT_TRUE(normal.is_ok()) << normal.status().to_string();
  EXPECT_TRUE(normal->items.empty());
  EXPECT_EQ(normal->withheld, 1);

  CodedPassageQuery unknown;
  unknown.code = "physical.no-such-code";
  EXPECT_EQ(sources()->coded_passages(*annotations_, framework_, unknown).status().code(),
            Code::kNotFound);
  q.from = "August 2020";
  EXPECT_EQ(sources()->coded_passages(*annotations_, framework_, q).status().code(),
            Code::kInvalidArgument);
}

TEST_F(PackageSourcesTest, ASearchAndASavedSearchGiveTheObjectsTheirHitsAreTextsOf) {
  update_index();
  auto index = reader();
  ASSERT_NE(index, nullptr);
  const std::vector<search::Scope> org_a = {{"org-a", kAll, true}};
  // A hit on the transcript gives the transcript, described from the register.
  auto got = sources()->search(*index, "воды", org_a);
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_EQ(ids_of(*got), std::vector<std::string>{t2_});
  EXPECT_EQ(got->items[0].folder, "W-00102");
  EXPECT_EQ(got->items[0].description, "Transcript of interview 2 of W-00102 (2021-05-01)");

  // A word only its Belarusian translation has: the hit is the translation's text, and the
  // item is the transcript it was translated from (the material itself).
  auto translated = sources()->search(*index, "трымалі", org_a);
  ASSERT_TRUE(translated.is_ok()) << translated.status().to_string();
  EXPECT_EQ(ids_of(*translated), std::vector<std::string>{t2_});

  // "ногам" is in org-a's and org-b's transcripts: org-a's reader gets org-a's only.
  auto baton = sources()->search(*index, "ногам", org_a);
  ASSERT_TRUE(baton.is_ok()) << baton.status().to_string();
  EXPECT_EQ(ids_of(*baton), std::vector<std::string>{t3_});
  // Even when the index scopes given are wider than the reader's: the reads bound them.
  auto wider = sources()->search(*index, "ногам", {{"org-a", kAll, true}, {"org-b", kAll, true}});
  ASSERT_TRUE(wider.is_ok()) << wider.status().to_string();
  EXPECT_EQ(ids_of(*wider), std::vector<std::string>{t3_});
  EXPECT_EQ(wider->withheld, 1);

  // Coded passages are found by code; the object is the coded transcript.
  auto coded = sources()->search(*index, "code:sgbv", org_a);
  ASSERT_TRUE(coded.is_ok()) << coded.status().to_string();
  EXPECT_EQ(ids_of(*coded), std::vector<std::string>{t1_});

  // The medical certificate is health material.
  EXPECT_EQ(ids_of(*sources()->search(*index, "certificate", org_a)),
            std::vector<std::string>{medical_});
  EXPECT_TRUE(sources({"normal"})
                  ->search(*index, "certificate", {{"org-a", {"normal"}, true}})
                  ->items.empty());

  EXPECT_EQ(sources()->search(*index, "(unclosed", org_a).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(sources()->search(*index, "", org_a).status().code(), Code::kInvalidArgument);

  auto saved = search::SavedSearches::open(tmp_ / "saved.db", crypto::SecretKey::random());
  ASSERT_TRUE(saved.is_ok()) << saved.status().to_string();
  auto s = (*saved)->add("user-1", "water", "воды", 0, 0);
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  auto from_saved = sources()->saved_search(*index, **saved, "user-1", s->id, org_a);
  ASSERT_TRUE(from_saved.is_ok()) << from_saved.status().to_string();
  EXPECT_EQ(ids_of(*from_saved), std::vector<std::string>{t2_});
  EXPECT_EQ(sources()->saved_search(*index, **saved, "user-2", s->id, org_a).status().code(),
            Code::kNotFound);
}

}  // namespace
}  // namespace evhub::disclosure

namespace evhub::disclosure {
namespace {

TEST(SourceSpec, KindColonValue) {
  auto incident = parse_source("incident:in-0123");
  ASSERT_TRUE(incident.is_ok());
  EXPECT_EQ(incident->kind, "incident");
  EXPECT_EQ(incident->value, "in-0123");
  auto refs = parse_source("summary+refs:ws-1");
  ASSERT_TRUE(refs.is_ok());
  EXPECT_EQ(refs->kind, "summary");
  EXPECT_TRUE(refs->with_references);
  auto search = parse_source("search:code:physical AND Акрэсціна");
  ASSERT_TRUE(search.is_ok());
  EXPECT_EQ(search->value, "code:physical AND Акрэсціна") << "only the first colon separates";
  for (const char* bad : {"incident", "incident:", "folder:x", ":x", ""}) {
    auto refused = parse_source(bad);
    ASSERT_FALSE(refused.is_ok()) << bad;
    EXPECT_EQ(refused.status().code(), Code::kInvalidArgument);
    EXPECT_NE(refused.status().message().find("KIND:VALUE"), std::string::npos);
  }
}

TEST_F(PackageSourcesTest, ASourceIsExpandedWithTheStoresAtHand) {
  SourceStores none;
  auto witness = expand_source(*sources(), *parse_source("witness:W-00102"), none);
  ASSERT_TRUE(witness.is_ok()) << witness.status().to_string();
  EXPECT_EQ(ids_of(*witness),
            (std::vector<std::string>{t1_, recording_, t2_, translation_, medical_}));
  for (const char* needs :
       {"incident:in-1", "summary:ws-1", "code:physical", "search:x", "saved-search:1"}) {
    auto refused = expand_source(*sources(), *parse_source(needs), none);
    ASSERT_FALSE(refused.is_ok()) << needs;
    EXPECT_NE(refused.status().message().find("cannot be used here"), std::string::npos);
  }
}

}  // namespace
}  // namespace evhub::disclosure

namespace evhub::disclosure {
namespace {

// The index's dates and language: the coded dates when there are, else the register's.
TEST_F(PackageSourcesTest, AnItemsDatesAndLanguageComeFromItsCodingsAndTheRegister) {
  ItemFactsReader reader(*hub_, *witnesses_, annotations_.get());
  auto item_facts = [&](hub::Hub&, collection::Collection&, coding::AnnotationStore*,
                        const std::string& object,
                        const std::string& witness) { return reader.facts(object, witness); };
  auto medical = item_facts(*hub_, *witnesses_, annotations_.get(), medical_, "W-00102");
  ASSERT_TRUE(medical.is_ok()) << medical.status().to_string();
  EXPECT_EQ(medical->dates, "2020-08-14") << "the document's own date";

  auto recording = item_facts(*hub_, *witnesses_, annotations_.get(), recording_, "W-00102");
  ASSERT_TRUE(recording.is_ok());
  EXPECT_EQ(recording->dates, "2021-03-02") << "nothing coded on it: the interview's date";

  // The transcript is coded 2020-08-11 (above); a second coding widens the range.
  code(t1_, kTranscript1, "нас білі дубінкамі", "physical.baton-blows", "Akrestsina", "2020-08-13");
  auto coded = item_facts(*hub_, *witnesses_, annotations_.get(), t1_, "W-00102");
  ASSERT_TRUE(coded.is_ok());
  EXPECT_EQ(coded->dates, "2020-08-11 – 2020-08-13") << "the range of the coded incidents";

  auto translated = item_facts(*hub_, *witnesses_, annotations_.get(), translation_, "W-00102");
  ASSERT_TRUE(translated.is_ok());
  EXPECT_EQ(translated->language, "be") << "the translation's provenance says it";

  auto unknown = item_facts(*hub_, *witnesses_, nullptr, std::string(32, '0'), "");
  EXPECT_EQ(unknown.status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace evhub::disclosure
