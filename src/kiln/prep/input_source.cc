#include "kiln/prep/input_source.h"

#include <algorithm>
#include <filesystem>

namespace kiln::prep {

namespace fs = std::filesystem;

namespace {

// The read options for one piece of a file.
ReadOptions PieceOptions(const ReadOptions& options, const FilePiece& piece) {
  ReadOptions piece_options = options;
  piece_options.csv.range = piece_options.json.range = piece.range;
  return piece_options;
}

// Reads several files (or pieces of files) one after the other.
class FileSequenceReader : public BatchReader {
 public:
  FileSequenceReader(std::vector<FilePiece> files, FileFormat format, ReadOptions options,
                     std::unique_ptr<BatchReader> first)
      : files_(std::move(files)), format_(format), options_(std::move(options)), current_(std::move(first)) {
    schema_ = current_->schema();
  }

  const SchemaPtr& schema() const override { return schema_; }

  Status Next(RecordBatchPtr* batch) override {
    for (;;) {
      Status status = current_->Next(batch);
      if (!status.ok() || *batch != nullptr) return status;
      Add(current_->report());
      if (++file_index_ >= files_.size()) return Status::OK();
      auto next = OpenBatchReader(files_[file_index_].path, format_, PieceOptions(options_, files_[file_index_]));
      if (!next.ok()) return next.status();
      if (!(*(*next)->schema() == *schema_)) {
        return Status::InvalidArgument(files_[file_index_].path + ": schema " + (*next)->schema()->ToString() +
                                       " differs from the first file's " + schema_->ToString());
      }
      current_ = std::move(*next);
    }
  }

  ReadReport report() const override {
    ReadReport report = finished_;
    if (file_index_ < files_.size()) {
      ReadReport current = current_->report();
      report.rows_read += current.rows_read;
      report.rows_skipped += current.rows_skipped;
      for (auto& error : current.first_errors) report.first_errors.push_back(error);
    }
    return report;
  }

 private:
  void Add(const ReadReport& report) {
    finished_.rows_read += report.rows_read;
    finished_.rows_skipped += report.rows_skipped;
    for (const auto& error : report.first_errors) finished_.first_errors.push_back(error);
  }

  std::vector<FilePiece> files_;            // In read order.
  FileFormat format_;                       // Of every file.
  ReadOptions options_;                     // For every file.
  std::unique_ptr<BatchReader> current_;    // Reading files_[file_index_].
  size_t file_index_ = 0;                   // The file being read.
  SchemaPtr schema_;                        // Of the first file.
  ReadReport finished_;                     // Sum over the files done.
};

// A share with no rows: the schema of the input, and no batches.
class EmptyReader : public BatchReader {
 public:
  explicit EmptyReader(SchemaPtr schema) : schema_(std::move(schema)) {}
  const SchemaPtr& schema() const override { return schema_; }
  Status Next(RecordBatchPtr* batch) override {
    *batch = nullptr;
    return Status::OK();
  }
  ReadReport report() const override { return {}; }

 private:
  SchemaPtr schema_;  // Of the input's first file.
};

}  // namespace

Result<std::vector<std::string>> InputFiles(const std::string& path) {
  std::error_code error;
  if (!fs::exists(path, error)) return Status::NotFound(path + ": No such file or directory");
  if (!fs::is_directory(path, error)) return std::vector<std::string>{path};
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(path, error)) {
    std::string name = entry.path().filename().string();
    if (name.empty() || name[0] == '.' || name[0] == '_') continue;
    // Hive partitions (key=value/): the directory is one Parquet dataset.
    if (entry.is_directory()) return std::vector<std::string>{path};
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  if (error) return Status::IOError(path + ": " + error.message());
  if (files.empty()) return Status::NotFound(path + ": no input files in the directory");
  std::sort(files.begin(), files.end());
  return files;
}

Result<FileFormat> InputFormat(const InputSpec& spec, const std::vector<std::string>& files) {
  return spec.format.empty() ? FileFormatFromPath(files.front()) : ParseFileFormat(spec.format);
}

bool CanCutInsideFiles(FileFormat format, const ReadOptions& options) {
  bool text = format == FileFormat::kCsv || format == FileFormat::kTsv;
  return (text && !options.csv.quoted) || format == FileFormat::kJsonLines;
}

Result<std::vector<FilePiece>> InputPieces(const InputSpec& spec) {
  auto files = InputFiles(spec.path);
  if (!files.ok()) return files.status();
  if (spec.ranks <= 1) {
    std::vector<FilePiece> pieces;
    for (std::string& file : *files) pieces.push_back({std::move(file), ByteRange{}});
    return pieces;
  }
  auto format = InputFormat(spec, *files);
  if (!format.ok()) return format.status();
  return ShareOfInput(*files, CanCutInsideFiles(*format, spec.read), spec.rank, spec.ranks);
}

Result<std::unique_ptr<BatchReader>> OpenInput(const InputSpec& spec) {
  auto files = InputFiles(spec.path);
  if (!files.ok()) return files.status();
  auto format = InputFormat(spec, *files);
  if (!format.ok()) return format.status();
  auto pieces = InputPieces(spec);
  if (!pieces.ok()) return pieces.status();
  if (pieces->empty()) {
    auto first = OpenBatchReader(files->front(), *format, spec.read);
    if (!first.ok()) return first.status();
    return std::unique_ptr<BatchReader>(std::make_unique<EmptyReader>((*first)->schema()));
  }
  auto first = OpenBatchReader(pieces->front().path, *format, PieceOptions(spec.read, pieces->front()));
  if (!first.ok()) return first.status();
  if (pieces->size() == 1) return std::move(*first);
  return std::unique_ptr<BatchReader>(
      std::make_unique<FileSequenceReader>(std::move(*pieces), *format, spec.read, std::move(*first)));
}

}  // namespace kiln::prep
