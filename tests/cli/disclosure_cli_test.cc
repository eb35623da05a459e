// A legal officer answers a request from the command line, and a recipient checks the result:
// request add, package build (the gate blocks a witness whose consent does not cover lawyers),
// redact, review, submit, approval by a second officer (self-approval refused), export,
// history, and package verify and the stock tools on the delivered file. Persons are fictional.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/support.h"

namespace evhub {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunResult;

class DisclosureCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(ev({"init", "--kdf", "interactive"}).exit_code, 0);
    ASSERT_EQ(ev({"org", "add", "Partner A"}).exit_code, 0);
  }
  std::string hub() const { return tmp_ / "hub"; }
  std::string key() const { return tmp_ / "hub.key"; }
  RunResult ev(const std::vector<std::string>& args) { return testing::evhub(hub(), key(), args); }
  RunResult as(const std::string& actor, std::vector<std::string> args) {
    args.insert(args.begin(), {"--actor", actor});
    return ev(args);
  }
  json ok_json(const std::string& actor, std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    RunResult r = as(actor, args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? json::parse(r.out) : json::object();
  }
  // A witness of Partner A with personal details, consent to share with `scope`, and a
  // transcript that names them; returns the transcript's object id.
  std::string witness(const std::string& code, const std::string& name, const std::string& scope) {
    const std::string personal = tmp_ / (code + ".json");
    testing::write_text_file(personal, json{{"name", name}}.dump());
    EXPECT_EQ(
        ev({"witness", "add", code, "--org", "Partner A", "--personal-file", personal}).exit_code,
        0);
    EXPECT_EQ(ev({"consent", "add", code, "--given-on", "2026-01-10", "--taken-by", "intake-1",
                  "--scope", "internal-analysis", "--scope", scope})
                  .exit_code,
              0);
    const std::string text = tmp_ / (code + ".txt");
    testing::write_text_file(text, "Мяне завуць " + name + ". Нас білі на Акрэсціна.");
    RunResult put = ev({"--json", "put", text, "--domain", code});
    EXPECT_EQ(put.exit_code, 0) << put.err;
    return put.exit_code == 0 ? json::parse(put.out)["id"].get<std::string>() : "";
  }

  testing::TempDir tmp_;
};

TEST_F(DisclosureCliTest, ALegalOfficerAnswersARequestAndTheRecipientChecksIt) {
  const std::string allowed = witness("W-00101", "Алена Дзераўянка", "share-lawyer");
  const std::string blocked = witness("W-00102", "Ян Клімовіч", "share-icc");
  const json request =
      ok_json("legal-1", {"request", "add", "--org", "Partner A", "--kind", "lawyer", "--body",
                          "Counsel for victims (test)", "--reference", "LAW-2026/3", "--deadline",
                          "2099-01-01"});
  const std::string rq = request.value("id", "");
  ASSERT_EQ(rq.rfind("RQ-", 0), 0U) << request.dump();
  EXPECT_NE(ok_json("legal-1", {"request", "list"}).dump().find(rq), std::string::npos);
  // Its status moves along the register's path only, and letters are kept with it.
  EXPECT_EQ(ok_json("legal-1", {"request", "move", rq, "--status", "scoping"})["status"],
            "scoping");
  RunResult skipped = as("legal-1", {"request", "move", rq, "--status", "delivered"});
  EXPECT_NE(skipped.exit_code, 0);
  EXPECT_NE(skipped.err.find("scoping"), std::string::npos) << skipped.err;
  const std::string letter = tmp_ / "letter.txt";
  testing::write_text_file(letter, "Letter of request LAW-2026/3 (fictional).");
  const json added =
      ok_json("legal-1", {"request", "correspond", rq, "--file", letter, "--direction", "in",
                          "--on", "2026-11-02", "--label", "letter of request"});
  EXPECT_EQ(added["version"], 3);
  EXPECT_NE(as("legal-1", {"request", "correspond", rq, "--file", tmp_ / "none.txt"}).exit_code, 0);
  EXPECT_EQ(as("legal-1", {"request", "move", "RQ-2026-9999", "--status", "closed"}).exit_code, 4)
      << "not found";

  json built = ok_json("legal-1",
                       {"package", "build", "--request", rq, "--item", allowed, "--item", blocked});
  const std::string pk = built.value("id", "");
  ASSERT_EQ(built["items"].size(), 2U);
  EXPECT_TRUE(built["items"][0]["allowed"]);
  EXPECT_FALSE(built["items"][1]["allowed"]);
  EXPECT_EQ(built["items"][1]["reason"], "W-00102: consent v1 does not cover lawyers");
  EXPECT_EQ(built["renew"], json::array({"W-00102"}));
  // A package with a blocked item cannot go to review.
  EXPECT_NE(as("legal-1", {"package", "submit", pk}).exit_code, 0);
  // Rebuild without it, pseudonymise, review, submit, approve.
  built = ok_json("legal-1", {"package", "build", "--request", rq, "--item", allowed});
  const std::string pk2 = built.value("id", "");
  const json redacted = ok_json("legal-1", {"package", "redact", pk2, "--object", allowed});
  EXPECT_EQ(redacted["log"][0]["kind"], "name");
  EXPECT_NE(as("legal-1", {"package", "submit", pk2}).exit_code, 0) << "review first";
  ok_json("legal-1", {"package", "review", pk2, "--object", allowed});
  EXPECT_EQ(ok_json("legal-1", {"package", "submit", pk2})["state"], "in-review");
  RunResult self = as("legal-1", {"package", "approve", pk2});
  EXPECT_NE(self.exit_code, 0);
  EXPECT_NE(self.err.find("did not build or change it"), std::string::npos) << self.err;
  EXPECT_EQ(ok_json("legal-2", {"package", "approve", pk2})["state"], "approved");

  const std::string age_key = tmp_ / "recipient.txt";
  ASSERT_EQ(testing::run({"age-keygen", "-o", age_key}).exit_code, 0);
  std::string recipient = testing::run({"age-keygen", "-y", age_key}).out;
  recipient.pop_back();
  fs::create_directories(tmp_ / "out");
  const json exported = ok_json(
      "legal-1", {"package", "export", pk2, "--recipient", recipient, "--out-dir", tmp_ / "out"});
  const std::string path = exported.value("path", "");
  ASSERT_TRUE(fs::exists(path)) << exported.dump();
  EXPECT_EQ(exported["files"], 1);

  // The recipient: evhub package verify, and the stock tools.
  RunResult verified = ev({"package", "verify", path, "--identity", age_key});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  const std::string recv = tmp_ / "recv";
  fs::create_directories(recv);
  ASSERT_EQ(testing::run({"age", "-d", "-i", age_key, "-o", recv + "/p.tar", path}).exit_code, 0);
  ASSERT_EQ(testing::run({"tar", "-xf", recv + "/p.tar", "-C", recv}).exit_code, 0);
  const std::string bag = recv + "/" + exported["bag"].get<std::string>();
  EXPECT_EQ(testing::run({"env", "-C", bag, "minisign", "-Vm", "tagmanifest-sha256.txt", "-p",
                          "hub.pub", "-x", "tagmanifest-sha256.txt.minisig"})
                .exit_code,
            0);
  EXPECT_EQ(testing::run({"env", "-C", bag, "sha256sum", "-c", "manifest-sha256.txt"}).exit_code,
            0);
  RunResult grep = testing::run({"grep", "-r", "Дзераўянка", bag});
  EXPECT_EQ(grep.exit_code, 1) << "the name is in the package: " << grep.out;

  const json history = ok_json("legal-1", {"package", "history", "--witness", "W-00101"});
  ASSERT_EQ(history["disclosures"].size(), 1U);
  EXPECT_EQ(history["disclosures"][0]["request"], rq);
  EXPECT_TRUE(
      ok_json("legal-1", {"package", "history", "--witness", "W-00102"})["disclosures"].empty());

  // A package's items can come from sources: here the documents W-00101 handed over.
  const std::string scan = tmp_ / "scan.txt";
  testing::write_text_file(scan, "A fictional note from the detention centre.");
  ASSERT_EQ(as("intake-1", {"document", "add", "W-00101", scan, "--kind", "other"}).exit_code, 0);
  const json sourced =
      ok_json("legal-1", {"package", "build", "--request", rq, "--from", "witness:W-00101"});
  ASSERT_EQ(sourced["items"].size(), 1U) << sourced.dump();
  EXPECT_EQ(sourced["items"][0]["witness"], "W-00101");
  EXPECT_TRUE(sourced["items"][0]["allowed"]);
  RunResult bad_source = as("legal-1", {"package", "build", "--request", rq, "--from", "folder:x"});
  EXPECT_NE(bad_source.exit_code, 0);
  EXPECT_NE(bad_source.err.find("KIND:VALUE"), std::string::npos) << bad_source.err;
  EXPECT_NE(
      as("legal-1", {"package", "build", "--request", rq, "--from", "witness:W-09999"}).exit_code,
      0);

  // W-00101 withdraws consent: the recipient who holds her statement is named for notification;
  // W-00102, whose material never left, has nobody to notify.
  const json withdrawn = ok_json(
      "intake-1", {"consent", "add", "W-00101", "--given-on", "2026-01-10", "--taken-by",
                   "intake-1", "--scope", "internal-analysis", "--withdrawn-on", "2026-11-01"});
  ASSERT_EQ(withdrawn["notify"].size(), 1U) << withdrawn.dump();
  EXPECT_EQ(withdrawn["notify"][0]["request"], rq);
  EXPECT_EQ(withdrawn["notify"][0]["reference"], "LAW-2026/3");
  const json none = ok_json(
      "intake-1", {"consent", "add", "W-00102", "--given-on", "2026-01-10", "--taken-by",
                   "intake-1", "--scope", "internal-analysis", "--withdrawn-on", "2026-11-01"});
  EXPECT_EQ(none["notify"], json::array());
}

// A package's texts redacted in one command and one version, and reviewed in one.
TEST_F(DisclosureCliTest, EveryTextIsRedactedAndReviewedInOneCommand) {
  const std::string first = witness("W-00101", "Алена Дзераўянка", "share-lawyer");
  const std::string second = witness("W-00103", "Марына Лябёдкіна", "share-lawyer");
  const std::string rq =
      ok_json("legal-1", {"request", "add", "--org", "Partner A", "--kind", "lawyer", "--body",
                          "Counsel for victims (test)", "--reference", "LAW-2026/4", "--deadline",
                          "2099-01-01"})
          .value("id", "");
  const json built =
      ok_json("legal-1", {"package", "build", "--request", rq, "--item", first, "--item", second});
  const std::string pk = built.value("id", "");
  const int version = built.value("version", 0);
  EXPECT_NE(as("legal-1", {"package", "redact", pk}).exit_code, 0) << "which items?";
  EXPECT_NE(as("legal-1", {"package", "redact", pk, "--all-texts", "--object", first}).exit_code,
            0);
  EXPECT_NE(as("legal-1", {"package", "redact", pk, "--all-texts", "--box", "1,0,0,1,1"}).exit_code,
            0);
  EXPECT_NE(as("legal-1", {"package", "review", pk}).exit_code, 0);

  const json redacted = ok_json("legal-1", {"package", "redact", pk, "--all-texts"});
  EXPECT_EQ(redacted["version"], version + 1) << redacted.dump();
  ASSERT_EQ(redacted["redacted"].size(), 2U) << redacted.dump();
  EXPECT_EQ(redacted["redacted"][0]["item"], first);
  EXPECT_EQ(redacted["redacted"][1]["item"], second);
  EXPECT_GT(redacted["redacted"][1]["removals"].get<int>(), 0);
  const std::string out = tmp_ / "second.txt";
  ASSERT_EQ(ev({"get", redacted["redacted"][1]["object"].get<std::string>(), "-o", out}).exit_code,
            0);
  const std::string text = testing::read_text(out);
  EXPECT_EQ(text.find("Лябёдкіна"), std::string::npos) << text;
  EXPECT_NE(text.find("W-00103"), std::string::npos) << text;
  EXPECT_TRUE(ok_json("legal-1", {"package", "redact", pk, "--all-texts"})["redacted"].empty())
      << "nothing left";
  EXPECT_NE(as("legal-1", {"package", "submit", pk}).exit_code, 0) << "review first";
  const json reviewed = ok_json("legal-3", {"package", "review", pk, "--all"});
  EXPECT_EQ(reviewed["reviewed"], 2);
  EXPECT_EQ(reviewed["version"], version + 2);
  EXPECT_EQ(ok_json("legal-1", {"package", "submit", pk})["state"], "in-review");
}

}  // namespace
}  // namespace evhub
