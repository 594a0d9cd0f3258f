#include <gtest/gtest.h>

#include "kiln/parquet/codec.h"

namespace kiln::parquet {
namespace {

TEST(CodecNameTest, ParsesUserNamesInAnyCase) {
  EXPECT_EQ(*ParseCodecName("zstd"), format::CompressionCodec::ZSTD);
  EXPECT_EQ(*ParseCodecName("SNAPPY"), format::CompressionCodec::SNAPPY);
  EXPECT_EQ(*ParseCodecName("lz4"), format::CompressionCodec::LZ4_RAW);
  EXPECT_EQ(*ParseCodecName("none"), format::CompressionCodec::UNCOMPRESSED);
  auto unknown = ParseCodecName("lzo");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("'lzo'"), std::string::npos);
}

}  // namespace
}  // namespace kiln::parquet
