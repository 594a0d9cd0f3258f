#include "kiln/core/value_format.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

std::string Date(int32_t days) {
  std::string text;
  AppendDate32(&text, days);
  return text;
}

TEST(ValueFormatTest, DatesAroundTheEpochAndLeapYears) {
  EXPECT_EQ(Date(0), "1970-01-01");
  EXPECT_EQ(Date(-1), "1969-12-31");
  EXPECT_EQ(Date(11016), "2000-02-29");
  EXPECT_EQ(Date(19723), "2024-01-01");
  for (int32_t days = -719162; days < 2932897; days += 997) {
    int32_t parsed;
    ASSERT_TRUE(ParseDate32(Date(days), &parsed)) << days;
    ASSERT_EQ(parsed, days);
  }
  int32_t parsed;
  EXPECT_FALSE(ParseDate32("2023-02-29", &parsed));
  EXPECT_FALSE(ParseDate32("2023-13-01", &parsed));
  EXPECT_FALSE(ParseDate32("2023-1-01", &parsed));
  EXPECT_FALSE(ParseDate32("2023-01-01x", &parsed));
}

TEST(ValueFormatTest, TimestampsWithFractionsAndSeparators) {
  int64_t micros;
  ASSERT_TRUE(ParseTimestamp("2021-03-04 05:06:07.25", &micros));
  std::string text;
  AppendTimestamp(&text, micros);
  EXPECT_EQ(text, "2021-03-04 05:06:07.250000");
  int64_t same;
  ASSERT_TRUE(ParseTimestamp("2021-03-04T05:06:07.250Z", &same));
  EXPECT_EQ(same, micros);
  ASSERT_TRUE(ParseTimestamp("1969-12-31 23:59:59", &micros));
  EXPECT_EQ(micros, -1000000);
  text.clear();
  AppendTimestamp(&text, -1);
  EXPECT_EQ(text, "1969-12-31 23:59:59.999999");
  EXPECT_FALSE(ParseTimestamp("2021-03-04 25:00:00", &micros));
  EXPECT_FALSE(ParseTimestamp("2021-03-04 10:00", &micros));
}

TEST(ValueFormatTest, DecimalsKeepTheirScale) {
  std::string text;
  AppendDecimal(&text, 120700, 2);
  EXPECT_EQ(text, "1207.00");
  text.clear();
  AppendDecimal(&text, -5, 3);
  EXPECT_EQ(text, "-0.005");
  text.clear();
  AppendDecimal(&text, 42, 0);
  EXPECT_EQ(text, "42");
  text.clear();
  __int128 big = static_cast<__int128>(1) << 100;
  AppendDecimal(&text, big, 4);
  EXPECT_EQ(text, "126765060022822940149670320.5376");
}

TEST(ValueFormatTest, DecimalsParseExactly) {
  __int128 value;
  ASSERT_TRUE(ParseDecimal("1207", 9, 2, &value));
  EXPECT_TRUE(value == 120700);
  ASSERT_TRUE(ParseDecimal("-0.5", 9, 2, &value));
  EXPECT_TRUE(value == -50);
  ASSERT_TRUE(ParseDecimal("0001.25", 3, 2, &value));
  EXPECT_TRUE(value == 125);
  EXPECT_FALSE(ParseDecimal("1.255", 9, 2, &value));   // Would round.
  EXPECT_FALSE(ParseDecimal("12345.6", 6, 2, &value));  // Too many digits.
  EXPECT_FALSE(ParseDecimal("1.2.3", 9, 2, &value));
  EXPECT_FALSE(ParseDecimal("-", 9, 2, &value));
  EXPECT_FALSE(ParseDecimal("", 9, 2, &value));
}

TEST(ValueFormatTest, FloatsAreShortestRoundTrip) {
  std::string text;
  AppendFloat64(&text, 0.1);
  EXPECT_EQ(text, "0.1");
  text.clear();
  AppendFloat32(&text, 0.1f);
  EXPECT_EQ(text, "0.1");
  text.clear();
  AppendFloat64(&text, static_cast<double>(0.1f));
  EXPECT_EQ(text, "0.10000000149011612");
  text.clear();
  AppendFloat64(&text, -229.44760357038166);
  EXPECT_EQ(text, "-229.44760357038166");
}

}  // namespace
}  // namespace kiln
