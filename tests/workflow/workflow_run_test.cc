// Workflows run with the real kiln binary: skips on re-runs, re-runs of a
// changed stage and what reads it, --from, failures, and the five stages
// end to end on a tiny generated dataset.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "kiln/workflow/fingerprint.h"
#include "kiln/workflow/workflow_runner.h"
#include "testing/run_command.h"
#include "testing/temp_dir.h"

namespace kiln::workflow {
namespace {

const std::string kKiln = std::string(KILN_BINARY_DIR) + "/kiln";

class WorkflowRunTest : public ::testing::Test {
 protected:
  // Writes `text` as w.yaml and runs it in run/.
  Result<RunSummary> Run(const std::string& text, const std::string& from = "",
                         const std::vector<std::string>& overrides = {}) {
    testing::WriteFile(dir_.File("w.yaml"), text);
    auto workflow = ReadWorkflow(dir_.File("w.yaml"), overrides);
    if (!workflow.ok()) return workflow.status();
    RunOptions options;
    options.run_directory = dir_.File("run");
    options.from_stage = from;
    options.executable = executable_;
    options.kiln_version = "test";
    options.global_arguments = {"--threads", "2"};
    options.echo = false;
    return RunWorkflow(*workflow, options);
  }
  static std::vector<StageStatus> Statuses(const RunSummary& summary) {
    std::vector<StageStatus> statuses;
    for (const StageOutcome& stage : summary.stages) statuses.push_back(stage.status);
    return statuses;
  }
  std::string Record(const std::string& stage) const { return dir_.File("run/stages/" + stage + ".json"); }

  testing::TempDir dir_;
  std::string executable_ = kKiln;  // The kiln the stages run.
};

const char* kGenPrep = "stages:\n  gen: {rows: 400, seed: 3}\n  prep: {min_freq: 2}\n";
constexpr StageStatus kRan = StageStatus::kRan;
constexpr StageStatus kSkipped = StageStatus::kSkipped;

TEST_F(WorkflowRunTest, RunsStagesInOrderAndSkipsThemWhenUnchanged) {
  auto first = Run(kGenPrep);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(Statuses(*first), (std::vector<StageStatus>{kRan, kRan}));
  EXPECT_EQ(first->rows, 400);
  EXPECT_TRUE(std::filesystem::exists(dir_.File("run/artifacts/gen/criteo.tsv")));
  EXPECT_TRUE(std::filesystem::exists(dir_.File("run/artifacts/prep/_state/state.json")));
  EXPECT_NE(testing::ReadFile(dir_.File("run/logs/gen.log")).find("criteo.tsv: 400 rows"), std::string::npos);
  EXPECT_EQ(testing::ReadFile(dir_.File("run/workflow.yaml")), kGenPrep);
  const std::string prep_hash = RecordedHash(Record("prep"));
  EXPECT_EQ(prep_hash.size(), 16u);

  auto second = Run(kGenPrep);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(Statuses(*second), (std::vector<StageStatus>{kSkipped, kSkipped}));
  EXPECT_EQ(second->rows, 400);  // Figures come from the outputs of skipped stages too.
  EXPECT_EQ(RecordedHash(Record("prep")), prep_hash);
}

TEST_F(WorkflowRunTest, AChangedStageRerunsWithWhatReadsIt) {
  ASSERT_TRUE(Run(kGenPrep).ok());
  const std::string gen_hash = RecordedHash(Record("gen"));
  const std::string prep_hash = RecordedHash(Record("prep"));

  auto prep_changed = Run("stages:\n  gen: {rows: 400, seed: 3}\n  prep: {min_freq: 3}\n");
  ASSERT_TRUE(prep_changed.ok()) << prep_changed.status().ToString();
  EXPECT_EQ(Statuses(*prep_changed), (std::vector<StageStatus>{kSkipped, kRan}));
  EXPECT_EQ(RecordedHash(Record("gen")), gen_hash);
  EXPECT_NE(RecordedHash(Record("prep")), prep_hash);

  auto gen_changed = Run("stages:\n  gen: {rows: 400, seed: 4}\n  prep: {min_freq: 3}\n");
  ASSERT_TRUE(gen_changed.ok()) << gen_changed.status().ToString();
  EXPECT_EQ(Statuses(*gen_changed), (std::vector<StageStatus>{kRan, kRan}));

  // An override is a change like any other.
  auto overridden = Run("stages:\n  gen: {rows: 400, seed: 4}\n  prep: {min_freq: 3}\n", "", {"gen.rows=300"});
  ASSERT_TRUE(overridden.ok()) << overridden.status().ToString();
  EXPECT_EQ(Statuses(*overridden), (std::vector<StageStatus>{kRan, kRan}));
  EXPECT_EQ(overridden->rows, 300);
  EXPECT_EQ(testing::ReadFile(dir_.File("run/workflow.yaml")),
            "stages:\n  gen: {rows: 400, seed: 4}\n  prep: {min_freq: 3}\n\n# kiln run --set gen.rows=300\n");
}

TEST_F(WorkflowRunTest, FromForcesThatStageAndTheLaterOnes) {
  ASSERT_TRUE(Run(kGenPrep).ok());
  auto from_prep = Run(kGenPrep, "prep");
  ASSERT_TRUE(from_prep.ok()) << from_prep.status().ToString();
  EXPECT_EQ(Statuses(*from_prep), (std::vector<StageStatus>{kSkipped, kRan}));
  auto from_gen = Run(kGenPrep, "gen");
  ASSERT_TRUE(from_gen.ok());
  EXPECT_EQ(Statuses(*from_gen), (std::vector<StageStatus>{kRan, kRan}));
  EXPECT_EQ(Run(kGenPrep, "train").status().message(),
            "--from train: " + dir_.File("w.yaml") + " has no such stage (its stages: gen, prep)");
}

TEST_F(WorkflowRunTest, AMissingOutputRerunsItsStage) {
  ASSERT_TRUE(Run(kGenPrep).ok());
  std::filesystem::remove(dir_.File("run/artifacts/prep/_state/state.json"));
  auto rerun = Run(kGenPrep);
  ASSERT_TRUE(rerun.ok()) << rerun.status().ToString();
  EXPECT_EQ(Statuses(*rerun), (std::vector<StageStatus>{kSkipped, kRan}));
}

TEST_F(WorkflowRunTest, OutsideInputsJoinTheFingerprint) {
  ASSERT_EQ(system((kKiln + " --quiet gen criteo --rows 300 --seed 5 --out " + dir_.File("in.tsv")).c_str()), 0);
  const std::string text = "stages:\n  prep: {input: " + dir_.File("in.tsv") + "}\n";
  auto first = Run(text);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->rows, 300);  // From in.tsv.meta.json, beside the input.
  EXPECT_GT(first->bayes_auc, 0.5);
  EXPECT_EQ(Statuses(*Run(text)), (std::vector<StageStatus>{kSkipped}));
  ASSERT_EQ(system((kKiln + " --quiet gen criteo --rows 300 --seed 6 --out " + dir_.File("in.tsv")).c_str()), 0);
  auto changed = Run(text);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(Statuses(*changed), (std::vector<StageStatus>{kRan}));
}

TEST_F(WorkflowRunTest, ARebuiltExecutableRerunsTheStagesItRuns) {
  // Copies of kiln and kiln-torch whose times the test can change.
  std::filesystem::create_directories(dir_.File("bin"));
  for (const char* name : {"kiln", "kiln-torch"}) {
    std::filesystem::copy_file(std::string(KILN_BINARY_DIR) + "/" + name, dir_.File(std::string("bin/") + name));
  }
  executable_ = dir_.File("bin/kiln");
  ASSERT_TRUE(Run(kGenPrep).ok());
  auto rebuild = [&](const char* name) {
    const std::string path = dir_.File(std::string("bin/") + name);
    std::filesystem::last_write_time(path, std::filesystem::last_write_time(path) + std::chrono::seconds(10));
  };
  rebuild("kiln-torch");  // Runs neither gen nor prep.
  auto torch_rebuilt = Run(kGenPrep);
  ASSERT_TRUE(torch_rebuilt.ok()) << torch_rebuilt.status().ToString();
  EXPECT_EQ(Statuses(*torch_rebuilt), (std::vector<StageStatus>{kSkipped, kSkipped}));
  rebuild("kiln");
  auto kiln_rebuilt = Run(kGenPrep);
  ASSERT_TRUE(kiln_rebuilt.ok()) << kiln_rebuilt.status().ToString();
  EXPECT_EQ(Statuses(*kiln_rebuilt), (std::vector<StageStatus>{kRan, kRan}));
}

TEST_F(WorkflowRunTest, AFailingStageStopsTheRunAndLeavesNoFingerprint) {
  ASSERT_TRUE(Run(kGenPrep).ok());
  ASSERT_TRUE(std::filesystem::exists(Record("prep")));
  testing::WriteFile(dir_.File("bad.tsv"), "0\t1\t2\n");  // Too few columns for Criteo.
  const std::string text = "stages:\n  prep: {input: " + dir_.File("bad.tsv") +
                           "}\n  train: {arch_mlp_bot: 13-8, arch_mlp_top: 8-1, emb_dim: 8}\n";
  auto failed = Run(text);
  ASSERT_FALSE(failed.ok());
  const std::string log = dir_.File("run/logs/prep.log");
  EXPECT_EQ(failed.status().message().rfind("stage 'prep' failed (exit code 1: ", 0), 0u) << failed.status().message();
  EXPECT_NE(failed.status().message().find("bad.tsv"), std::string::npos) << failed.status().message();
  EXPECT_NE(failed.status().message().find("; log: " + log), std::string::npos) << failed.status().message();
  EXPECT_FALSE(std::filesystem::exists(Record("prep")));  // The earlier run's record is gone too.
  EXPECT_FALSE(std::filesystem::exists(Record("train")));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("run/logs/train.log")));
  const std::string summary = testing::ReadFile(dir_.File("run/summary.json"));
  EXPECT_NE(summary.find("{\"name\": \"prep\", \"status\": \"failed\""), std::string::npos) << summary;
  EXPECT_NE(summary.find("{\"name\": \"train\", \"status\": \"not run\""), std::string::npos) << summary;
}

TEST_F(WorkflowRunTest, TrainOptionsAreCheckedBeforeAnyStage) {
  const std::string text = "stages:\n  gen: {rows: 400}\n  prep: {}\n  train:\n    emb_dim: 8\n    batch_size: lots\n";
  Status status = Run(text).status();
  EXPECT_EQ(status.message().rfind(dir_.File("w.yaml") + ":6:5: stage 'train': ", 0), 0u) << status.message();
  EXPECT_NE(status.message().find("'batch_size': expected an integer, not 'lots'"), std::string::npos)
      << status.message();
  EXPECT_FALSE(std::filesystem::exists(dir_.File("run/logs/gen.log")));

  // The architecture is checked too: dot interaction needs the bottom MLP to end in emb_dim.
  status = Run("stages:\n  gen: {rows: 400}\n  prep: {}\n  train:\n    emb_dim: 8\n    arch_mlp_bot: 13-16\n").status();
  EXPECT_EQ(status.message().rfind(dir_.File("w.yaml") + ":6:5: stage 'train': ", 0), 0u) << status.message();
  EXPECT_NE(status.message().find("must equal 'emb_dim' (8)"), std::string::npos) << status.message();
  EXPECT_FALSE(std::filesystem::exists(dir_.File("run/logs/gen.log")));

  status = Run("stages:\n  gen: {rows: 400}\n  prep: {}\n  train:\n    emb_dim: 8\n    embedding_size: 8\n").status();
  EXPECT_EQ(status.message().rfind(dir_.File("w.yaml") + ":6:5: stage 'train': ", 0), 0u) << status.message();
  EXPECT_NE(status.message().find("--embedding-size=8"), std::string::npos) << status.message();
  EXPECT_FALSE(std::filesystem::exists(dir_.File("run/logs/gen.log")));
}

// All five stages through `kiln run`, as a user runs them.
TEST_F(WorkflowRunTest, FiveStagesEndToEnd) {
  testing::WriteFile(dir_.File("tiny.yaml"),
                     "name: tiny\n"
                     "stages:\n"
                     "  gen: {rows: 6000, seed: 11}\n"
                     "  prep: {min_freq: 2}\n"
                     "  train: {arch_mlp_bot: 13-16-8, arch_mlp_top: 16-1, emb_dim: 8, batch_size: 128, epochs: 2,\n"
                     "          eval_fraction: 0.2, optimizer: adagrad, learning_rate: 0.05}\n"
                     "  evaluate:\n"
                     "  predict: {precision: fp32}\n");
  const std::string command = "cd " + dir_.path() + " && " + kKiln + " run tiny.yaml 2>&1";
  int exit_code = -1;
  std::string output = testing::RunCommand(command, &exit_code);
  ASSERT_EQ(exit_code, 0) << output;
  EXPECT_NE(output.find("workflow tiny: 5 stages (5 ran, 0 skipped)"), std::string::npos) << output;
  EXPECT_NE(output.find("  rows                 6000\n"), std::string::npos) << output;
  EXPECT_NE(output.find("(bayes_auc 0."), std::string::npos) << output;

  auto overall = ReadFigures(dir_.File("runs/tiny/summary.json"));
  ASSERT_TRUE(overall.ok()) << overall.status().ToString();
  std::map<std::string, double> figures(overall->begin(), overall->end());
  EXPECT_EQ(figures["rows"], 6000);
  EXPECT_GT(figures["auc"], 0.5);
  EXPECT_GT(figures["bayes_auc"], figures["auc"]);
  EXPECT_GT(figures["train_samples_per_s"], 0);
  EXPECT_GT(figures["predict_samples_per_s"], 0);

  // evaluate is its own pass over the saved model, on the rows train held out.
  auto trained = ReadFigures(dir_.File("runs/tiny/artifacts/train/metrics.json"));
  auto evaluated = ReadFigures(dir_.File("runs/tiny/artifacts/evaluate/metrics.json"));
  ASSERT_TRUE(trained.ok() && evaluated.ok());
  std::map<std::string, double> train(trained->begin(), trained->end());
  std::map<std::string, double> evaluate(evaluated->begin(), evaluated->end());
  EXPECT_EQ(evaluate["rows"], 1200);
  EXPECT_EQ(evaluate["first_row"], 4800);
  EXPECT_NEAR(evaluate["auc"], train["auc"], 1e-6);
  EXPECT_NEAR(evaluate["logloss"], train["logloss"], 1e-5);
  auto predicted = ReadFigures(dir_.File("runs/tiny/artifacts/predict/metrics.json"));
  ASSERT_TRUE(predicted.ok());
  std::map<std::string, double> predict(predicted->begin(), predicted->end());
  EXPECT_EQ(predict["rows"], 6000);

  // Setting a key to the value it has changes no fingerprint (and --set may come first).
  output = testing::RunCommand("cd " + dir_.path() + " && " + kKiln + " run --set train.epochs=2 tiny.yaml 2>&1",
                               &exit_code);
  ASSERT_EQ(exit_code, 0) << output;
  EXPECT_NE(output.find("workflow tiny: 5 stages (0 ran, 5 skipped)"), std::string::npos) << output;
}

}  // namespace
}  // namespace kiln::workflow
