#include "kiln/core/cpu_info.h"

#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace kiln {
namespace {

bool CpuinfoFlagPresent(const std::string& flag) {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("flags", 0) == 0) return (line + " ").find(" " + flag + " ") != std::string::npos;
  }
  return false;
}

TEST(CpuInfoTest, MatchesProcCpuinfo) {
  const CpuInfo& cpu = DetectCpu();
  EXPECT_GE(cpu.logical_cores, 1);
  EXPECT_FALSE(cpu.model.empty());
  EXPECT_EQ(cpu.avx2, CpuinfoFlagPresent("avx2"));
  EXPECT_EQ(cpu.avx512f, CpuinfoFlagPresent("avx512f"));
  EXPECT_EQ(cpu.amx_bf16, CpuinfoFlagPresent("amx_bf16"));
  EXPECT_EQ(cpu.has_bf16(), CpuinfoFlagPresent("amx_bf16") || CpuinfoFlagPresent("avx512_bf16"));
  EXPECT_EQ(cpu.FeatureString().find("avx2") != std::string::npos, cpu.avx2);
}

}  // namespace
}  // namespace kiln
