#include "kiln/prep/sort.h"

#include "kiln/prep/row_hash.h"

namespace kiln::prep {

Result<SchemaPtr> Sort::Bind(const SchemaPtr& input) {
  if (options_.keys.empty()) return Status::InvalidArgument("sort: give at least one key column");
  if (options_.memory_limit < 1) return Status::InvalidArgument("sort: memory_limit must be positive");
  for (const SortKey& key : options_.keys) {
    int index = input->IndexOf(key.column);
    if (index < 0) return Status::NotFound("sort: no column '" + key.column + "' in " + input->ToString());
    const DataType& type = input->field(index).type;
    if (!IsOrderableType(type)) {
      return Status::InvalidArgument("sort: column '" + key.column + "' of type " + type.ToString() +
                                     " cannot be ordered");
    }
  }
  return input;
}

std::vector<std::string> Sort::inputs() const {
  std::vector<std::string> names;
  for (const SortKey& key : options_.keys) names.push_back(key.column);
  return names;
}

Status Sort::AppendOrderKeys(const RecordBatch& batch, int64_t first_position, ColumnBuilder* keys) const {
  return AppendColumnOrderKeys(batch, options_.keys, first_position, keys);
}

Status Shuffle::AppendOrderKeys(const RecordBatch& batch, int64_t first_position, ColumnBuilder* keys) const {
  std::string key;
  for (int64_t row = 0; row < batch.num_rows(); ++row) {
    int64_t position = first_position + row;
    key.clear();
    AppendBigEndian(RowHash(options_.seed, position), &key);
    AppendBigEndian(static_cast<uint64_t>(position), &key);
    keys->AppendString(key);
  }
  return Status::OK();
}

}  // namespace kiln::prep
