#include "kiln/tune/advisor.h"

namespace kiln::tune {

Result<std::unique_ptr<Advisor>> MakeBuiltInAdvisor(const std::string& name, const BuiltInAdvisorOptions& options) {
  if (name == "dlrm") {
    return Status::NotSupported(
        "the dlrm advisor runs `kiln train`, which this build does not have yet (issue 6); tune any command with a "
        "study file meanwhile");
  }
  return Status::InvalidArgument("unknown advisor '" + name + "' (built-in advisors: dlrm, once kiln train exists)");
}

}  // namespace kiln::tune
