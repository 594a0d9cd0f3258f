#include "kiln/parquet/column_reader.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "kiln/parquet/bit_packing.h"
#include "kiln/parquet/byte_stream_split.h"
#include "kiln/parquet/codec.h"
#include "kiln/parquet/delta_binary_packed.h"
#include "kiln/parquet/delta_byte_array.h"
#include "kiln/parquet/delta_length_byte_array.h"
#include "kiln/parquet/dictionary.h"
#include "kiln/parquet/metadata.h"
#include "kiln/parquet/plain.h"
#include "kiln/parquet/levels.h"
#include "kiln/parquet/rle_bit_packed.h"
#include "kiln/parquet/schema_import.h"
#include "kiln/parquet/validity.h"

namespace kiln::parquet {

namespace {

using format::Encoding;
using format::Type;

Status UnsupportedEncoding(Encoding::type encoding, Type::type physical) {
  return Status::NotSupported(EncodingName(encoding) + " encoding of " + PhysicalTypeName(physical) + " values");
}

// ---------------------------------------------------------------------------
// Value conversions: stored values to Kiln values, a whole run at a time.

int64_t FloorDivide(int64_t value, int64_t divisor) {
  int64_t quotient = value / divisor;
  return quotient - (value % divisor < 0 ? 1 : 0);
}

float HalfToFloat(uint16_t half) {
  const uint32_t sign = static_cast<uint32_t>(half & 0x8000u) << 16;
  const uint32_t exponent = (half >> 10) & 0x1F;
  const uint32_t mantissa = half & 0x3FF;
  if (exponent == 0) {
    // Zero or subnormal: mantissa * 2^-24 is exact in a float.
    float magnitude = static_cast<float>(mantissa) * (1.0f / 16777216.0f);
    return sign ? -magnitude : magnitude;
  }
  uint32_t bits =
      exponent == 31 ? sign | 0x7F800000u | (mantissa << 13) : sign | ((exponent + 112) << 23) | (mantissa << 13);
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

// A big-endian two's complement integer of `length` bytes as __int128; false
// when it does not fit.
bool BigEndianToInt128(const uint8_t* bytes, int64_t length, __int128* out) {
  if (length == 0) {
    *out = 0;
    return true;
  }
  const bool negative = (bytes[0] & 0x80) != 0;
  const uint8_t sign_byte = negative ? 0xFF : 0x00;
  const int64_t skip = length > 16 ? length - 16 : 0;
  for (int64_t i = 0; i < skip; ++i) {
    if (bytes[i] != sign_byte) return false;
  }
  if (skip > 0 && ((bytes[skip] & 0x80) != 0) != negative) return false;
  unsigned __int128 value = negative ? ~static_cast<unsigned __int128>(0) : 0;
  for (int64_t i = skip; i < length; ++i) value = (value << 8) | bytes[i];
  *out = static_cast<__int128>(value);
  return true;
}

Status DecimalTooWide() { return Status::Corruption("decimal value does not fit in 128 bits"); }

// Converts `count` fixed-width stored values (`width` bytes each) to the Kiln
// storage type at `out`.
Status ConvertFixed(Conversion conversion, const uint8_t* in, int width, int64_t count, uint8_t* out) {
  switch (conversion) {
    case Conversion::kNone:
      if (count > 0) std::memcpy(out, in, static_cast<size_t>(count) * width);
      return Status::OK();
    case Conversion::kMillisToMicros: {
      bool overflow = false;
      for (int64_t i = 0; i < count; ++i) {
        int64_t millis, micros;
        std::memcpy(&millis, in + 8 * i, 8);
        overflow |= __builtin_mul_overflow(millis, int64_t{1000}, &micros);
        std::memcpy(out + 8 * i, &micros, 8);
      }
      if (overflow) return Status::NotSupported("a timestamp in milliseconds is out of the microsecond range");
      return Status::OK();
    }
    case Conversion::kNanosToMicros:
      for (int64_t i = 0; i < count; ++i) {
        int64_t nanos;
        std::memcpy(&nanos, in + 8 * i, 8);
        int64_t micros = FloorDivide(nanos, 1000);
        std::memcpy(out + 8 * i, &micros, 8);
      }
      return Status::OK();
    case Conversion::kTimeMillisToMicros:
      for (int64_t i = 0; i < count; ++i) {
        int32_t millis;
        std::memcpy(&millis, in + 4 * i, 4);
        int64_t micros = int64_t{millis} * 1000;
        std::memcpy(out + 8 * i, &micros, 8);
      }
      return Status::OK();
    case Conversion::kDecimalFromInt32:
      for (int64_t i = 0; i < count; ++i) {
        int32_t unscaled;
        std::memcpy(&unscaled, in + 4 * i, 4);
        __int128 wide = unscaled;
        std::memcpy(out + 16 * i, &wide, 16);
      }
      return Status::OK();
    case Conversion::kDecimalFromInt64:
      for (int64_t i = 0; i < count; ++i) {
        int64_t unscaled;
        std::memcpy(&unscaled, in + 8 * i, 8);
        __int128 wide = unscaled;
        std::memcpy(out + 16 * i, &wide, 16);
      }
      return Status::OK();
    case Conversion::kDecimalFromBytes:
      for (int64_t i = 0; i < count; ++i) {
        __int128 wide;
        if (!BigEndianToInt128(in + static_cast<int64_t>(width) * i, width, &wide)) return DecimalTooWide();
        std::memcpy(out + 16 * i, &wide, 16);
      }
      return Status::OK();
    case Conversion::kFloat16ToFloat32:
      for (int64_t i = 0; i < count; ++i) {
        uint16_t half;
        std::memcpy(&half, in + 2 * i, 2);
        float value = HalfToFloat(half);
        std::memcpy(out + 4 * i, &value, 4);
      }
      return Status::OK();
    case Conversion::kInt96ToMicros:
      for (int64_t i = 0; i < count; ++i) {
        int64_t micros = Int96ToMicros(in + 12 * i);
        std::memcpy(out + 8 * i, &micros, 8);
      }
      return Status::OK();
    case Conversion::kFixedToBinary: break;
  }
  return Status::Internal("conversion has no fixed-width target");
}

// ---------------------------------------------------------------------------
// Value decoding: one page's non-null values, in any encoding but the
// dictionary ones, appended to a column's buffers in Kiln's layout.

// Decoded values in Kiln's layout: the column itself, a list's elements, or
// a dictionary.
struct ValueBuffers {
  std::shared_ptr<Buffer> values = std::make_shared<Buffer>();  // Fixed-width values, or byte-array bytes.
  std::shared_ptr<Buffer> offsets;                              // Byte arrays: length + 1 int64 ends, from 0.
  int64_t length = 0;                                           // Values (slots) held.
};

void InitValueBuffers(const DataType& type, ValueBuffers* buffers) {
  if (!type.is_binary_like()) return;
  buffers->offsets = std::make_shared<Buffer>();
  const int64_t zero = 0;
  buffers->offsets->Append(&zero, sizeof(zero));
}

// The smallest encoded size of `count` values, where the encoding has one,
// so that hostile counts fail before anything is allocated for them.
uint64_t MinimumEncodedSize(Encoding::type encoding, Type::type physical, int physical_width, int64_t count) {
  if (encoding != Encoding::PLAIN && encoding != Encoding::BYTE_STREAM_SPLIT) return 0;
  if (physical == Type::BOOLEAN) return static_cast<uint64_t>(BitPackedBytes(count, 1));
  if (physical == Type::BYTE_ARRAY) return static_cast<uint64_t>(count) * 4;
  return static_cast<uint64_t>(count) * physical_width;
}

// Bytes per stored value of a fixed-width physical type.
int PhysicalWidth(const ColumnDescriptor& column) {
  switch (column.physical_type) {
    case Type::BOOLEAN: return 1;
    case Type::INT32:
    case Type::FLOAT: return 4;
    case Type::INT64:
    case Type::DOUBLE: return 8;
    case Type::INT96: return 12;
    case Type::FIXED_LEN_BYTE_ARRAY: return column.type_length;
    case Type::BYTE_ARRAY: return 0;
  }
  return 0;
}

// Byte arrays (BYTE_ARRAY, or FIXED_LEN_BYTE_ARRAY under DELTA_BYTE_ARRAY),
// appended to offsets/bytes.
Status DecodeByteArrays(Encoding::type encoding, Type::type physical, const uint8_t* data, size_t size, int64_t count,
                        Buffer* offsets, Buffer* bytes) {
  size_t consumed = 0;
  if (encoding == Encoding::DELTA_BYTE_ARRAY) {
    return DecodeDeltaByteArray(data, size, count, offsets, bytes, &consumed);
  }
  if (physical != Type::BYTE_ARRAY) return UnsupportedEncoding(encoding, physical);
  if (encoding == Encoding::PLAIN) return DecodePlainByteArray(data, size, count, offsets, bytes, &consumed);
  if (encoding == Encoding::DELTA_LENGTH_BYTE_ARRAY) {
    return DecodeDeltaLengthByteArray(data, size, count, offsets, bytes, &consumed);
  }
  return UnsupportedEncoding(encoding, physical);
}

Status DecodeDeltaInt64(const uint8_t* data, size_t size, int64_t count, int64_t* out) {
  DeltaBinaryPackedDecoder<int64_t> decoder;
  Status status = decoder.Init(data, size);
  if (!status.ok()) return status;
  if (decoder.Decode(out, static_cast<int>(count)) != count) return decoder.status();
  return Status::OK();
}

// INT32 deltas decode in 64 bits: DuckDB writes UINTEGER columns with 33-bit
// miniblocks. The arithmetic wraps, so the low 32 bits are the values.
Status DecodeDeltaInt32(const uint8_t* data, size_t size, int64_t count, int32_t* out, Buffer* scratch) {
  scratch->Resize(static_cast<size_t>(count) * sizeof(int64_t));
  int64_t* wide = scratch->mutable_as<int64_t>();
  Status status = DecodeDeltaInt64(data, size, count, wide);
  if (!status.ok()) return status;
  for (int64_t i = 0; i < count; ++i) out[i] = static_cast<int32_t>(static_cast<uint32_t>(wide[i]));
  return Status::OK();
}

// Fixed-width stored values (INT32, INT64, FLOAT, DOUBLE, FIXED_LEN_BYTE_ARRAY)
// to `out`, `width` bytes each, still unconverted.
Status DecodeFixedPhysical(Encoding::type encoding, Type::type physical, int width, const uint8_t* data, size_t size,
                           int64_t count, uint8_t* out, Buffer* scratch) {
  size_t consumed = 0;
  switch (encoding) {
    case Encoding::PLAIN: return DecodePlainFixed(data, size, count, width, out, &consumed);
    case Encoding::BYTE_STREAM_SPLIT: return DecodeByteStreamSplit(data, size, count, width, out, &consumed);
    case Encoding::DELTA_BINARY_PACKED:
      if (physical == Type::INT32) {
        return DecodeDeltaInt32(data, size, count, reinterpret_cast<int32_t*>(out), scratch);
      }
      if (physical == Type::INT64) return DecodeDeltaInt64(data, size, count, reinterpret_cast<int64_t*>(out));
      break;
    default: break;
  }
  return UnsupportedEncoding(encoding, physical);
}

// Booleans: PLAIN bits or length-prefixed RLE runs, to one byte each.
Status DecodeBooleans(Encoding::type encoding, const uint8_t* data, size_t size, int64_t count, uint8_t* out) {
  size_t consumed = 0;
  if (encoding == Encoding::PLAIN) return DecodePlainBoolean(data, size, count, out, &consumed);
  if (encoding != Encoding::RLE) return UnsupportedEncoding(encoding, Type::BOOLEAN);
  RleBitPackedDecoder decoder;
  Status status = decoder.ResetLengthPrefixed(data, size, 1, &consumed);
  if (!status.ok()) return status;
  if (decoder.Decode(out, static_cast<int>(count)) != count) return decoder.status();
  return Status::OK();
}

// Checks that DELTA_BYTE_ARRAY decoded FIXED_LEN_BYTE_ARRAY values all have
// the declared width, so their bytes can be read as fixed-width values.
Status CheckFixedLengths(const Buffer& offsets, int64_t count, int width) {
  const int64_t* ends = offsets.as<int64_t>();
  for (int64_t i = 0; i < count; ++i) {
    if (ends[i + 1] - ends[i] != width) {
      return Status::Corruption("FIXED_LEN_BYTE_ARRAY value of " + std::to_string(ends[i + 1] - ends[i]) +
                                " bytes in a column of width " + std::to_string(width));
    }
  }
  return Status::OK();
}

void ResetByteArrays(Buffer* offsets, Buffer* bytes) {
  const int64_t zero = 0;
  offsets->Resize(0);
  offsets->Append(&zero, sizeof(zero));
  bytes->Resize(0);
}

class ValueDecoder {
 public:
  ValueDecoder(const ColumnDescriptor& column, DecodeScratch* scratch)
      : column_(column),
        scratch_(scratch),
        width_(column.value_type.byte_width()),
        physical_width_(PhysicalWidth(column)) {}

  // Appends `count` values at the end of `out`.
  // REQUIRES: for fixed-width types, out->values has room for out->length + count values.
  Status Decode(Encoding::type encoding, const uint8_t* data, size_t size, int64_t count, ValueBuffers* out) {
    if (MinimumEncodedSize(encoding, column_.physical_type, physical_width_, count) > size) {
      return Status::Corruption(EncodingName(encoding) + " data of " + std::to_string(size) +
                                " bytes is too short for " + std::to_string(count) + " values");
    }
    if (width_ == 0) return DecodeToByteArrays(encoding, data, size, count, out);
    uint8_t* target = out->values->data() + out->length * width_;
    if (column_.physical_type == Type::BOOLEAN) return DecodeBooleans(encoding, data, size, count, target);
    if (column_.physical_type == Type::INT96) {
      if (encoding != Encoding::PLAIN) return UnsupportedEncoding(encoding, Type::INT96);
      size_t consumed = 0;
      return DecodePlainInt96ToMicros(data, size, count, reinterpret_cast<int64_t*>(target), &consumed);
    }
    if (column_.physical_type == Type::BYTE_ARRAY) return DecodeByteArrayDecimals(encoding, data, size, count, target);
    if (column_.conversion == Conversion::kNone) {
      return DecodeFixedPhysical(encoding, column_.physical_type, physical_width_, data, size, count, target,
                                 &scratch_->physical);
    }
    const uint8_t* stored = nullptr;
    Status status = DecodeStoredFixed(encoding, data, size, count, &stored);
    if (!status.ok()) return status;
    return ConvertFixed(column_.conversion, stored, physical_width_, count, target);
  }

 private:
  // String and binary targets.
  Status DecodeToByteArrays(Encoding::type encoding, const uint8_t* data, size_t size, int64_t count,
                            ValueBuffers* out) {
    if (column_.conversion != Conversion::kFixedToBinary || encoding == Encoding::DELTA_BYTE_ARRAY) {
      return DecodeByteArrays(encoding, column_.physical_type, data, size, count, out->offsets.get(),
                              out->values.get());
    }
    const uint8_t* stored = nullptr;
    Status status = DecodeStoredFixed(encoding, data, size, count, &stored);
    if (!status.ok()) return status;
    const size_t start = out->offsets->size();
    out->offsets->Resize(start + count * sizeof(int64_t));
    int64_t* ends = reinterpret_cast<int64_t*>(out->offsets->data() + start);
    int64_t end = static_cast<int64_t>(out->values->size());
    for (int64_t i = 0; i < count; ++i) ends[i] = end += physical_width_;
    out->values->Append(stored, static_cast<size_t>(count) * physical_width_);
    return Status::OK();
  }

  // Fixed-width stored values into scratch memory; *stored points at them.
  Status DecodeStoredFixed(Encoding::type encoding, const uint8_t* data, size_t size, int64_t count,
                           const uint8_t** stored) {
    if (encoding == Encoding::DELTA_BYTE_ARRAY && column_.physical_type == Type::FIXED_LEN_BYTE_ARRAY) {
      ResetByteArrays(&scratch_->physical_offsets, &scratch_->physical_bytes);
      Status status = DecodeByteArrays(encoding, column_.physical_type, data, size, count, &scratch_->physical_offsets,
                                       &scratch_->physical_bytes);
      if (status.ok()) status = CheckFixedLengths(scratch_->physical_offsets, count, physical_width_);
      *stored = scratch_->physical_bytes.data();
      return status;
    }
    scratch_->physical.Resize(static_cast<size_t>(count) * physical_width_);
    *stored = scratch_->physical.data();
    return DecodeFixedPhysical(encoding, column_.physical_type, physical_width_, data, size, count,
                               scratch_->physical.data(), &scratch_->physical_bytes);
  }

  // BYTE_ARRAY decimals: each value is its own big-endian integer.
  Status DecodeByteArrayDecimals(Encoding::type encoding, const uint8_t* data, size_t size, int64_t count,
                                 uint8_t* target) {
    ResetByteArrays(&scratch_->physical_offsets, &scratch_->physical_bytes);
    Status status = DecodeByteArrays(encoding, column_.physical_type, data, size, count, &scratch_->physical_offsets,
                                     &scratch_->physical_bytes);
    if (!status.ok()) return status;
    const int64_t* ends = scratch_->physical_offsets.as<int64_t>();
    for (int64_t i = 0; i < count; ++i) {
      __int128 value;
      if (!BigEndianToInt128(scratch_->physical_bytes.data() + ends[i], ends[i + 1] - ends[i], &value)) {
        return DecimalTooWide();
      }
      std::memcpy(target + 16 * i, &value, 16);
    }
    return Status::OK();
  }

  const ColumnDescriptor& column_;  // Physical type and conversion.
  DecodeScratch* scratch_;          // Stored values before conversion.
  const int width_;                 // Bytes per Kiln value; 0 for strings and binary.
  const int physical_width_;        // Bytes per stored value; 0 for BYTE_ARRAY.
};

// out[0, count) = dictionary values named by `indices`.
Status GatherFromDictionary(const ValueBuffers& dictionary, int width, const uint32_t* indices, int64_t count,
                            ValueBuffers* out) {
  if (width == 0) {
    return DictionaryGatherByteArray(dictionary.offsets->as<int64_t>(), dictionary.values->data(), dictionary.length,
                                     indices, count, out->offsets.get(), out->values.get());
  }
  uint8_t* target = out->values->data() + out->length * width;
  const uint8_t* values = dictionary.values->data();
  switch (width) {
    case 1: return DictionaryGather(values, dictionary.length, indices, count, target);
    case 4:
      return DictionaryGather(reinterpret_cast<const uint32_t*>(values), dictionary.length, indices, count,
                              reinterpret_cast<uint32_t*>(target));
    case 8:
      return DictionaryGather(reinterpret_cast<const uint64_t*>(values), dictionary.length, indices, count,
                              reinterpret_cast<uint64_t*>(target));
    default: return DictionaryGatherFixed(values, dictionary.length, width, indices, count, target);
  }
}

// The bytes a dictionary gather of `indices` would produce, capped so that a
// small page cannot ask for a huge allocation.
Status CheckGatherSize(const ValueBuffers& dictionary, int64_t longest_entry, const uint32_t* indices, int64_t count,
                       int64_t max_bytes) {
  if (longest_entry * count <= max_bytes) return Status::OK();
  const int64_t* ends = dictionary.offsets->as<int64_t>();
  int64_t total = 0;
  for (int64_t i = 0; i < count; ++i) {
    if (indices[i] >= dictionary.length) return Status::OK();  // The gather reports it.
    total += ends[indices[i] + 1] - ends[indices[i]];
  }
  if (total > max_bytes) {
    return Status::Corruption("dictionary-encoded page expands to " + std::to_string(total) + " bytes, more than " +
                              "the limit of " + std::to_string(max_bytes));
  }
  return Status::OK();
}

// ---------------------------------------------------------------------------
// The chunk: pages in order, assembled into one column.

class ChunkDecoder {
 public:
  ChunkDecoder(const ColumnDescriptor& column, const format::ColumnMetaData& metadata, int64_t num_rows,
               const DecodeLimits& limits, DecodeScratch* scratch)
      : column_(column),
        metadata_(metadata),
        num_rows_(num_rows),
        limits_(limits),
        scratch_(scratch),
        width_(column.value_type.byte_width()),
        values_decoder_(column, scratch) {
    InitValueBuffers(column.value_type, &values_);
    InitValueBuffers(column.value_type, &dictionary_);
  }

  // Checks the chunk's metadata before anything is allocated for it.
  Status Check() const;
  Status DecodePages(const uint8_t* data, size_t size);
  std::shared_ptr<Column> Finish();

 private:
  Status DecodePage(const format::PageHeader& header, const uint8_t* body);
  // Points *page at the page (or its v2 values section) decompressed.
  Status Decompress(const uint8_t* body, int64_t compressed_size, int64_t uncompressed_size, const uint8_t** page,
                    size_t* size);
  Status DecodeDictionaryPage(const format::PageHeader& header, const uint8_t* body);
  Status DecodeDataPageV1(const format::PageHeader& header, const uint8_t* body);
  Status DecodeDataPageV2(const format::PageHeader& header, const uint8_t* body);
  Status StartPage(int64_t num_values);
  // Turns the page's levels into slots: validity bits, list offsets.
  Status AssembleLevels(int64_t num_values, int64_t* slots, int64_t* values);
  Status AssembleListLevels(int64_t num_values, int64_t* slots, int64_t* values);
  // Decodes `values` dense values and spreads them over `slots` slots.
  Status AppendValues(Encoding::type encoding, const uint8_t* data, size_t size, int64_t slots, int64_t values);
  Status DecodeDictionaryIndices(const uint8_t* data, size_t size, int64_t count);

  const ColumnDescriptor& column_;          // Levels, types and conversion.
  const format::ColumnMetaData& metadata_;  // Codec and value count.
  const int64_t num_rows_;                  // Rows the row group holds.
  const DecodeLimits& limits_;              // What the chunk may make us allocate.
  DecodeScratch* scratch_;                  // Page, level and index buffers.
  const int width_;                         // Bytes per Kiln value; 0 for byte arrays.
  ValueDecoder values_decoder_;             // Non-dictionary values and the dictionary page.
  ValueBuffers values_;                     // The column's slots, or a list's element slots.
  ValidityBuilder validity_;                // One bit per slot of values_.
  ValueBuffers dictionary_;                 // Converted dictionary values.
  bool has_dictionary_ = false;             // A dictionary page has been decoded.
  int64_t longest_entry_ = 0;               // Bytes of the longest byte-array dictionary entry.
  bool seen_data_page_ = false;             // A dictionary page may no longer come.
  int64_t levels_read_ = 0;                 // Values (levels) of the chunk decoded so far.
  int64_t rows_ = 0;                        // Rows started so far.
  std::shared_ptr<Buffer> list_offsets_ = std::make_shared<Buffer>();  // Lists: first element of each row (int64).
  ValidityBuilder list_validity_;                                      // Lists: one bit per row.
};

Status ChunkDecoder::Check() const {
  if (!IsCodecSupported(metadata_.codec)) {
    return Status::NotSupported("compression codec " + CodecName(metadata_.codec));
  }
  if (metadata_.num_values < 0) return Status::Corruption("column chunk with a negative value count");
  if (metadata_.num_values > limits_.max_chunk_values) {
    return Status::NotSupported("column chunk of " + std::to_string(metadata_.num_values) +
                                " values exceeds the reader's limit of " + std::to_string(limits_.max_chunk_values));
  }
  if (!column_.is_list && metadata_.num_values != num_rows_) {
    return Status::Corruption("column chunk holds " + std::to_string(metadata_.num_values) +
                              " values for a row group of " + std::to_string(num_rows_) + " rows");
  }
  if (column_.is_list && metadata_.num_values < num_rows_) {
    return Status::Corruption("list column chunk holds " + std::to_string(metadata_.num_values) +
                              " values for a row group of " + std::to_string(num_rows_) + " rows");
  }
  return Status::OK();
}

Status ChunkDecoder::DecodePages(const uint8_t* data, size_t size) {
  if (!column_.is_list && width_ > 0) values_.values->Reserve(static_cast<size_t>(num_rows_) * width_);
  if (!column_.is_list && width_ == 0) values_.offsets->Reserve(static_cast<size_t>(num_rows_ + 1) * sizeof(int64_t));
  size_t position = 0;
  for (int page = 0; levels_read_ < metadata_.num_values; ++page) {
    const std::string where = "page " + std::to_string(page);
    if (position >= size) {
      return Status::Corruption("column chunk ends after " + std::to_string(levels_read_) + " of " +
                                std::to_string(metadata_.num_values) + " values");
    }
    format::PageHeader header;
    size_t header_size = 0;
    Status status = ParsePageHeader(data + position, size - position, &header, &header_size);
    if (!status.ok()) return status.WithContext(where);
    position += header_size;
    if (static_cast<size_t>(header.compressed_page_size) > size - position) {
      return Status::Corruption(where + ": page of " + std::to_string(header.compressed_page_size) +
                                " bytes runs past the end of the column chunk");
    }
    status = DecodePage(header, data + position);
    if (!status.ok()) return status.WithContext(where);
    position += header.compressed_page_size;
  }
  if (rows_ != num_rows_) {
    return Status::Corruption("column chunk holds " + std::to_string(rows_) + " rows, the row group " +
                              std::to_string(num_rows_));
  }
  return Status::OK();
}

Status ChunkDecoder::DecodePage(const format::PageHeader& header, const uint8_t* body) {
  switch (header.type) {
    case format::PageType::DICTIONARY_PAGE: return DecodeDictionaryPage(header, body);
    case format::PageType::DATA_PAGE: return DecodeDataPageV1(header, body);
    case format::PageType::DATA_PAGE_V2: return DecodeDataPageV2(header, body);
    default: return Status::OK();  // Index pages and unknown kinds carry no values.
  }
}

Status ChunkDecoder::Decompress(const uint8_t* body, int64_t compressed_size, int64_t uncompressed_size,
                                const uint8_t** page, size_t* size) {
  if (metadata_.codec == format::CompressionCodec::UNCOMPRESSED) {
    *page = body;
    *size = static_cast<size_t>(compressed_size);
    return Status::OK();
  }
  if (uncompressed_size > limits_.max_page_bytes) {
    return Status::NotSupported("page of " + std::to_string(uncompressed_size) +
                                " bytes uncompressed exceeds the reader's limit of " +
                                std::to_string(limits_.max_page_bytes));
  }
  scratch_->page.Resize(static_cast<size_t>(uncompressed_size));
  Status status = parquet::Decompress(metadata_.codec, body, static_cast<size_t>(compressed_size),
                                      scratch_->page.data(), scratch_->page.size());
  *page = scratch_->page.data();
  *size = scratch_->page.size();
  return status;
}

Status ChunkDecoder::DecodeDictionaryPage(const format::PageHeader& header, const uint8_t* body) {
  if (has_dictionary_ || seen_data_page_) return Status::Corruption("dictionary page after the first page");
  const format::DictionaryPageHeader& dictionary = header.dictionary_page_header;
  if (dictionary.encoding != Encoding::PLAIN && dictionary.encoding != Encoding::PLAIN_DICTIONARY) {
    return Status::NotSupported(EncodingName(dictionary.encoding) + " encoding of a dictionary page");
  }
  const uint8_t* page = nullptr;
  size_t size = 0;
  Status status = Decompress(body, header.compressed_page_size, header.uncompressed_page_size, &page, &size);
  if (!status.ok()) return status;
  const int64_t count = dictionary.num_values;
  if (MinimumEncodedSize(Encoding::PLAIN, column_.physical_type, PhysicalWidth(column_), count) > size) {
    return Status::Corruption("dictionary page of " + std::to_string(size) + " bytes is too short for " +
                              std::to_string(count) + " values");
  }
  if (width_ > 0) dictionary_.values->Resize(static_cast<size_t>(count) * width_);
  if (count > 0) status = values_decoder_.Decode(Encoding::PLAIN, page, size, count, &dictionary_);
  if (!status.ok()) return status.WithContext("dictionary");
  dictionary_.length = count;
  if (width_ == 0) {
    const int64_t* ends = dictionary_.offsets->as<int64_t>();
    for (int64_t i = 0; i < count; ++i) longest_entry_ = std::max(longest_entry_, ends[i + 1] - ends[i]);
  }
  has_dictionary_ = true;
  return Status::OK();
}

Status ChunkDecoder::StartPage(int64_t num_values) {
  seen_data_page_ = true;
  if (num_values > metadata_.num_values - levels_read_) {
    return Status::Corruption("page holds " + std::to_string(num_values) + " values, more than the " +
                              std::to_string(metadata_.num_values - levels_read_) + " left in the column chunk");
  }
  levels_read_ += num_values;
  scratch_->definition_levels.Resize(static_cast<size_t>(num_values));
  scratch_->repetition_levels.Resize(static_cast<size_t>(num_values));
  return Status::OK();
}

Status ChunkDecoder::DecodeDataPageV1(const format::PageHeader& header, const uint8_t* body) {
  const format::DataPageHeader& page_header = header.data_page_header;
  const int64_t num_values = page_header.num_values;
  Status status = StartPage(num_values);
  if (!status.ok()) return status;
  const uint8_t* page = nullptr;
  size_t size = 0;
  status = Decompress(body, header.compressed_page_size, header.uncompressed_page_size, &page, &size);
  if (!status.ok()) return status;
  size_t consumed = 0;
  if (column_.max_repetition_level > 0) {
    status = DecodeLevelsV1(page_header.repetition_level_encoding, page, size, column_.max_repetition_level, num_values,
                            scratch_->repetition_levels.data(), &consumed, &scratch_->physical);
    if (!status.ok()) return status.WithContext("repetition levels");
    page += consumed;
    size -= consumed;
  }
  if (column_.max_definition_level > 0) {
    status = DecodeLevelsV1(page_header.definition_level_encoding, page, size, column_.max_definition_level, num_values,
                            scratch_->definition_levels.data(), &consumed, &scratch_->physical);
    if (!status.ok()) return status.WithContext("definition levels");
    page += consumed;
    size -= consumed;
  }
  int64_t slots = 0, values = 0;
  status = AssembleLevels(num_values, &slots, &values);
  if (!status.ok()) return status;
  return AppendValues(page_header.encoding, page, size, slots, values);
}

Status ChunkDecoder::DecodeDataPageV2(const format::PageHeader& header, const uint8_t* body) {
  const format::DataPageHeaderV2& page_header = header.data_page_header_v2;
  const int64_t num_values = page_header.num_values;
  Status status = StartPage(num_values);
  if (!status.ok()) return status;
  const size_t repetition_bytes = static_cast<size_t>(page_header.repetition_levels_byte_length);
  const size_t definition_bytes = static_cast<size_t>(page_header.definition_levels_byte_length);
  if (column_.max_repetition_level > 0) {
    status = DecodeLevelsV2(body, repetition_bytes, column_.max_repetition_level, num_values,
                            scratch_->repetition_levels.data());
    if (!status.ok()) return status.WithContext("repetition levels");
  }
  if (column_.max_definition_level > 0) {
    status = DecodeLevelsV2(body + repetition_bytes, definition_bytes, column_.max_definition_level, num_values,
                            scratch_->definition_levels.data());
    if (!status.ok()) return status.WithContext("definition levels");
  }
  int64_t slots = 0, values = 0;
  status = AssembleLevels(num_values, &slots, &values);
  if (!status.ok()) return status;
  // Only the values section is compressed, and only when the page says so.
  // A page of nulls may leave it empty, which no codec would accept.
  const int64_t levels = static_cast<int64_t>(repetition_bytes + definition_bytes);
  const uint8_t* data = body + levels;
  size_t size = static_cast<size_t>(header.compressed_page_size - levels);
  if (values > 0 && page_header.is_compressed) {
    status =
        Decompress(data, header.compressed_page_size - levels, header.uncompressed_page_size - levels, &data, &size);
    if (!status.ok()) return status;
  }
  return AppendValues(page_header.encoding, data, size, slots, values);
}

Status ChunkDecoder::AssembleLevels(int64_t num_values, int64_t* slots, int64_t* values) {
  if (column_.is_list) return AssembleListLevels(num_values, slots, values);
  *slots = num_values;
  rows_ += num_values;
  if (column_.max_definition_level == 0) {
    *values = num_values;
    validity_.AppendValid(num_values);
    return Status::OK();
  }
  const uint8_t max_level = static_cast<uint8_t>(column_.max_definition_level);
  const uint8_t* levels = scratch_->definition_levels.data();
  Status status = CountLevels(levels, num_values, max_level, max_level, values);
  if (!status.ok()) return status.WithContext("definition levels");
  validity_.AppendLevels(levels, num_values, max_level, *values);
  return Status::OK();
}

// Walks the levels of a list column: a repetition level of 0 starts a row,
// which is null, empty or holds elements by its definition level; every
// level at or above the element level is one element slot.
Status ChunkDecoder::AssembleListLevels(int64_t num_values, int64_t* slots, int64_t* values) {
  const uint8_t* repetitions = scratch_->repetition_levels.data();
  const uint8_t* definitions = scratch_->definition_levels.data();
  const uint8_t max_definition = static_cast<uint8_t>(column_.max_definition_level);
  const uint8_t list_level = static_cast<uint8_t>(column_.list_definition_level);
  const uint8_t element_level = static_cast<uint8_t>(column_.element_definition_level);
  int64_t rows = 0;
  Status status = CountLevels(repetitions, num_values, 0, 1, &rows);
  if (!status.ok()) return status.WithContext("repetition levels");
  int64_t unused = 0;
  status = CountLevels(definitions, num_values, 0, max_definition, &unused);
  if (!status.ok()) return status.WithContext("definition levels");
  if (num_values > 0 && rows_ == 0 && repetitions[0] != 0) {
    return Status::Corruption("the first value of the column chunk continues a row");
  }
  list_offsets_->Reserve(list_offsets_->size() + rows * sizeof(int64_t));
  list_validity_.Reserve(rows);
  validity_.Reserve(num_values);
  const int64_t first_slot = validity_.length();
  int64_t present = 0;
  for (int64_t i = 0; i < num_values; ++i) {
    const uint8_t definition = definitions[i];
    if (repetitions[i] == 0) {
      const int64_t start = validity_.length();
      list_offsets_->Append(&start, sizeof(start));
      list_validity_.Append(definition >= list_level);
    } else if (definition < element_level) {
      return Status::Corruption("a repeated value has definition level " + std::to_string(definition) +
                                ", below the element level " + std::to_string(element_level));
    }
    if (definition < element_level) continue;
    validity_.Append(definition == max_definition);
    present += definition == max_definition;
  }
  rows_ += rows;
  *slots = validity_.length() - first_slot;
  *values = present;
  return Status::OK();
}

Status ChunkDecoder::AppendValues(Encoding::type encoding, const uint8_t* data, size_t size, int64_t slots,
                                  int64_t values) {
  const int64_t first_slot = values_.length;
  if (width_ > 0) values_.values->Resize(static_cast<size_t>(first_slot + slots) * width_);
  Status status;
  if (values > 0 && (encoding == Encoding::PLAIN_DICTIONARY || encoding == Encoding::RLE_DICTIONARY)) {
    if (!has_dictionary_) return Status::Corruption("dictionary-encoded page without a dictionary page");
    status = DecodeDictionaryIndices(data, size, values);
    const uint32_t* indices = scratch_->indices.as<uint32_t>();
    if (status.ok() && width_ == 0)
      status = CheckGatherSize(dictionary_, longest_entry_, indices, values, limits_.max_page_bytes);
    if (status.ok()) status = GatherFromDictionary(dictionary_, width_, indices, values, &values_);
  } else if (values > 0) {
    status = values_decoder_.Decode(encoding, data, size, values, &values_);
  }
  if (!status.ok()) return status;
  if (values < slots) {
    const uint8_t* bits = validity_.bits();
    if (width_ > 0) {
      Spread(width_, values_.values->data() + first_slot * width_, bits, first_slot, slots, values);
    } else {
      values_.offsets->Resize(static_cast<size_t>(first_slot + slots + 1) * sizeof(int64_t));
      int64_t* ends = values_.offsets->mutable_as<int64_t>();
      SpreadEnds(ends + first_slot + 1, ends[first_slot], bits, first_slot, slots, values);
    }
  }
  values_.length = first_slot + slots;
  return Status::OK();
}

Status ChunkDecoder::DecodeDictionaryIndices(const uint8_t* data, size_t size, int64_t count) {
  if (size < 1) return Status::Corruption("dictionary-encoded page without its index bit width");
  scratch_->indices.Resize(static_cast<size_t>(count) * sizeof(uint32_t));
  RleBitPackedDecoder decoder(data + 1, size - 1, data[0]);
  if (decoder.Decode(scratch_->indices.mutable_as<uint32_t>(), static_cast<int>(count)) != count) {
    return decoder.status().WithContext("dictionary indices");
  }
  return Status::OK();
}

std::shared_ptr<Column> ChunkDecoder::Finish() {
  Column::Parts values;
  values.type = column_.value_type;
  values.length = values_.length;
  values.validity = validity_.Finish();
  values.values = values_.values;
  values.offsets = values_.offsets;
  if (!column_.is_list) return std::make_shared<Column>(std::move(values));
  const int64_t end = values_.length;
  list_offsets_->Append(&end, sizeof(end));
  Column::Parts list;
  list.type = column_.type();
  list.length = rows_;
  list.validity = list_validity_.Finish();
  list.offsets = list_offsets_;
  list.child = std::make_shared<Column>(std::move(values));
  return std::make_shared<Column>(std::move(list));
}

}  // namespace

Result<std::shared_ptr<Column>> ReadColumnChunk(const ColumnDescriptor& column, const format::ColumnMetaData& metadata,
                                                const uint8_t* data, size_t size, int64_t num_rows,
                                                const DecodeLimits& limits, DecodeScratch* scratch) {
  ChunkDecoder decoder(column, metadata, num_rows, limits, scratch);
  Status status = decoder.Check();
  if (status.ok()) status = decoder.DecodePages(data, size);
  if (!status.ok()) return status;
  return decoder.Finish();
}

std::unique_ptr<DecodeScratch> ScratchPool::Acquire() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (free_.empty()) return std::make_unique<DecodeScratch>();
  std::unique_ptr<DecodeScratch> scratch = std::move(free_.back());
  free_.pop_back();
  return scratch;
}

void ScratchPool::Release(std::unique_ptr<DecodeScratch> scratch) {
  std::lock_guard<std::mutex> lock(mutex_);
  free_.push_back(std::move(scratch));
}

Result<std::shared_ptr<Column>> DecodeStatisticsValue(const ColumnDescriptor& column, const std::string& bytes) {
  // Statistics hold byte arrays bare; PLAIN pages prefix them with a length.
  std::string plain;
  if (column.physical_type == Type::BYTE_ARRAY) {
    const uint32_t length = static_cast<uint32_t>(bytes.size());
    plain.append(reinterpret_cast<const char*>(&length), sizeof(length));
  }
  plain += bytes;
  const int width = PhysicalWidth(column);
  if (column.physical_type != Type::BYTE_ARRAY && column.physical_type != Type::BOOLEAN &&
      bytes.size() != static_cast<size_t>(width)) {
    return Status::Corruption("statistics value of " + std::to_string(bytes.size()) + " bytes for " +
                              PhysicalTypeName(column.physical_type) + " of width " + std::to_string(width));
  }
  if (column.physical_type == Type::BOOLEAN && bytes.size() != 1) {
    return Status::Corruption("BOOLEAN statistics value of " + std::to_string(bytes.size()) + " bytes");
  }
  DecodeScratch scratch;
  ValueDecoder decoder(column, &scratch);
  ValueBuffers buffers;
  InitValueBuffers(column.value_type, &buffers);
  buffers.values->Resize(static_cast<size_t>(column.value_type.byte_width()));
  Status status =
      decoder.Decode(Encoding::PLAIN, reinterpret_cast<const uint8_t*>(plain.data()), plain.size(), 1, &buffers);
  if (!status.ok()) return status;
  Column::Parts parts;
  parts.type = column.value_type;
  parts.length = 1;
  parts.values = buffers.values;
  parts.offsets = buffers.offsets;
  return std::make_shared<Column>(std::move(parts));
}

Status ColumnChunkRange(const format::ColumnMetaData& metadata, int64_t file_size, int64_t* offset, int64_t* length) {
  int64_t start = metadata.data_page_offset;
  // Some writers set the dictionary offset to 0 when there is none.
  if (metadata.__isset.dictionary_page_offset && metadata.dictionary_page_offset > 0 &&
      metadata.dictionary_page_offset < start) {
    start = metadata.dictionary_page_offset;
  }
  const int64_t bytes = metadata.total_compressed_size;
  if (start < 0 || bytes <= 0 || start > file_size || bytes > file_size - start) {
    return Status::Corruption("column chunk at offset " + std::to_string(start) + " of " + std::to_string(bytes) +
                              " bytes lies outside the file of " + std::to_string(file_size) + " bytes");
  }
  *offset = start;
  *length = bytes;
  return Status::OK();
}

}  // namespace kiln::parquet
