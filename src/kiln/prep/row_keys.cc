#include "kiln/prep/row_keys.h"

#include <cstring>

#include "kiln/core/column_builder.h"
#include "kiln/prep/batch_edit.h"
#include "kiln/prep/column_selection.h"

namespace kiln::prep {

namespace {

bool IsIntegerLike(const DataType& type) {
  switch (type.id()) {
    case TypeId::kBool:
    case TypeId::kDate32:
    case TypeId::kTimestamp:
      return true;
    default:
      return IsIntegerType(type);
  }
}

int64_t IntegerAt(const Column& column, int64_t row) {
  switch (column.type().id()) {
    case TypeId::kBool: return column.Value<uint8_t>(row);
    case TypeId::kInt32:
    case TypeId::kDate32: return column.Value<int32_t>(row);
    case TypeId::kUInt32: return column.Value<uint32_t>(row);
    case TypeId::kUInt64: return static_cast<int64_t>(column.Value<uint64_t>(row));
    default: return column.Value<int64_t>(row);
  }
}

bool IsFloat(const DataType& type) { return type.id() == TypeId::kFloat32 || type.id() == TypeId::kFloat64; }

// Appends the 8 encoded bytes `bits`: an int64, or a double for float columns.
void AppendNumber(ColumnBuilder* builder, int64_t bits) {
  double number;
  std::memcpy(&number, &bits, sizeof(number));
  int64_t value = bits;
  switch (builder->type().id()) {
    case TypeId::kFloat32: builder->Append(static_cast<float>(number)); break;
    case TypeId::kFloat64: builder->Append(number); break;
    case TypeId::kBool: builder->Append(static_cast<uint8_t>(value)); break;
    case TypeId::kInt32:
    case TypeId::kDate32: builder->Append(static_cast<int32_t>(value)); break;
    case TypeId::kUInt32: builder->Append(static_cast<uint32_t>(value)); break;
    case TypeId::kUInt64: builder->Append(static_cast<uint64_t>(value)); break;
    default: builder->Append(value); break;
  }
}

}  // namespace

bool IsKeyType(const DataType& type) { return IsIntegerLike(type) || type.is_binary_like(); }

bool IsRowValueType(const DataType& type) { return IsKeyType(type) || IsFloat(type); }

bool SameKeyFamily(const DataType& a, const DataType& b) {
  return (IsIntegerLike(a) && IsIntegerLike(b)) || (a.is_binary_like() && b.is_binary_like());
}

Result<std::vector<const Column*>> FindKeyColumns(const RecordBatch& batch, const std::vector<std::string>& names,
                                                  const char* op_kind) {
  std::vector<const Column*> columns;
  for (const std::string& name : names) {
    auto index = FindColumn(batch, name, op_kind);
    if (!index.ok()) return index.status();
    const Column& column = batch.column(*index);
    if (!IsKeyType(column.type())) {
      return Status::InvalidArgument(std::string(op_kind) + ": key column '" + name + "' has type " +
                                     column.type().ToString() + "; keys are integers or strings");
    }
    columns.push_back(&column);
  }
  return columns;
}

void RowKey(const std::vector<const Column*>& columns, int64_t row, std::string* key) {
  key->clear();
  for (const Column* column : columns) {
    if (column->IsNull(row)) {
      key->push_back('\0');
      continue;
    }
    key->push_back('\1');
    if (column->type().is_binary_like()) {
      std::string_view text = column->GetString(row);
      uint32_t size = static_cast<uint32_t>(text.size());
      key->append(reinterpret_cast<const char*>(&size), sizeof(size));
      key->append(text);
    } else if (IsFloat(column->type())) {
      double value = column->type().id() == TypeId::kFloat32 ? column->Value<float>(row) : column->Value<double>(row);
      key->append(reinterpret_cast<const char*>(&value), sizeof(value));
    } else {
      int64_t value = IntegerAt(*column, row);
      key->append(reinterpret_cast<const char*>(&value), sizeof(value));
    }
  }
}

Result<std::vector<std::shared_ptr<Column>>> DecodeRowKeys(const std::vector<std::string_view>& keys,
                                                           const std::vector<DataType>& types) {
  std::vector<std::unique_ptr<ColumnBuilder>> builders;
  for (const DataType& type : types) builders.push_back(std::make_unique<ColumnBuilder>(type));
  for (std::string_view key : keys) {
    for (auto& builder : builders) {
      if (key.empty()) return Status::Corruption("row key ends early");
      char tag = key[0];
      key.remove_prefix(1);
      if (tag == '\0') {
        builder->AppendNull();
        continue;
      }
      if (builder->type().is_binary_like()) {
        uint32_t size = 0;
        if (key.size() < sizeof(size)) return Status::Corruption("row key ends early");
        std::memcpy(&size, key.data(), sizeof(size));
        key.remove_prefix(sizeof(size));
        if (key.size() < size) return Status::Corruption("row key ends early");
        builder->AppendString(key.substr(0, size));
        key.remove_prefix(size);
      } else {
        int64_t value = 0;
        if (key.size() < sizeof(value)) return Status::Corruption("row key ends early");
        std::memcpy(&value, key.data(), sizeof(value));
        key.remove_prefix(sizeof(value));
        AppendNumber(builder.get(), value);
      }
    }
    if (!key.empty()) return Status::Corruption("row key has bytes left over");
  }
  std::vector<std::shared_ptr<Column>> columns;
  for (auto& builder : builders) columns.push_back(builder->Finish());
  return columns;
}

}  // namespace kiln::prep
