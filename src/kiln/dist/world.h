// The process-wide Communicator of a run.
//
// InitWorld() starts MPI only when the process was launched by mpirun
// (OMPI_COMM_WORLD_SIZE is set), so a plain `kiln` run never pays MPI's
// start-up; otherwise the world is a LocalCommunicator. FinalizeWorld()
// shuts MPI down (MPI requires it before exit).
#pragma once

#include "kiln/core/status.h"
#include "kiln/dist/communicator.h"

namespace kiln::dist {

// True when this process was started by mpirun (OpenMPI).
bool LaunchedByMpirun();

// Sets up World(). REQUIRES: called once, before any other thread uses MPI.
Status InitWorld(int* argc, char*** argv);
// The world communicator: MPI's after InitWorld() under mpirun, else a
// LocalCommunicator.
Communicator& World();
// Ends MPI if InitWorld() started it. REQUIRES: no collective is running.
void FinalizeWorld();

// Processes of this run on this machine (OMPI_COMM_WORLD_LOCAL_SIZE), 1
// outside mpirun: the CLI divides the cores among them.
int LocalRankCount();

}  // namespace kiln::dist
