#!/usr/bin/env bash
# `mark | mask`, `sanitize`, and stdin/stdout use give byte-identical output.
. "$(dirname "$0")/lib.sh"
for file in "$SRC"/testdata/tls/*.pcap; do
  name=$(basename "$file" .pcap)
  for engine in tshark native; do
    "$PKTMASK" mark --engine "$engine" "$file" | "$PKTMASK" mask -o "$WORK/$name.piped.pcap"
    "$PKTMASK" sanitize --engine "$engine" "$file" -o "$WORK/$name.sanitized.pcap"
    check "$name/$engine: mark|mask == sanitize" cmp -s "$WORK/$name.piped.pcap" "$WORK/$name.sanitized.pcap"
    "$PKTMASK" sanitize --engine "$engine" - -o - <"$file" >"$WORK/$name.stdio.pcap"
    check "$name/$engine: stdin/stdout == sanitize" cmp -s "$WORK/$name.stdio.pcap" "$WORK/$name.sanitized.pcap"
    "$PKTMASK" mark --engine "$engine" "$file" -o "$WORK/$name.rules.json"
    "$PKTMASK" mask --rules "$WORK/$name.rules.json" - -o "$WORK/$name.fromstdin.pcap" <"$file"
    check "$name/$engine: mask from stdin == sanitize" cmp -s "$WORK/$name.fromstdin.pcap" "$WORK/$name.sanitized.pcap"
    rm -f "$WORK/fifo"
    mkfifo "$WORK/fifo"
    cat "$file" >"$WORK/fifo" &
    "$PKTMASK" mask --rules "$WORK/$name.rules.json" "$WORK/fifo" -o "$WORK/$name.fromfifo.pcap"
    wait
    check "$name/$engine: mask from a named pipe == sanitize" cmp -s "$WORK/$name.fromfifo.pcap" "$WORK/$name.sanitized.pcap"
  done
  "$PKTMASK" sanitize --engine native "$file" -o "$WORK/$name.stats.pcap" --stats "$WORK/$name.stats.json"
  check "$name: --stats is JSON with the counts" python3 -c "
import json, sys
s = json.load(open('$WORK/$name.stats.json'))
assert s['packets'] > 0 and s['tcp_payload_bytes_masked'] > 0 and s['directions']['tls'] > 0, s
assert s['schema'] == 'pktmask-stats/2' and s['records_by_type']['handshake'] > 0, s
assert set(s['seconds']) == {'mark', 'mask', 'total'}
"
done
finish
