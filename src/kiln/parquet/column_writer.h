// Column writer: encodes one Kiln column of one row group into a Parquet
// column chunk (pages with their headers, and the chunk's ColumnMetaData).
//
// The chunk starts with a PLAIN dictionary page when dictionary encoding is
// on; data pages then carry RLE_DICTIONARY indices until the dictionary
// outgrows its budget, after which the rest of the chunk falls back to PLAIN
// pages (booleans and FIXED_LEN_BYTE_ARRAY decimals are always PLAIN).
// Definition and repetition levels use the RLE/bit-packed hybrid. Pages end at
// row boundaries once their encoded values reach the target size, and carry
// their own statistics; the chunk's statistics merge them.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "kiln/core/buffer.h"
#include "kiln/core/column.h"
#include "kiln/core/status.h"
#include "kiln/parquet/codec.h"
#include "kiln/parquet/parquet_types.h"
#include "kiln/parquet/schema_export.h"

namespace kiln::parquet {

struct ColumnWriterOptions {
  Codec codec = format::CompressionCodec::ZSTD;     // Page compression.
  int compression_level = kDefaultCompressionLevel;  // As Compress() takes it.
  int64_t page_bytes = 1 << 20;                      // Target encoded values per data page, before compression.
  bool enable_dictionary = true;                     // Try RLE_DICTIONARY first.
  int64_t dictionary_limit_bytes = 1 << 20;          // PLAIN size past which the dictionary is abandoned.
  bool data_page_v2 = false;                         // DATA_PAGE_V2 instead of DATA_PAGE.
  bool page_statistics = true;                       // Min/max/null count in every data page header.
};

// One encoded column chunk: its bytes and its metadata. Offsets in the
// metadata (data_page_offset, dictionary_page_offset) count from the first
// byte of `bytes`; the file writer adds the chunk's position in the file.
struct EncodedColumnChunk {
  Buffer bytes;                     // Dictionary page (if any), then the data pages.
  format::ColumnMetaData metadata;  // Everything but the file position.
};

// Encodes the rows of `pieces`, in order, as one column chunk of the column
// laid out by `leaf`. The pieces are the column's parts in consecutive
// batches of the row group; each may be a slice.
// Fails with InvalidArgument when a byte array is 2 GiB or longer or a page
// would exceed Parquet's 2 GiB page limit, and with the codec's error.
// REQUIRES: every piece has the Kiln type of `leaf`'s column, and pieces of a
//           column that is not nullable hold no nulls.
Status EncodeColumnChunk(const LeafLayout& leaf, const std::vector<std::shared_ptr<Column>>& pieces,
                         const ColumnWriterOptions& options, EncodedColumnChunk* out);

}  // namespace kiln::parquet
