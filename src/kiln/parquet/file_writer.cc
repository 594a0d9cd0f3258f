#include "kiln/parquet/file_writer.h"

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "kiln/core/thread_pool.h"
#include "kiln/parquet/metadata.h"

namespace kiln::parquet {

namespace {

std::string_view View(const Buffer& buffer) {
  return std::string_view(reinterpret_cast<const char*>(buffer.data()), buffer.size());
}

bool IsWritableCodec(Codec codec) {
  switch (codec) {
    case format::CompressionCodec::UNCOMPRESSED:
    case format::CompressionCodec::SNAPPY:
    case format::CompressionCodec::GZIP:
    case format::CompressionCodec::BROTLI:
    case format::CompressionCodec::ZSTD:
    case format::CompressionCodec::LZ4_RAW: return true;
    default: return false;
  }
}

ColumnWriterOptions ColumnOptionsOf(const ParquetWriteOptions& options) {
  ColumnWriterOptions column;
  column.codec = options.codec;
  column.compression_level = options.compression_level;
  column.page_bytes = options.page_bytes;
  column.enable_dictionary = options.enable_dictionary;
  column.dictionary_limit_bytes = options.dictionary_limit_bytes;
  column.data_page_v2 = options.data_page_v2;
  column.page_statistics = options.page_statistics;
  return column;
}

}  // namespace

Status ValidateWriteOptions(const ParquetWriteOptions& options) {
  if (!IsWritableCodec(options.codec)) {
    return Status::InvalidArgument("cannot write Parquet pages with codec " + CodecName(options.codec) +
                                   " (use UNCOMPRESSED, SNAPPY, GZIP, LZ4_RAW, BROTLI or ZSTD)");
  }
  if (options.row_group_rows < 1) return Status::InvalidArgument("row_group_rows must be at least 1");
  if (options.page_bytes < 1) return Status::InvalidArgument("page_bytes must be at least 1");
  if (options.dictionary_limit_bytes < 0) return Status::InvalidArgument("dictionary_limit_bytes must not be negative");
  return Status::OK();
}

ParquetWriter::ParquetWriter(std::unique_ptr<OutputFile> file, SchemaPtr schema, ParquetWriteOptions options,
                             ExportedSchema exported)
    : file_(std::move(file)),
      schema_(std::move(schema)),
      options_(std::move(options)),
      column_options_(ColumnOptionsOf(options_)),
      exported_(std::move(exported)),
      pending_(schema_->num_fields()) {}

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Open(const std::string& path, SchemaPtr schema,
                                                           ParquetWriteOptions options) {
  Status status = ValidateWriteOptions(options);
  if (!status.ok()) return status;
  Result<ExportedSchema> exported = ExportSchema(*schema);
  if (!exported.ok()) return exported.status();
  Result<std::unique_ptr<OutputFile>> file = OutputFile::Create(path);
  if (!file.ok()) return file.status();
  status = (*file)->Append(std::string_view(kParquetMagic, sizeof(kParquetMagic)));
  if (!status.ok()) return status;
  return std::unique_ptr<ParquetWriter>(
      new ParquetWriter(std::move(*file), std::move(schema), std::move(options), std::move(*exported)));
}

Status ParquetWriter::CheckBatch(const RecordBatch& batch) const {
  if (batch.schema() != schema_ && !(*batch.schema() == *schema_)) {
    return Status::InvalidArgument("batch schema (" + batch.schema()->ToString() +
                                   ") differs from the Parquet writer's (" + schema_->ToString() + ")");
  }
  for (int c = 0; c < batch.num_columns(); ++c) {
    // List elements are always nullable; only the column's own nulls count.
    if (!schema_->field(c).nullable && batch.column(c).null_count() > 0) {
      return Status::InvalidArgument("column '" + schema_->field(c).name +
                                     "' is declared not null but the batch holds nulls");
    }
  }
  return Status::OK();
}

Status ParquetWriter::Write(const RecordBatch& batch) {
  if (closed_) return Status::InvalidArgument("ParquetWriter::Write after Close");
  if (!error_.ok()) return error_;
  Status status = CheckBatch(batch);
  if (!status.ok()) return status;
  rows_ += batch.num_rows();
  for (int64_t offset = 0; offset < batch.num_rows();) {
    const int64_t take = std::min(batch.num_rows() - offset, options_.row_group_rows - pending_rows_);
    for (int c = 0; c < batch.num_columns(); ++c) {
      pending_[c].push_back(take == batch.num_rows() ? batch.column_ptr(c) : batch.column(c).Slice(offset, take));
    }
    pending_rows_ += take;
    offset += take;
    if (pending_rows_ == options_.row_group_rows) {
      error_ = FlushRowGroup();
      if (!error_.ok()) return error_;
    }
  }
  return Status::OK();
}

Status ParquetWriter::FlushRowGroup() {
  const int columns = schema_->num_fields();
  std::vector<EncodedColumnChunk> chunks(columns);
  std::vector<Status> statuses(columns);
  ThreadPool::Default().ParallelFor(columns, [&](int64_t c) {
    statuses[c] = EncodeColumnChunk(exported_.leaves[c], pending_[c], column_options_, &chunks[c]);
  });
  for (int c = 0; c < columns; ++c) {
    if (!statuses[c].ok()) return statuses[c].WithContext("writing column '" + schema_->field(c).name + "'");
  }
  return AppendRowGroup(&chunks);
}

Status ParquetWriter::AppendRowGroup(std::vector<EncodedColumnChunk>* chunks) {
  format::RowGroup row_group;
  row_group.__set_num_rows(pending_rows_);
  row_group.__set_file_offset(file_->bytes_written());
  int64_t uncompressed = 0, compressed = 0;
  for (EncodedColumnChunk& chunk : *chunks) {
    const int64_t start = file_->bytes_written();
    format::ColumnMetaData& metadata = chunk.metadata;
    metadata.data_page_offset += start;
    if (metadata.__isset.dictionary_page_offset) metadata.dictionary_page_offset += start;
    Status status = file_->Append(View(chunk.bytes));
    if (!status.ok()) return status;
    uncompressed += metadata.total_uncompressed_size;
    compressed += metadata.total_compressed_size;
    format::ColumnChunk column;
    column.__set_file_offset(start);  // Deprecated, but older readers look for the chunk here.
    column.__set_meta_data(std::move(metadata));
    row_group.columns.push_back(std::move(column));
  }
  row_group.__set_total_byte_size(uncompressed);
  row_group.__set_total_compressed_size(compressed);
  if (row_groups_.size() <= INT16_MAX) row_group.__set_ordinal(static_cast<int16_t>(row_groups_.size()));
  row_groups_.push_back(std::move(row_group));
  for (auto& pieces : pending_) pieces.clear();
  pending_rows_ = 0;
  return Status::OK();
}

Status ParquetWriter::WriteFooter() {
  format::FileMetaData metadata;
  metadata.__set_version(2);
  metadata.__set_schema(exported_.elements);
  metadata.__set_num_rows(rows_);
  metadata.__set_row_groups(std::move(row_groups_));
  format::KeyValue schema_text;
  schema_text.__set_key(kKilnSchemaKey);
  schema_text.__set_value(schema_->ToString());
  metadata.__set_key_value_metadata({schema_text});
  metadata.__set_created_by(options_.created_by);
  format::ColumnOrder order;
  order.__set_TYPE_ORDER(format::TypeDefinedOrder());
  metadata.__set_column_orders(std::vector<format::ColumnOrder>(exported_.leaves.size(), order));
  Buffer footer;
  Status status = SerializeFileMetaData(metadata, &footer);
  if (!status.ok()) return status;
  const uint32_t length = static_cast<uint32_t>(footer.size());
  footer.Append(&length, sizeof(length));  // Little-endian on every platform Kiln builds for.
  footer.Append(kParquetMagic, sizeof(kParquetMagic));
  return file_->Append(View(footer));
}

Status ParquetWriter::Close() {
  if (closed_) return Status::InvalidArgument("ParquetWriter::Close called twice");
  closed_ = true;
  if (!error_.ok()) return error_;
  if (pending_rows_ > 0) error_ = FlushRowGroup();
  if (error_.ok()) error_ = WriteFooter();
  if (error_.ok()) error_ = file_->Commit();
  return error_;
}

Status WriteParquet(const std::string& path, const Table& table, const ParquetWriteOptions& options) {
  auto writer = ParquetWriter::Open(path, table.schema(), options);
  if (!writer.ok()) return writer.status();
  for (const RecordBatchPtr& batch : table.batches()) {
    Status status = (*writer)->Write(*batch);
    if (!status.ok()) return status;
  }
  return (*writer)->Close();
}

}  // namespace kiln::parquet
