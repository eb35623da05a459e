// evhub synth on a real hub: the same seed makes the same data; every text says what its ground
// truth says (the facility, place and officials named really are in the stored plaintext, in
// the language given, read back through the extract module for PDFs and with OCR for a scan);
// names come only from the generator's lists; consent varies; everything stored is queued for
// processing; the verb refuses bad arguments with exit code 2 and a message.
#include "collection/synth.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "extract/extract.h"
#include "support/support.h"

namespace evhub::collection {
namespace {

using nlohmann::json;

const char* const kOrg = "org-synth";
const char* const kToday = "2026-03-01";

// One hub, its register and its queue.
struct OpenHub {
  std::unique_ptr<hub::Hub> hub;
  std::unique_ptr<Collection> collection;
  std::unique_ptr<jobs::JobQueue> queue;
};

class SynthTest : public ::testing::Test {
 protected:
  static vault::Credential cred() { return vault::Credential::key_file(Bytes(32, 9)); }
  OpenHub make_hub(const std::string& name) {
    hub::InitOptions init;
    init.kdf = crypto::KdfCost::interactive();
    init.actor = "test";
    EXPECT_TRUE(hub::init_hub(tmp_ / name, cred(), init).is_ok());
    OpenHub h;
    h.hub = std::move(hub::Hub::open(tmp_ / name, cred(), {"synth-test", 5000})).value();
    h.collection = std::move(Collection::open(*h.hub)).value();
    h.queue = std::move(jobs::JobQueue::open(h.hub->layout().jobs())).value();
    return h;
  }
  static SynthOptions options(int witnesses, int interviews, int documents, double scans,
                              std::uint64_t seed = 7) {
    SynthOptions o;
    o.witnesses = witnesses;
    o.interviews_per_witness = interviews;
    o.documents_per_witness = documents;
    o.scans = scans;
    o.seed = seed;
    o.organisation_id = kOrg;
    o.today = kToday;
    return o;
  }
  static std::vector<GroundTruth> run(OpenHub& h, const SynthOptions& o) {
    std::vector<GroundTruth> truths;
    auto report = synthesize(*h.collection, *h.hub, *h.queue, o,
                             [&](const GroundTruth& t) { truths.push_back(t); });
    EXPECT_TRUE(report.is_ok()) << report.status().to_string();
    return truths;
  }
  static std::string read(hub::Hub& hub, const std::string& id) {
    auto reader = hub.open_object(id);
    EXPECT_TRUE(reader.is_ok()) << reader.status().to_string();
    if (!reader.is_ok()) return "";
    std::string s(static_cast<std::size_t>((*reader)->size()), '\0');
    EXPECT_TRUE((*reader)->read(0, {reinterpret_cast<std::uint8_t*>(s.data()), s.size()}).is_ok());
    return s;
  }
  // Words separated by single spaces: PDF lines are wrapped where the text had spaces.
  static std::string words(const std::string& s) {
    std::istringstream in(s);
    std::string out, w;
    while (in >> w) out += (out.empty() ? "" : " ") + w;
    return out;
  }

  testing::TempDir tmp_;
};

bool in_list(const std::vector<NameForms>& list, const std::string& name) {
  return std::any_of(list.begin(), list.end(), [&](const NameForms& n) {
    return name == n.be || name == n.ru || name == n.en;
  });
}

// "Given Surname", each part from the generator's lists.
bool fictional(const std::string& full) {
  const auto space = full.find(' ');
  if (space == std::string::npos) return false;
  const std::string given = full.substr(0, space), surname = full.substr(space + 1);
  return (in_list(synth_male_names(), given) || in_list(synth_female_names(), given)) &&
         in_list(synth_surnames(), surname);
}

TEST_F(SynthTest, TheSameSeedMakesTheSameDataAndAnotherSeedOther) {
  auto a = make_hub("a"), b = make_hub("b"), c = make_hub("c");
  auto ta = run(a, options(3, 1, 3, 0.34));
  auto tb = run(b, options(3, 1, 3, 0.34));
  auto tc = run(c, options(3, 1, 3, 0.34, 8));
  ASSERT_EQ(ta.size(), 12u);
  ASSERT_EQ(ta.size(), tb.size());
  bool a_scan = false;
  for (std::size_t i = 0; i < ta.size(); ++i) {
    json ja = ground_truth_json(ta[i]), jb = ground_truth_json(tb[i]);
    ja.erase("object_id");
    jb.erase("object_id");
    EXPECT_EQ(ja, jb);
    a_scan = a_scan || ta[i].media == "png" || ta[i].media == "tiff";
  }
  EXPECT_TRUE(a_scan) << "a third of the documents should have been scans";
  // The files themselves, PDFs and scans included, are the same byte for byte.
  for (const char* code : {"W-00001", "W-00002", "W-00003"}) {
    std::multiset<std::string> ha, hb;
    for (const auto& o : *a.hub->list(code)) {
      if (!o.record.record) ha.insert(o.record.sha256);
    }
    for (const auto& o : *b.hub->list(code)) {
      if (!o.record.record) hb.insert(o.record.sha256);
    }
    EXPECT_EQ(ha.size(), 4u) << code;
    EXPECT_EQ(ha, hb) << code;
  }
  int same = 0;
  for (std::size_t i = 0; i < ta.size(); ++i) same += ta[i].text == tc[i].text;
  EXPECT_EQ(same, 0) << "another seed tells other stories";
}

TEST_F(SynthTest, EveryTextSaysWhatItsGroundTruthSaysInItsLanguage) {
  auto h = make_hub("hub");
  auto truths = run(h, options(15, 2, 4, 0));
  ASSERT_EQ(truths.size(), 15u * 6);
  std::map<std::string, int> languages, kinds;
  int with_facility = 0, with_place = 0, with_date = 0;
  for (const auto& t : truths) {
    SCOPED_TRACE(t.object_id + " " + t.kind + " " + t.language + ": " + t.text);
    ++languages[t.language];
    ++kinds[t.kind];
    const std::string bytes = read(*h.hub, t.object_id);
    std::string stored;
    if (t.media == "text") {
      EXPECT_EQ(bytes, t.text + "\n");
      stored = bytes;
    } else {
      ASSERT_EQ(t.media, "pdf");
      // Read back as the pipeline reads it: the extract module's text layer, no OCR.
      auto text = extract::extract_text(
          {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, {});
      ASSERT_TRUE(text.is_ok()) << text.status().to_string();
      EXPECT_EQ(text->tool, "poppler");
      EXPECT_EQ(words(text->text), words(t.text));
      stored = text->text;
    }
    const std::string flat = words(stored);
    EXPECT_EQ(extract::detect_language(t.text).language, t.language);
    // What the ground truth names is in the text; what it leaves empty is not said there.
    EXPECT_NE(flat.find(words(t.facility)), std::string::npos) << t.facility;
    EXPECT_NE(flat.find(words(t.place)), std::string::npos) << t.place;
    with_facility += !t.facility_id.empty();
    with_place += !t.place_id.empty();
    with_date += t.date.size() == 10;
    for (const auto& p : t.officials) {
      EXPECT_NE(flat.find(p.name), std::string::npos) << p.name;
      EXPECT_TRUE(fictional(p.name)) << p.name;
      EXPECT_TRUE(fictional(p.id)) << p.id;
      EXPECT_FALSE(p.rank.empty());
    }
    for (const auto& p : t.persons) {
      EXPECT_NE(flat.find(p), std::string::npos) << p;
      EXPECT_TRUE(fictional(p)) << p;
    }
    if (t.kind == "transcript") {
      EXPECT_NE(t.text.find(t.witness), std::string::npos);
      EXPECT_FALSE(t.officials.empty());
      EXPECT_FALSE(t.acts.empty());
    }
  }
  EXPECT_GT(languages["be"], 5);
  EXPECT_GT(languages["ru"], 5);
  EXPECT_GT(languages["en"], 5);
  EXPECT_EQ(kinds["transcript"], 30);
  EXPECT_GT(with_facility, 80);
  EXPECT_GT(with_place, 60);
  EXPECT_GT(with_date, 80);
  for (const char* kind : {"court", "official", "medical", "other"}) EXPECT_GT(kinds[kind], 0);
}

// Each line of a transcript is listed with its span (code points of the text as stored), its
// theme, what it tells in synth's words, the day it tells of and the officials it names: what
// synth's codings (coding/synth_codings.h) are made to fit.
TEST_F(SynthTest, TranscriptLinesAreListedWithWhatTheyTell) {
  auto h = make_hub("hub");
  auto truths = run(h, options(12, 2, 1, 0));
  std::set<std::string> said;
  int transcripts = 0;
  for (const auto& t : truths) {
    SCOPED_TRACE(t.object_id + " " + t.kind + ": " + t.text);
    if (t.kind != "transcript") {
      EXPECT_TRUE(t.statements.empty());
      continue;
    }
    ++transcripts;
    // The lines after the header, and the text as code points.
    std::vector<std::string> lines;
    for (std::size_t from = t.text.find('\n'); from != std::string::npos;) {
      const std::size_t next = t.text.find('\n', from + 1);
      lines.push_back(t.text.substr(from + 1, next == std::string::npos ? next : next - from - 1));
      from = next;
    }
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < t.text.size(); ++i) {
      if ((static_cast<unsigned char>(t.text[i]) & 0xC0) != 0x80) starts.push_back(i);
    }
    starts.push_back(t.text.size());
    ASSERT_EQ(t.statements.size(), lines.size());
    const std::vector<std::string> first = {"arrest", "detention", "ill-treatment"};
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const SynthStatement& s = t.statements[i];
      ASSERT_LT(s.begin, s.end);
      ASSERT_LE(static_cast<std::size_t>(s.end), starts.size() - 1);
      const std::size_t from = starts[static_cast<std::size_t>(s.begin)];
      EXPECT_EQ(t.text.substr(from, starts[static_cast<std::size_t>(s.end)] - from), lines[i]);
      if (i < first.size()) {
        EXPECT_EQ(s.theme, first[i]);
      }
      EXPECT_FALSE(s.says.empty()) << s.theme;
      said.insert(s.says.begin(), s.says.end());
      EXPECT_EQ(s.date.size(), 10u);
      if (s.theme != "trial" && s.theme != "departure") {
        EXPECT_EQ(s.date, t.date);
      }
      if (s.theme != "arrest") {
        EXPECT_GE(s.date, t.date);
      }
      for (const auto& id : s.persons) {
        auto p = std::find_if(t.officials.begin(), t.officials.end(),
                              [&](const SynthPerson& o) { return o.id == id; });
        ASSERT_NE(p, t.officials.end()) << id;
        EXPECT_NE(lines[i].find(p->name), std::string::npos) << p->name;
      }
    }
    // The acts told are those of the ill-treatment line.
    for (const auto& act : t.acts) {
      const auto& says = t.statements[2].says;
      EXPECT_NE(std::find(says.begin(), says.end(), act), says.end()) << act;
    }
    EXPECT_FALSE(t.facility_name.empty());
    EXPECT_EQ(t.place_name.empty(), t.place_id.empty());
  }
  EXPECT_EQ(transcripts, 24);
  for (const char* word : {"arrest", "held", "trial", "left-belarus", "peaceful-march"}) {
    EXPECT_TRUE(said.count(word)) << word;
  }
}

TEST_F(SynthTest, WitnessesAreFictionalWithVariedConsentAndAllTheirMaterialIsQueued) {
  auto h = make_hub("hub");
  std::vector<GroundTruth> truths;
  auto report = synthesize(*h.collection, *h.hub, *h.queue, options(60, 1, 1, 0),
                           [&](const GroundTruth& t) { truths.push_back(t); });
  ASSERT_TRUE(report.is_ok()) << report.status().to_string();
  EXPECT_EQ(report->witnesses, 60);
  EXPECT_EQ(report->interviews, 60);
  EXPECT_EQ(report->documents, 60);
  EXPECT_EQ(report->objects, 120);
  EXPECT_EQ(report->first_code, "W-00001");
  EXPECT_EQ(report->last_code, "W-00060");

  std::set<std::string> states;
  for (const auto& w : *h.collection->witnesses({})) {
    SCOPED_TRACE(w.code);
    EXPECT_EQ(w.organisation_id, kOrg);
    auto personal = h.collection->personal_details(w.code);
    ASSERT_TRUE(personal.is_ok());
    EXPECT_TRUE(fictional(personal->name)) << personal->name;
    EXPECT_NE(personal->notes.find("FICTIONAL"), std::string::npos);
    EXPECT_NE(personal->contacts.find("@example.org"), std::string::npos);
    states.insert(consent_state(w.consent, kToday));
    EXPECT_FALSE(h.collection->contacts(w.code)->empty());
    const auto ivs = *h.collection->interviews(w.code);
    ASSERT_EQ(ivs.size(), 1u);
    EXPECT_FALSE(ivs[0].transcript.empty());
  }
  EXPECT_TRUE(states.count("valid") && states.count("expired") && states.count("withdrawn"))
      << ::testing::PrintToString(states);
  auto gaps =
      h.collection->consent_gaps({}, Purpose::kInternalAnalysis, Recipient::kNone, kToday, 30);
  ASSERT_TRUE(gaps.is_ok());
  EXPECT_TRUE(std::any_of(gaps->begin(), gaps->end(),
                          [](const ConsentGap& g) { return g.problem == "expiring"; }));

  // As `evhub put` does: one extract-text job per stored file, none for records.
  auto counts = h.queue->counts();
  ASSERT_TRUE(counts.is_ok());
  EXPECT_EQ(counts->queued, 120);
  for (const auto& t : truths) {
    auto jobs = h.queue->list("queued", 1000);
    EXPECT_TRUE(std::any_of(jobs->begin(), jobs->end(), [&](const jobs::Job& j) {
      return j.object_id == t.object_id && j.kind == "extract-text";
    })) << t.object_id;
    break;  // one is enough to name the kind; the count covers the rest
  }

  // Run again: new witnesses after the last code, never a taken one.
  auto more = synthesize(*h.collection, *h.hub, *h.queue, options(2, 0, 0, 0));
  ASSERT_TRUE(more.is_ok()) << more.status().to_string();
  EXPECT_EQ(more->first_code, "W-00061");
  // A key domain of an unregistered (here erased) witness's code is taken too.
  ASSERT_TRUE(h.hub->put_data("note", "a note", "W-00070", hub::Intake::evidence(kOrg)).is_ok());
  ASSERT_TRUE(h.hub->shred("W-00070", "withdrew").is_ok());
  auto after = synthesize(*h.collection, *h.hub, *h.queue, options(1, 0, 0, 0));
  ASSERT_TRUE(after.is_ok()) << after.status().to_string();
  EXPECT_EQ(after->first_code, "W-00071");
}

TEST_F(SynthTest, AScanIsReadByOcrInItsLanguage) {
  auto h = make_hub("hub");
  auto truths = run(h, options(1, 0, 1, 1.0, 3));
  ASSERT_EQ(truths.size(), 1u);
  const GroundTruth& t = truths[0];
  ASSERT_TRUE(t.media == "png" || t.media == "tiff") << t.media;
  const std::string bytes = read(*h.hub, t.object_id);
  auto text = extract::extract_text(
      {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, {"", 1});
  ASSERT_TRUE(text.is_ok()) << text.status().to_string();
  EXPECT_EQ(text->tool, "tesseract");
  EXPECT_EQ(text->language, t.language);
  // Most words of the ground truth come back (OCR is not perfect; a scan is not meant to be).
  std::istringstream in(t.text);
  int found = 0, total = 0;
  for (std::string w; in >> w;) {
    if (w.size() < 5) continue;
    ++total;
    found += text->text.find(w) != std::string::npos;
  }
  ASSERT_GT(total, 10);
  EXPECT_GE(found * 10, total * 8) << text->text << "\n---\n" << t.text;
}

TEST(SynthCommandTest, BadArgumentsAreRefusedWithExitCode2AndAMessage) {
  testing::TempDir tmp;
  const std::string hub = tmp / "hub", key = tmp / "key";
  ASSERT_EQ(testing::evhub(hub, key, {"init", "--kdf", "interactive"}).exit_code, 0);
  ASSERT_EQ(testing::evhub(hub, key, {"org", "add", "Demo Partner"}).exit_code, 0);
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"synth"}, "--witnesses"},
      {{"synth", "--witnesses", "0"}, "--witnesses must be between 1 and"},
      {{"synth", "--witnesses", "two"}, "--witnesses"},
      {{"synth", "--witnesses", "2", "--scans", "1.5"}, "--scans must be a fraction"},
      {{"synth", "--witnesses", "2", "--documents-per-witness=-1"},
       "--documents-per-witness must be"},
      {{"synth", "--witnesses", "2", "--today", "2020-01-01"}, "--today must be a date"},
      {{"synth", "--witnesses", "2", "--ground-truth", tmp / "no/such/dir/gt.jsonl"},
       "cannot write the ground truth"}};
  for (const auto& c : cases) {
    auto r = testing::evhub(hub, key, c.args);
    EXPECT_EQ(r.exit_code, 2) << ::testing::PrintToString(c.args) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos)
        << ::testing::PrintToString(c.args) << r.err;
  }
  auto unknown = testing::evhub(hub, key, {"synth", "--witnesses", "1", "--org", "Nobody"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("no organisation Nobody"), std::string::npos) << unknown.err;

  // And a good run: the report in JSON, one ground-truth line per stored file.
  auto ok = testing::evhub(hub, key,
                           {"synth", "--witnesses", "2", "--documents-per-witness", "2", "--scans",
                            "0", "--ground-truth", tmp / "gt.jsonl", "--json"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const json report = json::parse(ok.out);
  EXPECT_EQ(report["witnesses"], 2);
  EXPECT_EQ(report["objects"], 6);
  std::ifstream gt(tmp / "gt.jsonl");
  int lines = 0;
  for (std::string line; std::getline(gt, line);) {
    EXPECT_TRUE(json::parse(line).contains("text"));
    ++lines;
  }
  EXPECT_EQ(lines, 6);
}

}  // namespace
}  // namespace evhub::collection
