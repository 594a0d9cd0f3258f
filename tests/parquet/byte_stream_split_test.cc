#include "kiln/parquet/byte_stream_split.h"

#include <cstring>
#include <vector>

#include <gtest/gtest.h>

#include "parquet_test_util.h"

namespace kiln::parquet {
namespace {

using testing::ExactBytes;
using testing::RandomBytes;

// The Encodings.md example: three 4-byte values.
TEST(ByteStreamSplitTest, SpecExample) {
  const std::vector<uint8_t> values = {0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11, 0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6};
  const std::vector<uint8_t> split = {0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6};
  Buffer encoded;
  EncodeByteStreamSplit(values.data(), 3, 4, &encoded);
  EXPECT_EQ(std::vector<uint8_t>(encoded.data(), encoded.data() + encoded.size()), split);
  ExactBytes exact(split);
  std::vector<uint8_t> decoded(12);
  size_t consumed = 0;
  ASSERT_TRUE(DecodeByteStreamSplit(exact.data(), exact.size(), 3, 4, decoded.data(), &consumed).ok());
  EXPECT_EQ(decoded, values);
  EXPECT_EQ(consumed, 12u);
}

TEST(ByteStreamSplitTest, RoundTripManyWidths) {
  for (int width : {1, 2, 3, 4, 5, 8, 12, 16}) {
    for (int64_t count : {0, 1, 7, 1000}) {
      std::vector<uint8_t> values = RandomBytes(count * width, width * 100 + count);
      Buffer encoded;
      EncodeByteStreamSplit(values.data(), count, width, &encoded);
      ExactBytes exact(encoded);
      std::vector<uint8_t> decoded(values.size());
      size_t consumed = 0;
      ASSERT_TRUE(DecodeByteStreamSplit(exact.data(), exact.size(), count, width, decoded.data(), &consumed).ok());
      EXPECT_EQ(decoded, values) << "width " << width << " count " << count;
    }
  }
}

TEST(ByteStreamSplitTest, DoublesRoundTrip) {
  const std::vector<double> values = {1.5, -2.25, 1e-300, 0.0};
  Buffer encoded;
  EncodeByteStreamSplit(reinterpret_cast<const uint8_t*>(values.data()), 4, 8, &encoded);
  std::vector<double> decoded(4);
  size_t consumed = 0;
  ASSERT_TRUE(DecodeByteStreamSplit(encoded.data(), encoded.size(), 4, 8,
                                    reinterpret_cast<uint8_t*>(decoded.data()), &consumed)
                  .ok());
  EXPECT_EQ(decoded, values);
}

TEST(ByteStreamSplitTest, ShortInputIsCorruption) {
  std::vector<uint8_t> bytes(11);
  std::vector<uint8_t> out(12);
  size_t consumed = 0;
  EXPECT_EQ(DecodeByteStreamSplit(bytes.data(), bytes.size(), 3, 4, out.data(), &consumed).code(),
            Status::Code::kCorruption);
}

}  // namespace
}  // namespace kiln::parquet
