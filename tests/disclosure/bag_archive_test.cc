// Bags as tar files, plain and age-encrypted with the stock age, read back by GNU tar and the
// stock age; and unpacking that refuses every entry that could land outside its directory.
#include "disclosure/bag_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <map>

#include "package_fixture.h"
#include "support/support.h"

namespace evhub::disclosure {
namespace {

namespace fs = std::filesystem;

class BagArchive : public ::testing::Test {
 protected:
  void SetUp() override {
    test::make_small_bag(bag_, key_);
    recipient_ = test::make_age_key(age_key_);
  }
  testing::TempDir tmp_;
  crypto::SigningKey key_ = crypto::SigningKey::generate();
  std::string bag_ = tmp_ / "EVH-2026-0007";
  std::string age_key_ = tmp_ / "key.txt";
  std::string recipient_;
  ArchiveOptions plain_{{}, 1772323200, {}};
};

TEST_F(BagArchive, GnuTarListsAndUnpacksItWithFixedOwnerModesAndOrder) {
  const std::string tar = tmp_ / "package.tar";
  ASSERT_TRUE(write_bag_archive(bag_, tar, plain_).is_ok());
  const auto listed = testing::run({"tar", "--numeric-owner", "-tvf", tar});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  std::istringstream lines(listed.out);
  std::string line;
  std::vector<std::string> names;
  while (std::getline(lines, line)) {
    EXPECT_TRUE(line.rfind("-rw-r--r-- 0/0", 0) == 0 || line.rfind("drwxr-xr-x 0/0", 0) == 0)
        << line;
    EXPECT_NE(line.find("2026-03-01"), std::string::npos) << line;
    names.push_back(line.substr(line.find("EVH-2026-0007")));
  }
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names.front(), "EVH-2026-0007/");
  EXPECT_NE(
      listed.out.find("EVH-2026-0007/data/INC-0012/EVH-2026-0007-000001 протокол допроса.txt"),
      std::string::npos)
      << listed.out;
  fs::create_directory(tmp_ / "out");
  ASSERT_EQ(testing::run({"tar", "-xf", tar, "-C", tmp_ / "out"}).exit_code, 0);
  for (const auto& [path, text] : test::small_payloads()) {
    EXPECT_EQ(testing::read_text(tmp_ / ("out/EVH-2026-0007/data/" + path)), text) << path;
  }
  // The same bag and time give the same bytes.
  ASSERT_TRUE(write_bag_archive(bag_, tmp_ / "again.tar", plain_).is_ok());
  EXPECT_TRUE(testing::read_text(tar) == testing::read_text(tmp_ / "again.tar"));
  // Never over an existing file.
  EXPECT_EQ(write_bag_archive(bag_, tar, plain_).code(), Code::kAlreadyExists);
}

TEST_F(BagArchive, EncryptedWithAgeTheStockAgeDecryptsIt) {
  const std::string sealed = tmp_ / "package.tar.age";
  ArchiveOptions options = plain_;
  options.age_recipients = {recipient_};
  const Status st = write_bag_archive(bag_, sealed, options);
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_TRUE(is_age_encrypted(sealed));
  EXPECT_EQ(testing::read_text(sealed).find("протокол"), std::string::npos);
  const auto opened =
      testing::run({"age", "-d", "-i", age_key_, "-o", tmp_ / "package.tar", sealed});
  ASSERT_EQ(opened.exit_code, 0) << opened.err;
  ASSERT_TRUE(write_bag_archive(bag_, tmp_ / "plain.tar", plain_).is_ok());
  EXPECT_TRUE(testing::read_text(tmp_ / "package.tar") == testing::read_text(tmp_ / "plain.tar"));
  // Unpacked here too, through a pipe from age.
  fs::create_directory(tmp_ / "out");
  UnpackOptions unpack;
  unpack.age_identity_file = age_key_;
  const auto unpacked = unpack_archive(sealed, tmp_ / "out", unpack);
  ASSERT_TRUE(unpacked.is_ok()) << unpacked.status().to_string();
  EXPECT_TRUE(unpacked->was_encrypted);
  EXPECT_EQ(unpacked->files, 15u);
  EXPECT_EQ(testing::read_text(tmp_ / "out/EVH-2026-0007/hub.pub"),
            testing::read_text(bag_ + "/hub.pub"));
}

TEST_F(BagArchive, ABadRecipientOrAMissingAgeIsExplainedAndLeavesNoFile) {
  ArchiveOptions options = plain_;
  std::string bad = recipient_;  // the right letters, a wrong checksum: age itself refuses it
  bad.back() = bad.back() == 'q' ? 'p' : 'q';
  options.age_recipients = {bad};
  const Status refused = write_bag_archive(bag_, tmp_ / "a.tar.age", options);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.code(), Code::kInvalidArgument);
  EXPECT_NE(refused.message().find("age says"), std::string::npos) << refused.to_string();
  options.age_recipients = {"-o/tmp/evil"};
  const Status malformed = write_bag_archive(bag_, tmp_ / "b.tar.age", options);
  EXPECT_NE(malformed.message().find("not an age recipient"), std::string::npos);
  options.age_recipients = {recipient_};
  options.age.program = "/nonexistent/age";
  const Status missing = write_bag_archive(bag_, tmp_ / "c.tar.age", options);
  EXPECT_EQ(missing.code(), Code::kNotFound);
  EXPECT_NE(missing.message().find("Debian package \"age\""), std::string::npos);
  for (const char* name : {"a.tar.age", "b.tar.age", "c.tar.age"}) {
    EXPECT_FALSE(fs::exists(tmp_ / name)) << name;
  }
  for (const auto& e : fs::directory_iterator(tmp_.path())) {
    EXPECT_EQ(e.path().string().find(".partial-"), std::string::npos) << e.path();
  }
}

TEST_F(BagArchive, AWrongIdentityOrADamagedFileIsAClearError) {
  const std::string sealed = tmp_ / "package.tar.age";
  ArchiveOptions options = plain_;
  options.age_recipients = {recipient_};
  ASSERT_TRUE(write_bag_archive(bag_, sealed, options).is_ok());
  test::make_age_key(tmp_ / "other.txt");
  fs::create_directory(tmp_ / "out");
  UnpackOptions unpack;
  unpack.age_identity_file = tmp_ / "other.txt";
  const auto wrong = unpack_archive(sealed, tmp_ / "out", unpack);
  ASSERT_FALSE(wrong.is_ok());
  EXPECT_EQ(wrong.status().code(), Code::kUnauthenticated);
  EXPECT_NE(wrong.status().message().find("not encrypted to this age identity"), std::string::npos)
      << wrong.status().to_string();
  EXPECT_EQ(unpack_archive(sealed, tmp_ / "out").status().code(), Code::kUnauthenticated);
  unpack.age_identity_file = tmp_ / "missing.txt";
  EXPECT_EQ(unpack_archive(sealed, tmp_ / "out", unpack).status().code(), Code::kNotFound);
  testing::flip_byte(sealed, -100);
  unpack.age_identity_file = age_key_;
  fs::remove_all(tmp_ / "out");
  fs::create_directory(tmp_ / "out");
  const auto damaged = unpack_archive(sealed, tmp_ / "out", unpack);
  ASSERT_FALSE(damaged.is_ok());
  EXPECT_EQ(damaged.status().code(), Code::kIntegrity) << damaged.status().to_string();
}

TEST_F(BagArchive, ACutShortTarIsDamaged) {
  const std::string tar = tmp_ / "package.tar";
  ASSERT_TRUE(write_bag_archive(bag_, tar, plain_).is_ok());
  std::filesystem::resize_file(tar, testing::file_size(tar) / 2 + 100);
  fs::create_directory(tmp_ / "out");
  const auto unpacked = unpack_archive(tar, tmp_ / "out");
  ASSERT_FALSE(unpacked.is_ok());
  EXPECT_EQ(unpacked.status().code(), Code::kIntegrity);
  EXPECT_NE(unpacked.status().message().find("damaged"), std::string::npos)
      << unpacked.status().to_string();
}

// The export's way: the payload hashed into placeholders that hold no data, then its bytes
// given again while archiving. The archive is the same, byte for byte, as from a bag on disk;
// a source that gives other than what was hashed stops it, and no archive appears.
TEST_F(BagArchive, APayloadStreamedIntoTheArchiveGivesTheSameBytes) {
  const std::string streamed = tmp_ / "streamed/EVH-2026-0007";
  fs::create_directory(tmp_ / "streamed");
  {
    auto writer = BagWriter::create(streamed);
    ASSERT_TRUE(writer.is_ok()) << writer.status().to_string();
    for (const auto& [path, text] : test::small_payloads()) {
      auto added = (*writer)->add_streamed_payload(path, test::text_source(text));
      ASSERT_TRUE(added.is_ok()) << added.status().to_string();
      EXPECT_EQ(added->size, text.size());
    }
    ASSERT_TRUE((*writer)->add_tag_file("index.csv", test::kIndexCsv).is_ok());
    ASSERT_TRUE((*writer)->add_tag_file("README-for-recipients.txt", "How to check.\n").is_ok());
    ASSERT_TRUE((*writer)->add_tag_file("proofs/tree-head.json", "{\"size\":3}\n").is_ok());
    ASSERT_TRUE(add_public_key(**writer, key_.public_key()).is_ok());
    BagInfo info;
    info.source_organization = "Evidence Hub test organisation";
    info.external_identifier = "REQ-2026-0007";
    info.bagging_date = "2026-03-01";
    ASSERT_TRUE(
        (*writer)
            ->finish(info, signing_step(key_, default_trusted_comment(1772323200, "REQ-2026-0007")))
            .is_ok());
  }
  std::map<std::string, std::string> texts;
  for (const auto& [path, text] : test::small_payloads()) {
    texts["data/" + path] = text;
    struct stat st {};
    ASSERT_EQ(::stat((streamed + "/data/" + path).c_str(), &st), 0) << path;
    EXPECT_EQ(static_cast<std::size_t>(st.st_size), text.size()) << path;
    EXPECT_EQ(st.st_blocks, 0) << "a placeholder holds no bytes: " << path;
  }
  std::vector<std::string> asked;
  const PayloadSource payload = [&](const std::string& path) -> Result<ByteSource> {
    asked.push_back(path);
    if (!texts.count(path)) return Status(Code::kNotFound, path);
    return test::text_source(texts.at(path));
  };
  const std::string from_disk = tmp_ / "disk.tar", from_sources = tmp_ / "sources.tar";
  ASSERT_TRUE(write_bag_archive(bag_, from_disk, plain_).is_ok());
  const Status st = write_bag_archive(streamed, from_sources, plain_, payload);
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_EQ(asked.size(), texts.size()) << "every payload file, once";
  EXPECT_TRUE(testing::read_text(from_disk) == testing::read_text(from_sources))
      << "the same archive, byte for byte";

  // A source that gives fewer or more bytes than were hashed: refused, nothing left.
  const PayloadSource shorter = [&](const std::string& path) -> Result<ByteSource> {
    return test::text_source(texts.at(path).substr(1));
  };
  EXPECT_EQ(write_bag_archive(streamed, tmp_ / "short.tar", plain_, shorter).code(),
            Code::kIntegrity);
  EXPECT_FALSE(fs::exists(tmp_ / "short.tar"));
  const PayloadSource longer = [&](const std::string& path) -> Result<ByteSource> {
    return test::text_source(texts.at(path) + "x");
  };
  EXPECT_EQ(write_bag_archive(streamed, tmp_ / "long.tar", plain_, longer).code(),
            Code::kIntegrity);
  const PayloadSource failing = [&](const std::string& path) -> Result<ByteSource> {
    return Status(Code::kIntegrity, path + " fails");
  };
  EXPECT_EQ(write_bag_archive(streamed, tmp_ / "fail.tar", plain_, failing).code(),
            Code::kIntegrity);
  for (const char* left : {"short.tar", "long.tar", "fail.tar"}) {
    EXPECT_FALSE(fs::exists(tmp_ / left)) << left;
  }
  for (const auto& e : fs::directory_iterator(tmp_.path())) {
    EXPECT_EQ(e.path().filename().string().find(".partial-"), std::string::npos) << e.path();
  }
}

// A tar with the given entries, written with libarchive as an attacker would.
struct Entry {
  std::string path;
  int type = AE_IFREG;
  std::string content_or_target;
  bool hardlink = false;
};

void write_tar(const std::string& path, const std::vector<Entry>& entries) {
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
  for (const auto& e : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.path.c_str());
    archive_entry_set_filetype(entry, static_cast<unsigned>(e.type));
    archive_entry_set_perm(entry, 0644);
    if (e.type == AE_IFLNK) archive_entry_set_symlink(entry, e.content_or_target.c_str());
    if (e.hardlink) archive_entry_set_hardlink(entry, e.content_or_target.c_str());
    const bool data = e.type == AE_IFREG && !e.hardlink;
    archive_entry_set_size(entry, data ? static_cast<la_int64_t>(e.content_or_target.size()) : 0);
    ASSERT_EQ(archive_write_header(a, entry), ARCHIVE_OK) << archive_error_string(a);
    if (data) archive_write_data(a, e.content_or_target.data(), e.content_or_target.size());
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
}

TEST(Unpack, HostileEntriesAreRefusedAndNothingLandsOutside) {
  const std::vector<std::pair<std::string, std::vector<Entry>>> cases = {
      {"../x", {{"../x", AE_IFREG, "escaped"}}},
      {"bag/../../x", {{"bag/", AE_IFDIR, ""}, {"bag/../../x", AE_IFREG, "escaped"}}},
      // An absolute path, in /tmp rather than /etc so that a bug here could not touch /etc.
      {"absolute", {{"/tmp/evhub-unpack-test-x", AE_IFREG, "absolute"}}},
      {"bag/link", {{"bag/link", AE_IFLNK, "/tmp"}, {"bag/link/x", AE_IFREG, "through"}}},
      {"bag/rel", {{"bag/rel", AE_IFLNK, "../../.."}}},
      {"bag/hard", {{"bag/hard", AE_IFREG, "/etc/passwd", true}}},
      {"bag/fifo", {{"bag/fifo", AE_IFIFO, ""}}},
      {"bag/tty", {{"bag/tty", AE_IFCHR, ""}}},
      {"bag/twice", {{"bag/twice", AE_IFREG, "one"}, {"bag/twice", AE_IFREG, "two"}}},
      {"bag\\x", {{"bag\\..\\..\\x", AE_IFREG, "windows"}}},
  };
  for (const auto& [name, entries] : cases) {
    testing::TempDir tmp;
    write_tar(tmp / "evil.tar", entries);
    fs::create_directories(tmp / "a/b/into");
    const auto unpacked = unpack_archive(tmp / "evil.tar", tmp / "a/b/into");
    ASSERT_FALSE(unpacked.is_ok()) << name;
    EXPECT_EQ(unpacked.status().code(), Code::kIntegrity) << name;
    EXPECT_NE(unpacked.status().message().find("was refused"), std::string::npos)
        << name << ": " << unpacked.status().to_string();
    EXPECT_FALSE(fs::exists(tmp / "a/b/x")) << name;
    EXPECT_FALSE(fs::exists(tmp / "a/x")) << name;
    EXPECT_FALSE(fs::exists("/tmp/evhub-unpack-test-x")) << name;
  }
}

TEST(Unpack, ATarThatIsNotOneIsDamaged) {
  testing::TempDir tmp;
  testing::write_random_file(tmp / "noise.tar", 20'000, 3);
  fs::create_directory(tmp / "into");
  const auto unpacked = unpack_archive(tmp / "noise.tar", tmp / "into");
  ASSERT_FALSE(unpacked.is_ok());
  EXPECT_EQ(unpacked.status().code(), Code::kIntegrity);
}

}  // namespace
}  // namespace evhub::disclosure
