// FittedState: what fit passes learned, saved beside the output so that
// `kiln prep apply` transforms new data with exactly the same encoding.
//
// A state directory holds:
//   pipeline.yaml  the pipeline as run (input, output and steps);
//   state.json     one flat JSON object: "<step prefix>.<key>" -> number,
//                  string or array of numbers (non-finite numbers as the
//                  strings "inf", "-inf", "nan");
//   <name>.parquet one table per dictionary (columns value, count; the id of
//                  a value follows from its row).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kiln/core/status.h"
#include "kiln/core/table.h"

namespace YAML {
class Node;
}

namespace kiln::prep {

class FittedStateWriter {
 public:
  // Writes into `directory`, which must exist.
  explicit FittedStateWriter(std::string directory) : directory_(std::move(directory)) {}

  void SetNumber(const std::string& key, double value);
  void SetString(const std::string& key, const std::string& value);
  void SetNumbers(const std::string& key, const std::vector<double>& values);
  // Writes `table` as the dictionary file called `name` (no extension).
  Status WriteTable(const std::string& name, const Table& table);
  // Writes state.json. REQUIRES: called once, after every Set and WriteTable.
  Status Finish();

 private:
  std::string directory_;                  // The state directory.
  std::map<std::string, std::string> json_; // Key -> JSON text of the value, in key order.
};

class FittedStateReader {
 public:
  // Reads `directory`/state.json.
  static Result<FittedStateReader> Open(const std::string& directory);

  const std::string& directory() const { return directory_; }
  Result<double> Number(const std::string& key) const;
  Result<std::string> String(const std::string& key) const;
  Result<std::vector<double>> Numbers(const std::string& key) const;
  // Every key of state.json, in file order.
  std::vector<std::string> Keys() const;
  // Reads the dictionary file `name` with the given schema.
  Result<Table> ReadTable(const std::string& name, const Schema& schema) const;

 private:
  std::string directory_;                         // The state directory.
  std::shared_ptr<const YAML::Node> root_;        // Parsed state.json.
};

}  // namespace kiln::prep
