#!/usr/bin/env bash
# handshake=anonymous and handshake=headers on the committed real TLS 1.2 and
# 1.3 sessions (openssl s_server / s_client and nginx / curl, recorded in
# network namespaces by tools/record-tls-samples.sh), both engines, judged by
# tshark's view: no server name, no certificate byte, no PSK identity or
# session ticket is readable, and every handshake message of the original is
# still dissected with its type. The engines must agree byte for byte.
. "$(dirname "$0")/lib.sh"
if ! "$PKTMASK" sanitize --help | grep -q -- --handshake; then
  echo "skip: this pktmask has no --handshake option yet"
  finish
  exit 0
fi
for file in "$SRC"/testdata/tls/tls12_openssl.pcap "$SRC"/testdata/tls/tls13_openssl.pcap \
  "$SRC"/testdata/tls/tls13_0rtt.pcap "$SRC"/testdata/tls/nginx_large_chain.pcap; do
  name=$(basename "$file" .pcap)
  for detail in anonymous headers; do
    out="$WORK/$name.$detail"
    check "$name/$detail/native: sanitize" \
      "$PKTMASK" sanitize --engine native --handshake "$detail" "$file" -o "$out.native.pcap"
    check "$name/$detail/tshark: sanitize" \
      "$PKTMASK" sanitize --engine tshark --handshake "$detail" "$file" -o "$out.tshark.pcap"
    check "$name/$detail: engines agree" cmp -s "$out.native.pcap" "$out.tshark.pcap"
    check "$name/$detail: tshark reads no name, certificate, identity or ticket; handshake types stay" \
      python3 - "$file" "$out.native.pcap" "$detail" <<'PY'
import subprocess, sys

original, sanitized, detail = sys.argv[1:4]
SECRET_FIELDS = ["tls.handshake.extensions_server_name", "tls.handshake.certificate",
                 "tls.handshake.extensions.psk.identity.identity", "tls.handshake.session_ticket"]

def fields(path, names):
    argv = ["tshark", "-r", path, "-n", "-Y", "tls", "-T", "fields", "-E", "separator=/t",
            "-E", "occurrence=a", "-E", "aggregator=;"]
    for name in names:
        argv += ["-e", name]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines()]

def readable(value):
    # tshark shows a zeroed name as NUL escapes or nothing, zeroed bytes as 00
    # pairs, and a field whose bytes a zeroed length left out as <MISSING>.
    text = value.replace("\\000", "").replace("\\x00", "").replace(":", "").replace("<MISSING>", "")
    return any(c != "0" for c in text) if all(c in "0123456789abcdef" for c in text) else any(c.isalnum() for c in text)

ok = True
for row in fields(sanitized, SECRET_FIELDS):
    for name, values in zip(SECRET_FIELDS, row):
        for value in filter(None, values.split(";")):
            if readable(value):
                print(f"{sanitized}: {name} still reads {value[:60]!r}", file=sys.stderr)
                ok = False
# The original must have had something to hide, or the test proves nothing.
before = [v for row in fields(original, SECRET_FIELDS[:2]) for v in row if v]
if not before:
    print(f"{original}: no server name or certificate to hide", file=sys.stderr)
    ok = False
types_before = [row[0] for row in fields(original, ["tls.handshake.type"])]
types_after = [row[0] for row in fields(sanitized, ["tls.handshake.type"])]
if types_before != types_after:
    print(f"handshake types differ: {types_before} != {types_after}", file=sys.stderr)
    ok = False
sys.exit(0 if ok else 1)
PY
  done
done
finish
