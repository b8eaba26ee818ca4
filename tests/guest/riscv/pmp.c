/*
 * pmp: physical memory protection (privileged spec 1.12, section 3.7).
 *   NAPOT, TOR and NA4 regions restricting S- and U-mode loads, stores and
 *   fetches (access faults 5/7/1 with mtval = the address), M-mode ignoring
 *   unlocked entries, the lowest-numbered matching entry winning, accesses
 *   that match an entry only partly, S/U accesses that match no entry, and
 *   locked entries (binding M-mode, ignoring writes, locking the TOR base).
 *
 * priv_init opens entry 15 (everything, RWX) so the program itself stays
 * reachable from S/U; tests restrict with lower-numbered entries.  Locked
 * entries cannot be undone, so they come last.
 *
 * QEMU 7.2 note: with no PMP entry active at all, QEMU refuses the MRET into
 * S/U itself (illegal instruction, mtval = the MRET); the spec has the MRET
 * complete and the first fetch raise an instruction access fault.  Both are
 * accepted.
 */
#include "priv.h"
#include "asm_helpers.h"

#define PAGE 4096UL
/* Four pages: 0 = code + data, 1..3 = data; 16 KiB-aligned for NAPOT. */
static uint8_t buf[4 * PAGE] __attribute__((aligned(4 * PAGE)));
#define PG(n) ((uint64_t)(uintptr_t)&buf[(n) * PAGE])
#define RAM_BASE 0x80000000UL
#define RAM_END  0x88000000UL

#define INSN_LI_A0_0x55 0x05500513u
#define INSN_RET        0x00008067u
#define INSN_MRET       0x30200073u

static volatile uint64_t g_val;

/* Lower-mode accessors: return the pc of the access, the loaded value goes
 * to g_val (stores write b). */
#define ACCESS_FN(name, insn) \
    static long name(long a, long b) { \
        uint64_t pc, v = 0; \
        __asm__ __volatile__(NORVC("lla %0, 1f\n1:\t" insn) \
                             : "=&r"(pc), "+r"(v) : "r"(a), "r"(b) : "memory"); \
        g_val = v; return (long)pc; }

ACCESS_FN(f_ld, "ld %1, 0(%2)")
ACCESS_FN(f_lw, "lw %1, 0(%2)")
ACCESS_FN(f_lbu, "lbu %1, 0(%2)")
ACCESS_FN(f_sd, "sd %3, 0(%2)")
ACCESS_FN(f_sw, "sw %3, 0(%2)")
ACCESS_FN(f_sb, "sb %3, 0(%2)")
ACCESS_FN(f_amoadd, "amoadd.d %1, %3, (%2)")

static long f_call(long a, long b)
{
    (void)b;
    return ((long (*)(void))a)();
}

static void put_code(uint64_t addr)
{
    volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)addr;
    p[0] = INSN_LI_A0_0x55;
    p[1] = INSN_RET;
    fence_i();
}

/* Access that must fault with `cause`, mtval = addr, taken in M. */
static void expect_fault(const char *name, int mode, priv_fn fn, uint64_t addr, uint64_t cause)
{
    pt_arm();
    uint64_t pc = (uint64_t)priv_call(mode, fn, (long)addr, 0x1111);
    check_eq2(name, ": faults", pt_disarm(), 1);
    check_eq2(name, ": cause", g_pt.cause, cause);
    check_eq2(name, ": mtval = address", g_pt.tval, addr);
    check_eq2(name, ": mepc", g_pt.epc, pc);
    check_eq2(name, ": taken in M from the mode", g_pt.level * 4 + g_pt.from, PRV_M * 4 + (uint64_t)mode);
}

static void expect_ok(const char *name, int mode, priv_fn fn, uint64_t addr, uint64_t val)
{
    pt_arm();
    priv_call(mode, fn, (long)addr, (long)val);
    check_eq2(name, ": no fault", pt_disarm(), 0);
}

static void expect_load(const char *name, int mode, priv_fn fn, uint64_t addr, uint64_t want)
{
    expect_ok(name, mode, fn, addr, 0);
    check_eq2(name, ": value", g_val, want);
}

/* Fetch (call) at addr: fault 1 with mepc = mtval = addr, or runs. */
static void expect_fetch_fault(const char *name, int mode, uint64_t addr)
{
    int c = pt_catch(mode, f_call, (long)addr, 0);
    check_eq2(name, ": faults", c, 1);
    check_eq2(name, ": cause", g_pt.cause, CAUSE_FETCH_ACCESS);
    check_eq2(name, ": mepc = target", g_pt.epc, addr);
    check_eq2(name, ": mtval = target", g_pt.tval, addr);
}

static void expect_fetch_ok(const char *name, int mode, uint64_t addr)
{
    int c = pt_catch(mode, f_call, (long)addr, 0);
    check_eq2(name, ": runs", c, 0);
    check_eq2(name, ": result", (uint64_t)priv_call(mode, f_call, (long)addr, 0), 0x55);
}

static void fill(void)
{
    for (unsigned i = 0; i < 4 * PAGE; i += 8)
        *(volatile uint64_t *)&buf[i] = 0x1000000000000000UL + i;
    put_code(PG(0));
    put_code(PG(1));
}
#define VAL(addr) (0x1000000000000000UL + ((addr) - PG(0)))

/* ------------------------------------------------------------------ NAPOT -- */
static void test_napot(void)
{
    fill();
    pmp_set(0, pmp_napot(PG(0), PAGE), PMP_NAPOT | PMP_R);
    EXPECT_EQ("pmpaddr0 reads back the NAPOT value", pmp_get_addr(0), (PG(0) >> 2) | 0x1ff);
    EXPECT_EQ("pmp0cfg reads back NAPOT|R", pmp_get_cfg(0), PMP_NAPOT | PMP_R);
    expect_load("NAPOT R: S load", PRV_S, f_ld, PG(0) + 0x800, VAL(PG(0) + 0x800));
    expect_load("NAPOT R: U load", PRV_U, f_lw, PG(0) + 0xffc, VAL(PG(0) + 0xff8) >> 32);
    expect_fault("NAPOT R: S store", PRV_S, f_sd, PG(0) + 0x800, CAUSE_STORE_ACCESS);
    expect_fault("NAPOT R: U store byte at the end", PRV_U, f_sb, PG(0) + 0xfff, CAUSE_STORE_ACCESS);
    expect_fault("NAPOT R: S AMO", PRV_S, f_amoadd, PG(0) + 0x808, CAUSE_STORE_ACCESS);
    EXPECT_EQ("faulting store left memory alone", *(volatile uint64_t *)(uintptr_t)(PG(0) + 0x800),
              VAL(PG(0) + 0x800));
    expect_fetch_fault("NAPOT R: S fetch", PRV_S, PG(0));
    expect_fetch_fault("NAPOT R: U fetch", PRV_U, PG(0));
    expect_ok("NAPOT R: S store just past the region", PRV_S, f_sd, PG(1), 0x77);
    expect_ok("NAPOT R: M store (unlocked entry binds only S/U)", PRV_M, f_sd, PG(0) + 0x810, 0x99);
    EXPECT_EQ("M store landed", *(volatile uint64_t *)(uintptr_t)(PG(0) + 0x810), 0x99);
    expect_fetch_ok("NAPOT R: M fetch", PRV_M, PG(0));

    /* execute-only */
    pmp_set(0, pmp_napot(PG(0), PAGE), PMP_NAPOT | PMP_X);
    expect_fetch_ok("NAPOT X: S fetch", PRV_S, PG(0));
    expect_fetch_ok("NAPOT X: U fetch", PRV_U, PG(0));
    expect_fault("NAPOT X: S load", PRV_S, f_ld, PG(0), CAUSE_LOAD_ACCESS);
    expect_fault("NAPOT X: U load", PRV_U, f_lbu, PG(0) + 1, CAUSE_LOAD_ACCESS);

    /* no permissions, 8 KiB region */
    pmp_set(0, pmp_napot(PG(0), 2 * PAGE), PMP_NAPOT);
    EXPECT_EQ("pmpaddr0 8 KiB NAPOT", pmp_get_addr(0), (PG(0) >> 2) | 0x3ff);
    expect_fault("NAPOT none: S load page 1", PRV_S, f_ld, PG(1) + 0x18, CAUSE_LOAD_ACCESS);
    expect_fault("NAPOT none: U store page 0", PRV_U, f_sw, PG(0) + 0x20, CAUSE_STORE_ACCESS);
    expect_ok("NAPOT none: S store page 2 (outside)", PRV_S, f_sd, PG(2), 1);
    /* RW (no X) */
    pmp_set(0, pmp_napot(PG(0), 2 * PAGE), PMP_NAPOT | PMP_R | PMP_W);
    expect_ok("NAPOT RW: S store", PRV_S, f_sd, PG(1) + 0x10, 0x1234);
    expect_load("NAPOT RW: U load", PRV_U, f_ld, PG(1) + 0x10, 0x1234);
    expect_fetch_fault("NAPOT RW: S fetch", PRV_S, PG(1));
    pmp_set(0, 0, 0);
}

/* -------------------------------------------------------------------- TOR -- */
static void test_tor(void)
{
    fill();
    /* entry 1: TOR [pmpaddr0, pmpaddr1) = pages 1..2, R only; entry 0 off */
    pmp_set(0, PG(1) >> 2, PMP_OFF);
    pmp_set(1, PG(3) >> 2, PMP_TOR | PMP_R);
    EXPECT_EQ("TOR: pmpaddr1", pmp_get_addr(1), PG(3) >> 2);
    expect_load("TOR R: S load", PRV_S, f_lbu, PG(1) + 0x10, VAL(PG(1) + 0x10) & 0xff);
    expect_fault("TOR R: S store first dword", PRV_S, f_sd, PG(1), CAUSE_STORE_ACCESS);
    expect_fault("TOR R: U store last dword", PRV_U, f_sd, PG(3) - 8, CAUSE_STORE_ACCESS);
    expect_ok("TOR R: S store below the range", PRV_S, f_sd, PG(1) - 8, 5);
    expect_ok("TOR R: S store at the top (exclusive)", PRV_S, f_sd, PG(3), 5);
    expect_fetch_fault("TOR R: S fetch", PRV_S, PG(1));
    /* entry 0 OFF still supplies the base; change the top */
    pmp_set(1, (PG(2) + 0x40) >> 2, PMP_TOR);
    expect_fault("TOR none [page1, page2+0x40): S load page2+0x38", PRV_S, f_ld, PG(2) + 0x38,
                 CAUSE_LOAD_ACCESS);
    expect_load("TOR none: S load page2+0x40", PRV_S, f_ld, PG(2) + 0x40, VAL(PG(2) + 0x40));
    /* TOR with RWX */
    pmp_set(1, PG(2) >> 2, PMP_TOR | PMP_R | PMP_W | PMP_X);
    expect_fetch_ok("TOR RWX: U fetch", PRV_U, PG(1));
    expect_ok("TOR RWX: U store", PRV_U, f_sd, PG(1) + 0x100, 3);
    /* empty TOR range (top <= base) matches nothing */
    pmp_set(0, PG(2) >> 2, PMP_OFF);
    pmp_set(1, PG(1) >> 2, PMP_TOR);
    expect_ok("TOR with top below base matches nothing: S store", PRV_S, f_sd, PG(1) + 0x80, 4);
    pmp_set(1, 0, 0);
    pmp_set(0, 0, 0);
}

/* -------------------------------------------------------------------- NA4 -- */
static void test_na4(void)
{
    fill();
    uint64_t a = PG(2) + 0x100;
    pmp_set(0, a >> 2, PMP_NA4);
    EXPECT_EQ("NA4: pmpaddr0", pmp_get_addr(0), a >> 2);
    expect_fault("NA4 none: S lw", PRV_S, f_lw, a, CAUSE_LOAD_ACCESS);
    expect_fault("NA4 none: U sb last byte", PRV_U, f_sb, a + 3, CAUSE_STORE_ACCESS);
    expect_load("NA4 none: S lw next word", PRV_S, f_lw, a + 4, VAL(a) >> 32);
    expect_load("NA4 none: S lw previous word", PRV_S, f_lw, a - 4, VAL(a - 8) >> 32);
    /* an access that only partly matches the entry fails, even if allowed */
    pmp_set(0, a >> 2, PMP_NA4 | PMP_R | PMP_W);
    expect_load("NA4 RW: S lw", PRV_S, f_lw, a, VAL(a) & 0xffffffff);
    expect_fault("NA4 RW: S ld covering it and the next word", PRV_S, f_ld, a, CAUSE_LOAD_ACCESS);
    expect_fault("NA4 RW: U sd covering it", PRV_U, f_sd, a, CAUSE_STORE_ACCESS);
    expect_fault("NA4 RW: M ld partly matching (L/R/W/X irrelevant)", PRV_M, f_ld, a,
                 CAUSE_LOAD_ACCESS);
    pmp_set(0, 0, 0);
}

/* --------------------------------------------------------------- priority -- */
static void test_priority(void)
{
    fill();
    /* 0: page 0 read-only, 1: all four pages RW */
    pmp_set(0, pmp_napot(PG(0), PAGE), PMP_NAPOT | PMP_R);
    pmp_set(1, pmp_napot(PG(0), 4 * PAGE), PMP_NAPOT | PMP_R | PMP_W);
    expect_fault("entry 0 (R) before entry 1 (RW): S store page 0", PRV_S, f_sd, PG(0) + 8,
                 CAUSE_STORE_ACCESS);
    expect_ok("entry 1 (RW): S store page 1", PRV_S, f_sd, PG(1) + 8, 1);
    expect_fetch_fault("entry 1 (RW, no X): S fetch page 1", PRV_S, PG(1));
    /* swapped: the wide RW entry first hides the narrow one */
    pmp_set(0, pmp_napot(PG(0), 4 * PAGE), PMP_NAPOT | PMP_R | PMP_W);
    pmp_set(1, pmp_napot(PG(0), PAGE), PMP_NAPOT);
    expect_ok("entry 0 (RW) before entry 1 (none): S store page 0", PRV_S, f_sd, PG(0) + 0x800, 2);
    expect_load("  U load page 0", PRV_U, f_ld, PG(0) + 0x800, 2);
    /* entry 3 restricts, entry 2 (lower) grants X */
    pmp_set(0, 0, 0);
    pmp_set(1, 0, 0);
    pmp_set(2, pmp_napot(PG(1), PAGE), PMP_NAPOT | PMP_X);
    pmp_set(3, pmp_napot(PG(0), 2 * PAGE), PMP_NAPOT | PMP_R);
    expect_fetch_ok("entry 2 (X) before entry 3 (R): S fetch page 1", PRV_S, PG(1));
    expect_fault("  S load page 1", PRV_S, f_ld, PG(1), CAUSE_LOAD_ACCESS);
    expect_fetch_fault("  S fetch page 0 (entry 3)", PRV_S, PG(0));
    pmp_set(2, 0, 0);
    pmp_set(3, 0, 0);
}

/* --------------------------------------------------------- no match (S/U) -- */
static void test_no_match(void)
{
    fill();
    /* RAM except the four pages: entry 1 TOR [RAM, buf), entry 3 TOR [buf+16K, RAM end) */
    pmp_set(0, RAM_BASE >> 2, PMP_OFF);
    pmp_set(1, PG(0) >> 2, PMP_TOR | PMP_R | PMP_W | PMP_X);
    pmp_set(2, PG(4) >> 2, PMP_OFF);
    pmp_set(3, RAM_END >> 2, PMP_TOR | PMP_R | PMP_W | PMP_X);
    pmp_set(15, 0, PMP_OFF);
    expect_fault("no matching entry: S load", PRV_S, f_ld, PG(2), CAUSE_LOAD_ACCESS);
    expect_fault("no matching entry: S store", PRV_S, f_sd, PG(3) + 0xff8, CAUSE_STORE_ACCESS);
    expect_fault("no matching entry: U load", PRV_U, f_lbu, PG(1) + 7, CAUSE_LOAD_ACCESS);
    expect_fetch_fault("no matching entry: S fetch", PRV_S, PG(0));
    expect_load("no matching entry: M load succeeds", PRV_M, f_ld, PG(2), VAL(PG(2)));
    expect_ok("no matching entry: M store succeeds", PRV_M, f_sd, PG(2), 6);
    expect_fetch_ok("no matching entry: M fetch succeeds", PRV_M, PG(0));
    expect_ok("matching entry 1: S store below", PRV_S, f_sd, PG(0) - 8, 6);
    /* no entry active at all */
    pmp_clear_all();
    int c = pt_catch(PRV_S, f_call, (long)PG(0), 0);
    CHECK("no PMP entry active: S-mode cannot run", c);
    CHECK("  fetch access fault at the target (spec) or MRET illegal (QEMU 7.2)",
          (g_pt.cause == CAUSE_FETCH_ACCESS && g_pt.tval == (uint64_t)(uintptr_t)f_call &&
           g_pt.from == PRV_S) ||
          (g_pt.cause == CAUSE_ILLEGAL_INSN && g_pt.tval == INSN_MRET && g_pt.from == PRV_M));
    pmp_set(15, ~0UL, PMP_NAPOT | PMP_R | PMP_W | PMP_X);
    expect_load("entry 15 back: S load", PRV_S, f_ld, PG(2), 6);
}

/* ----------------------------------------------------------------- locked -- */
static void test_locked(void)
{
    fill();
    /* entry 13: TOR [pmpaddr12, pmpaddr13) = page 2, locked read-only */
    pmp_set(12, PG(2) >> 2, PMP_OFF);
    pmp_set(13, PG(3) >> 2, PMP_TOR | PMP_R | PMP_L);
    EXPECT_EQ("locked: pmp13cfg reads L|TOR|R", pmp_get_cfg(13), PMP_L | PMP_TOR | PMP_R);
    expect_fault("locked R: M store", PRV_M, f_sd, PG(2) + 0x40, CAUSE_STORE_ACCESS);
    expect_fault("locked R: M sb last byte", PRV_M, f_sb, PG(3) - 1, CAUSE_STORE_ACCESS);
    expect_load("locked R: M load", PRV_M, f_ld, PG(2) + 0x40, VAL(PG(2) + 0x40));
    expect_fault("locked R: S store", PRV_S, f_sd, PG(2), CAUSE_STORE_ACCESS);
    expect_ok("locked R: M store just below", PRV_M, f_sd, PG(2) - 8, 7);
    /* writes to a locked entry, and to the base of a locked TOR, are ignored */
    csr_write(pmpaddr13, 0);
    EXPECT_EQ("locked: pmpaddr13 write ignored", pmp_get_addr(13), PG(3) >> 2);
    csr_write(pmpaddr12, 0);
    EXPECT_EQ("locked TOR: pmpaddr12 write ignored", pmp_get_addr(12), PG(2) >> 2);
    uint64_t c2 = csr_read(pmpcfg2);
    csr_write(pmpcfg2, c2 & ~(0xffUL << 40));
    EXPECT_EQ("locked: pmp13cfg write ignored", pmp_get_cfg(13), PMP_L | PMP_TOR | PMP_R);
    sfence_vma_all();
    expect_fault("locked R: M store still faults", PRV_M, f_sd, PG(2) + 0x48, CAUSE_STORE_ACCESS);
    /* entry 12 (not locked) still takes another configuration */
    csr_write(pmpcfg2, (csr_read(pmpcfg2) & ~(0xffUL << 32)) | ((uint64_t)(PMP_NA4 | PMP_R) << 32));
    EXPECT_EQ("entry 12 cfg still writable", pmp_get_cfg(12), PMP_NA4 | PMP_R);
    csr_write(pmpcfg2, csr_read(pmpcfg2) & ~(0xffUL << 32));
    /* entry 14: page 3, locked, no permissions: M loads and fetches fault */
    put_code(PG(3));
    pmp_set(14, pmp_napot(PG(3), PAGE), PMP_NAPOT | PMP_L);
    expect_fault("locked none: M load", PRV_M, f_ld, PG(3) + 0x10, CAUSE_LOAD_ACCESS);
    expect_fetch_fault("locked none: M fetch", PRV_M, PG(3));
    expect_fault("locked none: U load", PRV_U, f_lw, PG(3) + 0x20, CAUSE_LOAD_ACCESS);
    /* a lower-numbered unlocked entry still wins over a locked one for S/U */
    pmp_set(0, pmp_napot(PG(3), PAGE), PMP_NAPOT | PMP_R);
    expect_load("unlocked entry 0 (R) before locked 14: S load", PRV_S, f_ld, PG(3) + 0x10,
                VAL(PG(3) + 0x10));
    expect_load("  M load (entry 0 matches, not locked)", PRV_M, f_ld, PG(3) + 0x10,
                VAL(PG(3) + 0x10));
}

int main(void)
{
    priv_init();
    test_napot();
    test_tor();
    test_na4();
    test_priority();
    test_no_match();
    test_locked();
    return test_summary("pmp");
}
