#include "kiln/prep/distributed_fit.h"

#include "kiln/dist/agreement.h"

namespace kiln::prep {

namespace {

// A fresh accumulator of `step` with every rank's `pieces` merged in rank order.
Result<std::unique_ptr<Accumulator>> MergePieces(const Operator& step, const std::vector<std::string>& pieces) {
  std::unique_ptr<Accumulator> accumulator = step.NewAccumulator();
  for (const std::string& piece : pieces) {
    Status status = accumulator->MergeSerialized(piece);
    if (!status.ok()) return status;
  }
  return accumulator;
}

// Gathers every rank's `accumulator` and merges them in rank order.
Status GatherWhole(dist::Communicator* communicator, const Operator& step, std::unique_ptr<Accumulator>* accumulator) {
  std::string mine;
  (*accumulator)->Serialize(&mine);
  auto merged = MergePieces(step, communicator->AllGather(mine));
  Status status = dist::AgreeOnStatus(communicator, merged.status());
  if (!status.ok()) return status;
  *accumulator = std::move(*merged);
  return Status::OK();
}

// The hash-partitioned exchange (see the header).
Status ExchangeByKey(dist::Communicator* communicator, const Operator& step,
                     std::unique_ptr<Accumulator>* accumulator) {
  std::vector<std::string> parts(communicator->size());
  Status status = dist::AgreeOnStatus(communicator, (*accumulator)->SerializePartitions(&parts));
  if (!status.ok()) return status;
  accumulator->reset();  // The parts hold it now.
  auto owned = MergePieces(step, communicator->AllToAllV(parts));
  parts = {};
  std::string survivors;
  if (owned.ok()) {
    (*owned)->KeepFitCandidates();
    (*owned)->Serialize(&survivors);
    owned->reset();
  }
  status = dist::AgreeOnStatus(communicator, owned.status());
  if (!status.ok()) return status;
  auto merged = MergePieces(step, communicator->AllGather(survivors));
  status = dist::AgreeOnStatus(communicator, merged.status());
  if (!status.ok()) return status;
  *accumulator = std::move(*merged);
  return Status::OK();
}

}  // namespace

Status MergeAcrossRanks(dist::Communicator* communicator, const Pipeline& pipeline,
                        std::vector<std::unique_ptr<Accumulator>>* merged) {
  if (communicator->size() == 1) return Status::OK();
  for (size_t i = 0; i < merged->size(); ++i) {
    std::unique_ptr<Accumulator>& accumulator = (*merged)[i];
    if (accumulator == nullptr) continue;
    const Operator& step = pipeline.step(static_cast<int>(i));
    Status status = accumulator->partitionable() ? ExchangeByKey(communicator, step, &accumulator)
                                                 : GatherWhole(communicator, step, &accumulator);
    if (!status.ok()) return status.WithContext(StepName(pipeline, static_cast<int>(i)));
  }
  return Status::OK();
}

}  // namespace kiln::prep
