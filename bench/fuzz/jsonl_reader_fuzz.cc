// Fuzzes the JSON Lines reader end to end: schema inference, simdjson
// parsing, every value conversion and row rollback under the skip policy.
#include "kiln/io/json_reader.h"
#include "text_reader_fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t knobs = data[0];
  std::string path = kiln::fuzz::WriteScratchFile(data + 1, size - 1, ".jsonl");
  kiln::JsonLinesOptions options;
  options.on_error = (knobs & 1) ? kiln::OnError::kSkip : kiln::OnError::kError;
  options.batch_rows = (knobs & 2) ? 2 : 1000;
  options.infer_rows = (knobs & 4) ? 1 : 100;
  options.ignore_unknown_keys = (knobs & 8) != 0;
  if (knobs & 16) {
    auto schema = kiln::Schema::Parse("a:int32,b:float32,c:string,d:date32,e:timestamp,f:decimal(9,2),"
                                      "g:list<int64>,h:bool,i:uint64,j:list<string>");
    if (schema.ok()) options.schema = *schema;
  }
  auto reader = kiln::JsonLinesReader::Open(path, options);
  if (!reader.ok()) return 0;
  auto table = kiln::ReadAll(reader->get());
  (void)table;
  return 0;
}
