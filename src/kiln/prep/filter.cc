#include "kiln/prep/filter.h"

#include "kiln/prep/take_rows.h"

namespace kiln::prep {

Result<SchemaPtr> Filter::Bind(const SchemaPtr& input) {
  if (options_.expression.empty()) return Status::InvalidArgument("filter: give an expression");
  auto parsed = Expression::Parse(options_.expression);
  if (!parsed.ok()) return parsed.status();
  expression_ = std::move(*parsed);
  Status status = expression_.Bind(*input);
  if (!status.ok()) return status;
  return input;
}

Result<RecordBatchPtr> Filter::Transform(const RecordBatchPtr& batch) const {
  auto keep = expression_.Evaluate(*batch);
  if (!keep.ok()) return keep.status();
  std::vector<int64_t> rows;
  rows.reserve(keep->size());
  for (size_t row = 0; row < keep->size(); ++row) {
    if ((*keep)[row]) rows.push_back(static_cast<int64_t>(row));
  }
  if (static_cast<int64_t>(rows.size()) == batch->num_rows()) return batch;
  return TakeRows(*batch, rows);
}

}  // namespace kiln::prep
