// HashBucket and HashedCross: the documented stable hash, integer widths
// hashing alike, nulls, crosses.
#include <gtest/gtest.h>

#include "kiln/core/hash.h"
#include "kiln/prep/hash_bucket.h"
#include "kiln/prep/hashed_cross.h"
#include "table_builder.h"

namespace kiln::prep {
namespace {

using testing::MakeBatch;
using testing::MakeColumn;
using testing::Values;

RecordBatchPtr Users() {
  return MakeBatch({{"s", DataType::String()}, {"i", DataType::Int32()}, {"l", DataType::Int64()}},
                   {MakeColumn<std::string>(DataType::String(), {"a", std::nullopt, "", "a"}),
                    MakeColumn<int32_t>(DataType::Int32(), {7, -1, std::nullopt, 7}),
                    MakeColumn<int64_t>(DataType::Int64(), {7, -1, 0, 9})});
}

int32_t Bucket(uint64_t hash, int32_t buckets) { return static_cast<int32_t>(hash % buckets); }

TEST(HashBucketTest, DocumentedHashOfStringsAndIntegers) {
  // FNV-1a 64 of "a" is the published 0xaf63dc4c8601ec8c; of "" the offset basis.
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  HashBucket op({{{"s", "i", "l"}}, 1000, std::nullopt});
  ASSERT_TRUE(op.Bind(Users()->schema()).ok());
  auto out = op.Transform(Users());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const Column& s = (*out)->column(0);
  EXPECT_EQ(s.Value<int32_t>(0), Bucket(Mix64(0xaf63dc4c8601ec8cULL), 1000));
  EXPECT_TRUE(s.IsNull(1));
  EXPECT_EQ(s.Value<int32_t>(2), Bucket(Mix64(0xcbf29ce484222325ULL), 1000));
  EXPECT_EQ(s.Value<int32_t>(3), s.Value<int32_t>(0));
  // int32 and int64 hash alike: 7 and -1 (as the uint64 of int64 -1).
  const Column& i = (*out)->column(1);
  const Column& l = (*out)->column(2);
  EXPECT_EQ(i.Value<int32_t>(0), Bucket(Mix64(7), 1000));
  EXPECT_EQ(i.Value<int32_t>(0), l.Value<int32_t>(0));
  EXPECT_EQ(i.Value<int32_t>(1), Bucket(Mix64(~uint64_t{0}), 1000));
  EXPECT_EQ(i.Value<int32_t>(1), l.Value<int32_t>(1));
  EXPECT_TRUE(i.IsNull(2));
}

TEST(HashBucketTest, NullIdAndDefaultsAndErrors) {
  HashBucket op({{}, 10, 10});  // Default: string columns only.
  ASSERT_TRUE(op.Bind(Users()->schema()).ok());
  EXPECT_EQ(op.inputs(), (std::vector<std::string>{"s"}));
  auto out = op.Transform(Users());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)->column(0).Value<int32_t>(1), 10);
  EXPECT_EQ((*out)->column(0).null_count(), 0);
  EXPECT_EQ((*out)->column(1).type(), DataType::Int32());  // Untouched.
  EXPECT_FALSE(HashBucket({{{"s"}}, 0, std::nullopt}).Bind(Users()->schema()).ok());
  auto floats = MakeBatch({{"f", DataType::Float64()}}, {MakeColumn<double>(DataType::Float64(), {1.5})});
  EXPECT_FALSE(HashBucket({{{"f"}}, 4, std::nullopt}).Bind(floats->schema()).ok());
  auto empty = op.Transform(Users()->Slice(0, 0));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ((*empty)->num_rows(), 0);
}

TEST(HashedCrossTest, CombinesValueHashesInColumnOrder) {
  HashedCross op({{"s", "l"}, 97, "", std::nullopt});
  auto schema = op.Bind(Users()->schema());
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ((*schema)->field(3).name, "s_x_l");
  auto out = op.Transform(Users());
  ASSERT_TRUE(out.ok());
  const Column& cross = (*out)->column(3);
  uint64_t row0 = HashCombine(HashCombine(0, Mix64(Fnv1a64("a"))), Mix64(7));
  EXPECT_EQ(cross.Value<int32_t>(0), Bucket(row0, 97));
  EXPECT_TRUE(cross.IsNull(1));  // s is null.
  uint64_t row3 = HashCombine(HashCombine(0, Mix64(Fnv1a64("a"))), Mix64(9));
  EXPECT_EQ(cross.Value<int32_t>(3), Bucket(row3, 97));

  HashedCross with_id({{"i", "l"}, 97, "il", 0});
  ASSERT_TRUE(with_id.Bind(Users()->schema()).ok());
  out = with_id.Transform(Users());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)->column(3).Value<int32_t>(2), 0);  // i is null.
  auto empty = with_id.Transform(Users()->Slice(0, 0));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ((*empty)->num_rows(), 0);
  EXPECT_EQ((*empty)->num_columns(), 4);
  EXPECT_FALSE(HashedCross({{"s"}, 97, "", std::nullopt}).Bind(Users()->schema()).ok());
  EXPECT_FALSE(HashedCross({{"s", "nope"}, 97, "", std::nullopt}).Bind(Users()->schema()).ok());
  EXPECT_FALSE(HashedCross({{"s", "i"}, 97, "l", std::nullopt}).Bind(Users()->schema()).ok());  // Taken name.
}

}  // namespace
}  // namespace kiln::prep
