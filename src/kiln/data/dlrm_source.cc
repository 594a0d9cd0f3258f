#include "kiln/data/dlrm_source.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "kiln/data/batch_fill.h"
#include "kiln/io/dlrm_binary.h"

namespace kiln::data {

namespace {

constexpr int64_t kDefaultUnitRecords = 131072;
constexpr int64_t kChunkRecords = 2048;  // 320 KB of records per positional read.

float AsFloat(int32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

// Stages `count` records, one record at a time (each is read once, in
// order): the mapped fields by their index in the record (label int32, I*
// float32 bits, C* int32).
void FillFromRecords(const int32_t* records, int64_t count, const BoundMapping& mapping, int64_t out_row,
                     Batch* batch) {
  const int first_dense = mapping.has_label ? 1 : 0;
  const int first_sparse = first_dense + mapping.dense_width;
  std::vector<bool> dense_is_float(mapping.dense_width);
  for (int d = 0; d < mapping.dense_width; ++d) dense_is_float[d] = mapping.types[first_dense + d] == TypeId::kFloat32;
  const bool label_is_float = mapping.has_label && mapping.types[0] == TypeId::kFloat32;
  for (int64_t i = 0; i < count; ++i) {
    const int32_t* record = records + i * kDlrmRecordValues;
    const int64_t r = out_row + i;
    if (mapping.has_label) {
      const int32_t raw = record[mapping.fields[0]];
      batch->label[r] = label_is_float ? AsFloat(raw) : static_cast<float>(raw);
    }
    float* dense = batch->dense.data() + r * mapping.dense_width;
    for (int d = 0; d < mapping.dense_width; ++d) {
      const int32_t raw = record[mapping.fields[first_dense + d]];
      dense[d] = dense_is_float[d] ? AsFloat(raw) : static_cast<float>(raw);
    }
    int64_t* sparse = batch->sparse.data() + r * mapping.sparse_width;
    for (int s = 0; s < mapping.sparse_width; ++s) sparse[s] = record[mapping.fields[first_sparse + s]];
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
  ResizeBatch(mapping_, count, batch);
  // Records come in cache-sized chunks: a whole unit's bytes would be a large
  // allocation (and page faults) per read for no gain.
  const int64_t chunk = std::min(count, kChunkRecords);
  std::unique_ptr<int32_t[]> records(new int32_t[chunk * kDlrmRecordValues]);
  for (int64_t done = 0; done < count; done += chunk) {
    const int64_t rows = std::min(chunk, count - done);
    Status status = sources_[unit.file]->ReadAt((unit.first_row + begin + done) * kDlrmRecordBytes,
                                                rows * kDlrmRecordBytes, reinterpret_cast<uint8_t*>(records.get()));
    if (!status.ok()) return status;
    FillFromRecords(records.get(), rows, mapping_, done, batch);
  }
  if (padded) {
    std::fill(batch->mask.begin(), batch->mask.end(), 0);
    batch->padded_rows = count;
  }
  return Status::OK();
}

}  // namespace kiln::data
