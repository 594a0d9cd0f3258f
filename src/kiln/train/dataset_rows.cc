#include "kiln/train/dataset_rows.h"

#include <algorithm>
#include <cmath>

namespace kiln::train {

int64_t HeldOutFirstRow(int64_t total_rows, double eval_fraction) {
  return total_rows - static_cast<int64_t>(std::floor(static_cast<double>(total_rows) * eval_fraction));
}

Status ForEachRows(const data::DataSource& source, int64_t first_row,
                   const std::function<Status(data::Batch*)>& visit) {
  data::Batch batch;
  int64_t unit_start = 0;  // Dataset row of the unit's first row.
  const std::vector<data::ReadUnit>& units = source.units();
  for (size_t unit = 0; unit < units.size(); ++unit) {
    const int64_t unit_end = unit_start + units[unit].rows;
    if (unit_end > first_row) {
      const int64_t begin = std::max<int64_t>(0, first_row - unit_start);
      Status status = source.Read(static_cast<int64_t>(unit), begin, units[unit].rows - begin, false, &batch);
      if (status.ok()) status = visit(&batch);
      if (!status.ok()) return status;
    }
    unit_start = unit_end;
  }
  return Status::OK();
}

}  // namespace kiln::train
