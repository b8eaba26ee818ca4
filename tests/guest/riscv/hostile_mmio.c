/*
 * hostile_mmio: a guest that hammers the edges of the physical address map.
 * Every device on QEMU's `virt` map is accessed with loads and stores of 1, 2,
 * 4 and 8 bytes (integer, FP and compressed forms), aligned and misaligned;
 * the boot ROM is written to; AMOs and LR/SC are aimed at MMIO and ROM;
 * unmapped holes, the end of RAM and the top of the 64-bit address space are
 * loaded from, stored to and jumped to; and code is fetched from devices.
 *
 * What must hold everywhere: each access either completes or raises the
 * architected exception (privileged spec 1.12, 3.7 "Physical Memory
 * Attributes": an access a region does not support is an access fault;
 * 3.1.16: mtval = the faulting address, rd not written), execution resumes
 * after it, and the machine keeps working (the console prints, the timer
 * fires).
 *
 * QEMU 7.2 and Orrery model several regions differently; where both answers
 * are architecturally allowed the check accepts either, and says so in its
 * name (README.md, "QEMU 7.2 behaviour", lists them):
 *   - QEMU ignores stores to the ROM; Orrery raises a store access fault.
 *     Either way the ROM keeps its content (checked).
 *   - QEMU splits a misaligned MMIO load into the two aligned loads around
 *     it and a misaligned MMIO store into byte stores; Orrery refuses any
 *     misaligned MMIO access with an access fault (mtval: Orrery gives the
 *     address, QEMU the aligned part that failed).  Misaligned stores are
 *     aimed only where QEMU's byte stores fault on the first byte, so they
 *     cannot rewrite neighbouring registers.
 *   - Widths a device does not implement: both fault on the CLINT's and
 *     PLIC's 1/2-byte and the PLIC's 8-byte registers and on the RTC's 1/2-
 *     byte ones; QEMU also faults on 8-byte MSIP and on 1/8-byte finisher
 *     accesses (Orrery completes them: MSIP pairs, finisher reads 0 and
 *     ignores the store) and splits 8-byte RTC accesses (Orrery faults).
 *   - Region sizes: QEMU's UART is 8 bytes, its RTC 0x24, its CLINT timer
 *     ends at 0x200_c000; Orrery maps 0x100, 0x1000 and 0x1_0000 (reading
 *     zero).  QEMU maps all eight virtio-mmio transports; Orrery only the
 *     slots holding a device.
 *   - AMOs and LR/SC on MMIO or ROM: Orrery raises an access fault (the
 *     regions do not support atomics, as a PMA); QEMU without MTTCG performs
 *     them as a plain load and store.
 *   - Fetching from a device: Orrery raises an instruction access fault
 *     (MMIO is not executable); QEMU 7.2 executes whatever the device
 *     returns from a read for some devices (the finisher, virtio: usually an
 *     illegal instruction).  It livelocks fetching from the UART, so the UART
 *     is not jumped to, and aborts on an instruction straddling the end of
 *     RAM, so that is left to tests/unit/riscv/traps_test.cpp.
 *   - The end of RAM: a misaligned store straddling it faults on its second
 *     part on both; QEMU has already written the first part, Orrery writes
 *     nothing (the spec allows either).
 */
#include "guest.h"
#include "asm_helpers.h"

#define ROM_BASE        0x1000UL
#define ROM_END         0x10000UL       /* mrom is 0xf000 bytes on both */
#define TEST_BASE       FINISHER_BASE
#define RTC_BASE        0x101000UL
#define RTC_TIME_LOW    0x00
#define RTC_TIME_HIGH   0x04
#define RTC_ALARM_STATUS 0x18
#define RTC_CLEAR_INTERRUPT 0x1c
#define CLINT_BASE      0x2000000UL
#define CLINT_MTIMECMP0 (CLINT_BASE + 0x4000)
#define CLINT_MTIME     (CLINT_BASE + 0xbff8)
#define PLIC_BASE       0xc000000UL
#define PLIC_PRIO(s)    (PLIC_BASE + 4UL * (s))
#define PLIC_PENDING    (PLIC_BASE + 0x1000)
#define PLIC_CLAIM0     (PLIC_BASE + 0x200004)
#define UART_MCR        4
#define UART_LSR_OFF    5
#define UART_SCR        7
#define VIRTIO_SLOT0    0x10001000UL
#define VIRTIO_MAGIC    0x74726976UL    /* "virt" */
#define RAM_END         0x88000000UL    /* -m 128M */
#define MIP_MTIP        (1UL << 7)

#define POISON          0x5ca1ab1e0ddba11UL

/* ------------------------------------------------------------ accesses -- */

/* One access and what became of it. */
struct acc {
    int trapped;
    uint64_t cause, epc, tval;
    uint64_t pc;        /* address of the accessing instruction */
    uint64_t val;       /* loaded value, or POISON if rd was not written */
};

static struct acc finish(uint64_t pc, uint64_t val)
{
    struct acc r;
    r.trapped = trap_disarm();
    r.cause = g_trap.cause;
    r.epc = g_trap.epc;
    r.tval = g_trap.tval;
    r.pc = pc;
    r.val = val;
    return r;
}

/* Zero-extending integer loads of 1/2/4/8 bytes. */
static struct acc load(uint64_t a, int w)
{
    uint64_t v = POISON, pc;
    trap_arm();
    switch (w) {
    case 1: __asm__ __volatile__(NORVC("lla %0, 1f\n1:\tlbu %1, 0(%2)") : "=&r"(pc), "+r"(v) : "r"(a) : "memory"); break;
    case 2: __asm__ __volatile__(NORVC("lla %0, 1f\n1:\tlhu %1, 0(%2)") : "=&r"(pc), "+r"(v) : "r"(a) : "memory"); break;
    case 4: __asm__ __volatile__(NORVC("lla %0, 1f\n1:\tlwu %1, 0(%2)") : "=&r"(pc), "+r"(v) : "r"(a) : "memory"); break;
    default: __asm__ __volatile__(NORVC("lla %0, 1f\n1:\tld %1, 0(%2)") : "=&r"(pc), "+r"(v) : "r"(a) : "memory"); break;
    }
    return finish(pc, v);
}

static struct acc store(uint64_t a, int w, uint64_t v)
{
    uint64_t pc;
    trap_arm();
    switch (w) {
    case 1: __asm__ __volatile__(NORVC("lla %0, 1f\n1:\tsb %1, 0(%2)") : "=&r"(pc) : "r"(v), "r"(a) : "memory"); break;
    case 2: __asm__ __volatile__(NORVC("lla %0, 1f\n1:\tsh %1, 0(%2)") : "=&r"(pc) : "r"(v), "r"(a) : "memory"); break;
    case 4: __asm__ __volatile__(NORVC("lla %0, 1f\n1:\tsw %1, 0(%2)") : "=&r"(pc) : "r"(v), "r"(a) : "memory"); break;
    default: __asm__ __volatile__(NORVC("lla %0, 1f\n1:\tsd %1, 0(%2)") : "=&r"(pc) : "r"(v), "r"(a) : "memory"); break;
    }
    return finish(pc, POISON);     /* stores have no rd: val stays POISON */
}

/* FP: the bits of a double / a NaN-boxed single move as they are. */
static struct acc load_fp(uint64_t a, int w)
{
    uint64_t v = POISON, pc;
    trap_arm();
    if (w == 4)
        __asm__ __volatile__(NORVC("fmv.d.x ft0, %1\n\tlla %0, 1f\n1:\tflw ft0, 0(%2)\n\tfmv.x.d %1, ft0")
                             : "=&r"(pc), "+r"(v) : "r"(a) : "memory", "ft0");
    else
        __asm__ __volatile__(NORVC("fmv.d.x ft0, %1\n\tlla %0, 1f\n1:\tfld ft0, 0(%2)\n\tfmv.x.d %1, ft0")
                             : "=&r"(pc), "+r"(v) : "r"(a) : "memory", "ft0");
    return finish(pc, v);
}

static struct acc store_fp(uint64_t a, int w, uint64_t v)
{
    uint64_t pc;
    trap_arm();
    if (w == 4)
        __asm__ __volatile__(NORVC("fmv.d.x ft0, %1\n\tlla %0, 1f\n1:\tfsw ft0, 0(%2)")
                             : "=&r"(pc) : "r"(v), "r"(a) : "memory", "ft0");
    else
        __asm__ __volatile__(NORVC("fmv.d.x ft0, %1\n\tlla %0, 1f\n1:\tfsd ft0, 0(%2)")
                             : "=&r"(pc) : "r"(v), "r"(a) : "memory", "ft0");
    return finish(pc, POISON);
}

/* C.LW / C.SW (the compressed forms take a different decode path). */
static struct acc load_c(uint64_t a)
{
    uint64_t v = POISON, pc;
    trap_arm();
    __asm__ __volatile__(".option push\n\t.option rvc\n\tmv a5, %2\n\tmv a4, %1\n\tlla %0, 1f\n"
                         "1:\tc.lw a4, 0(a5)\n\tmv %1, a4\n\t.option pop"
                         : "=&r"(pc), "+r"(v) : "r"(a) : "a4", "a5", "memory");
    return finish(pc, v);
}

/* AMO / LR / SC: rd keeps POISON when the instruction traps. */
#define ATOMIC(insn, a, src) ({ uint64_t _v = POISON, _pc; trap_arm(); \
    __asm__ __volatile__(NORVC("lla %0, 1f\n1:\t" insn " %1, %3, (%2)") \
                         : "=&r"(_pc), "+&r"(_v) : "r"(a), "r"((uint64_t)(src)) : "memory"); \
    finish(_pc, _v); })
#define LOAD_RESERVED(insn, a) ({ uint64_t _v = POISON, _pc; trap_arm(); \
    __asm__ __volatile__(NORVC("lla %0, 1f\n1:\t" insn " %1, (%2)") \
                         : "=&r"(_pc), "+&r"(_v) : "r"(a) : "memory"); \
    finish(_pc, _v); })

/* Jump to `target` (trap_catch: the fetch fault abandons the call). */
static struct acc fetch(uint64_t target)
{
    struct acc r;
    r.trapped = trap_catch((void (*)(unsigned long))target, 0) == 1;
    r.cause = g_trap.cause;
    r.epc = g_trap.epc;
    r.tval = g_trap.tval;
    r.pc = target;
    r.val = 0;
    return r;
}

/* ------------------------------------------------------------- verdicts -- */

static void explain(const struct acc *r)
{
    if (r->trapped)
        printf("  (trapped: mcause %lu mepc 0x%lx (insn at 0x%lx) mtval 0x%lx)\n",
               r->cause, r->epc, r->pc, r->tval);
    else
        printf("  (no trap; value 0x%lx)\n", r->val);
}

static int verdict(const char *name, const struct acc *r, int ok)
{
    if (!ok)
        explain(r);
    return check_true(name, ok);
}

/* The architected fault: cause, mepc = the instruction, mtval in
 * [tval_lo, tval_hi], rd not written. */
static int is_fault(const struct acc *r, uint64_t cause, uint64_t tval_lo, uint64_t tval_hi)
{
    return r->trapped && r->cause == cause && r->epc == r->pc &&
           r->tval >= tval_lo && r->tval <= tval_hi && r->val == POISON;
}

static void want_value(const char *name, struct acc r, uint64_t want)
{
    verdict(name, &r, !r.trapped && r.val == want);
}

static void want_no_trap(const char *name, struct acc r)
{
    verdict(name, &r, !r.trapped);
}

static void want_fault(const char *name, struct acc r, uint64_t cause, uint64_t addr)
{
    verdict(name, &r, is_fault(&r, cause, addr, addr));
}

/* Both emulators fault, but the reported address may be the access's own
 * (Orrery, the spec) or the aligned part QEMU split it into. */
static void want_fault_in(const char *name, struct acc r, uint64_t cause, uint64_t lo, uint64_t hi)
{
    verdict(name, &r, is_fault(&r, cause, lo, hi));
}

/* Either the access faults at its address, or it completes (returning
 * `want` unless any_value). */
static void want_fault_or_value(const char *name, struct acc r, uint64_t cause, uint64_t addr,
                                int any_value, uint64_t want)
{
    verdict(name, &r, is_fault(&r, cause, addr & ~7UL, addr) ||
                      (!r.trapped && (any_value || r.val == want)));
}

/* ------------------------------------------------------------- the ROM -- */

static uint64_t rom_snapshot[16];

static void rom_save(void)
{
    for (int i = 0; i < 16; i++)
        rom_snapshot[i] = *(volatile uint64_t *)(ROM_BASE + 8 * i);
}

static int rom_intact(void)
{
    for (int i = 0; i < 16; i++)
        if (*(volatile uint64_t *)(ROM_BASE + 8 * i) != rom_snapshot[i])
            return 0;
    return 1;
}

static void test_rom(void)
{
    rom_save();
    /* The reset vector both machines build: auipc t0, 0; addi a2, t0, 40;
     * csrr a0, mhartid; ...; then the entry (this program) at 0x1018. */
    uint64_t d0 = rom_snapshot[0], d1 = rom_snapshot[1];
    EXPECT_EQ("rom: ld 0x1000 = auipc t0,0; addi a2,t0,40", d0, 0x0282861300000297UL);
    EXPECT_EQ("rom: ld 0x1018 = the entry point", *(volatile uint64_t *)(ROM_BASE + 0x18), 0x80000000UL);
    want_value("rom: lbu 0x1000", load(ROM_BASE, 1), d0 & 0xff);
    want_value("rom: lhu 0x1000", load(ROM_BASE, 2), d0 & 0xffff);
    want_value("rom: lwu 0x1004", load(ROM_BASE + 4, 4), d0 >> 32);
    /* ROM is memory: misaligned reads complete, in the ROM and across words */
    want_value("rom: misaligned ld 0x1003", load(ROM_BASE + 3, 8), (d0 >> 24) | (d1 << 40));
    want_value("rom: misaligned lwu 0x1006", load(ROM_BASE + 6, 4), ((d0 >> 48) | (d1 << 16)) & 0xffffffffUL);
    want_value("rom: misaligned lhu 0x1007", load(ROM_BASE + 7, 2), ((d0 >> 56) | (d1 << 8)) & 0xffff);
    want_value("rom: fld 0x1000", load_fp(ROM_BASE, 8), d0);
    want_value("rom: c.lw 0x1000", load_c(ROM_BASE), (uint64_t)(int64_t)(int32_t)d0);

    /* Stores: a store access fault (Orrery) or silently dropped (QEMU 7.2). */
    static const int widths[4] = {1, 2, 4, 8};
    static const char *const store_names[4] = {
        "rom: sb 0x1000 faults (cause 7) or is ignored (QEMU 7.2)",
        "rom: sh 0x1000 faults (cause 7) or is ignored (QEMU 7.2)",
        "rom: sw 0x1000 faults (cause 7) or is ignored (QEMU 7.2)",
        "rom: sd 0x1000 faults (cause 7) or is ignored (QEMU 7.2)",
    };
    for (int i = 0; i < 4; i++) {
        struct acc r = store(ROM_BASE, widths[i], 0x1111111111111111UL);
        verdict(store_names[i], &r, is_fault(&r, CAUSE_STORE_ACCESS, ROM_BASE, ROM_BASE) || !r.trapped);
    }
    struct acc r = store(ROM_BASE + 0x1a, 4, 0);   /* misaligned, over the entry point */
    verdict("rom: misaligned sw 0x101a faults (cause 7) or is ignored (QEMU 7.2)", &r,
            is_fault(&r, CAUSE_STORE_ACCESS, ROM_BASE + 0x18, ROM_BASE + 0x1a) || !r.trapped);
    r = store_fp(ROM_BASE + 0x20, 8, 0);            /* over the device-tree address */
    verdict("rom: fsd 0x1020 faults (cause 7) or is ignored (QEMU 7.2)", &r,
            is_fault(&r, CAUSE_STORE_ACCESS, ROM_BASE + 0x20, ROM_BASE + 0x20) || !r.trapped);
    r = store(ROM_END - 4, 8, 0);                   /* the last word and the hole after it */
    verdict("rom: sd straddling the end of the ROM faults (cause 7)", &r,
            is_fault(&r, CAUSE_STORE_ACCESS, ROM_END - 8, ROM_END));
    CHECK("rom: contents unchanged after the stores", rom_intact());

    /* Atomics: an access fault (Orrery: no atomics on ROM) or, on QEMU 7.2,
     * a plain load and a dropped store. */
    r = ATOMIC("amoswap.w", ROM_BASE, 0);
    verdict("rom: amoswap.w faults (cause 7) or returns the old word (QEMU 7.2)", &r,
            is_fault(&r, CAUSE_STORE_ACCESS, ROM_BASE, ROM_BASE) ||
            (!r.trapped && r.val == (uint64_t)(int64_t)(int32_t)d0));
    r = ATOMIC("amoadd.d", ROM_BASE, 1);
    verdict("rom: amoadd.d faults (cause 7) or returns the old dword (QEMU 7.2)", &r,
            is_fault(&r, CAUSE_STORE_ACCESS, ROM_BASE, ROM_BASE) || (!r.trapped && r.val == d0));
    r = LOAD_RESERVED("lr.d", ROM_BASE);
    verdict("rom: lr.d faults (cause 5) or loads (QEMU 7.2)", &r,
            is_fault(&r, CAUSE_LOAD_ACCESS, ROM_BASE, ROM_BASE) || (!r.trapped && r.val == d0));
    r = ATOMIC("sc.d", ROM_BASE, 0);
    verdict("rom: sc.d faults (cause 7) or completes with the store dropped (QEMU 7.2)", &r,
            is_fault(&r, CAUSE_STORE_ACCESS, ROM_BASE, ROM_BASE) || (!r.trapped && r.val <= 1));
    CHECK("rom: contents unchanged after the atomics", rom_intact());

    /* Fetching from the ROM's zero-filled tail: the halfword 0x0000 is an
     * illegal instruction (mtval = its bits, 0) on both machines. */
    r = fetch(ROM_END - 2);
    verdict("rom: jump to its zero tail: illegal instruction at 0xfffe", &r,
            r.trapped && r.cause == CAUSE_ILLEGAL_INSN && r.epc == ROM_END - 2 && r.tval == 0);
}

/* --------------------------------------------------- the SiFive finisher -- */

static void test_finisher(void)
{
    /* 32-bit (and 16-bit) accesses are the device's; only a write of a
     * status code at offset 0 acts, so zeros and other offsets are safe. */
    want_value("finisher: lw reads 0", load(TEST_BASE, 4), 0);
    want_value("finisher: lhu reads 0", load(TEST_BASE, 2), 0);
    want_fault_or_value("finisher: lbu faults (QEMU 7.2) or reads 0", load(TEST_BASE, 1),
                        CAUSE_LOAD_ACCESS, TEST_BASE, 0, 0);
    want_fault_or_value("finisher: ld faults (QEMU 7.2) or reads 0", load(TEST_BASE, 8),
                        CAUSE_LOAD_ACCESS, TEST_BASE, 0, 0);
    want_no_trap("finisher: sw of 0 (no command) is ignored", store(TEST_BASE, 4, 0));
    want_no_trap("finisher: sw of 0x5555 at offset 4 is ignored", store(TEST_BASE + 4, 4, FINISHER_PASS));
    want_no_trap("finisher: sh of 0 is ignored", store(TEST_BASE, 2, 0));
    want_fault_or_value("finisher: sb faults (QEMU 7.2) or is ignored", store(TEST_BASE, 1, 0),
                        CAUSE_STORE_ACCESS, TEST_BASE, 1, 0);
    want_fault_or_value("finisher: sd of 0 faults (QEMU 7.2) or is ignored", store(TEST_BASE, 8, 0),
                        CAUSE_STORE_ACCESS, TEST_BASE, 1, 0);
}

/* ----------------------------------------------------------- the RTC ----- */

static void test_rtc(void)
{
    struct acc lo = load(RTC_BASE + RTC_TIME_LOW, 4);     /* latches TIME_HIGH */
    struct acc hi = load(RTC_BASE + RTC_TIME_HIGH, 4);
    want_no_trap("rtc: lw TIME_LOW", lo);
    want_no_trap("rtc: lw TIME_HIGH", hi);
    CHECK("rtc: the time is past 1970 + 4.3 s (TIME_HIGH != 0)", hi.val != 0 && hi.val != POISON);
    want_fault("rtc: lbu faults (cause 5)", load(RTC_BASE, 1), CAUSE_LOAD_ACCESS, RTC_BASE);
    want_fault("rtc: lhu faults (cause 5)", load(RTC_BASE + RTC_TIME_HIGH, 2), CAUSE_LOAD_ACCESS,
               RTC_BASE + RTC_TIME_HIGH);
    want_fault("rtc: sb faults (cause 7)", store(RTC_BASE + RTC_CLEAR_INTERRUPT, 1, 1), CAUSE_STORE_ACCESS,
               RTC_BASE + RTC_CLEAR_INTERRUPT);
    want_fault("rtc: sh faults (cause 7)", store(RTC_BASE + RTC_CLEAR_INTERRUPT, 2, 1), CAUSE_STORE_ACCESS,
               RTC_BASE + RTC_CLEAR_INTERRUPT);
    want_no_trap("rtc: sw CLEAR_INTERRUPT", store(RTC_BASE + RTC_CLEAR_INTERRUPT, 4, 1));
    want_fault_or_value("rtc: ld faults or reads the time (QEMU 7.2 splits it)", load(RTC_BASE, 8),
                        CAUSE_LOAD_ACCESS, RTC_BASE, 1, 0);
    want_fault_or_value("rtc: sd faults or is split (QEMU 7.2)", store(RTC_BASE + RTC_ALARM_STATUS, 8, 1),
                        CAUSE_STORE_ACCESS, RTC_BASE + RTC_ALARM_STATUS, 1, 0);
    want_fault_or_value("rtc: misaligned lw faults or is split (QEMU 7.2)", load(RTC_BASE + 2, 4),
                        CAUSE_LOAD_ACCESS, RTC_BASE + 2, 1, 0);
    want_fault("rtc: misaligned sw faults (cause 7)", store(RTC_BASE + 2, 4, 0), CAUSE_STORE_ACCESS,
               RTC_BASE + 2);
    want_fault_or_value("rtc: offset 0x100 faults (QEMU 7.2: past its 0x24 bytes) or reads 0",
                        load(RTC_BASE + 0x100, 4), CAUSE_LOAD_ACCESS, RTC_BASE + 0x100, 0, 0);
}

/* ---------------------------------------------------------- the CLINT ---- */

static void test_clint(void)
{
    want_no_trap("clint: sw MSIP0 = 1", store(CLINT_BASE, 4, 1));   /* mie.MSIE = 0: not taken */
    want_value("clint: lw MSIP0 reads 1", load(CLINT_BASE, 4), 1);
    want_no_trap("clint: sw MSIP0 = 0", store(CLINT_BASE, 4, 0));
    want_value("clint: lw MSIP0 reads 0", load(CLINT_BASE, 4), 0);
    want_fault_or_value("clint: ld MSIP0 faults (QEMU 7.2) or reads MSIP0/1", load(CLINT_BASE, 8),
                        CAUSE_LOAD_ACCESS, CLINT_BASE, 0, 0);
    want_fault_or_value("clint: sd MSIP0 faults (QEMU 7.2) or writes MSIP0/1", store(CLINT_BASE, 8, 0),
                        CAUSE_STORE_ACCESS, CLINT_BASE, 1, 0);

    const uint64_t cmp = 0x0123456789abcdefUL;    /* far in the future */
    want_no_trap("clint: sd mtimecmp", store(CLINT_MTIMECMP0, 8, cmp));
    want_value("clint: ld mtimecmp", load(CLINT_MTIMECMP0, 8), cmp);
    want_value("clint: lw mtimecmp low", load(CLINT_MTIMECMP0, 4), cmp & 0xffffffffUL);
    want_value("clint: lw mtimecmp high", load(CLINT_MTIMECMP0 + 4, 4), cmp >> 32);
    want_value("clint: fld mtimecmp", load_fp(CLINT_MTIMECMP0, 8), cmp);
    want_no_trap("clint: sw mtimecmp high", store(CLINT_MTIMECMP0 + 4, 4, 0x7fffffff));
    want_value("clint: ld mtimecmp after sw high", load(CLINT_MTIMECMP0, 8), 0x7fffffff89abcdefUL);
    want_no_trap("clint: fsd mtimecmp", store_fp(CLINT_MTIMECMP0, 8, ~0UL));
    want_value("clint: ld mtimecmp after fsd", load(CLINT_MTIMECMP0, 8), ~0UL);

    struct acc t0 = load(CLINT_MTIME, 8);
    for (volatile int i = 0; i < 20000; i++)
        ;
    struct acc t1 = load(CLINT_MTIME, 8);
    CHECK("clint: ld mtime twice: it advanced", !t0.trapped && !t1.trapped && t1.val > t0.val);

    static const uint64_t regs[3] = {CLINT_BASE, CLINT_MTIMECMP0, CLINT_MTIME};
    static const char *const lnames[3][2] = {
        {"clint: lbu MSIP0 faults (cause 5)", "clint: lhu MSIP0 faults (cause 5)"},
        {"clint: lbu mtimecmp faults (cause 5)", "clint: lhu mtimecmp faults (cause 5)"},
        {"clint: lbu mtime faults (cause 5)", "clint: lhu mtime faults (cause 5)"},
    };
    static const char *const snames[3][2] = {
        {"clint: sb MSIP0 faults (cause 7)", "clint: sh MSIP0 faults (cause 7)"},
        {"clint: sb mtimecmp faults (cause 7)", "clint: sh mtimecmp faults (cause 7)"},
        {"clint: sb mtime faults (cause 7)", "clint: sh mtime faults (cause 7)"},
    };
    for (int i = 0; i < 3; i++) {
        want_fault(lnames[i][0], load(regs[i], 1), CAUSE_LOAD_ACCESS, regs[i]);
        want_fault(lnames[i][1], load(regs[i], 2), CAUSE_LOAD_ACCESS, regs[i]);
        want_fault(snames[i][0], store(regs[i], 1, 1), CAUSE_STORE_ACCESS, regs[i]);
        want_fault(snames[i][1], store(regs[i], 2, 1), CAUSE_STORE_ACCESS, regs[i]);
    }
    CHECK("clint: mtimecmp unchanged by the refused stores", *(volatile uint64_t *)CLINT_MTIMECMP0 == ~0UL);
    want_fault_or_value("clint: misaligned lw mtimecmp+2 faults or is split (QEMU 7.2)",
                        load(CLINT_MTIMECMP0 + 2, 4), CAUSE_LOAD_ACCESS, CLINT_MTIMECMP0 + 2, 0, 0xffffffffUL);
    want_fault("clint: misaligned sw mtimecmp+2 faults (cause 7)", store(CLINT_MTIMECMP0 + 2, 4, 0),
               CAUSE_STORE_ACCESS, CLINT_MTIMECMP0 + 2);
    CHECK("clint: mtimecmp unchanged by the misaligned store", *(volatile uint64_t *)CLINT_MTIMECMP0 == ~0UL);
    want_fault_or_value("clint: 0x200_c000 faults (QEMU 7.2: past the timer) or reads 0",
                        load(CLINT_BASE + 0xc000, 4), CAUSE_LOAD_ACCESS, CLINT_BASE + 0xc000, 0, 0);
}

/* ----------------------------------------------------------- the PLIC ---- */

static void test_plic(void)
{
    /* Priorities are WARL with 3 bits on both machines. */
    want_no_trap("plic: sw priority[1] = ~0", store(PLIC_PRIO(1), 4, ~0UL));
    want_value("plic: lw priority[1] reads 7 (3 bits)", load(PLIC_PRIO(1), 4), 7);
    want_no_trap("plic: fsw priority[1] = 3", store_fp(PLIC_PRIO(1), 4, 0xffffffff00000003UL));
    want_value("plic: c.lw priority[1]", load_c(PLIC_PRIO(1)), 3);
    want_value("plic: flw priority[1] (NaN-boxed)", load_fp(PLIC_PRIO(1), 4), 0xffffffff00000003UL);

    const uint64_t p2 = PLIC_PRIO(2);   /* 8-byte aligned */
    want_fault("plic: lbu faults (cause 5)", load(p2, 1), CAUSE_LOAD_ACCESS, p2);
    want_fault("plic: lhu faults (cause 5)", load(p2, 2), CAUSE_LOAD_ACCESS, p2);
    want_fault("plic: ld faults (cause 5)", load(p2, 8), CAUSE_LOAD_ACCESS, p2);
    want_fault("plic: fld faults (cause 5)", load_fp(p2, 8), CAUSE_LOAD_ACCESS, p2);
    want_fault("plic: sb faults (cause 7)", store(p2, 1, 5), CAUSE_STORE_ACCESS, p2);
    want_fault("plic: sh faults (cause 7)", store(p2, 2, 5), CAUSE_STORE_ACCESS, p2);
    want_fault("plic: sd faults (cause 7)", store(p2, 8, 5), CAUSE_STORE_ACCESS, p2);
    want_fault("plic: fsd faults (cause 7)", store_fp(p2, 8, 5), CAUSE_STORE_ACCESS, p2);
    want_fault_or_value("plic: misaligned lw faults or is split (QEMU 7.2)", load(PLIC_PRIO(1) + 2, 4),
                        CAUSE_LOAD_ACCESS, PLIC_PRIO(1) + 2, 0, 0);
    want_fault("plic: misaligned sw faults (cause 7)", store(PLIC_PRIO(1) + 2, 4, 0), CAUSE_STORE_ACCESS,
               PLIC_PRIO(1) + 2);
    want_value("plic: priority[1] and [2] unchanged by the refused stores",
               load(PLIC_PRIO(1), 4), 3);
    want_value("plic: priority[2] unchanged", load(p2, 4), 0);

    want_no_trap("plic: sw to the read-only pending bits is ignored", store(PLIC_PENDING, 4, ~0UL));
    want_value("plic: nothing pending", load(PLIC_PENDING, 4), 0);
    want_value("plic: claim with nothing pending reads 0", load(PLIC_CLAIM0, 4), 0);
    want_no_trap("plic: completing source 1000 (none such) is ignored", store(PLIC_CLAIM0, 4, 1000));
    want_no_trap("plic: completing source 0 is ignored", store(PLIC_CLAIM0, 4, 0));
    want_value("plic: last word of its region reads 0", load(PLIC_BASE + 0x5ffffc, 4), 0);
    store(PLIC_PRIO(1), 4, 0);
}

/* ----------------------------------------------------------- the UART ---- */

static void test_uart(void)
{
    volatile uint8_t *u = (volatile uint8_t *)UART0_BASE;
    want_value("uart: lbu LSR (transmitter empty)", load(UART0_BASE + UART_LSR_OFF, 1), 0x60);
    want_no_trap("uart: sb SCR", store(UART0_BASE + UART_SCR, 1, 0x5a));
    want_value("uart: lbu SCR", load(UART0_BASE + UART_SCR, 1), 0x5a);
    /* MCR: OUT2 only (QEMU's reset value; no loopback) */
    want_no_trap("uart: sb MCR", store(UART0_BASE + UART_MCR, 1, 0x08));
    want_value("uart: lwu MCR (one register, zero-extended)", load(UART0_BASE + UART_MCR, 4), 0x08);
    want_value("uart: lhu MCR", load(UART0_BASE + UART_MCR, 2), 0x08);
    want_value("uart: ld RBR (no input)", load(UART0_BASE, 8), 0);
    /* Wide stores to THR transmit their low byte: this line starts "ABC". */
    struct acc a = store(UART0_BASE, 4, 0x41414141 & 0xff);
    struct acc b = store(UART0_BASE, 8, 0x4200000000000042UL);
    struct acc c = store(UART0_BASE, 2, 0x4443);
    printf(" <- sw/sd/sh to THR\n");
    CHECK("uart: sw, sd and sh to THR transmit (ABC above)", !a.trapped && !b.trapped && !c.trapped);
    CHECK("uart: LCR.DLAB still clear", (u[3] & 0x80) == 0);
    want_fault_or_value("uart: offset 8 faults (QEMU 7.2: 8-byte region) or reads 0", load(UART0_BASE + 8, 1),
                        CAUSE_LOAD_ACCESS, UART0_BASE + 8, 0, 0);
    want_fault_or_value("uart: offset 0x10 faults (QEMU 7.2) or reads 0", load(UART0_BASE + 0x10, 4),
                        CAUSE_LOAD_ACCESS, UART0_BASE + 0x10, 0, 0);
    want_fault_or_value("uart: misaligned lhu LSR faults or is split (QEMU 7.2)", load(UART0_BASE + 5, 2),
                        CAUSE_LOAD_ACCESS, UART0_BASE + 5, 1, 0);
    want_fault_in("uart: misaligned lw across the end of its window faults (cause 5)",
                  load(UART0_BASE + 0xfe, 4), CAUSE_LOAD_ACCESS, UART0_BASE + 0xfc, UART0_BASE + 0x100);
    /* No misaligned stores: QEMU 7.2 would split them into byte writes to
     * the neighbouring registers (LCR, MCR: divisor latch, loopback). */
}

/* ------------------------------------------------ an empty virtio slot ---- */

static void test_virtio_slot(void)
{
    want_fault_or_value("virtio slot 0: lw magic faults (empty, unmapped) or reads \"virt\" (QEMU 7.2)",
                        load(VIRTIO_SLOT0, 4), CAUSE_LOAD_ACCESS, VIRTIO_SLOT0, 0, VIRTIO_MAGIC);
    want_fault_or_value("virtio slot 0: sw Status faults or is taken (QEMU 7.2)", store(VIRTIO_SLOT0 + 0x70, 4, 0),
                        CAUSE_STORE_ACCESS, VIRTIO_SLOT0 + 0x70, 1, 0);
}

/* ------------------------------------------------------- unmapped holes -- */

/* name = prefix + hex(v) + suffix (no snprintf in the runtime) */
static void format_name(char *out, const char *prefix, uint64_t v, const char *suffix)
{
    char hex[17];
    int n = 0;
    do {
        unsigned d = v & 15;
        hex[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v >>= 4;
    } while (v);
    while (*prefix)
        *out++ = *prefix++;
    while (n)
        *out++ = hex[--n];
    while (*suffix)
        *out++ = *suffix++;
    *out = 0;
}

/* Nothing is mapped here on either machine (QEMU 7.2's `info mtree`). */
static const uint64_t holes[] = {
    0x0UL,              /* below the ROM */
    0x10000UL,          /* after the ROM */
    0x102000UL,         /* after the RTC */
    0x2010000UL,        /* after the CLINT */
    0x4000000UL,        /* QEMU's empty platform bus */
    0xc600000UL,        /* after the PLIC */
    0x10009000UL,       /* after the virtio slots */
    0x10101000UL,       /* after QEMU's fw_cfg */
    RAM_END,            /* just after RAM */
    0x200000000UL,
    0xfffffffffffffff0UL, /* the top of the address space */
};

/* Loads (or stores) of 1, 2, 4 and 8 bytes at a: 1 if each faults with
 * `cause` and mtval = a; else 0, with the first that did not in *bad. */
static int widths_fault(uint64_t a, int stores, uint64_t cause, struct acc *bad)
{
    int ok = 1;
    for (int w = 1; w <= 8; w <<= 1) {
        struct acc r = stores ? store(a, w, 0) : load(a, w);
        if (ok && !is_fault(&r, cause, a, a)) {
            ok = 0;
            *bad = r;
        }
    }
    return ok;
}

static void test_holes(void)
{
    char name[96];
    for (unsigned h = 0; h < sizeof holes / sizeof holes[0]; h++) {
        uint64_t a = holes[h];
        struct acc bad = {0, 0, 0, 0, 0, 0};
        int ok = widths_fault(a, 0, CAUSE_LOAD_ACCESS, &bad);
        struct acc f = load_fp(a, 8);
        if (ok && !is_fault(&f, CAUSE_LOAD_ACCESS, a, a)) {
            ok = 0;
            bad = f;
        }
        if (!ok)
            explain(&bad);
        format_name(name, "hole 0x", a, ": loads of 1/2/4/8 bytes fault (cause 5, mtval = address)");
        check_true(name, ok);

        ok = widths_fault(a, 1, CAUSE_STORE_ACCESS, &bad);
        if (!ok)
            explain(&bad);
        format_name(name, "hole 0x", a, ": stores of 1/2/4/8 bytes fault (cause 7, mtval = address)");
        check_true(name, ok);

        struct acc j = fetch(a);
        format_name(name, "hole 0x", a, ": jump there: instruction access fault (cause 1)");
        verdict(name, &j, j.trapped && j.cause == CAUSE_FETCH_ACCESS && j.epc == a && j.tval == a);
    }
}

/* ------------------------------------- the ends of RAM and of 2^64 ------ */

static void test_edges(void)
{
    /* A load straddling the end of RAM: the first part is RAM, the second
     * faults; mtval names the part that failed (3.1.16). */
    want_fault("ram end: ld 0x87fffffc faults at 0x88000000", load(RAM_END - 4, 8), CAUSE_LOAD_ACCESS, RAM_END);
    want_fault("ram end: lw 0x87fffffe faults at 0x88000000", load(RAM_END - 2, 4), CAUSE_LOAD_ACCESS, RAM_END);
    volatile uint16_t *last = (volatile uint16_t *)(RAM_END - 2);
    *last = 0xbeef;
    want_fault("ram end: sw 0x87fffffe faults at 0x88000000", store(RAM_END - 2, 4, 0x11223344), CAUSE_STORE_ACCESS,
               RAM_END);
    CHECK("ram end: the RAM part is untouched or holds the store's first bytes (QEMU 7.2)",
          *last == 0xbeef || *last == 0x3344);
    /* The top of the address space: the access would wrap to 0. */
    want_fault_in("2^64: ld 0xffff_ffff_ffff_fffc faults (cause 5)", load(0xfffffffffffffffcUL, 8),
                  CAUSE_LOAD_ACCESS, 0xfffffffffffffff8UL, 0xfffffffffffffffcUL);
    want_fault_in("2^64: lw 0xffff_ffff_ffff_fffe faults (cause 5)", load(0xfffffffffffffffeUL, 4),
                  CAUSE_LOAD_ACCESS, 0xfffffffffffffffcUL, 0xfffffffffffffffeUL);
    want_fault("2^64: sd 0xffff_ffff_ffff_fffc faults (cause 7)", store(0xfffffffffffffffcUL, 8, 0),
               CAUSE_STORE_ACCESS, 0xfffffffffffffffcUL);
    /* Not here: a 32-bit instruction whose second half lies past the end of
     * RAM (mepc = its start, mtval = the end of RAM).  QEMU 7.2 aborts on
     * it (translator_access: assertion `phys_page != -1'); the unit test
     * TrapTest in tests/unit/riscv/traps_test.cpp covers Orrery. */
}

/* ------------------------------------------------- atomics on MMIO ------ */

/* On MMIO an AMO is either refused with an access fault (Orrery: the PMA
 * has no atomics; the spec's cause is 7, QEMU reports 5 for unmapped
 * addresses) or performed as a plain read-modify-write (QEMU 7.2). */
static void test_atomics(void)
{
    const uint64_t p1 = PLIC_PRIO(1);
    store(p1, 4, 2);
    struct acc r = ATOMIC("amoadd.w", p1, 1);
    uint64_t now = *(volatile uint32_t *)p1;
    verdict("mmio: amoadd.w on a PLIC priority faults (cause 7) or adds (QEMU 7.2)", &r,
            (is_fault(&r, CAUSE_STORE_ACCESS, p1, p1) && now == 2) || (!r.trapped && r.val == 2 && now == 3));
    store(p1, 4, 2);
    r = ATOMIC("amoswap.w", p1, 5);
    now = *(volatile uint32_t *)p1;
    verdict("mmio: amoswap.w on a PLIC priority faults (cause 7) or swaps (QEMU 7.2)", &r,
            (is_fault(&r, CAUSE_STORE_ACCESS, p1, p1) && now == 2) || (!r.trapped && r.val == 2 && now == 5));
    store(p1, 4, 2);
    r = ATOMIC("amoor.d", CLINT_MTIMECMP0, 0);
    verdict("mmio: amoor.d on mtimecmp faults (cause 7) or reads it (QEMU 7.2)", &r,
            is_fault(&r, CAUSE_STORE_ACCESS, CLINT_MTIMECMP0, CLINT_MTIMECMP0) || (!r.trapped && r.val == ~0UL));
    r = ATOMIC("amoadd.d", PLIC_PRIO(2), 1);
    verdict("mmio: amoadd.d on the 32-bit PLIC faults (cause 7, or 5 on QEMU 7.2)", &r,
            is_fault(&r, CAUSE_STORE_ACCESS, PLIC_PRIO(2), PLIC_PRIO(2)) ||
            is_fault(&r, CAUSE_LOAD_ACCESS, PLIC_PRIO(2), PLIC_PRIO(2)));
    r = LOAD_RESERVED("lr.w", p1);
    verdict("mmio: lr.w on a PLIC priority faults (cause 5) or loads (QEMU 7.2)", &r,
            is_fault(&r, CAUSE_LOAD_ACCESS, p1, p1) || (!r.trapped && r.val == 2));
    r = ATOMIC("sc.w", p1, 6);
    now = *(volatile uint32_t *)p1;
    verdict("mmio: sc.w on a PLIC priority faults (cause 7) or stores only on success (QEMU 7.2)", &r,
            (is_fault(&r, CAUSE_STORE_ACCESS, p1, p1) && now == 2) ||
            (!r.trapped && ((r.val == 0 && now == 6) || (r.val != 0 && now == 2))));
    r = ATOMIC("amoswap.w", 0x10000UL, 1);
    verdict("hole: amoswap.w faults (cause 7, or 5 on QEMU 7.2)", &r,
            is_fault(&r, CAUSE_STORE_ACCESS, 0x10000UL, 0x10000UL) ||
            is_fault(&r, CAUSE_LOAD_ACCESS, 0x10000UL, 0x10000UL));
    r = LOAD_RESERVED("lr.d", 0x10000UL);
    want_fault("hole: lr.d faults (cause 5)", r, CAUSE_LOAD_ACCESS, 0x10000UL);
    store(p1, 4, 0);
}

/* --------------------------------------------- executing from devices ---- */

static void test_fetch(void)
{
    /* Devices that refuse a 2-byte fetch read on both machines. */
    static const uint64_t strict[] = {CLINT_BASE, CLINT_MTIMECMP0, PLIC_BASE, PLIC_CLAIM0, RTC_BASE};
    static const char *const names[] = {
        "jump to the CLINT: instruction access fault (cause 1)",
        "jump to mtimecmp: instruction access fault (cause 1)",
        "jump to the PLIC: instruction access fault (cause 1)",
        "jump to the PLIC claim register: instruction access fault (cause 1)",
        "jump to the RTC: instruction access fault (cause 1)",
    };
    for (unsigned i = 0; i < sizeof strict / sizeof strict[0]; i++) {
        struct acc j = fetch(strict[i]);
        verdict(names[i], &j, j.trapped && j.cause == CAUSE_FETCH_ACCESS && j.epc == strict[i] &&
                              j.tval == strict[i]);
    }
    want_value("the PLIC claim register was not read by the fetch", load(PLIC_CLAIM0, 4), 0);
    /* QEMU 7.2 fetches the finisher's and an empty virtio slot's read
     * values and executes them (0x0000, "virt"): an illegal instruction. */
    struct acc j = fetch(TEST_BASE);
    verdict("jump to the finisher: fetch fault (cause 1) or illegal 0x0000 (QEMU 7.2)", &j,
            j.trapped && ((j.cause == CAUSE_FETCH_ACCESS && j.epc == TEST_BASE && j.tval == TEST_BASE) ||
                          (j.cause == CAUSE_ILLEGAL_INSN && j.epc == TEST_BASE)));
    j = fetch(VIRTIO_SLOT0);
    verdict("jump to virtio slot 0: fetch fault (cause 1) or an illegal instruction (QEMU 7.2)", &j,
            j.trapped && ((j.cause == CAUSE_FETCH_ACCESS && j.epc == VIRTIO_SLOT0 && j.tval == VIRTIO_SLOT0) ||
                          j.cause == CAUSE_ILLEGAL_INSN));
}

/* ---------------------------------------------- still a working machine -- */

static void test_alive(void)
{
    /* The timer still fires: MTIP rises once mtime reaches mtimecmp
     * (polled: mie stays 0). */
    uint64_t now = *(volatile uint64_t *)CLINT_MTIME;
    *(volatile uint64_t *)CLINT_MTIMECMP0 = now + 50;
    int seen = 0;
    for (int i = 0; i < 1000000 && !seen; i++)
        seen = (csr_read(mip) & MIP_MTIP) != 0;
    CHECK("after all this: the CLINT timer still raises MTIP", seen);
    *(volatile uint64_t *)CLINT_MTIMECMP0 = ~0UL;
    CHECK("after all this: MTIP falls when mtimecmp moves on", (csr_read(mip) & MIP_MTIP) == 0);
    CHECK("after all this: the ROM is intact", rom_intact());
}

int main(void)
{
    /* mtimecmp resets to 0 on QEMU 7.2 (MTIP pending); mie = 0 keeps every
     * interrupt away from the trap handler throughout. */
    csr_write(mie, 0);
    test_rom();
    test_finisher();
    test_rtc();
    test_clint();
    test_plic();
    test_uart();
    test_virtio_slot();
    test_holes();
    test_edges();
    test_atomics();
    test_fetch();
    test_alive();
    return test_summary("hostile_mmio");
}
