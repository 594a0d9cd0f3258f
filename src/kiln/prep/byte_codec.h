// Little helpers to put accumulators into bytes and read them back
// (Accumulator::Serialize / MergeSerialized). Values are stored in the host's
// byte order (every Kiln target is little-endian).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace kiln::prep {

template <typename T>
void PutValue(std::string* out, T value) {
  out->append(reinterpret_cast<const char*>(&value), sizeof(T));
}

inline void PutText(std::string* out, std::string_view text) {
  PutValue<uint64_t>(out, text.size());
  out->append(text);
}

// Reads values in order; ok() turns false (and stays false) on a short input.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  template <typename T>
  T Get() {
    T value{};
    if (bytes_.size() < sizeof(T)) {
      ok_ = false;
      return value;
    }
    std::memcpy(&value, bytes_.data(), sizeof(T));
    bytes_.remove_prefix(sizeof(T));
    return value;
  }
  std::string_view GetText() {
    uint64_t size = Get<uint64_t>();
    if (!ok_ || bytes_.size() < size) {
      ok_ = false;
      return {};
    }
    std::string_view text = bytes_.substr(0, size);
    bytes_.remove_prefix(size);
    return text;
  }
  bool ok() const { return ok_; }
  bool empty() const { return bytes_.empty(); }

 private:
  std::string_view bytes_;  // Not read yet.
  bool ok_ = true;          // No read ran past the end.
};

}  // namespace kiln::prep
