// Area under the ROC curve, computed exactly.
//
// AUC is the probability that a randomly chosen positive scores higher than a
// randomly chosen negative, with ties counted as one half. Both functions
// below count pairs exactly (in 128-bit integers) and divide once at the end,
// so the only error is that one rounding: they agree with a brute-force pair
// count to about 1e-16.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace kiln {

// Exact AUC of `scores` against `labels` (0 = negative, anything else =
// positive) in O(n log n) time. Returns NaN when there are no positives or no
// negatives, since the AUC is then undefined.
// REQUIRES: scores.size() == labels.size(); no score is NaN.
double ExactAuc(std::span<const float> scores, std::span<const uint8_t> labels);

// Counts positives and negatives per score bucket, for scores that take a
// bounded number of ordered values (for example a probability quantized onto
// a grid). Memory is O(buckets), whatever the number of examples.
class BucketAucCounter {
 public:
  // Bucket b stands for a score below that of bucket b + 1.
  // REQUIRES: buckets >= 1
  explicit BucketAucCounter(int64_t buckets);

  BucketAucCounter(const BucketAucCounter&) = delete;
  BucketAucCounter& operator=(const BucketAucCounter&) = delete;

  int64_t buckets() const { return static_cast<int64_t>(positives_.size()); }
  int64_t positives() const { return total_positives_; }
  int64_t negatives() const { return total_negatives_; }

  // REQUIRES: 0 <= bucket < buckets()
  void Add(int64_t bucket, bool positive) {
    if (positive) {
      ++positives_[bucket];
      ++total_positives_;
    } else {
      ++negatives_[bucket];
      ++total_negatives_;
    }
  }

  // Adds every count of `other`. REQUIRES: other.buckets() == buckets()
  void Merge(const BucketAucCounter& other);

  // The exact AUC of the examples added so far, ties within a bucket
  // counting one half; NaN without both positives and negatives. O(buckets).
  double Auc() const;

 private:
  std::vector<int64_t> positives_;  // Positives per bucket.
  std::vector<int64_t> negatives_;  // Negatives per bucket.
  int64_t total_positives_ = 0;     // Sum of positives_.
  int64_t total_negatives_ = 0;     // Sum of negatives_.
};

}  // namespace kiln
