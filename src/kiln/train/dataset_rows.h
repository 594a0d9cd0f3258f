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

// Calls visit(batch) for consecutive pieces covering rows
// [first_row, source.num_rows()), in order; stops at the first error.
Status ForEachRows(const data::DataSource& source, int64_t first_row,
                   const std::function<Status(data::Batch*)>& visit);

}  // namespace kiln::train
