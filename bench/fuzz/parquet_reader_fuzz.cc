// libFuzzer target: any bytes, read as a whole Parquet file from memory.
//
// Opens the input with tight decode limits, describes it as `kiln inspect`
// does (which decodes every statistic), reads every row group of every
// supported column, and checks that each decoded Column is well formed:
// offsets start at zero, never decrease and stay inside their buffers, so a
// reader bug that yields a bad column traps here instead of going unseen.
// Seed it with small DuckDB and Polars files (see tools/interop/make_fixture.mjs).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "kiln/parquet/file_inspection.h"
#include "kiln/parquet/file_reader.h"

namespace {

// Traps with a note of what failed, so a crash report says which invariant broke.
void Check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "invariant failed: %s\n", what);
  __builtin_trap();
}

// Traps unless `column` is internally consistent.
void CheckColumn(const kiln::Column& column) {
  const kiln::Column::Parts& parts = column.parts();
  Check(column.null_count() >= 0 && column.null_count() <= column.length(), "null count within length");
  if (parts.validity != nullptr) {
    Check(static_cast<int64_t>(parts.validity->size()) * 8 >= parts.offset + parts.length, "validity size");
  }
  if (column.type().is_fixed_width()) {
    Check(parts.values->size() >= static_cast<size_t>((parts.offset + parts.length) * column.type().byte_width()),
          "values size");
    return;
  }
  Check(parts.offsets->size() >= static_cast<size_t>(parts.offset + parts.length + 1) * sizeof(int64_t),
        "offsets size");
  const int64_t* offsets = parts.offsets->as<int64_t>() + parts.offset;
  Check(offsets[0] >= 0, "first offset");
  for (int64_t row = 0; row < parts.length; ++row) Check(offsets[row] <= offsets[row + 1], "offsets ascend");
  if (column.type().is_list()) {
    Check(offsets[parts.length] <= column.child().length(), "list offsets within child");
    CheckColumn(column.child());
  } else {
    Check(static_cast<size_t>(offsets[parts.length]) <= parts.values->size(), "string offsets within bytes");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kiln::parquet;
  // Small enough that no input can exhaust the fuzzer's memory.
  DecodeLimits limits;
  limits.max_chunk_values = 1 << 20;
  limits.max_page_bytes = 16 << 20;
  auto file = ParquetFileReader::Open(
      MakeMemorySource("fuzz.parquet", std::string(reinterpret_cast<const char*>(data), size)), limits);
  if (!file.ok()) return 0;
  const ParquetFileReader& reader = **file;
  Check(!DescribeParquetFile(reader).empty(), "report");
  // All columns by default; by name when some cannot be read (and the names
  // are unique, as a projection by name needs).
  std::vector<std::string> names;
  std::set<std::string> unique;
  bool all_supported = true;
  for (const ImportedColumn& column : reader.file_schema().columns) {
    all_supported &= column.support.ok();
    if (column.support.ok() && unique.insert(column.field.name).second) names.push_back(column.field.name);
  }
  if (all_supported)
    names.clear();
  else if (names.empty())
    return 0;
  auto projection = reader.Project(names);
  if (!projection.ok()) return 0;
  for (int row_group = 0; row_group < reader.num_row_groups(); ++row_group) {
    auto batch = reader.ReadRowGroup(row_group, *projection);
    if (!batch.ok()) continue;
    Check((*batch)->num_rows() == reader.row_group_rows(row_group), "batch rows");
    for (int c = 0; c < (*batch)->num_columns(); ++c) {
      Check((*batch)->column(c).length() == (*batch)->num_rows(), "column length");
      CheckColumn((*batch)->column(c));
    }
  }
  return 0;
}
