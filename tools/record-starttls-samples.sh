#!/usr/bin/env bash
# record-starttls-samples.sh OUTDIR
#
# Records small pcap files of REAL traffic in which TLS does not start at the
# first payload byte of a TCP direction, and writes them, their TLS key logs
# and a README.md into OUTDIR:
#   * STARTTLS: `openssl s_client -starttls PROTO` against
#     tools/lib/starttls_server.py (the plaintext preamble of PROTO, then TLS
#     on the same connection, one line each way, close_notify), for smtp,
#     imap, pop3, ftp, xmpp, ldap, postgres and mysql on their usual ports;
#   * proxies: curl through tinyproxy (HTTP CONNECT) and Dante (SOCKS5,
#     --socks5-hostname) to nginx. The proxies and nginx share the server
#     namespace, so a capture on its "any" interface holds both the
#     client-proxy link (the proxy preamble, then TLS) and the proxy-nginx
#     link over lo (the same TLS from its first byte).
#
# Everything runs inside namespaces this script creates (addresses from the
# 198.18.0.0/15 benchmark range and fd00::/8), with throwaway keys and
# certificates. Needs root, iproute2, ethtool, openssl, python3, curl, nginx,
# tinyproxy, danted (dante-server), unshare, tcpdump; tshark for the summary.
# Only the PIDs, namespaces and temp dir made here are removed on exit
# (KEEP_TMP=1 keeps the temp dir with the logs).
set -euo pipefail
LIB=$(dirname -- "${BASH_SOURCE[0]}")/lib
# shellcheck source-path=SCRIPTDIR source=lib/netns-lab.sh
. "$LIB/netns-lab.sh"

usage() { echo "usage: $0 OUTDIR" >&2; exit 2; }
[[ $# -eq 1 ]] || usage
OUTDIR=$1

lab_require ip ethtool openssl python3 curl nginx tinyproxy danted unshare tcpdump ss timeout

# namespaces pktmask-stl-{srv,cli}-PID, veth pms{s,c}PID,
# server 198.18.3.1 / fd00:183::1, client 198.18.3.2 / fd00:183::2
lab_init stl pms 198.18.3 fd00:183 record-starttls
lab_make_tmp /tmp/pktmask-record-starttls.XXXXXX cap proxy
lab_make_namespaces

lab_make_server_pki "pktmask starttls test root"

KEYS=$TMP/cap

# cap_stop: lab_cap_stop, and a recording the kernel dropped packets from
# is a failed one (the judge cannot tell a gap from a masking error).
cap_stop() {
    lab_cap_stop
    grep -q '^0 packets dropped by kernel' "$TMP/logs/$CAP_NAME.tcpdump.log" ||
        { echo "error: tcpdump dropped packets of $CAP_NAME" >&2; return 1; }
}

# --- STARTTLS ---------------------------------------------------------------------

# record_starttls PROTO PORT LEAF DESCRIPTION [S_CLIENT-OPTION...]: one
# connection, recorded as starttls_PROTO, server certificate $PKI/LEAF.pem.
record_starttls() {
    local proto=$1 port=$2 leaf=$3 desc=$4 name=starttls_$1 srv; shift 4
    lab_cap_start "$name" "$desc"
    lab_bg "$TMP/logs/$name.server.log" 40 "$NS_S" \
        python3 "$LIB/starttls_server.py" "$proto" "$V4_S" "$port" "$PKI/$leaf.pem" "$PKI/$leaf.key"
    srv=$BG_PID
    lab_wait_grep "$TMP/logs/$name.server.log" listening
    { echo "client line for $proto: sent inside TLS after STARTTLS"; sleep 1; } |
        lab_ossl_client_to "$V4_S:$port" "$name" "$KEYS/$name.keys" -starttls "$proto" "$@"
    lab_bg_wait "$srv" || { cat "$TMP/logs/$name.server.log" >&2; return 1; }
    cap_stop
    grep -q "server line for $proto" "$TMP/logs/$name.client.log"
}

record_starttls smtp 25 leaf-rsa "SMTP (RFC 3207): greeting, EHLO, 250 STARTTLS, STARTTLS, 220, then TLS 1.2 (RSA-2048 cert, handshake in clear inside the TLS part)" -tls1_2
record_starttls imap 143 leaf-ec "IMAP (RFC 2595): greeting, . CAPABILITY, . STARTTLS, OK, then TLS 1.3"
record_starttls pop3 110 leaf-ec "POP3 (RFC 2595): greeting, STLS, +OK, then TLS 1.3"
record_starttls ftp 21 leaf-rsa "FTP control connection (RFC 4217): 220, AUTH TLS, 234, then TLS 1.3"
record_starttls xmpp 5222 leaf-ec "XMPP client stream (RFC 6120): stream headers, <starttls/>, <proceed/>, then TLS 1.3" -xmpphost "$SNI"
record_starttls ldap 389 leaf-rsa "LDAP (RFC 4511): StartTLS extended request 1.3.6.1.4.1.1466.20037 and its success response, then TLS 1.2" -tls1_2
record_starttls postgres 5432 leaf-ec "PostgreSQL: SSLRequest (80877103), 'S', then TLS 1.3"
record_starttls mysql 3306 leaf-rsa "MySQL: server greeting (HandshakeV10 with CLIENT_SSL), SSL request packet, then TLS 1.3"

# --- HTTP CONNECT and SOCKS5 proxies in front of nginx -----------------------------

lab_nginx_content
lab_write_nginx_conf "$(lab_nginx_server 443 "$PKI/leaf-rsa.pem" "$PKI/leaf-rsa.key")"
lab_start_nginx 120 443
# the proxy-nginx leg goes over lo: wire-sized segments, real checksums.
# On "any" libpcap sizes its ring slots by the snaplen, not an MTU: -s 2048
# (above the 1500 MTU, so nothing is cut) keeps bursts from being dropped.
ip -n "$NS_S" link set lo mtu 1500
lab_offloads_off "$NS_S" lo
lab_write_hosts

cat >"$TMP/proxy/tinyproxy.conf" <<EOF
User root
Group root
Port 3128
Listen $V4_S
Timeout 30
MaxClients 4
LogLevel Info
PidFile "$TMP/proxy/tinyproxy.pid"
Allow $V4_C
ConnectPort 443
DisableViaHeader Yes
EOF
lab_bg_hosts "$TMP/logs/tinyproxy.log" 120 "$NS_S" tinyproxy -d -c "$TMP/proxy/tinyproxy.conf"
lab_wait_listen "$NS_S" 3128

cat >"$TMP/proxy/danted.conf" <<EOF
logoutput: stderr
internal: $V4_S port = 1080
external: $V4_S
clientmethod: none
socksmethod: none
user.privileged: root
user.unprivileged: root
client pass { from: $V4_C/32 to: 0.0.0.0/0 }
socks pass { from: $V4_C/32 to: $V4_S/32 port = 443 command: connect }
EOF
lab_bg_hosts "$TMP/logs/danted.log" 120 "$NS_S" danted -f "$TMP/proxy/danted.conf" -p "$TMP/proxy/danted.pid" -N 1
lab_wait_listen "$NS_S" 1080

lab_cap_start proxy_http_connect "curl -x http://$V4_S:3128 --tlsv1.2 --tls-max 1.2 https://$SNI/hello.txt through tinyproxy: CONNECT request and 200 response, then TLS 1.2 on the client-proxy link; tinyproxy to nginx over lo is the same TLS from its first byte (recorded on the server namespace's \"any\" interface, Linux cooked link type)" \
    "$NS_S" any -s 2048
lab_curl proxy_http_connect "$KEYS/proxy_http_connect.keys" --tlsv1.2 --tls-max 1.2 --http1.1 \
    -x "http://$V4_S:3128" "https://$SNI/hello.txt"
cap_stop
grep -q "hello from nginx" "$TMP/logs/proxy_http_connect.curl.out"

lab_cap_start proxy_socks5 "curl --socks5-hostname $V4_S:1080 --tlsv1.3 https://$SNI/hello.txt through Dante: SOCKS5 method selection and CONNECT by host name, then TLS 1.3 on the client-proxy link; Dante to nginx over lo is the same TLS from its first byte (recorded on the server namespace's \"any\" interface, Linux cooked link type)" \
    "$NS_S" any -s 2048
lab_curl proxy_socks5 "$KEYS/proxy_socks5.keys" --tlsv1.3 --http1.1 \
    --socks5-hostname "$V4_S:1080" "https://$SNI/hello.txt"
cap_stop
grep -q "hello from nginx" "$TMP/logs/proxy_socks5.curl.out"

# --- output ------------------------------------------------------------------------

mkdir -p "$OUTDIR"
summary() {       # FILE -> one markdown cell: what tshark sees, without keys
    local f=$1 frames conns protos
    frames=$(tshark -r "$f" -T fields -e frame.number 2>/dev/null | wc -l)
    conns=$(tshark -r "$f" -Y 'tcp.flags.syn==1 && tcp.flags.ack==0' -T fields -e frame.number 2>/dev/null | wc -l)
    protos=$(tshark -r "$f" -T fields -e frame.protocols 2>/dev/null | tr ':' '\n' |
        grep -vxE 'sll|eth|ethertype|ip|ipv6|tcp|data' | sort -u | paste -sd, -)
    printf 'frames: %s, TCP connections: %s, dissected as: %s' "$frames" "$conns" "${protos:-nothing}"
}
{
    cat <<'EOF'
# Real captures where TLS does not start at the first payload byte

Recorded by `tools/record-starttls-samples.sh` (as root:
`sudo tools/record-starttls-samples.sh testdata/starttls`) between two
throwaway network namespaces joined by a veth pair (MTU 1500, offloads off),
with `tcpdump -U -w` (`-s 0` on the veth, `-s 2048` on `any`: above every
frame, nothing is cut). Server 198.18.3.1 / fd00:183::1, client
198.18.3.2 / fd00:183::2, SNI `server.test`; keys and certificates are made
per run and thrown away. `NAME.keys` is the client's TLS key log
(`tshark -o tls.keylog_file:NAME.keys -r NAME.pcap` decrypts it).

* `starttls_*.pcap`: `openssl s_client -starttls PROTO` against
  `tools/lib/starttls_server.py`, recorded on the client's veth. Every TCP
  direction begins with plaintext, so under the masking policy (section 3)
  every payload byte of every direction is zero after sanitizing.
* `proxy_*.pcap`: curl through a real proxy (tinyproxy, Dante) to nginx,
  recorded on the server namespace's `any` interface (Linux cooked capture):
  the client-proxy connection begins with the proxy preamble (all zero after
  sanitizing); the proxy-nginx connection over lo is ordinary TLS (record
  headers and handshakes kept).

| file | how it was made | size (bytes) | tshark summary |
| --- | --- | --- | --- |
EOF
    for n in "${CAP_NAMES[@]}"; do
        cp "$TMP/cap/$n.pcap" "$OUTDIR/$n.pcap"
        cp "$KEYS/$n.keys" "$OUTDIR/$n.keys"
        s="(tshark not installed)"
        command -v tshark >/dev/null 2>&1 && s=$(summary "$OUTDIR/$n.pcap")
        # shellcheck disable=SC2016  # backquotes are markdown
        printf '| `%s.pcap` | %s | %s | %s |\n' "$n" "${CAP_DESC[$n]}" "$(stat -c %s "$OUTDIR/$n.pcap")" "$s"
    done
    echo
    echo "Recorded with: $(openssl version | head -1); Python $(python3 -c 'import platform; print(platform.python_version())');" \
        "$(curl --version | head -1 | cut -d' ' -f1-2); $(nginx -v 2>&1); tinyproxy $(tinyproxy -v | awk '{print $2}');" \
        "$(danted -v | head -1 | cut -d' ' -f1-2 | tr -d ,.); tcpdump $(tcpdump --version 2>&1 | head -1 | awk '{print $3}')."
} >"$OUTDIR/README.md"

lab_log "done: $(cd "$OUTDIR" && du -cb ./*.pcap | tail -1 | cut -f1) bytes of pcaps in $OUTDIR"
