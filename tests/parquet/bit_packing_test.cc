#include "kiln/parquet/bit_packing.h"

#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "parquet_test_util.h"

namespace kiln::parquet {
namespace {

using testing::ExactBytes;

// The example of Encodings.md: 0..7 at 3 bits is 10001000 11000110 11111010.
TEST(BitPackingTest, SpecExampleBitWidth3) {
  const uint32_t values[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  uint8_t packed[3];
  PackBits<uint32_t>(values, 8, 3, packed);
  EXPECT_EQ(packed[0], 0b10001000);
  EXPECT_EQ(packed[1], 0b11000110);
  EXPECT_EQ(packed[2], 0b11111010);
  ExactBytes exact(packed, 3);
  uint32_t unpacked[8];
  UnpackBits<uint32_t>(exact.data(), 3, 8, unpacked);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(unpacked[i], values[i]);
}

// The deprecated BIT_PACKED example: 0..7 at 3 bits, MSB first, is
// 00000101 00111001 01110111.
TEST(BitPackingTest, MsbFirstSpecExample) {
  const uint8_t packed[3] = {0b00000101, 0b00111001, 0b01110111};
  ExactBytes exact(packed, 3);
  uint16_t values[8];
  UnpackBitsMsbFirst(exact.data(), 3, 8, values);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(values[i], i);
  // 30 two-bit levels take 8 bytes.
  std::vector<uint8_t> levels(8, 0b11100100);  // 3, 2, 1, 0 in every byte.
  ExactBytes exact_levels(levels.data(), BitPackedBytes(30, 2));
  uint16_t decoded[30];
  UnpackBitsMsbFirst(exact_levels.data(), 2, 30, decoded);
  for (int i = 0; i < 30; ++i) EXPECT_EQ(decoded[i], 3 - i % 4);
}

TEST(BitPackingTest, BitPackedBytesRoundsUp) {
  EXPECT_EQ(BitPackedBytes(0, 7), 0);
  EXPECT_EQ(BitPackedBytes(1, 1), 1);
  EXPECT_EQ(BitPackedBytes(8, 1), 1);
  EXPECT_EQ(BitPackedBytes(9, 1), 2);
  EXPECT_EQ(BitPackedBytes(3, 64), 24);
  EXPECT_EQ(BitPackedBytes(32, 5), 20);
}

TEST(BitPackingTest, BitWidthOf) {
  EXPECT_EQ(BitWidthOf(0), 0);
  EXPECT_EQ(BitWidthOf(1), 1);
  EXPECT_EQ(BitWidthOf(255), 8);
  EXPECT_EQ(BitWidthOf(256), 9);
  EXPECT_EQ(BitWidthOf(~uint64_t{0}), 64);
}

// Packs random values of every width, checks the byte count, and unpacks them
// from an exactly sized copy at several counts (groups of 32 and tails).
template <typename T>
void RoundTripEveryWidth() {
  std::mt19937_64 rng(42);
  for (int width = 0; width <= static_cast<int>(8 * sizeof(T)); ++width) {
    for (int64_t count : {0, 1, 5, 8, 31, 32, 33, 64, 100, 1000, 4099}) {
      const uint64_t mask = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
      std::vector<T> values(count);
      for (auto& value : values) value = static_cast<T>(rng() & mask);
      const int64_t bytes = BitPackedBytes(count, width);
      std::vector<uint8_t> packed(bytes + 8, 0xAB);  // Sentinels after the end.
      PackBits<T>(values.data(), count, width, packed.data());
      for (int i = 0; i < 8; ++i) ASSERT_EQ(packed[bytes + i], 0xAB) << "width " << width << " wrote too much";
      ExactBytes exact(packed.data(), bytes);
      std::vector<T> unpacked(count + 1, T{7});
      UnpackBits<T>(exact.data(), width, count, unpacked.data());
      for (int64_t i = 0; i < count; ++i) {
        ASSERT_EQ(unpacked[i], values[i]) << "width " << width << " count " << count << " index " << i;
      }
      ASSERT_EQ(unpacked[count], T{7}) << "unpack wrote past count";
    }
  }
}

TEST(BitPackingTest, RoundTripEveryWidthUint8) { RoundTripEveryWidth<uint8_t>(); }
TEST(BitPackingTest, RoundTripEveryWidthUint16) { RoundTripEveryWidth<uint16_t>(); }
TEST(BitPackingTest, RoundTripEveryWidthUint32) { RoundTripEveryWidth<uint32_t>(); }
TEST(BitPackingTest, RoundTripEveryWidthUint64) { RoundTripEveryWidth<uint64_t>(); }

TEST(BitPackingTest, PackIgnoresHighBits) {
  const uint32_t values[4] = {0xFFFFFFFF, 0, 0xFFFFFFFE, 1};
  uint8_t packed[1];
  PackBits<uint32_t>(values, 4, 1, packed);
  EXPECT_EQ(packed[0], 0b1001);
}

TEST(BitPackingTest, MaximumValuesOfEveryWidth) {
  for (int width = 1; width <= 64; ++width) {
    const uint64_t top = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
    std::vector<uint64_t> values(37, top);
    std::vector<uint8_t> packed(BitPackedBytes(37, width));
    PackBits<uint64_t>(values.data(), 37, width, packed.data());
    std::vector<uint64_t> unpacked(37);
    UnpackBits<uint64_t>(packed.data(), width, 37, unpacked.data());
    EXPECT_EQ(unpacked, values) << "width " << width;
  }
}

}  // namespace
}  // namespace kiln::parquet
