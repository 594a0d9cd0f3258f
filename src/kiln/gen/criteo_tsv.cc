#include "kiln/gen/criteo_tsv.h"

#include "kiln/gen/number_text.h"

namespace kiln {

namespace {

// Writes one line at `out` and returns its end.
char* WriteLine(const CriteoRows& rows, int64_t row, char* out) {
  *out++ = static_cast<char>('0' + rows.labels[row]);
  const int64_t* integers = &rows.integers[row * kCriteoIntegerColumns];
  for (int j = 0; j < kCriteoIntegerColumns; ++j) {
    *out++ = '\t';
    if (integers[j] != CriteoRows::kMissingInteger) out = WriteDecimal(integers[j], out);
  }
  const uint32_t* ranks = &rows.category_ranks[row * kCriteoCategoryColumns];
  const uint32_t* ids = &rows.category_ids[row * kCriteoCategoryColumns];
  for (int c = 0; c < kCriteoCategoryColumns; ++c) {
    *out++ = '\t';
    if (ranks[c] != 0) out = WriteHex8(ids[c], out);
  }
  *out++ = '\n';
  return out;
}

}  // namespace

void AppendCriteoTsv(const CriteoRows& rows, std::string* out) {
  // Grow once for the worst case, write through a pointer, then trim: no
  // per-field bounds checks or reallocations.
  const size_t start = out->size();
  out->resize(start + static_cast<size_t>(rows.count * kCriteoMaxLineBytes));
  char* const begin = out->data() + start;
  char* end = begin;
  for (int64_t row = 0; row < rows.count; ++row) end = WriteLine(rows, row, end);
  out->resize(start + static_cast<size_t>(end - begin));
}

}  // namespace kiln
