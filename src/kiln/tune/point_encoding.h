// The features a model sees for a point of the search space: each numeric
// parameter as its unit coordinate, each categorical one as one-hot columns
// (so no false order between choices). An inactive numeric parameter takes
// the constant 0.5 and an inactive categorical all zeros, so points that
// share a branch of a condition compare only on what they use.
#pragma once

#include <Eigen/Dense>
#include <vector>

#include "kiln/tune/search_space.h"

namespace kiln::tune {

class PointEncoding {
 public:
  explicit PointEncoding(const SearchSpace& space);

  int width() const { return width_; }
  // Row `row` of `out` gets the features of `point`. REQUIRES: out->cols() == width().
  void Encode(const std::vector<double>& point, Eigen::MatrixXd* out, int row) const;
  Eigen::MatrixXd EncodeAll(const std::vector<std::vector<double>>& points) const;

 private:
  const SearchSpace& space_;   // Not owned; outlives this.
  std::vector<int> offset_;    // Per parameter, its first feature column.
  int width_ = 0;              // Total feature columns.
};

}  // namespace kiln::tune
