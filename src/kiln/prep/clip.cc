#include "kiln/prep/clip.h"

#include <cmath>
#include <limits>

#include "kiln/prep/batch_edit.h"

namespace kiln::prep {

namespace {

// The bound as a T, rounded towards the inside of the interval and
// saturated to T's range.
template <typename T>
T BoundAs(std::optional<double> bound, bool lower) {
  using Limits = std::numeric_limits<T>;
  if (!bound) return lower ? Limits::lowest() : Limits::max();
  double value = *bound;
  if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(value);
  } else {
    value = lower ? std::ceil(value) : std::floor(value);
    if (value <= static_cast<double>(Limits::min())) return Limits::min();
    if (value >= static_cast<double>(Limits::max())) return Limits::max();
    return static_cast<T>(value);
  }
}

template <typename T>
std::shared_ptr<Column> ClipColumn(const Column& column, T low, T high) {
  int64_t length = column.length();
  auto values = std::make_shared<Buffer>(length * sizeof(T));
  T* out = values->mutable_as<T>();
  const T* in = column.data<T>();
  for (int64_t row = 0; row < length; ++row) {
    T value = in[row];
    out[row] = value < low ? low : (value > high ? high : value);
  }
  return MakeFixedColumn(column.type(), length, std::move(values), CopyValidity(column));
}

}  // namespace

Result<SchemaPtr> Clip::Bind(const SchemaPtr& input) {
  if (!options_.min && !options_.max) return Status::InvalidArgument("clip: give min, max or both");
  if (options_.min && options_.max && *options_.min > *options_.max) {
    return Status::InvalidArgument("clip: min is greater than max");
  }
  auto columns = ResolveColumns(options_.columns, *input, IsNumericType, kind());
  if (!columns.ok()) return columns.status();
  columns_ = std::move(*columns);
  return input;
}

Result<RecordBatchPtr> Clip::Transform(const RecordBatchPtr& batch) const {
  std::vector<std::pair<int, std::shared_ptr<Column>>> replacements;
  for (const std::string& name : columns_) {
    auto index = FindColumn(*batch, name, kind());
    if (!index.ok()) return index.status();
    const Column& column = batch->column(*index);
    std::shared_ptr<Column> clipped;
    VisitNumeric(column.type().id(), [&](auto tag) {
      using T = decltype(tag);
      clipped = ClipColumn<T>(column, BoundAs<T>(options_.min, true), BoundAs<T>(options_.max, false));
    });
    if (clipped == nullptr) return Status::InvalidArgument("clip: column '" + name + "' is not numeric");
    replacements.emplace_back(*index, std::move(clipped));
  }
  return ReplaceColumns(*batch, replacements);
}

}  // namespace kiln::prep
