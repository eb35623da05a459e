// Witness summaries on a real hub: a first draft that quotes exactly the annotated passages of a
// Belarusian transcript, the quality-control workflow (no self-review, no edits in review or
// after approval, no stale versions, every version kept and diffed, reopen), summaries.db
// rebuilt from the log, PDF and DOCX exports read back with poppler and libzip + pugixml and
// found in the catalog with their provenance, and erasure with the witness.
#include "coding/summary.h"

#include "coding/summary_internal.h"

#include <gtest/gtest.h>
#include <poppler-document.h>
#include <poppler-page.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "collection/collection.h"
#include "extract/extract.h"
#include "support/support.h"
#include "support/test_hub.h"

namespace evhub::coding {
namespace {

// Fictional testimony; "ў", "і" and "ё" are two bytes each: offsets are code points.
const char* const kTranscript =
    "Мяне затрымалі ў Мінску 10 жніўня 2020 года. Маёр загадаў біць нас дубінкамі. Потым нас "
    "трымалі ў камеры без вады.";
const char* const kArrest = "Мяне затрымалі ў Мінску 10 жніўня 2020 года.";
const char* const kBeating = "Маёр загадаў біць нас дубінкамі.";
const char* const kCell = "Потым нас трымалі ў камеры без вады.";
const char* const kFictionalName = "Zyrfa Qwintelle";  // personal details: never in a summary

std::int64_t code_points(const std::string& text, std::size_t bytes) {
  std::int64_t n = 0;
  for (std::size_t i = 0; i < bytes; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::pair<std::int64_t, std::int64_t> span_of(const std::string& part) {
  const std::string text = kTranscript;
  const std::size_t at = text.find(part);
  if (at == std::string::npos) {
    ADD_FAILURE() << part << " is not in the transcript";
    return {0, 0};
  }
  return {code_points(text, at), code_points(text, at + part.size())};
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The text of each page of a PDF, read with poppler.
std::vector<std::string> pdf_pages(const std::string& bytes) {
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  std::vector<std::string> pages;
  if (!doc) {
    ADD_FAILURE() << "poppler cannot read the PDF";
    return pages;
  }
  for (int i = 0; i < doc->pages(); ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    const auto utf8 = page->text().to_utf8();
    pages.emplace_back(utf8.begin(), utf8.end());
  }
  return pages;
}

// A member of a ZIP archive held in memory, or nullopt.
std::optional<std::string> zip_member(const std::string& bytes, const char* name) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* archive =
      source ? zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error) : nullptr;
  zip_error_fini(&error);
  if (archive == nullptr) {
    if (source) zip_source_free(source);
    ADD_FAILURE() << "not a valid ZIP archive";
    return std::nullopt;
  }
  std::optional<std::string> out;
  if (zip_file_t* f = zip_fopen(archive, name, 0)) {
    std::string data;
    char buffer[4096];
    for (zip_int64_t n; (n = zip_fread(f, buffer, sizeof buffer)) > 0;) {
      data.append(buffer, static_cast<std::size_t>(n));
    }
    zip_fclose(f);
    out = data;
  }
  zip_discard(archive);
  return out;
}

class SummaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = testing::new_test_hub(tmp_ / "hub");
    collection_ = std::move(collection::Collection::open(*hub_)).value();
    collection::WitnessProfile profile;
    profile.gender = "female";
    profile.age_band = "30-44";
    profile.country = "LT";
    profile.languages = {"be", "ru"};
    collection::PersonalDetails personal;
    personal.name = kFictionalName;
    ASSERT_TRUE(collection_->register_witness("W-00800", "org-a", profile, personal).is_ok());
    collection::Consent consent;
    consent.given_on = "2024-01-15";
    consent.taken_by = "intake-officer-1";
    consent.scopes = {"internal-analysis", "share-un", "share-national-prosecutor"};
    consent.renew_by = "2099-01-01";
    ASSERT_TRUE(collection_->add_consent("W-00800", consent).is_ok());

    auto t = hub_->put_data("t.txt", kTranscript, "W-00800", hub::Intake::evidence("org-a"));
    ASSERT_TRUE(t.is_ok());
    transcript_ = t->id;
    transcript_sha_ = t->sha256;
    collection::Interview iv;
    iv.code = "W-00800";
    iv.on = "2021-03-02";
    iv.place = "Vilnius";
    iv.interviewer = "intake-officer-1";
    iv.languages = {"be"};
    iv.transcript = transcript_;
    iv.status = "transcribed";
    ASSERT_TRUE(collection_->record_interview(iv).is_ok());
    auto m = hub_->put_data("m.txt", "Medical certificate: bruises on the back and legs.",
                            "W-00800", hub::Intake::evidence("org-a", "health"));
    ASSERT_TRUE(m.is_ok());
    medical_ = m->id;
    collection::WitnessDocument doc;
    doc.object_id = medical_;
    doc.code = "W-00800";
    doc.kind = "medical";
    doc.date = "2020-08-14";
    doc.language = "ru";
    ASSERT_TRUE(collection_->add_document(doc).is_ok());

    // Another witness, whose material a summary of W-00800 may not cite.
    ASSERT_TRUE(collection_->register_witness("W-00801", "org-a", {}, std::nullopt).is_ok());
    auto other = hub_->put_data("o.txt", "Іншы тэкст.", "W-00801", hub::Intake::evidence("org-a"));
    ASSERT_TRUE(other.is_ok());
    other_witness_object_ = other->id;

    annotations_ = std::move(AnnotationStore::open(*hub_)).value();
    arrest_ = annotate(kArrest, {"due-process.arbitrary-detention"},
                       [](Annotation& a) { a.facets.place = "Minsk"; });
    beating_ = annotate(kBeating, {"physical.baton-blows", "psychological.verbal-abuse"},
                        [](Annotation& a) {
                          a.facets.facility = "Akrestsina isolation centre";
                          a.facets.persons = {"маёр Тэставіч"};
                          a.facets.units = {"АМАП"};
                          a.facets.perpetrators = "men in black uniforms without insignia";
                        });
    cell_ = annotate(kCell, {"detention-conditions.food-water"}, [](Annotation& a) {
      a.facets.facility = "Akrestsina isolation centre";
      a.facets.victims = "the witness and two other detainees";
    });
    auto framework = default_framework();
    ASSERT_TRUE(framework.is_ok()) << framework.status().to_string();
    framework_ = *framework;
    open_store();
  }

  void open_store() {
    auto store = SummaryStore::open(*hub_, *collection_, *annotations_, framework_);
    ASSERT_TRUE(store.is_ok()) << store.status().to_string();
    store_ = std::move(*store);
  }

  template <typename Fn>
  std::string annotate(const std::string& part, std::vector<std::string> codes, Fn&& facets) {
    Annotation a;
    a.target.object_id = transcript_;
    std::tie(a.target.begin, a.target.end) = span_of(part);
    for (const auto& c : codes) a.codes.push_back({c, 1});
    a.facets.date.from = "2020-08-10";
    a.coder = "coder-1";
    facets(a);
    auto added = annotations_->add(a);
    EXPECT_TRUE(added.is_ok()) << added.status().to_string();
    return added.is_ok() ? added->id : "";
  }

  WitnessSummary draft(const std::vector<IncidentGroup>& groups = {}) {
    auto d = store_->draft_from_annotations("W-00800", "user-a", groups);
    EXPECT_TRUE(d.is_ok()) << d.status().to_string();
    return d.is_ok() ? *d : WitnessSummary{};
  }

  // Drafted by user-a, edited by user-b, approved by user-c.
  WitnessSummary approved(const std::string& extra_text = "") {
    WitnessSummary s = draft();
    s.perpetrators.text += "\nChecked against the transcript." + extra_text;
    auto edited = store_->update(s, "user-b");
    EXPECT_TRUE(edited.is_ok()) << edited.status().to_string();
    auto submitted = store_->submit(edited->id, edited->version, "user-a");
    EXPECT_TRUE(submitted.is_ok()) << submitted.status().to_string();
    auto done = store_->approve(submitted->id, submitted->version, "user-c");
    EXPECT_TRUE(done.is_ok()) << done.status().to_string();
    return done.is_ok() ? *done : WitnessSummary{};
  }

  Result<std::string> read_object(const std::string& id) {
    EVHUB_ASSIGN_OR_RETURN(auto reader, hub_->open_object(id));
    return reader->read_prefix(reader->size());
  }

  testing::TempDir tmp_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<collection::Collection> collection_;
  std::unique_ptr<AnnotationStore> annotations_;
  std::unique_ptr<SummaryStore> store_;
  Framework framework_;
  std::string transcript_;
  std::string transcript_sha_;
  std::string medical_;
  std::string other_witness_object_;
  std::string arrest_;
  std::string beating_;
  std::string cell_;
};

const SummaryReference* find_reference(const SummaryText& t, const std::string& annotation_id) {
  for (const auto& r : t.references) {
    if (r.annotation_id == annotation_id) return &r;
  }
  return nullptr;
}

TEST_F(SummaryTest, TheDraftQuotesExactlyTheAnnotatedPassages) {
  const WitnessSummary s = draft();
  EXPECT_EQ(s.id.rfind("ws-", 0), 0U);
  EXPECT_EQ(s.id.size(), 35U);
  EXPECT_EQ(s.version, 1);
  EXPECT_EQ(s.status, SummaryStatus::kDraft);
  EXPECT_EQ(s.author, "user-a");
  EXPECT_EQ(s.editors, (std::vector<std::string>{"user-a"}));
  EXPECT_EQ(s.witness_code, "W-00800");
  EXPECT_EQ(s.domain, "W-00800");
  EXPECT_EQ(s.organisation_id, "org-a");
  EXPECT_EQ(s.profile.gender, "female");
  EXPECT_EQ(s.profile.age_band, "30-44");
  EXPECT_EQ(s.profile.country, "LT");
  EXPECT_EQ(s.consent.state, "valid");
  EXPECT_EQ(s.consent.version, 1);
  EXPECT_EQ(s.consent.scopes.size(), 3U);
  EXPECT_EQ(s.consent.renew_by, "2099-01-01");
  // The medical certificate is health material: so is a summary that lists it.
  EXPECT_EQ(s.sensitivity, "health");

  // Grouped by top-level category, in the framework's order.
  ASSERT_EQ(s.incidents.size(), 3U);
  EXPECT_EQ(s.incidents[0].title, "Physical ill-treatment");
  EXPECT_EQ(s.incidents[1].title, "Inhumane detention conditions");
  EXPECT_EQ(s.incidents[2].title, "Due-process violations");
  EXPECT_EQ(s.incidents[0].date, "2020-08-10");
  const std::vector<std::tuple<int, std::string, std::string>> expected = {
      {0, beating_, kBeating}, {1, cell_, kCell}, {2, arrest_, kArrest}};
  for (const auto& [incident, annotation, part] : expected) {
    const SummaryText& suffered = s.incidents[static_cast<std::size_t>(incident)].suffered;
    const SummaryReference* r = find_reference(suffered, annotation);
    ASSERT_NE(r, nullptr) << part;
    EXPECT_EQ(r->passage, part);
    EXPECT_EQ(r->object_id, transcript_);
    EXPECT_EQ(r->object_sha256, transcript_sha_);
    EXPECT_EQ(std::make_pair(r->begin, r->end), span_of(part));
    EXPECT_TRUE(contains(suffered.text, std::string("[1] “") + part + "”")) << suffered.text;
  }
  EXPECT_TRUE(contains(s.incidents[0].suffered.text,
                       "Baton blows, Verbal abuse; 2020-08-10; "
                       "Akrestsina isolation centre"))
      << s.incidents[0].suffered.text;
  EXPECT_TRUE(contains(s.incidents[1].saw.text,
                       "Others affected, as coded: the witness and two other detainees [1]"))
      << s.incidents[1].saw.text;
  EXPECT_TRUE(contains(s.incidents[2].saw.text, "Where: Minsk"));

  EXPECT_TRUE(contains(s.perpetrators.text, "- маёр Тэставіч [1]")) << s.perpetrators.text;
  EXPECT_TRUE(contains(s.perpetrators.text, "- АМАП [1]"));
  EXPECT_TRUE(contains(s.perpetrators.text, "men in black uniforms without insignia [1]"));
  ASSERT_EQ(s.perpetrators.references.size(), 1U);
  EXPECT_EQ(s.perpetrators.references[0].passage, kBeating);

  ASSERT_EQ(s.injuries.references.size(), 1U);
  EXPECT_EQ(s.injuries.references[0].passage, kBeating);
  EXPECT_TRUE(contains(s.injuries.text,
                       "Medical documents: Medical document of 2020-08-14 (ru) "
                       "[D1]"))
      << s.injuries.text;

  ASSERT_EQ(s.documents.size(), 2U);
  EXPECT_EQ(s.documents[0].object_id, medical_);
  EXPECT_EQ(s.documents[1].object_id, transcript_);
  EXPECT_EQ(s.documents[1].title, "Transcript of the interview of 2021-03-02");
  EXPECT_EQ(s.documents[1].object_sha256, transcript_sha_);

  // Pseudonymous: the witness's name is nowhere, in the summary or its record.
  RenderOptions all;
  all.include_comments = true;
  EXPECT_FALSE(contains(render_summary_text(s, all), kFictionalName));
  EXPECT_TRUE(contains(render_summary_text(s, all), kBeating));
}

TEST_F(SummaryTest, TheCallersIncidentGroupsComeFirst) {
  IncidentGroup g;
  g.incident_id = "in-0001";
  g.title = "Arrest and beating in Minsk";
  g.date = "10 August 2020";
  g.annotation_ids = {arrest_, beating_};
  const WitnessSummary s = draft({g});
  ASSERT_EQ(s.incidents.size(), 2U);
  EXPECT_EQ(s.incidents[0].incident_id, "in-0001");
  EXPECT_EQ(s.incidents[0].title, "Arrest and beating in Minsk");
  EXPECT_EQ(s.incidents[0].date, "10 August 2020");
  ASSERT_EQ(s.incidents[0].suffered.references.size(), 2U);
  EXPECT_EQ(s.incidents[0].suffered.references[0].passage, kArrest);  // in text order
  EXPECT_EQ(s.incidents[0].suffered.references[1].passage, kBeating);
  EXPECT_EQ(s.incidents[1].title, "Inhumane detention conditions");

  IncidentGroup unknown = g;
  unknown.annotation_ids = {"an-nothing"};
  auto refused = store_->draft_from_annotations("W-00800", "user-a", {unknown});
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(contains(refused.status().message(), "an-nothing"));
  IncidentGroup untitled = g;
  untitled.title.clear();
  EXPECT_EQ(store_->draft_from_annotations("W-00800", "user-a", {untitled}).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(store_->draft_from_annotations("W-09999", "user-a", {}).status().code(),
            Code::kNotFound);
  EXPECT_EQ(store_->draft_from_annotations("W-00800", "", {}).status().code(),
            Code::kInvalidArgument);
  // An annotation of restricted (SGBV) material makes the summary restricted with it.
  annotate(kCell, {"sgbv.forced-nudity"}, [](Annotation&) {});
  auto restricted = store_->draft_from_annotations("W-00800", "user-a", {});
  ASSERT_TRUE(restricted.is_ok());
  EXPECT_EQ(restricted->sensitivity, "sexual-violence");
  bool found = false;
  for (const auto& o : *hub_->list("W-00800")) {
    if (o.record.record == std::string("witness-summary") &&
        o.record.sensitivity == "sexual-violence") {
      found = true;
    }
  }
  EXPECT_TRUE(found) << "the record is stored with the summary's sensitivity";
}

TEST_F(SummaryTest, PassagesOfTextsExtractedFromDocumentsAreQuotedToo) {
  // A text extracted from the medical certificate (a derived object, unknown to the register).
  hub::Intake provenance;
  provenance.tool = "poppler";
  provenance.tool_version = "22.12.0";
  provenance.media_type = "text/plain; charset=utf-8";
  const std::string extracted_text = "Гематомы на спіне і нагах.";
  auto text = hub_->put_derived("text of m", extracted_text, medical_, provenance);
  ASSERT_TRUE(text.is_ok()) << text.status().to_string();
  Annotation a;
  a.target.object_id = text->id;
  a.target.begin = 0;
  a.target.end = 17;  // "Гематомы на спіне"
  a.codes = {{"physical.kicks", 1}};
  a.coder = "coder-1";
  auto added = annotations_->add(a);
  ASSERT_TRUE(added.is_ok()) << added.status().to_string();

  const WitnessSummary s = draft();
  const SummaryReference* r = find_reference(s.injuries, added->id);
  ASSERT_NE(r, nullptr) << s.injuries.text;
  EXPECT_EQ(r->passage, "Гематомы на спіне");
  EXPECT_EQ(r->object_id, text->id);
  EXPECT_EQ(r->object_sha256, text->sha256);
  bool listed = false;
  for (const auto& d : s.documents) {
    if (d.object_id == text->id) {
      listed = true;
      EXPECT_EQ(d.title, "Text of Medical document of 2020-08-14 (ru) (poppler)");
    }
  }
  EXPECT_TRUE(listed);
}

TEST_F(SummaryTest, NobodyReviewsWhatTheyWroteOrEdited) {
  WitnessSummary s = draft();
  s.injuries.text += "\nBruises confirmed by the certificate [D1].";
  auto edited = store_->update(s, "user-b");
  ASSERT_TRUE(edited.is_ok()) << edited.status().to_string();
  EXPECT_EQ(edited->version, 2);
  EXPECT_EQ(edited->editors, (std::vector<std::string>{"user-a", "user-b"}));

  // Not yet in review.
  EXPECT_EQ(store_->approve(edited->id, 2, "user-c").status().code(), Code::kFailedPrecondition);
  auto submitted = store_->submit(edited->id, 2, "user-b");
  ASSERT_TRUE(submitted.is_ok());
  EXPECT_EQ(submitted->status, SummaryStatus::kInReview);

  auto self = store_->approve(s.id, 3, "user-a");
  ASSERT_FALSE(self.is_ok());
  EXPECT_EQ(self.status().code(), Code::kFailedPrecondition);
  EXPECT_TRUE(contains(self.status().message(), "user-a wrote witness summary"))
      << self.status().message();
  auto editor = store_->approve(s.id, 3, "user-b");
  ASSERT_FALSE(editor.is_ok());
  EXPECT_TRUE(contains(editor.status().message(), "user-b edited witness summary"));
  EXPECT_FALSE(store_->request_changes(s.id, 3, "user-a", "", "fix it").is_ok());
  EXPECT_FALSE(store_->request_changes(s.id, 3, "user-b", "", "fix it").is_ok());

  // In review, the text is frozen.
  WitnessSummary late = *submitted;
  late.perpetrators.text = "changed in review";
  auto frozen = store_->update(late, "user-a");
  ASSERT_FALSE(frozen.is_ok());
  EXPECT_EQ(frozen.status().code(), Code::kFailedPrecondition);
  EXPECT_TRUE(contains(frozen.status().message(), "in review"));

  // A reviewer asks for changes; they must say what.
  EXPECT_EQ(store_->request_changes(s.id, 3, "user-c", "", "").status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(store_->request_changes(s.id, 3, "user-c", "incident 9", "x").status().code(),
            Code::kInvalidArgument);
  auto changes = store_->request_changes(s.id, 3, "user-c", "incident 1",
                                         "Quote the order the major gave in full.");
  ASSERT_TRUE(changes.is_ok()) << changes.status().to_string();
  EXPECT_EQ(changes->status, SummaryStatus::kChangesRequested);
  EXPECT_EQ(changes->reviewer, "user-c");
  ASSERT_EQ(changes->comments.size(), 1U);
  EXPECT_EQ(changes->comments[0].section, "incident 1");

  // The author changes it; a stale copy is refused.
  WitnessSummary fix = *changes;
  fix.incidents[0].title = "Beating on arrival at Akrestsina";
  auto fixed = store_->update(fix, "user-a");
  ASSERT_TRUE(fixed.is_ok()) << fixed.status().to_string();
  EXPECT_EQ(fixed->status, SummaryStatus::kChangesRequested);
  auto stale = store_->update(fix, "user-a");
  ASSERT_FALSE(stale.is_ok());
  EXPECT_EQ(stale.status().code(), Code::kFailedPrecondition);
  EXPECT_TRUE(contains(stale.status().message(), "it is at version 5")) << stale.status().message();
  EXPECT_EQ(store_->submit(s.id, 4, "user-a").status().code(), Code::kFailedPrecondition);

  auto again = store_->submit(s.id, 5, "user-a");
  ASSERT_TRUE(again.is_ok());
  auto approved = store_->approve(s.id, 6, "user-c");
  ASSERT_TRUE(approved.is_ok()) << approved.status().to_string();
  EXPECT_EQ(approved->status, SummaryStatus::kApproved);
  EXPECT_EQ(approved->reviewer, "user-c");
  EXPECT_FALSE(approved->approved_at.empty());

  // Approved: no edits, no comments, no second approval.
  WitnessSummary after = *approved;
  after.perpetrators.text = "changed after approval";
  auto refused = store_->update(after, "user-a");
  ASSERT_FALSE(refused.is_ok());
  EXPECT_TRUE(contains(refused.status().message(), "approved summaries are not edited"));
  EXPECT_EQ(store_->comment(s.id, 7, "user-d", "", "late").status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(store_->approve(s.id, 7, "user-d").status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(store_->submit(s.id, 7, "user-a").status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(store_->approve("ws-unknown", 1, "user-d").status().code(), Code::kNotFound);

  // Every version is kept, with who made it and what it did.
  auto history = store_->history(s.id);
  ASSERT_TRUE(history.is_ok());
  ASSERT_EQ(history->size(), 7U);
  std::vector<std::string> changes_made;
  for (const auto& v : *history) changes_made.push_back(v.change + " by " + v.changed_by);
  EXPECT_EQ(changes_made, (std::vector<std::string>{
                              "drafted by user-a", "edited by user-b", "submitted by user-b",
                              "changes-requested by user-c", "edited by user-a",
                              "submitted by user-a", "approved by user-c"}));
  for (int i = 0; i < 7; ++i) EXPECT_EQ((*history)[static_cast<std::size_t>(i)].version, i + 1);
  EXPECT_EQ((*history)[0].incidents[0].title, "Physical ill-treatment");
}

TEST_F(SummaryTest, VersionsAreDiffedAndAnApprovedSummaryIsReopened) {
  const WitnessSummary done = approved();
  ASSERT_EQ(done.version, 4);
  auto diff = store_->diff(done.id, 1, 2);
  ASSERT_TRUE(diff.is_ok()) << diff.status().to_string();
  EXPECT_TRUE(contains(*diff, "--- " + done.id + " version 1 (draft; drafted by user-a"));
  EXPECT_TRUE(contains(*diff, "+++ " + done.id + " version 2 (draft; edited by user-b"));
  EXPECT_TRUE(contains(*diff, "\n+Checked against the transcript.\n")) << *diff;
  EXPECT_TRUE(contains(*diff, "\n+Edited by: user-a, user-b\n")) << *diff;
  EXPECT_TRUE(contains(*diff, "\n-Edited by: user-a\n")) << *diff;
  EXPECT_TRUE(contains(*diff, "@@ -"));
  auto status_only = store_->diff(done.id, 2, 4);
  ASSERT_TRUE(status_only.is_ok());
  EXPECT_TRUE(contains(*status_only, "\n-Status: draft\n+Status: approved\n")) << *status_only;
  EXPECT_FALSE(contains(*status_only, "Checked against"));  // the text did not change
  EXPECT_EQ(store_->diff(done.id, 1, 9).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->diff("ws-unknown", 1, 2).status().code(), Code::kNotFound);
  EXPECT_EQ(line_diff("a\nb\n", "a\nb\n"), "");

  auto reopened = store_->reopen(done.id, 4, "user-d");
  ASSERT_TRUE(reopened.is_ok()) << reopened.status().to_string();
  EXPECT_EQ(reopened->version, 5);
  EXPECT_EQ(reopened->status, SummaryStatus::kDraft);
  EXPECT_TRUE(reopened->reviewer.empty());
  EXPECT_TRUE(reopened->approved_at.empty());
  EXPECT_EQ(store_->reopen(done.id, 5, "user-d").status().code(), Code::kFailedPrecondition);
  auto kept = store_->get_version(done.id, 4);
  ASSERT_TRUE(kept.is_ok() && kept->has_value());
  EXPECT_EQ((*kept)->status, SummaryStatus::kApproved);
  EXPECT_EQ((*kept)->reviewer, "user-c");
  EXPECT_FALSE(store_->get_version(done.id, 6)->has_value());
  // The reopened draft can be edited, and the earlier reviewer may review it again.
  WitnessSummary more = *reopened;
  more.injuries.text += "\nA second certificate is expected.";
  ASSERT_TRUE(store_->update(more, "user-a").is_ok());
  ASSERT_TRUE(store_->submit(done.id, 6, "user-a").is_ok());
  EXPECT_TRUE(store_->approve(done.id, 7, "user-c").is_ok());
  EXPECT_EQ(store_->history(done.id)->size(), 8U);
}

TEST_F(SummaryTest, EditsAreCheckedAgainstTheWitnessMaterial) {
  WitnessSummary s = draft();
  auto refused = [&](WitnessSummary edit, const std::string& message) {
    auto r = store_->update(edit, "user-b");
    EXPECT_FALSE(r.is_ok()) << message;
    if (!r.is_ok()) {
      EXPECT_TRUE(contains(r.status().message(), message)) << r.status().message();
    }
    return r.is_ok() ? Code::kOk : r.status().code();
  };
  WitnessSummary misquoted = s;
  misquoted.incidents[0].suffered.references[0].passage = "Маёр загадаў біць нас.";
  EXPECT_EQ(refused(misquoted, "the passage quoted is not what object"), Code::kInvalidArgument);
  WitnessSummary outside = s;
  outside.incidents[0].suffered.references[0].end = 10'000;
  EXPECT_EQ(refused(outside, "are not within the text"), Code::kInvalidArgument);
  WitnessSummary elsewhere = s;
  elsewhere.injuries.references[0].object_id = other_witness_object_;
  elsewhere.injuries.references[0].annotation_id.clear();
  elsewhere.injuries.references[0].passage.clear();
  EXPECT_EQ(refused(elsewhere, "is not part of W-00800's material"), Code::kInvalidArgument);
  WitnessSummary unknown = s;
  unknown.documents[0].object_id = std::string(32, 'f');
  EXPECT_EQ(refused(unknown, "there is no object"), Code::kNotFound);
  WitnessSummary dangling = s;
  dangling.perpetrators.text += " See also [7].";
  EXPECT_EQ(refused(dangling, "cites [7] but has 1 reference"), Code::kInvalidArgument);
  WitnessSummary wrong_annotation = s;
  wrong_annotation.injuries.references[0].annotation_id = "an-nothing";
  EXPECT_EQ(refused(wrong_annotation, "is not an annotation of object"), Code::kInvalidArgument);
  WitnessSummary untitled = s;
  untitled.incidents[1].title.clear();
  EXPECT_EQ(refused(untitled, "incident 2: the title is empty"), Code::kInvalidArgument);
  WitnessSummary bad_utf8 = s;
  bad_utf8.injuries.text = "\xff\xfe";
  EXPECT_EQ(refused(bad_utf8, "not UTF-8"), Code::kInvalidArgument);
  EXPECT_EQ(store_->get(s.id)->value().version, 1) << "nothing refused was stored";

  // A new reference by span alone gets its passage and hash from the object; a page reference
  // needs a page.
  WitnessSummary added = s;
  SummaryReference cell;
  cell.object_id = transcript_;
  std::tie(cell.begin, cell.end) = span_of("камеры без вады");
  added.perpetrators.references.push_back(cell);
  added.perpetrators.text += "\nThe cell [2].";
  SummaryReference page;
  page.kind = TargetKind::kRegion;
  page.object_id = medical_;
  page.page = 1;
  added.injuries.references.push_back(page);
  added.injuries.text += " Certificate, page 1 [2].";
  auto ok = store_->update(added, "user-b");
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(ok->perpetrators.references[1].passage, "камеры без вады");
  EXPECT_EQ(ok->perpetrators.references[1].object_sha256, transcript_sha_);
  EXPECT_FALSE(ok->injuries.references[1].object_sha256.empty());
  WitnessSummary no_page = *ok;
  no_page.injuries.references[1].page = 0;
  EXPECT_EQ(refused(no_page, "pages are numbered from 1"), Code::kInvalidArgument);
}

TEST_F(SummaryTest, SummariesDbIsAViewRebuiltFromTheLogWithoutText) {
  const WitnessSummary done = approved();
  const WitnessSummary second = draft();
  ASSERT_TRUE(store_->comment(second.id, 1, "user-c", "perpetrators", "Which unit?").is_ok());
  auto listing = [&](const SummaryFilter& f) {
    auto l = store_->list(f);
    EXPECT_TRUE(l.is_ok()) << l.status().to_string();
    std::vector<std::string> ids;
    for (const auto& x : *l) ids.push_back(x.id + " v" + std::to_string(x.version));
    return ids;
  };
  SummaryFilter approved_only;
  approved_only.status = SummaryStatus::kApproved;
  EXPECT_EQ(listing(approved_only), (std::vector<std::string>{done.id + " v4"}));
  SummaryFilter other_org;
  other_org.organisation_ids = {"org-b"};
  EXPECT_TRUE(listing(other_org).empty());
  SummaryFilter by_witness;
  by_witness.witness_code = "W-00800";
  by_witness.organisation_ids = {"org-a"};
  const auto before = listing(by_witness);
  EXPECT_EQ(before.size(), 2U);
  {
    auto l = store_->list(approved_only);
    ASSERT_EQ(l->size(), 1U);
    EXPECT_EQ((*l)[0].author, "user-a");
    EXPECT_EQ((*l)[0].reviewer, "user-c");
    EXPECT_EQ((*l)[0].witness_code, "W-00800");
    EXPECT_EQ((*l)[0].sensitivity, "health");
  }

  store_.reset();
  const std::string db = hub_->layout().summaries();
  {
    std::ifstream in(db, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    EXPECT_TRUE(contains(bytes, done.id));  // the view is real
    EXPECT_FALSE(contains(bytes, "затрымалі"));
    EXPECT_FALSE(contains(bytes, "Which unit?"));
    EXPECT_FALSE(contains(bytes, "Akrestsina"));
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  open_store();
  EXPECT_EQ(listing(by_witness), before);
  auto history = store_->history(done.id);
  ASSERT_TRUE(history.is_ok());
  EXPECT_EQ(history->size(), 4U);
  auto got = store_->get(second.id);
  ASSERT_TRUE(got.is_ok() && got->has_value());
  EXPECT_EQ((*got)->comments.at(0).text, "Which unit?");
}

// Two people save from the same version at the same moment: both records reach the log, the
// one logged first is version 2, the other is no version at all, and a rebuilt view agrees.
TEST_F(SummaryTest, OfTwoSimultaneousChangesTheFirstLoggedWins) {
  const WitnessSummary s = draft();
  auto write = [&](const std::string& title, const std::string& by) {
    WitnessSummary next = s;
    next.version = 2;
    next.incidents[0].title = title;
    next.changed_by = by;
    next.change = "edited";
    hub::Intake intake = hub::Intake::record_of("org-a", "witness-summary");
    intake.sensitivity = s.sensitivity;
    ASSERT_TRUE(hub_->put_data("r", summary_to_json(next).dump(), "W-00800", intake).is_ok());
  };
  write("First logged", "user-b");
  write("Second logged", "user-c");
  auto check = [&] {
    auto history = store_->history(s.id);
    ASSERT_TRUE(history.is_ok());
    ASSERT_EQ(history->size(), 2U);
    EXPECT_EQ((*history)[1].incidents[0].title, "First logged");
    EXPECT_EQ((*history)[1].changed_by, "user-b");
  };
  check();
  store_.reset();
  const std::string db = hub_->layout().summaries();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  open_store();
  check();
  auto next = store_->submit(s.id, 2, "user-a");
  ASSERT_TRUE(next.is_ok()) << next.status().to_string();
  EXPECT_EQ(next->incidents[0].title, "First logged");
  EXPECT_EQ(next->version, 3);
}

TEST_F(SummaryTest, ThePdfExportCarriesTheCodeThePassagesPageNumbersAndReferences) {
  // Long enough for several pages.
  std::string filler;
  for (int i = 0; i < 120; ++i)
    filler += "\nLine " + std::to_string(i) + " of the analyst's notes.";
  const WitnessSummary done = approved(filler);

  auto refused = store_->export_summary(done.id, 1, ExportFormat::kPdf, "user-d", {});
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.status().code(), Code::kFailedPrecondition);
  EXPECT_TRUE(contains(refused.status().message(), "only an approved version is exported"));
  EXPECT_EQ(store_->export_summary(done.id, 9, ExportFormat::kPdf, "user-d", {}).status().code(),
            Code::kNotFound);

  ExportOptions options;
  options.people = {{"user-c", "Reviewer Fictional"}};
  auto exported = store_->export_summary(done.id, 4, ExportFormat::kPdf, "user-d", options);
  ASSERT_TRUE(exported.is_ok()) << exported.status().to_string();
  EXPECT_EQ(exported->media_type, "application/pdf");
  auto bytes = read_object(exported->object_id);
  ASSERT_TRUE(bytes.is_ok());
  EXPECT_EQ(bytes->rfind("%PDF-", 0), 0U);
  const auto pages = pdf_pages(*bytes);
  ASSERT_GE(pages.size(), 2U);
  const std::string n = std::to_string(pages.size());
  std::string all;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    EXPECT_TRUE(contains(pages[i], "Page " + std::to_string(i + 1) + " of " + n)) << pages[i];
    EXPECT_FALSE(contains(pages[i], "DRAFT"));
    all += pages[i] + "\n";
  }
  EXPECT_TRUE(contains(pages[0], "Page 1 of " + n));
  EXPECT_TRUE(contains(all, "W-00800"));
  EXPECT_TRUE(contains(all, kArrest)) << all;  // Belarusian ў and і, exactly
  EXPECT_TRUE(contains(all, "Мінску"));
  EXPECT_TRUE(contains(all, "Object " + transcript_));
  EXPECT_TRUE(contains(all, "SHA-256 " + transcript_sha_));
  const auto [b, e] = span_of(kArrest);
  EXPECT_TRUE(contains(all, "code points [" + std::to_string(b) + ", " + std::to_string(e) + ")"));
  EXPECT_TRUE(contains(all, "Reviewer Fictional (user-c)"));
  EXPECT_TRUE(contains(all, "approved"));
  EXPECT_FALSE(contains(all, kFictionalName));

  // In the catalog: derived from this version's record, by the export tool, with parameters.
  auto described = hub_->describe(exported->object_id);
  ASSERT_TRUE(described.is_ok());
  const catalog::ObjectRecord& o = described->record;
  EXPECT_EQ(o.origin, "derived");
  EXPECT_EQ(o.tool.value_or(""), kSummaryExportTool);
  EXPECT_TRUE(contains(o.tool_version.value_or(""), "pango"));
  EXPECT_EQ(o.media_type, "application/pdf");
  EXPECT_EQ(o.sensitivity, "health");
  EXPECT_EQ(o.sha256, exported->sha256);
  EXPECT_FALSE(o.record.has_value()) << "an export is an object, not a record";
  const auto parameters = nlohmann::json::parse(o.tool_parameters.value_or("{}"));
  EXPECT_EQ(parameters.value("summary", ""), done.id);
  EXPECT_EQ(parameters.value("version", 0), 4);
  EXPECT_EQ(parameters.value("format", ""), "pdf");
  auto source = hub_->describe(o.derived_from.value_or(""));
  ASSERT_TRUE(source.is_ok());
  EXPECT_EQ(source->record.record.value_or(""), "witness-summary");
  auto events = hub_->events(-1, "put", 1);
  ASSERT_TRUE(events.is_ok() && !events->empty());
  EXPECT_EQ((*events)[0].object, exported->object_id) << "the export is logged";
  EXPECT_EQ((*events)[0].details.value("tool", ""), kSummaryExportTool);

  auto listed = store_->exports(done.id);
  ASSERT_TRUE(listed.is_ok());
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_EQ((*listed)[0].object_id, exported->object_id);
  EXPECT_EQ((*listed)[0].version, 4);
  EXPECT_EQ((*listed)[0].format, "pdf");
}

TEST_F(SummaryTest, ADraftIsExportedOnlyWithDraftOnEveryPage) {
  std::string filler;
  for (int i = 0; i < 120; ++i) filler += "\nDraft line " + std::to_string(i) + ".";
  WitnessSummary s = draft();
  s.perpetrators.text += filler;
  auto edited = store_->update(s, "user-a");
  ASSERT_TRUE(edited.is_ok());
  ExportOptions watermark;
  watermark.draft_watermark = true;
  auto exported = store_->export_summary(s.id, 2, ExportFormat::kPdf, "user-a", watermark);
  ASSERT_TRUE(exported.is_ok()) << exported.status().to_string();
  const auto pages = pdf_pages(*read_object(exported->object_id));
  ASSERT_GE(pages.size(), 2U);
  for (const auto& page : pages) EXPECT_TRUE(contains(page, "DRAFT")) << page;
  EXPECT_TRUE(contains(pages[0], "status: draft") || contains(pages[0], "Status: draft"));

  auto docx = store_->export_summary(s.id, 2, ExportFormat::kDocx, "user-a", watermark);
  ASSERT_TRUE(docx.is_ok());
  auto header = zip_member(*read_object(docx->object_id), "word/header1.xml");
  ASSERT_TRUE(header.has_value());
  EXPECT_TRUE(contains(*header, "DRAFT"));
}

TEST_F(SummaryTest, TheDocxExportIsAnOfficeOpenXmlPackageWithTheText) {
  const WitnessSummary done = approved();
  auto exported = store_->export_summary(done.id, 4, ExportFormat::kDocx, "user-d", {});
  ASSERT_TRUE(exported.is_ok()) << exported.status().to_string();
  EXPECT_EQ(exported->media_type,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  auto bytes = read_object(exported->object_id);
  ASSERT_TRUE(bytes.is_ok());
  EXPECT_EQ(bytes->rfind("PK\x03\x04", 0), 0U);

  auto types = zip_member(*bytes, "[Content_Types].xml");
  ASSERT_TRUE(types.has_value());
  EXPECT_TRUE(contains(*types, "wordprocessingml.document.main+xml"));
  for (const char* part : {"_rels/.rels", "word/_rels/document.xml.rels", "word/styles.xml",
                           "word/header1.xml", "word/footer1.xml", "docProps/core.xml"}) {
    auto member = zip_member(*bytes, part);
    ASSERT_TRUE(member.has_value()) << part;
    pugi::xml_document xml;
    EXPECT_TRUE(xml.load_string(member->c_str())) << part << " is not well-formed";
  }
  auto document = zip_member(*bytes, "word/document.xml");
  ASSERT_TRUE(document.has_value());
  pugi::xml_document xml;
  const pugi::xml_parse_result parsed = xml.load_string(document->c_str());
  ASSERT_TRUE(parsed) << parsed.description();
  EXPECT_STREQ(xml.document_element().name(), "w:document");
  std::string text;
  for (const pugi::xpath_node& t : xml.select_nodes("//w:t")) text += t.node().text().get();
  EXPECT_TRUE(contains(text, "W-00800"));
  EXPECT_TRUE(contains(text, kArrest));
  EXPECT_TRUE(contains(text, kBeating));
  EXPECT_TRUE(contains(text, "SHA-256 " + transcript_sha_));
  EXPECT_FALSE(contains(text, "DRAFT"));
  auto footer = zip_member(*bytes, "word/footer1.xml");
  EXPECT_TRUE(contains(*footer, "PAGE") && contains(*footer, "NUMPAGES"));

  // The extraction module reads it as any DOCX.
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes->data());
  auto extracted = extract::extract_text({data, bytes->size()}, {});
  ASSERT_TRUE(extracted.is_ok()) << extracted.status().to_string();
  EXPECT_TRUE(contains(extracted->text, kCell));

  auto described = hub_->describe(exported->object_id);
  ASSERT_TRUE(described.is_ok());
  EXPECT_EQ(described->record.tool.value_or(""), kSummaryExportTool);
  EXPECT_EQ(described->record.origin, "derived");
}

TEST_F(SummaryTest, ErasingTheWitnessErasesTheirSummariesAndExports) {
  const WitnessSummary done = approved();
  auto exported = store_->export_summary(done.id, 4, ExportFormat::kPdf, "user-d", {});
  ASSERT_TRUE(exported.is_ok());
  auto shredded = hub_->shred("W-00800", "the witness withdrew consent");
  ASSERT_TRUE(shredded.is_ok()) << shredded.status().to_string();

  auto got = store_->get(done.id);
  ASSERT_TRUE(got.is_ok());
  EXPECT_FALSE(got->has_value());
  EXPECT_TRUE(store_->history(done.id)->empty());
  EXPECT_TRUE(store_->list({})->empty());
  EXPECT_TRUE(store_->exports(done.id)->empty());
  EXPECT_EQ(read_object(exported->object_id).status().code(), Code::kErased);
  EXPECT_EQ(store_->export_summary(done.id, 4, ExportFormat::kPdf, "user-d", {}).status().code(),
            Code::kNotFound);
  EXPECT_EQ(store_->draft_from_annotations("W-00800", "user-a", {}).status().code(), Code::kErased)
      << "the register learns of the erasure through its own view";

  // Rebuilt from the log, the view still holds nothing of it.
  store_.reset();
  const std::string db = hub_->layout().summaries();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  open_store();
  EXPECT_TRUE(store_->list({})->empty());
}

}  // namespace
}  // namespace evhub::coding
