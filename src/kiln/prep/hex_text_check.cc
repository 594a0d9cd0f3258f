#include "kiln/prep/hex_text_check.h"

#include <algorithm>
#include <cstring>
#include <limits>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "kiln/core/file.h"
#include "kiln/core/thread_pool.h"

namespace kiln::prep {

namespace {

constexpr int64_t kRangeBytes = 16 << 20;  // Bytes of the file per task.
constexpr int64_t kBlockBytes = 4 << 20;   // Bytes per read within a range.
constexpr int kPadding = 16;               // Zero bytes after a block, so 8-byte loads never run off it.
constexpr uint64_t kHigh = 0x8080808080808080ULL;

// Bit 7 of each byte is set where that byte of `bytes` is >= `low`.
// REQUIRES: every byte of `bytes` is below 0x80 (so nothing carries).
inline uint64_t BytesAtLeast(uint64_t bytes, uint8_t low) { return bytes + 0x0101010101010101ULL * (0x80 - low); }

// Eight bytes that are all '0'-'9' or 'a'-'f'.
inline bool LowerHex8(const char* text) {
  uint64_t word;
  std::memcpy(&word, text, 8);
  if (word & kHigh) return false;
  uint64_t digit = BytesAtLeast(word, '0') & ~BytesAtLeast(word, '9' + 1);
  uint64_t letter = BytesAtLeast(word, 'a') & ~BytesAtLeast(word, 'f' + 1);
  return ((digit | letter) & kHigh) == kHigh;
}

struct LineShape {
  std::vector<bool> is_hex;  // Per field.
  char delimiter;
};

// Offsets of the delimiters in [begin, end), at most `max` of them; returns
// how many there are, or max + 1 when there are more.
// REQUIRES: 16 bytes from any position before `end` are readable.
int FindDelimiters(const char* begin, const char* end, char delimiter, int32_t* out, int max) {
  int count = 0;
#ifdef __SSE2__
  const __m128i wanted = _mm_set1_epi8(delimiter);
  for (const char* p = begin; p < end; p += 16) {
    __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    uint32_t mask = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, wanted)));
    if (end - p < 16) mask &= (1u << (end - p)) - 1;
    for (; mask != 0; mask &= mask - 1) {
      if (count == max) return max + 1;
      out[count++] = static_cast<int32_t>(p - begin) + __builtin_ctz(mask);
    }
  }
#else
  for (const char* p = begin; p < end; ++p) {
    if (*p != delimiter) continue;
    if (count == max) return max + 1;
    out[count++] = static_cast<int32_t>(p - begin);
  }
#endif
  return count;
}

// Checks one line [begin, end) (no line break). Returns the index of the
// first non-canonical hex field, -1 when all are canonical, and also -1 when
// the line has the wrong number of fields (the reader reports those).
int CheckLine(const char* begin, const char* end, const LineShape& shape, std::vector<int32_t>* delimiters) {
  if (end > begin && end[-1] == '\r') --end;
  const int fields = static_cast<int>(shape.is_hex.size());
  int32_t* at = delimiters->data();
  if (FindDelimiters(begin, end, shape.delimiter, at, fields - 1) != fields - 1) return -1;
  const int32_t length = static_cast<int32_t>(end - begin);
  for (int field = 0; field < fields; ++field) {
    if (!shape.is_hex[field]) continue;
    int32_t start = field == 0 ? 0 : at[field - 1] + 1;
    int32_t stop = field == fields - 1 ? length : at[field];
    if (stop == start) continue;
    if (stop - start != 8 || !LowerHex8(begin + start)) return field;
  }
  return -1;
}

struct Violation {
  int64_t offset = std::numeric_limits<int64_t>::max();  // File offset of the line.
  int field = -1;
  std::string text;  // The field's text.
};

// Checks the lines that start in [begin, end) of `file` (a line that starts
// before `begin` belongs to the previous range). Stops at the first violation.
Status CheckRange(const InputFile& file, int64_t begin, int64_t end, bool skip_first_line, const LineShape& shape,
                  Violation* violation) {
  std::vector<char> buffer;
  int64_t offset = begin > 0 ? begin - 1 : 0;  // Read one byte early to see whether `begin` starts a line.
  bool at_line_start = begin == 0 && !skip_first_line;
  std::string carry;  // A line cut by the end of a block.
  std::vector<int32_t> delimiters(shape.is_hex.size());
  while (offset < file.size()) {
    int64_t length = std::min<int64_t>(kBlockBytes, file.size() - offset);
    buffer.assign(carry.size() + length + kPadding, 0);
    std::memcpy(buffer.data(), carry.data(), carry.size());
    Status status = file.ReadExactly(offset, length, buffer.data() + carry.size());
    if (!status.ok()) return status;
    int64_t base = offset - static_cast<int64_t>(carry.size());  // File offset of buffer[0].
    const char* data = buffer.data();
    const char* stop = data + carry.size() + length;
    const char* line = data;
    offset += length;
    bool last_block = offset >= file.size();
    for (;;) {
      const char* newline = static_cast<const char*>(std::memchr(line, '\n', stop - line));
      if (newline == nullptr && !last_block) break;
      const char* line_end = newline ? newline : stop;
      int64_t line_offset = base + (line - data);
      if (at_line_start) {
        if (line_offset >= end) return Status::OK();
        int field = CheckLine(line, line_end, shape, &delimiters);
        if (field >= 0) {
          violation->offset = line_offset;
          violation->field = field;
          const char* p = line;
          for (int f = 0; f < field; ++f) p = static_cast<const char*>(std::memchr(p, shape.delimiter, line_end - p)) + 1;
          const char* q = p;
          while (q < line_end && *q != shape.delimiter && *q != '\r') ++q;
          violation->text.assign(p, q);
          return Status::OK();
        }
      }
      at_line_start = true;
      if (newline == nullptr) return Status::OK();
      line = newline + 1;
    }
    carry.assign(line, stop);
  }
  return Status::OK();
}

Result<int64_t> LineNumber(const InputFile& file, int64_t offset) {
  std::vector<char> buffer(kBlockBytes);
  int64_t line = 1;
  for (int64_t at = 0; at < offset;) {
    int64_t length = std::min<int64_t>(kBlockBytes, offset - at);
    Status status = file.ReadExactly(at, length, buffer.data());
    if (!status.ok()) return status;
    line += std::count(buffer.data(), buffer.data() + length, '\n');
    at += length;
  }
  return line;
}

Status CheckFile(const std::string& path, const CsvOptions& options, const LineShape& shape, std::string* message) {
  auto file = InputFile::Open(path);
  if (!file.ok()) return file.status();
  // Only the lines that start in options.range (the whole file by default).
  const int64_t first = std::min(options.range.begin, (*file)->size());
  const int64_t last = options.range.end < 0 ? (*file)->size() : std::min(options.range.end, (*file)->size());
  int64_t ranges = std::max<int64_t>(1, (last - first + kRangeBytes - 1) / kRangeBytes);
  std::vector<Violation> found(ranges);
  std::vector<Status> statuses(ranges);
  ThreadPool::Default().ParallelFor(ranges, [&](int64_t i) {
    int64_t begin = first + i * kRangeBytes;
    statuses[i] = CheckRange(**file, begin, std::min(begin + kRangeBytes, last), begin == 0 && options.header, shape,
                             &found[i]);
  });
  for (int64_t i = 0; i < ranges; ++i) {
    if (!statuses[i].ok()) return statuses[i];
    if (found[i].field < 0) continue;
    auto line = LineNumber(**file, found[i].offset);
    if (!line.ok()) return line.status();
    *message = path + ":" + std::to_string(*line) + ": column '" + options.schema->field(found[i].field).name +
               "' holds '" + found[i].text + "'";
    return Status::OK();
  }
  return Status::OK();
}

}  // namespace

Status CheckHexText(const std::vector<std::string>& files, const CsvOptions& options, std::string* violation) {
  violation->clear();
  const Schema& schema = *options.schema;
  LineShape shape{std::vector<bool>(schema.num_fields(), false), options.delimiter};
  bool any = false;
  for (const std::string& name : options.hex32_columns) {
    for (int i = 0; i < schema.num_fields(); ++i) {
      bool listed = name == "*" ? schema.field(i).type.id() == TypeId::kUInt32 : schema.field(i).name == name;
      if (listed) shape.is_hex[i] = any = true;
    }
  }
  if (!any) return Status::OK();
  for (const std::string& file : files) {
    Status status = CheckFile(file, options, shape, violation);
    if (!status.ok() || !violation->empty()) return status;
  }
  return Status::OK();
}

}  // namespace kiln::prep
