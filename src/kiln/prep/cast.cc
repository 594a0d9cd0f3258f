#include "kiln/prep/cast.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "kiln/core/column_builder.h"
#include "kiln/core/value_format.h"
#include "kiln/prep/batch_edit.h"

namespace kiln::prep {

namespace {

bool Castable(const DataType& type) { return IsNumericType(type) || type.id() == TypeId::kString; }

template <typename Out, typename In>
bool Convert(In value, Out* out) {
  if constexpr (std::is_floating_point_v<Out>) {
    *out = static_cast<Out>(value);
    return true;
  } else if constexpr (std::is_floating_point_v<In>) {
    double truncated = std::trunc(static_cast<double>(value));
    // The upper limit as a double may round up past max, hence '<'.
    if (!(truncated >= static_cast<double>(std::numeric_limits<Out>::min()) &&
          truncated < static_cast<double>(std::numeric_limits<Out>::max()))) {
      return false;
    }
    *out = static_cast<Out>(truncated);
    return true;
  } else {
    if (!std::in_range<Out>(value)) return false;
    *out = static_cast<Out>(value);
    return true;
  }
}

template <typename Out>
bool ParseText(std::string_view text, Out* out) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  auto result = std::from_chars(text.data(), text.data() + text.size(), *out);
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

Status Unfit(const std::string& name, int64_t row, const std::string& text, const DataType& type) {
  return Status::InvalidArgument("cast: column '" + name + "' row " + std::to_string(row) + ": '" + text +
                                 "' is not a valid " + type.ToString());
}

}  // namespace

Result<SchemaPtr> Cast::Bind(const SchemaPtr& input) {
  if (options_.columns.patterns.empty()) return Status::InvalidArgument("cast: name the columns to cast");
  if (!Castable(options_.type)) {
    return Status::InvalidArgument("cast: cannot cast to " + options_.type.ToString());
  }
  auto columns = ResolveColumns(options_.columns, *input, Castable, kind());
  if (!columns.ok()) return columns.status();
  columns_ = std::move(*columns);
  std::vector<Field> fields = input->fields();
  for (const std::string& name : columns_) fields[input->IndexOf(name)].type = options_.type;
  return SchemaPtr(std::make_shared<Schema>(std::move(fields)));
}

Result<std::shared_ptr<Column>> Cast::CastColumn(const Column& column, const std::string& name) const {
  const DataType& target = options_.type;
  ColumnBuilder builder(target);
  builder.Reserve(column.length());
  Status status;
  for (int64_t row = 0; row < column.length() && status.ok(); ++row) {
    if (column.IsNull(row)) {
      builder.AppendNull();
    } else if (target.id() == TypeId::kString) {
      std::string text;
      AppendValueText(&text, column, row);
      builder.AppendString(text);
    } else {
      VisitNumeric(target.id(), [&](auto out_tag) {
        using Out = decltype(out_tag);
        Out value{};
        bool ok = false;
        if (column.type().id() == TypeId::kString) {
          ok = ParseText(column.GetString(row), &value);
        } else {
          VisitNumeric(column.type().id(), [&](auto in_tag) {
            ok = Convert<Out>(column.Value<decltype(in_tag)>(row), &value);
          });
        }
        if (ok) {
          builder.Append(value);
        } else {
          std::string text;
          AppendValueText(&text, column, row);
          status = Unfit(name, row, text, target);
        }
      });
    }
  }
  if (!status.ok()) return status;
  return builder.Finish();
}

Result<RecordBatchPtr> Cast::Transform(const RecordBatchPtr& batch) const {
  std::vector<std::pair<int, std::shared_ptr<Column>>> replacements;
  for (const std::string& name : columns_) {
    auto index = FindColumn(*batch, name, kind());
    if (!index.ok()) return index.status();
    const Column& column = batch->column(*index);
    if (column.type() == options_.type) continue;
    auto cast = CastColumn(column, name);
    if (!cast.ok()) return cast.status();
    replacements.emplace_back(*index, std::move(*cast));
  }
  if (replacements.empty()) return batch;
  return ReplaceColumns(*batch, replacements);
}

}  // namespace kiln::prep
