#!/usr/bin/env python3
"""judge_v2.py - independent judge of masking policy v2 (byte for byte).

Decodes the original capture itself (v2_capture, v2_decode), works out for
every output byte whether it must be zero, must equal the input, or may be
either (v2_walks for TCP/TLS, DTLS, QUIC, keep-udp), then checks the
sanitized file, its checksums and its pcapng metadata.  Standard library
only; shares nothing with pktmask.  See README.md next to this file.

usage: judge_v2.py ORIGINAL SANITIZED [--profile default|tls-only|strict]
                   [--keep-udp PORTS] [--handshake full|anonymous|headers]
                   [--tls BODIES] [--metadata scrub|keep]
                   [--undecoded zero|keep] [--json] [--write-expected OUT]

Exit status: 0 no leak and no over-masking, 1 a leak, an over-masked byte,
a broken checksum or a structural difference, 2 usage or unreadable input.
"""

import argparse
import json
import re
import struct
import sys

import v2_capture as cap
from v2_decode import (KEEP, EITHER, CSUM, UNDEC, ADDR, CLASS_NAMES,
                       decode_frame)
from v2_handshake import handshake_walk
from v2_walks import walk_tcp, walk_udp

MAX_REPORTED = 20
LEAK_CLASSES = ("tcp", "udp", "icmp", "fragment", "trailer", "undecoded",
                "metadata")
RUN = re.compile(rb"(.)\1*", re.S)


class Settings:
    def __init__(self, profile):
        self.profile = profile
        self.tls = {"handshake", "alert", "ccs", "heartbeat"}
        self.handshake = "anonymous" if profile == "strict" else "full"
        self.keep_udp = set()
        tls_only = profile == "tls-only"
        self.metadata = "keep" if tls_only else "scrub"
        self.undecoded = "keep" if tls_only else "zero"
        self.scope = "tcp" if tls_only else "all"
        self.dtls = self.quic = profile == "default"


class Report:
    def __init__(self, name):
        self.name = name
        self.lines = []
        self.leaks = dict.fromkeys(LEAK_CLASSES, 0)
        self.leak_packets = dict.fromkeys(LEAK_CLASSES, 0)
        self.overmasked = 0
        self.checksums = 0
        self.structure = 0
        self.counts = {"packets": 0, "kept": 0, "zeroed": 0, "either": 0,
                       "checksum_bytes": 0, "addresses": 0}

    def say(self, where, message):
        self.lines.append("judge_v2: %s: %s: %s" % (self.name, where, message))

    def structural(self, where, message):
        self.structure += 1
        self.say(where, message)

    def leak(self, cls, where, nbytes, message):
        self.leaks[cls] += nbytes
        self.leak_packets[cls] += 1
        self.say(where, "leak (%s): %s" % (cls, message))

    def failed(self):
        return any(self.leaks.values()) or self.overmasked or \
            self.checksums or self.structure

    def summary(self):
        if not self.failed():
            c = self.counts
            return ("judge_v2: ok (%d packets; bytes kept %d, zeroed %d, "
                    "either %d)" % (c["packets"], c["kept"], c["zeroed"],
                                    c["either"]))
        leaks = " ".join("%s=%d" % (k, v) for k, v in self.leaks.items() if v)
        return ("judge_v2: FAIL (leaked bytes: %s; over-masked bytes: %d; "
                "broken checksums: %d; structure: %d)"
                % (leaks or "none", self.overmasked, self.checksums,
                   self.structure))

    def as_json(self):
        return {"ok": not self.failed(), "leaks": self.leaks,
                "leak_packets": self.leak_packets,
                "overmasked": self.overmasked, "checksums": self.checksums,
                "structure": self.structure, **self.counts,
                "messages": self.lines}


def show(b):
    ch = chr(b) if 32 <= b < 127 else "."
    return "0x%02x '%s'" % (b, ch)


# ---------------------------------------------------------------------------
# Expectation


def expectation(packets, settings):
    """Decode every packet and run the walkers: a Frame (codes, checksums)
    per packet."""
    frames, segments, datagrams = [], [], []
    for pkt in packets:
        f = decode_frame(pkt, pkt.index)
        frames.append(f)
        segments += f.segments
        datagrams += f.datagrams
    walk_tcp(frames, segments, settings, handshake_walk)
    if settings.scope == "all":
        walk_udp(frames, datagrams, settings)
    relax = set()
    if settings.scope == "tcp":
        relax |= {c for c in CLASS_NAMES if CLASS_NAMES[c] != "tcp"}
    if settings.undecoded == "keep":
        relax.add(UNDEC)
    if relax:
        table = bytes(KEEP if c in relax else c for c in range(256))
        for f in frames:
            f.codes = bytearray(f.codes.translate(table))
    return frames


def judge_packet(f, out, report):
    a, where = f.buf, "packet %d" % f.index
    c = report.counts
    for m in RUN.finditer(f.codes):
        s, e, code = m.start(), m.end(), m.group(1)[0]
        x, y = a[s:e], out[s:e]
        if code == KEEP:
            c["kept"] += e - s
            if x != y:
                bad = [i for i in range(e - s) if x[i] != y[i]]
                report.overmasked += len(bad)
                i = s + bad[0]
                report.say(where, "over-masked: %d kept byte(s) changed, "
                           "first at offset %d (%s -> %s)"
                           % (len(bad), i, show(a[i]), show(out[i])))
        elif code == EITHER:
            c["either"] += e - s
            bad = [i for i in range(e - s) if y[i] and y[i] != x[i]]
            if bad:
                report.overmasked += len(bad)
                i = s + bad[0]
                report.say(where, "%d byte(s) neither kept nor zeroed, first "
                           "at offset %d (%s -> %s)" % (len(bad), i,
                                                      show(a[i]), show(out[i])))
        elif code == CSUM:
            c["checksum_bytes"] += e - s
        elif code == ADDR:
            c["addresses"] += e - s      # judged by judge_anon.py
        else:
            c["zeroed"] += e - s
            if y.count(0) != e - s:
                bad = [i for i in range(e - s) if y[i]]
                i = s + bad[0]
                report.leak(CLASS_NAMES[code], where,
                            len(bad), "%d byte(s) not zero, first at offset "
                            "%d (%s)%s" % (len(bad), i, show(out[i]),
                                           "" if y[bad[0]] == x[bad[0]]
                                           else " (changed, not zeroed)"))
    for ck in f.checksums:
        if ck.verifies(a) and not ck.verifies(out):
            report.checksums += 1
            report.say(where, "%s checksum at offset %d verified in the "
                       "original but not in the output" % (ck.name, ck.field))


# ---------------------------------------------------------------------------
# Containers and pcapng metadata (section 8)


def judge_pcap(orig, san, report):
    if san.kind != "pcap":
        report.structural("file", "is %s, the original is pcap" % san.kind)
        return []
    if orig.header != san.header:
        report.structural("file header", "differs from the original's")
    if san.truncated_at is not None:
        report.structural("file", "ends in a truncated record at offset %d"
                   % san.truncated_at)
    pairs = []
    for (oh, op), (sh, sp) in zip(orig.records, san.records):
        if oh != sh:
            report.structural("packet %d" % op.index, "record header changed")
        pairs.append((op, sp))
    return pairs


def option_list(opts, allowed):
    return [o for o in opts if o[0] in allowed]


def judge_shb_options(blk, out, settings, report, where):
    apps = [v for c, v in out.options if c == cap.SHB_USERAPPL]
    others = [o for o in out.options if o[0] != cap.SHB_USERAPPL]
    if settings.metadata == "scrub":
        if others:
            report.leak("metadata", where, len(others), "SHB keeps option(s) %s"
                        % [c for c, _ in others])
    else:
        want = [o for o in blk.options if o[0] != cap.SHB_USERAPPL]
        if others != want:
            report.structural(where, "SHB options other than shb_userappl differ")
    if settings.profile == "tls-only" and settings.metadata == "keep":
        if len(apps) > 1:
            report.structural(where, "%d shb_userappl options (at most one)"
                       % len(apps))
        return
    if len(apps) != 1:
        report.structural(where, "%d shb_userappl options (exactly one wanted)"
                   % len(apps))
        return
    text = apps[0].decode("utf-8", "replace")
    if (cap.SHB_USERAPPL, apps[0]) in blk.options and "pktmask" not in text:
        report.leak("metadata", where, len(apps[0]), "SHB keeps the input's "
                    "shb_userappl %r" % text)
        return
    for word in ("pktmask", "policy 2", settings.profile):
        if word not in text:
            report.structural(where, "shb_userappl %r does not name %r"
                       % (text, word))


def judge_block(blk, out, settings, report, where, section_len):
    if blk.endian != out.endian:
        report.structural(where, "byte order changed")
        return
    if blk.btype == cap.SHB:
        if blk.fixed[:8] != out.fixed[:8]:
            report.structural(where, "SHB version or byte-order magic changed")
        slen, = struct.unpack(out.endian + "q", out.fixed[8:16])
        if slen != -1 and slen != section_len:
            report.structural(where, "section length %d, the section has %d bytes"
                       % (slen, section_len))
        judge_shb_options(blk, out, settings, report, where)
        return
    if blk.btype not in cap.ALLOWED_OPTIONS:
        if blk.raw != out.raw:
            report.structural(where, "block changed")
        return
    if blk.fixed != out.fixed:
        report.structural(where, "fixed fields (link type, snaplen, interface, "
                   "timestamps or lengths) changed")
    if blk.pad and any(p and p != q for p, q in zip(out.pad, blk.pad)):
        report.overmasked += 1
        report.say(where, "padding after the packet data changed to non-zero")
    if blk.pad and any(p and p == q for p, q in zip(out.pad, blk.pad)) \
            and settings.metadata == "scrub":
        report.leak("metadata", where, 1, "padding after the packet data "
                    "kept non-zero bytes")
    want = blk.options if settings.metadata == "keep" else \
        option_list(blk.options, cap.ALLOWED_OPTIONS[blk.btype])
    if out.options == want:
        return
    leaked = [o for o in out.options if o not in want]
    if leaked:
        report.leak("metadata", where, len(leaked), "option(s) %s kept"
                    % [c for c, _ in leaked])
    missing = [o for o in want if o not in out.options]
    if missing:
        report.structural(where, "option(s) %s removed or changed"
                   % [c for c, _ in missing])
    if not leaked and not missing:
        report.structural(where, "options reordered")


def section_lengths(blocks):
    """Length of the section each SHB starts (for the section-length field)."""
    out, current = {}, None
    for b in blocks:
        if b.btype == cap.SHB:
            current = b
            out[id(b)] = -len(b.raw)
        if current is not None:
            out[id(current)] += len(b.raw)
    return out


def judge_pcapng(orig, san, settings, report):
    if san.kind != "pcapng":
        report.structural("file", "is %s, the original is pcapng" % san.kind)
        return []
    if san.truncated_at is not None:
        report.structural("file", "ends in a truncated block at offset %d"
                   % san.truncated_at)
    keep = cap.KEPT_BLOCKS if settings.metadata == "scrub" else None
    lengths = section_lengths(san.blocks)
    pairs, j = [], 0
    for n, blk in enumerate(orig.blocks, 1):
        where = "block %d (type 0x%x)" % (n, blk.btype)
        out = san.blocks[j] if j < len(san.blocks) else None
        wanted = blk.btype != cap.DSB and (keep is None or blk.btype in keep)
        if not wanted:
            if out is not None and out.raw == blk.raw:
                report.leak("metadata", where, len(blk.raw), "block kept (it "
                            "must be removed)")
                j += 1
            continue
        if out is None:
            report.structural(where, "missing in the output")
            break
        if out.btype != blk.btype:
            report.structural(where, "the output has a block of type 0x%x here; "
                       "later blocks not compared" % out.btype)
            return pairs
        j += 1
        judge_block(blk, out, settings, report, where, lengths.get(id(out)))
        if blk.data is not None:
            if len(blk.data) != len(out.data):
                report.structural(where, "packet data length changed")
            else:
                pairs.append((orig.packets[len(pairs)], san.packets[len(pairs)]))
    if j < len(san.blocks):
        report.structural("block %d of the output" % (j + 1), "extra block of type "
                   "0x%x" % san.blocks[j].btype)
    return pairs


# ---------------------------------------------------------------------------
# Expected output (the self-test builds its correct outputs from this)


def expected_data(f):
    out = bytearray(f.buf)
    for m in RUN.finditer(f.codes):
        if m.group(1)[0] > CSUM:
            out[m.start():m.end()] = bytes(m.end() - m.start())
    for ck in reversed(f.checksums):
        if ck.verifies(f.buf):
            ck.fix(out)
    return bytes(out)


def write_expected(orig, frames, settings, path, make_data=expected_data):
    data = {id(p): make_data(f) for p, f in zip(orig.packets, frames)}
    parts = []
    if orig.kind == "pcap":
        parts.append(orig.header)
        for h, p in orig.records:
            parts += [h, data[id(p)]]
    else:
        for blk in orig.blocks:
            if blk.btype == cap.DSB or settings.metadata == "scrub" \
                    and blk.btype not in cap.KEPT_BLOCKS:
                continue
            opts = blk.options
            if blk.btype == cap.SHB:
                app = ("pktmask judge (masking policy 2, profile %s)"
                       % settings.profile).encode()
                opts = [o for o in opts if o[0] != cap.SHB_USERAPPL] \
                    if settings.metadata == "keep" else []
                opts = opts + [(cap.SHB_USERAPPL, app)]
            elif settings.metadata == "scrub" and blk.btype in cap.ALLOWED_OPTIONS:
                opts = option_list(opts, cap.ALLOWED_OPTIONS[blk.btype])
            pkt = next((p for p in orig.packets if p.block is blk), None)
            parts.append(cap.write_block(blk, data[id(pkt)] if pkt else None,
                                         opts))
    with open(path, "wb") as fh:
        fh.write(b"".join(parts))


# ---------------------------------------------------------------------------


def settings_from(args):
    s = Settings(args.profile)
    if args.keep_udp:
        s.keep_udp = {int(p) for p in args.keep_udp.split(",") if p}
    if args.handshake:
        s.handshake = args.handshake
    if args.tls is not None:
        s.tls = set(x for x in args.tls.split(",") if x)
    if args.metadata:
        s.metadata = args.metadata
    if args.undecoded:
        s.undecoded = args.undecoded
    return s


def read(path):
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as e:
        raise cap.CaptureError("%s: %s" % (path, e.strerror))


def run(args):
    settings = settings_from(args)
    orig = cap.parse(read(args.original))
    frames = expectation(orig.packets, settings)
    if args.write_expected:
        write_expected(orig, frames, settings, args.write_expected)
        return None
    report = Report(args.sanitized)
    report.counts["packets"] = len(orig.packets)
    try:
        san = cap.parse(read(args.sanitized))
    except cap.CaptureError as e:
        report.structural("file", "not a well-formed capture: %s" % e)
        return report
    if orig.kind == "pcap":
        pairs = judge_pcap(orig, san, report)
    else:
        pairs = judge_pcapng(orig, san, settings, report)
    if len(orig.packets) != len(san.packets):
        report.structural("file", "%d packets, the original has %d"
                   % (len(san.packets), len(orig.packets)))
    for op, sp in pairs:
        f = frames[op.index - 1]
        if len(sp.data) != len(op.data):
            report.structural("packet %d" % op.index, "captured length changed")
            continue
        judge_packet(f, sp.data, report)
    return report


def add_policy_arguments(ap):
    """The masking-policy options (judge_anon.py takes them too)."""
    ap.add_argument("--profile", default="default",
                    choices=("default", "tls-only", "strict"))
    ap.add_argument("--keep-udp", metavar="PORTS")
    ap.add_argument("--handshake", choices=("full", "anonymous", "headers"))
    ap.add_argument("--tls", metavar="BODIES")
    ap.add_argument("--metadata", choices=("scrub", "keep"))
    ap.add_argument("--undecoded", choices=("zero", "keep"))


def main(argv=None):
    ap = argparse.ArgumentParser(prog="judge_v2.py", description=__doc__.split("\n")[0])
    ap.add_argument("original")
    ap.add_argument("sanitized", nargs="?")
    add_policy_arguments(ap)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--write-expected", metavar="OUT",
                    help="write the output this judge expects (zeroing every "
                    "'either' byte's alternative: inputs kept) and exit")
    args = ap.parse_args(argv)
    if not args.sanitized and not args.write_expected:
        ap.error("SANITIZED is required")
    try:
        report = run(args)
    except cap.CaptureError as e:
        msg = "judge_v2: %s: not a capture the judge can parse: %s" % (args.original, e)
        print(json.dumps({"ok": False, "error": msg}) if args.json else msg,
              file=sys.stdout if args.json else sys.stderr)
        return 2
    if report is None:
        return 0
    if args.json:
        print(json.dumps(report.as_json(), indent=2))
    else:
        for line in report.lines[:MAX_REPORTED]:
            print(line)
        if len(report.lines) > MAX_REPORTED:
            print("judge_v2: ... %d more" % (len(report.lines) - MAX_REPORTED))
        print(report.summary())
    return 1 if report.failed() else 0


if __name__ == "__main__":
    sys.exit(main())
