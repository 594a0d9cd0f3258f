// MergeAcrossRanks: the statistics of a fit pass over the whole input, from
// each rank's statistics over its share, identical on every rank.
//
// Accumulators that support hash partitioning (Categorify's value counts)
// are exchanged by key: rank p receives every rank's counts of the values
// whose hash falls in partition p (all-to-all), merges them, and keeps only
// the values that can enter the dictionary (min_freq, max_size); the
// survivors are then gathered on every rank, so Fit() orders them into one
// global dictionary everywhere. No rank ever holds every rank's raw counts.
// Other accumulators are gathered whole and merged in rank order, so every
// rank fits from the same bytes in the same order.
#pragma once

#include <memory>
#include <vector>

#include "kiln/dist/communicator.h"
#include "kiln/prep/pipeline.h"

namespace kiln::prep {

// Replaces each non-null (*merged)[step] (this rank's statistics of fit pass
// `pass`) with the statistics of all ranks. Collective; a failure on any rank
// is returned on every rank. With one rank it does nothing.
Status MergeAcrossRanks(dist::Communicator* communicator, const Pipeline& pipeline,
                        std::vector<std::unique_ptr<Accumulator>>* merged);

}  // namespace kiln::prep
