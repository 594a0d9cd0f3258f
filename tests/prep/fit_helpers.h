// Fitting and state helpers for the operator tests: fit from a batch cut
// into pieces (some merged through bytes, as a distributed run would), and
// save then reload an operator's state through the real files.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "kiln/prep/operator.h"
#include "testing/temp_dir.h"

namespace kiln::prep::testing {

// Binds `op` to batch's schema and fits it on `batch` cut into `pieces`
// accumulators; odd pieces reach the first one through Serialize().
inline void FitInPieces(Operator* op, const RecordBatchPtr& batch, int pieces = 2) {
  auto bound = op->Bind(batch->schema());
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  auto merged = op->NewAccumulator();
  int64_t rows = batch->num_rows();
  for (int piece = 0; piece < pieces; ++piece) {
    int64_t begin = rows * piece / pieces, end = rows * (piece + 1) / pieces;
    auto accumulator = op->NewAccumulator();
    Status status = accumulator->Update(*batch->Slice(begin, end - begin));
    ASSERT_TRUE(status.ok()) << status.ToString();
    if (piece % 2 == 1) {
      std::string bytes;
      accumulator->Serialize(&bytes);
      status = merged->MergeSerialized(bytes);
    } else {
      status = merged->Merge(*accumulator);
    }
    ASSERT_TRUE(status.ok()) << status.ToString();
  }
  Status status = op->Fit(*merged);
  ASSERT_TRUE(status.ok()) << status.ToString();
}

// Saves `fitted`'s state into a temporary directory and loads it into
// `fresh` (bound to `schema` first).
inline void SaveAndLoad(const Operator& fitted, Operator* fresh, const SchemaPtr& schema) {
  kiln::testing::TempDir dir;
  FittedStateWriter writer(dir.path());
  Status status = fitted.SaveState("step1_op", &writer);
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_TRUE(writer.Finish().ok());
  auto reader = FittedStateReader::Open(dir.path());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto bound = fresh->Bind(schema);
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  status = fresh->LoadState("step1_op", *reader);
  ASSERT_TRUE(status.ok()) << status.ToString();
}

// Column `name` of `batch`.
inline const Column& ColumnNamed(const RecordBatchPtr& batch, const std::string& name) {
  int index = batch->schema()->IndexOf(name);
  EXPECT_GE(index, 0) << name;
  return batch->column(index < 0 ? 0 : index);
}

}  // namespace kiln::prep::testing
