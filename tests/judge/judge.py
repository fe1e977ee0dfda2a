#!/usr/bin/env python3
"""judge.py - independent output judge for pktmask.

Checks a sanitized capture against its original without using any pktmask
code: the capture containers are parsed here with the struct module, and the
protocol view comes from tshark.  See README.md next to this file.

usage: judge.py ORIGINAL SANITIZED [--expected EXPECTED] [--tls-view] [--json]

Exit status: 0 all checks pass, 1 a check failed, 2 usage error or an input
that cannot be read (missing file, original not a capture, tshark failing).
"""

import argparse
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
MAX_REPORTED = 20


class Unreadable(Exception):
    """An input the judge cannot work with (exit 2)."""


class CaptureError(Exception):
    """A byte sequence that is not a well-formed pcap / pcapng file."""


# ---------------------------------------------------------------------------
# Capture containers
#
# A capture is parsed into a list of Records that tile the file without gaps.
# Each record has a byte range [start, end) and, for packet records, the range
# [data_start, data_end) of the packet data inside it.  `frame` is the frame
# number tshark gives the record (None for records that are not frames).
# `layout` names the byte ranges of the record outside its data, for messages.


class Record:
    __slots__ = ("kind", "start", "end", "data_start", "data_end", "frame",
                 "layout")

    def __init__(self, kind, start, end, data_start=None, data_end=None,
                 frame=None, layout=()):
        self.kind = kind
        self.start, self.end = start, end
        self.data_start = start if data_start is None else data_start
        self.data_end = self.data_start if data_end is None else data_end
        self.frame = frame
        self.layout = layout

    def shape(self):
        return (self.kind, self.start, self.end, self.data_start,
                self.data_end, self.frame)

    def where(self):
        if self.frame is not None:
            return "packet %d" % self.frame
        return self.kind

    def field_at(self, offset):
        """Name of the field at absolute file offset `offset`."""
        rel = offset - self.start
        for lo, hi, name in self.layout:
            if lo <= rel < hi:
                return name
        if self.data_start <= offset < self.data_end:
            return "packet data"
        if offset >= self.data_end > self.data_start:
            return "bytes after packet data (padding, options, trailer)"
        return "byte %d of the %s" % (rel, self.kind)


PACKET_KINDS = ("pcap record", "EPB", "SPB", "obsolete PB")

PCAP_MAGICS = {0xA1B2C3D4: "us", 0xA1B23C4D: "ns", 0xA1B2CD34: "modified"}
PCAP_HEADER_LAYOUT = ((0, 4, "magic"), (4, 6, "version major"),
                      (6, 8, "version minor"), (8, 12, "thiszone"),
                      (12, 16, "sigfigs"), (16, 20, "snaplen"),
                      (20, 24, "link type"))
PCAP_RECORD_LAYOUT = ((0, 4, "timestamp seconds"),
                      (4, 8, "timestamp fraction"),
                      (8, 12, "captured length"), (12, 16, "original length"),
                      (16, 20, "interface index"), (20, 22, "protocol"),
                      (22, 23, "packet type"), (23, 24, "padding"))
BLOCK_HEAD = ((0, 4, "block type"), (4, 8, "block total length"))
EPB_LAYOUT = BLOCK_HEAD + ((8, 12, "interface id"),
                           (12, 16, "timestamp (high)"),
                           (16, 20, "timestamp (low)"),
                           (20, 24, "captured length"),
                           (24, 28, "original length"))
PB_LAYOUT = BLOCK_HEAD + ((8, 10, "interface id"), (10, 12, "drops count"),
                          (12, 16, "timestamp (high)"),
                          (16, 20, "timestamp (low)"),
                          (20, 24, "captured length"),
                          (24, 28, "original length"))
SPB_LAYOUT = BLOCK_HEAD + ((8, 12, "original length"),)

SHB_TYPE = 0x0A0D0D0A
# pcapng blocks that tshark 4.0 turns into frames although they carry no
# link-layer packet: systemd journal export, custom blocks, sysdig events.
NON_PACKET_FRAME_BLOCKS = {9, 0x00000BAD, 0x40000BAD, 0x204, 0x208}


def parse_capture(buf):
    if len(buf) < 4:
        raise CaptureError("file too short for a capture header")
    magic_le, = struct.unpack_from("<I", buf)
    magic_be, = struct.unpack_from(">I", buf)
    if magic_le == SHB_TYPE:
        return parse_pcapng(buf)
    if magic_le in PCAP_MAGICS:
        return parse_pcap(buf, "<", PCAP_MAGICS[magic_le])
    if magic_be in PCAP_MAGICS:
        return parse_pcap(buf, ">", PCAP_MAGICS[magic_be])
    raise CaptureError("unknown magic 0x%08x" % magic_be)


def parse_pcap(buf, endian, variant):
    if len(buf) < 24:
        raise CaptureError("pcap file header truncated")
    records = [Record("file header", 0, 24, layout=PCAP_HEADER_LAYOUT)]
    rec_hdr = 24 if variant == "modified" else 16
    pos, frame = 24, 0
    while pos < len(buf):
        if pos + rec_hdr > len(buf):
            records.append(Record("truncated trailing record", pos, len(buf)))
            break
        caplen, = struct.unpack_from(endian + "I", buf, pos + 8)
        if pos + rec_hdr + caplen > len(buf):
            records.append(Record("truncated trailing record", pos, len(buf)))
            break
        frame += 1
        end = pos + rec_hdr + caplen
        records.append(Record("pcap record", pos, end, pos + rec_hdr, end,
                              frame, PCAP_RECORD_LAYOUT[:4 if rec_hdr == 16
                                                        else 8]))
        pos = end
    return records


def parse_pcapng(buf):
    records = []
    pos, frame, endian, snaplen0, nblock = 0, 0, None, None, 0
    while pos < len(buf):
        nblock += 1
        if len(buf) - pos < 12:
            raise CaptureError("block %d at offset %d truncated" % (nblock, pos))
        if struct.unpack_from("<I", buf, pos)[0] == SHB_TYPE:
            if len(buf) - pos < 28:
                raise CaptureError("SHB at offset %d truncated" % pos)
            bom, = struct.unpack_from("<I", buf, pos + 8)
            if bom == 0x1A2B3C4D:
                endian = "<"
            elif bom == 0x4D3C2B1A:
                endian = ">"
            else:
                raise CaptureError("SHB at offset %d: bad byte-order magic"
                                   % pos)
            snaplen0 = None
        if endian is None:
            raise CaptureError("pcapng file does not start with an SHB")
        btype, total = struct.unpack_from(endian + "II", buf, pos)
        if total < 12 or total % 4 or pos + total > len(buf):
            raise CaptureError("block %d (type 0x%x) at offset %d: bad total "
                               "length %d" % (nblock, btype, pos, total))
        trailer, = struct.unpack_from(endian + "I", buf, pos + total - 4)
        if trailer != total:
            raise CaptureError("block %d (type 0x%x) at offset %d: trailing "
                               "length %d != %d" % (nblock, btype, pos,
                                                    trailer, total))
        end = pos + total
        body_end = end - 4
        if btype == 1 and snaplen0 is None and total >= 20:
            snaplen0, = struct.unpack_from(endian + "I", buf, pos + 12)
        if btype in (6, 2) and total >= 32:
            caplen, = struct.unpack_from(endian + "I", buf, pos + 20)
            data_start = pos + 28
            if data_start + caplen > body_end:
                raise CaptureError("block %d (type 0x%x) at offset %d: "
                                   "captured length %d beyond the block"
                                   % (nblock, btype, pos, caplen))
            frame += 1
            records.append(Record("EPB" if btype == 6 else "obsolete PB",
                                  pos, end, data_start, data_start + caplen,
                                  frame, EPB_LAYOUT if btype == 6
                                  else PB_LAYOUT))
        elif btype == 3 and total >= 16:
            origlen, = struct.unpack_from(endian + "I", buf, pos + 8)
            caplen = min(origlen, total - 16)
            if snaplen0:
                caplen = min(caplen, snaplen0)
            frame += 1
            records.append(Record("SPB", pos, end, pos + 12,
                                  pos + 12 + caplen, frame, SPB_LAYOUT))
        else:
            is_frame = btype in NON_PACKET_FRAME_BLOCKS
            frame += is_frame
            records.append(Record("block %d (type 0x%x)" % (nblock, btype),
                                  pos, end, frame=frame if is_frame else None,
                                  layout=BLOCK_HEAD))
        pos = end
    return records


def packet_records(records):
    return [r for r in records if r.kind in PACKET_KINDS]


def frame_count(records):
    return sum(1 for r in records if r.frame is not None)


# ---------------------------------------------------------------------------
# Reporting


class Report:
    def __init__(self, sanitized):
        self.sanitized = sanitized
        self.failures = []   # (file, where, message)
        self.checks = []
        self.counts = {"packets": 0, "changed_packets": 0,
                       "payload_bytes": 0, "zeroed": 0, "kept": 0,
                       "checksums_changed": 0}

    def fail(self, where, message):
        self.failures.append((self.sanitized, where, message))

    def print_text(self):
        for file, where, message in self.failures[:MAX_REPORTED]:
            print("judge: %s: %s: %s" % (file, where, message))
        if self.failures:
            shown = min(len(self.failures), MAX_REPORTED)
            print("judge: FAIL (%d failures, %d shown)"
                  % (len(self.failures), shown))
        else:
            c = self.counts
            print("judge: ok (%d packets, %d payload bytes zeroed, %d kept)"
                  % (c["packets"], c["zeroed"], c["kept"]))

    def as_json(self, args):
        return {
            "ok": not self.failures,
            "original": args.original,
            "sanitized": args.sanitized,
            "expected": args.expected,
            "checks": self.checks,
            **self.counts,
            "failure_count": len(self.failures),
            "failures": [{"file": f, "where": w, "message": m}
                         for f, w, m in self.failures],
        }


def first_difference(a, b):
    """First index where a and b differ, the shorter length when one is a
    prefix of the other, None when they are equal."""
    n = min(len(a), len(b))
    chunk = 4096
    i = 0
    while i < n:
        j = min(n, i + chunk)
        if a[i:j] != b[i:j]:
            while a[i] == b[i]:
                i += 1
            return i
        i = j
    return n if len(a) != len(b) else None


def diff_positions(a, b):
    return [i for i, (x, y) in enumerate(zip(a, b)) if x != y]


# ---------------------------------------------------------------------------
# Check 1: structure


def check_structure(orig, san, orec, srec, report):
    """Compare the containers record by record.  Returns the original's
    packet records whose data differ (the sanitized record has the same
    layout, so the same offsets apply to both files)."""
    report.checks.append("structure")
    if len(orig) != len(san):
        report.fail("file", "size %d differs from the original's %d"
                    % (len(san), len(orig)))
    changed = []
    for a, b in zip(orec, srec):
        if a.shape() != b.shape():
            if a.kind != b.kind:
                what = "is a %s, the original has a %s" % (b.kind, a.kind)
            elif a.frame != b.frame:
                what = "frame numbering diverges (sanitized frame %s)" % b.frame
            else:
                what = ("%s of %d bytes (%d bytes of data) where the original"
                        " has %d (%d)" % (b.kind, b.end - b.start,
                                          b.data_end - b.data_start,
                                          a.end - a.start,
                                          a.data_end - a.data_start))
            report.fail(a.where(), what + "; later records not compared")
            return changed
        for lo, hi in ((a.start, a.data_start), (a.data_end, a.end)):
            d = first_difference(orig[lo:hi], san[lo:hi])
            if d is not None:
                off = lo + d
                report.fail(a.where(), "%s changed (file offset %d: 0x%02x -> "
                            "0x%02x)" % (a.field_at(off), off, orig[off],
                                         san[off]))
                break
        if a.data_end > a.data_start and \
                orig[a.data_start:a.data_end] != san[a.data_start:a.data_end]:
            changed.append(a)
    if len(orec) > len(srec):
        missing = orec[len(srec)]
        report.fail(missing.where(), "missing in the sanitized file (%d "
                    "records missing)" % (len(orec) - len(srec)))
    elif len(srec) > len(orec):
        extra = srec[len(orec)]
        report.fail(extra.where(), "extra record not in the original (%d "
                    "extra)" % (len(srec) - len(orec)))
    return changed


# ---------------------------------------------------------------------------
# tshark

# IPv4 total length 0 (a sender's capture with TCP segmentation offload)
# means the packet runs to the end of the frame, as the policy says: pinned
# here rather than left to tshark's default.
TSHARK_BASE = ["-n", "-o", "ip.defragment:FALSE", "-o",
               "ipv6.defragment:FALSE", "-o", "ip.tso_support:TRUE"]
TSHARK_CHECKSUMS = ["-o", "tcp.check_checksum:TRUE",
                    "-o", "udp.check_checksum:TRUE",
                    "-o", "tcp.desegment_tcp_streams:FALSE",
                    "-o", "tcp.analyze_sequence_numbers:FALSE"]


class Tshark:
    """Runs tshark with an empty personal configuration, so the user's
    preferences cannot change what the judge sees.  start() launches a run
    in the background (output to a temporary file) so that independent runs
    overlap; stream() parses a run's output while tshark writes it."""

    def __init__(self):
        self.confdir = tempfile.TemporaryDirectory(prefix="judge-ws-")
        self.env = dict(os.environ, WIRESHARK_CONFIG_DIR=self.confdir.name)
        self.procs = []

    def _spawn(self, path, args, stdout):
        err = tempfile.TemporaryFile()
        try:
            proc = subprocess.Popen(["tshark", "-r", path] + args,
                                    stdout=stdout, stderr=err, env=self.env)
        except OSError as e:
            err.close()
            raise Unreadable("cannot run tshark: %s" % e)
        self.procs.append(proc)
        return proc, err

    @staticmethod
    def _finish(proc, err):
        code = proc.wait()
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
        err.close()
        text = "\n".join(line for line in text.splitlines()
                         if "could be dangerous" not in line)
        return code, text.strip()

    def start(self, path, args):
        """Launch tshark -r path args; returns a function that takes a
        parser of the output stream and returns (parsed, exit code, stderr)."""
        out = tempfile.TemporaryFile()
        proc, err = self._spawn(path, args, out)

        def finish(consume):
            code, text = self._finish(proc, err)
            with out:
                out.seek(0)
                return consume(out), code, text
        return finish

    def stream(self, path, args, consume):
        proc, err = self._spawn(path, args, subprocess.PIPE)
        try:
            result = consume(proc.stdout)
        finally:
            proc.stdout.close()
        return (result,) + self._finish(proc, err)

    def close(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.confdir.cleanup()


class Layer:
    __slots__ = ("name", "pos", "size", "frag", "payloads", "checksum",
                 "status", "declared")

    def __init__(self, name, pos, size):
        self.name, self.pos, self.size = name, pos, size
        self.declared = None    # IPv4 total length, as tshark reads it
        self.frag = False
        self.payloads = []      # [(start, end)] of tcp.payload
        self.checksum = None    # (start, end) of the checksum field
        self.status = None      # checksum status as tshark shows it


LAYER_PROTOS = ("ip", "ipv6", "tcp", "udp", "gre")
CHECKSUM_FIELD = {"tcp": "tcp.checksum", "udp": "udp.checksum",
                  "gre": "gre.checksum"}
ICMP_PROTOS = ("icmp", "icmpv6")
# -j keeps these protocols' own fields but drops their subtrees, except the
# two subtrees named here (fragment flags); the other protocols shrink to
# one line each.  That cuts tshark's output and the judge's parsing time.
PDML_FILTER = "ip ip.flags ipv6 ipv6.fraghdr tcp udp gre"
FRAG_FIELDS = ("ip.flags.mf", "ipv6.fraghdr.more", "ip.frag_offset",
               "ipv6.fraghdr.offset")
PDML_FIELDS = ("caplen", "tcp.payload", "ip.len") + tuple(
    CHECKSUM_FIELD.values()) + tuple(
        name + ".checksum.status" for name in CHECKSUM_FIELD) + FRAG_FIELDS

# PDML is XML, but a full XML parser spends most of its time on the
# thousands of fields the judge does not need.  tshark writes one element
# per line, indents nested elements by two spaces per level and escapes <, >,
# & and quotes inside attribute values, so two regular expressions with a
# literal prefix (fast to search for) find the few elements the judge needs.
# A top-level protocol is a <proto> line indented by exactly two spaces;
# every field after it, at any depth, belongs to it (with the -j filter
# above, protocols that nest others, such as ICMP quoting TCP, are cut down
# to their own line).  Every packet starts with the "geninfo" protocol.
PDML_PROTO = re.compile(rb'\n  <proto name="([^"]*)"([^>]*)>')
PDML_FIELD = re.compile(
    rb'<field name="(' + b"|".join(re.escape(f.encode()) for f in PDML_FIELDS)
    + rb')"([^>]*)>')
PDML_ATTR = re.compile(rb'\b(pos|size|show)="([^"]*)"')


def _attrs(text):
    return dict(PDML_ATTR.findall(text))     # bytes -> bytes


def _int(value, default=0):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _span(attrs):
    start = _int(attrs.get(b"pos"))
    return start, start + _int(attrs.get(b"size"))


class PdmlPacket:
    """Top-level protocol layers of one PDML <packet>."""

    def __init__(self):
        self.caplen = None
        self.layers = []

    def checked(self):
        if self.caplen is None or not any(layer.name == "frame"
                                          for layer in self.layers):
            raise Unreadable("unexpected PDML layout from tshark")
        return self

    def proto(self, name, attrs):
        start, end = _span(attrs)
        self.layers.append(Layer(name, start, end - start))

    def field(self, fname, attrs):
        if not self.layers:
            return
        layer = self.layers[-1]
        show = attrs.get(b"show")
        if fname == "caplen":
            if layer.name == "geninfo":
                self.caplen = _int(show, None)
        elif fname == "tcp.payload":
            layer.payloads.append(_span(attrs))
        elif fname == "ip.len" and layer.name == "ip":
            layer.declared = _int(show, None)
        elif fname == CHECKSUM_FIELD.get(layer.name):
            layer.checksum = _span(attrs)
        elif fname == layer.name + ".checksum.status":
            layer.status = show.decode() if show is not None else None
        elif fname in FRAG_FIELDS[:2]:
            layer.frag |= show not in (b"0", b"False")
        elif fname in FRAG_FIELDS[2:]:
            layer.frag |= show != b"0"


def scan_pdml(stream):
    """Yield one PdmlPacket per <packet> of a PDML stream."""
    rest = b""
    packet = None
    while True:
        chunk = stream.read(1 << 20)
        buf = rest + chunk
        cut = len(buf) if not chunk else buf.rfind(b"</packet>") + 9
        if cut < 9:
            rest = buf
            continue
        protos = [(m.start(), m.group(1), m.group(2))
                  for m in PDML_PROTO.finditer(buf, 0, cut)]
        fields = [(m.start(), m.group(1), m.group(2))
                  for m in PDML_FIELD.finditer(buf, 0, cut)]
        fi, nf = 0, len(fields)
        for i, (_, pname, pattrs) in enumerate(protos):
            next_proto = protos[i + 1][0] if i + 1 < len(protos) else cut
            name = pname.decode()
            if name == "geninfo":
                if packet is not None:
                    yield packet.checked()
                packet = PdmlPacket()
            elif packet is None:
                raise Unreadable("unexpected PDML layout from tshark")
            packet.proto(name, _attrs(pattrs))
            while fi < nf and fields[fi][0] < next_proto:
                _, fname, fattrs = fields[fi]
                fi += 1
                packet.field(fname.decode(), _attrs(fattrs))
        rest = buf[cut:]
        if not chunk:
            if packet is not None:
                yield packet.checked()
            return


class FrameView:
    """What the judge needs from one frame of the original: the TCP payload
    spans (and whether they lie in an IP fragment) and the checksum fields
    that masking may change, plus every layer's checksum status."""

    def __init__(self, layers):
        self.layers = layers
        self.payloads = []      # [(start, end, is_fragment)]
        self.checksums = []     # [(start, end, layer name)]
        self.status = {"tcp": [], "udp": [], "gre": []}
        pending, barrier, frag, cut = [], False, False, False
        frame_end = max((layer.pos + layer.size for layer in layers
                         if layer.name == "frame"), default=0)
        for layer in layers:
            if layer.name in ICMP_PROTOS:
                barrier = True
            if barrier or layer.name not in LAYER_PROTOS:
                continue        # after ICMP, or nothing the judge needs
            # An IPv4 total length beyond the frame is a snaplen cut (policy
            # section 2): the checksums inside cover bytes that were never
            # captured, so whatever tshark makes of them is not binding.
            if layer.declared is not None and \
                    layer.pos + layer.declared > frame_end:
                cut = True
            if layer.name in self.status:
                self.status[layer.name].append("2" if cut else layer.status)
            if self.payloads and any(s <= layer.pos < e
                                     for s, e, _ in self.payloads):
                continue        # inside a TCP payload
            if layer.name in ("ip", "ipv6"):
                frag |= layer.frag      # an outer fragment covers all inside
            elif layer.name in ("udp", "gre") and layer.checksum:
                pending.append((layer.checksum[0], layer.checksum[1],
                                layer.name))
            elif layer.name == "tcp":
                self.payloads += [(s, e, frag) for s, e in layer.payloads]
                if frag:
                    continue            # a fragment stays byte-identical
                if layer.checksum:
                    self.checksums.append((layer.checksum[0],
                                           layer.checksum[1], "tcp"))
                self.checksums += pending   # outer UDP / GRE of this TCP
                pending = []

    def payload_length(self):
        return sum(e - s for s, e, frag in self.payloads if not frag)

    def layer_at(self, offset):
        name = "frame"
        for layer in self.layers:
            if layer.pos <= offset < layer.pos + layer.size:
                name = layer.name
        return name


def read_pdml(stream, wanted):
    """Returns {frame: FrameView} for frames in `wanted`, the payload byte
    count of all the other frames, and the captured length of every frame
    (tshark numbers frames 1, 2, ... in file order)."""
    views, other_payload, caplens = {}, 0, []
    for num, packet in enumerate(scan_pdml(stream), 1):
        caplens.append(packet.caplen)
        if num in wanted:
            views[num] = FrameView(packet.layers)
        else:
            other_payload += FrameView(packet.layers).payload_length()
    return views, other_payload, caplens


def read_checksum_fields(stream):
    """-T fields output of frame.number + tcp/udp/gre checksum status."""
    out = {}
    for line in stream:
        cols = line.decode("utf-8", "replace").rstrip("\r\n").split("\t")
        if not cols[0]:
            continue
        out[int(cols[0])] = {name: (cols[i].split(",") if cols[i] else [])
                             for i, name in ((1, "tcp"), (2, "udp"),
                                             (3, "gre"))}
    return out


# ---------------------------------------------------------------------------
# Checks 2 and 3: payload-only changes, checksums


CHECKSUM_STATUS = {"0": "bad", "1": "good", "2": "unverified",
                   "3": "not present", "4": "illegal", None: "missing"}
CHECKSUM_FIELD_ARGS = TSHARK_BASE + TSHARK_CHECKSUMS + [
    "-T", "fields", "-E", "occurrence=a", "-e", "frame.number",
    "-e", "tcp.checksum.status", "-e", "udp.checksum.status",
    "-e", "gre.checksum.status"]


def check_payload(orig, san, orec, changed, tshark, args, report):
    """Checks 2 and 3.  The checksum view of the sanitized file is started
    first so that it runs while the original's PDML is being parsed."""
    report.checks += ["payload", "checksum"]
    wanted = {r.frame: r for r in changed}
    status_job = tshark.start(args.sanitized, CHECKSUM_FIELD_ARGS) \
        if changed else None
    pdml_args = TSHARK_BASE + TSHARK_CHECKSUMS + [
        "-T", "pdml", "-j", PDML_FILTER]
    (views, other_payload, caplens), code, err = tshark.stream(
        args.original, pdml_args, lambda s: read_pdml(s, wanted))
    packets = {r.frame: r for r in packet_records(orec)}
    nframes = frame_count(orec)
    if len(caplens) != nframes:
        raise Unreadable("tshark sees %d frames in %s, the judge parsed %d%s"
                         % (len(caplens), args.original, nframes,
                            (" (tshark: %s)" % err) if err else ""))
    for num, caplen in enumerate(caplens, 1):
        rec = packets.get(num)
        if rec is not None and caplen != rec.data_end - rec.data_start:
            raise Unreadable("frame %d: tshark shows %s captured bytes, the "
                             "judge parsed %d" % (num, caplen,
                                                  rec.data_end - rec.data_start))
    report.counts["payload_bytes"] += other_payload
    report.counts["kept"] += other_payload

    for rec in changed:
        judge_frame_bytes(orig, san, rec, views[rec.frame], report)
    if not changed:
        return
    san_status, code, err = status_job(read_checksum_fields)
    for num in sorted(wanted):
        view = views[num]
        got = san_status.get(num)
        if got is None:
            report.fail("packet %d" % num, "tshark cannot read this packet in "
                        "the sanitized file%s" % ((": " + err) if err else ""))
            continue
        for proto, before in view.status.items():
            after = got[proto]
            for i, status in enumerate(before):
                if status != "1":
                    continue
                now = after[i] if i < len(after) else None
                if now != "1":
                    report.fail("packet %d" % num, "%s checksum (%s layer %d) "
                                "verified in the original but is %s in the "
                                "sanitized file" % (
                                    proto.upper(), proto.upper(), i + 1,
                                    CHECKSUM_STATUS.get(now, now)))


def zeroing_diff(a, b):
    """Compare equal-length byte strings a (original) and b (sanitized).
    Returns (bytes changed to zero, bytes changed to a non-zero value, offset
    of the first of the latter or None).  Works on whole spans at once by
    treating them as big integers, one 8-bit lane per byte."""
    if a == b:
        return 0, 0, None
    n = len(a)
    low7 = int.from_bytes(b"\x7f" * n, "big")
    high = int.from_bytes(b"\x80" * n, "big")

    def nonzero_lanes(x):       # bit 7 of every lane set where x's byte != 0
        return (((x & low7) + low7) | x) & high

    bi = int.from_bytes(b, "big")
    changed = nonzero_lanes(int.from_bytes(a, "big") ^ bi)
    bad = changed & nonzero_lanes(bi)
    nbad = bad.bit_count()
    first = n - 1 - (bad.bit_length() - 1) // 8 if bad else None
    return changed.bit_count() - nbad, nbad, first


def judge_frame_bytes(orig, san, rec, view, report):
    """Check one changed frame span by span and count its payload bytes."""
    a = orig[rec.data_start:rec.data_end]
    b = san[rec.data_start:rec.data_end]
    where = "packet %d" % rec.frame
    spans = sorted([(s, e, "checksum") for s, e, _ in view.checksums]
                   + [(s, e, "fragment" if frag else "payload")
                      for s, e, frag in view.payloads])
    outside, frag_changed, zeroed, nbad, first_bad = [], [], 0, 0, None
    csum_changed, pos = False, 0
    for s, e, kind in spans + [(len(a), len(a), "end")]:
        s, e = max(s, pos), min(e, len(a))
        if pos < s and a[pos:s] != b[pos:s]:
            outside += [pos + i for i in diff_positions(a[pos:s], b[pos:s])]
        if kind == "checksum":
            csum_changed |= a[s:e] != b[s:e]
        elif kind == "fragment":
            frag_changed += [s + i for i in diff_positions(a[s:e], b[s:e])]
        elif kind == "payload":
            z, bad, first = zeroing_diff(a[s:e], b[s:e])
            zeroed += z
            if bad and first_bad is None:
                first_bad = s + first
            nbad += bad
        pos = max(pos, e)
    for s, e, name in view.checksums:
        if name == "udp" and a[s:e] == b"\0\0" and b[s:e] != b"\0\0":
            report.fail(where, "UDP checksum at offset %d was 0 (none) in the "
                        "original but is 0x%s now" % (s, b[s:e].hex()))
    if outside:
        i = outside[0]
        report.fail(where, "%d byte(s) outside the TCP payload changed, first "
                    "at offset %d (%s): 0x%02x -> 0x%02x"
                    % (len(outside), i, view.layer_at(i), a[i], b[i]))
    if nbad:
        i = first_bad
        report.fail(where, "%d TCP payload byte(s) changed to a non-zero "
                    "value, first at offset %d: 0x%02x -> 0x%02x"
                    % (nbad, i, a[i], b[i]))
    if frag_changed:
        report.fail(where, "%d payload byte(s) of an IP fragment changed, "
                    "first at offset %d" % (len(frag_changed), frag_changed[0]))
    report.counts["checksums_changed"] += csum_changed
    payload = view.payload_length()
    report.counts["payload_bytes"] += payload
    report.counts["zeroed"] += zeroed
    report.counts["kept"] += payload - zeroed - nbad


# ---------------------------------------------------------------------------
# Check 4: expected output


def check_expected(san, srec, args, report):
    report.checks.append("expected")
    try:
        with open(args.expected, "rb") as f:
            exp = f.read()
    except OSError as e:
        raise Unreadable("%s: %s" % (args.expected, e.strerror))
    d = first_difference(san, exp)
    if d is None:
        return
    if d >= min(len(san), len(exp)):
        report.fail("file", "is %d bytes, %s is %d bytes (identical up to "
                    "there)" % (len(san), args.expected, len(exp)))
        return
    if srec is None:
        try:
            srec = parse_capture(exp)
        except CaptureError:
            srec = []
    rec = next((r for r in srec if r.start <= d < r.end), None)
    if rec is None:
        report.fail("file", "differs from %s at file offset %d"
                    % (args.expected, d))
    elif rec.data_start <= d < rec.data_end:
        report.fail(rec.where(), "differs from %s at byte %d of the packet "
                    "(0x%02x, expected 0x%02x)" % (args.expected,
                                                   d - rec.data_start, san[d],
                                                   exp[d]))
    else:
        report.fail(rec.where(), "differs from %s in the %s (file offset %d)"
                    % (args.expected, rec.field_at(d), d))


# ---------------------------------------------------------------------------
# Check 5: TLS view

TLS_FIELDS = ["tls.record.content_type", "tls.record.opaque_type",
              "tls.record.length", "tls.handshake.type",
              "tls.handshake.ciphersuite",
              "tls.handshake.extensions_server_name",
              "tls.handshake.version", "tls.alert_message.desc"]
HEX_ZEROS = re.compile(r"^(00)*$")


def read_tls_fields(stream):
    out = {}
    for line in stream:
        cols = line.decode("utf-8", "replace").rstrip("\r\n").split("\t")
        if not cols[0]:
            continue
        apps = [v.replace(":", "") for v in cols[-1].split(",")] \
            if cols[-1] else []
        out[int(cols[0])] = (cols[1:-1], apps)
    return out


def start_tls_view(tshark, args):
    targs = ["-n", "-T", "fields", "-E", "occurrence=a", "-e",
             "frame.number"]
    for name in TLS_FIELDS + ["tls.app_data"]:
        targs += ["-e", name]
    return [(path, tshark.start(path, targs))
            for path in (args.original, args.sanitized)]


def check_tls_view(jobs, report):
    report.checks.append("tls-view")
    views = []
    for path, job in jobs:
        view, code, err = job(read_tls_fields)
        if code != 0 and not view:
            raise Unreadable("tshark failed on %s: %s" % (path, err))
        views.append(view)
    orig, san = views
    for num in sorted(set(orig) | set(san)):
        if num not in san or num not in orig:
            report.fail("packet %d" % num, "present in only one TLS view")
            continue
        (ofields, oapps), (sfields, sapps) = orig[num], san[num]
        for name, x, y in zip(TLS_FIELDS, ofields, sfields):
            if x != y:
                report.fail("packet %d" % num, "%s is [%s], the original has "
                            "[%s]" % (name, y, x))
        if [len(v) for v in oapps] != [len(v) for v in sapps]:
            report.fail("packet %d" % num, "tls.app_data lengths %s, the "
                        "original has %s" % ([len(v) // 2 for v in sapps],
                                             [len(v) // 2 for v in oapps]))
        for k, value in enumerate(sapps):
            if not HEX_ZEROS.match(value):
                first = next(i for i in range(0, len(value), 2)
                             if value[i:i + 2] != "00") // 2
                report.fail("packet %d" % num, "tls.app_data #%d is not all "
                            "zero (byte %d is 0x%s)"
                            % (k + 1, first, value[2 * first:2 * first + 2]))


# ---------------------------------------------------------------------------


def read_file(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise Unreadable("%s: %s" % (path, e.strerror))


DSB_TYPE = 0x0000000A
# Masking policy section 8 (metadata=scrub): the blocks a sanitized file
# keeps, where their options begin, and the options each keeps.
KEPT_BLOCKS = {SHB_TYPE, 1, 2, 3, 5, 6}
OPTIONS_AT = {SHB_TYPE: 24, 1: 16, 5: 20}
SCRUB_KEEPS = {SHB_TYPE: set(), 1: {9, 13, 14}, 2: {2}, 5: set(range(2, 9)), 6: {2, 4, 6}}
USERAPPL = 4


def options_start(btype, block, endian):
    if btype in (2, 6):
        caplen = struct.unpack_from(endian + "I", block, 20)[0]
        return 28 + caplen + (-caplen % 4)
    return OPTIONS_AT.get(btype)


def filter_options(block, endian, start, keep):
    """The block with only the options keep(code, value) accepts, its lengths
    rewritten; as it was when all stay.  An option list that overruns the
    block loses every option."""
    kept, at, end, dropped = [], start, len(block) - 4, False
    while at + 4 <= end:
        code, length = struct.unpack_from(endian + "HH", block, at)
        size = 4 + length + (-length % 4)
        if code == 0:
            break
        if at + size > end:
            kept, dropped = [], True
            break
        if keep(code, block[at + 4:at + 4 + length]):
            kept.append(block[at:at + size])
        else:
            dropped = True
        at += size
    if not dropped:
        return bytes(block)
    out = bytearray(block[:start]) + b"".join(kept) + (bytes(4) if kept else b"") + bytes(4)
    struct.pack_into(endian + "I", out, 4, len(out))
    struct.pack_into(endian + "I", out, len(out) - 4, len(out))
    return bytes(out)


def pcapng_blocks(buf):
    """(type, endian, block) of each whole block; the rest, if any, last as (None, endian, rest)."""
    pos, endian = 0, "<"
    while pos + 12 <= len(buf):
        if struct.unpack_from("<I", buf, pos)[0] == SHB_TYPE:
            endian = "<" if buf[pos + 8:pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        btype, total = struct.unpack_from(endian + "II", buf, pos)
        if total < 12 or pos + total > len(buf):
            break
        yield btype, endian, bytearray(buf[pos:pos + total])
        pos += total
    yield None, endian, buf[pos:]


def is_pcapng(buf):
    return len(buf) >= 4 and struct.unpack_from("<I", buf)[0] == SHB_TYPE


def as_published(buf):
    """The original as a sanitizer publishes it under metadata=scrub: only
    the blocks and options section 8 keeps (no section header options: its
    shb_userappl is pktmask's, see without_userappl), every section length
    unspecified (-1).  Anything the judge cannot walk is left for
    parse_capture to report."""
    if not is_pcapng(buf):
        return buf
    out = bytearray()
    for btype, endian, block in pcapng_blocks(buf):
        if btype is None:
            out += block
            continue
        if btype not in KEPT_BLOCKS:
            continue
        if btype == SHB_TYPE and len(block) >= 24:
            block[16:24] = b"\xff" * 8
        start = options_start(btype, block, endian)
        if start is not None and start + 4 <= len(block):
            block = filter_options(block, endian, start, lambda code, _: code in SCRUB_KEEPS[btype])
        out += block
    return bytes(out)


def without_userappl(buf, report):
    """The sanitized file with each section header's one shb_userappl
    (naming pktmask) taken out; a section header without exactly one fails."""
    if not is_pcapng(buf):
        return buf
    out = bytearray()
    for n, (btype, endian, block) in enumerate(pcapng_blocks(buf), 1):
        if btype == SHB_TYPE and len(block) >= 28:
            apps = []

            def keep(code, value):
                if code == USERAPPL:
                    apps.append(value)
                return code != USERAPPL
            block = filter_options(block, endian, 24, keep)
            if len(apps) != 1 or not apps[0].startswith(b"pktmask "):
                report.fail("block %d (type 0x%x)" % (n, btype),
                            "section header has %d shb_userappl options naming pktmask, not one" % len(apps))
        out += block
    return bytes(out)


def run(args):
    report = Report(args.sanitized)
    raw = read_file(args.original)
    orig = as_published(raw)
    san = without_userappl(read_file(args.sanitized), report)
    if orig != raw:
        # tshark must number the original's frames as the judge does: after
        # the blocks section 8 removes (custom blocks are frames to tshark).
        published = tempfile.NamedTemporaryFile(prefix="judge-", suffix=".pcapng")
        published.write(orig)
        published.flush()
        args.original = published.name
    try:
        orec = parse_capture(orig)
    except CaptureError as e:
        raise Unreadable("%s: not a capture the judge can parse: %s"
                         % (args.original, e))
    report.counts["packets"] = len(packet_records(orec))
    try:
        srec = parse_capture(san)
    except CaptureError as e:
        report.checks.append("structure")
        report.fail("file", "not a well-formed capture: %s" % e)
        srec = None
    tshark = Tshark()
    try:
        tls_jobs = start_tls_view(tshark, args) \
            if args.tls_view and srec is not None else None
        if srec is not None:
            changed = check_structure(orig, san, orec, srec, report)
            report.counts["changed_packets"] = len(changed)
            check_payload(orig, san, orec, changed, tshark, args, report)
        if args.expected:
            check_expected(san, srec, args, report)
        if tls_jobs:
            check_tls_view(tls_jobs, report)
    finally:
        tshark.close()
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="judge.py",
        description="Check a pktmask-sanitized capture against its original.")
    parser.add_argument("original")
    parser.add_argument("sanitized")
    parser.add_argument("--expected", metavar="EXPECTED",
                        help="the sanitized file must equal this byte for byte")
    parser.add_argument("--tls-view", action="store_true",
                        help="compare tshark's TLS view of both files")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON summary object")
    args = parser.parse_args(argv)
    try:
        report = run(args)
    except Unreadable as e:
        if args.json:
            print(json.dumps({"ok": False, "error": str(e)}))
        else:
            print("judge: %s" % e, file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(report.as_json(args), indent=2))
    else:
        report.print_text()
    return EXIT_FAIL if report.failures else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
