#!/usr/bin/env python3
"""Orrery's benchmark suite: every workload on each engine (timing off and
on) and on qemu-system-riscv64 (TCG), alternating, several runs each, and the
Catch2 micro-benchmarks. Writes the medians, ratios and the verdict on each
target (issue 7) between the generated-section markers of
docs/performance.md, with the machine it ran on.

Run through benchmarks/run, which installs and builds what this needs.
Usage: benchmarks/suite.py [--runs N] [--only NAME,...] [--no-linux]
                           [--no-micro] [--output FILE]
"""
import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build", "release")
ORRERY = os.path.join(BUILD, "platforms", "orrery")
GUEST = os.path.join(BUILD, "benchmarks", "guest")
MICRO = os.path.join(BUILD, "benchmarks", "orrery_bench")
CACHE = os.environ.get("ORRERY_CACHE", os.path.expanduser("~/.cache/orrery"))
FIRMWARE = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"
QEMU = "qemu-system-riscv64"
BEGIN = "<!-- BEGIN benchmarks/run: generated, do not edit by hand -->"
END = "<!-- END benchmarks/run -->"

# (name, category): the category decides which target a row counts for.
WORKLOADS = [
    ("intloop", "integer"),
    ("hash", "integer"),
    ("sort", "integer"),
    ("coremix", "integer"),
    ("stream", "memory"),
    ("chase", "memory"),
    ("fp", "floating point"),
    ("csr", "CSR/trap"),
    ("trap", "CSR/trap"),
    ("worldswitch", "CSR/trap"),
]
# Orrery configurations, then QEMU; the first is the default engine.
CONFIGS = [
    ("threaded", "none"),
    ("interp", "none"),
    ("threaded", "dual"),
    ("interp", "dual"),
]
INTEGER_MIPS_TARGET = 220
THREADED_OVER_INTERP_TARGET = 2.5
THREADED_OVER_QEMU_INTEGER_TARGET = 0.5
THREADED_OVER_QEMU_TRAP_TARGET = 3.0
TIMING_SLOWDOWN_TARGET = 3.0
RSS_SLACK_MIB = 64
LINUX_RAM_MIB = 256


def orrery_args(engine, timing):
    return [ORRERY, "--engine", engine, "--timing", timing]


def bare_args(elf):
    return ["-M", "virt", "-m", "128M", "-bios", "none", "-nographic", "-kernel", elf]


# No run of the suite takes this long; a guest that hangs fails the suite.
RUN_TIMEOUT_S = 300


def run_timed(cmd, until=None):
    """Run cmd to exit. Returns (seconds to exit, seconds to the first output
    line containing `until` or None, max RSS in KiB, output)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    watchdog = threading.Timer(RUN_TIMEOUT_S, proc.kill)
    watchdog.start()
    seen = None
    chunks = []
    try:
        for line in proc.stdout:
            if until is not None and seen is None and until in line:
                seen = time.perf_counter() - start
            chunks.append(line)
        # wait4, not wait: the child's own maximum RSS.
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        watchdog.cancel()
        proc.stdout.close()
        if proc.returncode is None:  # interrupted: leave no emulator behind
            proc.kill()
            proc.wait()
    elapsed = time.perf_counter() - start
    output = b"".join(chunks).decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{output[-2000:]}")
    return elapsed, seen, usage.ru_maxrss, output


def instructions(cmd):
    """Instructions retired, from Orrery's --stats."""
    _, _, _, out = run_timed(cmd + ["--stats"])
    m = re.search(r"^orrery: instructions retired: (\d+)", out, re.M)
    if not m:
        raise RuntimeError(f"no instruction count from {' '.join(cmd)}")
    return int(m.group(1))


def guest_output(out):
    """The guest's console, without Orrery's --stats lines."""
    return "".join(line for line in out.splitlines(True) if not line.startswith("orrery: "))


def bench_workload(name, runs, log):
    elf = os.path.join(GUEST, name + ".elf")
    insns = instructions(orrery_args("interp", "none") + bare_args(elf))
    times = {c: [] for c in CONFIGS + [("qemu", "")]}
    reference = None
    for _ in range(runs):
        for config in CONFIGS + [("qemu", "")]:
            cmd = [QEMU] if config[0] == "qemu" else orrery_args(*config)
            t, _, _, out = run_timed(cmd + bare_args(elf))
            times[config].append(t)
            # Same binary, same program: a different console means a
            # different run (or a bug), and the ratio would compare
            # different work.
            console = guest_output(out)
            reference = console if reference is None else reference
            if console != reference:
                raise RuntimeError(f"{name}: {'/'.join(config)} printed\n{console}\n--- not\n{reference}")
    med = {c: statistics.median(v) for c, v in times.items()}
    log(f"{name}: {insns} instructions; " + ", ".join(f"{c[0]}/{c[1] or '-'} {t:.2f}s" for c, t in med.items()))
    return {"name": name, "insns": insns, "median": med}


def bench_linux(runs, smp, log):
    kernel = os.path.join(CACHE, "linux", "Image")
    initrd = os.path.join(CACHE, "initramfs", "initramfs.cpio.gz")
    args = ["-M", "virt", "-m", f"{LINUX_RAM_MIB}M", "-smp", str(smp), "-bios", FIRMWARE, "-kernel", kernel,
            "-initrd", initrd, "-append", "console=ttyS0", "-nographic"]
    init = {c: [] for c in CONFIGS + [("qemu", "")]}
    rss = []
    for _ in range(runs):
        for engine, timing in CONFIGS:
            _, t, kib, _ = run_timed(orrery_args(engine, timing) + args, until=b"orrery-init: ")
            init[(engine, timing)].append(t)
            if (engine, timing) == CONFIGS[0]:
                rss.append(kib)
        _, t, _, _ = run_timed([QEMU] + args, until=b"orrery-init: ")
        init[("qemu", "")].append(t)
    if any(t is None for v in init.values() for t in v):
        raise RuntimeError("a Linux boot never reached init")
    med = {c: statistics.median(v) for c, v in init.items()}
    log(f"linux -smp {smp}: to init " + ", ".join(f"{c[0]}/{c[1] or '-'} {t:.2f}s" for c, t in med.items()))
    return {"name": f"Linux boot to init (-smp {smp})", "median": med, "rss_kib": max(rss)}


def bench_micro(log):
    """The Catch2 micro-benchmarks' mean times, in nanoseconds."""
    out = subprocess.run([MICRO, "-r", "xml", "--benchmark-samples", "20"], check=True, capture_output=True).stdout
    results = []
    for bench in ET.fromstring(out).iter("BenchmarkResults"):
        mean = bench.find("mean")
        results.append((bench.get("name"), float(mean.get("value"))))
    log(f"micro-benchmarks: {len(results)}")
    return results


def machine_description():
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kib = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    first = lambda cmd: subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0]
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return (f"{cpu}, {os.cpu_count()} cores, {mem_kib / 1048576:.0f} GiB RAM; {platform.system()} "
            f"{platform.release()}; {first(['c++', '--version'])}; {first([QEMU, '--version'])}; "
            f"Orrery {commit}{' (modified)' if dirty else ''}, release preset")


def fmt_s(t):
    return f"{t:.2f}"


def render(results, linux, micro, runs, startup):
    lines = []
    add = lines.append
    add(BEGIN)
    add("")
    add(f"Generated by `benchmarks/run` on {datetime.date.today().isoformat()}: {machine_description()}.")
    add(f"Medians of {runs} alternating runs of every configuration. Orrery's engines run with the "
        "timing model off (`--timing none`) and on (`--timing dual`); QEMU is Debian's "
        "`qemu-system-riscv64 -M virt` (TCG) on the same ELF; every run's console output must be the "
        "same. Instructions are Orrery's `--stats` count (the same program retires the same "
        "instructions on both). MIPS divide them by the wall time less each emulator's start-up "
        "(the median time of each configuration to run a program that exits at once: "
        + ", ".join(f"{'/'.join(c) if c[1] else c[0]} {t * 1000:.0f} ms" for c, t in startup.items())
        + "). Linux rows are raw times. QEMU runs `-smp 4` with its default multi-threaded TCG (one "
        "host thread per vCPU, on this machine's cores); Orrery runs every hart on one thread.")
    add("")
    add("| workload | category | instructions | threaded (s) | interp (s) | threaded+timing (s) | "
        "interp+timing (s) | QEMU (s) | threaded MIPS | interp MIPS | QEMU MIPS | threaded / interp | "
        "threaded / QEMU | timing cost threaded | timing cost interp |")
    add("|" + "---|" * 15)
    cat = dict(WORKLOADS)
    for r in results:
        m = r["median"]
        th, it = m[("threaded", "none")], m[("interp", "none")]
        tt, ti, q = m[("threaded", "dual")], m[("interp", "dual")], m[("qemu", "")]
        # Net of start-up: the time the configuration spent running the program.
        net = {c: max(m[c] - startup[c], 1e-3) for c in m}
        mips = lambda c: r["insns"] / net[c] / 1e6
        r["mips"] = {"threaded": mips(("threaded", "none")), "interp": mips(("interp", "none")),
                     "qemu": mips(("qemu", ""))}
        r["speed"] = {"threaded/interp": r["mips"]["threaded"] / r["mips"]["interp"],
                      "threaded/qemu": r["mips"]["threaded"] / r["mips"]["qemu"],
                      "timing threaded": net[("threaded", "dual")] / net[("threaded", "none")],
                      "timing interp": net[("interp", "dual")] / net[("interp", "none")]}
        s = r["speed"]
        add(f"| {r['name']} | {cat[r['name']]} | {r['insns']:,} | {fmt_s(th)} | {fmt_s(it)} | {fmt_s(tt)} | "
            f"{fmt_s(ti)} | {fmt_s(q)} | {r['mips']['threaded']:.0f} | {r['mips']['interp']:.0f} | "
            f"{r['mips']['qemu']:.0f} | {s['threaded/interp']:.2f}x | {s['threaded/qemu']:.2f}x | "
            f"{s['timing threaded']:.2f}x | {s['timing interp']:.2f}x |")
    for l in linux:
        m = l["median"]
        add(f"| {l['name']} | Linux | | {fmt_s(m[('threaded', 'none')])} | {fmt_s(m[('interp', 'none')])} | "
            f"{fmt_s(m[('threaded', 'dual')])} | {fmt_s(m[('interp', 'dual')])} | {fmt_s(m[('qemu', '')])} | | | | "
            f"{m[('interp', 'none')] / m[('threaded', 'none')]:.2f}x | "
            f"{m[('qemu', '')] / m[('threaded', 'none')]:.2f}x | "
            f"{m[('threaded', 'dual')] / m[('threaded', 'none')]:.2f}x | "
            f"{m[('interp', 'dual')] / m[('interp', 'none')]:.2f}x |")
    add("")
    add("Ratios are speeds (higher is faster for Orrery), except the timing costs, which are how many "
        "times longer a run takes with the model on. Linux rows time the boot from process start to "
        "the initramfs's first `orrery-init:` line (`-m 256M`, Debian's OpenSBI, the kernel from "
        "`tools/build-linux`).")
    add("")
    if micro:
        add("Micro-benchmarks (`build/release/benchmarks/orrery_bench`, Catch2, mean per call):")
        add("")
        add("| benchmark | mean |")
        add("|---|---|")
        for name, ns in micro:
            value = f"{ns / 1e6:.2f} ms" if ns >= 1e6 else f"{ns / 1e3:.2f} us" if ns >= 1e4 else f"{ns:.1f} ns"
            add(f"| {name} | {value} |")
        add("")
    add("Targets (issue 7), from this run:")
    add("")
    add("| target | measured | verdict |")
    add("|---|---|---|")

    def verdict(ok):
        return "met" if ok else "**not met**"

    def target(text, values, ok, unit):
        shown = ", ".join(f"{n} {v:.2f}{unit}" if unit == "x" else f"{n} {v:.0f}{unit}" for n, v in values)
        add(f"| {text} | {shown} | {verdict(ok)} |")

    integer = [r for r in results if cat[r["name"]] == "integer"]
    trap = [r for r in results if cat[r["name"]] == "CSR/trap"]
    if integer:
        v = [(r["name"], r["mips"]["interp"]) for r in integer]
        target(f"interpreter >= {INTEGER_MIPS_TARGET} MIPS on integer workloads", v,
               all(x >= INTEGER_MIPS_TARGET for _, x in v), " MIPS")
        v = [(r["name"], r["speed"]["threaded/interp"]) for r in integer]
        target(f"threaded >= {THREADED_OVER_INTERP_TARGET}x interpreter (integer)", v,
               all(x >= THREADED_OVER_INTERP_TARGET for _, x in v), "x")
        v = [(r["name"], r["speed"]["threaded/qemu"]) for r in integer]
        target(f"threaded >= {THREADED_OVER_QEMU_INTEGER_TARGET}x QEMU on integer loops", v,
               all(x >= THREADED_OVER_QEMU_INTEGER_TARGET for _, x in v), "x")
    if trap:
        v = [(r["name"], r["speed"]["threaded/qemu"]) for r in trap]
        target(f"threaded >= {THREADED_OVER_QEMU_TRAP_TARGET}x QEMU on CSR/trap loops", v,
               all(x >= THREADED_OVER_QEMU_TRAP_TARGET for _, x in v), "x")
    for l in linux:
        m = l["median"]
        speed = m[("qemu", "")] / m[("threaded", "none")]
        target(f"{l['name']}: threaded no slower than QEMU", [("speed vs QEMU", speed)], speed >= 1.0, "x")
    v = [(f"{r['name']} {e}", r["speed"][f"timing {e}"]) for r in results for e in ("threaded", "interp")]
    v += [(f"Linux {e}", l["median"][(e, "dual")] / l["median"][(e, "none")])
          for l in linux for e in ("threaded", "interp")]
    worst = max(v, key=lambda p: p[1]) if v else None
    if worst:
        target(f"timing model on <= {TIMING_SLOWDOWN_TARGET}x slower than off (worst case shown)", [worst],
               worst[1] <= TIMING_SLOWDOWN_TARGET, "x")
    for l in linux:
        mib = l["rss_kib"] / 1024
        limit = LINUX_RAM_MIB + RSS_SLACK_MIB
        add(f"| RSS <= guest RAM + {RSS_SLACK_MIB} MiB ({limit} MiB) for a {LINUX_RAM_MIB} MiB Linux guest, "
            f"{l['name'].split('(')[1].rstrip(')')} | {mib:.0f} MiB (max RSS, threaded) | {verdict(mib <= limit)} |")
    add("")
    add(END)
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=3, help="runs of every configuration (default 3)")
    p.add_argument("--only", help="comma-separated workloads (default: all)")
    p.add_argument("--no-linux", action="store_true", help="skip the Linux boots")
    p.add_argument("--no-micro", action="store_true", help="skip the Catch2 micro-benchmarks")
    p.add_argument("--output", default=os.path.join(ROOT, "docs", "performance.md"),
                   help="the document whose generated section is replaced (default docs/performance.md)")
    a = p.parse_args()
    if a.runs < 1:
        p.error("--runs must be at least 1")
    names = [n for n, _ in WORKLOADS]
    if a.only:
        unknown = [n for n in a.only.split(",") if n not in names]
        if unknown:
            p.error(f"unknown workload(s): {', '.join(unknown)} (known: {', '.join(names)})")
        names = a.only.split(",")
    with open(a.output) as f:
        doc = f.read()
    if doc.count(BEGIN) != 1 or doc.count(END) != 1:
        sys.exit(f"{a.output}: needs exactly one pair of generated-section markers")

    log = lambda s: print(f"suite: {s}", file=sys.stderr, flush=True)
    null = os.path.join(GUEST, "null.elf")
    startup = {c: statistics.median(run_timed(([QEMU] if c[0] == "qemu" else orrery_args(*c)) + bare_args(null))[0]
                                    for _ in range(5))
               for c in CONFIGS + [("qemu", "")]}
    results = [bench_workload(n, a.runs, log) for n in names]
    linux = [] if a.no_linux else [bench_linux(a.runs, smp, log) for smp in (1, 4)]
    micro = [] if a.no_micro else bench_micro(log)

    table = render(results, linux, micro, a.runs, startup)
    head, rest = doc.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    with tempfile.NamedTemporaryFile("w", dir=os.path.dirname(a.output), delete=False) as f:
        f.write(head + table + tail)
    os.chmod(f.name, os.stat(a.output).st_mode & 0o777)
    os.replace(f.name, a.output)
    log(f"wrote {a.output}")


if __name__ == "__main__":
    main()
