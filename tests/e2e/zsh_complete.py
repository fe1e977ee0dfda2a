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


def read_chunk(fd, wait):
    """What the terminal wrote within `wait` seconds: None if nothing, b"" once closed."""
    ready, _, _ = select.select([fd], [], [], wait)
    if not ready:
        return None
    try:
        return os.read(fd, 65536)
    except OSError:  # EIO: zsh has exited
        return b""


def read_until_quiet(fd, quiet=0.3, limit=15.0):
    out = b""
    end = time.time() + limit
    while time.time() < end:
        chunk = read_chunk(fd, quiet)
        if not chunk:
            break
        out += chunk
    return out.decode(errors="replace")


def read_until(fd, done, limit=30.0):
    """Reads until done(text so far) holds, then until the terminal is quiet:
    a loaded machine can take seconds to start compinit or to list."""
    out = b""
    end = time.time() + limit
    while time.time() < end and not done(plain(out.decode(errors="replace"))):
        chunk = read_chunk(fd, 0.2)
        if chunk == b"":
            break
        out += chunk or b""
    return out.decode(errors="replace") + read_until_quiet(fd)


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
                 "LISTMAX=100000; PS1='%% '; unsetopt zle_bracketed_paste 2>/dev/null; "
                 "listed() { print -r -- listed-$((6*7)) >/dev/tty }; zle -N listed; bindkey '^Xl' listed; "
                 "print completion-ready-$((6*7))\n")
        os.write(fd, setup.encode())
        # Keys typed before zle has started are lost: wait for the marker
        # (its echo reads $((6*7)), not 42) and the prompt after it.
        read_until(fd, lambda text: re.search(r"completion-ready-42\n.*% ", text, re.S))
        for line in lines:
            # zle reads keys in order: the widget bound to ^Xl prints its
            # marker once the completion has been listed or inserted.
            os.write(fd, (line + "\t\x18l").encode())
            listing = read_until(fd, lambda text: "listed-42" in text)
            print("== " + line)
            print(plain(listing))
            os.write(fd, b"\x15")  # kill the line for the next one
            read_until_quiet(fd)
        os.write(fd, b"exit\n")
        read_until_quiet(fd)
        os.waitpid(pid, 0)


main()
