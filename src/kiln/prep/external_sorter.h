// ExternalSorter: orders a stream of any size by a barrier's order keys
// (barrier_operator.h) with bounded memory.
//
// Add() buffers batches with their keys; past the barrier's memory_limit it
// sorts the buffer and spills it as a run (batch_spill.h, the key as an
// extra binary column). Finish() spills the rest and, when there are more
// runs than can be merged at once, merges them in groups into longer runs.
// OpenSorted() streams a k-way merge of the runs; it can be called again
// (a later stage's fit passes reread the sorted stream). Memory: the buffer
// while adding; one batch per run while merging.
//
// Run files live under `path_prefix` (in the output's temporary directory)
// and are removed by the destructor.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kiln/core/batch_stream.h"
#include "kiln/prep/barrier_operator.h"

namespace kiln::prep {

class ExternalSorter {
 public:
  // REQUIRES: `barrier` is bound to `schema` and outlives the sorter.
  ExternalSorter(const BarrierOperator* barrier, SchemaPtr schema, std::string path_prefix);
  ~ExternalSorter();

  ExternalSorter(const ExternalSorter&) = delete;
  ExternalSorter& operator=(const ExternalSorter&) = delete;

  // Adds the next batch of the stream. REQUIRES: Finish() not called.
  Status Add(const RecordBatchPtr& batch);
  // Ends the input; `upstream` is the read report the sorted stream carries.
  Status Finish(const ReadReport& upstream);
  // The rows in order, in batches of the sorter's schema. REQUIRES: Finish().
  Result<std::unique_ptr<BatchReader>> OpenSorted() const;

  int64_t rows() const { return rows_; }
  // Runs spilled by Add() and Finish() before any merging of runs.
  int runs_spilled() const { return runs_spilled_; }

 private:
  Status SpillRun();
  // Merges runs_[begin, end) into one new run at the back of runs_.
  Status MergeRuns(size_t begin, size_t end);
  std::string NewRunPath();

  const BarrierOperator* barrier_;        // Gives the order keys.
  SchemaPtr schema_;                      // Of the stream.
  SchemaPtr run_schema_;                  // schema_ plus the binary key column.
  std::string path_prefix_;               // Run files are <prefix>-<n>.spill.
  std::vector<RecordBatchPtr> buffered_;  // Batches with their key column, not yet spilled.
  int64_t buffered_bytes_ = 0;            // BatchBytes() over buffered_.
  std::vector<std::string> runs_;         // Paths of the runs to merge.
  std::vector<std::string> all_paths_;    // Every run file written, for removal.
  int64_t rows_ = 0;                      // Rows added so far; the next row's position.
  int runs_spilled_ = 0;                  // Runs spilled from the buffer.
  ReadReport upstream_;                   // Given to Finish().
};

}  // namespace kiln::prep
