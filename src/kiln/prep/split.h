// Split: assigns every row to one of several named splits (train, valid,
// test, ...); the dataset writer then writes one sub-dataset per split
// (out/train/part-..., out/valid/..., split_writer.h).
//
// Methods:
//   random  row goes to split i with probability fractions[i], drawn from
//           hash(seed, row id) (row_hash.h): the same rows for the same seed
//           and input, whatever the batching.
//   time    split i + 1 starts at cutoffs[i] (times >= it); or, with
//           fractions, the cutoffs are fitted so that about fractions[i] of
//           the rows fall in split i (exact over distinct times: rows of one
//           time stay together). Null times go to the first split.
//           Memory of the fit: one count per distinct time.
//   last_k  per user, the k latest rows (by time, ties by row id) go to the
//           last split, the k before them to the one before, ..., the rest
//           to the first (n splits: (n-1) x k rows per user leave the
//           first). Rows with a null user or time stay in the first split.
//           Memory of the fit and state: users x (n-1) x k (time, row id).
//
// Split adds the hidden column kSplitColumn (the split's index); it must be
// the last step. `kiln prep apply` applies it too, with the fitted cutoffs
// and per-user latest times (a new row newer than a user's fitted rows goes
// to the last split); remove the step from pipeline.yaml to get one dataset.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kiln/prep/operator.h"

namespace kiln::prep {

inline constexpr char kSplitColumn[] = "__split";

enum class SplitMethod { kRandom, kTime, kLastK };

struct SplitOptions {
  SplitMethod method = SplitMethod::kRandom;
  std::vector<std::string> names;  // Split names; default train, valid, test (as many as needed).
  std::vector<double> fractions;   // random, time: one per split, summing to 1.
  std::vector<double> cutoffs;     // time: ascending, one fewer than the splits (instead of fractions).
  std::string time;                // time, last_k: the time column.
  std::string user;                // last_k: the user column.
  int64_t k = 1;                   // last_k: rows per user per later split.
  uint64_t seed = 0;               // random.
};

class Split : public Operator {
 public:
  explicit Split(SplitOptions options) : options_(std::move(options)) {}

  const char* kind() const override { return "split"; }
  // Fails on inconsistent options (fractions not summing to 1, too few or
  // duplicate names, unsorted cutoffs) or unknown/unsuitable columns.
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override;
  std::vector<std::string> outputs() const override { return {kSplitColumn}; }
  bool needs_row_ids() const override { return options_.method != SplitMethod::kTime; }
  bool needs_fit() const override;
  std::unique_ptr<Accumulator> NewAccumulator() const override;
  Status Fit(const Accumulator& merged) override;
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;
  Status SaveState(const std::string& prefix, FittedStateWriter* writer) const override;
  Status LoadState(const std::string& prefix, const FittedStateReader& reader) override;

  // The split names, in index order. REQUIRES: Bind() succeeded.
  const std::vector<std::string>& split_names() const { return names_; }

  // One remembered row of a user: its time and row id.
  struct Latest {
    double time = 0;
    int64_t row_id = 0;
    bool operator>(const Latest& other) const {
      return time != other.time ? time > other.time : row_id > other.row_id;
    }
  };

 private:
  // The split index of one row by time.
  int32_t TimeSplit(double time) const;
  // The split index of one row of a user with the given latest rows.
  int32_t LastKSplit(const std::vector<Latest>& latest, const Latest& row) const;

  SplitOptions options_;                                 // As configured.
  std::vector<std::string> names_;                       // Resolved split names.
  std::vector<double> cutoffs_;                          // time: given or fitted.
  std::map<std::string, std::vector<Latest>> latest_;    // last_k: per user key, latest first.
};

}  // namespace kiln::prep
