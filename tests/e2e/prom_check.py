#!/usr/bin/env python3
"""Checks a Prometheus text exposition (format 0.0.4) on its own, sharing no
code with pktmask: the syntax of every line, HELP and TYPE once per family and
before its samples, each family in one group, no repeated series, and the
naming conventions (`_total` on counters and only there, base units, snake
case). With --json it prints the samples as {"name{label=value,...}": value}.

    prom_check.py FILE|- [--json] [--label NAME]...  (--label: every sample must carry it)
"""
import argparse
import json
import math
import re
import sys

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r"[a-zA-Z_][a-zA-Z0-9_]*"
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}
# Prometheus wants base units: seconds, bytes, ratios.
NOT_BASE_UNITS = re.compile(
    r"_(milliseconds|microseconds|nanoseconds|ms|us|ns|minutes|hours|days|kilobytes|megabytes|gigabytes|kib|mib|gib|bits|percent)_"
)


class Problems(list):
    def add(self, number, text):
        self.append(f"line {number}: {text}")


def unescape(text, number, problems, quote):
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            nxt = text[i + 1 : i + 2]
            if nxt == "\\":
                out.append("\\")
            elif nxt == "n":
                out.append("\n")
            elif nxt == '"' and quote:
                out.append('"')
            else:
                problems.add(number, f"bad escape \\{nxt}")
            i += 2
            continue
        if c == '"' and quote:
            problems.add(number, "unescaped double quote in a label value")
        out.append(c)
        i += 1
    return "".join(out)


def parse_labels(text, number, problems):
    """text is what follows '{' up to the end of the line; returns (labels, rest after '}')."""
    labels, i = {}, 0
    while True:
        while i < len(text) and text[i] == " ":
            i += 1
        if text[i : i + 1] == "}":
            return labels, text[i + 1 :]
        m = re.match(LABEL, text[i:])
        if not m:
            problems.add(number, f"bad label name at {text[i:i + 20]!r}")
            return labels, None
        name = m.group(0)
        i += len(name)
        if name.startswith("__"):
            problems.add(number, f"label {name}: names starting with __ are reserved")
        if text[i : i + 2] != '="':
            problems.add(number, f'label {name}: want ="')
            return labels, None
        i += 2
        start = i
        while i < len(text) and text[i] != '"':
            i += 2 if text[i] == "\\" else 1
        if i >= len(text):
            problems.add(number, f"label {name}: unterminated value")
            return labels, None
        if name in labels:
            problems.add(number, f"label {name} given twice")
        labels[name] = unescape(text[start:i], number, problems, True)
        i += 1
        if text[i : i + 1] == ",":
            i += 1
        elif text[i : i + 1] != "}":
            problems.add(number, f"after label {name}: want , or }}")
            return labels, None


def parse_value(text):
    if text in ("NaN", "+Inf", "-Inf", "Inf"):
        return float(text.replace("Inf", "inf").replace("NaN", "nan"))
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
        raise ValueError(text)
    return float(text)


def family_of(name, types):
    """The family a sample name belongs to (histograms and summaries add suffixes)."""
    for suffix in ("_bucket", "_count", "_sum"):
        base = name[: -len(suffix)]
        if name.endswith(suffix) and types.get(base) in ("histogram", "summary"):
            return base
    return name


def check(text, required_labels):
    problems = Problems()
    helps, types, samples = {}, {}, {}
    seen_families, current = set(), None
    if text and not text.endswith("\n"):
        problems.add(text.count("\n") + 1, "the last line does not end with a newline")
    for number, line in enumerate(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"), 1):
        if line.strip() == "":
            continue
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                name = parts[2]
                if not re.fullmatch(NAME, name):
                    problems.add(number, f"bad metric name {name!r}")
                if name in seen_families and name != current:
                    problems.add(number, f"{parts[1]} of {name} after its group ended")
                if parts[1] == "HELP":
                    if name in helps:
                        problems.add(number, f"second HELP for {name}")
                    helps[name] = unescape(parts[3] if len(parts) > 3 else "", number, problems, False)
                else:
                    kind = parts[3] if len(parts) > 3 else ""
                    if kind not in TYPES:
                        problems.add(number, f"bad type {kind!r}")
                    if name in types:
                        problems.add(number, f"second TYPE for {name}")
                    if any(family_of(s[0], types) == name for s in samples):
                        problems.add(number, f"TYPE of {name} after its samples")
                    types[name] = kind
                if name != current:
                    if current is not None:
                        seen_families.add(current)
                    current = name
            continue
        m = re.match(NAME, line)
        if not m:
            problems.add(number, f"not a sample: {line[:60]!r}")
            continue
        name = m.group(0)
        rest = line[len(name) :]
        labels = {}
        if rest.startswith("{"):
            labels, rest = parse_labels(rest[1:], number, problems)
            if rest is None:
                continue
        fields = rest.split()
        if not rest.startswith(" ") or len(fields) not in (1, 2):
            problems.add(number, f"{name}: want one space, a value and an optional timestamp")
            continue
        try:
            value = parse_value(fields[0])
        except ValueError:
            problems.add(number, f"{name}: bad value {fields[0]!r}")
            continue
        if len(fields) == 2 and not re.fullmatch(r"-?\d+", fields[1]):
            problems.add(number, f"{name}: bad timestamp {fields[1]!r}")
        family = family_of(name, types)
        if family != current:
            if family in seen_families:
                problems.add(number, f"{family}: its lines are not one group")
            if current is not None:
                seen_families.add(current)
            current = family
        series = (name, tuple(sorted(labels.items())))
        if series in samples:
            problems.add(number, f"{name}{labels}: repeated series")
        samples[series] = value
        for label in required_labels:
            if label not in labels:
                problems.add(number, f"{name}: no {label} label")
        kind = types.get(family, "untyped")
        if kind == "counter" and (value < 0 or math.isnan(value)):
            problems.add(number, f"{name}: a counter must not be negative")
    for family in sorted({family_of(s[0], types) for s in samples}):
        kind = types.get(family)
        if kind is None:
            problems.append(f"{family}: no TYPE")
        if family not in helps or not helps[family].strip():
            problems.append(f"{family}: no HELP text")
        if family != family.lower():
            problems.append(f"{family}: not snake_case")
        if kind == "counter" and not family.endswith("_total"):
            problems.append(f"{family}: a counter's name should end in _total")
        if kind != "counter" and family.endswith("_total"):
            problems.append(f"{family}: only counters end in _total")
        if kind in ("counter", "gauge") and re.search(r"_(count|sum|bucket)$", family):
            problems.append(f"{family}: _count, _sum and _bucket are for histograms and summaries")
        if NOT_BASE_UNITS.search(family + "_"):
            problems.append(f"{family}: use base units (seconds, bytes)")
    return problems, samples


def series_key(name, labels):
    return name + ("{" + ",".join(f"{k}={v}" for k, v in labels) + "}" if labels else "")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--label", action="append", default=[])
    args = parser.parse_args()
    data = sys.stdin.buffer.read() if args.file == "-" else open(args.file, "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"{args.file}: not UTF-8: {e}", file=sys.stderr)
        return 1
    problems, samples = check(text, args.label)
    if not samples:
        problems.append("no samples")
    for problem in problems:
        print(f"{args.file}: {problem}", file=sys.stderr)
    if args.json:
        print(json.dumps({series_key(n, l): v for (n, l), v in samples.items()}, sort_keys=True))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
