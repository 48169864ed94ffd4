#!/usr/bin/python3
"""Regression: the baseline run file's layout, provenance and start-date figures.

Runs `divsim run scenarios/baseline.toml --agents 1000000 -o WORKDIR/base.h5 -q` from the repository
root, then reads the file with xarray (netcdf4 and h5netcdf engines), h5py and `ncdump -h`, and checks
  - dimensions, variables and attributes (CF time units, units/long_name on each measure, provenance);
  - monthly time steps from the scenario's start date;
  - the weights: total population at the start equals the WPP 2024 figures of the four income groups;
  - every start-date figure of the WSIS+20 draft (calibration/draft_baselines.csv) the file can show;
  - that the three readers return the same numbers, bit for bit;
  - the milestones group: its years and that its records are the root records at its dates.
Expected values come from the data files and the scenario, never from an earlier run.
"""

import datetime as dt
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from regression_common import Checks, parse_args, read_csv, require_run, run_divsim, to_text  # noqa: E402

import numpy as np  # noqa: E402

MEASURES = ["population", "population_10plus", "internet_users", "mobile_owners_10plus",
            "covered_2g_plus", "covered_3g_plus", "covered_4g_plus", "covered_5g", "basic_skills"]
LABELS = {
    "income_group": {"high", "upper_middle", "lower_middle", "low"},
    "area": {"urban", "rural"},
    "sex": {"female", "male"},
    "age_band": {"0-9", "10-14", "15-24", "25-49", "50-64", "65+"},
    "disability": {"without", "with"},
}
INCOME_KEYS = {"high": "high_income", "upper_middle": "upper_middle_income",
               "lower_middle": "lower_middle_income", "low": "low_income"}
PROVENANCE = ["Conventions", "engine_version", "git_commit", "scenario_text", "scenario_sha256",
              "seed", "agents", "threads", "command_line", "created", "wall_time_seconds",
              "agent_steps_per_second", "steps"]
AGENTS = 1_000_000
EXPECTED_MILESTONES = [2026, 2027, 2030, 2035]

# Draft figures (draft_baselines.csv id) and how the run file shows them: numerator, denominator,
# the stratum filter and the comparison ("near": within 0.5 percentage points; "near_complement": 100
# minus the share, within 0.5 points; "below"/"above": the draft's "less than"/"over" wording, strict).
DRAFT_FIGURES = [
    ("internet_use_world", "internet_users", "population", None, "near"),
    ("internet_use_hic", "internet_users", "population", ("income_group", "high"), "near"),
    ("internet_use_lic", "internet_users", "population", ("income_group", "low"), "near"),
    ("internet_use_urban", "internet_users", "population", ("area", "urban"), "near"),
    ("internet_use_rural", "internet_users", "population", ("area", "rural"), "below"),
    ("internet_use_women", "internet_users", "population", ("sex", "female"), "near"),
    ("internet_use_men", "internet_users", "population", ("sex", "male"), "near"),
    ("mobile_ownership", "mobile_owners_10plus", "population_10plus", None, "near"),
    ("mobile_ownership_women", "mobile_owners_10plus", "population_10plus", ("sex", "female"), "near"),
    ("mobile_ownership_men", "mobile_owners_10plus", "population_10plus", ("sex", "male"), "near"),
    ("coverage_broadband", "covered_3g_plus", "population", None, "above"),
    ("coverage_4g", "covered_4g_plus", "population", None, "above"),
    ("offline_share_world", "internet_users", "population", None, "near_complement"),
]
NEAR_PP = 0.5


# ---------------------------------------------------------------------------------------- readers

def days_to_dates(days, units):
    m = re.fullmatch(r"days since (\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00)?)?", units.strip())
    if not m:
        raise ValueError(f"cannot read time units {units!r}")
    origin = dt.date.fromisoformat(m.group(1))
    out = []
    for d in np.asarray(days, dtype=float):
        if d != int(d):
            raise ValueError(f"time value {d} is not a whole day")
        out.append(origin + dt.timedelta(days=int(d)))
    return out


def datetime64_to_dates(values):
    out = []
    for v in np.asarray(values):
        t = np.datetime64(v, "ns")
        if t != np.datetime64(t, "D"):
            raise ValueError(f"time {t} is not midnight")
        out.append(dt.date.fromisoformat(str(np.datetime64(t, "D"))))
    return out


def read_xarray(path, engine):
    import xarray as xr
    r = {"reader": f"xarray/{engine}"}
    with xr.open_dataset(path, engine=engine) as ds:
        r["dims"] = dict(ds.sizes)
        r["vars"] = set(ds.variables)
        r["data"] = {m: np.array(ds[m].values) for m in MEASURES if m in ds}
        r["var_attrs"] = {m: dict(ds[m].attrs) for m in MEASURES if m in ds}
        r["labels"] = {k: [to_text(x) for x in ds[k].values] for k in LABELS if k in ds}
        r["dates"] = datetime64_to_dates(ds["time"].values)
        r["time_units"] = ds["time"].encoding.get("units")
        r["attrs"] = dict(ds.attrs)
    with xr.open_dataset(path, engine=engine, group="milestones") as ms:
        r["m_dims"] = dict(ms.sizes)
        r["m_data"] = {m: np.array(ms[m].values) for m in MEASURES if m in ms}
        r["m_labels"] = {k: [to_text(x) for x in ms[k].values] for k in LABELS if k in ms}
        r["m_years"] = [int(y) for y in ms["year"].values]
        r["m_dates"] = datetime64_to_dates(ms["time"].values)
        r["m_time_units"] = ms["time"].encoding.get("units")
    return r


def read_h5py(path):
    import h5py
    r = {"reader": "h5py"}
    with h5py.File(path, "r") as f:
        r["dims"] = {k: f[k].shape[0] for k in ("time", "stratum") if k in f}
        r["vars"] = set(k for k in f.keys() if isinstance(f[k], h5py.Dataset))
        r["data"] = {m: f[m][...] for m in MEASURES if m in f}
        r["var_attrs"] = {m: {k: to_text(v) for k, v in f[m].attrs.items()
                              if k not in ("DIMENSION_LIST", "REFERENCE_LIST")}
                          for m in MEASURES if m in f}
        r["labels"] = {k: [to_text(x) for x in f[k][...]] for k in LABELS if k in f}
        r["time_units"] = to_text(f["time"].attrs["units"])
        r["dates"] = days_to_dates(f["time"][...], r["time_units"])
        r["attrs"] = {k: v for k, v in f.attrs.items()}
        g = f["milestones"]
        r["m_dims"] = {k: g[k].shape[0] for k in ("year", "stratum") if k in g}
        r["m_data"] = {m: g[m][...] for m in MEASURES if m in g}
        r["m_labels"] = {k: [to_text(x) for x in g[k][...]] for k in LABELS if k in g}
        r["m_years"] = [int(y) for y in g["year"][...]]
        r["m_time_units"] = to_text(g["time"].attrs["units"])
        r["m_dates"] = days_to_dates(g["time"][...], r["m_time_units"])
    return r


# ---------------------------------------------------------------------------------------- helpers

def same_bits(a, b):
    a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def percent(r, num, den, where, t=0):
    mask = np.ones(len(r["labels"]["sex"]), dtype=bool)
    if where:
        mask = np.array([x == where[1] for x in r["labels"][where[0]]])
    return 100.0 * r["data"][num][t, mask].sum() / r["data"][den][t, mask].sum()


def add_months(d, k):
    n = d.year * 12 + (d.month - 1) + k
    return dt.date(n // 12, n % 12 + 1, 1)


# ---------------------------------------------------------------------------------------- checks

def check_layout(c, r, nt):
    who = r["reader"]
    c.check(r["dims"].get("time") == nt and r["dims"].get("stratum") == 192,
            f"{who}: dimensions time={nt}, stratum=192", f"found {r['dims']}")
    missing = [v for v in ["time", "stratum", *LABELS, *MEASURES] if v not in r["vars"]]
    c.check(not missing, f"{who}: root variables present", f"missing {missing}" if missing else "")
    for m in MEASURES:
        if m not in r["data"]:
            continue
        a = r["var_attrs"][m]
        c.check(r["data"][m].shape == (nt, 192) and r["data"][m].dtype == np.float64,
                f"{who}: {m} is float64 (time, stratum)", f"{r['data'][m].dtype} {r['data'][m].shape}")
        c.check(to_text(a.get("units")) == "1" and bool(to_text(a.get("long_name", ""))),
                f"{who}: {m} has units and long_name",
                f"units={a.get('units')!r}, long_name={a.get('long_name')!r}")
    c.check((r["time_units"] or "").startswith("days since 2025-01-01"),
            f"{who}: time units begin with 'days since 2025-01-01'", repr(r["time_units"]))
    c.check(r["m_dims"].get("year") == len(EXPECTED_MILESTONES) and r["m_dims"].get("stratum") == 192,
            f"{who}: milestones dimensions year={len(EXPECTED_MILESTONES)}, stratum=192",
            f"found {r['m_dims']}")
    missing = [m for m in MEASURES if m not in r["m_data"]]
    c.check(not missing, f"{who}: milestones measures present", f"missing {missing}" if missing else "")
    for k in LABELS:
        vals = r["labels"].get(k, [])
        c.check(len(vals) == 192 and set(vals) == LABELS[k],
                f"{who}: coordinate {k} takes the values {sorted(LABELS[k])}", f"found {sorted(set(vals))}")
    combos = set(zip(*(r["labels"].get(k, []) for k in LABELS)))
    c.check(len(combos) == 192, f"{who}: the 192 strata are distinct label combinations",
            f"{len(combos)} distinct")


def check_ncdump(c, path, nt):
    exe = shutil.which("ncdump")
    if not c.check(exe is not None, "ncdump is on PATH"):
        return
    p = subprocess.run([exe, "-h", path], capture_output=True, text=True, timeout=120)
    if not c.check(p.returncode == 0, "ncdump -h reads the file", f"exit {p.returncode}: {p.stderr.strip()}"):
        return
    text = p.stdout
    root, _, group = text.partition("group: milestones {")
    c.check(bool(group), "ncdump -h: group milestones listed")
    c.check(re.search(rf"^\s*time = {nt} ;", root, re.M) and re.search(r"^\s*stratum = 192 ;", root, re.M),
            f"ncdump -h: dimensions time = {nt}, stratum = 192")
    c.check(re.search(r'^\s*time:units = "days since 2025-01-01', root, re.M),
            "ncdump -h: time:units = days since 2025-01-01")
    c.check(re.search(r"^\s*year = 4 ;", group, re.M), "ncdump -h: milestones dimension year = 4")
    bad = []
    for m in MEASURES:
        for part, dim0 in ((root, "time"), (group, "year")):
            for pat in (rf"^\s*double {m}\({dim0}, stratum\) ;", rf'^\s*{m}:units = "1" ;',
                        rf'^\s*{m}:long_name = ".+" ;'):
                if not re.search(pat, part, re.M):
                    bad.append(pat.replace(r"^\s*", ""))
    c.check(not bad, "ncdump -h: every measure declared double with units and long_name, root and milestones",
            f"not found: {bad}")
    missing = [a for a in PROVENANCE if not re.search(rf"^\s*:{a} = ", root, re.M)]
    c.check(not missing, "ncdump -h: provenance attributes listed", f"missing {missing}" if missing else "")


def check_provenance(c, r, a, scenario_path, scenario_bytes, scenario, cmd, t_start, t_end, wall, root):
    attrs = {k: to_text(v) for k, v in r["attrs"].items()}
    missing = [k for k in PROVENANCE if k not in attrs]
    c.check(not missing, "provenance attributes present", f"missing {missing}" if missing else "")
    conv = attrs.get("Conventions", "")
    c.check(isinstance(conv, str) and conv.startswith("CF-"), "Conventions names a CF version", repr(conv))

    # engine_version and git_commit: what the binary says about itself.
    v = subprocess.run([a.divsim, "--version"], capture_output=True, text=True, timeout=60)
    lines = v.stdout.splitlines()
    c.check(v.returncode == 0 and len(lines) >= 2, "divsim --version answers", " / ".join(lines[:2]))
    ev = attrs.get("engine_version", "")
    c.check(bool(re.fullmatch(r"\d+\.\d+\.\d+\S*", str(ev))) and lines[:1] == [f"divsim {ev}"],
            "engine_version is a version number and matches divsim --version", repr(ev))
    gc = str(attrs.get("git_commit", ""))
    c.check(bool(re.fullmatch(r"[0-9a-f]{40}(-dirty)?|unknown", gc)) and lines[1:2] == [f"commit {gc}"],
            "git_commit is a commit hash (or 'unknown') and matches divsim --version", repr(gc))
    if gc == "unknown":
        c.note("git_commit is 'unknown': the binary was built where `git rev-parse HEAD` failed "
               "(provenance cannot name the source)")
    elif shutil.which("git"):
        g = subprocess.run(["git", "-C", root, "cat-file", "-e", gc.split("-")[0] + "^{commit}"],
                           capture_output=True, text=True, timeout=60)
        c.check(g.returncode == 0, "git_commit names a commit of this repository", gc)

    text = attrs.get("scenario_text")
    c.check(isinstance(text, str) and text.encode("utf-8") == scenario_bytes,
            "scenario_text equals the scenario file's bytes",
            f"{len(text or '')} characters vs {len(scenario_bytes)} bytes")
    sha = hashlib.sha256(scenario_bytes).hexdigest()
    c.check(attrs.get("scenario_sha256") == sha, "scenario_sha256 is the SHA-256 of the scenario file",
            f"{attrs.get('scenario_sha256')} vs {sha}")

    seed = r["attrs"].get("seed")
    c.check(np.issubdtype(np.asarray(seed).dtype, np.integer) and int(seed) == scenario["run"]["seed"],
            "seed is an integer equal to the scenario's run.seed", f"{seed!r} vs {scenario['run']['seed']}")
    agents = r["attrs"].get("agents")
    c.check(np.issubdtype(np.asarray(agents).dtype, np.integer) and int(agents) == AGENTS,
            f"agents == {AGENTS}", repr(agents))
    threads = r["attrs"].get("threads")
    c.check(np.issubdtype(np.asarray(threads).dtype, np.integer) and int(threads) >= 1,
            "threads is a positive integer", repr(threads))

    cl = attrs.get("command_line", "")
    try:
        words = shlex.split(cl)
    except ValueError:
        words = None
    c.check(words == cmd, "command_line is the command that ran", f"{cl!r} vs {shlex.join(cmd)!r}")

    created = attrs.get("created", "")
    ok = bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", str(created)))
    if ok:
        t = dt.datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
        ok = t_start - dt.timedelta(seconds=2) <= t <= t_end + dt.timedelta(seconds=2)
    c.check(ok, "created is an ISO 8601 UTC time within the run",
            f"{created!r}, run from {t_start:%H:%M:%S} to {t_end:%H:%M:%S} UTC")

    w = r["attrs"].get("wall_time_seconds")
    c.check(isinstance(w, (float, np.floating)) and 0 < w <= wall + 0.5,
            "wall_time_seconds is positive and no more than the measured run time",
            f"{w!r} vs {wall:.3f} s measured")
    steps = r["attrs"].get("steps")
    rate = r["attrs"].get("agent_steps_per_second")
    if isinstance(w, (float, np.floating)) and w > 0 and steps is not None and rate is not None:
        expect = AGENTS * int(steps) / w
        c.check(abs(rate - expect) <= 1e-9 * expect,
                "agent_steps_per_second == agents x steps / wall_time_seconds", f"{rate!r} vs {expect!r}")
    else:
        c.check(False, "agent_steps_per_second == agents x steps / wall_time_seconds",
                f"agent_steps_per_second={rate!r}, steps={steps!r}, wall_time_seconds={w!r}")
    return attrs


def main():
    a = parse_args(__doc__.splitlines()[0])
    c = Checks("check_run_file")
    scenario_rel = os.path.join("scenarios", "baseline.toml")
    scenario_path = os.path.join(a.root, scenario_rel)
    with open(scenario_path, "rb") as f:
        scenario_bytes = f.read()
    scenario = tomllib.loads(scenario_bytes.decode("utf-8"))
    out = os.path.join(a.workdir, "base.h5")
    if os.path.exists(out):
        os.remove(out)

    args = ["run", scenario_rel, "--agents", str(AGENTS), "-o", out, "-q"]
    cmd = [a.divsim] + args
    print(f"  running (in {a.root}): {shlex.join(cmd)}", flush=True)
    t_start = dt.datetime.now(dt.timezone.utc)
    proc, wall = run_divsim(args, a.divsim, a.root, timeout=600)
    t_end = dt.datetime.now(dt.timezone.utc)
    require_run(c, proc, "divsim run")
    print(f"  run took {wall:.1f} s", flush=True)
    c.check(os.path.isfile(out), "the run file exists", out)
    c.check(proc.stderr.strip() == "", "-q: nothing on stderr", proc.stderr.strip()[:300])
    leftovers = [n for n in os.listdir(a.workdir) if n.startswith(".base.h5.tmp-")]
    c.check(not leftovers, "no temporary file left beside the run file", str(leftovers))

    # --- read with all three readers
    readers = []
    for name, fn in (("xarray/netcdf4", lambda: read_xarray(out, "netcdf4")),
                     ("xarray/h5netcdf", lambda: read_xarray(out, "h5netcdf")),
                     ("h5py", lambda: read_h5py(out))):
        try:
            readers.append(fn())
            c.check(True, f"{name} opens the file and the milestones group")
        except Exception as e:  # a reader that cannot open the file is the failure reported
            c.check(False, f"{name} opens the file and the milestones group", f"{type(e).__name__}: {e}")
    if len(readers) < 3:
        c.fatal("not every reader could open the file; later checks need all three")

    h5 = readers[2]
    steps = h5["attrs"].get("steps")
    nt = h5["dims"].get("time")
    c.check(steps is not None and nt == int(steps) + 1, "time has steps + 1 records", f"{nt} vs steps={steps}")
    for r in readers:
        check_layout(c, r, nt)
    check_ncdump(c, out, nt)

    # --- provenance (the netCDF4 reader's view; the others must agree)
    attrs = check_provenance(c, h5, a, scenario_path, scenario_bytes, scenario, cmd, t_start, t_end, wall,
                             a.root)
    for r in readers[:2]:
        other = {k: to_text(v) for k, v in r["attrs"].items()}
        diff = [k for k in attrs if k not in other or
                (other[k] != attrs[k] if isinstance(attrs[k], str) else
                 not np.array_equal(np.asarray(other[k]), np.asarray(attrs[k])))]
        c.check(not diff and set(other) == set(attrs), f"{r['reader']}: global attributes equal h5py's",
                f"differ: {diff}, extra/missing: {sorted(set(other) ^ set(attrs))}")

    # --- time: monthly from the start date
    start = scenario["time"]["start"]
    expected = [add_months(dt.date(start.year, start.month, 1), k) for k in range(nt)]
    c.check(start.day == 1 and str(start) == "2025-01-01", "the scenario starts on 2025-01-01", str(start))
    for r in readers:
        c.check(r["dates"] == expected, f"{r['reader']}: times are the 1st of consecutive months from {start}",
                f"first {r['dates'][:2]}, last {r['dates'][-1:]}; expected last {expected[-1]}")

    # --- the three readers return the same numbers
    for r in readers[:2]:
        diff = [m for m in MEASURES if not same_bits(r["data"][m], h5["data"][m])]
        diff += ["milestones/" + m for m in MEASURES if not same_bits(r["m_data"][m], h5["m_data"][m])]
        c.check(not diff, f"{r['reader']}: every measure (root and milestones) bit-identical to h5py's",
                f"differ: {diff}")
        c.check(r["labels"] == h5["labels"] and r["m_labels"] == h5["m_labels"],
                f"{r['reader']}: stratum labels equal h5py's")
        c.check(r["m_years"] == h5["m_years"] and r["m_dates"] == h5["m_dates"],
                f"{r['reader']}: milestone years and dates equal h5py's")

    # --- values are finite counts and keep their nesting
    d = h5["data"]
    bad = [m for m in MEASURES if not np.all(np.isfinite(d[m])) or np.any(d[m] < 0)]
    c.check(not bad, "every measure finite and non-negative", f"bad: {bad}")
    slack = lambda x: x * (1 + 1e-12)  # noqa: E731
    pairs = [("internet_users", "population"), ("basic_skills", "population"),
             ("population_10plus", "population"), ("mobile_owners_10plus", "population_10plus"),
             ("covered_2g_plus", "population"), ("covered_3g_plus", "covered_2g_plus"),
             ("covered_4g_plus", "covered_3g_plus"), ("covered_5g", "covered_4g_plus")]
    for sub, sup in pairs:
        c.check(np.all(d[sub] <= slack(d[sup])), f"{sub} <= {sup} in every stratum and month")
    young = np.array([x == "0-9" for x in h5["labels"]["age_band"]])
    c.check(np.all(d["population_10plus"][:, young] == 0) and
            np.allclose(d["population_10plus"][:, ~young], d["population"][:, ~young], rtol=1e-12, atol=0),
            "population_10plus is 0 in band 0-9 and equals population in the other bands")

    # --- weights: WPP 2024 populations of 2025
    wpp = {row["group"]: row for row in read_csv(os.path.join(a.root, "calibration", "population_wpp2024.csv"))
           if row["year"] == str(start.year)}
    missing = [k for k in INCOME_KEYS.values() if k not in wpp]
    if c.check(not missing, f"population_wpp2024.csv has {start.year} rows for the four income groups",
               f"missing {missing}"):
        total = sum(float(wpp[k]["population_millions"]) for k in INCOME_KEYS.values()) * 1e6
        got = float(d["population"][0].sum())
        c.check(abs(got - total) <= 1e-9 * total,
                f"sum of population at {start} equals the WPP 2024 sum of the four income groups (rel 1e-9)",
                f"{got:.1f} vs {total:.1f}")
        pw = h5["attrs"].get("person_weight")
        if pw is not None:
            c.check(abs(pw - total / AGENTS) <= 1e-12 * pw, "person_weight == WPP total / agents",
                    f"{pw!r} vs {total / AGENTS!r}")
        for label, key in INCOME_KEYS.items():
            mask = np.array([x == label for x in h5["labels"]["income_group"]])
            for measure, column in (("population", "population_millions"),
                                    ("population_10plus", "aged_10_plus_millions")):
                want = float(wpp[key][column]) * 1e6
                have = float(d[measure][0, mask].sum())
                c.check(abs(have - want) <= 1e-3 * want,
                        f"{measure} of {label} income at {start} within 0.1% of WPP 2024",
                        f"{have / 1e6:.3f} vs {want / 1e6:.1f} million")

    # --- the draft's start-date figures
    draft = {row["id"]: row for row in read_csv(os.path.join(a.root, "calibration", "draft_baselines.csv"))}
    params = read_csv(os.path.join(a.root, "calibration", "parameters.csv"))
    for row in params:
        m = re.fullmatch(r"draft para (\d+) \((\w+)\)", row["source"].strip())
        if row["name"].startswith("start.") and m:
            ref = draft.get(m.group(2))
            c.check(ref is not None and float(ref["value"]) == float(row["default"])
                    and ref["paragraph"] == m.group(1),
                    f"parameters.csv {row['name']} = {row['default']} matches draft {m.group(2)} (para {m.group(1)})",
                    f"draft row {None if ref is None else (ref['value'], ref['paragraph'])}")
    for fid, num, den, where, kind in DRAFT_FIGURES:
        row = draft.get(fid)
        if not c.check(row is not None and row["reference_year"] == str(start.year),
                       f"draft_baselines.csv has {fid} for {start.year}"):
            continue
        want = float(row["value"])
        values = [percent(r, num, den, where) for r in readers]
        if kind == "near_complement":  # the share NOT counted by the numerator
            values, kind = [100.0 - v for v in values], "near"
        got = values[-1]
        c.check(values[0] == values[1] == values[2], f"{fid}: the three readers give the same percentage",
                str(values))
        if kind == "near":
            c.check(abs(got - want) <= NEAR_PP, f"{fid}: {got:.3f}% within {NEAR_PP} pp of the draft's {want:g}%",
                    f"draft: {row['wording']!r}")
        elif kind == "below":
            c.check(got < want, f"{fid}: {got:.3f}% below the draft's bound {want:g}%", f"draft: {row['wording']!r}")
        else:
            c.check(got > want, f"{fid}: {got:.3f}% above the draft's {want:g}%", f"draft: {row['wording']!r}")
    checked = {f[0] for f in DRAFT_FIGURES}
    others = [i for i, row in draft.items() if i not in checked and row["reference_year"] == str(start.year)]
    c.note(f"draft {start.year} figures the run file cannot show directly (not checked): {others}")

    # --- milestones
    years = scenario["output"]["milestones"]
    c.check(years == EXPECTED_MILESTONES, f"the scenario's milestones are {EXPECTED_MILESTONES}", str(years))
    month = next((float(p["default"]) for p in params if p["name"] == "output.milestone_month"), None)
    month = scenario.get("parameters", {}).get("output", {}).get("milestone_month", month)
    for r in readers:
        c.check(r["m_years"] == EXPECTED_MILESTONES, f"{r['reader']}: milestones/year == {EXPECTED_MILESTONES}",
                str(r["m_years"]))
    c.check(all(x.year == y and x.day == 1 and (month is None or x.month == int(month))
                for x, y in zip(h5["m_dates"], h5["m_years"])) and len(h5["m_dates"]) == len(h5["m_years"]),
            f"milestones/time: 1 {'month ' + str(int(month)) if month else ''} of each milestone year "
            "(parameter output.milestone_month)", str(h5["m_dates"]))
    c.check(h5["m_time_units"] == h5["time_units"], "milestones/time has the root time's units",
            f"{h5['m_time_units']!r} vs {h5['time_units']!r}")
    c.check(h5["m_labels"] == h5["labels"], "milestones strata labels equal the root's")
    for r in readers:
        bad = []
        for i, (y, date) in enumerate(zip(r["m_years"], r["m_dates"])):
            idx = [j for j, x in enumerate(r["dates"]) if x == date]
            if len(idx) != 1:
                bad.append(f"{y}: {date} is not a root time")
                continue
            bad += [f"{y}/{m}" for m in MEASURES if not same_bits(r["m_data"][m][i], r["data"][m][idx[0]])]
        c.check(not bad, f"{r['reader']}: milestones data == root data at milestones/time", f"differ: {bad}")

    c.finish()


if __name__ == "__main__":
    main()
