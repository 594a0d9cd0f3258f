// Stable hashes of column values, for HashBucket and HashedCross. Serving
// code in any language can reproduce them:
//   - integer-like values (bool, int32/64, uint32/64, date32, timestamp):
//     Mix64(the value as int64, read as uint64), so 7 hashes alike in every
//     integer width (uint64 values by their bits);
//   - string and binary values: Mix64(FNV-1a 64 of the bytes);
// with Mix64 the SplitMix64 finalizer and FNV-1a as in core/hash.h. A bucket
// is hash % num_buckets; a cross of columns c1..cn hashes
// HashCombine(...HashCombine(HashCombine(0, h1), h2)..., hn).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "kiln/core/column.h"

namespace kiln::prep {

// The hash of every row of `column` into `hashes` (resized to its length);
// null rows hold unspecified values. REQUIRES: IsKeyType(column.type()).
void HashValues(const Column& column, std::vector<uint64_t>* hashes);

// An int32 column of hashes[row] % num_buckets. Rows where `nulls` is set
// get null_id, or stay null without one. REQUIRES: num_buckets > 0.
std::shared_ptr<Column> BucketsOf(const std::vector<uint64_t>& hashes, const std::vector<uint8_t>& nulls,
                                  int32_t num_buckets, std::optional<int32_t> null_id);

}  // namespace kiln::prep
