#include "kiln/prep/normalize.h"

#include <cmath>

#include "kiln/prep/batch_edit.h"
#include "kiln/prep/byte_codec.h"

namespace kiln::prep {

void ColumnMoments::Add(double value) {
  if (std::isnan(value)) return;
  count += 1;
  double delta = value - mean;
  mean += delta / count;
  m2 += delta * (value - mean);
  if (count == 1 || value < min) min = value;
  if (count == 1 || value > max) max = value;
}

void ColumnMoments::Merge(const ColumnMoments& other) {
  if (other.count == 0) return;
  if (count == 0) {
    *this = other;
    return;
  }
  double total = count + other.count;
  double delta = other.mean - mean;
  mean += delta * other.count / total;
  m2 += other.m2 + delta * delta * count * other.count / total;
  count = total;
  min = std::min(min, other.min);
  max = std::max(max, other.max);
}

namespace {

class MomentsAccumulator : public Accumulator {
 public:
  explicit MomentsAccumulator(std::vector<std::string> columns)
      : columns_(std::move(columns)), moments_(columns_.size()) {}

  Status Update(const RecordBatch& batch) override {
    for (size_t i = 0; i < columns_.size(); ++i) {
      auto index = FindColumn(batch, columns_[i], "normalize");
      if (!index.ok()) return index.status();
      const Column& column = batch.column(*index);
      ColumnMoments& moments = moments_[i];
      bool numeric = VisitNumeric(column.type().id(), [&](auto tag) {
        using T = decltype(tag);
        const T* values = column.data<T>();
        for (int64_t row = 0; row < column.length(); ++row) {
          if (column.IsValid(row)) moments.Add(static_cast<double>(values[row]));
        }
      });
      if (!numeric) return Status::InvalidArgument("normalize: column '" + columns_[i] + "' is not numeric");
    }
    return Status::OK();
  }

  Status Merge(const Accumulator& other) override {
    const auto& moments = static_cast<const MomentsAccumulator&>(other).moments_;
    for (size_t i = 0; i < moments_.size(); ++i) moments_[i].Merge(moments[i]);
    return Status::OK();
  }

  void Serialize(std::string* out) const override {
    PutValue<uint64_t>(out, moments_.size());
    for (const ColumnMoments& m : moments_) {
      for (double value : {m.count, m.mean, m.m2, m.min, m.max}) PutValue(out, value);
    }
  }

  Status MergeSerialized(std::string_view bytes) override {
    ByteReader reader(bytes);
    if (reader.Get<uint64_t>() != moments_.size()) return Status::Corruption("normalize: column count differs");
    for (ColumnMoments& mine : moments_) {
      ColumnMoments theirs;
      for (double* field : {&theirs.count, &theirs.mean, &theirs.m2, &theirs.min, &theirs.max}) {
        *field = reader.Get<double>();
      }
      mine.Merge(theirs);
    }
    return reader.ok() ? Status::OK() : Status::Corruption("normalize: truncated statistics");
  }

  const std::vector<ColumnMoments>& moments() const { return moments_; }

 private:
  std::vector<std::string> columns_;    // In the operator's order.
  std::vector<ColumnMoments> moments_;  // One per column.
};

template <typename In, typename Out>
std::shared_ptr<Column> Rescale(const Column& column, DataType type, double offset, double factor) {
  int64_t length = column.length();
  auto values = std::make_shared<Buffer>(length * sizeof(Out));
  Out* out = values->template mutable_as<Out>();
  const In* in = column.data<In>();
  for (int64_t row = 0; row < length; ++row) {
    out[row] = static_cast<Out>((static_cast<double>(in[row]) - offset) * factor);
  }
  return MakeFixedColumn(std::move(type), length, std::move(values), CopyValidity(column));
}

}  // namespace

Result<SchemaPtr> Normalize::Bind(const SchemaPtr& input) {
  if (options_.type.id() != TypeId::kFloat32 && options_.type.id() != TypeId::kFloat64) {
    return Status::InvalidArgument("normalize: type must be float32 or float64");
  }
  auto columns = ResolveColumns(options_.columns, *input, IsNumericType, kind());
  if (!columns.ok()) return columns.status();
  columns_ = std::move(*columns);
  std::vector<Field> fields = input->fields();
  for (const std::string& name : columns_) fields[input->IndexOf(name)].type = options_.type;
  return SchemaPtr(std::make_shared<Schema>(std::move(fields)));
}

std::unique_ptr<Accumulator> Normalize::NewAccumulator() const {
  return std::make_unique<MomentsAccumulator>(columns_);
}

Status Normalize::Fit(const Accumulator& merged) {
  moments_ = static_cast<const MomentsAccumulator&>(merged).moments();
  return Status::OK();
}

void Normalize::OffsetAndFactor(const ColumnMoments& moments, double* offset, double* factor) const {
  *offset = 0;
  *factor = 1;
  if (moments.count == 0) return;
  if (options_.method == NormalizeMethod::kStandard) {
    double std = std::sqrt(moments.m2 / moments.count);
    *offset = moments.mean;
    *factor = std > 0 ? 1 / std : 1;
  } else {
    double range = moments.max - moments.min;
    *offset = moments.min;
    *factor = range > 0 ? 1 / range : 1;
  }
}

Result<RecordBatchPtr> Normalize::Transform(const RecordBatchPtr& batch) const {
  std::vector<std::pair<int, std::shared_ptr<Column>>> replacements;
  const bool to_float = options_.type.id() == TypeId::kFloat32;
  for (size_t i = 0; i < columns_.size(); ++i) {
    auto index = FindColumn(*batch, columns_[i], kind());
    if (!index.ok()) return index.status();
    const Column& column = batch->column(*index);
    double offset, factor;
    OffsetAndFactor(moments_[i], &offset, &factor);
    std::shared_ptr<Column> result;
    VisitNumeric(column.type().id(), [&](auto tag) {
      using In = decltype(tag);
      result = to_float ? Rescale<In, float>(column, options_.type, offset, factor)
                        : Rescale<In, double>(column, options_.type, offset, factor);
    });
    if (result == nullptr) return Status::InvalidArgument("normalize: column '" + columns_[i] + "' is not numeric");
    replacements.emplace_back(*index, std::move(result));
  }
  return ReplaceColumns(*batch, replacements);
}

Status Normalize::SaveState(const std::string& prefix, FittedStateWriter* writer) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    const ColumnMoments& m = moments_[i];
    writer->SetNumbers(prefix + "." + columns_[i], {m.count, m.mean, m.m2, m.min, m.max});
  }
  return Status::OK();
}

Status Normalize::LoadState(const std::string& prefix, const FittedStateReader& reader) {
  moments_.assign(columns_.size(), ColumnMoments());
  for (size_t i = 0; i < columns_.size(); ++i) {
    auto values = reader.Numbers(prefix + "." + columns_[i]);
    if (!values.ok()) return values.status();
    if (values->size() != 5) return Status::Corruption("normalize state of '" + columns_[i] + "' needs 5 numbers");
    ColumnMoments& m = moments_[i];
    m.count = (*values)[0], m.mean = (*values)[1], m.m2 = (*values)[2], m.min = (*values)[3], m.max = (*values)[4];
  }
  return Status::OK();
}

}  // namespace kiln::prep
