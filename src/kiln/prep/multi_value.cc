#include "kiln/prep/multi_value.h"

#include <string_view>

#include "kiln/core/column_builder.h"

namespace kiln::prep {

namespace {

std::shared_ptr<Buffer> FirstOffset() {
  auto offsets = std::make_shared<Buffer>();
  int64_t zero = 0;
  offsets->Append(&zero, sizeof(zero));
  return offsets;
}

void AppendOffset(Buffer* offsets, int64_t offset) { offsets->Append(&offset, sizeof(offset)); }

FlatValues SplitStrings(const Column& column, std::string_view separator) {
  FlatValues flat;
  flat.rows = column.length();
  flat.offsets = FirstOffset();
  ColumnBuilder elements(DataType::String());
  for (int64_t row = 0; row < column.length(); ++row) {
    std::string_view text = column.IsNull(row) ? std::string_view() : column.GetString(row);
    if (!text.empty()) {
      for (;;) {
        size_t end = text.find(separator);
        elements.AppendString(text.substr(0, end));
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + separator.size());
      }
    }
    AppendOffset(flat.offsets.get(), elements.length());
  }
  flat.elements = elements.Finish();
  return flat;
}

FlatValues ListElements(const Column& column) {
  FlatValues flat;
  flat.rows = column.length();
  flat.offsets = FirstOffset();
  const Column& child = column.child();
  int64_t rows = column.length();
  if (column.null_count() == 0) {
    // The elements are one contiguous slice of the child.
    int64_t first = rows > 0 ? column.ListBegin(0) : 0;
    for (int64_t row = 0; row < rows; ++row) AppendOffset(flat.offsets.get(), column.ListEnd(row) - first);
    int64_t last = rows > 0 ? column.ListEnd(rows - 1) : 0;
    flat.elements = child.Slice(first, last - first);
    return flat;
  }
  ColumnBuilder elements(child.type());
  for (int64_t row = 0; row < rows; ++row) {
    if (column.IsValid(row)) {
      for (int64_t i = column.ListBegin(row); i < column.ListEnd(row); ++i) elements.AppendFrom(child, i);
    }
    AppendOffset(flat.offsets.get(), elements.length());
  }
  flat.elements = elements.Finish();
  return flat;
}

}  // namespace

DataType ElementType(const DataType& type) { return type.is_list() ? type.value_type() : type; }

bool IsMultiValue(const DataType& type, const std::string& separator) {
  return type.is_list() || (type.id() == TypeId::kString && !separator.empty());
}

FlatValues Flatten(const std::shared_ptr<Column>& column, const std::string& separator) {
  if (column->type().is_list()) return ListElements(*column);
  if (IsMultiValue(column->type(), separator)) return SplitStrings(*column, separator);
  FlatValues flat;
  flat.elements = column;
  flat.rows = column->length();
  return flat;
}

std::shared_ptr<Column> Unflatten(const FlatValues& flat, std::shared_ptr<Column> ids) {
  if (flat.offsets == nullptr) return ids;
  Column::Parts parts;
  parts.type = DataType::List(DataType::Int32());
  parts.length = flat.rows;
  parts.offsets = flat.offsets;
  parts.child = std::move(ids);
  return std::make_shared<Column>(std::move(parts));
}

}  // namespace kiln::prep
