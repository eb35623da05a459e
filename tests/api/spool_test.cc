// The encrypted upload spool on its own: exact bytes back at every size around its chunks,
// random access, no name on disk, no plaintext on disk, and a full disk as a clear error.
#include <sys/resource.h>

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <random>

#include "api/spool.h"
#include "support/support.h"

namespace evhub::api {
namespace {

constexpr std::size_t kChunk = 64 * 1024;  // the spool's plaintext chunk

Bytes pattern(std::size_t size, std::uint32_t seed) {
  Bytes out(size);
  std::mt19937 rng(seed);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng());
  return out;
}

TEST(SpooledBody, GivesBackExactlyWhatWasAppendedAtEveryChunkBoundary) {
  testing::TempDir dir;
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, kChunk - 1, kChunk, kChunk + 1,
                           3 * kChunk, 3 * kChunk + 17}) {
    const Bytes data = pattern(size, static_cast<std::uint32_t>(size));
    auto spool = SpooledBody::create(dir.path());
    ASSERT_TRUE(spool.is_ok()) << spool.status().to_string();
    // Appended in uneven pieces, as a socket delivers them.
    for (std::size_t at = 0; at < size;) {
      const std::size_t n = std::min<std::size_t>(size - at, 1 + at % 50000);
      ASSERT_TRUE((*spool)->append({data.data() + at, n}).is_ok());
      at += n;
    }
    ASSERT_TRUE((*spool)->finish().is_ok());
    EXPECT_EQ(*(*spool)->size(), size);
    Bytes back;
    Bytes piece(7777);
    for (;;) {
      auto n = (*spool)->read(piece);
      ASSERT_TRUE(n.is_ok()) << n.status().to_string();
      if (*n == 0) break;
      back.insert(back.end(), piece.begin(), piece.begin() + static_cast<long>(*n));
    }
    EXPECT_EQ(back, data) << size;
    if (size >= kChunk + 50) {  // a read across the first chunk boundary
      Bytes mid(100);
      auto n = (*spool)->read_at(kChunk - 50, mid);
      ASSERT_TRUE(n.is_ok());
      EXPECT_EQ(*n, 100u);
      EXPECT_TRUE(std::equal(mid.begin(), mid.end(), data.begin() + kChunk - 50));
    }
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "spools never have a name";
}

TEST(SpooledBody, NothingIsReadBeforeTheEndAndAMissingDirectoryIsNamed) {
  testing::TempDir dir;
  auto spool = SpooledBody::create(dir.path());
  ASSERT_TRUE(spool.is_ok());
  ASSERT_TRUE((*spool)->append(pattern(10, 1)).is_ok());
  Bytes out(10);
  EXPECT_FALSE((*spool)->read(out).is_ok()) << "still being written";
  auto none = SpooledBody::create(dir / "missing");
  ASSERT_FALSE(none.is_ok());
  EXPECT_NE(none.status().message().find("missing"), std::string::npos);
}

// The plaintext never reaches the disk: the file under /proc/self/fd holds none of it.
TEST(SpooledBody, HoldsNoPlaintextOnDisk) {
  testing::TempDir dir;
  auto spool = SpooledBody::create(dir.path());
  ASSERT_TRUE(spool.is_ok());
  const std::string marker = "WITNESS-STATEMENT-MARKER";
  std::string text;
  for (int i = 0; i < 10000; ++i) text += marker;
  ASSERT_TRUE(
      (*spool)->append({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}).is_ok());
  ASSERT_TRUE((*spool)->finish().is_ok());
  bool found_file = false;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    auto target = std::filesystem::read_symlink(e.path(), ec);
    if (ec || target.string().rfind(dir.path(), 0) != 0) continue;
    found_file = true;
    const std::string on_disk = testing::read_text(e.path());
    EXPECT_GE(on_disk.size(), text.size());
    EXPECT_EQ(on_disk.find(marker), std::string::npos);
  }
  EXPECT_TRUE(found_file);
}

TEST(SpooledBody, AFullDiskIsNoSpace) {
  testing::TempDir dir;
  auto spool = SpooledBody::create(dir.path());
  ASSERT_TRUE(spool.is_ok());
  // A file size limit fails writes the way a full disk does (EFBIG, with SIGXFSZ ignored).
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit old{};
  ::getrlimit(RLIMIT_FSIZE, &old);
  rlimit small = old;
  small.rlim_cur = 100000;
  ::setrlimit(RLIMIT_FSIZE, &small);
  Status st = (*spool)->append(pattern(4 * kChunk, 3));
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_EQ(st.code(), Code::kNoSpace) << st.to_string();
}

}  // namespace
}  // namespace evhub::api
