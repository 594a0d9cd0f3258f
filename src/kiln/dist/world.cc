#include "kiln/dist/world.h"

#include <cstdlib>
#include <memory>

#include "kiln/dist/mpi_communicator.h"

namespace kiln::dist {

namespace {

LocalCommunicator local_world;                // World() outside mpirun.
std::unique_ptr<MpiCommunicator> mpi_world;  // Set by InitWorld() under mpirun.

int EnvironmentInt(const char* name, int fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr) return fallback;
  int value = std::atoi(text);
  return value > 0 ? value : fallback;
}

}  // namespace

bool LaunchedByMpirun() { return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr; }

Status InitWorld(int* argc, char*** argv) {
  if (!LaunchedByMpirun() || mpi_world != nullptr) return Status::OK();
  auto world = MpiCommunicator::Init(argc, argv);
  if (!world.ok()) return world.status();
  mpi_world = std::move(*world);
  return Status::OK();
}

Communicator& World() {
  if (mpi_world != nullptr) return *mpi_world;
  return local_world;
}

void FinalizeWorld() { mpi_world.reset(); }

int LocalRankCount() { return LaunchedByMpirun() ? EnvironmentInt("OMPI_COMM_WORLD_LOCAL_SIZE", 1) : 1; }

}  // namespace kiln::dist
