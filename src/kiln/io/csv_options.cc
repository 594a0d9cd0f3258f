#include "kiln/io/csv_options.h"

namespace kiln {

Schema CriteoSchema() {
  std::vector<Field> fields;
  fields.push_back({"label", DataType::Int32(), false});
  for (int i = 1; i <= 13; ++i) fields.push_back({"I" + std::to_string(i), DataType::Int32(), true});
  for (int i = 1; i <= 26; ++i) fields.push_back({"C" + std::to_string(i), DataType::UInt32(), true});
  return Schema(std::move(fields));
}

CsvOptions CriteoTsvOptions() {
  CsvOptions options;
  options.delimiter = '\t';
  options.quoted = false;
  options.header = false;
  options.schema = CriteoSchema();
  for (int i = 1; i <= 26; ++i) options.hex32_columns.push_back("C" + std::to_string(i));
  return options;
}

}  // namespace kiln
