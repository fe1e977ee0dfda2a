#!/usr/bin/env bash
# Failures outside the input: tshark missing or failing, unwritable output,
# a full disk, SIGINT mid-run. Always a documented exit code, never output.
. "$(dirname "$0")/lib.sh"
sample="$SRC/testdata/tls/nginx_download_2mb.pcap"
out="$WORK/out.pcap"

expect_exit 6 "tshark missing" "$PKTMASK" sanitize --tshark "$WORK/no-such-tshark" "$sample" -o "$out"
grep -q "not found" "$WORK/last.err" && pass || fail "tshark missing: message"
no_output "$out" "tshark missing"

printf '#!/bin/sh\necho "TShark (Wireshark) 2.6.10"\n' >"$WORK/old-tshark"
chmod +x "$WORK/old-tshark"
expect_exit 6 "tshark too old" "$PKTMASK" sanitize --tshark "$WORK/old-tshark" "$sample" -o "$out"
grep -q "too old" "$WORK/last.err" && pass || fail "tshark too old: message"

cat >"$WORK/failing-tshark" <<'SH'
#!/bin/sh
case "$1" in --version) echo "TShark (Wireshark) 4.0.17"; exit 0;; esac
echo "tshark: The file appears to be damaged or corrupt." >&2
exit 2
SH
chmod +x "$WORK/failing-tshark"
expect_exit 6 "tshark fails" "$PKTMASK" sanitize --tshark "$WORK/failing-tshark" "$sample" -o "$out"
grep -q "damaged" "$WORK/last.err" && pass || fail "tshark fails: its message is quoted"
no_output "$out" "tshark fails"

cat >"$WORK/garbage-tshark" <<'SH'
#!/bin/sh
case "$1" in --version) echo "TShark (Wireshark) 4.0.17"; exit 0;; esac
echo "what is this"
SH
chmod +x "$WORK/garbage-tshark"
expect_exit 6 "tshark prints garbage" "$PKTMASK" sanitize --tshark "$WORK/garbage-tshark" "$sample" -o "$out"
no_output "$out" "tshark prints garbage"

expect_exit 5 "output directory missing" "$PKTMASK" sanitize --engine native "$sample" -o "$WORK/no/such/dir/out.pcap"
expect_exit 5 "output not creatable" "$PKTMASK" sanitize --engine native "$sample" -o /proc/pktmask-out.pcap

if [ "$(id -u)" = 0 ] && mkdir -p "$WORK/full" && mount -t tmpfs -o size=256k tmpfs "$WORK/full" 2>/dev/null; then
  expect_exit 5 "disk full" "$PKTMASK" sanitize --engine native "$sample" -o "$WORK/full/out.pcap"
  grep -q "No space left" "$WORK/last.err" && pass || fail "disk full: message"
  check "disk full: nothing left on the full disk" test -z "$(ls -A "$WORK/full")"
  umount "$WORK/full"
else
  echo "skip: disk-full test needs root and tmpfs"
fi

# SIGINT while the masker waits on a stalled pipe: exit 130, no output.
"$PKTMASK" mark --engine native "$sample" -o "$WORK/rules.json"
start_stalled_fifo "$WORK/stalled" "$sample"
"$PKTMASK" mask - --rules "$WORK/rules.json" -o "$out" <"$WORK/stalled" 2>"$WORK/sigint.err" &
interrupt_after_a_second $!
check "SIGINT: exit 130 (got $code)" test "$code" = 130
check "SIGINT: one-line message" grep -q "interrupted" "$WORK/sigint.err"
no_output "$out" "SIGINT"
finish
