#include "kiln/data/dlrm_source.h"

#include <algorithm>
#include <cstring>

#include "kiln/data/batch_fill.h"
#include "kiln/io/dlrm_binary.h"

namespace kiln::data {

namespace {

constexpr int64_t kDefaultUnitRecords = 131072;

// Stages `count` records: the mapped fields of each, by their index in the
// record (label int32, I* float32 bits, C* int32).
void FillFromRecords(const int32_t* records, int64_t count, const BoundMapping& mapping, Batch* batch) {
  int field = 0;
  auto as_float = [](int32_t bits) {
    float value;
    std::memcpy(&value, &bits, sizeof(value));
    return value;
  };
  auto number = [&](int index, int64_t row) {
    int32_t raw = records[row * kDlrmRecordValues + index];
    return mapping.types[field] == TypeId::kFloat32 ? as_float(raw) : static_cast<float>(raw);
  };
  if (mapping.has_label) {
    for (int64_t r = 0; r < count; ++r) batch->label[r] = number(mapping.fields[field], r);
    ++field;
  }
  for (int d = 0; d < mapping.dense_width; ++d, ++field) {
    for (int64_t r = 0; r < count; ++r) batch->dense[r * mapping.dense_width + d] = number(mapping.fields[field], r);
  }
  for (int s = 0; s < mapping.sparse_width; ++s, ++field) {
    const int index = mapping.fields[field];
    for (int64_t r = 0; r < count; ++r) {
      batch->sparse[r * mapping.sparse_width + s] = records[r * kDlrmRecordValues + index];
    }
  }
}

}  // namespace

Result<std::unique_ptr<DataSource>> DlrmDataSource::Open(std::vector<std::string> files, const SourceOptions& options) {
  std::unique_ptr<DlrmDataSource> source(new DlrmDataSource());
  source->files_ = std::move(files);
  SchemaPtr schema = DlrmBinarySchema();
  const int64_t step = options.unit_rows > 0 ? options.unit_rows : kDefaultUnitRecords;
  for (size_t f = 0; f < source->files_.size(); ++f) {
    const std::string& name = source->files_[f];
    auto mapping = BindMapping(options.mapping, *schema, name);
    if (!mapping.ok()) return mapping.status();
    source->mapping_ = *mapping;
    auto bytes = OpenDataFile(name, options.remote, &source->bytes_read_);
    if (!bytes.ok()) return bytes.status();
    auto rows = DlrmBinaryRows(name, (*bytes)->size());
    if (!rows.ok()) return rows.status();
    for (int64_t first = 0; first < *rows; first += step) {
      source->units_.push_back({static_cast<int>(f), 0, first, std::min(step, *rows - first)});
    }
    source->num_rows_ += *rows;
    source->sources_.push_back(std::move(*bytes));
  }
  return std::unique_ptr<DataSource>(std::move(source));
}

Status DlrmDataSource::Read(int64_t unit_index, int64_t begin, int64_t count, bool padded, Batch* batch) const {
  const ReadUnit& unit = units_[unit_index];
  std::vector<int32_t> records(count * kDlrmRecordValues);
  Status status = sources_[unit.file]->ReadAt((unit.first_row + begin) * kDlrmRecordBytes, count * kDlrmRecordBytes,
                                              reinterpret_cast<uint8_t*>(records.data()));
  if (!status.ok()) return status;
  ResizeBatch(mapping_, count, batch);
  FillFromRecords(records.data(), count, mapping_, batch);
  if (padded) {
    std::fill(batch->mask.begin(), batch->mask.end(), 0);
    batch->padded_rows = count;
  }
  return Status::OK();
}

}  // namespace kiln::data
