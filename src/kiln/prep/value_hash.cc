#include "kiln/prep/value_hash.h"

#include <cstring>

#include "kiln/core/hash.h"
#include "kiln/prep/batch_edit.h"

namespace kiln::prep {

namespace {

template <typename T>
void HashIntegers(const Column& column, uint64_t* out) {
  const T* values = column.data<T>();
  for (int64_t row = 0; row < column.length(); ++row) {
    out[row] = Mix64(static_cast<uint64_t>(static_cast<int64_t>(values[row])));
  }
}

}  // namespace

void HashValues(const Column& column, std::vector<uint64_t>* hashes) {
  hashes->resize(column.length());
  uint64_t* out = hashes->data();
  switch (column.type().id()) {
    case TypeId::kBool: HashIntegers<uint8_t>(column, out); return;
    case TypeId::kInt32:
    case TypeId::kDate32: HashIntegers<int32_t>(column, out); return;
    case TypeId::kUInt32: HashIntegers<uint32_t>(column, out); return;
    case TypeId::kInt64:
    case TypeId::kTimestamp: HashIntegers<int64_t>(column, out); return;
    case TypeId::kUInt64: HashIntegers<uint64_t>(column, out); return;
    default:
      for (int64_t row = 0; row < column.length(); ++row) {
        out[row] = column.IsValid(row) ? Mix64(Fnv1a64(column.GetString(row))) : 0;
      }
  }
}

std::shared_ptr<Column> BucketsOf(const std::vector<uint64_t>& hashes, const std::vector<uint8_t>& nulls,
                                  int32_t num_buckets, std::optional<int32_t> null_id) {
  int64_t length = static_cast<int64_t>(hashes.size());
  auto values = std::make_shared<Buffer>(length * sizeof(int32_t));
  int32_t* out = values->mutable_as<int32_t>();
  const uint64_t buckets = static_cast<uint64_t>(num_buckets);
  for (int64_t row = 0; row < length; ++row) out[row] = static_cast<int32_t>(hashes[row] % buckets);
  std::shared_ptr<Buffer> validity;
  bool any_null = false;
  for (uint8_t null : nulls) any_null |= null != 0;
  if (any_null && null_id) {
    for (int64_t row = 0; row < length; ++row) {
      if (nulls[row]) out[row] = *null_id;
    }
  } else if (any_null) {
    validity = std::make_shared<Buffer>(bitmap::BytesFor(length));
    std::memset(validity->data(), 0, validity->size());
    for (int64_t row = 0; row < length; ++row) {
      if (!nulls[row]) bitmap::Set(validity->data(), row);
    }
  }
  return MakeFixedColumn(DataType::Int32(), length, std::move(values), std::move(validity));
}

}  // namespace kiln::prep
