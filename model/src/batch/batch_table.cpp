// Reading a batch file's summary and differences into the table people read on the terminal.
#include "divsim/batch/batch_table.h"

#include <hdf5.h>

#include <cmath>
#include <cstdio>

#include "core/number_text.h"
#include "divsim/batch/batch_file.h"
#include "divsim/output/groups.h"
#include "output/hdf5_reader.h"

namespace divsim {
namespace {

using detail::Handle;
using detail::Reader;

/** A table cell: `-` where there is no value (no gain, so no cost per user). */
std::string fixed(double value, int decimals) {
  const std::string text = detail::fixed(value, decimals);
  return text.empty() ? "-" : text;
}

std::string pad(const std::string& text, std::size_t width, bool right) {
  if (text.size() >= width) return text;
  const std::string fill(width - text.size(), ' ');
  return right ? fill + text : text + fill;
}

int group_index(std::string_view key) {
  for (std::size_t g = 0; g < std::size(kReportGroups); ++g) {
    if (kReportGroups[g].key == key) return static_cast<int>(g);
  }
  return 0;
}

}  // namespace

std::string format_batch_table(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const Reader r(path, "batch file");
  if (H5Fis_hdf5(path.c_str()) <= 0) r.fail("expected a divsim batch file, found none");
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + path);
  r.require(file, "summary/internet_use_percent", "");
  const auto names = r.strings(file, "summary/scenario_name");
  const auto years = r.numbers<std::int32_t>(file, "summary/year", 1, H5T_NATIVE_INT32, true);
  const auto days = r.numbers<double>(file, "summary/time", 1, H5T_NATIVE_DOUBLE, false);
  const auto year_days = r.numbers<double>(file, "summary/year_time", 1, H5T_NATIVE_DOUBLE, false);
  std::vector<hsize_t> shape;
  const auto use =
      r.numbers<double>(file, "summary/internet_use_percent", 4, H5T_NATIVE_DOUBLE, false, &shape);
  const auto spent = r.numbers<double>(file, "summary/spending_usd", 3, H5T_NATIVE_DOUBLE, false);
  const std::size_t nq = shape[1], nt = shape[2], ng = shape[3];
  const bool differences = r.has(file, "differences/users_gained");
  std::vector<double> gained, cost;
  if (differences) {
    gained = r.numbers<double>(file, "differences/users_gained", 4, H5T_NATIVE_DOUBLE, false);
    cost = r.numbers<double>(file, "differences/cost_per_user_gained_usd", 2, H5T_NATIVE_DOUBLE,
                             false);
  }
  const std::string batch = r.text_attribute(file, "batch_name");
  const auto runs = r.number_attribute<std::int64_t>(file, "runs", H5T_NATIVE_INT64);
  const auto agents = r.number_attribute<std::int64_t>(file, "agents", H5T_NATIVE_INT64);
  // Quantile positions: 0.05, 0.5 and 0.95 of kBatchQuantiles.
  const std::size_t q05 = 0, q50 = 2, q95 = 4;
  auto at = [&](const std::vector<double>& v, std::size_t s, std::size_t q, std::size_t t,
                std::size_t g) { return v[((s * nq + q) * nt + t) * ng + g]; };
  const int world = group_index("world"), high = group_index("high_income"),
            low = group_index("low_income"), urban = group_index("urban"),
            rural = group_index("rural"), women = group_index("female"), men = group_index("male");

  std::string out = "divsim batch " + batch + ": " + std::to_string(runs) + " runs of " +
                    std::to_string(agents) +
                    " agents; medians over each scenario's runs, [5 %, 95 %] in brackets\n";
  std::size_t width = 8;
  for (const auto& n : names) width = std::max(width, n.size());
  auto range = [&](const std::vector<double>& v, std::size_t s, std::size_t t, std::size_t g,
                   double scale, int decimals) {
    return pad(fixed(at(v, s, q50, t, g) / scale, decimals), 7, true) + " [" +
           pad(fixed(at(v, s, q05, t, g) / scale, decimals), 6, true) + ", " +
           pad(fixed(at(v, s, q95, t, g) / scale, decimals), 6, true) + "]";
  };
  out += pad("scenario", width, false) +
         "  year  Internet use %             gaps, pp: inc   urb   sex";
  if (differences) out += "  users gained, M                spent, bn USD  USD per user gained";
  out += "\n";
  for (std::size_t s = 0; s < names.size(); ++s) {
    for (std::size_t y = 0; y < years.size(); ++y) {
      std::size_t t = 0;
      while (t < nt && days[t] != year_days[y]) ++t;
      if (t == nt) continue;
      std::string line =
          pad(names[s], width, false) + "  " + std::to_string(years[y]) + "  " +
          range(use, s, t, world, 1, 1) + "          " +
          pad(fixed(at(use, s, q50, t, high) - at(use, s, q50, t, low), 1), 5, true) + " " +
          pad(fixed(at(use, s, q50, t, urban) - at(use, s, q50, t, rural), 1), 5, true) + " " +
          pad(fixed(at(use, s, q50, t, men) - at(use, s, q50, t, women), 1), 5, true);
      if (differences) {
        line += "  " + range(gained, s, t, world, 1e6, 1) + "  " +
                pad(fixed(spent[(s * nq + q50) * nt + t] / 1e9, 2), 13, true) + "  " +
                pad(fixed(cost[s * years.size() + y], 0), 19, true);
      }
      out += line + "\n";
    }
  }
  return out;
}

}  // namespace divsim
