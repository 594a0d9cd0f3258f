#include "kiln/core/status.h"

#include <cerrno>

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(StatusTest, OkHasNoMessage) {
  Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.code(), Status::Code::kOk);
  EXPECT_EQ(status.message(), "");
  EXPECT_EQ(status.ToString(), "OK");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  Status status = Status::Corruption("data.csv:3, column 'x': bad value");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), Status::Code::kCorruption);
  EXPECT_EQ(status.ToString(), "Corruption: data.csv:3, column 'x': bad value");
}

TEST(StatusTest, WithContextPrefixesMessageAndKeepsOk) {
  EXPECT_TRUE(Status::OK().WithContext("reading").ok());
  Status status = Status::NotFound("no column 'y'").WithContext("a.parquet");
  EXPECT_EQ(status.code(), Status::Code::kNotFound);
  EXPECT_EQ(status.message(), "a.parquet: no column 'y'");
}

TEST(StatusTest, FromErrnoNamesTheSystemError) {
  Status status = Status::FromErrno("open x.tsv", ENOENT);
  EXPECT_EQ(status.code(), Status::Code::kIOError);
  EXPECT_EQ(status.message(), "open x.tsv: No such file or directory");
}

TEST(ResultTest, HoldsValueOrStatus) {
  Result<int> good = 42;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 42);
  Result<int> bad = Status::InvalidArgument("nope");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "nope");
}

}  // namespace
}  // namespace kiln
