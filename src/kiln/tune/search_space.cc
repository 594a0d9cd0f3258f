#include "kiln/tune/search_space.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "kiln/core/value_format.h"

namespace kiln::tune {

namespace {

std::string Where(const ParameterSpec& parameter) {
  std::string where = parameter.location.empty() ? "" : parameter.location + ": ";
  return where + "parameter '" + parameter.name + "'";
}

Status CheckParameter(const ParameterSpec& parameter) {
  if (parameter.name.empty()) return Status::InvalidArgument(parameter.location + ": parameter without a name");
  if (parameter.type == ParameterType::kCategorical) {
    if (parameter.choices.empty()) return Status::InvalidArgument(Where(parameter) + ": no choices");
    std::set<std::string> seen(parameter.choices.begin(), parameter.choices.end());
    if (seen.size() != parameter.choices.size()) return Status::InvalidArgument(Where(parameter) + ": repeated choice");
    if (parameter.log) return Status::InvalidArgument(Where(parameter) + ": a categorical parameter has no log scale");
    return Status::OK();
  }
  if (!std::isfinite(parameter.low) || !std::isfinite(parameter.high)) {
    return Status::InvalidArgument(Where(parameter) + ": bounds must be finite numbers");
  }
  if (!(parameter.low <= parameter.high)) {
    return Status::InvalidArgument(Where(parameter) + ": empty bounds (low " + std::to_string(parameter.low) +
                                   " > high " + std::to_string(parameter.high) + ")");
  }
  if (parameter.log && parameter.low <= 0) {
    return Status::InvalidArgument(Where(parameter) + ": log scale needs positive bounds (low is " +
                                   std::to_string(parameter.low) + ")");
  }
  if (parameter.step < 0) return Status::InvalidArgument(Where(parameter) + ": step must be positive");
  constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53
  if (parameter.type == ParameterType::kInt &&
      (std::abs(parameter.low) > kMaxExactInteger || std::abs(parameter.high) > kMaxExactInteger)) {
    return Status::InvalidArgument(Where(parameter) + ": int bounds must lie within +-2^53");
  }
  // Discrete parameters are counted in int64 cells and printed as integers.
  constexpr double kMaxCells = 1e12;
  if (parameter.step > 0 && (parameter.high - parameter.low) / parameter.step > kMaxCells) {
    return Status::InvalidArgument(Where(parameter) + ": more than 10^12 steps between the bounds");
  }
  if (parameter.type == ParameterType::kInt) {
    if (parameter.low != std::floor(parameter.low) || parameter.high != std::floor(parameter.high)) {
      return Status::InvalidArgument(Where(parameter) + ": an int parameter needs integer bounds");
    }
    if (parameter.step != std::floor(parameter.step)) {
      return Status::InvalidArgument(Where(parameter) + ": an int parameter needs an integer step");
    }
  }
  if (parameter.log && parameter.step > 0 && parameter.type == ParameterType::kFloat) {
    return Status::InvalidArgument(Where(parameter) + ": a float parameter takes log or step, not both");
  }
  if (parameter.log && parameter.step > 1 && parameter.type == ParameterType::kInt) {
    return Status::InvalidArgument(Where(parameter) + ": an int parameter takes log or a step above 1, not both");
  }
  return Status::OK();
}

}  // namespace

SearchSpace::SearchSpace(std::vector<ParameterSpec> parameters, std::vector<LinearConstraint> constraints)
    : parameters_(std::move(parameters)), constraints_(std::move(constraints)) {}

Result<SearchSpace> SearchSpace::Make(std::vector<ParameterSpec> parameters,
                                      std::vector<LinearConstraint> constraints) {
  if (parameters.empty()) return Status::InvalidArgument("the search space has no parameters");
  for (ParameterSpec& parameter : parameters) {
    if (parameter.type == ParameterType::kInt && parameter.step == 0) parameter.step = 1;
  }
  SearchSpace space(std::move(parameters), std::move(constraints));
  std::set<std::string> names;
  for (const ParameterSpec& parameter : space.parameters_) {
    Status status = CheckParameter(parameter);
    if (!status.ok()) return status;
    int parent = -1;
    if (parameter.condition) {
      parent = space.IndexOf(parameter.condition->parent);
      if (parent < 0 || !names.count(parameter.condition->parent)) {
        return Status::InvalidArgument(Where(parameter) + ": condition on missing parent '" +
                                       parameter.condition->parent + "' (declare it before its children)");
      }
      const ParameterSpec& parent_spec = space.parameters_[parent];
      for (const std::string& value : parameter.condition->values) {
        bool known = parent_spec.type != ParameterType::kCategorical ||
                     std::count(parent_spec.choices.begin(), parent_spec.choices.end(), value);
        if (!known) {
          return Status::InvalidArgument(Where(parameter) + ": condition value '" + value + "' is not a choice of '" +
                                         parent_spec.name + "'");
        }
      }
    }
    if (!names.insert(parameter.name).second) {
      return Status::InvalidArgument(Where(parameter) + ": declared twice");
    }
    space.parent_index_.push_back(parent);
  }
  for (const LinearConstraint& constraint : space.constraints_) {
    std::string where = (constraint.location.empty() ? "" : constraint.location + ": ") + "constraint";
    if (constraint.terms.empty()) return Status::InvalidArgument(where + " has no terms");
    auto& terms = space.constraint_terms_.emplace_back();
    for (const auto& [name, coefficient] : constraint.terms) {
      int index = space.IndexOf(name);
      if (index < 0) return Status::InvalidArgument(where + " names unknown parameter '" + name + "'");
      const ParameterSpec& spec = space.parameters_[index];
      if (spec.type == ParameterType::kCategorical || spec.condition) {
        return Status::InvalidArgument(where + ": '" + name + "' must be a numeric parameter without a condition");
      }
      terms.emplace_back(index, coefficient);
    }
  }
  return space;
}

int SearchSpace::IndexOf(const std::string& name) const {
  for (size_t i = 0; i < parameters_.size(); ++i) {
    if (parameters_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int64_t SearchSpace::CellCount(size_t index) const {
  const ParameterSpec& p = parameters_[index];
  if (p.type == ParameterType::kCategorical) return static_cast<int64_t>(p.choices.size());
  if (p.log && p.type == ParameterType::kInt) return static_cast<int64_t>(p.high - p.low) + 1;
  if (p.step > 0) return static_cast<int64_t>(std::floor((p.high - p.low) / p.step + 1e-9)) + 1;
  return 0;
}

double SearchSpace::ValueOfUnit(size_t index, double u) const {
  const ParameterSpec& p = parameters_[index];
  u = std::clamp(u, 0.0, 1.0);
  int64_t cells = CellCount(index);
  if (p.type == ParameterType::kCategorical) return static_cast<double>(std::min<int64_t>(u * cells, cells - 1));
  if (p.log) {
    double value = std::exp(std::log(p.low) + u * (std::log(p.high) - std::log(p.low)));
    if (p.type == ParameterType::kInt) value = std::round(value);
    return std::clamp(value, p.low, p.high);
  }
  if (cells > 0) {
    int64_t cell = std::min<int64_t>(static_cast<int64_t>(u * cells), cells - 1);
    return std::min(p.low + cell * p.step, p.high);
  }
  return p.low + u * (p.high - p.low);
}

double SearchSpace::ToUnit(size_t index, double value) const {
  if (std::isnan(value)) return value;
  const ParameterSpec& p = parameters_[index];
  int64_t cells = CellCount(index);
  if (p.high == p.low && p.type != ParameterType::kCategorical) return 0.5;
  if (p.log) return std::clamp((std::log(value) - std::log(p.low)) / (std::log(p.high) - std::log(p.low)), 0.0, 1.0);
  if (p.type == ParameterType::kCategorical) return (value + 0.5) / cells;
  if (cells > 0) return (std::round((value - p.low) / p.step) + 0.5) / cells;
  return (value - p.low) / (p.high - p.low);
}

std::vector<double> SearchSpace::ToUnit(const std::vector<double>& point) const {
  std::vector<double> unit(point.size());
  for (size_t i = 0; i < point.size(); ++i) unit[i] = ToUnit(i, point[i]);
  return unit;
}

std::vector<double> SearchSpace::FromUnit(const std::vector<double>& unit) const {
  std::vector<double> point(parameters_.size());
  for (size_t i = 0; i < parameters_.size(); ++i) {
    point[i] = ValueOfUnit(i, unit[i]);
    int parent = parent_index_[i];
    if (parent < 0) continue;
    // Parents come first, so an inactive parent is already NaN here.
    bool active = !std::isnan(point[parent]);
    if (active) {
      const auto& values = parameters_[i].condition->values;
      active = std::count(values.begin(), values.end(), Format(parent, point[parent])) > 0;
    }
    if (!active) point[i] = std::nan("");
  }
  return point;
}

bool SearchSpace::Feasible(const std::vector<double>& point) const {
  for (size_t c = 0; c < constraints_.size(); ++c) {
    double sum = 0;
    for (const auto& [index, coefficient] : constraint_terms_[c]) sum += coefficient * point[index];
    if (sum > constraints_[c].bound + 1e-12) return false;
  }
  return true;
}

std::string SearchSpace::Format(size_t index, double value) const {
  const ParameterSpec& p = parameters_[index];
  if (p.type == ParameterType::kCategorical) return p.choices[static_cast<size_t>(value)];
  if (p.type == ParameterType::kInt) return std::to_string(static_cast<int64_t>(value));
  std::string text;
  AppendFloat64(&text, value);
  return text;
}

Result<std::vector<double>> SearchSpace::Parse(
    const std::vector<std::pair<std::string, std::string>>& values) const {
  std::vector<double> point(parameters_.size(), std::nan(""));
  for (const auto& [name, text] : values) {
    int index = IndexOf(name);
    if (index < 0) return Status::InvalidArgument("unknown parameter '" + name + "'");
    const ParameterSpec& p = parameters_[index];
    if (p.type == ParameterType::kCategorical) {
      auto found = std::find(p.choices.begin(), p.choices.end(), text);
      if (found == p.choices.end()) {
        return Status::InvalidArgument("parameter '" + name + "': '" + text + "' is not one of its choices");
      }
      point[index] = static_cast<double>(found - p.choices.begin());
      continue;
    }
    char* end = nullptr;
    double value = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0') {
      return Status::InvalidArgument("parameter '" + name + "': '" + text + "' is not a number");
    }
    point[index] = value;
  }
  return point;
}

std::vector<std::pair<std::string, std::string>> ActiveParams(const SearchSpace& space, const std::vector<double>& point) {
  std::vector<std::pair<std::string, std::string>> params;
  for (size_t i = 0; i < space.size(); ++i) {
    if (!std::isnan(point[i])) params.emplace_back(space.parameter(i).name, space.Format(i, point[i]));
  }
  return params;
}

}  // namespace kiln::tune
