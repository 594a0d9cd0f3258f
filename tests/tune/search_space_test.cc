#include "kiln/tune/search_space.h"

#include <gtest/gtest.h>

#include <cmath>

namespace kiln::tune {
namespace {

ParameterSpec Float(std::string name, double low, double high, bool log = false) {
  ParameterSpec p;
  p.name = std::move(name);
  p.low = low;
  p.high = high;
  p.log = log;
  return p;
}

ParameterSpec Categorical(std::string name, std::vector<std::string> choices) {
  ParameterSpec p;
  p.name = std::move(name);
  p.type = ParameterType::kCategorical;
  p.choices = std::move(choices);
  return p;
}

TEST(SearchSpaceTest, UnitMapsLinearLogStepAndCategorical) {
  ParameterSpec layers = Float("layers", 2, 10);
  layers.type = ParameterType::kInt;
  layers.step = 4;  // 2, 6, 10
  auto space = SearchSpace::Make({Float("x", -5, 10), Float("lr", 1e-4, 1, true), layers, Categorical("opt", {"adam", "lamb", "sgd"})}, {});
  ASSERT_TRUE(space.ok()) << space.status().ToString();
  std::vector<double> point = space->FromUnit({0.5, 0.5, 0.5, 0.5});
  EXPECT_DOUBLE_EQ(point[0], 2.5);
  EXPECT_NEAR(point[1], 1e-2, 1e-12);  // Geometric middle of 1e-4 .. 1.
  EXPECT_EQ(point[2], 6);
  EXPECT_EQ(point[3], 1);
  EXPECT_EQ(space->Format(3, point[3]), "lamb");
  EXPECT_EQ(space->FromUnit({1, 1, 1, 1})[2], 10);
  EXPECT_EQ(space->FromUnit({0, 0, 0, 0})[3], 0);
  EXPECT_EQ(space->CellCount(2), 3);
  // ToUnit is the inverse on the space's own values.
  for (double u : {0.0, 0.13, 0.5, 0.77, 1.0}) {
    std::vector<double> p = space->FromUnit({u, u, u, u});
    EXPECT_EQ(space->FromUnit(space->ToUnit(p)), p) << u;
  }
}

TEST(SearchSpaceTest, ConditionsMakeChildrenInactive) {
  ParameterSpec beta = Float("beta", 0.8, 0.99);
  beta.condition = Condition{"opt", {"adam"}};
  auto space = SearchSpace::Make({Categorical("opt", {"adam", "lamb"}), beta}, {});
  ASSERT_TRUE(space.ok());
  EXPECT_FALSE(std::isnan(space->FromUnit({0.2, 0.5})[1]));  // adam
  EXPECT_TRUE(std::isnan(space->FromUnit({0.8, 0.5})[1]));   // lamb
}

TEST(SearchSpaceTest, LinearConstraints) {
  LinearConstraint sum{{{"a", 1}, {"b", 1}}, 1.0, "here"};
  auto space = SearchSpace::Make({Float("a", 0, 1), Float("b", 0, 1)}, {sum});
  ASSERT_TRUE(space.ok());
  EXPECT_TRUE(space->Feasible({0.4, 0.6}));
  EXPECT_FALSE(space->Feasible({0.5, 0.6}));
}

TEST(SearchSpaceTest, RejectsBadParameters) {
  EXPECT_NE(SearchSpace::Make({Float("x", 2, 1)}, {}).status().message().find("empty bounds"), std::string::npos);
  EXPECT_NE(SearchSpace::Make({Float("x", 0, 1, true)}, {}).status().message().find("log scale needs positive"), std::string::npos);
  EXPECT_NE(SearchSpace::Make({Float("x", 0, 1), Float("x", 0, 1)}, {}).status().message().find("declared twice"), std::string::npos);
  ParameterSpec orphan = Float("y", 0, 1);
  orphan.condition = Condition{"missing", {"a"}};
  EXPECT_NE(SearchSpace::Make({orphan}, {}).status().message().find("condition on missing parent 'missing'"), std::string::npos);
  EXPECT_NE(SearchSpace::Make({Categorical("c", {})}, {}).status().message().find("no choices"), std::string::npos);
  ParameterSpec tiny_step = Float("s", 0, 1);
  tiny_step.step = 1e-300;
  EXPECT_NE(SearchSpace::Make({tiny_step}, {}).status().message().find("more than 10^12 steps"), std::string::npos);
  ParameterSpec huge_int = Float("i", 0, 1e30);
  huge_int.type = ParameterType::kInt;
  EXPECT_NE(SearchSpace::Make({huge_int}, {}).status().message().find("+-2^53"), std::string::npos);
  LinearConstraint unknown{{{"zz", 1}}, 1.0, ""};
  EXPECT_FALSE(SearchSpace::Make({Float("x", 0, 1)}, {unknown}).ok());
}

TEST(SearchSpaceTest, ParseReadsFormattedValues) {
  auto space = SearchSpace::Make({Float("x", 0, 1), Categorical("opt", {"adam", "lamb"})}, {});
  ASSERT_TRUE(space.ok());
  auto point = space->Parse({{"x", "0.25"}, {"opt", "lamb"}});
  ASSERT_TRUE(point.ok());
  EXPECT_EQ(*point, (std::vector<double>{0.25, 1}));
  EXPECT_FALSE(space->Parse({{"opt", "sgd"}}).ok());
  EXPECT_FALSE(space->Parse({{"x", "abc"}}).ok());
}

}  // namespace
}  // namespace kiln::tune
