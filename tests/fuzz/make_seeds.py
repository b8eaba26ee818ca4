#!/usr/bin/env python3
"""Writes the fuzz harnesses' seed corpora into tests/fuzz/corpus/<harness>/.

Each seed is a well-formed input in the harness's format (see the comment at
the top of each <harness>_fuzz.cpp), so a fuzzing run starts from inputs that
reach deep: code running in M, S, U, VS with page tables; device set-up
sequences; valid virtqueue requests; real images; real command lines.

Usage: make_seeds.py [ORRERY_BUILD_DIR]
The build directory (default build/release) provides count.elf and the
device tree dumped by the orrery binary; without them those seeds are
skipped. Bodies of code are assembled with riscv64-linux-gnu-gcc.
"""
import os
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "..", "build", "release"))


def write(harness, name, data):
    # The exec and virtio harnesses read zeros past the input's end, which
    # is what their RAM holds anyway: trailing zeros need not be stored.
    if harness in ("exec", "virtio"):
        data = data.rstrip(b"\0")
    d = os.path.join(ROOT, "corpus", harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def assemble(source):
    """Raw bytes of RV64GC assembly, linked at 0x80001000 (the exec body)."""
    with tempfile.TemporaryDirectory() as tmp:
        s, elf, raw = (os.path.join(tmp, n) for n in ("a.S", "a.elf", "a.bin"))
        with open(s, "w") as f:
            f.write(source)
        subprocess.run(["riscv64-linux-gnu-gcc", "-march=rv64gc", "-mabi=lp64d", "-nostdlib", "-static",
                        "-Wl,-Ttext=0x80001000", "-Wl,--build-id=none", "-o", elf, s], check=True)
        subprocess.run(["riscv64-linux-gnu-objcopy", "-O", "binary", elf, raw], check=True)
        with open(raw, "rb") as f:
            return f.read()


# ---- exec: [harts][n][n x (u16 csr, u64 value)][body] ----
MSTATUS, SATP, VSATP, HGATP, MSTATEEN0, HSTATEEN0, MENVCFG, HENVCFG, MEDELEG, HEDELEG = (
    0x300, 0x180, 0x280, 0x680, 0x30C, 0x60C, 0x30A, 0x60A, 0x302, 0x602)
MPP_S, MPP_M, MPV = 1 << 11, 3 << 11, 1 << 39

CODE = """
    .globl _start
_start:
    li   a0, 0x80100000
    li   a1, 0x12345678
1:  sd   a1, 0(a0)
    lw   a2, 4(a0)
    amoadd.w a3, a1, (a0)
    lr.d a4, (a0)
    sc.d a5, a1, (a0)
    addi a0, a0, 8
    mul  a1, a1, a2
    csrr a6, cycle
    csrr a6, instret
    csrr a7, sstatus
    csrr a7, satp
    fence.i
    sfence.vma
    ecall
    ebreak
    c.addi a1, 3
    andi a0, a0, -64
    wfi
    bnez a1, 1b
    j    _start
"""


def exec_seed(writes, body, harts=0):
    data = bytes([harts, len(writes)])
    for csr, value in writes:
        data += struct.pack("<HQ", csr, value)
    return data + body


def page(entries):
    """A 4 KiB page-table page with {index: pte}."""
    p = bytearray(4096)
    for i, pte in entries.items():
        struct.pack_into("<Q", p, 8 * i, pte)
    return bytes(p)


def pad(code, pages):
    return code + bytes(4096 * pages - len(code))


def leaf(ppn, flags):
    return ppn << 10 | flags


BODY_PPN = 0x80001
V, R, W, X, U, A, D = 1, 2, 4, 8, 16, 64, 128


def exec_seeds():
    code = assemble(CODE)
    gig = leaf(0x80000, V | R | W | X | A | D)       # identity 1 GiB page over RAM
    gig_u = leaf(0x80000, V | R | W | X | U | A | D)  # the same for U-mode and G-stage
    write("exec", "m_mode", exec_seed([], code))
    write("exec", "m_mode_two_harts", exec_seed([], code, harts=1))
    # S-mode, Sv39: root at body page 1.
    sv39 = pad(code, 1) + page({2: gig})
    write("exec", "s_sv39", exec_seed([(MSTATUS, MPP_S), (SATP, 8 << 60 | 1)], sv39))
    # U-mode, Sv48: root at page 1 -> page 2 -> 1 GiB leaf.
    sv48 = pad(code, 1) + page({0: leaf(BODY_PPN + 2, V)}) + page({2: gig_u})
    write("exec", "u_sv48", exec_seed([(MSTATUS, 0), (SATP, 9 << 60 | 1)], sv48))
    # S-mode, Sv57 with SUM and MXR, and a megapage level.
    sv57 = pad(code, 1) + page({0: leaf(BODY_PPN + 2, V)}) + page({0: leaf(BODY_PPN + 3, V)}) + page({2: gig})
    write("exec", "s_sv57", exec_seed([(MSTATUS, MPP_S | 1 << 18 | 1 << 19), (SATP, 10 << 60 | 1)], sv57))
    # VS-mode on a G-stage (hgatp Sv39x4: the harness puts PPN 0's 16 KiB
    # root at body page 3), bare and then with an Sv39 VS-stage (vsatp root
    # at guest page body + 1).
    gstage = pad(code, 1) + page({2: gig}) + bytes(4096) + page({2: gig_u}) + bytes(4096 * 3)
    write("exec", "vs_gstage", exec_seed([(MSTATUS, MPP_S | MPV), (HGATP, 8 << 60)], gstage))
    write("exec", "vs_two_stage",
          exec_seed([(MSTATUS, MPP_S | MPV), (HGATP, 8 << 60), (VSATP, 8 << 60 | 1)], gstage))
    # VU-mode with hedeleg, Smstateen and envcfg bits set and cleared.
    write("exec", "vu_stateen",
          exec_seed([(MSTATUS, MPV), (HGATP, 8 << 60), (MSTATEEN0, 0xdc00000000000000),
                     (HSTATEEN0, 1 << 63 | 1 << 58), (MENVCFG, 0xf0), (HENVCFG, 0x80), (MEDELEG, 0xb1ff),
                     (HEDELEG, 0x100)], gstage))
    # Bits of the guest tests' code, when built.
    for name in ("rv64i_alu", "rv64a", "rvc", "priv_modes"):
        elf = os.path.join(BUILD, "tests", "guest", "riscv", name + ".elf")
        if os.path.exists(elf):
            with tempfile.NamedTemporaryFile() as raw:
                subprocess.run(["riscv64-linux-gnu-objcopy", "-O", "binary", "-j", ".text", elf, raw.name], check=True)
                write("exec", "guest_" + name, exec_seed([], raw.read()[:16384]))


# ---- mmio: [shape] then 14-byte ops (target, u32 offset, kind, u64 value) ----
MROM, TEST, RTC, CLINT, PLIC, APLIC_S, IMSIC_M, IMSIC_S, UART, SLOT0, SLOT6, SLOT7, DRAM = range(13)


def op(target, offset, size, value=0, write_=True, run=0):
    kind = {1: 0, 2: 1, 4: 2, 8: 3}[size] | (4 if write_ else 0) | run << 3
    return struct.pack("<BIBQ", target, offset, kind, value)


def mmio_seeds():
    uart = (op(UART, 3, 1, 0x80) + op(UART, 0, 1, 1) + op(UART, 1, 1, 0) + op(UART, 3, 1, 3) +
            op(UART, 2, 1, 7) + op(UART, 1, 1, 0x0f) + op(UART, 4, 1, 0x1b) + op(UART, 0, 1, 0x41) +
            op(UART, 5, 1, write_=False) + op(UART, 2, 1, write_=False, run=4) + op(UART, 7, 1, 0x5a) +
            op(UART, 0, 1, write_=False) + op(UART, 1, 4, 0xffffffff) + op(UART, 0xff, 8, 0))
    plic = (op(PLIC, 4 * 10, 4, 7) + op(PLIC, 0x2000, 4, 1 << 10) + op(PLIC, 0x2080, 4, 1 << 10) +
            op(PLIC, 0x200000, 4, 0) + op(UART, 1, 1, 2, run=2) + op(PLIC, 0x200004, 4, write_=False) +
            op(PLIC, 0x200004, 4, 10) + op(PLIC, 0x201004, 4, write_=False) + op(PLIC, 3, 2, 0xffff))
    clint = (op(CLINT, 0, 4, 1) + op(CLINT, 0x4000, 8, 0) + op(CLINT, 0xbff8, 8, write_=False, run=8) +
             op(CLINT, 0x4000, 4, 0xffffffff) + op(CLINT, 0x4004, 4, 0) + op(CLINT, 2, 2, 1) +
             op(CLINT, 0xbffc, 4, 5))
    rtc = (op(RTC, 0, 4, write_=False) + op(RTC, 4, 4, write_=False) + op(RTC, 0x8, 4, 0) + op(RTC, 0xc, 4, 0) +
           op(RTC, 0x10, 4, 1) + op(RTC, 0x1c, 4, 1, run=4) + op(RTC, 0x14, 4, 1) + op(RTC, 2, 2, 0))
    virtio = b"".join(op(SLOT7, off, 4, write_=False) for off in (0, 4, 8, 0xc, 0x10, 0x34, 0x70, 0xfc, 0x100)) + (
        op(SLOT7, 0x70, 4, 3) + op(SLOT7, 0x24, 4, 1) + op(SLOT7, 0x20, 4, 1) + op(SLOT7, 0x70, 4, 0xb) +
        op(SLOT7, 0x38, 4, 8) + op(SLOT7, 0x80, 4, 0x80100000) + op(SLOT7, 0x90, 4, 0x80100800) +
        op(SLOT7, 0xa0, 4, 0x80100c00) + op(SLOT7, 0x44, 4, 1) + op(SLOT7, 0x70, 4, 0xf) + op(SLOT7, 0x50, 4, 0) +
        op(SLOT6, 0x70, 4, 0xf) + op(SLOT6, 0x50, 4, 0) + op(SLOT0, 0, 4, write_=False) + op(SLOT7, 0x101, 1, 0))
    rom = op(MROM, 0, 4, 0x13) + op(MROM, 0, 4, write_=False) + op(DRAM, 0, 4, 0x0000006f)
    aia = (op(PLIC, 0, 4, 0x104) + op(PLIC, 4 * 10, 4, 0x400) + op(PLIC, 0x1bc0, 4, 0x28000) +
           op(APLIC_S, 0, 4, 0x104) + op(APLIC_S, 4 * 9, 4, 6) + op(APLIC_S, 0x3000 + 4 * 9, 4, 12) +
           op(APLIC_S, 0x1edc, 4, 10) + op(UART, 1, 1, 2, run=2) + op(IMSIC_M, 0, 4, 3) + op(IMSIC_S, 0, 4, 12) +
           op(IMSIC_S, 0x1000, 4, 5) + op(IMSIC_S, 2, 2, 1))
    write("mmio", "uart", b"\x00" + uart)
    write("mmio", "plic", b"\x00" + plic)
    write("mmio", "clint", b"\x10" + clint)
    write("mmio", "rtc", b"\x00" + rtc)
    write("mmio", "virtio", b"\x00" + virtio)
    write("mmio", "rom_and_ram", b"\x00" + rom)
    write("mmio", "aplic", b"\x01" + aia)
    write("mmio", "aplic_imsic", b"\x0e" + aia)
    write("mmio", "finisher", b"\x00" + uart[:28] + op(TEST, 0, 4, 0x5555))


# ---- virtio: [device][features lo, hi][queue size][avail/4][used/8][notifies][window] ----
WINDOW = 0x80100000
NEXT, WRITE_, INDIRECT = 1, 2, 4


def desc(addr, length, flags=0, nxt=0):
    return struct.pack("<QIHH", addr, length, flags, nxt)


def window(descs, heads, extra=None):
    w = bytearray(64 * 1024)
    for i, d in enumerate(descs):
        w[16 * i:16 * i + 16] = d
    struct.pack_into("<HH", w, 0x800, 0, len(heads))
    for i, h in enumerate(heads):
        struct.pack_into("<H", w, 0x804 + 2 * i, h)
    for offset, data in (extra or {}).items():
        w[offset:offset + len(data)] = data
    return bytes(w)


def virtio_seed(device, descs, heads, extra=None, features_lo=0, notifies=0):
    header = struct.pack("<BIIHHHB", device, features_lo, 1, 8, 0x800 // 4, 0xc00 // 8, notifies)
    return header + window(descs, heads, extra)


def blk_request(kind, sector, data_len, data_write):
    hdr = struct.pack("<IIQ", kind, 0, sector)
    descs = [desc(WINDOW + 0x1000, 16, NEXT, 1)]
    if data_len:
        descs.append(desc(WINDOW + 0x2000, data_len, NEXT | (WRITE_ if data_write else 0), 2))
    descs.append(desc(WINDOW + 0x3000, 1, WRITE_))
    return descs, {0x1000: hdr, 0x2000: bytes(range(256)) * 2}


def virtio_seeds():
    for name, kind, length, wr in (("blk_read", 0, 512, True), ("blk_write", 1, 1024, False),
                                   ("blk_flush", 4, 0, False), ("blk_get_id", 8, 20, True)):
        descs, extra = blk_request(kind, 3, length, wr)
        write("virtio", name, virtio_seed(1, descs, [0], extra))
        write("virtio", name + "_readonly", virtio_seed(3, descs, [0], extra))
    # Indirect: descriptor 0 points at a table of three in the window.
    table = desc(WINDOW + 0x1000, 16, NEXT, 1) + desc(WINDOW + 0x2000, 512, NEXT | WRITE_, 2) + \
        desc(WINDOW + 0x3000, 1, WRITE_)
    write("virtio", "blk_indirect",
          virtio_seed(1, [desc(WINDOW + 0x4000, 48, INDIRECT)], [0],
                      {0x1000: struct.pack("<IIQ", 0, 0, 1), 0x4000: table}, features_lo=1 << 28))
    # Event index, two requests in one notify.
    descs, extra = blk_request(0, 0, 512, True)
    write("virtio", "blk_event_idx", virtio_seed(1, descs, [0, 0], extra, features_lo=1 << 29, notifies=2))
    # Hostile chains: a loop, a buffer outside RAM, one across 2^64, MMIO.
    write("virtio", "blk_loop", virtio_seed(1, [desc(WINDOW + 0x1000, 16, NEXT, 1), desc(WINDOW, 16, NEXT, 0)], [0]))
    write("virtio", "blk_outside_ram",
          virtio_seed(1, [desc(WINDOW + 0x1000, 16, NEXT, 1), desc(0x4000_0000, 512, NEXT | WRITE_, 2),
                          desc(0xffff_ffff_ffff_fff0, 32, WRITE_)], [0]))
    write("virtio", "blk_into_mmio",
          virtio_seed(1, [desc(WINDOW + 0x1000, 16, NEXT, 1), desc(0x1000_0000, 512, NEXT | WRITE_, 2),
                          desc(WINDOW + 0x3000, 1, WRITE_)], [0], {0x1000: struct.pack("<IIQ", 0, 0, 0)}))
    write("virtio", "rng", virtio_seed(0, [desc(WINDOW + 0x2000, 256, WRITE_)], [0], notifies=1))
    write("virtio", "rng_big", virtio_seed(0, [desc(WINDOW, 0xffff_ffff, WRITE_)], [0]))


# ---- loader: [what] then the file ----
def loader_seeds():
    count = os.path.join(BUILD, "tests", "guest", "riscv", "count.elf")
    if os.path.exists(count):
        with open(count, "rb") as f:
            elf = f.read()
        write("loader", "kernel_elf", b"\x00" + elf)
        write("loader", "bios_elf", b"\x01" + elf)
        write("loader", "kernel_elf_small_ram", b"\x10" + elf)
    code = assemble(CODE)
    write("loader", "kernel_raw", b"\x00" + code)
    # A Linux Image: the RISC-V boot image header (Documentation/riscv/boot-image-header.rst):
    # code0/1, text_offset, image_size, flags, version 0.2, magic "RISCV\0\0\0", magic2 "RSC\x05".
    image = struct.pack("<IIQQQIIQ8s4sI", 0x0000006f, 0, 0x200000, 0x1000, 0, 2, 0, 0, b"RISCV\0\0\0", b"RSC\x05", 0)
    write("loader", "kernel_image", b"\x20" + image + bytes(4096 - len(image)))
    write("loader", "initrd", b"\x02" + b"070701" + bytes(256))
    write("loader", "initrd_too_big", b"\x12" + bytes(600 * 1024))  # past the end of 1 MiB of RAM
    orrery = os.path.join(BUILD, "platforms", "orrery")
    if os.path.exists(orrery) and os.path.exists(count):
        with tempfile.TemporaryDirectory() as tmp:
            dtb = os.path.join(tmp, "virt.dtb")
            subprocess.run([orrery, "-bios", "none", "-kernel", count, "-append", "console=ttyS0",
                            "--dump-dtb", dtb], check=True, capture_output=True)
            with open(dtb, "rb") as f:
                write("loader", "dtb", b"\x23" + f.read())


# ---- cli: argv[1..] separated by NUL ----
def cli_seeds():
    lines = [
        ["-M", "virt", "-m", "256M", "-smp", "4", "-bios", "none", "-kernel", "k.elf", "-nographic"],
        ["-M", "virt,aia=aplic-imsic,aia-guests=3", "-cpu", "rv64,h=off", "-kernel", "Image", "-initrd", "rd.cpio",
         "-append", "console=ttyS0 root=/dev/vda"],
        ["-drive", "file=disk.img,format=raw,if=virtio,readonly=on,serial=abc", "-device", "virtio-rng-device"],
        ["--engine", "interp", "--timing", "dual", "--stats", "--stats-json", "s.json", "--max-insns", "1000"],
        ["--lockstep", "-rtc", "base=2020-02-29T12:00:00,clock=vm", "-dtb", "virt.dtb", "--dump-dtb", "out.dtb"],
        ["-m", "1G", "-smp", "cpus=2", "--trace", "t.log", "-M", "virt,dumpdtb=x.dtb"],
        ["--help"],
        ["--version"],
    ]
    for i, argv in enumerate(lines):
        write("cli", f"line{i}", b"\0".join(a.encode() for a in argv))


if __name__ == "__main__":
    exec_seeds()
    mmio_seeds()
    virtio_seeds()
    loader_seeds()
    cli_seeds()
