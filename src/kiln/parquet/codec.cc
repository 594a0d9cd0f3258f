#include "kiln/parquet/codec.h"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <lz4.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <cctype>
#include <climits>
#include <cstring>
#include <memory>

namespace kiln::parquet {

namespace {

// Pages never reach 2 GiB (sizes are i32 in the page header), and every
// library below takes int or unsigned int sizes.
constexpr size_t kMaxPageBytes = INT32_MAX;

// Libraries may dereference an output pointer even for zero bytes.
uint8_t* NonNull(uint8_t* out) {
  static uint8_t dummy;
  return out != nullptr ? out : &dummy;
}

Status SizeMismatch(Codec codec, size_t produced, size_t expected) {
  return Status::Corruption(CodecName(codec) + " page decompressed to " + std::to_string(produced) +
                            " bytes, the header says " + std::to_string(expected));
}

Status Malformed(Codec codec, const std::string& detail) {
  return Status::Corruption("malformed " + CodecName(codec) + " data: " + detail);
}

uint32_t LoadBigEndian32(const uint8_t* in) {
  return (uint32_t{in[0]} << 24) | (uint32_t{in[1]} << 16) | (uint32_t{in[2]} << 8) | uint32_t{in[3]};
}

void StoreBigEndian32(uint32_t value, uint8_t* out) {
  out[0] = static_cast<uint8_t>(value >> 24);
  out[1] = static_cast<uint8_t>(value >> 16);
  out[2] = static_cast<uint8_t>(value >> 8);
  out[3] = static_cast<uint8_t>(value);
}

// ZSTD contexts are large; one per thread is reused across pages.
struct ZstdContexts {
  ZSTD_DCtx* decompress = ZSTD_createDCtx();
  ZSTD_CCtx* compress = ZSTD_createCCtx();
  ~ZstdContexts() {
    ZSTD_freeDCtx(decompress);
    ZSTD_freeCCtx(compress);
  }
};
ZstdContexts& ThreadZstd() {
  thread_local ZstdContexts contexts;
  return contexts;
}

// ----------------------------------------------------------------------------
// Decompression.

Status DecompressSnappy(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size) {
  const char* input = reinterpret_cast<const char*>(in);
  size_t length = 0;
  if (!snappy::GetUncompressedLength(input, in_size, &length)) {
    return Malformed(format::CompressionCodec::SNAPPY, "bad length preamble");
  }
  if (length != out_size) return SizeMismatch(format::CompressionCodec::SNAPPY, length, out_size);
  if (!snappy::RawUncompress(input, in_size, reinterpret_cast<char*>(NonNull(out)))) {
    return Malformed(format::CompressionCodec::SNAPPY, "corrupt block");
  }
  return Status::OK();
}

// Inflates one or more concatenated gzip (or zlib) members.
Status DecompressGzip(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size) {
  const Codec codec = format::CompressionCodec::GZIP;
  z_stream stream{};
  // 32 + MAX_WBITS: detect gzip or zlib headers.
  if (inflateInit2(&stream, 32 + MAX_WBITS) != Z_OK) return Status::Internal("inflateInit2 failed");
  stream.next_in = const_cast<Bytef*>(in);
  stream.avail_in = static_cast<uInt>(in_size);
  stream.next_out = NonNull(out);
  stream.avail_out = static_cast<uInt>(out_size);
  Status status;
  while (true) {
    int result = inflate(&stream, Z_NO_FLUSH);
    if (result == Z_STREAM_END) {
      if (stream.avail_in == 0) break;
      inflateReset(&stream);  // Another member follows.
      continue;
    }
    if (result == Z_OK) continue;  // Progress was made; inflate reports when none is possible.
    if (result == Z_BUF_ERROR && stream.avail_out == 0) {
      status = Malformed(codec, "output is larger than the " + std::to_string(out_size) + " bytes in the header");
    } else if (result == Z_BUF_ERROR) {
      status = Malformed(codec, "input ends inside a member");
    } else {
      status = Malformed(codec, stream.msg != nullptr ? stream.msg : "inflate error " + std::to_string(result));
    }
    break;
  }
  size_t produced = out_size - stream.avail_out;
  inflateEnd(&stream);
  if (!status.ok()) return status;
  if (produced != out_size) return SizeMismatch(codec, produced, out_size);
  return Status::OK();
}

Status DecompressZstd(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size) {
  size_t result = ZSTD_decompressDCtx(ThreadZstd().decompress, NonNull(out), out_size, in, in_size);
  if (ZSTD_isError(result)) return Malformed(format::CompressionCodec::ZSTD, ZSTD_getErrorName(result));
  if (result != out_size) return SizeMismatch(format::CompressionCodec::ZSTD, result, out_size);
  return Status::OK();
}

Status DecompressLz4Raw(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size) {
  int result = LZ4_decompress_safe(reinterpret_cast<const char*>(in), reinterpret_cast<char*>(NonNull(out)),
                                   static_cast<int>(in_size), static_cast<int>(out_size));
  if (result < 0) return Malformed(format::CompressionCodec::LZ4_RAW, "corrupt block");
  if (static_cast<size_t>(result) != out_size) {
    return SizeMismatch(format::CompressionCodec::LZ4_RAW, result, out_size);
  }
  return Status::OK();
}

// Hadoop's block framing: each block is a big-endian uncompressed length and
// then chunks of (big-endian compressed length, LZ4 block) that add up to it.
bool TryDecompressHadoopLz4(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size) {
  size_t in_pos = 0;
  size_t out_pos = 0;
  while (in_pos < in_size) {
    if (in_size - in_pos < 4) return false;
    size_t block_end = out_pos + LoadBigEndian32(in + in_pos);
    in_pos += 4;
    if (block_end > out_size) return false;
    while (out_pos < block_end) {
      if (in_size - in_pos < 4) return false;
      size_t chunk_size = LoadBigEndian32(in + in_pos);
      in_pos += 4;
      if (chunk_size > in_size - in_pos) return false;
      int result = LZ4_decompress_safe(reinterpret_cast<const char*>(in + in_pos),
                                       reinterpret_cast<char*>(out + out_pos), static_cast<int>(chunk_size),
                                       static_cast<int>(block_end - out_pos));
      if (result <= 0) return false;
      in_pos += chunk_size;
      out_pos += result;
    }
  }
  return out_pos == out_size;
}

Status DecompressLz4Hadoop(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size) {
  if (out_size > 0 && TryDecompressHadoopLz4(in, in_size, out, out_size)) return Status::OK();
  Status status = DecompressLz4Raw(in, in_size, out, out_size);
  if (!status.ok()) return Malformed(format::CompressionCodec::LZ4, "neither Hadoop-framed nor a raw LZ4 block");
  return status;
}

Status DecompressBrotli(const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size) {
  size_t decoded = out_size;
  BrotliDecoderResult result = BrotliDecoderDecompress(in_size, in, &decoded, NonNull(out));
  if (result != BROTLI_DECODER_RESULT_SUCCESS) {
    return Malformed(format::CompressionCodec::BROTLI, "corrupt or larger than the header says");
  }
  if (decoded != out_size) return SizeMismatch(format::CompressionCodec::BROTLI, decoded, out_size);
  return Status::OK();
}

// ----------------------------------------------------------------------------
// Compression. Each appends to `out`, sizing it by the codec's worst case.

Status CompressSnappy(const uint8_t* in, size_t size, Buffer* out) {
  size_t start = out->size();
  out->Resize(start + snappy::MaxCompressedLength(size));
  size_t written = 0;
  snappy::RawCompress(reinterpret_cast<const char*>(in), size, reinterpret_cast<char*>(out->data() + start),
                      &written);
  out->Resize(start + written);
  return Status::OK();
}

Status CompressGzip(const uint8_t* in, size_t size, Buffer* out, int level) {
  z_stream stream{};
  if (level == kDefaultCompressionLevel) level = 6;
  // 16 + MAX_WBITS: write a gzip header and trailer, as the format requires.
  if (deflateInit2(&stream, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::InvalidArgument("invalid GZIP level " + std::to_string(level));
  }
  size_t start = out->size();
  size_t bound = deflateBound(&stream, static_cast<uLong>(size));
  out->Resize(start + bound);
  stream.next_in = const_cast<Bytef*>(in);
  stream.avail_in = static_cast<uInt>(size);
  stream.next_out = out->data() + start;
  stream.avail_out = static_cast<uInt>(bound);
  int result = deflate(&stream, Z_FINISH);
  size_t written = bound - stream.avail_out;
  deflateEnd(&stream);
  if (result != Z_STREAM_END) {
    out->Resize(start);
    return Status::Internal("deflate did not finish: " + std::to_string(result));
  }
  out->Resize(start + written);
  return Status::OK();
}

Status CompressZstd(const uint8_t* in, size_t size, Buffer* out, int level) {
  if (level == kDefaultCompressionLevel) level = ZSTD_CLEVEL_DEFAULT;
  size_t start = out->size();
  size_t bound = ZSTD_compressBound(size);
  out->Resize(start + bound);
  size_t result = ZSTD_compressCCtx(ThreadZstd().compress, out->data() + start, bound, in, size, level);
  if (ZSTD_isError(result)) {
    out->Resize(start);
    return Status::InvalidArgument(std::string("ZSTD compression failed: ") + ZSTD_getErrorName(result));
  }
  out->Resize(start + result);
  return Status::OK();
}

// Appends a bare LZ4 block; returns its size.
size_t AppendLz4Block(const uint8_t* in, size_t size, Buffer* out) {
  size_t start = out->size();
  int bound = LZ4_compressBound(static_cast<int>(size));
  out->Resize(start + bound);
  int written = LZ4_compress_default(reinterpret_cast<const char*>(in), reinterpret_cast<char*>(out->data() + start),
                                     static_cast<int>(size), bound);
  out->Resize(start + written);
  return written;
}

Status CompressLz4Hadoop(const uint8_t* in, size_t size, Buffer* out) {
  if (size == 0) return Status::OK();  // A frame of nothing would be ambiguous; write none.
  size_t header = out->size();
  out->Resize(header + 8);
  size_t written = AppendLz4Block(in, size, out);
  StoreBigEndian32(static_cast<uint32_t>(size), out->data() + header);
  StoreBigEndian32(static_cast<uint32_t>(written), out->data() + header + 4);
  return Status::OK();
}

Status CompressBrotli(const uint8_t* in, size_t size, Buffer* out, int level) {
  // Brotli's own default (11) is far too slow for pages; 8 is a common middle.
  if (level == kDefaultCompressionLevel) level = 8;
  if (level < BROTLI_MIN_QUALITY || level > BROTLI_MAX_QUALITY) {
    return Status::InvalidArgument("invalid BROTLI level " + std::to_string(level));
  }
  size_t start = out->size();
  size_t bound = BrotliEncoderMaxCompressedSize(size);
  if (bound == 0) bound = size + 1024;  // Only for inputs near SIZE_MAX.
  out->Resize(start + bound);
  size_t written = bound;
  if (!BrotliEncoderCompress(level, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, size, in, &written,
                             out->data() + start)) {
    out->Resize(start);
    return Status::Internal("BROTLI compression failed");
  }
  out->Resize(start + written);
  return Status::OK();
}

}  // namespace

std::string CodecName(Codec codec) {
  switch (codec) {
    case format::CompressionCodec::UNCOMPRESSED: return "UNCOMPRESSED";
    case format::CompressionCodec::SNAPPY: return "SNAPPY";
    case format::CompressionCodec::GZIP: return "GZIP";
    case format::CompressionCodec::LZO: return "LZO";
    case format::CompressionCodec::BROTLI: return "BROTLI";
    case format::CompressionCodec::LZ4: return "LZ4";
    case format::CompressionCodec::ZSTD: return "ZSTD";
    case format::CompressionCodec::LZ4_RAW: return "LZ4_RAW";
  }
  return "codec " + std::to_string(static_cast<int>(codec));
}

Result<Codec> ParseCodecName(const std::string& name) {
  std::string lower;
  for (char c : name) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "zstd") return format::CompressionCodec::ZSTD;
  if (lower == "snappy") return format::CompressionCodec::SNAPPY;
  if (lower == "gzip") return format::CompressionCodec::GZIP;
  if (lower == "brotli") return format::CompressionCodec::BROTLI;
  if (lower == "lz4_raw" || lower == "lz4") return format::CompressionCodec::LZ4_RAW;
  if (lower == "uncompressed" || lower == "none") return format::CompressionCodec::UNCOMPRESSED;
  return Status::InvalidArgument("unknown compression '" + name +
                                 "' (expected zstd, snappy, gzip, brotli, lz4_raw or uncompressed)");
}

bool IsCodecSupported(Codec codec) {
  switch (codec) {
    case format::CompressionCodec::UNCOMPRESSED:
    case format::CompressionCodec::SNAPPY:
    case format::CompressionCodec::GZIP:
    case format::CompressionCodec::BROTLI:
    case format::CompressionCodec::LZ4:
    case format::CompressionCodec::ZSTD:
    case format::CompressionCodec::LZ4_RAW:
      return true;
    case format::CompressionCodec::LZO:
      break;
  }
  return false;
}

Status Decompress(Codec codec, const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size) {
  if (!IsCodecSupported(codec)) return Status::NotSupported("compression codec " + CodecName(codec));
  if (in_size > kMaxPageBytes || out_size > kMaxPageBytes) {
    return Status::Corruption(CodecName(codec) + " page of 2 GiB or more");
  }
  // Some writers store empty pages with no codec framing at all.
  if (in_size == 0 && out_size == 0) return Status::OK();
  switch (codec) {
    case format::CompressionCodec::UNCOMPRESSED:
      if (in_size != out_size) return SizeMismatch(codec, in_size, out_size);
      std::memcpy(out, in, in_size);
      return Status::OK();
    case format::CompressionCodec::SNAPPY: return DecompressSnappy(in, in_size, out, out_size);
    case format::CompressionCodec::GZIP: return DecompressGzip(in, in_size, out, out_size);
    case format::CompressionCodec::ZSTD: return DecompressZstd(in, in_size, out, out_size);
    case format::CompressionCodec::LZ4_RAW: return DecompressLz4Raw(in, in_size, out, out_size);
    case format::CompressionCodec::LZ4: return DecompressLz4Hadoop(in, in_size, out, out_size);
    case format::CompressionCodec::BROTLI: return DecompressBrotli(in, in_size, out, out_size);
    default: break;
  }
  return Status::NotSupported("compression codec " + CodecName(codec));
}

Status Compress(Codec codec, const uint8_t* in, size_t size, Buffer* out, int level) {
  if (!IsCodecSupported(codec)) return Status::NotSupported("compression codec " + CodecName(codec));
  if (size > kMaxPageBytes) {
    return Status::InvalidArgument("cannot compress a page of " + std::to_string(size) + " bytes (2 GiB or more)");
  }
  switch (codec) {
    case format::CompressionCodec::UNCOMPRESSED:
      out->Append(in, size);
      return Status::OK();
    case format::CompressionCodec::SNAPPY: return CompressSnappy(in, size, out);
    case format::CompressionCodec::GZIP: return CompressGzip(in, size, out, level);
    case format::CompressionCodec::ZSTD: return CompressZstd(in, size, out, level);
    case format::CompressionCodec::LZ4_RAW: AppendLz4Block(in, size, out); return Status::OK();
    case format::CompressionCodec::LZ4: return CompressLz4Hadoop(in, size, out);
    case format::CompressionCodec::BROTLI: return CompressBrotli(in, size, out, level);
    default: break;
  }
  return Status::NotSupported("compression codec " + CodecName(codec));
}

}  // namespace kiln::parquet
