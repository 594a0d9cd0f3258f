#include "kiln/data/shuffle_buffer.h"

#include <sys/mman.h>

#include <cstring>
#include <new>

#include "kiln/data/batch_fill.h"

namespace kiln::data {

void CopyFixedRows(const Batch& from, int64_t from_row, Batch* to, int64_t to_row, int64_t count) {
  if (!from.label.empty()) std::memcpy(&to->label[to_row], &from.label[from_row], count * sizeof(float));
  const int dense = from.dense_width;
  const int sparse = from.sparse_width;
  if (dense > 0) {
    std::memcpy(&to->dense[to_row * dense], &from.dense[from_row * dense], count * dense * sizeof(float));
  }
  if (sparse > 0) {
    std::memcpy(&to->sparse[to_row * sparse], &from.sparse[from_row * sparse], count * sparse * sizeof(int64_t));
  }
  std::memcpy(&to->mask[to_row], &from.mask[from_row], count);
}

void AppendListRow(const Batch& from, int64_t row, Batch* to) {
  for (size_t l = 0; l < from.lists.size(); ++l) {
    const ListFeature& in = from.lists[l];
    ListFeature& out = to->lists[l];
    out.values.insert(out.values.end(), in.values.begin() + in.offsets[row], in.values.begin() + in.offsets[row + 1]);
    out.offsets.push_back(static_cast<int64_t>(out.values.size()));
  }
}

namespace {

constexpr size_t kHugePageBytes = size_t{2} << 20;

// Zeroed memory aligned to huge pages, which the kernel is asked to back with
// them (transparent huge pages in madvise mode).
uint8_t* AllocateSlots(size_t bytes) {
  size_t rounded = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
  void* memory = std::aligned_alloc(kHugePageBytes, rounded);
  if (memory == nullptr) throw std::bad_alloc();
  madvise(memory, rounded, MADV_HUGEPAGE);
  return static_cast<uint8_t*>(memory);
}

// Whether every one-hot column holds int32 ids.
bool AllSparseInt32(const BoundMapping& mapping) {
  const int first_sparse = (mapping.has_label ? 1 : 0) + mapping.dense_width;
  for (int s = 0; s < mapping.sparse_width; ++s) {
    if (mapping.types[first_sparse + s] != TypeId::kInt32) return false;
  }
  return true;
}

}  // namespace

ShuffleBuffer::ShuffleBuffer(const BoundMapping& mapping, int64_t capacity, uint64_t seed)
    : capacity_(capacity),
      label_bytes_(mapping.has_label ? 4 : 0),
      dense_bytes_(4 * mapping.dense_width),
      sparse_width_(mapping.sparse_width),
      narrow_sparse_(AllSparseInt32(mapping)),
      sparse_bytes_((narrow_sparse_ ? 4 : 8) * mapping.sparse_width),
      slot_bytes_((label_bytes_ + dense_bytes_ + sparse_bytes_ + 1 + 7) / 8 * 8),
      slots_(AllocateSlots(capacity * slot_bytes_)),
      random_(seed) {
  list_slots_.assign(mapping.list_count, std::vector<std::vector<int64_t>>(mapping.list_count > 0 ? capacity : 0));
}

void ShuffleBuffer::Reset(uint64_t seed) {
  size_ = 0;
  random_ = Xoshiro256(seed);
}

void ShuffleBuffer::StoreRow(const Batch& from, int64_t row, int64_t slot) {
  uint8_t* bytes = Slot(slot);
  std::memcpy(bytes, from.label.data() + row, label_bytes_);
  bytes += label_bytes_;
  std::memcpy(bytes, from.dense.data() + row * from.dense_width, dense_bytes_);
  bytes += dense_bytes_;
  const int64_t* ids = from.sparse.data() + row * from.sparse_width;
  if (narrow_sparse_) {
    for (int s = 0; s < sparse_width_; ++s) {
      const int32_t id = static_cast<int32_t>(ids[s]);
      std::memcpy(bytes + 4 * s, &id, 4);
    }
  } else {
    std::memcpy(bytes, ids, sparse_bytes_);
  }
  bytes[sparse_bytes_] = from.mask[row];
}

void ShuffleBuffer::LoadRow(int64_t slot, Batch* out, int64_t out_row) const {
  const uint8_t* bytes = Slot(slot);
  std::memcpy(out->label.data() + out_row, bytes, label_bytes_);
  bytes += label_bytes_;
  std::memcpy(out->dense.data() + out_row * out->dense_width, bytes, dense_bytes_);
  bytes += dense_bytes_;
  int64_t* ids = out->sparse.data() + out_row * out->sparse_width;
  if (narrow_sparse_) {
    for (int s = 0; s < sparse_width_; ++s) {
      int32_t id;
      std::memcpy(&id, bytes + 4 * s, 4);
      ids[s] = id;
    }
  } else {
    std::memcpy(ids, bytes, sparse_bytes_);
  }
  out->mask[out_row] = bytes[sparse_bytes_];
}

void ShuffleBuffer::CopyListsToSlot(const Batch& from, int64_t row, int64_t slot) {
  for (size_t l = 0; l < list_slots_.size(); ++l) {
    const ListFeature& in = from.lists[l];
    list_slots_[l][slot].assign(in.values.begin() + in.offsets[row], in.values.begin() + in.offsets[row + 1]);
  }
}

void ShuffleBuffer::AppendSlotLists(int64_t slot, Batch* out) const {
  for (size_t l = 0; l < list_slots_.size(); ++l) {
    const std::vector<int64_t>& ids = list_slots_[l][slot];
    ListFeature& list = out->lists[l];
    list.values.insert(list.values.end(), ids.begin(), ids.end());
    list.offsets.push_back(static_cast<int64_t>(list.values.size()));
  }
}

void ShuffleBuffer::Insert(const Batch& block, int64_t row, int64_t count) {
  for (int64_t i = 0; i < count; ++i, ++size_) {
    StoreRow(block, row + i, size_);
    if (!list_slots_.empty()) CopyListsToSlot(block, row + i, size_);
  }
}

void ShuffleBuffer::Pick(int64_t count, int64_t bound) {
  picks_.resize(count);
  for (int64_t i = 0; i < count; ++i) picks_[i] = static_cast<int64_t>(Below(&random_, bound));
}

namespace {

// Slots are spread over a large buffer: start loading a slot's lines a few
// rows before they are copied.
constexpr int64_t kPrefetchDistance = 16;

void PrefetchBytes(const uint8_t* bytes, int64_t length) {
  for (int64_t offset = 0; offset < length; offset += 64) __builtin_prefetch(bytes + offset, 1);
  __builtin_prefetch(bytes + length - 1, 1);
}

}  // namespace

void ShuffleBuffer::Exchange(const Batch& block, int64_t row, int64_t count, Batch* out, int64_t out_row) {
  Pick(count, size_);
  for (int64_t i = 0; i < count; ++i) {
    if (i + kPrefetchDistance < count) PrefetchBytes(Slot(picks_[i + kPrefetchDistance]), slot_bytes_);
    const int64_t slot = picks_[i];
    LoadRow(slot, out, out_row + i);
    StoreRow(block, row + i, slot);
    if (!list_slots_.empty()) {
      AppendSlotLists(slot, out);
      CopyListsToSlot(block, row + i, slot);
    }
  }
}

void ShuffleBuffer::Drain(int64_t count, Batch* out, int64_t out_row) {
  for (int64_t i = 0; i < count; ++i) {
    const int64_t slot = static_cast<int64_t>(Below(&random_, size_));
    LoadRow(slot, out, out_row + i);
    if (!list_slots_.empty()) AppendSlotLists(slot, out);
    --size_;
    if (slot != size_) {
      std::memcpy(Slot(slot), Slot(size_), slot_bytes_);
      for (auto& lists : list_slots_) std::swap(lists[slot], lists[size_]);
    }
  }
}

}  // namespace kiln::data
