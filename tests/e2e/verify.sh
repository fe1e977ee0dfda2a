#!/usr/bin/env bash
# pktmask verify: every correctly sanitized capture passes (the real samples,
# every generated case, and the generator's own expected outputs); damaged
# ones fail with exit 7 and the right counts.
. "$(dirname "$0")/lib.sh"
: "${GEN_CORPUS:?set GEN_CORPUS to the corpus generator}"

# damage.py MODE ORIGINAL SANITIZED OUT writes SANITIZED with one deliberate fault.
damage="$WORK/damage.py"
cat >"$damage" <<'PY'
# damage.py MODE ORIGINAL SANITIZED OUT: writes SANITIZED with one deliberate
# fault. Little-endian microsecond pcap, Ethernet, IPv4 or IPv6 without
# extension headers: what the committed samples are.
import struct
import sys

mode, original_path, sanitized_path, out_path = sys.argv[1:5]


def records(data):
    """(record offset, data offset, captured length) of every packet."""
    at, found = 24, []
    while at < len(data):
        caplen = struct.unpack_from("<I", data, at + 8)[0]
        found.append((at, at + 16, caplen))
        at += 16 + caplen
    return found


def tcp_layout(data, start):
    """(IP offset, TCP offset, payload offset, payload end, pseudo-header sum) or None."""
    ethertype = struct.unpack_from(">H", data, start + 12)[0]
    ip = start + 14
    if ethertype == 0x0800 and data[ip + 9] == 6:
        tcp = ip + (data[ip] & 15) * 4
        segment = struct.unpack_from(">H", data, ip + 2)[0] - (tcp - ip)
        pseudo = data[ip + 12:ip + 20] + struct.pack(">BBH", 0, 6, segment)
    elif ethertype == 0x86DD and data[ip + 6] == 6:
        tcp = ip + 40
        segment = struct.unpack_from(">H", data, ip + 4)[0]
        pseudo = data[ip + 8:ip + 40] + struct.pack(">IxxxB", segment, 6)
    else:
        return None
    return ip, tcp, tcp + (data[tcp + 12] >> 4) * 4, tcp + segment, pseudo


def ones_complement(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(">%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def checksum_ok(data, layout):
    _, tcp, _, end, pseudo = layout
    return ones_complement(bytes(pseudo) + bytes(data[tcp:end])) == 0xFFFF


def fix_checksum(data, layout):
    _, tcp, _, end, pseudo = layout
    data[tcp + 16:tcp + 18] = b"\0\0"
    struct.pack_into(">H", data, tcp + 16, ~ones_complement(bytes(pseudo) + bytes(data[tcp:end])) & 0xFFFF)


def edit_payload(data, start, index, value):
    """Sets one payload byte, keeping the TCP checksum valid if it was."""
    layout = tcp_layout(data, start)
    was_ok = checksum_ok(data, layout)
    data[index] = value
    if was_ok:
        fix_checksum(data, layout)


original = open(original_path, "rb").read()
data = bytearray(open(sanitized_path, "rb").read())
packets = records(data)
tcp_packets = [(r, s, n, tcp_layout(data, s)) for r, s, n in packets if tcp_layout(data, s)]

if mode == "restore_app_byte":  # leaked: one masked byte gets its original value back
    r, s, n, layout = next(p for p in tcp_packets if original[p[3][2]:p[3][3]] != data[p[3][2]:p[3][3]])
    i = next(i for i in range(layout[2], layout[3]) if original[i] != data[i])
    edit_payload(data, s, i, original[i])
elif mode == "zero_handshake_byte":  # lost: the major version byte of a ClientHello
    r, s, n, layout = next(p for p in tcp_packets if data[p[3][2]:p[3][2] + 2] == b"\x16\x03")
    assert data[layout[2] + 9] == 3
    edit_payload(data, s, layout[2] + 9, 0)
elif mode in ("toggle_partial_header", "corrupt_partial_header"):
    # capture_ends_mid_header ends 3 bytes into a header: the policy lets the
    # tool keep or mask them, so switching between the two stays correct.
    # Anything else there is a leak.
    r, s, n, layout = next(p for p in reversed(tcp_packets)
                           if 20 <= original[p[3][3] - 3] <= 24 and original[p[3][3] - 2] == 3)
    for i in range(layout[3] - 3, layout[3]):
        if mode == "corrupt_partial_header":
            value = original[i] ^ 0x80 if i == layout[3] - 1 else data[i]
        else:
            value = 0 if data[i] == original[i] else original[i]
        edit_payload(data, s, i, value)
elif mode == "change_timestamp":
    r = packets[2][0]
    struct.pack_into("<I", data, r + 4, struct.unpack_from("<I", data, r + 4)[0] ^ 1)
elif mode == "drop_packet":
    r, s, n = packets[2]
    del data[r:s + n]
elif mode == "change_ip_byte":  # the IPv4 TTL or IPv6 hop limit
    r, s, n, layout = tcp_packets[0]
    ip = layout[0]
    data[ip + (8 if data[ip] >> 4 == 4 else 7)] ^= 1
else:
    sys.exit("unknown mode " + mode)
open(out_path, "wb").write(data)
PY

# verdict_is FILE LEAKED LOST STRUCTURAL: the JSON report has these counts
# ("1+" means at least one).
verdict_is() {
  python3 - "$@" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
def matches(got, want):
    return got >= int(want[:-1]) if want.endswith("+") else got == int(want)
wanted = dict(zip(("leaked", "lost", "structural"), sys.argv[2:]))
sys.exit(0 if all(matches(report[k]["count"], w) for k, w in wanted.items()) else 1)
PY
}

# damaged MODE ORIGINAL SANITIZED LEAKED LOST STRUCTURAL
damaged() {
  local mode=$1 original=$2 sanitized=$3
  shift 3
  local out="$WORK/$mode.${sanitized##*.}"
  if ! python3 "$damage" "$mode" "$original" "$sanitized" "$out"; then
    fail "$mode: cannot damage the file"
    return
  fi
  expect_exit 7 "$mode: verify fails" "$PKTMASK" verify --json --no-tshark "$original" "$out"
  check "$mode: counts $* ($(head -c 300 "$WORK/last.out"))" verdict_is "$WORK/last.out" "$@"
}

for file in "$SRC"/testdata/tls/*.pcap; do
  name=$(basename "$file" .pcap)
  out="$WORK/$name.pcap"
  check "$name: sanitize" "$PKTMASK" sanitize --engine native "$file" -o "$out"
  expect_exit 0 "$name: verify" "$PKTMASK" verify "$file" "$out"
  check "$name: one summary line, nothing on stderr" \
    test "$(grep -c '^verify: ok: ' "$WORK/last.out")$(wc -l <"$WORK/last.out")$(wc -c <"$WORK/last.err")" = 110
done

corpus="$WORK/corpus"
"$GEN_CORPUS" "$corpus" >/dev/null || { fail "generator failed"; finish; exit 1; }
check "corpus has cases" test -s "$corpus/manifest.tsv"
while IFS=$'\t' read -r name input expected _; do
  [ -n "$name" ] || continue
  out="$WORK/$name.${input##*.}"
  check "$name: sanitize" "$PKTMASK" sanitize --engine native "$corpus/$input" -o "$out"
  expect_exit 0 "$name: verify the sanitized output" "$PKTMASK" verify "$corpus/$input" "$out"
  expect_exit 0 "$name: verify the generator's expected output" \
    "$PKTMASK" verify --no-tshark "$corpus/$input" "$corpus/$expected"
done <"$corpus/manifest.tsv"

# Deliberate damage to a correctly sanitized capture.
original="$SRC/testdata/tls/tls12_openssl.pcap"
clean="$WORK/tls12_openssl.pcap"
damaged restore_app_byte "$original" "$clean" 1 0 0
damaged zero_handshake_byte "$original" "$clean" 0 1 0
damaged change_timestamp "$original" "$clean" 0 0 1
damaged drop_packet "$original" "$clean" 0 0 1+
damaged change_ip_byte "$original" "$clean" 0 0 1
expect_exit 7 "restored byte: tshark agrees" "$PKTMASK" verify --json "$original" "$WORK/restore_app_byte.pcap"
check "restored byte: tshark agrees ($(head -c 400 "$WORK/last.out"))" python3 -c '
import json, sys
tshark = json.load(open(sys.argv[1]))["tshark"]
sys.exit(0 if tshark["ran"] and tshark["confirmed_by_walk"] == 1 and tshark["warning_count"] == 0 else 1)' "$WORK/last.out"

# Where the capture ends inside a header, its captured bytes may be kept or
# masked; anything else there is a leak.
mid="$corpus/capture_ends_mid_header"
python3 "$damage" toggle_partial_header "$mid.pcap" "$mid.expected.pcap" "$WORK/partial_toggled.pcap"
if cmp -s "$WORK/partial_toggled.pcap" "$mid.expected.pcap"; then fail "partial header: not toggled"; else pass; fi
expect_exit 0 "partial header: the other choice is allowed" "$PKTMASK" verify --no-tshark "$mid.pcap" "$WORK/partial_toggled.pcap"
damaged corrupt_partial_header "$mid.pcap" "$mid.expected.pcap" 1 0 0

# No single changed byte anywhere in a sanitized file goes unnoticed (every
# 7th byte of a pcap and a pcapng; a broken length may also make it unreadable),
# except in the text of the SHB's shb_userappl after "pktmask ": it names
# the sanitizer's version and settings, which verify does not pin.
for target in "$clean:$original" "$corpus/pcapng_custom_block.expected.pcapng:$corpus/pcapng_custom_block.pcapng"; do
  check "every changed byte of $(basename "${target%%:*}") is found" python3 - "$PKTMASK" "${target##*:}" "${target%%:*}" "$WORK/flipped" <<'PY'
import re, subprocess, sys
pktmask, original, sanitized, scratch = sys.argv[1:]
data = open(sanitized, "rb").read()
free = set()
for m in re.finditer(rb"pktmask ([ -~]*)", data):
    free.update(range(m.start(1), m.end(1)))
missed = []
for i in (i for i in range(0, len(data), 7) if i not in free):
    changed = bytearray(data)
    changed[i] ^= 0x01
    open(scratch, "wb").write(changed)
    code = subprocess.run([pktmask, "verify", "--no-tshark", original, scratch], capture_output=True).returncode
    if code not in (3, 7):
        missed.append((i, code))
if missed:
    sys.exit(f"{len(missed)} changes missed (offset, exit code): {missed[:5]}")
PY
done

# The command line.
expect_exit 7 "unsanitized: fails" "$PKTMASK" verify --no-tshark --max-report 1 "$original" "$original"
check "unsanitized: summary, leaks by class and one listed packet" test "$(wc -l <"$WORK/last.out")" = 3
check "unsanitized: every leaked byte is a TCP payload byte" \
  test "$(sed -n 2p "$WORK/last.out")" = "leaked by class: $(sed -n '1s/^verify: FAILED: \([0-9]*\) leaked.*/\1/p' "$WORK/last.out") tcp"
check "unsanitized: plain summary" grep -q '^verify: FAILED: [1-9][0-9]* leaked, 0 lost, 0 structural$' "$WORK/last.out"
check "unsanitized: offender line" grep -q '^packet [0-9]*: ' "$WORK/last.out"
check "unsanitized: one-line error" grep -q '^pktmask: .*verification failed' "$WORK/last.err"
# A sanitized but not anonymized output judged as anonymized (no key): every
# original address left in it is a leak, named with its packet and byte.
expect_exit 7 "not anonymized: fails" "$PKTMASK" verify --no-tshark --anonymize ip,mac "$original" "$clean"
check "not anonymized: only address leaks" grep -Eq '^leaked by class: [0-9]+ address$' "$WORK/last.out"
check "not anonymized: packet, address and byte" \
  grep -Eq '^packet [0-9]+: original address [0-9a-f.:]+ left at packet byte [0-9]+$' "$WORK/last.out"
expect_exit 2 "no arguments" "$PKTMASK" verify
expect_exit 2 "stdin refused" "$PKTMASK" verify - "$clean"
expect_exit 3 "not a capture" "$PKTMASK" verify "$SRC/README.md" "$clean"
expect_exit 3 "sanitized is not a capture" "$PKTMASK" verify "$original" "$SRC/README.md"
expect_exit 3 "missing file" "$PKTMASK" verify "$original" "$WORK/no-such.pcap"
expect_exit 6 "tshark missing" "$PKTMASK" verify --tshark "$WORK/no-such-tshark" "$original" "$clean"
finish
