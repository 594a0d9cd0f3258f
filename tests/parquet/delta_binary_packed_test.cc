#include "kiln/parquet/delta_binary_packed.h"

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "parquet_test_util.h"

namespace kiln::parquet {
namespace {

using testing::ExactBytes;

template <typename T>
std::vector<T> DecodeAll(const uint8_t* data, size_t size, int count, Status* status, size_t* consumed = nullptr) {
  DeltaBinaryPackedDecoder<T> decoder;
  *status = decoder.Init(data, size);
  if (!status->ok()) return {};
  std::vector<T> values(count);
  values.resize(decoder.Decode(values.data(), count));
  *status = decoder.status();
  if (consumed != nullptr) *consumed = decoder.bytes_consumed();
  return values;
}

// Encodings.md example 1 (1, 2, 3, 4, 5) with a valid block: 128 values in
// 4 miniblocks. All deltas equal the min delta, so every width is 0.
TEST(DeltaBinaryPackedTest, SpecExampleOneToFive) {
  const std::vector<uint8_t> bytes = {
      0x80, 0x01,  // block size 128
      0x04,        // 4 miniblocks
      0x05,        // 5 values
      0x02,        // first value 1 (zigzag)
      0x02,        // min delta 1 (zigzag)
      0, 0, 0, 0,  // bit widths; width 0 needs no data
  };
  ExactBytes exact(bytes);
  Status status;
  size_t consumed = 0;
  auto values = DecodeAll<int32_t>(exact.data(), exact.size(), 5, &status, &consumed);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(values, (std::vector<int32_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(consumed, bytes.size());
}

// Encodings.md example 2 (7, 5, 3, 1, 2, 3, 4, 5): min delta -2, relative
// deltas 0, 0, 0, 3, 3, 3, 3 at 2 bits, padded to a 32-value miniblock.
TEST(DeltaBinaryPackedTest, SpecExampleWithNegativeMinDelta) {
  const std::vector<uint8_t> bytes = {
      0x80, 0x01, 0x04, 0x08,
      0x0E,                    // first value 7
      0x03,                    // min delta -2
      2, 0, 0, 0,              // widths; the unused ones could hold anything
      0b11000000, 0b00111111,  // 0,0,0,3 | 3,3,3,pad
      0, 0, 0, 0, 0, 0,        // the rest of the 8-byte miniblock
  };
  ExactBytes exact(bytes);
  Status status;
  size_t consumed = 0;
  auto values = DecodeAll<int64_t>(exact.data(), exact.size(), 8, &status, &consumed);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(values, (std::vector<int64_t>{7, 5, 3, 1, 2, 3, 4, 5}));
  EXPECT_EQ(consumed, bytes.size());
}

TEST(DeltaBinaryPackedTest, ArbitraryPaddingAndUnusedWidthsAreAccepted) {
  const std::vector<uint8_t> bytes = {0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 2, 0xFF, 0x77, 0xEE,
                                      0b11000000, 0b11111111, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
  ExactBytes exact(bytes);
  Status status;
  auto values = DecodeAll<int32_t>(exact.data(), exact.size(), 8, &status);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(values, (std::vector<int32_t>{7, 5, 3, 1, 2, 3, 4, 5}));
}

TEST(DeltaBinaryPackedTest, HeaderOnlyForZeroAndOneValue) {
  for (int64_t count : {0, 1}) {
    std::vector<int64_t> values(count, -42);
    Buffer encoded;
    DeltaBinaryPackedEncode(values.data(), count, &encoded);
    ExactBytes exact(encoded);
    Status status;
    size_t consumed = 0;
    auto decoded = DecodeAll<int64_t>(exact.data(), exact.size(), static_cast<int>(count), &status, &consumed);
    ASSERT_TRUE(status.ok()) << status.ToString();
    EXPECT_EQ(decoded, values);
    EXPECT_EQ(consumed, encoded.size());
  }
}

template <typename T>
void ExpectRoundTrip(const std::vector<T>& values, uint32_t seed) {
  Buffer encoded;
  DeltaBinaryPackedEncode(values.data(), values.size(), &encoded);
  const uint8_t trailer[5] = {1, 2, 3, 4, 5};  // Data that follows, as in DELTA_LENGTH_BYTE_ARRAY.
  const size_t encoded_size = encoded.size();
  encoded.Append(trailer, 5);
  ExactBytes exact(encoded);
  DeltaBinaryPackedDecoder<T> decoder;
  ASSERT_TRUE(decoder.Init(exact.data(), exact.size()).ok());
  ASSERT_EQ(decoder.total_values(), static_cast<int64_t>(values.size()));
  std::vector<T> decoded(values.size());
  std::mt19937 rng(seed);
  size_t done = 0;
  while (done < values.size()) {
    int batch = static_cast<int>(std::min<size_t>(values.size() - done, 1 + rng() % 200));
    ASSERT_EQ(decoder.Decode(decoded.data() + done, batch), batch) << decoder.status().ToString();
    done += batch;
  }
  EXPECT_EQ(decoded, values);
  EXPECT_EQ(decoder.bytes_consumed(), encoded_size);
  EXPECT_EQ(decoder.values_left(), 0);
  T extra;
  EXPECT_EQ(decoder.Decode(&extra, 1), 0);
  EXPECT_EQ(decoder.status().code(), Status::Code::kCorruption);
}

TEST(DeltaBinaryPackedTest, RoundTripInt32Patterns) {
  std::mt19937 rng(5);
  std::vector<int32_t> sorted(10'000), noise(1'234), extremes, constant(513, 77);
  for (size_t i = 0; i < sorted.size(); ++i) sorted[i] = static_cast<int32_t>(i * 3 + rng() % 3);
  for (auto& value : noise) value = static_cast<int32_t>(rng());
  for (int i = 0; i < 300; ++i) {
    extremes.push_back(i % 2 ? std::numeric_limits<int32_t>::min() : std::numeric_limits<int32_t>::max());
  }
  ExpectRoundTrip(sorted, 1);
  ExpectRoundTrip(noise, 2);
  ExpectRoundTrip(extremes, 3);  // Deltas wrap around and need all 32 bits.
  ExpectRoundTrip(constant, 4);
  for (int count : {2, 31, 32, 33, 127, 128, 129, 130, 257}) {
    std::vector<int32_t> values(count);
    for (auto& value : values) value = static_cast<int32_t>(rng() % 1000) - 500;
    ExpectRoundTrip(values, count);
  }
}

TEST(DeltaBinaryPackedTest, RoundTripInt64WithSixtyFourBitDeltas) {
  std::mt19937_64 rng(9);
  std::vector<int64_t> noise(1'000), extremes;
  for (auto& value : noise) value = static_cast<int64_t>(rng());
  for (int i = 0; i < 260; ++i) {
    extremes.push_back(i % 3 == 0 ? std::numeric_limits<int64_t>::min()
                                  : (i % 3 == 1 ? std::numeric_limits<int64_t>::max() : 0));
  }
  ExpectRoundTrip(noise, 1);
  ExpectRoundTrip(extremes, 2);
  // Every miniblock width from 0 to 64 at least once.
  std::vector<int64_t> widths;
  int64_t value = 0;
  for (int width = 0; width <= 63; ++width) {
    for (int i = 0; i < 32; ++i) {
      widths.push_back(value);
      // Wrapping addition: the sequence may pass INT64_MAX.
      value = static_cast<int64_t>(static_cast<uint64_t>(value) + (i % 2 ? (uint64_t{1} << width) - 1 : 0));
    }
  }
  ExpectRoundTrip(widths, 3);
}

TEST(DeltaBinaryPackedTest, TruncatedDataIsCorruption) {
  std::vector<int32_t> values(300);
  for (int i = 0; i < 300; ++i) values[i] = i * i;
  Buffer encoded;
  DeltaBinaryPackedEncode(values.data(), values.size(), &encoded);
  for (size_t cut = 0; cut < encoded.size(); ++cut) {
    ExactBytes exact(encoded.data(), cut);
    Status status;
    auto decoded = DecodeAll<int32_t>(exact.data(), exact.size(), 300, &status);
    ASSERT_EQ(status.code(), Status::Code::kCorruption) << "cut " << cut;
    ASSERT_LT(decoded.size(), values.size());
    for (size_t i = 0; i < decoded.size(); ++i) ASSERT_EQ(decoded[i], values[i]);
  }
}

TEST(DeltaBinaryPackedTest, InvalidHeadersAreCorruption) {
  const std::vector<std::vector<uint8_t>> headers = {
      {},                              // Nothing.
      {0x80, 0x01, 0x04},              // Cut off.
      {0x08, 0x01, 0x05, 0x02},        // Block size 8 is not a multiple of 128.
      {0x80, 0x01, 0x00, 0x05, 0x02},  // No miniblocks.
      {0x80, 0x01, 0x08, 0x05, 0x02},  // Miniblocks of 16 values.
      {0x80, 0x01, 0x03, 0x05, 0x02},  // 3 does not divide 128.
      {0x80, 0x01, 0x04, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x02},  // 2^32 - 1 values.
  };
  for (const auto& header : headers) {
    ExactBytes exact(header);
    DeltaBinaryPackedDecoder<int32_t> decoder;
    EXPECT_EQ(decoder.Init(exact.data(), exact.size()).code(), Status::Code::kCorruption);
    int32_t value;
    EXPECT_EQ(decoder.Decode(&value, 1), 0);
  }
}

TEST(DeltaBinaryPackedTest, WidthAboveTypeIsCorruption) {
  std::vector<uint8_t> bytes = {0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 33, 0, 0, 0};
  bytes.resize(bytes.size() + 32 * 33 / 8);
  ExactBytes exact(bytes);
  Status status;
  DecodeAll<int32_t>(exact.data(), exact.size(), 2, &status);
  EXPECT_EQ(status.code(), Status::Code::kCorruption);
  bytes[6] = 65;
  ExactBytes exact64(bytes);
  DecodeAll<int64_t>(exact64.data(), exact64.size(), 2, &status);
  EXPECT_EQ(status.code(), Status::Code::kCorruption);
}

TEST(DeltaBinaryPackedTest, LargerBlocksFromOtherWriters) {
  // Block of 256 values in 2 miniblocks of 128: 200 values 0, 2, 4, ...
  std::vector<uint8_t> bytes = {0x80, 0x02, 0x02, 0xC8, 0x01, 0x00, 0x04, 0, 0};
  ExactBytes exact(bytes);
  Status status;
  auto values = DecodeAll<int64_t>(exact.data(), exact.size(), 200, &status);
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_EQ(values.size(), 200u);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(values[i], 2 * i);
}

}  // namespace
}  // namespace kiln::parquet
