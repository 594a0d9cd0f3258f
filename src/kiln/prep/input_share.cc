#include "kiln/prep/input_share.h"

#include <algorithm>
#include <filesystem>

namespace kiln::prep {

namespace {

// Where rank r's bytes start, of `total` bytes among `ranks` ranks.
int64_t ShareStart(int64_t total, int rank, int ranks) {
  return static_cast<int64_t>(static_cast<__int128>(total) * rank / ranks);
}

}  // namespace

Result<std::vector<FilePiece>> ShareOfInput(const std::vector<std::string>& files, bool cut_inside_files, int rank,
                                            int ranks) {
  std::vector<int64_t> sizes;
  int64_t total = 0;
  for (const std::string& file : files) {
    std::error_code error;
    auto size = std::filesystem::file_size(file, error);
    if (error) return Status::IOError(file + ": " + error.message());
    sizes.push_back(static_cast<int64_t>(size));
    total += static_cast<int64_t>(size);
  }
  const int64_t begin = ShareStart(total, rank, ranks);
  const int64_t end = ShareStart(total, rank + 1, ranks);
  std::vector<FilePiece> pieces;
  int64_t file_start = 0;
  for (size_t i = 0; i < files.size(); file_start += sizes[i], ++i) {
    const int64_t file_end = file_start + sizes[i];
    if (!cut_inside_files) {
      // An empty file at a share boundary still goes to exactly one rank.
      bool mine = file_start >= begin && (file_start < end || (rank == ranks - 1 && file_start == end));
      if (mine) pieces.push_back({files[i], ByteRange{}});
      continue;
    }
    int64_t from = std::max(begin, file_start), to = std::min(end, file_end);
    if (from >= to) continue;
    ByteRange range{from - file_start, to == file_end ? -1 : to - file_start};
    pieces.push_back({files[i], range});
  }
  return pieces;
}

}  // namespace kiln::prep
