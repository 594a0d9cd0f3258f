// `kiln tune --advisor dlrm` end to end with the real trainer, on a tiny
// generated and prepared dataset with a tiny budget.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "testing/run_command.h"
#include "testing/temp_dir.h"

namespace kiln {
namespace {

using testing::ReadFile;
using testing::TempDir;

using testing::KilnRun;
using testing::RunKiln;

// Fields of one CSV line (the history has no quoted commas in these columns).
std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  std::string field;
  while (std::getline(in, field, ',')) fields.push_back(field);
  return fields;
}

TEST(DlrmAdvisorCliTest, TinyStudyEndsWithAParetoFrontAndATrainYaml) {
  TempDir dir;
  KilnRun gen = RunKiln("gen criteo --rows 3000 --seed 5 --out " + dir.File("day.tsv"));
  ASSERT_EQ(gen.exit_code, 0) << gen.output;
  KilnRun prep = RunKiln("--quiet prep --recipe dlrm --in " + dir.File("day.tsv") + " --out " + dir.File("prep"));
  ASSERT_EQ(prep.exit_code, 0) << prep.output;

  const std::string database = dir.File("dlrm.db");
  KilnRun tune = RunKiln("tune --advisor dlrm --data " + dir.File("prep") + " --db " + database +
                      " --budget 3 --max-steps 6 --batch-size 256 --evaluations 1 --trial-threads 1 --out " + dir.File("out"));
  ASSERT_EQ(tune.exit_code, 0) << tune.output;
  // The threshold comes from gen's meta file, found through the prep state.
  EXPECT_NE(tune.output.find("the AUC threshold 0.7"), std::string::npos) << tune.output;
  EXPECT_NE(tune.output.find("chosen: trial "), std::string::npos) << tune.output;

  KilnRun show = RunKiln("tune show " + database + " --json");
  ASSERT_EQ(show.exit_code, 0) << show.output;
  EXPECT_NE(show.output.find("\"study\": \"dlrm\", \"trials\": 3, \"states\": {\"complete\": 3}"), std::string::npos)
      << show.output;
  EXPECT_NE(show.output.find("\"pareto\": ["), std::string::npos) << show.output;
  EXPECT_NE(show.output.find("\"emb_dim\": \""), std::string::npos) << show.output;

  // The recommended YAML is the best-AUC trial's, and kiln train accepts it.
  KilnRun csv = RunKiln("tune show " + database + " --csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.output;
  std::istringstream lines(csv.output);
  std::string line;
  std::getline(lines, line);
  ASSERT_EQ(Fields(line)[2], "auc") << line;
  std::string best_number;
  double best_auc = -1;
  while (std::getline(lines, line)) {
    std::vector<std::string> fields = Fields(line);
    ASSERT_GE(fields.size(), 4u) << line;
    EXPECT_EQ(fields[1], "complete") << line;
    const double auc = std::stod(fields[2]);
    EXPECT_GT(auc, 0.3) << line;
    EXPECT_LT(auc, 1.0) << line;
    EXPECT_GT(std::stod(fields[3]), 0) << line;
    if (auc > best_auc) best_auc = auc, best_number = fields[0];
  }
  const std::string yaml = ReadFile(dir.File("out/dlrm_train.yaml"));
  EXPECT_NE(yaml.find("# kiln tune --advisor dlrm: trial " + best_number + " of study"), std::string::npos) << yaml;
  EXPECT_NE(tune.output.find("chosen: trial " + best_number + " "), std::string::npos) << tune.output;
  KilnRun train = RunKiln("--quiet train " + dir.File("out/dlrm_train.yaml") + " --max-steps 2");
  EXPECT_EQ(train.exit_code, 0) << train.output;
  EXPECT_NE(ReadFile(dir.File("out/run/metrics.json")).find("\"steps\": 2"), std::string::npos);
}

TEST(DlrmAdvisorCliTest, BadInputsAreNamed) {
  TempDir dir;
  KilnRun no_data = RunKiln("tune --advisor dlrm --db " + dir.File("a.db"));
  EXPECT_NE(no_data.exit_code, 0);
  EXPECT_NE(no_data.output.find("give --data PREP_DIR"), std::string::npos) << no_data.output;

  KilnRun unknown = RunKiln("tune --advisor xgb --data " + dir.path() + " --db " + dir.File("a.db"));
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.output.find("unknown advisor 'xgb' (built-in advisors: dlrm)"), std::string::npos) << unknown.output;

  testing::WriteFile(dir.File("s.yaml"), "study: s\nmetrics: [{name: v}]\nbudget: 1\nparameters: []\n"
                                         "trial: {command: 'true'}\n");
  KilnRun mixed = RunKiln("tune " + dir.File("s.yaml") + " --epochs 2");
  EXPECT_NE(mixed.exit_code, 0);
  EXPECT_NE(mixed.output.find("--epochs is for --advisor"), std::string::npos) << mixed.output;
}

}  // namespace
}  // namespace kiln
