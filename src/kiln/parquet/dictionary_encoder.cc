#include "kiln/parquet/dictionary_encoder.h"

#include <cstring>
#include <functional>
#include <string_view>

#include "kiln/parquet/bit_packing.h"

namespace kiln::parquet {

namespace {

constexpr size_t kInitialSlots = 1024;

// Fibonacci hashing of the value's bits; the table index takes the high bits.
inline uint64_t MixBits(uint64_t bits) { return bits * 0x9E3779B97F4A7C15ull; }

template <typename T>
inline uint64_t HashValue(const T& value) {
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof(T));
  return MixBits(bits);
}

inline uint64_t HashBytes(const uint8_t* data, int64_t length) {
  return MixBits(std::hash<std::string_view>()(std::string_view(reinterpret_cast<const char*>(data), length)));
}

// The slot where probing for `hash` starts in a table of `slots` (a power of two).
inline size_t FirstSlot(uint64_t hash, size_t slots) { return static_cast<size_t>(hash >> 32) & (slots - 1); }

int IndexBitWidth(int64_t size) { return size <= 2 ? 1 : BitWidthOf(static_cast<uint64_t>(size - 1)); }

}  // namespace

template <typename T>
void DictionaryEncoder<T>::Reset() {
  values_.clear();
  slots_.assign(kInitialSlots, 0);
}

template <typename T>
int DictionaryEncoder<T>::index_bit_width() const {
  return IndexBitWidth(size());
}

template <typename T>
void DictionaryEncoder<T>::Grow() {
  slots_.assign(slots_.size() * 2, 0);
  const size_t mask = slots_.size() - 1;
  for (size_t index = 0; index < values_.size(); ++index) {
    size_t slot = FirstSlot(HashValue(values_[index]), slots_.size());
    while (slots_[slot] != 0) slot = (slot + 1) & mask;
    slots_[slot] = static_cast<uint32_t>(index + 1);
  }
}

template <typename T>
void DictionaryEncoder<T>::Encode(const T* values, int64_t count, uint32_t* indices) {
  for (int64_t i = 0; i < count; ++i) {
    // Keep the table at most half full so probes stay short.
    if (2 * (values_.size() + 1) > slots_.size()) Grow();
    const size_t mask = slots_.size() - 1;
    size_t slot = FirstSlot(HashValue(values[i]), slots_.size());
    while (true) {
      uint32_t entry = slots_[slot];
      if (entry == 0) {
        values_.push_back(values[i]);
        slots_[slot] = static_cast<uint32_t>(values_.size());
        indices[i] = static_cast<uint32_t>(values_.size() - 1);
        break;
      }
      if (std::memcmp(&values_[entry - 1], &values[i], sizeof(T)) == 0) {
        indices[i] = entry - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
}

template class DictionaryEncoder<int32_t>;
template class DictionaryEncoder<int64_t>;
template class DictionaryEncoder<float>;
template class DictionaryEncoder<double>;

void ByteArrayDictionaryEncoder::Reset() {
  offsets_.assign(1, 0);
  bytes_.Resize(0);
  hashes_.clear();
  slots_.assign(kInitialSlots, 0);
}

int ByteArrayDictionaryEncoder::index_bit_width() const { return IndexBitWidth(size()); }

void ByteArrayDictionaryEncoder::Grow() {
  slots_.assign(slots_.size() * 2, 0);
  const size_t mask = slots_.size() - 1;
  for (size_t index = 0; index < hashes_.size(); ++index) {
    size_t slot = FirstSlot(hashes_[index], slots_.size());
    while (slots_[slot] != 0) slot = (slot + 1) & mask;
    slots_[slot] = static_cast<uint32_t>(index + 1);
  }
}

void ByteArrayDictionaryEncoder::Encode(const int64_t* offsets, const uint8_t* bytes, int64_t count,
                                        uint32_t* indices) {
  for (int64_t i = 0; i < count; ++i) {
    if (2 * (hashes_.size() + 1) > slots_.size()) Grow();
    const size_t mask = slots_.size() - 1;
    const uint8_t* value = bytes + offsets[i];
    const int64_t length = offsets[i + 1] - offsets[i];
    const uint64_t hash = HashBytes(value, length);
    size_t slot = FirstSlot(hash, slots_.size());
    while (true) {
      uint32_t entry = slots_[slot];
      if (entry == 0) {
        bytes_.Append(value, length);
        offsets_.push_back(static_cast<int64_t>(bytes_.size()));
        hashes_.push_back(hash);
        slots_[slot] = static_cast<uint32_t>(hashes_.size());
        indices[i] = static_cast<uint32_t>(hashes_.size() - 1);
        break;
      }
      const int64_t begin = offsets_[entry - 1];
      if (hashes_[entry - 1] == hash && offsets_[entry] - begin == length &&
          (length == 0 || std::memcmp(bytes_.data() + begin, value, length) == 0)) {
        indices[i] = entry - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
}

}  // namespace kiln::parquet
