// RowHash: a seeded 64-bit hash of a row id, for steps that draw per-row
// random numbers that depend only on the seed and the row (Shuffle, Split),
// never on batching, threads or ranks. Built on gen/random.h's header-only
// mixers, so generators and pipelines hash the same way.
#pragma once

#include <cstdint>

#include "kiln/gen/random.h"

namespace kiln::prep {

inline uint64_t RowHash(uint64_t seed, int64_t row_id) {
  return HashCombine(Mix64(seed), static_cast<uint64_t>(row_id));
}

// A uniform double in [0, 1) from RowHash.
inline double RowUniform(uint64_t seed, int64_t row_id) { return ToUnitDouble(RowHash(seed, row_id)); }

}  // namespace kiln::prep
