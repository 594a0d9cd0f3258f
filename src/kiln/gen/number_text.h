// Fast text for integers: decimal and fixed-width lower-case hex, written
// straight into a caller's buffer with no allocation, through tables of digit
// pairs. For generators that write hundreds of millions of fields.
#pragma once

#include <cstdint>
#include <cstring>

namespace kiln {

namespace number_text_internal {

struct DigitPairs {
  char decimal[200];  // "00" "01" ... "99", without separators.
  char hex[512];      // "00" "01" ... "ff", lower case.
};

constexpr DigitPairs BuildDigitPairs() {
  constexpr char kHexDigits[] = "0123456789abcdef";
  DigitPairs pairs{};
  for (int i = 0; i < 100; ++i) {
    pairs.decimal[2 * i] = static_cast<char>('0' + i / 10);
    pairs.decimal[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  for (int i = 0; i < 256; ++i) {
    pairs.hex[2 * i] = kHexDigits[i >> 4];
    pairs.hex[2 * i + 1] = kHexDigits[i & 15];
  }
  return pairs;
}

inline constexpr DigitPairs kDigitPairs = BuildDigitPairs();

}  // namespace number_text_internal

// Number of decimal digits of `value` (1 for 0).
inline int DecimalDigits(uint64_t value) {
  int digits = 1;
  for (; value >= 10000; value /= 10000) digits += 4;
  return digits + (value >= 10) + (value >= 100) + (value >= 1000);
}

// Writes the decimal digits of `value` at `out` and returns the end. The
// digits go straight to their place, two at a time, back to front.
// REQUIRES: `out` has room for 20 bytes.
inline char* WriteDecimal(uint64_t value, char* out) {
  const char* pairs = number_text_internal::kDigitPairs.decimal;
  char* const end = out + DecimalDigits(value);
  char* cursor = end;
  while (value >= 100) {
    cursor -= 2;
    std::memcpy(cursor, &pairs[(value % 100) * 2], 2);
    value /= 100;
  }
  if (value >= 10) {
    std::memcpy(cursor - 2, &pairs[value * 2], 2);
  } else {
    cursor[-1] = static_cast<char>('0' + value);
  }
  return end;
}

// Same, with a leading '-' for negative values. REQUIRES: room for 20 bytes.
inline char* WriteDecimal(int64_t value, char* out) {
  if (value >= 0) return WriteDecimal(static_cast<uint64_t>(value), out);
  *out++ = '-';
  return WriteDecimal(~static_cast<uint64_t>(value) + 1, out);  // Safe for INT64_MIN.
}

// Writes `value` as exactly 8 lower-case hex digits and returns the end.
// REQUIRES: `out` has room for 8 bytes.
inline char* WriteHex8(uint32_t value, char* out) {
  const char* pairs = number_text_internal::kDigitPairs.hex;
  std::memcpy(out + 0, &pairs[(value >> 24) * 2], 2);
  std::memcpy(out + 2, &pairs[((value >> 16) & 0xff) * 2], 2);
  std::memcpy(out + 4, &pairs[((value >> 8) & 0xff) * 2], 2);
  std::memcpy(out + 6, &pairs[(value & 0xff) * 2], 2);
  return out + 8;
}

}  // namespace kiln
