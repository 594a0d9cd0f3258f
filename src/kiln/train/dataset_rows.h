// Reads a dataset's rows in file order from a given row on, in pieces of at
// most one read unit: how evaluation reads the held-out tail and how
// prediction reads a whole dataset (no shuffle, no sharding, no padding).
#pragma once

#include <cstdint>
#include <functional>

#include "kiln/core/status.h"
#include "kiln/data/batch.h"
#include "kiln/data/data_source.h"

namespace kiln::train {

// The first held-out row when the last `eval_fraction` of `total_rows` rows
// are held out (rounded down to whole rows): the trainer's split, which
// `kiln evaluate` must reproduce exactly.
int64_t HeldOutFirstRow(int64_t total_rows, double eval_fraction);

// Calls visit(batch) for consecutive pieces covering rows
// [first_row, source.num_rows()), in order; stops at the first error.
Status ForEachRows(const data::DataSource& source, int64_t first_row,
                   const std::function<Status(data::Batch*)>& visit);

}  // namespace kiln::train
