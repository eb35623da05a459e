#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/file_lock.h"
#include "core/fs.h"
#include "core/hex.h"
#include "core/random_name.h"
#include "core/status.h"
#include "core/text.h"
#include "support/support.h"

namespace evhub {
namespace {

TEST(Hex, RoundTripsAndRejectsMalformed) {
  Bytes b = {0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(to_hex(b), "0001abff");
  EXPECT_EQ(*from_hex("0001ABff"), b);
  EXPECT_FALSE(from_hex("abc").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
}

TEST(Text, AcceptsUtf8AndRejectsMalformedOrControl) {
  EXPECT_TRUE(is_valid_utf8("W-00123 Калеснікава ў"));
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));      // truncated
  EXPECT_TRUE(is_printable_text("analyst-1", 20));
  EXPECT_FALSE(is_printable_text("two\nlines", 20));
  EXPECT_FALSE(is_printable_text("toolong", 3));
}

TEST(Status, CarriesCodeAndContext) {
  Status st(Code::kNotFound, "no object x");
  EXPECT_FALSE(st.is_ok());
  EXPECT_EQ(st.with_context("getting").message(), "getting: no object x");
  EXPECT_EQ(st.with_context("getting").code(), Code::kNotFound);
  EXPECT_EQ(st.to_string(), "not found: no object x");
  EXPECT_TRUE(Status::ok().is_ok());
}

TEST(Clock, FormatsRfc3339Utc) {
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339(1790000000123), "2026-09-21T14:13:20.123Z");
}

TEST(RandomName, Is32HexAndUnique) {
  std::string a = random_name(), b = random_name();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_TRUE(from_hex(a).has_value());
  EXPECT_NE(a, b);
}

TEST(LocalFs, WriteAtomicReplacesWholeFile) {
  testing::TempDir dir;
  FileSystem& fs = local_fs();
  std::string p = dir / "f";
  ASSERT_TRUE(write_file_atomic(fs, p, as_bytes("first")).is_ok());
  ASSERT_TRUE(write_file_atomic(fs, p, as_bytes("second")).is_ok());
  EXPECT_EQ(*read_text_file(fs, p), "second");
  auto names = fs.list_dir(dir.path());
  ASSERT_TRUE(names.is_ok());
  EXPECT_EQ(names->size(), 1u) << "no temp file may be left behind";
}

TEST(LocalFs, ErrorsNameThePathAndKind) {
  testing::TempDir dir;
  auto missing = local_fs().open_read(dir / "nope");
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_NE(missing.status().message().find("nope"), std::string::npos);
  EXPECT_EQ(errno_status(ENOSPC, "writing", "x").code(), Code::kNoSpace);
  EXPECT_EQ(errno_status(EFBIG, "writing", "x").code(), Code::kNoSpace);
  EXPECT_EQ(errno_status(EIO, "writing", "x").code(), Code::kIoError);
}

TEST(LocalFs, CreateNewRefusesExistingFile) {
  testing::TempDir dir;
  ASSERT_TRUE(local_fs().create_new(dir / "a").is_ok());
  EXPECT_FALSE(local_fs().create_new(dir / "a").is_ok());
}

TEST(FaultyFs, FailsTheNthMutation) {
  testing::TempDir dir;
  testing::FaultyFileSystem fs(local_fs());
  fs.fail_at(3, ENOSPC);
  Status st = write_file_atomic(fs, dir / "f", as_bytes("data"));  // create, write, sync, ...
  EXPECT_EQ(st.code(), Code::kNoSpace);
  EXPECT_FALSE(local_fs().exists(dir / "f"));
  auto names = local_fs().list_dir(dir.path());
  EXPECT_TRUE(names->empty()) << "the temp file must be removed after a failure";
}

TEST(FileLock, SecondExclusiveLockWaitsThenReportsBusy) {
  testing::TempDir dir;
  auto first = FileLock::acquire(dir / "lock", true, 0);
  ASSERT_TRUE(first.is_ok());
  // flock locks belong to open file descriptions, so a second open in this process conflicts.
  auto second = FileLock::acquire(dir / "lock", true, 50);
  EXPECT_EQ(second.status().code(), Code::kBusy);
  auto shared = FileLock::acquire(dir / "lock", false, 0);
  EXPECT_EQ(shared.status().code(), Code::kBusy);
}

}  // namespace
}  // namespace evhub
