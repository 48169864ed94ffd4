#!/usr/bin/python3
"""Regression: divsim compare reports what the run files hold, paired with the base run.

Runs the baseline and two alternatives that spend money (20,000 agents to 2035, so it is quick),
compares them, and recomputes every number of the CSV from the run files with h5py: Internet
users and use, the gains against the base, the gender, urban-rural and income gaps, the money
spent by use and by source (exactly, in cents) and the cost per additional user. The base against
itself must gain nothing and have no cost per user. Runs that cannot be paired (another seed,
another agent count), a missing file, a file that is not a run file, a run without the measures
compare needs and a year that is not a milestone must be refused with exit code 2 and no CSV
written; an existing CSV must not be overwritten without --force.
"""

import math
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from regression_common import (Checks, parse_args, read_csv, require_run, run_divsim,  # noqa: E402
                               shipped_scenario)

AGENTS = "20000"
YEARS = [2027, 2030, 2035]
USES = ["coverage", "community_networks", "devices", "data", "tax_relief", "skills", "schools"]
FIXED = ["scenario", "file", "year", "internet_users", "internet_use_percent", "users_gained",
         "use_change_pp", "gender_gap_pp", "urban_rural_gap_pp", "income_gap_pp", "spent_usd"] + \
        [f"spent_usd_{u}" for u in USES] + ["cost_per_additional_user_usd"]

SKILLS = """
[[interventions]]
type = "financing"
name = "treasury"
instrument = "public_budget"
start = 2026-01-01
end = 2030-12-31
amount_musd_per_year = 4000

[[interventions]]
type = "skills"
name = "training"
funding = "treasury"
start = 2026-01-01
end = 2030-12-31
share = 1.0
"""

# Another fund first, so the CSV's source columns are the union of the files' sources.
DEVICES = """
[[interventions]]
type = "financing"
name = "devices_fund"
instrument = "public_budget"
start = 2025-06-01
end = 2029-12-31
amount_musd_per_year = 3000

[[interventions]]
type = "affordability"
name = "handsets"
funding = "devices_fund"
instrument = "handset_subsidy"
start = 2025-06-01
end = 2029-12-31
share = 1.0

[[interventions]]
type = "financing"
name = "treasury"
instrument = "public_budget"
start = 2027-01-01
end = 2032-12-31
amount_musd_per_year = 2000

[[interventions]]
type = "school_connectivity"
name = "schools"
funding = "treasury"
start = 2027-01-01
end = 2032-12-31
share = 1.0
"""


def cents_text(cents):
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def expected_rows(path, years):
    """{year: numbers} computed from the run file alone."""
    import h5py
    import numpy as np
    out = {}
    with h5py.File(path, "r") as f:
        ms = f["milestones"]
        year_list = [int(y) for y in ms["year"][...]]
        users_all = ms["internet_users"][...]
        pop_all = ms["population"][...]
        sex = ms["sex"].asstr()[...]
        area = ms["area"].asstr()[...]
        income = ms["income_group"].asstr()[...]
        policy = f["policy"]
        ptime = policy["time"][...]
        spending = policy["spending"][...].astype(np.int64)  # (time, source, use), cents
        sources = list(policy["source_name"].asstr()[...])
        uses = list(policy["use_name"].asstr()[...])
        scale = float(policy["spending"].attrs["scale_factor"])
        name = f.attrs["scenario_name"]
        name = name.decode() if isinstance(name, bytes) else str(name)
        for year in years:
            i = year_list.index(year)
            users, pop = users_all[i], pop_all[i]

            def pct(mask):
                return 100.0 * float(users[mask].sum()) / float(pop[mask].sum())

            upto = ptime <= ms["time"][i]
            spent = spending[upto]  # (t, source, use)
            by_use = {u: 0 for u in USES}
            for k, u in enumerate(uses):
                by_use[u] += int(spent[:, :, k].sum())
            by_source = {}
            for k, s in enumerate(sources):
                by_source[s] = by_source.get(s, 0) + int(spent[:, k, :].sum())
            out[year] = {
                "scenario": name,
                "users": float(users.sum()),
                "percent": 100.0 * float(users.sum()) / float(pop.sum()),
                "gender": pct(sex == "male") - pct(sex == "female"),
                "urban_rural": pct(area == "urban") - pct(area == "rural"),
                "income": pct(income == "high") - pct(income == "low"),
                "spent": int(spent.sum()),
                "by_use": by_use,
                "by_source": by_source,
                "scale": scale,
            }
    return out


def close(a, b, rel=1e-9, abs_tol=1e-9):
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_tol)


def main():
    a = parse_args(__doc__.splitlines()[0])
    c = Checks("divsim compare reports the run files' numbers, paired with the base")
    w = a.workdir
    for name in os.listdir(w):
        if name.endswith((".csv", ".h5")):
            os.remove(os.path.join(w, name))

    runs = {}
    for label, extra, seed, variables, agents in (
            ("base", "", None, None, AGENTS), ("skills", SKILLS, None, None, AGENTS),
            ("devices", DEVICES, None, None, AGENTS), ("other_seed", SKILLS, 7, None, AGENTS),
            ("fewer_agents", "", None, None, "10000"),
            ("population_only", "", None, ["population"], AGENTS)):
        scenario = os.path.join(w, f"{label}.toml")
        with open(scenario, "w", encoding="utf-8") as f:
            f.write(shipped_scenario(a.root, name=label, end="2035-12-31", seed=seed,
                                         variables=variables) + extra)
        out = os.path.join(w, f"{label}.h5")
        proc, seconds = run_divsim(
            ["run", scenario, "--agents", agents, "-q", "--force", "-o", out], a.divsim, a.root,
            timeout=300)
        require_run(c, proc, f"divsim run ({label})")
        c.note(f"run {label}: {seconds:.1f} s")
        runs[label] = out

    def compare(files, csv_path, *extra):
        return run_divsim(["compare"] + [runs[x] for x in files] + ["-o", csv_path] + list(extra),
                          a.divsim, a.root, timeout=120)[0]

    # The comparison itself.
    csv_path = os.path.join(w, "compare.csv")
    proc = compare(["base", "skills", "devices"], csv_path)
    require_run(c, proc, "divsim compare base skills devices")
    rows = read_csv(csv_path)
    with open(csv_path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split(",")
    expected = {x: expected_rows(runs[x], YEARS) for x in ("base", "skills", "devices")}
    sources = []
    for x in ("base", "skills", "devices"):
        for year in YEARS:
            for s in expected[x][year]["by_source"]:
                if s not in sources:
                    sources.append(s)
    c.check(sources == ["treasury", "devices_fund"], "the runs' sources are treasury, devices_fund",
            f"found {sources}")
    c.check(header == FIXED + [f"spent_usd_source_{s}" for s in sources],
            "CSV columns: the fixed ones, then one per source in order of first appearance",
            f"found {header}")
    order = [(r["file"], r["year"]) for r in rows]
    want = [(runs[x], str(y)) for x in ("base", "skills", "devices") for y in YEARS]
    c.check(order == want, "one row per (file, year): base first, years in order", f"found {order}")
    c.check(all(expected[x][y]["scale"] == 0.01 for x in expected for y in YEARS),
            "policy/spending is stored in cents (scale_factor 0.01)")

    bad = []
    exact = 0
    costs = 0
    for r in rows:
        x = next(k for k in runs if runs[k] == r["file"])
        y = int(r["year"])
        e, b = expected[x][y], expected["base"][y]
        what = f"{x} {y}"
        if r["scenario"] != e["scenario"]:
            bad.append(f"{what}: scenario {r['scenario']} != {e['scenario']}")
        for column, value in (("internet_users", e["users"]),
                              ("internet_use_percent", e["percent"]),
                              ("users_gained", e["users"] - b["users"]),
                              ("use_change_pp", e["percent"] - b["percent"]),
                              ("gender_gap_pp", e["gender"]),
                              ("urban_rural_gap_pp", e["urban_rural"]),
                              ("income_gap_pp", e["income"])):
            if not close(float(r[column]), value):
                bad.append(f"{what}: {column} {r[column]} != {value!r}")
        money = [("spent_usd", e["spent"])] + [(f"spent_usd_{u}", e["by_use"][u]) for u in USES] + \
                [(f"spent_usd_source_{s}", e["by_source"].get(s, 0)) for s in sources]
        for column, cents in money:
            exact += 1
            if r[column] != cents_text(cents):
                bad.append(f"{what}: {column} {r[column]} != {cents_text(cents)}")
        gain = e["users"] - b["users"]
        if gain > 0:
            cost = (e["spent"] - b["spent"]) / 100.0 / gain
            costs += 1
            given = r["cost_per_additional_user_usd"]
            if not (given and abs(float(given) - cost) <= 0.005 + 1e-9 * abs(cost)):
                bad.append(f"{what}: cost_per_additional_user_usd "
                           f"{r['cost_per_additional_user_usd']!r} != {cost:.4f}")
        elif r["cost_per_additional_user_usd"] != "":
            bad.append(f"{what}: cost_per_additional_user_usd {r['cost_per_additional_user_usd']!r}"
                       " where the gain is not positive (expected empty)")
    c.check(not bad, f"every CSV number equals the computation from the run files "
            f"({len(rows)} rows, {exact} money fields exact to the cent)", "; ".join(bad[:8]))
    spent = {x: expected[x][2035]["spent"] for x in expected}
    c.check(spent["base"] == 0 and spent["skills"] > 0 and spent["devices"] > 0,
            "the alternatives spend money and the base none", f"cents by 2035: {spent}")
    used = {u for x in ("skills", "devices") for u in USES if expected[x][2035]["by_use"][u] > 0}
    c.check(len(used) >= 2, "money is spent on more than one use", f"uses: {sorted(used)}")
    c.check(costs > 0, "some rows have a cost per additional user", f"{costs} rows")
    table = proc.stdout
    c.check(all(str(y) in table for y in YEARS) and
            all(n in table for n in ("base", "skills", "devices")) and "n/a" in table,
            "the table names every year and scenario, with n/a for the base's cost")
    c.check(f"wrote {csv_path}" in proc.stderr, "a log line names the CSV written",
            proc.stderr.strip())

    # The base against itself, at one year.
    self_csv = os.path.join(w, "self.csv")
    proc = compare(["base", "base"], self_csv, "--years", "2030")
    require_run(c, proc, "divsim compare base base")
    rows = read_csv(self_csv)
    c.check(len(rows) == 2 and all(r["year"] == "2030" for r in rows),
            "--years 2030: rows at 2030 only",
            f"{[(r['file'], r['year']) for r in rows]}")
    c.check(all(float(r["users_gained"]) == 0 and float(r["use_change_pp"]) == 0 and
                r["cost_per_additional_user_usd"] == "" for r in rows),
            "the base against itself gains 0 users, 0 pp, and has no cost per user",
            f"{[(r['users_gained'], r['cost_per_additional_user_usd']) for r in rows]}")

    # Refusals: exit 2, a message naming the offending thing, no CSV written.
    refused = os.path.join(w, "refused.csv")
    seed_base = 20250101
    cases = [
        (["base", "other_seed"], [],
         rf"divsim: compare: {re.escape(runs['other_seed'])}: expected seed {seed_base} as in "
         rf"{re.escape(runs['base'])} \(paired differences need common random numbers\), "
         r"found 7\n", "another seed"),
        (["base", "fewer_agents"], [],
         rf"divsim: compare: {re.escape(runs['fewer_agents'])}: expected agents 20000 as in "
         rf"{re.escape(runs['base'])} \(paired differences need common random numbers\), "
         r"found 10000\n", "another agent count"),
        (["base", "population_only"], [],
         rf"divsim: compare: {re.escape(runs['population_only'])}: no milestones/internet_users "
         r"\(compare needs internet_users and population", "a run without internet_users"),
        (["base", "skills"], ["--years", "2031"],
         rf"divsim: compare: {re.escape(runs['base'])}: year 2031 is not a milestone of this run "
         r"\(its milestones: 2026, 2027, 2030, 2035\)", "a year that is not a milestone"),
        (["base", "skills"], ["--years", "2030,x"],
         r'divsim: compare: --years: expected milestone years separated by commas .*found "x"',
         "a malformed --years"),
        (["base"], [], r"divsim: compare: expected a base run file and at least one other, found 1 "
         r"\(usage: divsim compare BASE.h5 ALT.h5", "a single file"),
    ]
    for files, extra, pattern, what in cases:
        proc = compare(files, refused, *extra)
        c.check(proc.returncode == 2 and re.search(pattern, proc.stderr) and
                not os.path.exists(refused),
                f"{what}: exit 2, a message naming it, no CSV written",
                f"exit {proc.returncode}, stderr {proc.stderr.strip()!r}")
    missing = os.path.join(w, "missing.h5")
    not_run = os.path.join(w, "base.toml")
    for path, pattern, what in (
            (missing, rf"divsim: compare: {re.escape(missing)}: no such file\n", "a missing file"),
            (not_run, rf"divsim: compare: {re.escape(not_run)}: not a divsim run file",
             "a file that is not a run file")):
        proc = run_divsim(["compare", runs["base"], path, "-o", refused], a.divsim, a.root,
                          timeout=60)[0]
        c.check(proc.returncode == 2 and re.search(pattern, proc.stderr) and
                not os.path.exists(refused),
                f"{what}: exit 2, a message naming it, no CSV written",
                f"exit {proc.returncode}, stderr {proc.stderr.strip()!r}")

    # No overwriting without --force.
    with open(self_csv, "w", encoding="utf-8") as f:
        f.write("keep me\n")
    proc = compare(["base", "skills"], self_csv)
    with open(self_csv, encoding="utf-8") as f:
        kept = f.read()
    c.check(proc.returncode == 2 and kept == "keep me\n" and
            re.search(rf"divsim: compare: {re.escape(self_csv)}: output exists "
                      r"\(use --force to overwrite it\)", proc.stderr),
            "an existing CSV is refused without --force and left as it was",
            f"exit {proc.returncode}, stderr {proc.stderr.strip()!r}")
    proc = compare(["base", "skills"], self_csv, "--force")
    with open(self_csv, encoding="utf-8") as f:
        replaced = f.read()
    c.check(proc.returncode == 0 and replaced.startswith("scenario,file,year,"),
            "with --force it is replaced", f"exit {proc.returncode}")
    leftovers = [n for n in os.listdir(w) if ".tmp-" in n]
    c.check(not leftovers, "no temporary files left behind", f"{leftovers}")
    c.finish()


if __name__ == "__main__":
    main()
