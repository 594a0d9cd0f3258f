// Flags shared by every command that reads a data file (convert, head), and
// their translation into the io layer's ReadOptions.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "kiln/io/formats.h"

namespace kiln::cli {

struct InputFlags {
  std::string format;       // csv|tsv|jsonl; empty: from the extension.
  std::string delimiter;    // One character (or "\t"); CSV only.
  bool no_header = false;   // CSV/TSV without a header line.
  std::string null_string;  // CSV text that means null.
  std::string schema;       // "criteo" or "name:type,...".
  std::string columns;      // Comma-separated names for headerless CSV.
  std::string hex32;        // Comma-separated uint32 hex columns, or "*".
  std::string on_error = "error";  // error|skip
  int64_t infer_rows = 10000;      // Rows sampled for type inference.
};

void AddInputFlags(CLI::App* command, InputFlags* flags);

// The format of `path` and the options to read it with.
Status ResolveInput(const InputFlags& flags, const std::string& path, FileFormat* format, ReadOptions* options);

}  // namespace kiln::cli
