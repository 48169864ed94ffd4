"""Helpers for the batch checks: a small batch over the shipped scenarios, and the data of two
HDF5 files compared dataset by dataset, byte for byte (h5py, independent of divsim's own
comparison in `divsim reproduce`)."""

import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "regression"))
from regression_common import Checks, parse_args, run_divsim, require_run, read_csv, to_text  # noqa: E402,F401


def batch_text(root, name="check", scenarios=("baseline.toml", "portfolio-skills.toml"),
               reference="baseline", replicates=2, agents=4000, draws=(0, 2), extra=""):
    """A batch over shipped scenarios (absolute paths) with draws of the ensemble (the ensemble
    is resampled, so neighbouring draws can be the same parameter set: 0 and 2 differ)."""
    listed = ", ".join(f'"{os.path.join(root, "scenarios", s)}"' for s in scenarios)
    text = f'[batch]\nname = "{name}"\nscenarios = [{listed}]\n'
    if reference:
        text += f'reference = "{reference}"\n'
    text += f"replicates = {replicates}\nagents = {agents}\n{extra}"
    if draws:
        text += (f'\n[draws]\nfrom = "{os.path.join(root, "calibration", "posterior.csv")}"\n'
                 f"draws = [{', '.join(str(d) for d in draws)}]\n")
    return text


def sequential_sum(values, axis):
    """A sum taken in order, as divsim sums (numpy's sum is pairwise and can differ in the last
    bit)."""
    return np.cumsum(values, axis=axis).take(-1, axis=axis)


def datasets(path):
    """Every dataset of a file: path -> numpy value."""
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()])
                     if isinstance(obj, h5py.Dataset) else None)
    return out


def same_value(x, y):
    x, y = np.asarray(x), np.asarray(y)
    if x.shape != y.shape:
        return False
    if x.dtype.kind == "O" or y.dtype.kind == "O":
        return all(a == b for a, b in zip(x.ravel().tolist(), y.ravel().tolist()))
    return x.dtype == y.dtype and x.tobytes() == y.tobytes()


def data_differences(a, b):
    """Names of the datasets that are missing, extra or not bit-identical between a and b."""
    da, db = datasets(a), datasets(b)
    bad = [k for k in da if k not in db or not same_value(da[k], db[k])]
    bad += [k for k in db if k not in da]
    return bad, len(da)
