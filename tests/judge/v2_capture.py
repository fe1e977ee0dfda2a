"""Capture containers for judge_v2.py: pcap and pcapng parsed into records
with every field the masking policy v2 constrains (section 8), and written
back (for the self-test's expected outputs).  Standard library only; shares
nothing with pktmask."""

import struct

SHB, IDB, PB, SPB, NRB, ISB, EPB, DSB = (0x0A0D0D0A, 1, 2, 3, 4, 5, 6, 0x0A)
PACKET_BLOCKS = (EPB, SPB, PB)
# The block types a scrubbed output may hold (section 8): everything else
# (NRB, DSB, custom, journal, sysdig, unknown) must be gone.
KEPT_BLOCKS = (SHB, IDB, PB, SPB, ISB, EPB)
PCAP_MAGICS = {0xA1B2C3D4: "us", 0xA1B23C4D: "ns", 0xA1B2CD34: "modified"}

# Options a scrubbed block keeps (section 8); end-of-options (0) is framing.
ALLOWED_OPTIONS = {
    IDB: {9, 13, 14},          # if_tsresol, if_fcslen, if_tsoffset
    EPB: {2, 4, 6},            # epb_flags, epb_dropcount, epb_queue
    PB: {2},                   # the obsolete block's flags
    ISB: {2, 3, 4, 5, 6, 7, 8},
    SHB: set(),                # only the tool's own shb_userappl
    SPB: set(),
}
SHB_USERAPPL = 4


class CaptureError(Exception):
    pass


class Packet:
    """One packet: its data, the link type and FCS length that frame it, and
    where it sits in its block (for messages)."""
    __slots__ = ("data", "linktype", "fcslen", "origlen", "index", "block")

    def __init__(self, data, linktype, fcslen, origlen, index, block=None):
        self.data, self.linktype, self.fcslen = data, linktype, fcslen
        self.origlen, self.index, self.block = origlen, index, block


class Block:
    """A pcapng block: type, byte order, the fixed fields before the
    packet data or options (`fixed`), packet data, options, and padding."""
    __slots__ = ("btype", "endian", "fixed", "data", "options", "raw",
                 "offset", "pad", "opts_ok")

    def __init__(self, btype, endian, raw, offset):
        self.btype, self.endian, self.raw, self.offset = btype, endian, raw, offset
        self.fixed, self.data, self.options, self.pad = b"", None, [], b""
        self.opts_ok = True


class Capture:
    def __init__(self, kind):
        self.kind = kind            # "pcap" or "pcapng"
        self.header = b""           # pcap file header
        self.endian = "<"
        self.variant = "us"
        self.records = []           # pcap: (record header bytes, Packet)
        self.blocks = []            # pcapng
        self.packets = []
        self.truncated_at = None    # offset of a cut final record / block


def parse(buf):
    if len(buf) < 4:
        raise CaptureError("file too short for a capture header")
    le, = struct.unpack_from("<I", buf)
    be, = struct.unpack_from(">I", buf)
    if le == SHB:
        return _parse_pcapng(buf)
    for endian, magic in (("<", le), (">", be)):
        if magic in PCAP_MAGICS:
            return _parse_pcap(buf, endian, PCAP_MAGICS[magic])
    raise CaptureError("unknown magic 0x%08x" % be)


def _parse_pcap(buf, endian, variant):
    if len(buf) < 24:
        raise CaptureError("pcap file header truncated")
    cap = Capture("pcap")
    cap.header, cap.endian, cap.variant = buf[:24], endian, variant
    raw_lt, = struct.unpack_from(endian + "I", buf, 20)
    linktype = raw_lt & 0x0000FFFF
    # The FCS bits of the link-type field: F flag and length in 16-bit words.
    fcslen = ((raw_lt >> 28) & 0xF) * 2 if raw_lt & 0x04000000 else 0
    rec_hdr = 24 if variant == "modified" else 16
    pos = 24
    while pos < len(buf):
        if pos + rec_hdr > len(buf):
            cap.truncated_at = pos
            break
        caplen, origlen = struct.unpack_from(endian + "II", buf, pos + 8)
        if pos + rec_hdr + caplen > len(buf):
            cap.truncated_at = pos
            break
        data = buf[pos + rec_hdr:pos + rec_hdr + caplen]
        pkt = Packet(data, linktype, fcslen, origlen, len(cap.packets) + 1)
        cap.records.append((buf[pos:pos + rec_hdr], pkt))
        cap.packets.append(pkt)
        pos += rec_hdr + caplen
    return cap


def parse_options(buf, pos, end, endian):
    """[(code, value)] up to end-of-options; ok is False when malformed."""
    opts = []
    while pos + 4 <= end:
        code, length = struct.unpack_from(endian + "HH", buf, pos)
        if code == 0:
            return opts, True
        if pos + 4 + length > end:
            return opts, False
        opts.append((code, bytes(buf[pos + 4:pos + 4 + length])))
        pos += 4 + length + (-length % 4)
    return opts, pos == end


# Fixed-field sizes after the 8-byte block head, for the blocks with options.
FIXED = {SHB: 16, IDB: 8, ISB: 12}


def _parse_pcapng(buf):
    cap = Capture("pcapng")
    pos, endian, ifaces = 0, "<", []
    while pos < len(buf):
        if len(buf) - pos < 12:
            cap.truncated_at = pos
            break
        if struct.unpack_from("<I", buf, pos)[0] == SHB:
            if len(buf) - pos < 28:
                cap.truncated_at = pos
                break
            bom = buf[pos + 8:pos + 12]
            if bom == b"\x4d\x3c\x2b\x1a":
                endian = "<"
            elif bom == b"\x1a\x2b\x3c\x4d":
                endian = ">"
            else:
                raise CaptureError("SHB at offset %d: bad byte-order magic" % pos)
            ifaces = []
        elif pos == 0:
            raise CaptureError("pcapng file does not start with an SHB")
        btype, total = struct.unpack_from(endian + "II", buf, pos)
        if total < 12 or total % 4:
            raise CaptureError("block at offset %d: bad total length %d" % (pos, total))
        if pos + total > len(buf):
            cap.truncated_at = pos
            break
        if struct.unpack_from(endian + "I", buf, pos + total - 4)[0] != total:
            raise CaptureError("block at offset %d: trailing length differs" % pos)
        blk = Block(btype, endian, bytes(buf[pos:pos + total]), pos)
        body_end = pos + total - 4
        opt_start = None
        if btype in FIXED and total >= 12 + FIXED[btype]:
            blk.fixed = buf[pos + 8:pos + 8 + FIXED[btype]]
            opt_start = pos + 8 + FIXED[btype]
            if btype == IDB:
                lt, _, snap = struct.unpack_from(endian + "HHI", buf, pos + 8)
                ifaces.append([lt, snap, 0])
        elif btype in (EPB, PB) and total >= 32:
            blk.fixed = buf[pos + 8:pos + 28]
            caplen, origlen = struct.unpack_from(endian + "II", buf, pos + 20)
            if pos + 28 + caplen > body_end:
                raise CaptureError("block at offset %d: captured length beyond the block" % pos)
            iface = struct.unpack_from(endian + ("I" if btype == EPB else "H"), buf, pos + 8)[0]
            blk.data = bytes(buf[pos + 28:pos + 28 + caplen])
            dend = pos + 28 + caplen + (-caplen % 4)
            blk.pad = bytes(buf[pos + 28 + caplen:min(dend, body_end)])
            opt_start = min(dend, body_end)
            _add_packet(cap, blk, ifaces, iface, origlen)
        elif btype == SPB and total >= 16:
            blk.fixed = buf[pos + 8:pos + 12]
            origlen, = struct.unpack_from(endian + "I", buf, pos + 8)
            caplen = min(origlen, total - 16)
            if ifaces and ifaces[0][1]:
                caplen = min(caplen, ifaces[0][1])
            blk.data = bytes(buf[pos + 12:pos + 12 + caplen])
            blk.pad = bytes(buf[pos + 12 + caplen:body_end])
            _add_packet(cap, blk, ifaces, 0, origlen)
        if opt_start is not None:
            blk.options, blk.opts_ok = parse_options(buf, opt_start, body_end, endian)
            if btype == IDB and ifaces:
                for code, val in blk.options:
                    if code == 13 and len(val) >= 1:
                        ifaces[-1][2] = val[0]
        cap.blocks.append(blk)
        pos += total
    return cap


def _add_packet(cap, blk, ifaces, iface, origlen):
    lt, _, fcs = ifaces[iface] if iface < len(ifaces) else (None, 0, 0)
    pkt = Packet(blk.data, lt, fcs, origlen, len(cap.packets) + 1, blk)
    cap.packets.append(pkt)


# ---------------------------------------------------------------------------
# Writing (the self-test builds correct outputs from the judge's expectation)


def _pad4(b):
    return b + b"\0" * (-len(b) % 4)


def options_bytes(opts, endian):
    if not opts:
        return b""
    out = b"".join(struct.pack(endian + "HH", c, len(v)) + _pad4(v) for c, v in opts)
    return out + struct.pack(endian + "HH", 0, 0)


def block_bytes(btype, body, endian):
    body = _pad4(body)
    total = 12 + len(body)
    return struct.pack(endian + "II", btype, total) + body + struct.pack(endian + "I", total)


def write_block(blk, data, options):
    """A block with new packet data and options, other fields as they were."""
    e = blk.endian
    if blk.btype in (EPB, PB):
        body = blk.fixed + _pad4(data) + options_bytes(options, e)
    elif blk.btype == SPB:
        body = blk.fixed + data + blk.pad
    elif blk.btype in FIXED:
        fixed = blk.fixed
        if blk.btype == SHB:
            fixed = fixed[:8] + struct.pack(e + "q", -1)
        body = fixed + options_bytes(options, e)
    else:
        return blk.raw
    return block_bytes(blk.btype, body, e)
