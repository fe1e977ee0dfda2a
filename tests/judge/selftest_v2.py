#!/usr/bin/env python3
"""Builds the cases of judge_v2's self-test (selftest.sh runs them).

usage: selftest_v2.py OUTDIR  ->  OUTDIR/*.pcap* and, on stdout, one line per
check: NAME<TAB>WANTED_EXIT<TAB>PATTERN<TAB>JUDGE ARGUMENTS...

Correct outputs come from the judge's own expectation (--write-expected);
each bad output is a correct one with one byte put back (a leak of one
class), one kept byte zeroed (over-masking), a checksum broken, or metadata
left in.  So each check shows the judge catches that class of mistake.
"""

import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import judge_v2                                       # noqa: E402
import mkcaps_v2                                      # noqa: E402
import v2_capture as cap                              # noqa: E402
from v2_decode import KEEP, TCP, UDP, ICMP, FRAG, TRAILER, UNDEC  # noqa: E402

OK = r"^judge_v2: ok \("


def data_offsets(buf):
    """File offset of each packet's data in a pcap file."""
    c = cap.parse(buf)
    rec = 24 if c.variant == "modified" else 16
    out, pos = [], 24
    for hdr, pkt in c.records:
        out.append(pos + rec)
        pos += rec + len(pkt.data)
    return out


def expectation(path, profile, **kw):
    with open(path, "rb") as fh:
        orig = cap.parse(fh.read())
    s = judge_v2.Settings(profile)
    for k, v in kw.items():
        setattr(s, k, v)
    return orig, judge_v2.expectation(orig.packets, s)


def find(frames, code, want_input_nonzero=True):
    for f in frames:
        for i, c in enumerate(f.codes):
            if c == code and (f.buf[i] or not want_input_nonzero):
                return f.index, i
    raise SystemExit("selftest_v2: no byte of code %d" % code)


def main(out):
    caps = os.path.join(out, "caps")
    mkcaps_v2.main(caps)
    lines = []

    def check(name, want, pattern, *args):
        lines.append("\t".join((name, str(want), pattern) + args))

    def expected(src, profile, *extra):
        dst = os.path.join(out, "%s.%s.expected%s" % (
            os.path.basename(src), profile, "".join(extra).replace("-", "")))
        judge_v2.main([src, "--profile", profile, "--write-expected", dst]
                      + list(extra))
        return dst

    # Every crafted file, every profile: the expected output is accepted.
    for name in sorted(os.listdir(caps)):
        src = os.path.join(caps, name)
        for profile in ("default", "tls-only", "strict"):
            check("v2_accept_%s_%s" % (profile, name), 0, OK, src,
                  expected(src, profile), "--profile", profile)

    def mutate(tag, src, profile, code, new=None, pattern=None):
        """Put back the first non-zero input byte of `code` (or set it to
        `new`) in the expected output; the judge must fail naming it."""
        exp = expected(src, profile)
        orig, frames = expectation(src, profile)
        index, off = find(frames, code)
        with open(exp, "rb") as fh:
            buf = bytearray(fh.read())
        pos = data_offsets(bytes(buf))[index - 1] + off
        buf[pos] = orig.packets[index - 1].data[off] if new is None else new
        bad = os.path.join(out, "bad.%s.%s" % (tag, os.path.basename(src)))
        with open(bad, "wb") as fh:
            fh.write(buf)
        check("v2_catch_%s" % tag, 1, pattern or r"packet %d: leak \(%s\)"
              % (index, tag.split("_")[0]), src, bad, "--profile", profile)

    c = lambda name: os.path.join(caps, name)        # noqa: E731
    mutate("tcp", c("tls_and_plain.pcap"), "default", TCP)
    mutate("tcp_strict_sni", c("tls_and_plain.pcap"), "strict", TCP)
    mutate("udp", c("dns_v4.pcap"), "default", UDP)
    mutate("udp_quic", c("quic.pcap"), "default", UDP)
    mutate("udp_dtls", c("dtls.pcap"), "default", UDP)
    mutate("icmp", c("icmp.pcap"), "default", ICMP)
    mutate("fragment", c("fragments.pcap"), "default", FRAG)
    mutate("trailer", c("trailers.pcap"), "default", TRAILER)
    mutate("undecoded", c("unknown.pcap"), "default", UNDEC)
    mutate("undecoded_linktype", c("unknown_linktype.pcap"), "default", UNDEC)
    mutate("overmask", c("dtls.pcap"), "default", KEEP, new=0,
           pattern=r"over-masked: 1 kept byte")
    mutate("overmask_tls_only", c("tls_and_plain.pcap"), "tls-only", KEEP,
           new=0, pattern=r"over-masked: 1 kept byte")
    mutate("changed_not_zeroed", c("dns_v4.pcap"), "default", UDP, new=0x5A,
           pattern=r"leak \(udp\).*changed, not zeroed")

    # A checksum that verified in the input, broken in the output.
    exp = expected(c("dns_v4.pcap"), "default")
    with open(exp, "rb") as fh:
        buf = bytearray(fh.read())
    pos = data_offsets(bytes(buf))[0] + 14 + 20 + 6        # UDP checksum
    buf[pos] ^= 0x40
    bad = os.path.join(out, "bad.checksum.dns_v4.pcap")
    with open(bad, "wb") as fh:
        fh.write(buf)
    check("v2_catch_checksum", 1, r"udp checksum at offset 40 verified",
          c("dns_v4.pcap"), bad)

    # Under tls-only, a default-profile output masks too much.
    check("v2_catch_overmask_udp_in_tls_only", 1, r"over-masked",
          c("dns_v4.pcap"), expected(c("dns_v4.pcap"), "default"),
          "--profile", "tls-only")
    # Metadata: an output that kept every block and option but the DSB.
    meta = c("meta_le.pcapng")
    kept = expected(meta, "default", "--metadata", "keep")
    check("v2_catch_metadata_blocks", 1, r"leak \(metadata\): block kept",
          meta, kept)
    check("v2_catch_metadata_options", 1, r"leak \(metadata\): option",
          c("meta_be.pcapng"), expected(c("meta_be.pcapng"), "default",
                                        "--metadata", "keep"))
    check("v2_catch_metadata_shb_userappl", 1, r"does not name 'strict'",
          meta, expected(meta, "default"), "--profile", "strict")
    # The DSB put back into a scrubbed output.
    with open(meta, "rb") as fh:
        orig = cap.parse(fh.read())
    dsb = next(b for b in orig.blocks if b.btype == cap.DSB).raw
    with open(expected(meta, "default"), "rb") as fh:
        scrubbed = fh.read()
    shb_len, = struct.unpack_from("<I", scrubbed, 4)
    idb_len, = struct.unpack_from("<I", scrubbed, shb_len + 4)
    cut = shb_len + idb_len
    bad = os.path.join(out, "bad.dsb.meta_le.pcapng")
    with open(bad, "wb") as fh:
        fh.write(scrubbed[:cut] + dsb + scrubbed[cut:])
    check("v2_catch_metadata_dsb", 1, r"leak \(metadata\): block kept", meta, bad)
    # The input itself, judged as its own output: leaks in every class.
    for name, cls in (("tls_and_plain.pcap", "tcp"), ("dns_v6.pcap", "udp"),
                      ("icmp.pcap", "icmp"), ("fragments.pcap", "fragment"),
                      ("trailers.pcap", "trailer"), ("malformed.pcap", "undecoded"),
                      ("esp_ah.pcap", "undecoded"), ("tunnels.pcap", "udp"),
                      ("link_ethernet_tags.pcap", "udp"),
                      ("meta_two_sections.pcapng", "metadata")):
        check("v2_catch_unmasked_%s_%s" % (cls, name), 1, r"leak \(%s\)" % cls,
              c(name), c(name))
    print("\n".join(lines))


# Hand-checked expectations (offsets worked out from mkcaps_v2's builders):
# K keep, E either, C checksum, 3-8 zero of class tcp, udp, icmp, fragment,
# trailer, undecoded.
PINNED = {
    ("quic.pcap", "default"): {
        1: "0-24:K 24-26:C 26-40:K 40-42:C 42-65:K 65-128:4",   # v1 Initial
        2: "0-24:K 24-26:C 26-40:K 40-42:C 42-65:K 65-125:4",   # coalesced
        3: "0-24:K 24-26:C 26-40:K 40-42:C 42-43:K 43-51:E 51-81:4",
        8: "0-24:K 24-26:C 26-40:K 40-42:C 42-95:4"},           # unknown
    ("icmp.pcap", "default"): {
        1: "0-24:K 24-26:C 26-36:K 36-38:C 38-74:K 74-123:5",
        2: "0-56:K 56-58:C 58-118:K 118-167:5",
        3: "0-24:K 24-26:C 26-36:K 36-38:C 38-42:K 42-74:5",
        8: "0-56:K 56-58:C 58-150:K 150-174:5",
        9: "0-64:K 64-66:C 66-106:K"},
    ("fragments.pcap", "default"): {
        1: "0-24:K 24-26:C 26-50:K 50-52:C 52-54:K 54-66:6",
        2: "0-24:K 24-26:C 26-34:K 34-100:6",
        3: "0-68:K 68-70:C 70-110:6"},
    ("dtls.pcap", "default"): {
        3: "0-24:K 24-26:C 26-40:K 40-42:C 42-147:K 147-177:4",
        4: "0-24:K 24-26:C 26-40:K 40-42:C 42-57:K 57-78:4",
        5: "0-24:K 24-26:C 26-40:K 40-42:C 42-65:4"},
    ("trailers.pcap", "default"): {
        1: "0-24:K 24-26:C 26-40:K 40-42:C 42-44:4 44-54:7",
        4: "0-42:K 42-60:7"},
    ("tls_and_plain.pcap", "strict"): {
        3: "0-24:K 24-26:C 26-50:K 50-52:C 52-117:K 117-133:3"},  # SNI
    ("link_fcs.pcap", "default"): {
        1: "0-24:K 24-26:C 26-40:K 40-42:C 42-72:4 72-76:E"},
}


def runs(frame):
    return " ".join("%d-%d:%s" % (m.start(), m.end(), "KEC345678"[m.group(1)[0]])
                    for m in judge_v2.RUN.finditer(frame.codes))


def pinned(caps):
    bad = 0
    for (name, profile), packets in PINNED.items():
        _, frames = expectation(os.path.join(caps, name), profile)
        for index, want in packets.items():
            got = runs(frames[index - 1])
            if got != want:
                bad += 1
                print("pinned: %s %s packet %d: %s, want %s"
                      % (name, profile, index, got, want))
    print("pinned: %s" % ("ok" if not bad else "%d wrong" % bad))
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1] == "--pinned":
        sys.exit(pinned(sys.argv[2]))
    main(sys.argv[1])
