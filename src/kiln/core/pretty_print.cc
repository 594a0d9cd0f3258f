#include "kiln/core/pretty_print.h"

#include <algorithm>
#include <vector>

#include "kiln/core/value_format.h"

namespace kiln {

namespace {

// Display width of UTF-8 text: counts code points, not bytes.
size_t DisplayWidth(const std::string& text) {
  size_t width = 0;
  for (unsigned char c : text) width += (c & 0xC0) != 0x80;
  return width;
}

// Cuts `text` to at most `width` code points, marking the cut with "…".
std::string Fit(const std::string& text, size_t width) {
  if (DisplayWidth(text) <= width) return text;
  std::string cut;
  size_t points = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80 && ++points > width - 1) break;
    cut.push_back(text[i]);
  }
  return cut + "…";
}

std::string Pad(const std::string& text, size_t width, bool right_align) {
  std::string padding(width - std::min(width, DisplayWidth(text)), ' ');
  return right_align ? padding + text : text + padding;
}

bool IsNumeric(const DataType& type) {
  switch (type.id()) {
    case TypeId::kInt32:
    case TypeId::kInt64:
    case TypeId::kUInt32:
    case TypeId::kUInt64:
    case TypeId::kFloat32:
    case TypeId::kFloat64:
    case TypeId::kDecimal: return true;
    default: return false;
  }
}

std::string Rule(const std::vector<size_t>& widths, const char* left, const char* middle, const char* right) {
  std::string line = left;
  for (size_t c = 0; c < widths.size(); ++c) {
    for (size_t i = 0; i < widths[c] + 2; ++i) line += "─";
    line += c + 1 < widths.size() ? middle : right;
  }
  return line + "\n";
}

}  // namespace

std::string PrettyPrint(const Table& table, const PrettyOptions& options) {
  const Schema& schema = *table.schema();
  const int columns = schema.num_fields();
  Table shown = table.Slice(0, options.max_rows);
  const size_t max_width = std::max(options.max_column_width, 4);

  // cells[c] holds the name, the type, then one text per shown row.
  std::vector<std::vector<std::string>> cells(columns);
  std::vector<size_t> widths(columns, 0);
  for (int c = 0; c < columns; ++c) {
    cells[c].push_back(Fit(schema.field(c).name, max_width));
    cells[c].push_back(Fit(schema.field(c).type.ToString(), max_width));
    for (const auto& batch : shown.batches()) {
      const Column& column = batch->column(c);
      for (int64_t row = 0; row < column.length(); ++row) {
        std::string text;
        if (column.IsNull(row)) {
          text = "null";
        } else {
          AppendValueText(&text, column, row);
        }
        cells[c].push_back(Fit(text, max_width));
      }
    }
    for (const auto& text : cells[c]) widths[c] = std::max(widths[c], DisplayWidth(text));
  }

  std::string out = Rule(widths, "┌", "┬", "┐");
  const size_t lines = columns ? cells[0].size() : 0;
  for (size_t line = 0; line < lines; ++line) {
    if (line == 2) out += Rule(widths, "├", "┼", "┤");
    out += "│";
    for (int c = 0; c < columns; ++c) {
      bool right = line >= 2 && IsNumeric(schema.field(c).type);
      out += " " + Pad(cells[c][line], widths[c], right) + " │";
    }
    out += "\n";
  }
  out += Rule(widths, "└", "┴", "┘");
  out += std::to_string(table.num_rows()) + " rows × " + std::to_string(columns) + " columns";
  if (shown.num_rows() < table.num_rows()) out += " (" + std::to_string(shown.num_rows()) + " shown)";
  return out + "\n";
}

}  // namespace kiln
