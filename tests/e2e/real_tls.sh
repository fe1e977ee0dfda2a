#!/usr/bin/env bash
# The committed real TLS samples: both engines, judged by tshark's view.
. "$(dirname "$0")/lib.sh"
for file in "$SRC"/testdata/tls/*.pcap; do
  name=$(basename "$file" .pcap)
  sanitize_and_judge_tls "$file"
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
