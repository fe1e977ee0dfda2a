#!/usr/bin/env bash
# Every generated edge case, through every engine and both command forms.
# The generator computes the expected output from how it built each stream,
# sharing no code with pktmask; tests/judge/judge_v2.py checks every output
# against masking policy v2 (default profile) independently.
. "$(dirname "$0")/lib.sh"
: "${GEN_CORPUS:?set GEN_CORPUS to the corpus generator}"
judge="$SRC/tests/judge/judge.py"
judge_v2="$SRC/tests/judge/judge_v2.py"
corpus="$WORK/corpus"
"$GEN_CORPUS" "$corpus" >/dev/null || { fail "generator failed"; finish; exit 1; }
check "corpus has cases" test -s "$corpus/manifest.tsv"

input_of() { awk -F'\t' -v name="$1" '$1 == name { print $2 }' "$corpus/manifest.tsv"; }
# The engine_differences count of a --stats file.
differences() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("engine_differences"))' "$1"; }

# No leak, broken checksum or structural difference; over-masking allowed.
no_leak() {
  python3 "$judge_v2" "$1" "$2" --json | python3 -c '
import json, sys
r = json.load(sys.stdin)
sys.exit(any(r["leaks"].values()) or r["checksums"] or r["structure"])'
}

# Cases where the tshark engine may mask more than the policy (docs/engines.md).
tshark_may_mask_more=" $(tr '\n' ' ' <"$SRC/tests/e2e/tshark-masks-more.txt") "

while IFS=$'\t' read -r name input expected _; do
  [ -n "$name" ] || continue
  in="$corpus/$input"
  want="$corpus/$expected"
  ext="${input##*.}"
  for engine in native tshark; do
    out="$WORK/$name.$engine.$ext"
    if ! "$PKTMASK" sanitize --engine "$engine" "$in" -o "$out" 2>"$WORK/err"; then
      fail "$name/$engine: sanitize failed: $(head -1 "$WORK/err")"
      continue
    fi
    if cmp -s "$out" "$want"; then
      pass
    elif [ "$engine" = tshark ] && [[ "$tshark_may_mask_more" == *" $name "* ]]; then
      check "$name/tshark: masks at least what the policy masks" python3 "$SRC/tests/e2e/masks_at_least.py" "$in" "$want" "$out"
    else
      fail "$name/$engine: output differs from expected ($(python3 "$judge" "$in" "$out" --expected "$want" 2>&1 | head -2 | tr '\n' ' '))"
    fi
    if [ "$engine" = tshark ] && [[ "$tshark_may_mask_more" == *" $name "* ]]; then
      check "$name/tshark: judge_v2 finds no leak" no_leak "$in" "$out"
    else
      check "$name/$engine: judge_v2" python3 "$judge_v2" "$in" "$out" >/dev/null
    fi
    "$PKTMASK" mark --engine "$engine" "$in" | "$PKTMASK" mask -o "$WORK/$name.$engine.piped.$ext"
    check "$name/$engine: mark|mask == sanitize" cmp -s "$WORK/$name.$engine.piped.$ext" "$out"
  done
  # --engine both fails (exit 9, no rules written) exactly where the engines differ.
  rm -f "$WORK/both.json" "$WORK/both.stats"
  if [[ "$tshark_may_mask_more" == *" $name "* ]]; then
    expect_exit 9 "$name: engines differ" "$PKTMASK" mark --engine both "$in" -o "$WORK/both.json" --stats "$WORK/both.stats"
    no_output "$WORK/both.json" "$name: engines differ"
    check "$name: --stats counts the differences" test "$(differences "$WORK/both.stats")" -ge 1
  else
    rc=0
    "$PKTMASK" mark --engine both "$in" -o "$WORK/both.json" 2>"$WORK/both.err" || rc=$?
    check "$name: engines agree (exit $rc: $(head -1 "$WORK/both.err"))" test "$rc" = 0 -a ! -s "$WORK/both.err" -a -s "$WORK/both.json"
  fi
done <"$corpus/manifest.tsv"

# sanitize --engine both: exit 9 and no capture where the engines differ,
# the native result and a zero count where they agree.
expect_exit 9 "sanitize --engine both (reordering)" \
  "$PKTMASK" sanitize --engine both "$corpus/$(input_of reordering)" -o "$WORK/both.pcap" --stats "$WORK/both.stats"
no_output "$WORK/both.pcap" "sanitize --engine both (reordering)"
check "sanitize --engine both (reordering): stats count differences" test "$(differences "$WORK/both.stats")" -ge 1
check "sanitize --engine both (basic_tls12)" \
  "$PKTMASK" sanitize --engine both "$corpus/$(input_of basic_tls12)" -o "$WORK/both.pcap" --stats "$WORK/both.stats"
check "sanitize --engine both (basic_tls12): native's output" cmp -s "$WORK/both.pcap" "$WORK/basic_tls12.native.pcap"
check "sanitize --engine both (basic_tls12): no differences" test "$(differences "$WORK/both.stats")" = 0

if [ -s "$corpus/bad/manifest.tsv" ]; then
  while IFS=$'\t' read -r name file _; do
    [ -n "$name" ] || continue
    expect_exit 3 "bad/$name: sanitize" "$PKTMASK" sanitize --engine native --strict-input "$corpus/bad/$file" -o "$WORK/bad.out"
    no_output "$WORK/bad.out" "bad/$name"
  done <"$corpus/bad/manifest.tsv"
fi
finish
