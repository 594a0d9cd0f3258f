// Accumulator: the statistics one operator gathers in a fit pass.
//
// A fit pass gives every worker its own accumulator per fitted operator, so
// Update() needs no locks; at the end of the pass the accumulators are merged
// into one and handed to Operator::Fit(). The statistics are mergeable by
// construction (counts, sums, min/max, value counts), and they can be turned
// into bytes and merged from bytes, so that a distributed run can exchange
// them between processes (all-reduce) without knowing what they hold.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kiln/core/record_batch.h"
#include "kiln/core/status.h"

namespace kiln::prep {

class Accumulator {
 public:
  virtual ~Accumulator() = default;

  // Adds the rows of `batch`, which holds the operator's input columns as
  // the stream has them at the operator's position in the pipeline.
  virtual Status Update(const RecordBatch& batch) = 0;
  // Adds everything `other` has gathered.
  // REQUIRES: other was created by the same operator's NewAccumulator().
  virtual Status Merge(const Accumulator& other) = 0;
  // Appends the gathered statistics to *out in a portable byte form.
  virtual void Serialize(std::string* out) const = 0;
  // Adds statistics that Serialize() produced (possibly in another process).
  virtual Status MergeSerialized(std::string_view bytes) = 0;

  // Hash partitioning, for statistics too large to gather whole on every
  // rank (dictionaries). An accumulator that supports it splits its
  // statistics by key into parts->size() byte strings in Serialize()'s form
  // (part p: the keys whose hash falls in partition p). The rank that owns
  // partition p merges every rank's part p into a fresh accumulator, which
  // then holds the complete statistics of its keys, and KeepFitCandidates()
  // drops what Fit() would drop anyway; the survivors are gathered on every
  // rank and merged for Fit().
  virtual bool partitionable() const { return false; }
  virtual Status SerializePartitions(std::vector<std::string>* parts) const {
    return Status::NotSupported("these statistics cannot be hash partitioned");
  }
  // REQUIRES: this accumulator holds the complete statistics of its keys.
  virtual void KeepFitCandidates() {}
};

}  // namespace kiln::prep
