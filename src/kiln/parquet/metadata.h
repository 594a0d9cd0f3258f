// Parquet metadata: the Thrift structures of the footer and page headers,
// parsed from and serialized to the compact protocol.
//
// The structures themselves are generated from parquet.thrift into namespace
// kiln::parquet::format (FileMetaData, RowGroup, ColumnChunk, PageHeader, ...).
// Optional fields are present when `__isset.<field>` is true. Enum fields hold
// whatever integer the file carried: check them before switching on them.
//
// Parsing never throws and never trusts sizes in the input: strings and
// containers are capped by the bytes actually available (and by the limits
// below), nesting is capped by Thrift's recursion limit, and every Thrift or
// allocation failure becomes Status::Corruption.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kiln/core/buffer.h"
#include "kiln/core/status.h"
#include "kiln/parquet/parquet_types.h"

namespace kiln::parquet {

// "PAR1": the first and last four bytes of every Parquet file.
inline constexpr char kParquetMagic[4] = {'P', 'A', 'R', '1'};
// The file tail: 4-byte little-endian footer length, then the magic.
inline constexpr size_t kFooterTailSize = 8;

// Guards against hostile sizes. A declared container of n elements allocates
// n elements before they are read, so both limits stay well below what a
// corrupt length could ask for.
struct ThriftLimits {
  int32_t max_string_size = 1 << 30;       // Bytes in one string or binary.
  int32_t max_container_size = 10'000'000;  // Elements in one list.
};

// Reads the footer length from the last kFooterTailSize bytes of a file of
// `file_size` bytes and checks the magic and that the footer fits in the file.
// REQUIRES: `tail` holds kFooterTailSize bytes.
Status ParseFooterTail(const uint8_t* tail, uint64_t file_size, uint32_t* metadata_size);

// Parses a FileMetaData from the footer (`size` bytes, without the length and
// magic). Bytes after the struct are ignored: files with an encrypted-style
// plaintext footer append a signature there. Also checks num_rows >= 0 and a
// non-empty schema.
Status ParseFileMetaData(const uint8_t* data, size_t size, format::FileMetaData* out,
                         const ThriftLimits& limits = {});

// Parses the PageHeader at the start of `data`, which may continue with the
// page body and later pages: `*header_size` receives the bytes the header
// took. Also checks what every reader relies on: sizes are not negative, and
// the sub-header named by `type` is present with non-negative counts.
Status ParsePageHeader(const uint8_t* data, size_t size, format::PageHeader* out,
                       size_t* header_size, const ThriftLimits& limits = {});

// Parse the page index structures stored next to the column chunks. Bytes
// after the struct are ignored.
Status ParseColumnIndex(const uint8_t* data, size_t size, format::ColumnIndex* out,
                        const ThriftLimits& limits = {});
Status ParseOffsetIndex(const uint8_t* data, size_t size, format::OffsetIndex* out,
                        const ThriftLimits& limits = {});

// Append the compact-protocol encoding to `out`. Fail (Internal) only when a
// required field cannot be written or memory runs out.
Status SerializeFileMetaData(const format::FileMetaData& metadata, Buffer* out);
Status SerializePageHeader(const format::PageHeader& header, Buffer* out);
Status SerializeColumnIndex(const format::ColumnIndex& index, Buffer* out);
Status SerializeOffsetIndex(const format::OffsetIndex& index, Buffer* out);

}  // namespace kiln::parquet
