// Datasets: directories of Parquet files with Hive partitions, read as one
// table in path order; typed partition keys; schema checks; pruning files by
// a predicate on a partition key.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "canonical_json.h"
#include "kiln/parquet/dataset.h"
#include "parquet_file_builder.h"
#include "testing/temp_dir.h"

namespace kiln::parquet {
namespace {

namespace fs = std::filesystem;
using format::Encoding;
using format::FieldRepetitionType;
using format::Type;
using namespace kiln::parquet::testing;
using kiln::testing::TableToJsonLines;

// A file of required int64 "v" holding `values`; `type` lets a test break the schema.
std::string ValuesFile(const std::vector<int64_t>& values, Type::type type = Type::INT64) {
  ParquetFileBuilder builder({LeafElement("v", type, FieldRepetitionType::REQUIRED)});
  builder.StartRowGroup(static_cast<int64_t>(values.size()));
  builder.StartChunk(type, "v");
  if (type == Type::INT64) {
    builder.AddDataPageV1(static_cast<int32_t>(values.size()), Encoding::PLAIN, Plain<int64_t>(values));
  } else {
    builder.AddDataPageV1(static_cast<int32_t>(values.size()), Encoding::PLAIN,
                          Plain<double>(std::vector<double>(values.begin(), values.end())));
  }
  builder.EndChunk();
  return builder.Finish();
}

void Put(const std::string& path, const std::string& bytes) {
  fs::create_directories(fs::path(path).parent_path());
  kiln::testing::WriteFile(path, bytes);
}

std::vector<std::string> ReadLines(const std::string& path, const ParquetReadOptions& options = {}) {
  auto reader = OpenParquet(path, options);
  if (!reader.ok()) return {reader.status().ToString()};
  Result<Table> table = ReadAll(reader->get());
  if (!table.ok()) return {table.status().ToString()};
  return TableToJsonLines(*table);
}

TEST(ReaderDatasetTest, HivePartitionsBecomeTypedColumns) {
  kiln::testing::TempDir dir;
  Put(dir.File("year=2021/city=Paris/part-0.parquet"), ValuesFile({1, 2}));
  Put(dir.File("year=2020/city=Rome/a.parquet"), ValuesFile({3}));
  Put(dir.File("year=2020/city=New%20York/b.parquet"), ValuesFile({4}));
  Put(dir.File("year=__HIVE_DEFAULT_PARTITION__/city=Oslo/c.parquet"), ValuesFile({5}));
  Put(dir.File("year=2020/city=Rome/_SUCCESS"), "");
  Put(dir.File(".hidden/year=1/city=x/d.parquet"), ValuesFile({6}));
  auto reader = OpenParquet(dir.path(), {});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->schema()->ToString(), "v: int64 not null, year: int64, city: string not null");
  EXPECT_EQ(ReadLines(dir.path()),
            (std::vector<std::string>{
                "{\"v\":4,\"year\":2020,\"city\":\"New York\"}", "{\"v\":3,\"year\":2020,\"city\":\"Rome\"}",
                "{\"v\":1,\"year\":2021,\"city\":\"Paris\"}", "{\"v\":2,\"year\":2021,\"city\":\"Paris\"}",
                "{\"v\":5,\"year\":null,\"city\":\"Oslo\"}"}));
}

TEST(ReaderDatasetTest, ColumnsAndPredicatesOnFileAndPartitionColumns) {
  kiln::testing::TempDir dir;
  Put(dir.File("k=a/0.parquet"), ValuesFile({1, 2, 3}));
  Put(dir.File("k=b/0.parquet"), ValuesFile({4, 5}));
  ParquetReadOptions options;
  options.columns = {"k"};
  EXPECT_EQ(ReadLines(dir.path(), options), (std::vector<std::string>{"{\"k\":\"a\"}", "{\"k\":\"a\"}", "{\"k\":\"a\"}",
                                                                      "{\"k\":\"b\"}", "{\"k\":\"b\"}"}));
  options.columns = {"k", "v"};
  options.predicate = "k = b";
  auto dataset = ParquetDatasetReader::Open(dir.path(), options);
  ASSERT_TRUE(dataset.ok()) << dataset.status().ToString();
  EXPECT_EQ((*dataset)->files().size(), 1u);
  EXPECT_EQ(ReadLines(dir.path(), options),
            (std::vector<std::string>{"{\"k\":\"b\",\"v\":4}", "{\"k\":\"b\",\"v\":5}"}));
  options.predicate = "v >= 3";
  EXPECT_EQ(ReadLines(dir.path(), options),
            (std::vector<std::string>{"{\"k\":\"a\",\"v\":3}", "{\"k\":\"b\",\"v\":4}", "{\"k\":\"b\",\"v\":5}"}));
}

TEST(ReaderDatasetTest, SchemasMustAgree) {
  kiln::testing::TempDir dir;
  Put(dir.File("a.parquet"), ValuesFile({1}));
  Put(dir.File("b.parquet"), ValuesFile({2}));
  Put(dir.File("c.parquet"), ValuesFile({3}, Type::DOUBLE));
  Put(dir.File("d.parquet"), ValuesFile({4}, Type::DOUBLE));
  auto reader = OpenParquet(dir.path(), {});
  ASSERT_FALSE(reader.ok());
  EXPECT_NE(reader.status().message().find("c.parquet"), std::string::npos) << reader.status().ToString();
  EXPECT_EQ(reader.status().message().find("d.parquet"), std::string::npos) << reader.status().ToString();
  EXPECT_NE(reader.status().message().find("float64"), std::string::npos);

  kiln::testing::TempDir keys;
  Put(keys.File("x=1/a.parquet"), ValuesFile({1}));
  Put(keys.File("y=1/b.parquet"), ValuesFile({1}));
  EXPECT_NE(OpenParquet(keys.path(), {}).status().message().find("partition keys"), std::string::npos);

  kiln::testing::TempDir empty;
  EXPECT_EQ(OpenParquet(empty.path(), {}).status().code(), Status::Code::kNotFound);
}

TEST(ReaderDatasetTest, UnsupportedColumnsFailAtOpenUnlessLeftOut) {
  ParquetFileBuilder builder({GroupElement("s", 1, FieldRepetitionType::OPTIONAL),
                              LeafElement("x", Type::INT32, FieldRepetitionType::OPTIONAL),
                              LeafElement("v", Type::INT64, FieldRepetitionType::REQUIRED)});
  builder.SetRootChildren(2);
  builder.StartRowGroup(1);
  builder.StartChunk(Type::INT32, "s.x");
  builder.AddDataPageV1(1, Encoding::PLAIN, LevelsV1({2}, 2) + Plain<int32_t>({1}));
  builder.EndChunk();
  builder.StartChunk(Type::INT64, "v");
  builder.AddDataPageV1(1, Encoding::PLAIN, Plain<int64_t>({7}));
  builder.EndChunk();
  kiln::testing::TempDir dir;
  Put(dir.File("p=1/a.parquet"), builder.Finish());
  auto all = OpenParquet(dir.path(), {});
  ASSERT_EQ(all.status().code(), Status::Code::kNotSupported);
  EXPECT_NE(all.status().message().find("column 's'"), std::string::npos) << all.status().ToString();
  ParquetReadOptions options;
  options.columns = {"v", "p"};
  EXPECT_EQ(ReadLines(dir.path(), options), std::vector<std::string>{"{\"v\":7,\"p\":1}"});
}

TEST(ReaderDatasetTest, FilesListInPathOrder) {
  kiln::testing::TempDir dir;
  for (const char* name : {"b/2.parquet", "a.parquet", "b/10.parquet", "c.txt"}) Put(dir.File(name), ValuesFile({1}));
  Result<std::vector<std::string>> files = ListParquetFiles(dir.path());
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(*files,
            (std::vector<std::string>{dir.File("a.parquet"), dir.File("b/10.parquet"), dir.File("b/2.parquet")}));
}

}  // namespace
}  // namespace kiln::parquet
