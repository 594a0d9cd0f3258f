// Fuzzes what the data connector parses from untrusted sources: a server's
// HTML directory index (the links that become dataset files) and DLRM
// binary files of any size and content, read through the format hub.
#include "kiln/data/remote_store.h"
#include "kiln/io/formats.h"
#include "text_reader_fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> links = kiln::data::DataFileLinks(text, "http://127.0.0.1/d/");
  for (const std::string& link : links) {
    if (link.rfind("http://127.0.0.1/d/", 0) != 0) __builtin_trap();  // Links stay under the base.
  }
  std::string path = kiln::fuzz::WriteScratchFile(data, size, ".dlrm");
  auto reader = kiln::OpenBatchReader(path, kiln::FileFormat::kDlrm, {});
  if (!reader.ok()) return 0;
  auto table = kiln::ReadAll(reader->get());
  (void)table;
  return 0;
}
