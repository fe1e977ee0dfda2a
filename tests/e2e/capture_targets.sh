#!/usr/bin/env bash
# pktmask capture of targets beyond an interface, in network namespaces and a
# fake container this test creates (needs root, as CI is; skipped otherwise):
#  1. --netns NAME (any interface inside it), with -B and --time-precision
#     nano: the segments hold the traffic, as nanosecond pcap, which a
#     replay keeps; --netns PATH;
#  2. --pid of a process in the namespace: its traffic is captured; killing
#     the process ends the capture with 204, its segments sanitized;
#  3. --container: a process in a cgroup named as docker names one
#     (docker-<64 hex>.scope), found by a 12-digit prefix of the id;
#  4. every start code: 100 (bad options, a bad filter), 101 (may not
#     enter the namespace), 102 (no such interface inside --netns), 103 (a
#     dead --pid, an unknown --container), 104 (an interface that is down),
#     105 (OUTDIR unwritable); each leaves nothing behind;
#  5. run codes: 200 (the interface is deleted while capturing), 201 (a
#     small tmpfs as --raw-dir, or as OUTDIR, fills up). 203 and 205 are in
#     capture_live.sh.
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then
  echo "skip: captures in network namespaces need root"
  finish
  exit 0
fi
# shellcheck source=../../tools/lib/netns-lab.sh
. "$SRC/tools/lib/netns-lab.sh"
lab_require ip tshark python3 setpriv timeout mount

# --- lab: namespaces pktmask-tgt-{srv,cli}-PID, veth pmt{s,c}PID ---------------------
set -e
lab_init tgt pmt 198.18.6 fd00:1e capture-targets
lab_make_tmp "$WORK/lab.XXXXXX"
lab_make_namespaces
set +e
CGROUP=""    # the fake container's cgroup, removed at exit
TMPFS=""     # the small tmpfs, unmounted at exit
lab_hook_before_cleanup() {
  if [ -n "$CGROUP" ]; then
    kill_cgroup "$CGROUP"
    rmdir "$CGROUP" "$(dirname "$CGROUP")" 2>/dev/null
  fi
  [ -z "$TMPFS" ] || umount "$TMPFS" 2>/dev/null
}

# --- helpers -----------------------------------------------------------------------

# pm_start NAME OPTION...: pktmask capture into $WORK/NAME, or $PM_OUT if set
# (events NAME.events, log NAME.log) in the background, from the host's
# namespace; waits until it captures. PM_WRAP is its timeout wrapper,
# PM_PID pktmask itself: signals go to PM_PID, as timeout would pass one
# signal on twice.
pm_start() {
  local name=$1
  shift
  OUT=${PM_OUT:-$WORK/$name} EV=$WORK/$name.events
  timeout -k 3 60 "$PKTMASK" capture -O "$OUT" --name '{index}.{ext}' --events "$EV" --no-progress \
    --compress none --disk-threshold 0 "$@" \
    >"$WORK/$name.log" 2>&1 &
  PM_WRAP=$!
  PIDS+=("$PM_WRAP")
  lab_wait_grep "$EV" '"event":"started"' >/dev/null 2>&1 ||
    fail "$name: pktmask did not start ($(head -c 300 "$WORK/$name.log"))"
  PM_PID=$(ps -o pid= --ppid "$PM_WRAP" | tr -d ' ')
}

# pm_wait: wait up to 30 s for pktmask to end, then stop it; $code is its exit status.
pm_wait() {
  local i
  for ((i = 0; i < 300; i++)); do kill -0 "$PM_PID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$PM_PID" 2>/dev/null && kill -INT "$PM_PID"
  code=0
  lab_bg_wait "$PM_WRAP" || code=$?
}

# udp_to_server COUNT [SIZE]: COUNT datagrams of SIZE bytes from the client
# namespace to port 9999 of the server's.
udp_to_server() {
  ip netns exec "$NS_C" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(int(sys.argv[1])):
    s.sendto(b"x" * int(sys.argv[3]), (sys.argv[2], 9999))
' "$1" "$V4_S" "${2:-100}"
}

# captured NAME: how many of the datagrams to port 9999 the segments of NAME hold.
captured() {
  local seg total=0
  for seg in "$WORK/$1"/[0-9]*.pcap; do
    [ -e "$seg" ] || continue
    total=$((total + $(tshark -r "$seg" -Y 'udp.dstport == 9999' -T fields -e frame.number 2>/dev/null | wc -l)))
  done
  echo "$total"
}

# in_ns_sleeper: a process in the server namespace; SLEEPER is its pid.
in_ns_sleeper() {
  local i
  ip netns exec "$NS_S" sleep 300 &
  SLEEPER=$!
  PIDS+=("$SLEEPER")
  for ((i = 0; i < 50; i++)); do
    [ "$(readlink "/proc/$SLEEPER/ns/net")" = "$(ip netns exec "$NS_S" readlink /proc/self/ns/net)" ] && return 0
    sleep 0.1
  done
  fail "the sleeper did not enter $NS_S"
}

# kill_cgroup DIR: kill what runs in DIR.
kill_cgroup() {
  local pid i
  while read -r pid; do kill -KILL "$pid" 2>/dev/null; done <"$1/cgroup.procs"
  for ((i = 0; i < 50; i++)); do [ -z "$(cat "$1/cgroup.procs" 2>/dev/null)" ] && return; sleep 0.1; done
}

# A hierarchy where the test may make a cgroup: v2, or the hybrid layout's
# unified one, or a v1 one.
cgroup_root() {
  local root
  for root in /sys/fs/cgroup /sys/fs/cgroup/unified /sys/fs/cgroup/pids /sys/fs/cgroup/systemd; do
    [ -e "$root/cgroup.procs" ] && [ -w "$root" ] && { echo "$root"; return; }
  done
}

# --- 1. --netns NAME: any interface, -B, nanosecond timestamps -----------------------

pm_start netns --netns "$NS_S" -B 4MiB --time-precision nano -f 'udp port 9999'
check "netns: start event names the namespace" grep -q "\"netns\":\"$NS_S\"" "$EV"
udp_to_server 20
sleep 1
kill -INT "$PM_PID"
pm_wait
check "netns: exit $code, want 0" [ "$code" = 0 ]
check "netns: no raw segment left" no_raw "$OUT"
n=$(captured netns)
check "netns: $n datagrams captured, want 20" [ "$n" = 20 ]
magic=$(od -An -tx4 -N4 "$OUT/000001.pcap" | tr -d ' ')
check "netns: nanosecond pcap (magic $magic)" [ "$magic" = a1b23c4d ]
# Microsecond stamps would all end in 000 nanoseconds.
check "netns: tshark reads nanosecond stamps" \
  sh -c "tshark -r '$OUT/000001.pcap' -T fields -e frame.time_epoch 2>/dev/null | grep -Evq '000\$'"
# A replay of a nanosecond capture keeps its precision.
expect_exit 0 "netns: replay the nanosecond segment" \
  "$PKTMASK" capture -r "$OUT/000001.pcap" -O "$WORK/replay-ns" --name '{index}.{ext}' --no-progress --compress none
magic=$(od -An -tx4 -N4 "$WORK/replay-ns/000001.pcap" | tr -d ' ')
check "netns: the replay's segment is nanosecond pcap (magic $magic)" [ "$magic" = a1b23c4d ]
# A namespace given by its path, as a bind mount is.
pm_start netns-path --netns "/run/netns/$NS_S" --time-precision micro -f 'udp port 9999'
udp_to_server 5
sleep 1
kill -INT "$PM_PID"
pm_wait
check "netns PATH: exit $code, want 0" [ "$code" = 0 ]
n=$(captured netns-path)
check "netns PATH: $n datagrams captured, want 5" [ "$n" = 5 ]
magic=$(od -An -tx4 -N4 "$OUT/000001.pcap" | tr -d ' ')
check "netns PATH: microsecond pcap (magic $magic)" [ "$magic" = a1b2c3d4 ]

# --- 2. --pid: the process's namespace; its exit ends the capture (204) -------------

in_ns_sleeper
pm_start pid --pid "$SLEEPER" -f 'udp port 9999'
check "pid: start event names the process" grep -q "\"pid\":$SLEEPER" "$EV"
udp_to_server 15
sleep 1
kill -KILL "$SLEEPER"
pm_wait
lab_bg_wait "$SLEEPER" 2>/dev/null
check "pid: the target killed: exit $code, want 204" [ "$code" = 204 ]
check "pid: failed event with 204" sh -c "tail -n 1 '$EV' | grep -q '\"error_code\":204'"
check "pid: no raw segment left" no_raw "$OUT"
n=$(captured pid)
check "pid: $n datagrams captured and sanitized, want 15" [ "$n" = 15 ]

# --- 3. --container: a fake docker container, found by a prefix of its id -----------

root=$(cgroup_root)
if [ -n "$root" ]; then
  id=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
  CGROUP=$root/pktmask-targets-$$/docker-$id.scope
  mkdir -p "$CGROUP"
  in_ns_sleeper
  echo "$SLEEPER" >"$CGROUP/cgroup.procs"
  pm_start container --container "${id:0:12}" -f 'udp port 9999'
  check "container: found its init process" grep -q "\"pid\":$SLEEPER" "$EV"
  udp_to_server 10
  sleep 1
  kill -INT "$PM_PID"
  pm_wait
  check "container: exit $code, want 0" [ "$code" = 0 ]
  n=$(captured container)
  check "container: $n datagrams captured, want 10" [ "$n" = 10 ]
  kill -KILL "$SLEEPER"
  lab_bg_wait "$SLEEPER" 2>/dev/null
  expect_exit 103 "container: gone after its process" timeout 20 \
    "$PKTMASK" capture --container "$id" -O "$WORK/container-gone" --no-progress
  rmdir "$CGROUP" "$(dirname "$CGROUP")"
  CGROUP=""
else
  echo "skip: no writable cgroup hierarchy for a fake container"
fi

# --- 4. start codes: nothing left behind --------------------------------------------

# start_fails CODE WHAT OPTION...: pktmask capture OPTION... -O DIR exits with
# CODE and leaves no DIR.
start_fails() {
  local want=$1 what=$2 dir
  shift 2
  dir=$WORK/start-$((++starts))
  expect_exit "$want" "$what" timeout 20 "$PKTMASK" capture -O "$dir" --no-progress "$@"
  check "$what: nothing left" [ ! -e "$dir" ]
}
starts=0
start_fails 100 "two targets" --netns "$NS_S" --pid $$
start_fails 100 "a target and a replay" --netns "$NS_S" -r /dev/null
start_fails 100 "bad filter inside --netns" --netns "$NS_S" -f 'not a (valid filter'
start_fails 100 "-B without a unit" --netns "$NS_S" -B 4096
start_fails 100 "--time-precision pico" --netns "$NS_S" --time-precision pico
start_fails 100 "-B over 1GiB" --netns "$NS_S" -B 2GiB
start_fails 100 "-B with a replay" -r /dev/null -B 4MiB
start_fails 100 "--netns not a namespace" --netns /etc/hostname
start_fails 100 "--netns no such name" --netns "pktmask-none-$$"
start_fails 100 "--container not an id" --container xyz
start_fails 102 "no such interface inside --netns" --netns "$NS_S" -i nosuchif0
sleep 0 &
dead=$!
wait "$dead"
start_fails 103 "--pid of a dead process" --pid "$dead"
start_fails 103 "--container unknown" --container "$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
ip -n "$NS_S" link add "pmtd$$" type veth peer name "pmte$$"
start_fails 104 "an interface that is down" --netns "$NS_S" -i "pmtd$$"
ip -n "$NS_S" link del "pmtd$$"
expect_exit 105 "OUTDIR unwritable" timeout 20 "$PKTMASK" capture --netns "$NS_S" -O /proc/pktmask-out --no-progress
# The unprivileged user (nobody) may write the output directory, but not
# enter a namespace, nor open a root process's.
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
if "${NOBODY[@]}" "$PKTMASK" --version >/dev/null 2>&1; then
  noperm=$(mktemp -d /tmp/pktmask-noperm.XXXXXX)
  chmod 777 "$noperm"
  expect_exit 101 "nobody: --netns" timeout 20 "${NOBODY[@]}" "$PKTMASK" capture --netns "$NS_S" -O "$noperm/a" --no-progress
  check "nobody --netns: nothing left" [ ! -e "$noperm/a" ]
  expect_exit 101 "nobody: --pid 1" timeout 20 "${NOBODY[@]}" "$PKTMASK" capture --pid 1 -O "$noperm/b" --no-progress
  check "nobody --pid: nothing left" [ ! -e "$noperm/b" ]
  rm -rf "$noperm"
else
  echo "skip: user nobody cannot run $PKTMASK (its directory is private)"
fi

# --- 5. run codes --------------------------------------------------------------------

# 200: the interface goes away under the capture.
ip -n "$NS_S" link add "pmtd$$" type veth peer name "pmte$$"
ip -n "$NS_S" link set "pmtd$$" up
ip -n "$NS_S" link set "pmte$$" up
pm_start gone --netns "$NS_S" -i "pmtd$$"
sleep 0.5
ip -n "$NS_S" link del "pmtd$$"
pm_wait
check "interface deleted: exit $code, want 200" [ "$code" = 200 ]
check "interface deleted: no raw segment left" no_raw "$OUT"

# 201: raw segments fill a 1 MB tmpfs (the writer buffers 1 MiB at a time).
TMPFS=$WORK/tmpfs
mkdir -p "$TMPFS"
mount -t tmpfs -o size=1m pktmask-targets "$TMPFS"
pm_start full --netns "$NS_S" --raw-dir "$TMPFS" -f 'udp port 9999'
udp_to_server 3000 1400
pm_wait
check "raw dir full: exit $code, want 201" [ "$code" = 201 ]
check "raw dir full: no raw segment left" no_raw "$TMPFS"
umount "$TMPFS"

# 201: sanitized segments fill a 1 MB tmpfs as OUTDIR.
mount -t tmpfs -o size=1m pktmask-targets "$TMPFS"
PM_OUT=$TMPFS/out pm_start out-full --netns "$NS_S" --raw-dir "$WORK/out-full-raw" --rotate-size 400k \
  --max-backlog 64 -f 'udp port 9999'
udp_to_server 3000 1400
pm_wait
check "OUTDIR full: exit $code, want 201" [ "$code" = 201 ]
check "OUTDIR full: no raw segment left" no_raw "$WORK/out-full-raw"
umount "$TMPFS"
TMPFS=""

finish
