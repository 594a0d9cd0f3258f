// The communicator the dist tests run on: OpenMPI's under mpirun (with tiny
// rounds, so every byte exchange takes many rounds), else a local one.
#pragma once

#include "kiln/dist/communicator.h"

namespace kiln::dist {

Communicator& TestWorld();

}  // namespace kiln::dist
