#!/usr/bin/env python3
"""Checks NDJSON capture events against docs/capture.md, "Events": the docs
are the source of truth. Every event must be a documented message, from a
source its section names, with every field its table requires and no field
the tables do not list; objects with a table of their own ("object `stats`")
are checked the same way, in the fields it names (`stats` in any message,
`file_ready.files` in that one).

usage: check_events.py DOC EVENTS.ndjson... [--require MESSAGE...]
Exit 1 with one line per problem."""
import json
import re
import sys

ACTORS = {"manager", "capture", "sanitizer", "cleaner", "signals"}


def parse_doc(path):
    """{name: {"fields": {field: present}, "sources": set}} for messages and
    objects, and {field: object name} for the fields objects describe."""
    text = open(path, encoding="utf-8").read()
    section = text[text.index("\n## Events\n"):]
    section = section[:section.index("\n## ", 1)]
    messages, objects, holders = {}, {}, {}
    current = None
    for line in section.splitlines():
        heading = re.match(r"^(#{3,5}) (.*)$", line)
        if heading:
            title = heading.group(2)
            names = re.findall(r"`([a-z_.]+)`", title)
            current = None
            if title.startswith("object "):
                current = {"fields": {}}
                objects[names[0]] = current
                for holder in names[1:] or names[:1]:
                    holders[holder] = names[0]
            elif title == "Common fields":
                current = {"fields": {}, "sources": ACTORS}
                messages["*common*"] = current
            elif names:
                current = {"fields": {}, "sources": set()}
                for name in names:
                    messages[name] = current
            continue
        if current is None:
            continue
        if line.startswith("Sent by") and "sources" in current:
            current["sources"] = set(re.findall(r"`([a-z]+)`", line)) & ACTORS
        row = re.match(r"^\| `([a-z_0-9]+)` \| ([^|]+) \|", line)
        if row:
            present = row.group(2).strip()
            if not re.fullmatch(r"always|sometimes|from [a-z]+", present):
                sys.exit(f"{path}: field {row.group(1)}: bad 'present' {present!r}")
            current["fields"][row.group(1)] = present
    return messages, objects, holders


def required(present, source):
    return present == "always" or present == f"from {source}"


def allowed(present, source):
    return not present.startswith("from ") or present == f"from {source}"


def check_fields(value, table, source, where, problems):
    for field, present in table.items():
        if required(present, source) and field not in value:
            problems.append(f"{where}: no `{field}`")
    for field in value:
        if field not in table:
            problems.append(f"{where}: `{field}` is not documented")
        elif not allowed(table[field], source):
            problems.append(f"{where}: `{field}` is documented {table[field]}, not from {source}")


def check_objects(value, objects, holders, name, source, where, problems):
    """An object table applies to fields it names as `field` or `message.field`."""
    for field, inner in value.items():
        holder = f"{name}.{field}" if f"{name}.{field}" in holders else field
        if holder not in holders:
            continue
        elements = inner if isinstance(inner, list) else [inner]
        for index, element in enumerate(elements):
            if not isinstance(element, dict):
                problems.append(f"{where}.{field}: not an object")
                continue
            place = f"{where}.{field}" + (f"[{index}]" if isinstance(inner, list) else "")
            check_fields(element, objects[holders[holder]]["fields"], source, place, problems)


def main(argv):
    require = []
    if "--require" in argv:
        at = argv.index("--require")
        argv, require = argv[:at], argv[at + 1:]
    doc, logs = argv[1], argv[2:]
    messages, objects, holders = parse_doc(doc)
    common = messages.pop("*common*")["fields"]
    problems, seen, count = [], set(), 0
    for log in logs:
        for number, line in enumerate(open(log, encoding="utf-8"), 1):
            event = json.loads(line)
            count += 1
            name, source = event.get("event"), event.get("source")
            where = f"{log}:{number} ({name} from {source})"
            if name not in messages:
                problems.append(f"{where}: no section documents `{name}`")
                continue
            seen.add(name)
            message = messages[name]
            if source not in message["sources"]:
                problems.append(f"{where}: documented as sent by {sorted(message['sources'])}")
            table = dict(common)
            table.update(message["fields"])
            check_fields(event, table, source, where, problems)
            check_objects(event, objects, holders, name, source, where, problems)
    problems += [f"no `{name}` event in {' '.join(logs)}" for name in require if name not in seen]
    for problem in problems:
        print(problem)
    print(f"{count} events, {len(seen)} kinds: {' '.join(sorted(seen))}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
