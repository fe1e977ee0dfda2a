#!/usr/bin/env bash
# record-report-sample.sh OUTDIR
#
# Records report_sample.pcap, a small capture of REAL traffic whose
# identifying values are known in advance, for the report's browser tests
# (tests/e2e/report_browser.sh), and writes it and a README.md into OUTDIR.
# Two private network namespaces joined by a veth pair (tools/lib/netns-lab.sh)
# with fixed MACs and static neighbour entries (so no ARP), IPv4 only:
# 1. TLS 1.2: openssl s_server (ECDSA certificate CN=report.example.test,
#    O=Report Test, issued by a CA made here, CN=Report Test CA) to
#    s_client -servername report.example.test -alpn http/1.1, a few lines;
# 2. TLS 1.3: the same server key to s_client -servername api.example.test;
# 3. a plain TCP connection the server resets mid-stream (python3 closes
#    with SO_LINGER 0 after reading part of what the client sent);
# 4. a DNS-like UDP query and its answer (python3).
#
# Needs root, iproute2, ethtool, openssl, tcpdump, python3.
# Every background process is started with lab_bg and only those are stopped,
# only the namespaces and temp dir made here are removed, also on failure.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/netns-lab.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/lib/netns-lab.sh"

[[ $# -eq 1 ]] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
OUTDIR=$1

lab_require ip ethtool openssl tcpdump ss timeout python3

MAC_S=02:00:5e:10:00:01
MAC_C=02:00:5e:10:00:02
SNI_TLS12=report.example.test
SNI_TLS13=api.example.test

# namespaces pktmask-report-{srv,cli}-PID, veth pmr{s,c}PID
lab_init report pmr 192.0.2 fd00:13 record-report
lab_make_tmp /tmp/pktmask-record-report.XXXXXX cap
lab_make_namespaces
ip -n "$NS_S" link set "$IF_S" address "$MAC_S"
ip -n "$NS_C" link set "$IF_C" address "$MAC_C"
ip -n "$NS_S" neigh replace "$V4_C" lladdr "$MAC_C" dev "$IF_S" nud permanent
ip -n "$NS_C" neigh replace "$V4_S" lladdr "$MAC_S" dev "$IF_C" nud permanent

lab_log "generating the throwaway CA and server certificate"
LAB_PKI_ORG="Report Test"
{
    lab_openssl_cnf_base
    lab_openssl_cnf_leaf v3_leaf serverAuth @alt
    printf '%s\n' "[ alt ]" "DNS.1 = $SNI_TLS12" "DNS.2 = $SNI_TLS13"
} >"$PKI/openssl.cnf"
lab_genkey "$PKI/root.key" -algorithm EC -pkeyopt ec_paramgen_curve:P-256
lab_genkey "$PKI/leaf.key" -algorithm EC -pkeyopt ec_paramgen_curve:P-256
lab_mkroot root "Report Test CA"
lab_mkcert leaf "$SNI_TLS12" root v3_leaf

# tls_session NAME SNI VERSION-OPTION: one s_server session (port 4433,
# ALPN http/1.1 offered) to s_client naming SNI, a few lines each way.
tls_session() {
    local name=$1
    SNI=$2
    lab_ossl_server "$name" 4433 "$3" -naccept 1 -alpn http/1.1 -cert "$PKI/leaf.pem" -key "$PKI/leaf.key"
    lab_ossl_chat "$name" | lab_ossl_client "$name" /dev/null "$3" -alpn http/1.1
    lab_bg_stop "$SRV_PID" TERM
}

# The reset: the server reads 100 bytes of the client's 3000, then closes
# with SO_LINGER {on, 0}, which makes the kernel send RST instead of FIN.
RESET_SERVER='
import socket, struct, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 9000)); s.listen(1)
c, _ = s.accept(); c.recv(100)
c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)); c.close()
'
RESET_CLIENT='
import socket, sys, time
c = socket.create_connection((sys.argv[1], 9000))
c.sendall(b"partial upload that the server cuts short. " * 70)
time.sleep(0.5)
try:
    c.recv(10)
except ConnectionResetError:
    pass
'
# The DNS-like exchange: a standard query for report.example.test (A) and
# an answer with 192.0.2.80.
DNS_SERVER='
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((sys.argv[1], 53))
q, peer = s.recvfrom(512)
answer = q[:2] + b"\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00" + q[12:] + b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\xc0\x00\x02\x50"
s.sendto(answer, peer)
'
DNS_CLIENT='
import socket, sys
name = b"".join(bytes([len(p)]) + p for p in b"report.example.test".split(b".")) + b"\x00"
q = b"\x13\x0d\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00" + name + b"\x00\x01\x00\x01"
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(5)
s.sendto(q, (sys.argv[1], 53)); s.recvfrom(512)
'

lab_ossl_fifo_open
lab_cap_start report_sample "IPv4 only, no ARP: TLS 1.2 (SNI $SNI_TLS12, ALPN http/1.1), TLS 1.3 (SNI $SNI_TLS13), a TCP connection reset mid-stream, a DNS-like UDP query and answer" \
    "$NS_C" "$IF_C" ip
tls_session tls12 "$SNI_TLS12" -tls1_2
tls_session tls13 "$SNI_TLS13" -tls1_3

lab_bg "$TMP/logs/reset.server.log" 20 "$NS_S" python3 -c "$RESET_SERVER" "$V4_S"
RESET_PID=$BG_PID
lab_wait_listen "$NS_S" 9000
timeout 20 ip netns exec "$NS_C" python3 -c "$RESET_CLIENT" "$V4_S"
lab_bg_wait "$RESET_PID"

lab_bg "$TMP/logs/dns.server.log" 20 "$NS_S" python3 -c "$DNS_SERVER" "$V4_S"
DNS_PID=$BG_PID
lab_wait_listen "$NS_S" 53 udp
timeout 20 ip netns exec "$NS_C" python3 -c "$DNS_CLIENT" "$V4_S"
lab_bg_wait "$DNS_PID"
lab_cap_stop
lab_ossl_fifo_close
grep -q "1 server line one" "$TMP/logs/tls12.client.log"
grep -q "1 server line one" "$TMP/logs/tls13.client.log"

# --- output -----------------------------------------------------------------------

mkdir -p "$OUTDIR"
{
    cat <<EOF2
# A recorded capture with known identifying values, for the report's tests

Recorded by \`tools/record-report-sample.sh\` (run as root:
\`sudo tools/record-report-sample.sh testdata/report\`) between two throwaway
network namespaces joined by a veth pair (MTU 1500, offloads off), captured
with \`tcpdump -s 0 -U -w ... ip\` on the client side (Ethernet link type,
microsecond pcap). The key and certificates are generated per run and thrown
away. Used by tests/e2e/report_browser.sh, which reads the expected values
from the capture with tshark at test time; this list is for people.

Known values:

- Addresses: server $V4_S, client $V4_C (IPv4 only; static neighbour
  entries, so no ARP in the capture).
- MACs: server $MAC_S, client $MAC_C.
- Connections: 4, in this order:
  1. TCP $V4_C -> $V4_S:4433, TLS 1.2 (openssl s_server / s_client), SNI
     \`$SNI_TLS12\`, ALPN \`http/1.1\`; the Certificate message is visible:
     subject \`CN=$SNI_TLS12, O=Report Test\` (ECDSA P-256, SAN
     $SNI_TLS12 and $SNI_TLS13), issuer \`CN=Report Test CA, O=Report Test\`;
  2. TCP $V4_C -> $V4_S:4433, TLS 1.3, SNI \`$SNI_TLS13\`, ALPN \`http/1.1\`
     (the certificate is encrypted);
  3. TCP $V4_C -> $V4_S:9000, plain bytes: the client sends 3010 bytes, the
     server reads 100 and closes with SO_LINGER 0 (RST);
  4. UDP $V4_C -> $V4_S:53, a DNS query for report.example.test (A) and its
     answer (192.0.2.80).

| file | how it was made | size (bytes) | frames |
| --- | --- | --- | --- |
EOF2
    lab_publish_rows "$OUTDIR"
} >"$OUTDIR/README.md"
lab_log "wrote ${CAP_NAMES[*]} to $OUTDIR"
