// ValueCounter: counts the values of one Categorify dictionary, in memory
// or, past a byte budget, partly on disk; Finish() turns the counts into
// the dictionary table.
//
// Adaptive strategy: a counter starts as an in-memory hash map (a flat
// open-addressing map for integers, a node map for strings). When its
// estimated size passes budget.bytes it spills: the entries are written to
// one run file grouped into kPartitions hash partitions (with the offset of
// each partition) and the map starts empty again. So the cardinality decides:
// columns whose distinct values fit stay in memory and never touch the disk,
// high-cardinality ones turn into runs. Merge() adopts the other counter's
// runs (shared, not copied) and adds its in-memory entries.
//
// Finish() without runs orders the map's entries. With runs it merges one
// partition at a time (every run's segment of it plus the in-memory entries
// that hash to it) and keeps only the candidates (count >= min_freq), so the
// peak is one partition's map plus the candidates, about 1/kPartitions of
// the distinct values plus the dictionary itself. The dictionary must fit
// in memory: Categorify checks its size against its budget.
//
// Run files live in budget.spill_directory and are removed when the last
// counter holding them goes away.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kiln/core/column.h"
#include "kiln/core/status.h"
#include "kiln/core/table.h"
#include "kiln/prep/byte_codec.h"
#include "kiln/prep/categorify.h"

namespace kiln::prep {

struct CounterBudget {
  int64_t bytes = 0;            // Estimated map bytes before a spill; 0: never spill.
  std::string spill_directory;  // Created on the first spill.
};

class ValueCounter {
 public:
  static constexpr int kPartitions = 256;  // Hash partitions of a run.

  virtual ~ValueCounter() = default;
  // Counts the non-null values of `column`; may spill (IOError).
  // REQUIRES: column has the counter's value type.
  virtual Status Add(const Column& column) = 0;
  // Adds everything `other` counted. REQUIRES: same value type.
  virtual Status Merge(const ValueCounter& other) = 0;
  // Every (value, count), including the spilled ones: a run that cannot be
  // read leaves the bytes short, which MergeSerialized() reports.
  virtual void Serialize(std::string* out) const = 0;
  virtual Status MergeSerialized(ByteReader* reader) = 0;
  // Distributed fit (Accumulator::SerializePartitions): appends, in
  // Serialize()'s form, the values whose hash falls in partition p to
  // (*parts)[p], spilled ones included. The same on every rank.
  virtual Status SerializePartitions(std::vector<std::string>* parts) const = 0;
  // Keeps only the values that can enter the dictionary (min_freq, then the
  // max_size most frequent), in memory. REQUIRES: the counts are complete
  // for every value held.
  virtual Status KeepCandidates(const CategorifyOptions& options) = 0;
  // The dictionary as a (value, count) table of `type` in id order.
  virtual Result<Table> Finish(const CategorifyOptions& options, const DataType& type) const = 0;
  // Runs written so far (0 while everything is in memory).
  virtual int64_t runs() const = 0;
};

// REQUIRES: type is an integer type or string.
std::unique_ptr<ValueCounter> NewValueCounter(const DataType& type, CounterBudget budget);

}  // namespace kiln::prep
