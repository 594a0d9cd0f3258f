#include "kiln/parquet/bit_packing.h"

#include <array>
#include <bit>
#include <cstring>
#include <utility>

namespace kiln::parquet {

static_assert(std::endian::native == std::endian::little,
              "bit unpacking loads little-endian words directly");

namespace {

// A 32-value group of width kWidth is exactly 4 * kWidth bytes. It is copied
// into 64-bit words once (a fixed-size memcpy the compiler turns into plain
// loads), then every value is a constant shift and mask of one word, or of two
// words when it straddles them. No load reaches past the group.
template <typename T, int kWidth, size_t... kIndex>
inline void Unpack32(const uint8_t* in, T* out, std::index_sequence<kIndex...>) {
  constexpr int kGroupBytes = 4 * kWidth;
  constexpr int kWords = (kGroupBytes + 7) / 8;
  constexpr uint64_t kMask = kWidth == 64 ? ~uint64_t{0} : (uint64_t{1} << kWidth) - 1;
  uint64_t words[kWords];
  words[kWords - 1] = 0;  // Odd widths fill only half of the last word.
  std::memcpy(words, in, kGroupBytes);
  auto extract = [&words]<int kBit>() -> T {
    constexpr int kWord = kBit / 64;
    constexpr int kShift = kBit % 64;
    uint64_t value = words[kWord] >> kShift;
    if constexpr (kShift + kWidth > 64) value |= words[kWord + 1] << (64 - kShift);
    return static_cast<T>(value & kMask);
  };
  ((out[kIndex] = extract.template operator()<static_cast<int>(kIndex) * kWidth>()), ...);
}

template <typename T, int kWidth>
void UnpackLoop(const uint8_t* in, int64_t count, T* out) {
  if constexpr (kWidth == 0) {
    std::memset(out, 0, count * sizeof(T));
  } else {
    constexpr int kGroupBytes = 4 * kWidth;
    int64_t groups = count / 32;
    for (int64_t g = 0; g < groups; ++g) {
      Unpack32<T, kWidth>(in, out, std::make_index_sequence<32>());
      in += kGroupBytes;
      out += 32;
    }
    int64_t tail = count % 32;
    if (tail != 0) {
      uint8_t group[kGroupBytes] = {};
      std::memcpy(group, in, BitPackedBytes(tail, kWidth));
      T values[32];
      Unpack32<T, kWidth>(group, values, std::make_index_sequence<32>());
      std::memcpy(out, values, tail * sizeof(T));
    }
  }
}

template <typename T>
using UnpackFunction = void (*)(const uint8_t*, int64_t, T*);

template <typename T, size_t... kWidth>
constexpr auto MakeUnpackTable(std::index_sequence<kWidth...>) {
  return std::array<UnpackFunction<T>, sizeof...(kWidth)>{&UnpackLoop<T, static_cast<int>(kWidth)>...};
}

// Indexed by bit width, 0 through 8 * sizeof(T).
template <typename T>
constexpr auto kUnpackTable = MakeUnpackTable<T>(std::make_index_sequence<8 * sizeof(T) + 1>());

}  // namespace

template <typename T>
void UnpackBits(const uint8_t* in, int bit_width, int64_t count, T* out) {
  kUnpackTable<T>[bit_width](in, count, out);
}

template <typename T>
void PackBits(const T* in, int64_t count, int bit_width, uint8_t* out) {
  if (bit_width == 0) return;
  const uint64_t mask = bit_width == 64 ? ~uint64_t{0} : (uint64_t{1} << bit_width) - 1;
  unsigned __int128 pending = 0;  // Bits not yet written, lowest first.
  int pending_bits = 0;
  for (int64_t i = 0; i < count; ++i) {
    pending |= static_cast<unsigned __int128>(static_cast<uint64_t>(in[i]) & mask) << pending_bits;
    pending_bits += bit_width;
    if (pending_bits >= 64) {
      uint64_t word = static_cast<uint64_t>(pending);
      std::memcpy(out, &word, 8);
      out += 8;
      pending >>= 64;
      pending_bits -= 64;
    }
  }
  while (pending_bits > 0) {
    *out++ = static_cast<uint8_t>(pending);
    pending >>= 8;
    pending_bits -= 8;
  }
}

void UnpackBitsMsbFirst(const uint8_t* in, int bit_width, int64_t count, uint16_t* out) {
  int64_t bit = 0;  // Position in the stream, counted from the top bit of byte 0.
  for (int64_t i = 0; i < count; ++i) {
    uint16_t value = 0;
    for (int k = 0; k < bit_width; ++k, ++bit) {
      value = static_cast<uint16_t>((value << 1) | ((in[bit >> 3] >> (7 - (bit & 7))) & 1));
    }
    out[i] = value;
  }
}

template void UnpackBits<uint8_t>(const uint8_t*, int, int64_t, uint8_t*);
template void UnpackBits<uint16_t>(const uint8_t*, int, int64_t, uint16_t*);
template void UnpackBits<uint32_t>(const uint8_t*, int, int64_t, uint32_t*);
template void UnpackBits<uint64_t>(const uint8_t*, int, int64_t, uint64_t*);
template void PackBits<uint8_t>(const uint8_t*, int64_t, int, uint8_t*);
template void PackBits<uint16_t>(const uint16_t*, int64_t, int, uint8_t*);
template void PackBits<uint32_t>(const uint32_t*, int64_t, int, uint8_t*);
template void PackBits<uint64_t>(const uint64_t*, int64_t, int, uint8_t*);

}  // namespace kiln::parquet
