"""divsim batch on one machine: the same data for any threads and jobs, shards merged into the
same data, a batch stopped by a signal and resumed, reproduction, the content of the file (runs
as standalone runs, the draws of the ensemble, paired differences and quantiles recomputed), and
bad input refused with exit 2 and nothing written."""

import os
import signal
import subprocess
import time

import h5py
import numpy as np

from batch_common import (Checks, batch_text, data_differences, parse_args, read_csv,
                          require_run, run_divsim, sequential_sum, to_text)

a = parse_args(__doc__)
c = Checks("batch on one machine")
w = a.workdir
for name in os.listdir(w):
    if name.endswith(".h5") or name.endswith(".runs"):
        subprocess.run(["rm", "-rf", os.path.join(w, name)], check=True)


def write(name, text):
    path = os.path.join(w, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def divsim(*args, timeout=600):
    proc, _ = run_divsim(list(args), a.divsim, w, timeout)
    return proc


batch = write("check.toml", batch_text(a.root, agents=30000))
out = os.path.join(w, "one.h5")
p = divsim("batch", batch, "-o", out, "--threads", "2")
require_run(c, p, "divsim batch")
c.check("baseline" in p.stdout and "portfolio-skills" in p.stdout and "2030" in p.stdout,
        "the milestone table is printed", p.stdout.splitlines()[0] if p.stdout else "no output")
c.check(not os.path.exists(out + ".runs"), "the spool is removed once the file is written")

# --- What the file holds -------------------------------------------------------------------
posterior = read_csv(os.path.join(a.root, "calibration", "posterior.csv"))
with h5py.File(out, "r") as f:
    runs = f["run"][()]
    c.check(list(runs) == list(range(8)), "8 runs numbered 0..7", str(list(runs)))
    names = [to_text(x) for x in f["run_scenario"][()]]
    c.check(names == ["baseline"] * 4 + ["portfolio-skills"] * 4, "runs in scenario order",
            str(names))
    c.check(list(f["draw"][()]) == [0, 0, 2, 2] * 2 and list(f["replicate"][()]) == [0, 1] * 4,
            "draw and replicate of every run", f"{list(f['draw'][()])} {list(f['replicate'][()])}")
    c.check(list(f["reference_run"][()]) == [0, 1, 2, 3] * 2, "each run's reference run")
    pnames = [to_text(x) for x in f["parameter_name"][()]]
    values = f["parameter_value"][()]
    expected = np.array([[float(posterior[int(d)][n]) for n in pnames] for d in f["draw"][()]])
    c.check(values.shape == (8, 6) and np.array_equal(values, expected),
            "parameter values are the ensemble's draws, to the bit", str(pnames))
    users = f["internet_users"][()]
    pop = f["population"][()]
    c.check(users.shape == (8, 133, 192), "internet_users is (run, time, stratum)", str(users.shape))
    c.check(not np.array_equal(users[0], users[2]),
            "two draws of the same replicate give different trajectories")
    m_users = f["milestones/internet_users"][()]
    years = list(f["milestones/year"][()])
    c.check(years == [2026, 2027, 2030, 2035], "milestone years", str(years))
    # Paired differences recomputed: median over the runs of portfolio-skills of (run - ref).
    t2030 = int(np.where(f["summary/time"][()] == f["summary/year_time"][()][2])[0][0])
    gained = (sequential_sum(users[4:, t2030, :], 1)
              - sequential_sum(users[[0, 1, 2, 3], t2030, :], 1))
    stored = f["differences/users_gained"][1, :, t2030, 0]
    recomputed = np.quantile(gained, [0.05, 0.25, 0.5, 0.75, 0.95], method="linear")
    c.check(np.array_equal(stored, recomputed),
            "users gained at 2030: quantiles of the paired differences, as numpy computes them",
            f"{stored} vs {recomputed}")
    c.check(np.all(f["differences/users_gained"][0] == 0),
            "the reference scenario gains nobody against itself")
    rate = 100 * sequential_sum(users[:4, t2030, :], 1) / sequential_sum(pop[:4, t2030, :], 1)
    c.check(np.array_equal(f["summary/internet_use_percent"][0, :, t2030, 0],
                           np.quantile(rate, [0.05, 0.25, 0.5, 0.75, 0.95], method="linear")),
            "world Internet use quantiles at 2030 recomputed from the runs")
    spend = f["policy/spending"][()]
    c.check(spend[:4].sum() == 0 and spend[4:].sum() > 0,
            "business as usual spends nothing, the portfolio spends",
            f"{spend[4:].sum() / 100 / 1e9:.2f} bn USD")
    c.check(to_text(f.attrs["batch_name"]) == "check" and int(f.attrs["runs"]) == 8,
            "provenance: batch name and runs")

# A run of the batch equals the same scenario run on its own with that draw and replicate.
with open(os.path.join(a.root, "scenarios", "baseline.toml"), encoding="utf-8") as f:
    text = f.read()
text = text.replace('from = "../calibration/calibrated.toml"',
                    f'from = "{os.path.join(a.root, "calibration", "posterior.csv")}"\ndraw = 2')
text = text.replace('"../calibration/', '"' + os.path.join(a.root, "calibration") + "/")
single = write("baseline-draw1.toml", text)
p = divsim("run", single, "--agents", "30000", "--replicate", "1", "-o",
           os.path.join(w, "single.h5"), "--force", "-q")
require_run(c, p, "divsim run of draw 2, replicate 1")
with h5py.File(os.path.join(w, "single.h5"), "r") as s, h5py.File(out, "r") as f:
    c.check(np.array_equal(s["internet_users"][()], f["internet_users"][3])
            and np.array_equal(s["basic_skills"][()], f["basic_skills"][3]),
            "run 3 of the batch is bit-identical to divsim run of draw 2, replicate 1")

# --- The same data on 1 thread and 1 job -----------------------------------------------------
p = divsim("batch", batch, "-o", os.path.join(w, "serial.h5"), "--threads", "1", "--jobs", "1",
           "-q")
require_run(c, p, "divsim batch --threads 1 --jobs 1")
bad, n = data_differences(out, os.path.join(w, "serial.h5"))
c.check(not bad, f"1 thread and 1 job: all {n} datasets bit-identical", ", ".join(bad[:5]))

# --- Shards and merge ------------------------------------------------------------------------
for i in range(3):
    p = divsim("batch", batch, "--shard", f"{i}/3", "-o", os.path.join(w, f"part{i}.h5"), "-q")
    require_run(c, p, f"shard {i}/3")
with h5py.File(os.path.join(w, "part1.h5"), "r") as f:
    c.check(list(f["run"][()]) == [1, 4, 7] and "summary" not in f
            and to_text(f.attrs["shard"]) == "1/3",
            "part 1/3 holds runs 1, 4, 7 and no summary")
parts = [os.path.join(w, f"part{i}.h5") for i in (2, 0, 1)]
p = divsim("merge", *parts, "-o", os.path.join(w, "merged.h5"), "-q")
require_run(c, p, "divsim merge")
bad, n = data_differences(out, os.path.join(w, "merged.h5"))
c.check(not bad, f"merged shards: all {n} datasets bit-identical to one batch", ", ".join(bad[:5]))
p = divsim("merge", parts[0], parts[1], "-o", os.path.join(w, "short.h5"))
c.check(p.returncode == 2 and "expected all 3 shards, found none for 1/3" in p.stderr
        and not os.path.exists(os.path.join(w, "short.h5")),
        "merge without shard 1/3 is refused, nothing written", p.stderr.strip())
p = divsim("merge", parts[0], parts[0], parts[1], "-o", os.path.join(w, "twice.h5"))
c.check(p.returncode == 2 and "expected each shard once, found 2/3 again" in p.stderr,
        "merge with a shard twice is refused", p.stderr.strip())
p = divsim("merge", out, "-o", os.path.join(w, "whole.h5"))
c.check(p.returncode == 2 and "expected a part file (written with --shard)" in p.stderr,
        "merge of a whole batch file is refused", p.stderr.strip())

# --- Stopped by a signal, then resumed -------------------------------------------------------
for sig in (signal.SIGTERM, signal.SIGINT):
    target = os.path.join(w, f"stopped-{sig.name}.h5")
    spool = target + ".runs"
    proc = subprocess.Popen([a.divsim, "batch", batch, "-o", target, "--threads", "2", "-q"],
                            cwd=w, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    t0 = time.monotonic()
    while time.monotonic() - t0 < 120:
        done = [n for n in os.listdir(spool)] if os.path.isdir(spool) else []
        if any(n.startswith("run-") for n in done):
            break
        time.sleep(0.01)
    proc.send_signal(sig)
    err = proc.communicate(timeout=120)[1]
    kept = sorted(n for n in os.listdir(spool) if n.startswith("run-")) if os.path.isdir(spool) else []
    c.check(proc.returncode == 128 + sig.value and 0 < len(kept) < 8
            and not os.path.exists(target),
            f"{sig.name} stops the batch with {128 + sig.value}, keeps finished runs, writes no file",
            f"exit {proc.returncode}, {len(kept)} kept; {err.strip()}")
    subprocess.run(["rm", "-rf", os.path.join(w, "kept.runs")], check=True)
    subprocess.run(["cp", "-r", spool, os.path.join(w, "kept.runs")], check=True)
    p = divsim("batch", batch, "-o", target, "-q")
    c.check(p.returncode == 2 and "--resume continues it" in p.stderr,
            "a second start without --resume is refused", p.stderr.strip())
    p = divsim("batch", batch, "-o", target, "--resume")
    require_run(c, p, "divsim batch --resume")
    c.check(f"{len(kept)} already finished" in p.stderr, "--resume runs only what is missing",
            p.stderr.strip().splitlines()[0])
    bad, n = data_differences(out, target)
    c.check(not bad, f"resumed after {sig.name}: all {n} datasets bit-identical", ", ".join(bad[:5]))
    p = divsim("batch", batch, "-o", target, "--resume")
    c.check(p.returncode == 0 and "already complete" in p.stderr,
            "--resume of a finished batch has nothing to do", p.stderr.strip())

# A spool of another batch is not resumed.
other = write("other.toml", batch_text(a.root, agents=30000, replicates=3))
subprocess.run(["cp", "-r", os.path.join(w, "kept.runs"), os.path.join(w, "mixed.h5.runs")],
               check=True)
p = divsim("batch", other, "-o", os.path.join(w, "mixed.h5"), "--resume")
c.check(p.returncode == 2 and "found one of another batch or engine" in p.stderr,
        "a spool of another batch is refused", p.stderr.strip())

# --- Reproduction ---------------------------------------------------------------------------
p = divsim("reproduce", out, "-q")
c.check(p.returncode == 0 and "reproduced: all" in p.stdout, "divsim reproduce of the batch file",
        p.stdout.strip())
p = divsim("reproduce", os.path.join(w, "part1.h5"), "-q")
c.check(p.returncode == 0, "divsim reproduce of a part file", p.stdout.strip())
p = divsim("reproduce", os.path.join(w, "single.h5"), "-q")
c.check(p.returncode == 0 and "reproduced: all" in p.stdout, "divsim reproduce of a run file",
        p.stdout.strip())
tampered = os.path.join(w, "tampered.h5")
subprocess.run(["cp", out, tampered], check=True)
with h5py.File(tampered, "r+") as f:
    f["internet_users"][5, 60, 17] = np.nextafter(f["internet_users"][5, 60, 17], np.inf)
p = divsim("reproduce", tampered, "-q")
c.check(p.returncode == 1 and "internet_users: not bit-identical (first at element" in p.stdout
        and "1 of" in p.stdout,
        "one value moved by one ulp is found, and only that variable", p.stdout.strip())
changed = write("changed.toml", batch_text(a.root, agents=30000))
p = divsim("batch", changed, "--shard", "0/4", "-o", os.path.join(w, "changed.h5"), "-q")
require_run(c, p, "a part of a batch about to change")
with open(changed, "a", encoding="utf-8") as f:
    f.write("# edited\n")
p = divsim("reproduce", os.path.join(w, "changed.h5"), "-q")
c.check(p.returncode == 1 and "has changed since" in p.stdout,
        "a batch file edited since is reported, not re-run", p.stdout.strip())

# --- Bad input: exit 2, a message naming the place, nothing written ---------------------------
root_s = os.path.join(a.root, "scenarios")
bad_cases = [
    (f'[batch]\nname = "b"\nscenarios = ["{root_s}/baseline.toml"]\nreplicates = 2\nrepeats = 3\n',
     'bad.toml:5:1: batch.repeats: expected one of name, scenarios, reference, replicates, agents, '
     'seed, variables, found unknown key "repeats"'),
    (f'[batch]\nname = "b"\nscenarios = ["{root_s}/baseline.toml"]\nreplicates = 2\n'
     'reference = "bau"\n',
     'bad.toml:5:13: batch.reference: expected the name of a scenario of the batch (baseline), '
     'found "bau"'),
    (f'[batch]\nname = "b"\nscenarios = ["{root_s}/baseline.toml", "nowhere.toml"]\n'
     'replicates = 2\n',
     'bad.toml:3:' ),
    (f'[batch]\nname = "b"\nscenarios = ["{root_s}/baseline.toml", "{root_s}/history-2015.toml"]\n'
     'replicates = 2\n',
     'batch.scenarios: expected every scenario to share the start date (baseline: 2025-01-01), '
     'found 2015-07-01 in history-2015'),
    (f'[batch]\nname = "b"\nscenarios = ["{root_s}/baseline.toml"]\nreplicates = 0\n',
     'bad.toml:4:14: batch.replicates: expected an integer in [1, 100000], found 0'),
    (f'[batch]\nname = "b"\nscenarios = ["{root_s}/baseline.toml"]\nreplicates = 1\n'
     '[draws]\nmethod = "latin_hypercube"\nsamples = 4\nseed = 1\n[draws.parameters]\n'
     '"adoption.innovatoin" = [0.01, 0.02]\n',
     'bad.toml:10:25: draws.parameters.adoption.innovatoin: expected a parameter from the table '
     '(see divsim params), found "adoption.innovatoin"'),
    (f'[batch]\nname = "b"\nscenarios = ["{root_s}/baseline.toml"]\nreplicates = 1\n'
     '[draws]\nmethod = "latin_hypercube"\nsamples = 4\nseed = 1\n[draws.parameters]\n'
     '"adoption.innovation" = [0.02, 0.01]\n',
     'draws.parameters.adoption.innovation: expected [low, high] with low < high'),
    (f'[batch]\nname = "b"\nscenarios = ["{root_s}/baseline.toml"]\nreplicates = 1\n'
     f'[draws]\nfrom = "{a.root}/calibration/posterior.csv"\ndraws = [3, 100000]\n',
     'draws.draws: expected draws of '),
]
for k, (text, message) in enumerate(bad_cases):
    path = write("bad.toml", text)
    target = os.path.join(w, "never.h5")
    subprocess.run(["rm", "-rf", target, target + ".runs"], check=True)
    p = divsim("batch", path, "-o", target)
    c.check(p.returncode == 2 and message in p.stderr and not os.path.exists(target)
            and not os.path.exists(target + ".runs"),
            f"bad batch {k + 1} refused with its message", p.stderr.strip().splitlines()[0]
            if p.stderr.strip() else f"exit {p.returncode}, no message")
p = divsim("batch", batch, "-o", out)
c.check(p.returncode == 2 and "exists" in p.stderr, "an existing batch file is not overwritten",
        p.stderr.strip())
p = divsim("batch", batch, "--shard", "3/3", "-o", os.path.join(w, "x.h5"))
c.check(p.returncode == 2 and 'expected i/N with 0 <= i < N, found "3/3"' in p.stderr,
        "--shard 3/3 is refused", p.stderr.strip())

p = divsim("batch", batch, "--dry-run", "--shard", "1/3", "-o", os.path.join(w, "dry.h5"))
c.check(p.returncode == 0 and "8 runs = 2 scenarios x 2 draws x 2 replicates" in p.stdout
        and "  4  portfolio-skills  0  0  0" in p.stdout and "  3  baseline" not in p.stdout
        and not os.path.exists(os.path.join(w, "dry.h5"))
        and not os.path.exists(os.path.join(w, "dry.h5.runs")),
        "--dry-run lists the shard's runs and writes nothing", p.stdout.strip().splitlines()[0])

# --- Designs over named parameters ------------------------------------------------------------
lhs = write("lhs.toml", f'[batch]\nname = "lhs"\nscenarios = ["{root_s}/baseline.toml"]\n'
            'replicates = 1\nagents = 2000\n[draws]\nmethod = "latin_hypercube"\nsamples = 5\n'
            'seed = 3\n[draws.parameters]\n"adoption.innovation" = [0.01, 0.03]\n'
            '"adoption.imitation" = [0.005, 0.02]\n')
p = divsim("batch", lhs, "-o", os.path.join(w, "lhs.h5"), "-q")
require_run(c, p, "a Latin hypercube batch")
with h5py.File(os.path.join(w, "lhs.h5"), "r") as f:
    names = [to_text(x) for x in f["parameter_name"][()]]
    low = {"adoption.innovation": 0.01, "adoption.imitation": 0.005}
    width = {"adoption.innovation": 0.02, "adoption.imitation": 0.015}
    v = f["parameter_value"][()]
    strata = np.floor((v - [low[n] for n in names]) / [width[n] for n in names] * 5).astype(int)
    c.check(all(sorted(strata[:, j]) == [0, 1, 2, 3, 4] for j in range(2)),
            "Latin hypercube: one sample in each fifth of every range", str(strata.T.tolist()))
grid = write("grid.toml", f'[batch]\nname = "grid"\nscenarios = ["{root_s}/baseline.toml"]\n'
             'replicates = 1\nagents = 2000\n[draws]\nmethod = "grid"\n[draws.parameters]\n'
             '"adoption.innovation" = [0.01, 0.02]\n"adoption.imitation" = [0.005, 0.01, 0.02]\n')
p = divsim("batch", grid, "-o", os.path.join(w, "grid.h5"), "-q")
require_run(c, p, "a grid batch")
with h5py.File(os.path.join(w, "grid.h5"), "r") as f:
    names = [to_text(x) for x in f["parameter_name"][()]]
    v = f["parameter_value"][()].tolist()
    c.check(names == ["adoption.imitation", "adoption.innovation"]
            and v == [[x, y] for x in (0.005, 0.01, 0.02) for y in (0.01, 0.02)],
            "grid: the full factorial over the parameters in name order, the first slowest",
            f"{names} {v}")

c.finish()
