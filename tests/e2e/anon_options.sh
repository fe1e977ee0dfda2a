#!/usr/bin/env bash
# The address anonymization options (docs/usage.md, ADDRESS ANONYMIZATION):
# the strict profile needs a key and says how to give one; the key file is
# created on first use (32 bytes, mode 0600) and refused when others may read
# it or its size is wrong (exit 11, naming it); rules made by `mark` without
# the options serve `mask --anonymize`; batch children share one mapping;
# --show-config, --stats, the pcapng section header and capture's start
# event name the settings and the key's id, never the key. The mapping
# itself is checked from the outside: tshark's view of the addresses.
. "$(dirname "$0")/lib.sh"
sample="$SRC/testdata/tls/tls12_openssl.pcap"
other="$SRC/testdata/tls/tls13_openssl.pcap"  # the same two hosts
key="$WORK/keys/site.key"
mkdir -p "$WORK/keys"
chmod 0700 "$WORK/keys"

# Strict without a key: one line saying a key is needed and how, exit 2, no output.
for command in sanitize mask; do
  args=("$sample" -o "$WORK/strict.$command.pcap")
  [ $command = mask ] && args+=(--rules "$WORK/none.rules.json")
  expect_exit 2 "$command --profile strict without a key" "$PKTMASK" $command --profile strict "${args[@]}"
  check "$command: says a key is needed" grep -q 'needs a key: give --key FILE (created if missing), or --anonymize none' "$WORK/last.err"
  check "$command: names the strict profile" grep -q 'implied by the strict profile' "$WORK/last.err"
  no_output "$WORK/strict.$command.pcap" "$command --profile strict without a key"
done
expect_exit 2 "--anonymize ip without a key" "$PKTMASK" sanitize --anonymize ip "$sample" -o "$WORK/ip.pcap"
check "--anonymize ip: says a key is needed" grep -q '^pktmask: --anonymize ip needs a key' "$WORK/last.err"
expect_exit 100 "capture --profile strict without a key" "$PKTMASK" capture --profile strict -r "$sample" \
  -O "$WORK/capture-nokey" --no-progress
expect_exit 0 "strict with --anonymize none needs no key" "$PKTMASK" sanitize --engine native --profile strict \
  --anonymize none "$sample" -o "$WORK/strict-none.pcap"
expect_exit 0 "mark takes the strict profile without a key" "$PKTMASK" mark --profile strict "$sample" \
  -o "$WORK/strict.rules.json"
expect_exit 2 "mark has no --anonymize" "$PKTMASK" mark --anonymize ip "$sample"

# The key: created on first use, 32 bytes, mode 0600; the same file next time.
expect_exit 0 "sanitize creates the key" "$PKTMASK" sanitize --engine native --anonymize ip,mac --key "$key" \
  "$sample" -o "$WORK/anon.pcap" --stats "$WORK/anon.json"
check "key: 32 bytes" [ "$(stat -c %s "$key")" = 32 ]
check "key: mode 0600" [ "$(stat -c %a "$key")" = 600 ]
key_bytes=$(od -An -tx1 "$key" | tr -d ' \n')
expect_exit 0 "sanitize again with the key" "$PKTMASK" sanitize --engine native --anonymize ip,mac --key "$key" \
  "$sample" -o "$WORK/anon2.pcap"
check "key: kept as it was" [ "$(od -An -tx1 "$key" | tr -d ' \n')" = "$key_bytes" ]
check "same key, same output" cmp -s "$WORK/anon.pcap" "$WORK/anon2.pcap"

# Refused keys: exit 11, one line naming the file, no output.
cp "$key" "$WORK/keys/shared.key"
chmod 0640 "$WORK/keys/shared.key"
expect_exit 11 "a group-readable key" "$PKTMASK" sanitize --anonymize ip --key "$WORK/keys/shared.key" \
  "$sample" -o "$WORK/refused.pcap"
check "group-readable: names the file" grep -qF "$WORK/keys/shared.key" "$WORK/last.err"
check "group-readable: one line" [ "$(wc -l <"$WORK/last.err")" = 1 ]
no_output "$WORK/refused.pcap" "a group-readable key"
head -c 31 "$key" >"$WORK/keys/short.key"
chmod 0600 "$WORK/keys/short.key"
expect_exit 11 "a 31-byte key" "$PKTMASK" sanitize --anonymize ip --key "$WORK/keys/short.key" \
  "$sample" -o "$WORK/refused.pcap"
check "31 bytes: names the file" grep -qF "$WORK/keys/short.key" "$WORK/last.err"
no_output "$WORK/refused.pcap" "a 31-byte key"
expect_exit 11 "verify: a missing key is not created" "$PKTMASK" verify --no-tshark --anonymize ip \
  --key "$WORK/keys/missing.key" "$sample" "$WORK/anon.pcap"
check "verify: the missing key stays missing" [ ! -e "$WORK/keys/missing.key" ]

# Rules made without anonymization serve mask --anonymize: mark | mask == sanitize.
"$PKTMASK" mark --engine native "$sample" | "$PKTMASK" mask --anonymize ip,mac --key "$key" -o "$WORK/piped.pcap"
check "mark | mask --anonymize: exit 0" [ "${PIPESTATUS[1]}" = 0 ]
check "mark | mask --anonymize ip,mac equals sanitize --anonymize ip,mac" cmp -s "$WORK/piped.pcap" "$WORK/anon.pcap"

# addresses FILE: "ip.src ip.dst eth.src" per packet, as tshark reads them.
addresses() { tshark -r "$1" -n -T fields -e ip.src -e ip.dst -e eth.src 2>/dev/null; }
addresses "$sample" >"$WORK/sample.addr"
addresses "$WORK/anon.pcap" >"$WORK/anon.addr"
check "the output's addresses are not the original ones" python3 -c '
import sys
original = {a for line in open(sys.argv[1]) for a in line.split()}
anonymized = {a for line in open(sys.argv[2]) for a in line.split()}
assert original and len(anonymized) == len(original) and not original & anonymized, (original, anonymized)
' "$WORK/sample.addr" "$WORK/anon.addr"

# Batch: every child maps the same host to the same address, and writes what
# the single-file form writes.
mkdir -p "$WORK/batch-in"
cp "$sample" "$other" "$WORK/batch-in/"
expect_exit 0 "batch --anonymize ip,mac" "$PKTMASK" sanitize --engine native --anonymize ip,mac --key "$key" \
  "$WORK/batch-in" -O "$WORK/batch-out" --no-progress
check "batch child writes what sanitize writes" cmp -s "$WORK/batch-out/tls12_openssl.pcap" "$WORK/anon.pcap"
for name in tls12_openssl tls13_openssl; do
  addresses "$WORK/batch-in/$name.pcap" >"$WORK/$name.in.addr"
  addresses "$WORK/batch-out/$name.pcap" >"$WORK/$name.out.addr"
done
check "batch children share one mapping" python3 -c '
import sys
mapping = {}
for before, after in zip(sys.argv[1::2], sys.argv[2::2]):
    for a, b in zip(open(before), open(after)):
        for x, y in zip(a.split(), b.split()):
            assert mapping.setdefault(x, y) == y, (x, mapping[x], y)
assert len(mapping) == 4 and all(x != y for x, y in mapping.items()), mapping
' "$WORK/tls12_openssl.in.addr" "$WORK/tls12_openssl.out.addr" "$WORK/tls13_openssl.in.addr" \
  "$WORK/tls13_openssl.out.addr"

# --stats: the settings, the key's id and what was rewritten; never the key.
check "stats: anonymize" python3 -c '
import json, re, sys
anon = json.load(open(sys.argv[1]))["anonymize"]
assert anon["settings"].startswith("anonymize=ip,mac"), anon
assert re.fullmatch("[0-9a-f]{16}", anon["key_id"]), anon
assert anon["ipv4"] > 0 and anon["mac"] > 0 and anon["ipv6"] == 0, anon
assert sys.argv[2] not in open(sys.argv[1]).read()
' "$WORK/anon.json" "$key_bytes"
key_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["anonymize"]["key_id"])' "$WORK/anon.json")
expect_exit 0 "stats without anonymization" "$PKTMASK" sanitize --engine native "$sample" -o "$WORK/plain.pcap" \
  --stats "$WORK/plain.json"
check "stats: anonymize=none, no key" python3 -c '
import json, sys
anon = json.load(open(sys.argv[1]))["anonymize"]
assert anon["settings"] == "anonymize=none" and anon["key_id"] is None and anon["ipv4"] == 0, anon
' "$WORK/plain.json"

# pcapng: the section header says what was anonymized, and with which key.
editcap -F pcapng "$sample" "$WORK/sample.pcapng"
expect_exit 0 "sanitize pcapng --anonymize ip" "$PKTMASK" sanitize --engine native --anonymize ip --key "$key" \
  "$WORK/sample.pcapng" -o "$WORK/anon.pcapng"
check "shb_userappl: anonymized ip, key id" grep -aqF ", anonymized ip, key $key_id)" "$WORK/anon.pcapng"
expect_exit 0 "sanitize pcapng" "$PKTMASK" sanitize --engine native "$WORK/sample.pcapng" -o "$WORK/plain.pcapng"
check "shb_userappl: no anonymization note without it" bash -c '! grep -aq "anonymized" "$1"' _ "$WORK/plain.pcapng"

# capture: the start event names the settings, the key file and its id.
expect_exit 0 "capture --anonymize mac" "$PKTMASK" capture -r "$sample" -O "$WORK/capture-out" --anonymize mac \
  --key "$key" --events "$WORK/events.ndjson" --no-progress
check "capture: start event" python3 -c '
import json, sys
start = next(e for e in map(json.loads, open(sys.argv[1])) if e["event"] == "start")
anon = start["anonymize"]
assert anon["settings"].startswith("anonymize=mac") and anon["key"] == sys.argv[2] and anon["key_id"] == sys.argv[3], anon
assert sys.argv[4] not in open(sys.argv[1]).read()
' "$WORK/events.ndjson" "$key" "$key_id" "$key_bytes"

# --show-config: the four settings and where each came from; mark has none.
printf 'anon-keep = ["192.0.2.0/24"]\nkey = "%s"\n' "$key" >"$WORK/anon.toml"
expect_exit 0 "show-config under strict" "$PKTMASK" sanitize --profile strict --config "$WORK/anon.toml" \
  --anon-preserve special,oui --show-config
check "show-config: anonymize from the profile" has_line '^anonymize += ip,mac +# profile strict$'
check "show-config: key from the file" has_line "^key += $key +# config .*anon\\.toml:2\$"
check "show-config: anon-keep from the file" has_line '^anon-keep += 192\.0\.2\.0/24 +# config .*anon\.toml:1$'
check "show-config: anon-preserve from the option" has_line '^anon-preserve += special,oui +# command line$'
expect_exit 0 "show-config: repeated --anon-keep add up, replacing the file's" "$PKTMASK" mask \
  --config "$WORK/anon.toml" --anon-keep 198.51.100.0/24 --anon-keep 2001:db8::/32 --show-config
check "show-config: both kept prefixes" has_line '^anon-keep += 198\.51\.100\.0/24,2001:db8::/32 +# command line$'
expect_exit 0 "show-config: defaults" "$PKTMASK" verify --show-config
check "show-config: anonymize none by default" has_line '^anonymize += none +# built-in default$'
check "show-config: preserve special by default" has_line '^anon-preserve += special +# built-in default$'
expect_exit 0 "mark --show-config" "$PKTMASK" mark --profile strict --show-config
check "mark --show-config: no anonymization" bash -c '! grep -q "^anonymize" "$1"' _ "$WORK/last.out"

# Bad values: one line naming the value, exit 2 (an option) or 10 (the file).
bad_option() {
  local what=$1 value=$2
  shift 2
  expect_exit 2 "$what" "$PKTMASK" sanitize "$@" "$sample" -o "$WORK/bad.pcap"
  check "$what: names $value" grep -qF "$value" "$WORK/last.err"
  check "$what: one line and the help hint" [ "$(wc -l <"$WORK/last.err")" = 2 ]
}
bad_option "host bits past the prefix" 10.0.0.1/8 --anon-keep 10.0.0.1/8
bad_option "not a prefix" not-a-net --anon-keep 192.0.2.0/24 --anon-keep not-a-net
bad_option "prefix too long" 192.0.2.0/33 --anon-keep 192.0.2.0/33
bad_option "unknown address kind" ipx --anonymize ipx
bad_option "unknown preserve" vendor --anon-preserve vendor
printf 'anonymize = ["ip", "mack"]\n' >"$WORK/bad.toml"
expect_exit 10 "bad anonymize in the file" "$PKTMASK" sanitize --config "$WORK/bad.toml" "$sample" -o "$WORK/bad.pcap"
check "bad file: names the file, line and key" grep -qF "bad.toml:1: anonymize" "$WORK/last.err"

finish
