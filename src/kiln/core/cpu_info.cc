#include "kiln/core/cpu_info.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace kiln {

namespace {

CpuInfo ReadCpuInfo() {
  CpuInfo info;
  info.model = "unknown";
  info.logical_cores = std::max(1u, std::thread::hardware_concurrency());
  std::ifstream in("/proc/cpuinfo");
  std::set<std::string> flags;
  for (std::string line; std::getline(in, line);) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
    std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    if (key == "model name" && info.model == "unknown") info.model = value;
    if (key == "flags" && flags.empty()) {
      std::istringstream words(value);
      for (std::string word; words >> word;) flags.insert(word);
    }
  }
  info.avx2 = flags.count("avx2") > 0;
  info.avx512f = flags.count("avx512f") > 0;
  info.avx512_bf16 = flags.count("avx512_bf16") > 0;
  info.amx_bf16 = flags.count("amx_bf16") > 0;
  return info;
}

}  // namespace

std::string CpuInfo::FeatureString() const {
  std::string text;
  auto add = [&text](bool present, const char* name) {
    if (!present) return;
    if (!text.empty()) text += ' ';
    text += name;
  };
  add(avx2, "avx2");
  add(avx512f, "avx512f");
  add(avx512_bf16, "avx512_bf16");
  add(amx_bf16, "amx_bf16");
  return text.empty() ? "none" : text;
}

const CpuInfo& DetectCpu() {
  static const CpuInfo info = ReadCpuInfo();
  return info;
}

}  // namespace kiln
