#!/usr/bin/env bash
# pktmask report and sanitize/mask --report (docs/report.md): which outputs
# are written and where, stdin and stdout, refused paths and their exit codes,
# the verdict with and without --original, the JSON against the schema that
# docs/report.md publishes, and the report a sanitize run writes of its own
# output against `pktmask report` of that output.
. "$(dirname "$0")/lib.sh"
: "${PKTMASK_LEAKY:?set PKTMASK_LEAKY to the leaky test build of pktmask}"
sample="$SRC/testdata/tls/tls12_openssl.pcap"
schema() { python3 "$SRC/tests/judge/report_schema.py" "$SRC/docs/report.md" "$1"; }
# field FILE EXPR: the Python expression EXPR of the JSON `r` in FILE, printed.
field() { python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
# same_rows A B: equal "identifies" and connection rows.
same_rows() {
  python3 - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(path)) for path in sys.argv[1:3])
sys.exit(0 if a["identifies"] == b["identifies"] and a["connections"] == b["connections"] else 1)
PY
}
one_line_naming() { [ "$(wc -l <"$WORK/last.err")" = 1 ] && grep -qF -- "$1" "$WORK/last.err"; }

# --- Which outputs: report.html by default, the JSON alone with --json alone.
mkdir -p "$WORK/cwd"
cd "$WORK/cwd" || exit 1
expect_exit 0 "report with no output named" "$PKTMASK" report --no-progress "$sample"
check "report.html by default" test -s report.html
rm -f report.html
expect_exit 0 "report --json alone" "$PKTMASK" report --no-progress "$sample" --json "$WORK/only.json"
check "--json alone: the JSON" test -s "$WORK/only.json"
check "--json alone: no report.html" test ! -e report.html
cd "$SRC" || exit 1
expect_exit 0 "report -o --json" "$PKTMASK" report --no-progress "$sample" -o "$WORK/both.html" --json "$WORK/both.json"
check "-o and --json: the HTML" test -s "$WORK/both.html"
check "-o and --json: the JSON" test -s "$WORK/both.json"

# --- The JSON against the published schema, and what the CLI puts in the header.
check "report JSON validates against docs/report.md" schema "$WORK/only.json"
check "header.file" test "$(field "$WORK/only.json" 'r["header"]["file"]')" = "$sample"
check "header.subject" test "$(field "$WORK/only.json" 'r["header"]["subject"]')" = original
check "header.verdict without --original" \
  test "$(field "$WORK/only.json" 'r["header"]["verdict"]')" = "not run: no original given (--original)"
check "header.anonymize off" test -z "$(field "$WORK/only.json" 'r["header"]["anonymize"]')"
check "header.pktmask_version" test "$(field "$WORK/only.json" 'r["header"]["pktmask_version"]')" = \
  "$("$PKTMASK" --version | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1)"
check "header.settings" test "$(field "$WORK/only.json" 'len(r["header"]["settings"]) > 0')" = True
(umask 077 && head -c 32 /dev/urandom >"$WORK/site.key")
expect_exit 0 "report --anonymize" "$PKTMASK" report --no-progress "$sample" --anonymize ip --key "$WORK/site.key" \
  --json "$WORK/anon.json"
check "--anonymize: header.anonymize" test "$(field "$WORK/anon.json" 'r["header"]["anonymize"].split()[0]')" = ip
check "--anonymize: header.key_id" test "$(field "$WORK/anon.json" 'len(r["header"]["key_id"])')" = 16

# --- stdin and stdout.
expect_exit 0 "report from stdin to stdout" sh -c '"$1" report --no-progress - --json - <"$2"' sh "$PKTMASK" "$sample"
cp "$WORK/last.out" "$WORK/stdin.json"
check "stdin: names it -" test "$(field "$WORK/stdin.json" 'r["header"]["file"]')" = -
check "stdin: the same rows as from the file" same_rows "$WORK/stdin.json" "$WORK/only.json"
expect_exit 2 "-o - and --json - together" "$PKTMASK" report "$sample" -o - --json -

# --- Refused and failed outputs: nothing left behind.
cp "$sample" "$WORK/in.pcap"
expect_exit 2 "report over its input" "$PKTMASK" report --no-progress "$WORK/in.pcap" --json "$WORK/in.pcap"
check "report over its input: input untouched" cmp -s "$WORK/in.pcap" "$sample"
expect_exit 2 "-o and --json the same file" "$PKTMASK" report "$sample" -o "$WORK/same" --json "$WORK/same"
no_output "$WORK/same" "-o and --json the same file"
expect_exit 5 "unwritable --json" "$PKTMASK" report --no-progress "$sample" -o "$WORK/fine.html" \
  --json "$WORK/no-such-dir/r.json"
no_output "$WORK/fine.html" "unwritable --json: no HTML either"
odd_name="$WORK/$(printf 'odd\377name').pcap"
cp "$sample" "$odd_name"
expect_exit 0 "a file name that is not UTF-8" "$PKTMASK" report --no-progress "$odd_name" --json "$WORK/odd.json"
check "a file name that is not UTF-8: U+FFFD in header.file" \
  test "$(field "$WORK/odd.json" 'r["header"]["file"].endswith("odd\ufffdname.pcap")')" = True
printf 'not a capture at all\n' >"$WORK/bad.pcap"
expect_exit 3 "bad capture" "$PKTMASK" report --no-progress "$WORK/bad.pcap" --json "$WORK/bad.json"
check "bad capture: one line naming it" one_line_naming "$WORK/bad.pcap"
no_output "$WORK/bad.json" "bad capture"

# --- --original: the verdict, and exit 0 whatever it is.
"$PKTMASK" sanitize --no-progress --engine native "$sample" -o "$WORK/safe.pcap"
expect_exit 0 "report --original of a good output" "$PKTMASK" report --no-progress "$WORK/safe.pcap" \
  --original "$sample" --json "$WORK/good.json"
check "--original: pass" test "$(field "$WORK/good.json" 'r["header"]["verdict"]')" = pass
"$PKTMASK_LEAKY" sanitize --no-progress --engine native --no-self-check "$sample" -o "$WORK/leaky.pcap"
expect_exit 0 "report --original of a leaky output" "$PKTMASK" report --no-progress "$WORK/leaky.pcap" \
  --original "$sample" --json "$WORK/leaky.json"
check "--original: fail, on one line" test "$(field "$WORK/leaky.json" 'r["header"]["verdict"].startswith("fail: ")')" = True
check "--original: failed report validates" schema "$WORK/leaky.json"
head -c 1500 "$WORK/safe.pcap" >"$WORK/torn.pcap"
expect_exit 0 "report --original of a torn output" "$PKTMASK" report --no-progress "$WORK/torn.pcap" \
  --original "$sample" --json "$WORK/torn.json"
check "--original of a torn output: fail, cut short" \
  test "$(field "$WORK/torn.json" 'r["header"]["verdict"].startswith("fail: the sanitized file is cut short at byte ")')" = True
expect_exit 2 "--original from stdin" "$PKTMASK" report "$WORK/safe.pcap" --original - --json "$WORK/x.json"

# --- sanitize --report: its own output, only once that output is committed.
expect_exit 0 "sanitize --report" "$PKTMASK" sanitize --no-progress --engine native "$sample" -o "$WORK/own.pcap" \
  --report "$WORK/own.html" --report-json "$WORK/own.json"
check "sanitize --report: HTML" test -s "$WORK/own.html"
check "sanitize --report: the output is what sanitize writes" cmp -s "$WORK/own.pcap" "$WORK/safe.pcap"
check "sanitize --report: validates" schema "$WORK/own.json"
check "sanitize --report: subject" test "$(field "$WORK/own.json" 'r["header"]["subject"]')" = sanitized
check "sanitize --report: verdict" test "$(field "$WORK/own.json" 'r["header"]["verdict"]')" = "pass (self-check)"
# The report of the sanitized file under the same settings shows the same
# rows: masking a sanitized capture again changes nothing, and the rows
# describe the output's bytes either way. The headers differ on purpose:
# file (the input's name against the output's), subject and verdict.
expect_exit 0 "report of the sanitized output" "$PKTMASK" report --no-progress "$WORK/own.pcap" \
  --json "$WORK/of-own.json"
check "sanitize --report: the rows of 'report' of its output" same_rows "$WORK/own.json" "$WORK/of-own.json"
expect_exit 0 "sanitize --report-json, --no-self-check" "$PKTMASK" sanitize --no-progress --engine native \
  --no-self-check "$sample" -o "$WORK/own2.pcap" --report-json "$WORK/own2.json"
check "--no-self-check: verdict" test "$(field "$WORK/own2.json" 'r["header"]["verdict"]')" = "not run: --no-self-check"
expect_exit 7 "leaky sanitize --report" "$PKTMASK_LEAKY" sanitize --no-progress --engine native "$sample" \
  -o "$WORK/leak.pcap" --report "$WORK/leak.html" --report-json "$WORK/leak.json"
no_output "$WORK/leak.html" "a failed sanitize: no HTML report"
no_output "$WORK/leak.json" "a failed sanitize: no JSON report"
expect_exit 2 "sanitize --report in batch mode" "$PKTMASK" sanitize --engine native "$sample" -O "$WORK/batch" \
  --report "$WORK/batch.html"
check "batch --report: says why" grep -q "single-file form" "$WORK/last.err"
expect_exit 2 "sanitize -o - --report -" "$PKTMASK" sanitize --engine native "$sample" -o - --report -
expect_exit 0 "sanitize -o FILE --report-json -" "$PKTMASK" sanitize --no-progress --engine native "$sample" \
  -o "$WORK/own3.pcap" --report-json -
check "sanitize --report-json -: the JSON on stdout" same_rows "$WORK/last.out" "$WORK/own.json"

# --- mask --report: the same report as sanitize's.
"$PKTMASK" mark --engine native "$sample" -o "$WORK/rules.json"
expect_exit 0 "mask --report-json" "$PKTMASK" mask --no-progress "$sample" --rules "$WORK/rules.json" \
  -o "$WORK/masked.pcap" --report-json "$WORK/mask.json"
check "mask --report-json: the rows of sanitize's" same_rows "$WORK/mask.json" "$WORK/own.json"
check "mask --report-json: the header of sanitize's" \
  test "$(field "$WORK/mask.json" 'r["header"]')" = "$(field "$WORK/own.json" 'r["header"]')"

finish
