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

usage() { echo "usage: $0 OUT.pcap [SIZE_MB]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
OUT=$1
SIZE_MB=${2:-500}
[[ $SIZE_MB =~ ^[0-9]+$ && $SIZE_MB -gt 0 ]] || usage
CONCURRENCY=${CONCURRENCY:-24}
SEED=${SEED:-1}
MAX_SECONDS=${MAX_SECONDS:-900}

for tool in ip ethtool openssl curl nginx tcpdump ss timeout stat; do
    command -v "$tool" >/dev/null 2>&1 || { echo "error: '$tool' not found" >&2; exit 1; }
done
[[ $(id -u) -eq 0 ]] || { echo "error: must run as root (network namespaces)" >&2; exit 1; }
OUT_DIR=$(dirname -- "$OUT")
[[ -d $OUT_DIR ]] || { echo "error: directory $OUT_DIR does not exist" >&2; exit 1; }
OUT_ABS=$(cd "$OUT_DIR" && pwd)/$(basename -- "$OUT")

TAG=$$
NS_S="pktmask-big-srv-$TAG"
NS_C="pktmask-big-cli-$TAG"
IF_S="pmbs$TAG"
IF_C="pmbc$TAG"
V4_S=198.19.0.1
V4_C=198.19.0.2
V6_S=fd00:19::1
V6_C=fd00:19::2
SNI=server.test

TMP=""
PIDS=()
NS_MADE=()
OUT_STARTED=0

log() { printf '[big-capture] %s\n' "$*" >&2; }

cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    local pid i
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${PIDS[@]}"; do
        for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    local ns
    for ns in "${NS_MADE[@]}"; do ip netns del "$ns" 2>/dev/null; done
    if [[ -n $TMP && -d $TMP ]]; then
        if [[ ${KEEP_TMP:-0} == 1 ]]; then log "kept $TMP (KEEP_TMP=1)"; else rm -rf "$TMP"; fi
    fi
    if [[ $rc -ne 0 ]]; then
        # do not leave a half-written capture that looks like a good one
        [[ $OUT_STARTED -eq 1 ]] && rm -f "$OUT_ABS"
        log "failed (exit $rc); cleaned up"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

TMP=$(mktemp -d /tmp/pktmask-bigcap.XXXXXX)
chmod 755 "$TMP"          # nginx workers run as nobody and must reach www/
mkdir -p "$TMP/pki" "$TMP/logs" "$TMP/nginx/www" "$TMP/nginx/tmp"
chmod 700 "$TMP/pki" "$TMP/logs"

# bg LOGFILE TIMEOUT NS CMD... : background, bounded, PID remembered in BG_PID
bg() {
    local logf=$1 t=$2 ns=$3; shift 3
    timeout -k 5 "$t" ip netns exec "$ns" "$@" </dev/null >"$logf" 2>&1 &
    BG_PID=$!
    PIDS+=("$BG_PID")
}
forget() {
    local keep=() p
    for p in "${PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
    PIDS=("${keep[@]}")
}
wait_listen() {   # NS PORT
    local i
    for ((i = 0; i < 100; i++)); do
        [[ -n $(ip netns exec "$1" ss -Hltn "sport = :$2" 2>/dev/null) ]] && return 0
        sleep 0.1
    done
    echo "error: nothing listening on port $2 in $1" >&2
    return 1
}

# --- namespaces --------------------------------------------------------------

log "creating namespaces $NS_S / $NS_C"
ip netns add "$NS_S"; NS_MADE+=("$NS_S")
ip netns add "$NS_C"; NS_MADE+=("$NS_C")
ip link add "$IF_S" type veth peer name "$IF_C"
ip link set "$IF_S" netns "$NS_S"
ip link set "$IF_C" netns "$NS_C"
setup_side() {    # NS IF V4 V6
    ip -n "$1" link set lo up
    ip -n "$1" link set "$2" mtu 1500
    ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off rx off sg off >/dev/null
    ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.router_solicitations=0" || true
    ip -n "$1" addr add "$3/24" dev "$2"
    ip -n "$1" addr add "$4/64" dev "$2" nodad
    ip -n "$1" link set "$2" up
}
setup_side "$NS_S" "$IF_S" "$V4_S" "$V6_S"
setup_side "$NS_C" "$IF_C" "$V4_C" "$V6_C"

# --- throwaway PKI: RSA-2048 root, RSA-2048 and ECDSA P-256 leaves -------------

log "generating throwaway keys and certificates"
PKI=$TMP/pki
cat >"$PKI/openssl.cnf" <<EOF
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = placeholder
[ v3_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:$SNI, IP:$V4_S, IP:$V6_S
EOF
timeout 60 openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PKI/root.key" 2>/dev/null
timeout 60 openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PKI/rsa.key" 2>/dev/null
timeout 60 openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI/ec.key" 2>/dev/null
timeout 20 openssl req -x509 -new -config "$PKI/openssl.cnf" -extensions v3_root -key "$PKI/root.key" \
    -subj "/O=pktmask bench/CN=pktmask bench root" -days 30 -sha256 -out "$PKI/root.pem"
for k in rsa ec; do
    timeout 20 openssl req -new -config "$PKI/openssl.cnf" -key "$PKI/$k.key" \
        -subj "/O=pktmask bench/CN=$SNI" -out "$PKI/$k.csr"
    timeout 20 openssl x509 -req -in "$PKI/$k.csr" -CA "$PKI/root.pem" -CAkey "$PKI/root.key" \
        -set_serial "0x$(openssl rand -hex 8)" -days 30 -sha256 -extfile "$PKI/openssl.cnf" \
        -extensions v3_leaf -out "$PKI/$k.pem" 2>/dev/null
done

# --- nginx ---------------------------------------------------------------------------

NGX=$TMP/nginx
log "writing content files"
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
    client_body_temp_path $NGX/tmp/body;
    proxy_temp_path $NGX/tmp/proxy;
    fastcgi_temp_path $NGX/tmp/fastcgi;
    uwsgi_temp_path $NGX/tmp/uwsgi;
    scgi_temp_path $NGX/tmp/scgi;
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
        ssl_certificate $PKI/rsa.pem;
        ssl_certificate_key $PKI/rsa.key;
        ssl_certificate $PKI/ec.pem;
        ssl_certificate_key $PKI/ec.key;
        root $NGX/www;
    }
}
EOF
log "starting nginx"
bg "$TMP/logs/nginx.log" $((MAX_SECONDS + 120)) "$NS_S" nginx -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log"
NGINX_PID=$BG_PID
wait_listen "$NS_S" 443

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
log "recording to $OUT_ABS until it reaches $SIZE_MB MiB ($CONCURRENCY parallel clients, deadline ${MAX_SECONDS}s)"
rm -f "$OUT_ABS"
OUT_STARTED=1
bg "$TMP/logs/tcpdump.log" $((MAX_SECONDS + 60)) "$NS_C" \
    tcpdump -i "$IF_C" -s 0 -B 65536 -n -Z root -w "$OUT_ABS"
CAP_PID=$BG_PID
for ((i = 0; i < 100; i++)); do grep -q "listening on" "$TMP/logs/tcpdump.log" && break; sleep 0.1; done
grep -q "listening on" "$TMP/logs/tcpdump.log" || { cat "$TMP/logs/tcpdump.log" >&2; exit 1; }

bg "$TMP/logs/load.log" $((MAX_SECONDS + 30)) "$NS_C" env \
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
        log "  $((sz / 1048576)) MiB after $(($(date +%s) - START)) s"
    fi
done
wait "$LOAD_PID" || true
forget "$LOAD_PID"
sleep 1
kill -INT "$CAP_PID" 2>/dev/null || true
wait "$CAP_PID" || true
forget "$CAP_PID"
kill -TERM "$NGINX_PID" 2>/dev/null || true
wait "$NGINX_PID" || true
forget "$NGINX_PID"

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
