#!/usr/bin/env python3
"""pcapng metadata (masking policy section 8), built and judged with struct
alone, sharing no code with pktmask.

  pcapng_metadata.py write DIR
      Writes meta_le.pcapng and meta_be.pcapng (two sections each, the second
      in the other byte order) holding every kind of option on SHB, IDB, EPB,
      SPB, obsolete packet block and ISB, a Name Resolution Block, a
      Decryption Secrets Block, both custom block types and an unknown block
      type; and for each, NAME.packets.pcap: the same packets in a pcap.

  pcapng_metadata.py check MODE ORIGINAL SANITIZED REFERENCE
      SANITIZED must be ORIGINAL rewritten by section 8 under MODE (scrub or
      keep): the right blocks, with the right fixed fields and options, one
      shb_userappl naming pktmask per section, and packet bytes equal to
      REFERENCE (a pcap of the same packets, sanitized by pktmask).
"""

import os
import re
import struct
import sys

SHB, IDB, OPB, SPB, NRB, ISB, EPB, DSB = 0x0A0D0D0A, 1, 2, 3, 4, 5, 6, 0xA
CUSTOM, CUSTOM_NOCOPY, UNKNOWN = 0xBAD, 0x40000BAD, 0x00000999

# Section 8: the options metadata=scrub keeps, per block type.
SCRUB_KEEPS = {
    IDB: {9, 13, 14},         # if_tsresol, if_fcslen, if_tsoffset
    EPB: {2, 4, 6},           # epb_flags, epb_dropcount, epb_queue
    OPB: {2},                 # opb_flags
    ISB: {2, 3, 4, 5, 6, 7, 8},  # isb_starttime .. isb_usrdeliv
}
USERAPPL = re.compile(rb"^pktmask \S+ \(masking policy 2, profile [a-z-]+, settings [0-9a-f]{16}\)$")


def pad4(data):
    return data + b"\0" * (-len(data) % 4)


def option(e, code, value):
    return struct.pack(e + "HH", code, len(value)) + pad4(value)


def options(e, pairs):
    return b"".join(option(e, c, v) for c, v in pairs) + (struct.pack(e + "HH", 0, 0) if pairs else b"")


def block(e, btype, body):
    total = 12 + len(body)
    return struct.pack(e + "II", btype, total) + body + struct.pack(e + "I", total)


def custom_options(e):
    pen = struct.pack(e + "I", 32473)
    return [(2988, pen + b"custom text"), (2989, pen + b"\x01\x02"),
            (19372, pen + b"no-copy text"), (19373, pen + b"\x03")]


# --------------------------------------------------------------------------
# Packets


def checksum(data):
    data = pad4(data)[:len(data) + len(data) % 2]
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4(proto, payload):
    src, dst = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
    head = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0x4000, 64, proto, 0, src, dst)
    head = head[:10] + struct.pack("!H", checksum(head)) + head[12:]
    pseudo = src + dst + struct.pack("!BBH", 0, proto, len(payload))
    csum_at = {6: 16, 17: 6}[proto]
    segment = payload[:csum_at] + struct.pack("!H", checksum(pseudo + payload)) + payload[csum_at + 2:]
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + head + segment


def tcp(seq, flags, payload):
    return ipv4(6, struct.pack("!HHIIBBHHH", 40000, 443, seq, 1, 0x50, flags, 65535, 0, 0) + payload)


def packets():
    """SYN; a TLS application data record (masked); a UDP datagram."""
    record = b"\x17\x03\x03\x00\x10" + b"secret-app-data!"
    udp = struct.pack("!HHHH", 5000, 53, 8 + 12, 0) + b"dns-question"
    return [tcp(1000, 0x02, b""), tcp(1001, 0x18, record), ipv4(17, udp)]


# --------------------------------------------------------------------------
# Writing


def section(e):
    pkts = packets()
    shb = block(e, SHB, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1) + options(e, [
        (1, b"a comment"), (1, b"another comment"), (2, b"hardware x"), (3, b"Linux 6.1 host-42"),
        (4, b"dumpcap 4.0")] + custom_options(e)))
    idb = block(e, IDB, struct.pack(e + "HHI", 1, 0, 262144) + options(e, [
        (1, b"idb comment"), (2, b"eth0"), (3, b"office uplink"), (4, bytes([10, 0, 0, 1, 255, 0, 0, 0])),
        (5, bytes(range(17))), (6, b"\x02\0\0\0\0\x01"), (7, b"\x02\0\0\xff\xfe\0\0\x01"),
        (8, struct.pack(e + "Q", 10**9)), (9, b"\x06"), (10, struct.pack(e + "I", 0)), (11, b"\x00tcp port 443"),
        (12, b"Linux 6.1"), (13, b"\x00"), (14, struct.pack(e + "q", 0)), (15, b"NIC model"),
        (16, struct.pack(e + "Q", 10**9)), (17, struct.pack(e + "Q", 10**9))] + custom_options(e)))
    nrb = block(e, NRB, struct.pack(e + "HH", 1, 13) + pad4(bytes([10, 0, 0, 2]) + b"server.x\0") +
                struct.pack(e + "HH", 0, 0) + options(e, [(1, b"nrb comment"), (2, b"dns.example"),
                                                          (3, bytes([10, 0, 0, 53]))]))
    dsb = block(e, DSB, struct.pack(e + "II", 0x544C534B, 16) + b"CLIENT_RANDOM 00" + options(e, [(1, b"keys")]))

    def epb(data, extra):
        return block(e, EPB, struct.pack(e + "IIIII", 0, 0x60000, 0x1000, len(data), len(data)) + pad4(data) +
                     options(e, extra))
    epb_all = [(1, b"packet comment"), (2, struct.pack(e + "I", 1)), (3, b"\x02" + bytes(16)),
               (4, struct.pack(e + "Q", 3)), (5, struct.pack(e + "Q", 77)), (6, struct.pack(e + "I", 2)),
               (7, b"\x01" + struct.pack(e + "Q", 1))] + custom_options(e)
    opb = block(e, OPB, struct.pack(e + "HHIIII", 0, 0, 0x60000, 0x2000, len(pkts[1]), len(pkts[1])) +
                pad4(pkts[1]) + options(e, [(1, b"opb comment"), (2, struct.pack(e + "I", 2)),
                                           (3, b"\x02" + bytes(16))]))
    spb = block(e, SPB, struct.pack(e + "I", len(pkts[2])) + pad4(pkts[2]))
    isb = block(e, ISB, struct.pack(e + "III", 0, 0x60000, 0x3000) + options(e, [
        (1, b"isb comment"), (2, struct.pack(e + "II", 0x60000, 1)), (3, struct.pack(e + "II", 0x60000, 9)),
        (4, struct.pack(e + "Q", 5)), (5, struct.pack(e + "Q", 0)), (6, struct.pack(e + "Q", 5)),
        (7, struct.pack(e + "Q", 0)), (8, struct.pack(e + "Q", 5))] + custom_options(e)))
    custom = block(e, CUSTOM, struct.pack(e + "I", 32473) + b"copyable custom!")
    nocopy = block(e, CUSTOM_NOCOPY, struct.pack(e + "I", 32473) + b"private custom!!")
    unknown = block(e, UNKNOWN, b"unknown body")
    blocks = [shb, idb, nrb, epb(pkts[0], epb_all), dsb, epb(pkts[1], []), custom, opb, spb, unknown,
              epb(pkts[2], [(1, b"only a comment")]), nocopy, isb]
    return b"".join(blocks), [pkts[0], pkts[1], pkts[1], pkts[2], pkts[2]]


def write(out):
    for name, orders in (("meta_le", "<>"), ("meta_be", "><")):
        data, pkts = b"", []
        for e in orders:
            body, p = section(e)
            data, pkts = data + body, pkts + p
        with open(os.path.join(out, name + ".pcapng"), "wb") as f:
            f.write(data)
        with open(os.path.join(out, name + ".packets.pcap"), "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
            for i, p in enumerate(pkts):
                f.write(struct.pack("<IIII", i, 0, len(p), len(p)) + p)


# --------------------------------------------------------------------------
# Reading and judging


def parse_options(e, raw, start):
    """[(code, value)] up to opt_endofopt, and the bytes left after it."""
    found, at, end = [], start, len(raw) - 4
    while at + 4 <= end:
        code, length = struct.unpack_from(e + "HH", raw, at)
        if code == 0:
            return found, end - at - 4
        if at + 4 + length > end:
            raise ValueError("option %d overruns its block" % code)
        found.append((code, raw[at + 4:at + 4 + length]))
        at += 4 + length + (-length % 4)
    return found, end - at


def parse(data):
    """[(type, endian, raw, fixed_end, data_span)] where fixed_end is where options begin (None: no options)."""
    blocks, at, e = [], 0, "<"
    while at < len(data):
        if struct.unpack_from("<I", data, at)[0] == SHB:
            e = "<" if data[at + 8:at + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        btype, total = struct.unpack_from(e + "II", data, at)
        raw = data[at:at + total]
        if total < 12 or total % 4 or len(raw) != total or struct.unpack_from(e + "I", raw, total - 4)[0] != total:
            raise ValueError("block at %d: bad lengths" % at)
        fixed, span = None, None
        if btype == SHB:
            fixed = 24
        elif btype == IDB:
            fixed = 16
        elif btype == ISB:
            fixed = 20
        elif btype in (EPB, OPB):
            caplen = struct.unpack_from(e + "I", raw, 20)[0]
            span, fixed = (28, 28 + caplen), 28 + caplen + (-caplen % 4)
        elif btype == SPB:
            span = (12, 12 + struct.unpack_from(e + "I", raw, 8)[0])
        blocks.append((btype, e, raw, fixed, span))
        at += total
    return blocks


def reference_packets(path):
    data, out, at = open(path, "rb").read(), [], 24
    while at < len(data):
        caplen = struct.unpack_from("<I", data, at + 8)[0]
        out.append(data[at + 16:at + 16 + caplen])
        at += 16 + caplen
    return out


def check(mode, original, sanitized, reference):
    problems = []
    want = [b for b in parse(open(original, "rb").read())
            if b[0] != DSB and (mode == "keep" or b[0] in (SHB, IDB, EPB, SPB, OPB, ISB))]
    got = parse(open(sanitized, "rb").read())
    ref = reference_packets(reference)
    if [b[0] for b in got] != [b[0] for b in want]:
        return ["block types %s, want %s" % ([hex(b[0]) for b in got], [hex(b[0]) for b in want])]
    packet = 0
    for n, ((btype, e, was, fixed, span), (_, e2, now, _, span2)) in enumerate(zip(want, got)):
        where = "block %d (type %#x)" % (n + 1, btype)
        if e != e2:
            problems.append("%s: byte order changed" % where)
        if span:
            if now[span2[0]:span2[1]] != ref[packet]:
                problems.append("%s: packet bytes differ from the reference" % where)
            packet += 1
            was, now = was[:span[0]] + was[span[1]:], now[:span2[0]] + now[span2[1]:]
            fixed = fixed and fixed - (span[1] - span[0])
        if fixed is None or (mode == "keep" and btype != SHB):
            if now != was:
                problems.append("%s: changed, but must be copied as it is" % where)
            continue
        head_was, head_now = was[8:fixed], now[8:fixed]
        if btype == SHB:
            if head_now[8:16] != b"\xff" * 8:
                problems.append("%s: section length is not -1" % where)
            head_was, head_now = head_was[:8], head_now[:8]
        if head_now != head_was:
            problems.append("%s: fixed fields changed" % where)
        opts_was, _ = parse_options(e, was, fixed)
        opts_now, left = parse_options(e, now, fixed)
        if left not in (0,):
            problems.append("%s: %d bytes after opt_endofopt" % (where, left))
        if opts_now and struct.unpack_from(e + "HH", now, len(now) - 8) != (0, 0):
            problems.append("%s: option list does not end with opt_endofopt" % where)
        if btype == SHB:
            apps = [v for c, v in opts_now if c == 4]
            if len(apps) != 1 or not USERAPPL.match(apps[0]):
                problems.append("%s: shb_userappl %r, want one naming pktmask" % (where, apps))
            opts_now = [o for o in opts_now if o[0] != 4]
            opts_was = [o for o in opts_was if o[0] != 4] if mode == "keep" else []
        elif mode == "scrub":
            opts_was = [o for o in opts_was if o[0] in SCRUB_KEEPS[btype]]
        if opts_now != opts_was:
            problems.append("%s: options %s, want %s" % (where, [c for c, _ in opts_now], [c for c, _ in opts_was]))
    if packet != len(ref):
        problems.append("%d packets, the reference has %d" % (packet, len(ref)))
    return problems


def main(argv):
    if len(argv) == 3 and argv[1] == "write":
        write(argv[2])
        return 0
    if len(argv) == 6 and argv[1] == "check" and argv[2] in ("scrub", "keep"):
        problems = check(*argv[2:])
        for p in problems:
            print("pcapng_metadata: %s: %s" % (argv[4], p), file=sys.stderr)
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
