// Calendar dates (proleptic Gregorian) and the monthly time axis.
#pragma once

#include <cstdint>
#include <string>

namespace divsim {

/** A calendar date. */
struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31

  friend bool operator==(const CivilDate&, const CivilDate&) = default;
  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
};

/** Days since 1970-01-01 (negative before). */
std::int64_t days_from_civil(const CivilDate& date);

/** True when the date exists in the Gregorian calendar. */
bool is_valid_date(const CivilDate& date);

/** The first day of the month `months` after the month of `date` (day is set to 1). */
CivilDate add_months(const CivilDate& date, int months);

/** Months from the month of `from` to the month of `to` (days ignored). */
int months_between(const CivilDate& from, const CivilDate& to);

/** ISO 8601 text, `YYYY-MM-DD`. */
std::string to_iso(const CivilDate& date);

}  // namespace divsim
