#include "kiln/parquet/plain.h"

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "parquet_test_util.h"

namespace kiln::parquet {
namespace {

using testing::ExactBytes;
using testing::StartOffsets;
using testing::StringColumn;
using testing::ToStrings;

template <typename T>
void ExpectFixedRoundTrip(const std::vector<T>& values) {
  Buffer encoded;
  EncodePlainFixed(values.data(), values.size(), sizeof(T), &encoded);
  ASSERT_EQ(encoded.size(), values.size() * sizeof(T));
  ExactBytes exact(encoded);
  std::vector<T> decoded(values.size());
  size_t consumed = 0;
  ASSERT_TRUE(DecodePlain<T>(exact.data(), exact.size(), values.size(), decoded.data(), &consumed).ok());
  EXPECT_EQ(consumed, encoded.size());
  if (!values.empty()) {
    EXPECT_EQ(0, std::memcmp(decoded.data(), values.data(), values.size() * sizeof(T)));
  }
}

TEST(PlainTest, FixedWidthRoundTrips) {
  ExpectFixedRoundTrip<int32_t>({0, 1, -1, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()});
  ExpectFixedRoundTrip<int64_t>({0, -5, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()});
  ExpectFixedRoundTrip<float>({0.0f, -0.0f, 1.5f, std::numeric_limits<float>::infinity(),
                               std::numeric_limits<float>::quiet_NaN()});
  ExpectFixedRoundTrip<double>({3.25, -1e300, std::numeric_limits<double>::denorm_min()});
  ExpectFixedRoundTrip<int32_t>({});
}

TEST(PlainTest, Int32IsLittleEndian) {
  const std::vector<uint8_t> bytes = {0x01, 0x00, 0x00, 0x00, 0xFE, 0xFF, 0xFF, 0xFF};
  int32_t values[2];
  size_t consumed = 0;
  ASSERT_TRUE(DecodePlain<int32_t>(bytes.data(), bytes.size(), 2, values, &consumed).ok());
  EXPECT_EQ(values[0], 1);
  EXPECT_EQ(values[1], -2);
  EXPECT_EQ(consumed, 8u);
}

TEST(PlainTest, ShortFixedInputIsCorruption) {
  const std::vector<uint8_t> bytes(15);
  int64_t values[2];
  size_t consumed = 0;
  EXPECT_EQ(DecodePlain<int64_t>(bytes.data(), bytes.size(), 2, values, &consumed).code(), Status::Code::kCorruption);
  // A count whose byte size overflows must not pass the check.
  EXPECT_EQ(DecodePlainFixed(bytes.data(), bytes.size(), int64_t{1} << 62, 8, values, &consumed).code(),
            Status::Code::kCorruption);
}

TEST(PlainTest, FixedLenByteArray) {
  const std::vector<uint8_t> bytes = {'a', 'b', 'c', 'd', 'e', 'f'};
  uint8_t out[6];
  size_t consumed = 0;
  ASSERT_TRUE(DecodePlainFixed(bytes.data(), bytes.size(), 2, 3, out, &consumed).ok());
  EXPECT_EQ(std::string(reinterpret_cast<char*>(out), 6), "abcdef");
  EXPECT_EQ(DecodePlainFixed(bytes.data(), bytes.size(), 3, 3, out, &consumed).code(), Status::Code::kCorruption);
}

TEST(PlainTest, BooleansAreBitPackedLsbFirst) {
  const std::vector<uint8_t> values = {1, 0, 1, 1, 0, 0, 0, 0, 1, 1};
  Buffer encoded;
  EncodePlainBoolean(values.data(), values.size(), &encoded);
  ASSERT_EQ(encoded.size(), 2u);
  EXPECT_EQ(encoded.data()[0], 0b00001101);
  EXPECT_EQ(encoded.data()[1], 0b00000011);
  ExactBytes exact(encoded);
  std::vector<uint8_t> decoded(values.size());
  size_t consumed = 0;
  ASSERT_TRUE(DecodePlainBoolean(exact.data(), exact.size(), values.size(), decoded.data(), &consumed).ok());
  EXPECT_EQ(decoded, values);
  EXPECT_EQ(consumed, 2u);
  EXPECT_EQ(DecodePlainBoolean(exact.data(), exact.size(), 17, decoded.data(), &consumed).code(),
            Status::Code::kCorruption);
}

TEST(PlainTest, ByteArraysRoundTripIncludingHugeAndEmpty) {
  std::vector<std::string> values = {"", "a", "hello", std::string(70'000, 'x') + "end", "", "\x00\xff"};
  values.push_back(std::string(200'000, 'q'));
  StringColumn column(values);
  Buffer encoded;
  ASSERT_TRUE(EncodePlainByteArray(column.offsets.data(), column.data(), column.count(), &encoded).ok());
  ExactBytes exact(encoded);
  Buffer offsets, bytes;
  StartOffsets(&offsets);
  size_t consumed = 0;
  ASSERT_TRUE(DecodePlainByteArray(exact.data(), exact.size(), column.count(), &offsets, &bytes, &consumed).ok());
  EXPECT_EQ(consumed, exact.size());
  EXPECT_EQ(ToStrings(offsets, bytes), values);
}

TEST(PlainTest, ByteArraysAppendAcrossPages) {
  StringColumn first({"ab", "c"});
  StringColumn second({"def"});
  Buffer page1, page2;
  ASSERT_TRUE(EncodePlainByteArray(first.offsets.data(), first.data(), 2, &page1).ok());
  ASSERT_TRUE(EncodePlainByteArray(second.offsets.data(), second.data(), 1, &page2).ok());
  Buffer offsets, bytes;
  StartOffsets(&offsets);
  size_t consumed = 0;
  ASSERT_TRUE(DecodePlainByteArray(page1.data(), page1.size(), 2, &offsets, &bytes, &consumed).ok());
  ASSERT_TRUE(DecodePlainByteArray(page2.data(), page2.size(), 1, &offsets, &bytes, &consumed).ok());
  EXPECT_EQ(ToStrings(offsets, bytes), (std::vector<std::string>{"ab", "c", "def"}));
}

TEST(PlainTest, TruncatedByteArraysAreCorruptionAndLeaveBuffersAlone) {
  StringColumn column({"hello", "world", std::string(1000, 'z')});
  Buffer encoded;
  ASSERT_TRUE(EncodePlainByteArray(column.offsets.data(), column.data(), 3, &encoded).ok());
  for (size_t cut = 0; cut < encoded.size(); cut += 7) {
    ExactBytes exact(encoded.data(), cut);
    Buffer offsets, bytes;
    StartOffsets(&offsets);
    size_t consumed = 0;
    Status status = DecodePlainByteArray(exact.data(), exact.size(), 3, &offsets, &bytes, &consumed);
    ASSERT_EQ(status.code(), Status::Code::kCorruption) << "cut " << cut;
    EXPECT_EQ(offsets.size(), sizeof(int64_t));
    EXPECT_EQ(bytes.size(), 0u);
  }
  // A length prefix far beyond the page.
  const std::vector<uint8_t> bogus = {0xFF, 0xFF, 0xFF, 0x7F, 'a'};
  Buffer offsets, bytes;
  StartOffsets(&offsets);
  size_t consumed = 0;
  EXPECT_EQ(DecodePlainByteArray(bogus.data(), bogus.size(), 1, &offsets, &bytes, &consumed).code(),
            Status::Code::kCorruption);
}

TEST(PlainTest, ZeroByteArraysFromEmptyPage) {
  Buffer offsets, bytes;
  StartOffsets(&offsets);
  size_t consumed = 7;
  ASSERT_TRUE(DecodePlainByteArray(nullptr, 0, 0, &offsets, &bytes, &consumed).ok());
  EXPECT_EQ(consumed, 0u);
  EXPECT_EQ(offsets.size(), sizeof(int64_t));
}

TEST(PlainTest, Int96Timestamps) {
  uint8_t value[12];
  MicrosToInt96(0, value);
  int32_t julian_day;
  std::memcpy(&julian_day, value + 8, 4);
  EXPECT_EQ(julian_day, 2440588);
  EXPECT_EQ(Int96ToMicros(value), 0);
  // 2000-01-01T00:00:00.000001 and an instant before the epoch.
  for (int64_t micros : {int64_t{946'684'800'000'001}, int64_t{-1}, int64_t{-86'400'000'000} * 365 - 17}) {
    MicrosToInt96(micros, value);
    EXPECT_EQ(Int96ToMicros(value), micros);
  }
  // Sub-microsecond nanoseconds are truncated.
  int64_t nanos = 1'999;
  std::memcpy(value, &nanos, 8);
  julian_day = 2440589;
  std::memcpy(value + 8, &julian_day, 4);
  EXPECT_EQ(Int96ToMicros(value), 86'400'000'000 + 1);

  uint8_t page[24];
  MicrosToInt96(5, page);
  MicrosToInt96(-5, page + 12);
  int64_t decoded[2];
  size_t consumed = 0;
  ASSERT_TRUE(DecodePlainInt96ToMicros(page, 24, 2, decoded, &consumed).ok());
  EXPECT_EQ(decoded[0], 5);
  EXPECT_EQ(decoded[1], -5);
  EXPECT_EQ(DecodePlainInt96ToMicros(page, 23, 2, decoded, &consumed).code(), Status::Code::kCorruption);
}

}  // namespace
}  // namespace kiln::parquet
