// Schema import: the Parquet schema tree of a file as Kiln columns.
//
// Each top-level field becomes one Kiln column. Kiln reads primitive fields
// and lists of primitives (the 3-level LIST form, the legacy 2-level forms
// and bare repeated primitives, following the specification's
// backward-compatibility rules); a field of any other shape (struct, map,
// nested list) is kept with a NotSupported status so that a projection can
// leave it out, and reading it fails with a message naming it.
//
// Every supported column has exactly one leaf, described by a
// ColumnDescriptor: how its levels and values decode and how stored values
// become Kiln values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/core/data_type.h"
#include "kiln/core/schema.h"
#include "kiln/core/status.h"
#include "kiln/parquet/parquet_types.h"

namespace kiln::parquet {

// How a stored (physical) value becomes a Kiln value.
enum class Conversion : uint8_t {
  kNone,                // Same bytes: BOOLEAN, INT32, INT64, FLOAT, DOUBLE, BYTE_ARRAY.
  kInt96ToMicros,       // INT96 Impala timestamps to timestamp µs.
  kMillisToMicros,      // INT64 timestamp ms to µs (× 1000).
  kNanosToMicros,       // INT64 timestamp or time ns to µs (floor).
  kTimeMillisToMicros,  // INT32 time of day ms to int64 µs.
  kDecimalFromInt32,    // INT32 unscaled decimal to __int128.
  kDecimalFromInt64,    // INT64 unscaled decimal to __int128.
  kDecimalFromBytes,    // Big-endian two's complement (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY) to __int128.
  kFloat16ToFloat32,    // FIXED_LEN_BYTE_ARRAY(2) IEEE half to float32.
  kFixedToBinary,       // FIXED_LEN_BYTE_ARRAY to binary.
};

// Everything the column reader needs to turn one column chunk into a Column.
struct ColumnDescriptor {
  std::string name;    // Top-level field name: the Kiln column.
  std::string path;    // Dotted path of the leaf, e.g. "tags.list.element".
  int leaf_index = 0;  // Position of the leaf's chunk in every row group.
  format::Type::type physical_type = format::Type::INT32;
  int type_length = 0;               // Bytes per FIXED_LEN_BYTE_ARRAY value; 0 otherwise.
  int16_t max_definition_level = 0;  // Optional and repeated nodes on the path.
  int16_t max_repetition_level = 0;  // Repeated nodes on the path: 0 or 1.
  DataType value_type;               // Kiln type of the values (the element type of a list).
  Conversion conversion = Conversion::kNone;
  bool is_list = false;               // The column is list<value_type>.
  int16_t list_definition_level = 0;  // Lists: a definition level below this is a null list.
  // Lists: a definition level at or above this is an element (null unless it
  // equals max_definition_level); list_definition_level itself is an empty list.
  int16_t element_definition_level = 0;

  // The Kiln type of the whole column.
  DataType type() const { return is_list ? DataType::List(value_type) : value_type; }
};

// One top-level field of the file.
struct ImportedColumn {
  Field field;                  // Name, Kiln type and nullability; type is meaningless if unsupported.
  Status support;               // OK, or NotSupported naming the column and the reason.
  ColumnDescriptor descriptor;  // Valid when support.ok().
  int first_leaf = 0;           // The field's leaves are [first_leaf, first_leaf + num_leaves).
  int num_leaves = 0;
};

struct FileSchema {
  std::vector<ImportedColumn> columns;  // In file order.
  int num_leaves = 0;                   // Column chunks per row group.

  // Index of the column called `name`, or -1.
  int IndexOf(const std::string& name) const;
};

// The deepest schema tree accepted; deeper trees are Corruption rather than
// a risk to the stack.
inline constexpr int kMaxSchemaDepth = 64;

// Imports the depth-first schema list of a file's metadata. Corruption when
// the tree itself is malformed (children counts that overrun the list, leaves
// without a physical type, a bad FIXED_LEN_BYTE_ARRAY length); unsupported
// shapes and annotations only mark their column (see ImportedColumn).
Result<FileSchema> ImportSchema(const std::vector<format::SchemaElement>& elements);

// "INT32", "BYTE_ARRAY", ...; "type <n>" for values outside the enum.
std::string PhysicalTypeName(format::Type::type type);

// "PLAIN", "RLE_DICTIONARY", ...; "encoding <n>" for values outside the enum.
std::string EncodingName(format::Encoding::type encoding);

// The annotation of a schema element in the specification's words
// ("STRING", "TIMESTAMP(MICROS)", "DECIMAL(12,2)", "LIST"), or "" if none.
std::string AnnotationName(const format::SchemaElement& element);

}  // namespace kiln::parquet
