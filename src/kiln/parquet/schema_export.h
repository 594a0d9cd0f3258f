// Schema export: how each column of a Kiln Schema is laid out in a Parquet
// file, and the SchemaElement list that describes it in the footer.
//
//   bool -> BOOLEAN                 int32 -> INT32        int64 -> INT64
//   uint32 -> INT32 INTEGER(32, unsigned)   uint64 -> INT64 INTEGER(64, unsigned)
//   float32 -> FLOAT                float64 -> DOUBLE
//   string -> BYTE_ARRAY STRING     binary -> BYTE_ARRAY
//   date32 -> INT32 DATE
//   timestamp -> INT64 TIMESTAMP(MICROS, isAdjustedToUTC = false): Kiln
//     timestamps carry no zone, and DuckDB and Polars read this annotation
//     back as naive microsecond timestamps (the UTC-adjusted form would come
//     back as TIMESTAMP WITH TIME ZONE in DuckDB)
//   decimal(p,s) -> DECIMAL on INT32 (p <= 9), INT64 (p <= 18) or
//     FIXED_LEN_BYTE_ARRAY of the fewest bytes that hold p digits
//   list<T> -> the three-level LIST form of the specification:
//       <optional|required> group name (LIST) {
//         repeated group list { optional T element; } }
//
// Both the logical type and the legacy converted type are written, so old
// and new readers agree. A field is REQUIRED when Field::nullable is false,
// else OPTIONAL; list elements are always OPTIONAL.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/core/schema.h"
#include "kiln/core/status.h"
#include "kiln/parquet/parquet_types.h"

namespace kiln::parquet {

// Where and how one Kiln column is stored: its single leaf column.
struct LeafLayout {
  std::vector<std::string> path;      // path_in_schema, top-level name first.
  format::Type::type physical_type;   // Physical type of the leaf.
  int32_t type_length = 0;            // FIXED_LEN_BYTE_ARRAY width, else 0.
  DataType value_type;                // Kiln type of the leaf values (element type for lists).
  bool is_list = false;               // The column is list<value_type>.
  bool nullable = true;               // The top-level field is OPTIONAL.
  int16_t max_definition_level = 0;   // OPTIONAL and REPEATED levels on the path.
  int16_t max_repetition_level = 0;   // REPEATED levels on the path.
};

struct ExportedSchema {
  std::vector<format::SchemaElement> elements;  // Depth first; [0] is the root.
  std::vector<LeafLayout> leaves;               // One per Kiln field, in order.
};

// Lays out every field of `schema`. NotSupported for lists of lists;
// InvalidArgument for an empty schema, empty or repeated field names and
// decimal precisions outside 1..38.
Result<ExportedSchema> ExportSchema(const Schema& schema);

// The physical type of decimal(precision, *).
// REQUIRES: 1 <= precision <= 38
format::Type::type DecimalPhysicalType(int precision);

// Bytes of the big-endian two's complement that holds any `precision`-digit
// value: the FIXED_LEN_BYTE_ARRAY width of wide decimals.
// REQUIRES: 1 <= precision <= 38
int DecimalByteWidth(int precision);

}  // namespace kiln::parquet
