#!/bin/bash
# Masking policy v2 (issue 11), judged by tools that share no code with
# pktmask: every crafted capture (tests/judge/mkcaps_v2.py) and every
# committed sample, through both engines under the profiles default,
# tls-only and strict. Each output must pass tests/judge/judge_v2.py byte
# for byte (no leak, no over-masking, checksums, pcapng metadata); outside
# tls-only no output may hold the crafted captures' SECRET marker, and
# tshark must find no DNS name, HTTP request, SIP, syslog or SNMP text in it,
# nor decrypt anything with the sample's keys. pktmask verify must accept it.
# The judge compares headers byte for byte, so strict runs without its
# implied address anonymization (--anonymize none).
source "$(dirname "$0")/lib.sh"

caps="$WORK/caps"
python3 "$SRC/tests/judge/mkcaps_v2.py" "$caps" || fail "mkcaps_v2.py builds the crafted captures"
mkdir -p "$WORK/out" "$WORK/ws"
export WIRESHARK_CONFIG_DIR="$WORK/ws"   # nobody's preferences change the view

inputs=("$caps"/* "$SRC"/testdata/tls/*.pcap "$SRC"/testdata/starttls/*.pcap "$SRC"/testdata/addr/*.pcap)

# readable_payload OUT [KEYS]: what tshark can still read in OUT: DNS names,
# HTTP requests, SIP, syslog and SNMP text, and (with the sample's key log)
# any decrypted HTTP.
readable_payload() {
  local out=$1 keys=${2:-}
  local -a opts=(-n -o ip.defragment:FALSE -o ipv6.defragment:FALSE)
  [ -n "$keys" ] && opts+=(-o "tls.keylog_file:$keys")
  tshark -r "$out" "${opts[@]}" -T fields -e dns.qry.name -e dns.resp.name \
    -e http.request.uri -e http.host -e http.response.code -e sip.Method \
    -e syslog.msg -e snmp.community -e http2.header.name 2>/dev/null | tr -d '\t\n'
}

for profile in default tls-only strict; do
  anon=()
  [ "$profile" = strict ] && anon=(--anonymize none)
  for engine in native tshark; do
    for in in "${inputs[@]}"; do
      name="$profile.$engine.$(basename "$(dirname "$in")").$(basename "$in")"
      out="$WORK/out/$name"
      if ! "$PKTMASK" sanitize --engine "$engine" --profile "$profile" "${anon[@]}" "$in" -o "$out" \
        >"$WORK/out/$name.log" 2>&1; then
        fail "$name: sanitize ($(head -c 300 "$WORK/out/$name.log"))"
        continue
      fi
      pass
      # The engines agree byte for byte, so the tshark engine's output is
      # judged by comparison with the native one's (judged in full below).
      if [ "$engine" = tshark ]; then
        check "$name: engines agree" cmp -s "$WORK/out/${name/.tshark./.native.}" "$out"
        continue
      fi
      if python3 "$SRC/tests/judge/judge_v2.py" --profile "$profile" "$in" "$out" >"$WORK/out/$name.judge"; then
        pass
      else
        fail "$name: $(tail -1 "$WORK/out/$name.judge")"
      fi
      if [ "$profile" != tls-only ]; then
        check "$name: no SECRET marker in the output" bash -c '! grep -q SECRET "$1"' _ "$out"
        keys="${in%.pcap}.keys"
        [ -f "$keys" ] || keys=
        readable=$(readable_payload "$out" "$keys")
        check "$name: tshark reads no payload (${readable:0:80})" test -z "$readable"
      fi
      expect_exit 0 "$name: pktmask verify" "$PKTMASK" verify --no-tshark --profile "$profile" "${anon[@]}" "$in" "$out"
    done
  done
done

finish
