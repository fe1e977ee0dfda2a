"""The walkers of masking policy v2 for judge_v2.py: the TCP TLS record walk
(section 3), the handshake walk (section 10), DTLS and QUIC (sections 4, 10)
and keep-udp.  Each returns byte ranges with a code (v2_decode's KEEP or
EITHER); bytes not named stay zero.  Shares nothing with pktmask."""

import bisect
import struct

from v2_decode import KEEP, EITHER

MAX_RECORD = 18432
TLS_TYPES = range(20, 25)
BODY_OPTION = {20: "ccs", 21: "alert", 22: "handshake", 24: "heartbeat"}


# ---------------------------------------------------------------------------
# TCP: directions, generations, unwrapping, first copy wins


class Stream:
    """Reassembled bytes of one direction: non-overlapping pieces sorted by
    position; the first captured copy of a byte wins."""

    def __init__(self):
        self.starts, self.pieces = [], []

    def add(self, pos, data):
        base, end = pos, pos + len(data)
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0:
            s, d = self.pieces[i]
            pos = max(pos, s + len(d))
        i += 1
        while pos < end:
            if i < len(self.starts) and self.starts[i] <= pos:
                s, d = self.pieces[i]
                pos = max(pos, s + len(d))
                i += 1
                continue
            stop = min(end, self.starts[i]) if i < len(self.starts) else end
            self.starts.insert(i, pos)
            self.pieces.insert(i, (pos, data[pos - base:stop - base]))
            i += 1
            pos = stop

    def get(self, pos, n):
        """Up to n captured bytes from pos, stopping at the first gap."""
        out = b""
        i = bisect.bisect_right(self.starts, pos) - 1
        while i >= 0 and i < len(self.pieces) and len(out) < n:
            s, d = self.pieces[i]
            if s > pos or pos >= s + len(d):
                break
            take = d[pos - s:pos - s + n - len(out)]
            out += take
            pos += len(take)
            i += 1
        return out


def group_directions(segments):
    """[(key, generation)] -> segments, in file order, with each segment's
    logical (64-bit) position and the generation's stream start."""
    state, groups = {}, {}
    for seg in segments:
        st = state.setdefault(seg.key, {"isn": None, "data": False, "gen": 0})
        if seg.syn:
            if st["isn"] is not None and seg.seq != st["isn"] or \
                    st["isn"] is None and st["data"]:
                st["gen"] += 1
                st["data"] = False
            st["isn"] = seg.seq
        if seg.length:
            st["data"] = True
        groups.setdefault((seg.key, st["gen"]), []).append(seg)
    return groups


def place(segs):
    """Logical positions of each segment's payload and the stream start."""
    highest, syn_start, placed = None, None, []
    for seg in segs:
        if highest is None:
            logical = seg.seq + (1 << 40)
        else:
            delta = ((seg.seq - highest + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)
            logical = highest + delta
        highest = logical if highest is None else max(highest, logical)
        if seg.syn:
            if syn_start is None:
                syn_start = logical + 1
            logical += 1
        placed.append((seg, logical))
    if syn_start is not None:
        return placed, syn_start
    data = [p for s, p in placed if s.length]
    return placed, (min(data) if data else None)


def plausible_prefix(h):
    """True when the captured header prefix h could start a plausible TLS
    record header."""
    if len(h) >= 1 and h[0] not in TLS_TYPES:
        return False
    if len(h) >= 2 and h[1] != 3:
        return False
    if len(h) >= 4 and h[3] * 256 > MAX_RECORD:
        return False
    return True


def tls_walk(stream, start, bodies):
    """Section 3 from `start`.  Returns ([(s, e, code)], [(s, e, after a
    ChangeCipherSpec)] of kept type-22 bodies, for the handshake walk)."""
    ranges, handshake, pos, ccs = [], [], start, False
    while True:
        h = stream.get(pos, 5)
        if len(h) < 5:
            if h and plausible_prefix(h):
                ranges.append((pos, pos + len(h), EITHER))
            return ranges, handshake
        length = struct.unpack("!H", h[3:5])[0]
        if h[0] not in TLS_TYPES or h[1] != 3 or length > MAX_RECORD:
            return ranges, handshake
        ranges.append((pos, pos + 5, KEEP))
        if BODY_OPTION.get(h[0]) in bodies and length:
            ranges.append((pos + 5, pos + 5 + length, KEEP))
            if h[0] == 22:
                handshake.append((pos + 5, pos + 5 + length, ccs))
        ccs |= h[0] == 20
        pos += 5 + length


def apply_ranges(frames, placed, ranges):
    """Mark each segment's payload bytes that fall in `ranges` (sorted,
    non-overlapping, logical positions) with the range's code."""
    starts = [r[0] for r in ranges]
    for seg, logical in placed:
        if not seg.length:
            continue
        codes = frames[seg.frame - 1].codes
        end = logical + seg.length
        i = max(0, bisect.bisect_right(starts, logical) - 1)
        while i < len(ranges) and ranges[i][0] < end:
            s, e, code = ranges[i]
            s, e = max(s, logical), min(e, end)
            if s < e:
                a, b = seg.off + s - logical, seg.off + e - logical
                codes[a:b] = bytes([code]) * (b - a)
            i += 1


def walk_tcp(frames, segments, settings, handshake_walk):
    for (key, gen), segs in group_directions(segments).items():
        placed, start = place(segs)
        if start is None:
            continue
        stream = Stream()
        for seg, logical in placed:
            if seg.length:
                f = frames[seg.frame - 1]
                stream.add(logical, bytes(f.buf[seg.off:seg.off + seg.length]))
        ranges, hs = tls_walk(stream, start, settings.tls)
        if hs and settings.handshake != "full":
            ranges = handshake_walk(stream, ranges, hs, settings.handshake)
        apply_ranges(frames, placed, sorted(ranges))


# ---------------------------------------------------------------------------
# UDP: keep-udp, DTLS, QUIC


def dtls_walk(data, dlen, bodies, handshake):
    """Section 4 / 10 on one datagram's captured payload `data` (declared
    length dlen).  Returns [(s, e, code)] relative to the payload."""
    out, pos = [], 0
    while pos + 13 <= dlen:
        h = data[pos:pos + 13]
        if len(h) < 13:
            if h and h[0] in range(20, 26) and (len(h) < 2 or h[1] == 0xFE):
                out.append((pos, pos + len(h), EITHER))
            break
        rtype, length = h[0], struct.unpack("!H", h[11:13])[0]
        if rtype not in range(20, 26) or h[1] != 0xFE or length > MAX_RECORD \
                or pos + 13 + length > dlen:
            break
        out.append((pos, pos + 13, KEEP))
        if BODY_OPTION.get(rtype) in bodies and length:
            # The DTLS handshake walk is not implemented: under a handshake
            # detail other than full its bodies may go either way.
            code = KEEP if rtype != 22 or handshake == "full" else EITHER
            out.append((pos + 13, pos + 13 + length, code))
        pos += 13 + length
    return out


QUIC_VERSIONS = (1, 0x6B3343CF, 0)


def quic_known(version):
    return version in QUIC_VERSIONS or version >> 8 == 0xFF0000


def quic_long(data, dlen):
    """(kept length, SCID length) of a long header with a known version and
    valid CID lengths, or None."""
    if dlen < 7 or len(data) < 6 or not data[0] & 0x80:
        return None
    version, = struct.unpack("!I", data[1:5])
    if not quic_known(version):
        return None
    dcid = data[5]
    if dcid > 20 or 6 + dcid >= dlen or len(data) < 7 + dcid:
        return None
    scid = data[6 + dcid]
    if scid > 20 or 7 + dcid + scid > dlen:
        return None
    return 7 + dcid + scid, scid


def walk_udp(frames, datagrams, settings):
    long_seen = {}              # unordered 4-tuple -> (first frame, max SCID)
    for d in datagrams:
        f = frames[d.frame - 1]
        data = bytes(f.buf[d.off:d.end])
        src, sport, dst, dport = d.key
        if sport in settings.keep_udp or dport in settings.keep_udp:
            f.mark(d.off, d.end, KEEP)
            continue
        if not data:
            continue
        if settings.dtls and len(data) >= 2 and data[0] in range(20, 26) \
                and data[1] == 0xFE:
            for s, e, code in dtls_walk(data, d.dlen, settings.tls,
                                        settings.handshake):
                f.mark(d.off + s, min(d.end, d.off + e), code)
            continue
        if not settings.quic:
            continue
        tuple_key = frozenset(((src, sport), (dst, dport)))
        if data[0] & 0x80:
            lh = quic_long(data, d.dlen)
            if lh:
                f.mark(d.off, min(d.end, d.off + lh[0]), KEEP)
                first, scid = long_seen.get(tuple_key, (d.frame, 0))
                long_seen[tuple_key] = (first, max(scid, lh[1]))
            continue
        seen = long_seen.get(tuple_key)
        if seen:
            f.mark(d.off, d.off + 1, KEEP)
            f.mark(d.off + 1, min(d.end, d.off + 1 + seen[1]), EITHER)
    # Short headers before the first long header of their 4-tuple: the spec
    # lets a streaming masker miss those, and a reassembling one keep them.
    for d in datagrams:
        f = frames[d.frame - 1]
        key = frozenset(((d.key[0], d.key[1]), (d.key[2], d.key[3])))
        seen = long_seen.get(key)
        if seen and seen[0] > d.frame and d.end > d.off \
                and not f.buf[d.off] & 0x80 and settings.quic \
                and d.key[1] not in settings.keep_udp \
                and d.key[3] not in settings.keep_udp:
            f.mark(d.off, min(d.end, d.off + 1 + seen[1]), EITHER)
