#include "kiln/prep/batch_spill.h"

#include <cstring>

#include "kiln/core/bitmap.h"
#include "kiln/prep/batch_edit.h"

namespace kiln::prep {

namespace {

void AppendBytes(std::string* out, const void* bytes, size_t size) {
  out->append(static_cast<const char*>(bytes), size);
}

class BatchSpillReader : public BatchReader {
 public:
  BatchSpillReader(std::unique_ptr<InputFile> file, SchemaPtr schema, ReadReport report)
      : file_(std::move(file)), schema_(std::move(schema)), report_(std::move(report)) {}

  const SchemaPtr& schema() const override { return schema_; }
  ReadReport report() const override { return report_; }

  Status Next(RecordBatchPtr* batch) override {
    *batch = nullptr;
    if (offset_ >= file_->size()) return Status::OK();
    int64_t rows = 0;
    Status status = Read(&rows, sizeof(rows));
    std::vector<std::shared_ptr<Column>> columns;
    for (const Field& field : schema_->fields()) {
      if (!status.ok()) return status;
      auto column = ReadColumn(field.type, rows);
      if (!column.ok()) return column.status();
      columns.push_back(std::move(*column));
    }
    if (!status.ok()) return status;
    *batch = std::make_shared<RecordBatch>(schema_, std::move(columns), rows);
    return Status::OK();
  }

 private:
  Status Read(void* out, int64_t length) {
    Status status = file_->ReadExactly(offset_, length, out);
    offset_ += length;
    return status;
  }

  Result<std::shared_ptr<Buffer>> ReadBuffer(int64_t length) {
    auto buffer = std::make_shared<Buffer>(length);
    Status status = Read(buffer->data(), length);
    if (!status.ok()) return status;
    return buffer;
  }

  Result<std::shared_ptr<Column>> ReadColumn(const DataType& type, int64_t rows) {
    uint8_t has_validity = 0;
    Status status = Read(&has_validity, 1);
    if (!status.ok()) return status;
    Column::Parts parts;
    parts.type = type;
    parts.length = rows;
    if (has_validity) {
      auto validity = ReadBuffer(bitmap::BytesFor(rows));
      if (!validity.ok()) return validity.status();
      parts.validity = std::move(*validity);
    }
    if (type.is_binary_like() || type.is_list()) {
      auto offsets = ReadBuffer((rows + 1) * sizeof(int64_t));
      if (!offsets.ok()) return offsets.status();
      parts.offsets = std::move(*offsets);
      int64_t end = parts.offsets->as<int64_t>()[rows];
      if (type.is_list()) {
        auto child = ReadColumn(type.value_type(), end);
        if (!child.ok()) return child.status();
        parts.child = std::move(*child);
      } else {
        auto values = ReadBuffer(end);
        if (!values.ok()) return values.status();
        parts.values = std::move(*values);
      }
    } else {
      auto values = ReadBuffer(rows * type.byte_width());
      if (!values.ok()) return values.status();
      parts.values = std::move(*values);
    }
    return std::make_shared<Column>(std::move(parts));
  }

  std::unique_ptr<InputFile> file_;  // The spill.
  SchemaPtr schema_;                 // Of every batch.
  ReadReport report_;                // Of the pass that wrote the spill.
  int64_t offset_ = 0;               // Next byte to read.
};

}  // namespace

Result<std::unique_ptr<BatchSpillWriter>> BatchSpillWriter::Create(const std::string& path, SchemaPtr schema) {
  auto file = OutputFile::Create(path);
  if (!file.ok()) return file.status();
  return std::unique_ptr<BatchSpillWriter>(new BatchSpillWriter(std::move(*file)));
}

Status BatchSpillWriter::Append(const RecordBatch& batch) {
  std::string bytes;
  int64_t rows = batch.num_rows();
  AppendBytes(&bytes, &rows, sizeof(rows));
  Status status = file_->Append(bytes);
  for (int c = 0; c < batch.num_columns() && status.ok(); ++c) status = AppendColumn(batch.column(c));
  return status;
}

Status BatchSpillWriter::AppendColumn(const Column& column) {
  std::string bytes;
  int64_t rows = column.length();
  uint8_t has_validity = column.null_count() > 0;
  AppendBytes(&bytes, &has_validity, 1);
  if (has_validity) {
    std::shared_ptr<Buffer> validity = CopyValidity(column);
    AppendBytes(&bytes, validity->data(), validity->size());
  }
  Status status = file_->Append(bytes);
  if (!status.ok()) return status;
  const DataType& type = column.type();
  if (type.is_fixed_width()) {
    int width = type.byte_width();
    const char* values = reinterpret_cast<const char*>(column.parts().values->data()) + column.offset() * width;
    return file_->Append(std::string_view(values, rows * width));
  }
  // Offsets rebased to 0, then the bytes or child rows they cover.
  const int64_t* offsets = column.parts().offsets->as<int64_t>() + column.offset();
  std::vector<int64_t> rebased(rows + 1);
  for (int64_t r = 0; r <= rows; ++r) rebased[r] = offsets[r] - offsets[0];
  status = file_->Append(std::string_view(reinterpret_cast<const char*>(rebased.data()), rebased.size() * 8));
  if (!status.ok()) return status;
  if (type.is_list()) return AppendColumn(*column.child().Slice(offsets[0], rebased[rows]));
  return file_->Append(
      std::string_view(reinterpret_cast<const char*>(column.parts().values->data()) + offsets[0], rebased[rows]));
}

Status BatchSpillWriter::Finish() { return file_->Commit(); }

Result<std::unique_ptr<BatchReader>> OpenBatchSpill(const std::string& path, SchemaPtr schema, ReadReport report) {
  auto file = InputFile::Open(path);
  if (!file.ok()) return file.status();
  return std::unique_ptr<BatchReader>(
      std::make_unique<BatchSpillReader>(std::move(*file), std::move(schema), std::move(report)));
}

}  // namespace kiln::prep
