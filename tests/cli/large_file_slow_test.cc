// A file larger than 4 GiB goes in and out intact, in constant memory.
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/support.h"

namespace evhub::cli {
namespace {

namespace fs = std::filesystem;

TEST(LargeFile, FourGibibytesRoundTripInConstantMemory) {
  testing::TempDir tmp;
  auto space = fs::space(tmp.path());
  ASSERT_GE(space.available, std::uintmax_t{6} << 30)
      << "this test needs 6 GiB free in " << tmp.path() << " (set TMPDIR elsewhere)";
  // 4 GiB + 1 byte: sparse, with random blocks at the start, across chunk boundaries and at
  // the end, so the content is not uniform and the last chunk is a single byte.
  const std::uint64_t size = (std::uint64_t{4} << 30) + 1;
  std::string in = tmp / "large.bin";
  {
    int fd = ::open(in.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, static_cast<off_t>(size)), 0);
    ::close(fd);
    std::string block = tmp / "block";
    testing::write_random_file(block, 1 << 20, 42);
    std::string data = testing::read_text(block);
    std::fstream f(in, std::ios::in | std::ios::out | std::ios::binary);
    for (std::uint64_t at : {std::uint64_t{0}, (std::uint64_t{1} << 20) - 7, std::uint64_t{3} << 30,
                             size - (1 << 20)}) {
      f.seekp(static_cast<std::streamoff>(at));
      f.write(data.data(), static_cast<std::streamsize>(data.size()));
    }
  }
  ASSERT_EQ(testing::file_size(in), size);
  std::string hub = tmp / "hub", key = tmp / "key";
  ASSERT_EQ(testing::evhub(hub, key, {"init"}).exit_code, 0);
  auto put = testing::evhub(hub, key, {"--json", "put", in});
  ASSERT_EQ(put.exit_code, 0) << put.err;
  auto j = nlohmann::json::parse(put.out);
  const std::string expected = testing::sha256sum_of(in);
  EXPECT_EQ(j["sha256"], expected);
  EXPECT_EQ(j["size"], size);
  // Memory stays flat: a few 1 MiB chunk buffers, whatever the file size.
  EXPECT_LT(put.max_rss_kib, 64 * 1024) << "peak RSS " << put.max_rss_kib << " KiB";
  fs::remove(in);

  // verify decrypts the whole object and re-checks its SHA-256 against intake, also in
  // constant memory; get does the same into a file (tested at smaller sizes), so the 4 GiB are
  // not written out again.
  auto verify = testing::evhub(hub, key, {"--json", "verify"});
  ASSERT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_EQ(nlohmann::json::parse(verify.out)["bytes_checked"], size);
  EXPECT_LT(verify.max_rss_kib, 64 * 1024);
}

}  // namespace
}  // namespace evhub::cli
