#!/usr/bin/python3
"""Regression: turning an output on or off changes no other output.

Runs the same scenario three times (a short horizon and 50,000 agents, so it is quick): with every
variable, with a subset named in [output] variables in another order, and with a single variable.
Every variable a reduced file holds must be bit-identical to the full file's, in the root group and
in the milestones group, and the variables left out must be absent. Coordinates and time must be
identical too. A control with another seed must differ, so the comparison can see a difference.
"""

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from regression_common import (Checks, parse_args, require_run, run_divsim,  # noqa: E402
                               shipped_scenario)

MEASURES = ["population", "population_10plus", "internet_users", "mobile_owners_10plus",
            "covered_2g_plus", "covered_3g_plus", "covered_4g_plus", "covered_5g", "basic_skills",
            "births", "deaths", "immigrants"]
SUBSET = ["deaths", "internet_users", "population"]
SINGLE = ["covered_5g"]


def datasets(path):
    """{dataset path: raw bytes (text for strings)} for every dataset in the file."""
    import h5py
    import numpy as np
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                data = obj[...]
                if data.dtype.kind == "O":
                    out[name] = "\x00".join(x.decode() if isinstance(x, bytes) else str(x)
                                            for x in data.ravel()).encode()
                else:
                    out[name] = (str(data.dtype), data.shape, np.ascontiguousarray(data).tobytes())
        f.visititems(visit)
    return out


def main():
    a = parse_args(__doc__.splitlines()[0])
    c = Checks("turning outputs on or off changes no other output")
    runs = {}
    for label, variables, seed in (("all", None, None), ("subset", SUBSET, None),
                                   ("single", SINGLE, None), ("control", None, 1)):
        scenario = os.path.join(a.workdir, f"{label}.toml")
        with open(scenario, "w", encoding="utf-8") as f:
            f.write(shipped_scenario(a.root, end="2027-12-31", seed=seed, variables=variables))
        out = os.path.join(a.workdir, f"{label}.h5")
        proc, seconds = run_divsim(["run", scenario, "--agents", "50000", "-q", "--force", "-o", out],
                                   a.divsim, a.root, timeout=300)
        require_run(c, proc, f"divsim run ({label})")
        c.note(f"{label}: {seconds:.1f} s")
        runs[label] = datasets(out)

    full = runs["all"]
    for m in MEASURES:
        c.check(m in full and f"milestones/{m}" in full, f"the full file holds {m}")
    for label, chosen in (("subset", SUBSET), ("single", SINGLE)):
        reduced = runs[label]
        left_out = [m for m in MEASURES if m not in chosen]
        present = [n for n in reduced if n.split("/")[-1] in left_out]
        c.check(not present, f"{label}: variables left out are absent", f"present: {present}")
        missing = [n for n in full if n.split("/")[-1] in chosen and n not in reduced]
        c.check(not missing, f"{label}: every chosen variable is written, with its milestones",
                f"missing: {missing}")
        differ = [n for n in reduced if n not in full or reduced[n] != full[n]]
        c.check(not differ, f"{label}: every dataset bit-identical to the full run's "
                f"({len(reduced)} datasets)", f"differ: {differ}")
    control = runs["control"]
    c.check(control["internet_users"] != full["internet_users"],
            "control: another seed gives other numbers, so a difference would be seen")
    c.finish()


if __name__ == "__main__":
    main()
