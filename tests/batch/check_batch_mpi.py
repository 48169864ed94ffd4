"""divsim batch under mpirun: the data are bit-identical for 1, 2 and 3 ranks (and to a batch
run without MPI), bad input stops every rank with exit 2 (no rank left waiting), and a batch
stopped by SIGTERM sent to mpirun resumes on another number of ranks with the same data.
Skipped (77) only where OpenMPI's mpirun is not installed."""

import os
import shutil
import signal
import subprocess
import sys
import time

from batch_common import Checks, batch_text, data_differences, parse_args, require_run, run_divsim

a = parse_args(__doc__)
mpirun = shutil.which("mpirun")
if not mpirun:
    print("mpirun not found (Debian: openmpi-bin); skipped")
    sys.exit(77)
c = Checks("batch under mpirun")
w = a.workdir
for name in os.listdir(w):
    subprocess.run(["rm", "-rf", os.path.join(w, name)], check=True)
env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_rmaps_base_oversubscribe="1")
batch = os.path.join(w, "mpi.toml")
with open(batch, "w", encoding="utf-8") as f:
    f.write(batch_text(a.root, name="mpi", replicates=3, agents=20000))


def mpi(ranks, *args, timeout=600):
    cmd = [mpirun, "--oversubscribe", "-n", str(ranks), a.divsim] + list(args)
    try:
        return subprocess.run(cmd, cwd=w, env=env, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        c.fatal(f"{' '.join(cmd)}: no exit within {timeout} s (a rank left waiting?)")


plain = os.path.join(w, "plain.h5")
p, _ = run_divsim(["batch", batch, "-o", plain, "-q"], a.divsim, w, 600)
require_run(c, p, "divsim batch without MPI")
for ranks in (1, 2, 3):
    out = os.path.join(w, f"ranks{ranks}.h5")
    p = mpi(ranks, "batch", batch, "-o", out, "--threads", "1")
    if not c.check(p.returncode == 0, f"mpirun -n {ranks} divsim batch exits 0",
                   f"exit {p.returncode}: {p.stderr.strip()[-400:]}"):
        continue
    c.check(p.stdout.count("divsim batch mpi:") == 1,
            "only rank 0 prints the milestone table", f"{p.stdout.count('divsim batch mpi:')} tables")
    c.check(f"{ranks} rank(s)" in p.stderr, f"the batch knows it has {ranks} rank(s)",
            p.stderr.strip().splitlines()[0] if p.stderr.strip() else "")
    bad, n = data_differences(plain, out)
    c.check(not bad, f"{ranks} rank(s): all {n} datasets bit-identical to the batch without MPI",
            ", ".join(bad[:5]))

# Bad input and a refused output stop every rank at once.
bad_batch = os.path.join(w, "bad.toml")
with open(bad_batch, "w", encoding="utf-8") as f:
    f.write(batch_text(a.root, name="bad", replicates=0))
p = mpi(3, "batch", bad_batch, "-o", os.path.join(w, "never.h5"), timeout=120)
c.check(p.returncode == 2 and p.stderr.count("batch.replicates: expected an integer") == 1
        and not os.path.exists(os.path.join(w, "never.h5")),
        "bad input under 3 ranks: exit 2, one message, nothing written",
        f"exit {p.returncode}: {p.stderr.strip()[-300:]}")
p = mpi(3, "batch", batch, "-o", plain, timeout=120)
c.check(p.returncode == 2 and "output exists" in p.stderr,
        "an existing output under 3 ranks: exit 2 on every rank",
        f"exit {p.returncode}: {p.stderr.strip()[-300:]}")

# SIGTERM to mpirun (as Slurm sends at the wall-time limit) keeps the finished runs.
slow = os.path.join(w, "slow.toml")
with open(slow, "w", encoding="utf-8") as f:
    f.write(batch_text(a.root, name="slow", replicates=3, agents=60000))
target = os.path.join(w, "stopped.h5")
proc = subprocess.Popen([mpirun, "--oversubscribe", "-n", "2", a.divsim, "batch", slow, "-o",
                         target, "--threads", "1", "-q"], cwd=w, env=env,
                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
spool = target + ".runs"
t0 = time.monotonic()
while time.monotonic() - t0 < 300:
    if os.path.isdir(spool) and any(n.startswith("run-") for n in os.listdir(spool)):
        break
    time.sleep(0.02)
proc.send_signal(signal.SIGTERM)
err = proc.communicate(timeout=300)[1]
kept = [n for n in os.listdir(spool) if n.startswith("run-")] if os.path.isdir(spool) else []
c.check(proc.returncode != 0 and 0 < len(kept) < 12 and not os.path.exists(target),
        "SIGTERM to mpirun stops the batch, keeps finished runs, writes no file",
        f"exit {proc.returncode}, {len(kept)} of 12 kept")
p = mpi(3, "batch", slow, "-o", target, "--resume", "--threads", "1")
require_run(c, p, "mpirun -n 3 divsim batch --resume")
c.check(f"{len(kept)} already finished" in p.stderr, "the resumed batch runs only what is missing",
        p.stderr.strip().splitlines()[0] if p.stderr.strip() else "")
p, _ = run_divsim(["batch", slow, "-o", os.path.join(w, "slow-plain.h5"), "-q"], a.divsim, w, 600)
require_run(c, p, "the same batch without MPI")
bad, n = data_differences(os.path.join(w, "slow-plain.h5"), target)
c.check(not bad, f"stopped on 2 ranks, resumed on 3: all {n} datasets bit-identical",
        ", ".join(bad[:5]))
c.finish()
