#include "kiln/prep/hash_bucket.h"

#include "kiln/prep/batch_edit.h"
#include "kiln/prep/row_keys.h"
#include "kiln/prep/value_hash.h"

namespace kiln::prep {

Result<SchemaPtr> HashBucket::Bind(const SchemaPtr& input) {
  if (options_.num_buckets <= 0) return Status::InvalidArgument("hash_bucket: num_buckets must be positive");
  auto strings = [](const DataType& type) { return type.id() == TypeId::kString; };
  auto columns = options_.columns.patterns.empty() ? ResolveColumns(options_.columns, *input, strings, kind())
                                                   : ResolveColumns(options_.columns, *input, IsKeyType, kind());
  if (!columns.ok()) return columns.status();
  columns_ = std::move(*columns);
  std::vector<Field> fields = input->fields();
  for (const std::string& name : columns_) fields[input->IndexOf(name)].type = DataType::Int32();
  return SchemaPtr(std::make_shared<Schema>(std::move(fields)));
}

Result<RecordBatchPtr> HashBucket::Transform(const RecordBatchPtr& batch) const {
  std::vector<std::pair<int, std::shared_ptr<Column>>> replacements;
  std::vector<uint64_t> hashes;
  std::vector<uint8_t> nulls;
  for (const std::string& name : columns_) {
    auto columns = FindKeyColumns(*batch, {name}, kind());
    if (!columns.ok()) return columns.status();
    const Column& column = *(*columns)[0];
    HashValues(column, &hashes);
    nulls.assign(column.length(), 0);
    for (int64_t row = 0; row < column.length() && column.null_count() > 0; ++row) nulls[row] = column.IsNull(row);
    replacements.emplace_back(batch->schema()->IndexOf(name),
                              BucketsOf(hashes, nulls, options_.num_buckets, options_.null_id));
  }
  return ReplaceColumns(*batch, replacements);
}

}  // namespace kiln::prep
