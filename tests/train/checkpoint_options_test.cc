// Checkpoint files and option parsing: round trips and the errors that name
// the file, the key or the array.
#include <string>

#include <gtest/gtest.h>

#include "kiln/train/checkpoint_file.h"
#include "kiln/train/train_options.h"
#include "testing/temp_dir.h"

namespace kiln::train {
namespace {

TEST(CheckpointFileTest, RoundTripAndRestore) {
  testing::TempDir dir;
  const std::string path = dir.File("c.kckp");
  const float a[] = {1, 2, 3};
  const float b[] = {-4.5f};
  CheckpointHeader header{7, 1, 3, 900, 42, 2.5};
  ASSERT_TRUE(WriteCheckpoint(path, header, {{"a", a, 3}, {"b", b, 1}}).ok());
  auto contents = ReadCheckpoint(path);
  ASSERT_TRUE(contents.ok()) << contents.status().ToString();
  EXPECT_EQ(contents->header.step, 7);
  EXPECT_EQ(contents->header.batch, 3);
  EXPECT_EQ(contents->header.seed, 42u);
  EXPECT_EQ(contents->arrays.at("a"), (std::vector<float>{1, 2, 3}));
  float target[3] = {};
  ASSERT_TRUE(RestoreArray(*contents, path, "a", target, 3).ok());
  EXPECT_EQ(target[2], 3);
  Status wrong_size = RestoreArray(*contents, path, "b", target, 3);
  EXPECT_NE(wrong_size.message().find("'b'"), std::string::npos);
  EXPECT_FALSE(RestoreArray(*contents, path, "missing", target, 3).ok());
}

TEST(CheckpointFileTest, TruncatedAndForeignFilesFail) {
  testing::TempDir dir;
  const std::string path = dir.File("c.kckp");
  const float a[] = {1, 2, 3};
  ASSERT_TRUE(WriteCheckpoint(path, {}, {{"a", a, 3}}).ok());
  std::string bytes = testing::ReadFile(path);
  testing::WriteFile(path, bytes.substr(0, bytes.size() - 2));
  auto truncated = ReadCheckpoint(path);
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.status().message().find(path), std::string::npos);
  testing::WriteFile(path, "PAR1 not a checkpoint");
  EXPECT_FALSE(ReadCheckpoint(path).ok());
}

TEST(TrainOptionsTest, YamlAndFlagsShareKeysAndChecks) {
  TrainOptions options;
  ASSERT_TRUE(ApplyTrainYaml("data: prep\nemb_dim: 8\nprecision: bf16\nshuffle: false\n", "c.yaml", &options).ok());
  EXPECT_EQ(options.data, "prep");
  EXPECT_EQ(options.emb_dim, 8);
  EXPECT_FALSE(options.shuffle);
  Status unknown = ApplyTrainYaml("data: prep\nembdim: 8\n", "c.yaml", &options);
  EXPECT_NE(unknown.message().find("c.yaml:2:1: unknown key 'embdim'"), std::string::npos) << unknown.ToString();
  Status wrong_type = ApplyTrainYaml("batch_size: big\n", "c.yaml", &options);
  EXPECT_NE(wrong_type.message().find("'batch_size': expected an integer"), std::string::npos)
      << wrong_type.ToString();
  Status flag = SetTrainOption("eval_fraction", "x", "--eval-fraction", &options);
  EXPECT_NE(flag.message().find("--eval-fraction: 'eval_fraction'"), std::string::npos) << flag.ToString();
}

TEST(TrainOptionsTest, ValidationNamesTheKey) {
  TrainOptions options;
  options.data = "prep";
  options.out = "run";
  EXPECT_TRUE(ValidateTrainOptions(options).ok());
  options.arch_mlp_top = "512-x-1";
  EXPECT_NE(ValidateTrainOptions(options).message().find("'arch_mlp_top'"), std::string::npos);
  options.arch_mlp_top = "512-1";
  options.precision = "fp8";
  EXPECT_NE(ValidateTrainOptions(options).message().find("'precision'"), std::string::npos);
  options.precision = "fp32";
  options.eval_fraction = 1.5;
  EXPECT_NE(ValidateTrainOptions(options).message().find("'eval_fraction'"), std::string::npos);
}

TEST(TrainOptionsTest, YamlOfOptionsReadsBack) {
  TrainOptions options;
  options.data = "d";
  options.learning_rate = 0.025;
  options.resume = true;
  options.seed = 9;
  TrainOptions back;
  ASSERT_TRUE(ApplyTrainYaml(TrainOptionsYaml(options), "config.yaml", &back).ok());
  EXPECT_EQ(back.data, "d");
  EXPECT_DOUBLE_EQ(back.learning_rate, 0.025);
  EXPECT_TRUE(back.resume);
  EXPECT_EQ(back.seed, 9);
  EXPECT_DOUBLE_EQ(back.epsilon, 1e-8);
}

}  // namespace
}  // namespace kiln::train
