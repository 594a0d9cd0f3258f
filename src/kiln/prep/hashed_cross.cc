#include "kiln/prep/hashed_cross.h"

#include "kiln/core/hash.h"
#include "kiln/prep/batch_edit.h"
#include "kiln/prep/row_id.h"
#include "kiln/prep/row_keys.h"
#include "kiln/prep/value_hash.h"

namespace kiln::prep {

Result<SchemaPtr> HashedCross::Bind(const SchemaPtr& input) {
  if (options_.num_buckets <= 0) return Status::InvalidArgument("hashed_cross: num_buckets must be positive");
  if (options_.columns.size() < 2) return Status::InvalidArgument("hashed_cross: give two or more columns");
  output_ = options_.output;
  for (const std::string& name : options_.columns) {
    int index = input->IndexOf(name);
    if (index < 0 || name == kRowIdColumn) return Status::NotFound("hashed_cross: no column '" + name + "'");
    if (!IsKeyType(input->field(index).type)) {
      return Status::InvalidArgument("hashed_cross: column '" + name + "' has type " +
                                     input->field(index).type.ToString() + "; crosses take integers or strings");
    }
    if (options_.output.empty()) output_ += (output_.empty() ? "" : "_x_") + name;
  }
  if (input->IndexOf(output_) >= 0) return Status::InvalidArgument("hashed_cross: column '" + output_ + "' exists");
  std::vector<Field> fields = input->fields();
  fields.push_back(Field{output_, DataType::Int32(), !options_.null_id.has_value()});
  return SchemaPtr(std::make_shared<Schema>(std::move(fields)));
}

Result<RecordBatchPtr> HashedCross::Transform(const RecordBatchPtr& batch) const {
  auto columns = FindKeyColumns(*batch, options_.columns, kind());
  if (!columns.ok()) return columns.status();
  const int64_t rows = batch->num_rows();
  std::vector<uint64_t> crossed(rows, 0), hashes;
  std::vector<uint8_t> nulls(rows, 0);
  for (const Column* column : *columns) {
    HashValues(*column, &hashes);
    for (int64_t row = 0; row < rows; ++row) crossed[row] = HashCombine(crossed[row], hashes[row]);
    for (int64_t row = 0; row < rows && column->null_count() > 0; ++row) nulls[row] |= column->IsNull(row);
  }
  std::vector<Field> fields = batch->schema()->fields();
  fields.push_back(Field{output_, DataType::Int32(), !options_.null_id.has_value()});
  std::vector<std::shared_ptr<Column>> out = batch->columns();
  out.push_back(BucketsOf(crossed, nulls, options_.num_buckets, options_.null_id));
  return RecordBatchPtr(std::make_shared<RecordBatch>(std::make_shared<Schema>(std::move(fields)), std::move(out), rows));
}

}  // namespace kiln::prep
