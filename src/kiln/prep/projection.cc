#include "kiln/prep/projection.h"

#include <set>

#include "kiln/prep/batch_edit.h"
#include "kiln/prep/row_id.h"

namespace kiln::prep {

namespace {

bool AnyType(const DataType&) { return true; }

// The batch with the named columns in the given order.
Result<RecordBatchPtr> Project(const RecordBatch& batch, const std::vector<std::string>& names, const char* kind) {
  std::vector<Field> fields;
  std::vector<std::shared_ptr<Column>> columns;
  for (const std::string& name : names) {
    auto index = FindColumn(batch, name, kind);
    if (!index.ok()) return index.status();
    fields.push_back(batch.schema()->field(*index));
    columns.push_back(batch.column_ptr(*index));
  }
  return RecordBatchPtr(std::make_shared<RecordBatch>(std::make_shared<Schema>(std::move(fields)),
                                                      std::move(columns), batch.num_rows()));
}

SchemaPtr ProjectSchema(const Schema& schema, const std::vector<std::string>& names) {
  std::vector<Field> fields;
  for (const std::string& name : names) fields.push_back(schema.field(schema.IndexOf(name)));
  return SchemaPtr(std::make_shared<Schema>(std::move(fields)));
}

}  // namespace

Result<SchemaPtr> Select::Bind(const SchemaPtr& input) {
  columns_.clear();
  std::set<std::string> seen;
  for (const std::string& pattern : options_.columns.patterns) {
    auto matched = ResolveColumns(ColumnSelection{{pattern}}, *input, AnyType, kind());
    if (!matched.ok()) return matched.status();
    for (std::string& name : *matched) {
      if (seen.insert(name).second) columns_.push_back(std::move(name));
    }
  }
  if (columns_.empty()) return Status::InvalidArgument("select: name the columns to keep");
  if (input->IndexOf(kRowIdColumn) >= 0) columns_.push_back(kRowIdColumn);  // Hidden: always kept.
  return ProjectSchema(*input, columns_);
}

Result<RecordBatchPtr> Select::Transform(const RecordBatchPtr& batch) const {
  return Project(*batch, columns_, kind());
}

Result<SchemaPtr> Drop::Bind(const SchemaPtr& input) {
  if (options_.columns.patterns.empty()) return Status::InvalidArgument("drop: name the columns to drop");
  auto dropped = ResolveColumns(options_.columns, *input, AnyType, kind());
  if (!dropped.ok()) return dropped.status();
  columns_ = std::move(*dropped);
  return ProjectSchema(*input, [&] {
    std::set<std::string> gone(columns_.begin(), columns_.end());
    std::vector<std::string> kept;
    for (const Field& field : input->fields()) {
      if (!gone.count(field.name)) kept.push_back(field.name);
    }
    return kept;
  }());
}

Result<RecordBatchPtr> Drop::Transform(const RecordBatchPtr& batch) const {
  std::set<std::string> gone(columns_.begin(), columns_.end());
  std::vector<std::string> kept;
  for (const Field& field : batch->schema()->fields()) {
    if (!gone.count(field.name)) kept.push_back(field.name);
  }
  return Project(*batch, kept, kind());
}

std::vector<std::string> Rename::inputs() const {
  std::vector<std::string> names;
  for (const auto& [from, to] : options_.names) names.push_back(from);
  return names;
}

std::vector<std::string> Rename::outputs() const {
  std::vector<std::string> names;
  for (const auto& [from, to] : options_.names) names.push_back(to);
  return names;
}

Result<SchemaPtr> Rename::Bind(const SchemaPtr& input) {
  std::vector<Field> fields = input->fields();
  for (const auto& [from, to] : options_.names) {
    int index = input->IndexOf(from);
    if (index < 0) return Status::NotFound("rename: no column '" + from + "'");
    fields[index].name = to;
  }
  std::set<std::string> names;
  for (const Field& field : fields) {
    if (!names.insert(field.name).second) {
      return Status::InvalidArgument("rename: two columns would be called '" + field.name + "'");
    }
  }
  return SchemaPtr(std::make_shared<Schema>(std::move(fields)));
}

Result<RecordBatchPtr> Rename::Transform(const RecordBatchPtr& batch) const {
  // All indices first, so that swapping two names works.
  std::vector<int> indices;
  for (const auto& [from, to] : options_.names) {
    auto index = FindColumn(*batch, from, kind());
    if (!index.ok()) return index.status();
    indices.push_back(*index);
  }
  std::vector<Field> fields = batch->schema()->fields();
  for (size_t i = 0; i < indices.size(); ++i) fields[indices[i]].name = options_.names[i].second;
  return RecordBatchPtr(std::make_shared<RecordBatch>(std::make_shared<Schema>(std::move(fields)),
                                                      batch->columns(), batch->num_rows()));
}

}  // namespace kiln::prep
