#include "kiln/prep/fill_na.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "kiln/core/column_builder.h"
#include "kiln/prep/batch_edit.h"

namespace kiln::prep {

namespace {

bool Fillable(const DataType& type) { return IsNumericType(type) || type.id() == TypeId::kString; }

template <typename T>
bool FitsIn(double value) {
  if constexpr (std::is_floating_point_v<T>) {
    return true;
  } else {
    return value == std::floor(value) && value >= static_cast<double>(std::numeric_limits<T>::min()) &&
           value <= static_cast<double>(std::numeric_limits<T>::max());
  }
}

template <typename T>
std::shared_ptr<Column> FillNumbers(const Column& column, T fill) {
  int64_t length = column.length();
  auto values = std::make_shared<Buffer>(length * sizeof(T));
  T* out = values->mutable_as<T>();
  const T* in = column.data<T>();
  for (int64_t row = 0; row < length; ++row) out[row] = column.IsValid(row) ? in[row] : fill;
  return MakeFixedColumn(column.type(), length, std::move(values), nullptr);
}

std::shared_ptr<Column> FillStrings(const Column& column, const std::string& fill) {
  ColumnBuilder builder(column.type());
  builder.Reserve(column.length());
  for (int64_t row = 0; row < column.length(); ++row) {
    builder.AppendString(column.IsValid(row) ? column.GetString(row) : std::string_view(fill));
  }
  return builder.Finish();
}

}  // namespace

Result<SchemaPtr> FillNa::Bind(const SchemaPtr& input) {
  auto columns = ResolveColumns(options_.columns, *input, Fillable, kind());
  if (!columns.ok()) return columns.status();
  columns_ = std::move(*columns);
  const std::string& text = options_.value;
  for (const std::string& name : columns_) {
    const DataType& type = input->field(input->IndexOf(name)).type;
    if (type.id() == TypeId::kString) continue;
    auto parsed = std::from_chars(text.data(), text.data() + text.size(), number_);
    bool fits = false;
    if (parsed.ec == std::errc() && parsed.ptr == text.data() + text.size()) {
      VisitNumeric(type.id(), [&](auto tag) { fits = FitsIn<decltype(tag)>(number_); });
    }
    if (!fits) {
      return Status::InvalidArgument("fill_na: value '" + text + "' does not fit column '" + name + "' (" +
                                     type.ToString() + ")");
    }
  }
  return input;
}

Result<RecordBatchPtr> FillNa::Transform(const RecordBatchPtr& batch) const {
  std::vector<std::pair<int, std::shared_ptr<Column>>> replacements;
  for (const std::string& name : columns_) {
    auto index = FindColumn(*batch, name, kind());
    if (!index.ok()) return index.status();
    const Column& column = batch->column(*index);
    if (column.null_count() == 0) continue;
    std::shared_ptr<Column> filled;
    if (column.type().id() == TypeId::kString) {
      filled = FillStrings(column, options_.value);
    } else {
      VisitNumeric(column.type().id(), [&](auto tag) {
        using T = decltype(tag);
        filled = FillNumbers<T>(column, static_cast<T>(number_));
      });
    }
    if (filled == nullptr) return Status::InvalidArgument("fill_na: column '" + name + "' changed type");
    replacements.emplace_back(*index, std::move(filled));
  }
  if (replacements.empty()) return batch;
  return ReplaceColumns(*batch, replacements);
}

}  // namespace kiln::prep
