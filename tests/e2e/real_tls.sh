#!/usr/bin/env bash
# The committed real TLS samples: both engines, judged by tshark's view.
. "$(dirname "$0")/lib.sh"
judge="$SRC/tests/judge/judge.py"
for file in "$SRC"/testdata/tls/*.pcap; do
  name=$(basename "$file" .pcap)
  for engine in native tshark; do
    out="$WORK/$name.$engine.pcap"
    check "$name/$engine: sanitize" "$PKTMASK" sanitize --engine "$engine" "$file" -o "$out"
    check "$name/$engine: judge --tls-view" python3 "$judge" "$file" "$out" --tls-view
  done
  check "$name: engines agree" cmp -s "$WORK/$name.native.pcap" "$WORK/$name.tshark.pcap"
  # Decrypted with the session keys, every application-data byte must be gone.
  keys="$SRC/testdata/tls/$name.keys"
  if [ -f "$keys" ]; then
    check "$name: no decryptable application data remains" python3 - "$WORK/$name.native.pcap" "$keys" <<'PY'
import subprocess, sys
out = subprocess.run(["tshark", "-r", sys.argv[1], "-o", f"tls.keylog_file:{sys.argv[2]}", "-n",
                      "-T", "fields", "-e", "http.request.uri", "-e", "http.response.code", "-e", "http2.header.value",
                      "-e", "data.data"],
                     capture_output=True, text=True).stdout
sys.exit(1 if out.strip() else 0)
PY
  fi
done
finish
