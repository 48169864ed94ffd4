"""Shared helpers for the divsim regression scripts (standard library only).

Each script takes --divsim (the binary), --root (the repository root) and --workdir (a scratch
folder), prints every check it makes and exits 0 when all pass, 1 when a check fails and 2 when the
test itself cannot run (bad arguments, a run that did not finish).
"""

import argparse
import csv
import os
import re
import subprocess
import sys
import time


class Checks:
    """Records named checks; a failed check is printed at once and the run goes on."""

    def __init__(self, title):
        self.title = title
        self.failures = []
        self.count = 0
        self.t0 = time.monotonic()
        print(f"== {title}", flush=True)

    def check(self, ok, what, detail=""):
        self.count += 1
        if ok:
            print(f"  ok   {what}" + (f" ({detail})" if detail else ""), flush=True)
        else:
            self.failures.append(f"{what}: {detail}" if detail else what)
            print(f"  FAIL {what}" + (f": {detail}" if detail else ""), flush=True)
        return bool(ok)

    def note(self, text):
        print(f"  note {text}", flush=True)

    def fatal(self, text):
        """Stops the script: a later check would only repeat this failure."""
        self.failures.append(text)
        print(f"  FAIL {text}", flush=True)
        self.finish()

    def finish(self):
        elapsed = time.monotonic() - self.t0
        if self.failures:
            print(f"== {self.title}: {len(self.failures)} of {self.count} checks FAILED "
                  f"in {elapsed:.1f} s:", flush=True)
            for f in self.failures:
                print(f"   - {f}", flush=True)
            sys.exit(1)
        print(f"== {self.title}: all {self.count} checks passed in {elapsed:.1f} s", flush=True)
        sys.exit(0)


def parse_args(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--divsim", required=True, help="the divsim binary")
    p.add_argument("--root", required=True, help="the repository root")
    p.add_argument("--workdir", required=True, help="an empty scratch folder")
    a = p.parse_args()
    a.divsim = os.path.abspath(a.divsim)
    a.root = os.path.abspath(a.root)
    a.workdir = os.path.abspath(a.workdir)
    if not os.access(a.divsim, os.X_OK):
        p.error(f"--divsim {a.divsim}: not an executable file")
    if not os.path.isfile(os.path.join(a.root, "scenarios", "baseline.toml")):
        p.error(f"--root {a.root}: no scenarios/baseline.toml there")
    os.makedirs(a.workdir, exist_ok=True)
    return a


def run_divsim(args, divsim, root, timeout):
    """Runs divsim from the repository root; returns (CompletedProcess, seconds)."""
    t0 = time.monotonic()
    try:
        proc = subprocess.run([divsim] + list(args), cwd=root, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"  FAIL divsim {' '.join(args)}: no exit within {timeout} s", flush=True)
        sys.exit(2)
    return proc, time.monotonic() - t0


def require_run(checks, proc, what):
    if proc.returncode != 0:
        checks.fatal(f"{what} exited {proc.returncode}; stderr:\n{proc.stderr.strip()}")


def read_csv(path):
    """Rows of a CSV file whose leading '#' lines are comments."""
    with open(path, newline="", encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines))


def to_text(value):
    """An attribute as str, whichever reader returned it (str, bytes or a 0-d/1-element array)."""
    if hasattr(value, "tolist"):
        value = value.tolist()
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value


def shipped_scenario(root, file="baseline.toml", name=None, end=None, seed=None, variables=None):
    """A scenario of scenarios/ as text with absolute data paths, so that it runs from any folder;
    optionally renamed, with another end date, seed, or an [output] variables list."""
    with open(os.path.join(root, "scenarios", file), encoding="utf-8") as f:
        text = f.read()
    text = text.replace('"../calibration/', '"' + os.path.join(root, "calibration") + "/")
    if name is not None:
        text = re.sub(r"(?m)^name = .*$", f'name = "{name}"', text, count=1)
    if end is not None:
        text = re.sub(r"(?m)^end = .*$", f"end = {end}", text, count=1)
    if seed is not None:
        text = re.sub(r"(?m)^seed = .*$", f"seed = {seed}", text)
    if variables is not None:
        listed = ", ".join(f'"{v}"' for v in variables)
        text = re.sub(r"(?m)^milestones = (.*)$", rf"milestones = \1\nvariables = [{listed}]", text)
    return text
