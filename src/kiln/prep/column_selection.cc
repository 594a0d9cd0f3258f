#include "kiln/prep/column_selection.h"

#include <fnmatch.h>

#include "kiln/prep/row_id.h"

namespace kiln::prep {

namespace {

bool IsGlob(const std::string& pattern) { return pattern.find_first_of("*?[") != std::string::npos; }

}  // namespace

bool IsIntegerType(const DataType& type) {
  switch (type.id()) {
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kUInt32:
    case TypeId::kUInt64:
      return true;
    default:
      return false;
  }
}

bool IsNumericType(const DataType& type) {
  return IsIntegerType(type) || type.id() == TypeId::kFloat32 || type.id() == TypeId::kFloat64;
}

Result<std::vector<std::string>> ResolveColumns(const ColumnSelection& selection, const Schema& schema,
                                                const TypeFilter& accept, const std::string& op_kind) {
  std::vector<bool> chosen(schema.num_fields(), false);
  if (selection.patterns.empty()) {
    for (int i = 0; i < schema.num_fields(); ++i) chosen[i] = accept(schema.field(i).type);
  }
  int row_ids = schema.IndexOf(kRowIdColumn);
  for (const std::string& pattern : selection.patterns) {
    bool matched = false;
    for (int i = 0; i < schema.num_fields(); ++i) {
      const Field& field = schema.field(i);
      if (i == row_ids) continue;
      if (fnmatch(pattern.c_str(), field.name.c_str(), 0) != 0) continue;
      matched = true;
      if (accept(field.type)) {
        chosen[i] = true;
      } else if (!IsGlob(pattern)) {
        return Status::InvalidArgument(op_kind + ": column '" + field.name + "' has type " +
                                       field.type.ToString() + ", which " + op_kind + " does not accept");
      }
    }
    if (!matched) return Status::NotFound(op_kind + ": no column matches '" + pattern + "'");
  }
  std::vector<std::string> names;
  for (int i = 0; i < schema.num_fields(); ++i) {
    if (chosen[i] && i != row_ids) names.push_back(schema.field(i).name);
  }
  return names;
}

}  // namespace kiln::prep
