#include "kiln/parquet/column_writer.h"

#include <algorithm>
#include <climits>
#include <map>
#include <type_traits>
#include <utility>

#include "kiln/core/bitmap.h"
#include "kiln/parquet/bit_packing.h"
#include "kiln/parquet/dictionary_encoder.h"
#include "kiln/parquet/metadata.h"
#include "kiln/parquet/plain.h"
#include "kiln/parquet/rle_bit_packed.h"
#include "kiln/parquet/statistics.h"

namespace kiln::parquet {

namespace {

using format::Encoding;
using format::PageType;

// Rows are encoded in steps of at most this many rows (or list elements), so
// scratch memory stays small and pages overshoot their target by little.
constexpr int64_t kMaxStepRows = 4096;
constexpr int64_t kMinStepRows = 8;

// Leaf rows [begin, end) whose values (nulls skipped) belong to the step.
struct RowRange {
  int64_t begin;
  int64_t end;
};

const int64_t* OffsetsOf(const Column& column) { return column.parts().offsets->as<int64_t>() + column.offset(); }

// The end of the step that starts at `begin`: at most `max_rows` rows (list
// elements for lists) and about `max_bytes` of string bytes, but at least
// one row.
int64_t StepEnd(const Column& column, int64_t begin, int64_t max_rows, int64_t max_bytes) {
  const int64_t limit = std::min(column.length(), begin + max_rows);
  if (column.type().is_fixed_width()) return limit;
  const int64_t* offsets = OffsetsOf(column);
  const bool list = column.type().is_list();
  const bool bytes = list ? column.child().type().is_binary_like() : true;
  auto fits = [&](int64_t end) {
    if (list && offsets[end] - offsets[begin] > max_rows) return false;
    if (!bytes) return true;
    const int64_t* byte_offsets = list ? OffsetsOf(column.child()) : offsets;
    const int64_t first = list ? offsets[begin] : begin;
    const int64_t last = list ? offsets[end] : end;
    return byte_offsets[last] - byte_offsets[first] <= max_bytes;
  };
  // `fits` holds up to some end and fails after it: find the last end that fits.
  int64_t low = begin + 1, high = limit;
  while (low < high) {
    int64_t middle = low + (high - low + 1) / 2;
    if (fits(middle)) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return low;
}

// ---------------------------------------------------------------------------
// Levels.

// Appends the definition levels of flat rows [begin, end): 1 for a value,
// 0 for a null.
void AppendFlatLevels(const Column& column, int64_t begin, int64_t end, std::vector<uint8_t>* definition) {
  const size_t at = definition->size();
  definition->resize(at + (end - begin), 1);
  if (column.null_count() == 0) return;
  const uint8_t* bits = column.validity_bits();
  uint8_t* out = definition->data() + at - begin;
  for (int64_t row = begin; row < end; ++row) out[row] = bitmap::Get(bits, column.offset() + row);
}

// Appends the levels of list rows [begin, end) and the child row ranges that
// hold their elements. A null list is (0, 0); an empty list has the
// definition level of a present list; elements are present + 1 when null
// and present + 2 otherwise, with repetition level 1 after the first.
void AppendListLevels(const Column& column, int64_t begin, int64_t end, bool nullable,
                      std::vector<uint8_t>* definition, std::vector<uint8_t>* repetition,
                      std::vector<RowRange>* ranges) {
  const uint8_t present = nullable ? 1 : 0;
  const Column& child = column.child();
  for (int64_t row = begin; row < end; ++row) {
    const int64_t first = column.ListBegin(row), last = column.ListEnd(row);
    if (column.IsNull(row) || first == last) {
      definition->push_back(column.IsNull(row) ? 0 : present);
      repetition->push_back(0);
      continue;
    }
    for (int64_t i = first; i < last; ++i) {
      definition->push_back(child.IsValid(i) ? present + 2 : present + 1);
      repetition->push_back(i == first ? 0 : 1);
    }
    if (!ranges->empty() && ranges->back().end == first) {
      ranges->back().end = last;
    } else {
      ranges->push_back({first, last});
    }
  }
}

// ---------------------------------------------------------------------------
// Values: how the non-null values of each kind of leaf are gathered, encoded
// and summarised.

template <typename T>
struct FixedBatch {
  const T* values = nullptr;  // `count` values.
  int64_t count = 0;
};

struct ByteArrayBatch {
  const int64_t* offsets = nullptr;  // count + 1 positions in `bytes`.
  const uint8_t* bytes = nullptr;
  int64_t count = 0;
};

// Stands in for a dictionary encoder where the leaf is always PLAIN.
struct NoDictionary {
  int64_t size() const { return 0; }
  int64_t dictionary_bytes() const { return 0; }
  int index_bit_width() const { return 0; }
};

// Kiln values stored as `Stored`, written as physical values of type `Value`
// (converted with a static_cast), with dictionary encoder `Dictionary` over
// the same bits, or NoDictionary. Booleans are `uint8_t` and bit-packed when
// their page is written; __int128 are decimals written big-endian in
// type_length bytes.
template <typename Stored, typename Value, typename Dictionary>
class FixedValues {
 public:
  using Batch = FixedBatch<Value>;
  using Statistics = ValueStatistics<Value>;
  static constexpr bool kHasDictionary = !std::is_same_v<Dictionary, NoDictionary>;
  static constexpr bool kBitPacked = std::is_same_v<Value, uint8_t>;
  static constexpr bool kDecimal = std::is_same_v<Stored, __int128>;

  explicit FixedValues(const LeafLayout& leaf) : type_length_(leaf.type_length) {
    if constexpr (kDecimal) {
      for (int i = 0; i < leaf.value_type.precision(); ++i) decimal_limit_ *= 10;
    }
  }

  // Sets `batch` to the non-null values of `column` in `ranges`, converted.
  // InvalidArgument for a decimal with more digits than its precision,
  // which its physical type might not hold.
  Status Gather(const Column& column, const std::vector<RowRange>& ranges, Batch* batch) {
    const Stored* data = column.data<Stored>();
    const uint8_t* bits = column.null_count() == 0 ? nullptr : column.validity_bits();
    if constexpr (std::is_same_v<Stored, Value> && !kDecimal) {
      if (bits == nullptr && ranges.size() == 1) {
        *batch = {data + ranges[0].begin, ranges[0].end - ranges[0].begin};
        return Status::OK();
      }
    }
    int64_t total = 0;
    for (const RowRange& range : ranges) total += range.end - range.begin;
    scratch_.resize(total);
    Value* out = scratch_.data();
    int64_t count = 0;
    bool too_wide = false;
    for (const RowRange& range : ranges) {
      for (int64_t row = range.begin; row < range.end; ++row) {
        const Stored value = data[row];
        const bool valid = bits == nullptr || bitmap::Get(bits, column.offset() + row);
        out[count] = static_cast<Value>(value);
        count += valid;
        if constexpr (kDecimal) too_wide |= valid && (value >= decimal_limit_ || value <= -decimal_limit_);
      }
    }
    *batch = {out, count};
    if (too_wide) {
      return Status::InvalidArgument("a value has more digits than " + column.type().ToString() + " allows");
    }
    return Status::OK();
  }

  void UpdateStatistics(const Batch& batch, Statistics* statistics) const {
    statistics->Update(batch.values, batch.count);
  }
  format::Statistics ThriftStatistics(const Statistics& statistics) const {
    return statistics.ToThrift(type_length_);
  }

  // Appends the PLAIN form (raw bytes for booleans, packed later).
  Status AppendPlain(const Batch& batch, Buffer* out) const {
    if constexpr (std::is_same_v<Value, __int128>) {
      for (int64_t i = 0; i < batch.count; ++i) AppendBigEndian(batch.values[i], out);
    } else {
      EncodePlainFixed(batch.values, batch.count, sizeof(Value), out);
    }
    return Status::OK();
  }

  // Writes each value's dictionary index. REQUIRES: kHasDictionary.
  void EncodeIndices(const Batch& batch, uint32_t* indices) {
    if constexpr (kHasDictionary) {
      using Bits = std::remove_cv_t<std::remove_pointer_t<decltype(dictionary_.values())>>;
      static_assert(sizeof(Bits) == sizeof(Value), "the dictionary must hold the values' bits");
      // Same-size integers of either signedness may alias each other.
      dictionary_.Encode(reinterpret_cast<const Bits*>(batch.values), batch.count, indices);
    }
  }
  const Dictionary& dictionary() const { return dictionary_; }
  // Appends the PLAIN dictionary page body. REQUIRES: kHasDictionary.
  Status EncodeDictionary(Buffer* out) const {
    if constexpr (kHasDictionary) {
      EncodePlainFixed(dictionary_.values(), dictionary_.size(), sizeof(Value), out);
    }
    return Status::OK();
  }

 private:
  void AppendBigEndian(__int128 value, Buffer* out) const {
    const size_t at = out->size();
    out->Resize(at + type_length_);
    auto bits = static_cast<unsigned __int128>(value);
    for (int i = type_length_ - 1; i >= 0; --i) {
      out->data()[at + i] = static_cast<uint8_t>(bits & 0xFF);
      bits >>= 8;
    }
  }

  int type_length_;             // FIXED_LEN_BYTE_ARRAY width of decimals.
  __int128 decimal_limit_ = 1;  // 10^precision for decimals: values stay below it in magnitude.
  std::vector<Value> scratch_;  // Gathered values when they cannot be used in place.
  Dictionary dictionary_;       // Distinct values of the chunk.
};

class ByteArrayValues {
 public:
  using Batch = ByteArrayBatch;
  using Statistics = ByteArrayStatistics;
  static constexpr bool kHasDictionary = true;
  static constexpr bool kBitPacked = false;

  explicit ByteArrayValues(const LeafLayout&) {}

  Status Gather(const Column& column, const std::vector<RowRange>& ranges, Batch* batch) {
    const int64_t* offsets = OffsetsOf(column);
    const uint8_t* bytes = column.parts().values->data();
    if (column.null_count() == 0 && ranges.size() == 1) {
      *batch = {offsets + ranges[0].begin, bytes, ranges[0].end - ranges[0].begin};
      return Status::OK();
    }
    offsets_.assign(1, 0);
    bytes_.Resize(0);
    for (const RowRange& range : ranges) {
      for (int64_t row = range.begin; row < range.end; ++row) {
        if (!column.IsValid(row)) continue;
        bytes_.Append(bytes + offsets[row], offsets[row + 1] - offsets[row]);
        offsets_.push_back(static_cast<int64_t>(bytes_.size()));
      }
    }
    *batch = {offsets_.data(), bytes_.data(), static_cast<int64_t>(offsets_.size()) - 1};
    return Status::OK();
  }

  void UpdateStatistics(const Batch& batch, Statistics* statistics) const {
    statistics->Update(batch.offsets, batch.bytes, batch.count);
  }
  format::Statistics ThriftStatistics(const Statistics& statistics) const { return statistics.ToThrift(); }

  Status AppendPlain(const Batch& batch, Buffer* out) const {
    return EncodePlainByteArray(batch.offsets, batch.bytes, batch.count, out);
  }

  void EncodeIndices(const Batch& batch, uint32_t* indices) {
    dictionary_.Encode(batch.offsets, batch.bytes, batch.count, indices);
  }
  const ByteArrayDictionaryEncoder& dictionary() const { return dictionary_; }
  Status EncodeDictionary(Buffer* out) const {
    return EncodePlainByteArray(dictionary_.offsets(), dictionary_.bytes(), dictionary_.size(), out);
  }

 private:
  std::vector<int64_t> offsets_;         // Gathered values: offsets into bytes_.
  Buffer bytes_;                         // Gathered values: their bytes.
  ByteArrayDictionaryEncoder dictionary_;  // Distinct values of the chunk.
};

// ---------------------------------------------------------------------------
// Pages.

Status CheckPageSize(size_t size) {
  if (size > static_cast<size_t>(INT32_MAX)) {
    return Status::InvalidArgument("a Parquet page of " + std::to_string(size) +
                                   " bytes exceeds the format's 2 GiB limit; use a smaller page_bytes");
  }
  return Status::OK();
}

// Turns levels and encoded values into compressed pages with headers, and
// keeps the chunk's totals for its metadata.
class PageWriter {
 public:
  PageWriter(const LeafLayout& leaf, const ColumnWriterOptions& options) : leaf_(leaf), options_(options) {}

  PageWriter(const PageWriter&) = delete;
  PageWriter& operator=(const PageWriter&) = delete;

  // Levels of the page being built, one per leaf slot (nulls included).
  std::vector<uint8_t>* definition_levels() { return &definition_; }
  std::vector<uint8_t>* repetition_levels() { return &repetition_; }
  // Counts `rows` more rows with `levels` leaf slots in the page being built.
  void AddRows(int64_t rows, int64_t levels) {
    page_rows_ += rows;
    page_levels_ += levels;
  }
  int64_t page_levels() const { return page_levels_; }
  int64_t data_pages() const { return data_pages_written_; }

  // Writes the pending levels and `values`, the encoded form of `value_count`
  // non-null values, as one data page; then starts the next page.
  Status WriteDataPage(const Buffer& values, int64_t value_count, Encoding::type encoding,
                       const format::Statistics* statistics);
  // Writes the dictionary page, which Finish() puts first.
  Status WriteDictionaryPage(const Buffer& values, int64_t count);
  // Moves the pages into `out` and fills its metadata.
  // REQUIRES: at least one data page was written.
  void Finish(const format::Statistics& statistics, EncodedColumnChunk* out);

 private:
  // Appends the levels for a v1 page (with length prefixes) or a v2 page
  // (without) to body_, repetition first; returns their byte lengths.
  std::pair<int32_t, int32_t> EncodeLevels(bool with_length);
  // Compresses `size` bytes into compressed_, unless the codec is none;
  // returns where the page's (possibly compressed) bytes are.
  Result<std::pair<const uint8_t*, size_t>> MaybeCompress(const uint8_t* data, size_t size);
  Status WriteV1(const Buffer& values, Encoding::type encoding, const format::Statistics* statistics);
  Status WriteV2(const Buffer& values, int64_t value_count, Encoding::type encoding,
                 const format::Statistics* statistics);
  // Appends header and body to `target` and counts them in the totals.
  Status Emit(format::PageHeader header, const uint8_t* first, size_t first_size, const uint8_t* second,
              size_t second_size, Buffer* target);

  const LeafLayout& leaf_;               // The column's layout.
  const ColumnWriterOptions& options_;   // Codec and page format.
  std::vector<uint8_t> definition_;      // Levels of the page being built.
  std::vector<uint8_t> repetition_;      // Levels of the page being built.
  int64_t page_rows_ = 0;                // Rows in the page being built.
  int64_t page_levels_ = 0;              // Leaf slots in the page being built.
  Buffer body_;                          // Scratch: levels, or levels and values.
  Buffer compressed_;                    // Scratch: compressed bytes.
  Buffer dictionary_page_;               // Header and body of the dictionary page.
  Buffer data_pages_;                    // Headers and bodies of the data pages.
  int64_t data_pages_written_ = 0;       // Data pages in data_pages_.
  int64_t num_values_ = 0;               // Leaf slots in all data pages.
  int64_t uncompressed_bytes_ = 0;       // Headers and uncompressed bodies so far.
  int64_t compressed_bytes_ = 0;         // Headers and stored bodies so far.
  std::map<std::pair<PageType::type, Encoding::type>, int32_t> encoding_counts_;  // Pages per kind.
};

std::pair<int32_t, int32_t> PageWriter::EncodeLevels(bool with_length) {
  body_.Resize(0);
  int32_t lengths[2] = {0, 0};
  const std::vector<uint8_t>* levels[2] = {&repetition_, &definition_};
  const int16_t maxima[2] = {leaf_.max_repetition_level, leaf_.max_definition_level};
  for (int i = 0; i < 2; ++i) {
    if (maxima[i] == 0) continue;
    const size_t start = body_.size();
    const int width = BitWidthOf(static_cast<uint64_t>(maxima[i]));
    if (with_length) {
      RleBitPackedEncodeWithLength(levels[i]->data(), page_levels_, width, &body_);
    } else {
      RleBitPackedEncode(levels[i]->data(), page_levels_, width, &body_);
    }
    lengths[i] = static_cast<int32_t>(body_.size() - start);
  }
  return {lengths[0], lengths[1]};
}

Result<std::pair<const uint8_t*, size_t>> PageWriter::MaybeCompress(const uint8_t* data, size_t size) {
  if (options_.codec == format::CompressionCodec::UNCOMPRESSED) return std::make_pair(data, size);
  compressed_.Resize(0);
  Status status = Compress(options_.codec, data, size, &compressed_, options_.compression_level);
  if (!status.ok()) return status;
  return std::pair<const uint8_t*, size_t>(compressed_.data(), compressed_.size());
}

Status PageWriter::WriteDataPage(const Buffer& values, int64_t value_count, Encoding::type encoding,
                                 const format::Statistics* statistics) {
  Status status = options_.data_page_v2 ? WriteV2(values, value_count, encoding, statistics)
                                        : WriteV1(values, encoding, statistics);
  if (!status.ok()) return status;
  num_values_ += page_levels_;
  ++data_pages_written_;
  definition_.clear();
  repetition_.clear();
  page_rows_ = 0;
  page_levels_ = 0;
  return Status::OK();
}

Status PageWriter::WriteV1(const Buffer& values, Encoding::type encoding, const format::Statistics* statistics) {
  EncodeLevels(/*with_length=*/true);
  const uint8_t* body = values.data();
  size_t size = values.size();
  if (body_.size() > 0) {  // Levels and values are compressed as one block.
    body_.Append(values.data(), values.size());
    body = body_.data();
    size = body_.size();
  }
  Status status = CheckPageSize(size);
  if (!status.ok()) return status;
  auto stored = MaybeCompress(body, size);
  if (!stored.ok()) return stored.status();
  format::PageHeader header;
  header.__set_type(PageType::DATA_PAGE);
  header.__set_uncompressed_page_size(static_cast<int32_t>(size));
  header.__set_compressed_page_size(static_cast<int32_t>(stored->second));
  format::DataPageHeader& page = header.data_page_header;
  page.__set_num_values(static_cast<int32_t>(page_levels_));
  page.__set_encoding(encoding);
  page.__set_definition_level_encoding(Encoding::RLE);
  page.__set_repetition_level_encoding(Encoding::RLE);
  if (statistics != nullptr) page.__set_statistics(*statistics);
  header.__isset.data_page_header = true;
  return Emit(std::move(header), stored->first, stored->second, nullptr, 0, &data_pages_);
}

Status PageWriter::WriteV2(const Buffer& values, int64_t value_count, Encoding::type encoding,
                           const format::Statistics* statistics) {
  // Levels stay uncompressed in front of the (compressed) values.
  auto [repetition_bytes, definition_bytes] = EncodeLevels(/*with_length=*/false);
  Status status = CheckPageSize(body_.size() + values.size());
  if (!status.ok()) return status;
  auto stored = MaybeCompress(values.data(), values.size());
  if (!stored.ok()) return stored.status();
  status = CheckPageSize(body_.size() + stored->second);
  if (!status.ok()) return status;
  format::PageHeader header;
  header.__set_type(PageType::DATA_PAGE_V2);
  header.__set_uncompressed_page_size(static_cast<int32_t>(body_.size() + values.size()));
  header.__set_compressed_page_size(static_cast<int32_t>(body_.size() + stored->second));
  format::DataPageHeaderV2& page = header.data_page_header_v2;
  page.__set_num_values(static_cast<int32_t>(page_levels_));
  page.__set_num_nulls(static_cast<int32_t>(page_levels_ - value_count));
  page.__set_num_rows(static_cast<int32_t>(page_rows_));
  page.__set_encoding(encoding);
  page.__set_definition_levels_byte_length(definition_bytes);
  page.__set_repetition_levels_byte_length(repetition_bytes);
  page.__set_is_compressed(options_.codec != format::CompressionCodec::UNCOMPRESSED);
  if (statistics != nullptr) page.__set_statistics(*statistics);
  header.__isset.data_page_header_v2 = true;
  return Emit(std::move(header), body_.data(), body_.size(), stored->first, stored->second, &data_pages_);
}

Status PageWriter::WriteDictionaryPage(const Buffer& values, int64_t count) {
  Status status = CheckPageSize(values.size());
  if (!status.ok()) return status;
  auto stored = MaybeCompress(values.data(), values.size());
  if (!stored.ok()) return stored.status();
  format::PageHeader header;
  header.__set_type(PageType::DICTIONARY_PAGE);
  header.__set_uncompressed_page_size(static_cast<int32_t>(values.size()));
  header.__set_compressed_page_size(static_cast<int32_t>(stored->second));
  header.dictionary_page_header.__set_num_values(static_cast<int32_t>(count));
  header.dictionary_page_header.__set_encoding(Encoding::PLAIN);
  header.__isset.dictionary_page_header = true;
  return Emit(std::move(header), stored->first, stored->second, nullptr, 0, &dictionary_page_);
}

Status PageWriter::Emit(format::PageHeader header, const uint8_t* first, size_t first_size,
                        const uint8_t* second, size_t second_size, Buffer* target) {
  const size_t start = target->size();
  Status status = SerializePageHeader(header, target);
  if (!status.ok()) return status;
  const int64_t header_size = static_cast<int64_t>(target->size() - start);
  target->Append(first, first_size);
  if (second_size > 0) target->Append(second, second_size);
  uncompressed_bytes_ += header_size + header.uncompressed_page_size;
  compressed_bytes_ += header_size + header.compressed_page_size;
  Encoding::type encoding = header.type == PageType::DICTIONARY_PAGE ? header.dictionary_page_header.encoding
                            : header.type == PageType::DATA_PAGE   ? header.data_page_header.encoding
                                                                   : header.data_page_header_v2.encoding;
  ++encoding_counts_[{header.type, encoding}];
  return Status::OK();
}

void PageWriter::Finish(const format::Statistics& statistics, EncodedColumnChunk* out) {
  out->bytes.Resize(0);
  out->bytes.Reserve(dictionary_page_.size() + data_pages_.size());
  out->bytes.Append(dictionary_page_.data(), dictionary_page_.size());
  out->bytes.Append(data_pages_.data(), data_pages_.size());
  format::ColumnMetaData& metadata = out->metadata;
  metadata = format::ColumnMetaData();
  metadata.__set_type(leaf_.physical_type);
  metadata.__set_path_in_schema(leaf_.path);
  metadata.__set_codec(options_.codec);
  metadata.__set_num_values(num_values_);
  metadata.__set_total_uncompressed_size(uncompressed_bytes_);
  metadata.__set_total_compressed_size(compressed_bytes_);
  metadata.__set_data_page_offset(static_cast<int64_t>(dictionary_page_.size()));
  if (dictionary_page_.size() > 0) metadata.__set_dictionary_page_offset(0);
  metadata.__set_statistics(statistics);
  std::vector<Encoding::type> encodings;
  auto add_encoding = [&](Encoding::type encoding) {
    if (std::find(encodings.begin(), encodings.end(), encoding) == encodings.end()) encodings.push_back(encoding);
  };
  if (leaf_.max_definition_level > 0 || leaf_.max_repetition_level > 0) add_encoding(Encoding::RLE);
  std::vector<format::PageEncodingStats> encoding_stats;
  for (const auto& [kind, count] : encoding_counts_) {
    add_encoding(kind.second);
    format::PageEncodingStats stats;
    stats.__set_page_type(kind.first);
    stats.__set_encoding(kind.second);
    stats.__set_count(count);
    encoding_stats.push_back(stats);
  }
  metadata.__set_encodings(encodings);
  metadata.__set_encoding_stats(encoding_stats);
}

// ---------------------------------------------------------------------------
// The chunk encoder: steps through the rows, gathers and encodes values into
// the current page, and cuts pages.

template <typename Values>
class ChunkEncoder {
 public:
  ChunkEncoder(const LeafLayout& leaf, const ColumnWriterOptions& options)
      : leaf_(leaf),
        options_(options),
        values_(leaf),
        pages_(leaf, options),
        dictionary_active_(Values::kHasDictionary && options.enable_dictionary),
        step_rows_(std::clamp<int64_t>(options.page_bytes / 8, kMinStepRows, kMaxStepRows)),
        step_bytes_(std::max<int64_t>(1, options.page_bytes / 4)) {}

  ChunkEncoder(const ChunkEncoder&) = delete;
  ChunkEncoder& operator=(const ChunkEncoder&) = delete;

  Status Append(const Column& column) {
    for (int64_t begin = 0; begin < column.length();) {
      const int64_t end = StepEnd(column, begin, step_rows_, step_bytes_);
      Status status = AppendRows(column, begin, end);
      if (!status.ok()) return status;
      begin = end;
    }
    return Status::OK();
  }

  Status Finish(EncodedColumnChunk* out) {
    // A chunk always has a data page, even an empty one.
    if (pages_.page_levels() > 0 || pages_.data_pages() == 0) {
      Status status = FlushPage();
      if (!status.ok()) return status;
    }
    if (dictionary_used_) {
      Buffer dictionary;
      Status status = values_.EncodeDictionary(&dictionary);
      if (status.ok()) status = pages_.WriteDictionaryPage(dictionary, values_.dictionary().size());
      if (!status.ok()) return status;
    }
    pages_.Finish(values_.ThriftStatistics(chunk_statistics_), out);
    return Status::OK();
  }

 private:
  Status AppendRows(const Column& column, int64_t begin, int64_t end) {
    const int64_t levels = AppendLevels(column, begin, end);
    typename Values::Batch batch;
    Status status = values_.Gather(leaf_.is_list ? column.child() : column, ranges_, &batch);
    if (!status.ok()) return status;
    values_.UpdateStatistics(batch, &page_statistics_);
    page_statistics_.AddNulls(levels - batch.count);
    page_values_ += batch.count;
    pages_.AddRows(end - begin, levels);
    status = dictionary_active_ ? AppendIndices(batch) : values_.AppendPlain(batch, &plain_);
    if (!status.ok()) return status;
    return PendingValueBytes() >= options_.page_bytes ? FlushPage() : Status::OK();
  }

  // Appends the levels of rows [begin, end) to the page, sets ranges_ to the
  // leaf rows that hold their values, and returns the number of levels.
  int64_t AppendLevels(const Column& column, int64_t begin, int64_t end) {
    std::vector<uint8_t>* definition = pages_.definition_levels();
    const size_t before = definition->size();
    ranges_.clear();
    if (leaf_.is_list) {
      AppendListLevels(column, begin, end, leaf_.nullable, definition, pages_.repetition_levels(), &ranges_);
    } else {
      if (leaf_.max_definition_level > 0) AppendFlatLevels(column, begin, end, definition);
      ranges_.push_back({begin, end});
    }
    return leaf_.max_definition_level > 0 ? static_cast<int64_t>(definition->size() - before) : end - begin;
  }

  // Dictionary-encodes `batch` into the page. Once the dictionary outgrows
  // its budget, closes the page: the pages so far keep their indices and the
  // rest of the chunk is PLAIN.
  Status AppendIndices(const typename Values::Batch& batch) {
    const size_t at = indices_.size();
    indices_.resize(at + batch.count);
    values_.EncodeIndices(batch, indices_.data() + at);
    if (values_.dictionary().dictionary_bytes() <= options_.dictionary_limit_bytes) return Status::OK();
    Status status = FlushPage();
    dictionary_active_ = false;
    return status;
  }

  // Encoded size of the values of the page being built.
  int64_t PendingValueBytes() const {
    if (dictionary_active_) {
      return BitPackedBytes(static_cast<int64_t>(indices_.size()), values_.dictionary().index_bit_width());
    }
    return Values::kBitPacked ? BitPackedBytes(plain_.size(), 1) : static_cast<int64_t>(plain_.size());
  }

  // Writes the page being built. A page without values is PLAIN even while
  // the dictionary is active, so an all-null chunk needs no dictionary page.
  Status FlushPage() {
    encoded_.Resize(0);
    Encoding::type encoding = Encoding::PLAIN;
    const Buffer* body = &plain_;
    if (dictionary_active_ && !indices_.empty()) {
      const int width = values_.dictionary().index_bit_width();
      const uint8_t width_byte = static_cast<uint8_t>(width);
      encoded_.Append(&width_byte, 1);
      RleBitPackedEncode(indices_.data(), static_cast<int64_t>(indices_.size()), width, &encoded_);
      encoding = Encoding::RLE_DICTIONARY;
      body = &encoded_;
      dictionary_used_ = true;
    } else if constexpr (Values::kBitPacked) {
      // An empty page has no buffer to pack (and memset must not see null).
      if (plain_.size() > 0) EncodePlainBoolean(plain_.data(), static_cast<int64_t>(plain_.size()), &encoded_);
      body = &encoded_;
    }
    format::Statistics statistics;
    if (options_.page_statistics) statistics = values_.ThriftStatistics(page_statistics_);
    Status status =
        pages_.WriteDataPage(*body, page_values_, encoding, options_.page_statistics ? &statistics : nullptr);
    if (!status.ok()) return status;
    chunk_statistics_.Merge(page_statistics_);
    page_statistics_.Reset();
    page_values_ = 0;
    indices_.clear();
    plain_.Resize(0);
    return Status::OK();
  }

  const LeafLayout& leaf_;                          // The column's layout.
  const ColumnWriterOptions& options_;              // Page size, dictionary budget, codec.
  Values values_;                                   // Gathering, encodings and dictionary.
  PageWriter pages_;                                // Levels and finished pages.
  bool dictionary_active_;                          // The page being built uses the dictionary.
  bool dictionary_used_ = false;                    // Some page used it: the chunk needs a dictionary page.
  const int64_t step_rows_;                         // Rows (or list elements) per step.
  const int64_t step_bytes_;                        // String bytes per step.
  std::vector<RowRange> ranges_;                    // Leaf rows of the current step.
  std::vector<uint32_t> indices_;                   // Dictionary indices of the page being built.
  Buffer plain_;                                    // PLAIN values of the page being built.
  Buffer encoded_;                                  // Scratch: the page's encoded values.
  int64_t page_values_ = 0;                         // Non-null values in the page being built.
  typename Values::Statistics page_statistics_;     // Of the page being built.
  typename Values::Statistics chunk_statistics_;    // Of the pages written.
};

template <typename Values>
Status Encode(const LeafLayout& leaf, const std::vector<std::shared_ptr<Column>>& pieces,
              const ColumnWriterOptions& options, EncodedColumnChunk* out) {
  ChunkEncoder<Values> encoder(leaf, options);
  for (const auto& piece : pieces) {
    Status status = encoder.Append(*piece);
    if (!status.ok()) return status;
  }
  return encoder.Finish(out);
}

template <typename Stored, typename Value, typename Dictionary = DictionaryEncoder<Value>>
Status EncodeFixed(const LeafLayout& leaf, const std::vector<std::shared_ptr<Column>>& pieces,
                   const ColumnWriterOptions& options, EncodedColumnChunk* out) {
  return Encode<FixedValues<Stored, Value, Dictionary>>(leaf, pieces, options, out);
}

Status EncodeDecimal(const LeafLayout& leaf, const std::vector<std::shared_ptr<Column>>& pieces,
                     const ColumnWriterOptions& options, EncodedColumnChunk* out) {
  switch (leaf.physical_type) {
    case format::Type::INT32: return EncodeFixed<__int128, int32_t>(leaf, pieces, options, out);
    case format::Type::INT64: return EncodeFixed<__int128, int64_t>(leaf, pieces, options, out);
    default: return EncodeFixed<__int128, __int128, NoDictionary>(leaf, pieces, options, out);
  }
}

}  // namespace

Status EncodeColumnChunk(const LeafLayout& leaf, const std::vector<std::shared_ptr<Column>>& pieces,
                         const ColumnWriterOptions& options, EncodedColumnChunk* out) {
  switch (leaf.value_type.id()) {
    case TypeId::kBool: return EncodeFixed<uint8_t, uint8_t, NoDictionary>(leaf, pieces, options, out);
    case TypeId::kInt32:
    case TypeId::kDate32: return EncodeFixed<int32_t, int32_t>(leaf, pieces, options, out);
    case TypeId::kUInt32: return EncodeFixed<uint32_t, uint32_t, DictionaryEncoder<int32_t>>(leaf, pieces, options, out);
    case TypeId::kInt64:
    case TypeId::kTimestamp: return EncodeFixed<int64_t, int64_t>(leaf, pieces, options, out);
    case TypeId::kUInt64: return EncodeFixed<uint64_t, uint64_t, DictionaryEncoder<int64_t>>(leaf, pieces, options, out);
    case TypeId::kFloat32: return EncodeFixed<float, float>(leaf, pieces, options, out);
    case TypeId::kFloat64: return EncodeFixed<double, double>(leaf, pieces, options, out);
    case TypeId::kString:
    case TypeId::kBinary: return Encode<ByteArrayValues>(leaf, pieces, options, out);
    case TypeId::kDecimal: return EncodeDecimal(leaf, pieces, options, out);
    case TypeId::kList: break;
  }
  return Status::NotSupported("cannot write " + leaf.value_type.ToString() + " values to Parquet");
}

}  // namespace kiln::parquet
