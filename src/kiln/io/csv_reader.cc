#include "kiln/io/csv_reader.h"

#include <algorithm>

#include "kiln/core/file.h"
#include "kiln/io/csv_inference.h"
#include "kiln/io/csv_tokenizer.h"
#include "kiln/io/read_report.h"

namespace kiln {

namespace {

constexpr int64_t kHeadBlockBytes = 1 << 20;  // Reads while looking at the head of the file.

Status ValidateOptions(const CsvOptions& options) {
  char d = options.delimiter;
  if (d == '"' || d == '\r' || d == '\n' || d == '\0') {
    return Status::InvalidArgument("CSV delimiter cannot be a quote, a line break or NUL");
  }
  if (options.batch_rows < 1) return Status::InvalidArgument("CSV batch_rows must be at least 1");
  if (options.infer_rows < 1) return Status::InvalidArgument("CSV infer_rows must be at least 1");
  if (options.threads < 0) return Status::InvalidArgument("CSV threads must be 0 (default) or more");
  if (options.quoted && !options.range.whole()) {
    return Status::InvalidArgument("a byte range of a CSV file needs quoting off (newlines in quotes are no row ends)");
  }
  return Status::OK();
}

// Offset of the first byte after a UTF-8 byte order mark, if the file has one.
Result<int64_t> TextStart(const std::string& path) {
  auto file = InputFile::Open(path);
  if (!file.ok()) return file.status();
  uint8_t head[3] = {0, 0, 0};
  int64_t read = 0;
  Status status = (*file)->ReadAt(0, 3, head, &read);
  if (!status.ok()) return status;
  return read == 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF ? 3 : 0;
}

// The first `rows` non-blank rows from `offset`, or a chunk with no bytes
// when there are none.
Result<TextChunk> ReadHead(const std::string& path, int64_t offset, int64_t rows, bool quoted) {
  RowChunkerOptions options;
  options.rows_per_chunk = rows;
  options.quoted = quoted;
  options.read_block_bytes = kHeadBlockBytes;
  auto chunker = RowChunker::Open(path, offset, options);
  if (!chunker.ok()) return chunker.status();
  TextChunk chunk;
  bool end = false;
  Status status = (*chunker)->Next(&chunk, &end);
  if (!status.ok()) return status;
  if (end) {
    chunk.bytes = std::make_shared<Buffer>();
    chunk.bytes->Reserve(1);  // Zeroed padding, like every chunk.
  }
  return chunk;
}

// The fields of the first non-blank row of `chunk`; empty when it has none.
Result<std::vector<std::string>> FirstRowFields(const TextChunk& chunk, const CsvOptions& options,
                                                const std::string& path) {
  const Buffer& bytes = *chunk.bytes;
  int64_t end = 0;
  auto fields = CsvTokenizer::SplitFirstRow(bytes.data(), bytes.size(), chunk.first_line, options.delimiter,
                                            options.quoted, path, &end);
  if (!fields.ok()) return fields.status();
  // A chunk of blank lines only yields one empty field; that is no row.
  bool blank = std::all_of(bytes.data(), bytes.data() + bytes.size(), [](uint8_t b) { return b == '\n' || b == '\r'; });
  if (blank) return std::vector<std::string>();
  return fields;
}

// Marks the columns parsed as hex; with `infer`, adopts uint32 for them.
Status ResolveHex32(const CsvOptions& options, const std::vector<CsvColumnGuess>& guesses, std::vector<Field>* fields,
                    std::vector<bool>* hex32) {
  hex32->assign(fields->size(), false);
  bool all = options.hex32_columns.size() == 1 && options.hex32_columns[0] == "*";
  for (size_t i = 0; i < fields->size(); ++i) {
    if (!all) continue;
    bool inferred_hex = !options.schema && i < guesses.size() && guesses[i].type == DataType::String() &&
                        guesses[i].all_hex32;
    bool declared_hex = options.schema && (*fields)[i].type == DataType::UInt32();
    (*hex32)[i] = inferred_hex || declared_hex;
  }
  if (all) {
    for (size_t i = 0; i < fields->size(); ++i) {
      if ((*hex32)[i]) (*fields)[i].type = DataType::UInt32();
    }
    return Status::OK();
  }
  for (const std::string& name : options.hex32_columns) {
    auto it = std::find_if(fields->begin(), fields->end(), [&](const Field& f) { return f.name == name; });
    if (it == fields->end()) return Status::NotFound("hex32 column '" + name + "' is not in the CSV columns");
    if (options.schema && it->type != DataType::UInt32()) {
      return Status::InvalidArgument("hex32 column '" + name + "' must be uint32 in the schema, not " +
                                     it->type.ToString());
    }
    it->type = DataType::UInt32();
    (*hex32)[it - fields->begin()] = true;
  }
  return Status::OK();
}

// How many columns the text has: from the schema, the names, the header or
// else the first data row.
Result<int> CountColumns(const CsvOptions& options, const std::vector<std::string>& header, const TextChunk& sample,
                         const std::string& path) {
  int count = 0;
  if (options.schema) {
    count = options.schema->num_fields();
  } else if (!options.column_names.empty()) {
    count = static_cast<int>(options.column_names.size());
  } else if (!header.empty()) {
    count = static_cast<int>(header.size());
  } else {
    auto first = FirstRowFields(sample, options, path);
    if (!first.ok()) return first.status();
    count = static_cast<int>(first->size());
  }
  if (count == 0) {
    return Status::InvalidArgument(path + ": the file is empty (no header and no rows); give a schema or column names");
  }
  if (!header.empty() && static_cast<int>(header.size()) != count) {
    return Status::InvalidArgument(path + ": the header has " + std::to_string(header.size()) + " fields but " +
                                   std::to_string(count) + " columns were given");
  }
  if (!options.column_names.empty() && static_cast<int>(options.column_names.size()) != count) {
    return Status::InvalidArgument(path + ": " + std::to_string(options.column_names.size()) +
                                   " column names given for " + std::to_string(count) + " columns");
  }
  return count;
}

// Names and types of the columns: the schema's, or the inferred ones named by
// column_names, the header or position.
std::vector<Field> MakeFields(const CsvOptions& options, const std::vector<std::string>& header,
                              const std::vector<CsvColumnGuess>& guesses, int num_columns) {
  std::vector<Field> fields;
  for (int i = 0; i < num_columns; ++i) {
    Field field = options.schema ? options.schema->field(i) : Field{"", guesses[i].type, true};
    if (!options.column_names.empty()) {
      field.name = options.column_names[i];
    } else if (!options.schema) {
      field.name = header.empty() ? "f" + std::to_string(i) : header[i];
    }
    fields.push_back(std::move(field));
  }
  return fields;
}

// Reads the header and sample rows and settles the columns. Sets
// *data_offset to the first byte after the header.
Result<std::shared_ptr<CsvParseSpec>> PlanColumns(const std::string& path, const CsvOptions& options,
                                                  int64_t* data_offset) {
  auto text_start = TextStart(path);
  if (!text_start.ok()) return text_start.status();
  *data_offset = *text_start;
  std::vector<std::string> header;
  if (options.header) {
    auto head = ReadHead(path, *text_start, 1, options.quoted);
    if (!head.ok()) return head.status();
    auto fields = FirstRowFields(*head, options, path);
    if (!fields.ok()) return fields.status();
    header = std::move(*fields);
    *data_offset += static_cast<int64_t>(head->bytes->size());
  }
  const bool infer = !options.schema.has_value();
  TextChunk sample;
  if (infer) {
    auto head = ReadHead(path, *data_offset, options.infer_rows, options.quoted);
    if (!head.ok()) return head.status();
    sample = std::move(*head);
  }
  auto num_columns = CountColumns(options, header, sample, path);
  if (!num_columns.ok()) return num_columns.status();
  std::vector<CsvColumnGuess> guesses;
  if (infer) guesses = InferCsvColumns(sample, *num_columns, options.delimiter, options.quoted, options.null_string);
  std::vector<Field> fields = MakeFields(options, header, guesses, *num_columns);

  auto spec = std::make_shared<CsvParseSpec>();
  Status status = ResolveHex32(options, guesses, &fields, &spec->hex32);
  if (!status.ok()) return status;
  spec->path = path;
  spec->schema = std::make_shared<const Schema>(std::move(fields));
  spec->delimiter = options.delimiter;
  spec->strict_hex32 = options.strict_hex32;
  spec->quoted = options.quoted;
  spec->null_string = options.null_string;
  spec->on_error = options.on_error;
  spec->max_rows = options.batch_rows;
  spec->max_errors_kept = options.max_skipped_errors_kept;
  // Parsing no rows checks every column's type now, rather than on the first chunk.
  TextChunk nothing{std::make_shared<Buffer>(), 0, 1};
  nothing.bytes->Reserve(1);
  auto probe = ParseCsvChunk(nothing, *spec);
  if (!probe.ok()) return probe.status();
  return spec;
}

}  // namespace

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path, CsvOptions options) {
  Status status = ValidateOptions(options);
  if (!status.ok()) return status;
  int64_t data_offset = 0;
  auto spec = PlanColumns(path, options, &data_offset);
  if (!spec.ok()) return spec.status();

  RowChunkerOptions chunker_options;
  chunker_options.rows_per_chunk = options.batch_rows;
  chunker_options.quoted = options.quoted;
  auto chunker = RowChunker::OpenRange(path, data_offset, options.range, chunker_options);
  if (!chunker.ok()) return chunker.status();

  std::unique_ptr<CsvReader> reader(new CsvReader());
  reader->path_ = path;
  reader->schema_ = (*spec)->schema;
  ChunkPipelineOptions pipeline_options;
  if (options.threads > 0) {
    reader->private_pool_ = std::make_unique<ThreadPool>(options.threads);
    pipeline_options.pool = reader->private_pool_.get();
  }
  if (options.show_progress) {
    reader->progress_ = std::make_unique<Progress>("reading " + path, (*chunker)->file_size(), Progress::Unit::kBytes);
    reader->progress_->Add(data_offset);
  }
  std::shared_ptr<const CsvParseSpec> shared_spec = std::move(*spec);
  reader->pipeline_ = std::make_unique<ChunkPipeline<CsvChunkResult>>(
      std::move(*chunker), [shared_spec](const TextChunk& chunk) { return ParseCsvChunk(chunk, *shared_spec); },
      pipeline_options);
  reader->options_ = std::move(options);
  return reader;
}

CsvReader::~CsvReader() {
  // The pipeline's tasks may run on the private pool: stop them first.
  pipeline_.reset();
}

Status CsvReader::Next(RecordBatchPtr* batch) {
  *batch = nullptr;
  while (!finished_) {
    CsvChunkResult chunk;
    bool end = false;
    Status status = pipeline_->Next(&chunk, &end);
    if (!status.ok()) return status;
    if (end) {
      Finish();
      break;
    }
    Account(chunk);
    if (chunk.batch->num_rows() > 0) {
      *batch = std::move(chunk.batch);
      return Status::OK();
    }
  }
  return Status::OK();
}

void CsvReader::Account(const CsvChunkResult& chunk) {
  if (progress_) progress_->Add(chunk.bytes);
  AddChunkToReport(chunk.batch->num_rows(), chunk.rows_skipped, chunk.errors, options_.max_skipped_errors_kept,
                   &report_);
}

void CsvReader::Finish() {
  finished_ = true;
  if (progress_) progress_->Finish();
  WarnAboutSkippedRows(path_, report_);
}

}  // namespace kiln
