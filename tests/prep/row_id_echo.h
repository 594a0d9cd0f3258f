// RowIdEcho: a test operator that records the row ids it is fitted on and
// writes each row's id out as column `rid`, so tests can check that steps see
// the global input row numbers (row_id.h), in one process and under mpirun.
#pragma once

#include <set>
#include <string>

#include "kiln/core/column_builder.h"
#include "kiln/prep/byte_codec.h"
#include "kiln/prep/operator.h"
#include "kiln/prep/row_id.h"

namespace kiln::prep::testing {

// The row ids it was fed, exchanged between ranks as bytes.
class IdSet : public Accumulator {
 public:
  Status Update(const RecordBatch& batch) override {
    auto ids = RowIds(batch, "row_id_echo");
    if (!ids.ok()) return ids.status();
    for (int64_t row = 0; row < batch.num_rows(); ++row) ids_.insert((*ids)[row]);
    return Status::OK();
  }
  Status Merge(const Accumulator& other) override {
    const auto& more = static_cast<const IdSet&>(other).ids_;
    ids_.insert(more.begin(), more.end());
    return Status::OK();
  }
  void Serialize(std::string* out) const override {
    for (int64_t id : ids_) PutValue(out, id);
  }
  Status MergeSerialized(std::string_view bytes) override {
    ByteReader reader(bytes);
    while (!reader.empty()) ids_.insert(reader.Get<int64_t>());
    return reader.ok() ? Status::OK() : Status::Corruption("row ids: truncated");
  }
  std::set<int64_t> ids_;  // Row ids seen.
};

// Fits on the row ids (recording them) and writes them out as column `rid`.
class RowIdEcho : public Operator {
 public:
  const char* kind() const override { return "row_id_echo"; }
  Result<SchemaPtr> Bind(const SchemaPtr& input) override {
    std::vector<Field> fields = input->fields();
    fields.push_back({"rid", DataType::Int64()});
    return SchemaPtr(std::make_shared<Schema>(std::move(fields)));
  }
  std::vector<std::string> inputs() const override { return {}; }
  std::vector<std::string> outputs() const override { return {"rid"}; }
  bool needs_row_ids() const override { return true; }
  bool needs_fit() const override { return true; }
  std::unique_ptr<Accumulator> NewAccumulator() const override { return std::make_unique<IdSet>(); }
  Status Fit(const Accumulator& merged) override {
    fitted_ = static_cast<const IdSet&>(merged).ids_;
    return Status::OK();
  }
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override {
    auto ids = RowIds(*batch, kind());
    if (!ids.ok()) return ids.status();
    ColumnBuilder rid(DataType::Int64());
    for (int64_t row = 0; row < batch->num_rows(); ++row) rid.Append<int64_t>((*ids)[row]);
    std::vector<Field> fields = batch->schema()->fields();
    fields.push_back({"rid", DataType::Int64()});
    std::vector<std::shared_ptr<Column>> columns = batch->columns();
    columns.push_back(rid.Finish());
    return RecordBatch::Make(std::make_shared<Schema>(std::move(fields)), std::move(columns));
  }
  std::set<int64_t> fitted_;  // Ids seen in the fit pass, over all ranks.
};

}  // namespace kiln::prep::testing
