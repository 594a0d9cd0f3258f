#include "kiln/prep/order_key.h"

#include <cmath>
#include <limits>
#include <cstring>

#include "kiln/prep/batch_edit.h"

namespace kiln::prep {

namespace {

// Appends the low `bytes` bytes of `value`, most significant first, inverted when descending.
void AppendBits(uint64_t value, int bytes, bool descending, std::string* key) {
  if (descending) value = ~value;
  for (int i = bytes - 1; i >= 0; --i) key->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

template <typename Float, typename Bits>
uint64_t FloatBits(Float value) {
  if (std::isnan(value)) value = std::numeric_limits<Float>::quiet_NaN();  // One NaN, after +inf.
  if (value == 0) value = 0;                                                // -0 equals 0.
  Bits bits;
  std::memcpy(&bits, &value, sizeof(bits));
  constexpr Bits kSign = Bits(1) << (sizeof(Bits) * 8 - 1);
  return (bits & kSign) ? static_cast<Bits>(~bits) : static_cast<Bits>(bits | kSign);
}

void AppendString(std::string_view value, bool descending, std::string* key) {
  char flip = descending ? static_cast<char>(0xff) : 0;
  for (char c : value) {
    key->push_back(static_cast<char>(c ^ flip));
    if (c == 0) key->push_back(static_cast<char>(0xff ^ flip));
  }
  key->push_back(flip);
  key->push_back(flip);
}

}  // namespace

bool IsOrderableType(const DataType& type) {
  return type.id() != TypeId::kList && type.id() != TypeId::kDecimal;
}

void AppendBigEndian(uint64_t value, std::string* key) { AppendBits(value, 8, false, key); }

void AppendOrderKey(const Column& column, int64_t row, bool descending, std::string* key) {
  if (column.IsNull(row)) {
    key->push_back(1);
    return;
  }
  key->push_back(0);
  switch (column.type().id()) {
    case TypeId::kBool: return AppendBits(column.Value<uint8_t>(row) != 0, 1, descending, key);
    case TypeId::kInt32:
    case TypeId::kDate32:
      return AppendBits(static_cast<uint32_t>(column.Value<int32_t>(row)) ^ 0x80000000u, 4, descending, key);
    case TypeId::kInt64:
    case TypeId::kTimestamp:
      return AppendBits(static_cast<uint64_t>(column.Value<int64_t>(row)) ^ (uint64_t{1} << 63), 8, descending, key);
    case TypeId::kUInt32: return AppendBits(column.Value<uint32_t>(row), 4, descending, key);
    case TypeId::kUInt64: return AppendBits(column.Value<uint64_t>(row), 8, descending, key);
    case TypeId::kFloat32: return AppendBits(FloatBits<float, uint32_t>(column.Value<float>(row)), 4, descending, key);
    case TypeId::kFloat64: return AppendBits(FloatBits<double, uint64_t>(column.Value<double>(row)), 8, descending, key);
    case TypeId::kString:
    case TypeId::kBinary: return AppendString(column.GetString(row), descending, key);
    case TypeId::kDecimal:
    case TypeId::kList: return;  // Excluded by IsOrderableType().
  }
}

Status AppendColumnOrderKeys(const RecordBatch& batch, const std::vector<SortKey>& keys, int64_t first_position,
                             ColumnBuilder* out) {
  std::vector<const Column*> columns;
  for (const SortKey& key : keys) {
    auto index = FindColumn(batch, key.column, "sort");
    if (!index.ok()) return index.status();
    columns.push_back(&batch.column(*index));
  }
  std::string key;
  for (int64_t row = 0; row < batch.num_rows(); ++row) {
    key.clear();
    for (size_t k = 0; k < keys.size(); ++k) AppendOrderKey(*columns[k], row, keys[k].descending, &key);
    AppendBigEndian(static_cast<uint64_t>(first_position + row), &key);
    out->AppendString(key);
  }
  return Status::OK();
}

}  // namespace kiln::prep
