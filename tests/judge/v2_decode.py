"""Packet decoding for judge_v2.py: for every byte of a frame, what masking
policy v2 (sections 2, 5, 6, 7, 10) allows in the output.  The decoder marks
a code per byte; the TCP and UDP walkers (v2_walks.py) refine the payload
codes afterwards.  Written from the protocol specifications; shares nothing
with pktmask."""

import struct

# Per-byte codes.  ZERO codes name the leak class a non-zero byte reports.
KEEP, EITHER, CSUM = 0, 1, 2
TCP, UDP, ICMP, FRAG, TRAILER, UNDEC = 3, 4, 5, 6, 7, 8
# An address judged against the anonymization mapping (judge_anon.py sets it).
ADDR = 9
CLASS_NAMES = {TCP: "tcp", UDP: "udp", ICMP: "icmp", FRAG: "fragment",
               TRAILER: "trailer", UNDEC: "undecoded"}

ETH_IPV4, ETH_IPV6, ETH_ARP = 0x0800, 0x86DD, 0x0806
VLAN_TAGS = (0x8100, 0x88A8, 0x9100)
MPLS = (0x8847, 0x8848)
PPPOE_SESSION, TEB = 0x8864, 0x6558
VXLAN_PORT, GENEVE_PORT = 4789, 6081
ICMP4_ERRORS = (3, 5, 11, 12)
ICMP6_ERRORS = (1, 2, 3, 4)
ND_BODY = {133: 8, 134: 16, 135: 24, 136: 24, 137: 40}  # where options start
MLD = (130, 131, 132, 143)
IPV6_EXT_GENERIC = (0, 43, 60, 135, 139, 140, 253, 254)
# Quoted transports whose first 8 bytes are certainly "the transport
# header" (section 5); for other protocols the 8 bytes may go either way.
QUOTE_TRANSPORTS = (1, 6, 17, 33, 58, 132, 136)
MAX_IPV6_HEADERS = 32


def ones_sum(data):
    if len(data) % 2:
        data = bytes(data) + b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def u16(b, off):
    return (b[off] << 8) | b[off + 1]


class Pseudo:
    """A pseudo-header read from the frame itself (the addresses at src and
    dst, `size` bytes each), so that it follows rewritten addresses."""
    __slots__ = ("src", "dst", "size", "proto", "length")

    def __init__(self, src, dst, size, proto, length):
        self.src, self.dst, self.size = src, dst, size
        self.proto, self.length = proto, length

    def of(self, buf):
        src = bytes(buf[self.src:self.src + self.size])
        dst = bytes(buf[self.dst:self.dst + self.size])
        if self.size == 4:
            # A segment-offload segment can exceed the 16-bit field; its
            # checksum is the offload's and not judged, the field wraps.
            return struct.pack("!4s4sBBH", src, dst, 0, self.proto,
                               self.length & 0xffff)
        return struct.pack("!16s16sIxxxB", src, dst, self.length, self.proto)


class Checksum:
    """A checksum field at `field` covering [start, end) of the frame, with
    an optional pseudo-header.  `zero_none`: an IPv4 UDP checksum of 0 means
    none and must stay 0."""
    __slots__ = ("name", "field", "start", "end", "pseudo", "zero_none")

    def __init__(self, name, field, start, end, pseudo=None, zero_none=False):
        self.name, self.field, self.start, self.end = name, field, start, end
        self.pseudo, self.zero_none = pseudo, zero_none

    def covered(self, buf):
        head = self.pseudo.of(buf) if self.pseudo else b""
        return head + bytes(buf[self.start:self.end])

    def verifies(self, buf):
        if self.zero_none and buf[self.field:self.field + 2] == b"\0\0":
            return True
        return ones_sum(self.covered(buf)) == 0xFFFF

    def fix(self, buf):
        if self.zero_none and buf[self.field:self.field + 2] == b"\0\0":
            return
        buf[self.field:self.field + 2] = b"\0\0"
        c = ~ones_sum(self.covered(buf)) & 0xFFFF
        if c == 0 and self.name == "udp":
            c = 0xFFFF
        buf[self.field:self.field + 2] = struct.pack("!H", c)


class Segment:
    """A TCP segment's payload, for the record walk."""
    __slots__ = ("key", "seq", "syn", "frame", "off", "length")

    def __init__(self, key, seq, syn, frame, off, length):
        self.key, self.seq, self.syn = key, seq, syn
        self.frame, self.off, self.length = frame, off, length


class Datagram:
    """A UDP payload, for the UDP walkers: captured [off, end), declared
    length `dlen`."""
    __slots__ = ("key", "frame", "off", "end", "dlen")

    def __init__(self, key, frame, off, end, dlen):
        self.key, self.frame, self.off, self.end, self.dlen = key, frame, off, end, dlen


class Site:
    """An address at [off, off + size) (size 4, 16 or 6 for a MAC), named by
    the header field that holds it.  `loose`: a slot not yet filled (record
    route or timestamp past the pointer), which may stay as it is."""
    __slots__ = ("off", "size", "name", "loose")

    def __init__(self, off, size, name, loose):
        self.off, self.size, self.name, self.loose = off, size, name, loose


class Frame:
    __slots__ = ("buf", "codes", "checksums", "segments", "datagrams", "index",
                 "undecoded", "sites", "quoted_csums")

    def __init__(self, buf, index):
        self.buf, self.index = buf, index
        self.codes = bytearray([UNDEC]) * len(buf)
        self.checksums, self.segments, self.datagrams = [], [], []
        self.undecoded = None       # reason, for messages
        self.sites = []             # every address (issue 12 item 4)
        # Checksum fields inside ICMP quotes that cover a quoted address
        # (directly or by pseudo-header): anonymization updates them.
        self.quoted_csums = []

    def site(self, off, size, name, end, loose=False):
        """Records an address wholly captured before `end`."""
        if off + size <= min(end, len(self.buf)):
            self.sites.append(Site(off, size, name, loose))

    def mark(self, start, end, code):
        end = min(end, len(self.buf))
        if start < end:
            self.codes[start:end] = bytes([code]) * (end - start)

    def undecodable(self, start, end, reason):
        """Bytes the decoder cannot place: zero from `start` (already UNDEC
        by default; re-marked in case an outer layer marked them)."""
        self.mark(start, end, UNDEC)
        if self.undecoded is None:
            self.undecoded = reason


# ---------------------------------------------------------------------------
# Link layers


def decode_frame(pkt, index):
    """Decode one captured packet into a Frame with per-byte codes."""
    buf = pkt.data
    f = Frame(buf, index)
    end = len(buf)
    dend = max(pkt.origlen or end, end)
    if pkt.fcslen and end == dend and end >= pkt.fcslen:
        f.mark(end - pkt.fcslen, end, EITHER)
        end -= pkt.fcslen
        dend = end
    lt = pkt.linktype
    if lt == 1:
        ethernet(f, 0, end, dend)
    elif lt == 113:
        if _fits(f, 0, 16, end, dend, "sll"):
            sll_address(f, u16(buf, 2), u16(buf, 4), 6, end)
            ethertype(f, u16(buf, 14), 16, end, dend)
    elif lt == 276:
        if _fits(f, 0, 20, end, dend, "sll2"):
            sll_address(f, u16(buf, 8), buf[11], 12, end)
            ethertype(f, u16(buf, 0), 20, end, dend)
    elif lt in (101, 12, 14):
        raw_ip(f, 0, end, dend)
    elif lt == 228:
        ipv4(f, 0, end, dend)
    elif lt == 229:
        ipv6(f, 0, end, dend)
    elif lt in (0, 108):
        if _fits(f, 0, 4, end, dend, "null"):
            le, = struct.unpack_from("<I", buf, 0)
            be, = struct.unpack_from(">I", buf, 0)
            fam = {le, be}
            if 2 in fam:
                ipv4(f, 4, end, dend)
            elif fam & {24, 28, 30}:
                ipv6(f, 4, end, dend)
            else:
                f.undecodable(4, end, "null family")
    else:
        f.undecodable(0, len(buf), "link type %s" % lt)
    return f


def _fits(f, off, size, end, dend, what):
    """Marks a fixed-size header kept when it fits its container; False
    when decoding stops here (cut by the capture, or not fitting)."""
    if off + size > dend:
        f.undecodable(off, end, "%s header does not fit" % what)
        return False
    f.mark(off, min(end, off + size), KEEP)
    return off + size <= end


def sll_address(f, hatype, halen, addr, end):
    """The sender's link-layer address of an SLL/SLL2 header: a MAC when the
    ARPHRD type is Ethernet and the length 6."""
    if hatype == 1 and halen == 6:
        f.site(addr, 6, "sll address", end)


def raw_ip(f, off, end, dend):
    if off >= end:
        return
    v = f.buf[off] >> 4
    if v == 4:
        ipv4(f, off, end, dend)
    elif v == 6:
        ipv6(f, off, end, dend)
    else:
        f.undecodable(off, end, "IP version %d" % v)


def ethernet(f, off, end, dend):
    if _fits(f, off, 14, end, dend, "ethernet"):
        f.site(off, 6, "ethernet dst", end)
        f.site(off + 6, 6, "ethernet src", end)
        ethertype(f, u16(f.buf, off + 12), off + 14, end, dend)


def ethertype(f, et, off, end, dend):
    buf = f.buf
    while et in VLAN_TAGS:
        if not _fits(f, off, 4, end, dend, "vlan"):
            return
        et = u16(buf, off + 2)
        off += 4
    if et in MPLS:
        while True:
            if not _fits(f, off, 4, end, dend, "mpls"):
                return
            bottom = buf[off + 2] & 1
            off += 4
            if bottom:
                break
        raw_ip(f, off, end, dend)
    elif et == ETH_IPV4:
        ipv4(f, off, end, dend)
    elif et == ETH_IPV6:
        ipv6(f, off, end, dend)
    elif et == ETH_ARP:
        arp(f, off, end, dend)
    elif et == PPPOE_SESSION:
        pppoe(f, off, end, dend)
    elif et == TEB:
        ethernet(f, off, end, dend)
    else:
        f.undecodable(off, end, "ethertype 0x%04x" % et)


def arp(f, off, end, dend):
    if off + 8 > dend:
        f.undecodable(off, end, "arp header does not fit")
        return
    if off + 6 > end:
        f.mark(off, end, KEEP)
        return
    size = 8 + 2 * (f.buf[off + 4] + f.buf[off + 5])
    if off + size > dend:
        f.undecodable(off, end, "arp header does not fit")
        return
    f.mark(off, min(end, off + size), KEEP)
    f.mark(off + size, end, TRAILER)
    if f.buf[off:off + 6] == b"\x00\x01\x08\x00\x06\x04":
        for at, size, name in ((8, 6, "arp sender mac"), (14, 4, "arp sender ip"),
                               (18, 6, "arp target mac"), (24, 4, "arp target ip")):
            f.site(off + at, size, name, end)


def pppoe(f, off, end, dend):
    if not _fits(f, off, 8, end, dend, "pppoe"):
        return
    length = u16(f.buf, off + 4)
    pend = off + 6 + length
    if length < 2 or pend > dend:
        f.undecodable(off, end, "pppoe length")
        return
    f.mark(pend, end, TRAILER)
    proto = u16(f.buf, off + 6)
    end, dend = min(end, pend), pend
    if proto == 0x0021:
        ipv4(f, off + 8, end, dend)
    elif proto == 0x0057:
        ipv6(f, off + 8, end, dend)
    else:
        f.undecodable(off + 8, end, "ppp protocol 0x%04x" % proto)


# ---------------------------------------------------------------------------
# IP


class IpInfo:
    """What the transport layer needs from its IP header: the addresses'
    values (flow keys) and offsets (pseudo-headers)."""
    __slots__ = ("src_off", "dst_off", "src", "dst", "version",
                 "first_fragment", "fragment")

    def __init__(self, buf, src_off, dst_off, version, fragment, first_fragment):
        size = 4 if version == 4 else 16
        self.src_off, self.dst_off = src_off, dst_off
        self.src = bytes(buf[src_off:src_off + size])
        self.dst = bytes(buf[dst_off:dst_off + size])
        self.version = version
        self.fragment, self.first_fragment = fragment, first_fragment

    def pseudo(self, proto, length):
        return Pseudo(self.src_off, self.dst_off, 4 if self.version == 4 else 16,
                      proto, length)


def ipv4(f, off, end, dend):
    buf = f.buf
    if off >= end:
        return
    ihl = (buf[off] & 15) * 4
    if buf[off] >> 4 != 4 or ihl < 20:
        f.undecodable(off, end, "bad IPv4 version/IHL")
        return
    if off + ihl > dend:
        f.undecodable(off, end, "IPv4 header does not fit")
        return
    if off + ihl > end:
        f.mark(off, end, KEEP)
        return
    total = u16(buf, off + 2)
    if total == 0:                       # segmentation offload: to the end
        pend = end
    elif total < ihl:
        f.undecodable(off, end, "bad IPv4 total length")
        return
    else:
        pend = off + total
        f.mark(pend, end, TRAILER)
    f.mark(off, off + ihl, KEEP)
    f.mark(off + 10, off + 12, CSUM)
    f.checksums.append(Checksum("ipv4", off + 10, off, off + ihl))
    ff = u16(buf, off + 6)
    frag_off, more = ff & 0x1FFF, ff & 0x2000
    f.site(off + 12, 4, "ipv4 src", end)
    f.site(off + 16, 4, "ipv4 dst", end)
    final = ipv4_options(f, off + 20, off + ihl)
    info = IpInfo(buf, off + 12, final or off + 16, 4, bool(frag_off or more),
                  frag_off == 0)
    pdend = pend if total else max(pend, dend)
    transport(f, buf[off + 9], info, off + ihl, min(end, pend), pdend)


def ipv6(f, off, end, dend):
    buf = f.buf
    if off >= end:
        return
    if buf[off] >> 4 != 6:
        f.undecodable(off, end, "bad IPv6 version")
        return
    if off + 40 > dend:
        f.undecodable(off, end, "IPv6 header does not fit")
        return
    if off + 40 > end:
        f.mark(off, end, KEEP)
        return
    plen = u16(buf, off + 4)
    pend = off + 40 + plen
    f.mark(pend, end, TRAILER)
    f.mark(off, off + 40, KEEP)
    end, dend = min(end, pend), pend
    f.site(off + 8, 16, "ipv6 src", end)
    f.site(off + 24, 16, "ipv6 dst", end)
    dst = off + 24
    nh, pos, count = buf[off + 6], off + 40, 0
    fragment, first = False, True
    while nh in IPV6_EXT_GENERIC or nh in (44, 51):
        count += 1
        if count > MAX_IPV6_HEADERS:
            # "chain too long": where zeroing starts is not pinned down.
            f.mark(off + 40, pos, EITHER)
            f.undecodable(pos, end, "IPv6 chain too long")
            return
        if pos + 8 > dend:
            f.undecodable(pos, end, "IPv6 extension header does not fit")
            return
        if pos + 2 > end:
            f.mark(pos, end, KEEP)
            return
        size = ext_size(buf, nh, pos)
        if pos + size > dend:
            f.undecodable(pos, end, "IPv6 extension header does not fit")
            return
        f.mark(pos, min(end, pos + size), KEEP)
        if pos + size > end:
            return
        if nh == 43:
            routing_sites(f, pos, size)
            dst = _routing_final(buf, pos, size) or dst
        if nh == 44:
            fo = u16(buf, pos + 2)
            if fo & 0xFFF9:
                fragment = True
                first = (fo >> 3) == 0
        nh = buf[pos]
        pos += size
    transport(f, nh, IpInfo(buf, off + 8, dst, 6, fragment, first), pos, end,
              dend)


def ext_size(buf, nh, pos):
    """Length of the IPv6 extension header `nh` at pos (AH counts 4-byte
    words, the others 8-byte units; a fragment header is 8 bytes)."""
    if nh == 44:
        return 8
    if nh == 51:
        return (buf[pos + 1] + 2) * 4
    return (buf[pos + 1] + 1) * 8


def _routing_final(buf, pos, size):
    """The offset of the final destination named by a routing header (for
    the pseudo header), or None when it names none."""
    rtype, left = buf[pos + 2], buf[pos + 3]
    if left == 0:
        return None
    if rtype in (0, 2) and size >= 24:
        n = (size - 8) // 16
        return pos + 8 + 16 * (n - 1)
    if rtype == 4 and size >= 24:
        return pos + 8
    return None


def routing_sites(f, pos, size):
    """The addresses of a routing header of type 0, 2 (RFC 6275) or 4
    (segment routing, RFC 8754: last entry + 1 segments)."""
    buf, rtype = f.buf, f.buf[pos + 2]
    if rtype in (0, 2):
        count = (size - 8) // 16
    elif rtype == 4 and pos + 5 <= len(buf):
        count = min(buf[pos + 4] + 1, (size - 8) // 16)
    else:
        return
    for i in range(count):
        f.site(pos + 8 + 16 * i, 16, "routing type %d address %d" % (rtype, i),
               pos + size)


def ipv4_options(f, pos, end):
    """Record route, loose/strict source route and timestamp (flags 1, 3)
    addresses.  Slots past the pointer are not filled yet: `loose`.  Returns
    the offset of a source route's final destination (the pseudo-header's,
    RFC 1122 3.2.1.8), or None."""
    buf = f.buf
    end = min(end, len(buf))
    final = None
    while pos < end:
        kind = buf[pos]
        if kind == 0:
            return final
        if kind == 1:
            pos += 1
            continue
        if pos + 2 > end or buf[pos + 1] < 2 or pos + buf[pos + 1] > end:
            return final
        size = buf[pos + 1]
        ptr = buf[pos + 2] if size > 2 else 0
        if kind in (7, 131, 137):
            for slot in range(pos + 3, pos + size - 3, 4):
                f.site(slot, 4, "ipv4 option %d address" % kind, pos + size,
                       kind == 7 and slot - pos + 1 >= ptr)
                if kind != 7:
                    final = slot
        elif kind == 68 and size > 4 and buf[pos + 3] & 15 in (1, 3):
            for slot in range(pos + 4, pos + size - 7, 8):
                f.site(slot, 4, "ipv4 timestamp address", pos + size,
                       slot - pos + 1 >= ptr)
        pos += size
    return final


# ---------------------------------------------------------------------------
# Transport


def transport(f, proto, ip, off, end, dend):
    if ip.fragment:
        fragment(f, proto, off, end, dend, ip)
    elif proto == 6:
        tcp(f, ip, off, end, dend)
    elif proto == 17:
        udp(f, ip, off, end, dend)
    elif proto == 1:
        icmp(f, ip, off, end, dend, v6=False)
    elif proto == 58:
        icmp(f, ip, off, end, dend, v6=True)
    elif proto == 2:
        if _fits(f, off, 8, end, dend, "igmp"):
            group_sites(f, "igmp", off, end)
            f.mark(off, end, KEEP)
            f.mark(off + 2, off + 4, CSUM)
            if end == dend:
                f.checksums.append(Checksum("igmp", off + 2, off, end))
    elif proto == 50:
        if _fits(f, off, 8, end, dend, "esp"):
            f.undecodable(off + 8, end, "esp payload")
    elif proto == 51 and ip.version == 4:
        if off + 2 > end:
            _fits(f, off, 8, end, dend, "ah")
            return
        size = (f.buf[off + 1] + 2) * 4
        if _fits(f, off, size, end, dend, "ah"):
            transport(f, f.buf[off], ip, off + size, end, dend)
    elif proto == 4:
        ipv4(f, off, end, dend)
    elif proto == 41:
        ipv6(f, off, end, dend)
    elif proto == 47:
        gre(f, ip, off, end, dend)
    else:
        f.undecodable(off, end, "IP protocol %d" % proto)


def fragment(f, proto, off, end, dend, ip):
    """Section 6 without reassembly: only the first fragment's transport
    header survives, its checksum unconstrained."""
    f.mark(off, end, FRAG)
    if not ip.first_fragment:
        return
    size = None
    if proto == 6 and off + 13 <= end:
        size = (f.buf[off + 12] >> 4) * 4
        if size < 20:
            size = None
    elif proto == 17 or proto in (1, 58):
        size = 8
    if size is None:
        # A header we cannot size: its captured bytes may go either way.
        f.mark(off, min(end, off + 20), EITHER)
        return
    f.mark(off, min(end, off + size), KEEP)
    csum = {6: 16, 17: 6, 1: 2, 58: 2}[proto]
    f.mark(off + csum, off + csum + 2, CSUM)


def tcp(f, ip, off, end, dend):
    buf = f.buf
    if off + 20 > dend:
        f.undecodable(off, end, "TCP header does not fit")
        return
    if off + 13 > end:
        f.mark(off, end, KEEP)
        return
    hl = (buf[off + 12] >> 4) * 4
    if hl < 20 or off + hl > dend:
        f.undecodable(off, end, "bad TCP data offset")
        return
    f.mark(off, min(end, off + hl), KEEP)
    if off + hl > end:
        return
    f.mark(off + 16, off + 18, CSUM)
    if end == dend:
        f.checksums.append(Checksum("tcp", off + 16, off, end,
                                    ip.pseudo(6, end - off)))
    if end > off + hl:
        f.mark(off + hl, end, TCP)
    key = (ip.src, u16(buf, off), ip.dst, u16(buf, off + 2))
    seq, = struct.unpack_from("!I", buf, off + 4)
    f.segments.append(Segment(key, seq, bool(buf[off + 13] & 2), f.index,
                              off + hl, end - off - hl))


def udp(f, ip, off, end, dend):
    buf = f.buf
    if off + 8 > dend:
        f.undecodable(off, end, "UDP header does not fit")
        return
    if off + 6 > end:
        f.mark(off, end, KEEP)
        return
    ulen = u16(buf, off + 4)
    if ulen < 8 or off + ulen > dend:
        f.undecodable(off, end, "bad UDP length")
        return
    f.mark(off, min(end, off + 8), KEEP)
    uend = min(end, off + ulen)
    if off + ulen < end:
        f.undecodable(off + ulen, end, "bytes past the UDP length")
    if off + 8 > end:
        return
    f.mark(off + 6, off + 8, CSUM)
    if off + ulen <= end and (ip.version == 6 or u16(buf, off + 6)):
        f.checksums.append(Checksum("udp", off + 6, off, off + ulen,
                                    ip.pseudo(17, ulen), ip.version == 4))
    elif ip.version == 4 and u16(buf, off + 6) == 0:
        f.checksums.append(Checksum("udp", off + 6, off, off + 8, None, True))
    sport, dport = u16(buf, off), u16(buf, off + 2)
    pay = off + 8
    if dport == VXLAN_PORT:
        if _fits(f, pay, 8, uend, off + ulen, "vxlan"):
            ethernet(f, pay + 8, uend, off + ulen)
        return
    if dport == GENEVE_PORT:
        geneve(f, pay, uend, off + ulen)
        return
    f.mark(pay, uend, UDP)
    f.datagrams.append(Datagram((ip.src, sport, ip.dst, dport), f.index, pay,
                                uend, ulen - 8))


def geneve(f, off, end, dend):
    if off + 8 > dend or (off < end and f.buf[off] >> 6):
        f.undecodable(off, end, "geneve header")
        return
    if off + 8 > end:
        f.mark(off, end, KEEP)
        return
    size = 8 + (f.buf[off] & 0x3F) * 4
    if not _fits(f, off, size, end, dend, "geneve"):
        return
    proto = u16(f.buf, off + 2)
    ethertype(f, proto, off + size, end, dend)


def gre(f, ip, off, end, dend):
    buf = f.buf
    if off + 4 > dend:
        f.undecodable(off, end, "GRE header does not fit")
        return
    if off + 2 > end:
        f.mark(off, end, KEEP)
        return
    flags = u16(buf, off)
    if flags & 0x4007:
        f.undecodable(off, end, "GRE version or routing")
        return
    size = 4 + 4 * sum(1 for bit in (0x8000, 0x2000, 0x1000) if flags & bit)
    if not _fits(f, off, size, end, dend, "gre"):
        return
    if flags & 0x8000:
        f.mark(off + 4, off + 6, CSUM)
        if end == dend:
            f.checksums.append(Checksum("gre", off + 4, off, end))
    proto = u16(buf, off + 2)
    if proto in (ETH_IPV4, ETH_IPV6, TEB) or proto in MPLS:
        ethertype(f, proto, off + size, end, dend)
    else:
        f.undecodable(off + size, end, "GRE protocol 0x%04x" % proto)


# ---------------------------------------------------------------------------
# ICMP and ICMPv6 (section 5)


def icmp(f, ip, off, end, dend, v6):
    buf = f.buf
    if off + 8 > dend:
        f.undecodable(off, end, "ICMP header does not fit")
        return
    f.mark(off, min(end, off + 8), KEEP)
    if off + 4 > end:
        return
    f.mark(off + 2, off + 4, CSUM)
    if end == dend:
        pseudo = ip.pseudo(58, end - off) if v6 else None
        f.checksums.append(Checksum("icmpv6" if v6 else "icmp", off + 2, off,
                                    end, pseudo))
    f.mark(off + 8, end, ICMP)
    t = buf[off]
    if t in (ICMP6_ERRORS if v6 else ICMP4_ERRORS):
        quote(f, off + 8, end)
    elif v6 and t in MLD:
        f.mark(off, end, KEEP)
        f.mark(off + 2, off + 4, CSUM)
        group_sites(f, "mld", off, end)
    elif v6 and t in ND_BODY:
        f.mark(off + 8, end, KEEP)
        if t in (135, 136, 137):
            f.site(off + 8, 16, "nd target", end)
        if t == 137:
            f.site(off + 24, 16, "redirect destination", end)
        nd_options(f, off + ND_BODY[t], end, t == 137)


def nd_options(f, pos, end, redirect):
    """Link-layer address options (a MAC) and, in a redirect, the redirected
    header (a quote)."""
    buf = f.buf
    while pos + 2 <= end:
        size = buf[pos + 1] * 8
        if size == 0:
            if redirect:
                f.mark(pos, end, EITHER)     # malformed option list
            return
        if buf[pos] in (1, 2) and size == 8:
            f.site(pos + 2, 6, "nd link-layer option", end)
        if buf[pos] == 4 and redirect:       # redirected header: a quote
            f.mark(pos + 8, min(end, pos + size), ICMP)
            quote(f, pos + 8, min(end, pos + size))
        pos += size


def group_records(f, pos, count, end, size, name):
    """IGMPv3 / MLDv2 report records: type, aux length, source count, the
    group, the sources (`size` bytes each), aux data."""
    buf = f.buf
    for _ in range(count):
        if pos + 4 + size > end:
            return
        nsrc = u16(buf, pos + 2)
        f.site(pos + 4, size, name + " record group", end)
        for i in range(nsrc):
            f.site(pos + 4 + size * (1 + i), size, name + " record source", end)
        pos += 4 + size * (1 + nsrc) + 4 * buf[pos + 1]


# IGMPv1-3 (RFC 1112, 2236, 3376) and MLDv1-2 (RFC 2710, 3810): address
# size, the types with a group address and where it lies, the query type
# whose v3/v2 form has a source count (at `count`) and sources after it, the
# v3/v2 report type.
GROUP_MESSAGES = {"igmp": (4, (0x11, 0x12, 0x16, 0x17), 4, 0x11, 10, 0x22),
                  "mld": (16, (130, 131, 132), 8, 130, 26, 143)}


def group_sites(f, proto, off, end):
    size, group_types, group, query, count, report = GROUP_MESSAGES[proto]
    buf, t = f.buf, f.buf[off]
    if t in group_types:
        f.site(off + group, size, proto + " group", end)
    if t == query and off + count + 2 <= end:
        for i in range(u16(buf, off + count)):
            f.site(off + count + 2 + size * i, size, proto + " query source", end)
    elif t == report:
        group_records(f, off + 8, u16(buf, off + 6), end, size, proto)


def quote(f, off, end):
    """An ICMP error's quoted IP packet: its IP header (with options or
    extension headers) and the quoted transport header's first 8 bytes."""
    buf = f.buf
    if off >= end:
        return
    v = buf[off] >> 4
    if v == 4:
        ihl = (buf[off] & 15) * 4
        if ihl < 20:
            return
        f.mark(off, min(end, off + ihl), KEEP)
        f.site(off + 12, 4, "quoted ipv4 src", end)
        f.site(off + 16, 4, "quoted ipv4 dst", end)
        ipv4_options(f, off + 20, min(end, off + ihl))
        if off + ihl > end:
            return
        f.quoted_csums.append((off + 10, Checksum("quoted ipv4", off + 10, off,
                                                  off + ihl)))
        if u16(buf, off + 6) & 0x1FFF:
            return                       # non-first fragment: nothing more
        proto, pos = buf[off + 9], off + ihl
    elif v == 6:
        f.mark(off, min(end, off + 40), KEEP)
        f.site(off + 8, 16, "quoted ipv6 src", end)
        f.site(off + 24, 16, "quoted ipv6 dst", end)
        if off + 40 > end:
            return
        proto, pos, count = buf[off + 6], off + 40, 0
        while proto in IPV6_EXT_GENERIC or proto in (44, 51):
            count += 1
            if count > MAX_IPV6_HEADERS or pos + 2 > end:
                f.mark(pos, min(end, pos + 8), EITHER)
                return
            size = ext_size(buf, proto, pos)
            f.mark(pos, min(end, pos + size), KEEP)
            if proto == 43 and pos + 4 <= end:
                routing_sites(f, pos, size)
            if proto == 44 and pos + 4 <= end and u16(buf, pos + 2) & 0xFFF8:
                return
            proto = buf[pos]
            pos += size
            if pos > end:
                return
    else:
        return
    f.mark(pos, min(end, pos + 8), KEEP if proto in QUOTE_TRANSPORTS else EITHER)
    # Quoted checksums whose pseudo-header holds the quoted addresses; the
    # quote is cut, so they cannot be verified.
    field = {17: 6, 136: 6, 58: 2}.get(proto)
    if field is not None and pos + field + 2 <= end:
        f.quoted_csums.append((pos + field, None))
