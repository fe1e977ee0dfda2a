#!/usr/bin/env python3
"""lossy_capture.py: captures with losses that a later retransmission repairs,
for the look-ahead tests of `pktmask capture` (tests/e2e/capture_lookahead.sh).
Plain struct, no packet library; classic pcap, Ethernet, IPv4, TCP.

  synthetic OUT SEED          a TLS connection, both directions, records split
                              at random sizes (headers across packets)
  headers IN                  the 1-based numbers of the packets that hold a
                              TLS record's first header byte (an in-order capture)
  lose IN OUT SPACING DISTANCES...
                              takes every SPACING-th header packet out and puts
                              it back DISTANCE packets later (the distances used
                              in turn), with its new neighbour's time stamp:
                              a loss the retransmission repairs"""
import os
import random
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "judge"))
from mkcaps import inet_checksum  # noqa: E402

PCAP_HEADER = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)


def read_pcap(path):
    data = open(path, "rb").read()
    magic = struct.unpack_from("<I", data)[0]
    assert magic == 0xA1B2C3D4, "classic little-endian microsecond pcap only"
    at, records = 24, []
    while at < len(data):
        sec, usec, caplen, length = struct.unpack_from("<IIII", data, at)
        records.append([sec, usec, data[at + 16:at + 16 + caplen], length])
        at += 16 + caplen
    return data[:24], records


def write_pcap(path, header, records):
    with open(path, "wb") as out:
        out.write(header)
        for sec, usec, frame, length in records:
            out.write(struct.pack("<IIII", sec, usec, len(frame), length) + frame)



def frame(src, dst, sport, dport, seq, ack, flags, payload):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags, 65535, 0, 0)
    pseudo = struct.pack("!4s4sBBH", src, dst, 0, 6, len(tcp) + len(payload))
    tcp = tcp[:16] + struct.pack("!H", inet_checksum(pseudo + tcp + payload)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(payload), 0, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", inet_checksum(ip)) + ip[12:]
    return b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + ip + tcp + payload


def tls_stream(rng, records):
    stream = b""
    for content_type, length in records:
        stream += struct.pack("!BBBH", content_type, 3, 3, length) + bytes(rng.randrange(256) for _ in range(length))
    return stream


def synthetic(out, seed):
    rng = random.Random(seed)
    client, server = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
    sides = {"c": [client, server, 40000, 443, 1000], "s": [server, client, 443, 40000, 900000]}
    streams = {
        "c": tls_stream(rng, [(22, 300), (20, 1), (22, 40)] + [(23, rng.randrange(1, 3000)) for _ in range(12)]),
        "s": tls_stream(rng, [(22, 2500), (20, 1), (22, 40)] + [(23, rng.randrange(1, 6000)) for _ in range(30)]),
    }
    sent = {"c": 0, "s": 0}
    records, now = [], 1700000000 * 10**6

    def emit(side, flags, payload=b""):
        nonlocal now
        src, dst, sport, dport, isn = sides[side]
        other = sides["s" if side == "c" else "c"]
        seq = isn + 1 + sent[side] if flags != 0x02 and flags != 0x12 else isn
        ack = other[4] + 1 + sent["s" if side == "c" else "c"]
        now += rng.randrange(50, 400)
        records.append([now // 10**6, now % 10**6, frame(src, dst, sport, dport, seq, ack, flags, payload), 0])
        records[-1][3] = len(records[-1][2])

    emit("c", 0x02)
    emit("s", 0x12)
    emit("c", 0x10)
    while sent["c"] < len(streams["c"]) or sent["s"] < len(streams["s"]):
        side = rng.choice([s for s in "cs" if sent[s] < len(streams[s])])
        size = rng.choice([1, 2, 3, 4, 7, 60, 300, 900, 1400, 1400, 1400])
        payload = streams[side][sent[side]:sent[side] + size]
        emit(side, 0x18, payload)
        sent[side] += len(payload)
    write_pcap(out, PCAP_HEADER, records)


def tcp_payload(frame_bytes):
    """(direction key, seq, flags, payload) of an Ethernet/IPv4/TCP frame, or None."""
    if frame_bytes[12:14] != b"\x08\x00" or frame_bytes[23] != 6:
        return None
    ihl = (frame_bytes[14] & 0x0F) * 4
    total = struct.unpack_from("!H", frame_bytes, 16)[0]
    tcp = 14 + ihl
    sport, dport, seq = struct.unpack_from("!HHI", frame_bytes, tcp)
    offset = (frame_bytes[tcp + 12] >> 4) * 4
    key = (frame_bytes[26:30], sport, frame_bytes[30:34], dport)
    return key, seq, frame_bytes[tcp + 13], frame_bytes[tcp + offset:14 + total]


def header_packets(records):
    starts, streams, packets = {}, {}, []
    for number, record in enumerate(records, 1):
        parsed = tcp_payload(record[2])
        if not parsed:
            continue
        key, seq, flags, payload = parsed
        if flags & 0x02:
            starts[key] = seq + 1
        if payload and key in starts:
            offset = (seq - starts[key]) % 2**32
            streams.setdefault(key, bytearray())
            if offset == len(streams[key]):
                streams[key] += payload
            packets.append((number, key, offset, len(payload)))
    headers = {}
    for key, stream in streams.items():
        at, found = 0, set()
        while at + 5 <= len(stream):
            found.add(at)
            at += 5 + struct.unpack_from("!H", stream, at + 3)[0]
        headers[key] = found
    return [n for n, key, offset, size in packets if any(offset <= h < offset + size for h in headers.get(key, ()))]


def lose(source, out, spacing, distances):
    header, records = read_pcap(source)
    chosen = header_packets(records)[::spacing]
    moved = [None] * len(records)
    for turn, number in enumerate(chosen):
        moved[number - 1] = distances[turn % len(distances)]
    order = list(range(len(records)))
    # From the last loss back, so earlier moves do not shift later numbers.
    for index in reversed(range(len(records))):
        if moved[index] is None:
            continue
        position = order.index(index)
        target = min(position + moved[index], len(order) - 1)
        order.insert(target, order.pop(position))
    result = []
    for index in order:
        sec, usec, data, length = records[index]
        if moved[index] is not None and result:
            sec, usec = result[-1][0], result[-1][1]
        result.append([sec, usec, data, length])
    write_pcap(out, header, result)
    print(len(chosen))


def main(argv):
    if argv[0] == "synthetic":
        synthetic(argv[1], int(argv[2]))
    elif argv[0] == "headers":
        print(" ".join(map(str, header_packets(read_pcap(argv[1])[1]))))
    elif argv[0] == "lose":
        lose(argv[1], argv[2], int(argv[3]), [int(d) for d in argv[4:]])


if __name__ == "__main__":
    main(sys.argv[1:])
