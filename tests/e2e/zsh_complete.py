#!/usr/bin/env python3
"""Types command lines into a real interactive zsh and prints what its
completion lists for each: the way a user sees it, through a terminal.

usage: zsh_complete.py FPATH_DIR LINE...
Prints, per LINE, a line "== LINE" and then zsh's listing, with terminal
escapes removed."""
import os
import pty
import re
import select
import struct
import sys
import termios
import fcntl
import tempfile
import time


def read_until_quiet(fd, quiet=0.6, limit=15.0):
    out = b""
    end = time.time() + limit
    while time.time() < end:
        ready, _, _ = select.select([fd], [], [], quiet)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    return out.decode(errors="replace")


def plain(text):
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    text = re.sub(r"\x1b[()][A-Za-z0-9]|\x1b[=>]", "", text)
    return text.replace("\r", "")


def main():
    fpath_dir, lines = sys.argv[1], sys.argv[2:]
    with tempfile.TemporaryDirectory() as home:
        pid, fd = pty.fork()
        if pid == 0:
            os.environ.update({"HOME": home, "TERM": "dumb", "LANG": "C.UTF-8"})
            os.execvp("zsh", ["zsh", "-f", "-i"])
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 500, 250, 0, 0))
        setup = (f"fpath=({fpath_dir} $fpath); autoload -Uz compinit; compinit -u -d {home}/zcompdump; "
                 "LISTMAX=100000; PS1='%% '; unsetopt zle_bracketed_paste 2>/dev/null\n")
        os.write(fd, setup.encode())
        read_until_quiet(fd)
        for line in lines:
            os.write(fd, (line + "\t").encode())
            listing = read_until_quiet(fd)
            print("== " + line)
            print(plain(listing))
            os.write(fd, b"\x15")  # kill the line for the next one
            read_until_quiet(fd, quiet=0.3)
        os.write(fd, b"exit\n")
        read_until_quiet(fd, quiet=0.3)
        os.waitpid(pid, 0)


main()
