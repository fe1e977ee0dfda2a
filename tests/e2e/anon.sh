#!/usr/bin/env bash
# `pktmask anon`: the key owner's look-up. Crypto-PAn's published sample
# (key and sanitized trace) gives known answers; --reverse must undo the
# mapping over arguments and stdin; bad addresses and bad keys are refused;
# --export-map writes a private CSV that agrees with the look-up.
. "$(dirname "$0")/lib.sh"
sample="$SRC/testdata/tls/tls12_openssl.pcap"

# The sample key of the original Crypto-PAn distribution.
key="$WORK/sample.key"
python3 -c 'import sys; sys.stdout.buffer.write(bytes([21, 34, 23, 141, 51, 164, 207, 128, 19, 10, 91, 22, 73, 144,
  125, 16, 216, 152, 143, 131, 121, 121, 101, 39, 98, 87, 76, 45, 42, 132, 34, 2]))' >"$key"
chmod 600 "$key"

expect_exit 0 "reference vectors" "$PKTMASK" anon --key "$key" --anonymize ip --anon-preserve none \
  128.11.68.132 24.5.0.80 10.185.25.118
check "reference vectors: sanitized trace's addresses" diff - "$WORK/last.out" <<'END'
128.11.68.132 135.242.180.132
24.5.0.80 100.9.15.210
10.185.25.118 117.161.29.118
END

addresses=(192.0.2.1 198.51.100.77 10.1.2.3 169.254.9.9 127.0.0.1 224.0.0.251 2001:db8::1 fe80::1 fd00::5 ::1
  00:1b:21:3a:4b:5c 02:00:00:00:00:01 ff:ff:ff:ff:ff:ff)
for preserve in special special,class,oui none; do
  what="--anon-preserve $preserve"
  expect_exit 0 "$what: map arguments" "$PKTMASK" anon --key "$key" --anon-preserve "$preserve" \
    --anon-keep 198.51.100.0/24 "${addresses[@]}"
  check "$what: one line per address, as given first" \
    diff <(printf '%s\n' "${addresses[@]}") <(cut -d' ' -f1 "$WORK/last.out")
  cut -d' ' -f2 "$WORK/last.out" >"$WORK/mapped.txt"
  mapfile -t mapped <"$WORK/mapped.txt"
  expect_exit 0 "$what: reverse arguments" "$PKTMASK" anon --key "$key" --anon-preserve "$preserve" \
    --anon-keep 198.51.100.0/24 --reverse "${mapped[@]}"
  check "$what: reverse over arguments gives the originals" \
    diff <(printf '%s\n' "${addresses[@]}") <(cut -d' ' -f2 "$WORK/last.out")
  # stdin, with blank lines and surrounding blanks, MAC with dashes
  { echo; sed 's/^/  /; s/$/ /' "$WORK/mapped.txt"; echo; } >"$WORK/stdin.txt"
  expect_exit 0 "$what: reverse stdin" "$PKTMASK" anon --key "$key" --anon-preserve "$preserve" \
    --anon-keep 198.51.100.0/24 --reverse <"$WORK/stdin.txt"
  check "$what: reverse over stdin gives the originals" \
    diff <(printf '%s\n' "${addresses[@]}") <(cut -d' ' -f2 "$WORK/last.out")
done
expect_exit 0 "kept prefix" "$PKTMASK" anon --key "$key" --anon-keep 198.51.100.0/24 198.51.100.77 127.0.0.1
check "kept prefix and loopback unchanged" diff - "$WORK/last.out" <<'END'
198.51.100.77 198.51.100.77
127.0.0.1 127.0.0.1
END
expect_exit 0 "dashed MAC" "$PKTMASK" anon --key "$key" 00-1B-21-3A-4B-5C
check "dashed MAC printed with colons" grep -q '^00:1b:21:3a:4b:5c ' "$WORK/last.out"

# Errors: a bad address names it (exit 2); a missing, shared or short key is
# a bad key (exit 11) and anon never creates one.
expect_exit 2 "bad address" "$PKTMASK" anon --key "$key" 192.0.2.1 300.1.2.3
check "bad address: named" grep -qF "'300.1.2.3'" "$WORK/last.err"
expect_exit 2 "bad address on stdin" "$PKTMASK" anon --key "$key" <<<"nonsense"
check "bad address on stdin: named" grep -qF "'nonsense'" "$WORK/last.err"
expect_exit 2 "bad --anon-keep" "$PKTMASK" anon --key "$key" --anon-keep 10.0.0.1/8 10.0.0.1
expect_exit 11 "missing key" "$PKTMASK" anon --key "$WORK/missing.key" 192.0.2.1
check "missing key: not created" test ! -e "$WORK/missing.key"
cp "$key" "$WORK/shared.key"
chmod 644 "$WORK/shared.key"
expect_exit 11 "group-readable key" "$PKTMASK" anon --key "$WORK/shared.key" 192.0.2.1
check "group-readable key: says chmod 600" grep -qF "chmod 600 $WORK/shared.key" "$WORK/last.err"
check "group-readable key: one line" test "$(wc -l <"$WORK/last.err")" = 1
head -c 31 "$key" >"$WORK/short.key"
chmod 600 "$WORK/short.key"
expect_exit 11 "short key" "$PKTMASK" anon --key "$WORK/short.key" 192.0.2.1
expect_exit 2 "--export-map onto the key" "$PKTMASK" anon --key "$key" --export-map "$sample" -o "$key"
check "--export-map onto the key: key intact" test "$(stat -c %s "$key")" = 32
expect_exit 2 "--export-map without -o" "$PKTMASK" anon --key "$key" --export-map "$sample"

# --export-map: a private CSV whose every row agrees with the look-up.
map="$WORK/map.csv"
expect_exit 0 "export map" "$PKTMASK" anon --key "$key" --export-map "$sample" -o "$map"
check "export map: warns that it de-anonymizes" grep -q "warning: .*map.csv" "$WORK/last.err"
check "export map: mode 600" test "$(stat -c %a "$map")" = 600
check "export map: header" test "$(head -1 "$map")" = "kind,original,anonymized"
rows_agree() {
  local kind original anonymized
  while IFS=, read -r kind original anonymized; do
    [ "$("$PKTMASK" anon --key "$key" "$original")" = "$original $anonymized" ] || return 1
  done < <(tail -n +2 "$map")
}
check "export map: every row agrees with the look-up" rows_agree
check "export map: no address twice" test -z "$(tail -n +2 "$map" | cut -d, -f1,2 | sort | uniq -d)"

expect_exit 0 "anon --help" "$PKTMASK" anon --help
check "anon --help fits 100 columns" test -z "$(awk 'length > 100' "$WORK/last.out")"
finish
