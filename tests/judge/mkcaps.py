#!/usr/bin/env python3
"""Tiny capture builder for the judge self-test (standard library only).

Builds Ethernet/IPv4/IPv6/TCP/UDP/ICMP/VXLAN/GRE packets with correct
checksums and writes them as pcap (all magic variants, both byte orders) or
pcapng (SHB, IDB, EPB, SPB, obsolete PB, custom blocks).  Nothing here knows
the masking policy: test cases pass the masked payloads in explicitly.
"""

import os
import struct
import sys

# --------------------------------------------------------------------------
# Checksums and packet builders


def inet_checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def _pseudo4(src, dst, proto, length):
    return struct.pack("!4s4sBBH", bytes(src), bytes(dst), 0, proto, length)


def _pseudo6(src, dst, proto, length):
    return struct.pack("!16s16sIxxxB", bytes(src), bytes(dst), length, proto)


def ipv4(src, dst, proto, payload, ident=1, flags_frag=0x4000, ttl=64):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                      flags_frag, ttl, proto, 0, bytes(src), bytes(dst))
    hdr = hdr[:10] + struct.pack("!H", inet_checksum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(src, dst, nxt, payload, hlim=64):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nxt, hlim,
                       bytes(src), bytes(dst)) + payload


def _l4(src, dst, proto, segment, csum_off, zero_ok):
    pseudo = (_pseudo6 if len(bytes(src)) == 16 else _pseudo4)(
        src, dst, proto, len(segment))
    c = inet_checksum(pseudo + segment)
    if c == 0 and not zero_ok:
        c = 0xFFFF
    return segment[:csum_off] + struct.pack("!H", c) + segment[csum_off + 2:]


def tcp_segment(src, dst, sport, dport, seq, payload, flags=0x18, ack=1):
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack,
                      0x50, flags, 65535, 0, 0)
    return _l4(src, dst, 6, hdr + payload, 16, True)


def udp_datagram(src, dst, sport, dport, payload, with_checksum=True):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    return _l4(src, dst, 17, seg, 6, False) if with_checksum else seg


def ip_packet(src, dst, proto, payload, **kw):
    if len(bytes(src)) == 16:
        return ipv6(src, dst, proto, payload)
    return ipv4(src, dst, proto, payload, **kw)


def tcp_packet(src, dst, sport, dport, seq, payload, **kw):
    return ip_packet(src, dst, 6,
                     tcp_segment(src, dst, sport, dport, seq, payload, **kw))


def ether(payload, ethertype=0x0800):
    dst_src = bytes.fromhex("020000000001" "020000000002")
    return dst_src + struct.pack("!H", ethertype) + payload


def icmp4_unreachable(src, dst, quoted_ip):
    msg = struct.pack("!BBHI", 3, 3, 0, 0) + quoted_ip
    msg = msg[:2] + struct.pack("!H", inet_checksum(msg)) + msg[4:]
    return ipv4(src, dst, 1, msg)


def vxlan(outer_src, outer_dst, inner_frame, vni=42):
    body = struct.pack("!II", 0x08000000, vni << 8) + inner_frame
    return ipv4(outer_src, outer_dst, 17,
                udp_datagram(outer_src, outer_dst, 40000, 4789, body))


def gre_with_checksum(outer_src, outer_dst, inner_ip):
    body = struct.pack("!HHHH", 0x8000, 0x0800, 0, 0) + inner_ip
    body = body[:4] + struct.pack("!H", inet_checksum(body)) + body[6:]
    return ipv4(outer_src, outer_dst, 47, body)


def tls_record(ctype, body):
    return struct.pack("!BHH", ctype, 0x0303, len(body)) + body


# --------------------------------------------------------------------------
# File writers.  A packet is (ts_seconds, ts_fraction, data) or just data.


def _norm(pkts):
    out = []
    for i, p in enumerate(pkts):
        out.append(p if isinstance(p, tuple) else (1700000000 + i, i * 1000, p))
    return out


PCAP_MAGIC = {"us": 0xA1B2C3D4, "ns": 0xA1B23C4D, "modified": 0xA1B2CD34}


def pcap_bytes(pkts, variant="us", endian="<", linktype=1, snaplen=65535):
    out = [struct.pack(endian + "IHHiIII", PCAP_MAGIC[variant], 2, 4, 0, 0,
                       snaplen, linktype)]
    for sec, frac, data in _norm(pkts):
        out.append(struct.pack(endian + "IIII", sec, frac, len(data), len(data)))
        if variant == "modified":
            out.append(struct.pack(endian + "IHBx", 1, 0x0800, 0))
        out.append(data)
    return b"".join(out)


def _pad4(b):
    return b + b"\0" * (-len(b) % 4)


def pcapng_block(btype, body, endian="<"):
    body = _pad4(body)
    total = 12 + len(body)
    return (struct.pack(endian + "II", btype, total) + body
            + struct.pack(endian + "I", total))


def pcapng_option(code, value, endian="<"):
    return struct.pack(endian + "HH", code, len(value)) + _pad4(value)


def shb(endian="<", comment=b"judge selftest", userappl=None):
    body = struct.pack(endian + "IHHq", 0x1A2B3C4D, 1, 0, -1)
    if comment is not None:
        body += pcapng_option(1, comment, endian)
    if userappl is not None:
        body += pcapng_option(4, userappl, endian)
    body += pcapng_option(0, b"", endian)
    return pcapng_block(0x0A0D0D0A, body, endian)


def idb(linktype=1, snaplen=0, endian="<", options=b""):
    return pcapng_block(1, struct.pack(endian + "HHI", linktype, 0, snaplen)
                        + options, endian)


def epb(data, ts=0, iface=0, endian="<", options=b"", origlen=None):
    body = struct.pack(endian + "IIIII", iface, ts >> 32, ts & 0xFFFFFFFF,
                       len(data), len(data) if origlen is None else origlen)
    return pcapng_block(6, body + _pad4(data) + options, endian)


def spb(data, endian="<"):
    return pcapng_block(3, struct.pack(endian + "I", len(data)) + data, endian)


def obsolete_pb(data, ts=0, endian="<"):
    body = struct.pack(endian + "HHIIII", 0, 0, ts >> 32, ts & 0xFFFFFFFF,
                       len(data), len(data))
    return pcapng_block(2, body + data, endian)


def custom_block(payload, endian="<"):
    return pcapng_block(0x00000BAD, struct.pack(endian + "I", 32473) + payload,
                        endian)


def client_hello(server_name):
    name = server_name.encode()
    sni = struct.pack("!HBH", len(name) + 3, 0, len(name)) + name
    ext = struct.pack("!HH", 0, len(sni)) + sni
    body = (b"\x03\x03" + bytes(range(32)) + b"\x00"
            + struct.pack("!H", 4) + b"\x13\x01\xc0\x2f" + b"\x01\x00"
            + struct.pack("!H", len(ext)) + ext)
    return b"\x01" + len(body).to_bytes(3, "big") + body


def server_hello():
    body = (b"\x03\x03" + bytes(range(32, 64)) + b"\x00" + b"\xc0\x2f"
            + b"\x00" + struct.pack("!H", 0))
    return b"\x02" + len(body).to_bytes(3, "big") + body


# --------------------------------------------------------------------------
# Self-test scenario.  Every builder takes `masked`: False gives the original
# packet, True the packet as a correct sanitizer must write it.  The masked
# payloads are spelled out by hand; nothing here walks TLS records.

CLIENT, SERVER = [10, 0, 0, 1], [10, 0, 0, 2]
CLIENT6 = [0x20, 0x01, 0x0d, 0xb8] + [0] * 11 + [1]
SERVER6 = [0x20, 0x01, 0x0d, 0xb8] + [0] * 11 + [2]


def _z(data, masked):
    return bytes(len(data)) if masked else data


def tls_flow(masked, leak=False):
    """A small TLS-1.2-looking connection on port 443 (tshark dissects it).
    leak=True masks all but the first application-data byte."""
    c, s, cp = CLIENT, SERVER, 49152
    ch = tls_record(22, client_hello("judge.example"))
    sh = tls_record(22, server_hello())
    ccs = tls_record(20, b"\x01")
    fin = tls_record(22, bytes(range(100, 140)))         # encrypted Finished
    secret = b"top secret data!"
    body = secret[:1] + bytes(len(secret) - 1) if leak else _z(secret, masked)
    app_c = b"\x17\x03\x03" + struct.pack("!H", len(secret)) + body
    app_s = b"\x17\x03\x03\x00\x05" + _z(b"reply", masked)
    alert = tls_record(21, b"\x01\x00")
    return [
        ether(tcp_packet(c, s, cp, 443, 1000, b"", flags=0x02, ack=0)),
        ether(tcp_packet(s, c, 443, cp, 5000, b"", flags=0x12, ack=1001)),
        ether(tcp_packet(c, s, cp, 443, 1001, ch)),
        ether(tcp_packet(s, c, 443, cp, 5001, sh + ccs + fin)),
        ether(tcp_packet(c, s, cp, 443, 1001 + len(ch), ccs + fin + app_c)),
        ether(tcp_packet(s, c, 443, cp, 5001 + len(sh + ccs + fin),
                         app_s + alert)),
    ]


def mixed_packets(masked):
    """One packet per feature the judge must get right."""
    c, s = CLIENT, SERVER
    pkts = tls_flow(masked)
    # 7: plain HTTP: the whole payload is masked
    pkts.append(ether(tcp_packet(c, s, 40000, 80, 1,
                                 _z(b"GET / HTTP/1.1\r\n\r\n", masked))))
    # 8: UDP stays as it is
    pkts.append(ether(ipv4(c, s, 17, udp_datagram(c, s, 5353, 53, b"query"))))
    # 9: ICMP error quoting TCP: byte-identical
    quoted = tcp_packet(c, s, 49152, 443, 1, b"\x17\x03\x03\x00\x04abcd")[:48]
    pkts.append(ether(icmp4_unreachable(s, c, quoted)))
    # 10: short frame with an Ethernet trailer; payload "Z" masked
    pkts.append(ether(tcp_packet(c, s, 40001, 443, 7, _z(b"Z", masked)))
                + b"\xee" * 5)
    # 11: TCP checksum already wrong in the input (offload); left as it was
    frame = bytearray(ether(tcp_packet(c, s, 40002, 443, 7,
                                       _z(b"offloaded", masked))))
    frame[50:52] = b"\x12\x34"
    pkts.append(bytes(frame))
    # 12: VXLAN with inner TCP; outer UDP checksum must follow
    inner = ether(tcp_packet([1, 1, 1, 1], [2, 2, 2, 2], 5555, 443, 77,
                             _z(b"vxlan-secret", masked)))
    pkts.append(ether(vxlan(c, s, inner)))
    # 13: GRE with checksum and inner TCP; GRE checksum must follow
    inner_ip = tcp_packet([3, 3, 3, 3], [4, 4, 4, 4], 5556, 443, 88,
                          _z(b"gre-secret", masked))
    pkts.append(ether(gre_with_checksum(c, s, inner_ip)))
    # 14: IPv6 TCP, masked
    pkts.append(ether(tcp_packet(CLIENT6, SERVER6, 40003, 8080, 1,
                                 _z(b"ipv6 payload", masked)), 0x86DD))
    # 15: first IPv4 fragment carrying a TCP header: stays as it is
    seg = tcp_segment(c, s, 40004, 443, 1, b"fragmented payload......")
    pkts.append(ether(ipv4(c, s, 6, seg[:32], flags_frag=0x2000)))
    return pkts


def write_selftest_files(out):
    def path(name):
        return os.path.join(out, name)

    def save(name, data):
        with open(path(name), "wb") as f:
            f.write(data)

    orig, good = mixed_packets(False), mixed_packets(True)
    save("base.pcap", pcap_bytes(orig))
    save("base.masked.pcap", pcap_bytes(good))

    def variant(name, index, change, pkts=good):
        p = list(pkts)
        p[index] = change(bytearray(p[index]))
        save(name, pcap_bytes([bytes(x) for x in p]))

    def poke(offset, value):
        def change(frame):
            frame[offset] = value
            return frame
        return change

    variant("bad.ip_ttl.pcap", 2, poke(22, 63))
    variant("bad.payload_nonzero.pcap", 6, poke(60, 0x41))
    variant("bad.icmp.pcap", 8, poke(85, 0xFF))
    variant("bad.trailer.pcap", 9, poke(59, 0x00))

    def flip(offset):
        def change(frame):
            frame[offset] ^= 0x01
            return frame
        return change

    def copy_checksum(index, offset):
        def change(frame):
            frame[offset:offset + 2] = orig[index][offset:offset + 2]
            return frame
        return change

    variant("bad.tcp_checksum.pcap", 6, copy_checksum(6, 50))
    # Zeroing inner payload and fixing the inner TCP checksum leaves the
    # outer UDP / GRE checksums unchanged; a sanitizer that touches them
    # wrongly must be caught.
    variant("bad.udp_checksum.pcap", 11, flip(41))
    variant("bad.gre_checksum.pcap", 12, flip(39))
    variant("bad.fragment.pcap", 14, poke(60, 0), pkts=orig)
    # TCP checksum fixed where the input's was wrong: allowed.
    fixed = list(good)
    fixed[10] = ether(tcp_packet(CLIENT, SERVER, 40002, 443, 7, bytes(9)))
    save("ok.checksum_fixed.pcap", pcap_bytes(fixed))

    data = pcap_bytes(good)
    first_record = 24
    ts = bytearray(data)
    ts[first_record + 16 + len(good[0]) + 4] ^= 1   # packet 2 ts fraction
    save("bad.timestamp.pcap", bytes(ts))
    save("bad.missing.pcap", pcap_bytes(good[:-1]))
    save("bad.truncated.pcap", data[:-10])
    save("bad.garbage.pcap", b"this is not a capture file")
    save("many.pcap", pcap_bytes(orig * 2))
    save("bad.many_timestamps.pcap", pcap_bytes(
        [(2000000000 + i, 0, p) for i, p in enumerate(good * 2)]))
    # An unmasked byte is not a judge failure on its own, but differs from
    # the expected output.
    kept = list(good)
    kept[6] = ether(tcp_packet(CLIENT, SERVER, 40000, 80, 1,
                               b"G" + bytes(17)))
    save("ok.kept_byte.pcap", pcap_bytes(kept))

    # TLS view: one app-data byte left as in the original.
    leak = tls_flow(True, leak=True)
    save("tls.pcap", pcap_bytes(tls_flow(False)))
    save("tls.masked.pcap", pcap_bytes(tls_flow(True)))
    save("bad.tls_app_data.pcap", pcap_bytes(leak))

    # Container variants.
    for variant_name, endian in (("ns", ">"), ("modified", "<"),
                                 ("us", ">")):
        tag = "%s_%s" % (variant_name, "be" if endian == ">" else "le")
        save("base.%s.pcap" % tag, pcap_bytes(orig, variant_name, endian))
        save("base.%s.masked.pcap" % tag, pcap_bytes(good, variant_name,
                                                     endian))
    bad = bytearray(pcap_bytes(good, "modified", "<"))
    bad[24 + 16] ^= 1            # interface index of the first record
    save("bad.modified_ifindex.pcap", bytes(bad))

    save("base.pcapng", pcapng_file(orig))
    save("base.masked.pcapng", pcapng_file(good, sanitized=True))
    save("bad.custom_block.pcapng", pcapng_file(good, sanitized=True, custom=True))
    save("bad.epb_option.pcapng", pcapng_file(good, sanitized=True, comment=True))


SANITIZER = b"pktmask 0.1.0 (masking policy 2, profile default)"


def pcapng_file(pkts, sanitized=False, custom=False, comment=False):
    """Two sections of opposite byte order, EPB/SPB/PB and other blocks.
    `sanitized` writes them as masking policy section 8 publishes them:
    each SHB with one shb_userappl naming pktmask and no other option,
    IDBs with if_tsresol, EPBs without comments (no option list left),
    no custom or name resolution block.  `custom` and `comment` put a
    custom block or EPB comments back into a sanitized file."""
    half = len(pkts) // 2
    end = pcapng_option(0, b"", "<")

    def section(endian):
        if sanitized:
            return shb(endian, comment=None, userappl=SANITIZER)
        return shb(endian)

    out = [section("<"), idb(1, 0, "<", pcapng_option(9, b"\x06", "<") + end)]
    for i, p in enumerate(pkts[:half]):
        if i % 3 == 1:
            out.append(spb(p, "<"))
        elif i % 3 == 2:
            out.append(obsolete_pb(p, i, "<"))
        else:
            opts = pcapng_option(1, b"comment", "<") + end \
                if not sanitized or comment else b""
            out.append(epb(p, 1700000000000000 + i, 0, "<", opts))
    if not sanitized or custom:
        out.append(custom_block(b"unchanged", "<"))
    if not sanitized:
        out.append(pcapng_block(4, struct.pack("<HH", 0, 0), "<"))   # empty NRB
    out += [section(">"), idb(1, 0, ">")]
    for i, p in enumerate(pkts[half:]):
        out.append(epb(p, 1700000000000000 + i, 0, ">"))
    return b"".join(out)


if __name__ == "__main__":
    write_selftest_files(sys.argv[1])
