#include "kiln/prep/sequential_operator.h"

#include "kiln/prep/batch_edit.h"
#include "kiln/prep/order_key.h"

namespace kiln::prep {

Result<std::vector<const Column*>> FindPartitionColumns(const RecordBatch& batch,
                                                        const std::vector<std::string>& names, const char* op_kind) {
  std::vector<const Column*> columns;
  for (const std::string& name : names) {
    auto index = FindColumn(batch, name, op_kind);
    if (!index.ok()) return index.status();
    columns.push_back(&batch.column(*index));
  }
  return columns;
}

std::string PartitionKeyOf(const std::vector<const Column*>& columns, int64_t row) {
  std::string key;
  for (const Column* column : columns) AppendOrderKey(*column, row, false, &key);
  return key;
}

Status CheckKeyColumns(const Schema& schema, const std::vector<std::string>& partition, const std::string& time,
                       const char* op_kind) {
  if (time.empty()) return Status::InvalidArgument(std::string(op_kind) + ": give the time column");
  std::vector<std::string> names = partition;
  names.push_back(time);
  for (const std::string& name : names) {
    int index = schema.IndexOf(name);
    if (index < 0) return Status::NotFound(std::string(op_kind) + ": no column '" + name + "' in " + schema.ToString());
    if (!IsOrderableType(schema.field(index).type)) {
      return Status::InvalidArgument(std::string(op_kind) + ": column '" + name + "' of type " +
                                     schema.field(index).type.ToString() + " cannot be a key");
    }
  }
  return Status::OK();
}

}  // namespace kiln::prep
