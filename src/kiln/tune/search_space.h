// SearchSpace: the parameters a study tunes, and the map between them and
// the unit cube the samplers work in.
//
// A point of the space is a vector with one double per parameter, in
// declaration order: the value of a float or int parameter, the index of a
// categorical one, and NaN for a parameter whose condition does not hold
// (inactive). Every sampler draws unit coordinates u in [0,1]^n and turns
// them into a point with FromUnit(), which applies log scales, steps,
// categorical cells and conditions, so all samplers honour them alike.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "kiln/core/status.h"

namespace kiln::tune {

enum class ParameterType { kFloat, kInt, kCategorical };

// A parameter is active only while its parent's value (in text form, as
// Format() writes it) is one of `values`.
struct Condition {
  std::string parent;               // Name of an earlier parameter.
  std::vector<std::string> values;  // Parent values that activate the child.
};

struct ParameterSpec {
  std::string name;
  ParameterType type = ParameterType::kFloat;
  double low = 0;                     // Inclusive bounds (float, int).
  double high = 1;
  bool log = false;                   // Sample log(value) uniformly; REQUIRES low > 0.
  double step = 0;                    // Grid spacing from low; 0: continuous float, int default 1.
  std::vector<std::string> choices;   // Categorical values.
  std::optional<Condition> condition; // Absent: always active.
  std::string location;               // Where it was declared ("study.yaml:7:5"), for messages.
};

// sum(coefficient * value) <= bound, over numeric, unconditional parameters.
struct LinearConstraint {
  std::vector<std::pair<std::string, double>> terms;  // (parameter name, coefficient)
  double bound = 0;
  std::string location;  // For messages.
};

class SearchSpace {
 public:
  SearchSpace() = default;
  // Checks names (unique, non-empty), bounds (low < high, or low == high for
  // a fixed value), log scales (low > 0), steps, choices, conditions (parent
  // declared earlier) and constraints; errors name the declaring location.
  static Result<SearchSpace> Make(std::vector<ParameterSpec> parameters, std::vector<LinearConstraint> constraints);

  size_t size() const { return parameters_.size(); }
  const ParameterSpec& parameter(size_t index) const { return parameters_[index]; }
  const std::vector<ParameterSpec>& parameters() const { return parameters_; }
  const std::vector<LinearConstraint>& constraints() const { return constraints_; }
  // -1 when there is no such parameter.
  int IndexOf(const std::string& name) const;

  // The point for unit coordinates. REQUIRES: unit.size() == size().
  std::vector<double> FromUnit(const std::vector<double>& unit) const;
  // The unit coordinate of one active value (the centre of its cell for
  // discrete parameters), so FromUnit(ToUnit(p)) == p. NaN stays NaN.
  double ToUnit(size_t index, double value) const;
  std::vector<double> ToUnit(const std::vector<double>& point) const;
  // Number of distinct values of a discrete parameter; 0 for a continuous float.
  int64_t CellCount(size_t index) const;

  // True when every linear constraint holds at `point`.
  bool Feasible(const std::vector<double>& point) const;

  // The text of one active value: "0.25", "3", "adam".
  std::string Format(size_t index, double value) const;
  // A point from (name, text) pairs as Format() wrote them; unknown names or
  // values are errors.
  Result<std::vector<double>> Parse(const std::vector<std::pair<std::string, std::string>>& values) const;

 private:
  SearchSpace(std::vector<ParameterSpec> parameters, std::vector<LinearConstraint> constraints);
  double ValueOfUnit(size_t index, double u) const;

  std::vector<ParameterSpec> parameters_;          // In declaration order.
  std::vector<LinearConstraint> constraints_;      // All must hold.
  std::vector<std::vector<std::pair<int, double>>> constraint_terms_;  // Per constraint: (index, coefficient).
  std::vector<int> parent_index_;                  // Per parameter: its condition's parent, or -1.
};

// The active parameters of `point` as (name, text) pairs, in declaration order.
std::vector<std::pair<std::string, std::string>> ActiveParams(const SearchSpace& space, const std::vector<double>& point);

}  // namespace kiln::tune
