#!/usr/bin/env python3
"""same_packets.py [--any-order] A B: the two captures hold the same packets
(data bytes, in order), whatever their container: used to compare a capture
merged from sanitized segments with the capture sanitized whole. Parsing
comes from the independent judge, not from pktmask.

--any-order compares the packets as multisets: two capture sockets on one
interface (tcpdump and pktmask) may see packets sent from different CPUs in
a different order, even within one direction (a client's pure ACKs), and
stamp each packet a microsecond apart. Every packet's bytes (IP ID, sequence
and acknowledgement numbers, TCP timestamps) still pair it with its twin."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "judge"))
import judge  # noqa: E402


def packets(path):
    buf = open(path, "rb").read()
    return [buf[r.data_start:r.data_end] for r in judge.packet_records(judge.parse_capture(buf))]


def main(argv):
    any_order = argv[:1] == ["--any-order"]
    if any_order:
        argv = argv[1:]
    a, b = packets(argv[0]), packets(argv[1])
    if len(a) != len(b):
        print(f"same_packets: {len(a)} packets vs {len(b)}")
        return 1
    if any_order:
        a, b = sorted(a), sorted(b)
    for number, (x, y) in enumerate(zip(a, b), 1):
        if x != y:
            at = next(i for i in range(min(len(x), len(y))) if x[i] != y[i]) if len(x) == len(y) else "length"
            order = " (sorted by bytes)" if any_order else ""
            print(f"same_packets: packet {number}{order} differs (byte {at})")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
