#!/usr/bin/env bash
# The look-ahead of `pktmask capture` (docs/capture.md, "Exactness"): a loss
# in one segment that a retransmission in the next one repairs. Merged, the
# sanitized segments equal `pktmask sanitize --engine native` of the whole
# capture byte for byte, wherever the segments are cut. With --hold-seconds 0
# (or once the hold ran out) each segment is sanitized on its own and the
# headers behind the gap are masked: safe (the self-check passes, the
# verifier finds nothing leaked), but not equal.
. "$(dirname "$0")/lib.sh"
lossy() { python3 "$SRC/tests/e2e/lossy_capture.py" "$@"; }
same() { python3 "$SRC/tests/e2e/same_packets.py" "$@" >/dev/null; }

# capture NAME INPUT ARGS...: replays INPUT (- for stdin) into $WORK/NAME/out,
# merges the segments into $WORK/NAME/merged.pcap; sets $code.
capture() {
  local name=$1 input=$2
  shift 2
  rm -rf "$WORK/$name"
  mkdir -p "$WORK/$name"
  code=0
  "$PKTMASK" capture -r "$input" -O "$WORK/$name/out" --name '{index}.{ext}' --no-progress \
    --compress none --disk-threshold 0 --stats "$WORK/$name/stats.json" "$@" 2>"$WORK/$name/stderr" || code=$?
  mergecap -F pcap -a -w "$WORK/$name/merged.pcap" "$WORK/$name"/out/*.pcap
}
# nothing_leaked NAME ORIGINAL: the verifier finds no leaked byte, and some
# lost (its structural findings are mergecap's container, not the masking).
nothing_leaked() {
  "$PKTMASK" verify --json --no-tshark "$2" "$WORK/$1/merged.pcap" >"$WORK/$1/verify.json" 2>/dev/null
  python3 - "$WORK/$1/verify.json" <<'PY'
import json, sys
found = json.load(open(sys.argv[1]))
sys.exit(0 if found["leaked"]["count"] == 0 and found["lost"]["count"] > 0 else 1)
PY
}

# lossy_case NAME INPUT CUTS...: every cut (--rotate-packets) equals the whole
# with the look-ahead; without it, at least one cut differs, leaking nothing.
lossy_case() {
  local name=$1 input=$2 cut differs=0
  shift 2
  "$PKTMASK" sanitize --engine native "$input" -o "$WORK/$name.whole.pcap"
  for cut in "$@"; do
    capture "$name.$cut" "$input" --rotate-packets "$cut"
    check "$name/$cut: exit 0 ($(head -c 300 "$WORK/$name.$cut/stderr"))" [ "$code" = 0 ]
    check "$name/$cut: segments == whole" same "$WORK/$name.$cut/merged.pcap" "$WORK/$name.whole.pcap"
    capture "$name.$cut.off" "$input" --rotate-packets "$cut" --hold-seconds 0
    check "$name/$cut --hold-seconds 0: exit 0 ($(head -c 300 "$WORK/$name.$cut.off/stderr"))" [ "$code" = 0 ]
    if ! same "$WORK/$name.$cut.off/merged.pcap" "$WORK/$name.whole.pcap"; then
      differs=$((differs + 1))
      check "$name/$cut --hold-seconds 0: nothing leaked" nothing_leaked "$name.$cut.off" "$input"
    fi
  done
  check "$name: without the look-ahead some cut masks more ($differs)" [ "$differs" -gt 0 ]
}

# 1. Synthetic connections, both directions TLS, records split at random
# sizes: every header packet is lost and comes back 1 to 3 packets later.
for seed in 1 2 3; do
  lossy synthetic "$WORK/synthetic$seed.clean.pcap" "$seed"
  lossy lose "$WORK/synthetic$seed.clean.pcap" "$WORK/synthetic$seed.pcap" 1 1 3 2 >/dev/null
  lossy_case "synthetic$seed" "$WORK/synthetic$seed.pcap" 4 5 6 7 9 12 17
done

# 2. Real TLS: header packets taken out and put back later. The download's
# records span about 11 packets: only a repair further off than that leaves
# other headers between the gap and the end of a segment.
lossy lose "$SRC/testdata/tls/nginx_download_2mb.pcap" "$WORK/download.pcap" 3 12 17 25 >/dev/null
lossy_case download "$WORK/download.pcap" 29 50 100 333
lossy lose "$SRC/testdata/tls/nginx_large_chain.pcap" "$WORK/chain.pcap" 1 1 2 >/dev/null
lossy_case chain "$WORK/chain.pcap" 3 5 7

# 3. The hold is bounded. 40 packets, a pause of 3 s, the rest: during the
# pause segments 1-7 are closed (8 closes with packet 41). With the hold
# (30 s) segment 7 waits for segment 8, so 6 are sanitized; with
# --hold-seconds 1 segment 7 is sanitized alone during the pause.
input=$WORK/synthetic1.pcap
total=$(capinfos -c -M "$input" | awk '/Number of packets/ { print $NF }')
editcap -F pcap -r "$input" "$WORK/first.pcap" 1-40
editcap -F pcap -r "$input" "$WORK/rest.pcap" 41-"$total"
slow_feed() {  # slow_feed NAME: counts NAME's sanitized segments during the pause
  cat "$WORK/first.pcap"
  sleep 3
  ls "$WORK/$1/out" | grep -Ec '^[0-9]+\.pcap$' >"$WORK/$1.during"
  tail -c +25 "$WORK/rest.pcap"
}
slow_feed held_long | capture held_long - --rotate-packets 5 --hold-seconds 30
check "hold 30 s: exit 0" [ "$code" = 0 ]
check "hold 30 s: 6 sanitized during the pause ($(cat "$WORK/held_long.during"))" [ "$(cat "$WORK/held_long.during")" = 6 ]
check "hold 30 s: segments == whole" same "$WORK/held_long/merged.pcap" "$WORK/synthetic1.whole.pcap"
slow_feed held_short | capture held_short - --rotate-packets 5 --hold-seconds 1
check "hold 1 s: exit 0 ($(head -c 300 "$WORK/held_short/stderr"))" [ "$code" = 0 ]
check "hold 1 s: 7 sanitized during the pause ($(cat "$WORK/held_short.during"))" [ "$(cat "$WORK/held_short.during")" = 7 ]

# 4. The held segment counts in the backlog: --max-backlog 1 leaves no room
# for the next one beside it.
expect_exit 100 "--max-backlog 1 with the look-ahead" \
  "$PKTMASK" capture -r "$input" -O "$WORK/backlog1" --max-backlog 1
capture backlog2 "$input" --rotate-packets 3 --max-backlog 2
check "--max-backlog 2: exit 0 ($(head -c 300 "$WORK/backlog2/stderr"))" [ "$code" = 0 ]
check "--max-backlog 2: segments == whole" same "$WORK/backlog2/merged.pcap" "$WORK/synthetic1.whole.pcap"
capture backlog1_off "$input" --rotate-packets 3 --max-backlog 1 --hold-seconds 0
check "--max-backlog 1 --hold-seconds 0: exit 0" [ "$code" = 0 ]

finish
