#include "kiln/data/shuffle_buffer.h"

#include <cstring>

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

ShuffleBuffer::ShuffleBuffer(const BoundMapping& mapping, int64_t capacity, uint64_t seed)
    : capacity_(capacity), random_(seed) {
  ResizeBatch(mapping, capacity, &slots_);
  list_slots_.assign(mapping.list_count, std::vector<std::vector<int64_t>>(mapping.list_count > 0 ? capacity : 0));
}

void ShuffleBuffer::Reset(uint64_t seed) {
  size_ = 0;
  random_ = Xoshiro256(seed);
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
  CopyFixedRows(block, row, &slots_, size_, count);
  for (int64_t i = 0; i < count && !list_slots_.empty(); ++i) CopyListsToSlot(block, row + i, size_ + i);
  size_ += count;
}

void ShuffleBuffer::Pick(int64_t count, int64_t bound) {
  picks_.resize(count);
  for (int64_t i = 0; i < count; ++i) picks_[i] = static_cast<int64_t>(Below(&random_, bound));
}

namespace {

// Slots are spread over a large buffer: start loading a slot's lines a few
// rows before they are copied.
constexpr int64_t kPrefetchDistance = 8;

void PrefetchSlot(const Batch& slots, int64_t slot) {
  if (slots.dense_width > 0) __builtin_prefetch(&slots.dense[slot * slots.dense_width]);
  if (slots.sparse_width > 0) {
    const int64_t* sparse = &slots.sparse[slot * slots.sparse_width];
    for (int i = 0; i < slots.sparse_width; i += 8) __builtin_prefetch(sparse + i);
  }
}

}  // namespace

void ShuffleBuffer::Exchange(const Batch& block, int64_t row, int64_t count, Batch* out, int64_t out_row) {
  Pick(count, size_);
  for (int64_t i = 0; i < count; ++i) {
    if (i + kPrefetchDistance < count) PrefetchSlot(slots_, picks_[i + kPrefetchDistance]);
    const int64_t slot = picks_[i];
    CopyFixedRows(slots_, slot, out, out_row + i);
    CopyFixedRows(block, row + i, &slots_, slot);
    if (!list_slots_.empty()) {
      AppendSlotLists(slot, out);
      CopyListsToSlot(block, row + i, slot);
    }
  }
}

void ShuffleBuffer::Drain(int64_t count, Batch* out, int64_t out_row) {
  for (int64_t i = 0; i < count; ++i) {
    const int64_t slot = static_cast<int64_t>(Below(&random_, size_));
    CopyFixedRows(slots_, slot, out, out_row + i);
    if (!list_slots_.empty()) AppendSlotLists(slot, out);
    --size_;
    if (slot != size_) {
      CopyFixedRows(slots_, size_, &slots_, slot);
      for (auto& lists : list_slots_) std::swap(lists[slot], lists[size_]);
    }
  }
}

}  // namespace kiln::data
