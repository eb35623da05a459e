// Production numbers as the issue writes them (EVH-2026-0007-000123), both ways, and what is
// not one.
#include "disclosure/production_number.h"

#include <gtest/gtest.h>

namespace evhub::disclosure {
namespace {

TEST(ProductionNumber, IsWrittenAndReadBack) {
  const ProductionNumber n{"EVH", 2026, 7, 123};
  EXPECT_EQ(to_string(n), "EVH-2026-0007-000123");
  EXPECT_EQ(parse_production_number("EVH-2026-0007-000123"), n);
  const ProductionNumber longest{"BELHUB", 2030, 9999, 999999};
  EXPECT_EQ(parse_production_number(to_string(longest)), longest);
}

TEST(ProductionNumber, WhatIsNotOneIsRefused) {
  for (const char* text : {"", "EVH-2026-0007-00012", "EVH-2026-7-000123", "evh-2026-0007-000123",
                           "E-2026-0007-000123", "EVH-2026-0000-000123", "EVH-2026-0007-000000",
                           "EVH_2026-0007-000123", "EVH-2026-0007-00012x", "EVH-20a6-0007-000123",
                           "EVH-2026-0007--00123", "ABCDEFGHI-2026-0007-000123"}) {
    EXPECT_FALSE(parse_production_number(text).has_value()) << text;
  }
  EXPECT_FALSE(valid(ProductionNumber{"EVH", 2026, 10000, 1}));
  EXPECT_FALSE(valid(ProductionNumber{"EVH", 2026, 1, 1000000}));
}

}  // namespace
}  // namespace evhub::disclosure
