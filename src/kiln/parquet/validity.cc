#include "kiln/parquet/validity.h"

namespace kiln::parquet {

namespace {

template <int kWidth>
void SpreadFixed(uint8_t* base, const uint8_t* bits, int64_t first_bit, int64_t slots, int64_t values) {
  int64_t next = values - 1;
  for (int64_t slot = slots - 1; slot > next; --slot) {
    uint8_t* target = base + slot * kWidth;
    if (bitmap::Get(bits, first_bit + slot)) {
      std::memcpy(target, base + next * kWidth, kWidth);
      --next;
    } else {
      std::memset(target, 0, kWidth);
    }
  }
}

}  // namespace

void Spread(int width, uint8_t* base, const uint8_t* bits, int64_t first_bit, int64_t slots, int64_t values) {
  switch (width) {
    case 1: SpreadFixed<1>(base, bits, first_bit, slots, values); return;
    case 4: SpreadFixed<4>(base, bits, first_bit, slots, values); return;
    case 8: SpreadFixed<8>(base, bits, first_bit, slots, values); return;
    default: SpreadFixed<16>(base, bits, first_bit, slots, values); return;
  }
}

void SpreadEnds(int64_t* ends, int64_t start, const uint8_t* bits, int64_t first_bit, int64_t slots, int64_t values) {
  int64_t next = values - 1;
  for (int64_t slot = slots - 1; slot > next; --slot) {
    const int64_t previous_end = next >= 0 ? ends[next] : start;
    if (bitmap::Get(bits, first_bit + slot)) --next;
    ends[slot] = previous_end;
  }
}

}  // namespace kiln::parquet
