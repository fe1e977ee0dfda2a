#!/bin/sh
# `make demo`: sanitize a bundled real TLS capture, show what changed, and
# write the report a reviewer reads before the file is shared.
set -eu
pktmask=${1:-build/cli/pktmask}
in=testdata/tls/nginx_large_chain.pcap
out=out/demo.sanitized.pcap
mkdir -p out
echo "== pktmask sanitize $in -o $out --stats -"
"$pktmask" sanitize "$in" -o "$out" --stats -
fields="-e frame.number -e tls.record.content_type -e tls.record.opaque_type -e tls.record.length -e tls.handshake.type -e tls.handshake.extensions_server_name"
echo
echo "== tshark's view of the TLS records is unchanged (first 8 frames with TLS; input, then output):"
# shellcheck disable=SC2086
tshark -r "$in" -n -Y tls -T fields $fields 2>/dev/null | head -8
# shellcheck disable=SC2086
tshark -r "$out" -n -Y tls -T fields $fields 2>/dev/null | head -8
echo
echo "== application data is gone (first encrypted record, input then output):"
tshark -r "$in" -n -Y tls.app_data -T fields -e tls.app_data 2>/dev/null | head -1 | cut -c1-64
tshark -r "$out" -n -Y tls.app_data -T fields -e tls.app_data 2>/dev/null | head -1 | cut -c1-64
echo
report=out/demo.report.html
echo "== pktmask report $out --original $in -o $report --json out/demo.report.json"
"$pktmask" report "$out" --original "$in" -o "$report" --json out/demo.report.json
echo
echo "Sanitized capture: $out"
echo "Report (open it in a browser): $(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
