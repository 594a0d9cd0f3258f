#include "kiln/io/dlrm_binary.h"

#include <cstring>
#include <limits>

#include "kiln/core/column_builder.h"

namespace kiln {

namespace {

bool IsIntegerType(TypeId id) {
  return id == TypeId::kBool || id == TypeId::kInt32 || id == TypeId::kInt64 || id == TypeId::kUInt32 ||
         id == TypeId::kUInt64;
}

bool IsFloatType(TypeId id) { return id == TypeId::kFloat32 || id == TypeId::kFloat64; }

// Row `row` of an integer column (see IsIntegerType) as int64; uint64 values
// past int64 become negative and fail the int32 range check.
int64_t IntegerAt(const Column& column, int64_t row) {
  switch (column.type().id()) {
    case TypeId::kBool:
      return column.Value<uint8_t>(row);
    case TypeId::kInt32:
      return column.Value<int32_t>(row);
    case TypeId::kUInt32:
      return column.Value<uint32_t>(row);
    default:
      return column.Value<int64_t>(row);
  }
}

float FloatAt(const Column& column, int64_t row) {
  if (column.type().id() == TypeId::kFloat64) return static_cast<float>(column.Value<double>(row));
  return column.Value<float>(row);
}

Status CheckSchema(const std::string& path, const Schema& schema) {
  if (schema.num_fields() != kDlrmRecordValues) {
    return Status::InvalidArgument(path +
                                   ": the DLRM binary format needs 40 columns (label, 13 dense, 26 sparse), not " +
                                   std::to_string(schema.num_fields()));
  }
  for (int i = 0; i < schema.num_fields(); ++i) {
    const Field& field = schema.field(i);
    bool dense = i >= 1 && i <= kDlrmDenseFeatures;
    bool fits = dense ? IsFloatType(field.type.id()) : IsIntegerType(field.type.id());
    if (!fits) {
      return Status::InvalidArgument(path + ": column '" + field.name + "' is " + field.type.ToString() +
                                     "; the DLRM binary format needs " +
                                     (dense ? "float32 or float64" : "an integer type") + " there");
    }
  }
  return Status::OK();
}

}  // namespace

SchemaPtr DlrmBinarySchema() {
  std::vector<Field> fields;
  fields.push_back({"label", DataType::Int32(), false});
  for (int i = 1; i <= kDlrmDenseFeatures; ++i) fields.push_back({"I" + std::to_string(i), DataType::Float32(), false});
  for (int i = 1; i <= kDlrmSparseFeatures; ++i) fields.push_back({"C" + std::to_string(i), DataType::Int32(), false});
  return std::make_shared<const Schema>(std::move(fields));
}

Result<int64_t> DlrmBinaryRows(const std::string& name, int64_t file_size) {
  if (file_size % kDlrmRecordBytes != 0) {
    return Status::Corruption(name + ": " + std::to_string(file_size) + " bytes is not a whole number of " +
                              std::to_string(kDlrmRecordBytes) + "-byte DLRM records");
  }
  return file_size / kDlrmRecordBytes;
}

Result<std::unique_ptr<DlrmBinaryWriter>> DlrmBinaryWriter::Open(const std::string& path, SchemaPtr schema) {
  Status status = CheckSchema(path, *schema);
  if (!status.ok()) return status;
  auto file = OutputFile::Create(path);
  if (!file.ok()) return file.status();
  return std::unique_ptr<DlrmBinaryWriter>(new DlrmBinaryWriter(std::move(*file)));
}

Status DlrmBinaryWriter::Write(const RecordBatch& batch) {
  const int64_t rows = batch.num_rows();
  records_.resize(rows * kDlrmRecordBytes);
  int32_t* out = reinterpret_cast<int32_t*>(records_.data());
  for (int c = 0; c < kDlrmRecordValues; ++c) {
    const Column& column = batch.column(c);
    const std::string& name = batch.schema()->field(c).name;
    bool dense = c >= 1 && c <= kDlrmDenseFeatures;
    for (int64_t row = 0; row < rows; ++row) {
      if (column.IsNull(row)) {
        return Status::InvalidArgument(file_->path() + ": row " + std::to_string(rows_ + row + 1) + ", column '" +
                                       name + "' is null; the DLRM binary format has no nulls");
      }
      int32_t value;
      if (dense) {
        float number = FloatAt(column, row);
        std::memcpy(&value, &number, sizeof(value));
      } else {
        int64_t id = IntegerAt(column, row);
        if (id < std::numeric_limits<int32_t>::min() || id > std::numeric_limits<int32_t>::max()) {
          return Status::InvalidArgument(file_->path() + ": row " + std::to_string(rows_ + row + 1) + ", column '" +
                                         name + "': " + std::to_string(id) + " does not fit in int32");
        }
        value = static_cast<int32_t>(id);
      }
      out[row * kDlrmRecordValues + c] = value;
    }
  }
  rows_ += rows;
  return file_->Append(records_);
}

Status DlrmBinaryWriter::Close() { return file_->Commit(); }

Result<std::unique_ptr<DlrmBinaryReader>> DlrmBinaryReader::Open(const std::string& path) {
  auto file = InputFile::Open(path);
  if (!file.ok()) return file.status();
  auto rows = DlrmBinaryRows(path, (*file)->size());
  if (!rows.ok()) return rows.status();
  return std::unique_ptr<DlrmBinaryReader>(new DlrmBinaryReader(std::move(*file), *rows));
}

Status DlrmBinaryReader::Next(RecordBatchPtr* batch) {
  *batch = nullptr;
  const int64_t rows = std::min(kBatchRows, rows_ - next_row_);
  if (rows == 0) return Status::OK();
  records_.resize(rows * kDlrmRecordBytes);
  Status status = file_->ReadExactly(next_row_ * kDlrmRecordBytes, rows * kDlrmRecordBytes, records_.data());
  if (!status.ok()) return status;
  const int32_t* in = reinterpret_cast<const int32_t*>(records_.data());
  std::vector<std::shared_ptr<Column>> columns;
  for (int c = 0; c < kDlrmRecordValues; ++c) {
    ColumnBuilder builder(schema_->field(c).type);
    builder.Reserve(rows);
    bool dense = c >= 1 && c <= kDlrmDenseFeatures;
    for (int64_t row = 0; row < rows; ++row) {
      int32_t value = in[row * kDlrmRecordValues + c];
      if (dense) {
        float number;
        std::memcpy(&number, &value, sizeof(number));
        builder.Append(number);
      } else {
        builder.Append(value);
      }
    }
    columns.push_back(builder.Finish());
  }
  next_row_ += rows;
  report_.rows_read += rows;
  *batch = std::make_shared<const RecordBatch>(schema_, std::move(columns), rows);
  return Status::OK();
}

}  // namespace kiln
