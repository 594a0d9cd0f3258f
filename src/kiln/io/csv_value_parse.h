// Field parsers for text readers: each turns the bytes [begin, end) of one
// non-empty field into a value and returns false unless the whole field is
// a valid value in range. Inline, allocation-free and branch-light, because
// they run once per field.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>

namespace kiln::text {

// Decimal digits of an unsigned value, at most `limit`.
template <typename U>
inline bool ParseDigits(const char* begin, const char* end, U limit, U* out) {
  if (begin == end) return false;
  U value = 0;
  // Up to digits10 digits cannot exceed U's range; most fields are short, so
  // they take the loop without the overflow test.
  if (end - begin <= std::numeric_limits<U>::digits10) {
    for (const char* p = begin; p < end; ++p) {
      unsigned digit = static_cast<unsigned char>(*p) - '0';
      if (digit > 9) return false;
      value = value * 10 + digit;
    }
    if (value > limit) return false;
    *out = value;
    return true;
  }
  for (const char* p = begin; p < end; ++p) {
    unsigned digit = static_cast<unsigned char>(*p) - '0';
    if (digit > 9) return false;
    if (value > (limit - digit) / 10) return false;  // value * 10 + digit would exceed limit.
    value = value * 10 + digit;
  }
  *out = value;
  return true;
}

// Optional sign, then decimal digits; false on overflow.
template <typename T>
inline bool ParseSigned(const char* begin, const char* end, T* out) {
  using U = std::make_unsigned_t<T>;
  bool negative = false;
  if (begin < end && (*begin == '-' || *begin == '+')) negative = *begin++ == '-';
  U limit = static_cast<U>(std::numeric_limits<T>::max()) + (negative ? 1 : 0);
  U magnitude;
  if (!ParseDigits<U>(begin, end, limit, &magnitude)) return false;
  *out = negative ? static_cast<T>(U(0) - magnitude) : static_cast<T>(magnitude);
  return true;
}

// Optional '+', then decimal digits; false on overflow.
template <typename U>
inline bool ParseUnsigned(const char* begin, const char* end, U* out) {
  if (begin < end && *begin == '+') ++begin;
  return ParseDigits<U>(begin, end, std::numeric_limits<U>::max(), out);
}

// Value of a hex digit, or 0xFF.
struct HexTable {
  uint8_t value[256];
  constexpr HexTable() : value() {
    for (int i = 0; i < 256; ++i) value[i] = 0xFF;
    for (int i = 0; i < 10; ++i) value['0' + i] = static_cast<uint8_t>(i);
    for (int i = 0; i < 6; ++i) value['a' + i] = value['A' + i] = static_cast<uint8_t>(10 + i);
  }
};
inline constexpr HexTable kHexTable;

// Bit 7 of each byte of the result is set where that byte of `bytes` is
// >= `low`. REQUIRES: every byte of `bytes` is below 0x80.
inline uint64_t BytesAtLeast(uint64_t bytes, uint8_t low) {
  return bytes + 0x0101010101010101ULL * (0x80 - low);
}

// Eight hex digits read as one little-endian word: validated and combined
// with a few word operations instead of eight table lookups.
inline bool ParseHex8(uint64_t word, uint32_t* out) {
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  if (word & kHigh) return false;
  uint64_t lower = word | 0x2020202020202020ULL;  // 'A'-'F' -> 'a'-'f'.
  uint64_t digit = BytesAtLeast(word, '0') & ~BytesAtLeast(word, '9' + 1);
  uint64_t letter = BytesAtLeast(lower, 'a') & ~BytesAtLeast(lower, 'f' + 1);
  if (((digit | letter) & kHigh) != kHigh) return false;
  // Nibble values: the low four bits, plus 9 for letters (bit 6 set).
  uint64_t nibbles = (word & 0x0F0F0F0F0F0F0F0FULL) + 9 * ((word >> 6) & 0x0101010101010101ULL);
  // The first character is the most significant: merge pairs, then pairs of pairs.
  uint64_t pairs = ((nibbles << 4) | (nibbles >> 8)) & 0x00FF00FF00FF00FFULL;
  uint64_t quads = ((pairs << 8) | (pairs >> 16)) & 0x0000FFFF0000FFFFULL;
  *out = static_cast<uint32_t>((quads << 16) | (quads >> 32));
  return true;
}

// One to eight hex digits, either case.
// REQUIRES: 8 bytes from begin are readable (padded text).
inline bool ParseHex32(const char* begin, const char* end, uint32_t* out) {
  if (end - begin == 8) {
    uint64_t word;
    std::memcpy(&word, begin, 8);
    return ParseHex8(word, out);
  }
  if (begin == end || end - begin > 8) return false;
  uint32_t value = 0;
  uint8_t invalid = 0;
  for (const char* p = begin; p < end; ++p) {
    uint8_t digit = kHexTable.value[static_cast<unsigned char>(*p)];
    invalid |= digit;  // Only 0xFF has the high bit set.
    value = (value << 4) | (digit & 0x0F);
  }
  *out = value;
  return (invalid & 0x80) == 0;
}

// Exactly eight lower-case hex digits: the canonical text of a uint32, the
// one spelling that maps back to the same text.
// REQUIRES: 8 bytes from begin are readable (padded text).
inline bool ParseCanonicalHex32(const char* begin, const char* end, uint32_t* out) {
  if (end - begin != 8) return false;
  uint64_t word;
  std::memcpy(&word, begin, 8);
  // Digits and 'a'-'f' have bit 5 set; 'A'-'F' do not.
  constexpr uint64_t kCaseBits = 0x2020202020202020ULL;
  return (word & kCaseBits) == kCaseBits && ParseHex8(word, out);
}

// Like from_chars, plus a leading '+', and the whole field must be used.
template <typename F>
inline bool ParseFloat(const char* begin, const char* end, F* out) {
  if (begin < end && *begin == '+') ++begin;
  auto result = std::from_chars(begin, end, *out);
  return result.ec == std::errc() && result.ptr == end;
}

inline bool EqualsIgnoreCase(const char* begin, const char* end, const char* word) {
  for (const char* p = begin; p < end; ++p, ++word) {
    if (*word == 0 || (*p | 0x20) != *word) return false;
  }
  return *word == 0;
}

// true/false in any case; with `digits`, also 1/0.
inline bool ParseBool(const char* begin, const char* end, bool digits, uint8_t* out) {
  if (EqualsIgnoreCase(begin, end, "true") || (digits && end - begin == 1 && *begin == '1')) {
    *out = 1;
    return true;
  }
  if (EqualsIgnoreCase(begin, end, "false") || (digits && end - begin == 1 && *begin == '0')) {
    *out = 0;
    return true;
  }
  return false;
}

}  // namespace kiln::text
