// A 200 MB payload, generated on the fly, goes through the whole path in bounded memory: into
// a bag (hashed twice in one pass), into an age-encrypted tar through a pipe, and back out
// through verify_package. The bound is on the peak resident size, never on time.
#include <sys/resource.h>

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "disclosure/bag_archive.h"
#include "disclosure/bagit_writer.h"
#include "disclosure/minisign.h"
#include "disclosure/package_signature.h"
#include "disclosure/package_verify.h"
#include "package_fixture.h"
#include "support/support.h"

namespace evhub::disclosure {
namespace {

constexpr std::uint64_t kPayloadSize = 200ull << 20;
constexpr long kMaxGrowthKib = 64 << 10;  // 64 MiB, for 600 MiB streamed

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Pseudo-random bytes, `size` of them, made as they are asked for.
ByteSource generated(std::uint64_t size) {
  auto left = std::make_shared<std::uint64_t>(size);
  auto engine = std::make_shared<std::mt19937_64>(2020);
  return [left, engine](std::span<std::uint8_t> buffer) -> Result<std::size_t> {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), *left));
    for (std::size_t i = 0; i + 8 <= n; i += 8) {
      const std::uint64_t word = (*engine)();
      std::memcpy(buffer.data() + i, &word, 8);
    }
    for (std::size_t i = n - n % 8; i < n; ++i) buffer[i] = static_cast<std::uint8_t>((*engine)());
    *left -= n;
    return n;
  };
}

TEST(LargePayload, TwoHundredMegabytesAreBaggedSealedAndVerifiedInBoundedMemory) {
  testing::TempDir tmp;
  const auto key = crypto::SigningKey::generate();
  const std::string bag = tmp / "EVH-2026-0007";
  const long before = peak_rss_kib();

  auto writer = BagWriter::create(bag);
  ASSERT_TRUE(writer.is_ok());
  const auto sums =
      (*writer)->add_payload("INC-0012/recording 2020-08-10.mp4", generated(kPayloadSize + 12345));
  ASSERT_TRUE(sums.is_ok()) << sums.status().to_string();
  EXPECT_EQ(sums->size, kPayloadSize + 12345);
  ASSERT_TRUE(add_public_key(**writer, key.public_key()).is_ok());
  BagInfo info;
  info.source_organization = "Evidence Hub test organisation";
  info.external_identifier = "REQ-2026-0007";
  const auto finished = (*writer)->finish(info);
  ASSERT_TRUE(finished.is_ok());
  EXPECT_EQ(finished->oxum, (bagit::PayloadOxum{kPayloadSize + 12345, 1}));
  ASSERT_TRUE(sign_bag(bag, key, default_trusted_comment(1772323200, "REQ-2026-0007")).is_ok());
  EXPECT_EQ(testing::sha256sum_of(bag + "/data/INC-0012/recording 2020-08-10.mp4"), sums->sha256);

  const std::string age_key = tmp / "key.txt";
  ArchiveOptions options;
  options.age_recipients = {test::make_age_key(age_key)};
  ASSERT_TRUE(write_bag_archive(bag, tmp / "package.tar.age", options).is_ok());

  PackageVerifyOptions verify;
  verify.age_identity_file = age_key;
  verify.trusted_public_key = minisign::public_key_file(key.public_key());
  const auto report = verify_package(tmp / "package.tar.age", verify);
  ASSERT_TRUE(report.is_ok()) << report.status().to_string();
  EXPECT_TRUE(report->ok()) << report->to_text();

  const long growth = peak_rss_kib() - before;
  RecordProperty("peak_rss_growth_kib", static_cast<int>(growth));
  EXPECT_LT(growth, kMaxGrowthKib) << "peak resident size grew by " << growth << " KiB";
}

}  // namespace
}  // namespace evhub::disclosure
