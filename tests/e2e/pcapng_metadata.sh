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
finish
