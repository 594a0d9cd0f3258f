// kiln convert: any supported format to any other, streaming batch by batch.
#include <chrono>
#include <cstdio>

#include "cli/command.h"
#include "cli/input_flags.h"
#include "kiln/core/logging.h"
#include "kiln/parquet/codec.h"

namespace kiln::cli {

namespace {

struct ConvertFlags {
  std::string in;
  std::string out;
  std::string to;                 // Output format; empty: from the extension.
  std::string out_null;           // CSV text written for nulls.
  bool out_no_header = false;     // CSV/TSV output without a header line.
  std::string compression = "zstd";  // Parquet codec.
  int64_t row_group_size = 0;     // Parquet rows per row group; 0: the writer's default.
  InputFlags input;
};

Status RunConvert(const ConvertFlags& flags) {
  auto start = std::chrono::steady_clock::now();
  FileFormat in_format;
  ReadOptions read_options;
  Status status = ResolveInput(flags.input, flags.in, &in_format, &read_options);
  if (!status.ok()) return status;
  read_options.csv.show_progress = read_options.json.show_progress = true;
  auto out_format = flags.to.empty() ? FileFormatFromPath(flags.out) : ParseFileFormat(flags.to);
  if (!out_format.ok()) return out_format.status();

  auto reader = OpenBatchReader(flags.in, in_format, read_options);
  if (!reader.ok()) return reader.status();
  WriteOptions write_options;
  write_options.csv.header = !flags.out_no_header;
  write_options.csv.null_string = flags.out_null;
  auto codec = parquet::ParseCodecName(flags.compression);
  if (!codec.ok()) return codec.status().WithContext("--compression");
  write_options.parquet.codec = *codec;
  if (flags.row_group_size > 0) write_options.parquet.row_group_rows = flags.row_group_size;
  auto writer = OpenBatchWriter(flags.out, *out_format, (*reader)->schema(), write_options);
  if (!writer.ok()) return writer.status();
  for (;;) {
    RecordBatchPtr batch;
    status = (*reader)->Next(&batch);
    if (!status.ok()) return status;
    if (batch == nullptr) break;
    status = (*writer)->Write(*batch);
    if (!status.ok()) return status;
  }
  status = (*writer)->Close();
  if (!status.ok()) return status;
  ReadReport report = (*reader)->report();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  LogInfo("converted " + flags.in + " (" + FileFormatName(in_format) + ") to " + flags.out + " (" +
          FileFormatName(*out_format) + "): " + std::to_string(report.rows_read) + " rows" +
          (report.rows_skipped ? ", " + std::to_string(report.rows_skipped) + " malformed rows skipped" : "") +
          " in " + std::to_string(seconds).substr(0, 5) + " s");
  return Status::OK();
}

}  // namespace

void AddConvertCommand(CLI::App* app, Action* action) {
  CLI::App* convert = app->add_subcommand("convert", "Convert between CSV, TSV, JSON Lines and Parquet");
  auto flags = std::make_shared<ConvertFlags>();
  convert->add_option("in", flags->in, "Input file")->required();
  convert->add_option("out", flags->out, "Output file (written under a temporary name, then renamed)")->required();
  convert->add_option("--to", flags->to, "Output format: csv, tsv, jsonl or parquet (default: from the extension)");
  convert->add_option("--compression", flags->compression,
                      "Parquet codec: zstd, snappy, gzip, lz4_raw, brotli or uncompressed");
  convert->add_option("--row-group-size", flags->row_group_size, "Parquet rows per row group")
      ->check(CLI::PositiveNumber);
  convert->add_option("--out-null", flags->out_null, "CSV text written for nulls (default: empty)");
  convert->add_flag("--out-no-header", flags->out_no_header, "Write CSV/TSV without a header line");
  AddInputFlags(convert, &flags->input);
  convert->callback([action, flags] { *action = [flags] { return RunConvert(*flags); }; });
}

}  // namespace kiln::cli
