#!/usr/bin/python3
"""Draws DIR/fit.png from the CSV files `divsim calibrate` wrote into DIR: the world series with
the fit, the posterior band and the diffusion curves; the cross-sections; scaled residuals; the
objective's history. `divsim calibrate` runs it (its text is built into the engine);
scripts/calibration-chart runs it on a report folder."""
import csv, os, sys, math
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

folder = sys.argv[1]
def rows(name):
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))
def num(text):
    return float(text) if text not in ("", None) else math.nan

fit = rows("fit.csv")
trajectory = rows("trajectory.csv")
history = rows("objective.csv")
samples = rows("posterior_samples.csv")

fig, axes = plt.subplots(2, 2, figsize=(13, 9))
ax = axes[0][0]
world = [r for r in fit if r["indicator"] == "internet_use" and r["group"] == "world"]
fitted = [r for r in world if r["role"] == "fitted"]
held = [r for r in world if r["role"] == "held_out"]
if held:
    ax.axvspan(min(int(r["year"]) for r in held) - 0.5, max(int(r["year"]) for r in held) + 0.5,
               color="0.92", label="held out")
if samples:
    years = sorted({int(r["year"]) for r in world})
    band_lo, band_hi = [], []
    for y in years:
        key = "internet_use:world:%d" % y
        pairs = sorted((num(s[key]), num(s["weight"])) for s in samples if s.get(key))
        total, acc, lo, hi = sum(w for _, w in pairs), 0.0, math.nan, math.nan
        for v, w in pairs:
            acc += w / total
            if math.isnan(lo) and acc >= 0.05: lo = v
            if math.isnan(hi) and acc >= 0.95: hi = v
        band_lo.append(lo); band_hi.append(hi)
    ax.fill_between([y + 0.5 for y in years], band_lo, band_hi, color="tab:blue", alpha=0.2,
                    label="posterior 5-95% (with run noise)")
tw = [r for r in trajectory if r["group"] == "world"]
ax.plot([int(r["year"]) + 0.5 for r in tw], [num(r["internet_use"]) for r in tw], color="tab:blue",
        label="divsim (fit)")
for r_set, marker, label in ((fitted, "o", "target (fitted)"), (held, "s", "target (held out)")):
    if r_set:
        ax.errorbar([int(r["year"]) + 0.5 for r in r_set], [num(r["target"]) for r in r_set],
                    yerr=[num(r["sigma"]) for r in r_set], fmt=marker, color="k", ms=4, capsize=2,
                    label=label)
for column, style in (("logistic", "--"), ("bass", ":")):
    pts = [(int(r["year"]) + 0.5, num(r[column])) for r in world if r[column]]
    if pts:
        ax.plot(*zip(*pts), style, color="tab:orange" if column == "logistic" else "tab:green",
                label=column + " curve")
ax.set_title("World Internet use (% of population), 1 July")
ax.set_xlabel("year"); ax.set_ylabel("percent"); ax.legend(fontsize=8); ax.grid(alpha=0.3)

ax = axes[0][1]
cross = [r for r in fit if not (r["indicator"] == "internet_use" and r["group"] == "world")]
labels = ["%s\n%s %s" % (r["indicator"].replace("_10plus", " 10+").replace("_", " "), r["group"].replace("_", " "), r["year"]) for r in cross]
xs = range(len(cross))
ax.bar([x - 0.2 for x in xs], [num(r["target"]) for r in cross], width=0.4, color="0.6", label="target")
ax.bar([x + 0.2 for x in xs], [num(r["divsim"]) for r in cross], width=0.4, color="tab:blue", label="divsim")
for x, r in zip(xs, cross):
    if r["role"] == "check":
        ax.annotate("check", (x, num(r["target"]) + 2), ha="center", fontsize=7)
ax.set_xticks(list(xs)); ax.set_xticklabels(labels, rotation=70, fontsize=7)
ax.set_title("Groups: target and fit (percent)"); ax.legend(fontsize=8); ax.grid(alpha=0.3, axis="y")

ax = axes[1][0]
scaled = [r for r in fit if r["scaled_residual"]]
ax.bar(range(len(scaled)), [num(r["scaled_residual"]) for r in scaled],
       color=["tab:red" if r["role"] == "held_out" else "tab:blue" for r in scaled])
ax.axhline(0, color="k", lw=0.8)
for h in (-2, 2):
    ax.axhline(h, color="0.5", lw=0.8, ls="--")
ax.set_xticks(range(len(scaled)))
ax.set_xticklabels(["%s %s" % (r["group"].replace("_income", "").replace("_", "-"), r["year"]) for r in scaled], rotation=90, fontsize=6)
ax.set_title("Residuals / sigma (red: held out)"); ax.grid(alpha=0.3, axis="y")

ax = axes[1][1]
runs = [r for r in history if r["kind"] != "accepted"]
ax.plot([int(r["evaluation"]) for r in runs], [num(r["objective"]) for r in runs], ".", color="0.6", ms=3, label="every run")
acc = [r for r in history if r["kind"] in ("start", "accepted")]
ax.plot([int(r["evaluation"]) for r in acc], [num(r["objective"]) for r in acc], "-o", color="tab:blue", ms=3, label="accepted")
ax.set_yscale("log"); ax.set_xlabel("run"); ax.set_title("Objective (sum of squared scaled residuals)")
ax.legend(fontsize=8); ax.grid(alpha=0.3)

fig.tight_layout()
out = os.path.join(folder, "fit.png")
tmp = os.path.join(folder, ".fit.png.tmp-%d.png" % os.getpid())
fig.savefig(tmp, dpi=110)
os.replace(tmp, out)
print("calibration-chart: wrote " + out)
