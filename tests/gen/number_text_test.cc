#include "kiln/gen/number_text.h"

#include <cinttypes>
#include <cstdio>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "kiln/gen/random.h"

namespace kiln {
namespace {

std::string Decimal(int64_t value) {
  char buffer[20];
  return std::string(buffer, WriteDecimal(value, buffer));
}

std::string UnsignedDecimal(uint64_t value) {
  char buffer[20];
  return std::string(buffer, WriteDecimal(value, buffer));
}

std::string Hex8(uint32_t value) {
  char buffer[8];
  return std::string(buffer, WriteHex8(value, buffer));
}

TEST(NumberTextTest, DecimalEdges) {
  for (int64_t value : {int64_t{0}, int64_t{7}, int64_t{9}, int64_t{10}, int64_t{99}, int64_t{100}, int64_t{101},
                        int64_t{12345}, int64_t{-1}, int64_t{-3}, int64_t{-100}, std::numeric_limits<int64_t>::max(),
                        std::numeric_limits<int64_t>::min()}) {
    EXPECT_EQ(Decimal(value), std::to_string(value));
  }
  EXPECT_EQ(UnsignedDecimal(std::numeric_limits<uint64_t>::max()), "18446744073709551615");
}

TEST(NumberTextTest, DecimalRandom) {
  Xoshiro256 rng(1);
  for (int i = 0; i < 100000; ++i) {
    const int64_t value = static_cast<int64_t>(rng.Next()) >> (rng.Next() % 64);
    ASSERT_EQ(Decimal(value), std::to_string(value));
  }
}

TEST(NumberTextTest, HexIsEightLowerCaseDigits) {
  EXPECT_EQ(Hex8(0), "00000000");
  EXPECT_EQ(Hex8(0xffffffffu), "ffffffff");
  EXPECT_EQ(Hex8(0x0a1b2c3du), "0a1b2c3d");
  Xoshiro256 rng(2);
  for (int i = 0; i < 100000; ++i) {
    const uint32_t value = static_cast<uint32_t>(rng.Next());
    char expected[9];
    std::snprintf(expected, sizeof(expected), "%08" PRIx32, value);
    ASSERT_EQ(Hex8(value), expected);
  }
}

}  // namespace
}  // namespace kiln
