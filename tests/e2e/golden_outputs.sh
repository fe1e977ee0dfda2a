#!/usr/bin/env bash
# Every capture and rules file pktmask writes for the corpus, the committed
# samples, a split capture and a replayed one, pinned by SHA-256 in
# tests/e2e/golden_outputs.sha256. A refactoring must not change one byte.
#
# A deliberate change to an output regenerates the list:
#   GOLDEN_UPDATE=1 ctest -R e2e.golden_outputs
# and the diff of the list shows, in review, exactly which outputs changed.
. "$(dirname "$0")/lib.sh"
: "${GEN_CORPUS:?set GEN_CORPUS to the corpus generator}"
pinned="$SRC/tests/e2e/golden_outputs.sha256"
"$GEN_CORPUS" "$WORK/corpus" >/dev/null || { fail "generator failed"; finish; exit 1; }
mkdir -p "$WORK/inputs" "$WORK/out"
while IFS=$'\t' read -r name input _; do
  [ -n "$name" ] && cp "$WORK/corpus/$input" "$WORK/inputs/corpus.$input"
done <"$WORK/corpus/manifest.tsv"
for file in "$SRC"/testdata/*/*.pcap; do
  cp "$file" "$WORK/inputs/$(basename "$(dirname "$file")").$(basename "$file")"
done

# Rules files name their input: run from inside the directory, so the names
# do not depend on where the test runs.
cd "$WORK/inputs" || exit 1
for input in *; do
  for engine in native tshark; do
    "$PKTMASK" mark --engine "$engine" "$input" -o "../out/$input.$engine.rules.json" 2>/dev/null ||
      echo "mark failed" >"../out/$input.$engine.rules.json"
    "$PKTMASK" sanitize --engine "$engine" "$input" -o "../out/$input.$engine.sanitized" 2>/dev/null ||
      echo "sanitize failed" >"../out/$input.$engine.sanitized"
  done
done

# A capture split into segments, marked with carried state.
mkdir -p "$WORK/split" && cd "$WORK/split" || exit 1
editcap -c 60 ../inputs/tls.nginx_download_2mb.pcap part.pcap 2>/dev/null
state=""
for part in $(ls part_* | sort); do
  "$PKTMASK" mark --engine native "$part" ${state:+--state-in "$state"} --state-out "$part.state.json" \
    -o "../out/split.$part.rules.json"
  "$PKTMASK" mask "$part" --rules "../out/split.$part.rules.json" -o "../out/split.$part.sanitized"
  cp "$part.state.json" "../out/split.$part.state.json"
  state=$part.state.json
done

# A replay through the capture pipeline, in segments.
"$PKTMASK" capture -r ../inputs/tls.nginx_download_2mb.pcap -O "$WORK/replay" --rotate-packets 50 --no-progress --compress none --disk-threshold 0 \
  --name 'replay-{index}.{ext}'
for segment in "$WORK"/replay/replay-*; do cp "$segment" "../out/capture.$(basename "$segment")"; done

cd "$WORK/out" || exit 1
# The one field that differs between runs: how long marking took.
sed -i -E 's/"seconds":[0-9.e+-]+/"seconds":0/' *.json
sha256sum * | sort -k2 >"$WORK/actual.sha256"
if [ -n "${GOLDEN_UPDATE:-}" ]; then
  cp "$WORK/actual.sha256" "$pinned"
  echo "wrote $pinned"
fi
check "outputs were written" test "$(wc -l <"$WORK/actual.sha256")" -gt 100
if diff "$pinned" "$WORK/actual.sha256" >"$WORK/diff"; then
  pass
else
  fail "outputs differ from the pinned ones:"
  head -40 "$WORK/diff" >&2
fi
finish
