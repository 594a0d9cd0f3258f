// AgreeOnStatus: turns one rank's failure into every rank's failure.
//
// Each rank passes the outcome of its local work; every rank gets back the
// first failure in rank order (its message prefixed with "rank R of N: "
// when size() > 1), or OK when every rank succeeded. Called between phases
// of a distributed job, it keeps the ranks in step: a rank that failed does
// not leave the others waiting in the next collective.
#pragma once

#include "kiln/core/status.h"
#include "kiln/dist/communicator.h"

namespace kiln::dist {

// Collective. REQUIRES: every rank calls it at the same point.
Status AgreeOnStatus(Communicator* communicator, const Status& local);

// Status <-> bytes, for sending one to another rank.
std::string EncodeStatus(const Status& status);
Status DecodeStatus(const std::string& bytes);

}  // namespace kiln::dist
