#!/usr/bin/env bash
# docs/scale-out.md run for real (needs root, as CI is; skipped otherwise).
# GNU parallel, in a network namespace of its own, runs the guide's command
# lines, taken from the guide as they are written, over ssh against two
# workers. Each worker is a "machine" of its own: a network namespace with
# its own sshd and keys made here, a PID namespace, and a mount namespace
# with private tmpfs over /root (the remote home, where --workdir puts the
# files), /run and /usr/local/bin (holding its copy of pktmask), so the
# files really travel by rsync and nothing of this host's /root is touched.
#  1. the version check reaches both workers;
#  2. the sanitize command: every NAME.safe.pcap equals a local batch run
#     byte for byte, no other file appears, parallel exits 0, and the same
#     command run again finds nothing to do; a corrupt capture fails alone,
#     named on stderr and by the guide's awk with exit 3, without output;
#  3. worker2 killed while a pktmask runs on it: every output present equals
#     the batch run's, no temporary file is left, parallel's exit status
#     counts the failed jobs, the guide's awk lists them from the job log and
#     its listing names exactly the inputs without output (a job whose
#     result was lost on the way back counts as a success in the log); with
#     worker2 back, the same command runs only those and completes;
#  4. the Kubernetes Job, which no Debian 12 package can check against the
#     Kubernetes schema offline: the manifest parses and holds what the
#     guide's text relies on; the guide's commands, with a kubectl stub
#     that keeps what it is given and /mnt/captures a private mount, apply
#     the claim alone, then the Job with one completion per line of the
#     files.txt they make; the container's script, run as a pod would (its
#     own PID and mount namespaces, a root with the volume at /data),
#     sanitizes line INDEX + 1 into safe/ as the batch run does, exits 3 on
#     a corrupt capture and 2 past the list's end, and, pktmask being its
#     PID 1 by exec, stops on SIGTERM with 130 leaving nothing (its input a
#     FIFO still being written, so that it is surely mid-run).
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then
  echo "skip: workers in network namespaces need root"
  finish
  exit 0
fi
# shellcheck source=../../tools/lib/netns-lab.sh
. "$SRC/tools/lib/netns-lab.sh"
lab_require ip unshare nsenter /usr/sbin/sshd ssh ssh-keygen rsync parallel perl ss python3
GUIDE=$SRC/docs/scale-out.md

# --- lab: namespaces pktmask-so-{host,w1,w2}-PID, veth pso{h,w}{1,2}PID ------------
set -e
lab_init so pso 198.18.40 fd00:40 scale-out
TMP=$(mktemp -d "$WORK/lab.XXXXXX")
HOST_NS=pktmask-so-host-$TAG
ip netns add "$HOST_NS"
NS_MADE+=("$HOST_NS")
ip -n "$HOST_NS" link set lo up
declare -A W_NS W_IP W_BG W_INIT
for n in 1 2; do
  W_NS[$n]=pktmask-so-w$n-$TAG
  W_IP[$n]=198.18.4$n.2
  ip netns add "${W_NS[$n]}"
  NS_MADE+=("${W_NS[$n]}")
  ip link add "psoh$n$TAG" netns "$HOST_NS" type veth peer name "psow$n$TAG" netns "${W_NS[$n]}"
  ip -n "$HOST_NS" addr add "198.18.4$n.1/24" dev "psoh$n$TAG"
  ip -n "$HOST_NS" link set "psoh$n$TAG" up
  ip -n "${W_NS[$n]}" link set lo up
  ip -n "${W_NS[$n]}" addr add "${W_IP[$n]}/24" dev "psow$n$TAG"
  ip -n "${W_NS[$n]}" link set "psow$n$TAG" up
done

# A worker's namespaces die with their init (sshd), which takes every
# process in them along; the timeout wrappers then end at once.
lab_hook_before_cleanup() {
  local n
  for n in "${!W_INIT[@]}"; do
    on_host ssh -F "$TMP/ssh_config" -O exit "worker$n" 2>/dev/null
    kill -KILL "${W_INIT[$n]}" 2>/dev/null
  done
  [ -z "${RUN_PID:-}" ] || kill -TERM "$RUN_PID" 2>/dev/null
}

# --- keys and configuration ---------------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -C scale-out-client -f "$TMP/client_key"
cp "$TMP/client_key.pub" "$TMP/authorized_keys"
: >"$TMP/known_hosts"
for n in 1 2; do
  mkdir "$TMP/w$n"
  ssh-keygen -q -t ed25519 -N '' -C "worker$n" -f "$TMP/w$n/host_key"
  echo "worker$n $(cut -d' ' -f1,2 "$TMP/w$n/host_key.pub")" >>"$TMP/known_hosts"
  # Up to 8 jobs, each with its own sessions for rsync in, the job, rsync
  # back and the clean-up: well above sshd's default of 10 unauthenticated
  # logins and 10 sessions on one (multiplexed) connection.
  cat >"$TMP/w$n/sshd_config" <<EOF
ListenAddress ${W_IP[$n]}:22
HostKey /run/scale-out/host_key
AuthorizedKeysFile /run/scale-out/authorized_keys
PidFile /run/scale-out/sshd.pid
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
PrintMotd no
MaxStartups 100
MaxSessions 100
LogLevel ERROR
EOF
  cat >>"$TMP/ssh_config" <<EOF
Host worker$n
  HostName ${W_IP[$n]}
  HostKeyAlias worker$n
EOF
done
cat >>"$TMP/ssh_config" <<EOF
Host *
  User root
  IdentityFile $TMP/client_key
  IdentitiesOnly yes
  UserKnownHostsFile $TMP/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  BatchMode yes
  ConnectTimeout 5
  LogLevel ERROR
  ControlMaster auto
  ControlPath $TMP/%n.ssh
  ControlPersist 10
EOF
mkdir "$TMP/home"

# The worker's init: private mounts, its own pktmask, then sshd as PID 1.
# What it needs from this host is copied into its /run first, since the
# test's own tree may lie under /root (a clone in root's home), which the
# worker's home then covers.
# shellcheck disable=SC2016  # $1 and $2 belong to the inner sh
WORKER_INIT='set -e
mount -t tmpfs -o mode=0755 scale-out-run /run
mkdir /run/sshd /run/scale-out
cp "$1" "$2/host_key" "$2/sshd_config" "$2/../authorized_keys" /run/scale-out/
mount -t tmpfs -o mode=0700 scale-out-home /root
mount -t tmpfs -o mode=0755 scale-out-bin /usr/local/bin
cp /run/scale-out/pktmask /usr/local/bin/pktmask
exec /usr/sbin/sshd -D -e -f /run/scale-out/sshd_config'

# start_worker N: worker N up, listening; W_INIT[N] is its sshd (PID 1 inside).
start_worker() {
  local n=$1 unshare_pid
  lab_bg "$TMP/w$n/sshd.log" 150 "${W_NS[$n]}" unshare --mount --pid --kill-child \
    sh -c "$WORKER_INIT" worker "$PKTMASK" "$TMP/w$n"
  W_BG[$n]=$BG_PID
  lab_wait_listen "${W_NS[$n]}" 22
  unshare_pid=$(pgrep -P "${W_BG[$n]}")
  W_INIT[$n]=$(pgrep -P "$unshare_pid")
}

# kill_worker N: SIGKILL to worker N's init, so everything in it dies at once.
kill_worker() {
  kill -KILL "${W_INIT[$1]}"
  lab_bg_wait "${W_BG[$1]}" || true
  unset "W_INIT[$1]"
}

# on_host COMMAND...: from the host's namespace, with the workers' ssh
# configuration handed to parallel as the guide's users have theirs in ~/.ssh.
on_host() {
  ip netns exec "$HOST_NS" env HOME="$TMP/home" PARALLEL_SSH="ssh -F $TMP/ssh_config" "$@"
}

# guide NAME TEXT [WITHOUT]: NAME=the guide's one indented code block that
# holds TEXT (and not WITHOUT); without it the test cannot go on.
guide() {
  local text
  text=$(python3 "$SRC/tests/e2e/guide_block.py" "$GUIDE" --containing="$2" ${3:+--without="$3"}) || exit 1
  printf -v "$1" '%s' "$text"
}
guide VERSION_CHECK "parallel --nonall"
guide SANITIZE "parallel -S"
guide MISSING "find . -name" "parallel"
guide FAILED_JOBS "awk -F"
guide CREATE_CLAIM "sed '/^---$/q'"
# shellcheck disable=SC2016  # the guide's text, not an expansion
guide APPLY_JOB 'completions: $n'
python3 "$SRC/tests/e2e/guide_block.py" "$GUIDE" --fenced yaml >"$TMP/pktmask-job.yaml"
set +e

# --- captures: big ones, small ones in subdirectories ---------------------------------
CAPS=$TMP/captures
mkdir -p "$CAPS/big" "$CAPS/tls/nested" "$CAPS/starttls/deeper/still"
# Each big capture is the 2 MB download four times over (timestamps moved
# on), so that a job runs long enough to be caught mid-run.
for i in 1 2 3 4; do
  python3 - "$SRC/testdata/tls/nginx_download_2mb.pcap" "$CAPS/big/download-$i.pcap" 4 <<'PY'
import struct, sys
src, dst, times = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(src, 'rb').read()
assert data[:4] == b'\xd4\xc3\xb2\xa1', 'little-endian microsecond pcap expected'
records, at = [], 24
while at < len(data):
    sec, usec, incl, orig = struct.unpack_from('<IIII', data, at)
    records.append((sec, usec, orig, data[at + 16:at + 16 + incl]))
    at += 16 + incl
span = records[-1][0] - records[0][0] + 1
with open(dst, 'wb') as out:
    out.write(data[:24])
    for k in range(times):
        for sec, usec, orig, body in records:
            out.write(struct.pack('<IIII', sec + k * span, usec, len(body), orig) + body)
PY
done
cp "$SRC"/testdata/tls/tls1*.pcap "$SRC"/testdata/tls/nginx_curl*.pcap "$CAPS/tls/"
cp "$SRC"/testdata/tls/nginx_large_chain.pcap "$SRC"/testdata/udp/*.pcap "$CAPS/tls/nested/"
cp "$SRC"/testdata/starttls/starttls_[a-m]*.pcap "$CAPS/starttls/"
cp "$SRC"/testdata/starttls/starttls_[n-z]*.pcap "$CAPS/starttls/deeper/"
cp "$SRC"/testdata/starttls/proxy_*.pcap "$CAPS/starttls/deeper/still/"
INPUTS=$(cd "$CAPS" && find . -type f | sed 's|^\./||' | sort)
NINPUTS=$(echo "$INPUTS" | wc -l)
"$PKTMASK" sanitize --engine native -R "$CAPS" -O "$TMP/batch" -j 2 --no-progress ||
  fail "the local batch run"

# outputs_as_batch: every NAME.safe.pcap present equals the batch output of
# NAME.pcap; prints how many are present.
outputs_as_batch() {
  local f count=0 bad=0
  for f in $INPUTS; do
    [ -e "$CAPS/${f%.pcap}.safe.pcap" ] || continue
    count=$((count + 1))
    cmp -s "$CAPS/${f%.pcap}.safe.pcap" "$TMP/batch/$f" || { echo "differs from batch: $f" >&2; bad=1; }
  done
  echo "$count"
  return "$bad"
}

# only_expected_files: nothing under the captures but the inputs, their
# outputs and the job log (no temporary file of rsync or pktmask).
only_expected_files() {
  local extra
  extra=$(cd "$CAPS" && find . -type f | sed 's|^\./||' |
    grep -vxF -f <(echo "$INPUTS"; echo "$INPUTS" | sed 's/\.pcap$/.safe.pcap/'; echo sanitize.joblog))
  [ -z "$extra" ] || { echo "unexpected files: $extra" >&2; return 1; }
}

# failed_jobs: the failed jobs, as the guide's awk lists them from the job log.
failed_jobs() { bash -c "$FAILED_JOBS"; }

# job_entries: how many jobs the job log records.
job_entries() { tail -n +2 sanitize.joblog | wc -l; }

# missing: the inputs without an output, sorted, as the guide lists them;
# missing_here: the same, found by this test.
missing() { bash -c "$MISSING" | sort; }
missing_here() {
  local f
  for f in $INPUTS; do [ -e "$CAPS/${f%.pcap}.safe.pcap" ] || echo "$f"; done
}

# nothing_left N: no file under worker N's home (parallel's work directories).
nothing_left() {
  local left
  # --root: inside a chroot, entering a mount namespace alone would leave
  # us at the real root, not the worker's.
  left=$(nsenter --target "${W_INIT[$1]}" --mount --root find /root -type f)
  [ -z "$left" ] || { echo "left on worker$1: $left" >&2; return 1; }
}

# wait_for_pktmask_on N: print the PID of a pktmask running on worker N as
# soon as there is one (nothing if the run is over first).
wait_for_pktmask_on() {
  python3 "$SRC/tests/e2e/wait_for_process.py" "${W_INIT[$1]}" pktmask "$RUN_PID"
}

start_worker 1
start_worker 2

# --- 1. the version check ------------------------------------------------------------
expect_exit 0 "the guide's version check" on_host bash -c "$VERSION_CHECK"
version=$("$PKTMASK" --version | head -1)
for n in 1 2; do
  check "version check: worker$n answers with its pktmask" grep -qxF "worker$n	$version" "$WORK/last.out"
done

# --- 2. the sanitize pipeline --------------------------------------------------------
cd "$CAPS"
started=$(date +%s%N)
expect_exit 0 "the guide's sanitize pipeline" on_host bash -c "$SANITIZE"
echo "sanitize pipeline: $((($(date +%s%N) - started) / 1000000)) ms for $NINPUTS files"
check "every input has its output, equal to the batch run's" test "$(outputs_as_batch)" = "$NINPUTS"
check "no other file appeared" only_expected_files
check "the job log holds every job, none failed" \
  test "$(job_entries)/$(failed_jobs | wc -l)" = "$NINPUTS/0"
check "the guide's listing of inputs without output is empty" test -z "$(missing)"
check "both workers ran jobs" test "$(tail -n +2 sanitize.joblog | cut -f2 | sort -u | tr '\n' ' ')" = "worker1 worker2 "
check "--cleanup left nothing on worker1" nothing_left 1
check "--cleanup left nothing on worker2" nothing_left 2
expect_exit 0 "run again: nothing to do" on_host bash -c "$SANITIZE"
check "run again: no job ran" test "$(job_entries)" = 0
check "run again: no output rewritten" test -z "$(find . -name '*.safe.pcap' -newer sanitize.joblog)"
mkdir bad
echo "not a capture" >bad/corrupt.pcap
expect_exit 1 "a corrupt capture: one failed job" on_host bash -c "$SANITIZE"
check "a corrupt capture: pktmask's one-line error names it" grep -q "^pktmask: bad/corrupt.pcap: " "$WORK/last.err"
check "a corrupt capture: the guide's awk lists it with exit 3" \
  test "$(failed_jobs)" = "3 pktmask sanitize --engine native --no-progress bad/corrupt.pcap -o bad/corrupt.safe.pcap"
check "a corrupt capture: no output" test "$(ls -A bad)" = corrupt.pcap
rm -r bad

# --- 3. a worker killed mid-run, then the rerun --------------------------------------
find . -name '*.safe.pcap' -delete
rm sanitize.joblog
on_host bash -c "$SANITIZE" >"$TMP/killed.out" 2>"$TMP/killed.err" &
RUN_PID=$!
caught=$(wait_for_pktmask_on 2)
check "a pktmask ran on worker2" test -n "$caught"
kill_worker 2
code=0
wait "$RUN_PID" || code=$?
RUN_PID=""
nfailed=$(failed_jobs | wc -l)
nmissing=$(missing_here | wc -l)
echo "killed worker2: $nfailed of $NINPUTS jobs failed, $nmissing outputs missing"
check "some jobs failed" test "$nfailed" -gt 0
check "parallel's exit status is the number of failed jobs" test "$code" = "$nfailed"
check "the failures are ssh's 255" test "$(failed_jobs | cut -d' ' -f1 | sort -u)" = 255
check "the failures are worker2's" \
  test "$(awk -F'\t' 'NR > 1 && $7 != 0 { print $2 }' sanitize.joblog | sort -u)" = worker2
check "every output present equals the batch run's" test "$(outputs_as_batch)" = "$((NINPUTS - nmissing))"
check "a failed job has no output" test "$nmissing" -ge "$nfailed"
check "the guide lists exactly the inputs without output" test "$(missing)" = "$(missing_here)"
check "no partial or temporary file" only_expected_files

start_worker 2
expect_exit 0 "the rerun" on_host bash -c "$SANITIZE"
check "the rerun ran only the missing ones" test "$(job_entries)" = "$nmissing"
check "after the rerun, the guide lists no input without output" test -z "$(missing)"
check "after the rerun, every output equals the batch run's" test "$(outputs_as_batch)" = "$NINPUTS"
check "after the rerun, no other file" only_expected_files
check "after the rerun, nothing left on worker2" nothing_left 2
cd "$WORK"

# --- 4. the Kubernetes Job --------------------------------------------------------------
check "the Job manifest holds what the guide relies on" \
  python3 "$SRC/tests/e2e/k8s_job_manifest.py" "$TMP/pktmask-job.yaml"

VOL=$TMP/volume
POD_FILES=$(printf '%s\n' tls/tls13_openssl.pcap tls/nested/quic_ngtcp2.pcap starttls/starttls_ftp.pcap \
  big/download-1.pcap bad/corrupt.pcap | sort)
for f in $POD_FILES; do
  mkdir -p "$(dirname "$VOL/in/$f")"
  if [ "$f" = bad/corrupt.pcap ]; then echo "not a capture" >"$VOL/in/$f"; else cp "$CAPS/$f" "$VOL/in/$f"; fi
done
mkdir "$TMP/stub"
cat >"$TMP/stub/kubectl" <<'SH'
#!/bin/sh
# kubectl as the guide calls it: keeps each manifest applied, in order.
[ "$*" = "apply -f -" ] || { echo "kubectl stub: not 'apply -f -': $*" >&2; exit 1; }
n=$(ls "$APPLIED" | wc -l)
cat >"$APPLIED/$n.yaml"
SH
chmod +x "$TMP/stub/kubectl"
mkdir "$TMP/applied"
# shellcheck disable=SC2016  # $1, $2 and $3 belong to the inner sh
expect_exit 0 "the guide's kubectl commands" env PATH="$TMP/stub:$PATH" APPLIED="$TMP/applied" \
  unshare --mount sh -c 'set -e
mount -t tmpfs k8s-mnt /mnt
mkdir /mnt/captures
mount --bind "$1" /mnt/captures
cd "$2"
exec bash -c "$3"' k8s "$VOL" "$TMP" "$CREATE_CLAIM
$APPLY_JOB"
check "files.txt lists the captures, sorted" test "$(cat "$VOL/files.txt")" = "$POD_FILES"
check "the claim alone, then the Job with one completion per file" python3 -c '
import sys, yaml
docs = [[d for d in yaml.safe_load_all(open(f"{sys.argv[1]}/{i}.yaml")) if d] for i in (0, 1)]
assert [[d["kind"] for d in ds] for ds in docs] == [["PersistentVolumeClaim"], ["PersistentVolumeClaim", "Job"]], docs
assert docs[1][1]["spec"]["completions"] == int(sys.argv[2]), docs[1][1]["spec"]
' "$TMP/applied" "$(echo "$POD_FILES" | wc -l)"

# The pod: a root of the host's /usr with its own /usr/local/bin (pktmask),
# /dev, its own /proc (pktmask links its output into place through
# /proc/self/fd) and the volume at /data; the script runs as PID 1 of a PID
# namespace.
POD_SCRIPT=$(python3 -c 'import sys, yaml
job = list(yaml.safe_load_all(open(sys.argv[1])))[1]
print(job["spec"]["template"]["spec"]["containers"][0]["args"][0])' "$TMP/pktmask-job.yaml")
POD=$TMP/pod
mkdir -p "$POD/usr" "$POD/dev" "$POD/proc" "$POD/data" "$POD/tmp"
for dir in /bin /sbin /lib /lib32 /lib64 /libx32; do
  [ ! -L "$dir" ] || ln -s "$(readlink "$dir")" "$POD$dir"
done
# shellcheck disable=SC2016  # $1 to $4 belong to the inner sh
POD_INIT='set -e
mount --bind /usr "$1/usr"
mount -t tmpfs pod-bin "$1/usr/local/bin"
cp "$3" "$1/usr/local/bin/pktmask"
mount --bind /dev "$1/dev"
mount -t proc pod-proc "$1/proc"
mount --bind "$2" "$1/data"
exec chroot "$1" /bin/sh -c "$4"'

# pod INDEX: the container's script for INDEX, in the background; POD_PID.
pod() {
  env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin JOB_COMPLETION_INDEX="$1" \
    unshare --mount --pid --kill-child sh -c "$POD_INIT" pod "$POD" "$VOL" "$PKTMASK" "$POD_SCRIPT" \
    >"$WORK/last.out" 2>"$WORK/last.err" &
  POD_PID=$!
}

# pod_exit WANT INDEX: the pod for INDEX ends with exit WANT.
pod_exit() {
  local code=0
  pod "$2"
  wait "$POD_PID" || code=$?
  [ "$code" = "$1" ] || { echo "pod $2: exit $code, want $1 ($(head -c 300 "$WORK/last.err"))" >&2; return 1; }
}

# term_pod: SIGTERM to the pod's PID 1, as the kubelet stops a pod, once its
# pktmask reads the input. It reaches pktmask only if the script exec'd it:
# PID 1 of a namespace gets no signal it has no handler for.
term_pod() {
  python3 "$SRC/tests/e2e/wait_for_process.py" "$POD_PID" pktmask "$POD_PID" arriving.pcap >/dev/null &&
    kill -TERM "$(pgrep -P "$POD_PID")"
}

i=0
for f in $POD_FILES; do
  if [ "$f" = bad/corrupt.pcap ]; then
    check "pod $i ($f): exit 3, a FailIndex code" pod_exit 3 "$i"
    check "pod $i ($f): no output" test ! -e "$VOL/safe/$f"
  else
    check "pod $i ($f): exit 0" pod_exit 0 "$i"
    check "pod $i ($f): the output equals the batch run's" cmp -s "$VOL/safe/$f" "$TMP/batch/$f"
  fi
  i=$((i + 1))
done
check "pod past the list: exit 2, a FailIndex code" pod_exit 2 "$i"
check "pod past the list: says so" grep -qx "pktmask-job: files.txt has no line $((i + 1))" "$WORK/last.err"

# A capture still arriving (a FIFO, so pktmask is sure to be mid-run)
# stands at the end of the list.
start_stalled_fifo "$VOL/in/big/arriving.pcap" "$CAPS/big/download-1.pcap"
PIDS+=("$producer")
echo big/arriving.pcap >>"$VOL/files.txt"
pod "$i"
check "SIGTERM to the pod while pktmask reads" term_pod
# A pktmask the signal missed would wait for the stalled input for ever.
for ((t = 0; t < 30; t++)); do [[ $(ps -o stat= -p "$POD_PID") != Z* ]] || break; sleep 0.1; done
lab_bg_stop "$producer"
code=0
wait "$POD_PID" || code=$?
check "SIGTERM to the pod: exit 130" test "$code" = 130
check "SIGTERM to the pod: nothing left" test "$(ls -A "$VOL/safe/big")" = download-1.pcap
finish
