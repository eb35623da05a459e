// Incidents on a real hub: assembled from real annotations on the transcripts of two witnesses
// (and one of another organisation), versions never silently overwritten, evidence that must
// be current and the organisation's own, the timeline with dates of mixed precision, filters,
// a draft from annotations, a view rebuilt from the log, and a witness erased under an incident.
#include "coding/incidents.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "collection/collection.h"
#include "core/fs.h"
#include "support/support.h"
#include "support/test_hub.h"

namespace evhub::coding {
namespace {

// Fictional testimony about the Akrestsina detention centre, August 2020.
const char* const kTranscriptA =
    "Мяне затрымалі ў Мінску 11 жніўня 2020 года. На Акрэсціна нас білі дубінкамі. Потым нас "
    "трымалі ў камеры без вады.";
const char* const kTranscriptB =
    "Нас привезли на Окрестина ночью. Охранник кричал на нас и бил дубинкой по ногам.";
const char* const kTranscriptOther = "A testimony of another organisation's witness.";

// Code point offsets of `part` in `text`.
std::pair<std::int64_t, std::int64_t> span_of(const std::string& text, const std::string& part) {
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

std::vector<std::string> ids_of(const std::vector<ListedIncident>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.id);
  return out;
}

std::vector<std::string> titles_of(const std::vector<TimelineEntry>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.incident.title);
  return out;
}

class IncidentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = testing::new_test_hub(tmp_ / "hub");
    collection_ = std::move(collection::Collection::open(*hub_)).value();
    ASSERT_TRUE(collection_->register_witness("W-00800", "org-a", {}, std::nullopt).is_ok());
    ASSERT_TRUE(collection_->register_witness("W-00801", "org-a", {}, std::nullopt).is_ok());
    ASSERT_TRUE(collection_->register_witness("W-00900", "org-b", {}, std::nullopt).is_ok());
    transcript_a_ = put("a.txt", kTranscriptA, "W-00800", "org-a");
    transcript_b_ = put("b.txt", kTranscriptB, "W-00801", "org-a");
    transcript_other_ = put("c.txt", kTranscriptOther, "W-00900", "org-b");
    annotations_ = std::move(AnnotationStore::open(*hub_)).value();
    incidents_ = std::move(IncidentStore::open(*hub_, *annotations_)).value();
    auto framework = default_framework();
    ASSERT_TRUE(framework.is_ok()) << framework.status().to_string();
    framework_ = std::move(framework).value();
  }

  std::string put(const std::string& label, const std::string& text, const std::string& witness,
                  const std::string& org) {
    auto t = hub_->put_data(label, text, witness, hub::Intake::evidence(org));
    EXPECT_TRUE(t.is_ok()) << t.status().to_string();
    return t.is_ok() ? t->id : std::string();
  }

  // Codes `part` of a transcript and returns the stored annotation.
  Annotation code(const std::string& object, const std::string& text, const std::string& part,
                  std::vector<CodeRef> codes, IncidentDate date = {"2020-08-11", "", "day"}) {
    Annotation a;
    a.target.object_id = object;
    std::tie(a.target.begin, a.target.end) = span_of(text, part);
    a.codes = std::move(codes);
    a.facets.date = std::move(date);
    a.facets.place = "Minsk";
    a.facets.facility = "Akrestsina detention centre";
    a.facets.victims = "the witness and cellmates";
    a.coder = "analyst-1";
    return store(a);
  }

  Annotation store(const Annotation& a) {
    auto added = annotations_->add(a);
    EXPECT_TRUE(added.is_ok()) << added.status().to_string();
    return added.is_ok() ? *added : a;
  }

  Annotation baton_a() {
    return code(transcript_a_, kTranscriptA, "нас білі дубінкамі", {{"physical.baton-blows", 1}});
  }
  Annotation baton_b() {
    return code(transcript_b_, kTranscriptB, "бил дубинкой по ногам",
                {{"physical.baton-blows", 1}});
  }

  Incident beatings(const std::vector<std::string>& annotation_ids) {
    Incident in;
    in.organisation_id = "org-a";
    in.title = "Beatings at Akrestsina, 11-13 August 2020";
    in.acts = {{"physical.baton-blows", 1}};
    in.date = {"2020-08-11", "2020-08-13", "day"};
    in.place = "Minsk";
    in.facility = "Akrestsina detention centre";
    in.victims = {{"W-00800", "", "baton blows to the back"},
                  {"", "unnamed detainees in cell 4", "beaten on arrival"}};
    in.perpetrators.units = {"special unit 7"};
    in.perpetrators.description = "guards-in-black-uniforms-description";
    in.summary = "summary-that-must-stay-encrypted";
    for (const auto& id : annotation_ids) {
      Evidence e;
      e.annotation_id = id;
      in.evidence.push_back(e);
    }
    in.updated_by = "analyst-1";
    return in;
  }

  // A minimal dated incident for ordering and filters.
  Incident dated(const std::string& title, IncidentDate date, const std::string& act,
                 const std::string& place = "Minsk", const std::string& facility = "") {
    Incident in;
    in.organisation_id = "org-a";
    in.title = title;
    in.acts = {{act, 1}};
    in.date = std::move(date);
    in.place = place;
    in.facility = facility;
    in.updated_by = "analyst-1";
    return in;
  }

  Incident add(Incident in) {
    auto added = incidents_->add(std::move(in), framework_);
    EXPECT_TRUE(added.is_ok()) << added.status().to_string();
    return added.is_ok() ? *added : Incident{};
  }

  testing::TempDir tmp_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<collection::Collection> collection_;
  std::unique_ptr<AnnotationStore> annotations_;
  std::unique_ptr<IncidentStore> incidents_;
  Framework framework_;
  std::string transcript_a_;
  std::string transcript_b_;
  std::string transcript_other_;
};

TEST_F(IncidentsTest, AnIncidentIsStoredReadAndChangedInVersions) {
  const Annotation a = baton_a();
  const Annotation b = baton_b();
  auto added = incidents_->add(beatings({a.id, b.id}), framework_);
  ASSERT_TRUE(added.is_ok()) << added.status().to_string();
  EXPECT_EQ(added->id.rfind("in-", 0), 0U);
  EXPECT_EQ(added->id.size(), 35U);
  EXPECT_EQ(added->version, 1);
  EXPECT_EQ(added->created_by, "analyst-1");
  EXPECT_FALSE(added->updated_at.empty());
  ASSERT_EQ(added->evidence.size(), 2U);
  EXPECT_EQ(added->evidence[0].domain, "W-00800");  // filled in from the annotation
  EXPECT_EQ(added->evidence[1].domain, "W-00801");
  EXPECT_EQ(added->evidence[1].object_id, transcript_b_);

  auto got = incidents_->get(added->id);
  ASSERT_TRUE(got.is_ok() && got->has_value()) << got.status().to_string();
  const Incident& g = **got;
  EXPECT_EQ(g.title, "Beatings at Akrestsina, 11-13 August 2020");
  EXPECT_EQ(g.organisation_id, "org-a");
  EXPECT_EQ(g.date.from, "2020-08-11");
  EXPECT_EQ(g.date.to, "2020-08-13");
  EXPECT_EQ(g.date.precision, "day");
  ASSERT_EQ(g.victims.size(), 2U);
  EXPECT_EQ(g.victims[0].witness, "W-00800");
  EXPECT_EQ(g.victims[1].description, "unnamed detainees in cell 4");
  EXPECT_EQ(g.perpetrators.units, std::vector<std::string>{"special unit 7"});
  EXPECT_EQ(g.summary, "summary-that-must-stay-encrypted");
  ASSERT_EQ(g.evidence.size(), 2U);
  EXPECT_EQ(g.evidence[0].annotation_id, a.id);
  EXPECT_EQ(g.evidence[0].role, "supports");
  EXPECT_FALSE(g.evidence[0].erased);
  EXPECT_EQ(g.acts.size(), 1U);

  Incident changed = g;
  changed.title = "Beatings on arrival at Akrestsina";
  changed.evidence[1].role = "contradicts";
  changed.acts.push_back({"psychological.verbal-abuse", 1});
  changed.updated_by = "analyst-2";
  auto second = incidents_->update(changed, framework_);
  ASSERT_TRUE(second.is_ok()) << second.status().to_string();
  EXPECT_EQ(second->version, 2);
  EXPECT_EQ(second->created_by, "analyst-1");
  EXPECT_EQ(second->updated_by, "analyst-2");

  auto history = incidents_->history(added->id);
  ASSERT_TRUE(history.is_ok());
  ASSERT_EQ(history->size(), 2U);
  EXPECT_EQ(history->at(0).title, "Beatings at Akrestsina, 11-13 August 2020");
  EXPECT_EQ(history->at(0).evidence[1].role, "supports");
  EXPECT_EQ(history->at(1).title, "Beatings on arrival at Akrestsina");
  EXPECT_EQ(history->at(1).evidence[1].role, "contradicts");
  EXPECT_EQ(history->at(1).acts.size(), 2U);

  // Unknown ids.
  EXPECT_FALSE(incidents_->get("in-" + std::string(32, '0'))->has_value());
  Incident unknown = changed;
  unknown.id = "in-" + std::string(32, '0');
  EXPECT_EQ(incidents_->update(unknown, framework_).status().code(), Code::kNotFound);
  EXPECT_TRUE(incidents_->history(unknown.id)->empty());
}

TEST_F(IncidentsTest, AStaleVersionIsRefusedAndARemovedIncidentLeavesTheLists) {
  const Incident first = add(beatings({baton_a().id}));
  Incident mine = first;
  mine.summary = "one analyst's change";
  ASSERT_TRUE(incidents_->update(mine, framework_).is_ok());

  Incident theirs = first;  // still version 1
  theirs.title = "another analyst's change";
  auto refused = incidents_->update(theirs, framework_);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("it is at version 2"), std::string::npos);
  EXPECT_EQ((*incidents_->get(first.id))->summary, "one analyst's change");

  EXPECT_EQ(incidents_->remove(first.id, 1, "analyst-2").status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(incidents_->remove(first.id, 2, "").status().code(), Code::kInvalidArgument);
  auto removed = incidents_->remove(first.id, 2, "analyst-2");
  ASSERT_TRUE(removed.is_ok()) << removed.status().to_string();
  EXPECT_EQ(removed->version, 3);
  EXPECT_TRUE((*incidents_->get(first.id))->removed);
  EXPECT_EQ(incidents_->history(first.id)->size(), 3U);
  EXPECT_TRUE(incidents_->list({"org-a"}, {}, framework_)->empty());
  EXPECT_TRUE(incidents_->timeline({"org-a"}, {}, framework_)->empty());
  IncidentFilter all;
  all.include_removed = true;
  auto with_removed = incidents_->list({"org-a"}, all, framework_);
  ASSERT_TRUE(with_removed.is_ok());
  ASSERT_EQ(with_removed->size(), 1U);
  EXPECT_TRUE(with_removed->at(0).removed);

  Incident late = *removed;
  late.title = "edited after removal";
  EXPECT_EQ(incidents_->update(late, framework_).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(incidents_->remove(first.id, 3, "analyst-2").status().code(),
            Code::kFailedPrecondition);
}

TEST_F(IncidentsTest, EvidenceMustBeACurrentAnnotationOfTheSameOrganisation) {
  const Annotation a = baton_a();

  auto unknown = incidents_->add(beatings({"an-" + std::string(32, 'f')}), framework_);
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_EQ(unknown.status().code(), Code::kNotFound);

  const Annotation other = code(transcript_other_, kTranscriptOther, "another organisation",
                                {{"physical.baton-blows", 1}});
  auto foreign = incidents_->add(beatings({a.id, other.id}), framework_);
  ASSERT_FALSE(foreign.is_ok());
  EXPECT_EQ(foreign.status().code(), Code::kInvalidArgument);
  EXPECT_NE(foreign.status().message().find("own organisation"), std::string::npos);

  const Annotation gone = baton_b();
  ASSERT_TRUE(annotations_->remove(gone.id, 1, "analyst-1").is_ok());
  auto removed = incidents_->add(beatings({a.id, gone.id}), framework_);
  ASSERT_FALSE(removed.is_ok());
  EXPECT_EQ(removed.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(removed.status().message().find("was removed"), std::string::npos);

  auto twice = incidents_->add(beatings({a.id, a.id}), framework_);
  EXPECT_NE(twice.status().message().find("cited twice"), std::string::npos);

  Incident bad_role = beatings({a.id});
  bad_role.evidence[0].role = "proves";
  EXPECT_NE(
      incidents_->add(bad_role, framework_).status().message().find("supports or contradicts"),
      std::string::npos);

  // An organisation's analyst cannot slip another organisation's annotation into an update.
  Incident ok = add(beatings({a.id}));
  ok.evidence.push_back({other.id, "supports", "", "", false});
  EXPECT_EQ(incidents_->update(ok, framework_).status().code(), Code::kInvalidArgument);
  ok.evidence.pop_back();
  ok.organisation_id = "org-b";  // nor move the incident
  EXPECT_EQ(incidents_->update(ok, framework_).status().code(), Code::kInvalidArgument);

  IncidentFilter all;
  all.include_removed = true;
  EXPECT_EQ(incidents_->list({}, all, framework_)->size(), 1U);  // only `ok` was stored
}

TEST_F(IncidentsTest, MalformedIncidentsAreRefusedWithAReason) {
  auto refused = [&](const Incident& in, const std::string& says) {
    auto r = incidents_->add(in, framework_);
    if (r.is_ok()) return ::testing::AssertionFailure() << "stored: " << says;
    if (r.status().code() != Code::kInvalidArgument ||
        r.status().message().find(says) == std::string::npos) {
      return ::testing::AssertionFailure() << r.status().to_string() << " lacks " << says;
    }
    return ::testing::AssertionSuccess();
  };
  const Incident good = dated("Detention", {"2020-08-11", "", "day"}, "physical.baton-blows");

  auto d = good;
  d.date = {"2020-13", "", "month"};
  EXPECT_TRUE(refused(d, "not a date of the calendar"));
  d.date = {"2021-02-29", "", "day"};  // not a leap year
  EXPECT_TRUE(refused(d, "not a date of the calendar"));
  d.date = {"11.08.2020", "", "day"};
  EXPECT_TRUE(refused(d, "not a date of the calendar"));
  d.date = {"2020-08-13", "2020-08-11", "day"};
  EXPECT_TRUE(refused(d, "ends (2020-08-11) before it starts"));
  d.date = {"2020-09", "2020-08", "month"};
  EXPECT_TRUE(refused(d, "before it starts"));
  d.date = {"2020-08", "", "day"};
  EXPECT_TRUE(refused(d, "is written YYYY-MM-DD"));
  d.date = {"2020-08-11", "", "month"};
  EXPECT_TRUE(refused(d, "is written YYYY-MM"));
  d.date = {"2020-08-11", "", "sometime"};
  EXPECT_TRUE(refused(d, "precision must be"));
  d.date = {"", "2020-08-11", "day"};
  EXPECT_TRUE(refused(d, "needs its start"));

  auto nothing = good;
  nothing.title.clear();
  nothing.acts.clear();
  EXPECT_TRUE(refused(nothing, "a title or at least one act"));
  auto unknown_code = good;
  unknown_code.acts = {{"physical.unknown-act", 1}};
  EXPECT_TRUE(refused(unknown_code, "no such code"));
  auto future_revision = good;
  future_revision.acts = {{"physical.baton-blows", 4}};
  EXPECT_TRUE(refused(future_revision, "no revision 4"));
  Framework retired = framework_;
  ASSERT_TRUE(retired.retire("physical.tear-gas").is_ok());
  auto tear_gas = good;
  tear_gas.acts = {{"physical.tear-gas", 1}};
  auto r = incidents_->add(tear_gas, retired);
  EXPECT_NE(r.status().message().find("retired"), std::string::npos);
  auto nobody = good;
  nobody.updated_by.clear();
  EXPECT_TRUE(refused(nobody, "updated_by"));
  auto no_org = good;
  no_org.organisation_id.clear();
  EXPECT_TRUE(refused(no_org, "organisation"));
  auto faceless = good;
  faceless.victims = {{"", "", "beaten"}};
  EXPECT_TRUE(refused(faceless, "victim 1: give a witness code or a description"));
  auto two_lines = good;
  two_lines.title = "first line\nsecond line";
  EXPECT_TRUE(refused(two_lines, "title"));
  auto long_summary = good;
  long_summary.summary.assign(kMaxIncidentSummaryBytes + 1, 'x');
  EXPECT_TRUE(refused(long_summary, "summary"));
  auto bad_utf8 = good;
  bad_utf8.victims = {{"W-00800", "", std::string("\xff\xfe")}};
  EXPECT_TRUE(refused(bad_utf8, "UTF-8"));

  IncidentFilter all;
  all.include_removed = true;
  EXPECT_TRUE(incidents_->list({}, all, framework_)->empty());
  // Well-formed dates of every precision are accepted.
  for (IncidentDate ok : std::vector<IncidentDate>{{"2020-02-29", "", "day"},
                                                   {"2020-08", "2020-09", "month"},
                                                   {"2020", "", "year"},
                                                   {"2020-08", "2020-08-15", "approximate"},
                                                   {"", "", "day"}}) {
    auto in = good;
    in.date = ok;
    EXPECT_TRUE(incidents_->add(in, framework_).is_ok()) << ok.from << " " << ok.precision;
  }
}

TEST_F(IncidentsTest, TheTimelinePutsCoarseDatesAtTheStartOfTheirPeriodAndUndatedLast) {
  add(dated("Zeta, undated", {"", "", "day"}, "physical.punches"));
  add(dated("Beatings 11-13 August", {"2020-08-11", "2020-08-13", "day"}, "physical.baton-blows"));
  add(dated("Some day in August", {"2020-08", "", "month"}, "physical.kicks"));
  add(dated("Alpha, undated", {"", "", "year"}, "physical.punches"));
  add(dated("Arrests around 10 August", {"2020-08-10", "", "approximate"}, "physical.punches"));
  add(dated("During 2020", {"2020", "", "year"}, "physical.punches"));
  add(dated("Vigil on 1 August", {"2020-08-01", "", "day"}, "physical.punches"));
  add(dated("12 August", {"2020-08-12", "", "day"}, "physical.punches"));
  {
    // Another organisation's incident, which org-a's timeline must not show.
    Incident other = dated("Org B incident", {"2020-08-12", "", "day"}, "physical.punches");
    other.organisation_id = "org-b";
    add(other);
  }

  auto timeline = incidents_->timeline({"org-a"}, {}, framework_);
  ASSERT_TRUE(timeline.is_ok()) << timeline.status().to_string();
  EXPECT_EQ(titles_of(*timeline),
            (std::vector<std::string>{"During 2020", "Vigil on 1 August", "Some day in August",
                                      "Arrests around 10 August", "Beatings 11-13 August",
                                      "12 August", "Alpha, undated", "Zeta, undated"}));
  const auto& t = *timeline;
  EXPECT_EQ(t[0].placement, Placement::kStartOfYear);
  EXPECT_EQ(t[0].placed_at, "2020-01-01");
  EXPECT_EQ(t[0].ends_at, "2020-12-31");
  EXPECT_EQ(t[1].placement, Placement::kDay);
  EXPECT_EQ(t[2].placement, Placement::kStartOfMonth);
  EXPECT_EQ(t[2].placed_at, "2020-08-01");
  EXPECT_EQ(t[2].ends_at, "2020-08-31");
  EXPECT_STREQ(placement_name(t[2].placement), "start-of-month");
  EXPECT_EQ(t[3].placement, Placement::kApproximate);
  EXPECT_EQ(t[4].placed_at, "2020-08-11");
  EXPECT_EQ(t[4].ends_at, "2020-08-13");
  EXPECT_EQ(t[6].placement, Placement::kUndated);
  EXPECT_TRUE(t[6].placed_at.empty());

  EXPECT_EQ(incidents_->timeline({}, {}, framework_)->size(), 9U);  // every organisation
  EXPECT_EQ(incidents_->timeline({"org-b"}, {}, framework_)->size(), 1U);
  EXPECT_EQ(incidents_->timeline({"org-a", "org-b"}, {}, framework_)->size(), 9U);
  EXPECT_TRUE(incidents_->timeline({"org-c"}, {}, framework_)->empty());
}

TEST_F(IncidentsTest, ListsFilterByActWithItsDescendantsPlaceFacilityAndOverlappingDates) {
  const auto baton = add(dated("Baton", {"2020-08-11", "2020-08-13", "day"}, "physical.baton-blows",
                               "Minsk", "Akrestsina detention centre"));
  const auto month = add(dated("Threats in August", {"2020-08", "", "month"},
                               "psychological.threats-to-person", "Minsk", "Zhodzina prison"));
  const auto year = add(dated("Conditions in 2021", {"2021", "", "year"},
                              "detention-conditions.food-water", "Zhodzina", "Zhodzina prison"));
  const auto undated =
      add(dated("Undated kicks", {"", "", "day"}, "physical.kicks", "Hrodna", "Akrestsina"));

  auto with = [&](IncidentFilter f) {
    auto r = incidents_->list({"org-a"}, f, framework_);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    auto ids = r.is_ok() ? ids_of(*r) : std::vector<std::string>{};
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  auto sorted = [](std::vector<std::string> ids) {
    std::sort(ids.begin(), ids.end());
    return ids;
  };

  IncidentFilter f;
  EXPECT_EQ(with(f).size(), 4U);
  f.act = "physical";  // a category: every code under it
  EXPECT_EQ(with(f), sorted({baton.id, undated.id}));
  f.act = "physical.baton-blows";
  EXPECT_EQ(with(f), sorted({baton.id}));
  f.act = "sgbv";
  EXPECT_TRUE(with(f).empty());
  f.act = "physical.no-such-code";
  EXPECT_EQ(incidents_->list({"org-a"}, f, framework_).status().code(), Code::kInvalidArgument);

  f = {};
  f.place = "Minsk";
  EXPECT_EQ(with(f), sorted({baton.id, month.id}));
  f.facility = "Zhodzina prison";
  EXPECT_EQ(with(f), sorted({month.id}));

  f = {};
  f.from = "2020-08-12";
  f.to = "2020-08-12";  // inside the 11-13 range and inside August
  EXPECT_EQ(with(f), sorted({baton.id, month.id}));
  f.from = "2020-08-14";
  f.to = "2020-12";
  EXPECT_EQ(with(f), sorted({month.id}));
  f.from = "2020-09";
  f.to = "";  // from September on
  EXPECT_EQ(with(f), sorted({year.id}));
  f.from = "";
  f.to = "2020-08-11";  // up to the first day of the beatings
  EXPECT_EQ(with(f), sorted({baton.id, month.id}));
  f.to = "2020-07";
  EXPECT_TRUE(with(f).empty());
  f.to = "2020-07-32";
  EXPECT_EQ(incidents_->list({"org-a"}, f, framework_).status().code(), Code::kInvalidArgument);

  // Filters apply to the timeline too.
  f = {};
  f.act = "physical";
  auto timeline = incidents_->timeline({"org-a"}, f, framework_);
  ASSERT_TRUE(timeline.is_ok());
  EXPECT_EQ(titles_of(*timeline), (std::vector<std::string>{"Baton", "Undated kicks"}));

  // Lists show the newest change first.
  auto all = incidents_->list({"org-a"}, {}, framework_);
  ASSERT_TRUE(all.is_ok());
  EXPECT_EQ(all->front().id, undated.id);
  EXPECT_TRUE(incidents_->list({"org-b"}, {}, framework_)->empty());
}

TEST_F(IncidentsTest, ADraftFromAnnotationsOfTwoWitnessesGathersWhatTheySay) {
  Annotation a1 = code(transcript_a_, kTranscriptA, "нас білі дубінкамі",
                       {{"physical.baton-blows", 1}}, {"2020-08-11", "", "day"});
  Annotation a2 = [&] {
    Annotation a;
    a.target.object_id = transcript_a_;
    std::tie(a.target.begin, a.target.end) = span_of(kTranscriptA, "ў камеры без вады");
    a.codes = {{"detention-conditions.food-water", 1}};
    a.facets.date = {"2020-08-12", "2020-08-13", "day"};
    a.facets.place = "Minsk";
    a.facets.facility = "Akrestsina detention centre";
    a.facets.persons = {"Officer K. (fictional)"};
    a.coder = "analyst-1";
    return store(a);
  }();
  Annotation b1 = [&] {
    Annotation a;
    a.target.object_id = transcript_b_;
    std::tie(a.target.begin, a.target.end) = span_of(kTranscriptB, "Охранник кричал на нас");
    a.codes = {{"psychological.verbal-abuse", 1}, {"physical.baton-blows", 1}};
    a.facets.date = {"2020-08", "", "month"};  // the witness remembers only the month
    a.facets.place = "Minsk";
    a.facets.facility = "Okrestina";  // spelt another way, once
    a.facets.persons = {"Officer K. (fictional)", "Sergeant M. (fictional)"};
    a.facets.units = {"special unit 7"};
    a.coder = "analyst-2";
    return store(a);
  }();

  auto draft = incidents_->draft_from_annotations({a1.id, b1.id, a2.id});
  ASSERT_TRUE(draft.is_ok()) << draft.status().to_string();
  const Incident& d = *draft;
  EXPECT_TRUE(d.id.empty());  // not stored
  EXPECT_EQ(d.organisation_id, "org-a");
  ASSERT_EQ(d.acts.size(), 3U);
  EXPECT_EQ(d.acts[0].id, "physical.baton-blows");
  EXPECT_EQ(d.acts[1].id, "psychological.verbal-abuse");
  EXPECT_EQ(d.acts[2].id, "detention-conditions.food-water");
  // 11 August (day), August (month), 12-13 August (day): August, to the month.
  EXPECT_EQ(d.date.from, "2020-08");
  EXPECT_EQ(d.date.to, "");
  EXPECT_EQ(d.date.precision, "month");
  EXPECT_EQ(d.place, "Minsk");
  EXPECT_EQ(d.facility, "Akrestsina detention centre");
  EXPECT_EQ(d.perpetrators.persons,
            (std::vector<std::string>{"Officer K. (fictional)", "Sergeant M. (fictional)"}));
  EXPECT_EQ(d.perpetrators.units, std::vector<std::string>{"special unit 7"});
  ASSERT_EQ(d.victims.size(), 2U);
  EXPECT_EQ(d.victims[0].witness, "W-00800");
  EXPECT_EQ(d.victims[1].witness, "W-00801");
  ASSERT_EQ(d.evidence.size(), 3U);
  EXPECT_EQ(d.evidence[1].annotation_id, b1.id);
  EXPECT_EQ(d.evidence[1].role, "supports");

  // Without the month-precision passage the span is the days.
  auto days = incidents_->draft_from_annotations({a1.id, a2.id});
  ASSERT_TRUE(days.is_ok());
  EXPECT_EQ(days->date.from, "2020-08-11");
  EXPECT_EQ(days->date.to, "2020-08-13");
  EXPECT_EQ(days->date.precision, "day");

  // The analyst edits the draft and saves it.
  Incident edited = *draft;
  edited.title = "Beatings and deprivation at Akrestsina, August 2020";
  edited.updated_by = "analyst-1";
  auto saved = incidents_->add(edited, framework_);
  ASSERT_TRUE(saved.is_ok()) << saved.status().to_string();
  EXPECT_EQ((*incidents_->get(saved->id))->evidence.size(), 3U);

  EXPECT_EQ(incidents_->draft_from_annotations({}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(
      incidents_->draft_from_annotations({a1.id, "an-" + std::string(32, '0')}).status().code(),
      Code::kNotFound);
  const Annotation other = code(transcript_other_, kTranscriptOther, "another organisation",
                                {{"physical.baton-blows", 1}});
  EXPECT_EQ(incidents_->draft_from_annotations({a1.id, other.id}).status().code(),
            Code::kInvalidArgument);
  ASSERT_TRUE(annotations_->remove(a2.id, 1, "analyst-1").is_ok());
  EXPECT_EQ(incidents_->draft_from_annotations({a1.id, a2.id}).status().code(),
            Code::kFailedPrecondition);
}

TEST_F(IncidentsTest, OfAnnotationFindsTheIncidentsThatCiteIt) {
  const Annotation a = baton_a();
  const Annotation b = baton_b();
  auto first = beatings({a.id, b.id});
  first.date = {"2020-08-12", "", "day"};
  const Incident both = add(first);
  auto second = beatings({a.id});
  second.title = "Earlier beating";
  second.date = {"2020-08-11", "", "day"};
  const Incident only_a = add(second);
  auto third = beatings({b.id});
  third.title = "Removed one";
  const Incident removed = add(third);
  ASSERT_TRUE(incidents_->remove(removed.id, 1, "analyst-1").is_ok());

  auto citing_a = incidents_->of_annotation(a.id);
  ASSERT_TRUE(citing_a.is_ok());
  EXPECT_EQ(ids_of(*citing_a), (std::vector<std::string>{only_a.id, both.id}));  // by date
  auto citing_b = incidents_->of_annotation(b.id);
  ASSERT_TRUE(citing_b.is_ok());
  EXPECT_EQ(ids_of(*citing_b), std::vector<std::string>{both.id});
  EXPECT_EQ(citing_b->at(0).evidence.size(), 2U);
  EXPECT_TRUE(incidents_->of_annotation("an-unknown")->empty());

  // Dropping a passage from an incident drops the incident from the passage's list.
  Incident dropped = *incidents_->get(both.id).value();
  dropped.evidence.erase(dropped.evidence.begin());
  ASSERT_TRUE(incidents_->update(dropped, framework_).is_ok());
  EXPECT_EQ(ids_of(*incidents_->of_annotation(a.id)), std::vector<std::string>{only_a.id});
}

TEST_F(IncidentsTest, TheViewIsRebuiltFromTheLogAndHoldsNoVictimsOrSummary) {
  const Annotation a = baton_a();
  const Annotation b = baton_b();
  add(beatings({a.id, b.id}));
  add(dated("Some day in August", {"2020-08", "", "month"}, "physical.kicks", "Minsk",
            "Okrestina"));
  Incident changed = add(dated("Undated", {"", "", "day"}, "physical.punches"));
  changed.title = "Undated, retitled";
  ASSERT_TRUE(incidents_->update(changed, framework_).is_ok());

  auto list_before = incidents_->list({"org-a"}, {}, framework_);
  auto timeline_before = incidents_->timeline({"org-a"}, {}, framework_);
  ASSERT_TRUE(list_before.is_ok() && timeline_before.is_ok());
  ASSERT_EQ(list_before->size(), 3U);
  incidents_.reset();
  {
    std::ifstream in(hub_->layout().incidents(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    EXPECT_NE(bytes.find("physical.baton-blows"), std::string::npos);  // the view is real
    EXPECT_EQ(bytes.find("summary-that-must-stay-encrypted"), std::string::npos);
    EXPECT_EQ(bytes.find("unnamed detainees in cell 4"), std::string::npos);
    EXPECT_EQ(bytes.find("guards-in-black-uniforms-description"), std::string::npos);
    EXPECT_EQ(bytes.find("special unit 7"), std::string::npos);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::remove((hub_->layout().incidents() + suffix).c_str());
  }
  incidents_ = std::move(IncidentStore::open(*hub_, *annotations_)).value();

  auto list_after = incidents_->list({"org-a"}, {}, framework_);
  auto timeline_after = incidents_->timeline({"org-a"}, {}, framework_);
  ASSERT_TRUE(list_after.is_ok() && timeline_after.is_ok());
  ASSERT_EQ(list_after->size(), list_before->size());
  for (std::size_t i = 0; i < list_after->size(); ++i) {
    const auto& x = list_before->at(i);
    const auto& y = list_after->at(i);
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.version, y.version);
    EXPECT_EQ(x.title, y.title);
    EXPECT_EQ(x.date.from, y.date.from);
    EXPECT_EQ(x.date.precision, y.date.precision);
    EXPECT_EQ(x.place, y.place);
    EXPECT_EQ(x.facility, y.facility);
    EXPECT_EQ(x.acts.size(), y.acts.size());
    ASSERT_EQ(x.evidence.size(), y.evidence.size());
    for (std::size_t k = 0; k < x.evidence.size(); ++k) {
      EXPECT_EQ(x.evidence[k].annotation_id, y.evidence[k].annotation_id);
    }
  }
  EXPECT_EQ(titles_of(*timeline_after), titles_of(*timeline_before));
  EXPECT_EQ(incidents_->history(changed.id)->size(), 2U);
  EXPECT_EQ(incidents_->of_annotation(b.id)->size(), 1U);
}

TEST_F(IncidentsTest, ErasingAWitnessLeavesTheIncidentWithTheirEvidenceMarkedErased) {
  const Annotation a = baton_a();
  const Annotation b = baton_b();
  const Incident in = add(beatings({a.id, b.id}));

  ASSERT_TRUE(collection_->erase("W-00800", "withdrew consent").is_ok());

  auto got = incidents_->get(in.id);
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  ASSERT_TRUE(got->has_value());
  const Incident& g = **got;
  EXPECT_EQ(g.title, in.title);  // the incident keeps its own text
  EXPECT_EQ(g.summary, "summary-that-must-stay-encrypted");
  ASSERT_EQ(g.evidence.size(), 2U);
  EXPECT_EQ(g.evidence[0].annotation_id, a.id);
  EXPECT_TRUE(g.evidence[0].erased);
  EXPECT_FALSE(g.evidence[1].erased);
  EXPECT_TRUE(incidents_->history(in.id)->at(0).evidence[0].erased);

  auto cited = incidents_->cited(g);
  ASSERT_TRUE(cited.is_ok()) << cited.status().to_string();
  ASSERT_EQ(cited->size(), 2U);
  EXPECT_EQ(cited->at(0).state, EvidenceState::kErased);
  EXPECT_FALSE(cited->at(0).annotation.has_value());
  EXPECT_EQ(cited->at(1).state, EvidenceState::kPresent);
  ASSERT_TRUE(cited->at(1).annotation.has_value());
  EXPECT_EQ(cited->at(1).annotation->passage, "бил дубинкой по ногам");

  auto listed = incidents_->list({"org-a"}, {}, framework_);
  ASSERT_TRUE(listed.is_ok());
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_TRUE(listed->at(0).evidence[0].erased);
  EXPECT_FALSE(listed->at(0).evidence[1].erased);
  EXPECT_EQ(incidents_->of_annotation(a.id)->size(), 1U);

  // The incident can still be edited: the erased passage stays cited until the analyst drops
  // it, but cannot be cited anew.
  Incident changed = g;
  changed.title = "Beatings at Akrestsina (one testimony withdrawn)";
  auto second = incidents_->update(changed, framework_);
  ASSERT_TRUE(second.is_ok()) << second.status().to_string();
  EXPECT_TRUE(second->evidence[0].erased);
  EXPECT_EQ(second->evidence[0].domain, "W-00800");
  EXPECT_EQ(incidents_->add(beatings({a.id}), framework_).status().code(), Code::kNotFound);

  // A removed annotation reads as removed.
  ASSERT_TRUE(annotations_->remove(b.id, 1, "analyst-1").is_ok());
  auto now = incidents_->cited(*second);
  ASSERT_TRUE(now.is_ok());
  EXPECT_EQ(now->at(1).state, EvidenceState::kRemoved);

  // And all of it survives a rebuild of the view.
  incidents_.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::remove((hub_->layout().incidents() + suffix).c_str());
  }
  incidents_ = std::move(IncidentStore::open(*hub_, *annotations_)).value();
  auto rebuilt = incidents_->get(in.id);
  ASSERT_TRUE(rebuilt.is_ok() && rebuilt->has_value());
  EXPECT_EQ((*rebuilt)->version, 2);
  EXPECT_TRUE((*rebuilt)->evidence[0].erased);
  EXPECT_FALSE((*rebuilt)->evidence[1].erased);
}

TEST_F(IncidentsTest, ErasingAnOrganisationsIncidentsDomainErasesItsIncidents) {
  const Incident in = add(beatings({baton_a().id}));
  ASSERT_TRUE(hub_->shred(incidents_domain("org-a"), "test").is_ok());
  auto got = incidents_->get(in.id);
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_FALSE(got->has_value());
  EXPECT_TRUE(incidents_->list({}, {}, framework_)->empty());
  EXPECT_TRUE(incidents_->history(in.id)->empty());
  // A new incident of the organisation cannot go into the shredded domain.
  EXPECT_EQ(incidents_->add(beatings({}), framework_).status().code(), Code::kErased);
}

}  // namespace
}  // namespace evhub::coding
