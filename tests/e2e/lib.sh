# Shared by the end-to-end scripts: counters, expectations, a private work
# directory that is removed on exit, and the closing "N passed, M failed" line.
set -u
: "${PKTMASK:?set PKTMASK to the pktmask binary}"
: "${SRC:?set SRC to the source tree}"
WORK="${WORK:-/tmp/pktmask-e2e}/$(basename "$0" .sh)"
rm -rf "$WORK"
mkdir -p "$WORK"
passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
check() {  # check "what" command...
  local what=$1
  shift
  if "$@"; then pass; else fail "$what"; fi
}

# expect_exit CODE "what" command... : the command must exit with CODE.
expect_exit() {
  local want=$1 what=$2
  shift 2
  local got=0
  "$@" >"$WORK/last.out" 2>"$WORK/last.err" || got=$?
  if [ "$got" = "$want" ]; then pass; else fail "$what: exit $got, want $want ($(head -c 300 "$WORK/last.err"))"; fi
}

# has_line REGEX: the last expect_exit's stdout has a line matching REGEX (grep -E).
has_line() { grep -Eq "$1" "$WORK/last.out"; }

# no_output PATH "what": neither PATH nor a temporary beside it exists.
no_output() {
  local path=$1 what=$2
  local leftovers
  leftovers=$(ls -a "$(dirname "$path")" 2>/dev/null | grep -F "$(basename "$path")" || true)
  if [ -z "$leftovers" ]; then pass; else fail "$what: left behind: $leftovers"; fi
}

# sanitize_and_judge_tls FILE [live]: both engines. The native engine must
# pass tshark's TLS view (tests/judge). On a committed sample the tshark
# engine must too and the engines must agree byte for byte; on traffic
# recorded live (reordering depends on load) the tshark engine may mask more
# (docs/engines.md), so it must pass the structural judge and mask at least
# what the native engine masks.
sanitize_and_judge_tls() {
  local file=$1 live=${2:-} name
  name=$(basename "$file" .pcap)
  local native="$WORK/$name.native.pcap" tshark="$WORK/$name.tshark.pcap"
  check "$name/native: sanitize" "$PKTMASK" sanitize --engine native "$file" -o "$native"
  check "$name/native: judge --tls-view" python3 "$SRC/tests/judge/judge.py" "$file" "$native" --tls-view
  check "$name/tshark: sanitize" "$PKTMASK" sanitize --engine tshark "$file" -o "$tshark"
  if [ -z "$live" ]; then
    check "$name/tshark: judge --tls-view" python3 "$SRC/tests/judge/judge.py" "$file" "$tshark" --tls-view
    check "$name: engines agree" cmp -s "$native" "$tshark"
  else
    check "$name/tshark: judge" python3 "$SRC/tests/judge/judge.py" "$file" "$tshark"
    check "$name/tshark: masks at least what native masks" \
      python3 "$SRC/tests/e2e/masks_at_least.py" "$file" "$native" "$tshark"
  fi
}

# start_stalled_fifo FIFO SOURCE: a pipe that delivers the first 500 kB of
# SOURCE and then stalls, so its reader is mid-run when interrupted.
start_stalled_fifo() {
  mkfifo "$1"
  ( head -c 500000 "$2"; exec sleep 30 ) >"$1" &
  producer=$!
}

# interrupt_after_a_second PID: SIGINT, then $code holds PID's exit status;
# stops the stalled producer too.
interrupt_after_a_second() {
  sleep 1
  kill -INT "$1"
  code=0
  wait "$1" || code=$?
  kill "$producer" 2>/dev/null || true
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ]
}

# no_raw DIR: no raw directory or raw segment anywhere under DIR.
no_raw() {
  local left
  left=$(find "$1" \( -name '.pktmask-raw-*' -o -name 'raw-*' \) 2>/dev/null)
  [ -z "$left" ] || { echo "left behind: $left" >&2; return 1; }
}
