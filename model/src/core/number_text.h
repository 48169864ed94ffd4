// Numbers as text: exact (to read back), brief (for people), fixed (tables).
#pragma once

#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>

namespace divsim::detail {

/** The shortest text with 17 significant digits: reads back the same double. */
inline std::string exact(double value) {
  std::ostringstream out;
  out.precision(17);
  out << value;
  return out.str();
}

/** Four significant digits, for people. */
inline std::string brief(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

/** `digits` decimals; empty for NaN (a value the run did not reach). */
inline std::string fixed(double value, int digits) {
  if (std::isnan(value)) return "";
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(digits);
  out << value;
  return out.str();
}

}  // namespace divsim::detail
