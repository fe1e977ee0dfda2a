# shellcheck shell=bash
# shellcheck disable=SC2034  # globals set here are read by the caller
# tools/lib/netns-lab.sh: the "lab" shared by the scripts that record real
# TLS traffic between two throwaway network namespaces
# (tools/record-tls-samples.sh, tools/record-starttls-samples.sh,
# bench/make-big-capture.sh, tests/e2e/capture_live.sh).
#
# Source it (it only defines functions, and unsets BG_STDIN so that an
# inherited value cannot redirect lab_bg):
#     . "$(dirname -- "${BASH_SOURCE[0]}")/lib/netns-lab.sh"
# then, in this order:
#     lab_require TOOL...            tools present, running as root
#     lab_init KIND IFPFX V4NET V6NET LOGTAG   names + EXIT/INT/TERM traps
#     lab_make_tmp TEMPLATE [DIR...] temp dir (PKI, NGX)
#     lab_make_namespaces            two namespaces joined by a veth pair
# Everything a run creates is named after its PID ($$), every background
# process is started with lab_bg and remembered in PIDS, and on exit
# (normal, error, INT, TERM) lab_cleanup stops only those PIDs and removes
# only the namespaces (NS_MADE) and temp dir (TMP) this run made.
#
# Globals (set by lab_init unless said otherwise):
#   TAG              $$, makes every name unique to the run
#   NS_S, NS_C       server / client namespace: pktmask-KIND-srv-TAG, -cli-
#   IF_S, IF_C       server / client end of the veth pair: IFPFX{s,c}TAG
#                    (interface names must stay below 16 characters)
#   V4_S, V4_C       V4NET.1 / V4NET.2 (/24)
#   V6_S, V6_C       V6NET::1 / V6NET::2 (/64)
#   SNI              server.test
#   PIDS             every background process still running (lab_bg adds,
#                    lab_forget / lab_bg_wait / lab_bg_stop remove)
#   NS_MADE          namespaces created so far (lab_make_namespaces adds)
#   TMP, PKI, NGX    temp dir, TMP/pki, TMP/nginx (set by lab_make_tmp)
#   LAB_LOG_TAG      prefix of lab_log lines: [LOGTAG]
#   LAB_KILL_AFTER   `timeout -k` grace (s) of lab_bg, 3; callers may change it
#   LAB_PKI_ORG      O= of the certificates (set by the caller before
#                    lab_mkroot / lab_mkcert / lab_make_small_pki)
#   BG_PID           set by lab_bg; BG_STDIN (optional) is lab_bg's stdin
#   NGINX_PID        set by lab_start_nginx; CAP_PID set by lab_start_capture
#                    (and lab_start_capture_on, lab_cap_start)
#   CAP_NAMES        the recordings lab_cap_start made, in order; CAP_NAME
#                    the latest; CAP_DESC[NAME] the description of each
#   CACERT           (optional) the CA file lab_curl trusts, default
#                    $PKI/root.pem
#   SRV_FIFO, SRV_PID  set by lab_ossl_fifo_open / lab_ossl_server
# Optional hooks the caller may define, run by lab_cleanup:
#   lab_hook_before_cleanup   before the background processes are stopped
#   lab_hook_on_failure       after all is removed, when exiting non-zero

unset BG_STDIN

# lab_log MSG...: one line "[LAB_LOG_TAG] MSG" on stderr.
lab_log() { printf '[%s] %s\n' "$LAB_LOG_TAG" "$*" >&2; }

# lab_require TOOL...: exit 1 unless every TOOL is in PATH and we are root.
lab_require() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || { echo "error: '$tool' not found" >&2; exit 1; }
    done
    [[ $(id -u) -eq 0 ]] || { echo "error: must run as root (network namespaces)" >&2; exit 1; }
}

# lab_init KIND IFPFX V4NET V6NET LOGTAG: set the run's names, addresses and
# bookkeeping globals (see the header) and install the traps: lab_cleanup
# on EXIT, and INT / TERM turned into exit 130 / 143 (which runs it).
lab_init() {
    TAG=$$
    NS_S="pktmask-$1-srv-$TAG"
    NS_C="pktmask-$1-cli-$TAG"
    IF_S="$2s$TAG"
    IF_C="$2c$TAG"
    V4_S=$3.1
    V4_C=$3.2
    V6_S=$4::1
    V6_C=$4::2
    SNI=server.test
    LAB_LOG_TAG=$5
    LAB_KILL_AFTER=3
    TMP=""
    PIDS=()
    NS_MADE=()
    LAB_FIFO_OPEN=0
    CAP_PID=""
    CAP_NAME=""
    CAP_NAMES=()
    declare -gA CAP_DESC=()
    trap lab_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# lab_cleanup: the EXIT trap. Stops the PIDS (TERM, then KILL after 10 s),
# deletes NS_MADE and TMP (kept when KEEP_TMP=1), runs the hooks, exits
# with the status the script was exiting with.
lab_cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    if declare -F lab_hook_before_cleanup >/dev/null; then lab_hook_before_cleanup; fi
    lab_ossl_fifo_close
    local pid i
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${PIDS[@]}"; do
        # each is a `timeout -k` wrapper: it forwards TERM and escalates to
        # KILL by itself; only fall back to KILL on the wrapper after 10 s
        for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    local ns
    for ns in "${NS_MADE[@]}"; do ip netns del "$ns" 2>/dev/null; done
    if [[ -n $TMP && -d $TMP ]]; then
        if [[ ${KEEP_TMP:-0} == 1 ]]; then lab_log "kept $TMP (KEEP_TMP=1)"; else rm -rf "$TMP"; fi
    fi
    if [[ $rc -ne 0 ]]; then
        if declare -F lab_hook_on_failure >/dev/null; then lab_hook_on_failure; fi
        lab_log "failed (exit $rc); cleaned up"
    fi
    exit "$rc"
}

# lab_make_tmp TEMPLATE [DIR...]: TMP=$(mktemp -d TEMPLATE) with pki, logs,
# nginx/www, nginx/tmp and each DIR inside; sets PKI and NGX.
lab_make_tmp() {
    local tmpl=$1 d; shift
    TMP=$(mktemp -d "$tmpl")
    PKI=$TMP/pki
    NGX=$TMP/nginx
    mkdir -p "$PKI" "$TMP/logs" "$NGX/www" "$NGX/tmp"
    for d in "$@"; do mkdir -p "$TMP/$d"; done
}

# --- background processes -------------------------------------------------------

# lab_bg LOGFILE TIMEOUT NS CMD...: start CMD in namespace NS in the
# background, bounded by TIMEOUT seconds (timeout -k LAB_KILL_AFTER), stdin
# from $BG_STDIN (default /dev/null), stdout+stderr to LOGFILE; sets BG_PID
# and adds it to PIDS.
lab_bg() {
    local logf=$1 t=$2 ns=$3; shift 3
    timeout -k "$LAB_KILL_AFTER" "$t" ip netns exec "$ns" "$@" <"${BG_STDIN:-/dev/null}" >"$logf" 2>&1 &
    BG_PID=$!
    PIDS+=("$BG_PID")
}

# lab_bg_hosts LOGFILE TIMEOUT NS CMD...: lab_bg, with $TMP/hosts (see
# lab_write_hosts) bind-mounted on /etc/hosts in a mount namespace of CMD's
# own, so a proxy in NS resolves SNI without touching the host's files.
lab_bg_hosts() {
    local logf=$1 t=$2 ns=$3; shift 3
    # A bare system (debootstrap) has no /etc/hosts to bind over: there the
    # private mount namespace gets a copy of /etc that has one instead.
    local over=/etc/hosts from=$TMP/hosts
    [[ -e /etc/hosts ]] || { over=/etc; from=$TMP/etc; }
    # shellcheck disable=SC2016  # $0, $1 and $@ belong to the inner sh
    lab_bg "$logf" "$t" "$ns" unshare -m sh -c 'mount --bind "$0" "$1" && shift && exec "$@"' "$from" "$over" "$@"
}

# lab_write_hosts: $TMP/hosts, naming localhost and SNI (V4_S and V6_S),
# and where /etc has no hosts file, $TMP/etc: a copy of /etc with it.
lab_write_hosts() {
    printf '%s\n' "127.0.0.1 localhost" "::1 localhost" "$V4_S $SNI" "$V6_S $SNI" >"$TMP/hosts"
    if [[ ! -e /etc/hosts ]]; then
        cp -a /etc "$TMP/etc" && cp "$TMP/hosts" "$TMP/etc/hosts"
    fi
}

# lab_forget PID: drop PID from PIDS (it has ended and been waited for).
lab_forget() {
    local keep=() p
    for p in "${PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
    PIDS=("${keep[@]}")
}

# lab_bg_wait PID: wait for one of our background processes to end by
# itself, forget it; returns its exit status.
lab_bg_wait() {
    local pid=$1 rc=0
    wait "$pid" || rc=$?
    lab_forget "$pid"
    return "$rc"
}

# lab_bg_stop PID [SIGNAL]: send SIGNAL (default TERM) to one of our
# background processes, KILL it after 10 s, wait for it and forget it.
lab_bg_stop() {
    local pid=$1 sig=${2:-TERM} i
    kill "-$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    lab_forget "$pid"
}

# lab_wait_listen NS PORT [udp]: wait up to 10 s for a TCP listener (or, with
# udp, a bound UDP socket) on PORT in NS.
lab_wait_listen() {
    local i kind=-Hltn
    [[ ${3:-tcp} == udp ]] && kind=-Hlun
    for ((i = 0; i < 100; i++)); do
        if [[ -n $(ip netns exec "$1" ss "$kind" "sport = :$2" 2>/dev/null) ]]; then return 0; fi
        sleep 0.1
    done
    echo "error: nothing listening on port $2 in $1" >&2
    return 1
}

# lab_wait_grep FILE PATTERN: wait up to 10 s for PATTERN to appear in FILE;
# on timeout print FILE to stderr and return 1.
lab_wait_grep() {
    local i
    for ((i = 0; i < 100; i++)); do
        grep -q -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "error: '$2' did not appear in $1" >&2
    cat "$1" >&2 || true
    return 1
}

# --- namespaces -----------------------------------------------------------------

# lab_offloads_off NS IF: all segmentation/checksum offloads of IF in NS
# off, so a capture on IF sees wire-sized segments with correct checksums.
lab_offloads_off() {
    ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off rx off sg off >/dev/null
}

# lab_setup_side NS IF V4 V6: bring up lo and IF in NS with MTU 1500, all
# segmentation/checksum offloads off, no router solicitations, V4/24 and
# V6/64 (no DAD).
lab_setup_side() {
    ip -n "$1" link set lo up
    ip -n "$1" link set "$2" mtu 1500
    lab_offloads_off "$1" "$2"
    ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.router_solicitations=0" || true
    ip -n "$1" addr add "$3/24" dev "$2"
    ip -n "$1" addr add "$4/64" dev "$2" nodad
    ip -n "$1" link set "$2" up
}

# lab_make_namespaces: create NS_S and NS_C (recorded in NS_MADE), join them
# with the veth pair IF_S/IF_C and set both sides up (V4_*, V6_*).
lab_make_namespaces() {
    lab_log "creating namespaces $NS_S / $NS_C"
    ip netns add "$NS_S"; NS_MADE+=("$NS_S")
    ip netns add "$NS_C"; NS_MADE+=("$NS_C")
    ip link add "$IF_S" type veth peer name "$IF_C"
    ip link set "$IF_S" netns "$NS_S"
    ip link set "$IF_C" netns "$NS_C"
    lab_setup_side "$NS_S" "$IF_S" "$V4_S" "$V6_S"
    lab_setup_side "$NS_C" "$IF_C" "$V4_C" "$V6_C"
}

# --- throwaway PKI ----------------------------------------------------------------

# lab_openssl_cnf_base: print the [req], [req_dn] and [v3_root] sections of
# an openssl.cnf; the caller appends its own sections (at least v3_leaf,
# see lab_openssl_cnf_leaf) and writes the whole to $PKI/openssl.cnf.
lab_openssl_cnf_base() {
    cat <<'EOF'
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = placeholder
[ v3_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
EOF
}

# lab_openssl_cnf_leaf NAME EKU SAN [LINE...]: print an openssl.cnf section
# [ NAME ] for a server leaf: not a CA, digitalSignature + keyEncipherment,
# extendedKeyUsage EKU, key identifiers, each LINE, subjectAltName SAN.
lab_openssl_cnf_leaf() {
    local name=$1 eku=$2 san=$3; shift 3
    printf '%s\n' "[ $name ]" \
        "basicConstraints = critical, CA:FALSE" \
        "keyUsage = critical, digitalSignature, keyEncipherment" \
        "extendedKeyUsage = $eku" \
        "subjectKeyIdentifier = hash" \
        "authorityKeyIdentifier = keyid" \
        "$@" \
        "subjectAltName = $san"
}

# lab_genkey OUT ALG-ARGS...: openssl genpkey ALG-ARGS into OUT (120 s max).
lab_genkey() {
    local out=$1; shift
    timeout 120 openssl genpkey "$@" -out "$out" 2>/dev/null
}

# lab_serial: a random 64-bit certificate serial number.
lab_serial() { echo "0x$(openssl rand -hex 8)"; }

# lab_mkroot NAME CN: self-signed root $PKI/NAME.pem (extensions v3_root of
# $PKI/openssl.cnf) from $PKI/NAME.key; subject O=LAB_PKI_ORG, CN=CN.
lab_mkroot() {
    timeout 20 openssl req -x509 -new -config "$PKI/openssl.cnf" -extensions v3_root \
        -key "$PKI/$1.key" -subj "/O=$LAB_PKI_ORG/CN=$2" -days 30 -sha256 \
        -set_serial "$(lab_serial)" -out "$PKI/$1.pem"
}

# lab_mkcert NAME CN ISSUER EXT: $PKI/NAME.pem for $PKI/NAME.key, signed by
# $PKI/ISSUER.{pem,key} with extensions EXT of $PKI/openssl.cnf; subject
# O=LAB_PKI_ORG, CN=CN.
lab_mkcert() {
    timeout 20 openssl req -new -config "$PKI/openssl.cnf" -key "$PKI/$1.key" \
        -subj "/O=$LAB_PKI_ORG/CN=$2" -out "$PKI/$1.csr"
    timeout 20 openssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/$3.pem" -CAkey "$PKI/$3.key" \
        -set_serial "$(lab_serial)" -days 30 -sha256 -extfile "$PKI/openssl.cnf" -extensions "$4" \
        -out "$PKI/$1.pem" 2>/dev/null
}

# lab_make_small_pki ROOT_CN: in $PKI, an RSA-2048 root (root.key/.pem,
# CN=ROOT_CN) and two leaves for SNI signed by it with v3_leaf: RSA-2048
# (leaf-rsa.key/.pem) and ECDSA P-256 (leaf-ec.key/.pem).
lab_make_small_pki() {
    lab_genkey "$PKI/root.key" -algorithm RSA -pkeyopt rsa_keygen_bits:2048
    lab_genkey "$PKI/leaf-rsa.key" -algorithm RSA -pkeyopt rsa_keygen_bits:2048
    lab_genkey "$PKI/leaf-ec.key" -algorithm EC -pkeyopt ec_paramgen_curve:P-256
    lab_mkroot root "$1"
    lab_mkcert leaf-rsa "$SNI" root v3_leaf
    lab_mkcert leaf-ec "$SNI" root v3_leaf
}

# lab_make_server_pki ROOT_CN: $PKI/openssl.cnf naming SNI, V4_S and V6_S
# in the leaf (v3_leaf), then lab_make_small_pki ROOT_CN; O=pktmask test.
lab_make_server_pki() {
    lab_log "generating throwaway keys and certificates"
    LAB_PKI_ORG="pktmask test"
    {
        lab_openssl_cnf_base
        lab_openssl_cnf_leaf v3_leaf "serverAuth, clientAuth" @alt
        printf '%s\n' "[ alt ]" "DNS.1 = $SNI" "IP.1 = $V4_S" "IP.2 = $V6_S"
    } >"$PKI/openssl.cnf"
    lab_make_small_pki "$1"
}

# --- servers and capture ----------------------------------------------------------

# lab_nginx_temp_paths: the *_temp_path lines of an nginx http{} block,
# all under $NGX/tmp (so nginx writes nothing outside TMP).
lab_nginx_temp_paths() {
    cat <<EOF
    client_body_temp_path $NGX/tmp/body;
    proxy_temp_path $NGX/tmp/proxy;
    fastcgi_temp_path $NGX/tmp/fastcgi;
    uwsgi_temp_path $NGX/tmp/uwsgi;
    scgi_temp_path $NGX/tmp/scgi;
EOF
}

# lab_start_nginx TIMEOUT PORT...: run nginx with $NGX/nginx.conf in NS_S
# (log $TMP/logs/nginx.log, bounded by TIMEOUT s), set NGINX_PID, wait until
# every PORT listens.
lab_start_nginx() {
    local t=$1 port; shift
    lab_log "starting nginx"
    lab_bg "$TMP/logs/nginx.log" "$t" "$NS_S" nginx -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/error.log"
    NGINX_PID=$BG_PID
    for port in "$@"; do lab_wait_listen "$NS_S" "$port"; done
}

# lab_start_capture LOGFILE TIMEOUT PCAP [TCPDUMP-OPTION...]: tcpdump -s 0 on
# IF_C in NS_C writing PCAP (log LOGFILE, bounded by TIMEOUT s); set
# CAP_PID and wait until it is listening.
lab_start_capture() {
    lab_start_capture_on "$NS_C" "$IF_C" "$@"
}

# lab_start_capture_on NS IF LOGFILE TIMEOUT PCAP [TCPDUMP-OPTION...]: the
# same on interface IF in namespace NS (a later -s overrides the -s 0).
lab_start_capture_on() {
    local ns=$1 ifc=$2 logf=$3 t=$4 pcap=$5; shift 5
    lab_bg "$logf" "$t" "$ns" tcpdump -i "$ifc" -s 0 "$@" -n -Z root -w "$pcap"
    CAP_PID=$BG_PID
    lab_wait_grep "$logf" "listening on"
}

# --- recordings -------------------------------------------------------------------

# lab_cap_start NAME DESCRIPTION [NS IF [TCPDUMP-OPTION...]]: record NAME
# to $TMP/cap/NAME.pcap (a directory lab_make_tmp must have made) with
# tcpdump -U --immediate-mode and each TCPDUMP-OPTION on IF in NS (default:
# IF_C in NS_C), 60 s max, log $TMP/logs/NAME.tcpdump.log; NAME is appended
# to CAP_NAMES and DESCRIPTION kept in CAP_DESC[NAME].
lab_cap_start() {
    local name=$1 desc=$2 ns=${3:-$NS_C} ifc=${4:-$IF_C}
    shift $(($# < 4 ? $# : 4))
    CAP_NAME=$name
    CAP_NAMES+=("$name")
    CAP_DESC[$name]=$desc
    lab_log "recording $name"
    lab_start_capture_on "$ns" "$ifc" "$TMP/logs/$name.tcpdump.log" 60 "$TMP/cap/$name.pcap" \
        -U --immediate-mode "$@"
}

# lab_cap_stop: stop the recording lab_cap_start began once the last
# FIN/ACKs went by; fails if it wrote nothing.
lab_cap_stop() {
    sleep 0.5
    lab_bg_stop "$CAP_PID" INT
    CAP_PID=""
    grep -E 'packets (captured|dropped)' "$TMP/logs/$CAP_NAME.tcpdump.log" >&2 || true
    [[ -s $TMP/cap/$CAP_NAME.pcap ]] || { echo "error: empty capture $CAP_NAME" >&2; return 1; }
}

# lab_publish_rows OUTDIR [KEYSDIR]: copy every recording (and, with KEYSDIR,
# its NAME.keys) into OUTDIR and print one README table row per recording:
# file, description, size, frames.
lab_publish_rows() {
    local outdir=$1 keys=${2:-} name frames
    for name in "${CAP_NAMES[@]}"; do
        cp "$TMP/cap/$name.pcap" "$outdir/$name.pcap"
        [[ -n $keys ]] && cp "$keys/$name.keys" "$outdir/$name.keys"
        frames=$(tcpdump -r "$outdir/$name.pcap" 2>/dev/null | wc -l)
        # shellcheck disable=SC2016  # the backticks are Markdown
        printf '| `%s.pcap` | %s | %s | %s |\n' "$name" "${CAP_DESC[$name]}" "$(stat -c %s "$outdir/$name.pcap")" "$frames"
    done
}

# --- nginx + curl -----------------------------------------------------------------

# lab_nginx_content: in $NGX/www, 2mb.bin (2 MiB random), index.html (a
# small page) and hello.txt.
lab_nginx_content() {
    local i
    head -c $((2 * 1024 * 1024)) /dev/urandom >"$NGX/www/2mb.bin"
    {
        echo "<!doctype html><html><head><title>pktmask test page</title></head><body>"
        for i in $(seq 1 40); do echo "<p>line $i of a small static page served over TLS for pktmask samples</p>"; done
        echo "</body></html>"
    } >"$NGX/www/index.html"
    echo "hello from nginx" >"$NGX/www/hello.txt"
}

# lab_nginx_server PORT CERT KEY [LISTEN-OPTION...]: print an nginx server{}
# block for SNI listening with TLS on V4_S:PORT and [V6_S]:PORT (each
# LISTEN-OPTION, e.g. http2, added to both listen lines), root $NGX/www.
lab_nginx_server() {
    local port=$1 cert=$2 key=$3; shift 3
    local opts=""
    [[ $# -gt 0 ]] && opts=" $*"
    cat <<EOF
    server {
        listen $V4_S:$port ssl$opts;
        listen [$V6_S]:$port ssl$opts;
        server_name $SNI;
        ssl_certificate $cert;
        ssl_certificate_key $key;
        root $NGX/www;
    }
EOF
}

# lab_write_nginx_conf SERVER-BLOCK...: write $NGX/nginx.conf, a single
# foreground nginx process (no master, one worker, logs under $NGX),
# TLS 1.2 and 1.3, no session resumption, static files, with the server
# blocks given (see lab_nginx_server).
lab_write_nginx_conf() {
    {
        cat <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $NGX/nginx.pid;
error_log $NGX/error.log info;
events { worker_connections 64; }
http {
    access_log $NGX/access.log;
$(lab_nginx_temp_paths)
    types { text/html html; text/plain txt; application/octet-stream bin; }
    default_type application/octet-stream;
    sendfile off;
    keepalive_timeout 5s;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache off;
    ssl_session_tickets off;
EOF
        printf '%s\n' "$@"
        echo "}"
    } >"$NGX/nginx.conf"
}

# lab_curl NAME KEYLOG ARGS...: curl ARGS in NS_C (20 s max), trusting
# ${CACERT:-$PKI/root.pem}, TLS keys to KEYLOG; body to
# $TMP/logs/NAME.curl.out, errors to $TMP/logs/NAME.curl.log.
lab_curl() {
    local name=$1 keys=$2; shift 2
    timeout 20 ip netns exec "$NS_C" env SSLKEYLOGFILE="$keys" \
        curl -sS --fail --cacert "${CACERT:-$PKI/root.pem}" --max-time 15 "$@" \
        >"$TMP/logs/$name.curl.out" 2>"$TMP/logs/$name.curl.log"
}

# --- OpenSSL s_server / s_client ----------------------------------------------------

# lab_ossl_fifo_open: OpenSSL s_server in its default mode reads what it
# sends from stdin; give it the FIFO SRV_FIFO=$TMP/srv.fifo, held open by
# this shell on fd 3, so lines written to fd 3 go to the connected client
# (lab_ossl_chat). lab_cleanup closes it.
lab_ossl_fifo_open() {
    SRV_FIFO=$TMP/srv.fifo
    mkfifo "$SRV_FIFO"
    exec 3<>"$SRV_FIFO"
    LAB_FIFO_OPEN=1
}

# lab_ossl_fifo_close: close fd 3 if lab_ossl_fifo_open opened it.
lab_ossl_fifo_close() {
    if [[ ${LAB_FIFO_OPEN:-0} -eq 1 ]]; then exec 3>&-; fi
    LAB_FIFO_OPEN=0
}

# lab_ossl_server NAME PORT ARGS...: openssl s_server -accept PORT ARGS in
# NS_S (40 s max, stdin SRV_FIFO, log $TMP/logs/NAME.server.log); sets
# SRV_PID and waits until PORT listens.
lab_ossl_server() {
    local name=$1 port=$2; shift 2
    BG_STDIN=$SRV_FIFO lab_bg "$TMP/logs/$name.server.log" 40 "$NS_S" \
        openssl s_server -accept "$port" "$@"
    SRV_PID=$BG_PID
    lab_wait_listen "$NS_S" "$port"
}

# lab_ossl_client NAME KEYLOG ARGS...: openssl s_client to V4_S:4433 (SNI,
# verified against $PKI/root.pem) in NS_C (20 s max), TLS keys to KEYLOG,
# output to $TMP/logs/NAME.client.log; stdin: the lines to send.
lab_ossl_client() {
    lab_ossl_client_to "$V4_S:4433" "$@"
}

# lab_ossl_client_to HOST:PORT NAME KEYLOG ARGS...: the same to HOST:PORT.
lab_ossl_client_to() {
    local hostport=$1 name=$2 keys=$3; shift 3
    timeout 20 ip netns exec "$NS_C" openssl s_client -connect "$hostport" -servername "$SNI" \
        -CAfile "$PKI/root.pem" -verify_return_error -no_ign_eof -nocommands \
        -keylogfile "$keys" "$@" >"$TMP/logs/$name.client.log" 2>&1
}

# lab_ossl_chat TAG: print client lines (pipe them into lab_ossl_client)
# interleaved with server lines written to fd 3 (see lab_ossl_fifo_open);
# server lines start with a digit so none is an s_server command.
lab_ossl_chat() {
    echo "GET /hello?client=$1 (client line 1)"
    sleep 0.3
    echo "1 server line one for $1" >&3
    sleep 0.3
    echo "client line 2: the quick brown fox jumps over the lazy dog"
    sleep 0.3
    echo "2 server line two for $1, a bit longer than the first one" >&3
    sleep 0.5
}
