#!/usr/bin/env bash
# The HTML report in a real browser (headless Debian chromium), judged by
# tests/judge/report_dom.py against what tshark reads from the captures:
# the recorded sample of testdata/report (row count, sorting, filtering,
# "What still identifies" against tshark on the sanitized output, plain and
# anonymized, where no original address may remain), a screenshot with the
# timeline drawn, no request leaving the page (chromium's net log, and no URL
# in the HTML), the JSON against its schema, and a report of 10 000
# connections made here (size, subset caption, paging).
. "$(dirname "$0")/lib.sh"
J=$SRC/tests/judge
# The judges use Debian's python3-pil and python3-jsonschema: Debian's python3,
# even where another python3 comes first on PATH.
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
dom() { "$py" "$J/report_dom.py" "$@"; }
sample=$SRC/testdata/report/report_sample.pcap
key=$WORK/site.key
python3 -c 'import sys; open(sys.argv[1], "wb").write(bytes(range(11, 11 + 32 * 3, 3)))' "$key"
chmod 600 "$key"
anon=(--anonymize ip,mac --key "$key")

if ! command -v chromium >/dev/null; then
  echo "FAIL: no chromium (tools/with-deps installs it): the report's browser tests cannot run" >&2
  exit 1
fi

check "netlog check catches a leaking page" dom netlog-selftest "$WORK"

expect_exit 0 "report of the sample" "$PKTMASK" report --no-progress "$sample" -o "$WORK/R.html" --json "$WORK/R.json"
expect_exit 0 "sanitize the sample" "$PKTMASK" sanitize --engine native "$sample" -o "$WORK/sanitized.pcap"
check "table: rows, sorting, filtering" dom table "$WORK/R.html" "$WORK/R.json" "$sample" "$WORK"
check "identifies = tshark on the sanitized sample" dom identifies "$WORK/R.html" "$WORK/sanitized.pcap" "$WORK"
check "screenshot, timeline, no request leaves the page" dom page "$WORK/R.html" "$WORK"

check "JSON matches the schema of docs/report.md" "$py" "$J/report_schema.py" "$SRC/docs/report.md" "$WORK/R.json"

expect_exit 0 "anonymized report" "$PKTMASK" report --no-progress "${anon[@]}" "$sample" -o "$WORK/A.html" --json "$WORK/A.json"
expect_exit 0 "anonymized sanitize" "$PKTMASK" sanitize --engine native "${anon[@]}" "$sample" -o "$WORK/anonymized.pcap"
check "anonymized JSON matches the schema" "$py" "$J/report_schema.py" "$SRC/docs/report.md" "$WORK/A.json"
mapfile -t originals < <(tshark -r "$sample" -T fields -E occurrence=a \
  -e ip.src -e ip.dst -e eth.src -e eth.dst 2>/dev/null | tr '\t,' '\n\n' | sort -u)
check "tshark finds the sample's 2 addresses and 2 MACs" test "${#originals[@]}" -eq 4
check "anonymized: identifies = tshark on the anonymized output, no original address" \
  dom identifies "$WORK/A.html" "$WORK/anonymized.pcap" "$WORK" --absent "${originals[@]}"

python3 "$J/mkcaps_many.py" "$WORK/many.pcap" 10000
expect_exit 0 "report of 10 000 connections" "$PKTMASK" report --no-progress "$WORK/many.pcap" -o "$WORK/many.html"
check "10 000 connections: size, subset caption, paging" dom many "$WORK/many.html" "$WORK" 10000

echo "report_browser: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
