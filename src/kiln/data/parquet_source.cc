#include "kiln/data/parquet_source.h"

#include <algorithm>

#include "kiln/data/batch_fill.h"

namespace kiln::data {

Result<std::unique_ptr<DataSource>> ParquetDataSource::Open(std::vector<std::string> files,
                                                            const SourceOptions& options) {
  std::unique_ptr<ParquetDataSource> source(new ParquetDataSource());
  source->files_ = std::move(files);
  const std::vector<std::string> names = MappedColumnNames(options.mapping);
  for (size_t f = 0; f < source->files_.size(); ++f) {
    const std::string& name = source->files_[f];
    auto bytes = OpenDataFile(name, options.remote, &source->bytes_read_);
    if (!bytes.ok()) return bytes.status();
    auto reader = parquet::ParquetFileReader::Open(std::move(*bytes));
    if (!reader.ok()) return reader.status();
    auto projection = (*reader)->Project(names);
    if (!projection.ok()) return projection.status();
    auto mapping = BindMapping(options.mapping, *projection->schema, name);
    if (!mapping.ok()) return mapping.status();
    if (f == 0) source->mapping_ = *mapping;
    if (mapping->types != source->mapping_.types) {
      return Status::InvalidArgument(name + ": mapped column types differ from those of " + source->files_[0]);
    }
    for (int group = 0; group < (*reader)->num_row_groups(); ++group) {
      const int64_t rows = (*reader)->row_group_rows(group);
      const int64_t step = options.unit_rows > 0 ? options.unit_rows : std::max<int64_t>(rows, 1);
      for (int64_t first = 0; first < rows; first += step) {
        source->units_.push_back({static_cast<int>(f), group, first, std::min(step, rows - first)});
        source->num_rows_ += std::min(step, rows - first);
      }
    }
    source->readers_.push_back(std::move(*reader));
    source->projections_.push_back(std::move(*projection));
  }
  return std::unique_ptr<DataSource>(std::move(source));
}

Status ParquetDataSource::Read(int64_t unit_index, int64_t begin, int64_t count, bool padded, Batch* batch) const {
  const ReadUnit& unit = units_[unit_index];
  const parquet::ParquetFileReader& reader = *readers_[unit.file];
  auto decoded = reader.ReadRowGroup(unit.row_group, projections_[unit.file]);
  if (!decoded.ok()) return decoded.status();
  std::string where = reader.name() + ": row group " + std::to_string(unit.row_group);
  return FillBatch(**decoded, mapping_, unit.first_row + begin, count, padded, where, batch);
}

}  // namespace kiln::data
