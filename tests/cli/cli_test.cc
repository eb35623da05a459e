// The evhub command as scripts and people use it: the real binary, run as a child process.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/support.h"

namespace evhub::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::evhub;
using testing::RunResult;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RunResult r = testing::run({testing::evhub_binary(), "--hub", hub(), "--key-file", key(),
                                "init", "--chunk-size", "4096"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_TRUE(fs::exists(key())) << "init creates the key file";
    EXPECT_EQ(fs::status(key()).permissions() & fs::perms::group_all, fs::perms::none);
    // Nothing of a hub is readable by other accounts on the machine.
    for (const auto& e : fs::recursive_directory_iterator(hub())) {
      EXPECT_EQ(e.status().permissions() & (fs::perms::group_all | fs::perms::others_all),
                fs::perms::none)
          << e.path();
    }
  }
  std::string hub() const { return tmp_ / "hub"; }
  std::string key() const { return tmp_ / "hub.key"; }
  RunResult ev(const std::vector<std::string>& args) { return evhub(hub(), key(), args); }
  std::string file(const std::string& name, std::uint64_t size, std::uint64_t seed = 1) {
    std::string p = tmp_ / name;
    testing::write_random_file(p, size, seed);
    return p;
  }
  // Stores `path` and returns its object id.
  std::string put(const std::string& path, const std::string& domain = "W-00001") {
    RunResult r = ev({"put", path, "--domain", domain, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out)["id"];
  }
  std::string object_path(const std::string& id) {
    return hub() + "/objects/" + id.substr(0, 2) + "/" + id;
  }
  testing::TempDir tmp_;
};

TEST_F(CliTest, PutJsonGivesIdHashAndSizeForEveryFile) {
  std::string a = file("a.bin", 12345, 1), b = file("b.bin", 0, 2);
  RunResult r = ev({"put", a, b, "--domain", "W-00001", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  std::vector<json> objects;
  while (std::getline(lines, line)) objects.push_back(json::parse(line));
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects[0]["sha256"], testing::sha256sum_of(a));
  EXPECT_EQ(objects[0]["size"], 12345);
  EXPECT_EQ(objects[1]["sha256"], testing::sha256sum_of(b));
  EXPECT_EQ(objects[0]["id"].get<std::string>().size(), 32u);
  // Without --json: one line per file starting with the id.
  RunResult plain = ev({"put", file("c.bin", 10, 3)});
  ASSERT_EQ(plain.exit_code, 0);
  EXPECT_EQ(plain.out.find(' '), 32u) << plain.out;
}

TEST_F(CliTest, GetWritesTheExactBytesAndRefusesToOverwrite) {
  std::string a = file("a.bin", 100000, 4);
  std::string id = put(a);
  RunResult r = ev({"get", id, "-o", tmp_ / "out.bin"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testing::sha256sum_of(tmp_ / "out.bin"), testing::sha256sum_of(a));
  EXPECT_EQ(ev({"get", id, "-o", tmp_ / "out.bin"}).exit_code, 10);
  EXPECT_EQ(ev({"get", id, "-o", tmp_ / "out.bin", "--force"}).exit_code, 0);
}

TEST_F(CliTest, VerifyPassesOnAHealthyHub) {
  put(file("a.bin", 5000));
  RunResult r = ev({"verify", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  json j = json::parse(r.out);
  EXPECT_TRUE(j["ok"]);
  EXPECT_EQ(j["objects_checked"], 1);
  EXPECT_TRUE(j["problems"].empty());
}

TEST_F(CliTest, ExitCodesAndMessagesForBadInput) {
  RunResult unknown = ev({"get", "0123456789abcdef0123456789abcdef", "-o", tmp_ / "x"});
  EXPECT_EQ(unknown.exit_code, 4);
  EXPECT_NE(unknown.err.find("no object"), std::string::npos) << unknown.err;
  RunResult missing = ev({"put", tmp_ / "no-such-file.pdf"});
  EXPECT_EQ(missing.exit_code, 4);
  EXPECT_NE(missing.err.find("no-such-file.pdf"), std::string::npos) << missing.err;
  std::string unreadable = file("locked.bin", 10);
  fs::permissions(unreadable, fs::perms::none);
  if (::geteuid() != 0) {  // root reads anything
    EXPECT_NE(ev({"put", unreadable}).exit_code, 0);
  }
  EXPECT_EQ(ev({"shred", "W-00001"}).exit_code, 2) << "shred needs --yes";
  EXPECT_EQ(ev({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(ev({"put"}).exit_code, 2);
  RunResult wrong_key = testing::run(
      {testing::evhub_binary(), "--hub", hub(), "--key-file", file("other.key", 32, 99), "status"});
  EXPECT_EQ(wrong_key.exit_code, 3);
  EXPECT_NE(wrong_key.err.find("wrong key file"), std::string::npos);
  RunResult no_hub = evhub(tmp_ / "nowhere", key(), {"status"});
  EXPECT_EQ(no_hub.exit_code, 4);
  EXPECT_NE(no_hub.err.find("evhub init"), std::string::npos) << no_hub.err;
  RunResult again =
      testing::run({testing::evhub_binary(), "--hub", hub(), "--key-file", key(), "init"});
  EXPECT_EQ(again.exit_code, 10) << "init never overwrites a hub";
  RunResult bad_actor = testing::run({testing::evhub_binary(), "--hub", hub(), "--key-file", key(),
                                      "--actor", "bad\xff", "status"});
  EXPECT_EQ(bad_actor.exit_code, 2) << bad_actor.err;
  EXPECT_EQ(ev({"put", file("d.bin", 5), "--domain", "W-1\nforged"}).exit_code, 2);
  RunResult json_err = ev({"--json", "get", "0123456789abcdef0123456789abcdef", "-o", "x"});
  json j = json::parse(json_err.out);
  EXPECT_EQ(j["error"]["exit_code"], 4);
  EXPECT_FALSE(j["ok"]);
}

TEST_F(CliTest, PassphraseFromEnvironmentAndWrongPassphrase) {
  std::string dir = tmp_ / "hub2";
  std::map<std::string, std::string> env = {{"EVHUB_PASSPHRASE", "a good long passphrase"}};
  ASSERT_EQ(
      testing::run({testing::evhub_binary(), "--hub", dir, "init", "--kdf", "interactive"}, env)
          .exit_code,
      0);
  EXPECT_EQ(testing::run({testing::evhub_binary(), "--hub", dir, "status"}, env).exit_code, 0);
  RunResult wrong = testing::run({testing::evhub_binary(), "--hub", dir, "status"},
                                 {{"EVHUB_PASSPHRASE", "a good long passphrasE"}});
  EXPECT_EQ(wrong.exit_code, 3);
  EXPECT_EQ(wrong.err, "evhub: wrong passphrase\n");
  RunResult none = testing::run(
      {"env", "-u", "EVHUB_PASSPHRASE", testing::evhub_binary(), "--hub", dir, "status"});
  EXPECT_EQ(none.exit_code, 3);
  EXPECT_NE(none.err.find("EVHUB_PASSPHRASE"), std::string::npos) << none.err;
  // $EVHUB_HUB is the default hub.
  auto with_hub = env;
  with_hub["EVHUB_HUB"] = dir;
  EXPECT_EQ(testing::run({testing::evhub_binary(), "status"}, with_hub).exit_code, 0);
}

TEST_F(CliTest, EveryFlippedObjectByteIsFoundAndNamedByVerify) {
  std::string id = put(file("a.bin", 9000, 5));
  std::string path = object_path(id);
  const auto size = static_cast<std::int64_t>(testing::file_size(path));
  for (std::int64_t offset : {std::int64_t{0}, std::int64_t{9}, std::int64_t{40}, std::int64_t{84},
                              std::int64_t{4200}, size - 1}) {
    testing::flip_byte(path, offset);
    RunResult r = ev({"verify"});
    EXPECT_EQ(r.exit_code, 5) << "flip at " << offset;
    EXPECT_NE(r.out.find("PROBLEM: object " + id), std::string::npos) << r.out;
    RunResult get = ev({"get", id, "-o", tmp_ / "out"});
    EXPECT_EQ(get.exit_code, 5);
    EXPECT_FALSE(fs::exists(tmp_ / "out"));
    testing::flip_byte(path, offset);
  }
  EXPECT_EQ(ev({"verify"}).exit_code, 0);
}

TEST_F(CliTest, FlippedEventsAndHeadsAreFoundByVerify) {
  put(file("a.bin", 100, 1));
  put(file("b.bin", 100, 2));
  const std::string events = hub() + "/custody/events.jsonl";
  const std::string heads = hub() + "/custody/heads.jsonl";
  for (const std::string& target : {events, heads}) {
    std::string original = testing::read_text(target);
    // Every 37th byte, and the last one: the final newline, whose loss looks like a torn write.
    std::vector<std::int64_t> offsets;
    for (std::int64_t at = 0; at < static_cast<std::int64_t>(original.size()); at += 37) {
      offsets.push_back(at);
    }
    offsets.push_back(static_cast<std::int64_t>(original.size()) - 1);
    for (std::int64_t offset : offsets) {
      testing::flip_byte(target, offset);
      RunResult r = ev({"verify"});
      EXPECT_EQ(r.exit_code, 5) << target << " flip at " << offset << "\n" << r.out << r.err;
      EXPECT_NE(r.out.find("PROBLEM:"), std::string::npos) << r.out << r.err;
      testing::write_text_file(target, original);
    }
  }
  EXPECT_EQ(ev({"verify"}).exit_code, 0);
  for (const char* key_file : {"signing-key.pub", "signing-key.pem"}) {
    const std::string path = hub() + "/custody/" + key_file;
    const std::string original = testing::read_text(path);
    testing::flip_byte(path, 30);
    RunResult r = ev({"verify"});
    EXPECT_EQ(r.exit_code, 5) << key_file;
    EXPECT_NE(r.out.find(key_file), std::string::npos) << r.out;
    testing::write_text_file(path, original);
  }
}

TEST_F(CliTest, LogProofAndConsistencyVerify) {
  put(file("a.bin", 100, 1));
  put(file("b.bin", 100, 2), "W-00002");
  RunResult show = ev({"log", "show", "--json"});
  ASSERT_EQ(show.exit_code, 0);
  EXPECT_EQ(json::parse(show.out.substr(0, show.out.find('\n')))["action"], "init");
  RunResult proof = ev({"log", "proof", "2", "--json"});
  ASSERT_EQ(proof.exit_code, 0) << proof.err;
  EXPECT_TRUE(json::parse(proof.out)["verified"]);
  // A head is signed after each change: sizes 1 (init) to 5 (the second put).
  RunResult cons = ev({"log", "consistency", "1", "5", "--json"});
  ASSERT_EQ(cons.exit_code, 0) << cons.err;
  EXPECT_TRUE(json::parse(cons.out)["verified"]);
  EXPECT_EQ(ev({"log", "proof", "99"}).exit_code, 4);
  EXPECT_EQ(ev({"log", "consistency", "2", "99"}).exit_code, 4) << "99 is not a signed head";
  EXPECT_EQ(ev({"log", "consistency", "5", "2"}).exit_code, 4) << "old must not be newer";
  // The log commands need no key at all.
  EXPECT_EQ(testing::run({testing::evhub_binary(), "--hub", hub(), "log", "show"},
                         {{"EVHUB_PASSPHRASE", "irrelevant"}})
                .exit_code,
            0);
}

TEST_F(CliTest, ShredMakesObjectsUnreadableAndStatusSaysWhy) {
  std::string id = put(file("a.bin", 1000, 1), "W-00042");
  RunResult r = ev({"shred", "W-00042", "--yes", "--reason", "consent withdrawn"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  RunResult get = ev({"get", id, "-o", tmp_ / "out"});
  EXPECT_EQ(get.exit_code, 9);
  EXPECT_NE(get.err.find("consent withdrawn"), std::string::npos) << get.err;
  RunResult status = ev({"status", "--json"});
  json j = json::parse(status.out);
  EXPECT_EQ(j["domains"][0]["state"], "shredded");
  EXPECT_EQ(j["domains"][0]["reason"], "consent withdrawn");
  EXPECT_EQ(ev({"verify"}).exit_code, 0);
}

TEST_F(CliTest, DiskFullIsAClearErrorAndLosesNothing) {
  std::string small = put(file("small.bin", 1000, 1));
  // A file-size limit of 2 MiB: storing a 5 MiB file must fail cleanly, not crash.
  std::string big = file("big.bin", 5 << 20, 2);
  RunResult r =
      testing::run({testing::evhub_binary(), "--hub", hub(), "--key-file", key(), "put", big}, {},
                   "ulimit -f 2048;");
  EXPECT_EQ(r.exit_code, 8) << r.err;
  EXPECT_NE(r.err.find("disk full or file size limit"), std::string::npos) << r.err;
  EXPECT_EQ(ev({"verify"}).exit_code, 0);
  EXPECT_EQ(ev({"get", small, "-o", tmp_ / "out"}).exit_code, 0);
  EXPECT_TRUE(fs::is_empty(hub() + "/objects/tmp")) << "no partial object left behind";
}

TEST_F(CliTest, CorruptCatalogIsNamedAndRebuiltFromTheLog) {
  std::string id = put(file("a.bin", 100, 1));
  testing::write_random_file(hub() + "/catalog.db", 16384, 3);
  fs::remove(hub() + "/catalog.db-wal");
  fs::remove(hub() + "/catalog.db-shm");
  RunResult r = ev({"status"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("catalog"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("damaged"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("evhub catalog rebuild"), std::string::npos) << r.err;
  // Nothing is lost: the catalog is rebuilt from the signed custody log.
  RunResult rebuilt = ev({"catalog", "rebuild"});
  EXPECT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_EQ(ev({"verify"}).exit_code, 0);
  EXPECT_EQ(ev({"get", id, "-o", tmp_ / "out"}).exit_code, 0);
  EXPECT_EQ(testing::sha256sum_of(tmp_ / "out"), testing::sha256sum_of(tmp_ / "a.bin"));
  bool kept = false;
  for (const auto& e : fs::directory_iterator(hub())) {
    kept |= e.path().filename().string().starts_with("catalog.db.damaged-");
  }
  EXPECT_TRUE(kept) << "the damaged catalog is kept for inspection";
}

TEST_F(CliTest, WitnessesAndConsentFromTheCommandLine) {
  ASSERT_EQ(ev({"org", "add", "Partner A"}).exit_code, 0);
  const std::string personal = tmp_ / "personal.json";
  // Fictional.
  testing::write_text_file(personal, R"({"name":"Maryja Fictional","contacts":"+375 00"})");
  RunResult add = ev({"witness", "add", "W-00321", "--org", "Partner A", "--gender", "female",
                      "--country", "LT", "--language", "be", "--personal-file", personal});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_EQ(ev({"witness", "add", "W-00321", "--org", "Partner A"}).exit_code, 10);
  EXPECT_EQ(ev({"witness", "add", "Maryja", "--org", "Partner A"}).exit_code, 2);
  EXPECT_EQ(ev({"witness", "add", "W-00322", "--org", "Nowhere"}).exit_code, 4);

  const std::string form = file("form.pdf", 2000, 8);
  RunResult consent = ev({"consent", "add", "W-00321", "--given-on", "2026-01-10", "--taken-by",
                          "intake-1", "--scope", "internal-analysis", "--scope", "share-icc",
                          "--renew-by", "2027-01-10", "--form", form});
  ASSERT_EQ(consent.exit_code, 0) << consent.err;
  RunResult ok =
      ev({"consent", "check", "W-00321", "sharing", "--recipient", "icc", "--today", "2026-06-01"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("allowed: W-00321: consent v1"), std::string::npos) << ok.out;
  RunResult refused = ev(
      {"consent", "check", "W-00321", "sharing", "--recipient", "lawyer", "--today", "2026-06-01"});
  EXPECT_EQ(refused.exit_code, 11);
  EXPECT_NE(refused.out.find("W-00321: consent v1 does not cover lawyers"), std::string::npos);
  RunResult gaps = ev({"consent", "gaps", "sharing", "--recipient", "lawyer"});
  EXPECT_NE(gaps.out.find("too-narrow"), std::string::npos) << gaps.out;

  RunResult shown = ev({"--json", "witness", "show", "W-00321", "--personal"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(json::parse(shown.out)["personal"]["name"], "Maryja Fictional");
  const std::string log = testing::read_text(hub() + "/custody/events.jsonl");
  EXPECT_NE(log.find("witness.personal.view"), std::string::npos);
  EXPECT_EQ(log.find("Maryja"), std::string::npos) << "the view is logged, never the name";
  EXPECT_EQ(json::parse(ev({"--json", "witness", "list"}).out)["consent"]["scopes"].size(), 2u);
  // Records are not evidence: ls shows them, the hub verifies them like any object.
  EXPECT_EQ(ev({"verify"}).exit_code, 0);

  RunResult contact = ev({"contact", "add", "W-00321", "--on", "2026-02-01", "--by", "intake-1",
                          "--channel", "phone", "--purpose", "follow-up"});
  ASSERT_EQ(contact.exit_code, 0) << contact.err;
  EXPECT_NE(contact.err.find("does not cover re-contact"), std::string::npos) << contact.err;
  RunResult soon = ev({"contact", "check", "W-00321", "--on", "2026-02-10"});
  EXPECT_EQ(soon.exit_code, 11);
  EXPECT_NE(soon.err.find("was contacted 9 days before"), std::string::npos) << soon.err;
  EXPECT_NE(ev({"contact", "list", "W-00321"}).out.find("follow-up"), std::string::npos);
  EXPECT_EQ(
      ev({"contact", "add", "W-00321", "--on", "2026-02-01", "--by", "x", "--channel", "pigeon"})
          .exit_code,
      2);

  EXPECT_EQ(ev({"witness", "erase", "W-00321"}).exit_code, 2) << "needs --yes";
  RunResult erased = ev({"witness", "erase", "W-00321", "--yes", "--reason", "withdrew"});
  ASSERT_EQ(erased.exit_code, 0) << erased.err;
  RunResult tomb = ev({"witness", "show", "W-00321"});
  EXPECT_NE(tomb.out.find("ERASED"), std::string::npos) << tomb.out;
  EXPECT_NE(tomb.out.find("withdrew"), std::string::npos);
  EXPECT_EQ(ev({"witness", "show", "W-00321", "--personal"}).exit_code, 9);
  EXPECT_EQ(ev({"verify"}).exit_code, 0);
}

TEST_F(CliTest, TranslationJobsRunFromTheQueueAndFailuresStayVisible) {
  const std::string text = tmp_ / "statement-be.txt";
  testing::write_text_file(text, "Мяне затрымалі ў Мінску ў жніўні 2020 года.\n");
  RunResult put = ev({"--json", "put", text, "--domain", "W-00500"});
  ASSERT_EQ(put.exit_code, 0) << put.err;
  const std::string id = json::parse(put.out)["id"];
  RunResult add = ev({"jobs", "add", "translate", id, "--payload", R"({"from":"be","to":"ru"})"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_EQ(ev({"jobs", "add", "translate", std::string(32, '0')}).exit_code, 4);
  EXPECT_EQ(ev({"jobs", "add", "translate", id, "--payload", "{oops"}).exit_code, 2);
  RunResult ran = ev({"--json", "jobs", "--wait", "--threads", "2"});
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  json job;  // the translation's job (the index catch-up it queued is listed above it)
  std::istringstream listed_jobs(ran.out);
  for (std::string line; std::getline(listed_jobs, line);) {
    if (json j = json::parse(line); j["kind"] == "translate") job = j;
  }
  ASSERT_EQ(job["state"], "done") << ran.out;
  const std::string translation = json::parse(job["result"].get<std::string>())["translation"];
  ASSERT_EQ(ev({"get", translation, "-o", tmp_ / "ru.txt"}).exit_code, 0);
  EXPECT_NE(testing::read_text(tmp_ / "ru.txt").find("Меня задержали в Минске"), std::string::npos);
  bool listed = false;
  std::istringstream lines(ev({"--json", "ls"}).out);
  for (std::string line; std::getline(lines, line);) {
    json o = json::parse(line);
    if (o["id"] != translation) continue;
    listed = true;
    EXPECT_EQ(o["derived_from"], id);
    EXPECT_EQ(o["tool"], "apertium");
    EXPECT_EQ(o["domain"], "W-00500");
  }
  EXPECT_TRUE(listed);

  // A pair nobody offers fails at once, with its reason, and can be retried by a person.
  const std::string other = tmp_ / "other.txt";
  testing::write_text_file(other, "Іншы тэкст.\n");
  const std::string other_id = json::parse(ev({"--json", "put", other}).out)["id"];
  ASSERT_EQ(ev({"jobs", "add", "translate", other_id, "--payload", R"({"from":"be","to":"en"})"})
                .exit_code,
            0);
  RunResult failed = ev({"--json", "jobs", "--wait", "--state", "failed"});
  ASSERT_EQ(failed.exit_code, 0);
  json f = json::parse(failed.out.substr(0, failed.out.find('\n')));
  EXPECT_EQ(f["state"], "failed");
  EXPECT_NE(f["error"].get<std::string>().find("no be→en pair"), std::string::npos) << f;
  EXPECT_EQ(ev({"jobs", "retry", std::to_string(f["id"].get<int>())}).exit_code, 0);
  EXPECT_EQ(ev({"jobs", "retry", "999"}).exit_code, 4);
  EXPECT_EQ(ev({"verify"}).exit_code, 0);
}

TEST_F(CliTest, InterviewsAndDocumentsFromTheCommandLine) {
  ASSERT_EQ(ev({"org", "add", "Partner A"}).exit_code, 0);
  ASSERT_EQ(ev({"witness", "add", "W-00450", "--org", "Partner A"}).exit_code, 0);
  const std::string recording = file("interview.wav", 5000, 21);
  const std::string transcript = tmp_ / "transcript.txt";
  testing::write_text_file(transcript, "Q: Where were you held? A: Akrescina street.\n");
  RunResult added = ev({"--json", "interview", "add", "W-00450", "--on", "2026-01-20", "--place",
                        "Vilnius", "--interviewer", "intake-1", "--language", "be", "--recording",
                        recording, "--transcript", transcript});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  json iv = json::parse(added.out);
  EXPECT_EQ(iv["status"], "transcribed");
  EXPECT_EQ(iv["recordings"].size(), 1u);
  const std::string id = iv["id"];
  const std::string translation = tmp_ / "translation.txt";
  testing::write_text_file(translation, "Q: Where were you held? A: Akrescina street (en).\n");
  RunResult moved = ev({"interview", "update", "W-00450", id, "--status", "translated",
                        "--translation", translation});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_EQ(ev({"interview", "update", "W-00450", id, "--status", "recorded"}).exit_code, 11);
  EXPECT_NE(ev({"interview", "list", "W-00450"}).out.find("translated"), std::string::npos);

  RunResult doc =
      ev({"--json", "document", "add", "W-00450", file("cert.pdf", 900, 22), "--kind", "medical",
          "--date", "2020-08-14", "--description", "hospital certificate", "--interview", id});
  ASSERT_EQ(doc.exit_code, 0) << doc.err;
  EXPECT_EQ(json::parse(doc.out)["sensitivity"], "health") << "medical records are health";
  EXPECT_NE(ev({"document", "list", "W-00450"}).out.find("hospital certificate"),
            std::string::npos);
  EXPECT_EQ(ev({"document", "add", "W-00450", file("x.bin", 10, 23), "--kind", "diary"}).exit_code,
            2);
  // Every file stored is queued for processing.
  EXPECT_GE(json::parse("[" +
                        [&] {
                          std::string out = ev({"--json", "jobs", "--state", "queued"}).out, list;
                          for (char c : out) list += c == '\n' ? ',' : c;
                          return list.empty() ? list : list.substr(0, list.size() - 1);
                        }() +
                        "]")
                .size(),
            4u);
  EXPECT_EQ(ev({"verify"}).exit_code, 0);
}

TEST_F(CliTest, ImportReportsEveryProblemThenImportsOnce) {
  ASSERT_EQ(ev({"org", "add", "Partner A"}).exit_code, 0);
  fs::create_directories(tmp_ / "intake");
  testing::write_text_file(tmp_ / "intake/t.txt", "Мяне затрымалі ў Мінску і білі.\n");
  testing::write_text_file(tmp_ / "intake/bad.csv",
                           "record,witness,organisation,file,kind\n"
                           "witness,W-1,Partner A,,\n"
                           "document,W-00001,,nothere.pdf,medical\n");
  RunResult bad = ev({"import", "closed-source", tmp_ / "intake/bad.csv"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bad.csv:2:2: a witness code"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("bad.csv:3:4: no file nothere.pdf"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("nothing was imported"), std::string::npos);
  testing::write_text_file(tmp_ / "intake/good.csv",
                           "record,witness,organisation,file,kind,language\n"
                           "witness,W-00001,Partner A,,,\n"
                           "document,W-00001,,t.txt,other,be\n");
  EXPECT_EQ(ev({"import", "closed-source", tmp_ / "intake/good.csv", "--dry-run"}).exit_code, 0);
  EXPECT_EQ(json::parse(ev({"--json", "witness", "list"}).out.empty() ? "null" : "1"), nullptr)
      << "a dry run imports nothing";
  RunResult good = ev({"--json", "import", "closed-source", tmp_ / "intake/good.csv"});
  ASSERT_EQ(good.exit_code, 0) << good.err;
  EXPECT_EQ(json::parse(good.out)["documents"], 1);
  RunResult again = ev({"--json", "import", "closed-source", tmp_ / "intake/good.csv"});
  EXPECT_EQ(json::parse(again.out)["skipped"], 2);
  EXPECT_EQ(ev({"verify"}).exit_code, 0);
}

TEST_F(CliTest, SensitivityIsRecordedListedAndRebuiltFromTheLog) {
  RunResult put = ev({"--json", "put", file("cert.pdf", 300, 4), "--domain", "W-00009",
                      "--sensitivity", "health"});
  ASSERT_EQ(put.exit_code, 0) << put.err;
  EXPECT_EQ(json::parse(put.out)["sensitivity"], "health");
  EXPECT_EQ(ev({"put", file("x", 3, 5), "--sensitivity", "secret"}).exit_code, 2);
  auto listed = [&] { return json::parse(ev({"--json", "ls"}).out)["sensitivity"]; };
  EXPECT_EQ(listed(), "health");
  // The catalog is a view of the log: rebuilt, it still knows the category.
  fs::remove(hub() + "/catalog.db");
  fs::remove(hub() + "/catalog.db-wal");
  fs::remove(hub() + "/catalog.db-shm");
  ASSERT_EQ(ev({"catalog", "rebuild"}).exit_code, 0);
  EXPECT_EQ(listed(), "health");
  EXPECT_NE(ev({"ls"}).out.find("[health]"), std::string::npos);
}

TEST_F(CliTest, ConcurrentWritersAllSucceed) {
  std::vector<std::unique_ptr<testing::Child>> children;
  std::vector<std::string> files;
  for (int i = 0; i < 6; ++i) {
    files.push_back(file("f" + std::to_string(i), 50000 + i, 10 + i));
    children.push_back(std::make_unique<testing::Child>(std::vector<std::string>{
        testing::evhub_binary(), "--hub", hub(), "--key-file", key(), "--json", "put", files.back(),
        "--domain", i % 2 ? "W-00001" : "W-00002"}));
  }
  std::vector<std::string> ids;
  for (auto& c : children) {
    RunResult r = c->wait();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ids.push_back(json::parse(r.out)["id"]);
  }
  EXPECT_EQ(ev({"verify"}).exit_code, 0);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::string out = tmp_ / ("out" + std::to_string(i));
    ASSERT_EQ(ev({"get", ids[i], "-o", out}).exit_code, 0);
    EXPECT_EQ(testing::sha256sum_of(out), testing::sha256sum_of(files[i]));
  }
}

TEST_F(CliTest, HelpDocumentsExitCodes) {
  RunResult r = testing::run({testing::evhub_binary(), "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Exit codes"), std::string::npos);
  for (const char* verb : {"init", "put", "get", "verify", "shred", "log"}) {
    EXPECT_NE(r.out.find(verb), std::string::npos) << verb;
  }
}

}  // namespace
}  // namespace evhub::cli

namespace evhub::cli {
namespace {

TEST_F(CliTest, RemovedTreeHeadsAreDetectedNotRepaired) {
  put(file("a.bin", 100, 1));
  std::string id = put(file("b.bin", 100, 2));
  ASSERT_EQ(ev({"get", id, "-o", tmp_ / "out"}).exit_code, 0);
  const std::string heads = hub() + "/custody/heads.jsonl";
  const std::string events = hub() + "/custody/events.jsonl";
  std::string text = testing::read_text(heads);
  const std::string log_before = testing::read_text(events);
  // Drop the newest head: the get it covered must not be silently set aside.
  testing::write_text_file(heads, text.substr(0, text.rfind('\n', text.size() - 2) + 1));
  RunResult v = ev({"verify"});
  EXPECT_EQ(v.exit_code, 5) << v.out << v.err;
  EXPECT_NE(v.out.find("not covered by a signed tree head"), std::string::npos) << v.out;
  EXPECT_EQ(testing::read_text(events), log_before) << "no signed event may be moved away";
  RunResult p = ev({"put", file("c.bin", 10, 3)});
  EXPECT_EQ(p.exit_code, 5);
  EXPECT_NE(p.err.find("heads were removed"), std::string::npos) << p.err;
  RunResult rebuild = ev({"catalog", "rebuild"});
  EXPECT_EQ(rebuild.exit_code, 5) << "a rebuild would drop signed events";
  // With the head back, all is well again.
  testing::write_text_file(heads, text);
  EXPECT_EQ(ev({"verify"}).exit_code, 0);
}

TEST_F(CliTest, GetRefusesBadOutputPathsWithoutLoggingARead) {
  std::string id = put(file("a.bin", 100, 1));
  const auto events_before = testing::read_text(hub() + "/custody/events.jsonl");
  EXPECT_EQ(ev({"get", id, "-o", ""}).exit_code, 2);
  EXPECT_EQ(ev({"get", id, "-o", tmp_.path(), "--force"}).exit_code, 2);
  EXPECT_EQ(ev({"get", id, "-o", "/dev/null", "--force"}).exit_code, 2);
  EXPECT_TRUE(fs::is_character_file("/dev/null")) << "a device must never be replaced";
  RunResult inside = ev({"get", id, "-o", hub() + "/catalog.db", "--force"});
  EXPECT_EQ(inside.exit_code, 2);
  EXPECT_NE(inside.err.find("inside the hub"), std::string::npos) << inside.err;
  EXPECT_EQ(testing::read_text(hub() + "/custody/events.jsonl"), events_before);
  EXPECT_EQ(ev({"verify"}).exit_code, 0);
}

TEST_F(CliTest, FailedInitLeavesNothingAndCanBeRetried) {
  std::string dir = tmp_ / "new-hub";
  RunResult weak = testing::run({testing::evhub_binary(), "--hub", dir, "init"},
                                {{"EVHUB_PASSPHRASE", "short"}});
  EXPECT_EQ(weak.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir));
  RunResult good =
      testing::run({testing::evhub_binary(), "--hub", dir, "init", "--kdf", "interactive"},
                   {{"EVHUB_PASSPHRASE", "long enough now"}});
  EXPECT_EQ(good.exit_code, 0) << good.err;
}

TEST_F(CliTest, FullDiskInTheCatalogIsNamedAsDiskFull) {
  // With an 8 KiB file-size limit, SQLite cannot write its WAL: it reports "disk I/O error",
  // which evhub must name as a full disk (exit 8), losing nothing.
  put(file("first.bin", 10, 5));
  std::string f = file("tiny.bin", 10, 4);
  RunResult r = testing::run({testing::evhub_binary(), "--hub", hub(), "--key-file", key(), "put",
                              f, "--domain", "W-00001"},
                             {}, "ulimit -f 8;");
  EXPECT_EQ(r.exit_code, 8) << r.err;
  EXPECT_NE(r.err.find("catalog"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("disk full"), std::string::npos) << r.err;
  EXPECT_EQ(ev({"verify"}).exit_code, 0);
  EXPECT_EQ(ev({"put", f, "--domain", "W-00001"}).exit_code, 0) << "works again with space";
}

}  // namespace
}  // namespace evhub::cli

namespace evhub::cli {
namespace {

TEST_F(CliTest, ServeBindsLoopbackAnswersAndStopsCleanlyOnSigterm) {
  testing::Child server({testing::evhub_binary(), "--hub", hub(), "--key-file", key(), "serve",
                         "--listen", "127.0.0.1:0"});
  std::string line = server.read_line(20000);
  ASSERT_NE(line.find("http://127.0.0.1:"), std::string::npos) << line;
  std::string url = line.substr(line.find("http://"));
  url = url.substr(0, url.find(' '));
  RunResult health = testing::run({"curl", "-s", url + "api/v1/health"});
  EXPECT_EQ(health.out, R"({"status":"ok"})");
  server.send_signal(SIGTERM);
  RunResult r = server.wait();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  RunResult bad = ev({"serve", "--listen", "nonsense"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST_F(CliTest, ServeSpeaksHttpsWithSecureCookiesWhenGivenACertificate) {
  const std::string cert = tmp_ / "cert.pem", pem_key = tmp_ / "key.pem";
  RunResult made =
      testing::run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", pem_key, "-out", cert});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  ASSERT_EQ(ev({"org", "add", "Partner A"}).exit_code, 0);
  ASSERT_EQ(testing::run({testing::evhub_binary(), "--hub", hub(), "--key-file", key(), "user",
                          "add", "analyst", "--org", "Partner A", "--role", "analyst"},
                         {{"EVHUB_USER_PASSWORD", "analyst password"}})
                .exit_code,
            0);
  testing::Child server({testing::evhub_binary(), "--hub", hub(), "--key-file", key(), "serve",
                         "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", pem_key});
  std::string line = server.read_line(20000);
  ASSERT_NE(line.find("https://127.0.0.1:"), std::string::npos) << line;
  std::string url = line.substr(line.find("https://"));
  url = url.substr(0, url.find(' '));
  RunResult signed_in = testing::run({"curl", "-s", "-D", "-", "--cacert", cert, "--data",
                                      R"({"username":"analyst","password":"analyst password"})",
                                      url + "api/v1/session"});
  EXPECT_NE(signed_in.out.find("HttpOnly; SameSite=Strict; Secure"), std::string::npos)
      << signed_in.out;
  EXPECT_NE(testing::run({"curl", "-s", "--cacert", cert, url + "api/v1/health"}).out.find("ok"),
            std::string::npos);
  server.send_signal(SIGTERM);
  EXPECT_EQ(server.wait().exit_code, 0);

  // A certificate without its key is refused before anything listens.
  RunResult half = ev({"serve", "--listen", "127.0.0.1:0", "--tls-cert", cert});
  EXPECT_EQ(half.exit_code, 2) << half.err;
  EXPECT_NE(half.err.find("key"), std::string::npos) << half.err;
}

}  // namespace
}  // namespace evhub::cli

namespace evhub::cli {
namespace {

TEST_F(CliTest, AdministratorManagesOrganisationsUsersAndRoles) {
  auto with_password = [&](const std::vector<std::string>& args, const std::string& pw) {
    std::vector<std::string> argv = {
        testing::evhub_binary(), "--hub", hub(), "--key-file", key(), "--actor", "admin"};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::run(argv, {{"EVHUB_USER_PASSWORD", pw}});
  };
  ASSERT_EQ(ev({"org", "add", "Partner B"}).exit_code, 0);
  EXPECT_EQ(ev({"org", "add", "Partner B"}).exit_code, 10);
  RunResult add = with_password({"user", "add", "analyst.one", "--org", "Partner B", "--role",
                                 "analyst", "--role", "reviewer"},
                                "a long enough password");
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_EQ(with_password({"user", "add", "analyst.two", "--org", "Partner B"}, "short").exit_code,
            2);
  EXPECT_EQ(with_password({"user", "add", "Bad Name", "--org", "Partner B"}, "a long password!")
                .exit_code,
            2);
  EXPECT_EQ(with_password({"user", "add", "x.y", "--org", "Nowhere"}, "a long password!").exit_code,
            4);
  EXPECT_EQ(ev({"user", "grant", "analyst.one", "lead", "--org", "Partner B"}).exit_code, 0);
  EXPECT_EQ(ev({"user", "grant", "analyst.one", "lead", "--org", "Partner B"}).exit_code, 10);
  EXPECT_EQ(ev({"user", "grant", "analyst.one", "boss", "--org", "Partner B"}).exit_code, 2);
  EXPECT_EQ(ev({"user", "revoke", "analyst.one", "reviewer", "--org", "Partner B"}).exit_code, 0);
  EXPECT_EQ(ev({"user", "revoke", "nobody", "analyst", "--org", "Partner B"}).exit_code, 4);
  RunResult list = ev({"user", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0);
  json u = json::parse(list.out);
  EXPECT_EQ(u["username"], "analyst.one");
  ASSERT_EQ(u["grants"].size(), 2u);
  EXPECT_EQ(u["grants"][0]["role"], "analyst");
  EXPECT_EQ(u["grants"][1]["role"], "lead");
  EXPECT_EQ(u["grants"][1]["granted_by"], "test-runner");
  EXPECT_EQ(with_password({"user", "passwd", "analyst.one"}, "another long password").exit_code, 0);
  EXPECT_EQ(ev({"user", "disable", "analyst.one"}).exit_code, 0);
  EXPECT_TRUE(json::parse(ev({"user", "list", "--json"}).out)["disabled"].get<bool>());
  EXPECT_EQ(ev({"user", "enable", "analyst.one"}).exit_code, 0);
  EXPECT_EQ(ev({"user", "disable", "nobody"}).exit_code, 4);
  RunResult token = ev({"--json", "user", "token", "add", "analyst.one", "--name", "import"});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  EXPECT_EQ(json::parse(token.out)["token"].get<std::string>().rfind("evh_", 0), 0u);
  EXPECT_NE(ev({"user", "token", "list", "analyst.one"}).out.find("import"), std::string::npos);
  EXPECT_EQ(ev({"user", "token", "revoke", "analyst.one", "--name", "import"}).exit_code, 0);
  EXPECT_EQ(ev({"user", "token", "revoke", "analyst.one", "--name", "import"}).exit_code, 4);
  // Every change is in the custody log, by opaque id: no username, no password.
  std::string log = testing::read_text(hub() + "/custody/events.jsonl");
  for (const char* action : {"organisation.add", "user.add", "user.grant", "user.revoke",
                             "user.passwd", "user.disable", "user.enable"}) {
    EXPECT_NE(log.find(std::string("\"action\":\"") + action + "\""), std::string::npos) << action;
  }
  EXPECT_EQ(log.find("analyst.one"), std::string::npos);
  EXPECT_EQ(log.find("long enough password"), std::string::npos);
  EXPECT_EQ(testing::read_text(hub() + "/accounts.db").find("long enough password"),
            std::string::npos);
  EXPECT_EQ(ev({"verify"}).exit_code, 0);
}

TEST_F(CliTest, InitCanCreateTheFirstAdministratorAndChecksItFirst) {
  std::string dir = tmp_ / "hub-with-admin";
  std::map<std::string, std::string> env = {{"EVHUB_PASSPHRASE", "a good long passphrase"},
                                            {"EVHUB_USER_PASSWORD", "short"}};
  std::vector<std::string> args = {
      testing::evhub_binary(), "--hub",   dir,     "init",  "--kdf",
      "interactive",           "--admin", "admin", "--org", "Partner A"};
  EXPECT_EQ(testing::run(args, env).exit_code, 2);
  EXPECT_FALSE(fs::exists(dir)) << "a bad administrator password creates nothing";
  env["EVHUB_USER_PASSWORD"] = "administrator password";
  RunResult r = testing::run(args, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  RunResult list = testing::run({testing::evhub_binary(), "--hub", dir, "--json", "user", "list"},
                                {{"EVHUB_PASSPHRASE", "a good long passphrase"}});
  json u = json::parse(list.out);
  EXPECT_EQ(u["username"], "admin");
  EXPECT_EQ(u["grants"][0]["role"], "administrator");
  EXPECT_EQ(u["grants"][0]["organisation"], "Partner A");
}

}  // namespace
}  // namespace evhub::cli
