#include "kiln/io/json_format.h"

#include <cmath>
#include <cstdio>

#include "kiln/core/value_format.h"

namespace kiln {

std::string JsonMetric(double value) {
  if (!std::isfinite(value)) return "null";
  char text[32];
  std::snprintf(text, sizeof(text), "%.9g", value);
  return text;
}

namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 if invalid.
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  unsigned char lead = static_cast<unsigned char>(text[i]);
  size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 0;
  }
  return length;
}

void AppendEscapedByte(std::string* out, unsigned char byte) {
  static const char kHex[] = "0123456789abcdef";
  out->append("\\u00");
  out->push_back(kHex[byte >> 4]);
  out->push_back(kHex[byte & 15]);
}

void AppendJsonDouble(std::string* out, double value) {
  if (std::isnan(value)) {
    out->append("\"NaN\"");
  } else if (std::isinf(value)) {
    out->append(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else {
    AppendFloat64(out, value);
  }
}

}  // namespace

void AppendJsonString(std::string* out, std::string_view text) {
  out->push_back('"');
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      out->push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    switch (c) {
      case '"': out->append("\\\""); ++i; continue;
      case '\\': out->append("\\\\"); ++i; continue;
      case '\n': out->append("\\n"); ++i; continue;
      case '\r': out->append("\\r"); ++i; continue;
      case '\t': out->append("\\t"); ++i; continue;
      default: break;
    }
    size_t length = c < 0x20 ? 0 : Utf8SequenceLength(text, i);
    if (length == 0) {
      AppendEscapedByte(out, c);
      ++i;
    } else {
      out->append(text.substr(i, length));
      i += length;
    }
  }
  out->push_back('"');
}

void AppendJsonValue(std::string* out, const Column& column, int64_t row) {
  if (column.IsNull(row)) {
    out->append("null");
    return;
  }
  switch (column.type().id()) {
    case TypeId::kFloat32: AppendJsonDouble(out, column.Value<float>(row)); return;
    case TypeId::kFloat64: AppendJsonDouble(out, column.Value<double>(row)); return;
    case TypeId::kString:
    case TypeId::kBinary: AppendJsonString(out, column.GetString(row)); return;
    case TypeId::kDate32:
    case TypeId::kDecimal: {
      std::string text;
      AppendValueText(&text, column, row);
      AppendJsonString(out, text);
      return;
    }
    case TypeId::kTimestamp: out->append(std::to_string(column.Value<int64_t>(row))); return;
    case TypeId::kList: {
      out->push_back('[');
      for (int64_t i = column.ListBegin(row); i < column.ListEnd(row); ++i) {
        if (i != column.ListBegin(row)) out->push_back(',');
        AppendJsonValue(out, column.child(), i);
      }
      out->push_back(']');
      return;
    }
    case TypeId::kBool:
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kUInt32:
    case TypeId::kUInt64: AppendValueText(out, column, row); return;
  }
}

void AppendJsonRow(std::string* out, const RecordBatch& batch, int64_t row) {
  out->push_back('{');
  const Schema& schema = *batch.schema();
  for (int c = 0; c < batch.num_columns(); ++c) {
    if (c) out->push_back(',');
    AppendJsonString(out, schema.field(c).name);
    out->push_back(':');
    AppendJsonValue(out, batch.column(c), row);
  }
  out->push_back('}');
}

}  // namespace kiln
