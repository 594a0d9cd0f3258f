// Buffer: a growable, 64-byte aligned block of bytes.
//
// Columns share buffers through shared_ptr, so slicing never copies. A buffer
// is mutable while a builder fills it and treated as immutable once a Column
// holds it. The memory past size() up to capacity() is allocated but unset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

namespace kiln {

class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(size_t size) { Resize(size); }
  ~Buffer();

  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }

  template <typename T> T* mutable_as() { return reinterpret_cast<T*>(data_); }
  template <typename T> const T* as() const { return reinterpret_cast<const T*>(data_); }

  // Grows capacity to at least `capacity` bytes, keeping the contents.
  void Reserve(size_t capacity);
  // Sets size(); new bytes are unset. Grows geometrically.
  void Resize(size_t size) {
    if (size > capacity_) Reserve(size > 2 * capacity_ ? size : 2 * capacity_);
    size_ = size;
  }
  void Append(const void* bytes, size_t length) {
    size_t old = size_;
    Resize(size_ + length);
    if (length) std::memcpy(data_ + old, bytes, length);
  }

  // Creates a buffer holding a copy of `length` bytes.
  static std::shared_ptr<Buffer> CopyOf(const void* bytes, size_t length);

 private:
  uint8_t* data_ = nullptr;  // Aligned to 64 bytes; null when capacity_ == 0.
  size_t size_ = 0;          // Bytes in use.
  size_t capacity_ = 0;      // Bytes allocated.
};

}  // namespace kiln
