// A package from a real hub to a recipient with stock tools: an approved package with a
// pseudonymised transcript and a document is exported; age, tar, minisign and sha256sum check
// it as the README says; package verification agrees; the witness's name is nowhere in it; each
// item's intake and the export itself are proved against the signed head; the package is then
// exported and where the witness's material went is on record. Every person here is fictional.
#include "disclosure/package_export.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "custody/custody_log.h"
#include "custody/merkle.h"
#include "disclosure/package_verify.h"
#include "disclosure/redact_item.h"
#include "disclosure/verify_proof_script.h"
#include "package_fixture.h"
#include "support/test_hub.h"

namespace evhub::disclosure {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class PackageExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_ = evhub::testing::new_test_hub(tmp_ / "hub");
    packages_ = std::move(PackageStore::open(*hub_)).value();
    witnesses_ = std::move(collection::Collection::open(*hub_)).value();
    ASSERT_TRUE(witnesses_->register_witness("W-00123", "org-a", {}, std::nullopt).is_ok());
    ASSERT_TRUE(consent({"share-lawyer"}).is_ok());
    request_.id = "RQ-2026-0001";
    request_.organisation_id = "org-a";
    request_.requester.kind = "lawyer";
    fs::create_directories(tmp_ / "out");
    recipient_ = test::make_age_key(tmp_ / "key.txt");
  }

  std::string put(const std::string& text) {
    auto stored = hub_->put_data("item", text, "W-00123", hub::Intake::evidence("org-a"));
    EXPECT_TRUE(stored.is_ok()) << stored.status().to_string();
    return stored.is_ok() ? stored->id : "";
  }

  // An approved package of a pseudonymised transcript and a document, at version 4.
  Package approved_package() {
    const std::string transcript =
        put("Мяне завуць Алена Дзераўянка. Нас білі ў РУУС Маскоўскага раёна 10 жніўня 2020.");
    auto redacted =
        redact_item(*hub_, transcript, {{"W-00123", "Алена Дзераўянка", "", "", ""}}, {});
    EXPECT_TRUE(redacted.is_ok()) << redacted.status().to_string();
    PackageItem a;
    a.object_id = transcript;
    a.witness = a.folder = "W-00123";
    a.description = "Interview transcript (Belarusian)";
    a.gate = {true, "", 2};
    a.delivered_object_id = redacted->object_id;
    a.redaction_reviewed_by = "legal-1";
    PackageItem b = a;
    b.object_id = put("Medical certificate: bruises on both legs, 14 August 2020.");
    b.description = "Medical certificate";
    // Handed over as a document: its date and language are the index's.
    EXPECT_TRUE(
        witnesses_->add_document({b.object_id, "W-00123", "medical", "2020-08-14", "en", "", ""})
            .is_ok());
    b.delivered_object_id.clear();
    b.redaction_reviewed_by.clear();
    auto p = *packages_->create("org-a", "RQ-2026-0001", "legal-1");
    EXPECT_TRUE(packages_->set_items(p.id, 1, {a, b}, "legal-1").is_ok());
    EXPECT_TRUE(packages_->submit(p.id, 2, "legal-1").is_ok());
    auto approved = packages_->approve(p.id, 3, "legal-2");
    EXPECT_TRUE(approved.is_ok()) << approved.status().to_string();
    return *approved;
  }

  Result<collection::Consent> consent(std::vector<std::string> scopes,
                                      const std::string& withdrawn_on = "") {
    collection::Consent c;
    c.given_on = "2026-01-10";
    c.taken_by = "intake-1";
    c.scopes = std::move(scopes);
    c.withdrawn_on = withdrawn_on;
    return witnesses_->add_consent("W-00123", c);
  }

  Result<ExportedPackage> run_export(const Package& p, int version, const ExportOptions& o) {
    return export_package(*hub_, *packages_, *witnesses_, request_, p.id, version, "legal-1", o);
  }

  ExportOptions options() const {
    ExportOptions o;
    o.out_dir = tmp_ / "out";
    o.age_recipients = {recipient_};
    o.source_organization = "Partner A (test)";
    o.request_reference = "OTP-2026/17";
    return o;
  }

  evhub::testing::TempDir tmp_;
  std::unique_ptr<hub::Hub> hub_;
  std::unique_ptr<PackageStore> packages_;
  std::unique_ptr<collection::Collection> witnesses_;
  Request request_;
  std::string recipient_;
};

TEST_F(PackageExportTest, TheRecipientChecksThePackageWithStockToolsAndFindsNoName) {
  const Package p = approved_package();
  auto exported = run_export(p, 4, options());
  ASSERT_TRUE(exported.is_ok()) << exported.status().to_string();
  EXPECT_EQ(exported->package.state, "exported");
  EXPECT_EQ(exported->files, 2U);

  // As README-for-recipients.txt says.
  const std::string recv = tmp_ / "recipient";
  fs::create_directories(recv);
  const std::string bag = recv + "/" + exported->bag_name;
  ASSERT_EQ(test::run_in(recv, {"age", "-d", "-i", tmp_ / "key.txt", "-o", "p.tar", exported->path})
                .exit_code,
            0);
  ASSERT_EQ(test::run_in(recv, {"tar", "-xf", "p.tar"}).exit_code, 0);
  const auto signature = test::run_in(bag, {"minisign", "-Vm", "tagmanifest-sha256.txt", "-p",
                                            "hub.pub", "-x", "tagmanifest-sha256.txt.minisig"});
  EXPECT_EQ(signature.exit_code, 0) << signature.err;
  for (const char* manifest : {"tagmanifest-sha256.txt", "manifest-sha256.txt"}) {
    const auto checked = test::run_in(bag, {"sha256sum", "-c", manifest});
    EXPECT_EQ(checked.exit_code, 0) << manifest << ": " << checked.out << checked.err;
  }
  PackageVerifyOptions verify;
  verify.age_identity_file = tmp_ / "key.txt";
  verify.work_dir = tmp_.path();
  auto report = verify_package(exported->path, verify);
  ASSERT_TRUE(report.is_ok()) << report.status().to_string();
  EXPECT_TRUE(report->ok()) << ::testing::PrintToString(report->problems());

  // The name is in no file of the package, in any spelling the redaction knows.
  for (const auto& f : fs::recursive_directory_iterator(bag)) {
    if (!f.is_regular_file()) continue;
    std::ifstream in(f.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(bytes.find("Дзераўянка"), std::string::npos) << f.path();
    EXPECT_EQ(bytes.find("Алена"), std::string::npos) << f.path();
  }
  std::ifstream index(bag + "/index.csv");
  const std::string csv((std::istreambuf_iterator<char>(index)), {});
  const std::string number = fmt::format("EVH-{}-{:04}-", p.year, p.number);
  EXPECT_NE(csv.find(number + "000001"), std::string::npos);
  EXPECT_NE(csv.find(number + "000002"), std::string::npos);
  EXPECT_NE(csv.find("redacted"), std::string::npos);
  EXPECT_NE(csv.find(R"("Medical certificate","2020-08-14","en",)"), std::string::npos)
      << "the document's date and language are in the index: " << csv;

  // Every proof folds up to the signed root, and the head is signed by the hub.
  int proofs = 0;
  for (const auto& f : fs::directory_iterator(bag + "/proofs")) {
    if (f.path().extension() != ".json") continue;
    std::ifstream in(f.path());
    const json j = json::parse(in);
    auto hash = [](const json& hex) {
      custody::Hash h{};
      const auto bytes = from_hex(hex.get<std::string>());
      EXPECT_TRUE(bytes && bytes->size() == h.size());
      if (bytes && bytes->size() == h.size()) std::copy(bytes->begin(), bytes->end(), h.begin());
      return h;
    };
    std::vector<custody::Hash> path;
    for (const auto& h : j["audit_path"]) path.push_back(hash(h));
    custody::TreeHead head;
    head.tree_size = j["tree_size"];
    head.root = hash(j["root"]);
    head.time = j["head_time"];
    head.signature = *from_hex(j["signature"].get<std::string>());
    const std::string line = j["event"];
    EXPECT_TRUE(custody::verify_inclusion(custody::leaf_hash(as_bytes(line)), j["leaf_index"],
                                          head.tree_size, path, head.root))
        << f.path();
    EXPECT_TRUE(crypto::verify_signature(hub_->signing_key().public_key(),
                                         as_bytes(custody::tree_head_message(j["hub_id"], head)),
                                         head.signature));
    ++proofs;
  }
  EXPECT_EQ(proofs, 4);  // two intakes, one redaction, the export

  // The proof checker travels with the proofs, signed with them, and works as the README says:
  // Debian's python3 folds every proof to the root, and openssl checks the head's signature.
  const std::string proofs_dir = bag + "/proofs";
  {
    std::ifstream in(proofs_dir + "/verify_proof.py", std::ios::binary);
    ASSERT_TRUE(in.good()) << "no proofs/verify_proof.py in the package";
    const std::string script((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(script, verify_proof_script());
    EXPECT_EQ(script.rfind("# verify_proof.py", 0), 0U);
    std::ifstream tags(bag + "/tagmanifest-sha256.txt");
    const std::string manifest((std::istreambuf_iterator<char>(tags)), {});
    EXPECT_NE(manifest.find("  proofs/verify_proof.py\n"), std::string::npos) << manifest;
    std::ifstream readme_in(bag + "/README-for-recipients.txt");
    const std::string readme((std::istreambuf_iterator<char>(readme_in)), {});
    EXPECT_NE(readme.find("python3 verify_proof.py inclusion"), std::string::npos);
  }
  int checked = 0;
  for (const auto& f : fs::directory_iterator(proofs_dir)) {
    if (f.path().extension() != ".json") continue;
    const auto ran = test::run_in(proofs_dir, {"/usr/bin/python3", "verify_proof.py", "inclusion",
                                               f.path().filename().string()});
    EXPECT_EQ(ran.exit_code, 0) << f.path() << ": " << ran.out << ran.err;
    EXPECT_NE(ran.out.find("OK: event "), std::string::npos) << ran.out;
    ++checked;
  }
  EXPECT_EQ(checked, 4);
  const std::string message = tmp_ / "head-message.txt";
  const std::string head_signature = tmp_ / "head-signature.bin";
  const auto head = test::run_in(proofs_dir, {"/usr/bin/python3", "verify_proof.py", "head",
                                              "export.json", message, head_signature});
  ASSERT_EQ(head.exit_code, 0) << head.out << head.err;
  const auto verified = test::run_in(
      proofs_dir, {"openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "hub-custody.pem", "-rawin",
                   "-in", message, "-sigfile", head_signature});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("Signature Verified Successfully"), std::string::npos)
      << verified.out;
  // And it catches a proof whose audit path was changed.
  {
    std::ifstream in(proofs_dir + "/export.json");
    json j = json::parse(in);
    ASSERT_FALSE(j["audit_path"].empty());
    std::string h = j["audit_path"][0];
    h[0] = h[0] == '0' ? '1' : '0';
    j["audit_path"][0] = h;
    std::ofstream(tmp_ / "altered.json") << j.dump();
    const auto altered = test::run_in(
        proofs_dir, {"/usr/bin/python3", "verify_proof.py", "inclusion", tmp_ / "altered.json"});
    EXPECT_EQ(altered.exit_code, 1) << altered.out << altered.err;
    EXPECT_NE(altered.out.find("FAILED"), std::string::npos) << altered.out;
  }

  // evhub package verify, as a recipient who runs evhub would: intact, then one byte flipped.
  const char* evhub = std::getenv("EVHUB_BIN");
  ASSERT_NE(evhub, nullptr) << "EVHUB_BIN is set by ctest";
  const auto intact = evhub::testing::run(
      {evhub, "package", "verify", exported->path, "--identity", tmp_ / "key.txt"});
  EXPECT_EQ(intact.exit_code, 0) << intact.out << intact.err;
  EXPECT_NE(intact.out.find("the package is intact"), std::string::npos) << intact.out;
  const std::string damaged = tmp_ / "damaged.tar";
  fs::copy_file(recv + "/p.tar", damaged);
  {
    std::fstream f(damaged, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(700);  // inside the first file's contents, past its tar header
    f.put('#');
  }
  const auto refused = evhub::testing::run({evhub, "--json", "package", "verify", damaged});
  EXPECT_NE(refused.exit_code, 0) << refused.out;
  EXPECT_NE(refused.out.find("\"ok\":false"), std::string::npos) << refused.out;

  auto gone = packages_->disclosures_of("W-00123");
  ASSERT_TRUE(gone.is_ok());
  EXPECT_EQ(gone->size(), 2U);
  // Exported once: the package is no longer approved.
  EXPECT_EQ(run_export(p, 5, options()).status().code(), Code::kFailedPrecondition);
}

TEST_F(PackageExportTest, WhatCannotBeExportedIsRefusedAndLeavesNothing) {
  auto draft = *packages_->create("org-a", "RQ-2026-0001", "legal-1");
  EXPECT_EQ(run_export(draft, 1, options()).status().code(), Code::kFailedPrecondition);
  const Package p = approved_package();
  ExportOptions none = options();
  none.age_recipients.clear();
  EXPECT_EQ(run_export(p, 4, none).status().code(), Code::kInvalidArgument);
  ExportOptions malformed = options();
  malformed.age_recipients = {"age1notakey"};
  EXPECT_EQ(run_export(p, 4, malformed).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(run_export(p, 3, options()).status().code(), Code::kFailedPrecondition);  // stale
  Package unknown = p;
  unknown.id = "pk-none";
  EXPECT_EQ(run_export(unknown, 1, options()).status().code(), Code::kNotFound);
  // Consent withdrawn after approval: the gate, run again, stops the export.
  ASSERT_TRUE(consent({"share-lawyer"}, "2026-02-01").is_ok());
  auto withdrawn = run_export(p, 4, options());
  EXPECT_EQ(withdrawn.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(withdrawn.status().message().find("W-00123: consent v2 was withdrawn on 2026-02-01"),
            std::string::npos)
      << withdrawn.status().message();
  EXPECT_TRUE(fs::is_empty(tmp_ / "out"));
  for (const auto& f : fs::directory_iterator(hub_->layout().dir)) {
    EXPECT_EQ(f.path().filename().string().rfind("export-", 0), std::string::npos) << f.path();
  }
}

}  // namespace
}  // namespace evhub::disclosure
