// InferCsvColumns: guesses each column's type from a sample of CSV rows.
#pragma once

#include <string>
#include <vector>

#include "kiln/core/data_type.h"
#include "kiln/io/row_chunker.h"

namespace kiln {

struct CsvColumnGuess {
  // The first of bool (true/false), int32, int64, float64, date32,
  // timestamp that every non-null sample value fits; else string (also when
  // every value is null).
  DataType type = DataType::String();
  bool all_hex32 = false;  // Some values, and every one is 1-8 hex digits.
};

// Looks at every row of `sample` (a chunk padded as RowChunker pads it).
// Nulls (empty fields and `null_string`) are ignored, and so are malformed
// rows: the real read reports those.
std::vector<CsvColumnGuess> InferCsvColumns(const TextChunk& sample, int num_columns, char delimiter, bool quoted,
                                            const std::string& null_string);

}  // namespace kiln
