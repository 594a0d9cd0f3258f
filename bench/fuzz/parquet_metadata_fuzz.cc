// libFuzzer target for the bottom of the Parquet reader: Thrift metadata,
// page headers, the level and value decoders, and the codecs. The first byte
// picks what the rest of the input is fed to; every decoder must return a
// Status (never crash, hang, over-read or allocate without bound).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "kiln/core/buffer.h"
#include "kiln/parquet/codec.h"
#include "kiln/parquet/delta_binary_packed.h"
#include "kiln/parquet/delta_byte_array.h"
#include "kiln/parquet/delta_length_byte_array.h"
#include "kiln/parquet/dictionary.h"
#include "kiln/parquet/metadata.h"
#include "kiln/parquet/plain.h"
#include "kiln/parquet/rle_bit_packed.h"

namespace kiln::parquet {
namespace {

// Decodes at most this many values from one input, in fixed-size batches.
constexpr int kMaxValues = 1 << 20;
constexpr int kBatch = 1000;

void FuzzMetadata(const uint8_t* data, size_t size) {
  format::FileMetaData metadata;
  if (ParseFileMetaData(data, size, &metadata).ok()) {
    Buffer serialized;  // Whatever parses must serialize again.
    if (!SerializeFileMetaData(metadata, &serialized).ok()) __builtin_trap();
  }
  format::ColumnIndex column_index;
  (void)ParseColumnIndex(data, size, &column_index);
  format::OffsetIndex offset_index;
  (void)ParseOffsetIndex(data, size, &offset_index);
}

void FuzzPageHeader(const uint8_t* data, size_t size) {
  format::PageHeader header;
  size_t header_size = 0;
  if (ParsePageHeader(data, size, &header, &header_size).ok() && header_size > size) __builtin_trap();
}

// Byte 0: bit width (0..33, 33 being invalid); then the runs.
void FuzzRleBitPacked(const uint8_t* data, size_t size) {
  if (size < 1) return;
  const int bit_width = data[0] % 34;
  RleBitPackedDecoder decoder(data + 1, size - 1, bit_width);
  uint32_t values[kBatch];
  int16_t levels[kBatch];
  for (int total = 0; total < kMaxValues; total += kBatch) {
    int wanted = 1 + (total / kBatch * 7919) % kBatch;  // Vary batch sizes.
    int got = bit_width <= 16 && total % 2 ? decoder.Decode(levels, wanted) : decoder.Decode(values, wanted);
    if (got < wanted) {
      if (decoder.status().ok()) __builtin_trap();  // Short reads must explain themselves.
      break;
    }
    (void)CheckDictionaryIndices(values, got, 1000);
  }
}

template <typename T>
void FuzzDeltaBinaryPacked(const uint8_t* data, size_t size) {
  DeltaBinaryPackedDecoder<T> decoder;
  if (!decoder.Init(data, size).ok()) return;
  T values[kBatch];
  for (int total = 0; total < kMaxValues && decoder.values_left() > 0; total += kBatch) {
    int wanted = static_cast<int>(std::min<int64_t>(decoder.values_left(), 1 + total % kBatch));
    if (decoder.Decode(values, wanted) != wanted) break;
  }
  if (decoder.bytes_consumed() > size) __builtin_trap();
}

// Bytes 0-1: value count; then the encoded byte arrays.
void FuzzByteArrays(const uint8_t* data, size_t size, int which) {
  if (size < 2) return;
  const int64_t count = data[0] | (data[1] << 8);
  Buffer offsets, bytes;
  int64_t zero = 0;
  offsets.Append(&zero, sizeof(zero));
  size_t consumed = 0;
  Status status;
  switch (which) {
    case 0: status = DecodePlainByteArray(data + 2, size - 2, count, &offsets, &bytes, &consumed); break;
    case 1: status = DecodeDeltaLengthByteArray(data + 2, size - 2, count, &offsets, &bytes, &consumed); break;
    default: status = DecodeDeltaByteArray(data + 2, size - 2, count, &offsets, &bytes, &consumed); break;
  }
  if (status.ok() && (consumed > size - 2 || offsets.size() != (count + 1) * sizeof(int64_t))) __builtin_trap();
}

// Byte 0: codec; bytes 1-2: decompressed size; then the compressed page.
void FuzzDecompress(const uint8_t* data, size_t size) {
  if (size < 3) return;
  const Codec codec = static_cast<Codec>(data[0] % 9);
  std::vector<uint8_t> out(data[1] | (data[2] << 8));
  (void)Decompress(codec, data + 3, size - 3, out.data(), out.size());
}

}  // namespace
}  // namespace kiln::parquet

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kiln::parquet;
  if (size < 1) return 0;
  // Copy so the decoders see a buffer that ends exactly where the input does.
  std::vector<uint8_t> input(data + 1, data + size);
  const uint8_t* body = input.data();
  const size_t length = input.size();
  switch (data[0] % 9) {
    case 0: FuzzMetadata(body, length); break;
    case 1: FuzzPageHeader(body, length); break;
    case 2: FuzzRleBitPacked(body, length); break;
    case 3: FuzzDeltaBinaryPacked<int32_t>(body, length); break;
    case 4: FuzzDeltaBinaryPacked<int64_t>(body, length); break;
    case 5: FuzzByteArrays(body, length, 0); break;
    case 6: FuzzByteArrays(body, length, 1); break;
    case 7: FuzzByteArrays(body, length, 2); break;
    default: FuzzDecompress(body, length); break;
  }
  return 0;
}
