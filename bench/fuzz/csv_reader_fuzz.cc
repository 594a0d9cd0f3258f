// Fuzzes the CSV reader end to end: chunking, quoting, inference and every
// value converter, under both error policies and with a tiny batch size so
// inputs cross chunk boundaries.
#include "kiln/core/thread_pool.h"
#include "kiln/io/csv_reader.h"
#include "text_reader_fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  // The first byte picks the options; the rest is the file.
  const uint8_t knobs = data[0];
  std::string path = kiln::fuzz::WriteScratchFile(data + 1, size - 1, ".csv");
  kiln::CsvOptions options;
  options.delimiter = (knobs & 1) ? '\t' : ',';
  options.header = (knobs & 2) != 0;
  options.quoted = (knobs & 4) != 0;
  options.on_error = (knobs & 8) ? kiln::OnError::kSkip : kiln::OnError::kError;
  options.batch_rows = (knobs & 16) ? 3 : 1000;
  options.infer_rows = (knobs & 32) ? 2 : 100;
  if (knobs & 64) options.hex32_columns = {"*"};
  if (knobs & 128) options = kiln::CriteoTsvOptions();
  // Strict hex (as prep reads it) with the bits that then matter least.
  options.strict_hex32 = (knobs & 128) && (knobs & 32);
  options.threads = 2;
  auto reader = kiln::CsvReader::Open(path, options);
  if (!reader.ok()) return 0;
  auto table = kiln::ReadAll(reader->get());
  (void)table;
  return 0;
}
