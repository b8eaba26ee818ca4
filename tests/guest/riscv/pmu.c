/*
 * pmu: Zihpm counters and Sscofpmf seen from the guest (privileged spec,
 * "Hardware Performance Monitor"; Sscofpmf 1.0). Orrery's event selectors
 * are its own (docs/pmu.md): 0x02 counts retired instructions, 0x12 loads.
 *   - mhpmevent selects, mhpmcounter counts exactly, mcountinhibit freezes;
 *   - the mode-inhibit bits MINH/SINH/UINH: counters that count only M,
 *     only S or only U code;
 *   - overflow: a counter that wraps with OF = 0 sets OF and raises the
 *     local counter-overflow interrupt (LCOFI, 13), taken in M, and with
 *     OF = 1 wraps silently;
 *   - scountovf mirrors OF, masked by mcounteren below M;
 *   - LCOFI delegated through mideleg is taken in S, whose handler clears
 *     it in sip;
 *   - hpmcounter reads from S/U follow mcounteren and scounteren.
 * The counts printed are exact and the same on both engines; no timing
 * model is needed (instructions and loads count without one).
 */
#include "priv.h"

#define EV_INSTRUCTIONS 0x02UL
#define EV_LOADS        0x12UL
#define OF              (1UL << 63)
#define MINH            (1UL << 62)
#define SINH            (1UL << 61)
#define UINH            (1UL << 60)
#define IRQ_LCOF        13
#define MIP_LCOFIP      (1UL << IRQ_LCOF)


static volatile unsigned g_lcof_m, g_lcof_s;

static void hook(uint64_t cause, int level)
{
    if ((cause & ~CAUSE_INTR) != IRQ_LCOF) {
        printf("unexpected interrupt %lu\n", (unsigned long)(cause & ~CAUSE_INTR));
        exit(3);
    }
    /* Stop the counter that overflowed (counter 3), then clear LCOFIP. */
    if (level == PRV_M) {
        csr_set(mcountinhibit, 1UL << 3);
        csr_clear(mip, MIP_LCOFIP);
        ++g_lcof_m;
    } else {
        csr_clear(sip, MIP_LCOFIP);
        ++g_lcof_s;
    }
}

/* n iterations of addi + bnez: 2n + 1 instructions from the mv to the loop's end. */
static long spin(long n, long b)
{
    (void)b;
    __asm__ __volatile__("1: addi %0, %0, -1\n bnez %0, 1b\n" : "+r"(n));
    return n;
}

static void test_counting(void)
{
    csr_write(mhpmevent3, EV_INSTRUCTIONS);
    csr_write(mhpmevent4, EV_LOADS);
    csr_write(mcountinhibit, 0);
    uint64_t i0, i1, l0, l1;
    volatile uint64_t word = 7;
    uint64_t sink = 0;
    __asm__ __volatile__(
        "csrw mhpmcounter3, zero\n"  /* the write itself does not count */
        "csrr %0, mhpmcounter3\n"
        "csrr %2, mhpmcounter4\n"
        "ld %4, 0(%5)\n ld %4, 0(%5)\n ld %4, 0(%5)\n"
        "addi %4, %4, 1\n addi %4, %4, 1\n"
        "csrr %1, mhpmcounter3\n"
        "csrr %3, mhpmcounter4\n"
        : "=&r"(i0), "=&r"(i1), "=&r"(l0), "=&r"(l1), "+&r"(sink)
        : "r"(&word)
        : "memory");
    printf("counting: first read %lu, instructions %lu, loads %lu\n", (unsigned long)i0,
           (unsigned long)(i1 - i0), (unsigned long)(l1 - l0));
    CHECK("a counter write sets the value the next instruction reads", i0 == 0);
    CHECK("7 instructions between the reads", i1 - i0 == 7);
    CHECK("3 loads", l1 - l0 == 3);
    /* Inhibited: frozen. */
    csr_write(mcountinhibit, 1UL << 3);
    const uint64_t f0 = csr_read(mhpmcounter3);
    spin(100, 0);
    const uint64_t f1 = csr_read(mhpmcounter3);
    printf("inhibited: moved %lu\n", (unsigned long)(f1 - f0));
    CHECK("mcountinhibit freezes mhpmcounter3", f1 == f0);
    csr_write(mcountinhibit, 0);
}

static void test_mode_filter(void)
{
    /* 5: M only, 6: S only, 7: U only. */
    csr_write(mhpmevent5, EV_INSTRUCTIONS | SINH | UINH);
    csr_write(mhpmevent6, EV_INSTRUCTIONS | MINH | UINH);
    csr_write(mhpmevent7, EV_INSTRUCTIONS | MINH | SINH);
    csr_write(mhpmcounter5, 0);
    csr_write(mhpmcounter6, 0);
    csr_write(mhpmcounter7, 0);
    priv_call(PRV_U, spin, 1000, 0);
    const uint64_t m1 = csr_read(mhpmcounter5), s1 = csr_read(mhpmcounter6), u1 = csr_read(mhpmcounter7);
    priv_call(PRV_S, spin, 500, 0);
    const uint64_t m2 = csr_read(mhpmcounter5), s2 = csr_read(mhpmcounter6), u2 = csr_read(mhpmcounter7);
    printf("filter: after U: S %lu, U %lu; after S: S %lu, U %lu; M counted %s\n", (unsigned long)s1,
           (unsigned long)u1, (unsigned long)(s2 - s1), (unsigned long)(u2 - u1),
           m1 > 0 && m2 > m1 ? "yes" : "no");
    CHECK("U code counts only in the U-only counter", s1 == 0 && u1 >= 2000 && u1 < 2100);
    CHECK("S code counts only in the S-only counter", u2 == u1 && s2 - s1 >= 1000 && s2 - s1 < 1100);
    CHECK("M code (priv_call) counts in the M-only counter", m1 > 0 && m2 > m1);
    csr_write(mhpmevent5, 0);
    csr_write(mhpmevent6, 0);
    csr_write(mhpmevent7, 0);
}

static void test_overflow_m(void)
{
    g_irq_hook = hook;
    csr_write(mhpmevent3, EV_INSTRUCTIONS);
    csr_write(mhpmcounter3, -50L);
    csr_set(mie, MIP_LCOFIP);
    csr_set(mstatus, MSTATUS_MIE);
    spin(100, 0);  /* wraps after 50 instructions; the hook inhibits it */
    csr_clear(mstatus, MSTATUS_MIE);
    const uint64_t ev = csr_read(mhpmevent3), ovf = csr_read(scountovf), after = csr_read(mhpmcounter3);
    printf("overflow in M: interrupts %u, OF %lu, scountovf 0x%lx, counter stopped within 200: %s\n", g_lcof_m,
           (unsigned long)(ev >> 63), (unsigned long)ovf, after < 200 ? "yes" : "no");
    CHECK("one LCOFI", g_lcof_m == 1);
    CHECK("OF set", ev & OF);
    CHECK("scountovf shows counter 3", ovf == (1UL << 3));
    CHECK("the handler cleared LCOFIP", (csr_read(mip) & MIP_LCOFIP) == 0);
    /* With OF still set, a second wrap raises nothing. */
    csr_write(mhpmcounter3, -10L);
    csr_write(mcountinhibit, 0);
    spin(50, 0);
    printf("second wrap with OF set: LCOFIP %lu\n", (unsigned long)((csr_read(mip) >> IRQ_LCOF) & 1));
    CHECK("no LCOFIP while OF is set", (csr_read(mip) & MIP_LCOFIP) == 0);
    csr_write(mhpmevent3, EV_INSTRUCTIONS);  /* OF = 0 */
    CHECK("scountovf follows OF", csr_read(scountovf) == 0);
    csr_clear(mie, MIP_LCOFIP);
}

static long s_read_scountovf(long a, long b)
{
    (void)a, (void)b;
    return (long)csr_read(scountovf);
}
static long s_read_hpm3(long a, long b)
{
    (void)a, (void)b;
    return (long)csr_read(hpmcounter3);
}

static void test_delegated(void)
{
    csr_write(mhpmevent3, EV_INSTRUCTIONS);
    csr_write(mhpmevent4, EV_INSTRUCTIONS | OF);
    csr_write(mcounteren, 1UL << 3);
    printf("scountovf from S: mcounteren 1<<3: 0x%lx\n", (unsigned long)priv_call(PRV_S, s_read_scountovf, 0, 0));
    csr_write(mcounteren, 1UL << 4);
    printf("scountovf from S: mcounteren 1<<4: 0x%lx\n", (unsigned long)priv_call(PRV_S, s_read_scountovf, 0, 0));
    csr_write(mcounteren, 0);
    const int trapped = pt_catch(PRV_S, s_read_hpm3, 0, 0);
    printf("hpmcounter3 from S with mcounteren 0: %s, cause %lu\n", trapped ? "trapped" : "read",
           (unsigned long)g_pt.cause);
    CHECK("illegal without mcounteren", trapped && g_pt.cause == CAUSE_ILLEGAL_INSN);
    csr_write(mhpmevent4, 0);

    csr_set(mideleg, MIP_LCOFIP);
    csr_set(mie, MIP_LCOFIP);  /* sie.LCOFIE, as mideleg delegates it */
    csr_write(mhpmcounter3, -100L);
    csr_write(mcountinhibit, 0);
    priv_call(PRV_S, spin, 200, 0);  /* S takes it: SIE is off, but ... */
    const unsigned in_s_with_sie_off = g_lcof_s;
    /* ... S-mode interrupts are taken in U always. */
    csr_write(mhpmcounter3, -100L);
    csr_write(mhpmevent3, EV_INSTRUCTIONS);
    priv_call(PRV_U, spin, 200, 0);
    printf("delegated LCOFI: taken in S with SIE=0: %u, taken from U: %u, in M: %u\n", in_s_with_sie_off,
           g_lcof_s - in_s_with_sie_off, g_lcof_m - 1);
    CHECK("delegated LCOFI reaches S", g_lcof_s >= 1);
    CHECK("none in M", g_lcof_m == 1);
    csr_clear(mie, MIP_LCOFIP);
    csr_clear(mideleg, MIP_LCOFIP);
    csr_write(mhpmevent3, 0);
}

int main(void)
{
    priv_init();
    test_counting();
    test_mode_filter();
    test_overflow_m();
    test_delegated();
    return test_summary("pmu");
}
