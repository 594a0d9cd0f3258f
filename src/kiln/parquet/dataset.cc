#include "kiln/parquet/dataset.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <system_error>

#include "kiln/core/column_builder.h"

namespace kiln::parquet {

namespace {

namespace fs = std::filesystem;

bool IsHidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && (name[0] == '.' || name[0] == '_');
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Hive escapes special characters in partition values as %XX.
std::string PercentDecode(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexDigit(text[i + 1]) >= 0 && HexDigit(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexDigit(text[i + 1]) * 16 + HexDigit(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

bool IsInteger(const std::string& text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

// The key=value segments of a file's directory path relative to the root.
std::vector<std::pair<std::string, std::string>> PathPartitions(const fs::path& relative) {
  std::vector<std::pair<std::string, std::string>> partitions;
  for (const fs::path& segment : relative.parent_path()) {
    const std::string text = segment.string();
    const size_t equals = text.find('=');
    if (equals == std::string::npos || equals == 0) continue;
    partitions.emplace_back(PercentDecode(text.substr(0, equals)), PercentDecode(text.substr(equals + 1)));
  }
  return partitions;
}

std::string DescribeColumns(const std::vector<Field>& fields) {
  std::string text;
  for (const Field& field : fields) {
    if (!text.empty()) text += ", ";
    text += field.name + ": " + field.type.ToString();
  }
  return text;
}

// Columns compare by name and type; nullability may differ between files.
bool SameColumns(const std::vector<Field>& a, const std::vector<Field>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].type != b[i].type) return false;
  }
  return true;
}

std::vector<Field> FileFields(const ParquetFileReader& file) {
  std::vector<Field> fields;
  for (const ImportedColumn& column : file.file_schema().columns) {
    Field field = column.field;
    // Unsupported columns have no type; they agree when their names do.
    if (!column.support.ok()) field.type = DataType::Binary();
    fields.push_back(field);
  }
  return fields;
}

}  // namespace

Result<std::vector<std::string>> ListParquetFiles(const std::string& directory) {
  std::vector<std::string> files;
  std::error_code error;
  fs::recursive_directory_iterator it(directory, error), end;
  for (; !error && it != end; it.increment(error)) {
    if (IsHidden(it->path())) {
      if (it->is_directory(error)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(error) && it->path().extension() == ".parquet") files.push_back(it->path().string());
  }
  if (error) return Status::IOError("list " + directory + ": " + error.message());
  if (files.empty()) return Status::NotFound("no .parquet files under " + directory);
  std::sort(files.begin(), files.end());
  return files;
}

Result<std::unique_ptr<ParquetDatasetReader>> ParquetDatasetReader::Open(const std::string& directory,
                                                                         const ParquetReadOptions& options) {
  std::unique_ptr<ParquetDatasetReader> reader(new ParquetDatasetReader());
  Result<std::vector<std::string>> files = ListParquetFiles(directory);
  if (!files.ok()) return files.status();
  reader->files_ = std::move(*files);
  Status status = reader->DiscoverPartitions(directory);
  if (status.ok()) status = reader->CheckSchemas();
  if (status.ok()) status = reader->Resolve(options);
  if (!status.ok()) return status;
  return reader;
}

Status ParquetDatasetReader::DiscoverPartitions(const std::string& directory) {
  for (size_t i = 0; i < files_.size(); ++i) {
    const auto partitions = PathPartitions(fs::path(files_[i]).lexically_relative(directory));
    if (i == 0) {
      for (const auto& [key, value] : partitions) partitions_.push_back({Field{key, DataType::Int64(), false}, {}});
    }
    bool same_keys = partitions.size() == partitions_.size();
    for (size_t k = 0; same_keys && k < partitions.size(); ++k) {
      same_keys = partitions[k].first == partitions_[k].field.name;
    }
    if (!same_keys) {
      return Status::InvalidArgument(files_[i] + ": partition keys differ from those of " + files_[0]);
    }
    for (size_t k = 0; k < partitions.size(); ++k) {
      const std::string& value = partitions[k].second;
      partitions_[k].values.push_back(value == kHiveNullPartition ? std::nullopt : std::optional(value));
    }
  }
  for (PartitionColumn& key : partitions_) {
    for (const std::optional<std::string>& value : key.values) {
      if (!value) key.field.nullable = true;
      if (value && !IsInteger(*value)) key.field.type = DataType::String();
    }
  }
  return Status::OK();
}

Status ParquetDatasetReader::CheckSchemas() {
  for (size_t i = 0; i < files_.size(); ++i) {
    Result<std::unique_ptr<ParquetFileReader>> file = ParquetFileReader::Open(files_[i]);
    if (!file.ok()) return file.status();
    std::vector<Field> fields = FileFields(**file);
    if (i == 0) {
      file_fields_ = std::move(fields);
      for (const ImportedColumn& column : (*file)->file_schema().columns) file_support_.push_back(column.support);
      continue;
    }
    if (!SameColumns(fields, file_fields_)) {
      return Status::InvalidArgument(files_[i] + ": schema (" + DescribeColumns(fields) + ") differs from that of " +
                                     files_[0] + " (" + DescribeColumns(file_fields_) + ")");
    }
    for (size_t c = 0; c < fields.size(); ++c) file_fields_[c].nullable |= fields[c].nullable;
  }
  for (const PartitionColumn& key : partitions_) {
    for (const Field& field : file_fields_) {
      if (field.name == key.field.name) {
        return Status::InvalidArgument(files_[0] + ": column '" + field.name + "' is also a partition key");
      }
    }
  }
  return Status::OK();
}

Status ParquetDatasetReader::Resolve(const ParquetReadOptions& options) {
  std::vector<std::string> names = options.columns;
  if (names.empty()) {
    for (const Field& field : file_fields_) names.push_back(field.name);
    for (const PartitionColumn& key : partitions_) names.push_back(key.field.name);
  }
  file_options_ = options;
  file_options_.columns.clear();
  file_options_.predicate.clear();
  std::vector<Field> fields;
  for (const std::string& name : names) {
    auto key = std::find_if(partitions_.begin(), partitions_.end(),
                            [&](const PartitionColumn& column) { return column.field.name == name; });
    if (key != partitions_.end()) {
      output_.push_back(-1 - static_cast<int>(key - partitions_.begin()));
      fields.push_back(key->field);
      continue;
    }
    auto field = std::find_if(file_fields_.begin(), file_fields_.end(),
                              [&](const Field& candidate) { return candidate.name == name; });
    if (field == file_fields_.end()) return Status::NotFound(files_[0] + ": no column '" + name + "'");
    const Status& support = file_support_[field - file_fields_.begin()];
    if (!support.ok()) return support.WithContext(files_[0]);
    output_.push_back(static_cast<int>(file_options_.columns.size()));
    file_options_.columns.push_back(name);
    fields.push_back(*field);
  }
  // Reading no file column would read them all: read the first and drop it.
  if (file_options_.columns.empty() && !file_fields_.empty()) file_options_.columns.push_back(file_fields_[0].name);
  schema_ = std::make_shared<const Schema>(std::move(fields));
  if (options.predicate.empty()) return Status::OK();
  Result<PredicateText> predicate = ParsePredicate(options.predicate);
  if (!predicate.ok()) return predicate.status();
  for (size_t k = 0; k < partitions_.size(); ++k) {
    if (partitions_[k].field.name == predicate->column) return PrunePartitions(*predicate, static_cast<int>(k));
  }
  file_options_.predicate = options.predicate;
  return Status::OK();
}

Status ParquetDatasetReader::PrunePartitions(const PredicateText& text, int key) {
  Result<Predicate> predicate = Predicate::Bind(text, partitions_[key].field.type);
  if (!predicate.ok()) return predicate.status();
  std::vector<std::string> kept;
  std::vector<std::vector<std::optional<std::string>>> kept_values(partitions_.size());
  for (size_t file = 0; file < files_.size(); ++file) {
    if (!predicate->Matches(*PartitionValues(key, file, 1), 0)) continue;
    kept.push_back(files_[file]);
    for (size_t k = 0; k < partitions_.size(); ++k) kept_values[k].push_back(partitions_[k].values[file]);
  }
  files_ = std::move(kept);
  for (size_t k = 0; k < partitions_.size(); ++k) partitions_[k].values = std::move(kept_values[k]);
  return Status::OK();
}

std::shared_ptr<Column> ParquetDatasetReader::PartitionValues(int key, size_t file, int64_t rows) const {
  const PartitionColumn& column = partitions_[key];
  const std::optional<std::string>& value = column.values[file];
  ColumnBuilder builder(column.field.type);
  builder.Reserve(rows, value ? static_cast<int64_t>(value->size()) * rows : 0);
  int64_t number = 0;
  if (value && column.field.type.id() == TypeId::kInt64)
    std::from_chars(value->data(), value->data() + value->size(), number);
  for (int64_t row = 0; row < rows; ++row) {
    if (!value)
      builder.AppendNull();
    else if (column.field.type.id() == TypeId::kInt64)
      builder.Append(number);
    else
      builder.AppendString(*value);
  }
  return builder.Finish();
}

Status ParquetDatasetReader::Next(RecordBatchPtr* batch) {
  for (;;) {
    if (current_ == nullptr) {
      if (next_file_ >= files_.size()) {
        *batch = nullptr;
        return Status::OK();
      }
      current_file_ = next_file_++;
      Result<std::unique_ptr<ParquetReader>> reader = ParquetReader::Open(files_[current_file_], file_options_);
      if (!reader.ok()) return reader.status();
      current_ = std::move(*reader);
    }
    RecordBatchPtr file_batch;
    Status status = current_->Next(&file_batch);
    if (!status.ok()) return status;
    if (file_batch == nullptr) {
      current_.reset();
      continue;
    }
    const int64_t rows = file_batch->num_rows();
    std::vector<std::shared_ptr<Column>> columns;
    for (int source : output_) {
      columns.push_back(source >= 0 ? file_batch->column_ptr(source)
                                    : PartitionValues(-1 - source, current_file_, rows));
    }
    *batch = std::make_shared<RecordBatch>(schema_, std::move(columns), rows);
    report_.rows_read += rows;
    return Status::OK();
  }
}

Result<std::unique_ptr<BatchReader>> OpenParquet(const std::string& path, const ParquetReadOptions& options) {
  std::error_code error;
  if (fs::is_directory(path, error)) {
    Result<std::unique_ptr<ParquetDatasetReader>> dataset = ParquetDatasetReader::Open(path, options);
    if (!dataset.ok()) return dataset.status();
    return std::unique_ptr<BatchReader>(std::move(*dataset));
  }
  Result<std::unique_ptr<ParquetReader>> reader = ParquetReader::Open(path, options);
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<BatchReader>(std::move(*reader));
}

}  // namespace kiln::parquet
