#!/usr/bin/env python3
"""preamble_zeroed.py ORIGINAL SANITIZED NAME

Independent judge of a sanitized capture in which some TCP directions begin
with a plaintext preamble (STARTTLS, PostgreSQL SSLRequest, MySQL, HTTP
CONNECT, SOCKS5) before TLS. Shares no code with pktmask: a pcap reader and
TCP reassembly of its own (classic pcap; Ethernet, Linux SLL and SLL2; IPv4
and IPv6 without extension headers, which is what the lab records).

Per masking policy section 3 such a direction is not TLS:
* every payload byte of a direction to or from a preamble port (the
  protocols' usual ports, the proxies' 3128 and 1080) is zero in SANITIZED;
  in ORIGINAL that direction must begin in plaintext and carry a TLS
  handshake record later, or the capture is not the case it claims to be;
* a direction to or from port 443 is ordinary TLS: its record headers and
  handshake (type 22) bodies are kept byte for byte and at least one
  handshake body is non-zero, its application-data bodies are zero (so
  over-masking is noticed too);
* the known plaintext strings of capture NAME (the basename, e.g.
  starttls_smtp) occur in ORIGINAL and nowhere in SANITIZED.

Exit 0 if all holds, 1 with one line per failure, 2 on bad usage or input.
"""

import struct
import sys

PREAMBLE_PORTS = {25, 143, 110, 21, 5222, 389, 5432, 3306, 3128, 1080}
TLS_PORTS = {443}

NEEDLES = {
    "starttls_smtp": [b"EHLO mail.example.com", b"250 STARTTLS", b"STARTTLS\r\n",
                      b"Ready to start TLS"],
    "starttls_imap": [b". CAPABILITY", b". STARTTLS", b"Begin TLS negotiation now"],
    "starttls_pop3": [b"STLS\r\n", b"+OK Begin TLS negotiation"],
    "starttls_ftp": [b"AUTH TLS\r\n", b"234 AUTH TLS successful"],
    "starttls_xmpp": [b"<stream:stream", b"<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'",
                      b"<proceed"],
    "starttls_ldap": [b"1.3.6.1.4.1.1466.20037"],
    "starttls_postgres": [bytes.fromhex("0000000804d2162f")],  # SSLRequest
    "starttls_mysql": [b"mysql_native_password", bytes.fromhex("2000000185ae7f00")],
    "proxy_http_connect": [b"CONNECT server.test:443 HTTP/1.1", b"200 Connection established"],
    "proxy_socks5": [b"\x05\x01\x00\x03\x0bserver.test\x01\xbb"],  # CONNECT by name
}


class BadInput(Exception):
    pass


def read_pcap(path):
    """[(caplen, wirelen, data)] of a classic pcap file, and its link type."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 24:
        raise BadInput("%s: not a pcap file" % path)
    magic = raw[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        raise BadInput("%s: not a classic pcap file" % path)
    linktype = struct.unpack(endian + "I", raw[20:24])[0] & 0x0FFFFFFF
    packets, off = [], 24
    while off < len(raw):
        if off + 16 > len(raw):
            raise BadInput("%s: truncated record header at %d" % (path, off))
        caplen, wirelen = struct.unpack(endian + "II", raw[off + 8:off + 16])
        if off + 16 + caplen > len(raw):
            raise BadInput("%s: truncated packet at %d" % (path, off))
        packets.append((caplen, wirelen, raw[off + 16:off + 16 + caplen]))
        off += 16 + caplen
    return linktype, packets, raw


def network_layer(linktype, frame):
    """(ethertype, offset of the IP header) or None."""
    if linktype == 1:
        off, ethertype = 14, struct.unpack(">H", frame[12:14])[0]
        while ethertype in (0x8100, 0x88A8):
            ethertype = struct.unpack(">H", frame[off + 2:off + 4])[0]
            off += 4
        return ethertype, off
    if linktype == 113:
        return struct.unpack(">H", frame[14:16])[0], 16
    if linktype == 276:
        return struct.unpack(">H", frame[0:2])[0], 20
    raise BadInput("link type %d not handled by this judge" % linktype)


def tcp_segment(linktype, frame):
    """(key, seq, flags, payload offset, payload end) of a TCP frame, or None."""
    if len(frame) < 20:
        return None
    ethertype, off = network_layer(linktype, frame)
    if ethertype == 0x0800 and len(frame) >= off + 20 and frame[off + 9] == 6:
        ihl = (frame[off] & 0x0F) * 4
        total = struct.unpack(">H", frame[off + 2:off + 4])[0]
        src, dst = frame[off + 12:off + 16], frame[off + 16:off + 20]
        end, tcp = off + total, off + ihl
    elif ethertype == 0x86DD and len(frame) >= off + 40 and frame[off + 6] == 6:
        plen = struct.unpack(">H", frame[off + 4:off + 6])[0]
        src, dst = frame[off + 8:off + 24], frame[off + 24:off + 40]
        end, tcp = off + 40 + plen, off + 40
    else:
        return None
    sport, dport, seq = struct.unpack(">HHI", frame[tcp:tcp + 8])
    data_off = (frame[tcp + 12] >> 4) * 4
    return (src, sport, dst, dport), seq, frame[tcp + 13], tcp + data_off, min(end, len(frame))


class Direction:
    def __init__(self):
        self.isn = None
        self.first_seq = None
        self.orig = {}    # stream offset -> byte, first copy wins
        self.sani = {}

    def stream(self, which):
        data = self.orig if which == "orig" else self.sani
        out = bytearray()
        while len(out) in data:
            out.append(data[len(out)])
        return bytes(out)


def reassemble(linktype, orig_packets, sani_packets):
    directions = {}
    for (_, _, o), (_, _, s) in zip(orig_packets, sani_packets):
        seg = tcp_segment(linktype, o)
        if seg is None:
            continue
        key, seq, flags, lo, hi = seg
        d = directions.setdefault(key, Direction())
        if flags & 0x02:
            d.isn = seq
        if lo >= hi:
            continue
        if d.first_seq is None:
            d.first_seq = seq
        start = (d.isn + 1) if d.isn is not None else d.first_seq
        base = (seq - start) & 0xFFFFFFFF
        for i in range(hi - lo):
            d.orig.setdefault(base + i, o[lo + i])
            d.sani.setdefault(base + i, s[lo + i])
    return directions


def name_of(key):
    src, sport, dst, dport = key
    def addr(a):
        return ".".join(map(str, a)) if len(a) == 4 else a.hex()
    return "%s:%d > %s:%d" % (addr(src), sport, addr(dst), dport)


def judge_preamble(key, d, problems):
    orig, sani = d.stream("orig"), d.stream("sani")
    if len(orig) != len(d.orig):
        problems.append("%s: the recording has a gap; cannot judge" % name_of(key))
    if orig[:1] == b"\x16":
        problems.append("%s: does not begin with a plaintext preamble" % name_of(key))
    if orig.find(b"\x16\x03", 1) < 0:
        problems.append("%s: no TLS handshake follows the preamble" % name_of(key))
    leaked = [off for off, b in d.sani.items() if b != 0]
    if leaked:
        problems.append("%s: %d of %d payload bytes not zero, first at stream offset %d" %
                        (name_of(key), len(leaked), len(d.sani), min(leaked)))
    return len(sani)


def judge_tls(key, d, problems):
    orig, sani = d.stream("orig"), d.stream("sani")
    where, kept_handshake = 0, 0
    while where + 5 <= len(orig):
        ctype, length = orig[where], struct.unpack(">H", orig[where + 3:where + 5])[0]
        if not (20 <= ctype <= 24 and orig[where + 1] == 3):
            problems.append("%s: ordinary TLS expected, record walk broke at %d" % (name_of(key), where))
            return
        body = slice(where + 5, where + 5 + length)
        if sani[where:where + 5] != orig[where:where + 5]:
            problems.append("%s: record header at %d not kept" % (name_of(key), where))
        if ctype == 23 and any(sani[body]):
            problems.append("%s: application data at %d not zero" % (name_of(key), where))
        if ctype in (20, 21, 22) and sani[body] != orig[body]:
            problems.append("%s: type-%d body at %d not kept" % (name_of(key), ctype, where))
        if ctype == 22 and any(sani[body]):
            kept_handshake += 1
        where += 5 + length
    if kept_handshake == 0:
        problems.append("%s: no non-zero handshake body kept (over-masked)" % name_of(key))


def main():
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        return 2
    original, sanitized, name = sys.argv[1:]
    if name not in NEEDLES:
        sys.stderr.write("preamble_zeroed.py: no expectations for capture %r\n" % name)
        return 2
    try:
        linktype, orig_packets, orig_raw = read_pcap(original)
        sani_linktype, sani_packets, sani_raw = read_pcap(sanitized)
        if (sani_linktype, len(sani_packets)) != (linktype, len(orig_packets)):
            print("FAIL: link type or packet count differ")
            return 1
        problems = []
        for i, (caplen, wirelen, _) in enumerate(orig_packets):
            if caplen != wirelen:
                problems.append("packet %d: cut by snaplen in the recording; cannot judge" % (i + 1))
        directions = reassemble(linktype, orig_packets, sani_packets)
    except (BadInput, struct.error, IndexError) as err:
        sys.stderr.write("preamble_zeroed.py: %s\n" % err)
        return 2
    preamble_bytes, tls_directions = 0, 0
    for key, d in directions.items():
        ports = {key[1], key[3]}
        if not d.orig:
            continue
        if ports & PREAMBLE_PORTS:
            preamble_bytes += judge_preamble(key, d, problems)
        elif ports & TLS_PORTS:
            judge_tls(key, d, problems)
            tls_directions += 1
        else:
            problems.append("%s: a connection this judge does not expect" % name_of(key))
    if preamble_bytes == 0:
        problems.append("no direction with a plaintext preamble in the capture")
    if name.startswith("proxy_") and tls_directions != 2:
        problems.append("%d ordinary TLS directions, want 2 (proxy to nginx and back)" % tls_directions)
    for needle in NEEDLES[name]:
        if needle not in orig_raw:
            problems.append("%r: not in the original; the expectations are wrong" % needle)
        if needle in sani_raw:
            problems.append("%r: still in the sanitized file" % needle)
    for p in problems:
        print("FAIL: %s" % p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
