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

TEST(PrettyPrintTest, WideTablesElideMiddleColumns) {
  std::vector<Field> fields;
  std::vector<std::shared_ptr<Column>> columns;
  for (int c = 0; c < 10; ++c) {
    fields.push_back({"col" + std::to_string(c), DataType::Int64()});
    ColumnBuilder builder(DataType::Int64());
    builder.Append<int64_t>(c);
    columns.push_back(builder.Finish());
  }
  auto schema = std::make_shared<const Schema>(fields);
  Table table(schema, {*RecordBatch::Make(schema, columns)});
  PrettyOptions options;
  options.max_table_width = 40;
  std::string text = PrettyPrint(table, options);
  EXPECT_EQ(text,
            "┌───────┬───────┬───┬───────┬───────┐\n"
            "│ col0  │ col1  │ … │ col8  │ col9  │\n"
            "│ int64 │ int64 │ … │ int64 │ int64 │\n"
            "├───────┼───────┼───┼───────┼───────┤\n"
            "│     0 │     1 │ … │     8 │     9 │\n"
            "└───────┴───────┴───┴───────┴───────┘\n"
            "1 rows × 10 columns\n");
  options.max_table_width = 0;
  EXPECT_NE(PrettyPrint(table, options).find("col5"), std::string::npos);
}

}  // namespace
}  // namespace kiln
