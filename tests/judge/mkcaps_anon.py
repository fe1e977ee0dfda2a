#!/usr/bin/env python3
"""Crafted captures with an address in every location of issue 12 item 4
(standard library only).

usage: mkcaps_anon.py OUTDIR

anon_eth.pcap and anon_eth.pcapng (Ethernet), anon_sll.pcap (SLL) and
anon_sll2.pcapng (SLL2): Ethernet/SLL/SLL2 addresses, ARP, IPv4 and IPv6
with record-route, source-route and timestamp options and routing headers of
types 0, 2 and 4, ICMP and ICMPv6 errors quoting them, ND (targets,
link-layer options, a redirect with its redirected header), MLDv1/v2,
IGMPv2/v3 with sources, VXLAN, Geneve, GRE (with checksum), IP-in-IP (4in4,
6in4, 4in6), IPv4 and IPv6 fragments, special addresses (multicast,
broadcast, link-local, loopback), a TCP checksum left partial by offload and
a UDP datagram without checksum.  Every checksum verifies except those two.
Nothing here knows where addresses lie: judge_anon.py works that out.
"""

import struct
import sys

from mkcaps import (inet_checksum, ipv4, ipv6, tcp_segment, udp_datagram,
                    tls_record, client_hello, pcap_bytes, shb,
                    idb, epb)
from mkcaps_v2 import write_files

A4 = bytes([203, 0, 113, 10])       # client
B4 = bytes([198, 51, 100, 20])      # server
R4 = [bytes([192, 0, 2, n]) for n in (1, 2, 3, 4)]     # routers
T4 = [bytes([100, 64, 7, n]) for n in (1, 2)]          # tunnel endpoints
A6 = bytes.fromhex("20010db8000a00000000000000000010")
B6 = bytes.fromhex("20010db8000b00000000000000000020")
R6 = [bytes.fromhex("20010db8000c000000000000000000%02x" % n) for n in (1, 2, 3)]
LL6 = bytes.fromhex("fe800000000000000211223344556677")
MA = bytes.fromhex("001b21aabb01")      # universal unicast
MB = bytes.fromhex("3c22fbccdd02")
MC = bytes.fromhex("0aaabbccdd03")      # locally administered
BCAST = b"\xff" * 6
S = b"SECRET"


def eth(payload, ethertype=0x0800, dst=MB, src=MA):
    return dst + src + struct.pack("!H", ethertype) + payload


def udp4(src, dst, payload, sport=40000, dport=9999, **kw):
    return ipv4(src, dst, 17, udp_datagram(src, dst, sport, dport, payload), **kw)


def with_options(src, dst, proto, payload, options):
    """An IPv4 header with options; the checksums of a transport payload
    are the caller's (the pseudo-header holds no options)."""
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45 + len(options) // 4, 0,
                      20 + len(options) + len(payload), 9, 0x4000, 64, proto,
                      0, src, dst) + options
    hdr = hdr[:10] + struct.pack("!H", inet_checksum(hdr)) + hdr[12:]
    return hdr + payload


def ip_options():
    rr = bytes([7, 11, 8]) + R4[0] + bytes(4)             # one filled, one free
    lsrr = bytes([131, 7, 4]) + R4[1]
    ts = bytes([68, 20, 13, 0x01]) + R4[2] + struct.pack("!I", 1000) + \
        bytes(8)                                           # flag 1, one filled
    return rr + lsrr + ts + b"\x01\x00"


def icmp_msg(t, code, rest, data):
    msg = struct.pack("!BBH", t, code, 0) + rest + data
    return msg[:2] + struct.pack("!H", inet_checksum(msg)) + msg[4:]


def icmp6_msg(t, code, body, src, dst):
    msg = struct.pack("!BBH", t, code, 0) + body
    pseudo = struct.pack("!16s16sIxxxB", src, dst, len(msg), 58)
    return msg[:2] + struct.pack("!H", inet_checksum(pseudo + msg)) + msg[4:]


def icmp6(t, code, body, src, dst, hbh=False):
    msg = icmp6_msg(t, code, body, src, dst)
    if hbh:
        return ipv6(src, dst, 0, bytes([58, 0, 5, 2, 0, 0, 1, 0]) + msg, hlim=1)
    return ipv6(src, dst, 58, msg, hlim=255)


def routed6(rtype, addrs, final, nxt_payload, proto, segleft=1, last_entry=None):
    """IPv6 to addrs' first hop with a routing header; the transport
    checksum uses the final destination (RFC 8200 8.1)."""
    body = b"".join(addrs)
    if rtype == 4:
        fixed = struct.pack("!BBBBBBH", proto, 2 * len(addrs), 4, segleft,
                            last_entry if last_entry is not None else len(addrs) - 1,
                            0, 0)
    else:
        fixed = struct.pack("!BBBBI", proto, 2 * len(addrs), rtype, segleft, 0)
    seg = nxt_payload(final)
    return ipv6(A6, R6[0], 43, fixed + body + seg)


def udp6_to(final, payload=S * 4, src=A6):
    return udp_datagram(src, final, 40001, 9999, payload)


def tcp_tls4():
    body = tls_record(22, client_hello("anon.example")) + \
        tls_record(23, S * 8)
    return ipv4(A4, B4, 6, tcp_segment(A4, B4, 49152, 443, 1000, body, flags=0x18))


def tcp_tls6():
    body = tls_record(23, S * 8)
    return ipv6(A6, B6, 6, tcp_segment(A6, B6, 49153, 443, 7000, body))


def arp(op, smac, sip, tmac, tip):
    return struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, op, smac, sip, tmac, tip)


def nd_packets():
    sol = bytes.fromhex("ff0200000000000000000001ff000020")
    ns = icmp6(135, 0, bytes(4) + B6 + bytes([1, 1]) + MA, A6, sol)
    na = icmp6(136, 0, b"\x60" + bytes(3) + B6 + bytes([2, 1]) + MB, B6, A6)
    redirected = ipv6(A6, R6[2], 17, udp6_to(R6[2], S * 3))
    red = bytes([4, (8 + len(redirected) + 7) // 8]) + bytes(6) + redirected
    red += bytes(-len(redirected) % 8)
    redirect = icmp6(137, 0, bytes(4) + LL6 + R6[2] + bytes([2, 1]) + MC + red,
                     LL6, A6)
    rs = icmp6(133, 0, bytes(4) + bytes([1, 1]) + MC, LL6,
               bytes.fromhex("ff020000000000000000000000000002"))
    return [eth(p, 0x86DD) for p in (ns, na, redirect, rs)]


def multicast_packets():
    group6 = bytes.fromhex("ff0e0000000000000000000000000123")
    mld1 = icmp6(131, 0, bytes(4) + group6, A6, group6, hbh=True)
    q2 = icmp6(130, 0, struct.pack("!HH", 1000, 0) + group6
               + bytes([2, 125]) + struct.pack("!H", 2) + B6 + R6[1], LL6,
               bytes.fromhex("ff020000000000000000000000000001"), hbh=True)
    r2 = icmp6(143, 0, bytes(2) + struct.pack("!H", 1) + bytes([1, 0])
               + struct.pack("!H", 1) + group6 + B6, A6,
               bytes.fromhex("ff020000000000000000000000000016"), hbh=True)
    mmac6 = bytes.fromhex("333300000016")

    def igmp(msg, dst):
        msg = msg[:2] + struct.pack("!H", inet_checksum(msg)) + msg[4:]
        return eth(ipv4(A4, dst, 2, msg, ttl=1),
                   dst=bytes.fromhex("01005e") + dst[1:])

    g4 = bytes([239, 1, 2, 3])
    v2 = igmp(struct.pack("!BBH4s", 0x16, 0, 0, g4), g4)
    q3 = igmp(struct.pack("!BBH4sBBH", 0x11, 100, 0, g4, 2, 125, 2) + B4 + R4[3],
              bytes([224, 0, 0, 1]))
    r3 = igmp(struct.pack("!BBHHH", 0x22, 0, 0, 0, 1) + bytes([1, 0, 0, 1])
              + g4 + B4, bytes([224, 0, 0, 22]))
    return [eth(p, 0x86DD, dst=mmac6) for p in (mld1, q2, r2)] + [v2, q3, r3]


def error_packets():
    # The pseudo-header holds the source route's final destination.
    opt_pkt = with_options(A4, B4, 17, udp_datagram(A4, R4[1], 40002, 9999, S * 4),
                           ip_options())
    unreach = ipv4(B4, A4, 1, icmp_msg(3, 3, bytes(4), opt_pkt[:len(opt_pkt) - 16]))
    quoted6 = routed6(0, [R6[1], B6], B6, lambda fin: udp6_to(fin), 17)
    exceeded = ipv6(R6[0], A6, 58, icmp6_msg(3, 0, bytes(4) + quoted6, R6[0], A6))
    ttl4 = ipv4(R4[0], A4, 1, icmp_msg(11, 0, bytes(4), tcp_tls4()[:48]))
    return [eth(opt_pkt), eth(unreach), eth(exceeded, 0x86DD), eth(ttl4)]


def routing_packets():
    t0 = routed6(0, [R6[1], B6], B6, lambda fin: udp6_to(fin), 17)
    t2 = routed6(2, [B6], B6, lambda fin: udp6_to(fin), 17)
    t4 = routed6(4, [B6, R6[1]], B6, lambda fin: udp6_to(fin), 17, segleft=1)
    return [eth(p, 0x86DD) for p in (t0, t2, t4)]


def tunnel_packets():
    inner4 = eth(udp4(bytes([10, 1, 1, 1]), bytes([10, 2, 2, 2]), S * 3),
                 dst=MC, src=bytes.fromhex("00163e000001"))
    vx = struct.pack("!II", 0x08000000, 42 << 8) + inner4
    vxlan = ipv4(T4[0], T4[1], 17, udp_datagram(T4[0], T4[1], 40010, 4789, vx))
    inner6 = eth(ipv6(A6, B6, 17, udp6_to(B6)), 0x86DD,
                 dst=bytes.fromhex("00163e000002"), src=MB)
    gen = struct.pack("!BBHI", 0, 0, 0x6558, 7 << 8) + inner6
    geneve = ipv6(R6[0], R6[1], 17, udp_datagram(R6[0], R6[1], 40011, 6081, gen))
    gbody = struct.pack("!HHHH", 0x8000, 0x0800, 0, 0) + udp4(A4, B4, S * 2)
    gbody = gbody[:4] + struct.pack("!H", inet_checksum(gbody)) + gbody[6:]
    gre = ipv4(T4[0], T4[1], 47, gbody)
    gre6 = ipv4(T4[0], T4[1], 47, struct.pack("!HH", 0, 0x86DD)
                + ipv6(A6, B6, 17, udp6_to(B6)))
    ipip = ipv4(T4[1], T4[0], 4, udp4(bytes([172, 16, 5, 5]), B4, S * 2))
    six4 = ipv4(T4[1], T4[0], 41, ipv6(A6, B6, 17, udp6_to(B6)))
    four6 = ipv6(R6[0], R6[1], 4, udp4(A4, B4, S * 2))
    return [eth(vxlan), eth(geneve, 0x86DD), eth(gre), eth(gre6), eth(ipip),
            eth(six4), eth(four6, 0x86DD)]


def fragment_packets():
    dgram = udp_datagram(A4, B4, 7000, 7001, S * 8)
    f1 = ipv4(A4, B4, 17, dgram[:24], ident=5, flags_frag=0x2000)
    f2 = ipv4(A4, B4, 17, dgram[24:], ident=5, flags_frag=3)
    d6 = udp_datagram(A6, B6, 7002, 7003, S * 12)
    g1 = ipv6(A6, B6, 44, bytes([17, 0, 0, 1, 0, 0, 0, 42]) + d6[:48])
    g2 = ipv6(A6, B6, 44, bytes([17, 0]) + struct.pack("!H", 48) + bytes([0, 0, 0, 42])
              + d6[48:])
    return [eth(f1), eth(f2), eth(g1, 0x86DD), eth(g2, 0x86DD)]


def checksum_packets():
    seg = bytearray(tcp_segment(A4, B4, 49154, 80, 1, S * 4))
    pseudo = struct.pack("!4s4sBBH", A4, B4, 0, 6, len(seg))
    # Offload: the field holds only the pseudo-header sum, not complemented.
    s = sum(struct.unpack("!6H", pseudo))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    seg[16:18] = struct.pack("!H", s)
    partial = ipv4(A4, B4, 6, bytes(seg))
    nocsum = ipv4(A4, B4, 17, udp_datagram(A4, B4, 5004, 5005, S * 2,
                                           with_checksum=False))
    return [eth(partial), eth(nocsum)]


def special_packets():
    bcast = eth(udp4(bytes([169, 254, 10, 20]), b"\xff" * 4, S, 68, 67), dst=BCAST)
    mcast = eth(udp4(A4, bytes([239, 1, 2, 3]), S, 5000, 5000),
                dst=bytes.fromhex("01005e010203"))
    loop = eth(udp4(bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]), S))
    ll6 = eth(ipv6(LL6, bytes.fromhex("ff020000000000000000000000000001"), 17,
                   udp_datagram(LL6, bytes.fromhex("ff020000000000000000000000000001"),
                                546, 547, S)), 0x86DD, dst=bytes.fromhex("333300000001"))
    private = eth(udp4(bytes([10, 9, 8, 7]), bytes([192, 168, 1, 1]), S))
    return [bcast, mcast, loop, ll6, private]


def eth_packets():
    return ([eth(tcp_tls4()), eth(tcp_tls6(), 0x86DD, dst=MA, src=MB),
             eth(arp(1, MA, A4, bytes(6), B4), 0x0806, dst=BCAST),
             eth(arp(2, MB, B4, MA, A4), 0x0806, dst=MA, src=MB)]
            + error_packets() + routing_packets() + nd_packets()
            + multicast_packets() + tunnel_packets() + fragment_packets()
            + checksum_packets() + special_packets())


def sll(frame):
    """An Ethernet frame as Linux cooked v1: packet type, ARPHRD_ETHER, the
    sender's MAC, the EtherType."""
    return struct.pack("!HHH", 4 if frame[6:12] == MA else 0, 1, 6) + \
        frame[6:12] + b"\0\0" + frame[12:]


def sll2(frame):
    return frame[12:14] + b"\0\0" + struct.pack("!IHBB", 3, 1, 0, 6) + \
        frame[6:12] + b"\0\0" + frame[14:]


def pcapng(pkts, linktype):
    blocks = [shb(comment=None), idb(linktype, 0)]
    blocks += [epb(p, 1700000000000000 + 1000 * i) for i, p in enumerate(pkts)]
    return b"".join(blocks)


def all_files():
    pkts = eth_packets()
    return {"anon_eth.pcap": pcap_bytes(pkts),
            "anon_eth.pcapng": pcapng(pkts, 1),
            "anon_sll.pcap": pcap_bytes([sll(p) for p in pkts], linktype=113),
            "anon_sll2.pcapng": pcapng([sll2(p) for p in pkts], 276)}


def main(out):
    write_files(out, all_files())


if __name__ == "__main__":
    main(sys.argv[1])
