#include "kiln/core/value_format.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace kiln {

namespace {

// Civil-date conversions after the eras algorithm of H. Hinnant's public
// "chrono-compatible low-level date algorithms" paper.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int64_t>(day_of_era) - 719468;
}

void CivilFromDays(int64_t days, int64_t* year, unsigned* month, unsigned* day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned shifted_month = (5 * day_of_year + 2) / 153;
  *day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  *month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  *year = static_cast<int64_t>(year_of_era) + era * 400 + (*month <= 2);
}

bool IsLeap(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned DaysInMonth(int64_t year, unsigned month) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

// Reads exactly `width` digits at text[*pos].
bool ReadDigits(std::string_view text, size_t* pos, int width, unsigned* value) {
  if (*pos + width > text.size()) return false;
  unsigned result = 0;
  for (int i = 0; i < width; ++i) {
    char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    result = result * 10 + (c - '0');
  }
  *pos += width;
  *value = result;
  return true;
}

bool ParseDatePart(std::string_view text, size_t* pos, int64_t* days) {
  unsigned year, month, day;
  if (!ReadDigits(text, pos, 4, &year) || *pos >= text.size() || text[(*pos)++] != '-') return false;
  if (!ReadDigits(text, pos, 2, &month) || *pos >= text.size() || text[(*pos)++] != '-') return false;
  if (!ReadDigits(text, pos, 2, &day)) return false;
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return false;
  *days = DaysFromCivil(year, month, day);
  return true;
}

template <typename T>
void AppendShortest(std::string* out, T value) {
  if (std::isnan(value)) {
    out->append("nan");
    return;
  }
  if (std::isinf(value)) {
    out->append(value > 0 ? "inf" : "-inf");
    return;
  }
  char text[64];
  auto result = std::to_chars(text, text + sizeof(text), value);
  out->append(text, result.ptr);
}

void AppendUnsigned128(std::string* out, unsigned __int128 value) {
  char digits[48];
  int count = 0;
  do {
    digits[count++] = static_cast<char>('0' + static_cast<int>(value % 10));
    value /= 10;
  } while (value != 0);
  while (count > 0) out->push_back(digits[--count]);
}

}  // namespace

void AppendDate32(std::string* out, int32_t days) {
  int64_t year;
  unsigned month, day;
  CivilFromDays(days, &year, &month, &day);
  char text[32];
  int length = std::snprintf(text, sizeof(text), "%04lld-%02u-%02u", static_cast<long long>(year), month, day);
  out->append(text, length);
}

bool ParseDate32(std::string_view text, int32_t* days) {
  size_t pos = 0;
  int64_t value;
  if (!ParseDatePart(text, &pos, &value) || pos != text.size()) return false;
  *days = static_cast<int32_t>(value);
  return true;
}

void AppendTimestamp(std::string* out, int64_t micros) {
  constexpr int64_t kMicrosPerDay = 86'400'000'000;
  int64_t days = micros / kMicrosPerDay;
  int64_t rest = micros % kMicrosPerDay;
  if (rest < 0) rest += kMicrosPerDay, --days;
  AppendDate32(out, static_cast<int32_t>(days));
  int64_t seconds = rest / 1'000'000, fraction = rest % 1'000'000;
  char text[32];
  int length = std::snprintf(text, sizeof(text), " %02d:%02d:%02d", static_cast<int>(seconds / 3600),
                             static_cast<int>(seconds / 60 % 60), static_cast<int>(seconds % 60));
  out->append(text, length);
  if (fraction != 0) {
    length = std::snprintf(text, sizeof(text), ".%06d", static_cast<int>(fraction));
    out->append(text, length);
  }
}

bool ParseTimestamp(std::string_view text, int64_t* micros) {
  size_t pos = 0;
  int64_t days;
  if (!ParseDatePart(text, &pos, &days)) return false;
  int64_t value = days * 86'400'000'000;
  if (pos < text.size()) {
    if (text[pos] != ' ' && text[pos] != 'T') return false;
    ++pos;
    unsigned hour, minute, second;
    if (!ReadDigits(text, &pos, 2, &hour) || pos >= text.size() || text[pos++] != ':') return false;
    if (!ReadDigits(text, &pos, 2, &minute) || pos >= text.size() || text[pos++] != ':') return false;
    if (!ReadDigits(text, &pos, 2, &second)) return false;
    if (hour > 23 || minute > 59 || second > 59) return false;
    value += ((hour * 60 + minute) * 60 + second) * int64_t{1'000'000};
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      int64_t fraction = 0;
      int digits = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (digits < 6) fraction = fraction * 10 + (text[pos] - '0'), ++digits;
        ++pos;
      }
      if (digits == 0) return false;
      while (digits < 6) fraction *= 10, ++digits;
      value += fraction;
    }
    if (pos < text.size() && text[pos] == 'Z') ++pos;
  }
  if (pos != text.size()) return false;
  *micros = value;
  return true;
}

void AppendDecimal(std::string* out, __int128 unscaled, int scale) {
  bool negative = unscaled < 0;
  unsigned __int128 magnitude = negative ? -static_cast<unsigned __int128>(unscaled) : unscaled;
  std::string digits;
  AppendUnsigned128(&digits, magnitude);
  if (static_cast<int>(digits.size()) <= scale) digits.insert(0, scale - digits.size() + 1, '0');
  if (negative) out->push_back('-');
  out->append(digits, 0, digits.size() - scale);
  if (scale > 0) {
    out->push_back('.');
    out->append(digits, digits.size() - scale, scale);
  }
}

bool ParseDecimal(std::string_view text, int precision, int scale, __int128* unscaled) {
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) negative = text[pos++] == '-';
  __int128 value = 0;
  int digits = 0, fraction_digits = 0;
  bool seen_point = false, seen_digit = false;
  for (; pos < text.size(); ++pos) {
    char c = text[pos];
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return false;
    seen_digit = true;
    if (seen_point && ++fraction_digits > scale) return false;
    if (value != 0 || c != '0') ++digits;
    value = value * 10 + (c - '0');
    if (digits > precision) return false;
  }
  if (!seen_digit) return false;
  for (; fraction_digits < scale; ++fraction_digits) {
    value *= 10;
    if (value != 0 && ++digits > precision) return false;
  }
  *unscaled = negative ? -value : value;
  return true;
}

void AppendFloat64(std::string* out, double value) { AppendShortest(out, value); }
void AppendFloat32(std::string* out, float value) { AppendShortest(out, value); }

void AppendValueText(std::string* out, const Column& column, int64_t row) {
  switch (column.type().id()) {
    case TypeId::kBool: out->append(column.Value<uint8_t>(row) ? "true" : "false"); break;
    case TypeId::kInt32: out->append(std::to_string(column.Value<int32_t>(row))); break;
    case TypeId::kInt64: out->append(std::to_string(column.Value<int64_t>(row))); break;
    case TypeId::kUInt32: out->append(std::to_string(column.Value<uint32_t>(row))); break;
    case TypeId::kUInt64: out->append(std::to_string(column.Value<uint64_t>(row))); break;
    case TypeId::kFloat32: AppendFloat32(out, column.Value<float>(row)); break;
    case TypeId::kFloat64: AppendFloat64(out, column.Value<double>(row)); break;
    case TypeId::kString:
    case TypeId::kBinary: out->append(column.GetString(row)); break;
    case TypeId::kDate32: AppendDate32(out, column.Value<int32_t>(row)); break;
    case TypeId::kTimestamp: AppendTimestamp(out, column.Value<int64_t>(row)); break;
    case TypeId::kDecimal: AppendDecimal(out, column.Value<__int128>(row), column.type().scale()); break;
    case TypeId::kList: {
      out->push_back('[');
      const Column& child = column.child();
      for (int64_t i = column.ListBegin(row); i < column.ListEnd(row); ++i) {
        if (i != column.ListBegin(row)) out->append(", ");
        if (child.IsNull(i)) {
          out->append("null");
        } else {
          AppendValueText(out, child, i);
        }
      }
      out->push_back(']');
      break;
    }
  }
}

}  // namespace kiln
