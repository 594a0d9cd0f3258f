#include "dataset_fixture.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "kiln/core/column_builder.h"
#include "kiln/io/dlrm_binary.h"
#include "kiln/parquet/file_writer.h"

namespace kiln::testing {

namespace {

SchemaPtr IdSchema() {
  return std::make_shared<const Schema>(std::vector<Field>{{"label", DataType::Int32(), false},
                                                           {"x", DataType::Float32(), false},
                                                           {"c", DataType::Int64(), false},
                                                           {"tags", DataType::List(DataType::Int64()), true},
                                                           {"name", DataType::String(), true}});
}

RecordBatchPtr IdRows(int64_t first, int64_t count) {
  SchemaPtr schema = IdSchema();
  ColumnBuilder label(DataType::Int32()), x(DataType::Float32()), c(DataType::Int64()),
      tags(DataType::List(DataType::Int64())), name(DataType::String());
  for (int64_t i = first; i < first + count; ++i) {
    label.Append(static_cast<int32_t>(i % 2));
    x.Append(static_cast<float>(i));
    c.Append(static_cast<int64_t>(10 * i));
    for (int64_t t = 0; t < i % 3; ++t) tags.child().Append(static_cast<int64_t>(i + t));
    tags.AppendList();
    name.AppendString("row" + std::to_string(i));
  }
  return std::make_shared<const RecordBatch>(
      schema,
      std::vector<std::shared_ptr<Column>>{label.Finish(), x.Finish(), c.Finish(), tags.Finish(), name.Finish()},
      count);
}

}  // namespace

void WriteIdDataset(const std::string& directory, const FixtureOptions& options) {
  std::filesystem::create_directories(directory);
  parquet::ParquetWriteOptions write;
  write.row_group_rows = options.row_group_rows;
  write.codec = parquet::format::CompressionCodec::SNAPPY;
  int64_t first = 0;
  for (int f = 0; f < options.files; ++f) {
    int64_t rows = options.rows / options.files + (f < options.rows % options.files ? 1 : 0);
    char name[32];
    std::snprintf(name, sizeof(name), "/part-%05d.parquet", f);
    auto writer = parquet::ParquetWriter::Open(directory + name, IdSchema(), write);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    ASSERT_TRUE((*writer)->Write(*IdRows(first, rows)).ok());
    ASSERT_TRUE((*writer)->Close().ok());
    first += rows;
  }
}

void WriteIdDlrmFile(const std::string& path, int64_t rows) {
  std::vector<Field> fields = DlrmBinarySchema()->fields();
  std::vector<std::unique_ptr<ColumnBuilder>> builders;
  for (const Field& field : fields) builders.push_back(std::make_unique<ColumnBuilder>(field.type));
  for (int64_t i = 0; i < rows; ++i) {
    builders[0]->Append(static_cast<int32_t>(i % 2));
    builders[1]->Append(static_cast<float>(i));
    for (int d = 2; d <= kDlrmDenseFeatures; ++d) builders[d]->Append(0.5f);
    builders[1 + kDlrmDenseFeatures]->Append(static_cast<int32_t>(i));
    for (int s = 2; s <= kDlrmSparseFeatures; ++s) {
      builders[kDlrmDenseFeatures + s]->Append(static_cast<int32_t>(26 - s));
    }
  }
  std::vector<std::shared_ptr<Column>> columns;
  for (auto& builder : builders) columns.push_back(builder->Finish());
  auto writer = DlrmBinaryWriter::Open(path, DlrmBinarySchema());
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->Write(RecordBatch(DlrmBinarySchema(), columns, rows)).ok());
  ASSERT_TRUE((*writer)->Close().ok());
}

data::ColumnMapping IdMapping() {
  data::ColumnMapping mapping;
  mapping.label = "label";
  mapping.dense = {"x"};
  mapping.sparse = {"c"};
  return mapping;
}

std::vector<std::vector<DeliveredRow>> DrainLoader(data::Loader* loader) {
  std::vector<std::vector<DeliveredRow>> batches;
  data::Batch batch;
  for (;;) {
    Status status = loader->Next(&batch);
    EXPECT_TRUE(status.ok()) << status.ToString();
    if (!status.ok() || batch.rows == 0) break;
    std::vector<DeliveredRow> rows;
    for (int64_t r = 0; r < batch.rows; ++r) {
      rows.push_back({static_cast<int64_t>(batch.dense[r * batch.dense_width]), batch.mask[r] == 0});
    }
    batches.push_back(std::move(rows));
  }
  return batches;
}

std::unique_ptr<data::Loader> OpenLoader(const data::LoaderOptions& options) {
  auto loader = data::Loader::Open(options);
  EXPECT_TRUE(loader.ok()) << loader.status().ToString();
  return loader.ok() ? std::move(*loader) : nullptr;
}

}  // namespace kiln::testing
