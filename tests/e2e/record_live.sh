#!/usr/bin/env bash
# Real TLS recorded now, in network namespaces this test creates (needs root,
# as CI is): every recording is sanitized by both engines and judged by
# tshark's view (same records and handshake fields, zero application data).
# Live traffic may be reordered, where the tshark engine masks more.
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then
  echo "skip: recording real TLS needs root (network namespaces)"
  finish
  exit 0
fi
if ! bash "$SRC/tools/record-tls-samples.sh" "$WORK/recorded" >"$WORK/record.log" 2>&1; then
  fail "recording failed: $(tail -3 "$WORK/record.log" | tr '\n' ' ')"
  finish
  exit 1
fi
for file in "$WORK"/recorded/*.pcap; do
  sanitize_and_judge_tls "$file" live
done
finish
