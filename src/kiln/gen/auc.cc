#include "kiln/gen/auc.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <utility>

namespace kiln {

namespace {

// twice_wins counts each (positive, negative) pair twice when the positive
// scores higher and once on a tie; integer arithmetic keeps it exact.
double AucFromCounts(unsigned __int128 twice_wins, int64_t positives, int64_t negatives) {
  if (positives == 0 || negatives == 0) return std::numeric_limits<double>::quiet_NaN();
  const unsigned __int128 twice_pairs =
      static_cast<unsigned __int128>(positives) * static_cast<unsigned __int128>(negatives) * 2;
  return static_cast<double>(static_cast<long double>(twice_wins) / static_cast<long double>(twice_pairs));
}

}  // namespace

double ExactAuc(std::span<const float> scores, std::span<const uint8_t> labels) {
  assert(scores.size() == labels.size());
  // Sorting (score, label) pairs rather than indices keeps the walk below
  // sequential in memory.
  std::vector<std::pair<float, bool>> examples(scores.size());
  for (size_t i = 0; i < scores.size(); ++i) {
    assert(!std::isnan(scores[i]));
    examples[i] = {scores[i], labels[i] != 0};
  }
  std::sort(examples.begin(), examples.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });

  // Walk groups of equal scores from the lowest up. A positive beats every
  // negative in lower groups and ties with the negatives in its own group.
  unsigned __int128 twice_wins = 0;
  int64_t negatives_below = 0;
  int64_t positives = 0;
  for (size_t start = 0; start < examples.size();) {
    size_t end = start;
    int64_t group_positives = 0;
    int64_t group_negatives = 0;
    for (; end < examples.size() && examples[end].first == examples[start].first; ++end) {
      if (examples[end].second) {
        ++group_positives;
      } else {
        ++group_negatives;
      }
    }
    twice_wins += static_cast<unsigned __int128>(group_positives) * (2 * negatives_below + group_negatives);
    negatives_below += group_negatives;
    positives += group_positives;
    start = end;
  }
  return AucFromCounts(twice_wins, positives, negatives_below);
}

BucketAucCounter::BucketAucCounter(int64_t buckets) : positives_(buckets, 0), negatives_(buckets, 0) {
  assert(buckets >= 1);
}

void BucketAucCounter::Merge(const BucketAucCounter& other) {
  assert(other.buckets() == buckets());
  for (size_t b = 0; b < positives_.size(); ++b) {
    positives_[b] += other.positives_[b];
    negatives_[b] += other.negatives_[b];
  }
  total_positives_ += other.total_positives_;
  total_negatives_ += other.total_negatives_;
}

double BucketAucCounter::Auc() const {
  unsigned __int128 twice_wins = 0;
  int64_t negatives_below = 0;
  for (size_t b = 0; b < positives_.size(); ++b) {
    twice_wins += static_cast<unsigned __int128>(positives_[b]) * (2 * negatives_below + negatives_[b]);
    negatives_below += negatives_[b];
  }
  return AucFromCounts(twice_wins, total_positives_, total_negatives_);
}

}  // namespace kiln
