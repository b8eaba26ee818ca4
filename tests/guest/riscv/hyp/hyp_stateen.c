/*
 * hyp_stateen: the Smstateen extension with the hypervisor extension.
 *
 * SPEC-DERIVED ONLY: QEMU 7.2, the reference machine of this corpus, has no
 * Smstateen, so this test was written from the Smstateen specification
 * (privileged ISA manual, "Smstateen/Ssstateen Extensions", version 1.0)
 * and the hypervisor chapter (1.12) alone and never validated on a
 * reference.  It has no expected output; only its exit status counts.
 *
 *   existence of mstateen0-3 (0x30C-0x30F), hstateen0-3 (0x60C-0x60F) and
 *   sstateen0-3 (0x10C-0x10F), and no RV32 high halves (mstateen0h 0x31C,
 *   hstateen0h 0x61C) on RV64; writable mstateen bits reset to 0;
 *   mstateen0 bits 63 SE0, 62 ENVCFG (writable), 60 CSRIND, 59 AIA,
 *   58 IMSIC, 57 CONTEXT, 2 JVT (writable exactly when the state exists:
 *   siselect, stopi, stopei, scontext, jvt), 1 FCSR (read-only 0 with
 *   misa.F = 1), 0 C (read-only 0: this hart has no custom state), the
 *   reserved bits read-only 0; bit 63 of mstateen1-3 and hstateen0-3
 *   writable (H is implemented); sstateen0-3 32 bits wide;
 *   a bit clear in mstateen0 reads as 0 in hstateen0 (and sstateen0);
 *   gating: mstateen0.SE0 = 0 makes hstateen0/sstateen0 illegal below M
 *   (mstateen1.SE0 likewise hstateen1/sstateen1), mstateen0.ENVCFG = 0
 *   makes senvcfg/henvcfg illegal below M, hstateen0.SE0 = 0 makes
 *   sstateen0 a virtual-instruction exception in VS, hstateen0.ENVCFG = 0
 *   makes senvcfg one in VS (and VU), M is never affected;
 *   the lazy-enable flow KVM uses ("RISC-V: KVM: Enable envcfg and sstateen
 *   bits lazily"): the guest touches senvcfg (sstateen0, and siselect when
 *   the AIA CSRs exist) with the hstateen0 bit clear, the HS hypervisor
 *   gets the virtual-instruction trap, sets the bit and SRETs without
 *   moving sepc, and the retried access succeeds; with the bit clear in
 *   mstateen0 the guest gets an illegal instruction instead (to M, or to
 *   HS, where the hypervisor must not enable anything).
 *
 * This test requires mstateen0.SE0/ENVCFG and mstateen1-3 bit 63 to be
 * writable (the spec also allows read-only one for standard bits; KVM and
 * OpenSBI rely on them being writable).
 */
#include "hyp.h"

static int g_stateen, g_csrind, g_aia, g_imsic, g_context, g_jvt;
static uint64_t g_reset[4];
static int g_reset_read[4];

static const unsigned mstateen[4] = {CSR_MSTATEEN0, CSR_MSTATEEN1, CSR_MSTATEEN2, CSR_MSTATEEN3};
static const unsigned hstateen[4] = {CSR_HSTATEEN0, CSR_HSTATEEN1, CSR_HSTATEEN2, CSR_HSTATEEN3};
static const unsigned sstateen[4] = {CSR_SSTATEEN0, CSR_SSTATEEN1, CSR_SSTATEEN2, CSR_SSTATEEN3};
static const char *const num[4] = {"0", "1", "2", "3"};

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

/* lower-mode CSR accessors: return 0 or cause + 1 (g_ht holds the trap) */
static long f_try_rd(long csr, long b)
{
    (void)b;
    return (long)csr_try_rd((unsigned)csr, 0);
}

static long f_try_wr(long csr, long v)
{
    return (long)csr_try_wr((unsigned)csr, (uint64_t)v);
}

static long f_rd_val(long csr, long b)
{
    (void)b;
    return (long)csr_rd((unsigned)csr);
}

/* Access from mode: no trap, or `cause` (+ level, tval) */
static void access(const char *name, int mode, int write, unsigned csr, uint64_t cause, uint64_t level)
{
    uint64_t r = (uint64_t)hyp_call(mode, write ? f_try_wr : f_try_rd, csr, 0);
    if (cause == 0) {
        check_eq2(name, ": no trap", r, 0);
        return;
    }
    check_eq2(name, cause == CAUSE_ILLEGAL_INSN ? ": illegal instruction" : ": virtual instruction", r,
              cause + 1);
    check_eq2(name, level == LVL_M ? ": taken in M" : ": taken in HS", g_ht.level, level);
    check_eq2(name, ": tval = instruction", g_ht.tval, write ? CSRW_T0(csr) : CSRR_T0(csr));
}

/* ------------------------------------------------------------ presence -- */
static void test_presence(void)
{
    for (int i = 0; i < 4; i++) {
        EXPECT_EQ(cat3("M reads mstateen", num[i], ""), csr_try_rd(mstateen[i], 0), 0);
        EXPECT_EQ(cat3("M reads hstateen", num[i], ""), csr_try_rd(hstateen[i], 0), 0);
        EXPECT_EQ(cat3("M reads sstateen", num[i], ""), csr_try_rd(sstateen[i], 0), 0);
    }
    EXPECT_EQ("mstateen0h absent on RV64 (illegal)", csr_try_rd(CSR_MSTATEEN0H, 0), CAUSE_ILLEGAL_INSN + 1);
    EXPECT_EQ("hstateen0h absent on RV64 (illegal)", csr_try_rd(CSR_HSTATEEN0H, 0), CAUSE_ILLEGAL_INSN + 1);
}

/* ---------------------------------------------------------------- WARL -- */
static uint64_t g_m0_writable;

static void bit_is(const char *name, uint64_t v, uint64_t bit, int want)
{
    check_eq(name, (v & bit) != 0, want);
}

static void test_mstateen(void)
{
    csr_wr(CSR_MSTATEEN0, ~0UL);
    uint64_t v = csr_rd(CSR_MSTATEEN0);
    bit_is("mstateen0 all ones: SE0 (63) = 1", v, SE_SE0, 1);
    bit_is("mstateen0 all ones: ENVCFG (62) = 1", v, SE_ENVCFG, 1);
    bit_is("mstateen0 all ones: bit 61 (reserved) = 0", v, 1UL << 61, 0);
    bit_is("mstateen0 all ones: CSRIND (60) = 1 iff siselect exists", v, SE_CSRIND, g_csrind);
    bit_is("mstateen0 all ones: AIA (59) = 1 iff stopi exists", v, SE_AIA, g_aia);
    bit_is("mstateen0 all ones: IMSIC (58) = 1 iff stopei exists", v, SE_IMSIC, g_imsic);
    bit_is("mstateen0 all ones: CONTEXT (57) = 1 iff scontext exists", v, SE_CONTEXT, g_context);
    EXPECT_EQ("mstateen0 all ones: bits 56:3 (no such state here) = 0", v & 0x01fffffffffffff8UL, 0);
    bit_is("mstateen0 all ones: JVT (2) = 1 iff jvt exists", v, SE_JVT, g_jvt);
    bit_is("mstateen0 all ones: FCSR (1) = 0 (misa.F = 1)", v, SE_FCSR, 0);
    bit_is("mstateen0 all ones: C (0) = 0 (no custom state)", v, SE_C, 0);
    g_m0_writable = v;
    csr_wr(CSR_MSTATEEN0, 0);
    v = csr_rd(CSR_MSTATEEN0);
    bit_is("mstateen0 written 0: SE0 = 0 (writable)", v, SE_SE0, 0);
    bit_is("mstateen0 written 0: ENVCFG = 0 (writable)", v, SE_ENVCFG, 0);
    EXPECT_EQ("mstateen0 written 0: reads 0", v, 0);
    if (g_reset_read[0])
        EXPECT_EQ("mstateen0 at reset: writable bits 0", g_reset[0] & g_m0_writable, 0);
    else
        check_true("mstateen0 at reset: readable", 0);
    for (int i = 1; i < 4; i++) {
        csr_wr(mstateen[i], ~0UL);
        EXPECT_EQ(cat3("mstateen", num[i], " all ones: only bit 63 (SE0 of the next sstateen)"),
                  csr_rd(mstateen[i]), SE_SE0);
        csr_wr(mstateen[i], 0);
        EXPECT_EQ(cat3("mstateen", num[i], " written 0: reads 0"), csr_rd(mstateen[i]), 0);
        if (g_reset_read[i])
            EXPECT_EQ(cat3("mstateen", num[i], " at reset: writable bits 0"), g_reset[i] & SE_SE0, 0);
    }
}

static void test_hstateen(void)
{
    /* hstateen0 defines everything mstateen0 does but P1P13 (56), SRMCFG (55) */
    uint64_t h_defined = ~((1UL << 56) | (1UL << 55));
    uint64_t want = g_m0_writable & h_defined;
    csr_wr(CSR_MSTATEEN0, ~0UL);
    csr_wr(CSR_HSTATEEN0, ~0UL);
    EXPECT_EQ("mstateen0 all ones: hstateen0 all ones reads mstateen0's writable bits",
              csr_rd(CSR_HSTATEEN0), want);
    csr_wr(CSR_HSTATEEN0, 0);
    EXPECT_EQ("hstateen0 written 0: reads 0 (SE0 writable)", csr_rd(CSR_HSTATEEN0), 0);
    csr_wr(CSR_MSTATEEN0, ~0UL & ~SE_ENVCFG);
    csr_wr(CSR_HSTATEEN0, ~0UL);
    bit_is("mstateen0.ENVCFG = 0: hstateen0.ENVCFG read-only 0", csr_rd(CSR_HSTATEEN0), SE_ENVCFG, 0);
    bit_is("  hstateen0.SE0 still writable", csr_rd(CSR_HSTATEEN0), SE_SE0, 1);
    csr_wr(CSR_MSTATEEN0, ~0UL & ~SE_SE0);
    csr_wr(CSR_HSTATEEN0, ~0UL);
    bit_is("mstateen0.SE0 = 0: hstateen0.SE0 read-only 0", csr_rd(CSR_HSTATEEN0), SE_SE0, 0);
    bit_is("  hstateen0.ENVCFG still writable", csr_rd(CSR_HSTATEEN0), SE_ENVCFG, 1);
    csr_wr(CSR_MSTATEEN0, ~0UL);
    for (int i = 1; i < 4; i++) {
        csr_wr(mstateen[i], ~0UL);
        csr_wr(hstateen[i], ~0UL);
        EXPECT_EQ(cat3("hstateen", num[i], " all ones: only bit 63"), csr_rd(hstateen[i]), SE_SE0);
        csr_wr(mstateen[i], 0);
        EXPECT_EQ(cat3("mstateen", num[i], ".SE0 = 0: hstateen bit 63 reads 0"), csr_rd(hstateen[i]), 0);
        csr_wr(mstateen[i], ~0UL);
    }
}

static void test_sstateen(void)
{
    uint64_t want = g_m0_writable & 0xffffffffUL & ~(SE_C | SE_FCSR);
    csr_wr(CSR_MSTATEEN0, ~0UL);
    csr_wr(CSR_SSTATEEN0, ~0UL);
    uint64_t v = csr_rd(CSR_SSTATEEN0);
    EXPECT_EQ("sstateen0 all ones: bits 63:32 read 0 (32-bit register)", v >> 32, 0);
    EXPECT_EQ("sstateen0 all ones: only JVT (if jvt exists)", v, want);
    csr_wr(CSR_SSTATEEN0, 0);
    for (int i = 1; i < 4; i++) {
        csr_wr(sstateen[i], ~0UL);
        EXPECT_EQ(cat3("sstateen", num[i], " all ones: reads 0 (nothing defined)"), csr_rd(sstateen[i]), 0);
    }
}

/* -------------------------------------------------------------- gating -- */
static void test_gating_hs(void)
{
    csr_wr(CSR_MSTATEEN0, ~0UL);
    access("mstateen0.SE0=1: HS reads hstateen0", MODE_HS, 0, CSR_HSTATEEN0, 0, 0);
    access("mstateen0.SE0=1: HS reads sstateen0", MODE_HS, 0, CSR_SSTATEEN0, 0, 0);
    csr_wr(CSR_HSTATEEN0, 0);
    access("hstateen0.SE0=0: HS still reads sstateen0", MODE_HS, 0, CSR_SSTATEEN0, 0, 0);
    access("hstateen0.ENVCFG=0: HS still reads senvcfg", MODE_HS, 0, CSR_SENVCFG, 0, 0);
    csr_wr(CSR_MSTATEEN0, ~0UL & ~SE_SE0);
    access("mstateen0.SE0=0: HS reads hstateen0", MODE_HS, 0, CSR_HSTATEEN0, CAUSE_ILLEGAL_INSN, LVL_M);
    access("mstateen0.SE0=0: HS writes hstateen0", MODE_HS, 1, CSR_HSTATEEN0, CAUSE_ILLEGAL_INSN, LVL_M);
    access("mstateen0.SE0=0: HS reads sstateen0", MODE_HS, 0, CSR_SSTATEEN0, CAUSE_ILLEGAL_INSN, LVL_M);
    access("mstateen0.SE0=0: HS writes sstateen0", MODE_HS, 1, CSR_SSTATEEN0, CAUSE_ILLEGAL_INSN, LVL_M);
    access("mstateen0.SE0=0: HS reads hstateen1 (not controlled)", MODE_HS, 0, CSR_HSTATEEN1, 0, 0);
    EXPECT_EQ("mstateen0.SE0=0: M reads hstateen0", csr_try_rd(CSR_HSTATEEN0, 0), 0);
    EXPECT_EQ("mstateen0.SE0=0: M reads sstateen0", csr_try_rd(CSR_SSTATEEN0, 0), 0);
    csr_wr(CSR_MSTATEEN0, ~0UL);
    csr_wr(CSR_MSTATEEN1, 0);
    access("mstateen1.SE0=0: HS reads hstateen1", MODE_HS, 0, CSR_HSTATEEN1, CAUSE_ILLEGAL_INSN, LVL_M);
    access("mstateen1.SE0=0: HS reads sstateen1", MODE_HS, 0, CSR_SSTATEEN1, CAUSE_ILLEGAL_INSN, LVL_M);
    access("mstateen1.SE0=0: HS reads hstateen0 (not controlled)", MODE_HS, 0, CSR_HSTATEEN0, 0, 0);
    csr_wr(CSR_MSTATEEN1, ~0UL);
    csr_wr(CSR_MSTATEEN0, ~0UL & ~SE_ENVCFG);
    access("mstateen0.ENVCFG=0: HS reads senvcfg", MODE_HS, 0, CSR_SENVCFG, CAUSE_ILLEGAL_INSN, LVL_M);
    access("mstateen0.ENVCFG=0: HS writes senvcfg", MODE_HS, 1, CSR_SENVCFG, CAUSE_ILLEGAL_INSN, LVL_M);
    access("mstateen0.ENVCFG=0: HS reads henvcfg", MODE_HS, 0, CSR_HENVCFG, CAUSE_ILLEGAL_INSN, LVL_M);
    access("mstateen0.ENVCFG=0: HS writes henvcfg", MODE_HS, 1, CSR_HENVCFG, CAUSE_ILLEGAL_INSN, LVL_M);
    EXPECT_EQ("mstateen0.ENVCFG=0: M reads senvcfg", csr_try_rd(CSR_SENVCFG, 0), 0);
    EXPECT_EQ("mstateen0.ENVCFG=0: M reads menvcfg", csr_try_rd(CSR_MENVCFG, 0), 0);
    csr_wr(CSR_MSTATEEN0, ~0UL);
    access("mstateen0.ENVCFG=1: HS reads senvcfg", MODE_HS, 0, CSR_SENVCFG, 0, 0);
    access("mstateen0.ENVCFG=1: HS reads henvcfg", MODE_HS, 0, CSR_HENVCFG, 0, 0);
}

static void test_gating_vs(void)
{
    csr_write(medeleg, 1UL << CAUSE_VIRTUAL_INSN);
    csr_wr(CSR_MSTATEEN0, ~0UL);
    csr_wr(CSR_HSTATEEN0, ~0UL);
    access("hstateen0.SE0=1: VS reads sstateen0", MODE_VS, 0, CSR_SSTATEEN0, 0, 0);
    access("hstateen0.ENVCFG=1: VS reads senvcfg", MODE_VS, 0, CSR_SENVCFG, 0, 0);
    access("VS reads hstateen0", MODE_VS, 0, CSR_HSTATEEN0, CAUSE_VIRTUAL_INSN, LVL_HS);
    access("VS reads mstateen0", MODE_VS, 0, CSR_MSTATEEN0, CAUSE_ILLEGAL_INSN, LVL_M);
    csr_wr(CSR_HSTATEEN0, ~0UL & ~SE_SE0);
    access("hstateen0.SE0=0: VS reads sstateen0", MODE_VS, 0, CSR_SSTATEEN0, CAUSE_VIRTUAL_INSN, LVL_HS);
    access("hstateen0.SE0=0: VS writes sstateen0", MODE_VS, 1, CSR_SSTATEEN0, CAUSE_VIRTUAL_INSN, LVL_HS);
    access("hstateen0.SE0=0: VS still reads senvcfg", MODE_VS, 0, CSR_SENVCFG, 0, 0);
    csr_wr(CSR_HSTATEEN0, ~0UL & ~SE_ENVCFG);
    access("hstateen0.ENVCFG=0: VS reads senvcfg", MODE_VS, 0, CSR_SENVCFG, CAUSE_VIRTUAL_INSN, LVL_HS);
    access("hstateen0.ENVCFG=0: VS writes senvcfg", MODE_VS, 1, CSR_SENVCFG, CAUSE_VIRTUAL_INSN, LVL_HS);
    access("hstateen0.ENVCFG=0: VU reads senvcfg", MODE_VU, 0, CSR_SENVCFG, CAUSE_VIRTUAL_INSN, LVL_HS);
    access("hstateen0.ENVCFG=0: VS still reads sstateen0", MODE_VS, 0, CSR_SSTATEEN0, 0, 0);
    csr_wr(CSR_HSTATEEN0, ~0UL);
    csr_wr(CSR_MSTATEEN0, ~0UL & ~SE_SE0);
    access("mstateen0.SE0=0 (hstateen0.SE0 as written 1): VS reads sstateen0", MODE_VS, 0, CSR_SSTATEEN0,
           CAUSE_ILLEGAL_INSN, LVL_M);
    csr_wr(CSR_MSTATEEN0, ~0UL & ~SE_ENVCFG);
    access("mstateen0.ENVCFG=0: VS reads senvcfg", MODE_VS, 0, CSR_SENVCFG, CAUSE_ILLEGAL_INSN, LVL_M);
    access("mstateen0.ENVCFG=0: VU reads senvcfg (not allowed in HS either)", MODE_VU, 0, CSR_SENVCFG,
           CAUSE_ILLEGAL_INSN, LVL_M);
    csr_wr(CSR_MSTATEEN0, ~0UL);
    csr_wr(CSR_HSTATEEN0, ~0UL);
    access("all enabled: VU reads senvcfg (a supervisor CSR)", MODE_VU, 0, CSR_SENVCFG, CAUSE_VIRTUAL_INSN,
           LVL_HS);
    if (g_jvt) {
        /* a clear hstateen0 bit reads as 0 in sstateen0 from VS */
        csr_wr(CSR_SSTATEEN0, SE_JVT);
        csr_wr(CSR_HSTATEEN0, ~0UL & ~SE_JVT);
        EXPECT_EQ("hstateen0.JVT=0: VS reads sstateen0.JVT as 0",
                  (uint64_t)hyp_call(MODE_VS, f_rd_val, CSR_SSTATEEN0, 0) & SE_JVT, 0);
        csr_wr(CSR_HSTATEEN0, ~0UL);
        EXPECT_EQ("hstateen0.JVT=1: VS reads sstateen0.JVT as 1",
                  (uint64_t)hyp_call(MODE_VS, f_rd_val, CSR_SSTATEEN0, 0) & SE_JVT, SE_JVT);
        csr_wr(CSR_SSTATEEN0, 0);
    }
    csr_write(medeleg, 0);
}

/* ---------------------------------------------------------- lazy enable -- */
static volatile unsigned g_lazy_n;
static volatile uint64_t g_lazy_epc, g_lazy_tval, g_lazy_bit;

/* The hypervisor's virtual-instruction handler (KVM's lazy stateen enable):
 * a guest CSR access blocked by a clear hstateen0 bit sets the bit and is
 * retried (sepc unchanged). */
static int hs_lazy_hook(volatile struct htrap *t, struct hframe *f)
{
    (void)f;
    if (t->cause != CAUSE_VIRTUAL_INSN || !(t->prev & 4))
        return 0;
    uint64_t insn = t->tval;
    if ((insn & 0x7f) != 0x73 || ((insn >> 12) & 3) == 0)
        return 0;                       /* not a CSR instruction */
    unsigned csr = (unsigned)(insn >> 20);
    uint64_t bit;
    switch (csr) {
    case CSR_SENVCFG: bit = SE_ENVCFG; break;
    case CSR_SSTATEEN0: bit = SE_SE0; break;
    case CSR_SISELECT: case CSR_SIREG: bit = SE_CSRIND; break;
    case CSR_STOPEI: bit = SE_IMSIC; break;
    case CSR_STOPI: bit = SE_AIA; break;
    default: return 0;
    }
    if (csr_rd(CSR_HSTATEEN0) & bit)
        return 0;                       /* enabled and still trapping: not ours */
    csr_wr(CSR_HSTATEEN0, csr_rd(CSR_HSTATEEN0) | bit);
    g_lazy_n++;
    g_lazy_epc = t->epc;
    g_lazy_tval = insn;
    g_lazy_bit = bit;
    return 1;
}

static volatile uint64_t g_vs_pc;

/* VS: csrr t0, senvcfg; csrw senvcfg, FIOM; read back */
static long f_vs_senvcfg(long a, long b)
{
    (void)a; (void)b;
    uint64_t pc, v;
    __asm__ __volatile__(NORVC("lla %0, 1f\n1:\tcsrr t0, 0x10a\n\tli t1, 1\n\tcsrw 0x10a, t1\n\tcsrr %1, 0x10a")
                         : "=&r"(pc), "=&r"(v) :: "t0", "t1", "memory");
    g_vs_pc = pc;
    return (long)v;
}

/* VS: csrr t0, senvcfg (one access) */
static long f_vs_senvcfg_rd(long a, long b)
{
    (void)a; (void)b;
    uint64_t pc;
    __asm__ __volatile__(NORVC("lla %0, 1f\n1:\tcsrr t0, 0x10a") : "=&r"(pc) :: "t0", "memory");
    g_vs_pc = pc;
    return 0;
}

/* VS: csrr t0, sstateen0 */
static long f_vs_sstateen0(long a, long b)
{
    (void)a; (void)b;
    uint64_t pc;
    __asm__ __volatile__(NORVC("lla %0, 1f\n1:\tcsrr t0, 0x10c") : "=&r"(pc) :: "t0", "memory");
    g_vs_pc = pc;
    return 0;
}

/* VS: csrw siselect, 0x70; csrr siselect */
static long f_vs_siselect(long a, long b)
{
    (void)a; (void)b;
    uint64_t pc, v;
    __asm__ __volatile__(NORVC("lla %0, 1f\n1:\tli t0, 0x70\n\tcsrw 0x150, t0\n\tcsrr %1, 0x150")
                         : "=&r"(pc), "=&r"(v) :: "t0", "memory");
    g_vs_pc = pc + 4;
    return (long)v;
}

static void lazy_reset(void)
{
    g_lazy_n = 0;
    g_lazy_epc = g_lazy_tval = g_lazy_bit = ~0UL;
}

static void test_lazy(void)
{
    csr_write(medeleg, 1UL << CAUSE_VIRTUAL_INSN);
    csr_wr(CSR_MSTATEEN0, ~0UL);
    csr_wr(CSR_HSTATEEN0, SE_SE0);          /* lazy: ENVCFG and the AIA bits start clear */
    csr_write(senvcfg, 0);
    g_hook[LVL_HS] = hs_lazy_hook;

    lazy_reset();
    ht_arm();
    uint64_t v = (uint64_t)hyp_call(MODE_VS, f_vs_senvcfg, 0, 0);
    CHECK("lazy senvcfg: no trap beyond the hypervisor's", !ht_disarm());
    EXPECT_EQ("lazy senvcfg: one virtual-instruction trap to HS", g_lazy_n, 1);
    EXPECT_EQ("lazy senvcfg: it was the first access (sepc)", g_lazy_epc, g_vs_pc);
    EXPECT_EQ("lazy senvcfg: stval = the instruction", g_lazy_tval, CSRR_T0(CSR_SENVCFG));
    EXPECT_EQ("lazy senvcfg: the retried accesses work (FIOM reads back)", v, ENVCFG_FIOM);
    EXPECT_EQ("lazy senvcfg: hstateen0.ENVCFG now set", csr_rd(CSR_HSTATEEN0) & SE_ENVCFG, SE_ENVCFG);
    EXPECT_EQ("lazy senvcfg: the guest wrote the one senvcfg", csr_read(senvcfg), ENVCFG_FIOM);
    lazy_reset();
    hyp_call(MODE_VS, f_vs_senvcfg, 0, 0);
    EXPECT_EQ("lazy senvcfg: no trap the second time", g_lazy_n, 0);

    csr_wr(CSR_HSTATEEN0, csr_rd(CSR_HSTATEEN0) & ~SE_SE0);
    lazy_reset();
    hyp_call(MODE_VS, f_vs_sstateen0, 0, 0);
    EXPECT_EQ("lazy sstateen0: one trap", g_lazy_n, 1);
    EXPECT_EQ("lazy sstateen0: at the access", g_lazy_epc, g_vs_pc);
    EXPECT_EQ("lazy sstateen0: hstateen0.SE0 now set", csr_rd(CSR_HSTATEEN0) & SE_SE0, SE_SE0);

    if (g_csrind) {
        csr_wr(CSR_HSTATEEN0, csr_rd(CSR_HSTATEEN0) & ~SE_CSRIND);
        lazy_reset();
        ht_arm();
        v = (uint64_t)hyp_call(MODE_VS, f_vs_siselect, 0, 0);
        CHECK("lazy siselect: no trap beyond the hypervisor's", !ht_disarm());
        EXPECT_EQ("lazy siselect: one trap", g_lazy_n, 1);
        EXPECT_EQ("lazy siselect: at the write", g_lazy_epc, g_vs_pc);
        EXPECT_EQ("lazy siselect: stval = the instruction", g_lazy_tval, CSRW_T0(CSR_SISELECT));
        EXPECT_EQ("lazy siselect: the retried write took (vsiselect)", v, 0x70);
        EXPECT_EQ("lazy siselect: hstateen0.CSRIND now set", csr_rd(CSR_HSTATEEN0) & SE_CSRIND, SE_CSRIND);
    } else {
        puts("(no siselect on this hart: the AIA part of the lazy flow is skipped)");
    }

    /* the same bit clear in mstateen0: illegal instruction, nothing to enable */
    csr_wr(CSR_HSTATEEN0, SE_SE0);
    csr_wr(CSR_MSTATEEN0, ~0UL & ~SE_ENVCFG);
    lazy_reset();
    ht_arm();
    hyp_call(MODE_VS, f_vs_senvcfg_rd, 0, 0);
    int taken = ht_disarm();
    CHECK("mstateen0.ENVCFG=0: VS senvcfg traps", taken);
    EXPECT_EQ("  illegal instruction", g_ht.cause, CAUSE_ILLEGAL_INSN);
    EXPECT_EQ("  taken in M", g_ht.level, LVL_M);
    EXPECT_EQ("  at the first access", g_ht.epc, g_vs_pc);
    EXPECT_EQ("  the hypervisor saw no virtual-instruction trap", g_lazy_n, 0);
    csr_write(medeleg, (1UL << CAUSE_VIRTUAL_INSN) | (1UL << CAUSE_ILLEGAL_INSN));
    csr_wr(CSR_MSTATEEN0, ~0UL & ~SE_SE0);
    ht_arm();
    hyp_call(MODE_VS, f_vs_sstateen0, 0, 0);
    taken = ht_disarm();
    CHECK("mstateen0.SE0=0, illegal delegated: VS sstateen0 traps to HS", taken && g_ht.level == LVL_HS);
    EXPECT_EQ("  illegal instruction (the hypervisor must not enable)", g_ht.cause, CAUSE_ILLEGAL_INSN);
    EXPECT_EQ("  the hypervisor enabled nothing", g_lazy_n, 0);
    EXPECT_EQ("  hstateen0.SE0 reads 0 (mstateen0.SE0 = 0)", csr_rd(CSR_HSTATEEN0) & SE_SE0, 0);
    g_hook[LVL_HS] = 0;
    csr_wr(CSR_MSTATEEN0, ~0UL);
    csr_write(senvcfg, 0);
    csr_write(medeleg, 0);
}

int main(void)
{
    /* reset values, before anything writes them (crt0's skip-mode trap) */
    for (int i = 0; i < 4; i++) {
        trap_arm();
        uint64_t v = csr_rd(mstateen[i]);
        if (!trap_disarm()) {
            g_reset[i] = v;
            g_reset_read[i] = 1;
        }
    }
    hyp_init();
    g_stateen = csr_exists(CSR_MSTATEEN0);
    CHECK("Smstateen: mstateen0 exists", g_stateen);
    g_csrind = csr_exists(CSR_SISELECT);
    g_aia = csr_exists(CSR_STOPI);
    g_imsic = csr_exists(CSR_STOPEI);
    g_context = csr_exists(CSR_SCONTEXT);
    g_jvt = csr_exists(CSR_JVT);
    printf("(hart: siselect %s, stopi %s, stopei %s, scontext %s, jvt %s)\n", g_csrind ? "yes" : "no",
           g_aia ? "yes" : "no", g_imsic ? "yes" : "no", g_context ? "yes" : "no", g_jvt ? "yes" : "no");
    hyp_section("presence", test_presence);
    hyp_section("mstateen", test_mstateen);
    hyp_section("hstateen", test_hstateen);
    hyp_section("sstateen", test_sstateen);
    hyp_section("gating from HS", test_gating_hs);
    hyp_section("gating from VS", test_gating_vs);
    hyp_section("lazy enable", test_lazy);
    return test_summary("hyp_stateen");
}
