#include "kiln/tune/optimizer.h"

namespace kiln::tune {

Optimizer::Optimizer(SearchSpace space, std::vector<MetricSpec> metrics, std::unique_ptr<Sampler> sampler,
                     OptimizerOptions options)
    : space_(std::move(space)), metrics_(std::move(metrics)), sampler_(std::move(sampler)), options_(options) {}

Result<TrialRecord> Optimizer::Ask() {
  SampleContext context{&space_, &metrics_, &trials_, options_.seed, static_cast<int64_t>(trials_.size()),
                        options_.budget};
  Result<std::vector<double>> point = sampler_->Suggest(context);
  if (!point.ok()) return point.status();
  TrialRecord& trial = trials_.emplace_back();
  trial.number = static_cast<int64_t>(trials_.size()) - 1;
  trial.params = std::move(*point);
  return trial;
}

Result<TrialRecord*> Optimizer::Running(int64_t number) {
  if (number < 0 || number >= static_cast<int64_t>(trials_.size())) {
    return Status::InvalidArgument("no trial " + std::to_string(number));
  }
  TrialRecord* trial = &trials_[number];
  if (trial->state != TrialState::kRunning) return Status::InvalidArgument("trial " + std::to_string(number) + " is not running");
  return trial;
}

Status Optimizer::Tell(int64_t number, std::vector<double> values) {
  auto trial = Running(number);
  if (!trial.ok()) return trial.status();
  if (values.size() != metrics_.size()) return Status::InvalidArgument("expected one value per metric");
  (*trial)->values = std::move(values);
  (*trial)->state = TrialState::kComplete;
  return Status::OK();
}

Status Optimizer::Fail(int64_t number, std::string reason) {
  auto trial = Running(number);
  if (!trial.ok()) return trial.status();
  (*trial)->state = TrialState::kFailed;
  (*trial)->reason = std::move(reason);
  return Status::OK();
}

}  // namespace kiln::tune
