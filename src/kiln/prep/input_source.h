// InputSpec and OpenInput: where a prep run reads from. A path is a file or
// a directory whose files (not starting with '.' or '_') are read in name
// order as one stream (Parquet part files too). A directory holding
// subdirectories (hive partitions, key=value/) is read as one Parquet
// dataset (parquet/dataset.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kiln/core/batch_stream.h"
#include "kiln/io/formats.h"
#include "kiln/prep/input_share.h"

namespace kiln::prep {

struct InputSpec {
  std::string path;    // File or directory.
  std::string format;  // csv, tsv, jsonl or parquet; empty: from the (first) file's extension.
  ReadOptions read;    // Parsing options (schema, header, hex32 columns, on_error, ...).
  // Passes after the first read the batches the first one parsed from a
  // local file (batch_spill.h) instead of parsing the text again.
  bool spill_parsed = true;
  // A distributed run reads only rank `rank` of `ranks`'s share of the
  // input (input_share.h); a single process reads everything.
  int rank = 0;   // This process's rank.
  int ranks = 1;  // Processes sharing the input.
};

// The files of `path` in read order (a hive-partitioned directory is one
// entry, itself); NotFound when it does not exist or a directory holds no files.
Result<std::vector<std::string>> InputFiles(const std::string& path);

// The format of the input.
Result<FileFormat> InputFormat(const InputSpec& spec, const std::vector<std::string>& files);

// Whether text of this format and options can be cut inside a file.
bool CanCutInsideFiles(FileFormat format, const ReadOptions& options);

// The files, or byte ranges of files, this process reads, in order.
Result<std::vector<FilePiece>> InputPieces(const InputSpec& spec);

// One reader over every piece (of every file) in order. Later files must yield the first
// file's schema. report() sums over the files read so far.
Result<std::unique_ptr<BatchReader>> OpenInput(const InputSpec& spec);

}  // namespace kiln::prep
