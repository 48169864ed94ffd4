#!/usr/bin/python3
"""Regression: divsim run never damages or half-writes a run file.

  (a) an existing output without --force: exit 2, a message naming the file and --force, and the
      file's bytes, inode and mtime untouched;
  (b) a scenario with an unknown key: exit 2 and no output file (neither -o nor the default path);
  (c) a large run stopped by SIGTERM (and SIGINT) in its step loop: exit 128 + signal, no file under
      the final name and no `.NAME.tmp-*` file; stopped by SIGKILL: no file under the final name
      (a leftover temporary file is reported);
  (d) --force: an existing file (junk, or another run) is replaced by a valid run file.
"""

import glob
import hashlib
import os
import re
import signal
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from regression_common import Checks, parse_args, run_divsim, to_text  # noqa: E402

SCENARIO = os.path.join("scenarios", "baseline.toml")
BIG_AGENTS = 20_000_000
SMALL_AGENTS = 10_000
SIGNAL_DELAY_S = 1.5
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def temp_files(path):
    folder, name = os.path.split(path)
    return sorted(glob.glob(os.path.join(glob.escape(folder), "." + glob.escape(name) + ".tmp-*")))


def valid_run_file(path, agents):
    """None when `path` is a complete run file for `agents` agents, else what is wrong."""
    import h5py
    with open(path, "rb") as f:
        if f.read(8) != HDF5_SIGNATURE:
            return "no HDF5 signature"
    try:
        with h5py.File(path, "r") as f:
            steps = int(f.attrs["steps"])
            if int(f.attrs["agents"]) != agents:
                return f"agents attribute {f.attrs['agents']} != {agents}"
            for m in ("population", "internet_users", "milestones/population"):
                if m not in f:
                    return f"no {m}"
            if f["population"].shape != (steps + 1, 192):
                return f"population has shape {f['population'].shape}"
            if not (f["population"][...] > 0).any():
                return "population is all zero"
            return None
    except Exception as e:  # noqa: BLE001 - any reader error means an invalid file
        return f"h5py cannot read it: {type(e).__name__}: {e}"


def scenario_in_workdir(root, workdir, name, extra_run_line=None):
    """The baseline scenario copied to workdir with absolute data paths, optionally one extra key."""
    with open(os.path.join(root, SCENARIO), encoding="utf-8") as f:
        text = f.read()
    calibration = os.path.join(root, "calibration")
    text = text.replace('"../calibration/', '"' + calibration + "/")
    if extra_run_line:
        text, n = re.subn(r"^\[run\]\n", "[run]\n" + extra_run_line + "\n", text, flags=re.M)
        assert n == 1, "baseline.toml has no [run] table"
    path = os.path.join(workdir, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


# ------------------------------------------------------------------------------------------ (a)

def case_existing_output(c, a):
    print("-- (a) existing output, no --force", flush=True)
    out = os.path.join(a.workdir, "existing.h5")
    content = b"an existing file that divsim must not touch\n" * 100
    with open(out, "wb") as f:
        f.write(content)
    past = 1_000_000_000_000_000_000  # 2001-09-09, so any rewrite shows in the mtime
    os.utime(out, ns=(past, past))
    before = os.stat(out)
    proc, secs = run_divsim(["run", SCENARIO, "--agents", str(SMALL_AGENTS), "-o", out],
                            a.divsim, a.root, timeout=120)
    after = os.stat(out)
    c.check(proc.returncode == 2, "exits 2", f"exit {proc.returncode}")
    msg = proc.stderr.strip()
    c.check(out in msg and "--force" in msg, "message names the file and --force", repr(msg[:300]))
    c.check(sha256_file(out) == hashlib.sha256(content).hexdigest(), "file bytes unchanged")
    c.check(after.st_mtime_ns == before.st_mtime_ns and after.st_size == before.st_size,
            "file mtime and size unchanged", f"mtime {before.st_mtime_ns} -> {after.st_mtime_ns}")
    c.check(after.st_ino == before.st_ino, "same inode (not replaced)", f"{before.st_ino} -> {after.st_ino}")
    c.check(not temp_files(out), "no temporary file left", str(temp_files(out)))
    c.check(proc.stdout == "", "nothing on stdout (no milestone table)", repr(proc.stdout[:200]))


# ------------------------------------------------------------------------------------------ (b)

def case_bad_scenario(c, a):
    print("-- (b) scenario with an unknown key", flush=True)
    good = scenario_in_workdir(a.root, a.workdir, "good.toml")
    p, _ = run_divsim(["validate", good], a.divsim, a.workdir, timeout=120)
    c.check(p.returncode == 0, "control: the copied baseline (absolute data paths) validates",
            f"exit {p.returncode}: {p.stderr.strip()[:300]}")
    key = "seeed"
    bad = scenario_in_workdir(a.root, a.workdir, "bad.toml", f"{key} = 7")
    p, _ = run_divsim(["validate", bad], a.divsim, a.workdir, timeout=120)
    c.check(p.returncode == 2 and key in p.stderr, f"divsim validate rejects it (exit 2, names {key!r})",
            f"exit {p.returncode}: {p.stderr.strip()[:300]}")
    out = os.path.join(a.workdir, "bad.h5")
    before = set(os.listdir(a.workdir))
    p, _ = run_divsim(["run", bad, "-o", out, "--agents", str(SMALL_AGENTS)], a.divsim, a.workdir, timeout=120)
    c.check(p.returncode == 2, "divsim run -o exits 2", f"exit {p.returncode}")
    c.check(key in p.stderr, f"the message names the unknown key {key!r}", repr(p.stderr.strip()[:300]))
    c.check(not os.path.exists(out) and not temp_files(out), "no output file and no temporary file",
            str(sorted(set(os.listdir(a.workdir)) - before)))
    # Without -o the default would be outputs/<name>.h5 under the working folder.
    p, _ = run_divsim(["run", bad, "--agents", str(SMALL_AGENTS)], a.divsim, a.workdir, timeout=120)
    c.check(p.returncode == 2, "divsim run (default output path) exits 2", f"exit {p.returncode}")
    new = sorted(set(os.listdir(a.workdir)) - before)
    c.check(not new, "nothing created in the working folder (no outputs/ folder or file)", str(new))


# ------------------------------------------------------------------------------------------ (c)

def interrupted_run(c, a, sig, name):
    """Starts a large run, waits for its step loop, sends `sig`; returns (exit code, out path)."""
    out = os.path.join(a.workdir, name)
    cmd = [a.divsim, "run", SCENARIO, "--agents", str(BIG_AGENTS), "-o", out]
    proc = subprocess.Popen(cmd, cwd=a.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines, built = [], threading.Event()

    def pump():
        for line in proc.stderr:
            lines.append(line)
            if "world built" in line:
                built.set()

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    threading.Thread(target=proc.stdout.read, daemon=True).start()
    try:
        if not built.wait(timeout=180):
            c.check(False, f"{signal.Signals(sig).name}: the run reaches its step loop ('world built')",
                    "no 'world built' on stderr within 180 s; stderr: " + "".join(lines)[-500:])
            return None, out, ""
        time.sleep(SIGNAL_DELAY_S)
        if proc.poll() is not None:
            c.check(False, f"{signal.Signals(sig).name}: the run is still in its step loop "
                           f"{SIGNAL_DELAY_S} s after 'world built'",
                    f"it had already exited {proc.returncode}: raise BIG_AGENTS for this machine")
            return None, out, "".join(lines)
        proc.send_signal(sig)
        t0 = time.monotonic()
        try:
            rc = proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            c.check(False, f"{signal.Signals(sig).name}: divsim exits after the signal", "still running after 120 s")
            return None, out, "".join(lines)
        print(f"  {signal.Signals(sig).name} sent {SIGNAL_DELAY_S} s after 'world built'; "
              f"exited {rc} after {time.monotonic() - t0:.2f} s", flush=True)
        reader.join(timeout=10)
        return rc, out, "".join(lines)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=60)


def case_signals(c, a):
    for sig in (signal.SIGTERM, signal.SIGINT):
        print(f"-- (c) {sig.name} during a {BIG_AGENTS:,}-agent run", flush=True)
        rc, out, err = interrupted_run(c, a, sig, f"stopped_{sig.name.lower()}.h5")
        if rc is None:
            continue
        c.check(rc == 128 + sig, f"{sig.name}: exits {128 + sig}", f"exit {rc}")
        c.check(f"stopped by signal {int(sig)}" in err, f"{sig.name}: says it stopped and wrote no file",
                repr(err.strip()[-300:]))
        c.check(not os.path.exists(out), f"{sig.name}: no file under the final name", out)
        c.check(not temp_files(out), f"{sig.name}: no .NAME.tmp-* file", str(temp_files(out)))

    print(f"-- (c) SIGKILL during a {BIG_AGENTS:,}-agent run", flush=True)
    rc, out, _ = interrupted_run(c, a, signal.SIGKILL, "killed.h5")
    if rc is not None:
        c.check(rc == -signal.SIGKILL, "SIGKILL: the process died of the signal", f"returncode {rc}")
        c.check(not os.path.exists(out), "SIGKILL: no file under the final name", out)
        left = temp_files(out)
        c.note("SIGKILL left " + (f"temporary file(s) {left} (removed now)" if left else "no temporary file"))
        for t in left:
            os.remove(t)


# ------------------------------------------------------------------------------------------ (d)

def case_force(c, a):
    print("-- (d) --force replaces an existing file", flush=True)
    out = os.path.join(a.workdir, "forced.h5")
    with open(out, "wb") as f:
        f.write(b"junk, not a run file\n")
    p, _ = run_divsim(["run", SCENARIO, "--agents", str(SMALL_AGENTS), "-o", out, "--force", "-q"],
                      a.divsim, a.root, timeout=300)
    c.check(p.returncode == 0, "over junk: --force run exits 0", f"exit {p.returncode}: {p.stderr.strip()[:300]}")
    problem = valid_run_file(out, SMALL_AGENTS)
    c.check(problem is None, "over junk: the file is now a valid run file", problem or "")
    c.check(not temp_files(out), "over junk: no temporary file left", str(temp_files(out)))

    import h5py
    with h5py.File(out, "r") as f:
        seed0 = int(f.attrs["seed"])
    seed1 = seed0 + 1
    p, _ = run_divsim(["run", SCENARIO, "--agents", str(SMALL_AGENTS), "-o", out, "--force", "-q",
                       "--seed", str(seed1)], a.divsim, a.root, timeout=300)
    c.check(p.returncode == 0, "over a run file: --force run exits 0", f"exit {p.returncode}: {p.stderr.strip()[:300]}")
    problem = valid_run_file(out, SMALL_AGENTS)
    c.check(problem is None, "over a run file: the file is a valid run file", problem or "")
    if problem is None:
        with h5py.File(out, "r") as f:
            got = int(f.attrs["seed"])
            cl = to_text(f.attrs["command_line"])
        c.check(got == seed1 and f"--seed {seed1}" in cl, "over a run file: it is the new run's file",
                f"seed {got}, command_line {cl!r}")
    c.check(not temp_files(out), "over a run file: no temporary file left", str(temp_files(out)))


def main():
    a = parse_args(__doc__.splitlines()[0])
    c = Checks("check_data_safety")
    case_existing_output(c, a)
    case_bad_scenario(c, a)
    case_signals(c, a)
    case_force(c, a)
    c.finish()


if __name__ == "__main__":
    main()
