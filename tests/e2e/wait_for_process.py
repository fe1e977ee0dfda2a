#!/usr/bin/env python3
"""Wait for a process named NAME among ROOT and its descendants; print its PID.

    wait_for_process.py ROOT NAME WHILE [FD_TEXT]

Looks every 2 ms (a pktmask may live for only 50 ms) for as long as process
WHILE runs (a zombie counts as ended). With FD_TEXT, the process must also
have a file open whose path holds FD_TEXT: it is then past its start-up
(signal handlers installed) and writing. Exit 1, printing nothing, if WHILE
ends first.
"""
import os
import sys
import time


def tree(pid):
    """(pid, comm) of pid and all its descendants; skips what ends meanwhile."""
    try:
        with open(f'/proc/{pid}/comm') as f:
            yield pid, f.read().strip()
        for task in os.listdir(f'/proc/{pid}/task'):
            with open(f'/proc/{pid}/task/{task}/children') as f:
                for child in f.read().split():
                    yield from tree(child)
    except OSError:
        return


def has_open(pid, text):
    try:
        fds = os.listdir(f'/proc/{pid}/fd')
        return any(text in os.readlink(f'/proc/{pid}/fd/{fd}') for fd in fds)
    except OSError:
        return False


def running(pid):
    try:
        with open(f'/proc/{pid}/stat') as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except OSError:
        return False


def main():
    root, name, watch = sys.argv[1], sys.argv[2], sys.argv[3]
    fd_text = sys.argv[4] if len(sys.argv) > 4 else None
    while running(watch):
        for pid, comm in tree(root):
            if comm == name and (fd_text is None or has_open(pid, fd_text)):
                print(pid)
                return 0
        time.sleep(0.002)
    return 1


if __name__ == '__main__':
    sys.exit(main())
