#include "kiln/io/json_reader.h"

#include <algorithm>

#include "kiln/io/json_schema_inference.h"
#include "kiln/io/read_report.h"

namespace kiln {

namespace {

// The schema from the first `infer_rows` lines of the file.
Result<Schema> InferFromHead(const std::string& path, int64_t infer_rows) {
  RowChunkerOptions options;
  options.rows_per_chunk = std::max<int64_t>(infer_rows, 1);
  auto chunker = RowChunker::Open(path, 0, options);
  if (!chunker.ok()) return chunker.status();
  TextChunk head;
  bool end = false;
  Status status = (*chunker)->Next(&head, &end);
  if (!status.ok()) return status;
  if (end) return Status::InvalidArgument(path + ": the file is empty; give a schema to read it");
  return InferJsonLinesSchema(*head.bytes, head.first_line, infer_rows, path);
}

}  // namespace

Result<std::unique_ptr<JsonLinesReader>> JsonLinesReader::Open(const std::string& path, JsonLinesOptions options) {
  std::unique_ptr<JsonLinesReader> reader(new JsonLinesReader());
  reader->path_ = path;
  if (options.schema) {
    reader->schema_ = std::make_shared<const Schema>(*options.schema);
  } else {
    auto inferred = InferFromHead(path, options.infer_rows);
    if (!inferred.ok()) return inferred.status();
    reader->schema_ = std::make_shared<const Schema>(std::move(*inferred));
  }
  RowChunkerOptions chunking;
  chunking.rows_per_chunk = std::max<int64_t>(options.batch_rows, 1);
  auto chunker = RowChunker::OpenRange(path, 0, options.range, chunking);
  if (!chunker.ok()) return chunker.status();
  if (options.show_progress) {
    reader->progress_ = std::make_unique<Progress>("reading " + path, (*chunker)->file_size(), Progress::Unit::kBytes);
  }
  SchemaPtr schema = reader->schema_;
  reader->pipeline_ = std::make_unique<ChunkPipeline<JsonChunkResult>>(
      std::move(*chunker), [schema, options, path](const TextChunk& chunk) {
        return ParseJsonLinesChunk(*chunk.bytes, chunk.first_line, schema, options, path);
      });
  reader->options_ = std::move(options);
  return reader;
}

Status JsonLinesReader::Next(RecordBatchPtr* batch) {
  *batch = nullptr;
  while (!finished_) {
    JsonChunkResult chunk;
    bool end = false;
    Status status = pipeline_->Next(&chunk, &end);
    if (!status.ok()) return status;
    if (end) {
      finished_ = true;
      if (progress_) progress_->Finish();
      WarnAboutSkippedRows(path_, report_);
      break;
    }
    if (progress_) {
      int64_t consumed = pipeline_->chunker().bytes_consumed();
      progress_->Add(consumed - bytes_reported_);
      bytes_reported_ = consumed;
    }
    AddChunkToReport(chunk.batch->num_rows(), chunk.rows_skipped, chunk.errors, options_.max_skipped_errors_kept,
                     &report_);
    if (chunk.batch->num_rows() > 0) {
      *batch = std::move(chunk.batch);
      return Status::OK();
    }
  }
  return Status::OK();
}

}  // namespace kiln
