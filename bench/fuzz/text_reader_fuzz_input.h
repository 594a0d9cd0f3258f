// Shared by the text-reader fuzzers: the readers take file paths, so each
// input is written to one per-process scratch file first.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace kiln::fuzz {

// Writes `data` to this process's scratch file and returns its path.
inline std::string WriteScratchFile(const uint8_t* data, size_t size, const char* extension) {
  static const std::string path = "/tmp/kiln-fuzz-" + std::to_string(::getpid()) + extension;
  FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return path;
  if (size) std::fwrite(data, 1, size, file);
  std::fclose(file);
  return path;
}

}  // namespace kiln::fuzz
