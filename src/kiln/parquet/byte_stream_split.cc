#include "kiln/parquet/byte_stream_split.h"

#include <string>

namespace kiln::parquet {

namespace {

// With the width known at compile time the inner loop unrolls and the
// compiler keeps the stream pointers in registers.
template <int kWidth>
void Gather(const uint8_t* data, int64_t count, uint8_t* out) {
  const uint8_t* streams[kWidth];
  for (int k = 0; k < kWidth; ++k) streams[k] = data + k * count;
  for (int64_t i = 0; i < count; ++i) {
    for (int k = 0; k < kWidth; ++k) out[i * kWidth + k] = streams[k][i];
  }
}

void GatherAnyWidth(const uint8_t* data, int64_t count, int width, uint8_t* out) {
  for (int k = 0; k < width; ++k) {
    const uint8_t* stream = data + k * count;
    for (int64_t i = 0; i < count; ++i) out[i * width + k] = stream[i];
  }
}

template <int kWidth>
void Scatter(const uint8_t* values, int64_t count, uint8_t* out) {
  uint8_t* streams[kWidth];
  for (int k = 0; k < kWidth; ++k) streams[k] = out + k * count;
  for (int64_t i = 0; i < count; ++i) {
    for (int k = 0; k < kWidth; ++k) streams[k][i] = values[i * kWidth + k];
  }
}

void ScatterAnyWidth(const uint8_t* values, int64_t count, int width, uint8_t* out) {
  for (int k = 0; k < width; ++k) {
    uint8_t* stream = out + k * count;
    for (int64_t i = 0; i < count; ++i) stream[i] = values[i * width + k];
  }
}

}  // namespace

Status DecodeByteStreamSplit(const uint8_t* data, size_t size, int64_t count, int value_width, uint8_t* out,
                             size_t* consumed) {
  if (value_width <= 0) return Status::Corruption("BYTE_STREAM_SPLIT values of width " + std::to_string(value_width));
  if (count < 0 || static_cast<uint64_t>(count) > size / value_width) {
    return Status::Corruption("BYTE_STREAM_SPLIT: " + std::to_string(count) + " values of " +
                              std::to_string(value_width) + " bytes do not fit in " + std::to_string(size) +
                              " bytes");
  }
  switch (value_width) {
    case 4: Gather<4>(data, count, out); break;
    case 8: Gather<8>(data, count, out); break;
    default: GatherAnyWidth(data, count, value_width, out); break;
  }
  *consumed = static_cast<size_t>(count) * value_width;
  return Status::OK();
}

void EncodeByteStreamSplit(const uint8_t* values, int64_t count, int value_width, Buffer* out) {
  size_t start = out->size();
  out->Resize(start + static_cast<size_t>(count) * value_width);
  uint8_t* streams = out->data() + start;
  switch (value_width) {
    case 4: Scatter<4>(values, count, streams); break;
    case 8: Scatter<8>(values, count, streams); break;
    default: ScatterAnyWidth(values, count, value_width, streams); break;
  }
}

}  // namespace kiln::parquet
