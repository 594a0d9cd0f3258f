#include "kiln/data/column_mapping.h"

namespace kiln::data {

namespace {

bool IsInteger(TypeId id) {
  return id == TypeId::kInt32 || id == TypeId::kInt64 || id == TypeId::kUInt32 || id == TypeId::kUInt64;
}

bool IsNumber(TypeId id) {
  return id == TypeId::kBool || IsInteger(id) || id == TypeId::kFloat32 || id == TypeId::kFloat64;
}

enum class Role { kLabel, kDense, kSparse, kList };

const char* RoleNeeds(Role role) {
  switch (role) {
    case Role::kLabel:
      return "a bool, integer or float label";
    case Role::kDense:
      return "an integer or float dense feature";
    case Role::kSparse:
      return "integer ids for a sparse feature";
    case Role::kList:
      return "a list of integer ids for a multi-hot feature";
  }
  return "";
}

// The type the role reads (the element type for lists), or nothing.
bool Fits(Role role, const DataType& type, TypeId* read) {
  if (role == Role::kList) {
    if (!type.is_list() || !IsInteger(type.value_type().id())) return false;
    *read = type.value_type().id();
    return true;
  }
  *read = type.id();
  if (role == Role::kSparse) return IsInteger(type.id());
  return IsNumber(type.id());
}

Status Bind(const std::string& name, Role role, const Schema& schema, const std::string& source, BoundMapping* bound) {
  for (int i = 0; i < schema.num_fields(); ++i) {
    if (schema.field(i).name != name) continue;
    TypeId read;
    if (!Fits(role, schema.field(i).type, &read)) {
      return Status::InvalidArgument(source + ": column '" + name + "' is " + schema.field(i).type.ToString() +
                                     "; the column mapping needs " + RoleNeeds(role));
    }
    bound->fields.push_back(i);
    bound->types.push_back(read);
    return Status::OK();
  }
  return Status::NotFound(source + ": no column '" + name + "' (the column mapping reads it)");
}

}  // namespace

ColumnMapping DlrmColumnMapping() {
  ColumnMapping mapping;
  for (int i = 1; i <= 13; ++i) mapping.dense.push_back("I" + std::to_string(i));
  for (int i = 1; i <= 26; ++i) mapping.sparse.push_back("C" + std::to_string(i));
  return mapping;
}

std::vector<std::string> MappedColumnNames(const ColumnMapping& mapping) {
  std::vector<std::string> names;
  if (!mapping.label.empty()) names.push_back(mapping.label);
  names.insert(names.end(), mapping.dense.begin(), mapping.dense.end());
  names.insert(names.end(), mapping.sparse.begin(), mapping.sparse.end());
  names.insert(names.end(), mapping.lists.begin(), mapping.lists.end());
  return names;
}

int64_t BoundMapping::RowBytes() const {
  return (has_label ? 4 : 0) + 4 * dense_width + 8 * sparse_width + 8 * list_count + 1;
}

Result<BoundMapping> BindMapping(const ColumnMapping& mapping, const Schema& schema, const std::string& source) {
  BoundMapping bound;
  bound.has_label = !mapping.label.empty();
  bound.dense_width = static_cast<int>(mapping.dense.size());
  bound.sparse_width = static_cast<int>(mapping.sparse.size());
  bound.list_count = static_cast<int>(mapping.lists.size());
  if (MappedColumnNames(mapping).empty())
    return Status::InvalidArgument(source + ": the column mapping reads no column");
  Status status;
  if (bound.has_label) status = Bind(mapping.label, Role::kLabel, schema, source, &bound);
  for (const auto& name : mapping.dense) {
    if (status.ok()) status = Bind(name, Role::kDense, schema, source, &bound);
  }
  for (const auto& name : mapping.sparse) {
    if (status.ok()) status = Bind(name, Role::kSparse, schema, source, &bound);
  }
  for (const auto& name : mapping.lists) {
    if (status.ok()) status = Bind(name, Role::kList, schema, source, &bound);
  }
  if (!status.ok()) return status;
  return bound;
}

}  // namespace kiln::data
