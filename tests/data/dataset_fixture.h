// Small datasets for the loader tests, whose rows say who they are.
//
// Row i (over all files, in order) holds: label int32 = i % 2, x float32 = i
// (exact below 2^24), c int64 = 10 * i, tags list<int64> = [i, ..., i + i % 3]
// (empty when i % 3 == 0), name string.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "kiln/data/batch.h"
#include "kiln/data/loader.h"

namespace kiln::testing {

struct FixtureOptions {
  int64_t rows = 1000;           // Over all files.
  int files = 1;                 // part-00000.parquet, ...
  int64_t row_group_rows = 100;  // Rows per row group.
};

// Writes the dataset under `directory` (created if missing).
void WriteIdDataset(const std::string& directory, const FixtureOptions& options);

// Writes the same rows as one DLRM binary file: label, dense I1 = i and
// I2..I13 = 0.5, sparse C1 = i and C2..C26 = 26 - column.
void WriteIdDlrmFile(const std::string& path, int64_t rows);

// label, x as dense, c as sparse.
data::ColumnMapping IdMapping();

// One delivered row: its id and whether it was padding.
struct DeliveredRow {
  int64_t id;
  bool padded;
  bool operator==(const DeliveredRow& other) const { return id == other.id && padded == other.padded; }
};

// Every batch of a loader, as the ids of its rows (dense column 0), until the
// end; fails the test on an error. *batch_sizes gets each batch's rows.
std::vector<std::vector<DeliveredRow>> DrainLoader(data::Loader* loader);

// Opens a loader or fails the test.
std::unique_ptr<data::Loader> OpenLoader(const data::LoaderOptions& options);

}  // namespace kiln::testing
