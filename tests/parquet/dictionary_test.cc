#include "kiln/parquet/dictionary.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "parquet_test_util.h"

namespace kiln::parquet {
namespace {

using testing::StartOffsets;
using testing::StringColumn;
using testing::ToStrings;

TEST(DictionaryTest, GatherFixedWidth) {
  const int64_t dictionary[3] = {10, 20, 30};
  const std::vector<uint32_t> indices = {2, 0, 0, 1, 2};
  std::vector<int64_t> out(indices.size());
  ASSERT_TRUE(DictionaryGather(dictionary, 3, indices.data(), indices.size(), out.data()).ok());
  EXPECT_EQ(out, (std::vector<int64_t>{30, 10, 10, 20, 30}));
}

TEST(DictionaryTest, OutOfRangeIndexIsCorruption) {
  const double dictionary[2] = {1.0, 2.0};
  const std::vector<uint32_t> indices = {0, 1, 2};
  std::vector<double> out(3);
  Status status = DictionaryGather(dictionary, 2, indices.data(), indices.size(), out.data());
  EXPECT_EQ(status.code(), Status::Code::kCorruption);
  EXPECT_NE(status.message().find("index 2"), std::string::npos) << status.message();
  // An empty dictionary accepts no index but does accept no values.
  EXPECT_EQ(DictionaryGather(dictionary, 0, indices.data(), 1, out.data()).code(), Status::Code::kCorruption);
  EXPECT_TRUE(DictionaryGather(dictionary, 0, indices.data(), 0, out.data()).ok());
  const std::vector<uint32_t> huge = {0xFFFFFFFF};
  EXPECT_EQ(CheckDictionaryIndices(huge.data(), 1, 5).code(), Status::Code::kCorruption);
}

TEST(DictionaryTest, GatherFixedLenByteArray) {
  const uint8_t dictionary[] = {'a', 'b', 'c', 'd'};
  const std::vector<uint32_t> indices = {1, 0, 1};
  uint8_t out[6];
  ASSERT_TRUE(DictionaryGatherFixed(dictionary, 2, 2, indices.data(), 3, out).ok());
  EXPECT_EQ(std::string(reinterpret_cast<char*>(out), 6), "cdabcd");
  const std::vector<uint32_t> bad = {2};
  EXPECT_EQ(DictionaryGatherFixed(dictionary, 2, 2, bad.data(), 1, out).code(), Status::Code::kCorruption);
}

TEST(DictionaryTest, GatherByteArrays) {
  StringColumn dictionary({"apple", "", std::string(100'000, 'b')});
  const std::vector<uint32_t> indices = {2, 0, 1, 0, 2};
  Buffer offsets, bytes;
  StartOffsets(&offsets);
  ASSERT_TRUE(DictionaryGatherByteArray(dictionary.offsets.data(), dictionary.data(), 3, indices.data(),
                                        indices.size(), &offsets, &bytes)
                  .ok());
  std::vector<std::string> expected = {std::string(100'000, 'b'), "apple", "", "apple", std::string(100'000, 'b')};
  EXPECT_EQ(ToStrings(offsets, bytes), expected);

  const std::vector<uint32_t> bad = {0, 3};
  EXPECT_EQ(DictionaryGatherByteArray(dictionary.offsets.data(), dictionary.data(), 3, bad.data(), 2, &offsets,
                                      &bytes)
                .code(),
            Status::Code::kCorruption);
  EXPECT_EQ(ToStrings(offsets, bytes), expected);  // Untouched by the failed call.
}

}  // namespace
}  // namespace kiln::parquet
