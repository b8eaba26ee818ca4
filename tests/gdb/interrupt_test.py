#!/usr/bin/env python3
"""Ctrl-C through the GDB stub: a raw remote-protocol client (gdb in batch
mode cannot press Ctrl-C) continues a guest that never stops, sends the
interrupt byte 0x03 and expects a stop reply, reads the pc twice to see the
guest stand still, continues again, interrupts again (the guest has moved
on), and kills the run.

Usage: interrupt_test.py ORRERY ELF PORT
"""
import re
import socket
import subprocess
import sys
import time

orrery, elf, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
proc = subprocess.Popen([orrery, "-bios", "none", "-kernel", elf, "-gdb", f"tcp::{port}", "-S"],
                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
failures = []


def check(name, ok, detail=""):
    print(("ok " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))
    if not ok:
        failures.append(name)


def connect():
    deadline = time.time() + 30
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=30)
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)


sock = connect()
buffer = b""


def send(payload):
    checksum = sum(payload.encode()) % 256
    sock.sendall(f"${payload}#{checksum:02x}".encode())


def reply():
    """The next packet's payload (acknowledging it)."""
    global buffer
    while True:
        m = re.search(rb"\$([^#]*)#[0-9a-f]{2}", buffer)
        if m:
            buffer = buffer[m.end():]
            sock.sendall(b"+")
            return m.group(1).decode()
        chunk = sock.recv(4096)
        if not chunk:
            raise EOFError("the stub closed the connection")
        buffer += chunk


def ask(payload):
    send(payload)
    return reply()


def pc():
    value = ask("p20")  # GDB's riscv register 32: pc, little-endian hex
    return int.from_bytes(bytes.fromhex(value), "little")


try:
    check("stopped at start (-S)", ask("?").startswith("T05"))
    send("c")
    time.sleep(0.5)
    sock.sendall(b"\x03")
    stop = reply()
    check("Ctrl-C stops the running guest", stop.startswith("T05thread:1;"), stop)
    first = pc()
    check("the guest stands still while stopped", pc() == first and first >= 0x80000000, hex(first))
    counter_before = ask("g")
    send("c")
    time.sleep(0.3)
    sock.sendall(b"\x03")
    stop = reply()
    check("a second Ctrl-C stops it again", stop.startswith("T05thread:1;"), stop)
    check("it ran in between", ask("g") != counter_before)
    send("k")
    proc.wait(timeout=30)
    check("kill ends the run", proc.returncode == 0, proc.stderr.read())
except (EOFError, OSError, subprocess.TimeoutExpired) as e:
    check("session", False, str(e))
    proc.kill()

print(f"interrupt: {len(failures)} failed")
sys.exit(1 if failures else 0)
