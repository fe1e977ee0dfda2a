#!/usr/bin/env python3
"""Print one code block of a Markdown guide, exactly as the guide has it.

    guide_block.py GUIDE --fenced LANG
    guide_block.py GUIDE --containing TEXT [--containing TEXT...] [--without TEXT]

--fenced: the one ``` block tagged LANG. --containing: the one indented
(four-space) code block, outside fences, that holds every TEXT and not the
--without TEXT; printed without its indent. Exit 1, naming the guide, unless
exactly one block matches, so a test can never run a block the guide lost.
"""
import argparse
import sys


def blocks(lines):
    """Yield (lang, text) per code block: lang is None for an indented one."""
    fence, body, indented, prev_blank = None, [], [], True
    for line in lines + ['']:
        if fence is not None:
            if line.startswith('```'):
                yield fence, ''.join(body)
                fence, body = None, []
            else:
                body.append(line)
            continue
        if line.startswith('    ') and (indented or prev_blank):
            indented.append(line[4:])
            continue
        if indented:
            yield None, ''.join(indented)
            indented = []
        if line.startswith('```'):
            fence = line[3:].strip()
        prev_blank = line.strip() == ''


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('guide')
    ap.add_argument('--fenced')
    ap.add_argument('--containing', action='append', default=[])
    ap.add_argument('--without')
    args = ap.parse_args()
    with open(args.guide, encoding='utf-8') as f:
        found = list(blocks(f.readlines()))
    if args.fenced:
        picked = [text for lang, text in found if lang == args.fenced]
    else:
        picked = [text for lang, text in found
                  if lang is None and all(t in text for t in args.containing)
                  and not (args.without and args.without in text)]
    if len(picked) != 1:
        print(f'{args.guide}: {len(picked)} code blocks match {sys.argv[2:]}, want 1', file=sys.stderr)
        return 1
    sys.stdout.write(picked[0])
    return 0


if __name__ == '__main__':
    sys.exit(main())
