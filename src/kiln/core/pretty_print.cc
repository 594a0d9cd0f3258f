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

// One column as printed: name, type, then one text per row.
struct ColumnCells {
  std::vector<std::string> lines;
  size_t width = 0;           // Widest line, in code points.
  bool right_align = false;   // Numbers line up on the right.
};

ColumnCells CellsOf(const Field& field, const Table& shown, int c, size_t max_width) {
  ColumnCells cells;
  cells.right_align = IsNumeric(field.type);
  cells.lines.push_back(Fit(field.name, max_width));
  cells.lines.push_back(Fit(field.type.ToString(), max_width));
  for (const auto& batch : shown.batches()) {
    const Column& column = batch->column(c);
    for (int64_t row = 0; row < column.length(); ++row) {
      std::string text;
      if (column.IsNull(row)) {
        text = "null";
      } else {
        AppendValueText(&text, column, row);
      }
      cells.lines.push_back(Fit(text, max_width));
    }
  }
  for (const auto& text : cells.lines) cells.width = std::max(cells.width, DisplayWidth(text));
  return cells;
}

// Keeps leading and trailing columns that fit in `max_table_width`, with a
// "…" column standing for the rest. 0 means no limit.
std::vector<ColumnCells> FitToWidth(std::vector<ColumnCells> columns, int max_table_width) {
  auto printed = [](const ColumnCells& cells) { return cells.width + 3; };  // " text │"
  size_t total = 1;
  for (const auto& cells : columns) total += printed(cells);
  if (max_table_width <= 0 || total <= static_cast<size_t>(max_table_width) || columns.size() < 3) return columns;
  ColumnCells ellipsis;
  ellipsis.lines.assign(columns[0].lines.size(), "…");
  ellipsis.width = 1;
  size_t budget = max_table_width - 1 - printed(ellipsis);
  size_t left = 0, right = columns.size();
  for (bool take_left = true; left < right; take_left = !take_left) {
    const ColumnCells& next = take_left ? columns[left] : columns[right - 1];
    if (printed(next) > budget) break;
    budget -= printed(next);
    take_left ? ++left : --right;
  }
  std::vector<ColumnCells> kept(columns.begin(), columns.begin() + left);
  kept.push_back(std::move(ellipsis));
  kept.insert(kept.end(), columns.begin() + right, columns.end());
  return kept;
}

std::string Rule(const std::vector<ColumnCells>& columns, const char* left, const char* middle, const char* right) {
  std::string line = left;
  for (size_t c = 0; c < columns.size(); ++c) {
    for (size_t i = 0; i < columns[c].width + 2; ++i) line += "─";
    line += c + 1 < columns.size() ? middle : right;
  }
  return line + "\n";
}

}  // namespace

std::string PrettyPrint(const Table& table, const PrettyOptions& options) {
  const Schema& schema = *table.schema();
  Table shown = table.Slice(0, options.max_rows);
  const size_t max_width = std::max(options.max_column_width, 4);
  std::vector<ColumnCells> columns;
  for (int c = 0; c < schema.num_fields(); ++c) columns.push_back(CellsOf(schema.field(c), shown, c, max_width));
  columns = FitToWidth(std::move(columns), options.max_table_width);

  std::string out = Rule(columns, "┌", "┬", "┐");
  const size_t lines = columns.empty() ? 0 : columns[0].lines.size();
  for (size_t line = 0; line < lines; ++line) {
    if (line == 2) out += Rule(columns, "├", "┼", "┤");
    out += "│";
    for (const ColumnCells& cells : columns) {
      out += " " + Pad(cells.lines[line], cells.width, line >= 2 && cells.right_align) + " │";
    }
    out += "\n";
  }
  out += Rule(columns, "└", "┴", "┘");
  out += std::to_string(table.num_rows()) + " rows × " + std::to_string(schema.num_fields()) + " columns";
  if (shown.num_rows() < table.num_rows()) out += " (" + std::to_string(shown.num_rows()) + " shown)";
  return out + "\n";
}

}  // namespace kiln
