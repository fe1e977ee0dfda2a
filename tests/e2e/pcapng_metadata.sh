#!/usr/bin/env bash
# pcapng metadata (masking policy section 8) under metadata=scrub, the
# default: crafted files with every kind of option and block, in both byte
# orders and two sections each (tests/e2e/pcapng_metadata.py, which judges
# the outputs with its own parser), checked again by tshark and capinfos.
# metadata=keep is covered by tests/unit/masker_test.cpp until the command
# line can ask for it.
. "$(dirname "$0")/lib.sh"
crafted="$SRC/tests/e2e/pcapng_metadata.py"
python3 "$crafted" write "$WORK"

removed() {  # removed STATS KEY: a count under "metadata" in a --stats file
  python3 -c 'import json, sys
value = json.load(open(sys.argv[1]))["metadata"]
for key in sys.argv[2].split("."):
    value = value[key]
print(value)' "$1" "$2"
}

for name in meta_le meta_be; do
  in="$WORK/$name.pcapng"
  out="$WORK/$name.sanitized.pcapng"
  reference="$WORK/$name.packets.sanitized.pcap"
  expect_exit 0 "$name: sanitize" "$PKTMASK" sanitize --engine native "$in" -o "$out" --stats "$WORK/$name.json"
  expect_exit 0 "$name: sanitize its packets as a pcap" \
    "$PKTMASK" sanitize --engine native "$WORK/$name.packets.pcap" -o "$reference"
  check "$name: only what section 8 keeps, packets as pktmask masks them" \
    python3 "$crafted" check scrub "$in" "$out" "$reference"
  check "$name: tshark reads the output" tshark -r "$out" -c 100
  check "$name: no packet comment" test -z "$(tshark -r "$out" -T fields -e frame.comment 2>/dev/null | tr -d '[:space:]')"
  capinfos "$out" >"$WORK/$name.capinfos" 2>&1
  check "$name: capinfos reads the output" grep -q "Number of packets: *10" "$WORK/$name.capinfos"
  check "$name: capinfos shows no comment, OS or hardware" \
    test -z "$(grep -iE 'comment|oper-sys|hardware|Linux|eth0|dumpcap' "$WORK/$name.capinfos")"
  check "$name: capinfos names pktmask" grep -q "Capture application: *pktmask .*masking policy 2" "$WORK/$name.capinfos"
  expect_exit 0 "$name: verify" "$PKTMASK" verify --no-tshark "$in" "$out"
  expect_exit 7 "$name: verify refuses the original as sanitized" "$PKTMASK" verify --no-tshark "$in" "$in"
  check "$name: verify names the name resolution block" grep -q "Name Resolution Block is left" "$WORK/last.out"
  for count in blocks_removed.secrets:2 blocks_removed.name_resolution:2 blocks_removed.custom:4 \
    blocks_removed.unknown:2 options_removed.section_header:18 options_removed.interface_description:36 \
    options_removed.enhanced_packet:18 options_removed.packet:4 options_removed.interface_statistics:10 \
    malformed_option_lists:0; do
    check "$name: --stats metadata.${count%:*} is ${count#*:}" test "$(removed "$WORK/$name.json" "${count%:*}")" = "${count#*:}"
  done
done

# --annotate: a TLS connection and one syslog datagram (whose payload is
# zeroed) in a pcapng; exactly the packets whose bytes changed get a comment.
python3 - "$WORK/syslog.pcap" <<'PY'
import struct, sys
payload = b"<13>login root password hunter2"
udp = struct.pack(">HHHH", 40000, 514, 8 + len(payload), 0) + payload
ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
ip = ip[:10] + struct.pack(">H", ~sum(struct.unpack(">10H", ip)) % 0xffff) + ip[12:]
frame = b"\x02" * 6 + b"\x04" * 6 + b"\x08\x00" + ip + udp
open(sys.argv[1], "wb").write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1) +
                              struct.pack("<IIII", 2000000000, 0, len(frame), len(frame)) + frame)
PY
mergecap -F pcapng -w "$WORK/annotate.pcapng" "$SRC/testdata/tls/tls12_openssl.pcap" "$WORK/syslog.pcap"
annotated="$WORK/annotate.sanitized.pcapng"
expect_exit 0 "annotate: sanitize --annotate" \
  "$PKTMASK" sanitize --engine native --annotate "$WORK/annotate.pcapng" -o "$annotated"
editcap -F pcap "$WORK/annotate.pcapng" "$WORK/annotate.in.pcap"
editcap -F pcap "$annotated" "$WORK/annotate.out.pcap"
changed=$(python3 - "$WORK/annotate.in.pcap" "$WORK/annotate.out.pcap" <<'PY'
import struct, sys
def frames(path):
    data, at, out = open(path, "rb").read(), 24, []
    while at < len(data):
        length = struct.unpack("<I", data[at + 8:at + 12])[0]
        out.append(data[at + 16:at + 16 + length])
        at += 16 + length
    return out
print(" ".join(str(i + 1) for i, (a, b) in enumerate(zip(frames(sys.argv[1]), frames(sys.argv[2]))) if a != b))
PY
)
commented=$(tshark -r "$annotated" -T fields -e frame.number -e frame.comment | awk -F'\t' '$2 != "" {print $1}' | xargs)
check "annotate: some packets changed, the syslog one among them" test -n "$changed"
check "annotate: comments on exactly the changed packets ($changed)" test "$commented" = "$changed"
check "annotate: each comment names what was zeroed" \
  test -z "$(tshark -r "$annotated" -T fields -e frame.comment | grep -v '^$' | grep -vE '^pktmask: zeroed [0-9]+ [a-z]+( bytes|,)')"
expect_exit 0 "annotate: verify --annotate" "$PKTMASK" verify --no-tshark --annotate "$WORK/annotate.pcapng" "$annotated"
expect_exit 7 "annotate: verify without --annotate refuses the comments" \
  "$PKTMASK" verify --no-tshark "$WORK/annotate.pcapng" "$annotated"
expect_exit 2 "annotate: refused on a pcap output" \
  "$PKTMASK" sanitize --engine native --annotate "$WORK/syslog.pcap" -o "$WORK/annotate.refused.pcap"
finish
