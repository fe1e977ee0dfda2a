#!/usr/bin/env bash
# Real captures where TLS does not start at the first payload byte of a
# direction (STARTTLS for eight protocols, HTTP CONNECT and SOCKS5 proxies):
# the committed samples (testdata/starttls) and, as root, fresh ones recorded
# now by tools/record-starttls-samples.sh. Masking policy section 3: such a
# direction is not TLS, every payload byte of it is zero; the proxy-to-nginx
# TLS in the same captures keeps its handshakes.
#
# Each capture goes through the default engine, the native engine and
# `mark --engine both`; every output must pass `pktmask verify` and an
# independent judge (preamble_zeroed.py), and the engines must agree. The
# default (tshark) engine checks fail until the tshark engine stops
# resynchronising on the TLS after a preamble.
. "$(dirname "$0")/lib.sh"

# judge_preamble_capture FILE SET: every check above for one capture; SET
# (committed, live) keeps the outputs of the two runs apart.
judge_preamble_capture() {
  local file=$1 set=$2 name out engine
  name=$(basename "$file" .pcap)
  out="$WORK/$set/$name"
  mkdir -p "$WORK/$set"
  for engine in default native; do
    local args=()
    [ "$engine" = native ] && args=(--engine native)
    expect_exit 0 "$set/$name/$engine: sanitize" "$PKTMASK" sanitize "${args[@]}" "$file" -o "$out.$engine.pcap"
    [ -f "$out.$engine.pcap" ] || continue
    expect_exit 0 "$set/$name/$engine: verify reports no leaked byte" "$PKTMASK" verify "$file" "$out.$engine.pcap"
    check "$set/$name/$engine: preamble directions all zero, proxied TLS kept (independent judge)" \
      python3 "$SRC/tests/e2e/preamble_zeroed.py" "$file" "$out.$engine.pcap" "$name"
  done
  check "$set/$name: default and native engines write the same bytes" cmp -s "$out.default.pcap" "$out.native.pcap"
  expect_exit 0 "$set/$name/both: mark" \
    "$PKTMASK" mark --engine both --stats "$out.both.json" "$file" -o "$out.both.rules.json"
  check "$set/$name/both: the engines agree ($(head -1 "$WORK/last.err" | head -c 300))" [ ! -s "$WORK/last.err" ]
  check "$set/$name/both: engine_differences is 0" python3 -c \
    'import json, sys; sys.exit(json.load(open(sys.argv[1])).get("engine_differences") != 0)' "$out.both.json"
}

samples=("$SRC"/testdata/starttls/*.pcap)
check "committed samples: at least the 8 STARTTLS and 2 proxy captures" [ "${#samples[@]}" -ge 10 ]
for file in "${samples[@]}"; do
  judge_preamble_capture "$file" committed
done

if [ "$(id -u)" != 0 ]; then
  echo "skip: recording live needs root (network namespaces)"
elif ! bash "$SRC/tools/record-starttls-samples.sh" "$WORK/recorded" >"$WORK/record.log" 2>&1; then
  fail "recording failed: $(tail -3 "$WORK/record.log" | tr '\n' ' ')"
else
  for file in "$WORK"/recorded/*.pcap; do
    judge_preamble_capture "$file" live
  done
fi
finish
