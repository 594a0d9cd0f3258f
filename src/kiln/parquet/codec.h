// Page compression codecs: UNCOMPRESSED, SNAPPY, GZIP, BROTLI, ZSTD, LZ4_RAW
// and the deprecated Hadoop-framed LZ4.
//
// Pages are compressed whole, so both directions work on one contiguous
// buffer. The page header gives the uncompressed size, so decompression writes
// into caller-owned memory of exactly that size and anything else is an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "kiln/core/buffer.h"
#include "kiln/core/status.h"
#include "kiln/parquet/parquet_types.h"

namespace kiln::parquet {

using Codec = format::CompressionCodec::type;

// Asks Compress for the codec's default level.
inline constexpr int kDefaultCompressionLevel = -1000;

// "SNAPPY", "ZSTD", ...; "codec <n>" for values outside the enum.
std::string CodecName(Codec codec);

// The codec a user names: "zstd", "snappy", "gzip", "brotli", "lz4_raw"
// (or "lz4", which writers should only produce as LZ4_RAW), "uncompressed"
// (or "none"); any case. InvalidArgument lists the names otherwise.
Result<Codec> ParseCodecName(const std::string& name);

// True for every codec Decompress handles: all but LZO and unknown values.
bool IsCodecSupported(Codec codec);

// Decompresses `in_size` bytes into exactly `out_size` bytes at `out`.
// Returns Corruption when the input is malformed or does not decompress to
// exactly `out_size` bytes (never writes past out + out_size), and
// NotSupported naming the codec for LZO and unknown codecs. GZIP accepts
// concatenated members (and zlib streams); LZ4 tries Hadoop framing and falls
// back to a bare LZ4 block as older writers produced.
// REQUIRES: `out` has room for `out_size` bytes (it may be null when 0).
Status Decompress(Codec codec, const uint8_t* in, size_t in_size, uint8_t* out, size_t out_size);

// Appends the compressed form of `size` bytes to `out` (out->size() grows by
// the compressed size). `level` is used by GZIP (1..9, default 6), ZSTD
// (1..22, default 3) and BROTLI (0..11, default 8) and ignored by the rest.
// LZ4 writes a single Hadoop frame. LZO and unknown codecs are NotSupported;
// inputs of 2 GiB or more are InvalidArgument.
Status Compress(Codec codec, const uint8_t* in, size_t size, Buffer* out,
                int level = kDefaultCompressionLevel);

}  // namespace kiln::parquet
