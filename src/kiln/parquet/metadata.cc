#include "kiln/parquet/metadata.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>

#include <thrift/TConfiguration.h>
#include <thrift/Thrift.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

namespace kiln::parquet {

namespace {

using apache::thrift::TConfiguration;
using apache::thrift::transport::TMemoryBuffer;
// The concrete protocol type: the generated templated readers call it
// without virtual dispatch.
using CompactProtocol = apache::thrift::protocol::TCompactProtocolT<TMemoryBuffer>;

// Reads one `T` from the start of [data, data + size) and reports how many
// bytes it took. Converts every exception into Corruption naming `what`.
template <typename T>
Status Deserialize(const uint8_t* data, size_t size, const ThriftLimits& limits, const char* what,
                   T* out, size_t* consumed) {
  if (size > static_cast<size_t>(INT32_MAX)) {
    return Status::Corruption(std::string(what) + " of " + std::to_string(size) +
                              " bytes is larger than 2 GiB");
  }
  const int32_t available = static_cast<int32_t>(size);
  // Thrift does pointer arithmetic on the buffer even when it is empty.
  static const uint8_t kEmpty = 0;
  if (data == nullptr) data = &kEmpty;
  try {
    // The message size bounds Thrift's own checks of declared list sizes.
    auto config = std::make_shared<TConfiguration>(std::max(available, 1));
    // OBSERVE never writes through the pointer; Thrift's signature is not const.
    auto transport = std::make_shared<TMemoryBuffer>(const_cast<uint8_t*>(data), static_cast<uint32_t>(size),
                                                     TMemoryBuffer::OBSERVE, config);
    // A string needs its bytes and each list element at least one byte, so
    // nothing longer than the input can be valid.
    CompactProtocol protocol(transport, std::min(limits.max_string_size, available),
                             std::min(limits.max_container_size, available));
    *out = T();  // The generated reader leaves fields it does not see untouched.
    out->read(&protocol);
    *consumed = size - transport->available_read();
    return Status::OK();
  } catch (const apache::thrift::TException& e) {
    return Status::Corruption(std::string("invalid ") + what + ": " + e.what());
  } catch (const std::bad_alloc&) {
    return Status::Corruption(std::string("invalid ") + what + ": declared sizes exhaust memory");
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("invalid ") + what + ": " + e.what());
  } catch (...) {
    return Status::Corruption(std::string("invalid ") + what + ": unknown error");
  }
}

// Parses a structure that starts the input; bytes after it are ignored.
template <typename T>
Status DeserializePrefix(const uint8_t* data, size_t size, const ThriftLimits& limits, const char* what,
                         T* out) {
  size_t consumed = 0;
  return Deserialize(data, size, limits, what, out, &consumed);
}

template <typename T>
Status Serialize(const T& value, const char* what, Buffer* out) {
  try {
    auto transport = std::make_shared<TMemoryBuffer>();
    CompactProtocol protocol(transport);
    value.write(&protocol);
    uint8_t* bytes = nullptr;
    uint32_t length = 0;
    transport->getBuffer(&bytes, &length);
    out->Append(bytes, length);
    return Status::OK();
  } catch (const std::exception& e) {
    return Status::Internal(std::string("cannot serialize ") + what + ": " + e.what());
  }
}

// Checks what every page reader relies on, so it need not check again.
Status ValidatePageHeader(const format::PageHeader& header) {
  if (header.uncompressed_page_size < 0 || header.compressed_page_size < 0) {
    return Status::Corruption("page header has a negative page size");
  }
  switch (header.type) {
    case format::PageType::DATA_PAGE:
      if (!header.__isset.data_page_header) return Status::Corruption("data page without a data page header");
      if (header.data_page_header.num_values < 0) return Status::Corruption("data page with a negative value count");
      break;
    case format::PageType::DATA_PAGE_V2: {
      if (!header.__isset.data_page_header_v2) return Status::Corruption("v2 data page without a v2 header");
      const format::DataPageHeaderV2& v2 = header.data_page_header_v2;
      if (v2.num_values < 0 || v2.num_nulls < 0 || v2.num_rows < 0 || v2.num_nulls > v2.num_values) {
        return Status::Corruption("v2 data page with inconsistent value, null or row counts");
      }
      int64_t levels = int64_t{v2.definition_levels_byte_length} + v2.repetition_levels_byte_length;
      if (v2.definition_levels_byte_length < 0 || v2.repetition_levels_byte_length < 0 ||
          levels > header.compressed_page_size || levels > header.uncompressed_page_size) {
        return Status::Corruption("v2 data page whose level lengths do not fit in the page");
      }
      break;
    }
    case format::PageType::DICTIONARY_PAGE:
      if (!header.__isset.dictionary_page_header) {
        return Status::Corruption("dictionary page without a dictionary page header");
      }
      if (header.dictionary_page_header.num_values < 0) {
        return Status::Corruption("dictionary page with a negative value count");
      }
      break;
    default:
      break;  // Index pages and unknown kinds are skipped by readers.
  }
  return Status::OK();
}

}  // namespace

Status ParseFooterTail(const uint8_t* tail, uint64_t file_size, uint32_t* metadata_size) {
  if (file_size < sizeof(kParquetMagic) + kFooterTailSize) {
    return Status::Corruption("file of " + std::to_string(file_size) + " bytes is too small for Parquet");
  }
  if (std::memcmp(tail + 4, kParquetMagic, sizeof(kParquetMagic)) != 0) {
    return Status::Corruption("file does not end with the Parquet magic 'PAR1'");
  }
  uint32_t length;
  std::memcpy(&length, tail, sizeof(length));
  if (length > file_size - sizeof(kParquetMagic) - kFooterTailSize) {
    return Status::Corruption("footer length " + std::to_string(length) + " exceeds the file size " +
                              std::to_string(file_size));
  }
  *metadata_size = length;
  return Status::OK();
}

Status ParseFileMetaData(const uint8_t* data, size_t size, format::FileMetaData* out,
                         const ThriftLimits& limits) {
  Status status = DeserializePrefix(data, size, limits, "file metadata", out);
  if (!status.ok()) return status;
  if (out->num_rows < 0) return Status::Corruption("file metadata has a negative row count");
  if (out->schema.empty()) return Status::Corruption("file metadata has an empty schema");
  return Status::OK();
}

Status ParsePageHeader(const uint8_t* data, size_t size, format::PageHeader* out, size_t* header_size,
                       const ThriftLimits& limits) {
  Status status = Deserialize(data, size, limits, "page header", out, header_size);
  if (!status.ok()) return status;
  return ValidatePageHeader(*out);
}

Status ParseColumnIndex(const uint8_t* data, size_t size, format::ColumnIndex* out,
                        const ThriftLimits& limits) {
  return DeserializePrefix(data, size, limits, "column index", out);
}

Status ParseOffsetIndex(const uint8_t* data, size_t size, format::OffsetIndex* out,
                        const ThriftLimits& limits) {
  return DeserializePrefix(data, size, limits, "offset index", out);
}

Status SerializeFileMetaData(const format::FileMetaData& metadata, Buffer* out) {
  return Serialize(metadata, "file metadata", out);
}

Status SerializePageHeader(const format::PageHeader& header, Buffer* out) {
  return Serialize(header, "page header", out);
}

Status SerializeColumnIndex(const format::ColumnIndex& index, Buffer* out) {
  return Serialize(index, "column index", out);
}

Status SerializeOffsetIndex(const format::OffsetIndex& index, Buffer* out) {
  return Serialize(index, "offset index", out);
}

}  // namespace kiln::parquet
