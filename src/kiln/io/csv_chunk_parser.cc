#include "kiln/io/csv_chunk_parser.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <string_view>

#include "kiln/core/value_format.h"
#include "kiln/io/column_filler.h"
#include "kiln/io/csv_tokenizer.h"
#include "kiln/io/csv_value_parse.h"

namespace kiln {

namespace {

// Rows tokenized and converted together: their field table (~170 KB for 40
// columns) and text stay in L2 while every column is converted.
constexpr int64_t kBlockRows = 1024;

// How a column's fields are parsed; one converter loop per kind.
enum class Kind { kBool, kInt32, kInt64, kUInt32, kUInt64, kHex32, kCanonicalHex32, kFloat32, kFloat64, kDate32, kTimestamp, kString };

Result<Kind> KindOf(const Field& field, bool hex32, bool strict_hex32) {
  if (hex32) {
    if (field.type.id() != TypeId::kUInt32) {
      return Status::InvalidArgument("hex32 column '" + field.name + "' must be uint32, not " + field.type.ToString());
    }
    return strict_hex32 ? Kind::kCanonicalHex32 : Kind::kHex32;
  }
  switch (field.type.id()) {
    case TypeId::kBool: return Kind::kBool;
    case TypeId::kInt32: return Kind::kInt32;
    case TypeId::kInt64: return Kind::kInt64;
    case TypeId::kUInt32: return Kind::kUInt32;
    case TypeId::kUInt64: return Kind::kUInt64;
    case TypeId::kFloat32: return Kind::kFloat32;
    case TypeId::kFloat64: return Kind::kFloat64;
    case TypeId::kDate32: return Kind::kDate32;
    case TypeId::kTimestamp: return Kind::kTimestamp;
    case TypeId::kString:
    case TypeId::kBinary: return Kind::kString;
    default:
      return Status::NotSupported("CSV column '" + field.name + "' has type " + field.type.ToString() +
                                  ", which the CSV reader cannot parse");
  }
}

// Wraps a parse function in a lambda type of its own, so that the converter
// loop instantiated with it inlines the parse instead of calling a pointer.
template <auto kParse>
struct InlineParse {
  template <typename T>
  bool operator()(const char* begin, const char* end, T* out) const { return kParse(begin, end, out); }
};

// A field that failed to convert.
struct CellError {
  int64_t row;          // Within the block.
  int column;           // Schema index.
  std::string message;  // Without file and line.
  bool not_canonical = false;  // A kCanonicalHex32 field that is valid text, just not canonical hex.
};

// Converts the fields of a block, column by column, into fillers.
class BlockConverter {
 public:
  BlockConverter(const CsvParseSpec& spec, const uint8_t* text, std::vector<Kind> kinds,
                 std::vector<std::unique_ptr<ColumnFiller>>* fillers)
      : spec_(spec),
        text_(reinterpret_cast<const char*>(text)),
        kinds_(std::move(kinds)),
        fillers_(*fillers),
        stop_at_first_(spec.on_error == OnError::kError) {}

  // Writes rows [base, base + table.num_rows) of every column.
  void Convert(const FieldTable& table, int64_t base, std::vector<CellError>* errors) {
    for (int column = 0; column < table.num_columns; ++column) {
      if (spec_.quoted) {
        ConvertColumn<true>(table, column, base, errors);
      } else {
        ConvertColumn<false>(table, column, base, errors);
      }
    }
  }

 private:
  template <bool kQuoted>
  void ConvertColumn(const FieldTable& table, int column, int64_t base, std::vector<CellError>* errors) {
    switch (kinds_[column]) {
      case Kind::kBool:
        return ConvertFixed<kQuoted, uint8_t>(table, column, base, errors,
                                              [](const char* b, const char* e, uint8_t* v) { return text::ParseBool(b, e, true, v); });
      case Kind::kInt32: return ConvertFixed<kQuoted, int32_t>(table, column, base, errors, InlineParse<text::ParseSigned<int32_t>>{});
      case Kind::kInt64: return ConvertFixed<kQuoted, int64_t>(table, column, base, errors, InlineParse<text::ParseSigned<int64_t>>{});
      case Kind::kUInt32: return ConvertFixed<kQuoted, uint32_t>(table, column, base, errors, InlineParse<text::ParseUnsigned<uint32_t>>{});
      case Kind::kUInt64: return ConvertFixed<kQuoted, uint64_t>(table, column, base, errors, InlineParse<text::ParseUnsigned<uint64_t>>{});
      case Kind::kHex32: return ConvertFixed<kQuoted, uint32_t>(table, column, base, errors, InlineParse<text::ParseHex32>{});
      case Kind::kCanonicalHex32:
        return ConvertFixed<kQuoted, uint32_t>(table, column, base, errors, InlineParse<text::ParseCanonicalHex32>{});
      case Kind::kFloat32: return ConvertFixed<kQuoted, float>(table, column, base, errors, InlineParse<text::ParseFloat<float>>{});
      case Kind::kFloat64: return ConvertFixed<kQuoted, double>(table, column, base, errors, InlineParse<text::ParseFloat<double>>{});
      case Kind::kDate32:
        return ConvertFixed<kQuoted, int32_t>(table, column, base, errors, [](const char* b, const char* e, int32_t* v) {
          return ParseDate32(std::string_view(b, e - b), v);
        });
      case Kind::kTimestamp:
        return ConvertFixed<kQuoted, int64_t>(table, column, base, errors, [](const char* b, const char* e, int64_t* v) {
          return ParseTimestamp(std::string_view(b, e - b), v);
        });
      case Kind::kString: return ConvertString<kQuoted>(table, column, base, errors);
    }
  }

  template <bool kQuoted, typename T, typename Parse>
  void ConvertFixed(const FieldTable& table, int column, int64_t base, std::vector<CellError>* errors, Parse parse) {
    ColumnFiller& filler = *fillers_[column];
    T* out = filler.values<T>() + base;
    const int64_t stride = table.stride();
    const uint32_t* bounds = table.bounds.data() + column;
    for (int64_t r = 0; r < table.num_rows; ++r, bounds += stride) {
      const char* begin = text_ + bounds[0];
      const char* end = text_ + bounds[1] - 1;
      if (kQuoted) Unquote(&begin, &end);
      if (begin == end || IsNullText(begin, end)) {
        out[r] = T();
        filler.SetNull(base + r);
        if (!spec_.schema->field(column).nullable) {
          errors->push_back({r, column, ColumnLabel(column) + ": null in a non-nullable column"});
          if (stop_at_first_) return;
        }
        continue;
      }
      if (!parse(begin, end, &out[r])) {
        errors->push_back({r, column, ParseError(column, begin, end), kinds_[column] == Kind::kCanonicalHex32});
        if (stop_at_first_) return;
      }
    }
  }

  template <bool kQuoted>
  void ConvertString(const FieldTable& table, int column, int64_t base, std::vector<CellError>* errors) {
    ColumnFiller& filler = *fillers_[column];
    const bool nullable = spec_.schema->field(column).nullable;
    const int64_t stride = table.stride();
    const uint32_t* bounds = table.bounds.data() + column;
    for (int64_t r = 0; r < table.num_rows; ++r, bounds += stride) {
      const char* begin = text_ + bounds[0];
      const char* end = text_ + bounds[1] - 1;
      // Quoted fields are never null: "" is how writers spell an empty string.
      if (!(kQuoted && Unquote(&begin, &end)) && end - begin == static_cast<ptrdiff_t>(spec_.null_string.size()) &&
          std::memcmp(begin, spec_.null_string.data(), end - begin) == 0) {
        filler.SetNullString(base + r);
        if (!nullable) {
          errors->push_back({r, column, ColumnLabel(column) + ": null in a non-nullable column"});
          if (stop_at_first_) return;
        }
        continue;
      }
      filler.SetString(base + r, begin, end - begin);
    }
  }

  bool Unquote(const char** begin, const char** end) { return UnquoteCsvField(begin, end, &scratch_); }

  bool IsNullText(const char* begin, const char* end) const {
    const std::string& null = spec_.null_string;
    return !null.empty() && end - begin == static_cast<ptrdiff_t>(null.size()) &&
           std::memcmp(begin, null.data(), null.size()) == 0;
  }

  std::string ColumnLabel(int column) const {
    return "column '" + spec_.schema->field(column).name + "' (" + Ordinal(column + 1) + ")";
  }

  std::string ParseError(int column, const char* begin, const char* end) const {
    constexpr ptrdiff_t kShown = 40;
    std::string shown(begin, std::min(end - begin, kShown));
    if (end - begin > kShown) shown += "...";
    if (kinds_[column] == Kind::kCanonicalHex32) {
      return ColumnLabel(column) + " holds \"" + shown + "\", not empty or 8 lower-case hex digits";
    }
    std::string type = kinds_[column] == Kind::kHex32 ? "hex uint32" : spec_.schema->field(column).type.ToString();
    return ColumnLabel(column) + ": cannot parse \"" + shown + "\" as " + type;
  }

  const CsvParseSpec& spec_;                              // Columns and policies.
  const char* text_;                                      // The chunk.
  std::vector<Kind> kinds_;                               // Per column.
  std::vector<std::unique_ptr<ColumnFiller>>& fillers_;   // Per column.
  bool stop_at_first_;                                    // kError: one error per column is enough.
  std::string scratch_;                                   // Unescaped quoted field.
};

std::string Located(const CsvParseSpec& spec, int64_t line, const std::string& message) {
  return spec.path + ":" + std::to_string(line) + ": " + message;
}

// Deals with the malformed rows of a block: under kError returns the first
// in file order; under kSkip records them, drops them from the table and
// converts the block again.
Status HandleBlockErrors(const CsvParseSpec& spec, std::vector<RowError> bad_rows, std::vector<CellError> bad_cells,
                         int64_t base, FieldTable* table, BlockConverter* converter,
                         std::vector<std::unique_ptr<ColumnFiller>>* fillers, CsvChunkResult* result) {
  std::sort(bad_cells.begin(), bad_cells.end(), [](const CellError& a, const CellError& b) {
    return a.row != b.row ? a.row < b.row : a.column < b.column;
  });
  std::vector<uint8_t> drop(table->num_rows, 0);
  for (CellError& cell : bad_cells) {
    if (drop[cell.row]) continue;  // One reason per row is enough.
    drop[cell.row] = 1;
    bad_rows.push_back({table->lines[cell.row], std::move(cell.message)});
  }
  std::stable_sort(bad_rows.begin(), bad_rows.end(),
                   [](const RowError& a, const RowError& b) { return a.line < b.line; });
  if (spec.on_error == OnError::kError) return Status::Corruption(Located(spec, bad_rows[0].line, bad_rows[0].message));

  result->rows_skipped += static_cast<int64_t>(bad_rows.size());
  for (const RowError& bad : bad_rows) {
    if (static_cast<int>(result->errors.size()) >= spec.max_errors_kept) break;
    result->errors.push_back(Located(spec, bad.line, bad.message));
  }
  if (bad_cells.empty()) return Status::OK();
  for (auto& filler : *fillers) filler->Truncate(base);
  table->RemoveRows(drop);
  std::vector<CellError> again;
  converter->Convert(*table, base, &again);
  if (!again.empty()) return Status::Internal("CSV block still malformed after dropping its bad rows");
  return Status::OK();
}

}  // namespace

std::string Ordinal(int64_t n) {
  const char* suffix = "th";
  if (n % 100 < 11 || n % 100 > 13) {
    if (n % 10 == 1) suffix = "st";
    if (n % 10 == 2) suffix = "nd";
    if (n % 10 == 3) suffix = "rd";
  }
  return std::to_string(n) + suffix;
}

Result<CsvChunkResult> ParseCsvChunk(const TextChunk& chunk, const CsvParseSpec& spec) {
  const Buffer& text = *chunk.bytes;
  const int64_t size = static_cast<int64_t>(text.size());
  if (size >= std::numeric_limits<uint32_t>::max()) {
    return Status::NotSupported(spec.path + ": a chunk of " + std::to_string(size) +
                                " bytes is too large (4 GiB at most); lower batch_rows");
  }
  const int num_columns = spec.schema->num_fields();
  std::vector<Kind> kinds;
  std::vector<std::unique_ptr<ColumnFiller>> fillers;
  // Every row has at least num_columns bytes (separators), which bounds the
  // rows of a short chunk much better than max_rows does.
  const int64_t capacity = std::min(spec.max_rows, (size + 1) / num_columns + 1);
  for (int column = 0; column < num_columns; ++column) {
    const Field& field = spec.schema->field(column);
    auto kind = KindOf(field, spec.hex32[column], spec.strict_hex32);
    if (!kind.ok()) return kind.status();
    kinds.push_back(*kind);
    fillers.push_back(std::make_unique<ColumnFiller>(field.type));
    fillers.back()->Reserve(capacity);
  }

  CsvChunkResult result;
  result.bytes = size;
  CsvTokenizer tokenizer(text.data(), size, chunk.first_line, num_columns, spec.delimiter, spec.quoted);
  BlockConverter converter(spec, text.data(), std::move(kinds), &fillers);
  FieldTable table;
  std::vector<RowError> bad_rows;
  std::vector<CellError> bad_cells;
  int64_t rows = 0;
  while (!tokenizer.done()) {
    bad_rows.clear();
    bad_cells.clear();
    Status status = tokenizer.Next(kBlockRows, spec.path, &table, &bad_rows);
    if (!status.ok()) return status;
    for (auto& filler : fillers) filler->Reserve(rows + table.num_rows);
    converter.Convert(table, rows, &bad_cells);
    for (const CellError& cell : bad_cells) {
      // Not a malformed row: the caller reads the column another way.
      if (cell.not_canonical) return Status::NotCanonical(Located(spec, table.lines[cell.row], cell.message));
    }
    if (!bad_rows.empty() || !bad_cells.empty()) {
      status = HandleBlockErrors(spec, std::move(bad_rows), std::move(bad_cells), rows, &table, &converter, &fillers,
                                 &result);
      if (!status.ok()) return status;
    }
    rows += table.num_rows;
  }

  std::vector<std::shared_ptr<Column>> columns;
  columns.reserve(num_columns);
  for (auto& filler : fillers) columns.push_back(filler->Finish(rows));
  result.batch = std::make_shared<RecordBatch>(spec.schema, std::move(columns), rows);
  return result;
}

}  // namespace kiln
