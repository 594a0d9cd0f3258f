#include "kiln/prep/log1p.h"

#include <array>
#include <cmath>

#include "kiln/prep/batch_edit.h"

namespace kiln::prep {

namespace {

// Count features are mostly small integers: their logarithms come from a
// table (the same double computation, done once) instead of a libm call.
constexpr int kTableSize = 4096;

template <typename Out>
const std::array<Out, kTableSize>& SmallIntegerTable() {
  static const std::array<Out, kTableSize> table = [] {
    std::array<Out, kTableSize> values;
    for (int i = 0; i < kTableSize; ++i) values[i] = static_cast<Out>(std::log1p(static_cast<double>(i)));
    return values;
  }();
  return table;
}

}  // namespace

template <typename In, typename Out>
std::shared_ptr<Column> Log1p::Apply(const Column& column) const {
  int64_t length = column.length();
  auto values = std::make_shared<Buffer>(length * sizeof(Out));
  Out* out = values->template mutable_as<Out>();
  const In* in = column.data<In>();
  const bool clamp = options_.negative_to_zero;
  for (int64_t row = 0; row < length; ++row) {
    In value = in[row];
    if (clamp && value < 0) value = 0;
    if constexpr (std::is_integral_v<In>) {
      if (value >= 0 && value < static_cast<In>(kTableSize)) {
        out[row] = SmallIntegerTable<Out>()[static_cast<int>(value)];
        continue;
      }
    }
    out[row] = static_cast<Out>(std::log1p(static_cast<double>(value)));
  }
  return MakeFixedColumn(DataType(options_.type), length, std::move(values), CopyValidity(column));
}

Result<SchemaPtr> Log1p::Bind(const SchemaPtr& input) {
  if (options_.type.id() != TypeId::kFloat32 && options_.type.id() != TypeId::kFloat64) {
    return Status::InvalidArgument("log1p: type must be float32 or float64, not " + options_.type.ToString());
  }
  auto columns = ResolveColumns(options_.columns, *input, IsNumericType, kind());
  if (!columns.ok()) return columns.status();
  columns_ = std::move(*columns);
  std::vector<Field> fields = input->fields();
  for (const std::string& name : columns_) fields[input->IndexOf(name)].type = options_.type;
  return SchemaPtr(std::make_shared<Schema>(std::move(fields)));
}

Result<RecordBatchPtr> Log1p::Transform(const RecordBatchPtr& batch) const {
  std::vector<std::pair<int, std::shared_ptr<Column>>> replacements;
  const bool to_float = options_.type.id() == TypeId::kFloat32;
  for (const std::string& name : columns_) {
    auto index = FindColumn(*batch, name, kind());
    if (!index.ok()) return index.status();
    const Column& column = batch->column(*index);
    std::shared_ptr<Column> result;
    VisitNumeric(column.type().id(), [&](auto tag) {
      using In = decltype(tag);
      result = to_float ? Apply<In, float>(column) : Apply<In, double>(column);
    });
    if (result == nullptr) return Status::InvalidArgument("log1p: column '" + name + "' is not numeric");
    replacements.emplace_back(*index, std::move(result));
  }
  return ReplaceColumns(*batch, replacements);
}

}  // namespace kiln::prep
