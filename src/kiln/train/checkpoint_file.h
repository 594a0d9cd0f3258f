// Checkpoint files: named float arrays plus where training stands, written
// atomically (OutputFile: a killed run leaves the previous checkpoint).
// The final model uses the same format with the position unused.
//
//   "KILNCKP1" | header (step, epoch, batch, samples, seed, seconds)
//   | uint32 array count | per array: uint32 name length, name,
//   int64 floats, the floats (little-endian, as in memory)
//
// Reading checks every length against the bytes left, so a truncated or
// foreign file fails with the path named instead of reading past the end.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kiln/core/status.h"

namespace kiln::train {

struct CheckpointHeader {
  int64_t step = 0;      // Optimizer steps taken.
  int64_t epoch = 0;     // Loader position: the next batch's epoch...
  int64_t batch = 0;     // ...and its index within the epoch.
  int64_t samples = 0;   // Training rows seen over all ranks.
  uint64_t seed = 0;     // The run's seed (initialisation and shuffles derive from it).
  double seconds = 0;    // Training time so far.
};

struct ArrayView {
  std::string name;             // Unique within a file.
  const float* data = nullptr;  // `size` floats.
  int64_t size = 0;
};

struct CheckpointContents {
  CheckpointHeader header;
  std::map<std::string, std::vector<float>> arrays;  // By name.
};

Status WriteCheckpoint(const std::string& path, const CheckpointHeader& header, const std::vector<ArrayView>& arrays);
Result<CheckpointContents> ReadCheckpoint(const std::string& path);

// Copies the array `name` of `contents` into target[0, size): NotFound or
// InvalidArgument naming `path` and the array when it is missing or its
// size differs.
Status RestoreArray(const CheckpointContents& contents, const std::string& path, const std::string& name,
                    float* target, int64_t size);

}  // namespace kiln::train
