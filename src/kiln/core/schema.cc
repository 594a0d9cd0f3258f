#include "kiln/core/schema.h"

namespace kiln {

int Schema::IndexOf(const std::string& name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::string Schema::ToString() const {
  std::string text;
  for (const Field& field : fields_) {
    if (!text.empty()) text += ", ";
    text += field.name + ": " + field.type.ToString();
    if (!field.nullable) text += " not null";
  }
  return text;
}

namespace {

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

// Splits at commas that are not inside "(...)" or "<...>".
std::vector<std::string> SplitTopLevel(const std::string& text) {
  std::vector<std::string> parts(1);
  int depth = 0;
  for (char c : text) {
    if (c == '(' || c == '<') ++depth;
    if (c == ')' || c == '>') --depth;
    if (c == ',' && depth == 0) {
      parts.emplace_back();
    } else {
      parts.back().push_back(c);
    }
  }
  return parts;
}

}  // namespace

Result<Schema> Schema::Parse(const std::string& text) {
  std::vector<Field> fields;
  for (const std::string& part : SplitTopLevel(text)) {
    size_t colon = part.find(':');
    std::string name = Trim(part.substr(0, colon));
    if (colon == std::string::npos || name.empty()) {
      return Status::InvalidArgument("schema entry '" + Trim(part) + "' is not name:type");
    }
    std::string type_text = Trim(part.substr(colon + 1));
    DataType type;
    if (!DataType::FromString(type_text, &type)) {
      return Status::InvalidArgument("schema entry '" + name + "': unknown type '" + type_text + "'");
    }
    for (const Field& field : fields) {
      if (field.name == name) return Status::InvalidArgument("schema names column '" + name + "' twice");
    }
    fields.push_back({name, type, true});
  }
  return Schema(std::move(fields));
}

}  // namespace kiln
