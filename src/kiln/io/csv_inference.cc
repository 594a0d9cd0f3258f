#include "kiln/io/csv_inference.h"

#include <cstring>
#include <string_view>

#include "kiln/core/value_format.h"
#include "kiln/io/csv_tokenizer.h"
#include "kiln/io/csv_value_parse.h"

namespace kiln {

namespace {

// Which types every value seen so far fits. A flag, once cleared, is not
// tested again, so a column costs little once it is known to be string.
struct Candidates {
  bool seen = false;
  bool boolean = true;
  bool int32 = true;
  bool int64 = true;
  bool float64 = true;
  bool date32 = true;
  bool timestamp = true;
  bool hex32 = true;

  void Observe(const char* begin, const char* end) {
    seen = true;
    uint8_t flag;
    int32_t small;
    int64_t large;
    double real;
    uint32_t hex;
    std::string_view view(begin, end - begin);
    if (boolean) boolean = text::ParseBool(begin, end, false, &flag);
    if (int32) int32 = text::ParseSigned(begin, end, &small);
    if (int64) int64 = int32 || text::ParseSigned(begin, end, &large);
    if (float64) float64 = int64 || text::ParseFloat(begin, end, &real);
    if (date32) date32 = ParseDate32(view, &small);
    if (timestamp) timestamp = ParseTimestamp(view, &large);
    if (hex32) hex32 = text::ParseHex32(begin, end, &hex);
  }

  CsvColumnGuess Guess() const {
    CsvColumnGuess guess;
    if (!seen) return guess;
    if (boolean) guess.type = DataType::Bool();
    else if (int32) guess.type = DataType::Int32();
    else if (int64) guess.type = DataType::Int64();
    else if (float64) guess.type = DataType::Float64();
    else if (date32) guess.type = DataType::Date32();
    else if (timestamp) guess.type = DataType::Timestamp();
    guess.all_hex32 = hex32;
    return guess;
  }
};

}  // namespace

std::vector<CsvColumnGuess> InferCsvColumns(const TextChunk& sample, int num_columns, char delimiter, bool quoted,
                                            const std::string& null_string) {
  std::vector<Candidates> candidates(num_columns);
  const char* text = reinterpret_cast<const char*>(sample.bytes->data());
  CsvTokenizer tokenizer(sample.bytes->data(), sample.bytes->size(), sample.first_line, num_columns, delimiter, quoted);
  FieldTable table;
  std::vector<RowError> ignored;
  std::string scratch;
  while (!tokenizer.done()) {
    ignored.clear();
    (void)tokenizer.Next(1024, "", &table, &ignored);  // Cannot fail with a skip list.
    for (int64_t r = 0; r < table.num_rows; ++r) {
      const uint32_t* bounds = table.row(r);
      for (int column = 0; column < num_columns; ++column) {
        const char* begin = text + bounds[column];
        const char* end = text + bounds[column + 1] - 1;
        if (quoted) UnquoteCsvField(&begin, &end, &scratch);
        bool is_null = begin == end || (static_cast<size_t>(end - begin) == null_string.size() &&
                                        std::memcmp(begin, null_string.data(), null_string.size()) == 0);
        if (!is_null) candidates[column].Observe(begin, end);
      }
    }
  }
  std::vector<CsvColumnGuess> guesses;
  for (const Candidates& column : candidates) guesses.push_back(column.Guess());
  return guesses;
}

}  // namespace kiln
