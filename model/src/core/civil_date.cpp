// Calendar arithmetic (Howard Hinnant's days_from_civil algorithm).
#include "divsim/core/civil_date.h"

#include <cstdio>

namespace divsim {

std::int64_t days_from_civil(const CivilDate& date) {
  const int y = date.year - (date.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = static_cast<unsigned>(date.month > 2 ? date.month - 3 : date.month + 9);
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(date.day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return std::int64_t(era) * 146097 + std::int64_t(doe) - 719468;
}

bool is_valid_date(const CivilDate& date) {
  if (date.month < 1 || date.month > 12 || date.day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0;
  const int days = kDays[date.month - 1] + (date.month == 2 && leap ? 1 : 0);
  return date.day <= days;
}

CivilDate add_months(const CivilDate& date, int months) {
  const int index = date.year * 12 + (date.month - 1) + months;
  return {index / 12, index % 12 + 1, 1};
}

int months_between(const CivilDate& from, const CivilDate& to) {
  return (to.year * 12 + to.month) - (from.year * 12 + from.month);
}

std::string to_iso(const CivilDate& date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", date.year, date.month, date.day);
  return text;
}

}  // namespace divsim
