#include "kiln/prep/dataset_writer.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>

namespace kiln::prep {

namespace fs = std::filesystem;

DatasetWriter::DatasetWriter(std::string directory, SchemaPtr schema, DatasetWriteOptions options,
                             DatasetShare share)
    : directory_(std::move(directory)), schema_(std::move(schema)), options_(options), share_(std::move(share)) {
  while (directory_.size() > 1 && directory_.back() == '/') directory_.pop_back();
  temp_directory_ = directory_ + ".tmp-" + (share_.run_id.empty() ? std::to_string(getpid()) : share_.run_id);
}

Result<std::unique_ptr<DatasetWriter>> DatasetWriter::Open(const std::string& directory, SchemaPtr schema,
                                                           DatasetWriteOptions options, DatasetShare share) {
  if (options.rows_per_part < 1) return Status::InvalidArgument("rows per part must be at least 1");
  bool publisher = share.publisher;
  std::unique_ptr<DatasetWriter> writer(new DatasetWriter(directory, std::move(schema), options, std::move(share)));
  if (publisher) {
    Status status = writer->CreateTemporaryDirectory();
    if (!status.ok()) return status;
  } else if (std::error_code error; !fs::is_directory(writer->temp_directory_, error)) {
    return Status::IOError(writer->temp_directory_ + ": the publishing rank has not created it");
  }
  return writer;
}

Status DatasetWriter::CreateTemporaryDirectory() {
  std::error_code error;
  if (fs::exists(directory_, error)) {
    if (!fs::is_directory(directory_, error)) return Status::InvalidArgument(directory_ + " exists and is not a directory");
    if (!fs::is_empty(directory_, error) && !options_.overwrite) {
      return Status::InvalidArgument(directory_ + " exists and is not empty (use --overwrite to replace it)");
    }
  }
  fs::remove_all(temp_directory_, error);
  if (!fs::create_directories(temp_directory_, error)) {
    return Status::IOError("cannot create " + temp_directory_ + ": " + error.message());
  }
  return Status::OK();
}

DatasetWriter::~DatasetWriter() {
  part_.reset();
  if (!committed_) {
    std::error_code error;
    fs::remove_all(temp_directory_, error);
  }
}

std::string DatasetWriter::PartPath(int index, bool staged) const {
  char name[64];
  std::snprintf(name, sizeof(name), "/part-%05d.%s", index, FileFormatName(options_.format));
  return temp_directory_ + (staged ? "/_rank" + std::to_string(share_.rank) + "-" + (name + 1) : std::string(name));
}

Status DatasetWriter::StartPart(bool staged) {
  auto part = OpenBatchWriter(PartPath(part_index_, staged), options_.format, schema_, options_.parts);
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
      Status status = StartPart(share_.rank >= 0);
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

Status DatasetWriter::FinishParts() {
  if (part_ == nullptr) return Status::OK();
  Status status = part_->Close();
  part_.reset();
  return status;
}

Status DatasetWriter::NumberParts(int first_part, int total_parts) {
  for (int i = 0; i < part_index_; ++i) {
    std::error_code error;
    fs::rename(PartPath(i, true), PartPath(first_part + i, false), error);
    if (error) return Status::IOError("cannot rename " + PartPath(i, true) + ": " + error.message());
  }
  total_parts_ = total_parts;
  return Status::OK();
}

Status DatasetWriter::Commit() {
  Status status = FinishParts();
  if (!status.ok()) return status;
  if (!share_.publisher) {
    committed_ = true;  // The publisher owns the directory from here.
    return Status::OK();
  }
  // An empty input still gets one (empty) part, so readers find the schema.
  if ((total_parts_ < 0 ? part_index_ : total_parts_) == 0 && options_.empty_part) {
    status = StartPart(false);
    if (status.ok()) status = FinishParts();
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
