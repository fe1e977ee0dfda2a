#!/usr/bin/env python3
"""Builds the cases of judge_anon's self-test (selftest.sh runs them).

usage: selftest_anon.py OUTDIR  ->  OUTDIR/*.pcap* and, on stdout, one line
per check: NAME<TAB>WANTED_EXIT<TAB>PATTERN<TAB>JUDGE ARGUMENTS...
       selftest_anon.py --properties  ->  checks anon_map itself (exit 0/1)

Correct outputs: the judge's expectation with every address site mapped (a
toy MAC permutation that obeys the rules) and the checksums that verified
recomputed.  Each bad output is a correct one with one mistake: an original
address left in a header, in an ICMP quote or planted in a kept payload, a
wrong mapping, a MAC rule broken, a checksum broken.  The Crypto-PAn
reference vectors (the sample key and trace of the original Crypto-PAn
distribution) are checked through `judge_anon.py --map`.
"""

import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import anon_map                                       # noqa: E402
import judge_anon                                     # noqa: E402
import judge_v2                                       # noqa: E402
import mkcaps_anon                                    # noqa: E402
import v2_capture as cap                              # noqa: E402
from v2_decode import CSUM, ADDR                # noqa: E402

OK = r"^judge_anon: ok \("
SAMPLE_KEY = bytes([21, 34, 23, 141, 51, 164, 207, 128, 19, 10, 91, 22, 73,
                    144, 125, 16, 216, 152, 143, 131, 121, 121, 101, 39, 98,
                    87, 76, 45, 42, 132, 34, 2])
# Raw -> sanitized pairs of sample_trace_raw.dat / sample_trace_sanitized.dat
# in the Crypto-PAn 1.0 distribution (also the tests of its ports).
VECTORS = [
    ("128.11.68.132", "135.242.180.132"), ("129.118.74.4", "134.136.186.123"),
    ("130.132.252.244", "133.68.164.234"), ("141.223.7.43", "141.167.8.160"),
    ("141.233.145.108", "141.129.237.235"), ("152.163.225.39", "151.140.114.167"),
    ("156.29.3.236", "147.225.12.42"), ("165.247.96.84", "162.9.99.234"),
    ("166.107.77.190", "160.132.178.185"), ("192.102.249.13", "252.138.62.131"),
    ("192.215.32.125", "252.43.47.189"), ("192.233.80.103", "252.25.108.8"),
    ("192.41.57.43", "252.222.221.184"), ("193.150.244.223", "253.169.52.216"),
    ("195.205.63.100", "255.186.223.5"), ("198.200.171.101", "249.199.68.213"),
    ("198.26.132.101", "249.36.123.202"), ("198.36.213.5", "249.7.21.132"),
    ("198.51.77.238", "249.18.186.254"), ("199.217.79.101", "248.38.184.213"),
    ("202.49.198.20", "245.206.7.234"), ("203.12.160.252", "244.248.163.4"),
    ("204.184.162.189", "243.192.77.90"), ("204.202.136.230", "243.178.4.198"),
    ("204.29.20.4", "243.33.20.123"), ("205.178.38.67", "242.108.198.51"),
    ("205.188.147.153", "242.96.16.101"), ("205.188.248.25", "242.96.88.27"),
    ("205.245.121.43", "242.21.121.163"), ("207.105.49.5", "241.118.205.138"),
    ("207.135.65.238", "241.202.129.222"), ("207.155.9.214", "241.220.250.22"),
    ("207.188.7.45", "241.255.249.220"), ("207.25.71.27", "241.33.119.156"),
    ("207.33.151.131", "241.1.233.131"), ("208.147.89.59", "227.237.98.191"),
    ("208.234.120.210", "227.154.67.17"), ("208.28.185.184", "227.39.94.90"),
    ("208.52.56.122", "227.8.63.165"), ("209.12.231.7", "226.243.167.8"),
    ("209.238.72.3", "226.6.119.243"), ("209.246.74.109", "226.22.124.76"),
    ("209.68.60.238", "226.184.220.233"), ("209.85.249.6", "226.170.70.6"),
    ("212.120.124.31", "228.135.163.231"), ("212.146.8.236", "228.19.4.234"),
    ("212.186.227.154", "228.59.98.98"), ("212.204.172.118", "228.71.195.169"),
    ("212.206.130.201", "228.69.242.193"), ("216.148.237.145", "235.84.194.111"),
    ("216.157.30.252", "235.89.31.26"), ("216.184.159.48", "235.96.225.78"),
    ("216.227.10.221", "235.28.253.36"), ("216.254.18.172", "235.7.16.162"),
    ("216.32.132.250", "235.192.139.38"), ("216.35.217.178", "235.195.157.81"),
    ("24.0.250.221", "100.15.198.226"), ("24.13.62.231", "100.2.192.247"),
    ("24.14.213.138", "100.1.42.141"), ("24.5.0.80", "100.9.15.210"),
    ("24.7.198.88", "100.10.6.25"), ("24.94.26.44", "100.88.228.35"),
    ("38.15.67.68", "64.3.66.187"), ("4.3.88.225", "124.60.155.63"),
    ("63.14.55.111", "95.9.215.7"), ("63.195.241.44", "95.179.238.44"),
    ("63.97.7.140", "95.97.9.123"), ("64.14.118.196", "0.255.183.58"),
    ("64.34.154.117", "0.221.154.117"), ("64.39.15.238", "0.219.7.41"),
]
# The same construction over 128 bits with the same key, as the Go port
# (github.com/Yawning/cryptopan) pins it.
VECTORS6 = [("::1", "78ff:f001:9fc0:20df:8380:b1f1:704:ed"),
            ("2001:db8::1", "4401:2bc:603f:d91d:27f:ff8e:e6f1:dc1e")]


def toy_mac(mac, settings):
    """A permutation obeying the MAC rules: keeps I/G and U/L (and the OUI
    with keep_oui), leaves group MACs under preserve special."""
    if not judge_anon.MacRules(settings).must_change(mac):
        return mac
    mask = bytes([0x54, 0x33, 0x99, 0xa5, 0x5a, 0x3c])
    if settings.keep_oui:
        mask = bytes(3) + mask[3:]
    return bytes(a ^ b for a, b in zip(mac, mask))


def anonymized_output(src, dst, key_path, argv=()):
    """Writes the output a correct anonymizer gives for `src`."""
    ns = judge_anon.parser().parse_args(["--key", key_path] + list(argv)
                                        + [src, dst])
    settings = judge_anon.parse_settings(ns)
    with open(key_path, "rb") as fh:
        mapper = anon_map.Mapper(fh.read(), settings)
    judge = judge_anon.Judge(mapper, settings, judge_v2.settings_from(ns))
    with open(src, "rb") as fh:
        orig = cap.parse(fh.read())
    frames = judge_v2.expectation(orig.packets, judge.policy)

    def data(f):
        judge.prepare(f)
        out = bytearray(f.buf)
        for i, c in enumerate(f.codes):
            if c > CSUM and c != ADDR:
                out[i] = 0
        for s in f.sites:
            if f.codes[s.off] == ADDR:
                o = bytes(f.buf[s.off:s.off + s.size])
                out[s.off:s.off + s.size] = toy_mac(o, settings) \
                    if s.size == 6 else mapper.map(o)
        for ck in reversed(f.checksums):
            if ck.verifies(f.buf):
                ck.fix(out)
        return bytes(out)

    judge_v2.write_expected(orig, frames, judge.policy, dst, data)
    return frames


def packet_offsets(buf):
    c = cap.parse(buf)
    out = []
    for p in c.packets:
        if c.kind == "pcap":
            out.append(None)
        else:
            out.append(p.block.offset + 28)
    if c.kind == "pcap":
        rec = 24 if c.variant == "modified" else 16
        pos = 24
        for i, (hdr, pkt) in enumerate(c.records):
            out[i] = pos + rec
            pos += rec + len(pkt.data)
    return out


def properties():
    """anon_map on its own: prefix preservation with random pairs (IPv4,
    IPv6), one-to-one, the reverse, the preserve rules."""
    rnd = random.Random(12)
    key = bytes(rnd.getrandbits(8) for _ in range(32))
    pan = anon_map.CryptoPAn(key)
    for bits in (32, 128):
        for _ in range(60):
            a, b = rnd.getrandbits(bits), rnd.getrandbits(bits)
            k = rnd.randrange(bits)
            b = (a >> (bits - k) << (bits - k)) | (b & ((1 << (bits - k)) - 1))
            if k < bits and (a ^ b) >> (bits - k - 1) == 0:
                b ^= 1 << (bits - k - 1)        # share exactly k bits
            x, y = pan.anonymize(a, bits), pan.anonymize(b, bits)
            shared = bits - (x ^ y).bit_length()
            assert shared == k, (bits, k, shared)
            assert pan.deanonymize(x, bits) == a
    m = anon_map.Mapper(key, anon_map.Settings(klass=True, keep=["198.18.0.0/15"]))
    same = ["127.0.0.1", "224.0.0.251", "255.255.255.255", "0.0.0.0",
            "198.19.1.1", "::1", "ff02::1", "::"]
    for t in same:
        assert m.map(anon_map.parse_ip(t)) == anon_map.parse_ip(t), t
    for t, bits in (("169.254.3.4", 16), ("fe80::1234", 10), ("10.1.2.3", 8),
                    ("172.20.1.1", 12), ("192.168.7.7", 16), ("fd12::7", 7)):
        a = anon_map.parse_ip(t)
        y = m.map(a)
        n = 8 * len(a)
        assert y != a and int.from_bytes(y, "big") >> (n - bits) == \
            int.from_bytes(a, "big") >> (n - bits), t
        assert m.map(y, reverse=True) == a, t
    for _ in range(400):
        a = rnd.getrandbits(32).to_bytes(4, "big")
        if m.reserved(int.from_bytes(a, "big"), 32):
            continue
        y = m.map(a)
        assert not m.reserved(int.from_bytes(y, "big"), 32), anon_map.text(a)
        assert m.map(y, reverse=True) == a
    print("selftest_anon: anon_map properties hold")


def main(out):
    caps = os.path.join(out, "caps")
    mkcaps_anon.main(caps)
    key = os.path.join(out, "key")
    with open(key, "wb") as fh:
        fh.write(bytes(range(7, 39)))
    sample = os.path.join(out, "sample.key")
    with open(sample, "wb") as fh:
        fh.write(SAMPLE_KEY)
    lines = []

    def check(name, want, pattern, *args):
        lines.append("\t".join((name, str(want), pattern) + args))

    for raw, san in VECTORS + VECTORS6:
        check("anon_cryptopan_%s" % raw, 0, "^%s,%s$" % (raw, san), "--key",
              sample, "--anon-preserve", "none", "--map", raw)
    raw, san = VECTORS[0]
    check("anon_cryptopan_reverse", 0, "^%s,%s$" % (san, raw), "--key", sample,
          "--anon-preserve", "none", "--map", "--reverse", san)

    good = {}
    for name in sorted(os.listdir(caps)):
        src = os.path.join(caps, name)
        for tag, opts in (("", ()), ("class_oui", ("--anon-preserve",
                                                   "special,class,oui")),
                          ("keep", ("--anon-keep", "198.51.100.0/24"))):
            dst = os.path.join(out, "good%s.%s" % (tag, name))
            frames = anonymized_output(src, dst, key, opts)
            good[(name, tag)] = (src, dst, frames)
            check("anon_accept_%s%s" % (name, tag and "_" + tag), 0, OK,
                  "--key", key, *opts, src, dst)
    pairs = [x for n in sorted(os.listdir(caps)) for x in good[(n, "")][:2]]
    check("anon_accept_all_files_together", 0, OK, "--key", key, *pairs)
    check("anon_catch_not_anonymized", 1, r"wrong mapping", "--key", key,
          good[("anon_eth.pcap", "")][0], good[("anon_eth.pcap", "")][0])

    def mutate(tag, name, pick, change, pattern):
        """Change the correct output of `name` at the site or byte `pick`
        chooses: (packet index, offset, size)."""
        src, dst, frames = good[(name, "")]
        with open(dst, "rb") as fh:
            buf = bytearray(fh.read())
        index, off, size = pick(frames)
        pos = packet_offsets(bytes(buf))[index - 1] + off
        orig = frames[index - 1].buf
        buf[pos:pos + size] = change(bytes(orig[off:off + size]),
                                     bytes(buf[pos:pos + size]))
        bad = os.path.join(out, "bad.%s.%s" % (tag, name))
        with open(bad, "wb") as fh:
            fh.write(buf)
        check("anon_catch_%s" % tag, 1, pattern, "--key", key, src, bad)

    def site(name, nth=0, size=None):
        def pick(frames):
            found = [(f.index, s.off, s.size) for f in frames for s in f.sites
                     if s.name == name and (size is None or s.size == size)]
            return found[nth]
        return pick

    def kept_payload(size):
        def pick(frames):
            f = frames[0]                   # the TLS ClientHello's random
            return 1, 14 + 20 + 20 + 5 + 4 + 2 + 8, size
        return pick

    original = lambda o, cur: o                                  # noqa: E731
    eth = "anon_eth.pcap"
    mutate("leftover_header", eth, site("ipv4 src"), original,
           r"packet 1: ipv4 src at offset 26: wrong mapping: original 203.0.113.10")
    mutate("leftover_header_sll2", "anon_sll2.pcapng", site("ipv6 dst", 2),
           original, r"ipv6 dst at offset .*: wrong mapping")
    mutate("leftover_icmp_quote", eth, site("quoted ipv4 src"), original,
           r"packet 6: quoted ipv4 src at offset 54: wrong mapping")
    mutate("leftover_icmp6_quote_routing", eth, site("routing type 0 address 1"),
           original, r"routing type 0 address 1 at offset .*: wrong mapping")
    mutate("leftover_kept_payload", eth, kept_payload(4),
           lambda o, cur: bytes([203, 0, 113, 10]),
           r"packet 1: original address 203.0.113.10 at offset 73")
    mutate("leftover_kept_payload_mac", eth, kept_payload(6),
           lambda o, cur: bytes.fromhex("001b21aabb01"),
           r"packet 1: original address 00:1b:21:aa:bb:01 at offset 73")
    mutate("leftover_kept_payload_ipv6", eth, kept_payload(16),
           lambda o, cur: mkcaps_anon.B6,
           r"packet 1: original address 2001:db8:b::20 at offset 73")
    mutate("wrong_mapping", eth, site("arp target ip"),
           lambda o, cur: cur[:3] + bytes([cur[3] ^ 1]),
           r"arp target ip at offset 38: wrong mapping")
    mutate("wrong_mapping_ipv4_option", eth, site("ipv4 option 131 address"),
           lambda o, cur: bytes(4), r"ipv4 option 131 address .* wrong mapping")
    mutate("mac_unchanged", eth, site("ethernet src"), original,
           r"packet 1: ethernet src at offset 6: left unchanged")
    mutate("mac_group_bit", eth, site("arp sender mac"),
           lambda o, cur: bytes([cur[0] ^ 1]) + cur[1:], r"I/G or U/L bit changed")
    mutate("mac_inconsistent", eth, site("nd link-layer option"),
           lambda o, cur: cur[:5] + bytes([cur[5] ^ 0x10]),
           r"mapped to .* elsewhere|also the image")
    mutate("broken_ipv4_checksum", eth, lambda fr: (1, 24, 2),
           lambda o, cur: bytes([cur[0] ^ 0x40, cur[1]]),
           r"packet 1: ipv4 checksum at offset 24 verified in the original")
    mutate("broken_quoted_ipv4_checksum", eth, lambda fr: (6, 52, 2),
           lambda o, cur: bytes([cur[0] ^ 0x40, cur[1]]),
           r"packet 6: quoted ipv4 checksum at offset 52 verified")
    mutate("broken_icmpv6_checksum", eth, lambda fr: (12, 56, 2),
           lambda o, cur: bytes([cur[0], cur[1] ^ 4]),
           r"packet 12: icmpv6 checksum at offset 56 verified")
    mutate("udp_zero_checksum_filled", eth, lambda fr: (34, 40, 2),
           lambda o, cur: b"\x12\x34", r"packet 34: udp checksum at offset 40: "
           r"absent \(0\) in the original")
    print("\n".join(lines))


if __name__ == "__main__":
    if sys.argv[1:] == ["--properties"]:
        properties()
    else:
        main(sys.argv[1])
