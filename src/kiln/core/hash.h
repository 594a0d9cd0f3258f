// Small, stable 64-bit hashes: the same bits on every platform and in every
// release, because they end up in saved artifacts (seeded sampling, fold
// assignment, hash buckets that serving must reproduce). Written from the
// published SplitMix64 finalizer (Steele, Lea & Flood 2014) and FNV-1a
// (Fowler, Noll & Vo). Not cryptographic.
#pragma once

#include <cstdint>
#include <string_view>

namespace kiln {

// The SplitMix64 finalizer: a bijective 64-bit mixer whose output bits each
// depend on every input bit. Used to hash keys (seed, row, column, rank).
inline uint64_t Mix64(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Hashes two 64-bit keys into one; different (a, b) pairs collide only by chance.
inline uint64_t HashCombine(uint64_t a, uint64_t b) {
  return Mix64(a + 0x9e3779b97f4a7c15ULL * (b + 1) + Mix64(b));
}

// 64-bit FNV-1a of `bytes` (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
inline uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

}  // namespace kiln
