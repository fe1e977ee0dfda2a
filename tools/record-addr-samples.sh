#!/usr/bin/env bash
# record-addr-samples.sh OUTDIR
#
# Records small pcap files of REAL traffic that carries addresses in every
# place the Linux stack puts them, for the address anonymization tests, and
# writes them and a README.md into OUTDIR. Two private network namespaces are
# joined by a veth pair (tools/lib/netns-lab.sh); on top of it, the tunnels
# the kernel offers of: GRE with checksums (and a key), VXLAN with UDP
# checksums over IPv4 and over IPv6, IP-in-IP and 6in4 (SIT). A tunnel type
# the kernel lacks is skipped with a message (the crafted captures of
# tests/judge cover it).
# - tunnels.pcap (Ethernet, on the veth): ARP and neighbour discovery (both
#   caches flushed first), MLD reports, ping with the record-route and
#   timestamp-and-address options, a UDP datagram to a closed port in IPv4
#   and IPv6 (ICMP and ICMPv6 port unreachable quoting it), then through
#   each tunnel a ping and a short TLS 1.3 session (openssl s_server /
#   s_client). The README lists the tunnels recorded.
# - any_sll.pcap / any_sll2.pcap (tcpdump -i any, link types LINUX_SLL and
#   LINUX_SLL2, in the client namespace): a ping and a TLS session.
#
# Needs root, iproute2, ethtool, openssl, tcpdump, ping (iputils).
# Every background process is started with lab_bg and only those are stopped,
# only the namespaces and temp dir made here are removed, also on failure.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/netns-lab.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/lib/netns-lab.sh"

[[ $# -eq 1 ]] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
OUTDIR=$1

lab_require ip ethtool openssl tcpdump ss timeout ping

# namespaces pktmask-addr-{srv,cli}-PID, veth pma{s,c}PID
lab_init addr pma 198.19.0 fd00:19 record-addr
lab_make_tmp /tmp/pktmask-record-addr.XXXXXX cap
lab_make_namespaces
lab_make_server_pki "pktmask test root"

TUNNELS=()
# tunnel N OUTER TYPE ARGS...: the same tunnel pmtN on both sides over the
# veth's OUTER (4 or 6) addresses, inner networks 10.77.N.0/24 and
# fd77:N::/64, the server at .1 / ::1; its inner addresses are added to
# TUNNELS. Returns non-zero, having made nothing, when the kernel lacks TYPE.
tunnel() {
    local n=$1 outer=$2 type=$3; shift 3
    local name=pmt$n ns local_ip remote_ip host
    if ! ip -n "$NS_C" link add "$name" type "$type" local "$V4_C" remote "$V4_S" "$@" 2>/dev/null; then
        lab_log "no $type tunnels in this kernel: skipped"
        return 1
    fi
    ip -n "$NS_C" link del "$name"
    for side in S C; do
        if [[ $side == S ]]; then ns=$NS_S host=1; else ns=$NS_C host=2; fi
        if [[ $outer == 4 ]]; then
            if [[ $side == S ]]; then local_ip=$V4_S remote_ip=$V4_C; else local_ip=$V4_C remote_ip=$V4_S; fi
        elif [[ $side == S ]]; then local_ip=$V6_S remote_ip=$V6_C; else local_ip=$V6_C remote_ip=$V6_S; fi
        ip -n "$ns" link add "$name" type "$type" local "$local_ip" remote "$remote_ip" "$@"
        ip -n "$ns" addr add "10.77.$n.$host/24" dev "$name"
        [[ $type == ipip ]] || ip -n "$ns" addr add "fd77:$n::$host/64" dev "$name" nodad
        ip -n "$ns" link set "$name" up
    done
    TUNNELS+=("10.77.$n.1")
    [[ $type == ipip ]] || TUNNELS+=("fd77:$n::1")
}

tunnel 1 4 gre key 7 csum || true
tunnel 2 4 vxlan id 42 dstport 4789 udpcsum || true
tunnel 3 6 vxlan id 43 dstport 4789 udp6zerocsumtx udp6zerocsumrx || true
tunnel 4 4 ipip || true
tunnel 5 4 sit || true

# tls_over HOST TAG: a short TLS 1.3 session from the client to HOST:4433.
tls_over() {
    local host=$1 tag=$2
    lab_ossl_server "$tag" 4433 -tls1_3 -naccept 1 -cert "$PKI/leaf-ec.pem" -key "$PKI/leaf-ec.key"
    lab_ossl_chat "$tag" | lab_ossl_client_to "$host:4433" "$tag" /dev/null -tls1_3
    lab_bg_stop "$SRV_PID" TERM
}

# udp_to_closed NS HOST: one datagram to a port nobody listens on.
udp_to_closed() {
    ip netns exec "$1" bash -c "echo probe-for-an-icmp-quote >/dev/udp/$2/9" || true
}

lab_ossl_fifo_open

lab_cap_start tunnels "veth (Ethernet): ARP/ND after flushing the caches, MLD, ping -R and ping -T tsandaddr, UDP to a closed port (ICMP/ICMPv6 unreachable), then over each tunnel the kernel offers of GRE (key, checksums), VXLAN over IPv4 (UDP checksums) and IPv6 (zero UDP checksums), IP-in-IP and 6in4, a ping and a TLS 1.3 session"
ip -n "$NS_C" neigh flush dev "$IF_C"
ip -n "$NS_S" neigh flush dev "$IF_S"
ip netns exec "$NS_C" ping -c 1 -W 2 "$V4_S" >/dev/null
ip netns exec "$NS_C" ping -6 -c 1 -W 2 "$V6_S" >/dev/null
ip netns exec "$NS_C" ping -c 1 -W 2 -R "$V4_S" >/dev/null
ip netns exec "$NS_C" ping -c 1 -W 2 -T tsandaddr "$V4_S" >/dev/null || true
udp_to_closed "$NS_C" "$V4_S"
udp_to_closed "$NS_C" "$V6_S"
sleep 0.3
for inner in "${TUNNELS[@]}"; do
    ip netns exec "$NS_C" ping -c 1 -W 2 "$inner" >/dev/null
    if [[ $inner == *:* ]]; then tls_over "[$inner]" "tls_$inner"; else tls_over "$inner" "tls_$inner"; fi
done
lab_cap_stop
CAP_DESC[tunnels]+=" (tunnel inner hosts recorded: ${TUNNELS[*]})"

for link in LINUX_SLL LINUX_SLL2; do
    name=any_${link#LINUX_}
    name=${name,,}
    lab_cap_start "$name" "tcpdump -i any -y $link in the client namespace: a ping and a TLS 1.3 session" "$NS_C" any -y "$link"
    ip netns exec "$NS_C" ping -c 1 -W 2 "$V4_S" >/dev/null
    tls_over "$V4_S" "tls_$name"
    lab_cap_stop
done

lab_ossl_fifo_close

# --- output -----------------------------------------------------------------------

mkdir -p "$OUTDIR"
{
    cat <<'EOF2'
# Real captures with addresses in every place the Linux stack puts them

Recorded by `tools/record-addr-samples.sh` (run as root:
`sudo tools/record-addr-samples.sh testdata/addr`) between two throwaway
network namespaces joined by a veth pair (offloads off), with GRE, VXLAN,
IP-in-IP and 6in4 tunnels on top, captured with `tcpdump -s 0 -U -w`
(microsecond pcap). Server 198.19.0.1 / fd00:19::1, client 198.19.0.2 /
fd00:19::2; tunnel inner networks 10.77.N.0/24 and fd77:N::/64. Keys and
certificates are generated per run and thrown away. Used by the address
anonymization tests (tests/e2e/anonymize.sh).

| file | how it was made | size (bytes) | frames |
| --- | --- | --- | --- |
EOF2
    lab_publish_rows "$OUTDIR"
} >"$OUTDIR/README.md"
lab_log "wrote ${CAP_NAMES[*]} to $OUTDIR"
