#!/usr/bin/python3
"""Regression: `divsim calibrate` from the command line, on a reduced configuration.

A hindcast from mid-2015 at 5,000 agents, two parameters, a couple of iterations and a small
posterior: the files a calibration promises (the calibrated parameter file, the ensemble, the
report's CSV files and Markdown), their consistency with each other, the out-of-sample variant
(held-out years, logistic and Bass columns, the shipped files untouched), outputs refused without
--force, a scenario that reads a draw of the ensemble, and the chart. Bad input exits 2.
"""

import hashlib
import os
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from regression_common import (Checks, parse_args, read_csv, require_run,  # noqa: E402
                               run_divsim, shipped_scenario)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    a = parse_args(__doc__)
    c = Checks("calibration from the command line")
    w = a.workdir
    for name in os.listdir(w):  # a fresh folder: outputs are refused where they exist
        path = os.path.join(w, name)
        shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    hindcast = os.path.join(w, "history-2015.toml")
    with open(hindcast, "w", encoding="utf-8") as f:
        f.write(shipped_scenario(a.root, "history-2015.toml"))
    # The record from 2015 on: what a hindcast from mid-2015 can be fitted to.
    targets = os.path.join(w, "targets.csv")
    with open(os.path.join(a.root, "calibration", "calibration_targets.csv"), encoding="utf-8") as f:
        lines = [l for l in f if not l.startswith("#")]
    with open(targets, "w", encoding="utf-8") as f:
        f.write(lines[0])
        f.writelines(l for l in lines[1:] if int(l.split(",")[2]) >= 2015)
    config = os.path.join(w, "calibrate.toml")
    with open(config, "w", encoding="utf-8") as f:
        f.write(f"""[calibration]
scenario = "history-2015.toml"
targets = "targets.csv"
calibrated = "out/calibrated.toml"
posterior = "out/posterior.csv"
report = "out/report"
agents = 5000
[optimiser]
max_iterations = 2
[posterior]
rounds = 1
proposals = 6
ensemble = 4
[[parameters]]
name = "adoption.innovation"
min = 0.0005
max = 0.02
[[parameters]]
name = "adoption.imitation"
min = 0.01
max = 0.3
""")
    proc, seconds = run_divsim(["calibrate", config, "-q"], a.divsim, a.root, 600)
    require_run(c, proc, "divsim calibrate")
    out = os.path.join(w, "out")
    report = os.path.join(out, "report")
    for name in ("calibrated.toml", "posterior.csv"):
        c.check(os.path.isfile(os.path.join(out, name)), f"wrote {name}", f"{seconds:.1f} s")
    for name in ("report.md", "fit.csv", "objective.csv", "parameters.csv", "trajectory.csv",
                 "posterior_samples.csv"):
        c.check(os.path.isfile(os.path.join(report, name)), f"wrote report/{name}")
    c.check(os.path.isfile(os.path.join(report, "fit.png")), "divsim calibrate drew the chart")
    leftovers = [n for _, _, files in os.walk(out) for n in files if ".tmp-" in n]
    c.check(not leftovers, "no temporary files left", ", ".join(leftovers))

    fitted = {r["name"]: float(r["fitted"]) for r in read_csv(os.path.join(report, "parameters.csv"))}
    with open(os.path.join(out, "calibrated.toml"), encoding="utf-8") as f:
        calibrated = f.read()
    for name, value in fitted.items():
        line = [l for l in calibrated.splitlines() if l.startswith(name + " = ")]
        c.check(line and abs(float(line[0].split("=")[1].split("#")[0]) - value) <= 1e-15 * abs(value),
                f"calibrated.toml holds the report's {name}", line[0] if line else "missing")
    fit = read_csv(os.path.join(report, "fit.csv"))
    roles = {r["role"] for r in fit}
    c.check(roles == {"fitted", "check"}, "every target is fitted or a check", str(roles))
    history = read_csv(os.path.join(report, "objective.csv"))
    accepted = [float(r["objective"]) for r in history if r["kind"] in ("start", "accepted")]
    c.check(all(x >= y for x, y in zip(accepted, accepted[1:])),
            "the accepted objective never rises", str(accepted))
    ensemble = read_csv(os.path.join(out, "posterior.csv"))
    c.check(len(ensemble) == 4, "the ensemble has its 4 draws", str(len(ensemble)))
    samples = read_csv(os.path.join(report, "posterior_samples.csv"))
    c.check(abs(sum(float(s["weight"]) for s in samples) - 1) < 1e-9, "posterior weights sum to 1")
    c.check(sum(int(s["in_ensemble"]) for s in samples) == 4, "the ensemble is drawn from the samples")

    # Outputs are never replaced without --force; bad input exits 2 before anything runs.
    before = digest(os.path.join(out, "calibrated.toml"))
    proc, _ = run_divsim(["calibrate", config, "-q"], a.divsim, a.root, 600)
    c.check(proc.returncode == 2 and "output exists (use --force to overwrite it)" in proc.stderr,
            "a second calibration without --force is refused", proc.stderr.strip()[:200])
    c.check(digest(os.path.join(out, "calibrated.toml")) == before, "and changes nothing")
    proc, _ = run_divsim(["calibrate", os.path.join(w, "nowhere.toml")], a.divsim, a.root, 60)
    c.check(proc.returncode == 2 and "expected a calibration file, found none" in proc.stderr,
            "a missing configuration exits 2", proc.stderr.strip())

    # Out of sample: held-out years, the yardstick curves, and the shipped files untouched.
    proc, _ = run_divsim(["calibrate", config, "-q", "--no-chart", "--fit-until", "2019"],
                         a.divsim, a.root, 600)
    require_run(c, proc, "divsim calibrate --fit-until 2019")
    held = os.path.join(out, "report-until-2019")
    fit = read_csv(os.path.join(held, "fit.csv"))
    late = [r for r in fit if r["sigma"] and int(r["year"]) > 2019]
    c.check(late and all(r["role"] == "held_out" for r in late), "years after 2019 are held out",
            str(len(late)))
    world = [r for r in fit if r["indicator"] == "internet_use" and r["group"] == "world"]
    c.check(all(r["logistic"] and r["bass"] for r in world), "logistic and Bass values for the world series")
    with open(os.path.join(held, "report.md"), encoding="utf-8") as f:
        text = f.read()
    c.check("| divsim, world series |" in text and "| Bass curve, world series |" in text,
            "the report compares the held-out errors side by side")
    c.check(not os.path.exists(os.path.join(held, "fit.png")), "--no-chart draws none")
    c.check(os.path.isfile(os.path.join(held, "calibrated.toml")) and
            digest(os.path.join(out, "calibrated.toml")) == before,
            "the out-of-sample fit writes its own parameter file, not the shipped one")

    # A scenario runs with a draw of the ensemble, and says so in its provenance.
    scenario = os.path.join(w, "draw.toml")
    with open(scenario, "w", encoding="utf-8") as f:
        text = shipped_scenario(a.root, "history-2015.toml", end="2016-06-30")
        f.write(text.replace("[parameters]\n", '[parameters]\nfrom = "out/posterior.csv"\ndraw = 2\n'))
    proc, _ = run_divsim(["run", scenario, "--agents", "5000", "-q", "-o",
                          os.path.join(w, "draw.h5")], a.divsim, a.root, 300)
    require_run(c, proc, "divsim run with draw 2 of the ensemble")
    import h5py
    with h5py.File(os.path.join(w, "draw.h5"), "r") as f:
        overrides = f.attrs["parameter_overrides"]
        inputs = f.attrs["input_files"]
    overrides = overrides.decode() if isinstance(overrides, bytes) else str(overrides)
    inputs = inputs.decode() if isinstance(inputs, bytes) else str(inputs)
    draw = ensemble[2]
    c.check(all(f"{name} = " in overrides for name in fitted), "the draw's values are overrides")
    value = float(draw["adoption.imitation"])
    c.check(any(line.startswith("adoption.imitation = ") and
                abs(float(line.split("=")[1]) - value) <= 1e-12 * value
                for line in overrides.splitlines()), "the run used draw 2's imitation", str(value))
    c.check("posterior.csv sha256 " in inputs and "history.csv sha256 " in inputs,
            "input_files names the ensemble and the history with their hashes")

    os.remove(os.path.join(report, "fit.png"))
    chart = subprocess.run([os.path.join(a.root, "scripts", "calibration-chart"), report],
                           capture_output=True, text=True)
    c.check(chart.returncode == 0 and os.path.getsize(os.path.join(report, "fit.png")) > 10000,
            "scripts/calibration-chart draws the report's chart", chart.stderr.strip()[-300:])
    c.finish()


if __name__ == "__main__":
    main()
