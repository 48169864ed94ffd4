// Rates by group at the milestones, as a plain-text table for people.
#include "divsim/output/milestone_table.h"

#include "divsim/output/groups.h"

#include <cstdio>

namespace divsim {
namespace {

struct Indicator {
  const char* label;
  Measure measure;
  Measure base;
};

constexpr Indicator kWorldIndicators[] = {
    {"Internet use", Measure::internet_users, Measure::population},
    {"mobile ownership, 10+", Measure::mobile_owners_10plus, Measure::population_10plus},
    {"covered by 3G+", Measure::covered_3g_plus, Measure::population},
    {"covered by 4G+", Measure::covered_4g_plus, Measure::population},
    {"covered by 5G", Measure::covered_5g, Measure::population},
    {"basic digital skills", Measure::basic_skills, Measure::population},
};

}  // namespace

std::vector<MilestonePoint> milestone_points(const Trajectory& trajectory,
                                             const std::vector<int>& years, int month) {
  std::vector<MilestonePoint> points;
  for (int year : years) {
    const CivilDate date{year, month, 1};
    for (std::size_t r = 0; r < trajectory.dates.size(); ++r) {
      if (trajectory.dates[r] == date) points.push_back({year, date, r});
    }
  }
  return points;
}

double percent(const StratumCounts& counts, Measure measure, Measure base,
               bool (*select)(int stratum)) {
  double top = 0, bottom = 0;
  for (int s = 0; s < kStrata; ++s) {
    if (!select(s)) continue;
    top += counts[static_cast<int>(measure) * kStrata + s];
    bottom += counts[static_cast<int>(base) * kStrata + s];
  }
  return bottom > 0 ? 100 * top / bottom : 0.0;
}

std::string format_milestone_table(const std::string& title, const Trajectory& trajectory,
                                   const std::vector<MilestonePoint>& points) {
  std::vector<std::pair<std::string, std::size_t>> columns;
  columns.emplace_back(to_iso(trajectory.dates.front()).substr(0, 7), 0);
  for (const auto& p : points) columns.emplace_back(std::to_string(p.year), p.record);

  std::string out;
  char cell[64];
  auto header = [&](const char* what) {
    std::snprintf(cell, sizeof cell, "%-24s", what);
    out += cell;
    for (const auto& c : columns) {
      std::snprintf(cell, sizeof cell, "%9s", c.first.c_str());
      out += cell;
    }
    out += '\n';
  };
  auto row = [&](std::string_view label, Measure m, Measure base, bool (*select)(int)) {
    std::snprintf(cell, sizeof cell, "%-24s", std::string(label).c_str());
    out += cell;
    for (const auto& c : columns) {
      std::snprintf(cell, sizeof cell, "%9.1f",
                    percent(trajectory.records[c.second], m, base, select));
      out += cell;
    }
    out += '\n';
  };

  out += title + "\n\nInternet use, % of population\n";
  header("group");
  for (const auto& g : kReportGroups)
    row(g.label, Measure::internet_users, Measure::population, g.select);
  out += "\nWorld, %\n";
  header("indicator");
  for (const auto& i : kWorldIndicators) row(i.label, i.measure, i.base, kReportGroups[0].select);
  out += "\nmobile ownership, % of people aged 10+\n";
  header("group");
  for (const auto& g : kReportGroups) {
    row(g.label, Measure::mobile_owners_10plus, Measure::population_10plus, g.select);
  }
  return out;
}

std::string format_money_table(const Ledger& ledger, const std::vector<MilestonePoint>& points) {
  if (ledger.sources().empty() || points.empty()) return {};
  const std::size_t sources = ledger.sources().size();
  std::string out = "\nMoney, million USD from the start to the milestone\n";
  char cell[96];
  std::snprintf(cell, sizeof cell, "%-34s", "");
  out += cell;
  for (const auto& p : points) {
    std::snprintf(cell, sizeof cell, "%10d", p.year);
    out += cell;
  }
  out += '\n';
  // Sums of a monthly flow over records 1..record, in cents, shown in million USD.
  auto row = [&](const std::string& label, auto&& flow_at) {
    std::snprintf(cell, sizeof cell, "%-34s", label.c_str());
    out += cell;
    for (const auto& p : points) {
      Cents sum = 0;
      for (std::size_t t = 1; t <= p.record && t < ledger.months(); ++t) sum += flow_at(t);
      std::snprintf(cell, sizeof cell, "%10.1f", static_cast<double>(sum) / 1e8);
      out += cell;
    }
    out += '\n';
  };
  row("collected", [&](std::size_t t) {
    Cents c = 0;
    for (std::size_t s = 0; s < sources; ++s)
      c += ledger.inflow_public(t, s) + ledger.inflow_private(t, s);
    return c;
  });
  for (int u = 0; u < kLedgerUses; ++u) {
    Cents any = 0;
    for (std::size_t t = 0; t < ledger.months(); ++t) {
      for (std::size_t s = 0; s < sources; ++s)
        any += ledger.spending(t, s, static_cast<LedgerUse>(u));
    }
    if (any == 0) continue;
    row("  spent on " + std::string(kLedgerUseNames[u]), [&](std::size_t t) {
      Cents c = 0;
      for (std::size_t s = 0; s < sources; ++s)
        c += ledger.spending(t, s, static_cast<LedgerUse>(u));
      return c;
    });
  }
  for (std::size_t s = 0; s < sources; ++s) {
    row("  spent from " + ledger.sources()[s].name, [&](std::size_t t) {
      Cents c = 0;
      for (int u = 0; u < kLedgerUses; ++u) c += ledger.spending(t, s, static_cast<LedgerUse>(u));
      return c;
    });
  }
  std::snprintf(cell, sizeof cell, "%-34s", "held by funds and programmes");
  out += cell;
  for (const auto& p : points) {
    Cents held = 0;
    for (std::size_t s = 0; s < sources; ++s) held += ledger.balance(p.record, s);
    std::snprintf(cell, sizeof cell, "%10.1f", static_cast<double>(held) / 1e8);
    out += cell;
  }
  out += '\n';
  return out;
}

}  // namespace divsim
