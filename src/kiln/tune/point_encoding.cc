#include "kiln/tune/point_encoding.h"

#include <cmath>

namespace kiln::tune {

PointEncoding::PointEncoding(const SearchSpace& space) : space_(space) {
  for (size_t i = 0; i < space.size(); ++i) {
    offset_.push_back(width_);
    bool categorical = space.parameter(i).type == ParameterType::kCategorical;
    width_ += categorical ? static_cast<int>(space.parameter(i).choices.size()) : 1;
  }
}

void PointEncoding::Encode(const std::vector<double>& point, Eigen::MatrixXd* out, int row) const {
  for (size_t i = 0; i < space_.size(); ++i) {
    int column = offset_[i];
    if (space_.parameter(i).type == ParameterType::kCategorical) {
      for (size_t c = 0; c < space_.parameter(i).choices.size(); ++c) (*out)(row, column + c) = 0;
      if (!std::isnan(point[i])) (*out)(row, column + static_cast<int>(point[i])) = 1;
      continue;
    }
    (*out)(row, column) = std::isnan(point[i]) ? 0.5 : space_.ToUnit(i, point[i]);
  }
}

Eigen::MatrixXd PointEncoding::EncodeAll(const std::vector<std::vector<double>>& points) const {
  Eigen::MatrixXd features(static_cast<int>(points.size()), width_);
  for (size_t row = 0; row < points.size(); ++row) Encode(points[row], &features, static_cast<int>(row));
  return features;
}

}  // namespace kiln::tune
