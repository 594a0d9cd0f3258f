#include "kiln/dist/mpi_communicator.h"

#include <mpi.h>

#include <algorithm>
#include <climits>

namespace kiln::dist {

namespace {

// Elements per MPI_Allreduce call.
constexpr int64_t kReduceSlice = INT_MAX;

// The largest of `value` over all ranks.
int64_t AllReduceMax(int64_t value) {
  MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_INT64_T, MPI_MAX, MPI_COMM_WORLD);
  return value;
}

template <typename T>
void ReduceSumInPlace(std::span<T> values, MPI_Datatype type) {
  for (size_t at = 0; at < values.size(); at += kReduceSlice) {
    int count = static_cast<int>(std::min<size_t>(kReduceSlice, values.size() - at));
    MPI_Allreduce(MPI_IN_PLACE, values.data() + at, count, type, MPI_SUM, MPI_COMM_WORLD);
  }
}

}  // namespace

Result<std::unique_ptr<MpiCommunicator>> MpiCommunicator::Init(int* argc, char*** argv, MpiOptions options) {
  int provided = 0;
  if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
    return Status::Internal("MPI_Init_thread failed");
  }
  if (options.round_bytes < 1 || options.round_bytes > INT_MAX) {
    MPI_Finalize();
    return Status::InvalidArgument("MPI round_bytes must be 1 .. INT_MAX");
  }
  if (provided < MPI_THREAD_FUNNELED) {
    MPI_Finalize();
    return Status::NotSupported("this MPI library does not allow threads (MPI_THREAD_FUNNELED)");
  }
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return std::unique_ptr<MpiCommunicator>(new MpiCommunicator(rank, size, options));
}

MpiCommunicator::~MpiCommunicator() { MPI_Finalize(); }

// Every MPI count and displacement of a round must fit an int.
int64_t MpiCommunicator::RoundSlice() const { return std::max<int64_t>(1, options_.round_bytes / size_); }

void MpiCommunicator::Barrier() { MPI_Barrier(MPI_COMM_WORLD); }

std::vector<std::string> MpiCommunicator::AllGather(const std::string& mine) {
  std::vector<int64_t> sizes(size_);
  int64_t my_size = static_cast<int64_t>(mine.size());
  MPI_Allgather(&my_size, 1, MPI_INT64_T, sizes.data(), 1, MPI_INT64_T, MPI_COMM_WORLD);
  std::vector<std::string> gathered(size_);
  for (int r = 0; r < size_; ++r) gathered[r].resize(sizes[r]);
  const int64_t slice = RoundSlice();
  int64_t largest = *std::max_element(sizes.begin(), sizes.end());
  std::vector<int> counts(size_), displacements(size_);
  std::string received;
  for (int64_t done = 0; done < largest; done += slice) {
    int total = 0;
    for (int r = 0; r < size_; ++r) {
      counts[r] = static_cast<int>(std::clamp<int64_t>(sizes[r] - done, 0, slice));
      displacements[r] = total;
      total += counts[r];
    }
    received.resize(total);
    MPI_Allgatherv(mine.data() + std::min(done, my_size), counts[rank_], MPI_BYTE, received.data(), counts.data(),
                   displacements.data(), MPI_BYTE, MPI_COMM_WORLD);
    for (int r = 0; r < size_; ++r) {
      std::copy_n(received.data() + displacements[r], counts[r], gathered[r].data() + done);
    }
  }
  return gathered;
}

std::vector<std::string> MpiCommunicator::AllToAllV(const std::vector<std::string>& outgoing) {
  std::vector<int64_t> send_sizes(size_), receive_sizes(size_);
  for (int r = 0; r < size_; ++r) send_sizes[r] = static_cast<int64_t>(outgoing[r].size());
  MPI_Alltoall(send_sizes.data(), 1, MPI_INT64_T, receive_sizes.data(), 1, MPI_INT64_T, MPI_COMM_WORLD);
  std::vector<std::string> incoming(size_);
  for (int r = 0; r < size_; ++r) incoming[r].resize(receive_sizes[r]);
  int64_t largest = std::max(*std::max_element(send_sizes.begin(), send_sizes.end()),
                             *std::max_element(receive_sizes.begin(), receive_sizes.end()));
  largest = AllReduceMax(largest);
  const int64_t slice = RoundSlice();
  std::vector<int> send_counts(size_), send_displacements(size_), receive_counts(size_), receive_displacements(size_);
  std::string send_buffer, receive_buffer;
  for (int64_t done = 0; done < largest; done += slice) {
    int send_total = 0, receive_total = 0;
    for (int r = 0; r < size_; ++r) {
      send_counts[r] = static_cast<int>(std::clamp<int64_t>(send_sizes[r] - done, 0, slice));
      send_displacements[r] = send_total;
      send_total += send_counts[r];
      receive_counts[r] = static_cast<int>(std::clamp<int64_t>(receive_sizes[r] - done, 0, slice));
      receive_displacements[r] = receive_total;
      receive_total += receive_counts[r];
    }
    send_buffer.resize(send_total);
    for (int r = 0; r < size_; ++r) {
      if (send_counts[r] > 0) std::copy_n(outgoing[r].data() + done, send_counts[r], send_buffer.data() + send_displacements[r]);
    }
    receive_buffer.resize(receive_total);
    MPI_Alltoallv(send_buffer.data(), send_counts.data(), send_displacements.data(), MPI_BYTE, receive_buffer.data(),
                  receive_counts.data(), receive_displacements.data(), MPI_BYTE, MPI_COMM_WORLD);
    for (int r = 0; r < size_; ++r) {
      std::copy_n(receive_buffer.data() + receive_displacements[r], receive_counts[r], incoming[r].data() + done);
    }
  }
  return incoming;
}

void MpiCommunicator::AllReduceSum(std::span<int64_t> values) { ReduceSumInPlace(values, MPI_INT64_T); }
void MpiCommunicator::AllReduceSum(std::span<double> values) { ReduceSumInPlace(values, MPI_DOUBLE); }
void MpiCommunicator::AllReduceSum(std::span<float> values) { ReduceSumInPlace(values, MPI_FLOAT); }

}  // namespace kiln::dist
