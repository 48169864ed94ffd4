#!/usr/bin/python3
"""Regression: the baseline still gives the recorded numbers (golden baseline).

Runs scenarios/baseline.toml at 20,000 agents over its whole horizon and compares a SHA-256 digest
of every data variable (root group and milestones group) with tests/golden/baseline-20000.txt,
which also records a few milestone figures so that a reader of a failure sees what moved. Any
change to the model's numbers fails this test, however small: a deliberate change regenerates the
file with `--update` and says why in its commit. Digests are for the reference platform (Debian 12,
GCC 12, x86-64): the floating-point results of another compiler or libm may differ in the last bits.
"""

import hashlib
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from regression_common import Checks, parse_args, require_run, run_divsim  # noqa: E402

AGENTS = 20_000
GOLDEN = os.path.join("tests", "golden", f"baseline-{AGENTS}.txt")
SUMMARY = [("internet_users", "population"), ("mobile_owners_10plus", "population_10plus"),
           ("basic_skills", "population")]


def digests(path):
    """{dataset path: sha256 of its dtype, shape and raw bytes} and a few world milestone rates."""
    import h5py
    import numpy as np
    out, rates = {}, {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                data = obj[...]
                h = hashlib.sha256(f"{data.dtype.str}{data.shape}".encode())
                if data.dtype.kind == "O":
                    h.update("\x00".join(x.decode() if isinstance(x, bytes) else str(x)
                                         for x in data.ravel()).encode())
                else:
                    h.update(np.ascontiguousarray(data).tobytes())
                out[name] = h.hexdigest()
        f.visititems(visit)
        years = f["milestones/year"][...]
        for measure, base in SUMMARY:
            top = f[f"milestones/{measure}"][...].sum(axis=1)
            bottom = f[f"milestones/{base}"][...].sum(axis=1)
            for y, t, b in zip(years, top, bottom):
                rates[f"{measure}/{base} {int(y)}"] = f"{100 * t / b:.4f}"
    return out, rates


def write_golden(path, sums, rates):
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"# Golden baseline: scenarios/baseline.toml at {AGENTS} agents, whole horizon.\n")
        f.write("# Regenerate only for a deliberate change of the model's numbers:\n")
        f.write("#   tests/regression/check_golden.py --update (see its docstring)\n")
        for k in sorted(rates):
            f.write(f"rate {k} {rates[k]}\n")
        for k in sorted(sums):
            f.write(f"sha256 {k} {sums[k]}\n")


def read_golden(path):
    sums, rates = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            kind, rest = line.rstrip("\n").split(" ", 1)
            key, value = rest.rsplit(" ", 1)
            (sums if kind == "sha256" else rates)[key] = value
    return sums, rates


def main():
    update = "--update" in sys.argv
    if update:
        sys.argv.remove("--update")
    a = parse_args(__doc__.splitlines()[0])
    c = Checks("golden baseline")
    out = os.path.join(a.workdir, "golden.h5")
    proc, seconds = run_divsim(["run", os.path.join("scenarios", "baseline.toml"), "--agents",
                                str(AGENTS), "-q", "--force", "-o", out], a.divsim, a.root, timeout=600)
    require_run(c, proc, "divsim run")
    c.note(f"run: {seconds:.1f} s")
    sums, rates = digests(out)
    golden = os.path.join(a.root, GOLDEN)
    if update:
        write_golden(golden, sums, rates)
        c.note(f"wrote {GOLDEN}")
        c.finish()
    if not c.check(os.path.isfile(golden), f"{GOLDEN} exists"):
        c.finish()
    want_sums, want_rates = read_golden(golden)
    c.check(set(sums) == set(want_sums), "the same variables as recorded",
            f"added {sorted(set(sums) - set(want_sums))}, gone {sorted(set(want_sums) - set(sums))}")
    changed = sorted(k for k in sums if k in want_sums and sums[k] != want_sums[k])
    c.check(not changed, f"every variable bit-identical to the record ({len(sums)} variables)",
            f"changed: {changed}")
    for k in sorted(want_rates):
        if rates.get(k) != want_rates[k]:
            c.note(f"{k}: recorded {want_rates[k]}, now {rates.get(k)}")
    c.finish()


if __name__ == "__main__":
    main()
