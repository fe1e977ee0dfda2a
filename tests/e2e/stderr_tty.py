#!/usr/bin/env python3
"""Runs a command with its stderr on a pseudo-terminal, as a user at a shell
sees it, and its stdout where this script's goes.

usage: stderr_tty.py FILE COMMAND [ARG...]
Writes what the command drew on the terminal to FILE, byte for byte, and
exits with the command's exit code."""
import os
import pty
import subprocess
import sys


def main():
    record, command = sys.argv[1], sys.argv[2:]
    controller, terminal = pty.openpty()
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stderr=terminal)
    os.close(terminal)
    drawn = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: every holder of the terminal's side has closed it
            break
        if not chunk:
            break
        drawn += chunk
    with open(record, "wb") as out:
        out.write(drawn)
    sys.exit(child.wait())


main()
