#!/usr/bin/env python3
"""masks_at_least.py ORIGINAL EXPECTED ACTUAL

Passes when ACTUAL masks at least what EXPECTED masks: every byte that
EXPECTED zeroes (where ORIGINAL was non-zero) is zero in ACTUAL too. Used for
the tshark engine, which may mask more than the policy requires where tshark
cannot see (docs/engines.md) but must never keep a byte the policy masks.
Where ORIGINAL differs in size (pcapng metadata that section 8 rewrites),
its bytes no longer line up, and every byte zero in EXPECTED must be zero in ACTUAL.
Byte-level on purpose: it shares no parsing with pktmask; the structure of
ACTUAL is checked separately by the judges in tests/judge."""
import sys


def main():
    original, expected, actual = (open(p, "rb").read() for p in sys.argv[1:4])
    if len(expected) != len(actual):
        print(f"masks_at_least: sizes differ: {len(original)} {len(expected)} {len(actual)}")
        return 1
    aligned = len(original) == len(expected)
    leaks = [i for i in range(len(expected))
             if expected[i] == 0 and actual[i] != 0 and (not aligned or original[i] != 0)]
    if leaks:
        print(f"masks_at_least: {len(leaks)} byte(s) kept that the policy masks, first at file offset {leaks[0]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
