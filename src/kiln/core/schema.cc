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

}  // namespace kiln
