// The DLRM binary format: its writer and reader through the format hub, and
// `kiln prep --recipe dlrm --format dlrm`, whose output must read back equal
// to the Parquet output; and `kiln loader-bench` as users run it.
#include "kiln/io/dlrm_binary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "dataset_fixture.h"
#include "kiln/core/column_builder.h"
#include "kiln/data/loader.h"
#include "kiln/data/remote_store.h"
#include "kiln/io/formats.h"
#include "testing/run_command.h"
#include "testing/temp_dir.h"

namespace kiln {
namespace {

std::string Kiln(const std::string& arguments, int* exit_code) {
  return testing::RunCommand(std::string(KILN_BINARY_DIR) + "/kiln " + arguments + " 2>&1", exit_code);
}

Table ReadTable(const std::string& path, FileFormat format) {
  auto reader = OpenBatchReader(path, format, {});
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return Table(std::make_shared<const Schema>());
  auto table = ReadAll(reader->get());
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  return table.ok() ? std::move(*table) : Table(std::make_shared<const Schema>());
}

// Every value of every row, as float bits or int64, in row order.
std::vector<std::vector<int64_t>> Rows(const Table& table) {
  std::vector<std::vector<int64_t>> rows;
  for (const RecordBatchPtr& batch : table.batches()) {
    for (int64_t r = 0; r < batch->num_rows(); ++r) {
      std::vector<int64_t> row;
      for (int c = 0; c < batch->num_columns(); ++c) {
        const Column& column = batch->column(c);
        if (column.type().id() == TypeId::kFloat32) {
          float value = column.Value<float>(r);
          int32_t bits;
          std::memcpy(&bits, &value, sizeof(bits));
          row.push_back(bits);
        } else {
          row.push_back(column.Value<int32_t>(r));
        }
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

TEST(DlrmBinaryTest, RoundTripsThroughTheFormatHub) {
  testing::TempDir dir;
  testing::WriteIdDlrmFile(dir.File("a.dlrm"), 70000);  // More than one reader batch.
  EXPECT_EQ(std::filesystem::file_size(dir.File("a.dlrm")), 70000u * 160);
  auto format = FileFormatFromPath(dir.File("a.dlrm"));
  ASSERT_TRUE(format.ok());
  EXPECT_EQ(*format, FileFormat::kDlrm);
  Table table = ReadTable(dir.File("a.dlrm"), FileFormat::kDlrm);
  ASSERT_EQ(table.num_rows(), 70000);
  auto rows = Rows(table);
  float i2;
  std::memcpy(&i2, &rows[69999][2], sizeof(i2));
  EXPECT_EQ(i2, 0.5f);
  EXPECT_EQ(rows[69999][0], 69999 % 2);
  EXPECT_EQ(rows[69999][14], 69999);
  // And back out through the writer: the same bytes.
  auto writer = OpenBatchWriter(dir.File("b.dlrm"), FileFormat::kDlrm, table.schema(), {});
  ASSERT_TRUE(writer.ok());
  for (const auto& batch : table.batches()) ASSERT_TRUE((*writer)->Write(*batch).ok());
  ASSERT_TRUE((*writer)->Close().ok());
  EXPECT_EQ(testing::ReadFile(dir.File("a.dlrm")), testing::ReadFile(dir.File("b.dlrm")));
}

TEST(DlrmBinaryTest, WriterRejectsWhatTheFormatCannotHold) {
  testing::TempDir dir;
  auto narrow = std::make_shared<const Schema>(std::vector<Field>{{"label", DataType::Int32(), false}});
  auto writer = DlrmBinaryWriter::Open(dir.File("x.dlrm"), narrow);
  ASSERT_FALSE(writer.ok());
  EXPECT_NE(writer.status().message().find("needs 40 columns"), std::string::npos);

  std::vector<Field> fields = DlrmBinarySchema()->fields();
  fields[3].type = DataType::String();
  writer = DlrmBinaryWriter::Open(dir.File("x.dlrm"), std::make_shared<const Schema>(fields));
  ASSERT_FALSE(writer.ok());
  EXPECT_NE(writer.status().message().find("column 'I3' is string"), std::string::npos) << writer.status().ToString();

  fields = DlrmBinarySchema()->fields();
  fields[20].type = DataType::Int64();
  auto wide = std::make_shared<const Schema>(fields);
  std::vector<std::shared_ptr<Column>> columns;
  for (const Field& field : fields) {
    ColumnBuilder builder(field.type);
    if (field.type.id() == TypeId::kFloat32) builder.Append(1.0f);
    if (field.type.id() == TypeId::kInt32) builder.Append(int32_t{1});
    if (field.type.id() == TypeId::kInt64) builder.Append(int64_t{1} << 40);
    columns.push_back(builder.Finish());
  }
  writer = DlrmBinaryWriter::Open(dir.File("x.dlrm"), wide);
  ASSERT_TRUE(writer.ok());
  Status status = (*writer)->Write(RecordBatch(wide, columns, 1));
  EXPECT_NE(status.message().find("row 1, column 'C7': 1099511627776 does not fit in int32"), std::string::npos)
      << status.ToString();
  EXPECT_FALSE(std::filesystem::exists(dir.File("x.dlrm")));
}

class DlrmPrepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int exit_code;
    std::string output = Kiln("gen criteo --rows 30000 --seed 3 --out " + dir_.File("in.tsv"), &exit_code);
    ASSERT_EQ(exit_code, 0) << output;
    output = Kiln("prep --recipe dlrm --in " + dir_.File("in.tsv") + " --out " + dir_.File("pq") +
                      " --min-freq 2 --rows-per-part 12000",
                  &exit_code);
    ASSERT_EQ(exit_code, 0) << output;
    output = Kiln("prep --recipe dlrm --in " + dir_.File("in.tsv") + " --out " + dir_.File("bin") +
                      " --min-freq 2 --rows-per-part 12000 --format dlrm",
                  &exit_code);
    ASSERT_EQ(exit_code, 0) << output;
  }

  testing::TempDir dir_;
};

TEST_F(DlrmPrepTest, DlrmOutputReadsBackEqualToParquet) {
  auto parts = data::ListLocalDataFiles(dir_.File("bin"));
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ(parts->back(), dir_.File("bin") + "/part-00002.dlrm");
  std::vector<std::vector<int64_t>> binary;
  for (const std::string& part : *parts) {
    auto rows = Rows(ReadTable(part, FileFormat::kDlrm));
    binary.insert(binary.end(), rows.begin(), rows.end());
  }
  auto parquet = Rows(ReadTable(dir_.File("pq"), FileFormat::kParquet));
  ASSERT_EQ(parquet.size(), 30000u);
  EXPECT_TRUE(binary == parquet);

  // The loader sees the same batches from both, shuffled and sharded alike
  // (read units of the Parquet row-group size).
  data::LoaderOptions options;
  options.batch_size = 256;
  options.seed = 9;
  options.unit_rows = 3000;
  options.shuffle_buffer_rows = 5000;
  options.rank = 1;
  options.world = 2;
  options.paths = {dir_.File("pq")};
  auto from_parquet = testing::DrainLoader(testing::OpenLoader(options).get());
  options.paths = {dir_.File("bin")};
  auto from_binary = testing::DrainLoader(testing::OpenLoader(options).get());
  ASSERT_EQ(from_parquet.size(), 58u);  // 30000 / (2 * 256)
  EXPECT_EQ(from_parquet, from_binary);
}

TEST_F(DlrmPrepTest, ConvertWritesDlrm) {
  int exit_code;
  std::string output = Kiln("convert " + dir_.File("pq/part-00001.parquet") + " " + dir_.File("one.dlrm"), &exit_code);
  ASSERT_EQ(exit_code, 0) << output;
  EXPECT_EQ(testing::ReadFile(dir_.File("one.dlrm")), testing::ReadFile(dir_.File("bin/part-00001.dlrm")));
}

TEST_F(DlrmPrepTest, LoaderBenchReportsSamplesPerSecond) {
  int exit_code;
  std::string output = Kiln("loader-bench " + dir_.File("pq") +
                                " --batch-size 1000 --epochs 2 --shuffle-buffer 4000 "
                                "--rank 1 --world 3",
                            &exit_code);
  ASSERT_EQ(exit_code, 0) << output;
  EXPECT_NE(output.find("rank 1 of 3: 10 batches of 1000 per epoch"), std::string::npos) << output;
  EXPECT_NE(output.find("rows: 20000,"), std::string::npos) << output;
  EXPECT_NE(output.find(" MB/s"), std::string::npos) << output;
  EXPECT_NE(output.find("blocked in next(): "), std::string::npos) << output;
  size_t last = output.rfind("samples/s: ");
  ASSERT_NE(last, std::string::npos) << output;
  EXPECT_GT(std::stod(output.substr(last + 11)), 0);
  EXPECT_EQ(output.find('\n', last), output.size() - 1);  // The last line.

  output = Kiln("loader-bench " + dir_.File("pq") + " --dense I1,nope", &exit_code);
  EXPECT_EQ(exit_code, 1);
  EXPECT_NE(output.find("part-00000.parquet: no column 'nope'"), std::string::npos) << output;
}

TEST_F(DlrmPrepTest, RanksComeFromMpirun) {
  int exit_code;
  testing::RunCommand("command -v mpirun >/dev/null", &exit_code);
  if (exit_code != 0) GTEST_SKIP() << "mpirun is not installed";
  // OpenMPI's own start-up allocations are never freed; LeakSanitizer (in the
  // sanitizer build) would fail the ranks for them, so it is off here only.
  std::string output = testing::RunCommand(
      "ASAN_OPTIONS=detect_leaks=0 timeout 300 mpirun -x ASAN_OPTIONS -np 2 "
      "--oversubscribe --allow-run-as-root " +
          std::string(KILN_BINARY_DIR) + "/kiln loader-bench " + dir_.File("pq") +
          " --batch-size 1000 --decode-threads 1 2>&1",
      &exit_code);
  ASSERT_EQ(exit_code, 0) << output;
  EXPECT_NE(output.find("rank 0 of 2: 15 batches of 1000 per epoch"), std::string::npos) << output;
  EXPECT_NE(output.find("rank 1 of 2: 15 batches of 1000 per epoch"), std::string::npos) << output;
}

}  // namespace
}  // namespace kiln
