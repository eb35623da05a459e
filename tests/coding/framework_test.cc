// The coding framework: the shipped default covers every violation type the platform documents,
// in English, Belarusian and Russian; edits keep every revision of a code, so an old coding
// still shows what it was coded with; each broken invariant is refused with a message naming
// the code and the field; JSON and CSV round-trip; bad files are refused with their JSON path
// or CSV line and column; a CSV applied to a framework bumps exactly the codes it changes; and
// diff lists exactly what changed.
#include "coding/framework.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "support/support.h"

namespace evhub::coding {

// Failures show codes and frameworks as JSON, not as bytes.
void PrintTo(const FrameworkCode& code, std::ostream* os) {
  *os << code.id << " r" << code.revision << " \"" << code.label.en << "\" under \"" << code.parent
      << "\"" << (code.restricted ? " restricted" : "") << (code.retired ? " retired" : "");
}
void PrintTo(const Framework& framework, std::ostream* os) {
  *os << framework_to_json(framework).substr(0, 2000);
}

namespace {

FrameworkCode make_code(const std::string& id, const std::string& parent, const std::string& label,
                        bool restricted = false) {
  FrameworkCode c;
  c.id = id;
  c.parent = parent;
  c.label = Texts{label, label + " (be)", label + " (ru)"};
  c.definition = Texts{"What " + label + " means.", "", ""};
  c.restricted = restricted;
  return c;
}

// physical { punches, kicks }, psychological { threats }, sgbv (restricted) { rape }.
Framework small_framework() {
  Framework f;
  for (const FrameworkCode& c : {make_code("physical", "", "Physical ill-treatment"),
                                 make_code("physical.punches", "physical", "Punches"),
                                 make_code("physical.kicks", "physical", "Kicks"),
                                 make_code("psychological", "", "Psychological ill-treatment"),
                                 make_code("psychological.threats", "psychological", "Threats"),
                                 make_code("sgbv", "", "Sexual and gender-based violence", true),
                                 make_code("sgbv.rape", "sgbv", "Rape", true)}) {
    const Status st = f.add(c);
    EXPECT_TRUE(st.is_ok()) << st.to_string();
  }
  return f;
}

// The status failed with `code` and its message has `words`.
::testing::AssertionResult fails(const Status& st, evhub::Code code, const std::string& words) {
  if (st.is_ok()) return ::testing::AssertionFailure() << "succeeded; expected: " << words;
  if (st.code() != code || st.message().find(words) == std::string::npos) {
    return ::testing::AssertionFailure() << st.to_string() << "\nexpected: " << words;
  }
  return ::testing::AssertionSuccess();
}

std::vector<std::string> ids_of(const std::vector<const FrameworkCode*>& codes) {
  std::vector<std::string> out;
  for (const FrameworkCode* c : codes) out.push_back(c->id);
  return out;
}

std::string replaced_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// ---------------------------------------------------------------- the default framework

TEST(DefaultFramework, LoadsAndCoversEveryViolationTypeTheIssueNames) {
  auto f = default_framework();
  ASSERT_TRUE(f.is_ok()) << f.status().to_string();
  EXPECT_EQ(f->version(), 1);
  EXPECT_GE(f->codes().size(), 60u);
  EXPECT_LE(f->codes().size(), 80u);
  EXPECT_EQ(ids_of(f->children("")),
            (std::vector<std::string>{"physical", "psychological", "sgbv", "killing",
                                      "detention-conditions", "due-process", "fundamental-rights",
                                      "transnational"}));
  for (const FrameworkCode* category : f->children("")) {
    const auto size = f->children(category->id).size();
    EXPECT_GE(size, 4u) << category->id;
    EXPECT_LE(size, 12u) << category->id;
  }
  // Each example of the issue text, under its category.
  const std::vector<std::string> expected = {
      "physical.punches",
      "physical.kicks",
      "physical.baton-blows",
      "physical.stun-guns",
      "physical.stun-grenades",
      "physical.rubber-bullets",
      "physical.tear-gas",
      "physical.stress-positions",
      "psychological.threats-to-person",
      "psychological.threats-to-family",
      "psychological.forced-video-confession",
      "psychological.verbal-abuse",
      "sgbv.rape",
      "sgbv.threat-of-rape",
      "sgbv.forced-nudity",
      "sgbv.degrading-language",
      "killing.protest",
      "killing.death-in-custody",
      "detention-conditions.overcrowding",
      "detention-conditions.food-water",
      "detention-conditions.temperature",
      "detention-conditions.hard-labour",
      "detention-conditions.punishment-cells",
      "detention-conditions.sleep-deprivation",
      "detention-conditions.strip-searches",
      "due-process.no-information-on-charges",
      "due-process.no-counsel",
      "due-process.closed-trial",
      "due-process.minutes-long-trial",
      "due-process.fake-witnesses",
      "due-process.forced-confession",
      "fundamental-rights.movement",
      "fundamental-rights.assembly",
      "fundamental-rights.expression",
      "fundamental-rights.family-life",
      "fundamental-rights.parental-rights",
      "transnational.trial-in-absentia",
      "transnational.threats-to-relatives",
      "transnational.property-seizure",
  };
  for (const auto& id : expected) {
    const FrameworkCode* c = f->find(id);
    ASSERT_NE(c, nullptr) << id;
    EXPECT_EQ(c->parent, id.substr(0, id.find('.'))) << id;
  }
}

TEST(DefaultFramework, EveryCodeHasLabelsAndDefinitionsInEnglishBelarusianAndRussian) {
  auto f = default_framework();
  ASSERT_TRUE(f.is_ok()) << f.status().to_string();
  for (const FrameworkCode& c : f->codes()) {
    for (const Texts* t : {&c.label, &c.definition}) {
      EXPECT_FALSE(t->en.empty()) << c.id;
      EXPECT_FALSE(t->be.empty()) << c.id;
      EXPECT_FALSE(t->ru.empty()) << c.id;
      // Letters only one of the two languages has: a Russian text put in the Belarusian field
      // (or the reverse) shows. Official Belarusian writes neither и, щ nor ъ; Russian has no
      // ў and no і.
      for (const char* russian_only : {"и", "щ", "ъ", "И", "Щ"}) {
        EXPECT_EQ(t->be.find(russian_only), std::string::npos) << c.id << ": " << t->be;
      }
      for (const char* belarusian_only : {"ў", "і", "І"}) {
        EXPECT_EQ(t->ru.find(belarusian_only), std::string::npos) << c.id << ": " << t->ru;
      }
    }
    EXPECT_EQ(c.revision, 1) << c.id;
    EXPECT_FALSE(c.retired) << c.id;
  }
  EXPECT_EQ(f->find("physical.baton-blows")->label.be, "Удары дубінкай");
  EXPECT_EQ(f->find("sgbv.forced-nudity")->label.ru, "Принудительное обнажение");
}

TEST(DefaultFramework, SexualViolenceAndHealthCodesAreRestricted) {
  auto f = default_framework();
  ASSERT_TRUE(f.is_ok()) << f.status().to_string();
  std::set<std::string> restricted;
  for (const FrameworkCode& c : f->codes()) {
    if (c.restricted) restricted.insert(c.id);
  }
  for (const FrameworkCode& c : f->codes()) {
    if (c.id == "sgbv" || c.parent == "sgbv") {
      EXPECT_TRUE(c.restricted) << c.id;
    }
  }
  EXPECT_TRUE(restricted.count("detention-conditions.medical-care"));
  EXPECT_TRUE(restricted.count("killing.medical-neglect"));
  EXPECT_EQ(restricted.size(), 1 + f->children("sgbv").size() + 2)
      << "only SGBV and the two health codes";
}

TEST(DefaultFramework, TheShippedFileIsInTheFormItIsWrittenIn) {
  auto f = default_framework();
  ASSERT_TRUE(f.is_ok()) << f.status().to_string();
  EXPECT_EQ(framework_to_json(*f), testing::read_text(default_framework_path()))
      << "data/coding/default-framework.json should be framework_to_json's output";
}

// ---------------------------------------------------------------- model and versioning

TEST(Framework, IsATreeInOrderWithLookupsChildrenAndPaths) {
  Framework f = small_framework();
  EXPECT_EQ(f.version(), 7) << "one version per code added";
  EXPECT_EQ(ids_of(f.children("")),
            (std::vector<std::string>{"physical", "psychological", "sgbv"}));
  EXPECT_EQ(ids_of(f.children("physical")),
            (std::vector<std::string>{"physical.punches", "physical.kicks"}));
  EXPECT_TRUE(f.children("physical.kicks").empty());
  EXPECT_EQ(ids_of(f.path("physical.kicks")),
            (std::vector<std::string>{"physical", "physical.kicks"}));
  EXPECT_TRUE(f.path("physical.nothing").empty());
  EXPECT_EQ(f.find("physical.nothing"), nullptr);
  ASSERT_NE(f.find("sgbv.rape"), nullptr);
  EXPECT_EQ(f.find("sgbv.rape")->label.en, "Rape");

  // Moved, a code and what is under it follow its new parent in codes().
  ASSERT_TRUE(f.add(make_code("physical.punches.face", "physical.punches", "Face")).is_ok());
  FrameworkCode punches = *f.find("physical.punches");
  punches.parent = "psychological";
  ASSERT_TRUE(f.edit("physical.punches", punches).is_ok());
  std::vector<std::string> order;
  for (const FrameworkCode& c : f.codes()) order.push_back(c.id);
  EXPECT_EQ(order, (std::vector<std::string>{"physical", "physical.kicks", "psychological",
                                             "psychological.threats", "physical.punches",
                                             "physical.punches.face", "sgbv", "sgbv.rape"}));
  EXPECT_EQ(
      ids_of(f.path("physical.punches.face")),
      (std::vector<std::string>{"psychological", "physical.punches", "physical.punches.face"}));
}

TEST(Framework, EveryChangeOfMeaningIsANewRevisionAndOldRevisionsAreKept) {
  Framework f = small_framework();
  const int v = f.version();

  // A typo fix is a change of meaning too: a coding made before shows it was re-labelled.
  FrameworkCode kicks = *f.find("physical.kicks");
  kicks.label.en = "Kicks to the body";
  ASSERT_TRUE(f.edit("physical.kicks", kicks).is_ok());
  EXPECT_EQ(f.find("physical.kicks")->revision, 2);
  EXPECT_EQ(f.version(), v + 1);

  kicks = *f.find("physical.kicks");
  kicks.definition.be = "Удары нагамі.";
  ASSERT_TRUE(f.edit("physical.kicks", kicks).is_ok());
  kicks = *f.find("physical.kicks");
  kicks.parent = "psychological";
  ASSERT_TRUE(f.edit("physical.kicks", kicks).is_ok());
  kicks = *f.find("physical.kicks");
  kicks.restricted = true;
  ASSERT_TRUE(f.edit("physical.kicks", kicks).is_ok());
  EXPECT_EQ(f.find("physical.kicks")->revision, 5);
  EXPECT_EQ(f.version(), v + 4);
  ASSERT_EQ(f.history("physical.kicks").size(), 4u);

  auto first = f.code_at("physical.kicks", 1);
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  EXPECT_EQ(first->label.en, "Kicks");
  EXPECT_EQ(first->parent, "physical");
  EXPECT_EQ(first->revision, 1);
  EXPECT_EQ(f.code_at("physical.kicks", 2)->label.en, "Kicks to the body");
  EXPECT_EQ(f.code_at("physical.kicks", 2)->definition.be, "");
  EXPECT_EQ(f.code_at("physical.kicks", 3)->definition.be, "Удары нагамі.");
  EXPECT_EQ(f.code_at("physical.kicks", 3)->parent, "physical");
  EXPECT_EQ(f.code_at("physical.kicks", 4)->parent, "psychological");
  EXPECT_FALSE(f.code_at("physical.kicks", 4)->restricted);
  EXPECT_TRUE(f.code_at("physical.kicks", 5)->restricted);
  EXPECT_TRUE(
      fails(f.code_at("physical.kicks", 6).status(), evhub::Code::kNotFound, "has no revision 6"));
  EXPECT_TRUE(
      fails(f.code_at("physical.kicks", 0).status(), evhub::Code::kNotFound, "has no revision 0"));
  EXPECT_TRUE(fails(f.code_at("physical.none", 1).status(), evhub::Code::kNotFound, "no code"));

  // Retiring changes no meaning: no revision, a new version; old revisions show it retired.
  ASSERT_TRUE(f.retire("physical.kicks").is_ok());
  EXPECT_EQ(f.find("physical.kicks")->revision, 5);
  EXPECT_TRUE(f.find("physical.kicks")->retired);
  EXPECT_EQ(f.version(), v + 5);
  EXPECT_TRUE(f.code_at("physical.kicks", 1)->retired);
  ASSERT_TRUE(f.reinstate("physical.kicks").is_ok());
  EXPECT_FALSE(f.find("physical.kicks")->retired);
  EXPECT_EQ(f.version(), v + 6);

  // An edit that changes nothing changes no number.
  const Framework before = f;
  ASSERT_TRUE(f.edit("physical.kicks", *f.find("physical.kicks")).is_ok());
  ASSERT_TRUE(f.reinstate("physical.kicks").is_ok());
  EXPECT_EQ(f, before);
}

TEST(Framework, EditsAreMadeToTheCurrentRevisionAndNeverChangeAnId) {
  Framework f = small_framework();
  FrameworkCode stale = *f.find("physical.punches");
  FrameworkCode fresh = stale;
  fresh.label.en = "Punches with the fist";
  ASSERT_TRUE(f.edit("physical.punches", fresh).is_ok());
  stale.label.ru = "Удары кулаком";
  EXPECT_TRUE(fails(f.edit("physical.punches", stale), evhub::Code::kFailedPrecondition,
                    "code physical.punches is at revision 2, but the edit was made to revision 1"));

  FrameworkCode renamed = *f.find("physical.punches");
  renamed.id = "physical.fists";
  EXPECT_TRUE(fails(f.edit("physical.punches", renamed), evhub::Code::kInvalidArgument,
                    "code physical.punches: id: ids never change"));
  EXPECT_TRUE(
      fails(f.edit("physical.fists", renamed), evhub::Code::kNotFound, "no code physical.fists"));
  EXPECT_TRUE(fails(f.retire("physical.fists"), evhub::Code::kNotFound, "no code"));
  EXPECT_EQ(f.find("physical.fists"), nullptr);
}

TEST(Framework, BrokenInvariantsAreRefusedNamingTheCodeAndChangeNothing) {
  Framework f = small_framework();
  const Framework before = f;
  const auto kInvalid = evhub::Code::kInvalidArgument;

  EXPECT_TRUE(fails(f.add(make_code("nowhere.x", "nowhere", "X")), kInvalid,
                    "code nowhere.x: parent: unknown parent \"nowhere\""));
  EXPECT_TRUE(fails(f.add(make_code("Physical.Slaps", "physical", "Slaps")), kInvalid,
                    "code Physical.Slaps: id: \"Physical.Slaps\" is not a code id"));
  EXPECT_TRUE(fails(f.add(make_code("physical.slaps", "physical", "")), kInvalid,
                    "code physical.slaps: labels.en: missing"));
  EXPECT_TRUE(fails(f.add(make_code("physical.kicks", "physical", "Kicks again")), kInvalid,
                    "code physical.kicks: id: already exists"));
  EXPECT_TRUE(fails(f.add(make_code("psychological.slaps", "physical", "Slaps")), kInvalid,
                    "a new code under \"physical\" needs an id \"physical.<name>\""));
  EXPECT_TRUE(fails(f.add(make_code("sgbv.threats", "sgbv", "Threat of rape", false)), kInvalid,
                    "code sgbv.threats: restricted: must be restricted like its parent \"sgbv\""));
  EXPECT_TRUE(fails(f.add(make_code("physical.slaps", "physical", "Slaps\nand more")), kInvalid,
                    "code physical.slaps: labels.en: has control characters or line breaks"));
  EXPECT_TRUE(fails(f.add(make_code("physical.slaps", "physical", " Slaps")), kInvalid,
                    "labels.en: starts or ends with white space"));
  EXPECT_TRUE(fails(f.add(make_code("physical.slaps", "physical", std::string(201, 'x'))), kInvalid,
                    "labels.en: longer than 200 bytes"));
  FrameworkCode retired_new = make_code("physical.slaps", "physical", "Slaps");
  retired_new.retired = true;
  EXPECT_TRUE(fails(f.add(retired_new), kInvalid, "a new code cannot be retired"));

  // A cycle: physical under its own child.
  FrameworkCode physical = *f.find("physical");
  physical.parent = "physical.kicks";
  EXPECT_TRUE(fails(f.edit("physical", physical), kInvalid,
                    "codes form a cycle: physical -> physical.kicks -> physical"));
  physical.parent = "physical";
  EXPECT_TRUE(fails(f.edit("physical", physical), kInvalid, "codes form a cycle"));

  // Under a retired code: moved there, or a parent retired over codes in use.
  Framework g = small_framework();
  ASSERT_TRUE(g.retire("psychological.threats").is_ok());
  FrameworkCode kicks = *g.find("physical.kicks");
  kicks.parent = "psychological.threats";
  EXPECT_TRUE(fails(g.edit("physical.kicks", kicks), kInvalid,
                    "code physical.kicks: parent: \"psychological.threats\" is retired: a code in "
                    "use cannot be under it"));
  EXPECT_TRUE(fails(g.retire("physical"), kInvalid,
                    "code physical: retired: codes under it are still in use (physical.punches, "
                    "physical.kicks)"));
  ASSERT_TRUE(g.retire("psychological").is_ok());
  EXPECT_TRUE(
      fails(g.reinstate("psychological.threats"), kInvalid, "\"psychological\" is retired"));

  // Too deep.
  Framework deep;
  std::string id = "a";
  ASSERT_TRUE(deep.add(make_code(id, "", "Level 1")).is_ok());
  for (int level = 2; level <= kMaxDepth; ++level) {
    const std::string child = id + ".b";
    ASSERT_TRUE(deep.add(make_code(child, id, "Level")).is_ok()) << level;
    id = child;
  }
  EXPECT_TRUE(fails(deep.add(make_code(id + ".b", id, "Level 9")), kInvalid,
                    "parent: more than 8 levels deep"));

  EXPECT_EQ(f, before) << "nothing refused changed anything";
}

TEST(Framework, CodeIdsAreLowerCaseWordsWithHyphensAndDots) {
  for (const char* good : {"physical", "physical.baton-blows", "a1.b2-c3.d", "x"}) {
    EXPECT_TRUE(is_code_id(good)) << good;
  }
  for (const char* bad : {"", "Physical", "physical.", ".physical", "physical..kicks", "-a", "a-",
                          "a--b", "a.-b", "a b", "a_b", "бел", "a/b"}) {
    EXPECT_FALSE(is_code_id(bad)) << bad;
  }
  EXPECT_TRUE(is_code_id(std::string(kMaxIdBytes, 'a')));
  EXPECT_FALSE(is_code_id(std::string(kMaxIdBytes + 1, 'a')));
}

// ---------------------------------------------------------------- diff

TEST(Diff, ListsExactlyTheChanges) {
  const Framework before = small_framework();
  Framework after = before;
  ASSERT_TRUE(after.add(make_code("physical.baton-blows", "physical", "Baton blows")).is_ok());
  FrameworkCode punches = *after.find("physical.punches");
  punches.label.be = "Удары кулаком";
  ASSERT_TRUE(after.edit("physical.punches", punches).is_ok());
  FrameworkCode threats = *after.find("psychological.threats");
  threats.parent = "physical";
  ASSERT_TRUE(after.edit("psychological.threats", threats).is_ok());
  FrameworkCode kicks = *after.find("physical.kicks");
  kicks.restricted = true;
  ASSERT_TRUE(after.edit("physical.kicks", kicks).is_ok());
  ASSERT_TRUE(after.retire("sgbv.rape").is_ok());

  const FrameworkDiff d = diff(before, after);
  using Ids = std::vector<std::string>;
  EXPECT_EQ(d.added, Ids{"physical.baton-blows"});
  EXPECT_EQ(d.relabelled, Ids{"physical.punches"});
  EXPECT_EQ(d.moved, Ids{"psychological.threats"});
  EXPECT_EQ(d.restriction_changed, Ids{"physical.kicks"});
  EXPECT_EQ(d.retired, Ids{"sgbv.rape"});
  EXPECT_TRUE(d.reinstated.empty());
  EXPECT_TRUE(d.removed.empty());
  EXPECT_TRUE(d.rewritten.empty());
  EXPECT_FALSE(d.empty());
  EXPECT_TRUE(check_successor(before, after).is_ok());

  const FrameworkDiff back = diff(after, before);
  EXPECT_EQ(back.removed, Ids{"physical.baton-blows"});
  EXPECT_EQ(back.reinstated, Ids{"sgbv.rape"});
  EXPECT_EQ(back.rewritten, (Ids{"physical.punches", "physical.kicks", "psychological.threats"}));
  EXPECT_TRUE(fails(check_successor(after, before), evhub::Code::kInvalidArgument,
                    "codes are never deleted, but physical.baton-blows would be"));
  EXPECT_TRUE(fails(check_successor(after, before), evhub::Code::kInvalidArgument,
                    "version 7 is not above the current version 12"));

  EXPECT_TRUE(diff(before, before).empty());
  EXPECT_TRUE(check_successor(before, before).is_ok());
}

TEST(Diff, ARelabelWithoutANewRevisionIsARewrite) {
  const Framework before = small_framework();
  // The same revision with other words, as a hand-edited export would have it.
  auto after = framework_from_json(
      replaced(replaced(framework_to_json(before), "\"Kicks\"", "\"Kicks and stamping\""),
               "\"version\": 7", "\"version\": 8"));
  ASSERT_TRUE(after.is_ok()) << after.status().to_string();
  const FrameworkDiff d = diff(before, *after);
  EXPECT_EQ(d.relabelled, std::vector<std::string>{"physical.kicks"});
  EXPECT_EQ(d.rewritten, std::vector<std::string>{"physical.kicks"});
  EXPECT_TRUE(fails(check_successor(before, *after), evhub::Code::kInvalidArgument,
                    "revisions of physical.kicks would mean something else than before"));
}

// ---------------------------------------------------------------- JSON

TEST(Json, RoundTripsAFrameworkWithItsHistory) {
  Framework f = small_framework();
  FrameworkCode kicks = *f.find("physical.kicks");
  kicks.label.ru = "Удары ногами, \"пинки\"";
  kicks.definition.en = "Kicks.\nAlso stamping.";
  ASSERT_TRUE(f.edit("physical.kicks", kicks).is_ok());
  ASSERT_TRUE(f.retire("psychological.threats").is_ok());

  const std::string json = framework_to_json(f);
  auto back = framework_from_json(json);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(*back, f);
  EXPECT_EQ(back->code_at("physical.kicks", 1)->label.ru, "Kicks (ru)");
  EXPECT_EQ(framework_to_json(*back), json);
  EXPECT_NE(json.find("\"format\": \"evhub-coding-framework\""), std::string::npos);

  auto shipped = default_framework();
  ASSERT_TRUE(shipped.is_ok()) << shipped.status().to_string();
  EXPECT_EQ(*framework_from_json(framework_to_json(*shipped)), *shipped);

  auto empty = framework_from_json(framework_to_json(Framework{}));
  ASSERT_TRUE(empty.is_ok()) << empty.status().to_string();
  EXPECT_EQ(*empty, Framework{});
}

TEST(Json, OptionalFieldsTakeTheirDefaults) {
  auto f = framework_from_json(R"({"format": "evhub-coding-framework", "format_version": 1,
      "version": 1, "codes": [{"id": "physical", "labels": {"en": "Physical ill-treatment"}}]})");
  ASSERT_TRUE(f.is_ok()) << f.status().to_string();
  const FrameworkCode* c = f->find("physical");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->parent, "");
  EXPECT_EQ(c->label.be, "");
  EXPECT_EQ(c->revision, 1);
  EXPECT_FALSE(c->restricted);
  EXPECT_FALSE(c->retired);
}

TEST(Json, BadFilesAreRefusedWithThePathOfEachProblem) {
  const std::string head = R"({"format": "evhub-coding-framework", "format_version": 1, )";
  const std::string physical = R"({"id": "physical", "labels": {"en": "Physical"}})";
  auto with_codes = [&](const std::string& codes, const std::string& version = "1") {
    return head + "\"version\": " + version + ", \"codes\": [" + codes + "]}";
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"format\": ", "not valid JSON: parse error at line 1, column 12"},
      {"[]", "not a coding framework: not a JSON object"},
      {R"({"format": "evhub-search-corpus", "codes": []})",
       "format: \"evhub-search-corpus\", not \"evhub-coding-framework\": this is not a coding "
       "framework file"},
      {R"({"codes": []})", "format: missing, not \"evhub-coding-framework\""},
      {R"({"format": "evhub-coding-framework", "format_version": 2, "version": 1, "codes": []})",
       "format_version: 2 is newer than this program reads (1)"},
      {head + R"("version": 1, "codes": {}})", "codes: must be an array"},
      {head + R"("codes": []})", "version: missing"},
      {with_codes(physical + R"(, {"id": "physical.kicks", "parent": "physical",
                                  "labels": {"be": "Удары нагамі"}})"),
       "codes[1].labels.en: missing"},
      {with_codes(R"({"id": "physical", "labels": {"en": "Physical"}, "restricted": "yes"})"),
       "codes[0].restricted: must be true or false"},
      {with_codes(R"({"id": "physical", "lables": {"en": "Physical"}})"),
       "codes[0].lables: unknown field; codes[0].labels: missing"},
      {with_codes(R"({"id": "physical", "labels": {"en": "Physical", "pl": "Fizyczne"}})"),
       "codes[0].labels.pl: unknown field"},
      {with_codes(physical + R"(, {"id": "physical.kicks", "parent": "physicl",
                                  "labels": {"en": "Kicks"}})"),
       "codes[1].parent: unknown parent \"physicl\""},
      {with_codes(physical + ", " + physical),
       "codes[1].id: \"physical\" is the id of an earlier code too"},
      {with_codes(R"({"id": "physical", "labels": {"en": "Physical"}, "revision": 0})"),
       "codes[0].revision: must be a whole number from 1 to 1000"},
      {with_codes(R"({"id": "physical", "labels": {"en": "Physical"}, "revision": 2})", "2"),
       "codes[0].history: revision 2 needs revisions 1 to 1 in its history, but 0 are listed"},
      {with_codes(R"({"id": "physical", "labels": {"en": "Physical"}, "revision": 2,
                      "history": [{"revision": 1, "labels": {"ru": "Физическое"}}]})",
                  "2"),
       "codes[0].history[0].labels.en: missing"},
      {with_codes(R"({"id": "physical", "labels": {"en": "Physical"}, "revision": 3,
                      "history": [{"revision": 2, "labels": {"en": "P"}},
                                  {"revision": 1, "labels": {"en": "Ph"}}]})",
                  "3"),
       "codes[0].history[0].revision: must be 1 (oldest first, none left out)"},
      {with_codes(R"({"id": "physical", "labels": {"en": "Physical"}, "revision": 2,
                      "history": [{"revision": 1, "labels": {"en": "P"}}]})",
                  "1"),
       "version: 1 is lower than a code's revision 2"},
      {with_codes(R"({"id": "physical", "labels": {"en": ")" + std::string(201, 'x') + "\"}}"),
       "codes[0].labels.en: longer than 200 bytes"},
      {with_codes(R"({"id": "Physical", "labels": {"en": "Physical"}})"),
       "codes[0].id: \"Physical\" is not a code id"},
      {with_codes(physical +
                  R"(, {"id": "physical.a", "parent": "physical.b", "labels": {"en": "A"}},
                                  {"id": "physical.b", "parent": "physical.a", "labels": {"en": "B"}})"),
       "codes[1].parent: codes form a cycle: physical.a -> physical.b -> physical.a"},
      {with_codes(physical, "-1"), "version: must be a whole number from 0 to"},
      {head + "\"version\": 1, \"codes\": [\"physical\"]}", "codes[0]: must be an object"},
      {head + "\"version\": 1, \"codes\": [{\"id\": \"a\", \"labels\": {\"en\": \"\xC3\"}}]}",
       "not valid JSON"},
      {std::string(100'000, '[') + std::string(100'000, ']'), "nested more than 32 levels deep"},
      {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"]]]]]]]]]]]]]]]"
       "]]]]]]]]]]]]]]]]]",
       "not a coding framework: not a JSON object"},
  };
  for (const auto& [json, expected] : cases) {
    auto f = framework_from_json(json);
    EXPECT_TRUE(fails(f.status(), evhub::Code::kInvalidArgument, expected)) << json.substr(0, 300);
  }
}

TEST(Json, AbsurdFilesAreRefusedByTheirLimits) {
  std::string codes;
  for (std::size_t i = 0; i <= kMaxCodes; ++i) {
    codes += (i ? "," : "") + std::string(R"({"id": "c)") + std::to_string(i) +
             R"(", "labels": {"en": "C"}})";
  }
  auto many = framework_from_json(R"({"format": "evhub-coding-framework", "format_version": 1,
      "version": 1, "codes": [)" + codes +
                                  "]}");
  EXPECT_TRUE(
      fails(many.status(), evhub::Code::kInvalidArgument, "codes: 10001 codes; at most 10000"));
  EXPECT_TRUE(fails(framework_from_json(std::string(kMaxFileBytes + 1, ' ')).status(),
                    evhub::Code::kInvalidArgument, "larger than 32 MiB"));

  // Many problems: the first 20 are listed and the rest counted.
  std::string bad;
  for (int i = 0; i < 30; ++i) bad += (i ? "," : "") + std::string(R"({"id": "x", "labels": 1})");
  auto st = framework_from_json(R"({"format": "evhub-coding-framework", "format_version": 1,
      "version": 1, "codes": [)" +
                                bad + "]}")
                .status();
  EXPECT_TRUE(fails(st, evhub::Code::kInvalidArgument,
                    "codes[19].labels: must be an object; and 10 more problems"));
}

TEST(Json, FilesAreReadWithTheirPathInTheMessage) {
  testing::TempDir tmp;
  EXPECT_TRUE(fails(read_framework_file(tmp / "none.json").status(), evhub::Code::kNotFound,
                    "cannot read " + (tmp / "none.json")));
  testing::write_text_file(tmp / "bad.json", "{\"format\": \"evhub-coding-framework\"}");
  EXPECT_TRUE(fails(read_framework_file(tmp / "bad.json").status(), evhub::Code::kInvalidArgument,
                    tmp / "bad.json" + ": format_version: missing"));
  testing::write_text_file(tmp / "good.json", framework_to_json(small_framework()));
  auto good = read_framework_file(tmp / "good.json");
  ASSERT_TRUE(good.is_ok()) << good.status().to_string();
  EXPECT_EQ(*good, small_framework());
}

// ---------------------------------------------------------------- CSV

const char* const kHeader =
    "id,parent,label_en,label_be,label_ru,definition_en,definition_be,definition_ru,restricted,"
    "retired\n";

TEST(Csv, RoundTripsTheDefaultFramework) {
  auto shipped = default_framework();
  ASSERT_TRUE(shipped.is_ok()) << shipped.status().to_string();
  const std::string csv = framework_to_csv(*shipped);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF") << "a byte-order mark for spreadsheets";
  EXPECT_EQ(csv.substr(3, std::string(kHeader).size()), kHeader);

  auto rebuilt = apply_csv(Framework{}, csv);
  ASSERT_TRUE(rebuilt.is_ok()) << rebuilt.status().to_string();
  EXPECT_EQ(*rebuilt, *shipped) << "the same codes, all at revision 1, version 1";

  auto again = apply_csv(*shipped, csv);
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_EQ(*again, *shipped) << "applying what is there changes nothing, not even the version";
  EXPECT_EQ(framework_to_csv(*again), csv);
}

TEST(Csv, ReadsByteOrderMarksCrLfAndQuotedCommasQuotesAndLineBreaks) {
  const std::string csv =
      "\xEF\xBB\xBFid,parent,label_en,label_ru,definition_en,restricted\r\n"
      "physical,,\"Physical ill-treatment, all kinds\",Физическое,\"Punches, kicks;\nand "
      "\"\"baton\"\" blows.\",no\r\n"
      "physical.kicks,physical,Kicks,Удары ногами,,FALSE\r\n"
      "\r\n"
      "sgbv,,Sexual and gender-based violence,,,Yes\r\n";
  auto f = apply_csv(Framework{}, csv);
  ASSERT_TRUE(f.is_ok()) << f.status().to_string();
  ASSERT_EQ(f->codes().size(), 3u);
  const FrameworkCode* physical = f->find("physical");
  ASSERT_NE(physical, nullptr) << "the id column is found behind the byte-order mark";
  EXPECT_EQ(physical->label.en, "Physical ill-treatment, all kinds");
  EXPECT_EQ(physical->label.ru, "Физическое");
  EXPECT_EQ(physical->definition.en, "Punches, kicks;\nand \"baton\" blows.");
  EXPECT_EQ(f->find("physical.kicks")->label.ru, "Удары ногами");
  EXPECT_FALSE(f->find("physical.kicks")->restricted);
  EXPECT_TRUE(f->find("sgbv")->restricted);
  EXPECT_EQ(f->version(), 1);

  // Without a byte-order mark, with LF: the same.
  auto plain = apply_csv(Framework{}, replaced_all(csv.substr(3), "\r\n", "\n"));
  ASSERT_TRUE(plain.is_ok()) << plain.status().to_string();
  EXPECT_EQ(plain->find("physical")->definition.en, "Punches, kicks;\nand \"baton\" blows.");

  // Written back, quoted where needed.
  const std::string out = framework_to_csv(*f);
  EXPECT_NE(out.find("physical,,\"Physical ill-treatment, all kinds\",,Физическое,\"Punches, "
                     "kicks;\nand \"\"baton\"\" blows.\",,,no,no\n"),
            std::string::npos)
      << out;
}

TEST(Csv, ProblemsNameTheirLineAndColumn) {
  const std::string h = kHeader;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "line 1: the file is empty"},
      {"id,parent,colour\n", "line 1, column 3: unknown column \"colour\""},
      {"parent,label_en\n", "line 1: the header needs a column id"},
      {"id,id\n", "line 1, column 2 (id): this column appears twice"},
      {h + "physical,,Physical,,,,,,maybe,no\n",
       "line 2, column 9 (restricted): \"maybe\" is not yes or no"},
      // A quoted line break: the next row is on line 4.
      {h + "physical,,Physical,,,\"Two\nlines\",,,no,no\nphysical.kicks,physicl,Kicks,,,,,,no,no\n",
       "line 4, column 2 (parent): unknown parent \"physicl\""},
      // Blank lines count.
      {h + "\n\nphysical,,,,,,,,no,no\n", "line 4, column 3 (label_en): missing"},
      {h + ",,Nothing,,,,,,no,no\n", "line 2, column 1 (id): missing"},
      {h + "physical,,Physical,,,,,,no,no\nphysical,,Again,,,,,,no,no\n",
       "line 3, column 1 (id): \"physical\" is also on line 2"},
      {h + "physical,,Physical\n", "line 2: 3 cells, but the header (line 1) has 10"},
      {h + "physical,\"Physical,,,,,,no,no\n", "line 2, column 2: a quoted cell is never closed"},
      {h + "physical,,\"Phys\"ical,,,,,,no,no\n", "line 2, column 3: not valid CSV here"},
      {h + "physical,,Physical,,,,,,no,no\nphysical.kicks,physical,K\xFF,,,,,,no,no\n",
       "line 3: not UTF-8 text"},
      {"id,parent\nphysical,\n", "line 2 (label_en, not in the header): missing"},
      {h + "Physical,,Physical,,,,,,no,no\n",
       "line 2, column 1 (id): \"Physical\" is not a code id"},
      {h + "physical,,Physical,,,,,,no,no\nkicks,physical,Kicks,,,,,,no,no\n",
       "line 3, column 1 (id): a new code under \"physical\" needs an id \"physical.<name>\""},
      {h + "sgbv,,SGBV,,,,,,yes,no\nsgbv.rape,sgbv,Rape,,,,,,no,no\n",
       "line 3, column 9 (restricted): must be restricted like its parent \"sgbv\""},
      {h + "physical,,Physical,,,,,,no,yes\n",
       "line 2, column 10 (retired): a new code cannot be retired"},
  };
  for (const auto& [csv, expected] : cases) {
    EXPECT_TRUE(
        fails(apply_csv(Framework{}, csv).status(), evhub::Code::kInvalidArgument, expected))
        << csv;
  }
  // Several problems are all listed, in the order of the file.
  auto st =
      apply_csv(Framework{}, h + "physical,,Physical,,,,,,maybe,no\n,,X,,,,,,no,no\n").status();
  EXPECT_TRUE(fails(st, evhub::Code::kInvalidArgument,
                    "line 2, column 9 (restricted): \"maybe\" is not yes or no; line 3, column 1 "
                    "(id): missing"));
}

TEST(Csv, AppliedToAFrameworkOnlyTheChangedCodesGetNewRevisions) {
  auto shipped = default_framework();
  ASSERT_TRUE(shipped.is_ok()) << shipped.status().to_string();
  std::string csv = framework_to_csv(*shipped);
  csv = replaced(csv, ",Удары ногами,", ",Удары ногами и топтание,");
  const auto restraints = csv.find("physical.restraints,");
  const auto line_end = csv.find('\n', restraints);
  ASSERT_EQ(csv.substr(line_end - 6, 6), ",no,no");
  csv.replace(line_end - 6, 6, ",no,yes");
  csv +=
      "physical.water-cannon,physical,Water cannon,Вадамёт,Водомёт,Water cannon used against "
      "people.,,,no,no\n";

  auto applied = apply_csv(*shipped, csv);
  ASSERT_TRUE(applied.is_ok()) << applied.status().to_string();
  const Framework& f = *applied;
  EXPECT_EQ(f.version(), 2) << "one version for the whole file";
  EXPECT_EQ(f.find("physical.kicks")->revision, 2);
  EXPECT_EQ(f.find("physical.kicks")->label.ru, "Удары ногами и топтание");
  EXPECT_EQ(f.code_at("physical.kicks", 1)->label.ru, "Удары ногами");
  EXPECT_EQ(f.find("physical.restraints")->revision, 1) << "retiring is no new meaning";
  EXPECT_TRUE(f.find("physical.restraints")->retired);
  EXPECT_EQ(f.find("physical.water-cannon")->revision, 1);
  int unchanged = 0;
  for (const FrameworkCode& c : f.codes()) {
    if (c.id == "physical.kicks" || c.id == "physical.restraints" ||
        c.id == "physical.water-cannon") {
      continue;
    }
    EXPECT_EQ(c, *shipped->find(c.id));
    EXPECT_TRUE(f.history(c.id).empty()) << c.id;
    ++unchanged;
  }
  EXPECT_EQ(unchanged, static_cast<int>(shipped->codes().size()) - 2);

  const FrameworkDiff d = diff(*shipped, f);
  using Ids = std::vector<std::string>;
  EXPECT_EQ(d.added, Ids{"physical.water-cannon"});
  EXPECT_EQ(d.relabelled, Ids{"physical.kicks"});
  EXPECT_EQ(d.retired, Ids{"physical.restraints"});
  EXPECT_TRUE(d.moved.empty());
  EXPECT_TRUE(d.restriction_changed.empty());
  EXPECT_TRUE(d.rewritten.empty());
  EXPECT_TRUE(check_successor(*shipped, f).is_ok());
}

TEST(Csv, ColumnsLeftOutKeepTheirFieldsAndRowsLeftOutTheirCodes) {
  const Framework base = small_framework();
  auto f = apply_csv(base, "id,retired\nphysical.kicks,yes\n");
  ASSERT_TRUE(f.is_ok()) << f.status().to_string();
  EXPECT_TRUE(f->find("physical.kicks")->retired);
  EXPECT_EQ(f->find("physical.kicks")->label, base.find("physical.kicks")->label);
  EXPECT_EQ(f->find("physical.kicks")->revision, 1);
  EXPECT_EQ(f->codes().size(), base.codes().size());
  EXPECT_EQ(f->version(), base.version() + 1);

  // A cell left empty in a column that is there empties the field: a new revision.
  auto cleared = apply_csv(base, "id,label_ru\nphysical.kicks,\n");
  ASSERT_TRUE(cleared.is_ok()) << cleared.status().to_string();
  EXPECT_EQ(cleared->find("physical.kicks")->label.ru, "");
  EXPECT_EQ(cleared->find("physical.kicks")->revision, 2);

  // Retiring a parent over codes the file leaves in use is refused, naming them.
  EXPECT_TRUE(fails(apply_csv(base, "id,retired\nphysical,yes\n").status(),
                    evhub::Code::kInvalidArgument,
                    "code physical.punches (not in the file): parent: \"physical\" is retired"));
}

}  // namespace
}  // namespace evhub::coding
