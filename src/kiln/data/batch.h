// Batch: one training batch as plain contiguous buffers, what the trainer
// consumes.
//
//   label   float [rows]
//   dense   float [rows, dense_width], row-major
//   sparse  int64 [rows, sparse_width], row-major: one id per one-hot column
//   lists   per multi-hot column: ids of all rows back to back, and
//           rows + 1 int64 offsets (row r owns values[offsets[r], offsets[r+1]))
//   mask    uint8 [rows]: 1 for a real row, 0 for a row repeated to pad the
//           last batches of an epoch (ShardOptions::drop_last == false)
//
// No torch types here: the train layer wraps these buffers without copying,
// e.g. torch::from_blob(batch->dense.data(), {rows, dense_width},
// [owner = shared_ptr<Batch>](void*) {}, torch::kFloat32), keeping the Batch
// alive through the deleter and handing the Loader a fresh Batch for the next
// call. The vectors keep their capacity, so a reused Batch costs no
// allocation per call.
#pragma once

#include <cstdint>
#include <vector>

namespace kiln::data {

struct ListFeature {
  std::vector<int64_t> values;   // Ids of every row, row after row.
  std::vector<int64_t> offsets;  // rows + 1 entries, offsets[0] == 0.
};

struct Batch {
  int64_t rows = 0;                // 0 after the last batch of the last epoch.
  int64_t epoch = 0;               // The epoch this batch belongs to.
  int64_t index = 0;               // Its index within the epoch, from 0.
  int dense_width = 0;             // D: dense columns.
  int sparse_width = 0;            // S: one-hot sparse columns.
  std::vector<float> label;        // [rows]; empty when no label is mapped.
  std::vector<float> dense;        // [rows * D]
  std::vector<int64_t> sparse;     // [rows * S]
  std::vector<ListFeature> lists;  // One per multi-hot column.
  std::vector<uint8_t> mask;       // [rows]: 0 marks a padding row.
  int64_t padded_rows = 0;         // Rows with mask 0.
};

}  // namespace kiln::data
