// Fuzzes what `kiln run` reads: the workflow YAML (with a --set override on
// top) and the figures JSON the stages write.
#include <string>

#include "kiln/workflow/run_summary.h"
#include "kiln/workflow/workflow_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  for (const std::vector<std::string>& overrides : {std::vector<std::string>{}, {"gen.rows=5"}}) {
    auto workflow = kiln::workflow::ParseWorkflow(text, "fuzz.yaml", overrides);
    if (workflow.ok()) {
      for (const kiln::workflow::StageConfig& stage : workflow->stages) (void)stage.CanonicalText();
    }
  }
  auto figures = kiln::workflow::ParseFigures(text, "fuzz.json");
  (void)figures;
  return 0;
}
