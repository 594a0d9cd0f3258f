// Parquet files written by Kiln must read back identically in DuckDB and
// Polars. Each test builds seeded random tables covering every Kiln type and
// null pattern, writes them with ParquetWriter under several option sets, writes
// the expected rows with Kiln's JSON Lines writer, and runs
// tools/interop/compare_readers.mjs, which reads the file with both readers
// and compares every row in canonical form.
//
// Needs node and tools/interop/node_modules (`make interop`); skipped otherwise.


#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kiln/core/column_builder.h"
#include "kiln/core/table.h"
#include "kiln/io/json_writer.h"
#include "kiln/parquet/file_reader.h"
#include "kiln/parquet/file_writer.h"
#include "testing/run_command.h"
#include "testing/temp_dir.h"
#include "testing/shared_data.h"

namespace kiln::parquet {
namespace {

namespace fs = std::filesystem;
using format::CompressionCodec;

const std::string kInteropDir = KILN_SOURCE_DIR "/tools/interop";

// ---------------------------------------------------------------------------
// Random values.

class RandomValues {
 public:
  explicit RandomValues(uint64_t seed) : rng_(seed) {}

  uint64_t Bits() { return rng_(); }
  int64_t Uniform(int64_t low, int64_t high) { return std::uniform_int_distribution<int64_t>(low, high)(rng_); }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  // Mostly a few repeated values (dictionary-friendly), sometimes anything.
  template <typename T>
  T Integer(bool low_cardinality) {
    if (low_cardinality) return static_cast<T>(Uniform(-3, 12));
    switch (Uniform(0, 5)) {
      case 0: return std::numeric_limits<T>::min();
      case 1: return std::numeric_limits<T>::max();
      case 2: return static_cast<T>(0);
      default: return static_cast<T>(Bits());
    }
  }

  template <typename T>
  T Float() {
    static const double kSpecial[] = {0.0, -0.0, 1.0, -1.5, 0.1, 1e300, -1e-300, 5e-324,
                                      std::numeric_limits<double>::infinity(),
                                      -std::numeric_limits<double>::infinity(),
                                      std::numeric_limits<double>::quiet_NaN()};
    switch (Uniform(0, 3)) {
      case 0: return static_cast<T>(kSpecial[Uniform(0, std::size(kSpecial) - 1)]);
      case 1: {  // Any bit pattern: denormals, NaN payloads, extremes.
        T value;
        uint64_t bits = Bits();
        std::memcpy(&value, &bits, sizeof(T));
        return value;
      }
      default: return static_cast<T>(std::uniform_real_distribution<double>(-1e6, 1e6)(rng_));
    }
  }

  // Valid UTF-8 with 1- to 4-byte characters, quotes, escapes and controls.
  std::string Text(int64_t max_chars) {
    static const char* kPieces[] = {"a", "Z", "0", " ", "\"", "\\", "\n", "\t", "\x01", "\x7f", "é", "ß",
                                    "€", "中", "𝄞", "😀", "\xc2\x80"};
    std::string text;
    const int64_t chars = Uniform(0, max_chars);
    for (int64_t i = 0; i < chars; ++i) text += kPieces[Uniform(0, std::size(kPieces) - 1)];
    return text;
  }

  std::string Bytes(int64_t max_bytes) {
    std::string bytes(Uniform(0, max_bytes), '\0');
    for (char& byte : bytes) byte = static_cast<char>(Bits());
    return bytes;
  }

  __int128 Decimal(int precision) {
    __int128 limit = 1;
    for (int i = 0; i < precision; ++i) limit *= 10;
    if (Chance(0.1)) return Chance(0.5) ? limit - 1 : -(limit - 1);
    __int128 wide = (static_cast<__int128>(Bits()) << 64) | Bits();
    if (wide < 0) wide = -(wide + 1);
    return Chance(0.5) ? wide % limit : -(wide % limit);
  }

 private:
  std::mt19937_64 rng_;  // Seeded per table.
};

// Appends one random non-null value of `type`.
void AppendRandom(const DataType& type, RandomValues* random, bool low_cardinality, ColumnBuilder* builder) {
  switch (type.id()) {
    case TypeId::kBool: builder->Append<uint8_t>(random->Bits() & 1); return;
    case TypeId::kInt32: builder->Append(random->Integer<int32_t>(low_cardinality)); return;
    case TypeId::kInt64: builder->Append(random->Integer<int64_t>(low_cardinality)); return;
    case TypeId::kUInt32: builder->Append(random->Integer<uint32_t>(low_cardinality)); return;
    case TypeId::kUInt64: builder->Append(random->Integer<uint64_t>(low_cardinality)); return;
    case TypeId::kFloat32: builder->Append(random->Float<float>()); return;
    case TypeId::kFloat64: builder->Append(random->Float<double>()); return;
    case TypeId::kString:
      builder->AppendString(low_cardinality ? std::string(random->Uniform(0, 3), 'x') : random->Text(12));
      return;
    case TypeId::kBinary: builder->AppendString(random->Bytes(low_cardinality ? 1 : 16)); return;
    // Years 1..9999, the range every reader prints the same way.
    case TypeId::kDate32: builder->Append(static_cast<int32_t>(random->Uniform(-719162, 2932896))); return;
    case TypeId::kTimestamp:
      builder->Append(random->Uniform(-62135596800000000, 253402300799999999));
      return;
    case TypeId::kDecimal: builder->Append(random->Decimal(type.precision())); return;
    case TypeId::kList: {
      const int64_t length = random->Uniform(0, 4);
      for (int64_t i = 0; i < length; ++i) {
        if (random->Chance(0.2)) {
          builder->child().AppendNull();
        } else {
          AppendRandom(type.value_type(), random, low_cardinality, &builder->child());
        }
      }
      builder->AppendList();
      return;
    }
  }
}

// How often a column is null: never (no validity bitmap), sometimes, mostly, always.
constexpr double kNullRates[] = {0.0, 0.1, 0.7, 1.0};

struct ColumnPlan {
  double null_rate;      // Chance of a null row.
  bool low_cardinality;  // Few distinct values.
};

std::shared_ptr<Column> RandomColumn(const Field& field, int64_t rows, const ColumnPlan& plan,
                                     RandomValues* random) {
  ColumnBuilder builder(field.type);
  for (int64_t row = 0; row < rows; ++row) {
    if (field.nullable && random->Chance(plan.null_rate)) {
      builder.AppendNull();
    } else {
      AppendRandom(field.type, random, plan.low_cardinality, &builder);
    }
  }
  return builder.Finish();
}

SchemaPtr EveryTypeSchema() {
  std::vector<Field> fields;
  const std::vector<std::pair<std::string, DataType>> types = {
      {"b", DataType::Bool()},          {"i32", DataType::Int32()},
      {"i64", DataType::Int64()},       {"u32", DataType::UInt32()},
      {"u64", DataType::UInt64()},      {"f32", DataType::Float32()},
      {"f64", DataType::Float64()},     {"s", DataType::String()},
      {"bin", DataType::Binary()},      {"d", DataType::Date32()},
      {"ts", DataType::Timestamp()},    {"dec9", DataType::Decimal(9, 2)},
      {"dec18", DataType::Decimal(18, 4)}, {"dec38", DataType::Decimal(38, 10)},
      {"dec20", DataType::Decimal(20, 0)}};
  for (const auto& [name, type] : types) {
    fields.push_back({name, type, true});
    fields.push_back({"list_" + name, DataType::List(type), true});
  }
  fields.push_back({"req_i64", DataType::Int64(), false});
  fields.push_back({"req_s", DataType::String(), false});
  fields.push_back({"req_list_f32", DataType::List(DataType::Float32()), false});
  return std::make_shared<Schema>(std::move(fields));
}

// A table of `rows` rows in batches of random sizes; some batches are slices
// of larger columns, so pieces start at a non-zero offset.
Table RandomTable(const SchemaPtr& schema, int64_t rows, uint64_t seed) {
  RandomValues random(seed);
  std::vector<ColumnPlan> plans;
  for (int c = 0; c < schema->num_fields(); ++c) {
    plans.push_back({kNullRates[random.Uniform(0, 3)], random.Chance(0.5)});
  }
  Table table(schema);
  for (int64_t done = 0; done < rows;) {
    const int64_t batch_rows = std::min(rows - done, random.Uniform(1, 700));
    const int64_t lead = random.Chance(0.3) ? random.Uniform(1, 5) : 0;
    std::vector<std::shared_ptr<Column>> columns;
    for (int c = 0; c < schema->num_fields(); ++c) {
      auto column = RandomColumn(schema->field(c), lead + batch_rows, plans[c], &random);
      columns.push_back(lead > 0 ? column->Slice(lead, batch_rows) : column);
    }
    auto batch = RecordBatch::Make(schema, std::move(columns));
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    table.AddBatch(*batch);
    done += batch_rows;
  }
  return table;
}

// ---------------------------------------------------------------------------
// Running the comparison.

bool InteropAvailable() {
  return fs::is_directory(kInteropDir + "/node_modules") && std::system("node --version > /dev/null 2>&1") == 0;
}

Status WriteExpected(const std::string& path, const Table& table) {
  auto writer = JsonLinesWriter::Open(path, table.schema());
  if (!writer.ok()) return writer.status();
  for (const auto& batch : table.batches()) {
    Status status = (*writer)->Write(*batch);
    if (!status.ok()) return status;
  }
  return (*writer)->Close();
}

// Runs compare_readers.mjs; returns its exit code and puts its output in *output.
int CompareReaders(const std::string& parquet, const std::string& expected, std::string* output) {
  int exit_code = -1;
  *output = testing::RunCommand(
      "node '" + kInteropDir + "/compare_readers.mjs' '" + parquet + "' '" + expected + "' 2>&1", &exit_code);
  return exit_code;
}

struct NamedOptions {
  std::string name;
  ParquetWriteOptions options;
};

std::vector<NamedOptions> OptionSets() {
  std::vector<NamedOptions> sets;
  sets.push_back({"default_zstd_dictionary_v1", {}});
  ParquetWriteOptions small;
  small.codec = CompressionCodec::SNAPPY;
  small.data_page_v2 = true;
  small.page_bytes = 300;
  small.row_group_rows = 777;
  sets.push_back({"snappy_v2_small_pages_and_row_groups", small});
  ParquetWriteOptions plain;
  plain.codec = CompressionCodec::UNCOMPRESSED;
  plain.enable_dictionary = false;
  plain.page_bytes = 2000;
  sets.push_back({"uncompressed_plain", plain});
  ParquetWriteOptions fallback;
  fallback.codec = CompressionCodec::GZIP;
  fallback.dictionary_limit_bytes = 200;
  fallback.page_bytes = 1000;
  sets.push_back({"gzip_dictionary_fallback", fallback});
  ParquetWriteOptions lz4;
  lz4.codec = CompressionCodec::LZ4_RAW;
  lz4.data_page_v2 = true;
  lz4.dictionary_limit_bytes = 1000;
  lz4.page_statistics = false;
  sets.push_back({"lz4_raw_v2_fallback", lz4});
  ParquetWriteOptions brotli;
  brotli.codec = CompressionCodec::BROTLI;
  brotli.compression_level = 2;
  brotli.row_group_rows = 1000;
  sets.push_back({"brotli_level2", brotli});
  ParquetWriteOptions zstd;
  zstd.compression_level = 9;
  zstd.data_page_v2 = true;
  zstd.enable_dictionary = false;
  sets.push_back({"zstd9_v2_plain", zstd});
  return sets;
}

// Writes `table` with every option set and checks both readers each time.
void CheckEveryOptionSet(const Table& table, const std::string& label) {
  testing::TempDir dir;
  const std::string expected = dir.File(label + ".jsonl");
  ASSERT_TRUE(WriteExpected(expected, table).ok());
  for (const NamedOptions& set : OptionSets()) {
    SCOPED_TRACE(label + " / " + set.name);
    const std::string file = dir.File(label + "_" + set.name + ".parquet");
    Status status = WriteParquet(file, table, set.options);
    ASSERT_TRUE(status.ok()) << status.ToString();
    std::string output;
    EXPECT_EQ(CompareReaders(file, expected, &output), 0) << output;
  }
}

class ParquetInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!InteropAvailable()) GTEST_SKIP() << "node or " << kInteropDir << "/node_modules missing (run make interop)";
  }
};

TEST_F(ParquetInteropTest, EveryTypeAndNullPatternRandomSeeds) {
  const SchemaPtr schema = EveryTypeSchema();
  for (uint64_t seed : {1, 2, 3}) {
    CheckEveryOptionSet(RandomTable(schema, 2500, seed), "seed" + std::to_string(seed));
  }
}

// The shared fixtures (written by DuckDB and Polars) read with Kiln and
// written again by Kiln must still read, in DuckDB and Polars, as DuckDB read
// the originals: NAME.expected.jsonl.
TEST_F(ParquetInteropTest, FixturesRewrittenByKilnReadAsTheOriginals) {
  const std::string directory = kiln::testing::SharedPath("fixtures/parquet");
  if (directory.empty()) GTEST_SKIP() << "../shared/fixtures/parquet not found";
  const fs::path fixtures(directory);
  testing::TempDir dir;
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(fixtures)) {
    if (entry.path().extension() != ".parquet") continue;
    const std::string name = entry.path().stem().string();
    const std::string expected = (fixtures / (name + ".expected.jsonl")).string();
    auto table = ReadParquet(entry.path().string());
    ASSERT_TRUE(table.ok()) << name << ": " << table.status().ToString();
    // The default options and the small-page, v2, snappy set: the random
    // tables above already cover every option set.
    const std::vector<NamedOptions> sets = OptionSets();
    for (const NamedOptions& set : {sets[0], sets[1]}) {
      SCOPED_TRACE(name + " / " + set.name);
      const std::string file = dir.File(name + "_" + set.name + ".parquet");
      Status status = WriteParquet(file, *table, set.options);
      ASSERT_TRUE(status.ok()) << status.ToString();
      std::string output;
      EXPECT_EQ(CompareReaders(file, expected, &output), 0) << output;
    }
    ++checked;
  }
  EXPECT_GE(checked, 9);
}

TEST_F(ParquetInteropTest, EmptyTable) {
  CheckEveryOptionSet(Table(EveryTypeSchema()), "empty");
}

TEST_F(ParquetInteropTest, LongStringsAndAllNullColumns) {
  auto schema = std::make_shared<Schema>(std::vector<Field>{{"long", DataType::String(), true},
                                                            {"blob", DataType::Binary(), true},
                                                            {"nothing", DataType::Float64(), true},
                                                            {"no_lists", DataType::List(DataType::Int32()), true}});
  RandomValues random(7);
  ColumnBuilder text(DataType::String()), blob(DataType::Binary()), nothing(DataType::Float64()),
      lists(DataType::List(DataType::Int32()));
  for (int row = 0; row < 12; ++row) {
    text.AppendString(std::string(70'000 + row * 1000, static_cast<char>('a' + row)) + random.Text(3));
    blob.AppendString(random.Bytes(100'000));
    nothing.AppendNull();
    lists.AppendNull();
  }
  auto batch = RecordBatch::Make(schema, {text.Finish(), blob.Finish(), nothing.Finish(), lists.Finish()});
  ASSERT_TRUE(batch.ok());
  CheckEveryOptionSet(Table(schema, {*batch}), "long");
}

TEST_F(ParquetInteropTest, DictionaryFallbackMidChunk) {
  // Low-cardinality rows first, then unique values: the chunk starts with
  // dictionary pages and falls back to PLAIN halfway.
  auto schema = std::make_shared<Schema>(std::vector<Field>{{"k", DataType::Int64(), true},
                                                            {"s", DataType::String(), true}});
  ColumnBuilder keys(DataType::Int64()), strings(DataType::String());
  for (int64_t row = 0; row < 20'000; ++row) {
    const int64_t value = row < 10'000 ? row % 7 : row * 1'000'003;
    keys.Append(value);
    strings.AppendString("value " + std::to_string(value));
  }
  auto batch = RecordBatch::Make(schema, {keys.Finish(), strings.Finish()});
  ASSERT_TRUE(batch.ok());
  ParquetWriteOptions options;
  options.dictionary_limit_bytes = 4096;
  options.page_bytes = 8192;
  testing::TempDir dir;
  Table table(schema, {*batch});
  ASSERT_TRUE(WriteExpected(dir.File("e.jsonl"), table).ok());
  ASSERT_TRUE(WriteParquet(dir.File("f.parquet"), table, options).ok());
  std::string output;
  EXPECT_EQ(CompareReaders(dir.File("f.parquet"), dir.File("e.jsonl"), &output), 0) << output;
}

TEST_F(ParquetInteropTest, ComparisonReportsTheFirstDifference) {
  // The check itself must fail when the file and the expected rows differ.
  auto schema = std::make_shared<Schema>(std::vector<Field>{{"x", DataType::UInt64(), true}});
  ColumnBuilder written(DataType::UInt64()), expected(DataType::UInt64());
  for (uint64_t row = 0; row < 10; ++row) {
    written.Append(~row);
    expected.Append(row == 3 ? row : ~row);
  }
  auto written_batch = RecordBatch::Make(schema, {written.Finish()});
  auto expected_batch = RecordBatch::Make(schema, {expected.Finish()});
  ASSERT_TRUE(written_batch.ok() && expected_batch.ok());
  testing::TempDir dir;
  ASSERT_TRUE(WriteParquet(dir.File("f.parquet"), Table(schema, {*written_batch})).ok());
  ASSERT_TRUE(WriteExpected(dir.File("e.jsonl"), Table(schema, {*expected_batch})).ok());
  std::string output;
  EXPECT_EQ(CompareReaders(dir.File("f.parquet"), dir.File("e.jsonl"), &output), 1) << output;
  EXPECT_NE(output.find("duckdb: row 3, column x"), std::string::npos) << output;
  EXPECT_NE(output.find("polars: row 3, column x"), std::string::npos) << output;
}

}  // namespace
}  // namespace kiln::parquet
