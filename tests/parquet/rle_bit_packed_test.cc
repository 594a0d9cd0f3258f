#include "kiln/parquet/rle_bit_packed.h"

#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "kiln/parquet/bit_packing.h"
#include "parquet_test_util.h"

namespace kiln::parquet {
namespace {

using testing::ExactBytes;

std::vector<uint32_t> DecodeAll(const uint8_t* data, size_t size, int bit_width, int count, Status* status) {
  RleBitPackedDecoder decoder(data, size, bit_width);
  std::vector<uint32_t> values(count);
  int decoded = decoder.Decode(values.data(), count);
  values.resize(decoded);
  *status = decoder.status();
  return values;
}

// One bit-packed run of one group: the Encodings.md example 0..7 at 3 bits.
TEST(RleBitPackedTest, SpecBitPackedExample) {
  const std::vector<uint8_t> bytes = {0x03, 0b10001000, 0b11000110, 0b11111010};
  ExactBytes exact(bytes);
  Status status;
  auto values = DecodeAll(exact.data(), exact.size(), 3, 8, &status);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(values, (std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(RleBitPackedTest, RepeatedRunThenBitPackedRun) {
  // 10 x 5 at width 3 (header 10 << 1 = 20, one value byte), then 8 packed values.
  const std::vector<uint8_t> bytes = {20, 5, 0x03, 0b10001000, 0b11000110, 0b11111010};
  ExactBytes exact(bytes);
  Status status;
  auto values = DecodeAll(exact.data(), exact.size(), 3, 18, &status);
  ASSERT_TRUE(status.ok()) << status.ToString();
  std::vector<uint32_t> expected(10, 5);
  for (uint32_t i = 0; i < 8; ++i) expected.push_back(i);
  EXPECT_EQ(values, expected);
}

TEST(RleBitPackedTest, MultiByteRepeatedValueIsLittleEndian) {
  // 300 = 0b100101100: header ULEB128 (600 = 0xD8 0x04), value 0x1234 in two bytes.
  const std::vector<uint8_t> bytes = {0xD8, 0x04, 0x34, 0x12};
  ExactBytes exact(bytes);
  Status status;
  auto values = DecodeAll(exact.data(), exact.size(), 13, 300, &status);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(values, std::vector<uint32_t>(300, 0x1234));
}

TEST(RleBitPackedTest, BitWidthZero) {
  // A repeated run of 7 zeros has no value bytes; a packed group has no data.
  const std::vector<uint8_t> bytes = {14, 0x03};
  ExactBytes exact(bytes);
  Status status;
  auto values = DecodeAll(exact.data(), exact.size(), 0, 15, &status);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(values, std::vector<uint32_t>(15, 0));
}

TEST(RleBitPackedTest, ZeroValuesFromEmptyInput) {
  RleBitPackedDecoder decoder(nullptr, 0, 5);
  uint32_t out[1];
  EXPECT_EQ(decoder.Decode(out, 0), 0);
  EXPECT_TRUE(decoder.status().ok());
  EXPECT_EQ(decoder.Decode(out, 1), 0);
  EXPECT_EQ(decoder.status().code(), Status::Code::kCorruption);
}

TEST(RleBitPackedTest, InvalidBitWidthIsCorruption) {
  const uint8_t bytes[2] = {2, 0};
  RleBitPackedDecoder decoder(bytes, 2, 33);
  uint32_t out[1];
  EXPECT_EQ(decoder.Decode(out, 1), 0);
  EXPECT_EQ(decoder.status().code(), Status::Code::kCorruption);
}

TEST(RleBitPackedTest, RepeatedValueWiderThanBitWidthIsCorruption) {
  const std::vector<uint8_t> bytes = {4, 0x09};  // 9 does not fit in 3 bits.
  ExactBytes exact(bytes);
  Status status;
  DecodeAll(exact.data(), exact.size(), 3, 2, &status);
  EXPECT_EQ(status.code(), Status::Code::kCorruption);
}

TEST(RleBitPackedTest, NarrowOutputTypeForWideValuesIsInvalidArgument) {
  const std::vector<uint8_t> bytes = {4, 0x00, 0x00, 0x01};
  RleBitPackedDecoder decoder(bytes.data(), bytes.size(), 17);
  int16_t out[2];
  EXPECT_EQ(decoder.Decode(out, 2), 0);
  EXPECT_EQ(decoder.status().code(), Status::Code::kInvalidArgument);
}

TEST(RleBitPackedTest, TruncatedInputIsCorruptionNeverOverread) {
  std::vector<uint32_t> values;
  std::mt19937 rng(7);
  for (int i = 0; i < 500; ++i) values.push_back(i % 50 < 20 ? 3 : rng() % 16);
  Buffer encoded;
  RleBitPackedEncode(values.data(), values.size(), 4, &encoded);
  for (size_t cut = 0; cut < encoded.size(); ++cut) {
    ExactBytes exact(encoded.data(), cut);
    Status status;
    auto decoded = DecodeAll(exact.data(), exact.size(), 4, static_cast<int>(values.size()), &status);
    // Cutting only the zero padding of the last group loses no value.
    if (decoded.size() == values.size()) {
      ASSERT_TRUE(status.ok()) << "cut " << cut;
      ASSERT_GE(cut, encoded.size() - 1) << "cut " << cut;
    } else {
      ASSERT_EQ(status.code(), Status::Code::kCorruption) << "cut " << cut;
    }
    for (size_t i = 0; i < decoded.size(); ++i) ASSERT_EQ(decoded[i], values[i]) << "cut " << cut;
  }
}

TEST(RleBitPackedTest, TruncatedRunHeaderIsCorruption) {
  const std::vector<uint8_t> bytes = {0x80, 0x80};  // A varint that never ends.
  ExactBytes exact(bytes);
  Status status;
  DecodeAll(exact.data(), exact.size(), 1, 1, &status);
  EXPECT_EQ(status.code(), Status::Code::kCorruption);
  EXPECT_NE(status.message().find("run header"), std::string::npos) << status.message();
}

// Values with long runs, short runs and noise, all fitting in `width` bits.
std::vector<uint32_t> MixedRuns(int width, int count, uint32_t seed) {
  std::mt19937_64 rng(seed);
  const uint64_t mask = width == 32 ? 0xFFFFFFFFull : (uint64_t{1} << width) - 1;
  std::vector<uint32_t> values;
  while (static_cast<int>(values.size()) < count) {
    uint32_t value = static_cast<uint32_t>(rng() & mask);
    int run = 1;
    switch (rng() % 4) {
      case 0: run = 1 + rng() % 3; break;
      case 1: run = 7 + rng() % 3; break;  // Around the repeated-run threshold.
      case 2: run = 8 + rng() % 100; break;
      default: run = 1000 + rng() % 5000; break;
    }
    for (int i = 0; i < run && static_cast<int>(values.size()) < count; ++i) {
      values.push_back(rng() % 5 == 0 && run < 8 ? static_cast<uint32_t>(rng() & mask) : value);
    }
  }
  return values;
}

// Encode then decode in random batch sizes, for every width 0..32.
TEST(RleBitPackedTest, RoundTripEveryWidthInBatches) {
  std::mt19937 rng(1);
  for (int width = 0; width <= 32; ++width) {
    for (int count : {0, 1, 7, 8, 9, 100, 20000}) {
      std::vector<uint32_t> values = MixedRuns(width, count, width * 1000 + count);
      Buffer encoded;
      RleBitPackedEncode(values.data(), count, width, &encoded);
      ExactBytes exact(encoded);
      RleBitPackedDecoder decoder(exact.data(), exact.size(), width);
      std::vector<uint32_t> decoded(count);
      int done = 0;
      while (done < count) {
        int batch = std::min<int>(count - done, 1 + rng() % 300);
        ASSERT_EQ(decoder.Decode(decoded.data() + done, batch), batch)
            << "width " << width << " count " << count << ": " << decoder.status().ToString();
        done += batch;
      }
      ASSERT_EQ(decoded, values) << "width " << width << " count " << count;
      ASSERT_TRUE(decoder.status().ok());
    }
  }
}

TEST(RleBitPackedTest, LongRunsEncodeCompactly) {
  std::vector<uint32_t> values(1'000'000, 1);
  values.insert(values.end(), 1'000'000, 0);
  Buffer encoded;
  RleBitPackedEncode(values.data(), values.size(), 1, &encoded);
  EXPECT_LE(encoded.size(), 12u);
  Status status;
  auto decoded = DecodeAll(encoded.data(), encoded.size(), 1, static_cast<int>(values.size()), &status);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(decoded, values);
}

TEST(RleBitPackedTest, NoiseBitPacksAtAboutTheBitWidth) {
  std::mt19937 rng(3);
  std::vector<uint32_t> values(8000);
  for (auto& value : values) value = rng() % 1024;
  Buffer encoded;
  RleBitPackedEncode(values.data(), values.size(), 10, &encoded);
  EXPECT_LE(encoded.size(), 8000u * 10 / 8 + 16);
}

TEST(RleBitPackedTest, Int16LevelsAndUint8Booleans) {
  std::vector<int16_t> levels = {0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 0, 3};
  Buffer encoded;
  RleBitPackedEncode(levels.data(), levels.size(), 2, &encoded);
  RleBitPackedDecoder decoder(encoded.data(), encoded.size(), 2);
  std::vector<int16_t> decoded(levels.size());
  ASSERT_EQ(decoder.Decode(decoded.data(), static_cast<int>(decoded.size())), static_cast<int>(levels.size()));
  EXPECT_EQ(decoded, levels);

  std::vector<uint8_t> booleans = {1, 0, 1, 1, 0, 0, 0, 1, 1};
  Buffer encoded_booleans;
  RleBitPackedEncode(booleans.data(), booleans.size(), 1, &encoded_booleans);
  RleBitPackedDecoder boolean_decoder(encoded_booleans.data(), encoded_booleans.size(), 1);
  std::vector<uint8_t> decoded_booleans(booleans.size());
  ASSERT_EQ(boolean_decoder.Decode(decoded_booleans.data(), 9), 9);
  EXPECT_EQ(decoded_booleans, booleans);
}

TEST(RleBitPackedTest, LengthPrefixedRoundTrip) {
  std::vector<int16_t> levels(1000);
  for (int i = 0; i < 1000; ++i) levels[i] = static_cast<int16_t>(i % 7 == 0 ? 0 : 1);
  Buffer encoded;
  RleBitPackedEncodeWithLength(levels.data(), levels.size(), 1, &encoded);
  const uint8_t trailer[3] = {9, 9, 9};  // Values that follow the levels in a page.
  encoded.Append(trailer, 3);
  ExactBytes exact(encoded);
  RleBitPackedDecoder decoder;
  size_t consumed = 0;
  ASSERT_TRUE(decoder.ResetLengthPrefixed(exact.data(), exact.size(), 1, &consumed).ok());
  EXPECT_EQ(consumed, exact.size() - 3);
  std::vector<int16_t> decoded(1000);
  ASSERT_EQ(decoder.Decode(decoded.data(), 1000), 1000);
  EXPECT_EQ(decoded, levels);
}

TEST(RleBitPackedTest, LengthPrefixBeyondPageIsCorruption) {
  const std::vector<uint8_t> bytes = {10, 0, 0, 0, 2, 1};
  ExactBytes exact(bytes);
  RleBitPackedDecoder decoder;
  size_t consumed = 0;
  EXPECT_EQ(decoder.ResetLengthPrefixed(exact.data(), exact.size(), 1, &consumed).code(),
            Status::Code::kCorruption);
  EXPECT_EQ(decoder.ResetLengthPrefixed(exact.data(), 3, 1, &consumed).code(), Status::Code::kCorruption);
}

TEST(RleBitPackedTest, ShortFinalBitPackedRunYieldsWhatItHolds) {
  // Header claims 2 groups (16 values) at width 8 but only 10 bytes follow.
  std::vector<uint8_t> bytes = {0x05};
  for (int i = 0; i < 10; ++i) bytes.push_back(static_cast<uint8_t>(i));
  ExactBytes exact(bytes);
  RleBitPackedDecoder decoder(exact.data(), exact.size(), 8);
  uint32_t out[16];
  EXPECT_EQ(decoder.Decode(out, 16), 10);
  EXPECT_EQ(decoder.status().code(), Status::Code::kCorruption);
  for (uint32_t i = 0; i < 10; ++i) EXPECT_EQ(out[i], i);
}

TEST(RleBitPackedTest, SkipThenDecode) {
  std::vector<uint32_t> values = MixedRuns(6, 5000, 99);
  Buffer encoded;
  RleBitPackedEncode(values.data(), values.size(), 6, &encoded);
  RleBitPackedDecoder decoder(encoded.data(), encoded.size(), 6);
  ASSERT_EQ(decoder.Skip(13), 13);
  std::vector<uint32_t> out(100);
  ASSERT_EQ(decoder.Decode(out.data(), 100), 100);
  EXPECT_TRUE(std::equal(out.begin(), out.end(), values.begin() + 13));
  ASSERT_EQ(decoder.Skip(3000), 3000);
  ASSERT_EQ(decoder.Decode(out.data(), 5), 5);
  EXPECT_TRUE(std::equal(out.begin(), out.begin() + 5, values.begin() + 3113));
}

}  // namespace
}  // namespace kiln::parquet
