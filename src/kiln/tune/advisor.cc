#include "kiln/tune/advisor.h"

#include "kiln/tune/dlrm_advisor.h"
#include "kiln/tune/dlrm_data.h"

namespace kiln::tune {

Result<std::unique_ptr<Advisor>> MakeBuiltInAdvisor(const std::string& name, const BuiltInAdvisorOptions& options) {
  if (name == "dlrm") {
    auto data = InspectDlrmData(options.data);
    if (!data.ok()) return data.status();
    auto advisor = DlrmAdvisor::Make(options, std::move(*data));
    if (!advisor.ok()) return advisor.status();
    return std::unique_ptr<Advisor>(std::move(*advisor));
  }
  return Status::InvalidArgument("unknown advisor '" + name + "' (built-in advisors: dlrm)");
}

}  // namespace kiln::tune
