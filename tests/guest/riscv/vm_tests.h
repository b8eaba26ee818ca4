/*
 * vm_tests.h - body of vm_sv39.c, vm_sv48.c and vm_sv57.c: page-based
 * virtual memory (privileged spec 1.12, section 4.3-4.6).  The including
 * file defines VM_NAME, VM_MODE (satp.MODE) and VM_LEVELS (3, 4, 5).
 *
 *   identity map of RAM through a 1 GiB page, non-identity 4 KiB, 2 MiB and
 *   1 GiB pages (and the 512 GiB / 256 TiB top-level pages of Sv48 / Sv57),
 *   a high-half VA, non-canonical VAs, page faults 12/13/15 with xtval = VA
 *   (taken in M and delegated to S) for invalid, reserved (W without R) and
 *   level-0 pointer PTEs, missing R/W/X permission, U pages from S with and
 *   without SUM, S pages from U, MXR on execute-only pages, misaligned
 *   superpages; hardware A/D updates in memory (load sets A, store sets D,
 *   fetch sets A, superpages too, nothing set on a faulting access or in
 *   non-leaf PTEs); SFENCE.VMA (by address and global) after remapping;
 *   MPRV with MPP = S / U / M from M-mode.
 *
 * QEMU 7.2 accepts all three of Sv39/Sv48/Sv57 in satp and updates A/D in
 * hardware.  An AMO to an invalid page raises a load page fault (13) on
 * QEMU 7.2 where the spec has a store/AMO page fault (15): both accepted.  Stale translations after a PTE change without SFENCE.VMA are
 * allowed but not required, so only the state after SFENCE.VMA is checked.
 */
#include "priv.h"
#include "asm_helpers.h"

#define PAGE        4096UL
#define RAM_BASE    0x80000000UL
#define VA_BITS     (12 + 9 * VM_LEVELS)
#define GIGA        (1UL << 30)
#define MEGA2       (1UL << 21)

/* physical pages for the tests (identity-mapped too, via the 1 GiB page) */
static uint8_t pages[12][PAGE] __attribute__((aligned(PAGE)));
#define P(n)        ((uint64_t)(uintptr_t)pages[n])
/* 2 MiB-aligned physical blocks above the program image */
#define PA_BLOCK    0x80400000UL
#define PA_BLOCK_AD 0x80600000UL

/* test VAs (all in the first 2 GiB, under root index 0 for Sv48/Sv57) */
#define VA_4K       0x40001000UL    /* -> P0, RW */
#define VA_4K_ALIAS 0x40002000UL    /* -> P0, R */
#define VA_XONLY    0x40003000UL    /* -> P1 (code), X */
#define VA_RW_CODE  0x40004000UL    /* -> P2 (code), RW */
#define VA_AD       0x40005000UL    /* -> P3, RW, A = D = 0 */
#define VA_AD_X     0x40006000UL    /* -> P4 (code), RX, A = 0 */
#define VA_REMAP    0x40007000UL    /* -> P5 / P6 */
#define VA_UDATA    0x40008000UL    /* -> P7, U RW */
#define VA_RO       0x40009000UL    /* -> P8, R */
#define VA_RO_NOA   0x4000a000UL    /* -> P8, R, A = 0 */
#define VA_SCODE    0x4000b000UL    /* -> P1 (code), RX (S) */
#define VA_INVALID  0x4000c000UL    /* V = 0 */
#define VA_WONLY    0x4000d000UL    /* W without R: reserved */
#define VA_PTR_L0   0x4000e000UL    /* level-0 PTE with R = W = X = 0 */
#define VA_UNMAPPED 0x4000f000UL    /* PTE all zero */
#define VA_U        0x40010000UL    /* -> P9, U code page, RX */
#define VA_UXONLY   0x40011000UL    /* -> P9, U X only */
#define VA_BLOCK    0x40200000UL    /* 2 MiB -> PA_BLOCK */
#define VA_MISAL2M  0x40400000UL    /* 2 MiB leaf with PPN not 2 MiB-aligned */
#define VA_BLOCK_AD 0x40600000UL    /* 2 MiB -> PA_BLOCK_AD, A = D = 0 */
#define VA_GIGA     0xc0000000UL    /* 1 GiB -> RAM_BASE */
#define VA_MISAL1G  0x100000000UL   /* 1 GiB leaf with PPN not 1 GiB-aligned */
#define VA_HIGH     0xfffffffffffff000UL
#define VA_NONCANON (1UL << VA_BITS)    /* bit VA_BITS set, bit VA_BITS-1 clear */
#define VA_TOP      (1UL << (12 + 9 * (VM_LEVELS - 1)))   /* top-level index 1 */

#define FLAGS_SRW   (PTE_R | PTE_W | PTE_A | PTE_D)
#define FLAGS_SRWX  (PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

#define INSN_LI_A0_0x55 0x05500513u
#define INSN_RET        0x00008067u

static uint64_t *root;
static volatile uint64_t g_val;
static volatile uint64_t g_data = 0x0123456789abcdefUL;
extern char _end[];

/* U-mode snippets (position independent), copied to P9 = VA_U */
__asm__(".pushsection .rodata\n\t.balign 8\n"
        "u_snippets:\n\t.option push\n\t.option norvc\n\t"
        "ld a0, 0(a0)\n\tret\n\t"             /* +0x00: u_ld(va)        */
        "sd a1, 0(a0)\n\tret\n\t"             /* +0x08: u_sd(va, v)     */
        "li a0, 0x55\n\tret\n\t"              /* +0x10: u_fetch         */
        "jr a0\n\t"                           /* +0x18: u_jump(va)      */
        ".option pop\n"
        "u_snippets_end:\n\t.popsection");
extern const char u_snippets[], u_snippets_end[];
#define U_LD    (VA_U + 0x00)
#define U_SD    (VA_U + 0x08)
#define U_FETCH (VA_U + 0x10)
#define U_JUMP  (VA_U + 0x18)
#define U_EXIT_OFF 0x100

/* S-mode accessors: return the pc of the access; loads leave the value in g_val */
#define ACCESS_FN(name, insn) \
    static long name(long a, long b) { \
        uint64_t pc, v = 0; \
        __asm__ __volatile__(NORVC("lla %0, 1f\n1:\t" insn) \
                             : "=&r"(pc), "+r"(v) : "r"(a), "r"(b) : "memory"); \
        g_val = v; return (long)pc; }

ACCESS_FN(f_ld, "ld %1, 0(%2)")
ACCESS_FN(f_lw, "lw %1, 0(%2)")
ACCESS_FN(f_sd, "sd %3, 0(%2)")
ACCESS_FN(f_amoor, "amoor.d %1, %3, (%2)")
/* the same after an SFENCE.VMA (by address or global) */
#define FENCED_FN(name, fence, insn) \
    static long name(long a, long b) { \
        uint64_t pc, v = 0; \
        __asm__ __volatile__(NORVC(fence "\n\tlla %0, 1f\n1:\t" insn) \
                             : "=&r"(pc), "+r"(v) : "r"(a), "r"(b) : "memory"); \
        g_val = v; return (long)pc; }

FENCED_FN(f_sfence_va_ld, "sfence.vma %2, x0", "ld %1, 0(%2)")
FENCED_FN(f_sfence_va_sd, "sfence.vma %2, x0", "sd %3, 0(%2)")
FENCED_FN(f_sfence_all_ld, "sfence.vma", "ld %1, 0(%2)")

static long f_call(long a, long b)
{
    (void)b;
    return ((long (*)(void))a)();
}

static long f_sum_ld(long a, long b)
{
    (void)b;
    csr_set(sstatus, MSTATUS_SUM);
    uint64_t v = *(volatile uint64_t *)a;
    csr_clear(sstatus, MSTATUS_SUM);
    return (long)v;
}

static long f_sum_sd(long a, long b)
{
    csr_set(sstatus, MSTATUS_SUM);
    *(volatile uint64_t *)a = (uint64_t)b;
    csr_clear(sstatus, MSTATUS_SUM);
    return 0;
}

static long f_mxr_ld(long a, long b)
{
    (void)b;
    csr_set(sstatus, MSTATUS_MXR);
    uint32_t v = *(volatile uint32_t *)a;
    csr_clear(sstatus, MSTATUS_MXR);
    return (long)v;
}

static long f_satp(long a, long b)
{
    (void)a; (void)b;
    return (long)csr_read(satp);
}

static void put_code(uint64_t pa)
{
    volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)pa;
    p[0] = INSN_LI_A0_0x55;
    p[1] = INSN_RET;
    fence_i();
}

static void map(uint64_t va, uint64_t pa, int level, uint64_t flags)
{
    vm_map(root, VM_LEVELS, va, pa, level, flags);
}

static volatile uint64_t *pte(uint64_t va, int level)
{
    return vm_pte(root, VM_LEVELS, va, level);
}

/* ------------------------------------------------------------- checks -- */
/* Access from `mode` that must page-fault into `level` with tval = va. */
static void expect_pf(const char *name, int mode, priv_fn fn, uint64_t va, uint64_t b,
                      uint64_t cause, int level)
{
    pt_arm();
    uint64_t pc = (uint64_t)priv_call(mode, fn, (long)va, (long)b);
    check_eq2(name, ": faults", pt_disarm(), 1);
    check_eq2(name, ": cause", g_pt.cause, cause);
    check_eq2(name, ": tval = va", g_pt.tval, va);
    check_eq2(name, ": epc", g_pt.epc, pc);
    check_eq2(name, level == PRV_M ? ": taken in M" : ": taken in S", g_pt.level, (uint64_t)level);
}

static void expect_ok(const char *name, int mode, priv_fn fn, uint64_t va, uint64_t b)
{
    pt_arm();
    priv_call(mode, fn, (long)va, (long)b);
    check_eq2(name, ": no fault", pt_disarm(), 0);
}

static void expect_load(const char *name, int mode, priv_fn fn, uint64_t va, uint64_t want)
{
    expect_ok(name, mode, fn, va, 0);
    check_eq2(name, ": value", g_val, want);
}

/* U-mode snippet at a fixed VA that must fault (epc = the snippet). */
static void expect_u_pf(const char *name, uint64_t snippet, uint64_t va, uint64_t cause, int level)
{
    pt_arm();
    priv_call(PRV_U, (priv_fn)snippet, (long)va, 0x5555);
    check_eq2(name, ": faults", pt_disarm(), 1);
    check_eq2(name, ": cause", g_pt.cause, cause);
    check_eq2(name, ": tval = va", g_pt.tval, va);
    check_eq2(name, ": epc", g_pt.epc, snippet);
    check_eq2(name, ": previous mode U", g_pt.from, PRV_U);
    check_eq2(name, level == PRV_M ? ": taken in M" : ": taken in S", g_pt.level, (uint64_t)level);
}

/* Fetch at va from `mode` (a call): fault 12 with epc = tval = va. */
static void expect_fetch_pf(const char *name, int mode, uint64_t va, int level)
{
    int c = pt_catch(mode, f_call, (long)va, 0);
    check_eq2(name, ": faults", c, 1);
    check_eq2(name, ": cause", g_pt.cause, CAUSE_FETCH_PAGE);
    check_eq2(name, ": epc = va", g_pt.epc, va);
    check_eq2(name, ": tval = va", g_pt.tval, va);
    check_eq2(name, level == PRV_M ? ": taken in M" : ": taken in S", g_pt.level, (uint64_t)level);
}

static void expect_fetch_ok(const char *name, int mode, uint64_t va)
{
    int c = pt_catch(mode, f_call, (long)va, 0);
    check_eq2(name, ": runs", c, 0);
    check_eq2(name, ": result", (uint64_t)priv_call(mode, f_call, (long)va, 0), 0x55);
}

/* -------------------------------------------------------------- setup -- */
static void vm_setup(void)
{
    if ((uint64_t)(uintptr_t)_end > PA_BLOCK) {
        printf("program image reaches 0x%lx, past PA_BLOCK\n", (uint64_t)(uintptr_t)_end);
        exit(3);
    }
    for (int i = 0; i < 12; i++)
        for (unsigned j = 0; j < PAGE; j += 8)
            *(volatile uint64_t *)&pages[i][j] = ((uint64_t)i << 32) | j;
    put_code(P(1));
    put_code(P(2));
    put_code(P(4));
    memcpy(pages[9], u_snippets, (size_t)(u_snippets_end - u_snippets));
    memcpy(pages[9] + U_EXIT_OFF, priv_exit_u_code, PRIV_EXIT_U_SIZE);
    fence_i();
    for (unsigned j = 0; j < 2 * MEGA2; j += 8)
        *(volatile uint64_t *)(uintptr_t)(PA_BLOCK + j) = 0xb0000000UL + j;

    pt_pool_reset();
    root = pt_alloc();
    /* identity: RAM through one 1 GiB page, global */
    map(RAM_BASE, RAM_BASE, 2, FLAGS_SRWX | PTE_G);
    map(VA_4K, P(0), 0, FLAGS_SRW);
    map(VA_4K_ALIAS, P(0), 0, PTE_R | PTE_A);
    map(VA_XONLY, P(1), 0, PTE_X | PTE_A);
    map(VA_RW_CODE, P(2), 0, FLAGS_SRW);
    map(VA_AD, P(3), 0, PTE_R | PTE_W);
    map(VA_AD_X, P(4), 0, PTE_R | PTE_X);
    map(VA_REMAP, P(5), 0, FLAGS_SRW);
    map(VA_UDATA, P(7), 0, FLAGS_SRW | PTE_U);
    map(VA_RO, P(8), 0, PTE_R | PTE_A);
    map(VA_RO_NOA, P(8), 0, PTE_R);
    map(VA_SCODE, P(1), 0, PTE_R | PTE_X | PTE_A);
    map(VA_INVALID, P(0), 0, FLAGS_SRW);
    *pte(VA_INVALID, 0) &= ~PTE_V;
    map(VA_WONLY, P(0), 0, PTE_W | PTE_A | PTE_D);
    map(VA_PTR_L0, P(0), 0, 0);                 /* V only: a pointer at level 0 */
    map(VA_U, P(9), 0, PTE_R | PTE_X | PTE_A | PTE_U);
    map(VA_UXONLY, P(9), 0, PTE_X | PTE_A | PTE_U);
    map(VA_BLOCK, PA_BLOCK, 1, FLAGS_SRW);
    map(VA_MISAL2M, PA_BLOCK + PAGE, 1, FLAGS_SRWX);
    map(VA_BLOCK_AD, PA_BLOCK_AD, 1, PTE_R | PTE_W);
    map(VA_MISAL1G, RAM_BASE + MEGA2, 2, FLAGS_SRWX);
    map(VA_HIGH, P(0), 0, FLAGS_SRW);
    priv_set_u_exit(VA_U + U_EXIT_OFF);
    csr_write(satp, satp_make(VM_MODE, 0, root));
    sfence_vma_all();
}

static void test_basic(void)
{
    EXPECT_EQ("satp holds the mode and root", csr_read(satp), satp_make(VM_MODE, 0, root));
    EXPECT_EQ("S reads satp", (uint64_t)priv_call(PRV_S, f_satp, 0, 0), satp_make(VM_MODE, 0, root));
    expect_load("identity 1 GiB page: S load", PRV_S, f_ld, (uint64_t)(uintptr_t)&g_data,
                0x0123456789abcdefUL);
    expect_load("4 KiB page: S load", PRV_S, f_ld, VA_4K + 0x18, 0x18);
    expect_ok("4 KiB page: S store", PRV_S, f_sd, VA_4K + 0x20, 0xfeed);
    EXPECT_EQ("  store reached the physical page", *(volatile uint64_t *)(uintptr_t)(P(0) + 0x20), 0xfeed);
    expect_load("alias VA of the same page sees it", PRV_S, f_ld, VA_4K_ALIAS + 0x20, 0xfeed);
    expect_load("2 MiB page: S load", PRV_S, f_ld, VA_BLOCK + 0x12340, 0xb0012340UL);
    expect_load("2 MiB page: S load at the end", PRV_S, f_ld, VA_BLOCK + MEGA2 - 8, 0xb0000000UL + MEGA2 - 8);
    expect_ok("2 MiB page: S store", PRV_S, f_sd, VA_BLOCK + 0x1000, 0xabc);
    EXPECT_EQ("  store reached PA", *(volatile uint64_t *)(uintptr_t)(PA_BLOCK + 0x1000), 0xabc);
    map(VA_GIGA, RAM_BASE, 2, FLAGS_SRW);
    sfence_vma_all();
    expect_load("1 GiB page (non-identity): S load", PRV_S, f_ld,
                VA_GIGA + ((uint64_t)(uintptr_t)&g_data - RAM_BASE), 0x0123456789abcdefUL);
    expect_load("1 GiB page: S load of PA_BLOCK", PRV_S, f_ld, VA_GIGA + (PA_BLOCK - RAM_BASE) + 0x88,
                0xb0000088UL);
    expect_load("high-half VA (top index 511)", PRV_S, f_ld, VA_HIGH + 0x28, 0x28);
    if (VM_LEVELS > 3) {
        /* the top level's own superpage: 512 GiB (Sv48) or 256 TiB (Sv57) at PA 0 */
        map(VA_TOP, 0, VM_LEVELS - 1, FLAGS_SRW);
        sfence_vma_all();
        expect_load("top-level superpage: S load", PRV_S, f_ld,
                    VA_TOP + (uint64_t)(uintptr_t)&g_data, 0x0123456789abcdefUL);
        /* misaligned top-level superpage */
        map(VA_TOP, RAM_BASE, VM_LEVELS - 1, FLAGS_SRW);
        sfence_vma_all();
        expect_pf("misaligned top-level superpage: S load", PRV_S, f_ld, VA_TOP + 8, 0,
                  CAUSE_LOAD_PAGE, PRV_M);
    }
    /* U code page */
    EXPECT_EQ("U snippet at VA_U runs", (uint64_t)priv_call(PRV_U, (priv_fn)U_FETCH, 0, 0), 0x55);
    EXPECT_EQ("U load of a U page", (uint64_t)priv_call(PRV_U, (priv_fn)U_LD, (long)(VA_UDATA + 8), 0), (7UL << 32) | 8);
    priv_call(PRV_U, (priv_fn)U_SD, (long)(VA_UDATA + 0x10), 0x4242);
    EXPECT_EQ("U store to a U page", *(volatile uint64_t *)(uintptr_t)(P(7) + 0x10), 0x4242);
}

static void test_faults(void)
{
    expect_pf("V=0: S load", PRV_S, f_ld, VA_INVALID + 8, 0, CAUSE_LOAD_PAGE, PRV_M);
    expect_pf("V=0: S store", PRV_S, f_sd, VA_INVALID + 0x10, 1, CAUSE_STORE_PAGE, PRV_M);
    /* AMO: the spec's cause is 15 (store/AMO page fault); QEMU 7.2 reports 13 */
    pt_arm();
    uint64_t pc = (uint64_t)priv_call(PRV_S, f_amoor, (long)(VA_INVALID + 0x18), 1);
    CHECK("V=0: S AMO: faults", pt_disarm());
    CHECK("V=0: S AMO: cause 15 (spec) or 13 (QEMU 7.2)",
          g_pt.cause == CAUSE_STORE_PAGE || g_pt.cause == CAUSE_LOAD_PAGE);
    EXPECT_EQ("V=0: S AMO: tval = va", g_pt.tval, VA_INVALID + 0x18);
    EXPECT_EQ("V=0: S AMO: epc", g_pt.epc, pc);
    expect_fetch_pf("V=0: S fetch", PRV_S, VA_INVALID + 0x40, PRV_M);
    expect_pf("zero PTE: S load", PRV_S, f_ld, VA_UNMAPPED, 0, CAUSE_LOAD_PAGE, PRV_M);
    expect_pf("no table below the root: S load", PRV_S, f_ld, 0x7000000000UL & ((1UL << (VA_BITS - 1)) - 1), 0,
              CAUSE_LOAD_PAGE, PRV_M);
    expect_pf("W without R (reserved): S load", PRV_S, f_ld, VA_WONLY, 0, CAUSE_LOAD_PAGE, PRV_M);
    expect_pf("W without R (reserved): S store", PRV_S, f_sd, VA_WONLY, 0, CAUSE_STORE_PAGE, PRV_M);
    expect_pf("pointer PTE at level 0: S load", PRV_S, f_ld, VA_PTR_L0 + 0x30, 0, CAUSE_LOAD_PAGE, PRV_M);
    expect_pf("non-canonical VA: S load", PRV_S, f_ld, VA_NONCANON + 0x40001000UL, 0, CAUSE_LOAD_PAGE, PRV_M);
    expect_pf("non-canonical VA: S store", PRV_S, f_sd, VA_NONCANON | (1UL << 62), 0, CAUSE_STORE_PAGE, PRV_M);
    /* permissions */
    expect_load("read-only page: S load", PRV_S, f_lw, VA_RO + 4, 8);
    expect_pf("read-only page: S store", PRV_S, f_sd, VA_RO + 8, 0, CAUSE_STORE_PAGE, PRV_M);
    expect_pf("read-only alias: S store", PRV_S, f_sd, VA_4K_ALIAS, 0, CAUSE_STORE_PAGE, PRV_M);
    expect_fetch_pf("RW page (no X): S fetch", PRV_S, VA_RW_CODE, PRV_M);
    expect_fetch_ok("X-only page: S fetch", PRV_S, VA_XONLY);
    expect_pf("X-only page: S load (MXR=0)", PRV_S, f_lw, VA_XONLY, 0, CAUSE_LOAD_PAGE, PRV_M);
    EXPECT_EQ("X-only page: S load with MXR=1", (uint64_t)priv_call(PRV_S, f_mxr_ld, (long)VA_XONLY, 0),
              INSN_LI_A0_0x55);
    /* misaligned superpages */
    expect_pf("misaligned 2 MiB page: S load", PRV_S, f_ld, VA_MISAL2M + 0x100, 0, CAUSE_LOAD_PAGE, PRV_M);
    expect_pf("misaligned 2 MiB page: S store", PRV_S, f_sd, VA_MISAL2M, 0, CAUSE_STORE_PAGE, PRV_M);
    expect_fetch_pf("misaligned 2 MiB page: S fetch", PRV_S, VA_MISAL2M + 0x2000, PRV_M);
    expect_pf("misaligned 1 GiB page: S load", PRV_S, f_ld, VA_MISAL1G + 0x1000, 0, CAUSE_LOAD_PAGE, PRV_M);
}

static void test_user(void)
{
    /* U pages from S */
    expect_pf("U page from S, SUM=0: load", PRV_S, f_ld, VA_UDATA, 0, CAUSE_LOAD_PAGE, PRV_M);
    expect_pf("U page from S, SUM=0: store", PRV_S, f_sd, VA_UDATA + 8, 0, CAUSE_STORE_PAGE, PRV_M);
    EXPECT_EQ("U page from S, SUM=1: load", (uint64_t)priv_call(PRV_S, f_sum_ld, (long)(VA_UDATA + 0x18), 0),
              (7UL << 32) | 0x18);
    priv_call(PRV_S, f_sum_sd, (long)(VA_UDATA + 0x20), 0x5151);
    EXPECT_EQ("U page from S, SUM=1: store", *(volatile uint64_t *)(uintptr_t)(P(7) + 0x20), 0x5151);
    csr_set(mstatus, MSTATUS_SUM);
    expect_fetch_pf("U page from S, SUM=1: fetch still faults", PRV_S, U_FETCH, PRV_M);
    csr_clear(mstatus, MSTATUS_SUM);
    /* S pages from U */
    expect_u_pf("S page from U: load", U_LD, (uint64_t)(uintptr_t)&g_data, CAUSE_LOAD_PAGE, PRV_M);
    expect_u_pf("S page from U: store", U_SD, VA_4K, CAUSE_STORE_PAGE, PRV_M);
    int c = pt_catch(PRV_U, (priv_fn)U_JUMP, (long)VA_SCODE, 0);
    CHECK("S page from U: fetch faults", c);
    EXPECT_EQ("  cause", g_pt.cause, CAUSE_FETCH_PAGE);
    EXPECT_EQ("  epc = va", g_pt.epc, VA_SCODE);
    EXPECT_EQ("  tval = va", g_pt.tval, VA_SCODE);
    EXPECT_EQ("  previous mode U", g_pt.from, PRV_U);
    /* MXR for U: X-only U page */
    EXPECT_EQ("X-only U page: U fetch", (uint64_t)priv_call(PRV_U, (priv_fn)(VA_UXONLY + 0x10), 0, 0), 0x55);
    expect_u_pf("X-only U page: U load (MXR=0)", U_LD, VA_UXONLY, CAUSE_LOAD_PAGE, PRV_M);
    csr_set(mstatus, MSTATUS_MXR);
    pt_arm();
    uint64_t v = (uint64_t)priv_call(PRV_U, (priv_fn)U_LD, (long)VA_UXONLY, 0);
    CHECK("X-only U page: U load with MXR=1: no fault", !pt_disarm());
    EXPECT_EQ("  value (the snippet's first 8 bytes)", v, *(volatile uint64_t *)(uintptr_t)P(9));
    csr_clear(mstatus, MSTATUS_MXR);
}

static void test_delegated(void)
{
    csr_write(medeleg, (1UL << CAUSE_FETCH_PAGE) | (1UL << CAUSE_LOAD_PAGE) | (1UL << CAUSE_STORE_PAGE));
    expect_pf("delegated: V=0 S load", PRV_S, f_ld, VA_INVALID + 0x48, 0, CAUSE_LOAD_PAGE, PRV_S);
    EXPECT_EQ("  stval CSR", csr_read(stval), VA_INVALID + 0x48);
    EXPECT_EQ("  SPP = S", (g_pt.status >> 8) & 1, 1);
    expect_pf("delegated: read-only S store", PRV_S, f_sd, VA_RO + 0x50, 0, CAUSE_STORE_PAGE, PRV_S);
    expect_fetch_pf("delegated: RW page S fetch", PRV_S, VA_RW_CODE, PRV_S);
    expect_u_pf("delegated: S page from U load", U_LD, VA_4K + 0x58, CAUSE_LOAD_PAGE, PRV_S);
    EXPECT_EQ("  SPP = U", (g_pt.status >> 8) & 1, 0);
    expect_pf("delegated: non-canonical S load", PRV_S, f_ld, VA_NONCANON + 8, 0, CAUSE_LOAD_PAGE, PRV_S);
    csr_write(medeleg, 0);
}

static void test_ad(void)
{
    volatile uint64_t *p = pte(VA_AD, 0);
    EXPECT_EQ("A/D page starts with A = D = 0", *p & (PTE_A | PTE_D), 0);
    expect_load("A/D: S load", PRV_S, f_ld, VA_AD + 8, (3UL << 32) | 8);
    EXPECT_EQ("  load set A, not D", *p & (PTE_A | PTE_D), PTE_A);
    EXPECT_EQ("  PPN and permissions unchanged", *p & ~(PTE_A | PTE_D),
              ((P(3) >> 12) << 10) | PTE_R | PTE_W | PTE_V);
    expect_ok("A/D: S store", PRV_S, f_sd, VA_AD + 8, 9);
    EXPECT_EQ("  store set D", *p & (PTE_A | PTE_D), PTE_A | PTE_D);
    /* a store as the first access sets both */
    *p &= ~(PTE_A | PTE_D);
    sfence_vma_all();
    expect_ok("A/D: first access a store", PRV_S, f_sd, VA_AD + 0x10, 9);
    EXPECT_EQ("  sets A and D", *p & (PTE_A | PTE_D), PTE_A | PTE_D);
    /* fetch sets A */
    volatile uint64_t *px = pte(VA_AD_X, 0);
    EXPECT_EQ("A/D: code page A = 0", *px & (PTE_A | PTE_D), 0);
    expect_fetch_ok("A/D: S fetch", PRV_S, VA_AD_X);
    EXPECT_EQ("  fetch set A, not D", *px & (PTE_A | PTE_D), PTE_A);
    /* 2 MiB superpage */
    volatile uint64_t *pb = pte(VA_BLOCK_AD, 1);
    expect_ok("A/D: 2 MiB page S store", PRV_S, f_sd, VA_BLOCK_AD + 0x12348, 1);
    EXPECT_EQ("  sets A and D in the 2 MiB leaf", *pb & (PTE_A | PTE_D), PTE_A | PTE_D);
    /* faulting accesses set nothing */
    volatile uint64_t *pr = pte(VA_RO_NOA, 0);
    expect_pf("A/D: store to read-only page with A=0", PRV_S, f_sd, VA_RO_NOA, 0, CAUSE_STORE_PAGE, PRV_M);
    EXPECT_EQ("  A stays 0", *pr & (PTE_A | PTE_D), 0);
    volatile uint64_t *pu = pte(VA_UDATA, 0);
    *pu &= ~(PTE_A | PTE_D);
    sfence_vma_all();
    expect_pf("A/D: U page from S (SUM=0) with A=0", PRV_S, f_ld, VA_UDATA, 0, CAUSE_LOAD_PAGE, PRV_M);
    EXPECT_EQ("  A stays 0", *pu & (PTE_A | PTE_D), 0);
    /* non-leaf PTEs are left alone */
    volatile uint64_t *nl = pte(VA_AD, 1);
    EXPECT_EQ("non-leaf PTE has no A/D/U set", *nl & (PTE_A | PTE_D | PTE_U | PTE_R | PTE_W | PTE_X), 0);
}

static void test_sfence(void)
{
    expect_load("remap: S load via old mapping", PRV_S, f_ld, VA_REMAP + 0x30, (5UL << 32) | 0x30);
    map(VA_REMAP, P(6), 0, FLAGS_SRW);
    expect_load("remap: sfence.vma va then load sees the new page", PRV_S, f_sfence_va_ld,
                VA_REMAP + 0x30, (6UL << 32) | 0x30);
    map(VA_REMAP, P(5), 0, FLAGS_SRW);
    expect_load("remap back: sfence.vma (all) then load", PRV_S, f_sfence_all_ld, VA_REMAP + 0x38,
                (5UL << 32) | 0x38);
    /* invalid -> valid */
    volatile uint64_t *p = pte(VA_REMAP, 0);
    *p &= ~PTE_V;
    expect_pf("remap: V cleared, sfence.vma, load faults", PRV_S, f_sfence_va_ld, VA_REMAP, 0,
              CAUSE_LOAD_PAGE, PRV_M);
    *p |= PTE_V;
    expect_load("remap: V set again, sfence.vma, load", PRV_S, f_sfence_va_ld, VA_REMAP + 0x40,
                (5UL << 32) | 0x40);
    /* permission change: RW -> R */
    map(VA_REMAP, P(5), 0, PTE_R | PTE_A);
    expect_pf("remap: made read-only, sfence.vma, store faults", PRV_S, f_sfence_va_sd, VA_REMAP, 0,
              CAUSE_STORE_PAGE, PRV_M);
}

/* ---------------------------------------------------------------- MPRV -- */
static uint64_t g_mprv_pc;

static uint64_t mprv_ld(uint64_t mpp, uint64_t addr)
{
    uint64_t v = 0x77, pc;
    __asm__ __volatile__(NORVC(
        "li t0, 0x1800\n\tcsrc mstatus, t0\n\t"
        "slli t0, %[mpp], 11\n\tcsrs mstatus, t0\n\t"
        "li t0, 0x20000\n\tlla %[pc], 1f\n\t"
        "csrs mstatus, t0\n"
        "1:\tld %[v], 0(%[a])\n\t"
        "csrc mstatus, t0")
        : [v] "+r"(v), [pc] "=&r"(pc) : [mpp] "r"(mpp), [a] "r"(addr) : "t0", "memory");
    g_mprv_pc = pc;
    return v;
}

static void mprv_sd(uint64_t mpp, uint64_t addr, uint64_t val)
{
    uint64_t pc;
    __asm__ __volatile__(NORVC(
        "li t0, 0x1800\n\tcsrc mstatus, t0\n\t"
        "slli t0, %[mpp], 11\n\tcsrs mstatus, t0\n\t"
        "li t0, 0x20000\n\tlla %[pc], 1f\n\t"
        "csrs mstatus, t0\n"
        "1:\tsd %[val], 0(%[a])\n\t"
        "csrc mstatus, t0")
        : [pc] "=&r"(pc) : [mpp] "r"(mpp), [a] "r"(addr), [val] "r"(val) : "t0", "memory");
    g_mprv_pc = pc;
}

static void mprv_expect_pf(const char *name, uint64_t cause, uint64_t va)
{
    check_eq2(name, ": faults", pt_disarm(), 1);
    check_eq2(name, ": cause", g_pt.cause, cause);
    check_eq2(name, ": mtval = va", g_pt.tval, va);
    check_eq2(name, ": mepc", g_pt.epc, g_mprv_pc);
}

static void test_mprv(void)
{
    uint64_t v;
    pt_arm();
    v = mprv_ld(PRV_S, VA_4K + 0x28);
    CHECK("MPRV, MPP=S: M load through the page table", !pt_disarm());
    EXPECT_EQ("  value", v, 0x28);
    pt_arm();
    mprv_sd(PRV_S, VA_BLOCK + 0x2000, 0x3131);
    CHECK("MPRV, MPP=S: M store through a 2 MiB page", !pt_disarm());
    EXPECT_EQ("  landed in PA", *(volatile uint64_t *)(uintptr_t)(PA_BLOCK + 0x2000), 0x3131);
    pt_arm();
    mprv_sd(PRV_S, VA_RO, 1);
    mprv_expect_pf("MPRV, MPP=S: M store to read-only page", CAUSE_STORE_PAGE, VA_RO);
    pt_arm();
    mprv_ld(PRV_S, VA_INVALID);
    mprv_expect_pf("MPRV, MPP=S: M load from V=0 page", CAUSE_LOAD_PAGE, VA_INVALID);
    pt_arm();
    mprv_ld(PRV_S, VA_UDATA + 8);
    mprv_expect_pf("MPRV, MPP=S, SUM=0: M load from U page", CAUSE_LOAD_PAGE, VA_UDATA + 8);
    csr_set(mstatus, MSTATUS_SUM);
    pt_arm();
    v = mprv_ld(PRV_S, VA_UDATA + 8);
    CHECK("MPRV, MPP=S, SUM=1: M load from U page", !pt_disarm());
    EXPECT_EQ("  value", v, (7UL << 32) | 8);
    csr_clear(mstatus, MSTATUS_SUM);
    pt_arm();
    v = mprv_ld(PRV_U, VA_UDATA + 8);
    CHECK("MPRV, MPP=U: M load from U page", !pt_disarm());
    EXPECT_EQ("  value", v, (7UL << 32) | 8);
    pt_arm();
    mprv_ld(PRV_U, VA_4K);
    mprv_expect_pf("MPRV, MPP=U: M load from S page", CAUSE_LOAD_PAGE, VA_4K);
    pt_arm();
    v = mprv_ld(PRV_M, (uint64_t)(uintptr_t)&g_data);
    CHECK("MPRV, MPP=M: no translation", !pt_disarm());
    EXPECT_EQ("  value", v, 0x0123456789abcdefUL);
    pt_arm();
    mprv_ld(PRV_S, VA_NONCANON + 0x10);
    mprv_expect_pf("MPRV, MPP=S: non-canonical", CAUSE_LOAD_PAGE, VA_NONCANON + 0x10);
    /* MPRV does not affect M-mode fetches (this code keeps running bare) */
    csr_clear(mstatus, MSTATUS_MPRV);
}

/* Page-table reads are S-mode accesses that PMP checks (privileged spec,
 * "Physical Memory Protection": implicit page-table accesses). A PMP write
 * takes effect for the next walk even after the same walk succeeded, so an
 * emulator that caches what it knows about a table page must forget it. */
static void test_pmp_walk(void)
{
    const uint64_t table = (uint64_t)(uintptr_t)vm_pte(root, VM_LEVELS, VA_4K, 0) & ~(PAGE - 1);
    expect_load("PMP: walk through a readable table page", PRV_S, f_ld, VA_4K + 0x30, 0x30);
    pmp_set(0, pmp_napot(table, PAGE), PMP_NAPOT);   /* no R/W/X for S and U */
    sfence_vma_all();
    expect_pf("PMP: walk reads a table page PMP denies", PRV_S, f_ld, VA_4K + 0x30, 0,
              CAUSE_LOAD_ACCESS, PRV_M);
    expect_pf("PMP: store through it", PRV_S, f_sd, VA_4K + 0x38, 1, CAUSE_STORE_ACCESS, PRV_M);
    pmp_clear_all();
    sfence_vma_all();
    expect_load("PMP: readable again", PRV_S, f_ld, VA_4K + 0x30, 0x30);
}

int main(void)
{
    priv_init();
    vm_setup();
    test_basic();
    test_faults();
    test_user();
    test_delegated();
    test_ad();
    test_sfence();
    test_mprv();
    test_pmp_walk();
    csr_write(satp, 0);
    sfence_vma_all();
    priv_set_u_exit((uint64_t)(uintptr_t)priv_exit_u_code);
    return test_summary(VM_NAME);
}
