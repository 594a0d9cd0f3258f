// CpuInfo: what the processor can do, detected at run time (never at build
// time), so one binary picks the fastest path on each machine and every
// benchmark figure can be recorded beside the CPU it came from.
#pragma once

#include <string>

namespace kiln {

struct CpuInfo {
  std::string model;       // "model name" from /proc/cpuinfo, or "unknown".
  int logical_cores = 1;   // Threads the OS reports.
  bool avx2 = false;
  bool avx512f = false;
  bool avx512_bf16 = false;
  bool amx_bf16 = false;

  // True when BF16 matrix math has hardware support (AVX512-BF16 or AMX).
  bool has_bf16() const { return avx512_bf16 || amx_bf16; }
  // "avx2 avx512f avx512_bf16 amx_bf16" (the ones present), or "none".
  std::string FeatureString() const;
};

// Reads /proc/cpuinfo once and caches the answer.
const CpuInfo& DetectCpu();

}  // namespace kiln
