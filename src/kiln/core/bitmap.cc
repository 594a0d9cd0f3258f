#include "kiln/core/bitmap.h"

#include <bit>
#include <cstring>

namespace kiln::bitmap {

int64_t CountSet(const uint8_t* bits, int64_t offset, int64_t length) {
  int64_t count = 0;
  int64_t i = offset;
  const int64_t end = offset + length;
  for (; i < end && (i & 63) != 0; ++i) count += Get(bits, i);
  for (; i + 64 <= end; i += 64) {
    uint64_t word;
    std::memcpy(&word, bits + (i >> 3), sizeof(word));
    count += std::popcount(word);
  }
  for (; i < end; ++i) count += Get(bits, i);
  return count;
}

}  // namespace kiln::bitmap
