#!/usr/bin/env bash
# Every bad input: a one-line error naming the file, the documented exit
# code, and no output left behind.
. "$(dirname "$0")/lib.sh"
sample="$SRC/testdata/tls/tls12_openssl.pcap"
out="$WORK/out.pcap"

one_line_naming() {  # the last error is one line and names $1
  [ "$(wc -l <"$WORK/last.err")" = 1 ] && grep -qF "$1" "$WORK/last.err"
}

bad_capture() {  # bad_capture FILE "what" [OPTION]
  local file=$1 what=$2 option=(${3:-})
  for engine in native tshark; do
    expect_exit 3 "$what: sanitize --engine $engine" "$PKTMASK" sanitize "${option[@]}" --engine "$engine" "$file" -o "$out"
    check "$what: message names the file" one_line_naming "$file"
    no_output "$out" "$what: sanitize --engine $engine"
  done
  expect_exit 3 "$what: mark" "$PKTMASK" mark "${option[@]}" --engine native "$file" -o "$WORK/rules.json"
  no_output "$WORK/rules.json" "$what: mark"
}

: >"$WORK/empty.pcap"
bad_capture "$WORK/empty.pcap" "empty file"
echo "this is not a capture, just text" >"$WORK/text.pcap"
bad_capture "$WORK/text.pcap" "text file"
head -c 10 "$sample" >"$WORK/short-header.pcap"
bad_capture "$WORK/short-header.pcap" "truncated file header"
head -c $(( $(stat -c %s "$sample") - 7 )) "$sample" >"$WORK/cut.pcap"
bad_capture "$WORK/cut.pcap" "file cut mid-packet, --strict-input" --strict-input
grep -q "offset" "$WORK/last.err" && pass || fail "cut file: no offset in message"

# pcapng with a corrupt block length: change the first EPB's trailing length.
editcap -F pcapng "$sample" "$WORK/good.pcapng" 2>/dev/null
python3 - "$WORK/good.pcapng" "$WORK/badlen.pcapng" "$WORK/oddlen.pcapng" <<'PY'
import struct, sys
data = bytearray(open(sys.argv[1], 'rb').read())
offset = 0
while offset < len(data):
    btype, length = struct.unpack_from('<II', data, offset)
    if btype == 6:
        break
    offset += length
bad = bytearray(data)
struct.pack_into('<I', bad, offset + length - 4, length + 4)
open(sys.argv[2], 'wb').write(bad)
odd = bytearray(data)
struct.pack_into('<I', odd, offset + 4, length + 1)
open(sys.argv[3], 'wb').write(odd)
PY
bad_capture "$WORK/badlen.pcapng" "pcapng block lengths disagree"
grep -q "offset" "$WORK/last.err" && pass || fail "pcapng: no offset in message"
bad_capture "$WORK/oddlen.pcapng" "pcapng block length not a multiple of 4"
printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\0\0\0\0\0\0\0\0\xff\xff\0\0\x01\0\0\0\x01\0\0\0\x01\0\0\0\xff\xff\xff\x7f\xff\xff\xff\x7f' >"$WORK/huge.pcap"
bad_capture "$WORK/huge.pcap" "absurd record length"

# Rules: garbage, truncated, another file's, a future version.
"$PKTMASK" mark --engine native "$sample" -o "$WORK/rules.json"
echo "garbage" >"$WORK/garbage.json"
expect_exit 4 "garbage rules" "$PKTMASK" mask "$sample" --rules "$WORK/garbage.json" -o "$out"
check "garbage rules: message names the file" one_line_naming garbage.json
no_output "$out" "garbage rules"
head -c 300 "$WORK/rules.json" >"$WORK/truncated.json"
expect_exit 4 "truncated rules" "$PKTMASK" mask "$sample" --rules "$WORK/truncated.json" -o "$out"
no_output "$out" "truncated rules"
other="$SRC/testdata/tls/tls13_openssl.pcap"
expect_exit 4 "rules of another capture" "$PKTMASK" mask "$other" --rules "$WORK/rules.json" -o "$out"
check "mismatch names the capture" one_line_naming "$other"
no_output "$out" "rules of another capture"
expect_exit 4 "rules of another capture on stdin" sh -c "cat '$other' | '$PKTMASK' mask - --rules '$WORK/rules.json' -o '$out'"
no_output "$out" "rules of another capture on stdin"
sed 's/"version":3/"version":99/' "$WORK/rules.json" >"$WORK/future.json"
expect_exit 4 "future rules version" "$PKTMASK" mask "$sample" --rules "$WORK/future.json" -o "$out"
expect_exit 4 "missing rules file" "$PKTMASK" mask "$sample" --rules "$WORK/nope.json" -o "$out"

# Usage errors.
expect_exit 2 "no subcommand" "$PKTMASK"
expect_exit 2 "unknown engine" "$PKTMASK" sanitize --engine magic "$sample" -o "$out"
expect_exit 2 "sanitize without -o" "$PKTMASK" sanitize "$sample"
expect_exit 0 "--help" "$PKTMASK" --help
expect_exit 0 "sanitize --help" "$PKTMASK" sanitize --help

# Snaplen-cut packets are not an error: they are masked as far as captured.
editcap -s 80 "$sample" "$WORK/snap.pcap" 2>/dev/null
expect_exit 0 "snaplen-cut capture" "$PKTMASK" sanitize --engine native "$WORK/snap.pcap" -o "$WORK/snap.out.pcap"
finish
