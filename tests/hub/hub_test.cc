#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "hub/hub.h"
#include "support/support.h"

namespace evhub::hub {
namespace {

namespace fs = std::filesystem;

vault::Credential pass() {
  return vault::Credential::passphrase("test passphrase 1");
}

class HubTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitOptions opts;
    opts.kdf = crypto::KdfCost::interactive();
    opts.chunk_size = 4096;
    opts.actor = "tester";
    ASSERT_TRUE(init_hub(dir(), pass(), opts).is_ok());
  }
  std::string dir() const { return tmp_ / "hub"; }
  std::unique_ptr<Hub> open(FileSystem& fsys = local_fs()) {
    auto h = Hub::open(dir(), pass(), OpenOptions{"tester", 2000}, fsys);
    EXPECT_TRUE(h.is_ok()) << h.status().to_string();
    return h.is_ok() ? std::move(h).value() : nullptr;
  }
  std::string file(const std::string& name, std::uint64_t size, std::uint64_t seed) {
    std::string p = tmp_ / name;
    testing::write_random_file(p, size, seed);
    return p;
  }
  std::vector<StoredObject> put(Hub& h, const std::vector<std::string>& paths,
                                const std::string& domain) {
    std::vector<StoredObject> out;
    Status st = h.put(paths, domain, [&](const StoredObject& s) { out.push_back(s); });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return out;
  }
  void expect_verified(Hub& h) {
    auto r = h.verify();
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    for (const auto& p : r->problems) ADD_FAILURE() << p;
  }
  // Every file of the hub directory and its content, to prove an operation changed nothing.
  std::map<std::string, std::string> snapshot() {
    std::map<std::string, std::string> m;
    for (const auto& e : fs::recursive_directory_iterator(dir())) {
      if (e.is_regular_file()) m[e.path().string()] = testing::read_text(e.path().string());
    }
    return m;
  }
  testing::TempDir tmp_;
};

TEST_F(HubTest, PutGetVerifyAndDeduplicateWithinADomain) {
  auto h = open();
  std::string a = file("a", 10000, 1), b = file("b", 0, 2);
  auto stored = put(*h, {a, b, a}, "W-00001");
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].sha256, testing::sha256sum_of(a));
  EXPECT_FALSE(stored[0].deduplicated);
  EXPECT_TRUE(stored[2].deduplicated);
  EXPECT_EQ(stored[2].id, stored[0].id);
  auto again = put(*h, {a}, "W-00001");
  EXPECT_TRUE(again[0].deduplicated);
  auto other = put(*h, {a}, "W-00002");
  EXPECT_FALSE(other[0].deduplicated) << "deduplication stays within one key domain";
  EXPECT_NE(other[0].id, stored[0].id);

  ASSERT_TRUE(h->get(stored[0].id, tmp_ / "out", false).is_ok());
  EXPECT_EQ(testing::sha256sum_of(tmp_ / "out"), stored[0].sha256);
  EXPECT_EQ(h->get(stored[0].id, tmp_ / "out", false).code(), Code::kAlreadyExists);
  EXPECT_TRUE(h->get(stored[0].id, tmp_ / "out", true).is_ok());
  EXPECT_EQ(h->get("00000000000000000000000000000000", tmp_ / "x", false).code(), Code::kNotFound);
  expect_verified(*h);
  auto s = h->summary();
  EXPECT_EQ(s->counts.objects, 3);
  EXPECT_EQ(s->counts.domains, 2);
}

TEST_F(HubTest, EveryChangeAndReadIsInTheCustodyLog) {
  auto h = open();
  auto stored = put(*h, {file("a", 100, 1)}, "W-00001");
  ASSERT_TRUE(h->get(stored[0].id, tmp_ / "out", false).is_ok());
  ASSERT_TRUE(h->shred("W-00001", "consent withdrawn").is_ok());
  auto log = open_custody_log(dir());
  std::vector<std::string> actions;
  auto lines = (*log)->event_lines();
  for (const auto& line : *lines) {
    auto e = custody::parse_event(line);
    actions.push_back(e->action);
    EXPECT_EQ(e->actor, "tester");
    EXPECT_EQ(line.find(tmp_.path()), std::string::npos) << "no file names in the log: " << line;
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"init", "domain.create", "put", "get", "shred"}));
}

TEST_F(HubTest, WrongPassphraseTouchesNothing) {
  {
    auto h = open();
    put(*h, {file("a", 100, 1)}, "W-00001");
  }
  auto before = snapshot();
  auto h = Hub::open(dir(), vault::Credential::passphrase("not the passphrase"),
                     OpenOptions{"tester", 100});
  EXPECT_EQ(h.status().code(), Code::kUnauthenticated);
  EXPECT_EQ(h.status().message(), "wrong passphrase");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(HubTest, ShreddedDomainCannotBeDecryptedByAnyone) {
  auto h = open();
  auto doomed = put(*h, {file("a", 9000, 1)}, "W-00001");
  auto kept = put(*h, {file("b", 9000, 2)}, "W-00002");
  auto report = h->shred("W-00001", "witness withdrew consent");
  ASSERT_TRUE(report.is_ok());
  EXPECT_EQ(report->objects, 1);

  Status get = h->get(doomed[0].id, tmp_ / "out", false);
  EXPECT_EQ(get.code(), Code::kErased);
  EXPECT_NE(get.message().find("witness withdrew consent"), std::string::npos) << get.message();
  EXPECT_FALSE(fs::exists(tmp_ / "out"));
  EXPECT_TRUE(h->get(kept[0].id, tmp_ / "out", false).is_ok());
  expect_verified(*h);

  // The ciphertext is still on disk, but no key the hub has (or had a copy of) opens it: the
  // domain's key file is gone, and neither the master key nor another domain's key unwraps it.
  auto store = vault::make_directory_store(local_fs(), dir() + "/objects");
  ASSERT_TRUE(store->contains(doomed[0].id));
  auto master = vault::unlock_master_key(local_fs(), dir() + "/keys/master.json", pass());
  ASSERT_TRUE(master.is_ok());
  vault::DomainKeys keys(local_fs(), dir() + "/keys/domains", h->config().hub_id, *master);
  auto remaining = keys.domain_ids();
  ASSERT_EQ(remaining->size(), 1u) << "only W-00002's key is left";
  std::vector<crypto::SecretKey> candidates;
  candidates.push_back(std::move(master).value());
  candidates.push_back(std::move(keys.load((*remaining)[0])).value());
  auto log = open_custody_log(dir());
  std::string doomed_domain_id;
  auto lines = (*log)->event_lines();
  for (const auto& line : *lines) {
    auto e = custody::parse_event(line);
    if (e->action == "shred") doomed_domain_id = e->details["domain_id"];
  }
  for (const auto& k : candidates) {
    auto r = vault::open_object(*store, doomed[0].id, doomed_domain_id, k, nullptr);
    EXPECT_EQ(r.status().code(), Code::kIntegrity);
  }
  EXPECT_EQ(h->shred("W-00001", "").status().code(), Code::kErased) << "already shredded";
  EXPECT_EQ(h->shred("W-09999", "").status().code(), Code::kNotFound);
  std::vector<StoredObject> none;
  EXPECT_EQ(h->put({file("c", 10, 3)}, "W-00001", [&](const StoredObject& s) { none.push_back(s); })
                .code(),
            Code::kErased);
}

TEST_F(HubTest, AGetOverlappingAShredOutputsNothing) {
  auto stored = put(*open(), {file("a", 50000, 1)}, "W-00001");
  // The shred lands after get has checked the domain and loaded its key, while it decrypts.
  testing::FaultyFileSystem racing(local_fs());
  bool shredded = false;
  racing.on_operation([&](const std::string& what) {
    if (what != "creating a file in" || shredded) return;
    shredded = true;
    auto other = open();
    ASSERT_TRUE(other->shred("W-00001", "consent withdrawn").is_ok());
  });
  auto h = Hub::open(dir(), pass(), OpenOptions{"tester", 2000}, racing);
  ASSERT_TRUE(h.is_ok());
  Status st = (*h)->get(stored[0].id, tmp_ / "out", false);
  EXPECT_TRUE(shredded);
  EXPECT_EQ(st.code(), Code::kErased) << st.to_string();
  EXPECT_FALSE(fs::exists(tmp_ / "out"));
}

TEST_F(HubTest, ReputtingAFileWhoseObjectWentMissingSaysSo) {
  auto h = open();
  std::string a = file("a", 3000, 1);
  auto stored = put(*h, {a}, "W-00001");
  fs::remove(dir() + "/objects/" + stored[0].id.substr(0, 2) + "/" + stored[0].id);
  Status st = h->put({a}, "W-00001", [](const StoredObject&) {});
  EXPECT_EQ(st.code(), Code::kIntegrity);
  EXPECT_NE(st.message().find("missing"), std::string::npos) << st.message();
  auto r = h->verify();
  ASSERT_EQ(r->problems.size(), 1u);
  EXPECT_NE(r->problems[0].find("missing from the object store"), std::string::npos);
}

TEST_F(HubTest, MissingInputStoresNothing) {
  auto h = open();
  std::vector<StoredObject> out;
  Status st = h->put({file("a", 10, 1), tmp_ / "missing.pdf"}, "W-00001",
                     [&](const StoredObject& s) { out.push_back(s); });
  EXPECT_EQ(st.code(), Code::kNotFound);
  EXPECT_NE(st.message().find("missing.pdf"), std::string::npos);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(h->summary()->counts.objects, 0);
  EXPECT_EQ(h->put({tmp_.path()}, "W-00001", [](const StoredObject&) {}).code(),
            Code::kInvalidArgument)
      << "a directory is not a file";
}

TEST_F(HubTest, FailingWritesAnywhereLoseNothing) {
  std::vector<std::string> inputs = {file("a", 5000, 1), file("b", 20000, 2), file("c", 1, 3)};
  std::map<std::string, std::string> acknowledged;  // id -> sha256
  int round = 0;
  for (int nth = 1;; ++nth, ++round) {
    ASSERT_LT(round, 400) << "the put never completed without an injected failure";
    testing::FaultyFileSystem faulty(local_fs());
    faulty.fail_at(nth, nth % 2 ? ENOSPC : EIO);
    auto h = Hub::open(dir(), pass(), OpenOptions{"tester", 2000}, faulty);
    Status st = h.status();
    if (h.is_ok()) {
      // Different content each round so every round stores something new.
      testing::write_random_file(inputs[1], 20000, 100 + nth);
      st = (*h)->put(inputs, "W-00001",
                     [&](const StoredObject& s) { acknowledged[s.id] = s.sha256; });
    }
    if (!faulty.failed()) {
      ASSERT_TRUE(st.is_ok()) << st.to_string();
      break;
    }
    EXPECT_FALSE(st.is_ok()) << "failure " << nth << " was swallowed";
    EXPECT_TRUE(st.code() == Code::kNoSpace || st.code() == Code::kIoError) << st.to_string();
    h = Status();
    // With a working disk again, the hub recovers, verifies, and still holds every object
    // whose put was acknowledged.
    auto good = open();
    ASSERT_TRUE(good);
    expect_verified(*good);
    for (const auto& [id, sha] : acknowledged) {
      std::string out = tmp_ / "check";
      fs::remove(out);
      ASSERT_TRUE(good->get(id, out, false).is_ok()) << "acknowledged object " << id << " lost";
      EXPECT_EQ(testing::sha256sum_of(out), sha);
    }
  }
  EXPECT_GT(round, 10);
}

TEST_F(HubTest, RecoveryFinishesWhatAKilledProcessLeft) {
  std::string domain_id;
  {
    auto h = open();
    put(*h, {file("a", 100, 1)}, "W-00001");
    domain_id = (*h->summary()).domains[0].id;
  }
  // 1. An object renamed into place whose put was never logged (killed in between).
  std::string orphan = "0123456789abcdef0123456789abcdef";
  fs::create_directories(dir() + "/objects/01");
  testing::write_text_file(dir() + "/objects/01/" + orphan, "complete but unrecorded");
  testing::write_text_file(dir() + "/commit-in-progress", "");
  // 2. A shred that was logged, signed and catalogued, but whose key was not yet destroyed.
  std::string key_copy = testing::read_text(dir() + "/keys/domains/" + domain_id + ".key");
  {
    auto h = open();
    ASSERT_TRUE(h->shred("W-00001", "test").is_ok());
  }
  testing::write_text_file(dir() + "/keys/domains/" + domain_id + ".key", key_copy);
  // 3. A signed event the catalog has not applied (killed after signing, before the catalog).
  auto config = read_config(local_fs(), Layout{dir()});
  auto master = vault::unlock_master_key(local_fs(), dir() + "/keys/master.json", pass());
  auto signing =
      vault::load_signing_key(local_fs(), dir() + "/keys/signing.json", config->hub_id, *master);
  ASSERT_TRUE(signing.is_ok());
  auto log = custody::CustodyLog::open(local_fs(), dir() + "/custody", config->hub_id, true);
  std::vector<custody::Event> events(1);
  events[0].actor = "tester";
  events[0].action = "domain.create";
  events[0].details = {{"domain", "W-00005"}, {"domain_id", "feedfeedfeedfeedfeedfeedfeedfeed"}};
  ASSERT_TRUE((*log)->append(events).is_ok());
  ASSERT_TRUE((*log)->sign_head(*signing).is_ok());

  auto h = open();
  EXPECT_FALSE(fs::exists(dir() + "/objects/01/" + orphan));
  EXPECT_TRUE(fs::exists(dir() + "/objects/unrecorded/" + orphan)) << "kept for an administrator";
  EXPECT_FALSE(fs::exists(dir() + "/keys/domains/" + domain_id + ".key"));
  auto s = h->summary();
  bool found = false;
  for (const auto& d : s->domains) found |= d.name == "W-00005";
  EXPECT_TRUE(found) << "the signed domain.create was applied to the catalog";
  auto r = h->verify();
  ASSERT_TRUE(r.is_ok());
  // W-00005 has no key file (its creation was simulated without one): verify only says that.
  for (const auto& p : r->problems) EXPECT_NE(p.find("W-00005"), std::string::npos) << p;
}

TEST_F(HubTest, UnsignedEventsAreSetAsideNotApplied) {
  std::string id;
  std::string domain_id;
  {
    auto h = open();
    id = put(*h, {file("a", 100, 1)}, "W-00001")[0].id;
    domain_id = (*h->summary()).domains[0].id;
  }
  // Someone with write access but no key appends a shred of W-00001 to the log.
  std::string events = dir() + "/custody/events.jsonl";
  std::string text = testing::read_text(events);
  testing::write_text_file(
      events,
      text +
          R"({"seq":3,"time":"2026-11-21T00:00:00.000Z","actor":"intruder","action":"shred","object":"","sha256":"","details":{"domain":"W-00001","domain_id":")" +
          domain_id + R"(","objects":1,"reason":"forged"}})" + "\n");
  auto h = open();
  EXPECT_TRUE(fs::exists(dir() + "/keys/domains/" + domain_id + ".key"))
      << "an unsigned shred must not destroy a key";
  ASSERT_TRUE(h->get(id, tmp_ / "out", false).is_ok());
  auto lines = (*open_custody_log(dir()))->event_lines();
  auto recover = custody::parse_event((*lines)[3]);
  EXPECT_EQ(recover->action, "recover");
  EXPECT_EQ(recover->details["unsigned_events_set_aside"], 1);
  std::string aside = dir() + "/" + recover->details["file"].get<std::string>();
  EXPECT_NE(testing::read_text(aside).find("intruder"), std::string::npos) << "kept for audit";
  expect_verified(*h);
  auto report = h->verify();
  ASSERT_EQ(report->notices.size(), 1u) << "verify points the auditor at what was set aside";
  EXPECT_NE(report->notices[0].find("set aside"), std::string::npos) << report->notices[0];
}

TEST_F(HubTest, CatalogEditsDoNotDestroyKeys) {
  std::string domain_id;
  {
    auto h = open();
    put(*h, {file("a", 100, 1)}, "W-00001");
    domain_id = (*h->summary()).domains[0].id;
  }
  auto r = testing::run({"sqlite3", dir() + "/catalog.db",
                         "UPDATE key_domains SET state='shredded' WHERE id='" + domain_id + "'"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto h = open();
  EXPECT_TRUE(fs::exists(dir() + "/keys/domains/" + domain_id + ".key"));
  auto report = h->verify();
  ASSERT_TRUE(report.is_ok());
  ASSERT_FALSE(report->ok());
  EXPECT_NE(report->problems[0].find("differs from the custody log"), std::string::npos)
      << report->problems[0];
}

TEST_F(HubTest, AlteredSignedLogRefusesChangesButVerifyReports) {
  {
    auto h = open();
    put(*h, {file("a", 100, 1)}, "W-00001");
  }
  std::string events = dir() + "/custody/events.jsonl";
  std::string text = testing::read_text(events);
  text[text.find("tester")] = 'T';
  testing::write_text_file(events, text);
  auto h = open();
  ASSERT_TRUE(h);
  Status st = h->put({file("b", 10, 2)}, "W-00001", [](const StoredObject&) {});
  EXPECT_EQ(st.code(), Code::kIntegrity);
  EXPECT_NE(st.message().find("does not match its newest signed tree head"), std::string::npos)
      << st.message();
  auto r = h->verify();
  ASSERT_TRUE(r.is_ok());
  EXPECT_FALSE(r->ok());
}

TEST_F(HubTest, TamperingIsNamedByVerify) {
  auto h = open();
  auto stored = put(*h, {file("a", 10000, 1), file("b", 10000, 2)}, "W-00001");
  std::string obj = dir() + "/objects/" + stored[1].id.substr(0, 2) + "/" + stored[1].id;
  testing::flip_byte(obj, 5000);
  auto r = h->verify();
  ASSERT_TRUE(r.is_ok());
  ASSERT_EQ(r->problems.size(), 1u);
  EXPECT_NE(r->problems[0].find(stored[1].id), std::string::npos) << r->problems[0];
  EXPECT_NE(r->problems[0].find("chunk 1"), std::string::npos) << r->problems[0];
  EXPECT_EQ(h->get(stored[1].id, tmp_ / "out", false).code(), Code::kIntegrity);
  EXPECT_FALSE(fs::exists(tmp_ / "out")) << "nothing is output for an object that fails";
  auto leftovers = std::distance(fs::directory_iterator(tmp_.path()), fs::directory_iterator());
  EXPECT_EQ(leftovers, 3) << "hub, a, b and no partial output";
}

}  // namespace
}  // namespace evhub::hub

namespace evhub::hub {
namespace {

// Extracted text, OCR and translations are objects of their own that name their source and the
// tool; they live in the source's domain, so erasing it erases them, and the catalog rebuilt
// from the log still knows where each came from.
TEST_F(HubTest, DerivedObjectsCarryProvenanceAndFollowTheirSource) {
  auto h = open();
  ASSERT_TRUE(h);
  auto scan = h->put_data("scan", "%PDF- a scanned court decision", "W-00055",
                          Intake::evidence("org-a", "health"));
  ASSERT_TRUE(scan.is_ok());
  Intake provenance;
  provenance.tool = "tesseract";
  provenance.tool_version = "5.3.0";
  provenance.tool_parameters = "lang=bel psm=3";
  provenance.media_type = "text/plain; charset=utf-8";
  auto text = h->put_derived("ocr", "Рашэнне суда", scan->id, provenance);
  ASSERT_TRUE(text.is_ok()) << text.status().to_string();
  auto d = h->describe(text->id);
  ASSERT_TRUE(d.is_ok());
  EXPECT_EQ(d->record.origin, "derived");
  EXPECT_EQ(d->record.derived_from, scan->id);
  EXPECT_EQ(d->record.tool, "tesseract");
  EXPECT_EQ(d->record.tool_parameters, "lang=bel psm=3");
  EXPECT_EQ(d->record.media_type, "text/plain; charset=utf-8");
  EXPECT_EQ(d->record.sensitivity, "health") << "derived text is as restricted as its source";
  EXPECT_EQ(d->domain, "W-00055");
  EXPECT_EQ(h->put_derived("x", "y", std::string(32, '0'), provenance).status().code(),
            Code::kNotFound);
  expect_verified(*h);

  h.reset();
  auto rebuilt = Hub::open(dir(), pass(), OpenOptions{"tester", 2000, true});
  ASSERT_TRUE(rebuilt.is_ok()) << rebuilt.status().to_string();
  auto again = (*rebuilt)->describe(text->id);
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(again->record.derived_from, scan->id);
  EXPECT_EQ(again->record.tool_version, "5.3.0");

  ASSERT_TRUE((*rebuilt)->shred("W-00055", "witness erased").is_ok());
  EXPECT_EQ((*rebuilt)->open_object(text->id).status().code(), Code::kErased);
  EXPECT_EQ((*rebuilt)->put_derived("x", "y", scan->id, provenance).status().code(), Code::kErased);
}

}  // namespace
}  // namespace evhub::hub

namespace evhub::hub {
namespace {

// Many derived objects (a package's redacted texts) of several domains are stored as one batch:
// one append and one signed head for all of them, each in its source's domain with its
// provenance, duplicates inside a domain stored once; an erased or unknown source stops the
// whole batch before anything is logged.
TEST_F(HubTest, ABatchOfDerivedObjectsIsLoggedUnderOneSignedHead) {
  auto h = open();
  ASSERT_TRUE(h);
  auto a = h->put_data("a", "transcript of W-00061", "W-00061", Intake::evidence("org-a"));
  auto b = h->put_data("b", "transcript of W-00062", "W-00062",
                       Intake::evidence("org-a", "sexual-violence"));
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  auto derived = [](const std::string& source, const std::string& text) {
    DerivedData d;
    d.label = "redacted";
    d.source_id = source;
    d.data = text;
    d.provenance.tool = "evhub-redaction";
    d.provenance.tool_version = "1";
    d.provenance.media_type = "text/plain; charset=utf-8";
    return d;
  };
  const auto heads_before = (*(*open_custody_log(dir()))->heads()).size();
  const auto events_before = h->event_count();
  std::vector<DerivedData> batch = {derived(a->id, "transcript of [W-00061]"),
                                    derived(b->id, "transcript of [W-00062]"),
                                    derived(a->id, "transcript of [W-00061]")};
  auto stored = h->put_derived_batch(batch);
  ASSERT_TRUE(stored.is_ok()) << stored.status().to_string();
  ASSERT_EQ(stored->size(), 3U);
  EXPECT_EQ(h->event_count(), events_before + 3);
  EXPECT_EQ((*(*open_custody_log(dir()))->heads()).size(), heads_before + 1)
      << "one signed head for the batch";
  for (const auto& d : batch) EXPECT_TRUE(d.data.empty()) << "the plaintext is not kept";
  EXPECT_EQ((*stored)[0].domain, "W-00061");
  EXPECT_EQ((*stored)[1].domain, "W-00062");
  EXPECT_EQ((*stored)[1].sensitivity, "sexual-violence") << "as restricted as its source";
  EXPECT_EQ((*stored)[2].id, (*stored)[0].id) << "the same bytes in one domain, stored once";
  EXPECT_TRUE((*stored)[2].deduplicated);
  auto d = h->describe((*stored)[1].id);
  ASSERT_TRUE(d.is_ok());
  EXPECT_EQ(d->record.derived_from, b->id);
  EXPECT_EQ(d->record.tool, "evhub-redaction");
  EXPECT_EQ(d->record.origin, "derived");
  EXPECT_EQ(d->domain, "W-00062");
  const std::string out = tmp_ / "out.txt";
  ASSERT_TRUE(h->get((*stored)[1].id, out, false).is_ok());
  std::ifstream in(out);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "transcript of [W-00062]");

  batch.clear();
  EXPECT_TRUE(h->put_derived_batch(batch).is_ok()) << "an empty batch stores nothing";
  ASSERT_TRUE(h->shred("W-00062", "witness erased").is_ok());
  const auto events_now = h->event_count();
  batch = {derived(a->id, "another redaction"), derived(b->id, "of an erased witness")};
  EXPECT_EQ(h->put_derived_batch(batch).status().code(), Code::kErased);
  batch = {derived(a->id, "another redaction"), derived(std::string(32, '0'), "unknown")};
  EXPECT_EQ(h->put_derived_batch(batch).status().code(), Code::kNotFound);
  EXPECT_EQ(h->event_count(), events_now) << "nothing of a refused batch is logged";
  expect_verified(*h);
}

TEST_F(HubTest, SeveralAuditEventsAreLoggedUnderOneSignedHead) {
  auto h = open();
  ASSERT_TRUE(h);
  const auto heads_before = (*(*open_custody_log(dir()))->heads()).size();
  const auto events_before = h->event_count();
  ASSERT_TRUE(h->audit_all({{"witness.personal.view", "", {{"witness", "W-00061"}}},
                            {"witness.personal.view", "", {{"witness", "W-00062"}}}})
                  .is_ok());
  EXPECT_EQ(h->event_count(), events_before + 2);
  EXPECT_EQ((*(*open_custody_log(dir()))->heads()).size(), heads_before + 1);
  auto viewed = h->events(-1, "witness.personal.view", 10);
  ASSERT_TRUE(viewed.is_ok());
  ASSERT_EQ(viewed->size(), 2U);
  EXPECT_EQ(viewed->at(0).details.value("witness", ""), "W-00062");
  EXPECT_EQ(viewed->at(0).actor, "tester");
  EXPECT_TRUE(h->audit_all({}).is_ok());
  EXPECT_EQ(h->event_count(), events_before + 2);
}

}  // namespace
}  // namespace evhub::hub
