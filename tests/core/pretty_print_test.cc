#include "kiln/core/pretty_print.h"

#include <gtest/gtest.h>

#include "kiln/core/column_builder.h"

namespace kiln {
namespace {

TEST(PrettyPrintTest, ShowsNamesTypesValuesNullsAndFooter) {
  auto schema = std::make_shared<const Schema>(
      std::vector<Field>{{"id", DataType::Int32()}, {"name", DataType::String()}});
  ColumnBuilder ids(DataType::Int32()), names(DataType::String());
  for (int i = 0; i < 12; ++i) {
    ids.Append<int32_t>(i * 100);
    if (i == 1) {
      names.AppendNull();
    } else {
      names.AppendString(i == 2 ? std::string(40, 'x') : "n" + std::to_string(i));
    }
  }
  Table table(schema, {*RecordBatch::Make(schema, {ids.Finish(), names.Finish()})});
  PrettyOptions options;
  options.max_rows = 3;
  options.max_column_width = 10;
  std::string text = PrettyPrint(table, options);
  EXPECT_EQ(text,
            "┌───────┬────────────┐\n"
            "│ id    │ name       │\n"
            "│ int32 │ string     │\n"
            "├───────┼────────────┤\n"
            "│     0 │ n0         │\n"
            "│   100 │ null       │\n"
            "│   200 │ xxxxxxxxx… │\n"
            "└───────┴────────────┘\n"
            "12 rows × 2 columns (3 shown)\n");
}

}  // namespace
}  // namespace kiln
