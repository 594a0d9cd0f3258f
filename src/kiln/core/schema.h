// Field and Schema: the names and types of a table's columns.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kiln/core/data_type.h"
#include "kiln/core/status.h"

namespace kiln {

struct Field {
  std::string name;
  DataType type;
  bool nullable = true;

  bool operator==(const Field& other) const {
    return name == other.name && type == other.type && nullable == other.nullable;
  }
};

class Schema {
 public:
  Schema() = default;
  explicit Schema(std::vector<Field> fields) : fields_(std::move(fields)) {}

  int num_fields() const { return static_cast<int>(fields_.size()); }
  const Field& field(int i) const { return fields_[i]; }
  const std::vector<Field>& fields() const { return fields_; }
  // Index of the field called `name`, or -1.
  int IndexOf(const std::string& name) const;

  // "name: type, name: type not null, ..."
  std::string ToString() const;
  // Parses "name:type,name:type,..." (spaces allowed, types as
  // DataType::ToString() prints them, e.g. "id:int64, price:decimal(9,2)").
  static Result<Schema> Parse(const std::string& text);
  bool operator==(const Schema& other) const { return fields_ == other.fields_; }

 private:
  std::vector<Field> fields_;  // In column order.
};

using SchemaPtr = std::shared_ptr<const Schema>;

}  // namespace kiln
