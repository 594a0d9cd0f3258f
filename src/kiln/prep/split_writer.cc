#include "kiln/prep/split_writer.h"

#include "kiln/prep/row_gather.h"
#include "kiln/prep/split.h"

namespace kiln::prep {

Result<std::unique_ptr<SplitWriter>> SplitWriter::Open(const std::string& parent,
                                                       const std::vector<std::string>& names, SchemaPtr schema,
                                                       const DatasetWriteOptions& options) {
  std::vector<std::unique_ptr<DatasetWriter>> writers;
  for (const std::string& name : names) {
    auto writer = DatasetWriter::Open(parent + "/" + name, schema, options);
    if (!writer.ok()) return writer.status();
    writers.push_back(std::move(*writer));
  }
  return std::unique_ptr<SplitWriter>(new SplitWriter(std::move(schema), std::move(writers)));
}

Status SplitWriter::Write(const RecordBatch& batch) {
  int split_index = batch.num_columns() - 1;
  if (split_index != schema_->num_fields() || batch.schema()->field(split_index).name != kSplitColumn) {
    return Status::Internal("split writer: the batch does not end with the split column");
  }
  const int32_t* split = batch.column(split_index).data<int32_t>();
  std::vector<std::vector<RowRef>> rows(writers_.size());
  for (int64_t row = 0; row < batch.num_rows(); ++row) {
    if (split[row] < 0 || split[row] >= static_cast<int32_t>(writers_.size())) {
      return Status::Internal("split writer: split index " + std::to_string(split[row]) + " out of range");
    }
    rows[split[row]].push_back(RowRef{0, row});
  }
  for (size_t i = 0; i < writers_.size(); ++i) {
    if (rows[i].empty()) continue;
    Status status = writers_[i]->Write(*GatherRows(schema_, {&batch}, rows[i]));
    if (!status.ok()) return status;
  }
  return Status::OK();
}

Status SplitWriter::Commit() {
  for (auto& writer : writers_) {
    Status status = writer->Commit();
    if (!status.ok()) return status;
  }
  return Status::OK();
}

int64_t SplitWriter::rows_written() const {
  int64_t rows = 0;
  for (const auto& writer : writers_) rows += writer->rows_written();
  return rows;
}

}  // namespace kiln::prep
