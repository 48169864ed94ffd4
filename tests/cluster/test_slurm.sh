#!/usr/bin/env bash
# The Slurm scripts (scripts/slurm) on a real single-node cluster: starts munged, slurmctld and
# slurmd on this machine, configured in a temporary folder, and submits tests/cluster/tiny.batch.toml
#   - with batch.sbatch under srun --mpi=pmix (2 ranks),
#   - with batch.sbatch under mpirun (2 ranks),
#   - with submit-array: a job array of 3 shards and a merge job that depends on it,
#   - with batch.sbatch, sent the time-limit signal halfway: it must requeue itself and resume;
# then requires every result to hold the data of one plain `divsim batch` bit for bit, and each
# part file to hold its shard's runs (compare_batches.py). The daemons are stopped at the end,
# whatever happens; their logs and the jobs' logs stay in the work folder.
#
# Usage: test_slurm.sh --divsim BIN --root SOURCE_DIR --workdir DIR
#
# The daemons run as root (SlurmUser=root), so the test needs root and Debian's munge, slurm-wlm
# and openmpi-bin; without them it exits 77 (skipped), or fails when DIVSIM_CLUSTER_TEST=require.
set -euo pipefail
export PATH=$PATH:/usr/sbin:/sbin
here=$(cd "$(dirname "$0")" && pwd)

say() { echo "cluster test: $*" >&2; }
fail() {
  say "FAIL: $*"
  exit 1
}
skip() {
  [ "${DIVSIM_CLUSTER_TEST:-}" != require ] || fail "$* (and DIVSIM_CLUSTER_TEST=require)"
  say "skipped: $*"
  exit 77
}

divsim='' root='' work=''
while [ $# -gt 0 ]; do
  case "$1" in
    --divsim) divsim=${2:?}; shift 2 ;;
    --root) root=${2:?}; shift 2 ;;
    --workdir) work=${2:?}; shift 2 ;;
    *) echo "usage: test_slurm.sh --divsim BIN --root SOURCE_DIR --workdir DIR" >&2; exit 2 ;;
  esac
done
if [ -z "$divsim" ] || [ -z "$root" ] || [ -z "$work" ]; then
  echo "usage: test_slurm.sh --divsim BIN --root SOURCE_DIR --workdir DIR" >&2
  exit 2
fi

[ "$(id -u)" -eq 0 ] || skip "needs root: munged, slurmctld and slurmd run as root here"
missing=()
for b in munged munge unmunge slurmctld slurmd sbatch srun squeue sinfo scontrol scancel mpirun; do
  command -v "$b" > /dev/null || missing+=("$b")
done
[ ${#missing[@]} -eq 0 ] || skip "${missing[*]} not found (Debian packages munge, slurm-wlm, openmpi-bin)"
python=/usr/bin/python3
"$python" -c 'import h5py' 2> /dev/null || skip "/usr/bin/python3 lacks h5py (Debian package python3-h5py)"
[ -x "$divsim" ] || fail "no divsim binary at $divsim"

divsim=$(realpath "$divsim")
root=$(realpath "$root")
mkdir -p "$work"
work=$(realpath "$work")
cd "$work"
rm -rf -- ./*.h5 ./*.runs ./*.parts ./*.out ./logs
mkdir -p logs
batch=$here/tiny.batch.toml

# An enclosing Slurm job's variables would point srun and sbatch at the wrong job.
while read -r v; do unset "$v"; done < <(compgen -e | grep -E '^(SLURM|SBATCH|SRUN|SALLOC)_' || true)

start=$SECONDS
node=$(uname -n)
node=${node%%.*}
cpus=$(nproc)
[ "$cpus" -ge 2 ] || cpus=2 # two ranks per job; config_overrides lets one core carry them
mem=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
# A short path: the munge socket and PMIx's sockets live under it (at most 107 bytes).
cluster=$(mktemp -d "${TMPDIR:-/tmp}/divsim-slurm.XXXXXX")
chmod 711 "$cluster"
mkdir -p "$cluster"/{munge,state,spool,log,tmp}
chmod 700 "$cluster/munge"
sock=$cluster/munge/munge.socket
conf=$cluster/slurm.conf
export SLURM_CONF=$conf

munge_pid='' ctld_pid='' slurmd_pid=''
stop() { # PID: SIGTERM, then SIGKILL after 10 s
  local pid=$1 i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2> /dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2> /dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2> /dev/null || true
}
cleanup() {
  local status=$?
  set +e
  if [ -n "$ctld_pid" ]; then
    scancel --user=root 2> /dev/null
    for ((i = 0; i < 150; i++)); do
      [ -z "$(squeue -h -o %i 2> /dev/null)" ] && break
      sleep 0.2
    done
  fi
  stop "$slurmd_pid"
  stop "$ctld_pid"
  stop "$munge_pid"
  cp -r "$cluster/log" logs/daemons 2> /dev/null
  cp "$conf" logs/ 2> /dev/null
  if [ "$status" -ne 0 ] && [ "$status" -ne 77 ]; then
    for f in ./*.out; do
      [ -f "$f" ] && { echo "== $f"; cat "$f"; } >&2
    done
    for f in logs/daemons/slurmctld.log logs/daemons/slurmd.log; do
      [ -f "$f" ] && { echo "== $f (end)"; tail -n 40 "$f"; } >&2
    done
    say "logs in $work/logs"
  fi
  rm -rf "$cluster"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A free pair of TCP ports, so that another Slurm on this machine is no obstacle.
port_free() { ! (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }
for ((i = 0; i < 50; i++)); do
  port=$((20000 + RANDOM % 30000))
  port_free "$port" && port_free $((port + 1)) && break
done

# munge, with its own key, socket and files.
if command -v mungekey > /dev/null; then
  mungekey --create --keyfile="$cluster/munge/munge.key"
else
  dd if=/dev/urandom of="$cluster/munge/munge.key" bs=1024 count=1 status=none
fi
chmod 600 "$cluster/munge/munge.key"
# --force: munged otherwise refuses a socket in a folder that only root may enter.
munged --foreground --force --key-file="$cluster/munge/munge.key" --socket="$sock" \
  --pid-file="$cluster/munge/munged.pid" --log-file="$cluster/log/munged.log" \
  --seed-file="$cluster/munge/munged.seed" 2> "$cluster/log/munged.stderr" &
munge_pid=$!
for ((i = 0; i < 100; i++)); do
  munge -n -S "$sock" 2> /dev/null | unmunge -S "$sock" > /dev/null 2>&1 && break
  kill -0 "$munge_pid" 2> /dev/null || fail "munged exited: $(cat "$cluster/log/munged.stderr")"
  sleep 0.1
done

# No cgroups (proctrack/linuxproc, task/none): a container has no cgroup tree to give slurmd.
# cred_expire=10: a requeued job waits that long (default 120 s) before it may start again.
# config_overrides: the node is what this file says, whatever slurmd finds (CPUs, memory).
# sched_interval, bf_interval: pending jobs are looked at every 2 s (default 60 s and 30 s), so
# the requeued job starts as soon as it may.
cat > "$conf" << EOF
ClusterName=divsimtest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock,cred_expire=10
StateSaveLocation=$cluster/state
SlurmdSpoolDir=$cluster/spool
TmpFS=$cluster/tmp
SlurmctldPidFile=$cluster/slurmctld.pid
SlurmdPidFile=$cluster/slurmd.pid
SlurmctldLogFile=$cluster/log/slurmctld.log
SlurmdLogFile=$cluster/log/slurmd.log
PlugStackConfig=$cluster/plugstack.conf
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerParameters=sched_interval=2,bf_interval=2
SlurmdParameters=config_overrides
ReturnToService=2
KillWait=5
MinJobAge=600
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
: > "$cluster/plugstack.conf"

slurmctld -D -i -f "$conf" > "$cluster/log/slurmctld.stderr" 2>&1 &
ctld_pid=$!
slurmd -D -N "$node" -f "$conf" > "$cluster/log/slurmd.stderr" 2>&1 &
slurmd_pid=$!
state=
for ((i = 0; i < 300; i++)); do
  state=$(sinfo -h -n "$node" -o %t 2> /dev/null || true)
  [ "$state" = idle ] && break
  kill -0 "$ctld_pid" 2> /dev/null || fail "slurmctld exited: $(tail -n 5 "$cluster/log/slurmctld.stderr")"
  kill -0 "$slurmd_pid" 2> /dev/null || fail "slurmd exited: $(tail -n 5 "$cluster/log/slurmd.stderr")"
  sleep 0.2
done
[ "$state" = idle ] || fail "node $node is '$state', not idle, after 60 s: $(sinfo -h -R 2> /dev/null)"
srun --mpi=list 2>&1 | grep -q pmix || fail "srun --mpi=list offers no pmix: $(srun --mpi=list 2>&1)"
say "cluster up in $((SECONDS - start)) s: $node, $cpus CPUs, ports $port-$((port + 1))"

# What the jobs inherit. Open MPI refuses root without the first two. Its shared-memory
# transport's single-copy mode (CMA) needs ptrace rights that containers often withhold. One
# node: its TCP stays on loopback, the one interface a container without network still has.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_oob_tcp_if_include=lo OMPI_MCA_btl_tcp_if_include=lo
export DIVSIM=$divsim

t=$SECONDS
"$divsim" batch "$batch" -o ref.h5 --threads 1 -q > logs/reference.log 2>&1 ||
  fail "plain divsim batch: exit $? ($(tail -n 5 logs/reference.log))"
say "plain divsim batch (the reference) in $((SECONDS - t)) s"

# Waits until none of the given jobs is in the queue (all ended), at most $2 seconds.
wait_gone() {
  local ids=$1 limit=$2 t0=$SECONDS
  while [ -n "$(squeue -h -j "$ids" -o %i 2> /dev/null)" ]; do
    [ $((SECONDS - t0)) -lt "$limit" ] || fail "jobs $ids still queued after $limit s: $(squeue -j "$ids")"
    sleep 0.5
  done
}
# Requires every job (every task of an array) of the given ids to have COMPLETED with exit 0.
require_completed() {
  local id line
  for id in "$@"; do
    while read -r line; do
      [[ $line == *" JobState=COMPLETED "* && $line == *" ExitCode=0:0 "* ]] ||
        fail "job $id did not complete: $(grep -o -E \
          '(ArrayTaskId|JobState|Reason|ExitCode|Restarts)=[^ ]*' <<< "$line" | tr '\n' ' ')"
    done < <(scontrol -o show job "$id")
  done
}

# One batch per launcher, and the array with its merge: all queued at once; two CPUs serve them.
t=$SECONDS
common=(--time=10 --cpus-per-task=1)
srun_job=$(DIVSIM_LAUNCHER=srun sbatch --parsable "${common[@]}" --ntasks=2 --job-name=srun \
  "$root/scripts/slurm/batch.sbatch" "$batch" -o srun.h5 -q)
mpirun_job=$(DIVSIM_LAUNCHER=mpirun sbatch --parsable "${common[@]}" --ntasks=2 --job-name=mpirun \
  "$root/scripts/slurm/batch.sbatch" "$batch" -o mpirun.h5 -q)
read -r array_job merge_job < <("$root/scripts/slurm/submit-array" --parsable --shards 3 -o array.h5 \
  --sbatch "${common[*]} --job-name=shard" --merge-sbatch "--time=10 --job-name=merge" "$batch" -q)
say "submitted: srun $srun_job, mpirun $mpirun_job, shards $array_job, merge $merge_job"
wait_gone "$srun_job,$mpirun_job,$array_job,$merge_job" 300
require_completed "$srun_job" "$mpirun_job" "$array_job" "$merge_job"
say "srun, mpirun, array and merge jobs completed in $((SECONDS - t)) s"

# The time-limit path: once the spool holds a finished run, Slurm's USR1 (what --signal=B:USR1@120
# sends) must stop divsim and requeue the job, whose second start resumes.
t=$SECONDS
resume_job=$(DIVSIM_LAUNCHER=srun sbatch --parsable "${common[@]}" --ntasks=1 --job-name=resume \
  "$root/scripts/slurm/batch.sbatch" "$batch" -o resume.h5 -q)
spooled=0
for ((i = 0; i < 1200; i++)); do
  spooled=0
  [ ! -d resume.h5.runs ] || spooled=$(find resume.h5.runs -name 'run-*.rec' | wc -l)
  [ "$spooled" -gt 0 ] && break
  [ -n "$(squeue -h -j "$resume_job" -o %i)" ] || fail "job $resume_job ended before a run was spooled"
  sleep 0.05
done
[ "$spooled" -gt 0 ] || fail "no finished run in resume.h5.runs/ after 60 s"
scancel --batch --signal=USR1 "$resume_job" ||
  fail "could not signal job $resume_job (did the batch finish before the signal?)"
wait_gone "$resume_job" 300
require_completed "$resume_job"
restarts=$(scontrol -o show job "$resume_job" | grep -o 'Restarts=[0-9]*')
[ "$restarts" = Restarts=1 ] || fail "job $resume_job: $restarts, expected Restarts=1"
grep -q 'start 2:' "resume-$resume_job.out" || fail "resume-$resume_job.out shows no second start"
say "signalled with $spooled run(s) spooled; requeued and resumed in $((SECONDS - t)) s"

"$python" "$here/compare_batches.py" ref.h5 --same srun.h5:2 --same mpirun.h5:2 --same array.h5 \
  --same resume.h5:1 --part array.parts/part-0.h5 --part array.parts/part-1.h5 \
  --part array.parts/part-2.h5 || fail "the results differ from the plain batch"
say "passed in $((SECONDS - start)) s"
