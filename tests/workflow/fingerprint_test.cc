// Fingerprints change exactly when what a stage depends on changes.
#include "kiln/workflow/fingerprint.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/temp_dir.h"

namespace kiln::workflow {
namespace {

std::string Hash(const std::string& config, const std::vector<std::pair<std::string, std::string>>& upstream,
                 const std::vector<std::string>& paths, const std::string& version = "1.0") {
  auto fingerprint = ComputeFingerprint("prep", version, config, upstream, paths);
  EXPECT_TRUE(fingerprint.ok()) << fingerprint.status().ToString();
  return fingerprint.ok() ? fingerprint->hash : "";
}

TEST(FingerprintTest, FollowsConfigUpstreamVersionAndFiles) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("a.tsv"), "1\t2\n");
  const std::string base = Hash("min_freq: 3\n", {{"gen", "00aa"}}, {dir.File("a.tsv")});
  EXPECT_EQ(base.size(), 16u);
  EXPECT_EQ(Hash("min_freq: 3\n", {{"gen", "00aa"}}, {dir.File("a.tsv")}), base);
  EXPECT_NE(Hash("min_freq: 4\n", {{"gen", "00aa"}}, {dir.File("a.tsv")}), base);
  EXPECT_NE(Hash("min_freq: 3\n", {{"gen", "00ab"}}, {dir.File("a.tsv")}), base);
  EXPECT_NE(Hash("min_freq: 3\n", {{"gen", "00aa"}}, {dir.File("a.tsv")}, "1.1"), base);
  testing::WriteFile(dir.File("a.tsv"), "1\t3\n");  // Same size, other bytes: small files are hashed.
  EXPECT_NE(Hash("min_freq: 3\n", {{"gen", "00aa"}}, {dir.File("a.tsv")}), base);
}

TEST(FingerprintTest, DirectoriesCoverEveryFile) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.File("data/sub"));
  testing::WriteFile(dir.File("data/one"), "1");
  const std::string before = Hash("", {}, {dir.File("data")});
  testing::WriteFile(dir.File("data/sub/two"), "2");
  auto fingerprint = ComputeFingerprint("prep", "1.0", "", {}, {dir.File("data")});
  ASSERT_TRUE(fingerprint.ok());
  ASSERT_EQ(fingerprint->files.size(), 2u);
  EXPECT_EQ(fingerprint->files[0].path, dir.File("data/one"));
  EXPECT_EQ(fingerprint->files[1].stamp.rfind("fnv1a64:", 0), 0u);
  EXPECT_NE(fingerprint->hash, before);
}

TEST(FingerprintTest, LargeFilesAreStampedBySizeAndTime) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("big"), std::string((1 << 20) + 1, 'x'));
  auto fingerprint = ComputeFingerprint("prep", "1.0", "", {}, {dir.File("big")});
  ASSERT_TRUE(fingerprint.ok());
  EXPECT_EQ(fingerprint->files[0].stamp.rfind("size:1048577 mtime_ns:", 0), 0u) << fingerprint->files[0].stamp;
}

TEST(FingerprintTest, MissingInputIsNamed) {
  auto fingerprint = ComputeFingerprint("prep", "1.0", "", {}, {"/nonexistent/input.tsv"});
  EXPECT_EQ(fingerprint.status().message(), "stage 'prep': /nonexistent/input.tsv: no such file or directory");
}

TEST(FingerprintTest, RecordRoundTrips) {
  testing::TempDir dir;
  auto fingerprint = ComputeFingerprint("train", "1.0", "emb_dim: \"16\"\n", {{"prep", "0123"}}, {});
  ASSERT_TRUE(fingerprint.ok());
  testing::WriteFile(dir.File("train.json"), FingerprintJson(*fingerprint, 1.5));
  EXPECT_EQ(RecordedHash(dir.File("train.json")), fingerprint->hash);
  EXPECT_EQ(RecordedHash(dir.File("absent.json")), "");
  testing::WriteFile(dir.File("broken.json"), "{\"fingerprint\": ");
  EXPECT_EQ(RecordedHash(dir.File("broken.json")), "");
}

}  // namespace
}  // namespace kiln::workflow
