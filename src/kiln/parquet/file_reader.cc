#include "kiln/parquet/file_reader.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <set>

#include "kiln/core/file.h"
#include "kiln/parquet/column_reader.h"
#include "kiln/parquet/metadata.h"

namespace kiln::parquet {

namespace {

class FileSource : public ParquetSource {
 public:
  explicit FileSource(std::unique_ptr<InputFile> file) : file_(std::move(file)) {}
  const std::string& name() const override { return file_->path(); }
  int64_t size() const override { return file_->size(); }
  Status ReadAt(int64_t offset, int64_t length, uint8_t* out) const override {
    return file_->ReadExactly(offset, length, out);
  }

 private:
  std::unique_ptr<InputFile> file_;  // Open for positional reads.
};

class MemorySource : public ParquetSource {
 public:
  MemorySource(std::string name, std::string bytes) : name_(std::move(name)), bytes_(std::move(bytes)) {}
  const std::string& name() const override { return name_; }
  int64_t size() const override { return static_cast<int64_t>(bytes_.size()); }
  Status ReadAt(int64_t offset, int64_t length, uint8_t* out) const override {
    if (offset < 0 || length < 0 || offset > size() || length > size() - offset) {
      return Status::Corruption(name_ + ": read of " + std::to_string(length) + " bytes at offset " +
                                std::to_string(offset) + " is past the end of " + std::to_string(size()) + " bytes");
    }
    if (length > 0) std::memcpy(out, bytes_.data() + offset, static_cast<size_t>(length));
    return Status::OK();
  }

 private:
  std::string name_;   // For messages.
  std::string bytes_;  // The whole file.
};

// Runs body(i) for i in [0, count) on `pool`, or in order when it is null.
void RunTasks(ThreadPool* pool, int64_t count, const std::function<void(int64_t)>& body) {
  if (pool == nullptr || count <= 1) {
    for (int64_t i = 0; i < count; ++i) body(i);
    return;
  }
  pool->ParallelFor(count, body);
}

std::string RowGroupContext(const std::string& name, int row_group) {
  return name + ": row group " + std::to_string(row_group);
}

}  // namespace

Result<std::unique_ptr<ParquetSource>> OpenFileSource(const std::string& path) {
  Result<std::unique_ptr<InputFile>> file = InputFile::Open(path);
  if (!file.ok()) return file.status();
  return std::unique_ptr<ParquetSource>(std::make_unique<FileSource>(std::move(*file)));
}

std::unique_ptr<ParquetSource> MakeMemorySource(std::string name, std::string bytes) {
  return std::make_unique<MemorySource>(std::move(name), std::move(bytes));
}

// ---------------------------------------------------------------------------
// ParquetFileReader

Result<std::unique_ptr<ParquetFileReader>> ParquetFileReader::Open(const std::string& path,
                                                                   const DecodeLimits& limits) {
  Result<std::unique_ptr<ParquetSource>> source = OpenFileSource(path);
  if (!source.ok()) return source.status();
  return Open(std::move(*source), limits);
}

Result<std::unique_ptr<ParquetFileReader>> ParquetFileReader::Open(std::unique_ptr<ParquetSource> source,
                                                                   const DecodeLimits& limits) {
  std::unique_ptr<ParquetFileReader> reader(new ParquetFileReader(std::move(source), limits));
  Status status = reader->ReadFooter();
  if (status.ok()) status = reader->CheckRowGroups();
  if (!status.ok()) return status;
  return reader;
}

Status ParquetFileReader::ReadFooter() {
  const int64_t size = source_->size();
  const std::string& name = source_->name();
  if (size < static_cast<int64_t>(sizeof(kParquetMagic) + kFooterTailSize)) {
    return Status::Corruption(name + ": file of " + std::to_string(size) + " bytes is too small for Parquet");
  }
  uint8_t head[sizeof(kParquetMagic)];
  uint8_t tail[kFooterTailSize];
  Status status = source_->ReadAt(0, sizeof(head), head);
  if (status.ok()) status = source_->ReadAt(size - kFooterTailSize, kFooterTailSize, tail);
  if (!status.ok()) return status;
  if (std::memcmp(tail + 4, "PARE", 4) == 0) {
    return Status::NotSupported(name + ": encrypted Parquet files are not supported");
  }
  if (std::memcmp(head, kParquetMagic, sizeof(head)) != 0) {
    return Status::Corruption(name + ": not a Parquet file (it does not start with 'PAR1')");
  }
  uint32_t footer_size = 0;
  status = ParseFooterTail(tail, static_cast<uint64_t>(size), &footer_size);
  if (!status.ok()) return status.WithContext(name);
  Buffer footer(footer_size);
  status = source_->ReadAt(size - kFooterTailSize - footer_size, footer_size, footer.data());
  if (status.ok()) status = ParseFileMetaData(footer.data(), footer_size, &metadata_);
  if (!status.ok()) return status.WithContext(name);
  Result<FileSchema> schema = ImportSchema(metadata_.schema);
  if (!schema.ok()) return schema.status().WithContext(name);
  schema_ = std::move(*schema);
  return Status::OK();
}

// Checks what decoding relies on before any row group is read: every row
// group has one chunk per leaf, and a row count within the limits.
Status ParquetFileReader::CheckRowGroups() const {
  for (int index = 0; index < num_row_groups(); ++index) {
    const format::RowGroup& row_group = metadata_.row_groups[index];
    const std::string context = RowGroupContext(name(), index);
    if (row_group.columns.size() != static_cast<size_t>(schema_.num_leaves)) {
      return Status::Corruption(context + ": " + std::to_string(row_group.columns.size()) +
                                " column chunks for a schema of " + std::to_string(schema_.num_leaves) + " columns");
    }
    if (row_group.num_rows < 0) return Status::Corruption(context + ": negative row count");
    if (row_group.num_rows > limits_.max_chunk_values) {
      return Status::NotSupported(context + ": " + std::to_string(row_group.num_rows) +
                                  " rows exceed the reader's limit of " + std::to_string(limits_.max_chunk_values));
    }
  }
  return Status::OK();
}

Result<Projection> ParquetFileReader::Project(const std::vector<std::string>& names) const {
  Projection projection;
  if (names.empty()) {
    for (size_t i = 0; i < schema_.columns.size(); ++i) projection.columns.push_back(static_cast<int>(i));
  }
  std::set<std::string> seen;
  for (const std::string& name : names) {
    const int index = schema_.IndexOf(name);
    if (index < 0) return Status::NotFound(this->name() + ": no column '" + name + "'");
    if (!seen.insert(name).second) return Status::InvalidArgument("column '" + name + "' is selected twice");
    projection.columns.push_back(index);
  }
  std::vector<Field> fields;
  for (int index : projection.columns) {
    const ImportedColumn& column = schema_.columns[index];
    if (!column.support.ok()) return column.support.WithContext(name());
    fields.push_back(column.field);
  }
  projection.schema = std::make_shared<const Schema>(std::move(fields));
  return projection;
}

ChunkStatistics ParquetFileReader::Statistics(int row_group, int column) const {
  const ColumnDescriptor& descriptor = schema_.columns[column].descriptor;
  const format::ColumnChunk& chunk = metadata_.row_groups[row_group].columns[descriptor.leaf_index];
  const format::ColumnOrder* order = nullptr;
  if (metadata_.column_orders.size() == static_cast<size_t>(schema_.num_leaves)) {
    order = &metadata_.column_orders[descriptor.leaf_index];
  }
  return DecodeStatistics(descriptor, chunk.meta_data, order);
}

Result<std::shared_ptr<Column>> ParquetFileReader::ReadChunk(int row_group, int column, DecodeScratch* scratch) const {
  const ColumnDescriptor& descriptor = schema_.columns[column].descriptor;
  const format::RowGroup& group = metadata_.row_groups[row_group];
  const format::ColumnChunk& chunk = group.columns[descriptor.leaf_index];
  const format::ColumnMetaData& metadata = chunk.meta_data;
  Status status;
  int64_t offset = 0, length = 0;
  if (!chunk.__isset.meta_data) {
    status = Status::NotSupported("column chunk without metadata (encrypted columns are not supported)");
  } else if (!chunk.file_path.empty()) {
    status = Status::NotSupported("column chunk stored in another file ('" + chunk.file_path + "')");
  } else if (metadata.type != descriptor.physical_type) {
    status = Status::Corruption("column chunk of type " + PhysicalTypeName(metadata.type) + " for a " +
                                PhysicalTypeName(descriptor.physical_type) + " column");
  } else {
    status = ColumnChunkRange(metadata, file_size(), &offset, &length);
  }
  if (status.ok()) {
    scratch->chunk.Resize(static_cast<size_t>(length));
    status = source_->ReadAt(offset, length, scratch->chunk.data());
  }
  const std::string context = RowGroupContext(name(), row_group) + ", column '" + descriptor.name + "'";
  if (!status.ok()) return status.WithContext(context);
  Result<std::shared_ptr<Column>> result = ReadColumnChunk(
      descriptor, metadata, scratch->chunk.data(), static_cast<size_t>(length), group.num_rows, limits_, scratch);
  if (!result.ok()) return result.status().WithContext(context);
  return result;
}

Result<RecordBatchPtr> ParquetFileReader::ReadRowGroup(int row_group, const Projection& projection,
                                                       ThreadPool* pool) const {
  std::vector<RecordBatchPtr> batches;
  Status status = ReadRowGroups({row_group}, projection, pool, &batches);
  if (!status.ok()) return status;
  return batches[0];
}

Status ParquetFileReader::ReadRowGroups(const std::vector<int>& row_groups, const Projection& projection,
                                        ThreadPool* pool, std::vector<RecordBatchPtr>* batches) const {
  for (int row_group : row_groups) {
    if (row_group < 0 || row_group >= num_row_groups()) {
      return Status::InvalidArgument(name() + ": no row group " + std::to_string(row_group));
    }
  }
  const int64_t width = static_cast<int64_t>(projection.columns.size());
  const int64_t tasks = static_cast<int64_t>(row_groups.size()) * width;
  std::vector<std::shared_ptr<Column>> columns(tasks);
  std::vector<Status> statuses(tasks);
  RunTasks(pool, tasks, [&](int64_t task) {
    const int row_group = row_groups[task / width];
    const int column = projection.columns[task % width];
    std::unique_ptr<DecodeScratch> scratch = scratch_pool_.Acquire();
    try {
      Result<std::shared_ptr<Column>> result = ReadChunk(row_group, column, scratch.get());
      if (result.ok()) columns[task] = std::move(*result);
      statuses[task] = result.status();
    } catch (const std::bad_alloc&) {
      statuses[task] = Status::IOError(RowGroupContext(name(), row_group) + ": out of memory");
    }
    scratch_pool_.Release(std::move(scratch));
  });
  for (const Status& status : statuses) {
    if (!status.ok()) return status;
  }
  for (size_t i = 0; i < row_groups.size(); ++i) {
    std::vector<std::shared_ptr<Column>> batch_columns(columns.begin() + i * width, columns.begin() + (i + 1) * width);
    batches->push_back(
        std::make_shared<RecordBatch>(projection.schema, std::move(batch_columns), row_group_rows(row_groups[i])));
  }
  return Status::OK();
}

// ---------------------------------------------------------------------------
// ParquetReader

ThreadPool* ChoosePool(int threads, std::unique_ptr<ThreadPool>* own) {
  if (threads == 1) return nullptr;
  if (threads <= 0) return &ThreadPool::Default();
  // The calling thread takes part in ParallelFor, so n - 1 workers make n.
  *own = std::make_unique<ThreadPool>(threads - 1);
  return own->get();
}

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(const std::string& path, const ParquetReadOptions& options) {
  Result<std::unique_ptr<ParquetFileReader>> file = ParquetFileReader::Open(path, options.limits);
  if (!file.ok()) return file.status();
  return Open(std::move(*file), options);
}

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(std::unique_ptr<ParquetFileReader> file,
                                                           const ParquetReadOptions& options) {
  std::unique_ptr<ParquetReader> reader(new ParquetReader());
  reader->file_ = std::move(file);
  Status status = reader->Resolve(options);
  if (status.ok()) status = reader->SelectRowGroups();
  if (!status.ok()) return status;
  reader->pool_ = ChoosePool(options.threads, &reader->own_pool_);
  const int threads = reader->pool_ == nullptr ? 1 : reader->pool_->size() + 1;
  const int width = std::max<int>(1, static_cast<int>(reader->projection_.columns.size()));
  // Two tasks per thread even out chunks of different cost.
  reader->window_ = options.row_groups_in_flight > 0 ? options.row_groups_in_flight
                                                     : std::clamp((2 * threads + width - 1) / width, 1, 16);
  return reader;
}

Status ParquetReader::Resolve(const ParquetReadOptions& options) {
  Result<Projection> output = file_->Project(options.columns);
  if (!output.ok()) return output.status();
  schema_ = output->schema;
  projection_ = *output;
  if (options.predicate.empty()) return Status::OK();
  Result<PredicateText> text = ParsePredicate(options.predicate);
  if (!text.ok()) return text.status();
  const int column = file_->file_schema().IndexOf(text->column);
  if (column < 0) return Status::NotFound(file_->name() + ": predicate column '" + text->column + "' does not exist");
  const ImportedColumn& imported = file_->file_schema().columns[column];
  if (!imported.support.ok()) return imported.support.WithContext(file_->name());
  Result<Predicate> predicate = Predicate::Bind(*text, imported.field.type);
  if (!predicate.ok()) return predicate.status();
  predicate_ = std::move(*predicate);
  auto found = std::find(projection_.columns.begin(), projection_.columns.end(), column);
  predicate_position_ = static_cast<int>(found - projection_.columns.begin());
  if (found == projection_.columns.end()) {
    projection_.columns.push_back(column);
    std::vector<Field> fields = schema_->fields();
    fields.push_back(imported.field);
    projection_.schema = std::make_shared<const Schema>(std::move(fields));
  }
  return Status::OK();
}

Status ParquetReader::SelectRowGroups() {
  const int column = predicate_ ? projection_.columns[predicate_position_] : -1;
  for (int row_group = 0; row_group < file_->num_row_groups(); ++row_group) {
    if (predicate_ && !predicate_->MayMatch(file_->Statistics(row_group, column))) {
      ++row_groups_skipped_;
      continue;
    }
    row_groups_.push_back(row_group);
  }
  return Status::OK();
}

Status ParquetReader::DecodeWindow() {
  const size_t end = std::min(row_groups_.size(), next_row_group_ + static_cast<size_t>(window_));
  std::vector<int> window(row_groups_.begin() + next_row_group_, row_groups_.begin() + end);
  next_row_group_ = end;
  std::vector<RecordBatchPtr> decoded;
  Status status = file_->ReadRowGroups(window, projection_, pool_, &decoded);
  if (!status.ok()) return status;
  for (const RecordBatchPtr& batch : decoded) {
    RecordBatchPtr result = Finish(batch);
    if (result->num_rows() > 0) ready_.push_back(std::move(result));
  }
  return Status::OK();
}

RecordBatchPtr ParquetReader::Finish(const RecordBatchPtr& decoded) const {
  RecordBatchPtr batch = decoded;
  if (predicate_) {
    std::vector<uint8_t> matches;
    const int64_t count = predicate_->Evaluate(decoded->column(predicate_position_), &matches);
    batch = FilterRows(decoded, matches, count);
  }
  if (batch->num_columns() == schema_->num_fields()) {
    return std::make_shared<RecordBatch>(schema_, batch->columns(), batch->num_rows());
  }
  std::vector<std::shared_ptr<Column>> columns(batch->columns().begin(),
                                               batch->columns().begin() + schema_->num_fields());
  return std::make_shared<RecordBatch>(schema_, std::move(columns), batch->num_rows());
}

Status ParquetReader::Next(RecordBatchPtr* batch) {
  while (ready_.empty() && next_row_group_ < row_groups_.size()) {
    Status status = DecodeWindow();
    if (!status.ok()) return status;
  }
  if (ready_.empty()) {
    *batch = nullptr;
    return Status::OK();
  }
  *batch = std::move(ready_.front());
  ready_.pop_front();
  report_.rows_read += (*batch)->num_rows();
  return Status::OK();
}

Result<Table> ReadParquet(const std::string& path, const ParquetReadOptions& options) {
  ParquetReadOptions whole = options;
  whole.row_groups_in_flight = INT32_MAX;
  Result<std::unique_ptr<ParquetReader>> reader = ParquetReader::Open(path, whole);
  if (!reader.ok()) return reader.status();
  return ReadAll(reader->get());
}

}  // namespace kiln::parquet
