#include "kiln/prep/fitted_state.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdio>

#include "kiln/core/file.h"
#include "kiln/parquet/file_reader.h"
#include "kiln/parquet/file_writer.h"

namespace kiln::prep {

namespace {

std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// Shortest text that reads back as the same double; JSON has no inf/nan.
std::string JsonNumber(double value) {
  if (std::isnan(value)) return "\"nan\"";
  if (std::isinf(value)) return value > 0 ? "\"inf\"" : "\"-inf\"";
  char text[32];
  std::snprintf(text, sizeof(text), "%.17g", value);
  return text;
}

Result<double> ParseNumber(const YAML::Node& node, const std::string& key) {
  std::string text = node.Scalar();
  if (text == "inf") return INFINITY;
  if (text == "-inf") return -INFINITY;
  if (text == "nan") return NAN;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0') return Status::Corruption("state.json: '" + key + "' is not a number");
  return value;
}

std::string TablePath(const std::string& directory, const std::string& name) {
  return directory + "/" + name + ".parquet";
}

}  // namespace

void FittedStateWriter::SetNumber(const std::string& key, double value) { json_[key] = JsonNumber(value); }

void FittedStateWriter::SetString(const std::string& key, const std::string& value) {
  json_[key] = JsonString(value);
}

void FittedStateWriter::SetNumbers(const std::string& key, const std::vector<double>& values) {
  std::string text = "[";
  for (size_t i = 0; i < values.size(); ++i) text += (i ? ", " : "") + JsonNumber(values[i]);
  json_[key] = text + "]";
}

Status FittedStateWriter::WriteTable(const std::string& name, const Table& table) {
  return parquet::WriteParquet(TablePath(directory_, name), table);
}

Status FittedStateWriter::Finish() {
  std::string text = "{\n";
  size_t i = 0;
  for (const auto& [key, value] : json_) {
    text += "  " + JsonString(key) + ": " + value + (++i < json_.size() ? ",\n" : "\n");
  }
  text += "}\n";
  return WriteFileAtomically(directory_ + "/state.json", text);
}

Result<FittedStateReader> FittedStateReader::Open(const std::string& directory) {
  auto text = ReadFileToString(directory + "/state.json");
  if (!text.ok()) return text.status();
  FittedStateReader reader;
  reader.directory_ = directory;
  try {
    reader.root_ = std::make_shared<const YAML::Node>(YAML::Load(*text));
  } catch (const YAML::Exception& error) {
    return Status::Corruption(directory + "/state.json: " + error.what());
  }
  if (!reader.root_->IsMap()) return Status::Corruption(directory + "/state.json: not a JSON object");
  return reader;
}

std::vector<std::string> FittedStateReader::Keys() const {
  std::vector<std::string> keys;
  for (const auto& entry : *root_) keys.push_back(entry.first.as<std::string>());
  return keys;
}

Result<double> FittedStateReader::Number(const std::string& key) const {
  YAML::Node node = (*root_)[key];
  if (!node.IsScalar()) return Status::NotFound(directory_ + "/state.json: no number '" + key + "'");
  return ParseNumber(node, key);
}

Result<std::string> FittedStateReader::String(const std::string& key) const {
  YAML::Node node = (*root_)[key];
  if (!node.IsScalar()) return Status::NotFound(directory_ + "/state.json: no string '" + key + "'");
  return node.Scalar();
}

Result<std::vector<double>> FittedStateReader::Numbers(const std::string& key) const {
  YAML::Node node = (*root_)[key];
  if (!node.IsSequence()) return Status::NotFound(directory_ + "/state.json: no array '" + key + "'");
  std::vector<double> values;
  for (const YAML::Node& item : node) {
    auto value = ParseNumber(item, key);
    if (!value.ok()) return value.status();
    values.push_back(*value);
  }
  return values;
}

Result<Table> FittedStateReader::ReadTable(const std::string& name, const Schema& schema) const {
  auto table = parquet::ReadParquet(TablePath(directory_, name));
  if (!table.ok()) return table.status();
  for (const Field& field : schema.fields()) {
    int index = table->schema()->IndexOf(field.name);
    if (index < 0 || table->schema()->field(index).type != field.type) {
      return Status::Corruption(TablePath(directory_, name) + ": expected column " + field.name + ": " +
                                field.type.ToString());
    }
  }
  return table;
}

}  // namespace kiln::prep
