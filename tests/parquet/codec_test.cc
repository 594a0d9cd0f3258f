#include "kiln/parquet/codec.h"

#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "parquet_test_util.h"

namespace kiln::parquet {
namespace {

using format::CompressionCodec;
using testing::ExactBytes;
using testing::RandomBytes;

const std::vector<Codec> kSupportedCodecs = {
    CompressionCodec::UNCOMPRESSED, CompressionCodec::SNAPPY, CompressionCodec::GZIP,   CompressionCodec::BROTLI,
    CompressionCodec::LZ4,          CompressionCodec::ZSTD,   CompressionCodec::LZ4_RAW,
};

std::vector<uint8_t> Compressible(size_t size) {
  std::vector<uint8_t> bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>("parquet page "[i % 13] + (i / 4096) % 3);
  return bytes;
}

void ExpectRoundTrip(Codec codec, const std::vector<uint8_t>& input) {
  Buffer compressed;
  compressed.Append("pre", 3);  // Compress appends after existing bytes.
  ASSERT_TRUE(Compress(codec, input.data(), input.size(), &compressed).ok()) << CodecName(codec);
  ExactBytes exact(compressed.data() + 3, compressed.size() - 3);
  std::vector<uint8_t> output(input.size());
  Status status = Decompress(codec, exact.data(), exact.size(), output.data(), output.size());
  ASSERT_TRUE(status.ok()) << CodecName(codec) << ": " << status.ToString();
  EXPECT_TRUE(output == input) << CodecName(codec);
}

TEST(CodecTest, RoundTripEveryCodec) {
  for (Codec codec : kSupportedCodecs) {
    SCOPED_TRACE(CodecName(codec));
    ExpectRoundTrip(codec, {});
    ExpectRoundTrip(codec, {'x'});
    ExpectRoundTrip(codec, Compressible(100'000));
    ExpectRoundTrip(codec, RandomBytes(1 << 20, 11));  // 1 MiB of noise.
  }
}

TEST(CodecTest, CompressibleDataShrinks) {
  std::vector<uint8_t> input = Compressible(1 << 20);
  for (Codec codec : kSupportedCodecs) {
    if (codec == CompressionCodec::UNCOMPRESSED) continue;
    Buffer compressed;
    ASSERT_TRUE(Compress(codec, input.data(), input.size(), &compressed).ok());
    EXPECT_LT(compressed.size(), input.size() / 10) << CodecName(codec);
  }
}

TEST(CodecTest, LevelsAreHonoured) {
  std::vector<uint8_t> input = Compressible(200'000);
  for (Codec codec : {CompressionCodec::GZIP, CompressionCodec::ZSTD, CompressionCodec::BROTLI}) {
    for (int level : {1, 9}) {
      Buffer compressed;
      ASSERT_TRUE(Compress(codec, input.data(), input.size(), &compressed, level).ok()) << CodecName(codec);
      std::vector<uint8_t> output(input.size());
      ASSERT_TRUE(Decompress(codec, compressed.data(), compressed.size(), output.data(), output.size()).ok());
      EXPECT_TRUE(output == input);
    }
  }
  Buffer compressed;
  EXPECT_EQ(Compress(CompressionCodec::BROTLI, input.data(), 10, &compressed, 12).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(Compress(CompressionCodec::GZIP, input.data(), 10, &compressed, 42).code(),
            Status::Code::kInvalidArgument);
}

TEST(CodecTest, SizeMismatchIsCorruption) {
  std::vector<uint8_t> input = Compressible(10'000);
  for (Codec codec : kSupportedCodecs) {
    Buffer compressed;
    ASSERT_TRUE(Compress(codec, input.data(), input.size(), &compressed).ok());
    std::vector<uint8_t> output(input.size() + 1);
    EXPECT_EQ(Decompress(codec, compressed.data(), compressed.size(), output.data(), input.size() + 1).code(),
              Status::Code::kCorruption)
        << CodecName(codec) << " with room for one byte more";
    EXPECT_EQ(Decompress(codec, compressed.data(), compressed.size(), output.data(), input.size() - 1).code(),
              Status::Code::kCorruption)
        << CodecName(codec) << " with room for one byte less";
  }
}

TEST(CodecTest, CorruptInputIsCorruptionNotACrash) {
  std::vector<uint8_t> input = Compressible(50'000);
  for (Codec codec : kSupportedCodecs) {
    if (codec == CompressionCodec::UNCOMPRESSED) continue;
    SCOPED_TRACE(CodecName(codec));
    Buffer compressed;
    ASSERT_TRUE(Compress(codec, input.data(), input.size(), &compressed).ok());
    std::vector<uint8_t> output(input.size());
    // Truncations.
    for (size_t cut : {size_t{0}, size_t{1}, compressed.size() / 2, compressed.size() - 1}) {
      ExactBytes exact(compressed.data(), cut);
      EXPECT_FALSE(Decompress(codec, exact.data(), exact.size(), output.data(), output.size()).ok()) << cut;
    }
    // Pure garbage of several sizes.
    for (uint32_t seed = 0; seed < 20; ++seed) {
      std::vector<uint8_t> garbage = RandomBytes(1 + seed * 37, seed);
      ExactBytes exact(garbage);
      Status status = Decompress(codec, exact.data(), exact.size(), output.data(), output.size());
      EXPECT_EQ(status.code(), Status::Code::kCorruption) << "seed " << seed;
    }
    // Flipped bytes in the middle: may decode to other bytes, but must not crash.
    std::vector<uint8_t> flipped(compressed.data(), compressed.data() + compressed.size());
    for (size_t i = flipped.size() / 3; i < flipped.size(); i += flipped.size() / 7 + 1) flipped[i] ^= 0x5A;
    ExactBytes exact(flipped);
    (void)Decompress(codec, exact.data(), exact.size(), output.data(), output.size());
  }
}

TEST(CodecTest, GzipConcatenatedMembers) {
  std::vector<uint8_t> first = Compressible(5000);
  std::vector<uint8_t> second = RandomBytes(3000, 2);
  Buffer compressed;
  ASSERT_TRUE(Compress(CompressionCodec::GZIP, first.data(), first.size(), &compressed).ok());
  ASSERT_TRUE(Compress(CompressionCodec::GZIP, second.data(), second.size(), &compressed).ok());
  std::vector<uint8_t> expected = first;
  expected.insert(expected.end(), second.begin(), second.end());
  std::vector<uint8_t> output(expected.size());
  ASSERT_TRUE(
      Decompress(CompressionCodec::GZIP, compressed.data(), compressed.size(), output.data(), output.size()).ok());
  EXPECT_TRUE(output == expected);
}

TEST(CodecTest, GzipHasGzipHeader) {
  std::vector<uint8_t> input = Compressible(100);
  Buffer compressed;
  ASSERT_TRUE(Compress(CompressionCodec::GZIP, input.data(), input.size(), &compressed).ok());
  ASSERT_GE(compressed.size(), 2u);
  EXPECT_EQ(compressed.data()[0], 0x1F);
  EXPECT_EQ(compressed.data()[1], 0x8B);
}

TEST(CodecTest, Lz4ReadsRawBlocksAndMultiChunkHadoopFrames) {
  std::vector<uint8_t> input = Compressible(70'000);
  // A bare block, as some writers stored under the LZ4 codec.
  Buffer raw;
  ASSERT_TRUE(Compress(CompressionCodec::LZ4_RAW, input.data(), input.size(), &raw).ok());
  std::vector<uint8_t> output(input.size());
  ASSERT_TRUE(Decompress(CompressionCodec::LZ4, raw.data(), raw.size(), output.data(), output.size()).ok());
  EXPECT_TRUE(output == input);

  // Two Hadoop blocks, the second split into two chunks.
  auto be32 = [](uint32_t value, Buffer* out) {
    uint8_t bytes[4] = {static_cast<uint8_t>(value >> 24), static_cast<uint8_t>(value >> 16),
                        static_cast<uint8_t>(value >> 8), static_cast<uint8_t>(value)};
    out->Append(bytes, 4);
  };
  auto chunk = [&](const uint8_t* data, size_t size, Buffer* out) {
    Buffer block;
    ASSERT_TRUE(Compress(CompressionCodec::LZ4_RAW, data, size, &block).ok());
    be32(static_cast<uint32_t>(block.size()), out);
    out->Append(block.data(), block.size());
  };
  Buffer framed;
  be32(30'000, &framed);
  chunk(input.data(), 30'000, &framed);
  be32(40'000, &framed);
  chunk(input.data() + 30'000, 15'000, &framed);
  chunk(input.data() + 45'000, 25'000, &framed);
  std::fill(output.begin(), output.end(), 0);
  ASSERT_TRUE(Decompress(CompressionCodec::LZ4, framed.data(), framed.size(), output.data(), output.size()).ok());
  EXPECT_TRUE(output == input);
}

TEST(CodecTest, UnsupportedCodecsNameThemselves) {
  uint8_t byte = 0;
  Status lzo = Decompress(CompressionCodec::LZO, &byte, 1, &byte, 1);
  EXPECT_EQ(lzo.code(), Status::Code::kNotSupported);
  EXPECT_NE(lzo.message().find("LZO"), std::string::npos);
  Status unknown = Decompress(static_cast<Codec>(42), &byte, 1, &byte, 1);
  EXPECT_EQ(unknown.code(), Status::Code::kNotSupported);
  EXPECT_NE(unknown.message().find("42"), std::string::npos);
  Buffer out;
  EXPECT_EQ(Compress(CompressionCodec::LZO, &byte, 1, &out).code(), Status::Code::kNotSupported);
  EXPECT_FALSE(IsCodecSupported(CompressionCodec::LZO));
  EXPECT_TRUE(IsCodecSupported(CompressionCodec::ZSTD));
}

TEST(CodecTest, EmptyPagesWithoutFramingAreAccepted) {
  for (Codec codec : kSupportedCodecs) {
    EXPECT_TRUE(Decompress(codec, nullptr, 0, nullptr, 0).ok()) << CodecName(codec);
  }
}

}  // namespace
}  // namespace kiln::parquet
