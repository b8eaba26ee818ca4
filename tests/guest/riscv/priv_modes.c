/*
 * priv_modes: privilege modes, trap delegation and the instructions and CSRs
 * that lower modes may not use (privileged spec 1.12, chapters 3 and 4).
 *   MRET into S and U, ECALL causes 8/9/11, mstatus.MPP/MPIE on traps from
 *   below M, medeleg delegation to S (stvec, sepc, scause, stval, SPP, SPIE,
 *   SIE) and SRET back, traps from M never delegated, SRET/MRET effects,
 *   illegal CSR accesses from S and U (mtval = instruction bits), sstatus as
 *   a restricted view of mstatus, counters gated by mcounteren/scounteren,
 *   WFI/SRET/SFENCE.VMA/satp under TW/TSR/TVM, MRET to M keeping MPRV.
 *
 * QEMU 7.2 notes: with the S extension, WFI in U-mode traps at once (the
 * spec also allows it to complete within a bounded time: both accepted, a
 * CLINT timer bounds the wait).  medeleg[11] (ECALL from M) is writable on
 * QEMU (the spec hardwires it to 0); not checked, but an M-mode ECALL must
 * still trap to M.  An MRET to S or U leaves MPRV = 1 on QEMU 7.2 (spec
 * 1.12 clears it): not checked.
 */
#include "priv.h"
#include "asm_helpers.h"

#define NOCHECK (~0UL)

/* Encoding of `csrr t0, <csr>` (csrrs x5, csr, x0) and friends. */
#define CSRR_T0(csr)        (((uint64_t)(csr) << 20) | 0x22f3)
#define CSRW_T0(csr)        (((uint64_t)(csr) << 20) | (5 << 15) | 0x1073) /* csrrw x0, csr, t0 */
#define INSN_WFI            0x10500073
#define INSN_SRET           0x10200073
#define INSN_MRET           0x30200073
#define INSN_SFENCE_VMA     0x12000073
#define INSN_ECALL          0x00000073

/* A lower-mode function that executes one instruction (labelled 1:) and
 * returns its address; with a skip-mode trap armed the instruction is skipped. */
#define INSN_FN(name, insn) \
    static long name(long a, long b) { \
        (void)a; (void)b; uint64_t pc; \
        __asm__ __volatile__(NORVC("li t0, 0\n\tlla %0, 1f\n1:\t" insn) \
                             : "=&r"(pc) :: "t0", "memory"); \
        return (long)pc; }

INSN_FN(f_ecall, "ecall")
INSN_FN(f_mret, "mret")
INSN_FN(f_sret, "sret")
INSN_FN(f_wfi, "wfi")
INSN_FN(f_sfence, "sfence.vma")
INSN_FN(f_rd_mstatus, "csrr t0, mstatus")
INSN_FN(f_rd_mhartid, "csrr t0, mhartid")
INSN_FN(f_wr_mscratch, "csrw mscratch, t0")
INSN_FN(f_rd_medeleg, "csrr t0, medeleg")
INSN_FN(f_rd_sstatus, "csrr t0, sstatus")
INSN_FN(f_rd_sscratch, "csrr t0, sscratch")
INSN_FN(f_wr_stvec, "csrw stvec, t0")
INSN_FN(f_rd_satp, "csrr t0, satp")
INSN_FN(f_wr_satp, "csrw satp, t0")
INSN_FN(f_rd_cycle, "csrr t0, cycle")
INSN_FN(f_rd_time, "csrr t0, time")
INSN_FN(f_rd_instret, "csrr t0, instret")
INSN_FN(f_illegal, ".word 0xfe000033")

/*
 * Run fn in `mode` with a skip-mode trap armed and check that it trapped with
 * `cause` into `level`, epc = the instruction, tval (unless NOCHECK) and the
 * previous mode.
 */
static void expect_trap(const char *name, int mode, priv_fn fn, uint64_t level,
                        uint64_t cause, uint64_t tval)
{
    pt_arm();
    uint64_t pc = (uint64_t)priv_call(mode, fn, 0, 0);
    int taken = pt_disarm();
    check_eq2(name, ": traps", taken, 1);
    check_eq2(name, ": cause", g_pt.cause, cause);
    check_eq2(name, level == PRV_M ? ": taken in M" : ": taken in S", g_pt.level, level);
    check_eq2(name, ": epc", g_pt.epc, pc);
    if (tval != NOCHECK)
        check_eq2(name, ": tval", g_pt.tval, tval);
    check_eq2(name, ": previous mode", g_pt.from, (uint64_t)mode);
}

static void expect_no_trap(const char *name, int mode, priv_fn fn)
{
    pt_arm();
    priv_call(mode, fn, 0, 0);
    check_eq2(name, ": no trap", pt_disarm(), 0);
}

/* ---------------------------------------------------------------- modes -- */
static long f_sum(long a, long b) { return a * 10 + b; }

static long f_mode_probe(long a, long b)
{
    (void)a; (void)b;
    /* sstatus is readable from S (not from U); mstatus from neither */
    return (long)csr_read(sstatus) & 0;
}

static void test_enter_modes(void)
{
    EXPECT_EQ("S-mode call returns", priv_call(PRV_S, f_sum, 4, 2), 42);
    EXPECT_EQ("U-mode call returns", priv_call(PRV_U, f_sum, 7, 3), 73);
    EXPECT_EQ("M-mode call (MRET to M) returns", priv_call(PRV_M, f_sum, 1, 1), 11);
    expect_no_trap("S reads sstatus", PRV_S, f_mode_probe);
    expect_trap("U reads sstatus", PRV_U, f_rd_sstatus, PRV_M, CAUSE_ILLEGAL_INSN, CSRR_T0(0x100));
    /* priv_call returns through an MRET to M: MPP is then U, MPIE 1 */
    priv_call(PRV_S, f_sum, 0, 0);
    uint64_t st = csr_read(mstatus);
    EXPECT_EQ("MRET sets MPP = U", (st >> 11) & 3, 0);
    EXPECT_EQ("MRET sets MPIE = 1", (st >> 7) & 1, 1);
}

/* ---------------------------------------------------------------- ecall -- */
static void test_ecall(void)
{
    expect_trap("ecall from U", PRV_U, f_ecall, PRV_M, CAUSE_ECALL_U, 0);
    EXPECT_EQ("ecall from U: mstatus.MPP = U", (g_pt.status >> 11) & 3, 0);
    expect_trap("ecall from S", PRV_S, f_ecall, PRV_M, CAUSE_ECALL_S, 0);
    EXPECT_EQ("ecall from S: mstatus.MPP = S", (g_pt.status >> 11) & 3, 1);
    expect_trap("ecall from M", PRV_M, f_ecall, PRV_M, CAUSE_ECALL_M, 0);
    EXPECT_EQ("ecall from M: mstatus.MPP = M", (g_pt.status >> 11) & 3, 3);
    /* trap entry from below M: MPIE = MIE (which MRET set from MPIE = 0) */
    expect_trap("illegal insn from S", PRV_S, f_illegal, PRV_M, CAUSE_ILLEGAL_INSN, 0xfe000033);
    EXPECT_EQ("trap from S: mstatus.MIE = 0", (g_pt.status >> 3) & 1, 0);
    EXPECT_EQ("trap from S: mstatus.MPIE = 0", (g_pt.status >> 7) & 1, 0);
    expect_trap("illegal insn from U", PRV_U, f_illegal, PRV_M, CAUSE_ILLEGAL_INSN, 0xfe000033);
}

/* ----------------------------------------------------------- delegation -- */
static long f_sie_ecall(long a, long b)
{
    (void)a; (void)b;
    uint64_t pc;
    csr_set(sstatus, MSTATUS_SIE);
    __asm__ __volatile__(NORVC("lla %0, 1f\n1:\tecall") : "=&r"(pc) :: "memory");
    return (long)pc;
}

/* S-mode: SRET to a label with SPP/SPIE chosen by a; returns sstatus after. */
static long f_sret_to_s(long spie, long b)
{
    (void)b;
    uint64_t st;
    csr_set(sstatus, MSTATUS_SPP);
    if (spie)
        csr_set(sstatus, MSTATUS_SPIE);
    else
        csr_clear(sstatus, MSTATUS_SPIE);
    csr_clear(sstatus, MSTATUS_SIE);
    __asm__ __volatile__(NORVC("lla t0, 1f\n\tcsrw sepc, t0\n\tsret\n\tnop\n1:\tcsrr %0, sstatus")
                         : "=&r"(st) :: "t0", "memory");
    csr_clear(sstatus, MSTATUS_SIE);
    return (long)st;
}

/* S-mode: SRET with SPP = U to a label; the code there is U-mode and reads
 * sstatus (illegal), then returns the pc of that read. */
static long f_sret_to_u(long a, long b)
{
    (void)a; (void)b;
    uint64_t pc;
    csr_clear(sstatus, MSTATUS_SPP);
    __asm__ __volatile__(NORVC("lla t0, 1f\n\tcsrw sepc, t0\n\tsret\n1:\tlla %0, 2f\n2:\tcsrr t0, sstatus")
                         : "=&r"(pc) :: "t0", "memory");
    return (long)pc;
}

static void test_delegation(void)
{
    /* ECALL from U delegated: stvec handler, scause 8, SPP = U, SPIE = SIE */
    csr_write(medeleg, 1UL << CAUSE_ECALL_U);
    EXPECT_EQ("medeleg bit 8 writable", csr_read(medeleg), 1UL << CAUSE_ECALL_U);
    csr_set(mstatus, MSTATUS_SIE);
    csr_clear(mstatus, MSTATUS_SPIE);
    csr_write(scause, 0);
    expect_trap("delegated ecall from U", PRV_U, f_ecall, PRV_S, CAUSE_ECALL_U, 0);
    EXPECT_EQ("delegated: sstatus.SPP = U", (g_pt.status >> 8) & 1, 0);
    EXPECT_EQ("delegated: sstatus.SPIE = old SIE (1)", (g_pt.status >> 5) & 1, 1);
    EXPECT_EQ("delegated: sstatus.SIE = 0", (g_pt.status >> 1) & 1, 0);
    uint64_t st = csr_read(mstatus);
    EXPECT_EQ("after SRET to U: SIE = SPIE (1)", (st >> 1) & 1, 1);
    EXPECT_EQ("after SRET to U: SPIE = 1", (st >> 5) & 1, 1);
    EXPECT_EQ("after SRET to U: SPP = U", (st >> 8) & 1, 0);
    EXPECT_EQ("scause CSR = 8", csr_read(scause), CAUSE_ECALL_U);
    EXPECT_EQ("stval CSR = 0", csr_read(stval), 0);
    csr_clear(mstatus, MSTATUS_SIE | MSTATUS_SPIE);

    /* not delegated: ECALL from S still goes to M */
    expect_trap("ecall from S with only bit 8 delegated", PRV_S, f_ecall, PRV_M, CAUSE_ECALL_S, 0);

    /* ECALL from S delegated to S itself */
    csr_write(medeleg, 1UL << CAUSE_ECALL_S);
    expect_trap("delegated ecall from S", PRV_S, f_ecall, PRV_S, CAUSE_ECALL_S, 0);
    EXPECT_EQ("delegated ecall from S: SPP = S", (g_pt.status >> 8) & 1, 1);
    expect_trap("ecall from U with only bit 9 delegated", PRV_U, f_ecall, PRV_M, CAUSE_ECALL_U, 0);
    /* SIE = 1 in S when the trap is taken: SPIE = 1, SIE = 0 */
    pt_arm();
    priv_call(PRV_S, f_sie_ecall, 0, 0);
    CHECK("delegated ecall from S with SIE=1: traps", pt_disarm());
    EXPECT_EQ("  SPIE = 1", (g_pt.status >> 5) & 1, 1);
    EXPECT_EQ("  SIE = 0", (g_pt.status >> 1) & 1, 0);
    csr_clear(mstatus, MSTATUS_SIE | MSTATUS_SPIE);

    /* illegal instruction delegated: stval = instruction bits */
    csr_write(medeleg, 1UL << CAUSE_ILLEGAL_INSN);
    expect_trap("delegated illegal from S", PRV_S, f_illegal, PRV_S, CAUSE_ILLEGAL_INSN, 0xfe000033);
    EXPECT_EQ("delegated illegal from S: SPP = S", (g_pt.status >> 8) & 1, 1);
    expect_trap("delegated illegal from U", PRV_U, f_illegal, PRV_S, CAUSE_ILLEGAL_INSN, 0xfe000033);
    expect_trap("delegated: U reads mstatus", PRV_U, f_rd_mstatus, PRV_S, CAUSE_ILLEGAL_INSN,
                CSRR_T0(0x300));
    /* a trap in M is never delegated */
    expect_trap("illegal in M with medeleg[2]=1", PRV_M, f_illegal, PRV_M, CAUSE_ILLEGAL_INSN, 0xfe000033);
    csr_write(medeleg, ~0UL);
    expect_trap("ecall in M with medeleg all ones", PRV_M, f_ecall, PRV_M, CAUSE_ECALL_M, 0);
    csr_write(medeleg, 0);

    /* SRET: to S with SPIE = 1 / 0, and to U */
    st = (uint64_t)priv_call(PRV_S, f_sret_to_s, 1, 0);
    EXPECT_EQ("sret to S (SPIE=1): SIE = 1", (st >> 1) & 1, 1);
    EXPECT_EQ("sret to S: SPIE = 1", (st >> 5) & 1, 1);
    EXPECT_EQ("sret to S: SPP = U", (st >> 8) & 1, 0);
    st = (uint64_t)priv_call(PRV_S, f_sret_to_s, 0, 0);
    EXPECT_EQ("sret to S (SPIE=0): SIE = 0", (st >> 1) & 1, 0);
    EXPECT_EQ("sret to S (SPIE=0): SPIE = 1", (st >> 5) & 1, 1);
    pt_arm();
    uint64_t pc = (uint64_t)priv_call(PRV_S, f_sret_to_u, 0, 0);
    CHECK("sret with SPP=U: code after it runs in U (sstatus read traps)", pt_disarm());
    EXPECT_EQ("  cause", g_pt.cause, CAUSE_ILLEGAL_INSN);
    EXPECT_EQ("  previous mode U", g_pt.from, PRV_U);
    EXPECT_EQ("  epc", g_pt.epc, pc);
}

/* --------------------------------------------------------- CSR access -- */
static long f_sstatus_all(long a, long b)
{
    (void)a; (void)b;
    uint64_t old = csr_read(sstatus);
    csr_set(sstatus, ~(MSTATUS_SIE));   /* everything but SIE */
    uint64_t v = csr_read(sstatus);
    csr_write(sstatus, old);
    return (long)v;
}

static long f_s_csrs(long a, long b)
{
    (void)a; (void)b;
    uint64_t ok = 0;
    csr_write(sscratch, 0x5a5a);
    ok |= csr_read(sscratch) == 0x5a5a;
    csr_write(sepc, 0x80001234);
    ok |= (uint64_t)(csr_read(sepc) == 0x80001234) << 1;
    csr_write(stval, 0x77);
    ok |= (uint64_t)(csr_read(stval) == 0x77) << 2;
    csr_write(scause, 0x3);
    ok |= (uint64_t)(csr_read(scause) == 0x3) << 3;
    csr_set(sstatus, MSTATUS_SUM);
    return (long)ok;
}

static void test_csr_access(void)
{
    expect_trap("S reads mstatus", PRV_S, f_rd_mstatus, PRV_M, CAUSE_ILLEGAL_INSN, CSRR_T0(0x300));
    expect_trap("S reads mhartid", PRV_S, f_rd_mhartid, PRV_M, CAUSE_ILLEGAL_INSN, CSRR_T0(0xf14));
    expect_trap("S writes mscratch", PRV_S, f_wr_mscratch, PRV_M, CAUSE_ILLEGAL_INSN, CSRW_T0(0x340));
    expect_trap("S reads medeleg", PRV_S, f_rd_medeleg, PRV_M, CAUSE_ILLEGAL_INSN, CSRR_T0(0x302));
    expect_trap("U reads sscratch", PRV_U, f_rd_sscratch, PRV_M, CAUSE_ILLEGAL_INSN, CSRR_T0(0x140));
    expect_trap("U writes stvec", PRV_U, f_wr_stvec, PRV_M, CAUSE_ILLEGAL_INSN, CSRW_T0(0x105));
    expect_trap("U reads mstatus", PRV_U, f_rd_mstatus, PRV_M, CAUSE_ILLEGAL_INSN, CSRR_T0(0x300));
    EXPECT_EQ("S uses sscratch/sepc/stval/scause", priv_call(PRV_S, f_s_csrs, 0, 0), 0xf);
    EXPECT_EQ("sstatus.SUM written from S is mstatus.SUM", (csr_read(mstatus) >> 18) & 1, 1);
    csr_clear(mstatus, MSTATUS_SUM);
    /* sstatus hides the M-only fields (MPIE is 1 after the MRET into S) */
    csr_set(mstatus, MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR);
    uint64_t before = csr_read(mstatus);
    uint64_t v = (uint64_t)priv_call(PRV_S, f_sstatus_all, 0, 0);
    EXPECT_EQ("sstatus (all set from S) shows no MIE", (v >> 3) & 1, 0);
    EXPECT_EQ("sstatus shows no MPIE", (v >> 7) & 1, 0);
    EXPECT_EQ("sstatus shows no MPP", (v >> 11) & 3, 0);
    EXPECT_EQ("sstatus shows no MPRV/TVM/TW/TSR", v & (MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR), 0);
    EXPECT_EQ("sstatus shows SUM and MXR", v & (MSTATUS_SUM | MSTATUS_MXR), MSTATUS_SUM | MSTATUS_MXR);
    EXPECT_EQ("sstatus shows SPP and SPIE", v & (MSTATUS_SPP | MSTATUS_SPIE), MSTATUS_SPP | MSTATUS_SPIE);
    uint64_t after = csr_read(mstatus);
    uint64_t mmask = MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR;
    EXPECT_EQ("sstatus write leaves mstatus.MPRV/TVM/TW/TSR", after & mmask, before & mmask);
    csr_clear(mstatus, MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR);
}

/* ------------------------------------------------------------ counters -- */
static void counter_case(const char *name, uint64_t mcen, uint64_t scen, int mode, priv_fn fn, int legal)
{
    csr_write(mcounteren, mcen);
    csr_write(scounteren, scen);
    if (legal)
        expect_no_trap(name, mode, fn);
    else
        expect_trap(name, mode, fn, PRV_M, CAUSE_ILLEGAL_INSN, NOCHECK);
}

static void test_counters(void)
{
    counter_case("mcounteren=0: S reads cycle", 0, 7, PRV_S, f_rd_cycle, 0);
    counter_case("mcounteren=0: S reads time", 0, 7, PRV_S, f_rd_time, 0);
    counter_case("mcounteren=0: S reads instret", 0, 7, PRV_S, f_rd_instret, 0);
    counter_case("mcounteren=0: U reads cycle", 0, 7, PRV_U, f_rd_cycle, 0);
    EXPECT_EQ("  tval = instruction", g_pt.tval, CSRR_T0(0xc00));
    counter_case("mcounteren.CY: S reads cycle", 1, 0, PRV_S, f_rd_cycle, 1);
    counter_case("mcounteren.CY only: S reads instret", 1, 0, PRV_S, f_rd_instret, 0);
    counter_case("mcounteren.CY, scounteren=0: U reads cycle", 1, 0, PRV_U, f_rd_cycle, 0);
    counter_case("mcounteren.TM: S reads time", 2, 0, PRV_S, f_rd_time, 1);
    counter_case("mcounteren.IR: S reads instret", 4, 0, PRV_S, f_rd_instret, 1);
    counter_case("both 7: U reads cycle", 7, 7, PRV_U, f_rd_cycle, 1);
    counter_case("both 7: U reads time", 7, 7, PRV_U, f_rd_time, 1);
    counter_case("both 7: U reads instret", 7, 7, PRV_U, f_rd_instret, 1);
    counter_case("scounteren.IR=0: U reads instret", 7, 3, PRV_U, f_rd_instret, 0);
    counter_case("mcounteren.TM=0, scounteren.TM=1: U reads time", 5, 7, PRV_U, f_rd_time, 0);
    csr_write(mcounteren, 0);
    csr_write(scounteren, 0);
}

/* ------------------------------------------------- TW / TSR / TVM / xRET -- */
static void watchdog_hook(uint64_t cause, int level)
{
    (void)level;
    if (cause == (CAUSE_INTR | IRQ_MTI))
        MMIO64(CLINT_MTIMECMP(0)) = ~0UL;
}

/* A machine timer 2 ms ahead bounds WFIs that would otherwise wait forever. */
static void watchdog_start(void)
{
    g_irq_n = 0;
    g_irq_hook = watchdog_hook;
    MMIO64(CLINT_MTIMECMP(0)) = mtime_read() + 20000;
    csr_set(mie, MIP_MTIP);
}

static void watchdog_stop(void)
{
    csr_clear(mie, MIP_MTIP);
    MMIO64(CLINT_MTIMECMP(0)) = ~0UL;
    g_irq_hook = 0;
}

static void test_trap_virtualization(void)
{
    /* MRET below M, SRET in U: always illegal */
    expect_trap("mret in S", PRV_S, f_mret, PRV_M, CAUSE_ILLEGAL_INSN, INSN_MRET);
    expect_trap("mret in U", PRV_U, f_mret, PRV_M, CAUSE_ILLEGAL_INSN, INSN_MRET);
    expect_trap("sret in U", PRV_U, f_sret, PRV_M, CAUSE_ILLEGAL_INSN, INSN_SRET);
    expect_trap("sfence.vma in U", PRV_U, f_sfence, PRV_M, CAUSE_ILLEGAL_INSN, INSN_SFENCE_VMA);
    expect_trap("satp read in U", PRV_U, f_rd_satp, PRV_M, CAUSE_ILLEGAL_INSN, CSRR_T0(0x180));

    /* TVM */
    expect_no_trap("TVM=0: S reads satp", PRV_S, f_rd_satp);
    expect_no_trap("TVM=0: S writes satp (0)", PRV_S, f_wr_satp);
    expect_no_trap("TVM=0: S sfence.vma", PRV_S, f_sfence);
    csr_set(mstatus, MSTATUS_TVM);
    expect_trap("TVM=1: S reads satp", PRV_S, f_rd_satp, PRV_M, CAUSE_ILLEGAL_INSN, CSRR_T0(0x180));
    expect_trap("TVM=1: S writes satp", PRV_S, f_wr_satp, PRV_M, CAUSE_ILLEGAL_INSN, CSRW_T0(0x180));
    expect_trap("TVM=1: S sfence.vma", PRV_S, f_sfence, PRV_M, CAUSE_ILLEGAL_INSN, INSN_SFENCE_VMA);
    pt_arm();
    csr_read(satp);
    CHECK("TVM=1: M still reads satp", !pt_disarm());
    csr_clear(mstatus, MSTATUS_TVM);

    /* TSR */
    csr_set(mstatus, MSTATUS_TSR);
    expect_trap("TSR=1: sret in S", PRV_S, f_sret, PRV_M, CAUSE_ILLEGAL_INSN, INSN_SRET);
    csr_clear(mstatus, MSTATUS_TSR);
    EXPECT_EQ("TSR=0: sret in S works", (priv_call(PRV_S, f_sret_to_s, 1, 0) >> 1) & 1, 1);

    /* TW: WFI in S.  With TW=0 it must wait for an interrupt: make a
     * delegated SSI pending and enabled (SIE = 0 in S, so not taken). */
    csr_write(mideleg, MIP_SSIP);
    csr_set(mie, MIP_SSIP);
    csr_set(mip, MIP_SSIP);
    csr_clear(mstatus, MSTATUS_SIE);
    expect_no_trap("TW=0: wfi in S with SSI pending completes", PRV_S, f_wfi);
    csr_clear(mip, MIP_SSIP);
    csr_clear(mie, MIP_SSIP);
    csr_write(mideleg, 0);
    watchdog_start();
    csr_set(mstatus, MSTATUS_TW);
    pt_arm();
    uint64_t pc = (uint64_t)priv_call(PRV_S, f_wfi, 0, 0);
    int taken = pt_disarm();
    CHECK("TW=1: wfi in S traps", taken);
    EXPECT_EQ("TW=1: wfi in S: cause", g_pt.cause, CAUSE_ILLEGAL_INSN);
    EXPECT_EQ("TW=1: wfi in S: epc", g_pt.epc, pc);
    EXPECT_EQ("TW=1: wfi in S: tval", g_pt.tval, INSN_WFI);
    csr_clear(mstatus, MSTATUS_TW);
    /* U-mode WFI with S present: illegal unless it completes in bounded time */
    pt_arm();
    pc = (uint64_t)priv_call(PRV_U, f_wfi, 0, 0);
    taken = pt_disarm();
    CHECK("wfi in U: illegal instruction (QEMU) or completes",
          taken ? g_pt.cause == CAUSE_ILLEGAL_INSN && g_pt.epc == pc : 1);
    watchdog_stop();
}

/* --------------------------------------------------------------- MPRV -- */
static void test_mret_mprv(void)
{
    /* Spec 1.12: an MRET to a mode below M sets MPRV = 0; QEMU 7.2 keeps
     * MPRV (the older specs' behaviour), so only MRET to M is checked. */
    uint64_t v;
    csr_set(mstatus, MSTATUS_MPRV);
    priv_call(PRV_M, f_sum, 0, 0);
    v = csr_read(mstatus);
    csr_clear(mstatus, MSTATUS_MPRV);
    EXPECT_EQ("MRET to M keeps MPRV", (v >> 17) & 1, 1);
}

int main(void)
{
    priv_init();
    test_enter_modes();
    test_ecall();
    test_delegation();
    test_csr_access();
    test_counters();
    test_trap_virtualization();
    test_mret_mprv();
    return test_summary("priv_modes");
}
