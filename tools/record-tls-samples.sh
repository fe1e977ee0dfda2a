#!/usr/bin/env bash
# record-tls-samples.sh OUTDIR
#
# Records small pcap files of REAL TLS traffic (OpenSSL s_server/s_client,
# nginx + curl) between two private network namespaces joined by a veth pair,
# and writes them, their TLS key logs and a README.md into OUTDIR.
#
# Everything runs inside namespaces this script creates (addresses from the
# 198.18.0.0/15 benchmark range and fd00::/8), with throwaway keys and
# certificates generated on the fly. Needs root, iproute2, ethtool, openssl,
# curl, nginx (nginx-light is enough), tcpdump; tshark for the summary.
#
# Every background process is started here, its PID remembered, and on exit
# (normal, error, INT, TERM) only those PIDs are stopped and only the
# namespaces and temp dir made here are removed (KEEP_TMP=1 keeps the temp
# dir with the server/client logs, for debugging).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/netns-lab.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/lib/netns-lab.sh"

usage() { echo "usage: $0 OUTDIR" >&2; exit 2; }
[[ $# -eq 1 ]] || usage
OUTDIR=$1

lab_require ip ethtool openssl curl nginx tcpdump ss timeout

# namespaces pktmask-rec-{srv,cli}-PID, veth pmr{s,c}PID,
# server 198.18.0.1 / fd00:18::1, client 198.18.0.2 / fd00:18::2
lab_init rec pmr 198.18.0 fd00:18 record

lab_make_tmp /tmp/pktmask-record.XXXXXX cap

# --- namespaces ----------------------------------------------------------------

lab_make_namespaces

# --- throwaway PKI ---------------------------------------------------------------

lab_log "generating throwaway keys and certificates (includes 4096-bit chain)"
LAB_PKI_ORG="pktmask test"
{
    lab_openssl_cnf_base
    cat <<EOF
[ v3_int ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
certificatePolicies = 2.23.140.1.2.1
EOF
    lab_openssl_cnf_leaf v3_leaf "serverAuth, clientAuth" @alt_small
    lab_openssl_cnf_leaf v3_bigleaf "serverAuth, clientAuth" @alt_big "certificatePolicies = 2.23.140.1.2.1"
    cat <<EOF
[ alt_small ]
DNS.1 = $SNI
IP.1 = $V4_S
IP.2 = $V6_S
[ alt_big ]
DNS.1 = $SNI
IP.1 = $V4_S
IP.2 = $V6_S
EOF
    # a long SAN list makes the leaf (and so the Certificate message) bigger
    for i in $(seq 2 151); do printf 'DNS.%d = host-%03d.large-chain.%s\n' "$i" "$i" "$SNI"; done
} >"$PKI/openssl.cnf"

# small PKI: RSA-2048 root, RSA-2048 and ECDSA P-256 leaves
lab_make_small_pki "pktmask test root"
cat "$PKI/leaf-rsa.pem" >"$PKI/chain-rsa.pem"

# large chain: root + 3 intermediates + leaf, all RSA-4096; the server sends
# leaf, int3, int2, int1 and the root
for k in bigroot int1 int2 int3 bigleaf; do
    lab_genkey "$PKI/$k.key" -algorithm RSA -pkeyopt rsa_keygen_bits:4096
done
lab_mkroot bigroot "pktmask test large-chain root"
lab_mkcert int1 "pktmask test intermediate 1" bigroot v3_int
lab_mkcert int2 "pktmask test intermediate 2" int1 v3_int
lab_mkcert int3 "pktmask test intermediate 3" int2 v3_int
lab_mkcert bigleaf "$SNI" int3 v3_bigleaf
cat "$PKI/bigleaf.pem" "$PKI/int3.pem" "$PKI/int2.pem" "$PKI/int1.pem" "$PKI/bigroot.pem" >"$PKI/bigchain.pem"
timeout 20 openssl verify -CAfile "$PKI/bigroot.pem" \
    -untrusted <(cat "$PKI/int1.pem" "$PKI/int2.pem" "$PKI/int3.pem") "$PKI/bigleaf.pem" >/dev/null
CHAIN_DER_BYTES=0
for c in bigleaf int3 int2 int1 bigroot; do
    n=$(openssl x509 -in "$PKI/$c.pem" -outform DER | wc -c)
    CHAIN_DER_BYTES=$((CHAIN_DER_BYTES + n))
done
lab_log "large chain: 5 certificates, $CHAIN_DER_BYTES bytes DER"

# s_server sends what the shell writes to fd 3 (lab_ossl_chat)
lab_ossl_fifo_open

# --- 1. OpenSSL TLS 1.2 ------------------------------------------------------------

KEYS=$TMP/cap
lab_cap_start tls12_openssl "openssl s_server -tls1_2 (RSA-2048 cert) / s_client -tls1_2 over IPv4, a few application-data lines each way, close_notify"
lab_ossl_server tls12_openssl 4433 -tls1_2 -naccept 1 -cert "$PKI/leaf-rsa.pem" -key "$PKI/leaf-rsa.key"
lab_ossl_chat tls12 | lab_ossl_client tls12_openssl "$KEYS/tls12_openssl.keys" -tls1_2
lab_bg_wait "$SRV_PID" || true
lab_cap_stop
grep -q "1 server line one" "$TMP/logs/tls12_openssl.client.log"

# --- 2. OpenSSL TLS 1.3 ------------------------------------------------------------

lab_cap_start tls13_openssl "openssl s_server -tls1_3 (ECDSA P-256 cert) / s_client -tls1_3 over IPv4, a few application-data lines each way, close_notify"
lab_ossl_server tls13_openssl 4433 -tls1_3 -naccept 1 -cert "$PKI/leaf-ec.pem" -key "$PKI/leaf-ec.key"
lab_ossl_chat tls13 | lab_ossl_client tls13_openssl "$KEYS/tls13_openssl.keys" -tls1_3
lab_bg_wait "$SRV_PID" || true
lab_cap_stop
grep -q "1 server line one" "$TMP/logs/tls13_openssl.client.log"

# --- 3. OpenSSL TLS 1.3 0-RTT ------------------------------------------------------

lab_cap_start tls13_0rtt "openssl s_server -tls1_3 -early_data; connection 1: full handshake, client saves the ticket (-sess_out); connection 2: resumption with -sess_in -early_data FILE (0-RTT application data in the client's first flight, EndOfEarlyData), then normal data"
lab_ossl_server tls13_0rtt 4433 -tls1_3 -early_data -naccept 2 -cert "$PKI/leaf-rsa.pem" -key "$PKI/leaf-rsa.key"
lab_ossl_chat 0rtt-first | lab_ossl_client tls13_0rtt-1 "$KEYS/tls13_0rtt.keys" -tls1_3 -sess_out "$TMP/sess.pem"
printf 'GET /early HTTP/1.1\r\nHost: %s\r\nX-Early: this line travels as 0-RTT early data\r\n\r\n' "$SNI" >"$TMP/early.txt"
lab_ossl_chat 0rtt-second | lab_ossl_client tls13_0rtt-2 "$KEYS/tls13_0rtt.keys" -tls1_3 -sess_in "$TMP/sess.pem" -early_data "$TMP/early.txt"
lab_bg_wait "$SRV_PID" || true
lab_cap_stop
grep -q "Reused, TLSv1.3" "$TMP/logs/tls13_0rtt-2.client.log"
if grep -q "Early data was accepted" "$TMP/logs/tls13_0rtt-2.client.log"; then
    EARLY_STATUS="early data accepted by the server"
else
    EARLY_STATUS="early data was NOT accepted (see s_client log)"
    lab_log "warning: $EARLY_STATUS"
fi
lab_ossl_fifo_close

# --- nginx ---------------------------------------------------------------------------

lab_nginx_content
lab_write_nginx_conf \
    "$(lab_nginx_server 443 "$PKI/chain-rsa.pem" "$PKI/leaf-rsa.key" http2)" \
    "$(lab_nginx_server 8443 "$PKI/bigchain.pem" "$PKI/bigleaf.key")"
lab_start_nginx 120 443 8443

lab_cap_start nginx_curl_tls12_ipv4 "curl --tlsv1.2 --tls-max 1.2 --http1.1 to nginx over IPv4; two GETs (index.html, hello.txt) on one keep-alive connection"
lab_curl nginx_curl_tls12_ipv4 "$KEYS/nginx_curl_tls12_ipv4.keys" --tlsv1.2 --tls-max 1.2 --http1.1 \
    --resolve "$SNI:443:$V4_S" "https://$SNI/index.html" "https://$SNI/hello.txt"
lab_cap_stop

lab_cap_start nginx_curl_tls13_ipv6 "curl --tlsv1.3 over IPv6 to nginx, HTTP/2 via ALPN; two GETs (index.html, hello.txt) on one connection"
lab_curl nginx_curl_tls13_ipv6 "$KEYS/nginx_curl_tls13_ipv6.keys" --tlsv1.3 --http2 \
    --resolve "$SNI:443:[$V6_S]" "https://$SNI/index.html" "https://$SNI/hello.txt"
lab_cap_stop

lab_cap_start nginx_large_chain "nginx serving a 5-certificate RSA-4096 chain (leaf with 151 SANs + 3 intermediates + root, $CHAIN_DER_BYTES bytes DER) over IPv4: connection 1 TLS 1.2 (Certificate in clear, spans many segments), connection 2 TLS 1.3; GET /hello.txt each"
CACERT=$PKI/bigroot.pem lab_curl nginx_large_chain-12 "$KEYS/nginx_large_chain.keys" --tlsv1.2 --tls-max 1.2 --http1.1 \
    --resolve "$SNI:8443:$V4_S" "https://$SNI:8443/hello.txt"
sleep 0.3
CACERT=$PKI/bigroot.pem lab_curl nginx_large_chain-13 "$KEYS/nginx_large_chain.keys" --tlsv1.3 --http1.1 \
    --resolve "$SNI:8443:$V4_S" "https://$SNI:8443/hello.txt"
lab_cap_stop

lab_cap_start nginx_download_2mb "curl --tlsv1.3 --http1.1 over IPv4 downloads a 2 MiB random file from nginx (full 16 KiB records spanning many MTU-sized segments)"
lab_curl nginx_download_2mb "$KEYS/nginx_download_2mb.keys" --tlsv1.3 --http1.1 \
    --resolve "$SNI:443:$V4_S" -o "$TMP/2mb.got" "https://$SNI/2mb.bin"
lab_cap_stop
cmp -s "$TMP/2mb.got" "$NGX/www/2mb.bin"

lab_bg_stop "$NGINX_PID" TERM

# --- output + tshark summary --------------------------------------------------------

mkdir -p "$OUTDIR"
HAVE_TSHARK=0
command -v tshark >/dev/null 2>&1 && HAVE_TSHARK=1

# map numeric codes to names and count them: "22,23,23" -> "Handshake x1, AppData x2"
HS_NAMES='1=ClientHello 2=ServerHello 4=NewSessionTicket 5=EndOfEarlyData 8=EncryptedExtensions 11=Certificate 12=ServerKeyExchange 13=CertificateRequest 14=ServerHelloDone 15=CertificateVerify 16=ClientKeyExchange 20=Finished 24=KeyUpdate'
CT_NAMES='20=CCS 21=Alert 22=Handshake 23=AppData 24=Heartbeat'
count_codes() {   # NAMES  (stdin: codes separated by commas/newlines)
    tr ',' '\n' | awk -v names="$1" '
        BEGIN { n = split(names, a, " "); for (i = 1; i <= n; i++) { split(a[i], kv, "="); nm[kv[1]] = kv[2] } }
        NF { c = ($1 in nm) ? nm[$1] : "type" $1; if (!(c in cnt)) ord[++k] = c; cnt[c]++ }
        END { for (i = 1; i <= k; i++) printf "%s%s x%d", (i > 1 ? ", " : ""), ord[i], cnt[ord[i]] }'
}

summary() {       # FILE KEYLOG -> one markdown cell
    local f=$1 keys=$2 frames tcp conns bad hs ct dhs
    frames=$(tshark -r "$f" -T fields -e frame.number 2>/dev/null | wc -l)
    tcp=$(tshark -r "$f" -Y tcp -T fields -e frame.number 2>/dev/null | wc -l)
    conns=$(tshark -r "$f" -Y 'tcp.flags.syn==1 && tcp.flags.ack==0' -T fields -e frame.number 2>/dev/null | wc -l)
    bad=$(tshark -r "$f" -o tcp.check_checksum:TRUE -Y 'tcp.checksum.status==0' -T fields -e frame.number 2>/dev/null | wc -l)
    # without keys, what a masker sees: the content type on the wire
    # (tshark calls it opaque_type for TLS 1.3 encrypted records) and the
    # handshake messages that travel in the clear
    ct=$(tshark -r "$f" -Y tls -T fields -e tls.record.content_type -e tls.record.opaque_type 2>/dev/null |
        tr '\t' ',' | count_codes "$CT_NAMES")
    hs=$(tshark -r "$f" -Y 'tls.handshake.type' -T fields -e tls.handshake.type 2>/dev/null | count_codes "$HS_NAMES")
    printf 'frames: %s (TCP %s), TCP connections: %s, bad TCP checksums: %s; wire records: %s; clear handshake: %s' \
        "$frames" "$tcp" "$conns" "$bad" "${ct:-none}" "${hs:-none}"
    if [[ -s $keys ]]; then
        dhs=$(tshark -r "$f" -o "tls.keylog_file:$keys" -Y 'tls.handshake.type' -T fields -e tls.handshake.type 2>/dev/null |
            count_codes "$HS_NAMES")
        printf '; all handshake (decrypted with the .keys): %s' "${dhs:-none}"
    fi
}

{
    cat <<'EOF'
# Real TLS sample captures

Recorded by `tools/record-tls-samples.sh` (run as root: `sudo tools/record-tls-samples.sh testdata/tls`)
between two throwaway network namespaces joined by a veth pair (MTU 1500,
TSO/GSO/GRO/checksum offloads off, so every segment is at most MTU-sized and
every TCP checksum is correct), captured with `tcpdump -s 0 -U -w` on the
client side (Ethernet link type, microsecond pcap). Addresses: server
198.18.0.1 / fd00:18::1, client 198.18.0.2 / fd00:18::2, SNI `server.test`.
Keys and certificates are generated per run and thrown away, so the
contents differ between runs (the shapes do not).

`NAME.keys` is the NSS key log of the same run (from `s_client -keylogfile`
or curl's `SSLKEYLOGFILE`): `tshark -o tls.keylog_file:NAME.keys -r NAME.pcap`
decrypts the capture, which shows exactly which bytes are application data.
They unlock nothing but these throwaway sessions.

The summary column is what `tshark` (no keys) sees: record content types on
the wire and handshake messages visible in the clear (in TLS 1.3 everything
after ServerHello is inside type-23 records).

| file | how it was made | size (bytes) | tshark summary |
| --- | --- | --- | --- |
EOF
    for n in "${CAP_NAMES[@]}"; do
        cp "$TMP/cap/$n.pcap" "$OUTDIR/$n.pcap"
        cp "$TMP/cap/$n.keys" "$OUTDIR/$n.keys" 2>/dev/null || true
        size=$(stat -c %s "$OUTDIR/$n.pcap")
        d=${CAP_DESC[$n]}
        [[ $n == tls13_0rtt ]] && d="$d ($EARLY_STATUS)"
        if [[ $HAVE_TSHARK -eq 1 ]]; then s=$(summary "$OUTDIR/$n.pcap" "$OUTDIR/$n.keys"); else s="(tshark not installed)"; fi
        printf '| `%s.pcap` | %s | %s | %s |\n' "$n" "$d" "$size" "$s"
    done
    echo
    echo "Recorded with: $(openssl version | head -1); $(nginx -v 2>&1); $(curl --version | head -1 | cut -d' ' -f1-2); tcpdump $(tcpdump --version 2>&1 | head -1 | awk '{print $3}')."
} >"$TMP/README.md"
cp "$TMP/README.md" "$OUTDIR/README.md"

lab_log "done: $(cd "$OUTDIR" && du -ch ./*.pcap | tail -1 | cut -f1) of pcaps in $OUTDIR"
ls -l "$OUTDIR" >&2
