#include "kiln/prep/batch_edit.h"

#include <cstring>

#include "kiln/core/bitmap.h"

namespace kiln::prep {

std::shared_ptr<Buffer> CopyValidity(const Column& column) {
  if (column.null_count() == 0) return nullptr;
  int64_t length = column.length();
  auto bits = std::make_shared<Buffer>(bitmap::BytesFor(length));
  const uint8_t* source = column.validity_bits();
  int64_t offset = column.offset();
  if (offset % 8 == 0) {
    std::memcpy(bits->data(), source + offset / 8, bits->size());
    return bits;
  }
  std::memset(bits->data(), 0, bits->size());
  for (int64_t row = 0; row < length; ++row) {
    if (bitmap::Get(source, offset + row)) bitmap::Set(bits->data(), row);
  }
  return bits;
}

std::shared_ptr<Column> MakeFixedColumn(DataType type, int64_t length, std::shared_ptr<Buffer> values,
                                        std::shared_ptr<Buffer> validity) {
  Column::Parts parts;
  parts.type = std::move(type);
  parts.length = length;
  parts.values = std::move(values);
  parts.validity = std::move(validity);
  return std::make_shared<Column>(std::move(parts));
}

Result<int> FindColumn(const RecordBatch& batch, const std::string& name, const char* op_kind) {
  int index = batch.schema()->IndexOf(name);
  if (index < 0) return Status::NotFound(std::string(op_kind) + ": no column '" + name + "' in the batch");
  return index;
}

RecordBatchPtr ReplaceColumns(const RecordBatch& batch,
                              const std::vector<std::pair<int, std::shared_ptr<Column>>>& replacements) {
  std::vector<Field> fields = batch.schema()->fields();
  std::vector<std::shared_ptr<Column>> columns = batch.columns();
  for (const auto& [index, column] : replacements) {
    fields[index].type = column->type();
    columns[index] = column;
  }
  return std::make_shared<RecordBatch>(std::make_shared<Schema>(std::move(fields)), std::move(columns),
                                       batch.num_rows());
}

}  // namespace kiln::prep
