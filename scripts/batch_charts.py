#!/usr/bin/python3
"""Turns a batch file of `divsim batch` (docs/batch.md) into charts and a summary for readers:
fan charts of every summary indicator by group, a comparison of the portfolios against the
reference scenario, and summary.html, which embeds them with the milestone and target tables.
Uses only the batch file and calibration/milestones.csv and calibration/targets.csv.
scripts/batch-charts runs it with Debian's python3; docs/charts.md describes what it draws.

Usage: batch_charts.py BATCH.h5 [--out DIR] [--force]
"""
import base64
import csv
import datetime
import html
import importlib
import io
import math
import os
import re
import shutil
import signal
import sys

PROG = "batch-charts"
USAGE = "usage: scripts/batch-charts BATCH.h5 [--out DIR] [--force]"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)

# The summary indicators charted, with the measures a per-run value is computed from (numerator,
# denominator), so that a group the summary does not hold can be derived from the runs.
INDICATORS = [
    ("internet_use_percent", "Internet use", "% of population", ("internet_users", "population")),
    ("mobile_ownership_percent", "Mobile phone ownership", "% of population aged 10+",
     ("mobile_owners_10plus", "population_10plus")),
    ("covered_3g_plus_percent", "Covered by 3G or better", "% of population",
     ("covered_3g_plus", "population")),
    ("covered_4g_plus_percent", "Covered by 4G or better", "% of population",
     ("covered_4g_plus", "population")),
    ("basic_skills_percent", "At least basic digital skills", "% of population",
     ("basic_skills", "population")),
]
INDICATOR = {i[0]: i for i in INDICATORS}
GROUP_TITLES = {
    "world": "World", "high_income": "High income", "upper_middle_income": "Upper-middle income",
    "lower_middle_income": "Lower-middle income", "low_income": "Low income", "urban": "Urban",
    "rural": "Rural", "female": "Women", "male": "Men",
    "low_and_middle_income": "Low and middle income",
}
# Groups a target may name that the summary does not hold but the per-run measures give: the
# strata's income groups that make them up.
DERIVED_GROUPS = {"low_and_middle_income": ("upper_middle", "lower_middle", "low")}
# How targets.csv names indicators, and the summary indicator each is read from.
TARGET_INDICATORS = {"internet_use": "internet_use_percent",
                     "mobile_ownership": "mobile_ownership_percent",
                     "basic digital skills": "basic_skills_percent"}
# Target groups that stand for the whole population with a narrower age range than the model's
# indicator: mapped to the world group, with the difference said next to the number.
AGE_GROUPS = {"aged 15+"}
UNMAPPED_GROUPS = {
    "least_developed_countries": "the model groups countries by World Bank income group, not by "
                                 "LDC status",
    "all targets": "a parity condition over all targets, not one indicator; the gap between men "
                   "and women is in the portfolio chart",
    "connected individuals": "the model does not tally skills among Internet users; its "
                             "basic_skills_percent is over the whole population",
}
# The review years at which portfolios are judged: the Global Digital Compact review (2027), the
# 2030 Agenda (2030) and WSIS+30 (2035); 2026 comes before most programmes can show effects.
PORTFOLIO_YEARS = (2027, 2030, 2035)
GAP_YEAR = 2030
GAPS = [("income", "high_income", "low_income", "income: high − low"),
        ("urban_rural", "urban", "rural", "urban − rural"),
        ("gender", "male", "female", "men − women")]
MAX_SCENARIOS_PER_CHART = 6  # the reference and five others: more bands stop being readable
OUR_FILES = re.compile(r"^(fan-[a-z0-9_]+(-[0-9]+)?\.png|portfolio\.png|summary\.html)$")


class BadInput(Exception):
    """Input the user must fix: reported in one line, exit code 2."""


def fail(message, code=2):
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(code)


def parse_args(argv):
    batch, out, force = None, None, False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            print(__doc__.strip().split("\n\n")[0] + "\n\n" + USAGE +
                  "\n  --out DIR  the folder to write (default: the batch file's name without .h5"
                  " and -charts)\n  --force    replace an existing folder of charts")
            sys.exit(0)
        if a == "--force":
            force = True
        elif a in ("--out", "-o"):
            if i + 1 >= len(argv):
                fail(f"{a}: expected a folder, found none ({USAGE})")
            out = argv[i + 1]
            i += 1
        elif a.startswith("--out="):
            out = a[len("--out="):]
        elif a.startswith("-") and a != "-":
            fail(f"option {a} does not exist ({USAGE})")
        elif batch is None:
            batch = a
        else:
            fail(f"expected one batch file, found a second: {a} ({USAGE})")
        i += 1
    if batch is None:
        fail(f"expected a batch file, found none ({USAGE})")
    if out == "":
        fail(f"--out: expected a folder, found an empty name ({USAGE})")
    if out is None:
        out = os.path.splitext(batch)[0] + "-charts"
    return batch, out.rstrip("/") or "/", force


# ---------------------------------------------------------------------------------------------
# Reading the batch file


def text_attr(value):
    if hasattr(value, "tolist"):
        value = value.tolist()
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def strings(dataset):
    values = dataset[...]
    return [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in values.tolist()]


class Batch:
    """What the charts need from a batch file, read once and checked against docs/batch.md."""

    def __init__(self, path):
        import h5py
        import numpy as np
        self.path = path
        if not os.path.exists(path):
            raise BadInput(f"{path}: no such file")
        if os.path.isdir(path):
            raise BadInput(f"{path}: expected a batch file, found a folder")
        try:
            if not h5py.is_hdf5(path):
                raise BadInput(f"{path}: not a divsim batch file (not HDF5)")
            f = h5py.File(path, "r")
        except OSError as e:
            raise BadInput(f"{path}: cannot be read ({e})")
        with f:
            self.attrs = {k: text_attr(v) for k, v in f.attrs.items()}
            title = self.attrs.get("title")
            if not (isinstance(title, str) and title.startswith("divsim batch")) or \
                    "batch_name" not in self.attrs:
                found = f'title "{title}"' if isinstance(title, str) else "no title attribute"
                raise BadInput(f"{path}: not a divsim batch file ({found})")
            if "shard" in self.attrs:
                raise BadInput(f"{path}: a part file (shard {self.attrs['shard']}) has no summary; "
                               "join the parts with divsim merge first")
            self._read(f, np)

    def need(self, f, name, shape=None):
        if name not in f:
            raise BadInput(f"{self.path}: no {name} (not a complete batch file)")
        d = f[name]
        if shape is not None and tuple(d.shape) != tuple(shape):
            raise BadInput(f"{self.path}: {name}: expected shape {tuple(shape)}, "
                           f"found {tuple(d.shape)}")
        return d

    def _read(self, f, np):
        p = self.path
        self.name = self.attrs["batch_name"]
        self.scenarios = strings(self.need(f, "summary/scenario_name"))
        S = len(self.scenarios)
        if S == 0:
            raise BadInput(f"{p}: summary/scenario_name: no scenarios")
        self.groups = strings(self.need(f, "summary/group_name"))
        if "world" not in self.groups:
            raise BadInput(f"{p}: summary/group_name: no world group (found {', '.join(self.groups)})")
        G = len(self.groups)
        quantiles = [float(q) for q in self.need(f, "summary/quantile")[...]]
        self.qi = {}
        for q in QUANTILES:
            hits = [i for i, v in enumerate(quantiles) if abs(v - q) < 1e-9]
            if not hits:
                raise BadInput(f"{p}: summary/quantile: expected {q} among "
                               f"{', '.join(str(v) for v in quantiles)}")
            self.qi[q] = hits[0]
        Q = len(quantiles)
        tvar = self.need(f, "summary/time")
        self.time = tvar[...].astype(float)
        T = len(self.time)
        units = text_attr(tvar.attrs.get("units", b""))
        if not units and "time" in f:
            units = text_attr(f["time"].attrs.get("units", b""))
        m = re.match(r"days since (\d{4}-\d{2}-\d{2})", units or "")
        start = m.group(1) if m else self.attrs.get("start_date")
        try:
            self.start = datetime.date.fromisoformat(str(start)[:10])
        except ValueError:
            raise BadInput(f"{p}: summary/time: expected units \"days since DATE\" or a start_date "
                           f"attribute, found {units!r}")
        self.dates = [self.start + datetime.timedelta(days=float(t)) for t in self.time]

        self.summary = {}
        for name, *_ in INDICATORS:
            if f"summary/{name}" in f:
                self.summary[name] = self.need(f, f"summary/{name}", (S, Q, T, G))[...]
        if "internet_use_percent" not in self.summary:
            self.need(f, "summary/internet_use_percent")
        self.spending = self.need(f, "summary/spending_usd", (S, Q, T))[...]

        self.years = [int(y) for y in self.need(f, "milestones/year")[...]]
        mtime = self.need(f, "milestones/time", (len(self.years),))[...].astype(float)
        # A milestone is read at a record of the run; the nearest stands in should the clocks
        # ever disagree by rounding.
        self.year_index = {y: int(np.argmin(np.abs(self.time - t))) for y, t in zip(self.years, mtime)}
        self.milestone_dates = {y: self.dates[i] for y, i in self.year_index.items()}

        self.reference = self.attrs.get("reference_scenario") or ""
        self.has_differences = "differences" in f
        if self.reference and self.reference not in self.scenarios:
            raise BadInput(f"{p}: reference_scenario \"{self.reference}\" is not a scenario of "
                           f"the batch ({', '.join(self.scenarios)})")
        if self.reference and not self.has_differences:
            raise BadInput(f"{p}: no differences group although reference_scenario is "
                           f"\"{self.reference}\" (not a complete batch file)")
        if self.has_differences:
            self.gained = self.need(f, "differences/users_gained", (S, Q, T, G))[...]
            self.additional = self.need(f, "differences/additional_spending_usd", (S, Q, T))[...]
            dyears = [int(y) for y in self.need(f, "differences/year")[...]]
            cost = self.need(f, "differences/cost_per_user_gained_usd", (S, len(dyears)))[...]
            self.cost = {y: cost[:, j] for j, y in enumerate(dyears)}

        self.scenario_files = strings(f["scenario_file"]) if "scenario_file" in f else [""] * S
        self.scenario_sha = strings(f["scenario_sha256"]) if "scenario_sha256" in f else [""] * S
        self.run_scenario = f["run_scenario_index"][...] if "run_scenario_index" in f else None
        self.runs_per_scenario = [int((self.run_scenario == s).sum()) for s in range(S)] \
            if self.run_scenario is not None else None
        self.derived = {}  # (indicator, group) -> (S, Q, T) or a reason it cannot be derived

    def derive(self, indicator, group):
        """Quantiles of a group the summary lacks, from the per-run measures, as the summary's
        own are computed: the rate per run, then type-7 quantiles over the runs of a scenario."""
        key = (indicator, group)
        if key in self.derived:
            return self.derived[key]
        import h5py
        import numpy as np
        numerator, denominator = INDICATOR[indicator][3]
        with h5py.File(self.path, "r") as f:
            missing = [m for m in (numerator, denominator, "income_group") if m not in f]
            if missing or self.run_scenario is None:
                what = ", ".join(missing) if missing else "run_scenario_index"
                self.derived[key] = f"the batch keeps no per-run {what}"
                return self.derived[key]
            income = np.array(strings(f["income_group"]))
            mask = np.isin(income, DERIVED_GROUPS[group])
            num_d, den_d = f[numerator], f[denominator]
            runs = num_d.shape[0]
            rate = np.empty((runs, len(self.time)))
            # Blocks of runs, so that a large batch is never held whole in memory.
            for a in range(0, runs, 256):
                b = min(runs, a + 256)
                rate[a:b] = 100.0 * num_d[a:b][:, :, mask].sum(axis=2) / \
                    den_d[a:b][:, :, mask].sum(axis=2)
        out = np.stack([np.quantile(rate[self.run_scenario == s], QUANTILES, axis=0, method="linear")
                        for s in range(len(self.scenarios))])
        self.derived[key] = out
        return out

    def series(self, indicator, group):
        """(S, 5, T) quantiles in QUANTILES order, or a reason string."""
        if group in self.groups:
            g = self.groups.index(group)
            x = self.summary[indicator]
            return x[:, [self.qi[q] for q in QUANTILES], :, :][..., g]
        if group in DERIVED_GROUPS:
            return self.derive(indicator, group)
        return f"group \"{group}\" is not a group of the batch"


# ---------------------------------------------------------------------------------------------
# Targets and milestones from calibration/


def read_csv(name):
    path = os.path.join(ROOT, "calibration", name)
    try:
        with open(path, newline="", encoding="utf-8") as f:
            return list(csv.DictReader(line for line in f if not line.startswith("#")))
    except OSError as e:
        fail(f"calibration/{name}: cannot be read ({e.strerror.lower()})", 1)


def map_target(batch, t):
    """(indicator, group, caveat) for a target of targets.csv, or (None, None, reason)."""
    if t["group"] in UNMAPPED_GROUPS:
        return None, None, UNMAPPED_GROUPS[t["group"]]
    indicator = TARGET_INDICATORS.get(t["indicator"])
    if indicator is None or indicator not in batch.summary:
        return None, None, f"the batch holds no {t['indicator']} indicator"
    group, caveat = t["group"], ""
    if group in AGE_GROUPS:
        model_ages = "aged 10+" if indicator == "mobile_ownership_percent" else "all ages"
        caveat = f"target: {group}; the model's indicator: {model_ages} (world)"
        group = "world"
    if "youth and adults" in t["unit"]:
        caveat = "target: youth and adults; the model's indicator: all ages"
    if group not in batch.groups and group not in DERIVED_GROUPS:
        return None, None, f"group \"{group}\" is not a group of the batch"
    series = batch.series(indicator, group)
    if isinstance(series, str):
        return None, None, series
    if group in DERIVED_GROUPS:
        parts = " + ".join(x.replace("_", "-") for x in DERIVED_GROUPS[group])
        caveat = (caveat + "; " if caveat else "") + \
            f"{GROUP_TITLES[group].lower()} derived from the per-run measures ({parts} income)"
    return indicator, group, caveat


def target_date(batch, year):
    """The record a target's deadline is read at: the deadline year's milestone, else the record
    nearest the milestones' day of that year (1 July by default)."""
    import numpy as np
    if year in batch.year_index:
        return batch.year_index[year]
    day = next(iter(batch.milestone_dates.values()), datetime.date(2000, 7, 1))
    try:
        wanted = datetime.date(year, day.month, day.day)
    except ValueError:
        wanted = datetime.date(year, 7, 1)
    days = (wanted - batch.start).days
    return int(np.argmin(np.abs(batch.time - days)))


def targets(batch):
    first, last = batch.dates[0].year, batch.dates[-1].year
    out = []
    for t in read_csv("targets.csv"):
        try:
            deadline = int(t["deadline"])
            threshold = float(t["threshold"])
        except (KeyError, ValueError):
            continue
        if not first <= deadline <= last:
            continue
        indicator, group, note = map_target(batch, t)
        below = "below" in t["unit"] or "at most" in t["unit"]
        out.append(dict(t, deadline=deadline, threshold=threshold, indicator_key=indicator,
                        group_key=group, note=note, below=below,
                        index=target_date(batch, deadline) if indicator else None))
    return out


def milestone_events():
    return {int(r["year"]): r["event"] for r in read_csv("milestones.csv") if r.get("year")}


# ---------------------------------------------------------------------------------------------
# Charts


def colours(batch):
    import matplotlib
    palette = [c for i, c in enumerate(matplotlib.colormaps["tab10"].colors) if i != 7]
    palette += [c for i, c in enumerate(matplotlib.colormaps["tab20"].colors) if i % 2 == 1]
    out, k = {}, 0
    for s in batch.scenarios:
        if s == batch.reference:
            out[s] = (0.2, 0.2, 0.2)  # the reference in dark grey, the portfolios in colour
        else:
            out[s] = palette[k % len(palette)]
            k += 1
    return out


def scenario_pages(batch):
    """Scenario indices per chart: the reference on every page, at most five others."""
    ref = [batch.scenarios.index(batch.reference)] if batch.reference else []
    others = [i for i in range(len(batch.scenarios)) if i not in ref]
    per = MAX_SCENARIOS_PER_CHART - len(ref)
    pages = [ref + others[a:a + per] for a in range(0, len(others), per)]
    return pages or [ref]


def png_bytes(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()


def fan_charts(batch, all_targets, colour):
    import matplotlib.pyplot as plt
    import matplotlib.dates as mdates
    import numpy as np
    charts = []
    pages = scenario_pages(batch)
    dates = np.array(batch.dates, dtype="datetime64[D]")
    for name, title, unit, _ in INDICATORS:
        if name not in batch.summary:
            continue
        mine = [t for t in all_targets if t["indicator_key"] == name]
        groups = [g for g in GROUP_TITLES if g in batch.groups]
        groups += [g for g in batch.groups if g not in groups]
        groups += sorted({t["group_key"] for t in mine if t["group_key"] not in groups})
        for page_no, page in enumerate(pages, 1):
            ncols = 5
            nrows = max(2, math.ceil(len(groups) / ncols))
            fig, axes = plt.subplots(nrows, ncols, figsize=(19, 4.0 * nrows + 1.6), squeeze=False)
            flat = axes.ravel()
            for ax, group in zip(flat, groups):
                series = batch.series(name, group)
                for s in page:
                    c = colour[batch.scenarios[s]]
                    q = series[s]
                    ax.fill_between(dates, q[0], q[4], color=c, alpha=0.10, lw=0)
                    ax.fill_between(dates, q[1], q[3], color=c, alpha=0.25, lw=0)
                    ax.plot(dates, q[2], color=c, lw=1.6, label=batch.scenarios[s])
                for y, d in batch.milestone_dates.items():
                    ax.axvline(np.datetime64(d), color="0.45", ls=":", lw=1)
                for t in (t for t in mine if t["group_key"] == group):
                    d = np.datetime64(batch.dates[t["index"]])
                    ax.plot([d], [t["threshold"]], marker="D", ms=7, mfc="white", mec="black",
                            mew=1.4, ls="none", zorder=5)
                    ax.annotate(f"{t['target']}: {t['threshold']:g}% by {t['deadline']}" +
                                (" *" if t["note"] else ""), (d, t["threshold"]),
                                xytext=(6, -4), textcoords="offset points", fontsize=7.5,
                                va="top", zorder=6)
                ax.set_title(GROUP_TITLES.get(group, group) +
                             (" (from the runs)" if group in DERIVED_GROUPS else ""), fontsize=11)
                # The milestone years on a top axis, where they cannot hide the bands.
                top = ax.secondary_xaxis("top")
                top.set_xticks([np.datetime64(d) for d in batch.milestone_dates.values()])
                top.set_xticklabels([str(y) for y in batch.milestone_dates], fontsize=7,
                                    color="0.35")
                top.tick_params(length=2, pad=1)
                ax.xaxis.set_major_locator(mdates.YearLocator(2))
                ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
                ax.set_xlim(dates[0], dates[-1])
                ax.grid(alpha=0.3)
                ax.tick_params(labelsize=8)
            for ax in flat[len(groups):]:
                ax.axis("off")
            for row in axes:
                row[0].set_ylabel(unit, fontsize=9)
            handles, labels = flat[0].get_legend_handles_labels()
            fig.legend(handles, labels, loc="upper center", ncol=min(len(labels), 6), fontsize=10,
                       frameon=False, bbox_to_anchor=(0.5, 0.965))
            suffix = f" ({page_no} of {len(pages)})" if len(pages) > 1 else ""
            # A text, not a suptitle, so that tight_layout leaves the panels where rect says.
            fig.text(0.5, 0.995, f"{title} ({unit}){suffix}: median, 25–75 and 5–95% of the runs "
                     "of each scenario", fontsize=13, ha="center", va="top")
            foot = ["Dotted lines: review milestones " +
                    ", ".join(str(y) for y in batch.milestone_dates) +
                    ". Diamonds: targets of calibration/targets.csv at their deadline."]
            notes = [f"{t['target']}: {t['note']}" for t in mine if t["note"]]
            if notes:
                foot.append("* " + "; ".join(notes) + ".")
            fig.text(0.01, 0.005, "\n".join(foot), fontsize=8.5, va="bottom", ha="left")
            fig.tight_layout(rect=(0, 0.03 + 0.014 * len(foot), 1, 0.93))
            file = f"fan-{name}.png" if len(pages) == 1 else f"fan-{name}-{page_no}.png"
            caption = f"{title} by group{suffix}."
            if notes:
                caption += " Targets marked *: " + "; ".join(notes) + "."
            charts.append((file, png_bytes(fig), caption))
            plt.close(fig)
    return charts


def portfolio_years(batch):
    years = [y for y in PORTFOLIO_YEARS if y in batch.year_index]
    return years or list(batch.years)


def gap_year(batch):
    if GAP_YEAR in batch.year_index:
        return GAP_YEAR
    return batch.years[-1] if batch.years else None


def portfolio_chart(batch, colour):
    import matplotlib.pyplot as plt
    import numpy as np
    w = batch.groups.index("world")
    q05, q50, q95 = (batch.qi[q] for q in (0.05, 0.5, 0.95))
    ref = batch.scenarios.index(batch.reference) if batch.reference else None
    others = [s for s in range(len(batch.scenarios)) if s != ref]
    years = portfolio_years(batch)
    panels = 3 if batch.has_differences and others else 1
    fig, axes = plt.subplots(1, panels, figsize=(6.4 * panels, 5.8), squeeze=False)
    axes = list(axes[0])
    markers = ["o", "s", "^", "D", "v", "P"]
    if panels == 3:
        ax = axes[0]
        for s in others:
            c = colour[batch.scenarios[s]]
            xs, ys = [], []
            for k, y in enumerate(years):
                i = batch.year_index[y]
                x = batch.additional[s, [q05, q50, q95], i] / 1e9
                g = batch.gained[s, [q05, q50, q95], i, w] / 1e6
                ax.errorbar([x[1]], [g[1]], xerr=[[x[1] - x[0]], [x[2] - x[1]]],
                            yerr=[[g[1] - g[0]], [g[2] - g[1]]], fmt=markers[k % len(markers)],
                            color=c, ms=7, capsize=3, lw=1.2)
                xs.append(x[1])
                ys.append(g[1])
            ax.plot(xs, ys, color=c, lw=0.8, alpha=0.6)
        for k, y in enumerate(years):
            ax.plot([], [], markers[k % len(markers)], color="0.3", ls="none", label=str(y))
        ax.axhline(0, color="k", lw=0.7)
        ax.set_xlabel(f"additional spending since {batch.dates[0].year} (USD bn, cumulative)")
        ax.set_ylabel("Internet users gained (millions)")
        ax.set_title(f"Users gained against {batch.reference}: median, 5–95%", fontsize=11)
        ax.legend(title="milestone", fontsize=8, title_fontsize=8, loc="best")
        ax.grid(alpha=0.3)

        ax = axes[1]
        width = 0.8 / max(1, len(others))
        top = 0.0
        for k, s in enumerate(others):
            vals = [float(batch.cost[y][s]) if y in batch.cost else math.nan for y in years]
            xs = np.arange(len(years)) + (k - (len(others) - 1) / 2) * width
            ax.bar(xs, [0 if math.isnan(v) else v for v in vals], width=width * 0.95,
                   color=colour[batch.scenarios[s]])
            top = max([top] + [v for v in vals if not math.isnan(v)])
            for x, v in zip(xs, vals):
                ax.annotate("n/a" if math.isnan(v) else f"{v:,.0f}", (x, 0 if math.isnan(v) else v),
                            ha="center", va="bottom", fontsize=7.5)
        ax.set_xticks(range(len(years)))
        ax.set_xticklabels([str(y) for y in years])
        ax.set_ylabel("USD per user gained")
        ax.set_title("Cost per user gained (mean additional spending / mean users gained; "
                     "n/a: no gain)", fontsize=10)
        ax.grid(alpha=0.3, axis="y")

    ax = axes[-1]
    gy = gap_year(batch)
    i = batch.year_index[gy]
    use = batch.summary["internet_use_percent"]
    width = 0.8 / len(batch.scenarios)
    for s, name in enumerate(batch.scenarios):
        vals = [use[s, q50, i, batch.groups.index(a)] - use[s, q50, i, batch.groups.index(b)]
                if a in batch.groups and b in batch.groups else math.nan for _, a, b, _ in GAPS]
        xs = np.arange(len(GAPS)) + (s - (len(batch.scenarios) - 1) / 2) * width
        ax.bar(xs, vals, width=width * 0.95, color=colour[name])
    ax.axhline(0, color="k", lw=0.7)
    ax.set_xticks(range(len(GAPS)))
    ax.set_xticklabels([g[3] for g in GAPS])
    ax.set_ylabel("percentage points of Internet use")
    ax.set_title(f"Gaps in Internet use at {gy} (difference of the medians)", fontsize=11)
    ax.grid(alpha=0.3, axis="y")

    handles = [plt.Rectangle((0, 0), 1, 1, color=colour[s]) for s in batch.scenarios]
    fig.legend(handles, batch.scenarios, loc="upper center", ncol=min(6, len(handles)),
               frameon=False, fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.92))
    data = png_bytes(fig)
    plt.close(fig)
    caption = (f"Portfolios against {batch.reference} at the milestones "
               f"{', '.join(map(str, years))}: paired differences of the world's Internet users "
               "and of cumulative spending (median, whiskers 5–95%), the cost per user gained, and "
               f"the gaps in Internet use at {gy}." if panels == 3 else
               f"Gaps in Internet use at {gy} (the batch has no reference scenario, so no paired "
               "differences).")
    return ("portfolio.png", data, caption)


# ---------------------------------------------------------------------------------------------
# The HTML summary

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:2em auto;
max-width:1300px;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.88em}
th,td{border:1px solid #ddd;padding:.25em .5em;text-align:right;vertical-align:top}
th{background:#f3f3f3}td.l,th.l{text-align:left}
.range{color:#777;font-size:.9em}.yes{color:#176b2c;font-weight:600}.no{color:#a1261b}
.na{color:#999}.swatch{display:inline-block;width:.9em;height:.9em;margin-right:.35em;
vertical-align:-.1em;border-radius:2px}
figure{margin:1.5em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.9em;color:#444}dl.prov{display:grid;grid-template-columns:max-content auto;
gap:.15em 1em;font-size:.92em}dl.prov dt{font-weight:600}dl.prov dd{margin:0;
font-family:ui-monospace,monospace;word-break:break-all}
.note{font-size:.9em;color:#444}
"""


def esc(text):
    return html.escape(str(text), quote=True)


def num(value, decimals, key):
    """A number in a span that names what it is, so that it can be checked against the file."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return f'<span class="na" data-v="{esc(key)}">n/a</span>'
    return f'<span data-v="{esc(key)}">{value:,.{decimals}f}</span>'


def with_range(values, decimals, key):
    lo, mid, hi = values
    return (num(mid, decimals, key + "|q50") + ' <span class="range">[' +
            num(lo, decimals, key + "|q05") + "–" + num(hi, decimals, key + "|q95") + "]</span>")


def milestone_tables(batch, colour):
    q = [batch.qi[x] for x in (0.05, 0.5, 0.95)]
    q50 = batch.qi[0.5]
    use = batch.summary["internet_use_percent"]
    w = batch.groups.index("world")
    other_groups = [g for g in batch.groups if g != "world"]
    out = []
    for s, name in enumerate(batch.scenarios):
        ref = " (reference)" if name == batch.reference else ""
        out.append(f'<h3><span class="swatch" style="background:{rgb(colour[name])}"></span>'
                   f"{esc(name)}{ref}</h3>")
        head = ["year", "world Internet use, % (median [5–95])"] + \
            [f"{esc(GROUP_TITLES.get(g, g))}, %" for g in other_groups]
        if batch.has_differences:
            head += [f"users gained vs {esc(batch.reference)}, millions (median [5–95])"]
        head += ["cumulative spending, USD bn (median [5–95])"]
        if batch.has_differences:
            head += ["cost per user gained, USD"]
        rows = ["<tr>" + "".join(f'<th{" class=l" if k == 0 else ""}>{h}</th>'
                                 for k, h in enumerate(head)) + "</tr>"]
        for y in batch.years:
            i = batch.year_index[y]
            key = f"{name}|{y}"
            cells = [f'<td class="l">{y}</td>',
                     "<td>" + with_range(use[s, q, i, w], 1, f"{key}|internet_use_percent|world") +
                     "</td>"]
            for g in other_groups:
                gi = batch.groups.index(g)
                cells.append("<td>" + num(float(use[s, q50, i, gi]), 1,
                                          f"{key}|internet_use_percent|{g}|q50") + "</td>")
            if batch.has_differences:
                cells.append("<td>" + with_range(batch.gained[s, q, i, w] / 1e6, 2,
                                                 f"{key}|users_gained_millions|world") + "</td>")
            cells.append("<td>" + with_range(batch.spending[s, q, i] / 1e9, 2,
                                             f"{key}|spending_usd_bn") + "</td>")
            if batch.has_differences:
                if name == batch.reference:
                    cells.append('<td><span class="na">–</span></td>')
                else:
                    cost = float(batch.cost[y][s]) if y in batch.cost else math.nan
                    cells.append("<td>" + num(cost, 0, f"{key}|cost_per_user_gained_usd") + "</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        out.append("<table>\n" + "\n".join(rows) + "\n</table>")
    return "\n".join(out)


def targets_table(batch, all_targets):
    head = ["target", "indicator", "group", "threshold", "deadline", "read at"] + \
        [esc(s) for s in batch.scenarios]
    rows = ["<tr>" + "".join(f'<th{" class=l" if k < 3 else ""}>{h}</th>'
                             for k, h in enumerate(head)) + "</tr>"]
    unmapped = []
    for t in all_targets:
        cells = [f'<td class="l">{esc(t["target"])}</td>', f'<td class="l">{esc(t["indicator"])}</td>',
                 f'<td class="l">{esc(t["group"])}</td>',
                 f'<td>{t["threshold"]:g} {esc(t["unit"])}</td>', f'<td>{t["deadline"]}</td>']
        if t["indicator_key"] is None:
            cells.append('<td class="na">–</td>')
            cells.append(f'<td class="l na" colspan="{len(batch.scenarios)}">not mapped: '
                         f'{esc(t["note"])}</td>')
            unmapped.append(t)
        else:
            i = t["index"]
            cells.append(f"<td>{batch.dates[i].isoformat()}</td>")
            series = batch.series(t["indicator_key"], t["group_key"])
            for s, name in enumerate(batch.scenarios):
                lo, mid, hi = (float(series[s, QUANTILES.index(x), i]) for x in (0.05, 0.5, 0.95))
                meets = mid <= t["threshold"] if t["below"] else mid >= t["threshold"]
                key = f"target|{t['target']}|{name}"
                cells.append("<td>" + with_range((lo, mid, hi), 1, key) +
                             (' <span class="yes">meets</span>' if meets else
                              ' <span class="no">falls short</span>') + "</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
        if t["indicator_key"] is not None and t["note"]:
            rows.append(f'<tr><td></td><td class="l note" colspan="{len(head) - 1}">'
                        f'{esc(t["note"])}</td></tr>')
    text = "<table>\n" + "\n".join(rows) + "\n</table>"
    if unmapped:
        text += ('<p class="note">Not mapped to a group of the batch: ' +
                 ", ".join(esc(t["target"]) for t in unmapped) + ".</p>")
    return text


def rgb(c):
    return "#%02x%02x%02x" % tuple(int(round(255 * x)) for x in c[:3])


def summary_html(batch, all_targets, charts, colour):
    a = batch.attrs
    events = milestone_events()
    prov = [("batch_name", a.get("batch_name")), ("engine_version", a.get("engine_version")),
            ("git_commit", a.get("git_commit")), ("batch_sha256", a.get("batch_sha256")),
            ("runs", a.get("runs")), ("replicates", a.get("replicates")),
            ("draws", a.get("draws")), ("agents", a.get("agents")),
            ("reference_scenario", a.get("reference_scenario") or "none"),
            ("start_date – end_date", f"{a.get('start_date')} – {a.get('end_date')}"),
            ("created", a.get("created"))]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>divsim batch {esc(batch.name)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>divsim batch: {esc(batch.name)}</h1>",
        f'<p class="note">Internet use and its divides from {esc(a.get("start_date"))} to '
        f"{esc(a.get('end_date'))} under {len(batch.scenarios)} scenarios"
        + (f", against {esc(batch.reference)}" if batch.reference else "") + ".</p>",
        "<h2>Provenance</h2>",
        '<dl class="prov">' + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v if v is not None else '–')}</dd>"
                                      for k, v in prov) + "</dl>",
        "<table><tr><th class=l>scenario</th><th class=l>file</th><th class=l>SHA-256</th>"
        "<th>runs</th></tr>" + "".join(
            f'<tr><td class="l"><span class="swatch" style="background:{rgb(colour[s])}"></span>'
            f'{esc(s)}{" (reference)" if s == batch.reference else ""}</td>'
            f'<td class="l">{esc(batch.scenario_files[k])}</td>'
            f'<td class="l"><code>{esc(batch.scenario_sha[k])}</code></td>'
            f'<td>{batch.runs_per_scenario[k] if batch.runs_per_scenario else "–"}</td></tr>'
            for k, s in enumerate(batch.scenarios)) + "</table>",
        "<h2>Review milestones</h2>",
        "<table><tr><th class=l>year</th><th class=l>read at</th><th class=l>event</th></tr>" +
        "".join(f'<tr><td class="l">{y}</td><td class="l">{batch.milestone_dates[y].isoformat()}'
                f'</td><td class="l">{esc(events.get(y, ""))}</td></tr>' for y in batch.years) +
        "</table>",
        "<h2>At the milestones</h2>",
        '<p class="note">Internet use in percent of each group’s population (all ages); the median '
        "and, in brackets, the 5th and 95th percentiles over the scenario’s runs. Users gained are "
        f"paired differences against {esc(batch.reference or 'the reference')} (millions of "
        "persons, world); spending is cumulative from the start.</p>",
        milestone_tables(batch, colour),
        "<h2>Targets</h2>",
        '<p class="note">The targets of calibration/targets.csv whose deadline falls within the '
        "run, read at the deadline year’s milestone or, for a year without one, at the record "
        "nearest the same day of that year. “Meets” compares the median with the threshold.</p>",
        targets_table(batch, all_targets),
        "<h2>Charts</h2>",
    ]
    for file, data, caption in charts:
        parts.append(f'<figure><img alt="{esc(file)}" src="data:image/png;base64,'
                     f'{base64.b64encode(data).decode("ascii")}"><figcaption>{esc(file)}: '
                     f"{esc(caption)}</figcaption></figure>")
    per = batch.runs_per_scenario
    draws, replicates = a.get("draws"), a.get("replicates")
    runs_text = (f"{per[0]} runs per scenario ({draws} draw{'' if draws == 1 else 's'} × "
                 f"{replicates} replicate{'' if replicates == 1 else 's'})"
                 if per and len(set(per)) == 1 else "the runs of each scenario")
    parts += [
        "<h2>Method</h2>",
        "<ul class=note>",
        f"<li>Every number is a quantile over {runs_text}: all parameter draws and replicates "
        "together, so the bands hold both parameter uncertainty and the model’s own randomness. "
        "Quantiles interpolate linearly between order statistics (Hyndman and Fan’s type 7).</li>",
        "<li>Users gained, additional spending and the change in use are paired differences: each "
        "run minus the run of the reference scenario with the same draw and replicate, which "
        "shares its random numbers (common random numbers), so most of the noise cancels. Their "
        "quantiles are those of the differences, not differences of quantiles.</li>",
        "<li>The cost per user gained is the mean additional spending over the mean number of "
        "users gained (world), n/a where the gain is not positive.</li>",
        "<li>The gaps in the portfolio chart are differences of the groups’ medians.</li>",
        "<li>Counts are weighted persons: each agent stands for many people, so with few agents "
        "users gained move in coarse steps.</li>",
        "<li>The model’s indicators cover all ages (mobile ownership: ages 10 and over); targets "
        "set for other ages are compared with them as marked.</li>",
        "</ul>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------------------------------------
# Writing: into a temporary folder next to the target, renamed into place when complete.


def check_output(out, force):
    if os.path.exists(out) and not os.path.isdir(out):
        fail(f"{out}: expected a folder for the charts, found a file")
    if os.path.isdir(out) and os.listdir(out):
        if not force:
            fail(f"{out}: output exists (use --force to overwrite it)")
        foreign = sorted(n for n in os.listdir(out) if not OUR_FILES.match(n))
        if foreign:
            fail(f"{out}: holds files {PROG} does not write (such as {foreign[0]}); "
                 "not replacing it")


def install(tmp, out):
    """Puts the finished folder in place; an existing one is moved aside first and removed only
    once the new one is there."""
    if not os.path.isdir(out):
        os.rename(tmp, out)
        return
    old = f"{tmp}-old"
    os.rename(out, old)
    try:
        os.rename(tmp, out)
    except OSError:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def main(argv):
    batch_path, out, force = parse_args(argv)

    def stop(signum, _frame):
        raise KeyboardInterrupt(signum)
    signal.signal(signal.SIGTERM, stop)
    tmp = None
    try:
        # All three up front, so that a missing one is said before any work.
        for module in ("h5py", "numpy", "matplotlib"):
            try:
                importlib.import_module(module)
            except ImportError:
                fail(f"{module}: not installed for {sys.executable} (Debian: apt-get install "
                     "python3-h5py python3-numpy python3-matplotlib)", 1)
        import matplotlib
        matplotlib.use("Agg")
        try:
            batch = Batch(batch_path)
        except BadInput as e:
            fail(str(e))
        check_output(out, force)
        all_targets = targets(batch)
        colour = colours(batch)
        charts = fan_charts(batch, all_targets, colour)
        charts.append(portfolio_chart(batch, colour))
        page = summary_html(batch, all_targets, charts, colour)

        parent = os.path.dirname(os.path.abspath(out))
        tmp = os.path.join(parent, f".{os.path.basename(os.path.abspath(out))}.tmp-{os.getpid()}")
        try:
            os.makedirs(parent, exist_ok=True)
            os.mkdir(tmp)
            for file, data, _ in charts:
                with open(os.path.join(tmp, file), "wb") as f:
                    f.write(data)
            with open(os.path.join(tmp, "summary.html"), "w", encoding="utf-8") as f:
                f.write(page)
            # No signal between moving the old folder aside and putting the new one in place.
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
            install(tmp, out)
        except OSError as e:
            fail(f"{e.filename or out}: cannot write ({(e.strerror or str(e)).lower()})", 1)
    except KeyboardInterrupt as e:
        signum = int(e.args[0]) if e.args else int(signal.SIGINT)
        fail(f"stopped by signal {signum}; nothing written", 128 + signum)
    finally:
        if tmp is not None and os.path.exists(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{PROG}: wrote {out} ({len(charts)} charts and summary.html)", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
