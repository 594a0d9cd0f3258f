// MpiCommunicator: Communicator over MPI_COMM_WORLD (OpenMPI).
//
// Byte exchanges send their sizes first, then the bytes in rounds of at most
// MpiOptions::round_bytes per rank, because MPI counts are ints; sums run MPI_Allreduce
// in place on slices of at most INT_MAX elements, so gradients of any size
// reduce with MPI's own (ring / recursive doubling) algorithms and no copy.
#pragma once

#include <cstdint>
#include <memory>

#include "kiln/core/status.h"
#include "kiln/dist/communicator.h"

namespace kiln::dist {

struct MpiOptions {
  int64_t round_bytes = 1 << 30;  // Most bytes a rank moves per round of AllGather / AllToAllV (at most INT_MAX).
};

class MpiCommunicator : public Communicator {
 public:
  // Calls MPI_Init_thread (funneled: only the thread that created the
  // communicator calls MPI) and returns the world communicator.
  // REQUIRES: at most one per process.
  static Result<std::unique_ptr<MpiCommunicator>> Init(int* argc, char*** argv, MpiOptions options = {});
  // Calls MPI_Finalize.
  ~MpiCommunicator() override;

  MpiCommunicator(const MpiCommunicator&) = delete;
  MpiCommunicator& operator=(const MpiCommunicator&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void Barrier() override;
  std::vector<std::string> AllGather(const std::string& mine) override;
  std::vector<std::string> AllToAllV(const std::vector<std::string>& outgoing) override;
  void AllReduceSum(std::span<int64_t> values) override;
  void AllReduceSum(std::span<double> values) override;
  void AllReduceSum(std::span<float> values) override;

 private:
  MpiCommunicator(int rank, int size, MpiOptions options) : rank_(rank), size_(size), options_(options) {}
  // Bytes of each rank's string per round.
  int64_t RoundSlice() const;

  int rank_;            // In MPI_COMM_WORLD.
  int size_;            // Of MPI_COMM_WORLD.
  MpiOptions options_;  // As given.
};

}  // namespace kiln::dist
