#include "kiln/io/formats.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "kiln/io/csv_reader.h"
#include "kiln/io/dlrm_binary.h"
#include "kiln/io/json_reader.h"
#include "kiln/io/json_writer.h"
#include "kiln/parquet/dataset.h"

namespace kiln {

namespace {

std::string Lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}


}  // namespace

const char* FileFormatName(FileFormat format) {
  switch (format) {
    case FileFormat::kCsv: return "csv";
    case FileFormat::kTsv: return "tsv";
    case FileFormat::kJsonLines: return "jsonl";
    case FileFormat::kParquet: return "parquet";
    case FileFormat::kDlrm: return "dlrm";
  }
  return "unknown";
}

Result<FileFormat> ParseFileFormat(const std::string& name) {
  std::string lower = Lowercase(name);
  if (lower == "csv") return FileFormat::kCsv;
  if (lower == "tsv") return FileFormat::kTsv;
  if (lower == "jsonl" || lower == "json" || lower == "ndjson") return FileFormat::kJsonLines;
  if (lower == "parquet" || lower == "pq") return FileFormat::kParquet;
  if (lower == "dlrm") return FileFormat::kDlrm;
  return Status::InvalidArgument("unknown format '" + name + "' (expected csv, tsv, jsonl, parquet or dlrm)");
}

Result<FileFormat> FileFormatFromPath(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) return FileFormat::kParquet;
  size_t dot = path.find_last_of('.');
  size_t slash = path.find_last_of('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
    return Status::InvalidArgument(path + ": no file extension to tell the format from; use --format");
  }
  std::string extension = Lowercase(path.substr(dot + 1));
  if (extension == "tab") return FileFormat::kTsv;
  auto format = ParseFileFormat(extension);
  if (!format.ok()) {
    return Status::InvalidArgument(path + ": unknown extension '." + extension + "'; use --format csv|tsv|jsonl|dlrm");
  }
  return format;
}

Result<std::unique_ptr<BatchReader>> OpenBatchReader(const std::string& path, FileFormat format,
                                                     const ReadOptions& options) {
  if (format == FileFormat::kParquet) return parquet::OpenParquet(path, options.parquet);
  if (format == FileFormat::kDlrm) {
    auto reader = DlrmBinaryReader::Open(path);
    if (!reader.ok()) return reader.status();
    return std::unique_ptr<BatchReader>(std::move(*reader));
  }
  if (format == FileFormat::kJsonLines) {
    auto reader = JsonLinesReader::Open(path, options.json);
    if (!reader.ok()) return reader.status();
    return std::unique_ptr<BatchReader>(std::move(*reader));
  }
  CsvOptions csv = options.csv;
  if (format == FileFormat::kTsv) csv.delimiter = '\t';
  auto reader = CsvReader::Open(path, std::move(csv));
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<BatchReader>(std::move(*reader));
}

Result<std::unique_ptr<BatchWriter>> OpenBatchWriter(const std::string& path, FileFormat format, SchemaPtr schema,
                                                     const WriteOptions& options) {
  if (format == FileFormat::kParquet) {
    auto writer = parquet::ParquetWriter::Open(path, std::move(schema), options.parquet);
    if (!writer.ok()) return writer.status();
    return std::unique_ptr<BatchWriter>(std::move(*writer));
  }
  if (format == FileFormat::kDlrm) {
    auto writer = DlrmBinaryWriter::Open(path, std::move(schema));
    if (!writer.ok()) return writer.status();
    return std::unique_ptr<BatchWriter>(std::move(*writer));
  }
  if (format == FileFormat::kJsonLines) {
    auto writer = JsonLinesWriter::Open(path, std::move(schema));
    if (!writer.ok()) return writer.status();
    return std::unique_ptr<BatchWriter>(std::move(*writer));
  }
  CsvWriteOptions csv = options.csv;
  if (format == FileFormat::kTsv) csv.delimiter = '\t';
  auto writer = CsvWriter::Open(path, std::move(schema), std::move(csv));
  if (!writer.ok()) return writer.status();
  return std::unique_ptr<BatchWriter>(std::move(*writer));
}

}  // namespace kiln
