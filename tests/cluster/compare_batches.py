#!/usr/bin/python3
"""Compares batch files with a reference batch file written by one plain `divsim batch`.

  compare_batches.py REFERENCE [--same FILE[:RANKS]]... [--part FILE]...

--same FILE: FILE holds the reference's data bit for bit: the same groups, the same datasets with
the same type, shape and raw bytes, the same dataset and group attributes, and the same root
attributes except those that describe how the file was executed. With :RANKS, the root attribute
mpi_ranks must be RANKS (so a launcher that started independent one-rank copies is caught).
--part FILE: a part file (divsim batch --shard i/N): its root attribute shard is "i/N", its run
coordinate holds the runs k with k mod N = i, each per-run dataset holds the reference's rows of
those runs, every other dataset equals the reference's, and it has no summary or differences.
As a control, the first part file compared as a whole file must differ from the reference.
Exits 0 when every check holds, 1 otherwise.
"""

import argparse
import sys

import h5py
import numpy as np

# Root attributes that describe the execution, not the data (docs/batch.md).
EXECUTION = {"created", "command_line", "history", "mpi_ranks", "threads", "jobs",
             "wall_time_seconds", "runs_per_hour", "shard"}
# HDF5 dimension-scale bookkeeping: object references, which differ between files by nature.
SCALE_ATTRS = {"DIMENSION_LIST", "REFERENCE_LIST"}
# Groups a part file leaves to the merge.
MERGED_ONLY = ("summary", "differences")


def raw(data):
    """The bytes of an array; variable-length strings as their text."""
    if data.dtype.kind == "O":
        return "\x00".join(x.decode("utf-8") if isinstance(x, bytes) else str(x)
                           for x in data.ravel()).encode("utf-8")
    return np.ascontiguousarray(data).tobytes()


def attr_bytes(value):
    if isinstance(value, (str, bytes)):
        return value.encode("utf-8") if isinstance(value, str) else value
    value = np.asarray(value)
    return str(value.dtype).encode() + b"|" + str(value.shape).encode() + b"|" + raw(value)


def attrs_of(obj, skip=()):
    return {k: attr_bytes(v) for k, v in obj.attrs.items() if k not in SCALE_ATTRS and k not in skip}


def snapshot(path):
    """{"datasets": {path: (dtype, shape, array)}, "groups": {path: attributes}, "root": attributes}."""
    datasets, groups = {}, {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                datasets[name] = (str(obj.dtype), obj.shape, obj[...], attrs_of(obj))
            else:
                groups[name] = attrs_of(obj)
        f.visititems(visit)
        root = {k: v for k, v in f.attrs.items()}
    return {"datasets": datasets, "groups": groups, "root": root}


class Checks:
    def __init__(self):
        self.failed = 0

    def check(self, ok, what, detail=""):
        print(("ok   " if ok else "FAIL ") + what + ("" if ok or not detail else f": {detail}"), flush=True)
        if not ok:
            self.failed += 1
        return ok


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def whole_file_differences(ref, other):
    """Names of what differs between two snapshots, ignoring only the execution attributes."""
    out = []
    d0, d1 = ref["datasets"], other["datasets"]
    for name in sorted(set(d0) | set(d1)):
        if name not in d0 or name not in d1:
            out.append(f"{name} (only in one)")
        elif d0[name][:2] != d1[name][:2] or raw(d0[name][2]) != raw(d1[name][2]):
            out.append(name)
        elif d0[name][3] != d1[name][3]:
            out.append(f"{name} (attributes)")
    g0, g1 = ref["groups"], other["groups"]
    for name in sorted(set(g0) | set(g1)):
        if g0.get(name) != g1.get(name):
            out.append(f"group {name}")
    r0, r1 = ref["root"], other["root"]
    for key in sorted((set(r0) | set(r1)) - EXECUTION):
        if key not in r0 or key not in r1 or attr_bytes(r0[key]) != attr_bytes(r1[key]):
            out.append(f"root attribute {key}")
    return out


def check_same(c, ref, path, ranks):
    other = snapshot(path)
    differ = whole_file_differences(ref, other)
    c.check(not differ, f"{path}: the reference's data bit for bit ({len(ref['datasets'])} datasets, "
            f"{len(ref['groups'])} groups)", ", ".join(differ[:20]))
    if ranks is not None:
        got = other["root"].get("mpi_ranks")
        c.check(got is not None and int(np.asarray(got).ravel()[0]) == ranks,
                f"{path}: mpi_ranks = {ranks}", f"found {got!r}")


def check_part(c, ref, path):
    part = snapshot(path)
    shard = text(part["root"].get("shard", ""))
    try:
        i, n = (int(x) for x in shard.split("/"))
    except ValueError:
        c.check(False, f"{path}: root attribute shard is i/N", f"found {shard!r}")
        return
    runs = np.asarray(ref["datasets"]["run"][2])
    mine = runs[runs % n == i]
    got = np.asarray(part["datasets"].get("run", (None, None, np.array([])))[2])
    c.check(np.array_equal(got, mine), f"{path}: shard {i}/{n} holds runs {mine.tolist()}",
            f"found {got.tolist()}")
    rd, pd = ref["datasets"], part["datasets"]
    wanted = {name for name in rd if name.split("/")[0] not in MERGED_ONLY}
    c.check(set(pd) == wanted, f"{path}: the reference's datasets less {' and '.join(MERGED_ONLY)}",
            str(sorted(set(pd) ^ wanted)[:20]))
    differ = []
    for name in sorted(wanted & set(pd)):
        rdt, rshape, rdata, rattrs = rd[name]
        pdt, pshape, pdata, pattrs = pd[name]
        if rdt != pdt or rattrs != pattrs:
            differ.append(name)
        elif rshape == pshape:
            if raw(rdata) != raw(pdata):
                differ.append(name)
        elif (len(rshape) >= 1 and rshape[0] == len(runs) and pshape[0] == len(mine)
              and rshape[1:] == pshape[1:]):
            if raw(rdata[mine]) != raw(pdata):
                differ.append(f"{name} (rows)")
        else:
            differ.append(f"{name} (shape {pshape}, reference {rshape})")
    c.check(not differ,
            f"{path}: every dataset is the reference's, per-run ones restricted to the shard's rows",
            ", ".join(differ[:20]))
    return part


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("reference")
    p.add_argument("--same", action="append", default=[], metavar="FILE[:RANKS]")
    p.add_argument("--part", action="append", default=[], metavar="FILE")
    a = p.parse_args()
    c = Checks()
    ref = snapshot(a.reference)
    c.check("run" in ref["datasets"] and all(g in ref["groups"] for g in MERGED_ONLY),
            f"{a.reference}: a batch file with run, summary and differences", str(sorted(ref["groups"])))
    for spec in a.same:
        path, sep, ranks = spec.rpartition(":")
        if not sep or not ranks.isdigit():
            path, ranks = spec, ""
        check_same(c, ref, path, int(ranks) if ranks else None)
    for path in a.part:
        check_part(c, ref, path)
    if a.part:
        differ = whole_file_differences(ref, snapshot(a.part[0]))
        c.check(bool(differ), f"control: {a.part[0]} as a whole file differs from the reference",
                "the comparison found no difference")
    print(f"{c.failed} check(s) failed" if c.failed else "all checks passed")
    sys.exit(1 if c.failed else 0)


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    main()
