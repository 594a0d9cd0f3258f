#include "kiln/parquet/dictionary_encoder.h"

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kiln/parquet/dictionary.h"
#include "kiln/parquet/plain.h"
#include "kiln/parquet/rle_bit_packed.h"
#include "parquet_test_util.h"

namespace kiln::parquet {
namespace {

using testing::StartOffsets;
using testing::StringColumn;
using testing::ToStrings;

TEST(DictionaryEncoderTest, IndicesFollowFirstOccurrence) {
  DictionaryEncoder<int64_t> encoder;
  const std::vector<int64_t> values = {7, 3, 7, 7, -1, 3};
  std::vector<uint32_t> indices(values.size());
  encoder.Encode(values.data(), values.size(), indices.data());
  EXPECT_EQ(indices, (std::vector<uint32_t>{0, 1, 0, 0, 2, 1}));
  ASSERT_EQ(encoder.size(), 3);
  EXPECT_EQ(encoder.values()[2], -1);
  EXPECT_EQ(encoder.dictionary_bytes(), 24);
  EXPECT_EQ(encoder.index_bit_width(), 2);
  encoder.Reset();
  EXPECT_EQ(encoder.size(), 0);
}

TEST(DictionaryEncoderTest, DoublesCompareByBits) {
  DictionaryEncoder<double> encoder;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> values = {0.0, -0.0, nan, nan, 1.0};
  std::vector<uint32_t> indices(values.size());
  encoder.Encode(values.data(), values.size(), indices.data());
  EXPECT_EQ(indices, (std::vector<uint32_t>{0, 1, 2, 2, 3}));
}

// Many distinct values force the table to grow; gathering the indices back
// through the dictionary must give the input.
TEST(DictionaryEncoderTest, GrowsAndRoundTripsThroughRle) {
  std::mt19937 rng(4);
  std::vector<int32_t> values(200'000);
  for (auto& value : values) value = static_cast<int32_t>(rng() % 50'000) - 25'000;
  DictionaryEncoder<int32_t> encoder;
  std::vector<uint32_t> indices(values.size());
  encoder.Encode(values.data(), 100'000, indices.data());
  encoder.Encode(values.data() + 100'000, 100'000, indices.data() + 100'000);  // Across calls.
  EXPECT_LE(encoder.size(), 50'000);
  Buffer encoded;
  RleBitPackedEncode(indices.data(), indices.size(), encoder.index_bit_width(), &encoded);
  RleBitPackedDecoder decoder(encoded.data(), encoded.size(), encoder.index_bit_width());
  std::vector<uint32_t> decoded(indices.size());
  ASSERT_EQ(decoder.Decode(decoded.data(), static_cast<int>(decoded.size())), static_cast<int>(decoded.size()));
  std::vector<int32_t> gathered(values.size());
  ASSERT_TRUE(DictionaryGather(encoder.values(), encoder.size(), decoded.data(), decoded.size(), gathered.data()).ok());
  EXPECT_EQ(gathered, values);
}

TEST(DictionaryEncoderTest, ByteArrays) {
  std::vector<std::string> values = {"b", "", "apple", "b", std::string(70'000, 'z'), "", "apple"};
  for (int i = 0; i < 5000; ++i) values.push_back("key" + std::to_string(i % 1500));
  StringColumn column(values);
  ByteArrayDictionaryEncoder encoder;
  std::vector<uint32_t> indices(values.size());
  encoder.Encode(column.offsets.data(), column.data(), column.count(), indices.data());
  EXPECT_EQ(encoder.size(), 4 + 1500);
  EXPECT_EQ(indices[0], 0u);
  EXPECT_EQ(indices[3], 0u);
  EXPECT_EQ(indices[5], 1u);
  EXPECT_EQ(indices[6], 2u);
  // The dictionary page as a reader sees it.
  Buffer page;
  ASSERT_TRUE(EncodePlainByteArray(encoder.offsets(), encoder.bytes(), encoder.size(), &page).ok());
  EXPECT_EQ(static_cast<int64_t>(page.size()), encoder.dictionary_bytes());
  Buffer dictionary_offsets, dictionary_bytes;
  StartOffsets(&dictionary_offsets);
  size_t consumed = 0;
  ASSERT_TRUE(DecodePlainByteArray(page.data(), page.size(), encoder.size(), &dictionary_offsets, &dictionary_bytes,
                                   &consumed)
                  .ok());
  Buffer offsets, bytes;
  StartOffsets(&offsets);
  ASSERT_TRUE(DictionaryGatherByteArray(dictionary_offsets.as<int64_t>(), dictionary_bytes.data(), encoder.size(),
                                        indices.data(), indices.size(), &offsets, &bytes)
                  .ok());
  EXPECT_EQ(ToStrings(offsets, bytes), values);
}

}  // namespace
}  // namespace kiln::parquet
