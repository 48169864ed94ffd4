#!/usr/bin/python3
"""Regression: the thread count never changes a run's numbers.

Runs the baseline at --agents 300000 with --threads 1, 2, 4 and 8 (one file each) and requires every
dataset of the root group and of the milestones group (measures, coordinates, time) to be
bit-identical across the four files, comparing the raw bytes h5py reads. Dataset attributes and the
global attributes must match too, except the provenance that records how a run went (threads, times,
command line). A control run with another seed must differ, so the comparison can see a difference.
"""

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from regression_common import Checks, parse_args, require_run, run_divsim  # noqa: E402

import numpy as np  # noqa: E402

SCENARIO = os.path.join("scenarios", "baseline.toml")
AGENTS = 300_000
THREADS = [1, 2, 4, 8]
# Global attributes that describe the run rather than its results.
VOLATILE = {"threads", "created", "history", "command_line", "wall_time_seconds", "setup_seconds",
            "step_seconds", "agent_steps_per_second", "agent_steps_per_second_steps_only",
            "peak_resident_bytes"}
# HDF5 dimension-scale bookkeeping: object references, which h5py cannot compare across files.
SCALE_ATTRS = {"DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME", "_Netcdf4Dimid", "_Netcdf4Coordinates"}


def snapshot(path):
    """{dataset path: (dtype, shape, raw bytes, attributes)} for every dataset, and the root attributes."""
    import h5py
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                data = obj[...]
                if data.dtype.kind == "O":  # variable-length strings: compare the text
                    raw = "\x00".join(x.decode("utf-8") if isinstance(x, bytes) else str(x)
                                      for x in data.ravel()).encode("utf-8")
                else:
                    raw = np.ascontiguousarray(data).tobytes()
                attrs = {k: np.asarray(v).tobytes() if not isinstance(v, (str, bytes)) else v
                         for k, v in obj.attrs.items() if k not in SCALE_ATTRS}
                out[name] = (str(data.dtype), data.shape, raw, attrs)
        f.visititems(visit)
        root_attrs = {k: v for k, v in f.attrs.items()}
    return out, root_attrs


def same_attr(a, b):
    if isinstance(a, (str, bytes)) or isinstance(b, (str, bytes)):
        return a == b
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def compare(c, label, ref, other, expect_same=True):
    """Checks (or, for the control, returns) whether two snapshots' datasets are bit-identical."""
    (d0, a0), (d1, a1) = ref, other
    names = sorted(set(d0) | set(d1))
    differ = [n for n in names if n not in d0 or n not in d1 or d0[n][:3] != d1[n][:3]]
    if not expect_same:
        return differ
    c.check(set(d0) == set(d1), f"{label}: the same datasets", str(sorted(set(d0) ^ set(d1))))
    c.check(not differ, f"{label}: every dataset bit-identical ({len(names)} datasets)", f"differ: {differ}")
    attr_differ = [n for n in names if n in d0 and n in d1 and
                   (set(d0[n][3]) != set(d1[n][3]) or
                    any(not same_attr(d0[n][3][k], d1[n][3][k]) for k in d0[n][3]))]
    c.check(not attr_differ, f"{label}: dataset attributes equal", f"differ: {attr_differ}")
    keys = (set(a0) | set(a1)) - VOLATILE
    g_differ = sorted(k for k in keys if k not in a0 or k not in a1 or not same_attr(a0[k], a1[k]))
    c.check(not g_differ, f"{label}: global attributes equal (except {', '.join(sorted(VOLATILE))})",
            f"differ: {g_differ}")
    return differ


def main():
    a = parse_args(__doc__.splitlines()[0])
    c = Checks("check_threads")
    c.note(f"this machine has {os.cpu_count()} CPUs; thread counts above that can only oversubscribe")
    snaps = {}
    for t in THREADS:
        out = os.path.join(a.workdir, f"threads{t}.h5")
        proc, secs = run_divsim(["run", SCENARIO, "--agents", str(AGENTS), "--threads", str(t), "-o", out, "-q",
                                 "--force"], a.divsim, a.root, timeout=600)
        require_run(c, proc, f"divsim run --threads {t}")
        print(f"  ran --threads {t} in {secs:.1f} s", flush=True)
        snaps[t] = snapshot(out)
        got = snaps[t][1].get("threads")
        c.check(got is not None and int(got) == t, f"--threads {t}: the file records threads = {t}", repr(got))

    ref = snaps[THREADS[0]]
    names = sorted(ref[0])
    wanted = ["population", "internet_users", "time", "milestones/population", "milestones/time",
              "milestones/year", "income_group", "milestones/income_group"]
    missing = [n for n in wanted if n not in ref[0]]
    c.check(not missing, "the files hold the root and milestones datasets", f"missing {missing}; found {names}")
    for t in THREADS[1:]:
        compare(c, f"--threads {t} vs --threads {THREADS[0]}", ref, snaps[t])

    # Control: the comparison must see a difference where there is one.
    out = os.path.join(a.workdir, "control_seed.h5")
    seed = int(ref[1]["seed"]) + 1
    proc, _ = run_divsim(["run", SCENARIO, "--agents", str(AGENTS), "--threads", str(THREADS[0]), "--seed",
                          str(seed), "-o", out, "-q", "--force"], a.divsim, a.root, timeout=600)
    require_run(c, proc, "divsim run --seed (control)")
    differ = compare(c, "control", ref, snapshot(out), expect_same=False)
    c.check("internet_users" in differ and "milestones/internet_users" in differ,
            f"control: a run with --seed {seed} differs in internet_users (root and milestones)",
            f"datasets that differ: {differ}")
    c.finish()


if __name__ == "__main__":
    main()
