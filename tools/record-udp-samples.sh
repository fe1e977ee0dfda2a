#!/usr/bin/env bash
# record-udp-samples.sh OUTDIR
#
# Records small pcap files of REAL DTLS and QUIC traffic between two private
# network namespaces joined by a veth pair (tools/lib/netns-lab.sh), and
# writes them, their key logs and a README.md into OUTDIR:
# - dtls12_openssl.pcap: openssl s_server -dtls1_2 / s_client -dtls1_2,
#   with a 600-byte MTU so the Certificate travels in several fragments;
# - quic_ngtcp2.pcap: Debian's ngtcp2 examples (gtlsserver / gtlsclient,
#   packages ngtcp2-server / ngtcp2-client): a QUIC v1 HTTP/3 GET, then a
#   client offering QUIC v2 (0x6b3343cf), which this server answers with a
#   Version Negotiation packet.
#
# Needs root, iproute2, ethtool, openssl, tcpdump, gtlsserver, gtlsclient.
# Every background process is started with lab_bg and only those are stopped,
# only the namespaces and temp dir made here are removed, also on failure.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/netns-lab.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/lib/netns-lab.sh"

[[ $# -eq 1 ]] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
OUTDIR=$1

lab_require ip ethtool openssl tcpdump ss timeout gtlsserver gtlsclient

# namespaces pktmask-udp-{srv,cli}-PID, veth pmu{s,c}PID
lab_init udp pmu 198.18.0 fd00:18 record-udp
lab_make_tmp /tmp/pktmask-record-udp.XXXXXX cap www
lab_make_namespaces

lab_make_server_pki "pktmask test root"
KEYS=$TMP/cap

# --- 1. DTLS 1.2 ------------------------------------------------------------------

lab_ossl_fifo_open
lab_cap_start dtls12_openssl "openssl s_server -dtls1_2 -mtu 600 (RSA-2048 cert) / s_client -dtls1_2 -mtu 600 over IPv4 (the Certificate in several handshake fragments), a few application-data lines each way"
BG_STDIN=$SRV_FIFO lab_bg "$TMP/logs/dtls12_openssl.server.log" 40 "$NS_S" \
    openssl s_server -dtls1_2 -mtu 600 -accept 4433 -naccept 1 -cert "$PKI/leaf-rsa.pem" -key "$PKI/leaf-rsa.key"
SRV_PID=$BG_PID
lab_wait_listen "$NS_S" 4433 udp
lab_ossl_chat dtls12 | lab_ossl_client dtls12_openssl "$KEYS/dtls12_openssl.keys" -dtls1_2 -mtu 600
lab_bg_stop "$SRV_PID" TERM
lab_cap_stop
lab_ossl_fifo_close
grep -q "1 server line one" "$TMP/logs/dtls12_openssl.client.log"

# --- 2. QUIC ----------------------------------------------------------------------

echo "hello over QUIC from the ngtcp2 example server" >"$TMP/www/hello.txt"
lab_cap_start quic_ngtcp2 "ngtcp2 gtlsserver / gtlsclient over IPv4: a QUIC v1 connection GETs /hello.txt over HTTP/3; then a client offering QUIC v2 (0x6b3343cf) gets a Version Negotiation packet and gives up"
lab_bg "$TMP/logs/quic_ngtcp2.server.log" 40 "$NS_S" \
    gtlsserver -q -d "$TMP/www" "$V4_S" 4433 "$PKI/leaf-ec.key" "$PKI/leaf-ec.pem"
SRV_PID=$BG_PID
lab_wait_listen "$NS_S" 4433 udp
timeout 20 ip netns exec "$NS_C" env SSLKEYLOGFILE="$KEYS/quic_ngtcp2.keys" \
    gtlsclient -q --download="$TMP/cap" --exit-on-all-streams-close --sni="$SNI" "$V4_S" 4433 \
    "https://$SNI:4433/hello.txt" >"$TMP/logs/quic_ngtcp2-v1.client.log" 2>&1
cmp "$TMP/www/hello.txt" "$TMP/cap/hello.txt"
timeout 20 ip netns exec "$NS_C" gtlsclient -q -v 0x6b3343cf --exit-on-all-streams-close --sni="$SNI" \
    "$V4_S" 4433 "https://$SNI:4433/hello.txt" >"$TMP/logs/quic_ngtcp2-v2.client.log" 2>&1 || true
grep -q "VERSION_NEGOTIATION" "$TMP/logs/quic_ngtcp2-v2.client.log"
lab_bg_stop "$SRV_PID" TERM
lab_cap_stop

# --- output -----------------------------------------------------------------------

mkdir -p "$OUTDIR"
{
    cat <<'EOF2'
# Real DTLS and QUIC sample captures

Recorded by `tools/record-udp-samples.sh` (run as root:
`sudo tools/record-udp-samples.sh testdata/udp`) between two throwaway network
namespaces joined by a veth pair (MTU 1500, offloads off, so every UDP
checksum is correct), captured with `tcpdump -s 0 -U -w` on the client side
(Ethernet link type, microsecond pcap: no pcapng, so no Decryption Secrets
Block). Server 198.18.0.1, client 198.18.0.2, SNI `server.test`. Keys and
certificates are generated per run and thrown away.

`NAME.keys` is the NSS key log of the same run (`s_client -keylogfile`, or
GnuTLS's `SSLKEYLOGFILE` for the QUIC client): `tshark -o tls.keylog_file:NAME.keys
-r NAME.pcap` decrypts the capture. They unlock nothing but these sessions.

| file | how it was made | size (bytes) | frames |
| --- | --- | --- | --- |
EOF2
    lab_publish_rows "$OUTDIR" "$KEYS"
} >"$OUTDIR/README.md"
lab_log "wrote ${CAP_NAMES[*]} to $OUTDIR"
