#include "kiln/prep/quantile_summary.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace kiln::prep {

namespace {

// Integer keys in the order of the doubles: negatives below positives,
// -0.0 just below +0.0.
uint64_t OrderKey(double value) {
  uint64_t bits = std::bit_cast<uint64_t>(value);
  return (bits >> 63) ? ~bits : bits | (uint64_t{1} << 63);
}

double FromOrderKey(uint64_t key) {
  uint64_t bits = (key >> 63) ? key & ~(uint64_t{1} << 63) : ~key;
  return std::bit_cast<double>(bits);
}

uint64_t CellOf(uint64_t key, int shift) { return shift >= 64 ? 0 : key >> shift; }

}  // namespace

void QuantileSummary::AddCell(uint64_t cell, const Cell& value) {
  Cell& mine = cells_[cell];
  mine.count += value.count;
  mine.min_key = std::min(mine.min_key, value.min_key);
}

void QuantileSummary::Add(double value) {
  if (std::isnan(value)) return;
  uint64_t key = OrderKey(value);
  AddCell(CellOf(key, shift_), Cell{1, key});
  ++count_;
  if (cells_.size() > max_distinct_) FitUnderCap();
}

void QuantileSummary::CoarsenTo(int shift) {
  if (shift <= shift_) return;
  OpenHashMap<uint64_t, Cell> old = std::move(cells_);
  cells_ = OpenHashMap<uint64_t, Cell>();
  shift_ = shift;
  old.ForEach([&](uint64_t, const Cell& cell) { AddCell(CellOf(cell.min_key, shift_), cell); });
}

void QuantileSummary::FitUnderCap() {
  while (cells_.size() > max_distinct_ && shift_ < 64) CoarsenTo(shift_ == 0 ? 1 : shift_ * 2);
}

void QuantileSummary::Merge(const QuantileSummary& other) {
  CoarsenTo(other.shift_);
  other.cells_.ForEach([&](uint64_t, const Cell& cell) { AddCell(CellOf(cell.min_key, shift_), cell); });
  count_ += other.count_;
  FitUnderCap();
}

void QuantileSummary::Serialize(std::string* out) const {
  PutValue<int32_t>(out, shift_);
  PutValue<int64_t>(out, count_);
  PutValue<uint64_t>(out, cells_.size());
  cells_.ForEach([&](uint64_t, const Cell& cell) {
    PutValue(out, cell.count);
    PutValue(out, cell.min_key);
  });
}

bool QuantileSummary::MergeSerialized(ByteReader* reader) {
  QuantileSummary other(max_distinct_);
  other.shift_ = reader->Get<int32_t>();
  other.count_ = reader->Get<int64_t>();
  uint64_t cells = reader->Get<uint64_t>();
  if (!reader->ok() || other.shift_ < 0 || other.shift_ > 64) return false;
  for (uint64_t i = 0; i < cells && reader->ok(); ++i) {
    Cell cell;
    cell.count = reader->Get<int64_t>();
    cell.min_key = reader->Get<uint64_t>();
    other.AddCell(CellOf(cell.min_key, other.shift_), cell);
  }
  if (!reader->ok()) return false;
  Merge(other);
  return true;
}

std::vector<double> QuantileSummary::Boundaries(int64_t buckets) const {
  std::vector<std::pair<uint64_t, int64_t>> sorted;  // (smallest key, count) per cell.
  sorted.reserve(cells_.size());
  cells_.ForEach([&](uint64_t, const Cell& cell) { sorted.emplace_back(cell.min_key, cell.count); });
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> boundaries;
  int64_t total = 0;  // Equals count_; summed here so that ranks stay inside the cells whatever the bytes said.
  for (const auto& entry : sorted) total += entry.second;
  if (total <= 0) return boundaries;
  size_t cell = 0;
  int64_t before = 0;  // Values in the cells before `cell`.
  for (int64_t i = 1; i < buckets; ++i) {
    int64_t rank = static_cast<int64_t>((static_cast<__int128>(i) * total) / buckets);
    while (before + sorted[cell].second <= rank) before += sorted[cell++].second;
    double value = FromOrderKey(sorted[cell].first);
    if (boundaries.empty() || value > boundaries.back()) boundaries.push_back(value);
  }
  return boundaries;
}

}  // namespace kiln::prep
