#!/usr/bin/env bash
# Pins every key of the --stats documents (schema pktmask-stats/2): mark,
# mask, sanitize, batch and capture run on a committed sample, and the sorted
# key paths of what they write must equal tests/e2e/stats_schema.keys. Every
# key there must be documented in docs/usage.md ("--stats schema").
#
# A deliberate change to the keys rewrites the list:
#   STATS_SCHEMA_UPDATE=1 ctest -R e2e.stats_schema
. "$(dirname "$0")/lib.sh"
pinned="$SRC/tests/e2e/stats_schema.keys"
sample="$SRC/testdata/tls/tls12_openssl.pcap"
mkdir -p "$WORK/batch-in"
cp "$sample" "$WORK/batch-in/"

expect_exit 0 "mark --stats" "$PKTMASK" mark --engine native "$sample" -o "$WORK/rules.json" --stats "$WORK/mark.json"
expect_exit 0 "mask --stats" "$PKTMASK" mask "$sample" --rules "$WORK/rules.json" -o "$WORK/mask.pcap" \
  --stats "$WORK/mask.json"
expect_exit 0 "sanitize --stats" "$PKTMASK" sanitize --engine native "$sample" -o "$WORK/sanitize.pcap" \
  --stats "$WORK/sanitize.json"
expect_exit 0 "batch --stats" "$PKTMASK" sanitize --engine native "$WORK/batch-in" -O "$WORK/batch-out" \
  --stats "$WORK/batch.json" --no-progress
expect_exit 0 "capture --stats" "$PKTMASK" capture -r "$sample" -O "$WORK/capture-out" --stats "$WORK/capture.json" \
  --no-progress

# "COMMAND PATH" per key: objects are descended (a.b), arrays of objects
# through their elements (a[].b); a batch file's `stats` is a sanitize document.
python3 - "$WORK" >"$WORK/actual.keys" <<'PY'
import json, sys
def paths(value, prefix):
    if isinstance(value, dict) and value:
        for key, inner in value.items():
            if prefix == "files[]." and key == "stats":
                yield prefix + key
            else:
                yield from paths(inner, prefix + key + ".")
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for element in value:
            yield from paths(element, prefix[:-1] + "[].")
    else:
        yield prefix[:-1]
for command in ("mark", "mask", "sanitize", "batch", "capture"):
    document = json.load(open(f"{sys.argv[1]}/{command}.json"))
    assert document["schema"] == "pktmask-stats/2", (command, document.get("schema"))
    for path in sorted(set(paths(document, ""))):
        print(command, path)
PY
check "every document names its schema" test -s "$WORK/actual.keys"
if [ -n "${STATS_SCHEMA_UPDATE:-}" ]; then
  cp "$WORK/actual.keys" "$pinned"
  echo "wrote $pinned"
fi
if diff "$pinned" "$WORK/actual.keys" >"$WORK/diff"; then
  pass
else
  fail "the --stats keys differ from tests/e2e/stats_schema.keys:"
  cat "$WORK/diff" >&2
fi

undocumented=$(while read -r _ path; do
  grep -qF "\`$path\`" "$SRC/docs/usage.md" || echo "$path"
done <"$pinned" | sort -u | tr '\n' ' ')
check "every key is documented in docs/usage.md (not: $undocumented)" test -z "$undocumented"
finish
