#!/usr/bin/env python3
"""judge_anon.py - independent judge of anonymized output (issue 12).

Every byte is judged as judge_v2.py judges it (masking policy v2), except
that each address site (v2_decode: Ethernet/SLL/SLL2, ARP, IPv4/IPv6, IPv4
options, routing headers, ICMP quotes, ND, MLD, IGMP, tunnels' inner
headers) must hold the expected anonymized address: IPs by the judge's own
Crypto-PAn (anon_map.py), MACs by the rules a keyed permutation must obey.
Checksums covering addresses (also inside quotes) must verify where they
verified in the original.  Then no original address that had to change may
appear anywhere in any output packet.  Shares nothing with pktmask.

usage: judge_anon.py --key KEY [--anonymize ip,mac]
           [--anon-preserve special,class,oui|none]... [--anon-keep PREFIX]...
           [judge_v2 policy options] [--map-out CSV] [--json]
           ORIG SAN [ORIG SAN ...]
       judge_anon.py ... --segments ORIG SEG1 [SEG2 ...]
       judge_anon.py --key KEY [rules] --map [--reverse] ADDRESS...

Several pairs are judged together: MACs must map consistently across them.
--segments judges the packets of SEG1, SEG2, ... in order against those of
ORIG (a capture rotated into segments), without comparing containers.
--map prints "ADDRESS,MAPPED" per address (IPs only).
Exit: 0 clean, 1 a failure, 2 usage or an unreadable original.
"""

import argparse
import json
import re
import sys

import anon_map
import judge_v2
import v2_capture as cap
from v2_decode import KEEP, EITHER, CSUM, ADDR

MAX_REPORTED = 40


class Report(judge_v2.Report):
    def __init__(self, name):
        super().__init__(name)
        self.addresses = 0      # wrong addresses
        self.leftovers = 0      # original addresses found in the output

    def failed(self):
        return super().failed() or self.addresses or self.leftovers

    def address(self, where, message):
        self.addresses += 1
        self.say(where, message)

    def summary(self):
        if not self.failed():
            c = self.counts
            return ("judge_anon: ok (%d packets; %d address sites, bytes kept "
                    "%d, zeroed %d)" % (c["packets"], c["sites"], c["kept"],
                                        c["zeroed"]))
        return ("judge_anon: FAIL (wrong addresses: %d; leftover originals: %d; "
                "%s)" % (self.addresses, self.leftovers,
                         super().summary().split("(", 1)[1].rstrip(")")))


class MacRules:
    """What any keyed MAC permutation under the settings must do, and its
    consistency across every file judged together."""

    def __init__(self, settings):
        self.s = settings
        self.fwd, self.back = {}, {}

    def must_change(self, mac):
        return self.s.mac and not (mac[0] & 1 and self.s.special)

    def check(self, o, out):
        """A message when `out` cannot be the anonymized `o`, else None."""
        if not self.must_change(o):
            return None if out == o else "must stay unchanged"
        if out == o:
            return "left unchanged"
        if (out[0] ^ o[0]) & 3:
            return "I/G or U/L bit changed"
        if self.s.keep_oui and out[:3] != o[:3]:
            return "OUI changed (keep_oui)"
        seen = self.fwd.setdefault(o, out)
        if seen != out:
            return "mapped to %s elsewhere" % anon_map.text(seen)
        first = self.back.setdefault(out, o)
        if first != o:
            return "also the image of %s (not one-to-one)" % anon_map.text(first)
        return None


class Judge:
    def __init__(self, mapper, settings, policy):
        self.mapper, self.policy = mapper, policy
        self.macs = MacRules(settings)
        self.originals = set()  # addresses that had to change
        self.pairs = {}         # (original, anonymized) seen at sites, for --map-out

    def expected(self, o):
        if len(o) == 6:
            return None if self.macs.must_change(o) else o
        return self.mapper.map(o)

    def prepare(self, f):
        """Turn judge_v2's codes into anonymization's: address sites ADDR,
        checksum fields covering quoted addresses CSUM."""
        for site in f.sites:
            span = f.codes[site.off:site.off + site.size]
            if all(c in (KEEP, EITHER) for c in span):
                f.codes[site.off:site.off + site.size] = bytes([ADDR]) * site.size
            o = bytes(f.buf[site.off:site.off + site.size])
            # All-zero and all-one values name nobody (and fill padding).
            if self.expected(o) != o and not site.loose and o.strip(b"\0") \
                    and o.strip(b"\xff"):
                self.originals.add(o)
        for field, ck in f.quoted_csums:
            if f.codes[field] == KEEP:
                f.codes[field:field + 2] = bytes([CSUM, CSUM])
            if ck is not None:
                f.checksums.append(ck)

    def packet(self, f, out, report):
        where = "packet %d" % f.index
        a = f.buf
        report.counts["sites"] += len(f.sites)
        for site in f.sites:
            if f.codes[site.off] != ADDR:
                continue
            o = bytes(a[site.off:site.off + site.size])
            got = bytes(out[site.off:site.off + site.size])
            if site.loose and got == o:
                continue
            if site.size == 6:
                problem = self.macs.check(o, got)
                want = "a permuted MAC"
            else:
                want = anon_map.text(self.mapper.map(o))
                problem = None if got == self.mapper.map(o) else "wrong mapping"
            if problem:
                report.address(where, "%s at offset %d: %s: original %s, "
                               "expected %s, found %s"
                               % (site.name, site.off, problem, anon_map.text(o),
                                  want, anon_map.text(got)))
            else:
                self.pairs[o] = got
        for ck in f.checksums:
            if ck.zero_none:
                zero_in = a[ck.field:ck.field + 2] == b"\0\0"
                zero_out = out[ck.field:ck.field + 2] == b"\0\0"
                if zero_in != zero_out:
                    report.checksums += 1
                    report.say(where, "udp checksum at offset %d: %s"
                               % (ck.field, "absent (0) in the original, not "
                                  "in the output" if zero_in else
                                  "written as 0 (none)"))
        judge_v2.judge_packet(f, out, report)

    def leftovers(self, frames_outputs, report):
        """Every original address that had to change, searched for in every
        output packet's bytes (overlapping matches too)."""
        if not self.originals:
            return
        pattern = re.compile(b"(?=(" + b"|".join(
            re.escape(o) for o in sorted(self.originals, key=len, reverse=True))
            + b"))", re.S)
        for f, out in frames_outputs:
            # A site holding another original as its correct image; never
            # a site left as it was.
            legit = {(s.off, bytes(out[s.off:s.off + s.size]))
                     for s in f.sites if f.codes[s.off] == ADDR and
                     out[s.off:s.off + s.size] != f.buf[s.off:s.off + s.size]}
            for m in pattern.finditer(bytes(out)):
                if (m.start(), m.group(1)) not in legit:
                    report.leftovers += 1
                    report.say("packet %d" % f.index, "original address %s at "
                               "offset %d" % (anon_map.text(m.group(1)), m.start()))


def parse_settings(args):
    preserve = set(",".join(args.anon_preserve or ["special"]).split(","))
    kinds = set(args.anonymize.split(","))
    keep = [k for k in args.anon_keep if k != "oui"]
    return anon_map.Settings(ip="ip" in kinds, mac="mac" in kinds,
                             special="special" in preserve,
                             klass="class" in preserve,
                             keep_oui="oui" in preserve | set(args.anon_keep)
                             or args.keep_oui,
                             keep=keep)


def read_capture(path):
    return cap.parse(judge_v2.read(path))


def judge_pair(judge, orig_path, san_paths, report):
    orig = read_capture(orig_path)
    frames = judge_v2.expectation(orig.packets, judge.policy)
    for f in frames:
        judge.prepare(f)
    report.counts["packets"] += len(orig.packets)
    sans = []
    for path in san_paths:
        try:
            sans.append(read_capture(path))
        except cap.CaptureError as e:
            report.structural(path, "not a well-formed capture: %s" % e)
            return []
    if len(san_paths) == 1:
        san = sans[0]
        if orig.kind == "pcap":
            pairs = judge_v2.judge_pcap(orig, san, report)
        else:
            pairs = judge_v2.judge_pcapng(orig, san, judge.policy, report)
        outs = [sp for _, sp in pairs]
    else:
        outs = [p for s in sans for p in s.packets]
    if len(outs) != len(orig.packets):
        report.structural("file", "%d packets, the original has %d"
                          % (len(outs), len(orig.packets)))
    done = []
    for f, sp in zip(frames, outs):
        if len(sp.data) != len(f.buf):
            report.structural("packet %d" % f.index, "captured length changed")
            continue
        judge.packet(f, sp.data, report)
        done.append((f, sp.data))
    return done


def parser():
    ap = argparse.ArgumentParser(prog="judge_anon.py",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--key", required=True)
    ap.add_argument("--anonymize", default="ip,mac")
    ap.add_argument("--anon-preserve", action="append")
    ap.add_argument("--anon-keep", action="append", default=[])
    ap.add_argument("--keep-oui", action="store_true")
    ap.add_argument("--segments", action="store_true")
    ap.add_argument("--map", action="store_true")
    ap.add_argument("--reverse", action="store_true")
    ap.add_argument("--map-out", metavar="CSV")
    ap.add_argument("--json", action="store_true")
    judge_v2.add_policy_arguments(ap)
    return ap


def main(argv=None):
    ap = parser()
    args = ap.parse_args(argv)
    try:
        with open(args.key, "rb") as fh:
            key = fh.read()
        settings = parse_settings(args)
        mapper = anon_map.Mapper(key, settings)
    except (OSError, ValueError) as e:
        print("judge_anon: %s" % e, file=sys.stderr)
        return 2
    if args.map:
        for a in args.files or sys.stdin.read().split():
            print("%s,%s" % (a, anon_map.text(mapper.map(anon_map.parse_ip(a),
                                                         args.reverse))))
        return 0
    if len(args.files) < 2 or (not args.segments and len(args.files) % 2):
        ap.error("ORIG SAN pairs (or --segments ORIG SEG...) are required")
    groups = [(args.files[0], args.files[1:])] if args.segments else \
        [(args.files[i], [args.files[i + 1]])
         for i in range(0, len(args.files), 2)]
    policy = judge_v2.settings_from(args)
    if settings.ip or settings.mac:
        # Bytes the decoder could not place may hold addresses nobody
        # rewrites: anonymizing zeroes them whatever --undecoded says
        # (docs/policy.md, "Anonymized addresses").
        policy.undecoded = "zero" if policy.profile != "tls-only" else policy.undecoded
    judge = Judge(mapper, settings, policy)
    reports = []
    try:
        for orig, sans in groups:
            report = Report(" ".join(sans))
            report.counts["sites"] = 0
            report.done = judge_pair(judge, orig, sans, report)
            reports.append(report)
    except cap.CaptureError as e:
        print("judge_anon: not a capture the judge can parse: %s" % e,
              file=sys.stderr)
        return 2
    for report in reports:
        judge.leftovers(report.done, report)
    if args.map_out:
        with open(args.map_out, "w") as fh:
            for o, s in sorted(judge.pairs.items(), key=lambda p: (len(p[0]), p[0])):
                fh.write("%s,%s\n" % (anon_map.text(o), anon_map.text(s)))
    failed = any(r.failed() for r in reports)
    if args.json:
        print(json.dumps([{"files": r.name, "ok": not r.failed(),
                           "addresses": r.addresses, "leftovers": r.leftovers,
                           **r.as_json()} for r in reports], indent=2))
    else:
        lines = [line for r in reports for line in r.lines]
        for line in lines[:MAX_REPORTED]:
            print(line.replace("judge_v2: ", "judge_anon: ", 1))
        if len(lines) > MAX_REPORTED:
            print("judge_anon: ... %d more" % (len(lines) - MAX_REPORTED))
        for r in reports:
            print(r.summary())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
