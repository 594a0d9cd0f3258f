// OpenHashMap: a flat hash map from integer keys to small values, with
// linear probing in one power-of-two array. Categorify counts tens of
// millions of values per pass with it, where node-based maps spend their
// time in allocation and pointer chasing.
//
// The largest key value marks empty slots; that one key is kept beside the
// array, so every key is allowed.
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

namespace kiln::prep {

template <typename K, typename V>
class OpenHashMap {
  static_assert(std::is_integral_v<K>, "keys are integers");

 public:
  OpenHashMap() { Rehash(16); }

  int64_t size() const { return size_ + (has_empty_key_ ? 1 : 0); }
  // Bytes of the slot array.
  int64_t memory_bytes() const { return static_cast<int64_t>(entries_.size() * sizeof(Entry)); }

  // The value of `key`, inserted as V{} when absent.
  V& operator[](K key) {
    if (key == kEmpty) {
      if (!has_empty_key_) {
        has_empty_key_ = true;
        empty_key_value_ = V{};
      }
      return empty_key_value_;
    }
    size_t slot = SlotOf(key);
    for (;;) {
      Entry& entry = entries_[slot];
      if (entry.key == key) return entry.value;
      if (entry.key == kEmpty) break;
      slot = (slot + 1) & mask_;
    }
    if (static_cast<size_t>(size_ + 1) * 4 > entries_.size() * 3) {  // Keep the load under 3/4.
      Rehash(entries_.size() * 2);
      return (*this)[key];
    }
    ++size_;
    entries_[slot].key = key;
    entries_[slot].value = V{};
    return entries_[slot].value;
  }

  // The value of `key`, or nullptr.
  const V* Find(K key) const {
    if (key == kEmpty) return has_empty_key_ ? &empty_key_value_ : nullptr;
    for (size_t slot = SlotOf(key);; slot = (slot + 1) & mask_) {
      const Entry& entry = entries_[slot];
      if (entry.key == key) return &entry.value;
      if (entry.key == kEmpty) return nullptr;
    }
  }

  // Starts loading the slot where `key` would be, so that a lookup a few
  // steps later finds it in cache. Loops over large maps prefetch ahead.
  void Prefetch(K key) const { __builtin_prefetch(&entries_[SlotOf(key)]); }

  // Makes room for `count` keys without rehashing.
  void Reserve(int64_t count) {
    size_t capacity = 16;
    while (capacity * 3 < static_cast<size_t>(count) * 4) capacity *= 2;
    if (capacity > entries_.size()) Rehash(capacity);
  }

  // Calls f(key, value) for every entry, in no particular order.
  template <typename F>
  void ForEach(F&& f) const {
    for (const Entry& entry : entries_) {
      if (entry.key != kEmpty) f(entry.key, entry.value);
    }
    if (has_empty_key_) f(kEmpty, empty_key_value_);
  }

 private:
  static constexpr K kEmpty = std::numeric_limits<K>::max();
  struct Entry {
    K key;
    V value;
  };

  size_t SlotOf(K key) const {
    uint64_t bits = static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ULL;
    return static_cast<size_t>(bits >> shift_);
  }

  void Rehash(size_t capacity) {
    std::vector<Entry> old = std::move(entries_);
    entries_.assign(capacity, Entry{kEmpty, V{}});
    mask_ = capacity - 1;
    shift_ = 64 - __builtin_ctzll(capacity);
    size_ = 0;
    for (const Entry& entry : old) {
      if (entry.key == kEmpty) continue;
      size_t slot = SlotOf(entry.key);
      while (entries_[slot].key != kEmpty) slot = (slot + 1) & mask_;
      entries_[slot] = entry;
      ++size_;
    }
  }

  std::vector<Entry> entries_;   // Power-of-two slots; key kEmpty marks a free one.
  size_t mask_ = 0;              // entries_.size() - 1.
  int shift_ = 64;               // 64 - log2(entries_.size()): the hash's top bits pick the slot.
  int64_t size_ = 0;             // Keys in entries_.
  bool has_empty_key_ = false;   // The key kEmpty is present.
  V empty_key_value_{};          // Its value.
};

}  // namespace kiln::prep
