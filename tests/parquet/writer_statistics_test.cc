// Writer statistics: the accumulators alone, and the min/max/null counts that
// ParquetWriter puts in the footer and the page headers.

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kiln/core/column_builder.h"
#include "kiln/core/file.h"
#include "kiln/parquet/file_reader.h"
#include "kiln/parquet/file_writer.h"
#include "kiln/parquet/metadata.h"
#include "kiln/parquet/statistics.h"
#include "testing/temp_dir.h"

namespace kiln::parquet {
namespace {

template <typename T>
std::string Bytes(T value) {
  std::string bytes(sizeof(T), '\0');
  std::memcpy(bytes.data(), &value, sizeof(T));
  return bytes;
}

template <typename T>
format::Statistics StatisticsOf(const std::vector<T>& values, int64_t nulls = 0, int type_length = 0) {
  ValueStatistics<T> statistics;
  statistics.Update(values.data(), static_cast<int64_t>(values.size()));
  statistics.AddNulls(nulls);
  return statistics.ToThrift(type_length);
}

TEST(ParquetWriterStatistics, SignedAndUnsignedIntegersCompareByTheirType) {
  format::Statistics signed_stats = StatisticsOf<int32_t>({5, -7, 3}, 2);
  EXPECT_EQ(signed_stats.min_value, Bytes<int32_t>(-7));
  EXPECT_EQ(signed_stats.max_value, Bytes<int32_t>(5));
  EXPECT_EQ(signed_stats.null_count, 2);
  EXPECT_TRUE(signed_stats.is_min_value_exact && signed_stats.is_max_value_exact);
  EXPECT_FALSE(signed_stats.__isset.min);  // Only the order-aware fields.

  format::Statistics unsigned_stats = StatisticsOf<uint32_t>({5, 0xFFFFFFF9u, 3});
  EXPECT_EQ(unsigned_stats.min_value, Bytes<uint32_t>(3));
  EXPECT_EQ(unsigned_stats.max_value, Bytes<uint32_t>(0xFFFFFFF9u));

  format::Statistics wide = StatisticsOf<uint64_t>({1, ~uint64_t{0}});
  EXPECT_EQ(wide.max_value, Bytes<uint64_t>(~uint64_t{0}));
}

TEST(ParquetWriterStatistics, BooleansAreOneByte) {
  format::Statistics statistics = StatisticsOf<uint8_t>({7, 7, 0});
  EXPECT_EQ(statistics.min_value, std::string(1, '\0'));
  EXPECT_EQ(statistics.max_value, std::string(1, '\1'));
  format::Statistics all_true = StatisticsOf<uint8_t>({2, 1});
  EXPECT_EQ(all_true.min_value, std::string(1, '\1'));
}

TEST(ParquetWriterStatistics, FloatsFollowTheSpecification) {
  format::Statistics plain = StatisticsOf<double>({2.5, -1.0, 7.0});
  EXPECT_EQ(plain.min_value, Bytes(-1.0));
  EXPECT_EQ(plain.max_value, Bytes(7.0));
  // No min/max once a NaN was seen, wherever it is.
  for (size_t position = 0; position < 3; ++position) {
    std::vector<float> values = {1.0f, 2.0f, 3.0f};
    values[position] = std::numeric_limits<float>::quiet_NaN();
    format::Statistics statistics = StatisticsOf<float>(values, 1);
    EXPECT_FALSE(statistics.__isset.min_value) << position;
    EXPECT_FALSE(statistics.__isset.max_value) << position;
    EXPECT_EQ(statistics.null_count, 1);
  }
  // Zero bounds are written as -0.0 (min) and +0.0 (max).
  format::Statistics zeros = StatisticsOf<double>({0.0, -0.0});
  EXPECT_EQ(zeros.min_value, Bytes(-0.0));
  EXPECT_EQ(zeros.max_value, Bytes(0.0));
  format::Statistics infinities = StatisticsOf<float>({-INFINITY, INFINITY});
  EXPECT_EQ(infinities.min_value, Bytes(-INFINITY));
}

TEST(ParquetWriterStatistics, WideDecimalsAreBigEndianTwosComplement) {
  format::Statistics statistics = StatisticsOf<__int128>({-2, 300}, 0, 9);
  EXPECT_EQ(statistics.min_value, std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xfe", 9));
  EXPECT_EQ(statistics.max_value, std::string("\0\0\0\0\0\0\0\x01\x2c", 9));
}

TEST(ParquetWriterStatistics, MergeCombinesPagesAndKeepsNaNPoison) {
  ValueStatistics<int64_t> chunk, page;
  const int64_t first[] = {4, 9};
  const int64_t second[] = {-3, 5};
  page.Update(first, 2);
  page.AddNulls(1);
  chunk.Merge(page);
  page.Reset();
  page.Update(second, 2);
  chunk.Merge(page);
  EXPECT_EQ(chunk.min(), -3);
  EXPECT_EQ(chunk.max(), 9);
  EXPECT_EQ(chunk.null_count(), 1);

  ValueStatistics<double> clean, poisoned;
  const double values[] = {1.0};
  const double nan[] = {NAN};
  clean.Update(values, 1);
  poisoned.Update(nan, 1);
  clean.Merge(poisoned);
  EXPECT_FALSE(clean.has_min_max());

  ValueStatistics<int32_t> empty;
  EXPECT_FALSE(empty.ToThrift().__isset.min_value);
  EXPECT_EQ(empty.ToThrift().null_count, 0);
}

TEST(ParquetWriterStatistics, ByteArraysCompareAsUnsignedBytes) {
  const std::vector<std::string> values = {"b", "\xff", "", "ab", "a"};
  std::vector<int64_t> offsets = {0};
  std::string bytes;
  for (const std::string& value : values) {
    bytes += value;
    offsets.push_back(static_cast<int64_t>(bytes.size()));
  }
  ByteArrayStatistics statistics;
  statistics.Update(offsets.data(), reinterpret_cast<const uint8_t*>(bytes.data()), 5);
  statistics.AddNulls(3);
  format::Statistics thrift = statistics.ToThrift();
  EXPECT_EQ(thrift.min_value, "");
  EXPECT_EQ(thrift.max_value, "\xff");
  EXPECT_EQ(thrift.null_count, 3);

  // An extreme longer than the limit leaves min/max out, also after merging.
  ByteArrayStatistics long_value;
  const std::string huge(kMaxStatisticsValueBytes + 1, '\xff');  // The new maximum.
  const int64_t huge_offsets[] = {0, static_cast<int64_t>(huge.size())};
  long_value.Update(huge_offsets, reinterpret_cast<const uint8_t*>(huge.data()), 1);
  statistics.Merge(long_value);
  EXPECT_FALSE(statistics.has_min_max());
  EXPECT_FALSE(statistics.ToThrift().__isset.max_value);
  EXPECT_EQ(statistics.ToThrift().null_count, 3);
}

// ---------------------------------------------------------------------------
// Statistics in written files.

format::FileMetaData WriteAndReadFooter(const Table& table, const ParquetWriteOptions& options,
                                        std::string* file_bytes = nullptr) {
  testing::TempDir dir;
  const std::string path = dir.File("s.parquet");
  Status status = WriteParquet(path, table, options);
  EXPECT_TRUE(status.ok()) << status.ToString();
  auto bytes = ReadFileToString(path);
  EXPECT_TRUE(bytes.ok());
  format::FileMetaData metadata;
  const auto* data = reinterpret_cast<const uint8_t*>(bytes->data());
  uint32_t footer = 0;
  EXPECT_TRUE(ParseFooterTail(data + bytes->size() - kFooterTailSize, bytes->size(), &footer).ok());
  EXPECT_TRUE(ParseFileMetaData(data + bytes->size() - kFooterTailSize - footer, footer, &metadata).ok());
  if (file_bytes != nullptr) *file_bytes = *bytes;
  return metadata;
}

TEST(ParquetWriterStatistics, ChunkStatisticsInTheFooter) {
  auto schema = std::make_shared<Schema>(std::vector<Field>{{"u", DataType::UInt32(), true},
                                                            {"s", DataType::String(), true},
                                                            {"f", DataType::Float64(), true},
                                                            {"l", DataType::List(DataType::Int32()), true},
                                                            {"d", DataType::Decimal(9, 2), true}});
  ColumnBuilder u(DataType::UInt32()), s(DataType::String()), f(DataType::Float64()),
      l(DataType::List(DataType::Int32())), d(DataType::Decimal(9, 2));
  for (int row = 0; row < 1000; ++row) {
    u.Append<uint32_t>(row == 500 ? 0x80000000u : static_cast<uint32_t>(row + 10));
    s.AppendString(row == 7 ? "\xc3\xa9" : "x" + std::to_string(row));
    if (row % 10 == 0) {
      f.AppendNull();
    } else {
      f.Append(row == 999 ? std::nan("") : row * 0.5);
    }
    l.child().Append<int32_t>(-row);
    l.child().AppendNull();
    l.AppendList();
    d.Append<__int128>(row - 300);
  }
  auto batch = RecordBatch::Make(schema, {u.Finish(), s.Finish(), f.Finish(), l.Finish(), d.Finish()});
  ASSERT_TRUE(batch.ok());
  ParquetWriteOptions options;
  options.row_group_rows = 600;
  const format::FileMetaData metadata = WriteAndReadFooter(Table(schema, {*batch}), options);
  ASSERT_EQ(metadata.row_groups.size(), 2u);
  const auto& first = metadata.row_groups[0].columns;
  EXPECT_EQ(first[0].meta_data.statistics.min_value, Bytes<uint32_t>(10));
  EXPECT_EQ(first[0].meta_data.statistics.max_value, Bytes<uint32_t>(0x80000000u));
  EXPECT_EQ(first[1].meta_data.statistics.min_value, "x0");
  EXPECT_EQ(first[1].meta_data.statistics.max_value, "\xc3\xa9");
  EXPECT_EQ(first[2].meta_data.statistics.min_value, Bytes(0.5));
  EXPECT_EQ(first[2].meta_data.statistics.max_value, Bytes(599 * 0.5));
  EXPECT_EQ(first[2].meta_data.statistics.null_count, 60);
  EXPECT_EQ(first[3].meta_data.statistics.min_value, Bytes<int32_t>(-599));
  EXPECT_EQ(first[3].meta_data.statistics.null_count, 600);
  EXPECT_EQ(first[4].meta_data.statistics.min_value, Bytes<int32_t>(-300));
  const auto& second = metadata.row_groups[1].columns;
  EXPECT_EQ(second[0].meta_data.statistics.max_value, Bytes<uint32_t>(1009));
  EXPECT_FALSE(second[2].meta_data.statistics.__isset.min_value);  // Row 999 is NaN.
  EXPECT_EQ(second[2].meta_data.statistics.null_count, 40);
  ASSERT_EQ(metadata.column_orders.size(), 5u);
  EXPECT_TRUE(metadata.column_orders[0].__isset.TYPE_ORDER);
}

TEST(ParquetWriterStatistics, KilnsReaderPrunesRowGroupsWithThem) {
  // Ascending uint32 keys crossing 2^31: signed statistics would put the
  // last row groups first.
  auto schema = std::make_shared<Schema>(std::vector<Field>{{"u", DataType::UInt32(), true},
                                                            {"s", DataType::String(), true}});
  ColumnBuilder u(DataType::UInt32()), s(DataType::String());
  for (uint32_t row = 0; row < 4000; ++row) {
    u.Append<uint32_t>(0x7FFFF000u + row * 2);
    s.AppendString(row < 3000 ? "a" + std::to_string(row) : "\xff" + std::to_string(row));
  }
  auto batch = RecordBatch::Make(schema, {u.Finish(), s.Finish()});
  ASSERT_TRUE(batch.ok());
  testing::TempDir dir;
  ParquetWriteOptions options;
  options.row_group_rows = 1000;
  ASSERT_TRUE(WriteParquet(dir.File("p.parquet"), Table(schema, {*batch}), options).ok());

  auto file = ParquetFileReader::Open(dir.File("p.parquet"));
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const ChunkStatistics last = (*file)->Statistics(3, 0);
  ASSERT_TRUE(last.min != nullptr && last.max != nullptr);
  EXPECT_TRUE(last.ordered && last.exact);
  EXPECT_EQ(last.max->Value<uint32_t>(0), 0x7FFFF000u + 3999 * 2);
  EXPECT_EQ(last.null_count, 0);

  for (const auto& [predicate, skipped] : std::vector<std::pair<std::string, int>>{
           {"u >= 2147483648", 2}, {"u < 2147483648", 1}, {"s >= '\xff'", 3}, {"s < 'a1'", 3}}) {
    ParquetReadOptions read;
    read.predicate = predicate;
    auto reader = ParquetReader::Open(dir.File("p.parquet"), read);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    auto rows = ReadAll(reader->get());
    ASSERT_TRUE(rows.ok());
    EXPECT_EQ((*reader)->row_groups_skipped(), skipped) << predicate;
  }
}

// Page headers of the first column chunk, in order.
std::vector<format::PageHeader> PageHeaders(const std::string& file, const format::ColumnMetaData& meta) {
  std::vector<format::PageHeader> headers;
  int64_t pos = meta.__isset.dictionary_page_offset ? meta.dictionary_page_offset : meta.data_page_offset;
  const int64_t end = pos + meta.total_compressed_size;
  while (pos < end) {
    format::PageHeader header;
    size_t size = 0;
    EXPECT_TRUE(ParsePageHeader(reinterpret_cast<const uint8_t*>(file.data()) + pos, end - pos, &header, &size).ok());
    headers.push_back(header);
    pos += size + header.compressed_page_size;
  }
  return headers;
}

TEST(ParquetWriterStatistics, PageHeadersCarryPageStatisticsWhenAskedTo) {
  auto schema = std::make_shared<Schema>(std::vector<Field>{{"x", DataType::Int64(), true}});
  ColumnBuilder x(DataType::Int64());
  for (int64_t row = 0; row < 3000; ++row) {
    if (row % 100 == 0) {
      x.AppendNull();
    } else {
      x.Append(row);
    }
  }
  auto batch = RecordBatch::Make(schema, {x.Finish()});
  ASSERT_TRUE(batch.ok());
  for (bool v2 : {false, true}) {
    for (bool page_statistics : {true, false}) {
      ParquetWriteOptions options;
      options.page_bytes = 4096;
      options.enable_dictionary = false;
      options.data_page_v2 = v2;
      options.page_statistics = page_statistics;
      std::string file;
      const format::FileMetaData metadata = WriteAndReadFooter(Table(schema, {*batch}), options, &file);
      const auto headers = PageHeaders(file, metadata.row_groups[0].columns[0].meta_data);
      ASSERT_GT(headers.size(), 2u);
      int64_t nulls = 0, previous_max = -1;
      for (const auto& header : headers) {
        const bool has = v2 ? header.data_page_header_v2.__isset.statistics : header.data_page_header.__isset.statistics;
        EXPECT_EQ(has, page_statistics);
        if (!has) continue;
        const format::Statistics& stats =
            v2 ? header.data_page_header_v2.statistics : header.data_page_header.statistics;
        int64_t min, max;
        std::memcpy(&min, stats.min_value.data(), 8);
        std::memcpy(&max, stats.max_value.data(), 8);
        EXPECT_GT(min, previous_max);  // Rows are ascending, so pages are too.
        previous_max = max;
        nulls += stats.null_count;
      }
      if (page_statistics) {
        EXPECT_EQ(nulls, 30);
      }
    }
  }
}

}  // namespace
}  // namespace kiln::parquet
