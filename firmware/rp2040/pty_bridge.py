"""Pseudo-terminal for run.mjs (Node has no pty API): prints the slave's path, then
copies bytes master->stdout and stdin->master until stdin closes.

The bridge keeps its own slave descriptor open, so the terminal survives clients
(mpremote) coming and going.
"""
import os
import select
import sys
import tty


def main():
    master, slave = os.openpty()
    tty.setraw(slave)
    sys.stdout.buffer.write(os.ttyname(slave).encode() + b"\n")
    sys.stdout.buffer.flush()
    stdin, stdout = sys.stdin.fileno(), sys.stdout.fileno()
    while True:
        ready, _, _ = select.select([master, stdin], [], [])
        if master in ready:
            data = os.read(master, 4096)
            if data:
                os.write(stdout, data)
        if stdin in ready:
            data = os.read(stdin, 4096)
            if not data:
                return
            os.write(master, data)


if __name__ == "__main__":
    main()
