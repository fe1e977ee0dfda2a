#!/usr/bin/env bash
# Captures cut short at the end, and compressed captures.
#
# A capture cut at any byte of its last record sanitizes (both engines, and
# `mark | mask`, and `capture -r -`) to exactly what the capture without that
# record sanitizes to, with one warning naming the offset; --strict-input
# refuses it (exit 3, no output). gzip and zstd inputs give exactly the
# results of the uncompressed capture.
. "$(dirname "$0")/lib.sh"
same() { python3 "$SRC/tests/e2e/same_packets.py" "$@"; }

# last_record_offset FILE: where the last pcap record or pcapng block starts.
last_record_offset() {
  python3 - "$1" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
magic = data[:4]
if magic == b'\x0a\x0d\x0d\x0a':
    at, last = 0, 0
    while at < len(data):
        if data[at:at + 4] == b'\x0a\x0d\x0d\x0a':
            order = '<' if data[at + 8:at + 12] == b'\x4d\x3c\x2b\x1a' else '>'
        last = at
        at += struct.unpack_from(order + 'I', data, at + 4)[0]
else:
    order = '<' if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
    at, last = 24, 24
    while at < len(data):
        last = at
        at += 16 + struct.unpack_from(order + 'I', data, at + 8)[0]
print(last)
PY
}
stat_of() { python3 -c 'import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2], "absent"); print("null" if v is None else v)' "$1" "$2"; }

editcap -F pcapng "$SRC/testdata/tls/tls13_openssl.pcap" "$WORK/tls13_openssl.pcapng" 2>/dev/null
# A big-endian pcap, so both byte orders of the pcap record header are cut.
python3 - "$SRC/testdata/tls/tls12_openssl.pcap" "$WORK/tls12_openssl_be.pcap" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
out = bytearray(struct.pack('>IHHiIII', *struct.unpack_from('<IHHiIII', data, 0)))
at = 24
while at < len(data):
    sec, frac, caplen, origlen = struct.unpack_from('<IIII', data, at)
    out += struct.pack('>IIII', sec, frac, caplen, origlen) + data[at + 16:at + 16 + caplen]
    at += 16 + caplen
open(sys.argv[2], 'wb').write(out)
PY

# 1. Cut at every byte of the last record. The native engine runs at every
# cut; tshark (a second a run) at the cuts where its reading can differ:
# inside the record or block header (before and after a pcapng length
# field), just after it, and one byte short of the end.
tshark_cut() {  # tshark_cut START SIZE CUT: whether tshark runs at this cut
  local start=$1 size=$2 cut=$3
  case $((cut - start)) in 1 | 8 | 12 | 16) return 0 ;; esac
  [ "$cut" = $((size - 1)) ]
}
cut_everywhere() {  # cut_everywhere FILE ENGINES...
  local file=$1 base ext size start engine cut
  shift
  base=$(basename "$file")
  ext=${base##*.}
  size=$(stat -c %s "$file")
  start=$(last_record_offset "$file")
  head -c "$start" "$file" >"$WORK/$base.complete.$ext"
  for engine in "$@"; do
    "$PKTMASK" sanitize --engine "$engine" "$WORK/$base.complete.$ext" -o "$WORK/$base.$engine.ref.$ext" ||
      fail "$base/$engine: reference"
  done
  local bad=0 warned=0 strict=0 runs=0
  for ((cut = start + 1; cut < size; cut++)); do
    head -c "$cut" "$file" >"$WORK/cut.$ext"
    for engine in "$@"; do
      [ "$engine" = native ] || tshark_cut "$start" "$size" "$cut" || continue
      runs=$((runs + 1))
      rm -f "$WORK/out.$ext"
      if ! "$PKTMASK" sanitize --engine "$engine" "$WORK/cut.$ext" -o "$WORK/out.$ext" 2>"$WORK/cut.err" ||
        ! cmp -s "$WORK/out.$ext" "$WORK/$base.$engine.ref.$ext"; then
        bad=$((bad + 1))
        [ "$bad" -le 3 ] && echo "$base/$engine cut at $cut: $(head -c 300 "$WORK/cut.err")" >&2
      fi
      [ "$(wc -l <"$WORK/cut.err")" = 1 ] &&
        grep -qF "cut.$ext: warning: truncated at byte $start (last record cut short); its $((cut - start)) bytes" \
          "$WORK/cut.err" || warned=$((warned + 1))
    done
    rm -f "$WORK/out.$ext"
    "$PKTMASK" sanitize --engine native --strict-input "$WORK/cut.$ext" -o "$WORK/out.$ext" 2>"$WORK/cut.err"
    [ $? = 3 ] && [ ! -e "$WORK/out.$ext" ] && grep -q "offset $start" "$WORK/cut.err" || strict=$((strict + 1))
  done
  check "$base ($*): all $runs cuts of the last record sanitize to the capture without it ($bad wrong)" [ "$bad" = 0 ]
  check "$base: every cut gives one warning naming the offset ($warned missing)" [ "$warned" = 0 ]
  check "$base: --strict-input refuses every cut, exit 3, no output ($strict wrong)" [ "$strict" = 0 ]
}
for file in "$SRC"/testdata/tls/*.pcap "$WORK/tls12_openssl_be.pcap" "$WORK/tls13_openssl.pcapng"; do
  cut_everywhere "$file" native tshark
done

# 2. The same cut through mark | mask, --stats, --engine both, verify, batch.
sample=$SRC/testdata/tls/nginx_large_chain.pcap
start=$(last_record_offset "$sample")
head -c "$start" "$sample" >"$WORK/lc.complete.pcap"
head -c $(($(stat -c %s "$sample") - 5)) "$sample" >"$WORK/lc.cut.pcap"
"$PKTMASK" sanitize --engine native "$WORK/lc.complete.pcap" -o "$WORK/lc.ref.pcap" --stats "$WORK/lc.ref.json"
check "stats of a whole capture: input_truncated_at null" [ "$(stat_of "$WORK/lc.ref.json" input_truncated_at)" = null ]
"$PKTMASK" mark --engine native "$WORK/lc.cut.pcap" 2>"$WORK/mark.err" |
  "$PKTMASK" mask -o "$WORK/lc.piped.pcap" --stats "$WORK/lc.mask.json" 2>"$WORK/mask.err"
check "mark | mask of a cut capture == without the last record" cmp -s "$WORK/lc.piped.pcap" "$WORK/lc.ref.pcap"
check "mark warns" grep -q "lc.cut.pcap: warning: truncated at byte $start" "$WORK/mark.err"
check "mask warns" grep -q "lc.cut.pcap: warning: truncated at byte $start" "$WORK/mask.err"
check "mask --stats: input_truncated_at" [ "$(stat_of "$WORK/lc.mask.json" input_truncated_at)" = "$start" ]
"$PKTMASK" mark --engine tshark "$WORK/lc.cut.pcap" -o "$WORK/lc.rules.json" --stats "$WORK/lc.mark.json" 2>/dev/null
check "mark --stats: input_truncated_at" [ "$(stat_of "$WORK/lc.mark.json" input_truncated_at)" = "$start" ]
expect_exit 0 "mask --rules of a cut capture" "$PKTMASK" mask "$WORK/lc.cut.pcap" --rules "$WORK/lc.rules.json" \
  -o "$WORK/lc.masked.pcap"
check "rules in the KeepRuleSet stats" grep -q "\"input_truncated_at\":$start" "$WORK/lc.rules.json"
expect_exit 4 "the cut capture's rules do not fit the capture without its last record" "$PKTMASK" mask "$WORK/lc.complete.pcap" \
  --rules "$WORK/lc.rules.json" -o "$WORK/lc.other.pcap"
expect_exit 3 "mask --strict-input" "$PKTMASK" mask --strict-input "$WORK/lc.cut.pcap" --rules "$WORK/lc.rules.json" \
  -o "$WORK/lc.strict.pcap"
no_output "$WORK/lc.strict.pcap" "mask --strict-input"
expect_exit 0 "sanitize --engine both" "$PKTMASK" sanitize --engine both "$WORK/lc.cut.pcap" -o "$WORK/lc.both.pcap" \
  --stats "$WORK/lc.both.json"
check "--engine both: one warning" [ "$(grep -c warning "$WORK/last.err")" = 1 ]
check "--engine both == without the last record" cmp -s "$WORK/lc.both.pcap" "$WORK/lc.ref.pcap"
check "sanitize --stats: input_truncated_at" [ "$(stat_of "$WORK/lc.both.json" input_truncated_at)" = "$start" ]
check "sanitize --stats: input_bytes_left_out" [ "$(stat_of "$WORK/lc.both.json" input_bytes_left_out)" = \
  $(($(stat -c %s "$sample") - 5 - start)) ]
expect_exit 0 "verify a cut original" "$PKTMASK" verify "$WORK/lc.cut.pcap" "$WORK/lc.both.pcap"
check "verify warns" grep -q "lc.cut.pcap: warning: truncated at byte $start" "$WORK/last.err"
expect_exit 3 "verify --strict-input" "$PKTMASK" verify --strict-input "$WORK/lc.cut.pcap" "$WORK/lc.both.pcap"
expect_exit 0 "sanitize - (stdin)" sh -c "'$PKTMASK' sanitize --engine native - -o '$WORK/lc.stdin.pcap' <'$WORK/lc.cut.pcap'"
check "stdin == without the last record" cmp -s "$WORK/lc.stdin.pcap" "$WORK/lc.ref.pcap"
mkdir -p "$WORK/batch-cut"
cp "$WORK/lc.cut.pcap" "$WORK/batch-cut/a.pcap"
expect_exit 0 "batch with a cut capture" "$PKTMASK" sanitize --engine native "$WORK/batch-cut" -O "$WORK/batch-cut.out"
check "batch: the cut capture == without the last record" cmp -s "$WORK/batch-cut.out/a.pcap" "$WORK/lc.ref.pcap"
check "batch: the warning is passed on" grep -q "a.pcap: warning: truncated" "$WORK/last.err"
expect_exit 8 "batch --strict-input" "$PKTMASK" sanitize --engine native --strict-input "$WORK/batch-cut" \
  -O "$WORK/batch-strict.out"
no_output "$WORK/batch-strict.out/a.pcap" "batch --strict-input"

# Corruption stays an error wherever it is, the end included: a pcapng block
# whose length is not a multiple of 4, cut short.
python3 - "$WORK/tls13_openssl.pcapng" "$WORK/oddcut.pcapng" <<'PY'
import struct, sys
data = bytearray(open(sys.argv[1], 'rb').read())
at = last = 0
while at < len(data):
    last = at
    at += struct.unpack_from('<I', data, at + 4)[0]
struct.pack_into('<I', data, last + 4, struct.unpack_from('<I', data, last + 4)[0] + 2)
open(sys.argv[2], 'wb').write(data[:-10])
PY
expect_exit 3 "a bad block length at the end is corruption" "$PKTMASK" sanitize --engine native \
  "$WORK/oddcut.pcapng" -o "$WORK/oddcut.out.pcapng"
no_output "$WORK/oddcut.out.pcapng" "bad block length at the end"

# 3. capture -r - on a stream that ends mid-record.
for back in 3 20 60; do
  head -c $(($(stat -c %s "$sample") - back)) "$sample" >"$WORK/stream.pcap"
  rm -rf "$WORK/replay"
  mkdir -p "$WORK/replay"
  code=0
  "$PKTMASK" capture -r - -O "$WORK/replay/out" --name '{index}.{ext}' --no-progress --rotate-packets 7 --compress none \
    --events "$WORK/replay/events.ndjson" <"$WORK/stream.pcap" 2>"$WORK/replay.err" || code=$?
  check "capture -r - cut $back before the end: exit 0 ($(head -c 200 "$WORK/replay.err"))" [ "$code" = 0 ]
  check "capture -r - cut $back: warning" grep -q "<stdin>: warning: truncated at byte $start" "$WORK/replay.err"
  check "capture -r - cut $back: finished event says where" \
    grep -q "\"input_truncated_at\":$start" "$WORK/replay/events.ndjson"
  mergecap -a -w "$WORK/replay/merged.pcap" "$WORK/replay"/out/*.pcap
  check "capture -r - cut $back: segments == without the last record" same "$WORK/replay/merged.pcap" "$WORK/lc.ref.pcap"
  rm -rf "$WORK/replay"
  code=0
  "$PKTMASK" capture -r - -O "$WORK/replay/out" --no-progress --rotate-packets 7 --strict-input \
    <"$WORK/stream.pcap" 2>"$WORK/replay.err" || code=$?
  check "capture -r - --strict-input cut $back: exit 200" [ "$code" = 200 ]
done

# 4. Compressed input: the same results as the plain capture.
for file in "$sample" "$WORK/tls13_openssl.pcapng"; do
  base=$(basename "$file")
  ext=${base##*.}
  for engine in native tshark; do
    "$PKTMASK" sanitize --engine "$engine" "$file" -o "$WORK/$base.$engine.plain.$ext"
  done
  gzip -c "$file" >"$WORK/$base.gz"
  zstd -q -c "$file" >"$WORK/$base.zst"
  for packed in "$WORK/$base.gz" "$WORK/$base.zst"; do
    name=$(basename "$packed")
    for engine in native tshark; do
      expect_exit 0 "$name/$engine: sanitize" "$PKTMASK" sanitize --engine "$engine" "$packed" -o "$WORK/out.$ext"
      check "$name/$engine: == the plain capture's" cmp -s "$WORK/out.$ext" "$WORK/$base.$engine.plain.$ext"
    done
    "$PKTMASK" mark --engine native "$packed" | "$PKTMASK" mask -o "$WORK/out.$ext"
    check "$name: mark | mask == plain" cmp -s "$WORK/out.$ext" "$WORK/$base.native.plain.$ext"
    expect_exit 0 "$name: verify compressed original" "$PKTMASK" verify "$packed" "$WORK/$base.native.plain.$ext"
  done
  # pktmask capture --compress output: its own verify reads it.
  gzip -c "$WORK/$base.native.plain.$ext" >"$WORK/$base.safe.gz"
  expect_exit 0 "$base: verify a gzip original against a gzip sanitized copy" "$PKTMASK" verify "$WORK/$base.gz" \
    "$WORK/$base.safe.gz"
done
rm -rf "$WORK/replay"
"$PKTMASK" capture -r "$sample" -O "$WORK/replay/out" --name '{index}.{ext}' --no-progress --compress zstd
for segment in "$WORK/replay"/out/*.zst; do
  expect_exit 0 "verify reads capture --compress output ($(basename "$segment"))" "$PKTMASK" verify --no-tshark \
    "$sample" "$segment"
done

# Batch picks up compressed captures and writes them under the plain name.
mkdir -p "$WORK/batch/sub"
gzip -c "$sample" >"$WORK/batch/a.pcap.gz"
zstd -q -c "$WORK/tls13_openssl.pcapng" >"$WORK/batch/sub/b.pcapng.zst"
gzip -c "$SRC/testdata/tls/tls12_openssl.pcap" >"$WORK/batch/c.CAP.GZ"
echo "not a capture" | gzip >"$WORK/batch/notes.txt.gz"
"$PKTMASK" sanitize --engine native "$SRC/testdata/tls/tls12_openssl.pcap" -o "$WORK/c.plain.pcap"
expect_exit 0 "batch over compressed captures" "$PKTMASK" sanitize --engine native -R "$WORK/batch" -O "$WORK/batch.out"
check "batch: a.pcap.gz -> a.pcap" cmp -s "$WORK/batch.out/a.pcap" "$WORK/nginx_large_chain.pcap.native.plain.pcap"
check "batch: sub/b.pcapng.zst -> sub/b.pcapng" cmp -s "$WORK/batch.out/sub/b.pcapng" \
  "$WORK/tls13_openssl.pcapng.native.plain.pcapng"
check "batch: c.CAP.GZ -> c.CAP" cmp -s "$WORK/batch.out/c.CAP" "$WORK/c.plain.pcap"
check "batch: nothing else" [ "$(find "$WORK/batch.out" -type f | wc -l)" = 3 ]

# A cut .gz is a capture cut short (offsets in decompressed bytes); a corrupt one is exit 3.
size=$(stat -c %s "$WORK/nginx_large_chain.pcap.gz")
head -c $((size - 200)) "$WORK/nginx_large_chain.pcap.gz" >"$WORK/gzcut.pcap.gz"
python3 -c 'import sys, zlib; sys.stdout.buffer.write(zlib.decompressobj(31).decompress(open(sys.argv[1], "rb").read()))' \
  "$WORK/gzcut.pcap.gz" >"$WORK/gzcut.plain.pcap"
"$PKTMASK" sanitize --engine native "$WORK/gzcut.plain.pcap" -o "$WORK/gzcut.ref.pcap" 2>"$WORK/gzcut.plain.err"
at=$(grep -o 'truncated at byte [0-9]*' "$WORK/gzcut.plain.err")
for engine in native tshark; do
  expect_exit 0 "cut .gz/$engine: sanitize" "$PKTMASK" sanitize --engine "$engine" "$WORK/gzcut.pcap.gz" \
    -o "$WORK/gzcut.out.pcap"
  check "cut .gz/$engine: == the decompressed bytes sanitized" cmp -s "$WORK/gzcut.out.pcap" "$WORK/gzcut.ref.pcap"
  check "cut .gz/$engine: warns at the same offset (${at:-none})" grep -q "${at:-none}" "$WORK/last.err"
done
expect_exit 3 "cut .gz --strict-input" "$PKTMASK" sanitize --engine native --strict-input "$WORK/gzcut.pcap.gz" \
  -o "$WORK/gzcut.strict.pcap"
no_output "$WORK/gzcut.strict.pcap" "cut .gz --strict-input"
python3 - "$WORK/nginx_large_chain.pcap.gz" "$WORK/corrupt.pcap.gz" <<'PY'
import sys
data = bytearray(open(sys.argv[1], 'rb').read())
for i in range(200, 400):
    data[i] ^= 0xa5
open(sys.argv[2], 'wb').write(data)
PY
for engine in native tshark; do
  expect_exit 3 "corrupt .gz/$engine" "$PKTMASK" sanitize --engine "$engine" "$WORK/corrupt.pcap.gz" \
    -o "$WORK/corrupt.out.pcap"
  check "corrupt .gz/$engine: one line naming the file" grep -q "corrupt.pcap.gz: corrupt gzip data" "$WORK/last.err"
  no_output "$WORK/corrupt.out.pcap" "corrupt .gz/$engine"
done

finish
