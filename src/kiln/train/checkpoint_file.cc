#include "kiln/train/checkpoint_file.h"

#include <cstring>

#include "kiln/core/file.h"

namespace kiln::train {

namespace {

constexpr char kMagic[] = "KILNCKP1";
constexpr size_t kMagicSize = 8;

template <typename T>
void Put(std::string* out, const T& value) {
  out->append(reinterpret_cast<const char*>(&value), sizeof(T));
}

// Reads from a byte string with bounds checks.
class ByteReader {
 public:
  ByteReader(const std::string& bytes, const std::string& path) : bytes_(bytes), path_(path) {}
  template <typename T>
  Status Get(T* value) {
    return Take(value, sizeof(T));
  }
  Status Take(void* target, uint64_t size) {
    if (size > bytes_.size() - offset_) {
      return Status::Corruption(path_ + ": truncated at byte " + std::to_string(offset_));
    }
    std::memcpy(target, bytes_.data() + offset_, size);
    offset_ += size;
    return Status::OK();
  }
  bool done() const { return offset_ == bytes_.size(); }

 private:
  const std::string& bytes_;  // The file.
  const std::string& path_;   // For messages.
  size_t offset_ = 0;         // Next unread byte.
};

}  // namespace

Status WriteCheckpoint(const std::string& path, const CheckpointHeader& header, const std::vector<ArrayView>& arrays) {
  auto file = OutputFile::Create(path);
  if (!file.ok()) return file.status();
  std::string head(kMagic, kMagicSize);
  Put(&head, header);
  Put(&head, static_cast<uint32_t>(arrays.size()));
  Status status = (*file)->Append(head);
  for (const ArrayView& array : arrays) {
    if (!status.ok()) return status;
    std::string prefix;
    Put(&prefix, static_cast<uint32_t>(array.name.size()));
    prefix += array.name;
    Put(&prefix, array.size);
    status = (*file)->Append(prefix);
    if (status.ok()) {
      status = (*file)->Append(std::string_view(reinterpret_cast<const char*>(array.data), array.size * sizeof(float)));
    }
  }
  if (!status.ok()) return status;
  return (*file)->Commit();
}

Result<CheckpointContents> ReadCheckpoint(const std::string& path) {
  auto bytes = ReadFileToString(path);
  if (!bytes.ok()) return bytes.status();
  if (bytes->size() < kMagicSize || bytes->compare(0, kMagicSize, kMagic) != 0) {
    return Status::Corruption(path + ": not a Kiln checkpoint (bad magic)");
  }
  ByteReader reader(*bytes, path);
  char magic[kMagicSize];
  CheckpointContents contents;
  uint32_t count = 0;
  Status status = reader.Take(magic, kMagicSize);
  if (status.ok()) status = reader.Get(&contents.header);
  if (status.ok()) status = reader.Get(&count);
  for (uint32_t i = 0; i < count && status.ok(); ++i) {
    uint32_t name_size = 0;
    int64_t size = 0;
    status = reader.Get(&name_size);
    std::string name(status.ok() && name_size <= bytes->size() ? name_size : 0, '\0');
    if (status.ok() && name.size() != name_size) status = Status::Corruption(path + ": bad array name length");
    if (status.ok()) status = reader.Take(name.data(), name_size);
    if (status.ok()) status = reader.Get(&size);
    if (status.ok() && (size < 0 || static_cast<uint64_t>(size) > bytes->size() / sizeof(float))) {
      status = Status::Corruption(path + ": array '" + name + "' has a bad size");
    }
    if (!status.ok()) break;
    std::vector<float>& values = contents.arrays[name];
    values.resize(size);
    status = reader.Take(values.data(), size * sizeof(float));
  }
  if (!status.ok()) return status;
  if (!reader.done()) return Status::Corruption(path + ": trailing bytes");
  return contents;
}

Status RestoreArray(const CheckpointContents& contents, const std::string& path, const std::string& name,
                    float* target, int64_t size) {
  auto found = contents.arrays.find(name);
  if (found == contents.arrays.end()) return Status::NotFound(path + ": no array '" + name + "'");
  if (static_cast<int64_t>(found->second.size()) != size) {
    return Status::InvalidArgument(path + ": array '" + name + "' has " + std::to_string(found->second.size()) +
                                   " values, the model expects " + std::to_string(size));
  }
  std::memcpy(target, found->second.data(), size * sizeof(float));
  return Status::OK();
}

}  // namespace kiln::train
