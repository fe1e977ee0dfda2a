#!/usr/bin/env python3
"""Checks a `pktmask report --json` file against the JSON schema that
docs/report.md publishes (the ```json block under its "JSON schema" heading),
so the documented schema and the program cannot drift apart.

usage: report_schema.py docs/report.md REPORT.json
Exit 0 when REPORT.json validates, 1 with the first errors when it does not,
2 when the schema cannot be found or is itself invalid."""

import json
import re
import sys

import jsonschema


def extract_schema(markdown):
    """The first ```json block after a heading named "JSON schema"."""
    heading = re.search(r"^#+\s+JSON schema\s*$", markdown, re.MULTILINE)
    if heading is None:
        raise ValueError('no "JSON schema" heading')
    block = re.compile(r"^```json\s*\n(.*?)^```", re.MULTILINE | re.DOTALL).search(markdown, heading.end())
    if block is None:
        raise ValueError('no ```json block under "JSON schema"')
    return json.loads(block.group(1))


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as doc:
            schema = extract_schema(doc.read())
        validator_class = jsonschema.validators.validator_for(schema)
        validator_class.check_schema(schema)
    except (ValueError, jsonschema.exceptions.SchemaError) as error:
        print(f"{argv[1]}: {error}", file=sys.stderr)
        return 2
    with open(argv[2], encoding="utf-8") as report:
        instance = json.load(report)
    errors = sorted(validator_class(schema).iter_errors(instance), key=lambda e: list(e.absolute_path))
    for error in errors[:10]:
        where = "/".join(str(part) for part in error.absolute_path) or "(top)"
        print(f"{argv[2]}: {where}: {error.message}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
