// BatchSpill: batches (with nulls, strings, slices, no rows) come back as written.
#include <gtest/gtest.h>

#include "kiln/core/column_builder.h"
#include "kiln/prep/batch_spill.h"
#include "table_builder.h"
#include "testing/temp_dir.h"

namespace kiln::prep {
namespace {

using testing::MakeBatch;
using testing::MakeColumn;
using testing::Values;

TEST(BatchSpillTest, RoundTrip) {
  RecordBatchPtr batch = MakeBatch(
      {{"i", DataType::Int32()}, {"s", DataType::String()}, {"u", DataType::UInt32()}},
      {MakeColumn<int32_t>(DataType::Int32(), {1, std::nullopt, 3, 4, 5, 6, 7, 8, 9, std::nullopt}),
       MakeColumn<std::string>(DataType::String(), {"a", "", std::nullopt, "dd", "e", "f", "g", "h", "i", "j"}),
       MakeColumn<uint32_t>(DataType::UInt32(), {10, 9, 8, 7, 6, 5, 4, 3, 2, 1})});
  kiln::testing::TempDir dir;
  std::string path = dir.File("spill");
  auto writer = BatchSpillWriter::Create(path, batch->schema());
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Append(*batch).ok());
  ASSERT_TRUE((*writer)->Append(*batch->Slice(3, 0)).ok());
  ASSERT_TRUE((*writer)->Append(*batch->Slice(1, 8)).ok());  // Validity not byte aligned.
  ASSERT_TRUE((*writer)->Finish().ok());

  ReadReport report;
  report.rows_read = 18;
  auto reader = OpenBatchSpill(path, batch->schema(), report);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->report().rows_read, 18);
  std::vector<RecordBatchPtr> read;
  for (;;) {
    RecordBatchPtr next;
    ASSERT_TRUE((*reader)->Next(&next).ok());
    if (next == nullptr) break;
    read.push_back(next);
  }
  ASSERT_EQ(read.size(), 3u);
  EXPECT_EQ(Values<int32_t>(read[0]->column(0), -1), Values<int32_t>(batch->column(0), -1));
  EXPECT_EQ(read[1]->num_rows(), 0);
  RecordBatchPtr slice = batch->Slice(1, 8);
  EXPECT_EQ(Values<int32_t>(read[2]->column(0), -1), Values<int32_t>(slice->column(0), -1));
  EXPECT_EQ(Values<uint32_t>(read[2]->column(2)), Values<uint32_t>(slice->column(2)));
  for (int64_t r = 0; r < 8; ++r) {
    ASSERT_EQ(read[2]->column(1).IsNull(r), slice->column(1).IsNull(r));
    if (slice->column(1).IsValid(r)) {
      EXPECT_EQ(read[2]->column(1).GetString(r), slice->column(1).GetString(r));
    }
  }
}

// Lists (of strings, with null lists and null elements), sliced.
TEST(BatchSpillTest, ListsRoundTrip) {
  ColumnBuilder builder(DataType::List(DataType::String()));
  std::vector<std::vector<std::optional<std::string>>> lists = {{"a", "b"}, {}, {std::nullopt, "c"}, {"d"}, {}};
  for (size_t i = 0; i < lists.size(); ++i) {
    if (i == 1) {
      builder.AppendNull();
      continue;
    }
    for (const auto& value : lists[i]) {
      if (value) {
        builder.child().AppendString(*value);
      } else {
        builder.child().AppendNull();
      }
    }
    builder.AppendList();
  }
  RecordBatchPtr batch = MakeBatch({{"l", DataType::List(DataType::String())}}, {builder.Finish()});
  kiln::testing::TempDir dir;
  auto writer = BatchSpillWriter::Create(dir.File("spill"), batch->schema());
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Append(*batch->Slice(1, 4)).ok());
  ASSERT_TRUE((*writer)->Finish().ok());
  auto reader = OpenBatchSpill(dir.File("spill"), batch->schema(), ReadReport());
  ASSERT_TRUE(reader.ok());
  RecordBatchPtr read;
  ASSERT_TRUE((*reader)->Next(&read).ok());
  ASSERT_NE(read, nullptr);
  const Column& column = read->column(0);
  ASSERT_EQ(column.length(), 4);
  EXPECT_TRUE(column.IsNull(0));
  ASSERT_EQ(column.ListEnd(1) - column.ListBegin(1), 2);
  EXPECT_TRUE(column.child().IsNull(column.ListBegin(1)));
  EXPECT_EQ(column.child().GetString(column.ListBegin(1) + 1), "c");
  ASSERT_EQ(column.ListEnd(2) - column.ListBegin(2), 1);
  EXPECT_EQ(column.child().GetString(column.ListBegin(2)), "d");
  EXPECT_EQ(column.ListEnd(3), column.ListBegin(3));
  ASSERT_TRUE((*reader)->Next(&read).ok());
  EXPECT_EQ(read, nullptr);
}

}  // namespace
}  // namespace kiln::prep
