// Communicator: the collective operations a distributed Kiln run needs,
// with no MPI types in sight.
//
// Every process of a run (a "rank", 0 .. size()-1) holds one Communicator.
// All operations are collective: every rank must call the same operations
// in the same order, or the run hangs. Code that can fail on one rank and
// not on another must therefore agree on the outcome (AgreeOnStatus(),
// agreement.h) before the next collective, so that a failure on any rank
// stops every rank with the same message.
//
// Two implementations: LocalCommunicator (one process; every operation is a
// copy or nothing) and the OpenMPI one (mpi_communicator.h), chosen at start
// by InitWorld() (world.h).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kiln::dist {

class Communicator {
 public:
  virtual ~Communicator() = default;

  // This process's rank, 0 .. size()-1.
  virtual int rank() const = 0;
  // The number of ranks, at least 1.
  virtual int size() const = 0;

  // Returns once every rank has called it.
  virtual void Barrier() = 0;
  // Every rank's `mine`, indexed by rank, on every rank. Any sizes, also
  // beyond 2 GB.
  virtual std::vector<std::string> AllGather(const std::string& mine) = 0;
  // Sends outgoing[r] to rank r; returns what each rank sent to this one,
  // indexed by the sender. REQUIRES: outgoing.size() == size().
  virtual std::vector<std::string> AllToAllV(const std::vector<std::string>& outgoing) = 0;
  // Replaces each element of `values` with its sum over all ranks, in place
  // (no copy of the array: gradients may be large).
  // REQUIRES: every rank passes the same length.
  virtual void AllReduceSum(std::span<int64_t> values) = 0;
  virtual void AllReduceSum(std::span<double> values) = 0;
  virtual void AllReduceSum(std::span<float> values) = 0;
};

// One process: rank 0 of 1.
class LocalCommunicator : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void Barrier() override {}
  std::vector<std::string> AllGather(const std::string& mine) override { return {mine}; }
  std::vector<std::string> AllToAllV(const std::vector<std::string>& outgoing) override { return outgoing; }
  void AllReduceSum(std::span<int64_t>) override {}
  void AllReduceSum(std::span<double>) override {}
  void AllReduceSum(std::span<float>) override {}
};

}  // namespace kiln::dist
