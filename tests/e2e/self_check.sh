#!/usr/bin/env bash
# The self-check: a pktmask whose masker leaks (tests/fault/) must never
# publish an output, from any command; the real pktmask reports the check in
# --stats. Decryption Secrets Blocks never reach an output.
. "$(dirname "$0")/lib.sh"
: "${PKTMASK_LEAKY:?set PKTMASK_LEAKY to the leaky test build of pktmask}"
sample="$SRC/testdata/tls/tls13_openssl.pcap"
keys="$SRC/testdata/tls/tls13_openssl.keys"

# A leaky masker is caught before its output is published.
for engine in native tshark; do
  out="$WORK/leaky.$engine.pcap"
  expect_exit 7 "leaky sanitize --engine $engine" "$PKTMASK_LEAKY" sanitize --engine "$engine" "$sample" -o "$out"
  check "leaky sanitize --engine $engine: names the first packet" grep -q 'self-check failed.*leaked.*first at packet [0-9]' "$WORK/last.err"
  no_output "$out" "leaky sanitize --engine $engine"
done
"$PKTMASK" mark --engine native "$sample" -o "$WORK/rules.json"
expect_exit 7 "leaky mask" "$PKTMASK_LEAKY" mask "$sample" --rules "$WORK/rules.json" -o "$WORK/leaky.mask.pcap"
no_output "$WORK/leaky.mask.pcap" "leaky mask"
expect_exit 7 "leaky mask from stdin" sh -c '"$1" mask - --rules "$2" -o "$3" <"$4"' sh "$PKTMASK_LEAKY" "$WORK/rules.json" \
  "$WORK/leaky.stdin.pcap" "$sample"
no_output "$WORK/leaky.stdin.pcap" "leaky mask from stdin"
mkdir -p "$WORK/in" && cp "$sample" "$SRC/testdata/tls/tls12_openssl.pcap" "$WORK/in/"
expect_exit 8 "leaky batch" "$PKTMASK_LEAKY" sanitize --engine native "$WORK/in" -O "$WORK/leaky-out" --stats "$WORK/batch.json"
check "leaky batch: no output file" test -z "$(find "$WORK/leaky-out" -type f 2>/dev/null)"
check "leaky batch: children exit 7" python3 -c '
import json, sys
files = json.load(open(sys.argv[1]))["files"]
sys.exit(0 if files and all(f["exit_code"] == 7 for f in files) else 1)' "$WORK/batch.json"

# capture: every segment is checked, with the walk carried across segments.
download="$SRC/testdata/tls/nginx_download_2mb.pcap"
expect_exit 1 "leaky capture -r" "$PKTMASK_LEAKY" capture -r "$download" -O "$WORK/leaky-capture" --rotate-packets 200 --no-progress
check "leaky capture -r: names the self-check" grep -q 'self-check failed' "$WORK/last.err"
check "leaky capture -r: no segment published" test -z "$(find "$WORK/leaky-capture" -type f 2>/dev/null)"
expect_exit 0 "capture -r, 200-packet segments" "$PKTMASK" capture -r "$download" -O "$WORK/capture" --rotate-packets 200 --no-progress --compress none
check "capture -r: several segments" test "$(find "$WORK/capture" -name '*.pcap' | wc -l)" -gt 3

# Turning the check off publishes what the masker wrote; verify still sees the leak.
expect_exit 0 "leaky --no-self-check" "$PKTMASK_LEAKY" sanitize --engine native --no-self-check "$sample" -o "$WORK/unchecked.pcap"
expect_exit 7 "verify of the unchecked output" "$PKTMASK" verify --no-tshark "$sample" "$WORK/unchecked.pcap"

# The real pktmask reports the check.
"$PKTMASK" sanitize --engine native "$sample" -o "$WORK/good.pcap" --stats "$WORK/good.json"
check "stats: self-check ran and passed" python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["self_check"]
sys.exit(0 if c["ran"] and c["result"] == "ok" and c["leaked_bytes"] == 0 else 1)' "$WORK/good.json"
"$PKTMASK" sanitize --engine native --no-self-check "$sample" -o "$WORK/off.pcap" --stats "$WORK/off.json"
check "stats: self-check off" python3 -c 'import json, sys; sys.exit(json.load(open(sys.argv[1]))["self_check"]["ran"])' "$WORK/off.json"
check "the check does not change the output" cmp -s "$WORK/good.pcap" "$WORK/off.pcap"
# A stream stops before the first record that fails: what reached stdout passed.
expect_exit 7 "leaky sanitize -o -" sh -c '"$1" sanitize --engine native "$2" -o - >"$3"' sh "$PKTMASK_LEAKY" "$sample" \
  "$WORK/leaky.stream"
check "leaky sanitize -o -: stdout holds only checked records" \
  cmp -s -n "$(stat -c %s "$WORK/leaky.stream")" "$WORK/leaky.stream" "$WORK/good.pcap"

# Decryption Secrets Blocks: one in, none out, from every command.
secrets="$WORK/secrets.pcapng"
editcap --inject-secrets "tls,$keys" "$sample" "$secrets"
# Independent of pktmask: the pcapng block types of a file, in order.
block_types() {
  python3 -c '
import struct, sys
data = open(sys.argv[1], "rb").read()
at, order = 0, "<"
while at + 12 <= len(data):
    kind = struct.unpack_from(order + "I", data, at)[0]
    if kind == 0x0A0D0D0A:
        order = "<" if data[at + 8:at + 12] == b"\x4d\x3c\x2b\x1a" else ">"
    print(hex(kind))
    at += struct.unpack_from(order + "I", data, at + 4)[0]' "$1"
}
check "input holds a secrets block" grep -qx 0xa <(block_types "$secrets")
for engine in native tshark; do
  out="$WORK/secrets.$engine.pcapng"
  expect_exit 0 "secrets: sanitize --engine $engine" "$PKTMASK" sanitize --engine "$engine" "$secrets" -o "$out" --stats "$WORK/s.json"
  check "secrets: no secrets block after sanitize --engine $engine" test -z "$(block_types "$out" | grep -x 0xa)"
  check "secrets: counted" python3 -c 'import json, sys; sys.exit(json.load(open(sys.argv[1]))["secrets_blocks_removed"] != 1)' "$WORK/s.json"
  check "secrets: tshark finds no keys in the output" test -z "$(tshark -r "$out" -Y tls.handshake -o tls.keylog_file: -T fields -e tls.handshake.type 2>/dev/null | head -0)"
  expect_exit 0 "secrets: verify --engine $engine output" "$PKTMASK" verify "$secrets" "$out"
done
"$PKTMASK" mark --engine native "$secrets" | "$PKTMASK" mask -o "$WORK/secrets.piped.pcapng"
check "secrets: mark | mask == sanitize" cmp -s "$WORK/secrets.piped.pcapng" "$WORK/secrets.native.pcapng"
mkdir -p "$WORK/secrets-in" && cp "$secrets" "$WORK/secrets-in/"
expect_exit 0 "secrets: batch" "$PKTMASK" sanitize --engine native "$WORK/secrets-in" -O "$WORK/secrets-out"
check "secrets: no secrets block after batch" test -z "$(block_types "$WORK/secrets-out/secrets.pcapng" | grep -x 0xa)"
expect_exit 7 "secrets: verify refuses a file that still holds them" "$PKTMASK" verify --no-tshark "$secrets" "$secrets"
check "secrets: verify names the block" grep -q 'Decryption Secrets Block' "$WORK/last.out"
finish
