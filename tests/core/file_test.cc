#include "kiln/core/file.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "testing/temp_dir.h"

namespace kiln {
namespace {

TEST(OutputFileTest, AppearsOnlyAfterCommit) {
  testing::TempDir dir;
  std::string path = dir.File("out.txt");
  auto file = OutputFile::Create(path);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_TRUE((*file)->Append("hello ").ok());
  ASSERT_TRUE((*file)->Append(std::string(3 << 20, 'x')).ok());  // Larger than the write block.
  EXPECT_FALSE(std::filesystem::exists(path));
  ASSERT_TRUE((*file)->Commit().ok());
  EXPECT_EQ(std::filesystem::file_size(path), 6u + (3u << 20));
  EXPECT_EQ(testing::ReadFile(path).substr(0, 7), "hello x");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

TEST(OutputFileTest, AbandonedFileLeavesNothing) {
  testing::TempDir dir;
  std::string path = dir.File("out.txt");
  {
    auto file = OutputFile::Create(path);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Append("partial").ok());
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(OutputFileTest, UnwritableDirectoryIsAnError) {
  auto file = OutputFile::Create("/nonexistent-dir/x.txt");
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.status().message().find("/nonexistent-dir/x.txt"), std::string::npos);
}

TEST(InputFileTest, ReadsAtOffsetsAndReportsShortReads) {
  testing::TempDir dir;
  std::string path = dir.File("in.txt");
  ASSERT_TRUE(WriteFileAtomically(path, "0123456789").ok());
  auto file = InputFile::Open(path);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ((*file)->size(), 10);
  char buffer[8];
  ASSERT_TRUE((*file)->ReadExactly(3, 4, buffer).ok());
  EXPECT_EQ(std::string(buffer, 4), "3456");
  Status status = (*file)->ReadExactly(8, 4, buffer);
  EXPECT_EQ(status.code(), Status::Code::kCorruption);
  EXPECT_NE(status.message().find("in.txt"), std::string::npos);
  auto contents = ReadFileToString(path);
  ASSERT_TRUE(contents.ok());
  EXPECT_EQ(*contents, "0123456789");
}

TEST(InputFileTest, MissingFileAndDirectoryAreErrors) {
  testing::TempDir dir;
  auto missing = InputFile::Open(dir.File("nope"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kIOError);
  EXPECT_NE(missing.status().message().find("nope"), std::string::npos);
  auto directory = InputFile::Open(dir.path());
  ASSERT_FALSE(directory.ok());
  EXPECT_NE(directory.status().message().find("directory"), std::string::npos);
}

}  // namespace
}  // namespace kiln
