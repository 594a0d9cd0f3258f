#include "kiln/parquet/predicate.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string_view>

#include "kiln/core/column_builder.h"
#include "kiln/core/value_format.h"
#include "kiln/parquet/column_reader.h"

namespace kiln::parquet {

namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// Removes one pair of matching quotes from the ends, if any.
std::string_view Unquote(std::string_view text, std::string_view quotes) {
  if (text.size() >= 2 && text.front() == text.back() && quotes.find(text.front()) != std::string_view::npos) {
    return text.substr(1, text.size() - 2);
  }
  return text;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// Where the column name ends: after its closing quote when quoted.
size_t ColumnEnd(std::string_view text) {
  if (!text.empty() && (text[0] == '"' || text[0] == '`')) {
    size_t close = text.find(text[0], 1);
    return close == std::string_view::npos ? text.size() : close + 1;
  }
  return 0;
}

// "col IS NULL" and "col IS NOT NULL".
bool ParseNullTest(std::string_view text, PredicateText* out) {
  for (auto [suffix, op] : {std::pair{std::string_view(" is not null"), CompareOp::kIsNotNull},
                            std::pair{std::string_view(" is null"), CompareOp::kIsNull}}) {
    if (text.size() > suffix.size() && EqualsIgnoringCase(text.substr(text.size() - suffix.size()), suffix)) {
      out->column = std::string(Unquote(Trim(text.substr(0, text.size() - suffix.size())), "\"`"));
      out->op = op;
      return true;
    }
  }
  return false;
}

template <typename T>
bool ParseInteger(std::string_view text, T* value) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return error == std::errc() && end == text.data() + text.size();
}

// float or double: the whole text must be a number ("nan" and "inf" included).
template <typename T>
bool ParseReal(std::string_view text, T* value) {
  std::string copy(text);
  if (copy.empty()) return false;
  char* end = nullptr;
  *value = static_cast<T>(std::strtod(copy.c_str(), &end));
  return end == copy.c_str() + copy.size();
}

bool ParseBool(std::string_view text, uint8_t* value) {
  const bool is_true = EqualsIgnoringCase(text, "true") || text == "1";
  const bool is_false = EqualsIgnoringCase(text, "false") || text == "0";
  *value = is_true ? 1 : 0;
  return is_true || is_false;
}

// Timestamps as text or as integer microseconds.
bool ParseMicros(std::string_view text, int64_t* micros) {
  return ParseInteger(text, micros) || ParseTimestamp(text, micros);
}

// Parses `text` into a T with `parse` and appends it; false when it does not parse.
template <typename T, typename Parser>
bool AppendParsed(std::string_view text, Parser parse, ColumnBuilder* builder) {
  T value{};
  const bool ok = parse(text, &value);
  builder->Append(value);
  return ok;
}

// The literal as a one-row column of `type`; false when it does not parse.
bool MakeLiteral(std::string_view text, const DataType& type, std::shared_ptr<Column>* out) {
  ColumnBuilder builder(type);
  bool ok = true;
  switch (type.id()) {
    case TypeId::kBool: ok = AppendParsed<uint8_t>(text, ParseBool, &builder); break;
    case TypeId::kInt32: ok = AppendParsed<int32_t>(text, ParseInteger<int32_t>, &builder); break;
    case TypeId::kInt64: ok = AppendParsed<int64_t>(text, ParseInteger<int64_t>, &builder); break;
    case TypeId::kUInt32: ok = AppendParsed<uint32_t>(text, ParseInteger<uint32_t>, &builder); break;
    case TypeId::kUInt64: ok = AppendParsed<uint64_t>(text, ParseInteger<uint64_t>, &builder); break;
    case TypeId::kFloat32: ok = AppendParsed<float>(text, ParseReal<float>, &builder); break;
    case TypeId::kFloat64: ok = AppendParsed<double>(text, ParseReal<double>, &builder); break;
    case TypeId::kDate32: ok = AppendParsed<int32_t>(text, ParseDate32, &builder); break;
    case TypeId::kTimestamp: ok = AppendParsed<int64_t>(text, ParseMicros, &builder); break;
    case TypeId::kString:
    case TypeId::kBinary: builder.AppendString(text); break;
    case TypeId::kDecimal: {
      auto parse = [&](std::string_view digits, __int128* value) {
        return ParseDecimal(digits, type.precision(), type.scale(), value);
      };
      ok = AppendParsed<__int128>(text, parse, &builder);
      break;
    }
    case TypeId::kList: return false;
  }
  *out = builder.Finish();
  return ok;
}

// -1, 0 or 1 as a < b, a == b, a > b. NaN compares as neither (returns 2).
template <typename T>
int Compare3(T a, T b) {
  if (a < b) return -1;
  if (b < a) return 1;
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a) || std::isnan(b)) return 2;
  }
  return 0;
}

// Compares row `row` of `column` with row 0 of `literal` (same type).
int CompareValues(const Column& column, int64_t row, const Column& literal) {
  switch (column.type().id()) {
    case TypeId::kBool: return Compare3(column.Value<uint8_t>(row), literal.Value<uint8_t>(0));
    case TypeId::kInt32:
    case TypeId::kDate32: return Compare3(column.Value<int32_t>(row), literal.Value<int32_t>(0));
    case TypeId::kInt64:
    case TypeId::kTimestamp: return Compare3(column.Value<int64_t>(row), literal.Value<int64_t>(0));
    case TypeId::kUInt32: return Compare3(column.Value<uint32_t>(row), literal.Value<uint32_t>(0));
    case TypeId::kUInt64: return Compare3(column.Value<uint64_t>(row), literal.Value<uint64_t>(0));
    case TypeId::kFloat32: return Compare3(column.Value<float>(row), literal.Value<float>(0));
    case TypeId::kFloat64: return Compare3(column.Value<double>(row), literal.Value<double>(0));
    case TypeId::kDecimal: return Compare3(column.Value<__int128>(row), literal.Value<__int128>(0));
    case TypeId::kString:
    case TypeId::kBinary: return Compare3(column.GetString(row), literal.GetString(0));
    case TypeId::kList: break;
  }
  return 2;
}

// Whether a three-way comparison result satisfies `op`.
bool Satisfies(CompareOp op, int comparison) {
  switch (op) {
    case CompareOp::kEqual: return comparison == 0;
    case CompareOp::kNotEqual: return comparison != 0;
    case CompareOp::kLess: return comparison == -1;
    case CompareOp::kLessEqual: return comparison == -1 || comparison == 0;
    case CompareOp::kGreater: return comparison == 1;
    case CompareOp::kGreaterEqual: return comparison == 1 || comparison == 0;
    default: return false;
  }
}

// Whether the deprecated min/max fields may be trusted: old writers compared
// signed integers and floats correctly, everything else bytewise-signed.
bool DeprecatedOrderIsUsable(const ColumnDescriptor& column) {
  switch (column.physical_type) {
    case format::Type::FLOAT:
    case format::Type::DOUBLE: return true;
    case format::Type::INT32:
    case format::Type::INT64:
      return column.value_type.id() != TypeId::kUInt32 && column.value_type.id() != TypeId::kUInt64;
    default: return false;
  }
}

std::shared_ptr<Column> DecodeBound(const ColumnDescriptor& column, const std::string& bytes) {
  Result<std::shared_ptr<Column>> value = DecodeStatisticsValue(column, bytes);
  return value.ok() ? *value : nullptr;
}

bool IsNan(const Column& value) {
  if (value.type().id() == TypeId::kFloat32) return std::isnan(value.Value<float>(0));
  if (value.type().id() == TypeId::kFloat64) return std::isnan(value.Value<double>(0));
  return false;
}

}  // namespace

const char* CompareOpName(CompareOp op) {
  switch (op) {
    case CompareOp::kEqual: return "=";
    case CompareOp::kNotEqual: return "!=";
    case CompareOp::kLess: return "<";
    case CompareOp::kLessEqual: return "<=";
    case CompareOp::kGreater: return ">";
    case CompareOp::kGreaterEqual: return ">=";
    case CompareOp::kIsNull: return "IS NULL";
    case CompareOp::kIsNotNull: return "IS NOT NULL";
  }
  return "?";
}

Result<PredicateText> ParsePredicate(const std::string& input) {
  const std::string_view text = Trim(input);
  PredicateText predicate;
  if (ParseNullTest(text, &predicate)) return predicate;
  const size_t start = ColumnEnd(text);
  const size_t at = text.find_first_of("=!<>", start);
  if (at == std::string_view::npos || at == 0) {
    return Status::InvalidArgument("predicate '" + input + "' is not of the form 'column op value' " +
                                   "(op: = != < <= > >=, or IS [NOT] NULL)");
  }
  static const std::pair<std::string_view, CompareOp> kOps[] = {
      {"!=", CompareOp::kNotEqual},     {"<>", CompareOp::kNotEqual}, {"<=", CompareOp::kLessEqual},
      {">=", CompareOp::kGreaterEqual}, {"==", CompareOp::kEqual},    {"=", CompareOp::kEqual},
      {"<", CompareOp::kLess},          {">", CompareOp::kGreater}};
  std::string_view rest = text.substr(at);
  for (const auto& [name, op] : kOps) {
    if (!rest.starts_with(name)) continue;
    predicate.column = std::string(Unquote(Trim(text.substr(0, at)), "\"`"));
    predicate.op = op;
    predicate.value = std::string(Unquote(Trim(rest.substr(name.size())), "'\""));
    if (predicate.column.empty()) break;
    return predicate;
  }
  return Status::InvalidArgument("predicate '" + input + "' has no valid operator or column");
}

ChunkStatistics DecodeStatistics(const ColumnDescriptor& column, const format::ColumnMetaData& metadata,
                                 const format::ColumnOrder* column_order) {
  ChunkStatistics result;
  result.num_values = metadata.num_values;
  if (!metadata.__isset.statistics) return result;
  const format::Statistics& statistics = metadata.statistics;
  result.has_null_count = statistics.__isset.null_count && statistics.null_count >= 0;
  result.null_count = statistics.null_count;
  // INT96 has no defined order; other types order as their Kiln values do.
  const bool type_order = column_order != nullptr && column.physical_type != format::Type::INT96 &&
                          (column_order->__isset.TYPE_ORDER || column_order->__isset.IEEE_754_TOTAL_ORDER);
  if (statistics.__isset.min_value && statistics.__isset.max_value) {
    result.min = DecodeBound(column, statistics.min_value);
    result.max = DecodeBound(column, statistics.max_value);
    result.ordered = type_order;
    result.exact = !(statistics.__isset.is_min_value_exact && !statistics.is_min_value_exact) &&
                   !(statistics.__isset.is_max_value_exact && !statistics.is_max_value_exact);
  } else if (statistics.__isset.min && statistics.__isset.max) {
    result.min = DecodeBound(column, statistics.min);
    result.max = DecodeBound(column, statistics.max);
    result.ordered = DeprecatedOrderIsUsable(column);
    result.exact = true;
  }
  if (result.min == nullptr || result.max == nullptr) {
    result.min = result.max = nullptr;
    result.ordered = false;
  }
  return result;
}

Result<Predicate> Predicate::Bind(const PredicateText& text, const DataType& type) {
  if (type.is_list()) {
    return Status::NotSupported("predicate on list column '" + text.column + "' (" + type.ToString() + ")");
  }
  if (text.op == CompareOp::kIsNull || text.op == CompareOp::kIsNotNull) {
    return Predicate(text.column, text.op, nullptr);
  }
  std::shared_ptr<Column> literal;
  if (!MakeLiteral(text.value, type, &literal)) {
    return Status::InvalidArgument("predicate value '" + text.value + "' is not a valid " + type.ToString() +
                                   " for column '" + text.column + "'");
  }
  return Predicate(text.column, text.op, std::move(literal));
}

std::string Predicate::ToString() const {
  std::string text = column_ + " " + CompareOpName(op_);
  if (literal_ != nullptr) {
    text += " ";
    AppendValueText(&text, *literal_, 0);
  }
  return text;
}

bool Predicate::MayMatch(const ChunkStatistics& statistics) const {
  // Equality, not >=: some writers (Polars) overstate null counts.
  const bool all_null = statistics.has_null_count && statistics.null_count == statistics.num_values;
  if (op_ == CompareOp::kIsNull) return !statistics.has_null_count || statistics.null_count > 0;
  if (op_ == CompareOp::kIsNotNull) return !all_null;
  if (all_null && statistics.num_values > 0) return false;
  if (!statistics.ordered || IsNan(*literal_) || IsNan(*statistics.min) || IsNan(*statistics.max)) return true;
  const int at_min = CompareValues(*statistics.min, 0, *literal_);
  const int at_max = CompareValues(*statistics.max, 0, *literal_);
  switch (op_) {
    case CompareOp::kEqual: return at_min <= 0 && at_max >= 0;
    case CompareOp::kLess: return at_min < 0;
    case CompareOp::kLessEqual: return at_min <= 0;
    case CompareOp::kGreater: return at_max > 0;
    case CompareOp::kGreaterEqual: return at_max >= 0;
    case CompareOp::kNotEqual: {
      // Only a chunk of one value can be ruled out, and only for types whose
      // bounds are never truncated (byte arrays) and say all about the
      // values (NaN is != everything, and bounds leave NaNs out).
      const TypeId id = literal_->type().id();
      const bool exact_type = id != TypeId::kFloat32 && id != TypeId::kFloat64 && !literal_->type().is_binary_like();
      return !(statistics.exact && exact_type && at_min == 0 && at_max == 0);
    }
    default: return true;
  }
}

bool Predicate::Matches(const Column& column, int64_t row) const {
  if (op_ == CompareOp::kIsNull) return column.IsNull(row);
  if (op_ == CompareOp::kIsNotNull) return column.IsValid(row);
  return column.IsValid(row) && Satisfies(op_, CompareValues(column, row, *literal_));
}

int64_t Predicate::Evaluate(const Column& column, std::vector<uint8_t>* matches) const {
  matches->resize(column.length());
  int64_t count = 0;
  for (int64_t row = 0; row < column.length(); ++row) {
    const bool match = Matches(column, row);
    (*matches)[row] = match;
    count += match;
  }
  return count;
}

RecordBatchPtr FilterRows(const RecordBatchPtr& batch, const std::vector<uint8_t>& matches, int64_t match_count) {
  if (match_count == batch->num_rows()) return batch;
  std::vector<std::shared_ptr<Column>> columns;
  for (int c = 0; c < batch->num_columns(); ++c) {
    const Column& column = batch->column(c);
    ColumnBuilder builder(column.type());
    builder.Reserve(match_count);
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      if (matches[row]) builder.AppendFrom(column, row);
    }
    columns.push_back(builder.Finish());
  }
  return std::make_shared<RecordBatch>(batch->schema(), std::move(columns), match_count);
}

}  // namespace kiln::parquet
