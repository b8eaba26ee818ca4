/*
 * hyp_traps: modes, traps and delegation with the hypervisor extension
 * (privileged spec 1.12, "Hypervisor Extension": "Privilege Modes",
 * "Hypervisor Instructions", "Traps", and hstatus/hcounteren/hvip):
 *   entering VS/VU by MRET with MPV=1 and by SRET with hstatus.SPV=1 (and
 *   MRET/SRET clearing MPV/SPV, MRET to M ignoring MPV); ECALL causes from
 *   VS (10), VU (8), HS (9), U (8); delegation M -> HS (medeleg) -> VS
 *   (hedeleg), which applies only to traps from V=1; mstatus.MPV/MPP,
 *   sstatus.SPP, hstatus.SPV/SPVP/GVA, vsstatus.SPP/SPIE/SIE on trap entry,
 *   traps into VS leaving hstatus and the HS sstatus alone; trap values
 *   (mtval/stval with GVA, mtval2/htval = 0 outside guest-page faults,
 *   mtinst/htinst zero or the transformed instruction); VS-level
 *   interrupts from hvip delivered to VS renumbered (VSSI 2 -> 1, VSTI
 *   6 -> 5, VSEI 10 -> 9) or, without hideleg, to HS unrenumbered, and
 *   masked in HS and U; virtual-instruction exceptions (cause 22) for
 *   hypervisor/VS CSRs, HFENCE and HLV/HSV from VS/VU, supervisor CSRs,
 *   SRET, SFENCE and WFI from VU, WFI/SRET/SFENCE.VMA/satp in VS under
 *   VTW/VTSR/VTVM, counters gated by hcounteren/scounteren, against the
 *   illegal-instruction cases (not HS-qualified, mcounteren clear, TW set,
 *   FS off in either sstatus or vsstatus); HLV/HLVX/HSV from M, HS and from
 *   U with hstatus.HU=1 (illegal with HU=0), HFENCE from U, mstatus.TVM
 *   and HFENCE.GVMA.
 *
 * QEMU 7.2 deviations (both behaviours accepted unless built with
 * -DHYP_STRICT; the check's name says what QEMU does):
 *   - from VU, supervisor CSRs, SRET, SFENCE.VMA and HFENCE raise illegal
 *     instruction, not virtual instruction (QEMU only virtualises accesses
 *     to hypervisor-level CSRs);
 *   - exceptions 2, 6 and 10 delegated to VS are reported as 1, 5 and 9
 *     (the interrupt renumbering is applied to exceptions too);
 *   - mstatus.GVA is set on traps from V=1 with a nonzero tval (also
 *     illegal-instruction bits), never cleared, and not set for an HLV
 *     fault taken from M; the checks clear it before each trap;
 *   - traps into VS clear hstatus.GVA;
 *   - WFI in VU with TW=1 raises virtual instead of illegal instruction;
 *   - mstatus.TSR makes SRET illegal in VS, mstatus.TVM makes SFENCE.VMA
 *     and satp illegal in VS, and hstatus.VTVM does not trap satp accesses
 *     (only SFENCE.VMA);
 *   - HLV/HLVX/HSV traps write tval = 0 (the spec allows 0 or the bits).
 * Also, QEMU 7.2 decides HLV's legality when it translates a block, keyed
 * without V, so U-mode HLV tests use their own copies of the code (else a
 * block translated in VU raises a virtual instruction in U).
 * WFI in VS with VTW=1 traps at once on QEMU; the spec also lets it
 * complete within a bounded time (an M timer bounds the wait); EBREAK
 * writes tval = 0 (the spec also allows the pc): GVA must agree with it.
 */
#include "hyp.h"

#define NOCHECK (~0UL)
#define ADDR_UNMAPPED 0x200000000UL     /* no device or memory here */

static volatile uint64_t g_word = 0x8877665544332211UL;
static volatile uint64_t g_scratch[4];

/* ------------------------------------------------- one-instruction fns -- */
/* Executes one instruction (label 1:) with t0 = 0, t1 = a; returns its pc. */
#define INSN_FN(name, insn) \
    static long name(long a, long b) { \
        (void)b; uint64_t pc; \
        __asm__ __volatile__(NORVC(".option arch, +h\n\tmv t1, %1\n\tli t0, 0\n\tlla %0, 1f\n1:\t" insn) \
                             : "=&r"(pc) : "r"(a) : "t0", "t1", "memory"); \
        return (long)pc; }

INSN_FN(f_ecall, "ecall")
INSN_FN(f_ebreak, "ebreak")
INSN_FN(f_illegal, ".word 0xfe000033")
INSN_FN(f_wfi, "wfi")
INSN_FN(f_sret, "sret")
INSN_FN(f_sfence, "sfence.vma")
INSN_FN(f_hfence_vvma, "hfence.vvma")
INSN_FN(f_hfence_gvma, "hfence.gvma")
INSN_FN(f_hlv_d, "hlv.d t0, (t1)")
INSN_FN(f_hsv_d, "hsv.d t0, (t1)")
INSN_FN(f_hlvx_hu, "hlvx.hu t0, (t1)")
INSN_FN(f_ld, "ld t0, 0(t1)")
INSN_FN(f_sd, "sd t0, 0(t1)")
INSN_FN(f_rd_hstatus, "csrr t0, 0x600")
INSN_FN(f_rd_hgatp, "csrr t0, 0x680")
INSN_FN(f_rd_vsstatus, "csrr t0, 0x200")
INSN_FN(f_wr_hvip, "csrw 0x645, t0")
INSN_FN(f_rd_hgeip, "csrr t0, 0xe12")
INSN_FN(f_wr_hgeip, "csrw 0xe12, t0")
INSN_FN(f_rd_htimedeltah, "csrr t0, 0x615")
INSN_FN(f_rd_mstatus, "csrr t0, mstatus")
INSN_FN(f_rd_sstatus, "csrr t0, sstatus")
INSN_FN(f_wr_sscratch, "csrw sscratch, t0")
INSN_FN(f_rd_satp, "csrr t0, satp")
INSN_FN(f_rd_vsatp, "csrr t0, 0x280")
INSN_FN(f_rd_cycle, "csrr t0, cycle")
INSN_FN(f_rd_time, "csrr t0, time")
INSN_FN(f_rd_instret, "csrr t0, instret")
INSN_FN(f_fmv_x_d, "fmv.x.d t0, ft0")
/* Separate copies for U-mode: QEMU 7.2 decides HLV's legality when it
 * translates a block and does not tell U from VU apart in its block cache. */
INSN_FN(f_u_hlv_d, "hlv.d t0, (t1)")
INSN_FN(f_u_hsv_d, "hsv.d t0, (t1)")
INSN_FN(f_u_hlvx_hu, "hlvx.hu t0, (t1)")

#define INSN_FMV_X_D_T0_FT0 0xe20002d3UL
#define INSN_ILLEGAL        0xfe000033UL
/* ld t0, 0(t1) and sd t0, 0(t1), and their transformations (rs1 -> 0) */
#define INSN_LD_T0_T1       0x00033283UL
#define TINST_LD            0x00003283UL
#define INSN_SD_T0_T1       0x00533023UL
#define TINST_SD            0x00503023UL
#define TINST_HLV_D         0x6c0042f3UL

/* SRET to the instruction after it (sepc = 2:, SPP = S): in HS or VS */
static long f_sret_self(long a, long b)
{
    (void)a; (void)b;
    uint64_t pc;
    __asm__ __volatile__(NORVC("lla t0, 2f\n\tcsrw sepc, t0\n\tli t0, 0x100\n\tcsrs sstatus, t0\n\t"
                               "lla %0, 1f\n1:\tsret\n\tnop\n2:")
                         : "=&r"(pc) :: "t0", "memory");
    return (long)pc;
}

/* HS: run fn (given as a1) in mode a0 by SRET */
static long f_hs_run(long mode, long fn)
{
    return hs_call((int)mode, (hfn)fn, (long)&g_word, 0);
}

static long f_rd_sstatus_val(long a, long b)
{
    (void)a; (void)b;
    return (long)csr_read(sstatus);
}

/* ------------------------------------------------------------- checks -- */
static const char *lvl_str(uint64_t level)
{
    return level == LVL_M ? ": taken in M" : level == LVL_HS ? ": taken in HS" : ": taken in VS";
}

/* tval may also be 0 (an implementation's choice for illegal/virtual
 * instruction traps; QEMU 7.2 writes 0 for HLV/HLVX/HSV) */
#define OR_ZERO     (1UL << 62)

static char g_nbuf[160];
static const char *cat3(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    if (la + lb + lc >= sizeof(g_nbuf))
        return a;
    memcpy(g_nbuf, a, la);
    memcpy(g_nbuf + la, b, lb);
    memcpy(g_nbuf + la + lb, c, lc + 1);
    return g_nbuf;
}

static void check_tval(const char *name, uint64_t tval)
{
    if (tval == NOCHECK)
        return;
    if (tval & OR_ZERO) {
        tval &= ~OR_ZERO;
        check_true(cat3(name, ": tval = instruction or 0", tval == 0 ? "" : ""),
                   g_ht.tval == tval || g_ht.tval == 0);
    } else {
        check_eq2(name, ": tval", g_ht.tval, tval);
    }
}

/*
 * Runs fn(a) in `mode` from M with a skip-mode trap armed; checks that it
 * trapped with `cause` into `level` (or, where QEMU 7.2 deviates, with
 * alt_cause into alt_level, described by `note`), epc = the instruction,
 * tval (unless NOCHECK) and the previous mode.  mstatus.GVA is cleared
 * first (QEMU 7.2 only ever sets it).
 */
static void expect_trap_alt(const char *name, int mode, hfn fn, long a, uint64_t level,
                            uint64_t cause, uint64_t tval, uint64_t alt_level, uint64_t alt_cause,
                            const char *note)
{
    csr_clear(mstatus, MSTATUS_GVA);
    ht_arm();
    uint64_t pc = (uint64_t)hyp_call(mode, fn, a, 0);
    int taken = ht_disarm();
    check_eq2(name, ": traps", taken, 1);
    if (note) {
        check_true(cat3(name, ": cause and level ", note),
                   (g_ht.cause == cause && g_ht.level == level) ||
                       QEMU72(g_ht.cause == alt_cause && g_ht.level == alt_level));
    } else {
        check_eq2(name, ": cause", g_ht.cause, cause);
        check_eq2(name, lvl_str(level), g_ht.level, level);
    }
    check_eq2(name, ": epc", g_ht.epc, pc);
    check_tval(name, tval);
    check_eq2(name, ": previous mode", g_ht.prev, (uint64_t)mode);
}

static void expect_trap_in(const char *name, int mode, hfn fn, long a, uint64_t level,
                           uint64_t cause, uint64_t tval)
{
    expect_trap_alt(name, mode, fn, a, level, cause, tval, 0, 0, 0);
}

static void expect_no_trap(const char *name, int mode, hfn fn, long a)
{
    ht_arm();
    hyp_call(mode, fn, a, 0);
    check_eq2(name, ": no trap", ht_disarm(), 0);
}

/* No trap, or (QEMU 7.2) `cause` into `level`: the name carries the note. */
static void expect_no_trap_alt(const char *name, int mode, hfn fn, long a, uint64_t level,
                               uint64_t cause)
{
    ht_arm();
    hyp_call(mode, fn, a, 0);
    int taken = ht_disarm();
    check_true(name, !taken || QEMU72(g_ht.cause == cause && g_ht.level == level));
}

/* Same through the mini-hypervisor: HS runs fn in `mode` by SRET. */
static void expect_trap_via_hs(const char *name, int mode, hfn fn, uint64_t level, uint64_t cause,
                               uint64_t alt_level, uint64_t alt_cause, const char *note)
{
    csr_clear(mstatus, MSTATUS_GVA);
    ht_arm();
    uint64_t pc = (uint64_t)hyp_call(MODE_HS, f_hs_run, mode, (long)fn);
    int taken = ht_disarm();
    check_eq2(name, ": traps", taken, 1);
    if (note) {
        check_true(cat3(name, ": cause and level ", note),
                   (g_ht.cause == cause && g_ht.level == level) ||
                       QEMU72(g_ht.cause == alt_cause && g_ht.level == alt_level));
    } else {
        check_eq2(name, ": cause", g_ht.cause, cause);
        check_eq2(name, lvl_str(level), g_ht.level, level);
    }
    check_eq2(name, ": epc", g_ht.epc, pc);
    check_eq2(name, ": previous mode", g_ht.prev, (uint64_t)mode);
}

/* --------------------------------------------------------------- modes -- */
/* M: MRET with MPP = M and MPV = 1 to the next instruction; returns mstatus
 * read there (M stays M, MPV is cleared). */
static uint64_t mret_to_m_with_mpv(void)
{
    uint64_t st;
    csr_set(mstatus, MSTATUS_MPP | MSTATUS_MPV);
    __asm__ __volatile__(NORVC("lla t0, 1f\n\tcsrw mepc, t0\n\tmret\n1:\tcsrr %0, mstatus")
                         : "=&r"(st) :: "t0", "memory");
    return st;
}

static void test_modes(void)
{
    /* a vsstatus marker tells VS (sstatus is vsstatus) from HS */
    csr_wr(CSR_VSSTATUS, csr_rd(CSR_VSSTATUS) | MSTATUS_SUM);
    uint64_t v = (uint64_t)hyp_call(MODE_VS, f_rd_sstatus_val, 0, 0);
    EXPECT_EQ("MRET with MPV=1, MPP=S enters VS (sstatus reads vsstatus)", v & MSTATUS_SUM, MSTATUS_SUM);
    v = (uint64_t)hyp_call(MODE_HS, f_rd_sstatus_val, 0, 0);
    EXPECT_EQ("MRET with MPV=0, MPP=S enters HS (sstatus is mstatus')", v & MSTATUS_SUM, 0);
    expect_trap_alt("VU reads sstatus (MRET with MPV=1, MPP=U)", MODE_VU, f_rd_sstatus, 0, LVL_M,
                    CAUSE_VIRTUAL_INSN, CSRR_T0(0x100), LVL_M, CAUSE_ILLEGAL_INSN,
                    "virtual (QEMU 7.2: illegal)");
    expect_trap_in("U reads sstatus (MPV=0, MPP=U)", MODE_U, f_rd_sstatus, 0, LVL_M,
                   CAUSE_ILLEGAL_INSN, CSRR_T0(0x100));

    /* ECALL causes; traps to M record MPV/MPP */
    expect_trap_in("ecall from VS", MODE_VS, f_ecall, 0, LVL_M, CAUSE_ECALL_VS, 0);
    EXPECT_EQ("ecall from VS: mstatus.MPV = 1", (g_ht.status & MSTATUS_MPV) != 0, 1);
    EXPECT_EQ("ecall from VS: mstatus.MPP = S", (g_ht.status >> MSTATUS_MPP_SHIFT) & 3, 1);
    EXPECT_EQ("ecall from VS: mstatus.GVA = 0", g_ht.gva, 0);
    EXPECT_EQ("ecall from VS: mtval2 = 0", g_ht.tval2, 0);
    EXPECT_EQ("ecall from VS: mtinst = 0", g_ht.tinst, 0);
    expect_trap_in("ecall from VU", MODE_VU, f_ecall, 0, LVL_M, CAUSE_ECALL_U, 0);
    EXPECT_EQ("ecall from VU: mstatus.MPV = 1", (g_ht.status & MSTATUS_MPV) != 0, 1);
    EXPECT_EQ("ecall from VU: mstatus.MPP = U", (g_ht.status >> MSTATUS_MPP_SHIFT) & 3, 0);
    expect_trap_in("ecall from HS", MODE_HS, f_ecall, 0, LVL_M, CAUSE_ECALL_S, 0);
    EXPECT_EQ("ecall from HS: mstatus.MPV = 0", (g_ht.status & MSTATUS_MPV) != 0, 0);
    expect_trap_in("ecall from U", MODE_U, f_ecall, 0, LVL_M, CAUSE_ECALL_U, 0);
    EXPECT_EQ("ecall from U: mstatus.MPV = 0", (g_ht.status & MSTATUS_MPV) != 0, 0);

    /* MRET to M ignores MPV and clears it */
    v = mret_to_m_with_mpv();
    EXPECT_EQ("MRET with MPP=M, MPV=1: stays in M, MPV = 0", v & MSTATUS_MPV, 0);
    EXPECT_EQ("MRET: MPP = U afterwards", (v >> MSTATUS_MPP_SHIFT) & 3, 0);

    /* SRET from HS with SPV=1 */
    v = (uint64_t)hyp_call(MODE_HS, f_hs_run, MODE_VS, (long)f_rd_sstatus_val);
    EXPECT_EQ("SRET with SPV=1, SPP=S enters VS (sstatus reads vsstatus)", v & MSTATUS_SUM, MSTATUS_SUM);
    expect_trap_via_hs("SRET with SPV=1, SPP=S: ecall from VS", MODE_VS, f_ecall, LVL_M, CAUSE_ECALL_VS,
                       0, 0, 0);
    EXPECT_EQ("SRET with SPV=1: hstatus.SPV cleared by the SRET", g_ht.hstatus & HSTATUS_SPV, 0);
    expect_trap_via_hs("SRET with SPV=1, SPP=U: VU reads sstatus", MODE_VU, f_rd_sstatus, LVL_M,
                       CAUSE_VIRTUAL_INSN, LVL_M, CAUSE_ILLEGAL_INSN, "virtual (QEMU 7.2: illegal)");
    expect_trap_via_hs("SRET with SPV=0, SPP=U: U reads sstatus", MODE_U, f_rd_sstatus, LVL_M,
                       CAUSE_ILLEGAL_INSN, 0, 0, 0);
    expect_trap_via_hs("SRET with SPV=1, SPP=U: ecall from VU", MODE_VU, f_ecall, LVL_M, CAUSE_ECALL_U,
                       0, 0, 0);
    csr_wr(CSR_VSSTATUS, csr_rd(CSR_VSSTATUS) & ~MSTATUS_SUM);
}

/* ----------------------------------------------------------- delegation -- */
/* VS or VU: set sstatus.SIE, run the illegal instruction; returns its pc */
static long f_sie_illegal(long a, long b)
{
    (void)a; (void)b;
    csr_set(sstatus, MSTATUS_SIE);
    long pc = f_illegal(0, 0);
    uint64_t st = csr_read(sstatus);
    csr_clear(sstatus, MSTATUS_SIE);
    g_scratch[0] = st;
    return pc;
}

static void test_delegation(void)
{
    /* ECALL from VS delegated to HS */
    csr_write(medeleg, 1UL << CAUSE_ECALL_VS);
    expect_trap_in("medeleg[10]: ecall from VS", MODE_VS, f_ecall, 0, LVL_HS, CAUSE_ECALL_VS, 0);
    EXPECT_EQ("  sstatus.SPP = S", (g_ht.status >> 8) & 1, 1);
    EXPECT_EQ("  hstatus.SPV = 1", (g_ht.hstatus & HSTATUS_SPV) != 0, 1);
    EXPECT_EQ("  hstatus.SPVP = 1 (VS)", (g_ht.hstatus & HSTATUS_SPVP) != 0, 1);
    EXPECT_EQ("  hstatus.GVA = 0", g_ht.gva, 0);
    EXPECT_EQ("  htval = 0", g_ht.tval2, 0);
    EXPECT_EQ("  htinst = 0", g_ht.tinst, 0);
    csr_wr(CSR_HEDELEG, ~0UL);
    expect_trap_in("hedeleg all ones: ecall from VS still to HS", MODE_VS, f_ecall, 0, LVL_HS,
                   CAUSE_ECALL_VS, 0);
    csr_wr(CSR_HEDELEG, 0);

    /* ECALL from VU / U delegated to HS and on to VS */
    csr_write(medeleg, 1UL << CAUSE_ECALL_U);
    expect_trap_in("medeleg[8]: ecall from VU", MODE_VU, f_ecall, 0, LVL_HS, CAUSE_ECALL_U, 0);
    EXPECT_EQ("  sstatus.SPP = U", (g_ht.status >> 8) & 1, 0);
    EXPECT_EQ("  hstatus.SPV = 1", (g_ht.hstatus & HSTATUS_SPV) != 0, 1);
    EXPECT_EQ("  hstatus.SPVP = 0 (VU)", (g_ht.hstatus & HSTATUS_SPVP) != 0, 0);
    csr_wr(CSR_HEDELEG, 1UL << CAUSE_ECALL_U);
    expect_trap_in("medeleg[8]+hedeleg[8]: ecall from VU", MODE_VU, f_ecall, 0, LVL_VS, CAUSE_ECALL_U, 0);
    EXPECT_EQ("  vsstatus.SPP = U", (g_ht.status >> 8) & 1, 0);
    expect_trap_in("medeleg[8]+hedeleg[8]: ecall from U (V=0) goes to HS", MODE_U, f_ecall, 0, LVL_HS,
                   CAUSE_ECALL_U, 0);
    /* SPVP: written only on traps from V=1 */
    csr_wr(CSR_HSTATUS, csr_rd(CSR_HSTATUS) | HSTATUS_SPVP);
    expect_trap_in("hstatus.SPVP=1: ecall from U to HS", MODE_U, f_ecall, 0, LVL_HS, CAUSE_ECALL_U, 0);
    EXPECT_EQ("  SPVP unchanged (1) by a trap from V=0", (g_ht.hstatus & HSTATUS_SPVP) != 0, 1);
    EXPECT_EQ("  hstatus.SPV = 0", (g_ht.hstatus & HSTATUS_SPV) != 0, 0);
    csr_wr(CSR_HEDELEG, 0);
    csr_write(medeleg, 0);

    /* illegal instruction: M, HS, VS */
    expect_trap_in("illegal in VS, not delegated", MODE_VS, f_illegal, 0, LVL_M, CAUSE_ILLEGAL_INSN,
                   INSN_ILLEGAL);
    EXPECT_EQ("  mtval2 = 0", g_ht.tval2, 0);
    EXPECT_EQ("  mtinst = 0", g_ht.tinst, 0);
    CHECK("  mstatus.GVA = 0 (QEMU 7.2: 1, as tval != 0)", g_ht.gva == 0 || QEMU72(g_ht.gva == 1));
    csr_write(medeleg, 1UL << CAUSE_ILLEGAL_INSN);
    expect_trap_in("medeleg[2]: illegal in VS", MODE_VS, f_illegal, 0, LVL_HS, CAUSE_ILLEGAL_INSN,
                   INSN_ILLEGAL);
    EXPECT_EQ("  htval = 0", g_ht.tval2, 0);
    EXPECT_EQ("  htinst = 0", g_ht.tinst, 0);
    EXPECT_EQ("  hstatus.GVA = 0", g_ht.gva, 0);
    csr_wr(CSR_HEDELEG, 1UL << CAUSE_ILLEGAL_INSN);
    /* markers that a trap into VS must not touch */
    csr_wr(CSR_HSTATUS, csr_rd(CSR_HSTATUS) | HSTATUS_GVA | HSTATUS_SPVP);
    csr_set(mstatus, MSTATUS_SPIE);
    csr_clear(mstatus, MSTATUS_SPP);
    expect_trap_alt("medeleg[2]+hedeleg[2]: illegal in VS", MODE_VS, f_sie_illegal, 0, LVL_VS,
                    CAUSE_ILLEGAL_INSN, INSN_ILLEGAL, LVL_VS, 1, "2 in VS (QEMU 7.2: renumbered to 1)");
    EXPECT_EQ("  vsstatus.SPP = S", (g_ht.status >> 8) & 1, 1);
    EXPECT_EQ("  vsstatus.SPIE = old SIE (1)", (g_ht.status >> 5) & 1, 1);
    EXPECT_EQ("  vsstatus.SIE = 0 in the handler", (g_ht.status >> 1) & 1, 0);
    EXPECT_EQ("  SRET in VS: SIE = SPIE (1) after", (g_scratch[0] >> 1) & 1, 1);
    uint64_t hs = csr_rd(CSR_HSTATUS), ms = csr_read(mstatus);
    EXPECT_EQ("  hstatus.SPVP untouched", hs & HSTATUS_SPVP, HSTATUS_SPVP);
    CHECK("  hstatus.GVA untouched (QEMU 7.2: cleared)", (hs & HSTATUS_GVA) || QEMU72(1));
    EXPECT_EQ("  HS sstatus.SPIE/SPP untouched", ms & (MSTATUS_SPIE | MSTATUS_SPP), MSTATUS_SPIE);
    csr_wr(CSR_HSTATUS, hs & ~(HSTATUS_GVA | HSTATUS_SPVP));
    expect_trap_alt("medeleg[2]+hedeleg[2]: illegal in VU", MODE_VU, f_illegal, 0, LVL_VS,
                    CAUSE_ILLEGAL_INSN, INSN_ILLEGAL, LVL_VS, 1, "2 in VS (QEMU 7.2: renumbered to 1)");
    EXPECT_EQ("  vsstatus.SPP = U", (g_ht.status >> 8) & 1, 0);
    expect_trap_in("medeleg[2]+hedeleg[2]: illegal in HS (V=0) goes to HS", MODE_HS, f_illegal, 0, LVL_HS,
                   CAUSE_ILLEGAL_INSN, INSN_ILLEGAL);
    expect_trap_in("medeleg[2]+hedeleg[2]: illegal in U (V=0) goes to HS", MODE_U, f_illegal, 0, LVL_HS,
                   CAUSE_ILLEGAL_INSN, INSN_ILLEGAL);
    csr_write(medeleg, 0);
    expect_trap_in("hedeleg[2] without medeleg[2]: illegal in VS goes to M", MODE_VS, f_illegal, 0, LVL_M,
                   CAUSE_ILLEGAL_INSN, INSN_ILLEGAL);
    csr_wr(CSR_HEDELEG, 0);

    /* EBREAK: GVA agrees with whether stval holds the (guest virtual) pc */
    csr_write(medeleg, 1UL << CAUSE_BREAKPOINT);
    expect_trap_in("medeleg[3]: ebreak in VS", MODE_VS, f_ebreak, 0, LVL_HS, CAUSE_BREAKPOINT, NOCHECK);
    CHECK("  stval = 0 or the pc (QEMU 7.2: 0)", g_ht.tval == 0 || g_ht.tval == g_ht.epc);
    EXPECT_EQ("  hstatus.GVA = (stval != 0)", g_ht.gva, g_ht.tval != 0);
    csr_write(medeleg, 0);
}

/* ----------------------------------------------------------- trap values -- */
static void test_trap_values(void)
{
    csr_write(medeleg, (1UL << CAUSE_LOAD_ACCESS) | (1UL << CAUSE_STORE_ACCESS));
    expect_trap_in("load access fault in VS, to HS", MODE_VS, f_ld, (long)ADDR_UNMAPPED, LVL_HS,
                   CAUSE_LOAD_ACCESS, ADDR_UNMAPPED);
    EXPECT_EQ("  hstatus.GVA = 1 (stval is a guest virtual address)", g_ht.gva, 1);
    EXPECT_EQ("  htval = 0 (not a guest-page fault)", g_ht.tval2, 0);
    CHECK("  htinst = 0 or the transformed ld", g_ht.tinst == 0 || g_ht.tinst == TINST_LD);
    expect_trap_in("store access fault in VS, to HS", MODE_VS, f_sd, (long)ADDR_UNMAPPED, LVL_HS,
                   CAUSE_STORE_ACCESS, ADDR_UNMAPPED);
    EXPECT_EQ("  hstatus.GVA = 1", g_ht.gva, 1);
    EXPECT_EQ("  htval = 0", g_ht.tval2, 0);
    CHECK("  htinst = 0 or the transformed sd", g_ht.tinst == 0 || g_ht.tinst == TINST_SD);
    expect_trap_in("load access fault in VU, to HS", MODE_VU, f_ld, (long)ADDR_UNMAPPED, LVL_HS,
                   CAUSE_LOAD_ACCESS, ADDR_UNMAPPED);
    EXPECT_EQ("  hstatus.GVA = 1", g_ht.gva, 1);
    expect_trap_in("load access fault in HS, to HS", MODE_HS, f_ld, (long)ADDR_UNMAPPED, LVL_HS,
                   CAUSE_LOAD_ACCESS, ADDR_UNMAPPED);
    EXPECT_EQ("  hstatus.GVA = 0 (V=0)", g_ht.gva, 0);
    /* HLV's explicit access is a guest access even though V=0 */
    expect_trap_in("hlv.d access fault in HS, to HS", MODE_HS, f_hlv_d, (long)ADDR_UNMAPPED, LVL_HS,
                   CAUSE_LOAD_ACCESS, ADDR_UNMAPPED);
    EXPECT_EQ("  hstatus.GVA = 1", g_ht.gva, 1);
    EXPECT_EQ("  hstatus.SPV = 0", (g_ht.hstatus & HSTATUS_SPV) != 0, 0);
    CHECK("  htinst = 0 or the transformed hlv.d", g_ht.tinst == 0 || g_ht.tinst == TINST_HLV_D);
    csr_write(medeleg, 0);

    expect_trap_in("load access fault in VS, to M", MODE_VS, f_ld, (long)ADDR_UNMAPPED, LVL_M,
                   CAUSE_LOAD_ACCESS, ADDR_UNMAPPED);
    EXPECT_EQ("  mstatus.GVA = 1", g_ht.gva, 1);
    EXPECT_EQ("  mtval2 = 0", g_ht.tval2, 0);
    CHECK("  mtinst = 0 or the transformed ld", g_ht.tinst == 0 || g_ht.tinst == TINST_LD);
    expect_trap_in("store access fault in VU, to M", MODE_VU, f_sd, (long)ADDR_UNMAPPED, LVL_M,
                   CAUSE_STORE_ACCESS, ADDR_UNMAPPED);
    EXPECT_EQ("  mstatus.GVA = 1", g_ht.gva, 1);
    expect_trap_in("load access fault in HS, to M", MODE_HS, f_ld, (long)ADDR_UNMAPPED, LVL_M,
                   CAUSE_LOAD_ACCESS, ADDR_UNMAPPED);
    EXPECT_EQ("  mstatus.GVA = 0", g_ht.gva, 0);
    expect_trap_in("hlv.d access fault in M", MODE_M, f_hlv_d, (long)ADDR_UNMAPPED, LVL_M,
                   CAUSE_LOAD_ACCESS, ADDR_UNMAPPED);
    CHECK("  mstatus.GVA = 1 (QEMU 7.2: 0, V was 0)", g_ht.gva == 1 || QEMU72(g_ht.gva == 0));
    EXPECT_EQ("  mstatus.MPV = 0", (g_ht.status & MSTATUS_MPV) != 0, 0);
}

/* ---------------------------------------------------------- interrupts -- */
/* VS/VU: enable the S-level interrupt bits a0 (in VS: vsie) and SIE, wait */
static long f_irq_window(long sie_bits, long b)
{
    (void)b;
    if (sie_bits) {
        csr_set(sie, sie_bits);
        csr_set(sstatus, MSTATUS_SIE);
    }
    for (volatile int i = 0; i < 200; i++)
        ;
    if (sie_bits) {
        csr_clear(sstatus, MSTATUS_SIE);
        csr_clear(sie, sie_bits);
    }
    return 0;
}

static void expect_irq(const char *name, int mode, long sie_bits, uint64_t level, uint64_t cause)
{
    g_irq_n = 0;
    hyp_call(mode, f_irq_window, sie_bits, 0);
    check_eq2(name, ": one interrupt", g_irq_n, 1);
    check_eq2(name, ": cause", g_irq_log[0].cause, cause);
    check_eq2(name, lvl_str(level), g_irq_log[0].level, level);
    check_eq2(name, ": previous mode", g_irq_log[0].prev, (uint64_t)mode);
}

static void expect_no_irq(const char *name, int mode, long sie_bits)
{
    g_irq_n = 0;
    hyp_call(mode, f_irq_window, sie_bits, 0);
    check_eq2(name, ": no interrupt", g_irq_n, 0);
}

static void test_interrupts(void)
{
    csr_write(mideleg, 0x222UL);            /* S-level ones delegated, as a host does */
    csr_wr(CSR_HIDELEG, MIP_VS_ALL);
    csr_wr(CSR_HVIP, MIP_VSSIP);
    expect_irq("hvip.VSSIP, hideleg: VS takes it", MODE_VS, 1L << IRQ_SSI, LVL_VS, CAUSE_INTR | IRQ_SSI);
    csr_wr(CSR_HVIP, MIP_VSTIP);
    expect_irq("hvip.VSTIP, hideleg: VS takes it", MODE_VS, 1L << IRQ_STI, LVL_VS, CAUSE_INTR | IRQ_STI);
    csr_wr(CSR_HVIP, MIP_VSEIP);
    expect_irq("hvip.VSEIP, hideleg: VS takes it", MODE_VS, 1L << IRQ_SEI, LVL_VS, CAUSE_INTR | IRQ_SEI);
    csr_wr(CSR_HVIP, 0);

    /* globally enabled in VU regardless of vsstatus.SIE */
    csr_wr(CSR_HVIP, MIP_VSSIP);
    csr_wr(CSR_VSIE, 1UL << IRQ_SSI);
    expect_irq("hvip.VSSIP, hideleg, vsie.SSIE, in VU: VS takes it", MODE_VU, 0, LVL_VS,
               CAUSE_INTR | IRQ_SSI);
    /* not taken in HS (V=0) or in U */
    csr_wr(CSR_VSIE, 1UL << IRQ_SSI);
    csr_wr(CSR_VSSTATUS, csr_rd(CSR_VSSTATUS) | MSTATUS_SIE);
    expect_no_irq("hvip.VSSIP, hideleg, in HS with SIE=1", MODE_HS, 1L << IRQ_SSI);
    expect_no_irq("hvip.VSSIP, hideleg, in U", MODE_U, 0);
    csr_wr(CSR_VSSTATUS, csr_rd(CSR_VSSTATUS) & ~MSTATUS_SIE);
    csr_wr(CSR_VSIE, 0);
    csr_wr(CSR_HVIP, 0);

    /* without hideleg: to HS, not renumbered, whatever HS's SIE in VS/VU */
    csr_wr(CSR_HIDELEG, 0);
    csr_wr(CSR_HVIP, MIP_VSSIP);
    csr_wr(CSR_HIE, MIP_VSSIP);
    expect_irq("hvip.VSSIP, no hideleg, hie: HS takes it from VS", MODE_VS, 0, LVL_HS,
               CAUSE_INTR | IRQ_VSSI);
    csr_wr(CSR_HVIP, MIP_VSTIP);
    csr_wr(CSR_HIE, MIP_VSTIP);
    expect_irq("hvip.VSTIP, no hideleg, hie: HS takes it from VU", MODE_VU, 0, LVL_HS,
               CAUSE_INTR | IRQ_VSTI);
    csr_wr(CSR_HVIP, MIP_VSEIP);
    csr_wr(CSR_HIE, MIP_VSEIP);
    expect_irq("hvip.VSEIP, no hideleg, hie: HS takes it from VS", MODE_VS, 0, LVL_HS,
               CAUSE_INTR | IRQ_VSEI);
    csr_wr(CSR_HIE, MIP_VSEIP);
    expect_no_irq("hvip.VSEIP, no hideleg, in HS with SIE=0", MODE_HS, 0);
    csr_wr(CSR_HIE, MIP_VSEIP);
    /* HS enables with sstatus.SIE only (its sie has no VS bits) */
    expect_irq("hvip.VSEIP, no hideleg, in HS with SIE=1", MODE_HS, 1L << IRQ_SEI, LVL_HS,
               CAUSE_INTR | IRQ_VSEI);
    csr_wr(CSR_HVIP, 0);
    csr_wr(CSR_HIE, 0);
}

/* --------------------------------------------------- virtual instruction -- */
static void vi(const char *name, int mode, hfn fn, long a, uint64_t tval)
{
    expect_trap_in(name, mode, fn, a, LVL_HS, CAUSE_VIRTUAL_INSN, tval);
}

static void ill(const char *name, int mode, hfn fn, long a, uint64_t tval)
{
    expect_trap_in(name, mode, fn, a, LVL_M, CAUSE_ILLEGAL_INSN, tval);
}

/* virtual instruction, where QEMU 7.2 raises an illegal instruction */
static void vi_qemu_ill(const char *name, int mode, hfn fn, long a, uint64_t tval)
{
    expect_trap_alt(name, mode, fn, a, LVL_HS, CAUSE_VIRTUAL_INSN, tval, LVL_M, CAUSE_ILLEGAL_INSN,
                    "virtual (QEMU 7.2: illegal)");
}

/* VS: FP write (both FS fields become Dirty) */
static long f_fp_write(long a, long b)
{
    (void)a; (void)b;
    __asm__ __volatile__("fmv.d.x ft0, zero" ::: "memory");
    return (long)csr_read(sstatus);
}

static void test_virtual_insn(void)
{
    uint64_t w = (uint64_t)(uintptr_t)&g_word;
    csr_write(medeleg, 1UL << CAUSE_VIRTUAL_INSN);

    /* from VS */
    vi("VS reads hstatus", MODE_VS, f_rd_hstatus, 0, CSRR_T0(CSR_HSTATUS));
    vi("VS reads hgatp", MODE_VS, f_rd_hgatp, 0, CSRR_T0(CSR_HGATP));
    vi("VS reads vsstatus", MODE_VS, f_rd_vsstatus, 0, CSRR_T0(CSR_VSSTATUS));
    vi("VS reads vsatp", MODE_VS, f_rd_vsatp, 0, CSRR_T0(CSR_VSATP));
    vi("VS writes hvip", MODE_VS, f_wr_hvip, 0, CSRW_T0(CSR_HVIP));
    vi("VS reads hgeip", MODE_VS, f_rd_hgeip, 0, CSRR_T0(CSR_HGEIP));
    ill("VS writes hgeip (read-only, illegal in HS too)", MODE_VS, f_wr_hgeip, 0, CSRW_T0(CSR_HGEIP));
    ill("VS reads htimedeltah (not on RV64)", MODE_VS, f_rd_htimedeltah, 0, CSRR_T0(CSR_HTIMEDELTAH));
    ill("VS reads mstatus", MODE_VS, f_rd_mstatus, 0, CSRR_T0(CSR_MSTATUS));
    vi("VS hfence.vvma", MODE_VS, f_hfence_vvma, 0, INSN_HFENCE_VVMA);
    vi("VS hfence.gvma", MODE_VS, f_hfence_gvma, 0, INSN_HFENCE_GVMA);
    vi("VS hlv.d", MODE_VS, f_hlv_d, (long)w, INSN_HLV_D_T0_T1 | OR_ZERO);
    vi("VS hlvx.hu", MODE_VS, f_hlvx_hu, (long)w, INSN_HLVX_HU_T0_T1 | OR_ZERO);
    vi("VS hsv.d", MODE_VS, f_hsv_d, (long)w, INSN_HSV_D_T0_T1 | OR_ZERO);
    expect_no_trap("VS reads sstatus", MODE_VS, f_rd_sstatus, 0);

    /* VTW / TW */
    watchdog_start(20000);
    csr_wr(CSR_HSTATUS, csr_rd(CSR_HSTATUS) | HSTATUS_VTW);
    vi("VTW=1: wfi in VS (QEMU 7.2 traps at once)", MODE_VS, f_wfi, 0, INSN_WFI);
    csr_wr(CSR_HSTATUS, csr_rd(CSR_HSTATUS) & ~HSTATUS_VTW);
    csr_set(mstatus, MSTATUS_TW);
    ill("TW=1: wfi in VS", MODE_VS, f_wfi, 0, INSN_WFI);
    expect_trap_alt("TW=1: wfi in VU", MODE_VU, f_wfi, 0, LVL_M, CAUSE_ILLEGAL_INSN, INSN_WFI,
                    LVL_HS, CAUSE_VIRTUAL_INSN, "illegal in M (QEMU 7.2: virtual)");
    csr_clear(mstatus, MSTATUS_TW);
    vi("TW=0: wfi in VU", MODE_VU, f_wfi, 0, INSN_WFI);
    watchdog_stop();

    /* VTSR / TSR */
    csr_wr(CSR_HSTATUS, csr_rd(CSR_HSTATUS) | HSTATUS_VTSR);
    vi("VTSR=1: sret in VS", MODE_VS, f_sret_self, 0, INSN_SRET);
    csr_wr(CSR_HSTATUS, csr_rd(CSR_HSTATUS) & ~HSTATUS_VTSR);
    csr_set(mstatus, MSTATUS_TSR);
    expect_no_trap_alt("TSR=1, VTSR=0: sret in VS completes: no trap (QEMU 7.2: illegal)", MODE_VS,
                       f_sret_self, 0, LVL_M, CAUSE_ILLEGAL_INSN);
    ill("TSR=1: sret in HS", MODE_HS, f_sret_self, 0, INSN_SRET);
    csr_clear(mstatus, MSTATUS_TSR);
    expect_no_trap("VTSR=0: sret in VS completes", MODE_VS, f_sret_self, 0);

    /* VTVM / TVM */
    csr_wr(CSR_HSTATUS, csr_rd(CSR_HSTATUS) | HSTATUS_VTVM);
    vi("VTVM=1: sfence.vma in VS", MODE_VS, f_sfence, 0, INSN_SFENCE_VMA);
    ht_arm();
    hyp_call(MODE_VS, f_rd_satp, 0, 0);
    {
        int taken = ht_disarm();
        CHECK("VTVM=1: satp read in VS: virtual instruction (QEMU 7.2: no trap)",
              (taken && g_ht.cause == CAUSE_VIRTUAL_INSN && g_ht.level == LVL_HS &&
               g_ht.tval == CSRR_T0(CSR_SATP)) || QEMU72(!taken));
    }
    expect_no_trap("VTVM=1: sfence.vma in HS", MODE_HS, f_sfence, 0);
    csr_wr(CSR_HSTATUS, csr_rd(CSR_HSTATUS) & ~HSTATUS_VTVM);
    csr_set(mstatus, MSTATUS_TVM);
    expect_no_trap_alt("TVM=1, VTVM=0: sfence.vma in VS: no trap (QEMU 7.2: illegal)", MODE_VS, f_sfence, 0,
                       LVL_M, CAUSE_ILLEGAL_INSN);
    expect_no_trap_alt("TVM=1, VTVM=0: satp read in VS: no trap (QEMU 7.2: illegal)", MODE_VS, f_rd_satp, 0,
                       LVL_M, CAUSE_ILLEGAL_INSN);
    ill("TVM=1: hfence.gvma in HS", MODE_HS, f_hfence_gvma, 0, INSN_HFENCE_GVMA);
    expect_no_trap("TVM=1: hfence.vvma in HS", MODE_HS, f_hfence_vvma, 0);
    expect_no_trap("TVM=1: vsatp read in HS", MODE_HS, f_rd_vsatp, 0);
    expect_no_trap("TVM=1: hfence.gvma in M", MODE_M, f_hfence_gvma, 0);
    csr_clear(mstatus, MSTATUS_TVM);
    expect_no_trap("TVM=0: hfence.gvma in HS", MODE_HS, f_hfence_gvma, 0);

    /* counters: hcounteren, scounteren, mcounteren */
    csr_wr(CSR_HCOUNTEREN, 0);
    vi("hcounteren=0: VS reads cycle", MODE_VS, f_rd_cycle, 0, CSRR_T0(CSR_CYCLE));
    vi("hcounteren=0: VS reads time", MODE_VS, f_rd_time, 0, CSRR_T0(CSR_TIME));
    vi("hcounteren=0: VS reads instret", MODE_VS, f_rd_instret, 0, CSRR_T0(CSR_INSTRET));
    expect_no_trap("hcounteren=0: HS reads cycle", MODE_HS, f_rd_cycle, 0);
    csr_wr(CSR_HCOUNTEREN, 7);
    expect_no_trap("hcounteren=7: VS reads cycle", MODE_VS, f_rd_cycle, 0);
    expect_no_trap("hcounteren=7: VS reads time", MODE_VS, f_rd_time, 0);
    expect_no_trap("hcounteren=7: VS reads instret", MODE_VS, f_rd_instret, 0);
    csr_write(scounteren, 0);
    vi("hcounteren=7, scounteren=0: VU reads cycle", MODE_VU, f_rd_cycle, 0, CSRR_T0(CSR_CYCLE));
    csr_write(scounteren, 7);
    expect_no_trap("hcounteren=7, scounteren=7: VU reads cycle", MODE_VU, f_rd_cycle, 0);
    csr_wr(CSR_HCOUNTEREN, 0);
    vi("hcounteren=0, scounteren=7: VU reads time", MODE_VU, f_rd_time, 0, CSRR_T0(CSR_TIME));
    csr_wr(CSR_HCOUNTEREN, 7);
    csr_write(mcounteren, 0);
    ill("mcounteren=0, hcounteren=7: VS reads cycle", MODE_VS, f_rd_cycle, 0, CSRR_T0(CSR_CYCLE));
    ill("mcounteren=0: VU reads instret", MODE_VU, f_rd_instret, 0, CSRR_T0(CSR_INSTRET));
    csr_write(mcounteren, 7);

    /* FS: off in either status is illegal, never virtual */
    uint64_t vsst = csr_rd(CSR_VSSTATUS);
    csr_wr(CSR_VSSTATUS, vsst & ~(3UL << 13));
    ill("vsstatus.FS=0: FP in VS", MODE_VS, f_fmv_x_d, 0, INSN_FMV_X_D_T0_FT0);
    csr_wr(CSR_VSSTATUS, (vsst & ~(3UL << 13)) | (1UL << 13));
    uint64_t mfs = csr_read(mstatus) & (3UL << 13);
    csr_clear(mstatus, 3UL << 13);
    ill("sstatus.FS=0, vsstatus.FS=1: FP in VS", MODE_VS, f_fmv_x_d, 0, INSN_FMV_X_D_T0_FT0);
    csr_set(mstatus, 1UL << 13);
    uint64_t st = (uint64_t)hyp_call(MODE_VS, f_fp_write, 0, 0);
    EXPECT_EQ("FP write in VS: vsstatus.FS = Dirty", (st >> 13) & 3, 3);
    EXPECT_EQ("FP write in VS: HS sstatus.FS = Dirty", (csr_read(mstatus) >> 13) & 3, 3);
    csr_clear(mstatus, 3UL << 13);
    csr_set(mstatus, mfs ? mfs : (1UL << 13));
    csr_wr(CSR_VSSTATUS, vsst);

    /* from VU */
    vi("VU reads hstatus", MODE_VU, f_rd_hstatus, 0, CSRR_T0(CSR_HSTATUS));
    vi("VU reads vsstatus", MODE_VU, f_rd_vsstatus, 0, CSRR_T0(CSR_VSSTATUS));
    vi_qemu_ill("VU reads sstatus", MODE_VU, f_rd_sstatus, 0, CSRR_T0(CSR_SSTATUS));
    vi_qemu_ill("VU writes sscratch", MODE_VU, f_wr_sscratch, 0, CSRW_T0(CSR_SSCRATCH));
    vi_qemu_ill("VU reads satp", MODE_VU, f_rd_satp, 0, CSRR_T0(CSR_SATP));
    ill("VU reads mstatus", MODE_VU, f_rd_mstatus, 0, CSRR_T0(CSR_MSTATUS));
    vi_qemu_ill("VU sret", MODE_VU, f_sret, 0, INSN_SRET);
    vi_qemu_ill("VU sfence.vma", MODE_VU, f_sfence, 0, INSN_SFENCE_VMA);
    vi("VU hlv.d", MODE_VU, f_hlv_d, (long)w, INSN_HLV_D_T0_T1 | OR_ZERO);
    vi_qemu_ill("VU hfence.vvma", MODE_VU, f_hfence_vvma, 0, INSN_HFENCE_VVMA);

    /* not delegated: virtual instruction in M */
    csr_write(medeleg, 0);
    expect_trap_in("medeleg[22]=0: VS reads hstatus", MODE_VS, f_rd_hstatus, 0, LVL_M, CAUSE_VIRTUAL_INSN,
                   CSRR_T0(CSR_HSTATUS));
    EXPECT_EQ("  mtval2 = 0", g_ht.tval2, 0);
    EXPECT_EQ("  mtinst = 0", g_ht.tinst, 0);
}

/* ---------------------------------------------- HLV/HLVX/HSV, HFENCE in U -- */
#define HLV_FN(name, insn) \
    static long name(long a, long b) { \
        (void)b; uint64_t v; \
        __asm__ __volatile__(".option push\n\t.option arch, +h\n\t" insn " %0, (%1)\n\t.option pop" \
                             : "=r"(v) : "r"(a) : "memory"); \
        return (long)v; }
#define HSV_FN(name, insn) \
    static long name(long a, long b) { \
        __asm__ __volatile__(".option push\n\t.option arch, +h\n\t" insn " %1, (%0)\n\t.option pop" \
                             :: "r"(a), "r"(b) : "memory"); \
        return 0; }

HLV_FN(f_hlv_b_v, "hlv.b")
HLV_FN(f_hlv_bu_v, "hlv.bu")
HLV_FN(f_hlv_h_v, "hlv.h")
HLV_FN(f_hlv_hu_v, "hlv.hu")
HLV_FN(f_hlv_w_v, "hlv.w")
HLV_FN(f_hlv_wu_v, "hlv.wu")
HLV_FN(f_hlv_d_v, "hlv.d")
HLV_FN(f_hlvx_hu_v, "hlvx.hu")
HLV_FN(f_hlvx_wu_v, "hlvx.wu")
HSV_FN(f_hsv_b_v, "hsv.b")
HSV_FN(f_hsv_h_v, "hsv.h")
HSV_FN(f_hsv_w_v, "hsv.w")
HSV_FN(f_hsv_d_v, "hsv.d")

static volatile uint64_t g_neg = 0xfedcba98f6e5d4c3UL;

static void test_hlv(void)
{
    long n = (long)(uintptr_t)&g_neg;
    long s = (long)(uintptr_t)&g_scratch[1];
    long code = (long)(uintptr_t)f_hlv_b_v;
    uint32_t code_w = *(volatile uint32_t *)(uintptr_t)code;

    EXPECT_EQ("HS hlv.b sign-extends", hyp_call(MODE_HS, f_hlv_b_v, n, 0), (long)(int8_t)0xc3);
    EXPECT_EQ("HS hlv.bu zero-extends", hyp_call(MODE_HS, f_hlv_bu_v, n, 0), 0xc3);
    EXPECT_EQ("HS hlv.h sign-extends", hyp_call(MODE_HS, f_hlv_h_v, n, 0), (long)(int16_t)0xd4c3);
    EXPECT_EQ("HS hlv.hu zero-extends", hyp_call(MODE_HS, f_hlv_hu_v, n, 0), 0xd4c3);
    EXPECT_EQ("HS hlv.w sign-extends", hyp_call(MODE_HS, f_hlv_w_v, n, 0), (long)(int32_t)0xf6e5d4c3);
    EXPECT_EQ("HS hlv.wu zero-extends", hyp_call(MODE_HS, f_hlv_wu_v, n, 0), 0xf6e5d4c3UL);
    EXPECT_EQ("HS hlv.d", hyp_call(MODE_HS, f_hlv_d_v, n, 0), 0xfedcba98f6e5d4c3UL);
    EXPECT_EQ("HS hlvx.hu reads code", hyp_call(MODE_HS, f_hlvx_hu_v, code, 0), code_w & 0xffff);
    EXPECT_EQ("HS hlvx.wu reads code", hyp_call(MODE_HS, f_hlvx_wu_v, code, 0), code_w);
    g_scratch[1] = 0;
    hyp_call(MODE_HS, f_hsv_b_v, s, 0x1122334455667788L);
    EXPECT_EQ("HS hsv.b writes one byte", g_scratch[1], 0x88);
    hyp_call(MODE_HS, f_hsv_h_v, s, 0x1122334455667788L);
    EXPECT_EQ("HS hsv.h writes two bytes", g_scratch[1], 0x7788);
    hyp_call(MODE_HS, f_hsv_w_v, s, 0x1122334455667788L);
    EXPECT_EQ("HS hsv.w writes four bytes", g_scratch[1], 0x55667788);
    hyp_call(MODE_HS, f_hsv_d_v, s, 0x1122334455667788L);
    EXPECT_EQ("HS hsv.d writes eight bytes", g_scratch[1], 0x1122334455667788UL);
    EXPECT_EQ("M hlv.d", hyp_call(MODE_M, f_hlv_d_v, n, 0), 0xfedcba98f6e5d4c3UL);

    /* U-mode: only with hstatus.HU = 1 */
    ill("HU=0: hlv.d in U", MODE_U, f_u_hlv_d, n, INSN_HLV_D_T0_T1 | OR_ZERO);
    ill("HU=0: hsv.d in U", MODE_U, f_u_hsv_d, s, INSN_HSV_D_T0_T1 | OR_ZERO);
    ill("HU=0: hlvx.hu in U", MODE_U, f_u_hlvx_hu, code, INSN_HLVX_HU_T0_T1 | OR_ZERO);
    csr_wr(CSR_HSTATUS, csr_rd(CSR_HSTATUS) | HSTATUS_HU);
    EXPECT_EQ("HU=1: U hlv.d", hyp_call(MODE_U, f_hlv_d_v, n, 0), 0xfedcba98f6e5d4c3UL);
    EXPECT_EQ("HU=1: U hlvx.wu reads code", hyp_call(MODE_U, f_hlvx_wu_v, code, 0), code_w);
    hyp_call(MODE_U, f_hsv_d_v, s, 0x0102030405060708L);
    EXPECT_EQ("HU=1: U hsv.d", g_scratch[1], 0x0102030405060708UL);
    ill("HU=1: hfence.vvma in U", MODE_U, f_hfence_vvma, 0, INSN_HFENCE_VVMA);
    ill("HU=1: hfence.gvma in U", MODE_U, f_hfence_gvma, 0, INSN_HFENCE_GVMA);
    csr_wr(CSR_HSTATUS, csr_rd(CSR_HSTATUS) & ~HSTATUS_HU);
    ill("HU=0: hfence.vvma in U", MODE_U, f_hfence_vvma, 0, INSN_HFENCE_VVMA);
}

int main(void)
{
    hyp_init();
    hyp_section("modes", test_modes);
    hyp_section("delegation", test_delegation);
    hyp_section("trap values", test_trap_values);
    hyp_section("interrupts", test_interrupts);
    hyp_section("virtual instruction", test_virtual_insn);
    hyp_section("hlv", test_hlv);
    return test_summary("hyp_traps");
}
