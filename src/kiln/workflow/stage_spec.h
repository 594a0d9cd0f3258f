// The five stages a workflow may hold, in the only order they run, and the
// keys each takes in WORKFLOW.yaml with the flag each becomes on the stage's
// kiln command line.
//
//   gen       kiln gen criteo            rows, seed
//   prep      kiln prep --recipe dlrm    input, recipe, min_freq, format, ...
//   train     kiln train                 any `kiln train` key (checked by kiln train --check)
//   evaluate  kiln evaluate              input, eval_fraction, precision, batch_rows
//   predict   kiln predict               input, precision, batch_rows
#pragma once

#include <string>
#include <vector>

namespace kiln::workflow {

enum class ValueType {
  kInteger,  // A whole number.
  kNumber,   // Any number.
  kText,     // A word or string.
  kPath,     // A file or directory the stage reads (its size and time join the fingerprint).
};

struct StageKey {
  std::string key;   // snake_case, as written in the YAML.
  ValueType type;    // What the value must parse as.
  std::string flag;  // The stage command's flag ("--min-freq").
};

struct StageSpec {
  std::string name;                   // gen, prep, train, evaluate or predict.
  std::vector<StageKey> keys;         // Known keys (none for train, which passes its keys on).
  bool passes_other_keys;             // train: other keys go to `kiln train` as --kebab-case=value.
  std::vector<std::string> reserved;  // Keys the workflow sets itself (train's data, out).
  bool runs_in_torch_executable;      // kiln hands the command to kiln-torch (app.h): its build counts.
};

// Every stage, in run order.
const std::vector<StageSpec>& StageSpecs();
// The position of `name` in run order, or -1 when it is no stage.
int StageIndex(const std::string& name);
// "gen, prep, train, evaluate, predict", for messages.
std::string StageNameList();
// "--snake-case" for "snake_case".
std::string FlagForKey(const std::string& key);

}  // namespace kiln::workflow
