#include "kiln/parquet/delta_byte_array.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kiln/parquet/delta_binary_packed.h"
#include "kiln/parquet/delta_length_byte_array.h"
#include "parquet_test_util.h"

namespace kiln::parquet {
namespace {

using testing::ExactBytes;
using testing::StartOffsets;
using testing::StringColumn;
using testing::ToStrings;

using DecodeFunction = Status (*)(const uint8_t*, size_t, int64_t, Buffer*, Buffer*, size_t*);
using EncodeFunction = Status (*)(const int64_t*, const uint8_t*, int64_t, Buffer*);

std::vector<int32_t> DecodeInts(const uint8_t* data, size_t size, int count, size_t* consumed) {
  DeltaBinaryPackedDecoder<int32_t> decoder;
  EXPECT_TRUE(decoder.Init(data, size).ok());
  std::vector<int32_t> values(count);
  EXPECT_EQ(decoder.Decode(values.data(), count), count);
  *consumed = decoder.bytes_consumed();
  return values;
}

void ExpectRoundTrip(EncodeFunction encode, DecodeFunction decode, const std::vector<std::string>& values) {
  StringColumn column(values);
  Buffer encoded;
  ASSERT_TRUE(encode(column.offsets.data(), column.data(), column.count(), &encoded).ok());
  const size_t encoded_size = encoded.size();
  encoded.Append("tail", 4);
  ExactBytes exact(encoded);
  Buffer offsets, bytes;
  StartOffsets(&offsets);
  size_t consumed = 0;
  Status status = decode(exact.data(), exact.size(), column.count(), &offsets, &bytes, &consumed);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(consumed, encoded_size);
  EXPECT_EQ(ToStrings(offsets, bytes), values);
}

std::vector<std::string> SortedWords(int count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> words;
  for (int i = 0; i < count; ++i) {
    std::string word = "prefix/" + std::to_string(i / 10) + "/";
    for (int k = rng() % 12; k > 0; --k) word.push_back(static_cast<char>('a' + rng() % 26));
    words.push_back(word);
  }
  std::sort(words.begin(), words.end());
  return words;
}

// Encodings.md: "Hello", "World", "Foobar", "ABCDEF" are lengths 5, 5, 6, 6
// followed by "HelloWorldFoobarABCDEF".
TEST(DeltaLengthByteArrayTest, SpecExample) {
  StringColumn column({"Hello", "World", "Foobar", "ABCDEF"});
  Buffer encoded;
  ASSERT_TRUE(EncodeDeltaLengthByteArray(column.offsets.data(), column.data(), 4, &encoded).ok());
  size_t lengths_size = 0;
  EXPECT_EQ(DecodeInts(encoded.data(), encoded.size(), 4, &lengths_size), (std::vector<int32_t>{5, 5, 6, 6}));
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(encoded.data()) + lengths_size, encoded.size() - lengths_size),
            "HelloWorldFoobarABCDEF");
  ExpectRoundTrip(EncodeDeltaLengthByteArray, DecodeDeltaLengthByteArray, {"Hello", "World", "Foobar", "ABCDEF"});
}

TEST(DeltaLengthByteArrayTest, RoundTrips) {
  ExpectRoundTrip(EncodeDeltaLengthByteArray, DecodeDeltaLengthByteArray, {});
  ExpectRoundTrip(EncodeDeltaLengthByteArray, DecodeDeltaLengthByteArray, {""});
  ExpectRoundTrip(EncodeDeltaLengthByteArray, DecodeDeltaLengthByteArray,
                  {"", std::string(100'000, 'L'), "x", "", std::string(65'537, 'm')});
  ExpectRoundTrip(EncodeDeltaLengthByteArray, DecodeDeltaLengthByteArray, SortedWords(3000, 1));
}

TEST(DeltaLengthByteArrayTest, CorruptInputs) {
  StringColumn column({"abc", "defg", "hi"});
  Buffer encoded;
  ASSERT_TRUE(EncodeDeltaLengthByteArray(column.offsets.data(), column.data(), 3, &encoded).ok());
  Buffer offsets, bytes;
  StartOffsets(&offsets);
  size_t consumed = 0;
  // Wrong count, and every truncation.
  EXPECT_EQ(DecodeDeltaLengthByteArray(encoded.data(), encoded.size(), 4, &offsets, &bytes, &consumed).code(),
            Status::Code::kCorruption);
  for (size_t cut = 0; cut < encoded.size(); ++cut) {
    ExactBytes exact(encoded.data(), cut);
    ASSERT_EQ(DecodeDeltaLengthByteArray(exact.data(), exact.size(), 3, &offsets, &bytes, &consumed).code(),
              Status::Code::kCorruption)
        << "cut " << cut;
  }
  EXPECT_EQ(offsets.size(), sizeof(int64_t));
  EXPECT_EQ(bytes.size(), 0u);
  // A negative length.
  std::vector<int32_t> lengths = {2, -1};
  Buffer negative;
  DeltaBinaryPackedEncode(lengths.data(), 2, &negative);
  negative.Append("abcdef", 6);
  EXPECT_EQ(DecodeDeltaLengthByteArray(negative.data(), negative.size(), 2, &offsets, &bytes, &consumed).code(),
            Status::Code::kCorruption);
}

// Encodings.md: "axis", "axle", "babble", "babyhood" are prefix lengths
// 0, 2, 0, 3, suffix lengths 4, 2, 6, 5 and suffixes "axislebabbleyhood".
TEST(DeltaByteArrayTest, SpecExample) {
  const std::vector<std::string> values = {"axis", "axle", "babble", "babyhood"};
  StringColumn column(values);
  Buffer encoded;
  ASSERT_TRUE(EncodeDeltaByteArray(column.offsets.data(), column.data(), 4, &encoded).ok());
  size_t prefix_size = 0;
  EXPECT_EQ(DecodeInts(encoded.data(), encoded.size(), 4, &prefix_size), (std::vector<int32_t>{0, 2, 0, 3}));
  size_t suffix_lengths_size = 0;
  EXPECT_EQ(DecodeInts(encoded.data() + prefix_size, encoded.size() - prefix_size, 4, &suffix_lengths_size),
            (std::vector<int32_t>{4, 2, 6, 5}));
  size_t data_start = prefix_size + suffix_lengths_size;
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(encoded.data()) + data_start, encoded.size() - data_start),
            "axislebabbleyhood");
  ExpectRoundTrip(EncodeDeltaByteArray, DecodeDeltaByteArray, values);
}

TEST(DeltaByteArrayTest, RoundTrips) {
  ExpectRoundTrip(EncodeDeltaByteArray, DecodeDeltaByteArray, {});
  ExpectRoundTrip(EncodeDeltaByteArray, DecodeDeltaByteArray, {"", "", "a", "a", "ab", ""});
  std::string big(70'000, 'k');
  ExpectRoundTrip(EncodeDeltaByteArray, DecodeDeltaByteArray, {big, big + "x", big + "y", "k", big});
  ExpectRoundTrip(EncodeDeltaByteArray, DecodeDeltaByteArray, SortedWords(5000, 2));
}

TEST(DeltaByteArrayTest, PrefixLongerThanPreviousValueIsCorruption) {
  // Prefix lengths 0, 5 but the first value has 2 bytes.
  std::vector<int32_t> prefixes = {0, 5};
  std::vector<int32_t> suffix_lengths = {2, 1};
  Buffer encoded;
  DeltaBinaryPackedEncode(prefixes.data(), 2, &encoded);
  DeltaBinaryPackedEncode(suffix_lengths.data(), 2, &encoded);
  encoded.Append("abc", 3);
  Buffer offsets, bytes;
  StartOffsets(&offsets);
  size_t consumed = 0;
  Status status = DecodeDeltaByteArray(encoded.data(), encoded.size(), 2, &offsets, &bytes, &consumed);
  EXPECT_EQ(status.code(), Status::Code::kCorruption);
  EXPECT_EQ(offsets.size(), sizeof(int64_t));
  // And a first value that claims a prefix.
  prefixes = {1, 0};
  Buffer first;
  DeltaBinaryPackedEncode(prefixes.data(), 2, &first);
  DeltaBinaryPackedEncode(suffix_lengths.data(), 2, &first);
  first.Append("abc", 3);
  EXPECT_EQ(DecodeDeltaByteArray(first.data(), first.size(), 2, &offsets, &bytes, &consumed).code(),
            Status::Code::kCorruption);
}

TEST(DeltaByteArrayTest, ExpansionBombIsCorruption) {
  // One 64 KiB value, then 100k values sharing all of it: about 6.5 GB.
  const int count = 100'000;
  std::vector<int32_t> prefixes(count, 65'536);
  prefixes[0] = 0;
  std::vector<int32_t> suffix_lengths(count, 0);
  suffix_lengths[0] = 65'536;
  Buffer encoded;
  DeltaBinaryPackedEncode(prefixes.data(), count, &encoded);
  DeltaBinaryPackedEncode(suffix_lengths.data(), count, &encoded);
  std::string value(65'536, 'z');
  encoded.Append(value.data(), value.size());
  Buffer offsets, bytes;
  StartOffsets(&offsets);
  size_t consumed = 0;
  EXPECT_EQ(DecodeDeltaByteArray(encoded.data(), encoded.size(), count, &offsets, &bytes, &consumed).code(),
            Status::Code::kCorruption);
}

}  // namespace
}  // namespace kiln::parquet
