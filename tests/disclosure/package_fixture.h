// Shared by the disclosure tests: a small signed bag with fictional evidence (Cyrillic names,
// spaces), an age key made by the stock age-keygen, and running stock tools in a directory.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "crypto/crypto.h"
#include "disclosure/bagit_writer.h"
#include "disclosure/package_signature.h"
#include "support/support.h"

namespace evhub::disclosure::test {

inline ByteSource text_source(const std::string& text) {
  auto offset = std::make_shared<std::size_t>(0);
  return [text, offset](std::span<std::uint8_t> buffer) -> Result<std::size_t> {
    const std::size_t n = std::min(buffer.size(), text.size() - *offset);
    std::copy_n(text.data() + *offset, n, reinterpret_cast<char*>(buffer.data()));
    *offset += n;
    return n;
  };
}

// Runs a stock tool with `dir` as its working directory (env -C: no shell).
inline testing::RunResult run_in(const std::string& dir, std::vector<std::string> argv) {
  argv.insert(argv.begin(), {"env", "-C", dir});
  return testing::run(argv);
}

// The payloads of the small bag, relative to data/: fictional incident and witness material.
inline std::vector<std::pair<std::string, std::string>> small_payloads() {
  return {
      {"INC-0012/EVH-2026-0007-000001 протокол допроса.txt",
       "Свидетель W-00123 описывает задержание 10 августа 2020 года в Минске.\n"},
      {"INC-0012/EVH-2026-0007-000002 Акрэсціна, камера 5.txt",
       "Транскрипт: условия содержания на Окрестина.\n"},
      {"W-00123/EVH-2026-0007-000003 witness summary.txt", "Summary of testimony W-00123.\n"},
      {"EVH-2026-0007-000004.bin", std::string("\x00\x01\xff\xfe binary", 11)},
  };
}

inline const char* kIndexCsv =
    "production_number,description,sha256_original\n"
    "EVH-2026-0007-000001,протокол допроса,(see manifest)\n";

// A finished, signed bag at `dir` with the small payloads, signed by `key`.
inline void make_small_bag(const std::string& dir, const crypto::SigningKey& key,
                           const BagWriterOptions& options = {}) {
  auto writer = BagWriter::create(dir, options);
  ASSERT_TRUE(writer.is_ok()) << writer.status().to_string();
  for (const auto& [path, text] : small_payloads()) {
    auto added = (*writer)->add_payload(path, text_source(text));
    ASSERT_TRUE(added.is_ok()) << added.status().to_string();
  }
  ASSERT_TRUE((*writer)->add_tag_file("index.csv", kIndexCsv).is_ok());
  ASSERT_TRUE((*writer)->add_tag_file("README-for-recipients.txt", "How to check.\n").is_ok());
  ASSERT_TRUE((*writer)->add_tag_file("proofs/tree-head.json", "{\"size\":3}\n").is_ok());
  ASSERT_TRUE(add_public_key(**writer, key.public_key()).is_ok());
  BagInfo info;
  info.source_organization = "Evidence Hub test organisation";
  info.external_identifier = "REQ-2026-0007";
  info.bagging_date = "2026-03-01";
  auto finished = (*writer)->finish(
      info, signing_step(key, default_trusted_comment(1772323200, "REQ-2026-0007")));
  ASSERT_TRUE(finished.is_ok()) << finished.status().to_string();
}

// An age identity made by the stock age-keygen; returns its public key (age1...).
inline std::string make_age_key(const std::string& key_file) {
  const auto made = testing::run({"age-keygen", "-o", key_file});
  EXPECT_EQ(made.exit_code, 0) << made.err;
  const auto shown = testing::run({"age-keygen", "-y", key_file});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  std::string recipient = shown.out;
  while (!recipient.empty() && recipient.back() == '\n') recipient.pop_back();
  return recipient;
}

}  // namespace evhub::disclosure::test
