#include "testing/shared_data.h"

#include <cstdlib>
#include <filesystem>

namespace kiln::testing {

std::string SharedPath(const std::string& relative) {
  std::filesystem::path path = std::filesystem::path(KILN_SOURCE_DIR) / ".." / "shared" / relative;
  std::error_code ignored;
  return std::filesystem::exists(path, ignored) ? path.lexically_normal().string() : "";
}

std::string PeersHome() {
  if (const char* home = std::getenv("PEERS_HOME")) return home;
  const char* user_home = std::getenv("HOME");
  return std::string(user_home ? user_home : "/root") + "/.cache/kiln-peers";
}

}  // namespace kiln::testing
