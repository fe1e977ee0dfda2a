#!/usr/bin/env bash
# The masking policy's options on the command line (docs/usage.md, PROFILES
# AND OPTIONS): --show-config, configuration-file errors (exit 10, one line
# naming the file, the line and the key), precedence, mask refusing rules made
# under another profile, and the settings recorded in rules, --stats, batch
# and capture events. Expected hashes come from --show-config, the one place
# that prints them; their agreement across outputs is what is checked.
. "$(dirname "$0")/lib.sh"
sample="$SRC/testdata/tls/tls12_openssl.pcap"
out="$WORK/out.pcap"

# show_config_hash ARGS...: the settings hash that --show-config prints.
show_config_hash() { "$PKTMASK" sanitize "$@" --show-config | sed -n 's/^settings hash //p'; }

# --show-config: every command, no capture needed, exit 0, eleven settings
# lines; then, but for mark, a heading and the four anonymization settings.
for command in mark mask sanitize verify capture; do
  expect_exit 0 "$command --show-config" "$PKTMASK" $command --show-config
  check "$command --show-config: policy version first" [ "$(sed -n 1p "$WORK/last.out")" = "masking policy 2" ]
  lines=17
  [ $command = mark ] && lines=12
  check "$command --show-config: ten settings, the hash (and anonymization)" [ "$(wc -l <"$WORK/last.out")" = $lines ]
  check "$command --show-config: nothing on stderr" [ ! -s "$WORK/last.err" ]
done

cat >"$WORK/site.toml" <<'TOML'
# comment
profile = "strict"
keep-udp = [53]
handshake = "headers"
TOML
expect_exit 0 "show-config with a file and options" \
  "$PKTMASK" sanitize --config "$WORK/site.toml" --handshake full --show-config
shown="$WORK/last.out"
has_line() { grep -Eq "$1" "$shown"; }
check "profile from the file, with its line" has_line '^profile += strict +# config .*site\.toml:2$'
check "keep-udp from the file" has_line '^keep-udp += 53 +# config .*site\.toml:3$'
check "an option beats the file" has_line '^handshake += full +# command line$'
check "the rest from the profile" has_line '^dtls += off +# profile strict$'
check "the hash is 16 hex digits" has_line '^settings hash [0-9a-f]{16}$'
expect_exit 0 "--profile on the command line beats the file's" \
  "$PKTMASK" sanitize --config "$WORK/site.toml" --profile tls-only --show-config
check "profile from the command line" has_line '^profile += tls-only +# command line$'
check "scope follows the profile" has_line '^scope += tcp +# profile tls-only$'
check "the file's settings stay" has_line '^keep-udp += 53 +# config'
check "different settings, different hash" \
  [ "$(show_config_hash --profile strict)" != "$(show_config_hash --profile default)" ]

# bad_config "what" "TOML" "EXPECTED MESSAGE": exit 10, exactly one line.
bad_config() {
  printf '%s' "$2" >"$WORK/bad.toml"
  expect_exit 10 "$1" "$PKTMASK" sanitize --config "$WORK/bad.toml" "$sample" -o "$out"
  check "$1: one line" [ "$(wc -l <"$WORK/last.err")" = 1 ]
  check "$1: message" [ "$(cat "$WORK/last.err")" = "pktmask: $WORK/bad.toml:$3" ]
  no_output "$out" "$1"
}
bad_config "unknown key" $'profile = "strict"\n\nkeep_udp = [53]\n' \
  "3: keep_udp: unknown key (the keys are the options' names: profile, tls, handshake, ...)"
bad_config "bad value" $'\nhandshake = "partial"\n' \
  '2: handshake: "partial": not one of the values it takes (full|anonymous|headers)'
bad_config "wrong type" $'dtls = "off"\n' "1: dtls: must be a boolean (true or false)"
bad_config "port out of range" $'keep-udp = [0]\n' \
  '1: keep-udp: "0": "0" is not a UDP port (1-65535) (UDP ports 1-65535, comma-separated, or none)'
expect_exit 10 "missing configuration file" "$PKTMASK" mark --config "$WORK/none.toml" --show-config
check "missing file: named" grep -qF "$WORK/none.toml: cannot read the configuration file" "$WORK/last.err"
mkdir -p "$WORK/batch-in" && cp "$sample" "$WORK/batch-in/"
expect_exit 10 "batch: a bad file fails once, before any child" \
  "$PKTMASK" sanitize --config "$WORK/bad.toml" "$WORK/batch-in" -O "$WORK/batch-bad" --no-progress
check "batch: nothing written" [ ! -e "$WORK/batch-bad" ]
expect_exit 2 "bad option value is a usage error" "$PKTMASK" sanitize --tls handshake,appdata "$sample" -o "$out"
check "bad option value: names the option" grep -qF -- '--tls: "handshake,appdata": unknown record type' \
  "$WORK/last.err"

# Rules record their settings; mask refuses rules of another profile.
expect_exit 0 "mark --profile tls-only" "$PKTMASK" mark --engine native --profile tls-only "$sample" \
  -o "$WORK/tls-only.rules.json"
tls_only=$(show_config_hash --profile tls-only)
default=$(show_config_hash)
check "rules record the profile and hash" python3 -c '
import json, sys
policy = json.load(open(sys.argv[1]))["policy"]
assert policy["profile"] == "tls-only" and policy["hash"] == sys.argv[2] and policy["version"] == 2, policy
' "$WORK/tls-only.rules.json" "$tls_only"
expect_exit 4 "mask refuses rules of another profile" "$PKTMASK" mask "$sample" --rules "$WORK/tls-only.rules.json" \
  -o "$out"
check "refusal: one line" [ "$(wc -l <"$WORK/last.err")" = 1 ]
for word in "profile tls-only" "profile default" "$tls_only" "$default"; do
  check "refusal names $word" grep -qF "$word" "$WORK/last.err"
done
no_output "$out" "rules of another profile"
expect_exit 0 "mask under the rules' profile" "$PKTMASK" mask "$sample" --rules "$WORK/tls-only.rules.json" \
  --profile tls-only -o "$out"

# A rules file from before policy version 2 reads as tls-only.
python3 - "$WORK/tls-only.rules.json" "$WORK/old.rules.json" <<'PY'
import sys
text = open(sys.argv[1]).read()
head, flows = text.split(',"flows":[', 1)
start = head.index('"policy":')
end = head.index('}', start) + 2
head = (head[:start] + head[end:]).replace('"version":3', '"version":1')
open(sys.argv[2], "w").write(head + ',"flows":[' + flows)
PY
check "old rules have no policy" python3 -c 'import json,sys; assert "policy" not in json.load(open(sys.argv[1]))' \
  "$WORK/old.rules.json"
expect_exit 0 "old rules under tls-only" "$PKTMASK" mask "$sample" --rules "$WORK/old.rules.json" --profile tls-only \
  -o "$WORK/old.pcap"
check "old rules mask as the new ones" cmp -s "$out" "$WORK/old.pcap"
expect_exit 4 "old rules under the default profile" "$PKTMASK" mask "$sample" --rules "$WORK/old.rules.json" \
  -o "$WORK/old2.pcap"
check "old rules: says tls-only" grep -qF "profile tls-only" "$WORK/last.err"

# --stats, batch children and capture events carry the same settings.
strict=$(show_config_hash --profile strict --keep-udp 53)
expect_exit 0 "sanitize --stats under strict" "$PKTMASK" sanitize --engine native --profile strict --keep-udp 53 \
  --key "$WORK/anon.key" "$sample" -o "$out" --stats "$WORK/stats.json"
check "stats: policy" python3 -c '
import json, sys
policy = json.load(open(sys.argv[1]))["policy"]
assert policy["profile"] == "strict" and policy["keep_udp"] == [53] and policy["hash"] == sys.argv[2], policy
assert policy["dtls"] is False and policy["handshake"] == "anonymous", policy
' "$WORK/stats.json" "$strict"
printf 'profile = "strict"\nkeep-udp = [53]\nkey = "%s"\n' "$WORK/anon.key" >"$WORK/strict.toml"
expect_exit 0 "batch under a configuration file" "$PKTMASK" sanitize --engine native --config "$WORK/strict.toml" \
  "$WORK/batch-in" -O "$WORK/batch-out" --stats "$WORK/batch.json" --no-progress
check "batch: every child ran under the file's settings" python3 -c '
import json, sys
summary = json.load(open(sys.argv[1]))
assert summary["policy"]["hash"] == sys.argv[2], summary["policy"]
assert all(f["stats"]["policy"]["hash"] == sys.argv[2] for f in summary["files"]), summary["files"]
' "$WORK/batch.json" "$strict"
expect_exit 0 "capture under tls-only" "$PKTMASK" capture -r "$sample" -O "$WORK/capture-out" --profile tls-only \
  --events "$WORK/events.ndjson" --stats "$WORK/capture.json" --no-progress
check "capture: start event and summary name the settings" python3 -c '
import json, sys
events = [json.loads(line) for line in open(sys.argv[1])]
start = next(e for e in events if e["event"] == "start")
assert start["policy"]["profile"] == "tls-only" and start["policy"]["hash"] == sys.argv[3], start
assert json.load(open(sys.argv[2]))["policy"]["hash"] == sys.argv[3]
' "$WORK/events.ndjson" "$WORK/capture.json" "$tls_only"

finish
