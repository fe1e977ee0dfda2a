"""The handshake walk of masking policy v2 section 10 (handshake=anonymous
or headers) for judge_v2.py, on a TCP direction's kept type-22 bodies.

Where section 10 depends on the other direction (did the ServerHello select
TLS 1.3?), the judge does not look: a type-22 record after the direction's
ChangeCipherSpec that parses exactly as complete handshake messages is
walked with every byte the walk would zero left as "either"; any other is
kept whole (anonymous) or zero (headers).  Standard library only."""

from v2_decode import EITHER, KEEP

ZERO = None                       # a byte the walk zeroes
MSG_CLIENT_HELLO, MSG_NEW_SESSION_TICKET, MSG_CERTIFICATE = 1, 4, 11


class Bytes:
    """A handshake stream: its bytes (None in a gap) and their positions."""

    def __init__(self, stream, spans):
        self.pos, self.val = [], []
        for s, e in spans:
            p = s
            while p < e:
                chunk = stream.get(p, e - p)
                if not chunk:
                    self.pos.append(p)
                    self.val.append(None)
                    p += 1
                    continue
                self.pos += range(p, p + len(chunk))
                self.val += chunk
                p += len(chunk)

    def num(self, i, n):
        """Big-endian number of n bytes at i; None if cut or in a gap."""
        if i + n > len(self.val):
            return None
        v = 0
        for b in self.val[i:i + n]:
            if b is None:
                return None
            v = v * 256 + b
        return v


def client_hello(hs, codes, b, end):
    """Zero SNI names, PSK identities and session ticket data of the
    ClientHello body [b, end); anything unparsable from its first byte."""
    def bad(i):
        for k in range(i, end):
            codes[k] = ZERO

    i = b + 34
    sid = hs.num(i, 1)
    if sid is None or i + 1 + sid > end:
        return bad(i)
    i += 1 + sid
    cs = hs.num(i, 2)
    if cs is None or i + 2 + cs > end:
        return bad(i)
    i += 2 + cs
    comp = hs.num(i, 1)
    if comp is None or i + 1 + comp > end:
        return bad(i)
    i += 1 + comp
    if i == end:
        return None
    total = hs.num(i, 2)
    if total is None or i + 2 + total > end:
        return bad(i)
    i += 2
    stop = i + total
    while i < stop:
        etype, elen = hs.num(i, 2), hs.num(i + 2, 2)
        if etype is None or elen is None or i + 4 + elen > stop:
            return bad(i)
        d, dend = i + 4, i + 4 + elen
        if etype == 0 and not zero_values(hs, codes, d, dend, 1, 0):
            return bad(d)
        if etype == 41 and not zero_values(hs, codes, d, dend, 0, 4):
            return bad(d)
        if etype == 35:
            for k in range(d, dend):
                codes[k] = ZERO
        i = dend
    return None


def zero_values(hs, codes, d, dend, before, after):
    """A 2-byte-length list of entries, each `before` bytes, a 2-byte
    length, the value and `after` bytes: zero every value.  False when the
    framing does not parse."""
    n = hs.num(d, 2)
    if n is None or d + 2 + n > dend:
        return False
    i, stop = d + 2, d + 2 + n
    while i < stop:
        ln = hs.num(i + before, 2)
        if ln is None or hs.num(i, before) is None or \
                i + before + 2 + ln + after > stop:
            return False
        for k in range(i + before + 2, i + before + 2 + ln):
            codes[k] = ZERO
        i += before + 2 + ln + after
    return True


def walk_messages(hs, codes, start, end, detail):
    """Walk messages in [start, end).  Returns False when a message header
    is in a gap or cut (the caller zeroes the rest)."""
    i = start
    while i < end:
        t, length = hs.num(i, 1), hs.num(i + 1, 3)
        if t is None or length is None or i + 4 > end:
            for k in range(i, end):
                codes[k] = ZERO
            return False
        b, mend = i + 4, min(end, i + 4 + length)
        if detail == "headers":
            for k in range(b, mend):
                codes[k] = ZERO
        elif t == MSG_CLIENT_HELLO:
            client_hello(hs, codes, b, mend)
        elif t == MSG_CERTIFICATE:
            for k in range(b + 3, mend):
                codes[k] = ZERO
        elif t == MSG_NEW_SESSION_TICKET:
            ln = hs.num(b + 4, 2)
            stop = mend if ln is None else min(mend, b + 6 + ln)
            for k in range(b + 6 if ln is not None else b, stop):
                codes[k] = ZERO
        i += 4 + length
    return True


def exact_messages(hs, start, end):
    i = start
    while i < end:
        length = hs.num(i + 1, 3)
        if length is None or hs.num(i, 1) is None:
            return False
        i += 4 + length
    return i == end and None not in hs.val[start:end]


def handshake_walk(stream, ranges, bodies, detail):
    """Replace the record walk's type-22 body ranges by the handshake
    walk's decisions."""
    body_keys = {(s, e) for s, e, _ in bodies}
    out = [r for r in ranges if (r[0], r[1]) not in body_keys]
    clear = [(s, e) for s, e, after in bodies if not after]
    hs = Bytes(stream, clear)
    codes = [KEEP] * len(hs.val)
    walk_messages(hs, codes, 0, len(codes), detail)
    out += runs(hs.pos, codes)
    for s, e, after in bodies:
        if not after:
            continue
        rec = Bytes(stream, [(s, e)])
        if exact_messages(rec, 0, len(rec.val)):
            rcodes = [KEEP] * len(rec.val)
            walk_messages(rec, rcodes, 0, len(rcodes), detail)
            rcodes = [EITHER if c is ZERO else c for c in rcodes]
            out += runs(rec.pos, rcodes)
        elif detail == "anonymous":
            out.append((s, e, KEEP))
    return out


def runs(positions, codes):
    """Ranges (s, e, code) of consecutive positions with one non-zero code."""
    out = []
    for p, c in zip(positions, codes):
        if c is ZERO:
            continue
        if out and out[-1][1] == p and out[-1][2] == c:
            out[-1] = (out[-1][0], p + 1, c)
        else:
            out.append((p, p + 1, c))
    return out
