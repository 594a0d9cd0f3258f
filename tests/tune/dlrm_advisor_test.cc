// The built-in dlrm advisor without the real trainer: its search space, its
// AUC threshold, the train YAML it recommends (read back by the trainer's
// own options parser), and trials run against a fake `kiln train`.
#include "kiln/tune/dlrm_advisor.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <map>
#include <set>

#include "kiln/models/dlrm_config.h"
#include "kiln/train/train_options.h"
#include "testing/temp_dir.h"

namespace kiln::tune {
namespace {

using kiln::testing::ReadFile;
using kiln::testing::TempDir;
using kiln::testing::WriteFile;

// 10000 rows, 1000 held out: 9 steps of 1000 rows per epoch.
DlrmData StandIn(double bayes_auc) { return DlrmData{"/data/prep", 10000, 13, bayes_auc}; }

BuiltInAdvisorOptions TestOptions() {
  BuiltInAdvisorOptions options;
  options.kiln = "/nonexistent/kiln";
  options.batch_size = 1000;
  options.epochs = 2;
  options.evaluations = 2;
  return options;
}

std::unique_ptr<DlrmAdvisor> MakeAdvisor(const BuiltInAdvisorOptions& options, double bayes_auc = 0.8) {
  auto advisor = DlrmAdvisor::Make(options, StandIn(bayes_auc));
  EXPECT_TRUE(advisor.ok()) << advisor.status().ToString();
  return advisor.ok() ? std::move(*advisor) : nullptr;
}

const ParameterSpec& Param(const StudyConfig& config, const std::string& name) {
  int index = config.space.IndexOf(name);
  EXPECT_GE(index, 0) << name;
  return config.space.parameter(index >= 0 ? index : 0);
}

std::map<std::string, std::string> AsMap(const std::vector<std::pair<std::string, std::string>>& pairs) {
  return std::map<std::string, std::string>(pairs.begin(), pairs.end());
}

// Parameters of one trial, in the space's text form.
std::vector<std::pair<std::string, std::string>> Params(const std::string& emb_dim, const std::string& bottom,
                                                        const std::string& decay_steps = "6") {
  return {{"learning_rate", "0.02"}, {"warmup_steps", "2"},   {"decay_steps", decay_steps},
          {"emb_dim", emb_dim},      {"arch_mlp_bot", bottom}, {"arch_mlp_top", "512-256-1"},
          {"optimizer", "adagrad"}};
}

TEST(DlrmAdvisorTest, SpaceHasEveryParameter) {
  auto advisor = MakeAdvisor(TestOptions());
  ASSERT_NE(advisor, nullptr);
  const StudyConfig& config = advisor->study();
  EXPECT_EQ(config.name, "dlrm");
  EXPECT_EQ(config.budget, 30);
  EXPECT_EQ(config.space.size(), 7u);
  EXPECT_EQ(advisor->steps_per_trial(), 18);  // 2 epochs of 9 steps.
  EXPECT_EQ(advisor->eval_every(), 6);        // 2 evaluations inside 18 steps.

  const ParameterSpec& learning_rate = Param(config, "learning_rate");
  EXPECT_EQ(learning_rate.type, ParameterType::kFloat);
  EXPECT_TRUE(learning_rate.log);
  EXPECT_LT(learning_rate.low, learning_rate.high);
  const ParameterSpec& warmup = Param(config, "warmup_steps");
  EXPECT_EQ(warmup.type, ParameterType::kInt);
  EXPECT_EQ(warmup.low, 0);
  EXPECT_EQ(warmup.high, 4);  // A quarter of the trial.
  const ParameterSpec& decay = Param(config, "decay_steps");
  EXPECT_EQ(decay.type, ParameterType::kInt);
  EXPECT_EQ(decay.high, 18);
  EXPECT_EQ(Param(config, "emb_dim").choices, (std::vector<std::string>{"16", "32", "64", "128"}));
  EXPECT_EQ(Param(config, "optimizer").choices, (std::vector<std::string>{"adagrad", "lamb", "adam"}));
  EXPECT_GE(Param(config, "arch_mlp_bot").choices.size(), 3u);
  const std::vector<std::string>& top = Param(config, "arch_mlp_top").choices;
  ASSERT_GE(top.size(), 3u);
  for (const std::string& shape : top) EXPECT_EQ(shape.substr(shape.size() - 2), "-1") << shape;
  EXPECT_EQ(config.pruner.type, "median");

  BuiltInAdvisorOptions capped = TestOptions();
  capped.max_steps = 10;
  capped.evaluations = 0;
  auto short_trials = MakeAdvisor(capped);
  ASSERT_NE(short_trials, nullptr);
  EXPECT_EQ(short_trials->steps_per_trial(), 10);
  EXPECT_EQ(short_trials->eval_every(), 0);
  EXPECT_EQ(short_trials->study().pruner.type, "none");
  EXPECT_EQ(AsMap(short_trials->TrainSettings(Params("16", "13-64-D"), "/r")).count("eval_every"), 0u);
}

TEST(DlrmAdvisorTest, EveryBottomShapeEndsAtTheEmbeddingDimension) {
  auto advisor = MakeAdvisor(TestOptions());
  ASSERT_NE(advisor, nullptr);
  const StudyConfig& config = advisor->study();
  std::set<std::string> distinct;
  for (const std::string& emb_dim : Param(config, "emb_dim").choices) {
    for (const std::string& bottom : Param(config, "arch_mlp_bot").choices) {
      auto settings = AsMap(advisor->TrainSettings(Params(emb_dim, bottom), "/runs/1"));
      const std::string& shape = settings["arch_mlp_bot"];
      distinct.insert(shape);
      EXPECT_EQ(shape.substr(0, 3), "13-") << shape;  // The dense width.
      EXPECT_EQ(shape.substr(shape.rfind('-') + 1), emb_dim) << shape;
      EXPECT_EQ(settings["emb_dim"], emb_dim);
      // The model's own check of the architecture, as the trainer will run it.
      for (const std::string& top : Param(config, "arch_mlp_top").choices) {
        models::DlrmConfig model;
        model.bottom_mlp = *models::ParseLayerSizes(shape, "arch_mlp_bot");
        model.top_mlp = *models::ParseLayerSizes(top, "arch_mlp_top");
        model.embedding_dim = std::stoll(emb_dim);
        model.table_rows.assign(26, 100);
        Status status = models::ValidateDlrmConfig(model, 13, 26);
        EXPECT_TRUE(status.ok()) << shape << " " << top << ": " << status.ToString();
      }
    }
  }
  EXPECT_EQ(distinct.size(), 4 * Param(config, "arch_mlp_bot").choices.size());
}

TEST(DlrmAdvisorTest, DecayEndsWithTheTrial) {
  auto advisor = MakeAdvisor(TestOptions());
  ASSERT_NE(advisor, nullptr);
  auto settings = AsMap(advisor->TrainSettings(Params("32", "13-256-64-D", "5"), "/runs/7"));
  EXPECT_EQ(settings["decay_start"], "13");
  EXPECT_EQ(settings["decay_steps"], "5");
  EXPECT_EQ(settings["max_steps"], "18");
  EXPECT_EQ(settings["out"], "/runs/7");
  EXPECT_EQ(settings["data"], "/data/prep");
  EXPECT_EQ(settings["batch_size"], "1000");
  EXPECT_EQ(settings["eval_every"], "6");
  auto no_decay = AsMap(advisor->TrainSettings(Params("32", "13-256-64-D", "0"), "/runs/7"));
  EXPECT_EQ(no_decay["decay_start"], "0");
  EXPECT_EQ(no_decay["decay_steps"], "0");
}

TEST(DlrmAdvisorTest, AucThresholdDefaultsToBayesAucMinus003) {
  auto known = MakeAdvisor(TestOptions(), 0.8);
  ASSERT_NE(known, nullptr);
  const std::vector<MetricSpec>& metrics = known->study().metrics;
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[0].name, "auc");
  EXPECT_EQ(metrics[0].goal, Goal::kMaximize);
  ASSERT_TRUE(metrics[0].threshold.has_value());
  EXPECT_NEAR(*metrics[0].threshold, 0.77, 1e-9);
  EXPECT_EQ(metrics[1].name, "seconds");
  EXPECT_EQ(metrics[1].goal, Goal::kMinimize);
  EXPECT_FALSE(metrics[1].threshold.has_value());

  BuiltInAdvisorOptions given = TestOptions();
  given.bayes_auc = 0.9;  // --bayes-auc wins over the data's figure.
  auto overridden = MakeAdvisor(given, 0.8);
  ASSERT_NE(overridden, nullptr);
  EXPECT_NEAR(*overridden->study().metrics[0].threshold, 0.87, 1e-9);

  auto unknown = MakeAdvisor(TestOptions(), 0);
  ASSERT_NE(unknown, nullptr);
  EXPECT_FALSE(unknown->study().metrics[0].threshold.has_value());
}

TEST(DlrmAdvisorTest, RejectsKnobsThatLeaveNoRows) {
  BuiltInAdvisorOptions options = TestOptions();
  options.eval_fraction = 0;
  auto no_held_out = DlrmAdvisor::Make(options, StandIn(0.8));
  ASSERT_FALSE(no_held_out.ok());
  EXPECT_NE(no_held_out.status().message().find("/data/prep: --eval-fraction 0 of 10000 rows"), std::string::npos)
      << no_held_out.status().ToString();
  options.eval_fraction = 1;
  EXPECT_FALSE(DlrmAdvisor::Make(options, StandIn(0.8)).ok());
  options = TestOptions();
  options.batch_size = 0;
  EXPECT_FALSE(DlrmAdvisor::Make(options, StandIn(0.8)).ok());
}

// A prep output whose saved pipeline names `input`, written as `output`.
void WritePrepState(const std::string& prep, const std::string& input, const std::string& output) {
  std::filesystem::create_directories(prep + "/_state");
  WriteFile(prep + "/_state/pipeline.yaml", "# kiln prep --recipe dlrm\ninput:\n  path: \"" + input +
                                                "\"\n  format: tsv\noutput:\n  path: \"" + output + "\"\n");
}

TEST(DlrmDataTest, FindsTheBayesAucBesideThePrepInput) {
  TempDir dir;
  WriteFile(dir.File("day.tsv.meta.json"), "{\"rows\": 5000, \"bayes_auc\": 0.8123}\n");
  // Relative paths resolve against the directory prep ran in.
  WritePrepState(dir.File("prep"), "day.tsv", "prep");
  auto relative = FindBayesAuc(dir.File("prep"));
  ASSERT_TRUE(relative.ok()) << relative.status().ToString();
  EXPECT_EQ(*relative, 0.8123);
  WritePrepState(dir.File("runs/prep2"), dir.File("day.tsv"), "/elsewhere/prep2");
  auto absolute = FindBayesAuc(dir.File("runs/prep2"));
  ASSERT_TRUE(absolute.ok()) << absolute.status().ToString();
  EXPECT_EQ(*absolute, 0.8123);

  WritePrepState(dir.File("prep3"), "other.tsv", "prep3");
  auto missing = FindBayesAuc(dir.File("prep3"));
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_NE(missing.status().message().find("other.tsv.meta.json"), std::string::npos) << missing.status().ToString();
  EXPECT_EQ(FindBayesAuc(dir.File("nowhere")).status().code(), Status::Code::kNotFound);

  WriteFile(dir.File("bad.tsv.meta.json"), "{\"bayes_auc\": ");
  WritePrepState(dir.File("prep4"), "bad.tsv", "prep4");
  auto garbage = FindBayesAuc(dir.File("prep4"));
  EXPECT_EQ(garbage.status().code(), Status::Code::kCorruption);
  EXPECT_NE(garbage.status().message().find("bad.tsv.meta.json: not JSON"), std::string::npos);
}

TrialRecord Completed(int64_t number, const StudyConfig& config,
                      const std::vector<std::pair<std::string, std::string>>& params, double auc, double seconds) {
  TrialRecord trial;
  trial.number = number;
  trial.state = TrialState::kComplete;
  trial.params = *config.space.Parse(params);
  trial.values = {auc, seconds};
  return trial;
}

// Four trials: 1 and 2 meet the 0.77 threshold and form the front; 0 is
// fast but below it; 3 is dominated.
StudyReport FourTrials(const StudyConfig& config) {
  auto params = [](const std::string& lr, const std::string& emb, const std::string& bottom, const std::string& opt) {
    auto p = Params(emb, bottom);
    p[0].second = lr;
    p[6].second = opt;
    return p;
  };
  return MakeStudyReport(config, {Completed(0, config, params("0.1", "16", "13-64-D", "adam"), 0.70, 10),
                                  Completed(1, config, params("0.01", "32", "13-256-64-D", "lamb"), 0.78, 30),
                                  Completed(2, config, params("0.003", "64", "13-512-256-64-D", "adagrad"), 0.79, 50),
                                  Completed(3, config, params("0.2", "128", "13-64-D", "adam"), 0.60, 60)});
}

// Reads the recommended YAML with the trainer's own parser.
train::TrainOptions ReadTrainYaml(const std::string& path) {
  train::TrainOptions options;
  Status status = train::ApplyTrainYaml(ReadFile(path), path, &options);
  EXPECT_TRUE(status.ok()) << status.ToString();
  status = train::ValidateTrainOptions(options);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return options;
}

TEST(DlrmAdvisorTest, RecommendsTheBestAucOnTheFrontAsATrainYaml) {
  TempDir dir;
  BuiltInAdvisorOptions options = TestOptions();
  options.output = dir.File("out dir");  // A space, to be quoted.
  auto advisor = MakeAdvisor(options);
  ASSERT_NE(advisor, nullptr);
  StudyReport report = FourTrials(advisor->study());
  auto text = advisor->Recommend(report);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_NE(text->find("Pareto front of the trials with auc >= 0.77 (2 trials)"), std::string::npos) << *text;
  EXPECT_NE(text->find("trial 1: auc 0.78000, seconds 30.0"), std::string::npos) << *text;
  EXPECT_EQ(text->find("trial 3:"), std::string::npos) << *text;
  EXPECT_NE(text->find("chosen: trial 2"), std::string::npos) << *text;

  train::TrainOptions chosen = ReadTrainYaml(dir.File("out dir/") + kDlrmTrainYamlName);
  EXPECT_EQ(chosen.data, "/data/prep");
  EXPECT_EQ(chosen.out, dir.File("out dir/run"));
  EXPECT_EQ(chosen.arch_mlp_bot, "13-512-256-64-64");
  EXPECT_EQ(chosen.arch_mlp_top, "512-256-1");
  EXPECT_EQ(chosen.emb_dim, 64);
  EXPECT_EQ(chosen.optimizer, "adagrad");
  EXPECT_DOUBLE_EQ(chosen.learning_rate, 0.003);
  EXPECT_EQ(chosen.warmup_steps, 2);
  EXPECT_EQ(chosen.decay_start, 12);
  EXPECT_EQ(chosen.decay_steps, 6);
  EXPECT_EQ(chosen.batch_size, 1000);
  EXPECT_EQ(chosen.max_steps, 18);
  EXPECT_EQ(chosen.epochs, 2);
  EXPECT_DOUBLE_EQ(chosen.eval_fraction, 0.1);

  // Asked for a point that trains within 40 s: the faster front point.
  options.max_seconds = 40;
  auto fast = MakeAdvisor(options);
  ASSERT_NE(fast, nullptr);
  ASSERT_TRUE(fast->Recommend(FourTrials(fast->study())).ok());
  train::TrainOptions quick = ReadTrainYaml(dir.File("out dir/") + kDlrmTrainYamlName);
  EXPECT_EQ(quick.arch_mlp_bot, "13-256-64-32");
  EXPECT_EQ(quick.optimizer, "lamb");
}

TEST(DlrmAdvisorTest, WithoutAnyTrialOverTheThresholdItSaysSoAndUsesAllTrials) {
  TempDir dir;
  BuiltInAdvisorOptions options = TestOptions();
  options.output = dir.path();
  auto advisor = MakeAdvisor(options, 0.95);  // Threshold 0.92: no trial reaches it.
  ASSERT_NE(advisor, nullptr);
  auto text = advisor->Recommend(FourTrials(advisor->study()));
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_NE(text->find("no trial reached the AUC threshold 0.92; the Pareto front of all 4 completed trials"),
            std::string::npos)
      << *text;
  EXPECT_NE(text->find("trial 0: auc 0.70000"), std::string::npos) << *text;
  EXPECT_NE(text->find("chosen: trial 2"), std::string::npos) << *text;
  EXPECT_EQ(ReadTrainYaml(dir.File(kDlrmTrainYamlName)).emb_dim, 64);

  StudyReport empty = MakeStudyReport(advisor->study(), {});
  EXPECT_EQ(advisor->Recommend(empty).status().code(), Status::Code::kNotFound);
}

// Records reports and heartbeats; never prunes.
class RecordingMonitor : public TrialMonitor {
 public:
  bool Report(int64_t step, double value) override {
    reports.emplace_back(step, value);
    return false;
  }
  void Heartbeat() override {}
  std::vector<std::pair<int64_t, double>> reports;
};

class DlrmTrialTest : public ::testing::Test {
 protected:
  void SetUp() override { signal(SIGPIPE, SIG_IGN); }

  // Runs one trial with `body` as `kiln train`: a sh script that gets the
  // flags in "$@" and sees OUT (the --out value) and ARGS (all flags).
  TrialOutcome RunTrial(const std::string& body, RecordingMonitor* monitor) {
    const std::string fake = dir_.File("fake kiln");
    WriteFile(fake, "#!/bin/sh\nARGS=\"$*\"\nwhile [ $# -gt 0 ]; do [ \"$1\" = --out ] && OUT=\"$2\"; shift; done\n" +
                        body + "\n");
    std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
    BuiltInAdvisorOptions options = TestOptions();
    options.kiln = fake;
    auto advisor = MakeAdvisor(options);
    if (advisor == nullptr) return {};
    TrialRequest request;
    request.number = 4;
    request.params = Params("64", "13-256-64-D");
    request.params_json = "{}";
    request.directory = dir_.File("trials/4");
    std::filesystem::create_directories(request.directory);
    return advisor->MakeLauncher()->Run(request, monitor);
  }

  TempDir dir_;
};

TEST_F(DlrmTrialTest, RunsKilnTrainAndReadsItsMetrics) {
  RecordingMonitor monitor;
  TrialOutcome outcome = RunTrial(
      "for want in 'train --data /data/prep --out ' '--arch-mlp-bot 13-256-64-64 ' '--emb-dim 64 ' "
      "'--optimizer adagrad ' '--learning-rate 0.02 ' '--decay-start 12 ' '--max-steps 18 '; do\n"
      "  case \"$ARGS\" in *\"$want\"*) ;; *) echo \"no '$want' in: $ARGS\"; exit 9;; esac\n"
      "done\n"
      "echo '{\"step\": 1, \"seconds\": 0.1, \"loss\": 0.6}' >> \"$OUT/metrics.jsonl\"\n"
      "echo '{\"step\": 6, \"seconds\": 0.5, \"auc\": 0.71, \"logloss\": 0.5}' >> \"$OUT/metrics.jsonl\"\n"
      "echo '{\"step\": 12, \"seconds\": 1.0, \"auc\": 0.74, \"logloss\": 0.5}' >> \"$OUT/metrics.jsonl\"\n"
      "echo '{\"auc\": 0.75, \"logloss\": 0.49, \"seconds\": 1.5, \"steps\": 18}' > \"$OUT/metrics.json\"",
      &monitor);
  ASSERT_EQ(outcome.state, TrialState::kComplete) << outcome.reason;
  EXPECT_EQ(outcome.values, (std::vector<double>{0.75, 1.5}));
  EXPECT_EQ(monitor.reports, (std::vector<std::pair<int64_t, double>>{{6, 0.71}, {12, 0.74}}));
  EXPECT_TRUE(std::filesystem::exists(dir_.File("trials/4/run/metrics.json")));
}

TEST_F(DlrmTrialTest, CrashAndGarbageFailWithTheReason) {
  RecordingMonitor monitor;
  TrialOutcome crashed = RunTrial("echo 'step 3: the training loss is nan' >&2; exit 1", &monitor);
  EXPECT_EQ(crashed.state, TrialState::kFailed);
  EXPECT_EQ(crashed.reason, "exit code 1: step 3: the training loss is nan");

  TrialOutcome garbage = RunTrial("echo 'not json' > \"$OUT/metrics.json\"", &monitor);
  EXPECT_EQ(garbage.state, TrialState::kFailed);
  EXPECT_NE(garbage.reason.find("the result is not JSON"), std::string::npos) << garbage.reason;
  EXPECT_NE(garbage.reason.find("run/metrics.json"), std::string::npos) << garbage.reason;

  TrialOutcome no_seconds = RunTrial("echo '{\"auc\": 0.7}' > \"$OUT/metrics.json\"", &monitor);
  EXPECT_EQ(no_seconds.state, TrialState::kFailed);
  EXPECT_NE(no_seconds.reason.find("the result has no metric 'seconds'"), std::string::npos) << no_seconds.reason;

  TrialOutcome silent = RunTrial("exit 0", &monitor);
  EXPECT_EQ(silent.state, TrialState::kFailed);
  EXPECT_NE(silent.reason.find("no result"), std::string::npos) << silent.reason;
}

}  // namespace
}  // namespace kiln::tune
