#!/usr/bin/env bash
# make-big-capture.sh OUT.pcap [SIZE_MB]
#
# Records a large, realistic TLS capture for benchmarking: many concurrent
# curl clients download files of mixed sizes from nginx over TLS 1.2 and
# TLS 1.3 (several cipher suites, RSA and ECDSA certificates, IPv4 and IPv6,
# HTTP/1.1 keep-alive with 1-3 requests per connection and HTTP/2), between
# two private network namespaces joined by a veth pair with MTU 1500 and
# segmentation/checksum offloads off (so every frame is at most 1514 bytes
# and every checksum is right). tcpdump -s 0 records on the client side.
#
# Stops by itself once OUT.pcap has reached SIZE_MB MiB (default 500): the
# clients start no new connection after that and the running ones finish,
# so it ends a little above the target. A hard deadline (MAX_SECONDS,
# default 900) bounds the whole run. Needs root, iproute2, ethtool, openssl,
# curl, nginx, tcpdump.
#
# Environment: CONCURRENCY (default 24 parallel clients), SEED (default 1),
# MAX_SECONDS (default 900), KEEP_TMP=1 keeps the temp dir (logs).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../tools/lib/netns-lab.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/../tools/lib/netns-lab.sh"

usage() { echo "usage: $0 OUT.pcap [SIZE_MB]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
OUT=$1
SIZE_MB=${2:-500}
[[ $SIZE_MB =~ ^[0-9]+$ && $SIZE_MB -gt 0 ]] || usage
CONCURRENCY=${CONCURRENCY:-24}
SEED=${SEED:-1}
MAX_SECONDS=${MAX_SECONDS:-900}

lab_require ip ethtool openssl curl nginx tcpdump ss timeout stat
OUT_DIR=$(dirname -- "$OUT")
[[ -d $OUT_DIR ]] || { echo "error: directory $OUT_DIR does not exist" >&2; exit 1; }
OUT_ABS=$(cd "$OUT_DIR" && pwd)/$(basename -- "$OUT")

# namespaces pktmask-big-{srv,cli}-PID, veth pmb{s,c}PID,
# server 198.19.0.1 / fd00:19::1, client 198.19.0.2 / fd00:19::2
lab_init big pmb 198.19.0 fd00:19 big-capture
LAB_KILL_AFTER=5
OUT_STARTED=0
lab_hook_on_failure() {
    # do not leave a half-written capture that looks like a good one
    [[ $OUT_STARTED -eq 1 ]] && rm -f "$OUT_ABS"
}

lab_make_tmp /tmp/pktmask-bigcap.XXXXXX
chmod 755 "$TMP"          # nginx workers run as nobody and must reach www/
chmod 700 "$PKI" "$TMP/logs"

lab_make_namespaces

# --- throwaway PKI: RSA-2048 root, RSA-2048 and ECDSA P-256 leaves -------------

lab_log "generating throwaway keys and certificates"
LAB_PKI_ORG="pktmask bench"
{
    lab_openssl_cnf_base
    lab_openssl_cnf_leaf v3_leaf serverAuth "DNS:$SNI, IP:$V4_S, IP:$V6_S"
} >"$PKI/openssl.cnf"
lab_make_small_pki "pktmask bench root"

# --- nginx ---------------------------------------------------------------------------

lab_log "writing content files"
for spec in 16k:16 64k:64 256k:256 1m:1024 4m:4096 8m:8192; do
    head -c $((${spec#*:} * 1024)) /dev/urandom >"$NGX/www/f${spec%%:*}.bin"
done
chmod -R a+rX "$NGX/www"
cat >"$NGX/nginx.conf" <<EOF
daemon off;
user nobody nogroup;
worker_processes 2;
pid $NGX/nginx.pid;
error_log $NGX/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
$(lab_nginx_temp_paths)
    types { application/octet-stream bin; }
    default_type application/octet-stream;
    keepalive_timeout 10s;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers HIGH:!aNULL:!MD5;
    ssl_session_cache shared:bench:1m;
    server {
        listen $V4_S:443 ssl http2 backlog=1024;
        listen [$V6_S]:443 ssl http2 backlog=1024;
        server_name $SNI;
        ssl_certificate $PKI/leaf-rsa.pem;
        ssl_certificate_key $PKI/leaf-rsa.key;
        ssl_certificate $PKI/leaf-ec.pem;
        ssl_certificate_key $PKI/leaf-ec.key;
        root $NGX/www;
    }
}
EOF
lab_start_nginx $((MAX_SECONDS + 120)) 443

# --- load generator (runs inside the client namespace as one process) ------------

cat >"$TMP/load.sh" <<'EOF'
# env: PCAP TARGET DEADLINE CONCURRENCY SEED CA SNI V4_S V6_S LOGDIR
set -u
TLS12_CIPHERS=(ECDHE-RSA-AES128-GCM-SHA256 ECDHE-RSA-AES256-GCM-SHA384 ECDHE-RSA-CHACHA20-POLY1305
               ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-ECDSA-AES256-GCM-SHA384 ECDHE-ECDSA-CHACHA20-POLY1305
               ECDHE-RSA-AES128-SHA256 ECDHE-RSA-AES256-SHA ECDHE-ECDSA-AES128-SHA)
TLS13_CIPHERS=(TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384 TLS_CHACHA20_POLY1305_SHA256)
declare -A FILE_BYTES=([f16k]=16384 [f64k]=65536 [f256k]=262144 [f1m]=1048576 [f4m]=4194304 [f8m]=8388608)
pick_file() {     # mean about 0.5 MiB per request
    local r=$((RANDOM % 100))
    if ((r < 35)); then echo f16k; elif ((r < 57)); then echo f64k; elif ((r < 74)); then echo f256k
    elif ((r < 95)); then echo f1m; elif ((r < 99)); then echo f4m; else echo f8m; fi
}
# Stop once the capture has reached TARGET, or once the payload bytes all
# workers have already asked for (planned-*) reach it: the capture then ends
# a few percent above TARGET (frame, IP/TCP and pcap overhead, ACKs) instead
# of overshooting by everything started before the file grew.
reached() {
    local size planned
    size=$(stat -c %s "$PCAP" 2>/dev/null || echo 0)
    ((size >= TARGET)) && return 0
    planned=$(cat "$LOGDIR"/planned-* 2>/dev/null | awk '{s += $1} END {print s + 0}')
    ((planned >= TARGET))
}
worker() {
    local id=$1 planned=0 args urls family host ver cipher proto nurl i rc f
    RANDOM=$((SEED * 1000 + id))
    while :; do
        reached && break
        (($(date +%s) >= DEADLINE)) && break
        if ((RANDOM % 4 == 0)); then family=v6; host="[$V6_S]"; else family=v4; host=$V4_S; fi
        if ((RANDOM % 2 == 0)); then
            ver=tls1.2; cipher=${TLS12_CIPHERS[RANDOM % ${#TLS12_CIPHERS[@]}]}
            args=(--tlsv1.2 --tls-max 1.2 --ciphers "$cipher")
        else
            ver=tls1.3; cipher=${TLS13_CIPHERS[RANDOM % ${#TLS13_CIPHERS[@]}]}
            args=(--tlsv1.3 --tls13-ciphers "$cipher")
        fi
        if ((RANDOM % 3 == 0)); then proto=h2; args+=(--http2); else proto=h1; args+=(--http1.1); fi
        nurl=$((1 + RANDOM % 3))
        urls=()
        for ((i = 0; i < nurl; i++)); do
            f=$(pick_file)
            urls+=("https://$SNI/$f.bin")
            planned=$((planned + FILE_BYTES[$f]))
        done
        echo "$planned" >"$LOGDIR/planned-$id"
        rc=0
        curl -sS --fail --cacert "$CA" --connect-timeout 5 --max-time 120 \
            --resolve "$SNI:443:$host" "${args[@]}" "${urls[@]}" >/dev/null 2>>"$LOGDIR/curl-errors.log" || rc=$?
        echo "$ver $cipher $family $proto urls=$nurl rc=$rc" >>"$LOGDIR/conn-$id.log"
    done
}
for ((w = 1; w <= CONCURRENCY; w++)); do worker "$w" & done
wait
EOF

# --- record ------------------------------------------------------------------------

START=$(date +%s)
TARGET=$((SIZE_MB * 1024 * 1024))
lab_log "recording to $OUT_ABS until it reaches $SIZE_MB MiB ($CONCURRENCY parallel clients, deadline ${MAX_SECONDS}s)"
rm -f "$OUT_ABS"
OUT_STARTED=1
lab_start_capture "$TMP/logs/tcpdump.log" $((MAX_SECONDS + 60)) "$OUT_ABS" -B 65536

lab_bg "$TMP/logs/load.log" $((MAX_SECONDS + 30)) "$NS_C" env \
    PCAP="$OUT_ABS" TARGET="$TARGET" DEADLINE=$((START + MAX_SECONDS)) CONCURRENCY="$CONCURRENCY" \
    SEED="$SEED" CA="$PKI/root.pem" SNI="$SNI" V4_S="$V4_S" V6_S="$V6_S" LOGDIR="$TMP/logs" \
    bash "$TMP/load.sh"
LOAD_PID=$BG_PID
ticks=0
while kill -0 "$LOAD_PID" 2>/dev/null; do
    sleep 1
    ticks=$((ticks + 1))
    if ((ticks % 10 == 0)); then
        sz=$(stat -c %s "$OUT_ABS" 2>/dev/null || echo 0)
        lab_log "  $((sz / 1048576)) MiB after $(($(date +%s) - START)) s"
    fi
done
lab_bg_wait "$LOAD_PID" || true
sleep 1
kill -INT "$CAP_PID" 2>/dev/null || true
lab_bg_wait "$CAP_PID" || true
kill -TERM "$NGINX_PID" 2>/dev/null || true
lab_bg_wait "$NGINX_PID" || true

# --- summary -------------------------------------------------------------------------

ELAPSED=$(($(date +%s) - START))
SIZE=$(stat -c %s "$OUT_ABS")
cat "$TMP"/logs/conn-*.log >"$TMP/conns.txt" 2>/dev/null || true
CONNS=$(wc -l <"$TMP/conns.txt")
FAILED=$(grep -vc ' rc=0$' "$TMP/conns.txt" || true)
echo "capture:      $OUT_ABS"
echo "size:         $SIZE bytes ($((SIZE / 1048576)) MiB), recorded in ${ELAPSED}s"
grep -E 'packets (captured|received|dropped)' "$TMP/logs/tcpdump.log" | sed 's/^/tcpdump:      /'
echo "connections:  $CONNS ($FAILED with a curl error)"
echo "  by version: $(awk '{print $1}' "$TMP/conns.txt" | sort | uniq -c | awk '{printf "%s %s  ", $2, $1}')"
echo "  by family:  $(awk '{print $3}' "$TMP/conns.txt" | sort | uniq -c | awk '{printf "%s %s  ", $2, $1}')"
echo "  by HTTP:    $(awk '{print $4}' "$TMP/conns.txt" | sort | uniq -c | awk '{printf "%s %s  ", $2, $1}')"
echo "  requests:   $(awk '{sub("urls=", "", $5); s += $5} END {print s}' "$TMP/conns.txt")"
echo "  ciphers:    $(awk '{print $2}' "$TMP/conns.txt" | sort | uniq -c | awk '{printf "%s %s  ", $2, $1}')"
if [[ $FAILED -gt 0 ]]; then
    echo "curl errors (first lines):"
    head -5 "$TMP/logs/curl-errors.log" 2>/dev/null || true
fi
if [[ $SIZE -lt $TARGET ]]; then
    echo "error: capture is smaller than the target (deadline hit?)" >&2
    exit 1
fi
