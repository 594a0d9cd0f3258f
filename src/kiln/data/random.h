// The loader's randomness: gen's xoshiro256** seeded per purpose from
// (seed, epoch, rank), so every shuffle is reproducible and the unit order
// and the shuffle buffer never draw the same numbers.
#pragma once

#include <cstdint>

#include "kiln/gen/random.h"

namespace kiln::data {

enum RandomStream : uint64_t {
  kUnitOrderStream = 1,      // The order of read units (same on every rank).
  kShuffleBufferStream = 2,  // The picks of one rank's shuffle buffer.
};

inline uint64_t StreamSeed(uint64_t seed, int64_t epoch, uint64_t stream, int rank = 0) {
  return HashCombine(HashCombine(HashCombine(seed, static_cast<uint64_t>(epoch)), stream), static_cast<uint64_t>(rank));
}

// Uniform in [0, n) by Lemire's multiply-shift; the bias, n / 2^64, is
// negligible. REQUIRES: n >= 1
inline uint64_t Below(Xoshiro256* random, uint64_t n) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(random->Next()) * n) >> 64);
}

}  // namespace kiln::data
