#!/usr/bin/env bash
# Where pktmask writes (docs/usage.md, "Output paths"): devices and FIFOs in
# place, never replaced; symbolic links refused; no output over an input;
# spools of stdin and FIFOs private and gone whatever ends the run; nothing
# left by SIGKILL or a file size limit; a killed capture's raw directory
# removed by the next start. Devices are made in WORK, never the system's.
. "$(dirname "$0")/lib.sh"
sample="$SRC/testdata/tls/nginx_download_2mb.pcap"
small="$SRC/testdata/tls/tls12_openssl.pcap"
"$PKTMASK" sanitize --engine native "$sample" -o "$WORK/expected.pcap"

one_line_naming() {  # the last error is one line and names $1
  [ "$(wc -l <"$WORK/last.err")" = 1 ] && grep -qF -- "$1" "$WORK/last.err"
}
not_naming_spool() { ! grep -q "/proc/self/fd" "$WORK/last.err"; }

# --- Outputs that are not regular files: written in place, never replaced.
mknod "$WORK/null" c 1 3
mknod "$WORK/full" c 1 7
expect_exit 0 "char device: sanitize -o, --stats, --keep-rules" \
  "$PKTMASK" sanitize --engine native "$sample" -o "$WORK/null" --stats "$WORK/null" --keep-rules "$WORK/null"
check "char device: still a character device after sanitize" test -c "$WORK/null"
expect_exit 0 "char device: mark -o, --stats, --state-out" \
  "$PKTMASK" mark --engine native "$sample" -o "$WORK/null" --stats "$WORK/null" --state-out "$WORK/null"
"$PKTMASK" mark --engine native "$sample" -o "$WORK/rules.json"
expect_exit 0 "char device: mask -o" "$PKTMASK" mask "$sample" --rules "$WORK/rules.json" -o "$WORK/null"
check "char device: still a character device" test -c "$WORK/null"
expect_exit 5 "full device: write error" "$PKTMASK" sanitize --engine native "$sample" -o "$WORK/full"
check "full device: names it" one_line_naming "$WORK/full"
check "full device: still a character device" test -c "$WORK/full"

mkfifo "$WORK/fifo-out"
cat "$WORK/fifo-out" >"$WORK/from-fifo.pcap" &
reader=$!
expect_exit 0 "FIFO output" "$PKTMASK" sanitize --engine native "$sample" -o "$WORK/fifo-out"
wait "$reader"
check "FIFO output: the reader got the whole capture" cmp -s "$WORK/from-fifo.pcap" "$WORK/expected.pcap"
check "FIFO output: still a FIFO" test -p "$WORK/fifo-out"

expect_exit 0 "stdout output" "$PKTMASK" sanitize --engine native "$sample" -o -
check "stdout output: the whole capture" cmp -s "$WORK/last.out" "$WORK/expected.pcap"

# A regular output gets the normal mode (0666 minus the umask), not 0600.
(umask 022 && "$PKTMASK" sanitize --engine native "$small" -o "$WORK/mode.pcap")
check "regular output: mode 644 under umask 022" test "$(stat -c %a "$WORK/mode.pcap")" = 644
(umask 022 && "$PKTMASK" sanitize --engine native "$sample" -o "$WORK/mode.pcap")
check "regular output: replaced in place of the old one" cmp -s "$WORK/mode.pcap" "$WORK/expected.pcap"

# --- A symbolic link as the last component is refused (exit 5), its target untouched.
echo "precious" >"$WORK/victim"
ln -s victim "$WORK/link.pcap"
for option in -o --stats --keep-rules; do
  args=(-o "$WORK/other.pcap")
  [ "$option" = -o ] && args=()
  expect_exit 5 "symlink as $option" "$PKTMASK" sanitize --engine native "$small" "${args[@]}" "$option" "$WORK/link.pcap"
  check "symlink as $option: one line naming it" one_line_naming "$WORK/link.pcap"
  no_output "$WORK/other.pcap" "symlink as $option: refused before anything is written"
  check "symlink as $option: target untouched" test "$(cat "$WORK/victim")" = precious
  check "symlink as $option: still a link" test -L "$WORK/link.pcap"
done
expect_exit 5 "symlink as mark --state-out" "$PKTMASK" mark --engine native "$small" -o "$WORK/r.json" --state-out "$WORK/link.pcap"
check "symlink as --state-out: target untouched" test "$(cat "$WORK/victim")" = precious
ln -s null "$WORK/null-link"
expect_exit 0 "own symlink to a device: written through" "$PKTMASK" sanitize --engine native "$small" -o "$WORK/null-link"
check "own symlink to a device: both unchanged" test -L "$WORK/null-link" -a -c "$WORK/null"
mkdir "$WORK/batch-links"
ln -s ../victim "$WORK/batch-links/tls12_openssl.pcap"
expect_exit 5 "batch: a symlink where a file of -O goes" "$PKTMASK" sanitize --engine native "$small" "$sample" -O "$WORK/batch-links"
check "batch symlink: target untouched" test "$(cat "$WORK/victim")" = precious
check "batch symlink: refused before anything ran" test "$(ls -A "$WORK/batch-links")" = tls12_openssl.pcap

# --- No output over an input (exit 2): other spellings, hard links, every option.
cp "$small" "$WORK/in.pcap"
ln "$WORK/in.pcap" "$WORK/hard.pcap"
cp "$small" "$WORK/original.pcap"
refused() {  # refused "what" command...: exit 2 (capture: 100) and the input unchanged
  local what=$1 want=2
  shift
  case $what in capture*) want=100 ;; esac
  expect_exit "$want" "$what" "$@"
  check "$what: input unchanged" cmp -s "$WORK/in.pcap" "$WORK/original.pcap"
}
for out in "$WORK/in.pcap" "$WORK/./in.pcap" "$WORK/../$(basename "$WORK")/in.pcap" "$WORK/hard.pcap"; do
  refused "sanitize -o $out" "$PKTMASK" sanitize --engine native "$WORK/in.pcap" -o "$out"
  check "sanitize -o $out: the message says why" grep -q "would write over the input" "$WORK/last.err"
  refused "sanitize --stats $out" "$PKTMASK" sanitize --engine native "$WORK/in.pcap" -o "$WORK/o.pcap" --stats "$out"
  refused "sanitize --keep-rules $out" \
    "$PKTMASK" sanitize --engine native "$WORK/in.pcap" -o "$WORK/o.pcap" --keep-rules "$out"
  refused "mark -o $out" "$PKTMASK" mark --engine native "$WORK/in.pcap" -o "$out"
  refused "mark --stats $out" "$PKTMASK" mark --engine native "$WORK/in.pcap" -o "$WORK/r.json" --stats "$out"
  refused "mark --state-out $out" "$PKTMASK" mark --engine native "$WORK/in.pcap" -o "$WORK/r.json" --state-out "$out"
  refused "mask -o $out" "$PKTMASK" mask "$WORK/in.pcap" --rules "$WORK/rules.json" -o "$out"
  refused "mask --stats $out" "$PKTMASK" mask "$WORK/in.pcap" --rules "$WORK/rules.json" -o "$WORK/o.pcap" --stats "$out"
  refused "batch --stats $out" "$PKTMASK" sanitize --engine native "$WORK/in.pcap" "$sample" -O "$WORK/b" --stats "$out"
  refused "capture --stats $out" "$PKTMASK" capture -r "$WORK/in.pcap" -O "$WORK/c" --stats "$out"
  refused "capture --events $out" "$PKTMASK" capture -r "$WORK/in.pcap" -O "$WORK/c" --events "$out"
done
cp "$WORK/rules.json" "$WORK/rules.orig"
refused "mask -o the rules" "$PKTMASK" mask "$WORK/in.pcap" --rules "$WORK/rules.json" -o "$WORK/rules.json"
check "mask -o the rules: rules unchanged" cmp -s "$WORK/rules.json" "$WORK/rules.orig"
"$PKTMASK" mark --engine native "$small" -o "$WORK/r.json" --state-out "$WORK/state.json"
cp "$WORK/state.json" "$WORK/state.orig"
expect_exit 2 "mark --state-out equal to --state-in" \
  "$PKTMASK" mark --engine native "$small" -o "$WORK/r.json" --state-in "$WORK/state.json" --state-out "$WORK/state.json"
check "--state-in unchanged" cmp -s "$WORK/state.json" "$WORK/state.orig"
expect_exit 2 "two options, one file" "$PKTMASK" sanitize --engine native "$small" -o "$WORK/x.out" --stats "$WORK/x.out"
no_output "$WORK/x.out" "two options, one file"
check "nothing was written into the -O of refused runs" test ! -e "$WORK/b" -a ! -e "$WORK/c"

# --- Spools: stdin and FIFOs read once into a private, unnamed file.
mkdir "$WORK/tmp"
start_stalled_fifo "$WORK/stalled" "$sample"
TMPDIR="$WORK/tmp" "$PKTMASK" sanitize --engine native - -o "$WORK/spooled.pcap" <"$WORK/stalled" 2>"$WORK/spool.err" &
pid=$!
sleep 1
spool_mode=$(for fd in /proc/$pid/fd/*; do
  case "$(readlink "$fd")" in "$WORK/tmp/"*) stat -L -c %a "$fd" ;; esac
done)
check "stdin spool: mode 600 mid-run (got '$spool_mode')" test "$spool_mode" = 600
check "stdin spool: no name in TMPDIR" test -z "$(ls -A "$WORK/tmp")"
kill -INT "$pid"
kill -INT "$pid" 2>/dev/null
code=0
wait "$pid" || code=$?
kill "$producer" 2>/dev/null || true
check "two signals: exit 130 (got $code)" test "$code" = 130
check "two signals: nothing left in TMPDIR" test -z "$(ls -A "$WORK/tmp")"
no_output "$WORK/spooled.pcap" "two signals"
start_stalled_fifo "$WORK/stalled2" "$sample"
TMPDIR="$WORK/tmp" "$PKTMASK" mark --engine native "$WORK/stalled2" -o "$WORK/spooled.json" 2>/dev/null &
pid=$!
sleep 1
kill -KILL "$pid"
wait "$pid" 2>/dev/null
kill "$producer" 2>/dev/null || true
check "SIGKILL while spooling a FIFO: nothing left in TMPDIR" test -z "$(ls -A "$WORK/tmp")"
no_output "$WORK/spooled.json" "SIGKILL while spooling"

for engine in native tshark; do
  mkfifo "$WORK/in-$engine.fifo"
  cat "$sample" >"$WORK/in-$engine.fifo" &
  expect_exit 0 "FIFO input, engine $engine" "$PKTMASK" sanitize --engine "$engine" "$WORK/in-$engine.fifo" -o "$WORK/fifo-$engine.pcap"
  check "FIFO input, engine $engine: the same output" cmp -s "$WORK/fifo-$engine.pcap" "$WORK/expected.pcap"
  head -c 1000000 "$sample" >"$WORK/in-$engine.fifo" &
  expect_exit 3 "cut FIFO input, engine $engine" "$PKTMASK" sanitize --strict-input --engine "$engine" "$WORK/in-$engine.fifo" -o "$WORK/cut.pcap"
  check "cut FIFO input, engine $engine: one line naming the FIFO" one_line_naming "$WORK/in-$engine.fifo:"
  check "cut FIFO input, engine $engine: no spool named" not_naming_spool
  expect_exit 3 "cut stdin, engine $engine" sh -c "head -c 1000000 '$sample' | '$PKTMASK' sanitize --strict-input --engine $engine - -o '$WORK/cut.pcap'"
  check "cut stdin, engine $engine: one line naming <stdin>" one_line_naming "<stdin>:"
  expect_exit 3 "cut stdin, mark --engine $engine" sh -c "head -c 1000000 '$sample' | '$PKTMASK' mark --strict-input --engine $engine - -o '$WORK/r.json'"
  check "cut stdin, mark --engine $engine: one line naming <stdin>" one_line_naming "<stdin>:"
  no_output "$WORK/cut.pcap" "cut input, engine $engine"
done
expect_exit 0 "mark of a FIFO, engine native" sh -c "cat '$sample' >'$WORK/in-native.fifo' & '$PKTMASK' mark --engine native '$WORK/in-native.fifo' -o '$WORK/fifo-rules.json'"
check "mark of a FIFO: rules name the FIFO" grep -qF "\"$WORK/in-native.fifo\"" "$WORK/fifo-rules.json"

# --- A file size limit: EFBIG, exit 5, no output (not a silent SIGXFSZ kill).
expect_exit 5 "ulimit -f" bash -c "ulimit -f 100; exec '$PKTMASK' sanitize --engine native '$sample' -o '$WORK/limited.pcap'"
check "ulimit -f: the message says why" grep -q "File too large" "$WORK/last.err"
no_output "$WORK/limited.pcap" "ulimit -f"

# --- A batch child killed by SIGKILL (as the OOM killer does) leaves nothing.
# The child is stopped and looked at until it holds its output open, then killed.
for i in $(seq 40); do echo "$sample"; done | xargs mergecap -a -w "$WORK/big.pcap"
mkdir "$WORK/killed"
"$PKTMASK" sanitize --engine native "$WORK/big.pcap" "$small" -O "$WORK/killed" 2>"$WORK/killed.err" &
batch=$!
child=""
killed=""
for i in $(seq 3000); do
  [ -n "$child" ] || child=$(pgrep -P "$batch" | head -1)
  if [ -n "$child" ] && kill -STOP "$child" 2>/dev/null; then
    if ls -l "/proc/$child/fd" 2>/dev/null | grep -qF "$WORK/killed/"; then
      kill -KILL "$child"
      killed=yes
      break
    fi
    kill -CONT "$child"
  fi
  sleep 0.002
done
code=0
wait "$batch" || code=$?
check "SIGKILL mid-write: the child was caught writing" test "$killed" = yes
check "SIGKILL mid-write: batch exit 8 (got $code)" test "$code" = 8
check "SIGKILL mid-write: reported" grep -q "big.pcap: killed by signal 9" "$WORK/killed.err"
check "SIGKILL mid-write: only the other file in OUTDIR" test "$(ls -A "$WORK/killed")" = tls12_openssl.pcap

# --- capture: a SIGKILLed capture's raw directory goes at the next start;
# a running capture's does not.
cap_out="$WORK/cap"
start_stalled_fifo "$WORK/cap1.fifo" "$sample"
"$PKTMASK" capture -r "$WORK/cap1.fifo" -O "$cap_out" --rotate-packets 20 --no-progress 2>/dev/null &
first=$!
sleep 1
stale=$(ls -d "$cap_out"/.pktmask-raw-* 2>/dev/null)
kill -KILL "$first"
wait "$first" 2>/dev/null
kill "$producer" 2>/dev/null || true
check "killed capture: a raw directory with segments was left" test -n "$(ls -A "$stale" 2>/dev/null)"
start_stalled_fifo "$WORK/cap2.fifo" "$sample"
"$PKTMASK" capture -r "$WORK/cap2.fifo" -O "$cap_out" --rotate-packets 20 --no-progress \
  --events "$WORK/running.ndjson" 2>/dev/null &
running=$!
sleep 1
live=$(ls -d "$cap_out"/.pktmask-raw-* | grep -vxF "$stale")
check "restart: the stale raw directory is gone" test ! -e "$stale"
check "restart: reported in the start event" grep -qF "\"stale_raw_removed\":[\"$stale\"]" "$WORK/running.ndjson"
expect_exit 0 "a third capture beside a running one" \
  "$PKTMASK" capture -r "$small" -O "$cap_out" --no-progress --name 'third-{index}.{ext}'
check "the running capture's raw directory is kept" test -d "$live"
kill -INT "$running"
wait "$running"
kill "$producer" 2>/dev/null || true
check "after the runs: no raw directory" test -z "$(ls -d "$cap_out"/.pktmask-raw-* 2>/dev/null)"

# --- capture --events: no symbolic link, no file owned by someone else.
ln -s victim "$WORK/events-link"
expect_exit 105 "--events symlink" "$PKTMASK" capture -r "$small" -O "$WORK/ev" --events "$WORK/events-link"
check "--events symlink: target untouched" test "$(cat "$WORK/victim")" = precious
touch "$WORK/foreign.ndjson"
chown nobody "$WORK/foreign.ndjson"
expect_exit 105 "--events owned by another user" "$PKTMASK" capture -r "$small" -O "$WORK/ev" --events "$WORK/foreign.ndjson"
check "--events owned by another user: untouched" test ! -s "$WORK/foreign.ndjson"
expect_exit 0 "--events to a device" "$PKTMASK" capture -r "$small" -O "$WORK/ev" --events "$WORK/null"
check "--events to a device: still a device" test -c "$WORK/null"

# --- without /proc (a chroot, a minimal container): the unnamed temporary
# cannot be linked through /proc/self/fd, so a hidden named one is used.
mkdir -p "$WORK/noproc"
unshare --mount sh -c 'mount -t tmpfs none /proc && exec "$1" sanitize --engine native "$2" -o "$3"' sh \
  "$PKTMASK" "$small" "$WORK/noproc/out.pcap" 2>"$WORK/noproc.err"
check "without /proc: the output is written ($(head -c 200 "$WORK/noproc.err"))" test -s "$WORK/noproc/out.pcap"
"$PKTMASK" sanitize --engine native "$small" -o "$WORK/withproc.pcap"
check "without /proc: the same bytes" cmp -s "$WORK/noproc/out.pcap" "$WORK/withproc.pcap"
check "without /proc: nothing else left" test "$(ls -A "$WORK/noproc")" = out.pcap
finish
