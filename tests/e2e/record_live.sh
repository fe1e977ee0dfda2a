#!/usr/bin/env bash
# Real TLS recorded now, in network namespaces this test creates (needs root,
# as CI is): every recording is sanitized by both engines and judged by
# tshark's view (same records and handshake fields, zero application data).
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then
  echo "skip: recording real TLS needs root (network namespaces)"
  finish
  exit 0
fi
judge="$SRC/tests/judge/judge.py"
if ! bash "$SRC/tools/record-tls-samples.sh" "$WORK/recorded" >"$WORK/record.log" 2>&1; then
  fail "recording failed: $(tail -3 "$WORK/record.log" | tr '\n' ' ')"
  finish
  exit 1
fi
for file in "$WORK"/recorded/*.pcap; do
  name=$(basename "$file" .pcap)
  for engine in native tshark; do
    out="$WORK/$name.$engine.pcap"
    check "$name/$engine: sanitize" "$PKTMASK" sanitize --engine "$engine" "$file" -o "$out"
    check "$name/$engine: judge --tls-view" python3 "$judge" "$file" "$out" --tls-view
  done
  check "$name: engines agree" cmp -s "$WORK/$name.native.pcap" "$WORK/$name.tshark.pcap"
done
finish
