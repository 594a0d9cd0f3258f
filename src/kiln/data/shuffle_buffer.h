// ShuffleBuffer: mixes a stream of rows through a fixed number of slots.
//
// The classic streaming shuffle: the first `capacity` rows fill the slots;
// then each output row is a uniformly chosen slot, which the next input row
// replaces; once the input ends, each output row is a chosen slot and the
// last slot moves into its place. Picks come from a seeded generator, so the
// output depends only on the input order and the seed.
//
// Each slot holds one row's fixed-width features side by side (label, dense,
// sparse, mask), so a random pick touches a few adjacent cache lines, and the
// slots live in transparent huge pages where the kernel allows, so picks do
// not miss the TLB. Ids from int32 columns (all of DLRM's) are kept as int32,
// which makes a slot 3 cache lines instead of 5. Multi-hot lists are kept
// per slot.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

#include "kiln/data/batch.h"
#include "kiln/data/column_mapping.h"
#include "kiln/data/random.h"

namespace kiln::data {

// Copies rows [from_row, from_row + count) of `from` to *to from `to_row`
// on, lists aside. REQUIRES: both have the same widths and label presence.
void CopyFixedRows(const Batch& from, int64_t from_row, Batch* to, int64_t to_row, int64_t count = 1);

// Appends the lists of row `row` of `from` to *to's lists (rows in order).
void AppendListRow(const Batch& from, int64_t row, Batch* to);

class ShuffleBuffer {
 public:
  // REQUIRES: capacity >= 1
  ShuffleBuffer(const BoundMapping& mapping, int64_t capacity, uint64_t seed);

  ShuffleBuffer(const ShuffleBuffer&) = delete;
  ShuffleBuffer& operator=(const ShuffleBuffer&) = delete;

  // Empties the buffer and reseeds it, keeping its memory (for a new epoch).
  void Reset(uint64_t seed);

  int64_t size() const { return size_; }
  int64_t capacity() const { return capacity_; }
  bool full() const { return size_ == capacity_; }

  // Stores rows [row, row + count) of `block` in free slots.
  // REQUIRES: size() + count <= capacity()
  void Insert(const Batch& block, int64_t row, int64_t count);
  // Writes `count` picked rows to *out from row `out_row` on, replacing each
  // pick with the next row of `block` from `row` on. REQUIRES: full()
  void Exchange(const Batch& block, int64_t row, int64_t count, Batch* out, int64_t out_row);
  // Writes `count` picked rows to *out from `out_row` on, shrinking the
  // buffer. REQUIRES: count <= size()
  void Drain(int64_t count, Batch* out, int64_t out_row);

 private:
  // Draws `count` slots below `bound` into picks_, and prefetches them.
  void Pick(int64_t count, int64_t bound);
  uint8_t* Slot(int64_t slot) const { return slots_.get() + slot * slot_bytes_; }
  void StoreRow(const Batch& from, int64_t row, int64_t slot);
  void LoadRow(int64_t slot, Batch* out, int64_t out_row) const;
  void CopyListsToSlot(const Batch& from, int64_t row, int64_t slot);
  void AppendSlotLists(int64_t slot, Batch* out) const;

  struct FreeDeleter {
    void operator()(uint8_t* bytes) const { std::free(bytes); }
  };

  int64_t capacity_;                                           // Slots.
  int64_t size_ = 0;                                           // Slots in use: [0, size_).
  int label_bytes_;                                            // 4 with a label, else 0.
  int dense_bytes_;                                            // 4 * dense width.
  int sparse_width_;                                           // Ids per row.
  bool narrow_sparse_;                                         // Ids stored as int32 (every sparse column is int32).
  int sparse_bytes_;                                           // Bytes of a slot's ids.
  int64_t slot_bytes_;                                         // Label, dense, sparse, mask; a multiple of 8.
  std::unique_ptr<uint8_t, FreeDeleter> slots_;                // capacity_ * slot_bytes_ bytes.
  std::vector<std::vector<std::vector<int64_t>>> list_slots_;  // [list][slot]: ids.
  Xoshiro256 random_;                                          // Draws the picks.
  std::vector<int64_t> picks_;                                 // Of the current call.
};

}  // namespace kiln::data
