#!/usr/bin/env python3
"""Crafted captures for masking policy v2 (standard library only).

usage: mkcaps_v2.py OUTDIR

Writes one small file per feature of the policy: UDP protocols, DTLS, QUIC,
ICMP/ICMPv6 (errors with quotes, echo, ND, MLD, IGMP), fragments, padding
and trailers, TSO, unknown and malformed layers, ESP/AH, tunnels, link
types, and pcapng metadata of every kind.  Every byte the default profile
must zero carries the marker SECRET where there is room, so a leak shows in
a plain grep; nothing the policy keeps contains it.  Nothing here knows
what the policy keeps: judge_v2.py works that out.
"""

import os
import struct
import sys

from mkcaps import (inet_checksum, ipv4, ipv6, tcp_segment, udp_datagram,
                    tcp_packet, ether, tls_record, client_hello,
                    server_hello, pcap_bytes, pcapng_block, pcapng_option,
                    idb, epb, spb, CLIENT, SERVER, CLIENT6, SERVER6)

S = b"SECRET"
C, SV = bytes(CLIENT), bytes(SERVER)
C6, S6 = bytes(CLIENT6), bytes(SERVER6)


def udp4(sport, dport, payload, src=C, dst=SV, **kw):
    return ipv4(src, dst, 17, udp_datagram(src, dst, sport, dport, payload), **kw)


def udp6(sport, dport, payload, src=C6, dst=S6):
    return ipv6(src, dst, 17, udp_datagram(src, dst, sport, dport, payload))


def e4(ip):
    return ether(ip)


def e6(ip):
    return ether(ip, 0x86DD)


def icmp4(icmp_type, code, rest, data, src=SV, dst=C):
    msg = struct.pack("!BBH", icmp_type, code, 0) + rest + data
    msg = msg[:2] + struct.pack("!H", inet_checksum(msg)) + msg[4:]
    return ipv4(src, dst, 1, msg)


def icmp6_msg(icmp_type, code, body, src=S6, dst=C6, nxt_wrap=None):
    msg = struct.pack("!BBH", icmp_type, code, 0) + body
    pseudo = struct.pack("!16s16sIxxxB", src, dst, len(msg), 58)
    msg = msg[:2] + struct.pack("!H", inet_checksum(pseudo + msg)) + msg[4:]
    return msg


def icmp6(icmp_type, code, body, src=S6, dst=C6, hop_by_hop=False):
    msg = icmp6_msg(icmp_type, code, body, src, dst)
    if hop_by_hop:                       # MLD: router alert in a HBH header
        hbh = bytes([58, 0, 5, 2, 0, 0, 1, 0])
        return ipv6(src, dst, 0, hbh + msg, hlim=1)
    return ipv6(src, dst, 58, msg, hlim=255)


def secret(n):
    return (S + b"-") * (n // 7) + S[:n % 7]


# ---------------------------------------------------------------------------


def dns_query(name, qid=0x1234):
    q = b"".join(bytes([len(p)]) + p for p in name.split(b".")) + b"\0"
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q + b"\0\1\0\1"


def dns_files():
    q = dns_query(b"SECRET.intranet.example")
    a = q[:2] + b"\x81\x80" + q[4:6] + b"\0\1" + q[8:] + \
        b"\xc0\x0c\0\1\0\1\0\0\0\x3c\0\4\x0a\x01\x02\x03"
    v4 = [e4(udp4(53001, 53, q)), e4(udp4(53, 53001, a, src=SV, dst=C))]
    v6 = [e6(udp6(53002, 53, q)), e6(udp6(53, 53002, a, src=S6, dst=C6))]
    return {"dns_v4.pcap": pcap_bytes(v4), "dns_v6.pcap": pcap_bytes(v6)}


def plaintext_udp():
    syslog = b"<34>Oct 11 22:14:15 host su: SECRET password for root"
    snmp = bytes.fromhex("302902010104") + b"\x0fSECRETcommunity" + \
        bytes.fromhex("a00c02020001020100020100300030")
    sip = (b"INVITE sip:SECRET@example.com SIP/2.0\r\nFrom: <sip:SECRET@a>"
           b"\r\nContent-Length: 0\r\n\r\n")
    pkts = [e4(udp4(40514, 514, syslog)), e4(udp4(40161, 161, snmp)),
            e4(udp4(5060, 5060, sip)), e6(udp6(40123, 9999, secret(40)))]
    # A zero (absent) IPv4 UDP checksum must stay zero.
    seg = struct.pack("!HHHH", 4000, 4001, 8 + 20, 0) + secret(20)
    pkts.append(e4(ipv4(C, SV, 17, seg)))
    return {"udp_plaintext.pcap": pcap_bytes(pkts)}


def dtls_record(rtype, epoch, seq, body, version=0xFEFD):
    return struct.pack("!BHH", rtype, version, epoch) + seq.to_bytes(6, "big") \
        + struct.pack("!H", len(body)) + body


def dtls_files():
    ch = client_hello("dtls.example")
    hs = ch[:4] + b"\0\0" + b"\0\0\0" + ch[1:4] + ch[4:]   # DTLS msg header
    flight = dtls_record(22, 0, 0, hs)
    hvr = dtls_record(22, 0, 0, b"\x03\0\0\x17\0\0\0\0\0\0\0\x17\xfe\xff\x14"
                      + bytes(20), 0xFEFF)
    multi = (dtls_record(22, 0, 1, b"\x0e\0\0\0\0\x01\0\0\0\0\0\0")
             + dtls_record(20, 0, 2, b"\x01")
             + dtls_record(22, 1, 0, bytes(range(40)))  # encrypted Finished
             + dtls_record(23, 1, 1, secret(30)))
    unified = (dtls_record(21, 1, 2, b"\x01\x00")
               + b"\x2c\x01\x02\x00\x10" + secret(16))  # DTLS 1.3 unified
    rec = dtls_record(23, 1, 3, secret(10))
    too_long = rec[:11] + b"\x00\x40" + rec[13:]     # longer than the datagram
    bad_after = dtls_record(23, 1, 4, secret(12)) + b"\x99\xfe\xfd" + \
        secret(20)
    pkts = [e4(udp4(40443, 4433, flight)),
            e4(udp4(4433, 40443, hvr, src=SV, dst=C)),
            e4(udp4(4433, 40443, multi, src=SV, dst=C)),
            e4(udp4(40443, 4433, unified)),
            e4(udp4(40443, 4433, too_long)),
            e6(udp6(40443, 4433, bad_after))]
    return {"dtls.pcap": pcap_bytes(pkts)}


def quic_long(first, version, dcid, scid, rest):
    return bytes([first]) + struct.pack("!I", version) + bytes([len(dcid)]) \
        + dcid + bytes([len(scid)]) + scid + rest


def quic_files():
    dcid, scid, sscid = bytes(range(1, 9)), bytes(range(9, 17)), bytes(range(20, 28))
    initial = quic_long(0xC3, 1, dcid, scid, b"\x00\x41\x00" + secret(60))
    v2 = quic_long(0xD3, 0x6B3343CF, dcid, scid, b"\x00\x41\x00" + secret(40))
    draft = quic_long(0xC0, 0xFF00001D, dcid, scid, secret(30))
    server = quic_long(0xC1, 1, scid, sscid, b"\x00\x40\x10" + secret(16))
    coalesced = server + quic_long(0xE1, 1, scid, sscid, b"\x40\x10" + secret(16))
    short_c = b"\x43" + sscid + secret(30)
    short_s = b"\x41" + scid + secret(30)
    vneg = quic_long(0x80, 0, scid, dcid, struct.pack("!II", 1, 0x6B3343CF))
    unknown = quic_long(0xC0, 0x1A2A3A4A, dcid, scid, secret(30))
    long_cid = quic_long(0xC0, 1, bytes(21), scid, secret(10))
    pkts = [e4(udp4(50000, 443, initial)),
            e4(udp4(443, 50000, coalesced, src=SV, dst=C)),
            e4(udp4(50000, 443, short_c)),
            e4(udp4(443, 50000, short_s, src=SV, dst=C)),
            e4(udp4(443, 50001, vneg, src=SV, dst=C)),
            e6(udp6(50002, 443, v2)),
            e6(udp6(50003, 8443, draft)),
            e4(udp4(50004, 443, unknown)),
            e4(udp4(50005, 443, long_cid)),
            e4(udp4(50006, 443, b"\x40" + secret(30)))]  # short, no long seen
    return {"quic.pcap": pcap_bytes(pkts)}


def tls_segment_ip4(options=b""):
    app = b"\x17\x03\x03\x00\x20" + secret(32)
    seg = tcp_segment(C, SV, 49152, 443, 1000, app)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45 + len(options) // 4, 0,
                      20 + len(options) + len(seg), 7, 0x4000, 64, 6, 0, C, SV)
    hdr = hdr + options
    hdr = hdr[:10] + struct.pack("!H", inet_checksum(hdr)) + hdr[12:]
    return hdr + seg


def icmp_files():
    opts = b"\x94\x04\x00\x00"           # router alert, in the quoted header
    frag_needed = icmp4(3, 4, struct.pack("!HH", 0, 1400), tls_segment_ip4(opts))
    app = b"\x17\x03\x03\x00\x20" + secret(32)
    seg6 = tcp_segment(C6, S6, 49153, 443, 5000, app)
    dst_opts = bytes([6, 0, 1, 4, 0, 0, 0, 0])
    quoted6 = ipv6(C6, S6, 60, dst_opts + seg6)
    ptb = icmp6(2, 0, struct.pack("!I", 1280) + quoted6)
    echo4 = icmp4(8, 0, struct.pack("!HH", 1, 1), secret(32), src=C, dst=SV)
    echo6 = icmp6(128, 0, struct.pack("!HH", 1, 1) + secret(32), src=C6, dst=S6)
    ts = icmp4(13, 0, struct.pack("!HH", 2, 1), b"SECRETSECRET", src=C, dst=SV)
    mac = bytes.fromhex("020000000001")
    ns = icmp6(135, 0, bytes(4) + S6 + bytes([1, 1]) + mac, src=C6,
               dst=bytes.fromhex("ff0200000000000000000001ff000002"))
    ra = icmp6(134, 0, bytes([64, 0, 7, 8]) + bytes(8)
               + bytes([3, 4, 64, 0xC0]) + bytes(12) + bytes(16), src=S6,
               dst=bytes.fromhex("ff020000000000000000000000000001"))
    redirected = ipv6(C6, S6, 17, udp_datagram(C6, S6, 1, 2, secret(24)))
    red_opt = bytes([4, (8 + len(redirected) + 7) // 8]) + bytes(6)
    red_opt += redirected + bytes(-len(redirected) % 8)
    redirect = icmp6(137, 0, bytes(4) + S6 + C6 + red_opt, src=S6, dst=C6)
    mld = icmp6(143, 0, bytes(2) + struct.pack("!H", 1) + bytes([4, 0, 0, 1])
                + bytes.fromhex("ff0e0000000000000000000000000123")
                + S6, src=C6, dst=bytes.fromhex("ff020000000000000000000000000016"),
                hop_by_hop=True)
    igmp = struct.pack("!BBHHH", 0x22, 0, 0, 0, 1) + bytes([4, 0, 0, 1]) + \
        bytes([239, 1, 2, 3]) + bytes([10, 0, 0, 9])
    igmp = igmp[:2] + struct.pack("!H", inet_checksum(igmp)) + igmp[4:]
    igmp_ip = ipv4(C, bytes([224, 0, 0, 22]), 2, igmp, ttl=1)
    ttl_exceeded_udp = icmp4(11, 0, bytes(4), udp4(33434, 33435, secret(24))[:56])
    pkts = [e4(frag_needed), e6(ptb), e4(echo4), e6(echo6), e4(ts), e6(ns),
            e6(ra), e6(redirect), e6(mld), e4(igmp_ip), e4(ttl_exceeded_udp)]
    return {"icmp.pcap": pcap_bytes(pkts)}


def fragments_files():
    app = b"\x16\x03\x03\x00\x04\x0e\x00\x00\x00" + \
        b"\x17\x03\x03\x00\x40" + secret(64)
    seg = tcp_segment(C, SV, 49200, 443, 1, app)
    f1 = ipv4(C, SV, 6, seg[:32], ident=99, flags_frag=0x2000)
    f2 = ipv4(C, SV, 6, seg[32:], ident=99, flags_frag=len(seg[:32]) // 8)
    dgram = udp_datagram(C6, S6, 5353, 5353, secret(80))
    fh1 = bytes([17, 0, 0, 1, 0, 0, 0, 42])          # offset 0, M=1
    fh2 = bytes([17, 0]) + struct.pack("!H", (48 // 8) << 3) + b"\0\0\0\x2a"
    g1 = ipv6(C6, S6, 44, fh1 + dgram[:48])
    g2 = ipv6(C6, S6, 44, fh2 + dgram[48:])
    atomic = ipv6(C6, S6, 44, bytes([17, 0, 0, 0, 0, 0, 0, 7])
                  + udp_datagram(C6, S6, 5000, 5001, secret(20)))
    udp_frag = udp_datagram(C, SV, 7000, 7001, secret(40))
    u1 = ipv4(C, SV, 17, udp_frag[:24], ident=5, flags_frag=0x2000)
    u2 = ipv4(C, SV, 17, udp_frag[24:], ident=5, flags_frag=3)
    pkts = [e4(f1), e4(f2), e6(g1), e6(g2), e6(atomic), e4(u1), e4(u2)]
    return {"fragments.pcap": pcap_bytes(pkts)}


def trailer_files():
    short = e4(udp4(1000, 2000, b"xy"))
    padded = short + b"SECRET-PAD"               # padding to 60 bytes and more
    trailer = e4(tcp_packet(C, SV, 40001, 80, 1, secret(10))) + S * 3
    tso = bytearray(e4(tcp_packet(C, SV, 40002, 80, 1, secret(30))))
    tso[16:18] = b"\0\0"                          # total length 0 (offload)
    tso[24:26] = b"\0\0"
    tso[24:26] = struct.pack("!H", inet_checksum(bytes(tso[14:34])))
    arp = ether(struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1)
                + bytes.fromhex("020000000001") + C + bytes(6) + SV, 0x0806) \
        + b"SECRETSECRETSECRET"
    return {"trailers.pcap": pcap_bytes([padded, trailer, bytes(tso), arp])}


def unknown_files():
    unk_et = ether(secret(40), 0x88B5)
    unk_proto = ipv4(C, SV, 253, secret(40))
    llc = bytes.fromhex("0180c2000000020000000001") + struct.pack("!H", 46) \
        + b"\x42\x42\x03" + secret(43)
    unk_v6 = ipv6(C6, S6, 132, secret(30))         # SCTP: not decoded
    files = {"unknown.pcap": pcap_bytes([e4(unk_proto), unk_et, llc,
                                         e6(unk_v6)])}
    files["unknown_linktype.pcap"] = pcap_bytes([secret(50), secret(20)],
                                                linktype=147)
    return files


def malformed_files():
    bad_ihl = bytearray(udp4(1, 2, secret(20)))
    bad_ihl[0] = 0x43
    seg = bytearray(tcp_segment(C, SV, 3, 4, 1, secret(20)))
    seg[12] = 0x20                                # data offset 2
    big_off = bytearray(tcp_segment(C, SV, 3, 4, 1, secret(20)))
    big_off[12] = 0xF0                            # 60 > segment
    bad_len = bytearray(udp_datagram(C, SV, 5, 6, secret(20)))
    bad_len[4:6] = struct.pack("!H", 200)
    short_len = bytearray(udp_datagram(C, SV, 5, 7, secret(20)))
    short_len[4:6] = struct.pack("!H", 12)        # bytes past it undecoded
    bad_total = bytearray(ipv4(C, SV, 17, udp_datagram(C, SV, 8, 9, secret(20))))
    bad_total[2:4] = struct.pack("!H", 10)
    pkts = [e4(bytes(bad_ihl)), e4(ipv4(C, SV, 6, bytes(seg))),
            e4(ipv4(C, SV, 6, bytes(big_off))), e4(ipv4(C, SV, 17, bytes(bad_len))),
            e4(ipv4(C, SV, 17, bytes(short_len))), e4(bytes(bad_total))]
    return {"malformed.pcap": pcap_bytes(pkts)}


def esp_ah_files():
    esp = ipv4(C, SV, 50, struct.pack("!II", 0x1001, 1) + secret(40))
    esp6 = ipv6(C6, S6, 50, struct.pack("!II", 0x1002, 1) + secret(40))
    inner = tcp_segment(C, SV, 5001, 80, 1, b"GET /SECRET HTTP/1.0\r\n\r\n")
    ah = bytes([6, 4, 0, 0]) + struct.pack("!II", 0x2001, 1) + bytes(12)
    ah4 = ipv4(C, SV, 51, ah + inner)
    return {"esp_ah.pcap": pcap_bytes([e4(esp), e6(esp6), e4(ah4)])}


def tunnel_files():
    inner_dns = ether(udp4(5353, 53, dns_query(b"SECRET.tunnel.example"),
                           src=bytes([1, 1, 1, 1]), dst=bytes([2, 2, 2, 2])))
    vx = struct.pack("!II", 0x08000000, 42 << 8) + inner_dns
    vxlan = e4(ipv4(C, SV, 17, udp_datagram(C, SV, 40000, 4789, vx)))
    inner_echo = ether(icmp4(8, 0, b"\0\1\0\1", secret(24),
                             src=bytes([3, 3, 3, 3]), dst=bytes([4, 4, 4, 4])))
    opt = struct.pack("!HBB", 0x0102, 0x03, 1) + b"\x0a\x0b\x0c\x0d"
    gen = struct.pack("!BBHI", len(opt) // 4, 0, 0x6558, 7 << 8) + opt + inner_echo
    geneve = e6(ipv6(C6, S6, 17, udp_datagram(C6, S6, 40001, 6081, gen)))
    inner_udp = udp4(6000, 6001, secret(30), src=bytes([5, 5, 5, 5]),
                     dst=bytes([6, 6, 6, 6]))
    body = struct.pack("!HHHHI", 0xA000, 0x0800, 0, 0, 77) + inner_udp
    body = body[:4] + struct.pack("!H", inet_checksum(body)) + body[6:]
    gre = e4(ipv4(C, SV, 47, body))
    inner_icmp6 = icmp6(128, 0, b"\0\1\0\1" + secret(20))
    gre6 = e4(ipv4(C, SV, 47, struct.pack("!HH", 0, 0x86DD) + inner_icmp6))
    ipip = e4(ipv4(C, SV, 4, udp4(7, 8, secret(20))))
    return {"tunnels.pcap": pcap_bytes([vxlan, geneve, gre, gre6, ipip])}


def link_files():
    dgram4 = udp4(9000, 9001, secret(30))
    dgram6 = udp6(9000, 9001, secret(30))
    vlan = bytes.fromhex("020000000001020000000002") + \
        bytes.fromhex("88a80064" "81000065") + b"\x08\x00" + dgram4
    mpls = bytes.fromhex("020000000001020000000002") + b"\x88\x47" + \
        bytes.fromhex("00010040" "00020140") + dgram6
    ppp = b"\x00\x21" + dgram4
    pppoe = bytes.fromhex("020000000001020000000002") + b"\x88\x64" + \
        struct.pack("!BBHH", 0x11, 0, 1, len(ppp)) + ppp + b"SECRETPAD"
    sll = struct.pack("!HHH", 0, 1, 6) + bytes(8) + b"\x08\x00" + dgram4
    sll2 = b"\x86\xdd" + bytes(2) + struct.pack("!IHBB", 2, 1, 0, 6) + \
        bytes(8) + dgram6
    files = {
        "link_ethernet_tags.pcap": pcap_bytes([vlan, mpls, pppoe]),
        "link_sll.pcap": pcap_bytes([sll], linktype=113),
        "link_sll2.pcap": pcap_bytes([sll2], linktype=276),
        "link_raw.pcap": pcap_bytes([dgram4, dgram6], linktype=101),
        "link_ipv4.pcap": pcap_bytes([dgram4], linktype=228),
        "link_ipv6.pcap": pcap_bytes([dgram6], linktype=229),
        "link_null.pcap": pcap_bytes([struct.pack("<I", 2) + dgram4,
                                      struct.pack("<I", 30) + dgram6], linktype=0),
        "link_loop.pcap": pcap_bytes([struct.pack(">I", 2) + dgram4], linktype=108),
        "pcap_ns_be.pcap": pcap_bytes([e4(dgram4)], "ns", ">"),
        "pcap_modified.pcap": pcap_bytes([e4(dgram4)], "modified", "<"),
    }
    # FCS declared in the pcap header's link-type field (4 bytes).
    fcs_lt = 1 | 0x04000000 | (2 << 28)
    files["link_fcs.pcap"] = pcap_bytes([e4(dgram4) + b"\xde\xad\xbe\xef"],
                                        linktype=fcs_lt)
    return files


def tls_files():
    ch = tls_record(22, client_hello("sni-host.example"))
    sh = tls_record(22, server_hello())
    app = tls_record(23, secret(40))
    pkts = [e4(tcp_packet(C, SV, 49300, 443, 100, b"", flags=0x02, ack=0)),
            e4(tcp_packet(SV, C, 443, 49300, 900, b"", flags=0x12, ack=101)),
            e4(tcp_packet(C, SV, 49300, 443, 101, ch)),
            e4(tcp_packet(SV, C, 443, 49300, 901, sh + tls_record(20, b"\x01"))),
            e4(tcp_packet(C, SV, 49300, 443, 101 + len(ch), app)),
            e4(tcp_packet(C, SV, 49301, 25, 1, b"EHLO SECRET.example\r\n")),
            e6(tcp_packet(C6, S6, 49302, 80, 1, b"GET /SECRET HTTP/1.1\r\n"))]
    return pkts, {"tls_and_plain.pcap": pcap_bytes(pkts)}


# ---------------------------------------------------------------------------
# pcapng metadata


def opt(code, value, e):
    return pcapng_option(code, value, e)


def end_opts(e):
    return pcapng_option(0, b"", e)


def section(pkts, e):
    shb_body = struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1) + \
        opt(1, b"SECRET comment", e) + opt(2, b"SECRET hardware", e) + \
        opt(3, b"SECRET os", e) + opt(4, b"SECRET userappl", e) + end_opts(e)
    out = [pcapng_block(0x0A0D0D0A, shb_body, e)]
    idb_opts = (opt(2, b"SECRET-eth0", e) + opt(3, b"SECRET description", e)
                + opt(4, C + b"\xff\xff\xff\0", e) + opt(6, bytes.fromhex("020000000001"), e)
                + opt(9, b"\x06", e) + opt(11, b"\0host SECRET", e)
                + opt(12, b"SECRET os", e) + opt(13, b"\x00", e)
                + opt(14, struct.pack(e + "q", 0), e) + opt(15, b"SECRET hw", e)
                + opt(1, b"SECRET if comment", e) + end_opts(e))
    out.append(idb(1, 0, e, idb_opts))
    nrb = struct.pack(e + "HH", 1, 4 + len(b"SECRET.host\0")) + C + b"SECRET.host\0"
    nrb = nrb + bytes(-len(nrb) % 4) + struct.pack(e + "HH", 0, 0) + \
        opt(2, b"SECRET dns", e) + end_opts(e)
    out.append(pcapng_block(4, nrb, e))
    dsb = struct.pack(e + "II", 0x544c534b, 40) + b"CLIENT_RANDOM SECRET key!!!!!!!!!!!!!!!!!"[:40]
    out.append(pcapng_block(0x0A, dsb, e))
    for i, p in enumerate(pkts):
        if i % 3 == 1:
            out.append(spb(p, e))
            continue
        eopts = (opt(1, b"SECRET packet comment", e) + opt(2, struct.pack(e + "I", 1), e)
                 + opt(3, b"\x02" + bytes(16), e) + opt(4, struct.pack(e + "Q", 0), e)
                 + opt(5, struct.pack(e + "Q", 7), e) + opt(6, struct.pack(e + "I", 0), e)
                 + opt(7, b"\x02" + struct.pack(e + "Q", 1), e)
                 + opt(2988, struct.pack(e + "I", 32473) + b"SECRET", e) + end_opts(e))
        out.append(epb(p, 1700000000000000 + i, 0, e, eopts))
    out.append(pcapng_block(0x00000BAD, struct.pack(e + "I", 32473) + b"SECRET custom", e))
    out.append(pcapng_block(0x40000BAD, struct.pack(e + "I", 32473) + b"SECRET custom", e))
    out.append(pcapng_block(0x00012345, b"SECRET unknown block", e))
    isb = struct.pack(e + "III", 0, 0, 1) + opt(1, b"SECRET isb comment", e)
    for code in range(2, 9):
        isb += opt(code, struct.pack(e + "Q", code), e)
    out.append(pcapng_block(5, isb + end_opts(e), e))
    return b"".join(out)


def pcapng_files(pkts):
    more = [e4(udp4(53001, 53, dns_query(b"SECRET.pcapng.example")))]
    both = pkts + more
    half = len(both) // 2
    return {
        "meta_le.pcapng": section(both, "<"),
        "meta_be.pcapng": section(both, ">"),
        "meta_two_sections.pcapng": section(both[:half], "<") + section(both[half:], ">"),
    }


def all_files():
    files = {}
    for make in (dns_files, plaintext_udp, dtls_files, quic_files, icmp_files,
                 fragments_files, trailer_files, unknown_files,
                 malformed_files, esp_ah_files, tunnel_files, link_files):
        files.update(make())
    pkts, tls = tls_files()
    files.update(tls)
    files.update(pcapng_files(pkts))
    return files


def write_files(out, files):
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(files.items()):
        with open(os.path.join(out, name), "wb") as fh:
            fh.write(data)


def main(out):
    write_files(out, all_files())


if __name__ == "__main__":
    main(sys.argv[1])
