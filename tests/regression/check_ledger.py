#!/usr/bin/python3
"""Regression: the money ledger as users read it from run files.

Runs the balanced portfolio (scenarios/portfolio-balanced.toml) and the universal-service-fund and
financing scenarios at 30,000 agents and checks in the run files, with h5py on the raw int64 cents:
inflows = spending + change in balances, exactly, for every source and month; the programmes'
balances add up to the allotted balance; spending by use equals the programmes' spending; a
programme never spends money its fund did not give. xarray decodes the money to US dollars. The
balanced portfolio run at 1 and 3 threads must be bit-identical in every dataset (rationing in
queue order does not depend on threads), and the same portfolio with no money must give the
baseline's data exactly (common random numbers).
"""

import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from regression_common import (Checks, parse_args, require_run, run_divsim,  # noqa: E402
                               shipped_scenario, to_text)
from check_threads import compare, snapshot  # noqa: E402

import numpy as np  # noqa: E402

AGENTS = "30000"


def check_ledger(c, path, label):
    import h5py
    with h5py.File(path, "r") as f:
        g = f["policy"]
        inflow = g["inflow_public"][...] + g["inflow_private"][...]
        spending = g["spending"][...]
        balance = g["balance_idle"][...] + g["balance_undisbursed"][...] + g["balance_allotted"][...]
        c.check(g["spending"].dtype == np.int64 and g["spending"].attrs["scale_factor"] == 0.01,
                f"{label}: money stored as int64 cents with scale_factor 0.01")
        c.check(to_text(g["spending"].attrs["units"]) == "USD", f"{label}: money in USD")
        ok = np.array_equal(balance[:-1] + inflow[1:], spending[1:].sum(axis=2) + balance[1:])
        c.check(ok and np.all(balance[0] == 0),
                f"{label}: balance(t-1) + inflow(t) = spending(t) + balance(t) exactly, "
                f"{balance.shape[1]} sources x {balance.shape[0] - 1} months")
        funding = [to_text(x) for x in g["programme_funding"][...]]
        names = [to_text(x) for x in g["source_name"][...]]
        held = g["programme_balance"][...]
        allotted = g["balance_allotted"][...]
        sums = np.stack([held[:, [k for k, fu in enumerate(funding) if fu == n]].sum(axis=1)
                         for n in names], axis=1)
        c.check(np.array_equal(sums, allotted), f"{label}: programme balances sum to the allotted")
        uses = [to_text(x) for x in g["use_name"][...]]
        prog_use = [to_text(x) for x in g["programme_use"][...]]
        spent = g["programme_spending"][...]
        by_use = np.stack([spent[:, [k for k, u in enumerate(prog_use) if u == use]].sum(axis=1)
                           for use in uses], axis=1)
        c.check(np.array_equal(by_use, spending.sum(axis=1)),
                f"{label}: spending by use = the programmes' spending")
        c.check(np.all(spent >= 0) and np.all(held >= 0) and np.all(balance >= 0),
                f"{label}: no negative spending or balance")
        total_in, total_spent = inflow.sum(), spending.sum()
        c.check(total_spent > 0, f"{label}: money was spent",
                f"{total_spent / 100 / 1e9:.2f} bn USD of {total_in / 100 / 1e9:.2f} bn in")
        share = g["schools_connected"][...]
        c.check(np.all((share >= 0) & (share <= 1)) and np.allclose(share[0], [0.95, 0.7, 0.4, 0.15]),
                f"{label}: school shares in [0, 1], starting at schools.start_share",
                str(share[0]))
        schools = spending[:, :, uses.index("schools")].sum()
        c.check((share[-1, 3] > share[0, 3] + 0.01) == (schools > 0),
                f"{label}: low-income schools connected rise exactly when money goes to schools",
                f"{share[0, 3]:.3f} -> {share[-1, 3]:.3f}")
    import xarray as xr
    ds = xr.open_dataset(path, group="policy")
    usd = float(ds["spending"].sum())
    c.check(abs(usd - total_spent / 100) <= 1e-6 * max(1.0, usd),
            f"{label}: xarray decodes the cents to USD", f"{usd:.2f}")
    ds.close()


def main():
    a = parse_args(__doc__.splitlines()[0])
    c = Checks("ledger in run files")
    runs = {}
    for name, threads in (("portfolio-balanced", 1), ("portfolio-balanced", 3), ("usf", 2),
                          ("financing", 2)):
        out = os.path.join(a.workdir, f"{name}-{threads}.h5")
        proc, secs = run_divsim(["run", f"scenarios/{name}.toml", "--agents", AGENTS, "--threads",
                                 str(threads), "-q", "--force", "-o", out], a.divsim, a.root, 600)
        require_run(c, proc, f"{name} on {threads} threads")
        c.note(f"{name} on {threads} threads: {secs:.1f} s")
        runs[(name, threads)] = out
    for (name, threads), path in runs.items():
        if threads != 3:
            check_ledger(c, path, name)
    compare(c, "portfolio on 1 and 3 threads", snapshot(runs[("portfolio-balanced", 1)]),
            snapshot(runs[("portfolio-balanced", 3)]))

    # The same portfolio without money is business as usual, bit for bit.
    text = re.sub(r"amount_musd_per_year = \d+", "amount_musd_per_year = 0",
                  shipped_scenario(a.root, "portfolio-balanced.toml"))
    unfunded = os.path.join(a.workdir, "unfunded.toml")
    with open(unfunded, "w", encoding="utf-8") as f:
        f.write(text)
    outs = {}
    for label, scenario in (("unfunded", unfunded), ("baseline", "scenarios/baseline.toml")):
        outs[label] = os.path.join(a.workdir, f"{label}.h5")
        proc, _ = run_divsim(["run", scenario, "--agents", AGENTS, "-q", "--force", "-o",
                              outs[label]], a.divsim, a.root, 600)
        require_run(c, proc, label)
    d0, _ = snapshot(outs["baseline"])
    d1, _ = snapshot(outs["unfunded"])
    measures = [n for n in d0 if not n.startswith("policy/")]
    differ = [n for n in measures if n not in d1 or d0[n][:3] != d1[n][:3]]
    c.check(not differ, f"a portfolio without money gives the baseline's data exactly "
                        f"({len(measures)} datasets)", f"differ: {differ}")
    c.finish()


if __name__ == "__main__":
    main()
