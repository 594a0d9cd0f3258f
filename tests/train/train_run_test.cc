// Training end to end on a few thousand generated rows: metrics, resume
// equality, NaN stops, config errors before any work, and `kiln train` /
// `kiln predict` as users run them.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "kiln/dist/communicator.h"
#include "kiln/train/checkpoint_file.h"
#include "kiln/train/trainer.h"
#include "testing/run_command.h"
#include "testing/temp_dir.h"

namespace kiln::train {
namespace {

// Runs the kiln binary with info logging (ctest sets KILN_LOG=warn), so
// summaries can be checked.
testing::KilnRun Kiln(const std::string& arguments) { return testing::RunKiln(arguments, "KILN_LOG=info"); }

class TrainRunTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_dir_ = new testing::TempDir();
    const std::string tsv = data_dir_->File("criteo.tsv");
    testing::KilnRun gen = Kiln("--quiet gen criteo --rows 6000 --seed 11 --out " + tsv);
    ASSERT_EQ(gen.exit_code, 0) << gen.output;
    testing::KilnRun prep = Kiln("--quiet prep --recipe dlrm --min-freq 2 --rows-per-part 2500 --in " + tsv + " --out " +
                          data_dir_->File("prep"));
    ASSERT_EQ(prep.exit_code, 0) << prep.output;
  }
  static void TearDownTestSuite() {
    delete data_dir_;
    data_dir_ = nullptr;
  }

  // A small architecture that trains in a second or two.
  TrainOptions SmallOptions(const std::string& out) const {
    TrainOptions options;
    options.data = data_dir_->File("prep");
    options.out = out;
    options.arch_mlp_bot = "13-16-8";
    options.arch_mlp_top = "16-1";
    options.emb_dim = 8;
    options.batch_size = 128;
    options.epochs = 2;
    options.eval_fraction = 0.2;
    options.optimizer = "adagrad";
    options.learning_rate = 0.05;
    options.shuffle_buffer_rows = 1000;
    options.threads = 2;
    options.seed = 3;
    return options;
  }

  static testing::TempDir* data_dir_;  // Generated and prepared once per suite.
  dist::LocalCommunicator world_;
  testing::TempDir run_dir_;
};

testing::TempDir* TrainRunTest::data_dir_ = nullptr;

TEST_F(TrainRunTest, LearnsAndWritesMetrics) {
  auto summary = RunTraining(SmallOptions(run_dir_.File("run")), &world_);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  // 4800 training rows, batch 128, two epochs: 37 whole batches each.
  EXPECT_EQ(summary->steps, 2 * (4800 / 128));
  EXPECT_EQ(summary->samples, summary->steps * 128);
  EXPECT_EQ(summary->eval.rows, 1200);
  EXPECT_GT(summary->eval.auc, 0.62);  // Generated labels carry signal; chance is 0.5.
  EXPECT_LT(summary->eval.logloss, 0.69);
  const std::string metrics = testing::ReadFile(run_dir_.File("run/metrics.json"));
  for (const char* key : {"\"auc\"", "\"logloss\"", "\"train_samples_per_s\"", "\"steps\": 74", "\"seconds\""}) {
    EXPECT_NE(metrics.find(key), std::string::npos) << key << " in " << metrics;
  }
  EXPECT_TRUE(std::filesystem::exists(run_dir_.File("run/model/weights.kckp")));
  EXPECT_TRUE(std::filesystem::exists(run_dir_.File("run/model/_state/state.json")));
  EXPECT_TRUE(std::filesystem::exists(run_dir_.File("run/config.yaml")));
}

TEST_F(TrainRunTest, ResumeEqualsUninterruptedRun) {
  for (const char* optimizer : {"adam", "lamb"}) {
    TrainOptions whole = SmallOptions(run_dir_.File(std::string("whole-") + optimizer));
    whole.optimizer = optimizer;
    whole.learning_rate = 0.01;
    auto uninterrupted = RunTraining(whole, &world_);
    ASSERT_TRUE(uninterrupted.ok()) << uninterrupted.status().ToString();

    TrainOptions part = whole;
    part.out = run_dir_.File(std::string("parts-") + optimizer);
    part.max_steps = 45;  // Stops inside the second epoch.
    ASSERT_TRUE(RunTraining(part, &world_).ok());
    part.max_steps = 0;
    part.resume = true;
    auto resumed = RunTraining(part, &world_);
    ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();

    EXPECT_EQ(resumed->steps, uninterrupted->steps);
    EXPECT_EQ(resumed->eval.auc, uninterrupted->eval.auc) << optimizer;
    EXPECT_EQ(resumed->eval.logloss, uninterrupted->eval.logloss) << optimizer;
    auto a = ReadCheckpoint(whole.out + "/checkpoint.kckp");
    auto b = ReadCheckpoint(part.out + "/checkpoint.kckp");
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->arrays, b->arrays) << optimizer;  // Weights and optimizer state, bit for bit.
  }
}

TEST_F(TrainRunTest, NanLossStopsWithStepAfterCheckpoint) {
  TrainOptions options = SmallOptions(run_dir_.File("nan"));
  options.optimizer = "sgd";
  options.learning_rate = 1e38;
  auto summary = RunTraining(options, &world_);
  ASSERT_FALSE(summary.ok());
  EXPECT_NE(summary.status().message().find("step "), std::string::npos) << summary.status().ToString();
  EXPECT_NE(summary.status().message().find("last good checkpoint"), std::string::npos);
  auto checkpoint = ReadCheckpoint(options.out + "/checkpoint.kckp");
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_NE(summary.status().message().find("step " + std::to_string(checkpoint->header.step + 1) + ":"),
            std::string::npos);
}

TEST_F(TrainRunTest, CliTrainAndPredict) {
  const std::string run = run_dir_.File("cli");
  testing::KilnRun train = Kiln("train --data " + data_dir_->File("prep") +
                         " --arch-mlp-bot 13-16-8 --arch-mlp-top 16-1 --emb-dim 8 --batch-size 256 --epochs 1"
                         " --eval-fraction 0.1 --precision fp32 --threads 2 --out " + run);
  ASSERT_EQ(train.exit_code, 0) << train.output;
  EXPECT_NE(testing::ReadFile(run + "/metrics.json").find("\"steps\": 21"), std::string::npos);
  testing::KilnRun predict = Kiln("predict " + run + "/model --in " + data_dir_->File("prep") + " --out " +
                           run_dir_.File("pred.parquet"));
  ASSERT_EQ(predict.exit_code, 0) << predict.output;
  EXPECT_NE(predict.output.find("wrote 6000 predictions"), std::string::npos) << predict.output;
  testing::KilnRun head = Kiln("head -n 2 " + run_dir_.File("pred.parquet"));
  EXPECT_NE(head.output.find("prediction"), std::string::npos) << head.output;
}

TEST_F(TrainRunTest, ConfigErrorsBeforeAnyWork) {
  const std::string config = run_dir_.File("bad.yaml");
  testing::WriteFile(config, "data: " + data_dir_->File("prep") + "\nout: " + run_dir_.File("never") +
                                 "\nemb_dim: 8\nlearning_rat: 0.1\n");
  testing::KilnRun unknown = Kiln("train " + config);
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.output.find("bad.yaml:4:1: unknown key 'learning_rat'"), std::string::npos) << unknown.output;

  testing::WriteFile(config, "data: " + data_dir_->File("prep") + "\nout: " + run_dir_.File("never") + "\nemb_dim: 8\n");
  testing::KilnRun mismatch = Kiln("train " + config);  // Default bottom MLP ends in 16.
  EXPECT_EQ(mismatch.exit_code, 1);
  EXPECT_NE(mismatch.output.find("'arch_mlp_bot'"), std::string::npos) << mismatch.output;
  testing::KilnRun wrong_type = Kiln("train " + config + " --arch-mlp-bot 13-8 --batch-size many");
  EXPECT_NE(wrong_type.output.find("'batch_size': expected an integer"), std::string::npos) << wrong_type.output;
  EXPECT_FALSE(std::filesystem::exists(run_dir_.File("never")));
}

}  // namespace
}  // namespace kiln::train
