// main() of kiln_dist_tests: starts MPI when run by mpirun, runs the tests
// on every rank (mpirun fails when any rank fails), then ends MPI.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

#include "kiln/dist/mpi_communicator.h"
#include "kiln/dist/world.h"
#include "test_world.h"

namespace kiln::dist {
namespace {

constexpr int64_t kTestRoundBytes = 4096;  // Bytes per round: strings of a few KB need several.

std::unique_ptr<Communicator> test_world;

}  // namespace

Communicator& TestWorld() { return *test_world; }

}  // namespace kiln::dist

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (kiln::dist::LaunchedByMpirun()) {
    auto mpi = kiln::dist::MpiCommunicator::Init(&argc, &argv, {kiln::dist::kTestRoundBytes});
    if (!mpi.ok()) {
      std::fprintf(stderr, "%s\n", mpi.status().ToString().c_str());
      return 1;
    }
    kiln::dist::test_world = std::move(*mpi);
  } else {
    kiln::dist::test_world = std::make_unique<kiln::dist::LocalCommunicator>();
  }
  int result = RUN_ALL_TESTS();
  kiln::dist::test_world.reset();
  return result;
}
