// A disclosure package opened the way a recipient opens it, with stock Debian tools only (age,
// tar, minisign, sha256sum, sha512sum), and by verify_package: any changed byte, a deleted,
// added or edited file, a foreign signing key and a wrong age identity are all caught.
#include "disclosure/package_verify.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>

#include "disclosure/bag_archive.h"
#include "disclosure/bagit_writer.h"
#include "disclosure/minisign.h"
#include "package_fixture.h"
#include "support/support.h"

namespace evhub::disclosure {
namespace {

namespace fs = std::filesystem;

bool says(const VerificationReport& report, Verdict verdict,
          const std::vector<std::string>& words) {
  for (const auto& line : report.lines()) {
    if (line.verdict != verdict) continue;
    bool all = true;
    for (const auto& w : words) all = all && line.text.find(w) != std::string::npos;
    if (all) return true;
  }
  return false;
}

class Package : public ::testing::Test {
 protected:
  void SetUp() override {
    test::make_small_bag(bag_, key_);
    recipient_ = test::make_age_key(age_key_);
    ArchiveOptions options;
    options.age_recipients = {recipient_};
    ASSERT_TRUE(write_bag_archive(bag_, sealed_, options).is_ok());
    trusted_ = minisign::public_key_file(key_.public_key());
  }
  PackageVerifyOptions with_key() const {
    PackageVerifyOptions options;
    options.age_identity_file = age_key_;
    options.trusted_public_key = trusted_;
    return options;
  }
  testing::TempDir tmp_;
  crypto::SigningKey key_ = crypto::SigningKey::generate();
  std::string bag_ = tmp_ / "EVH-2026-0007";
  std::string age_key_ = tmp_ / "key.txt";
  std::string sealed_ = tmp_ / "EVH-2026-0007.tar.age";
  std::string recipient_, trusted_;
};

// The commands README-for-recipients.txt gives, run as they are written there.
TEST_F(Package, ARecipientChecksItWithStockToolsAlone) {
  const std::string home = tmp_ / "recipient";
  fs::create_directory(home);
  fs::copy_file(sealed_, home + "/EVH-2026-0007.tar.age");
  fs::copy_file(age_key_, home + "/key.txt");
  const std::string bag = home + "/EVH-2026-0007";
  const std::vector<std::pair<std::string, std::vector<std::string>>> steps = {
      {home, {"age", "-d", "-i", "key.txt", "-o", "EVH-2026-0007.tar", "EVH-2026-0007.tar.age"}},
      {home, {"tar", "-xf", "EVH-2026-0007.tar"}},
      {bag,
       {"minisign", "-Vm", "tagmanifest-sha256.txt", "-p", "hub.pub", "-x",
        "tagmanifest-sha256.txt.minisig"}},
      {bag, {"sha256sum", "-c", "tagmanifest-sha256.txt"}},
      {bag, {"sha512sum", "-c", "tagmanifest-sha512.txt"}},
      {bag, {"sha256sum", "-c", "manifest-sha256.txt"}},
      {bag, {"sha512sum", "-c", "manifest-sha512.txt"}},
  };
  for (const auto& [dir, argv] : steps) {
    const auto done = test::run_in(dir, argv);
    EXPECT_EQ(done.exit_code, 0) << argv[0] << " " << argv.back() << ": " << done.out << done.err;
    if (argv[0] == "minisign") {
      EXPECT_NE(done.out.find("Signature and comment signature verified"), std::string::npos);
      EXPECT_NE(done.out.find("bag:REQ-2026-0007"), std::string::npos) << done.out;
    }
    if (argv.back() == "manifest-sha256.txt") {
      for (const auto& [path, text] : test::small_payloads()) {
        EXPECT_NE(done.out.find("data/" + path + ": OK"), std::string::npos) << done.out;
      }
    }
  }
  // sha256sum -c cannot see a file added to data/; the Payload-Oxum (BYTES.FILES) can.
  const std::string oxum_command =
      "find data -type f -printf '%s\\n' | awk '{s+=$1} END {print s+0 \".\" NR}'";
  const std::string info = testing::read_text(bag + "/bag-info.txt");
  const std::size_t at = info.find("Payload-Oxum: ") + 14;
  const std::string oxum = info.substr(at, info.find('\n', at) - at + 1);
  EXPECT_EQ(test::run_in(bag, {"bash", "-c", oxum_command}).out, oxum);
  testing::write_text_file(bag + "/data/planted.txt", "planted\n");
  EXPECT_EQ(test::run_in(bag, {"sha256sum", "-c", "manifest-sha256.txt"}).exit_code, 0);
  EXPECT_NE(test::run_in(bag, {"bash", "-c", oxum_command}).out, oxum);
  fs::remove(bag + "/data/planted.txt");
  // minisign names the key; it is the first digits of the key's SHA-256, as hub.pub says.
  const auto key = minisign::parse_public_key(testing::read_text(bag + "/hub.pub"));
  ASSERT_TRUE(key.is_ok());
  EXPECT_NE(testing::read_text(bag + "/hub.pub").find(minisign::key_id_text(key->id)),
            std::string::npos);
  // And the stock check fails once a payload changes.
  testing::flip_byte(bag + "/data/W-00123/EVH-2026-0007-000003 witness summary.txt", 0);
  EXPECT_NE(test::run_in(bag, {"sha256sum", "-c", "manifest-sha256.txt"}).exit_code, 0);
}

TEST_F(Package, VerifyAcceptsTheEncryptedPackageTheTarAndTheDirectory) {
  const auto sealed = verify_package(sealed_, with_key());
  ASSERT_TRUE(sealed.is_ok()) << sealed.status().to_string();
  EXPECT_TRUE(sealed->ok()) << sealed->to_text();
  EXPECT_TRUE(says(*sealed, Verdict::kPassed, {"age decrypted the package"}));
  EXPECT_TRUE(says(*sealed, Verdict::kPassed, {"minisign signature", "holds"}));
  EXPECT_TRUE(says(*sealed, Verdict::kPassed, {"hub.pub is the key you trust"}));
  EXPECT_TRUE(says(*sealed, Verdict::kPassed, {"Payload-Oxum matches", "in 4 files"}));
  EXPECT_TRUE(says(*sealed, Verdict::kPassed, {"the package is intact"}));

  ASSERT_TRUE(write_bag_archive(bag_, tmp_ / "plain.tar").is_ok());
  const auto tar = verify_package(tmp_ / "plain.tar", with_key());
  ASSERT_TRUE(tar.is_ok());
  EXPECT_TRUE(tar->ok()) << tar->to_text();

  PackageVerifyOptions no_trusted_key;
  const auto dir = verify_package(bag_, no_trusted_key);
  ASSERT_TRUE(dir.is_ok());
  EXPECT_TRUE(dir->ok()) << dir->to_text();
  EXPECT_TRUE(says(*dir, Verdict::kNote, {"confirm its key ID"}));
}

TEST_F(Package, FlippingAnyByteAnywhereInTheBagIsCaught) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(bag_)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  ASSERT_EQ(files.size(), 15u);
  PackageVerifyOptions options = with_key();
  std::size_t flips = 0;
  for (const auto& file : files) {
    const int fd = ::open(file.c_str(), O_RDWR);
    ASSERT_GE(fd, 0) << file;
    const auto size = static_cast<off_t>(fs::file_size(file));
    for (off_t at = 0; at < size; ++at) {
      char original = 0;
      ASSERT_EQ(::pread(fd, &original, 1, at), 1);
      for (const char mask : {'\x01', '\x20', '\x80'}) {
        const char flipped = static_cast<char>(original ^ mask);
        ASSERT_EQ(::pwrite(fd, &flipped, 1, at), 1);
        const auto report = verify_package(bag_, options);
        ASSERT_TRUE(report.is_ok());
        EXPECT_FALSE(report->ok()) << file << " byte " << at << " ^ " << int(mask);
        ++flips;
      }
      ASSERT_EQ(::pwrite(fd, &original, 1, at), 1);
    }
    ::close(fd);
  }
  EXPECT_GT(flips, 3000u);
  const auto restored = verify_package(bag_, options);
  EXPECT_TRUE(restored->ok()) << restored->to_text();
}

TEST_F(Package, DeletedAddedAndEditedFilesAreCaughtWithAReason) {
  const std::string payload = bag_ + "/data/INC-0012/EVH-2026-0007-000001 протокол допроса.txt";
  const auto check = [&] {
    const auto report = verify_package(bag_, with_key());
    EXPECT_TRUE(report.is_ok());
    EXPECT_FALSE(report->ok());
    return *report;
  };
  fs::remove(payload);
  auto report = check();
  EXPECT_TRUE(says(report, Verdict::kFailed, {"протокол допроса.txt", "missing"}));
  EXPECT_TRUE(says(report, Verdict::kFailed, {"Payload-Oxum"}));
  EXPECT_TRUE(says(report, Verdict::kPassed, {"signature", "holds"}));  // the manifests stand
  test::make_small_bag(tmp_ / "fresh", key_);
  fs::copy_file(tmp_ / "fresh/data/INC-0012/EVH-2026-0007-000001 протокол допроса.txt", payload);

  testing::write_text_file(bag_ + "/data/W-00123/planted.txt", "planted\n");
  report = check();
  EXPECT_TRUE(says(report, Verdict::kFailed, {"planted.txt", "not listed in manifest-sha256.txt"}));
  fs::remove(bag_ + "/data/W-00123/planted.txt");

  std::string info = testing::read_text(bag_ + "/bag-info.txt");
  info.replace(info.find("Evidence Hub test"), 8, "Somebody");
  testing::write_text_file(bag_ + "/bag-info.txt", info);
  report = check();
  EXPECT_TRUE(says(report, Verdict::kFailed, {"bag-info.txt", "does not match", "SHA-256"}));
  fs::copy_file(tmp_ / "fresh/bag-info.txt", bag_ + "/bag-info.txt",
                fs::copy_options::overwrite_existing);

  fs::remove(bag_ + "/tagmanifest-sha256.txt.minisig");
  report = check();
  EXPECT_TRUE(says(report, Verdict::kFailed, {"tagmanifest-sha256.txt.minisig is missing"}));
}

TEST_F(Package, ABagAppearsOnlySigned) {
  // Signing is the writer's last step before the rename: when it fails, no bag appears.
  auto writer = BagWriter::create(tmp_ / "unsigned");
  ASSERT_TRUE(writer.is_ok());
  ASSERT_TRUE((*writer)->add_payload("a.txt", test::text_source("a\n")).is_ok());
  BagInfo info;
  info.source_organization = "Evidence Hub test organisation";
  info.external_identifier = "REQ-2026-0007";
  const auto finished = (*writer)->finish(info, signing_step(key_, "no hub.pub was added"));
  ASSERT_FALSE(finished.is_ok());
  EXPECT_EQ(finished.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(finished.status().message().find("hub.pub"), std::string::npos);
  EXPECT_FALSE(fs::exists(tmp_ / "unsigned"));
  EXPECT_FALSE((*writer)->add_payload("b.txt", test::text_source("b\n")).is_ok());
}

TEST_F(Package, APackageResignedByAnotherKeyFailsAgainstTheTrustedKey) {
  const auto forger = crypto::SigningKey::generate();
  test::make_small_bag(tmp_ / "forged", forger);
  const auto report = verify_package(tmp_ / "forged", with_key());
  ASSERT_TRUE(report.is_ok());
  EXPECT_FALSE(report->ok());
  EXPECT_TRUE(says(*report, Verdict::kPassed, {"signature", "holds"}));
  EXPECT_TRUE(says(*report, Verdict::kFailed, {"is not the key you trust", "someone else"}));
}

TEST_F(Package, AWrongIdentityOrNoneIsAClearErrorAndNothingIsLeftBehind) {
  test::make_age_key(tmp_ / "other.txt");
  fs::create_directory(tmp_ / "work");
  PackageVerifyOptions options = with_key();
  options.age_identity_file = tmp_ / "other.txt";
  options.work_dir = tmp_ / "work";
  const auto wrong = verify_package(sealed_, options);
  ASSERT_FALSE(wrong.is_ok());
  EXPECT_EQ(wrong.status().code(), Code::kUnauthenticated);
  EXPECT_NE(wrong.status().message().find("not encrypted to this age identity"), std::string::npos);
  options.age_identity_file.reset();
  const auto none = verify_package(sealed_, options);
  ASSERT_FALSE(none.is_ok());
  EXPECT_NE(none.status().message().find("encrypted with age"), std::string::npos);
  options.age_identity_file = age_key_;
  EXPECT_TRUE(verify_package(sealed_, options)->ok());
  EXPECT_TRUE(fs::is_empty(tmp_ / "work"));
  EXPECT_EQ(verify_package(tmp_ / "missing.tar", options).status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace evhub::disclosure
