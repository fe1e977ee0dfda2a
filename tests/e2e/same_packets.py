#!/usr/bin/env python3
"""same_packets.py A B: the two captures hold the same packets (data bytes, in
order), whatever their container: used to compare a capture merged from
sanitized segments with the capture sanitized whole. Parsing comes from the
independent judge, not from pktmask."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "judge"))
import judge  # noqa: E402


def packets(path):
    buf = open(path, "rb").read()
    return [buf[r.data_start:r.data_end] for r in judge.packet_records(judge.parse_capture(buf))]


def main():
    a, b = packets(sys.argv[1]), packets(sys.argv[2])
    if len(a) != len(b):
        print(f"same_packets: {len(a)} packets vs {len(b)}")
        return 1
    for number, (x, y) in enumerate(zip(a, b), 1):
        if x != y:
            at = next(i for i in range(min(len(x), len(y))) if x[i] != y[i]) if len(x) == len(y) else "length"
            print(f"same_packets: packet {number} differs (byte {at})")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
