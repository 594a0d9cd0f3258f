#include "kiln/prep/bucketize.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kiln/prep/batch_edit.h"
#include "kiln/prep/byte_codec.h"
#include "kiln/prep/quantile_summary.h"

namespace kiln::prep {

namespace {

class QuantileAccumulator : public Accumulator {
 public:
  QuantileAccumulator(std::vector<std::string> columns, int64_t max_distinct) : columns_(std::move(columns)) {
    summaries_.assign(columns_.size(), QuantileSummary(max_distinct));
  }

  Status Update(const RecordBatch& batch) override {
    for (size_t i = 0; i < columns_.size(); ++i) {
      auto index = FindColumn(batch, columns_[i], "bucketize");
      if (!index.ok()) return index.status();
      const Column& column = batch.column(*index);
      QuantileSummary& summary = summaries_[i];
      bool numeric = VisitNumeric(column.type().id(), [&](auto tag) {
        using T = decltype(tag);
        const T* values = column.data<T>();
        for (int64_t row = 0; row < column.length(); ++row) {
          if (column.IsValid(row)) summary.Add(static_cast<double>(values[row]));
        }
      });
      if (!numeric) return Status::InvalidArgument("bucketize: column '" + columns_[i] + "' is not numeric");
    }
    return Status::OK();
  }
  Status Merge(const Accumulator& other) override {
    const auto& theirs = static_cast<const QuantileAccumulator&>(other).summaries_;
    for (size_t i = 0; i < summaries_.size(); ++i) summaries_[i].Merge(theirs[i]);
    return Status::OK();
  }
  void Serialize(std::string* out) const override {
    PutValue<uint64_t>(out, summaries_.size());
    for (const QuantileSummary& summary : summaries_) summary.Serialize(out);
  }
  Status MergeSerialized(std::string_view bytes) override {
    ByteReader reader(bytes);
    if (reader.Get<uint64_t>() != summaries_.size()) return Status::Corruption("bucketize: column count differs");
    for (QuantileSummary& summary : summaries_) {
      if (!summary.MergeSerialized(&reader)) return Status::Corruption("bucketize: malformed statistics");
    }
    return Status::OK();
  }
  const std::vector<QuantileSummary>& summaries() const { return summaries_; }

 private:
  std::vector<std::string> columns_;        // In the operator's order.
  std::vector<QuantileSummary> summaries_;  // One per column.
};

template <typename T>
std::shared_ptr<Column> BucketColumn(const Column& column, const std::vector<double>& boundaries,
                                     std::optional<int32_t> null_id) {
  const int64_t length = column.length();
  auto values = std::make_shared<Buffer>(length * sizeof(int32_t));
  int32_t* out = values->mutable_as<int32_t>();
  const T* in = column.data<T>();
  std::shared_ptr<Buffer> validity;
  if (!null_id) {
    validity = std::make_shared<Buffer>(bitmap::BytesFor(length));
    std::memset(validity->data(), 0, validity->size());
  }
  int64_t nulls = 0;
  for (int64_t row = 0; row < length; ++row) {
    double value = static_cast<double>(in[row]);
    if (column.IsNull(row) || std::isnan(value)) {
      out[row] = null_id.value_or(0);
      ++nulls;
      continue;
    }
    if (validity) bitmap::Set(validity->data(), row);
    out[row] = static_cast<int32_t>(std::upper_bound(boundaries.begin(), boundaries.end(), value) -
                                    boundaries.begin());
  }
  if (nulls == 0) validity = nullptr;
  return MakeFixedColumn(DataType::Int32(), length, std::move(values), std::move(validity));
}

}  // namespace

Result<SchemaPtr> Bucketize::Bind(const SchemaPtr& input) {
  bool given = !options_.boundaries.empty();
  if (given == (options_.quantiles > 0)) {
    return Status::InvalidArgument("bucketize: give either boundaries or quantiles (a positive bucket count)");
  }
  if (options_.quantiles < 0) return Status::InvalidArgument("bucketize: quantiles must be positive");
  if (options_.max_distinct < 1) return Status::InvalidArgument("bucketize: max_distinct must be positive");
  for (size_t i = 0; i < options_.boundaries.size(); ++i) {
    if (std::isnan(options_.boundaries[i]) || (i > 0 && !(options_.boundaries[i - 1] < options_.boundaries[i]))) {
      return Status::InvalidArgument("bucketize: boundaries must be strictly increasing numbers");
    }
  }
  auto columns = ResolveColumns(options_.columns, *input, IsNumericType, kind());
  if (!columns.ok()) return columns.status();
  columns_ = std::move(*columns);
  boundaries_.assign(columns_.size(), options_.boundaries);
  std::vector<Field> fields = input->fields();
  for (const std::string& name : columns_) fields[input->IndexOf(name)].type = DataType::Int32();
  return SchemaPtr(std::make_shared<Schema>(std::move(fields)));
}

std::unique_ptr<Accumulator> Bucketize::NewAccumulator() const {
  return std::make_unique<QuantileAccumulator>(columns_, options_.max_distinct);
}

Status Bucketize::Fit(const Accumulator& merged) {
  const auto& summaries = static_cast<const QuantileAccumulator&>(merged).summaries();
  for (size_t i = 0; i < columns_.size(); ++i) boundaries_[i] = summaries[i].Boundaries(options_.quantiles);
  return Status::OK();
}

Result<RecordBatchPtr> Bucketize::Transform(const RecordBatchPtr& batch) const {
  std::vector<std::pair<int, std::shared_ptr<Column>>> replacements;
  for (size_t i = 0; i < columns_.size(); ++i) {
    auto index = FindColumn(*batch, columns_[i], kind());
    if (!index.ok()) return index.status();
    const Column& column = batch->column(*index);
    std::shared_ptr<Column> buckets;
    VisitNumeric(column.type().id(), [&](auto tag) {
      buckets = BucketColumn<decltype(tag)>(column, boundaries_[i], options_.null_id);
    });
    if (buckets == nullptr) return Status::InvalidArgument("bucketize: column '" + columns_[i] + "' is not numeric");
    replacements.emplace_back(*index, std::move(buckets));
  }
  return ReplaceColumns(*batch, replacements);
}

Status Bucketize::SaveState(const std::string& prefix, FittedStateWriter* writer) const {
  for (size_t i = 0; i < columns_.size(); ++i) writer->SetNumbers(prefix + "." + columns_[i], boundaries_[i]);
  return Status::OK();
}

Status Bucketize::LoadState(const std::string& prefix, const FittedStateReader& reader) {
  for (size_t i = 0; i < columns_.size(); ++i) {
    auto values = reader.Numbers(prefix + "." + columns_[i]);
    if (!values.ok()) return values.status();
    boundaries_[i] = std::move(*values);
  }
  return Status::OK();
}

}  // namespace kiln::prep
