// ShareOfInput: the part of a prep input that one rank of a distributed run
// reads.
//
// The input's files, in read order, are laid end to end as one run of bytes
// of total size S; rank r of n gets the bytes [r*S/n, (r+1)*S/n), cut at the
// file boundaries into per-file byte ranges. A row belongs to the range it
// starts in (io's ByteRange), so the ranks' shares are consecutive runs of
// the input's rows: rank 0's rows, then rank 1's, ... are exactly the rows
// of a single-process read, in order.
//
// Only text whose every newline ends a row can be cut inside a file: TSV/CSV
// with quoting off, and JSON Lines. Quoted CSV (a quoted field may hold a
// newline, which nothing but a scan from the file's start could tell from a
// row end) and Parquet go by whole files: a file belongs to the rank whose
// bytes hold the file's first byte.
#pragma once

#include <string>
#include <vector>

#include "kiln/core/status.h"
#include "kiln/io/row_chunker.h"

namespace kiln::prep {

struct FilePiece {
  std::string path;  // One input file.
  ByteRange range;   // The rows of it that this rank reads.
};

// The pieces of `files` (in read order) for `rank` of `ranks`; possibly
// none. With `cut_inside_files` false, every piece is a whole file.
// REQUIRES: 0 <= rank < ranks.
Result<std::vector<FilePiece>> ShareOfInput(const std::vector<std::string>& files, bool cut_inside_files, int rank,
                                            int ranks);

}  // namespace kiln::prep
