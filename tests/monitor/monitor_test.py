#!/usr/bin/env python3
"""The monitor on a terminal (issue 9, acceptance 3; docs/usage.md).

Runs orrery on a pseudo-terminal, so its console is interactive as a user's
is, with monitor_target.elf: a guest that runs in S-mode with Sv39 paging
(RAM identity-mapped and again at 0xffffffc000000000) and never exits. Ctrl-A C
opens the monitor and every command is checked against what the guest set
up; the guest must stand still while the monitor is open and run on after
`cont`; `savevm` writes a checkpoint that --load resumes; `quit` ends the run.

Usage: monitor_test.py ORRERY MONITOR_TARGET_ELF
"""
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time

orrery, elf = sys.argv[1], sys.argv[2]
failures = []


def check(name, ok, detail=""):
    print(("ok " if ok else "FAIL ") + name + ("" if ok or not detail else "\n    " + detail.replace("\n", "\n    ")))
    if not ok:
        failures.append(name)


class Terminal:
    """orrery on a pseudo-terminal, read expect-style."""

    def __init__(self, args):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execv(args[0], args)
        self.seen = b""

    def read_until(self, pattern, timeout=30):
        """Output up to and including the first match of pattern (bytes regex)."""
        deadline = time.time() + timeout
        while True:
            m = re.search(pattern, self.seen)
            if m:
                out, self.seen = self.seen[: m.end()], self.seen[m.end():]
                return out.decode(errors="replace")
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError(f"no {pattern!r} within {timeout} s; last output:\n"
                                   + self.seen[-600:].decode(errors="replace"))
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # the other end closed: the process ended
                    chunk = b""
                if not chunk:
                    raise TimeoutError(f"orrery ended before {pattern!r}; last output:\n"
                                       + self.seen[-600:].decode(errors="replace"))
                self.seen += chunk

    def send(self, data):
        os.write(self.fd, data)

    def command(self, line):
        """Type a monitor command; its output, without the echo and the next prompt."""
        self.send(line.encode() + b"\r")
        text = self.read_until(rb"\(orrery\) ")
        text = text.replace("\r\n", "\n")
        first_newline = text.find("\n")
        return text[first_newline + 1: text.rfind("(orrery) ")]

    def wait(self, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:  # drain, so orrery never blocks on a full terminal
                if select.select([self.fd], [], [], 0.1)[0]:
                    self.seen += os.read(self.fd, 4096)
            except OSError:
                pass
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, 9)
        return None


def retired(cpus_text):
    m = re.search(r"retired=(\d+)", cpus_text)
    return int(m.group(1)) if m else -1


tmp = tempfile.mkdtemp()
checkpoint = os.path.join(tmp, "monitor.ck")
term = Terminal([orrery, "-bios", "none", "-kernel", elf, "-nographic"])
try:
    boot = term.read_until(rb"monitor_target: ready")
    marker = int(re.search(r"marker at 0x([0-9a-f]+)", boot).group(1), 16)
    time.sleep(0.2)  # into its S-mode loop
    term.send(b"\x01c")
    banner = term.read_until(rb"\(orrery\) ")
    check("Ctrl-A C opens the monitor", "orrery monitor" in banner, banner)

    text = term.command("help")
    check("help lists the commands", all(c in text for c in ("info registers", "info mtree", "info mem", "x /NFU",
                                                             "xp /NFU", "stats", "savevm FILE", "quit")), text)
    text = term.command("info registers")
    check("info registers: pc in RAM, priv S, satp Sv39",
          re.search(r"\bpc\s+00000000800", text) and re.search(r"\bpriv\s+0+1\b", text)
          and re.search(r"\bsatp\s+8000000000", text), text)
    cpus = term.command("info cpus")
    check("info cpus: hart 0 selected, in S-mode", re.search(r"\* CPU #0: pc=0x00000000800[0-9a-f]+ priv=1", cpus), cpus)
    text = term.command("info mtree")
    check("info mtree: RAM, the boot ROM and the UART",
          "0000000080000000-0000000087ffffff (ram)" in text and "(rom)" in text and "serial (ns16550a)" in text, text)
    text = term.command("info mem")
    check("info mem: both 1 GiB mappings with their attributes",
          "satp mode Sv39" in text
          and "0000000080000000 0000000080000000 0000000040000000 rwx-gad" in text
          and "ffffffc000000000 0000000080000000 0000000040000000 rw---ad" in text, text)
    check("info tlb is info mem", term.command("info tlb") == text)
    text = term.command(f"xp/1xg 0x{marker:x}")
    check("xp: the marker at its physical address", f"{marker:016x}: 0x0123456789abcdef" in text, text)
    alias = marker - 0x80000000 + 0xffffffc000000000
    text = term.command(f"x/1xg 0x{alias:x}")
    check("x: the marker through the high mapping", f"{alias:016x}: 0x0123456789abcdef" in text, text)
    text = term.command(f"x /2xw 0x{marker:x}")
    check("x /2xw: two words, low first", "0x89abcdef 0x01234567" in text, text)
    text = term.command("x/1xg 0x40000000")
    check("x: an unmapped address cannot be read", "cannot access memory" in text, text)
    text = term.command("x/3i $pc")
    check("x/3i $pc: three instructions", len(re.findall(r"^[0-9a-f]{16}: \S+", text, re.M)) == 3, text)
    text = term.command("stats")
    check("stats: instructions so far", re.search(r"instructions retired: \d+", text), text)
    text = term.command(f"savevm {checkpoint}")
    check("savevm writes a checkpoint", "saved to" in text and os.path.getsize(checkpoint) > 0, text)
    saved_at = int(re.search(r"checkpoint after (\d+) instructions", text).group(1))
    text = term.command("frobnicate")
    check("an unknown command is named", "unknown command: 'frobnicate'" in text, text)
    time.sleep(0.3)
    check("the guest stands still while the monitor is open", retired(term.command("info cpus")) == retired(cpus))
    term.send(b"cont\r")
    time.sleep(0.5)
    term.send(b"\x01c")
    term.read_until(rb"\(orrery\) ")
    later = term.command("info cpus")
    check("cont resumes the guest", retired(later) > retired(cpus), later)
    term.send(b"quit\r")
    status = term.wait()
    check("quit ends the run with status 0", status == 0 and b"orrery: terminated" in term.seen,
          f"status {status}")
except TimeoutError as e:
    check("monitor session", False, str(e))
    os.kill(term.pid, 9)

# The checkpoint resumes where the monitor saved it (a batch run: no terminal).
if os.path.exists(checkpoint):
    run = subprocess.run([orrery, "-bios", "none", "-kernel", elf, "--load", checkpoint, "--max-insns",
                          str(saved_at + 100000), "--stats"], stdin=subprocess.DEVNULL, capture_output=True,
                         text=True, timeout=60)
    check("--load resumes the savevm checkpoint",
          run.returncode == 124 and f"after {saved_at} instructions" in run.stderr
          and f"stopped after {saved_at + 100000} instructions" in run.stderr, run.stderr)

print(f"monitor: {len(failures)} failed")
sys.exit(1 if failures else 0)
