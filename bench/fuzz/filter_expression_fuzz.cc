// Fuzzes Filter's expression language: tokenizer, parser (nesting limits),
// type checking against a fixed schema, and vectorized evaluation over a
// small batch with nulls in every column.
#include <string_view>

#include "kiln/core/column_builder.h"
#include "kiln/prep/expression.h"

namespace {

kiln::RecordBatchPtr SampleBatch() {
  using kiln::DataType;
  kiln::ColumnBuilder a(DataType::Int64()), b(DataType::Float64()), s(DataType::String()), f(DataType::Bool());
  for (int row = 0; row < 5; ++row) {
    if (row == 2) {
      a.AppendNull(), b.AppendNull(), s.AppendNull(), f.AppendNull();
      continue;
    }
    a.Append<int64_t>(row - 1);
    b.Append<double>(row * 0.5);
    s.AppendString(row % 2 ? "DE" : "FR");
    f.Append<uint8_t>(row % 2);
  }
  auto schema = std::make_shared<kiln::Schema>(std::vector<kiln::Field>{
      {"a", DataType::Int64()}, {"b", DataType::Float64()}, {"s", DataType::String()}, {"f", DataType::Bool()}});
  return std::make_shared<kiln::RecordBatch>(schema, std::vector{a.Finish(), b.Finish(), s.Finish(), f.Finish()}, 5);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const kiln::RecordBatchPtr batch = SampleBatch();
  auto expression = kiln::prep::Expression::Parse(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!expression.ok()) return 0;
  if (!expression->Bind(*batch->schema()).ok()) return 0;
  auto rows = expression->Evaluate(*batch);
  if (rows.ok() && rows->size() != 5) __builtin_trap();
  return 0;
}
