#include "kiln/workflow/stage_plan.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>

namespace kiln::workflow {

namespace {

std::string GenOutput(const RunLayout& layout) { return layout.ArtifactDirectory("gen") + "/criteo.tsv"; }
std::string PrepOutput(const RunLayout& layout) { return layout.ArtifactDirectory("prep"); }
std::string ModelDirectory(const RunLayout& layout) { return layout.ArtifactDirectory("train") + "/model"; }

// The flags of the stage's own keys (input excepted: each stage places it).
void AppendFlags(const StageConfig& stage, std::vector<std::string>* arguments) {
  const StageSpec& spec = StageSpecs()[StageIndex(stage.name)];
  for (const StageSetting& setting : stage.settings) {
    if (setting.key == "input") continue;
    std::string flag = FlagForKey(setting.key);
    for (const StageKey& key : spec.keys) {
      if (key.key == setting.key) flag = key.flag;
    }
    // --flag=value suits options and kiln train's boolean flags alike.
    arguments->push_back(flag + "=" + setting.value);
  }
}

// The dataset an evaluate or predict stage reads: its input, or prep's output.
std::string DatasetInput(const StageConfig& stage, const RunLayout& layout, StagePlan* plan) {
  if (const StageSetting* input = stage.Find("input")) {
    plan->input_paths.push_back(input->value);
    return input->value;
  }
  plan->upstream.push_back("prep");
  return PrepOutput(layout);
}

// The held-out share the training run used (its config.yaml has every option).
Result<std::string> TrainedEvalFraction(const RunLayout& layout) {
  const std::string path = layout.ArtifactDirectory("train") + "/config.yaml";
  try {
    YAML::Node config = YAML::LoadFile(path);
    if (config["eval_fraction"].IsScalar()) return config["eval_fraction"].Scalar();
  } catch (const YAML::Exception& error) {
    return Status::IOError(path + ": " + error.msg);
  }
  return Status::NotFound(path + ": no eval_fraction");
}

Status PlanGen(const StageConfig& stage, const RunLayout& layout, StagePlan* plan) {
  const std::string out = GenOutput(layout);
  plan->arguments = {"gen", "criteo", "--out", out};
  AppendFlags(stage, &plan->arguments);
  plan->outputs = {out, out + ".meta.json"};
  plan->figures_path = out + ".meta.json";
  return Status::OK();
}

Status PlanPrep(const StageConfig& stage, const RunLayout& layout, StagePlan* plan) {
  std::string input = GenOutput(layout);
  if (const StageSetting* setting = stage.Find("input")) {
    input = setting->value;
    plan->input_paths.push_back(input);
    // Data from `kiln gen` carries its description (rows, bayes_auc) beside it.
    if (std::filesystem::exists(input + ".meta.json")) plan->figures_path = input + ".meta.json";
  } else {
    plan->upstream.push_back("gen");
  }
  plan->arguments = {"prep", "--in", input, "--out", PrepOutput(layout), "--overwrite"};
  if (!stage.Find("recipe")) plan->arguments.push_back("--recipe=dlrm");
  AppendFlags(stage, &plan->arguments);
  plan->outputs = {PrepOutput(layout) + "/_state/state.json"};
  return Status::OK();
}

Status PlanTrain(const StageConfig& stage, const RunLayout& layout, StagePlan* plan) {
  const std::string out = layout.ArtifactDirectory("train");
  plan->arguments = {"train", "--data", PrepOutput(layout), "--out", out};
  AppendFlags(stage, &plan->arguments);
  plan->upstream = {"prep"};
  plan->outputs = {out + "/metrics.json", ModelDirectory(layout) + "/model.json"};
  plan->figures_path = out + "/metrics.json";
  return Status::OK();
}

Status PlanEvaluate(const StageConfig& stage, const RunLayout& layout, StagePlan* plan) {
  const std::string metrics = layout.ArtifactDirectory("evaluate") + "/metrics.json";
  plan->upstream = {"train"};
  const std::string input = DatasetInput(stage, layout, plan);
  plan->arguments = {"evaluate", ModelDirectory(layout), "--in", input, "--out", metrics};
  // On prep's output, the rows training held out; an outside dataset is scored whole.
  if (!stage.Find("eval_fraction") && !stage.Find("input")) {
    auto fraction = TrainedEvalFraction(layout);
    if (!fraction.ok()) return fraction.status();
    plan->arguments.push_back("--eval-fraction=" + *fraction);
  }
  AppendFlags(stage, &plan->arguments);
  plan->outputs = {metrics};
  plan->figures_path = metrics;
  return Status::OK();
}

Status PlanPredict(const StageConfig& stage, const RunLayout& layout, StagePlan* plan) {
  const std::string directory = layout.ArtifactDirectory("predict");
  plan->upstream = {"train"};
  const std::string input = DatasetInput(stage, layout, plan);
  plan->arguments = {
      "predict",   ModelDirectory(layout),     "--in", input, "--out", directory + "/predictions.parquet",
      "--metrics", directory + "/metrics.json"};
  AppendFlags(stage, &plan->arguments);
  plan->outputs = {directory + "/predictions.parquet", directory + "/metrics.json"};
  plan->figures_path = directory + "/metrics.json";
  return Status::OK();
}

}  // namespace

Result<StagePlan> PlanStage(const StageConfig& stage, const RunLayout& layout) {
  StagePlan plan;
  plan.name = stage.name;
  Status status = Status::Internal("no plan for stage '" + stage.name + "'");
  if (stage.name == "gen") status = PlanGen(stage, layout, &plan);
  if (stage.name == "prep") status = PlanPrep(stage, layout, &plan);
  if (stage.name == "train") status = PlanTrain(stage, layout, &plan);
  if (stage.name == "evaluate") status = PlanEvaluate(stage, layout, &plan);
  if (stage.name == "predict") status = PlanPredict(stage, layout, &plan);
  if (!status.ok()) return status.WithContext("stage '" + stage.name + "'");
  return plan;
}

std::vector<std::string> TrainCheckArguments(const StageConfig& train, const RunLayout& layout) {
  std::vector<std::string> arguments = {
      "train", "--check", "--data", PrepOutput(layout), "--out", layout.ArtifactDirectory("train")};
  AppendFlags(train, &arguments);
  return arguments;
}

}  // namespace kiln::workflow
