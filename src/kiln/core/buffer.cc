#include "kiln/core/buffer.h"

#include <cstdlib>
#include <new>

namespace kiln {

namespace {
constexpr size_t kAlignment = 64;
// Extra bytes after every allocation, so that vectorized readers (simdjson,
// word-at-a-time bit unpacking) may read a little past the end safely.
constexpr size_t kPadding = 64;
}  // namespace

Buffer::~Buffer() { std::free(data_); }

void Buffer::Reserve(size_t capacity) {
  if (capacity <= capacity_) return;
  size_t rounded = (capacity + kPadding + kAlignment - 1) / kAlignment * kAlignment;
  void* fresh = std::aligned_alloc(kAlignment, rounded);
  if (fresh == nullptr) throw std::bad_alloc();
  std::memset(static_cast<uint8_t*>(fresh) + capacity, 0, rounded - capacity);
  if (size_) std::memcpy(fresh, data_, size_);
  std::free(data_);
  data_ = static_cast<uint8_t*>(fresh);
  capacity_ = capacity;
}

std::shared_ptr<Buffer> Buffer::CopyOf(const void* bytes, size_t length) {
  auto buffer = std::make_shared<Buffer>();
  buffer->Append(bytes, length);
  return buffer;
}

}  // namespace kiln
