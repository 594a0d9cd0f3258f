#include "kiln/workflow/stage_spec.h"

namespace kiln::workflow {

const std::vector<StageSpec>& StageSpecs() {
  using T = ValueType;
  static const std::vector<StageSpec> specs = {
      {"gen", {{"rows", T::kInteger, "--rows"}, {"seed", T::kInteger, "--seed"}}, false, {}, false},
      {"prep",
       {{"input", T::kPath, "--in"},
        {"recipe", T::kText, "--recipe"},
        {"min_freq", T::kInteger, "--min-freq"},
        {"format", T::kText, "--format"},
        {"rows_per_part", T::kInteger, "--rows-per-part"},
        {"on_error", T::kText, "--on-error"},
        {"memory_limit", T::kText, "--memory-limit"}},
       false,
       {},
       false},
      {"train", {}, true, {"data", "out", "resume"}, true},
      {"evaluate",
       {{"input", T::kPath, "--in"},
        {"eval_fraction", T::kNumber, "--eval-fraction"},
        {"precision", T::kText, "--precision"},
        {"batch_rows", T::kInteger, "--batch-rows"}},
       false,
       {},
       true},
      {"predict",
       {{"input", T::kPath, "--in"},
        {"precision", T::kText, "--precision"},
        {"batch_rows", T::kInteger, "--batch-rows"}},
       false,
       {},
       true},
  };
  return specs;
}

int StageIndex(const std::string& name) {
  const std::vector<StageSpec>& specs = StageSpecs();
  for (size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::string StageNameList() {
  std::string list;
  for (const StageSpec& spec : StageSpecs()) list += (list.empty() ? "" : ", ") + spec.name;
  return list;
}

std::string FlagForKey(const std::string& key) {
  std::string flag = "--" + key;
  for (char& c : flag) {
    if (c == '_') c = '-';
  }
  return flag;
}

}  // namespace kiln::workflow
