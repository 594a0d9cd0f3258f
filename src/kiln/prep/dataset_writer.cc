#include "kiln/prep/dataset_writer.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>

namespace kiln::prep {

namespace fs = std::filesystem;

DatasetWriter::DatasetWriter(std::string directory, SchemaPtr schema, DatasetWriteOptions options)
    : directory_(std::move(directory)), schema_(std::move(schema)), options_(options) {
  while (directory_.size() > 1 && directory_.back() == '/') directory_.pop_back();
  temp_directory_ = directory_ + ".tmp-" + std::to_string(getpid());
}

Result<std::unique_ptr<DatasetWriter>> DatasetWriter::Open(const std::string& directory, SchemaPtr schema,
                                                           DatasetWriteOptions options) {
  if (options.rows_per_part < 1) return Status::InvalidArgument("rows per part must be at least 1");
  std::unique_ptr<DatasetWriter> writer(new DatasetWriter(directory, std::move(schema), options));
  std::error_code error;
  if (fs::exists(writer->directory_, error)) {
    if (!fs::is_directory(writer->directory_, error)) {
      return Status::InvalidArgument(writer->directory_ + " exists and is not a directory");
    }
    if (!fs::is_empty(writer->directory_, error) && !options.overwrite) {
      return Status::InvalidArgument(writer->directory_ + " exists and is not empty (use --overwrite to replace it)");
    }
  }
  fs::remove_all(writer->temp_directory_, error);
  if (!fs::create_directories(writer->temp_directory_, error)) {
    return Status::IOError("cannot create " + writer->temp_directory_ + ": " + error.message());
  }
  return writer;
}

DatasetWriter::~DatasetWriter() {
  part_.reset();
  if (!committed_) {
    std::error_code error;
    fs::remove_all(temp_directory_, error);
  }
}

Status DatasetWriter::StartPart() {
  char name[64];
  std::snprintf(name, sizeof(name), "/part-%05d.%s", part_index_, FileFormatName(options_.format));
  auto part = OpenBatchWriter(temp_directory_ + name, options_.format, schema_, options_.parts);
  if (!part.ok()) return part.status();
  part_ = std::move(*part);
  part_rows_ = 0;
  ++part_index_;
  return Status::OK();
}

Status DatasetWriter::Write(const RecordBatch& batch) {
  int64_t offset = 0;
  while (offset < batch.num_rows()) {
    if (part_ == nullptr) {
      Status status = StartPart();
      if (!status.ok()) return status;
    }
    int64_t take = std::min(batch.num_rows() - offset, options_.rows_per_part - part_rows_);
    Status status = take == batch.num_rows() ? part_->Write(batch) : part_->Write(*batch.Slice(offset, take));
    if (!status.ok()) return status;
    offset += take;
    part_rows_ += take;
    rows_written_ += take;
    if (part_rows_ == options_.rows_per_part) {
      status = part_->Close();
      part_.reset();
      if (!status.ok()) return status;
    }
  }
  return Status::OK();
}

Result<std::string> DatasetWriter::StateDirectory() {
  std::string path = temp_directory_ + "/_state";
  std::error_code error;
  fs::create_directories(path, error);
  if (error) return Status::IOError("cannot create " + path + ": " + error.message());
  return path;
}

Status DatasetWriter::Commit() {
  // An empty input still gets one (empty) part, so readers find the schema.
  if (part_ == nullptr && part_index_ == 0 && options_.empty_part) {
    Status status = StartPart();
    if (!status.ok()) return status;
  }
  if (part_ != nullptr) {
    Status status = part_->Close();
    part_.reset();
    if (!status.ok()) return status;
  }
  std::error_code error;
  std::string old_directory = directory_ + ".old-" + std::to_string(getpid());
  bool replacing = fs::exists(directory_, error);
  if (replacing) {
    fs::rename(directory_, old_directory, error);
    if (error) return Status::IOError("cannot move " + directory_ + " aside: " + error.message());
  }
  fs::rename(temp_directory_, directory_, error);
  if (error) return Status::IOError("cannot rename " + temp_directory_ + " to " + directory_ + ": " + error.message());
  committed_ = true;
  if (replacing) fs::remove_all(old_directory, error);
  return Status::OK();
}

}  // namespace kiln::prep
