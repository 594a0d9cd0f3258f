// Column reader: one column chunk (all its pages) to one Kiln Column.
//
// Pages are decompressed into reused scratch memory; levels become validity
// bits (and list offsets), and values decode in bulk straight into the
// column's buffers: non-null values first, densely, then spread to their
// slots in place when the page has nulls. Dictionary pages are decoded (and
// converted to the Kiln type) once per chunk; data pages then gather from
// them by index.
//
// Sizes claimed by the file are checked before memory is allocated for them
// where bytes must back them: a chunk lies within the file, a page within its
// chunk, PLAIN values and dictionaries within their page. Counts that run-length
// encoding can expand without bound (a few bytes may stand for millions of
// nulls, and writers do produce such files) are capped by DecodeLimits.
#pragma once

#include <cstddef>
#include <climits>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "kiln/core/buffer.h"
#include "kiln/core/column.h"
#include "kiln/core/status.h"
#include "kiln/parquet/parquet_types.h"
#include "kiln/parquet/schema_import.h"

namespace kiln::parquet {

// Caps on what one column chunk may make the reader allocate.
struct DecodeLimits {
  int64_t max_chunk_values = INT32_MAX;       // Values (levels) in a column chunk, nulls included.
  int64_t max_page_bytes = int64_t{1} << 30;  // A decompressed page, and the byte arrays one page decodes to.
};

// Memory one decode reuses from chunk to chunk. Not shared between threads.
struct DecodeScratch {
  Buffer chunk;              // The column chunk's bytes as read from the file.
  Buffer page;               // The current page, decompressed.
  Buffer definition_levels;  // One byte per value of the current page.
  Buffer repetition_levels;  // One byte per value of the current page.
  Buffer indices;            // Dictionary indices of the current page (uint32).
  Buffer physical;           // Fixed-width values as stored, before conversion.
  Buffer physical_offsets;   // Byte-array ends as stored, before conversion.
  Buffer physical_bytes;     // Byte-array bytes as stored, before conversion.
};

// Scratch for concurrent decodes, one per task and kept for the next, so that
// page buffers are allocated once per thread rather than once per chunk.
// Holds on to as many scratch objects as ran at once. Thread-safe.
class ScratchPool {
 public:
  std::unique_ptr<DecodeScratch> Acquire();
  void Release(std::unique_ptr<DecodeScratch> scratch);

 private:
  std::mutex mutex_;                                  // Guards free_.
  std::vector<std::unique_ptr<DecodeScratch>> free_;  // Idle scratch.
};

// Decodes the column chunk stored in [data, data + size) (its first page
// header is at `data`) into a Column of column.type() with `num_rows` rows.
// Errors are Corruption or NotSupported and name the page ("page 3: ...");
// the caller adds the file, row group and column.
// REQUIRES: `metadata` is the chunk's metadata for `column`'s leaf.
Result<std::shared_ptr<Column>> ReadColumnChunk(const ColumnDescriptor& column, const format::ColumnMetaData& metadata,
                                                const uint8_t* data, size_t size, int64_t num_rows,
                                                const DecodeLimits& limits, DecodeScratch* scratch);

// Decodes one value as statistics store it (PLAIN, a byte array without its
// length prefix) into a one-row Column of column.value_type. Corruption when
// the bytes do not hold exactly one value.
Result<std::shared_ptr<Column>> DecodeStatisticsValue(const ColumnDescriptor& column, const std::string& bytes);

// The byte range [*offset, *offset + *length) of a chunk's pages within its
// file: from the dictionary page, if any, else the first data page.
// Corruption when it does not lie within [0, file_size).
Status ColumnChunkRange(const format::ColumnMetaData& metadata, int64_t file_size, int64_t* offset, int64_t* length);

}  // namespace kiln::parquet
