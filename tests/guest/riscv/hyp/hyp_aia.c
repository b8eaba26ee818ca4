/*
 * hyp_aia: IMSIC interrupt files with the hypervisor extension - guest
 * interrupt files delivering to VS level and as supervisor guest external
 * interrupts to HS, and the supervisor-level file.  Written from the AIA
 * specification 1.0 ("Incoming MSI Controller (IMSIC)", "Interrupts for
 * virtual machines (VS level)", "CSRs") and the privileged spec's
 * hypervisor chapter (hstatus.VGEIN, hgeip/hgeie, hip.SGEIP/VSEIP).
 *
 * Machine: -M virt,aia=aplic-imsic,aia-guests=5, one hart.  Hart 0's
 * supervisor-level file is the page at 0x2800_0000 and its guest file g
 * the page g after it (the hart's stride is 2^3 pages: GEILEN = 5 needs 3
 * guest-index bits, so pages 6 and 7 hold no interrupt file).
 *
 *   guest file registers through vsiselect/vsireg from HS with
 *   hstatus.VGEIN = g (eidelivery, eithreshold, eie0, eip0); hgeie's
 *   writable bits are 1..GEILEN; an MSI (a store of identity k to the
 *   file's seteipnum_le) sets eip bit k, hgeip bit g and, with VGEIN = g,
 *   hip.VSEIP; seteipnum_le reads zero; vstopei = k << 16 | k; another
 *   VGEIN shows no VSEIP; eidelivery = 0 or eie clear withdraws hgeip but
 *   vstopei still follows pending-and-enabled (it does not depend on
 *   eidelivery);
 *   VS level (hideleg.VSEI): VS sees vsip.SEIP and reads stopei (vstopei);
 *   no interrupt with vsstatus.SIE = 0; with SIE and vsie.SEIE it takes
 *   cause 9 (VS external, renumbered from 10) in VS, whose CSRRW of stopei
 *   claims k<<16|k; afterwards eip bit k, vstopei, vsip.SEIP, hgeip and
 *   hip.VSEIP are clear; priorities: the lowest pending identity is
 *   reported first, claims go in identity order, eithreshold P masks
 *   identities >= P (set by VS itself through siselect/sireg);
 *   VS reading stopei with VGEIN = 0 is a virtual instruction, HS reading
 *   vstopei then an illegal one;
 *   SGEI: hip.SGEIP = hgeip & hgeie is nonzero; HS takes cause 12 from VS
 *   (HS interrupts always enabled with V=1) and from HS only with SIE = 1;
 *   none with hgeie clear (or another bit) or eidelivery = 0; with both
 *   SGEI and a VS external interrupt pending, HS's cause 12 comes first;
 *   the supervisor-level file: sip.SEIP, stopei, HS takes cause 9 and
 *   claims with stopei, hgeip unaffected;
 *   MSIs to the last guest file (5) arrive, MSIs to pages 6 and 7 (no
 *   file) reach no file (the spec asks for read-only zeros there; an
 *   access fault is accepted).
 *
 * QEMU 7.2 deviation (accepted unless built with -DHYP_STRICT; the check's
 * name says what QEMU does): vsip.SEIP (and sip.SEIP read in VS) stays 0
 * while hgeip[VGEIN] makes hip.VSEIP 1 and hideleg delegates it, although
 * QEMU delivers the interrupt to VS.  The AIA makes vsip.SEIP an alias of
 * hip.VSEIP when hideleg[10] is set.  Stores to pages 6 and 7 raise a
 * store access fault on QEMU (nothing mapped) and are ignored on Orrery
 * (the read-only zeros the AIA asks for); both are accepted.
 *
 * Without the harness's mstateen0/hstateen0 (all ones where Smstateen
 * exists) the AIA CSRs below M would be gated by bits 58-60.
 */
#include "hyp.h"

#define AIA_GUESTS      5
#define GUEST_BITS      3
#define IMSIC_S_BASE    0x28000000UL
#define IMSIC_PAGE(hart, idx) \
    (IMSIC_S_BASE + ((((uint64_t)(hart)) << GUEST_BITS) + (uint64_t)(idx)) * 0x1000UL)

/* indirect interrupt-file registers */
#define ISEL_EIDELIVERY  0x70
#define ISEL_EITHRESHOLD 0x72
#define ISEL_EIP0        0x80
#define ISEL_EIE0        0xc0

#define TOPEI(id)        (((uint64_t)(id) << 16) | (uint64_t)(id))

#define G   2       /* the guest file under test */
#define G2  4       /* another one */
#define K   5       /* an identity */
#define KLO 3
#define KHI 9

/* ------------------------------------------------------ CSR helpers -- */
/* V=0 (M or HS): the guest file hstatus.VGEIN selects */
static void gf_wr(unsigned sel, uint64_t v)
{
    csr_write(0x250, sel);      /* vsiselect */
    csr_write(0x251, v);        /* vsireg */
}
static uint64_t gf_rd(unsigned sel)
{
    csr_write(0x250, sel);
    return csr_read(0x251);
}
/* V=0: the supervisor file; V=1: the guest file (siselect -> vsiselect) */
static void sf_wr(unsigned sel, uint64_t v)
{
    csr_write(0x150, sel);
    csr_write(0x151, v);
}
static uint64_t sf_rd(unsigned sel)
{
    csr_write(0x150, sel);
    return csr_read(0x151);
}
static uint64_t rd_vstopei(void) { return csr_read(0x25c); }
static uint64_t rd_stopei(void) { return csr_read(0x15c); }
static uint64_t claim_stopei(void)
{
    uint64_t v;
    __asm__ __volatile__("csrrw %0, 0x15c, zero" : "=r"(v) :: "memory");
    return v;
}
static uint64_t hgeip(void) { return csr_read(0xe12); }
static uint64_t hip(void) { return csr_read(0x644); }

static void set_vgein(unsigned g)
{
    uint64_t hs = csr_read(0x600);
    hs = (hs & ~HSTATUS_VGEIN) | ((uint64_t)g << HSTATUS_VGEIN_SHIFT);
    csr_write(0x600, hs);
}

static void msi(uint64_t page, uint32_t id)
{
    *(volatile uint32_t *)(uintptr_t)page = id;
    __asm__ __volatile__("fence iorw, iorw" ::: "memory");
}

static void clear_file(void (*wr)(unsigned, uint64_t))
{
    wr(ISEL_EIDELIVERY, 0);
    wr(ISEL_EITHRESHOLD, 0);
    for (unsigned w = 0; w < 8; w += 2) {
        wr(ISEL_EIP0 + w, 0);
        wr(ISEL_EIE0 + w, 0);
    }
}

/* V=0: every guest file and the supervisor file to zero; VGEIN = 0 */
static void clear_all_files(void)
{
    for (unsigned g = 1; g <= AIA_GUESTS; g++) {
        set_vgein(g);
        clear_file(gf_wr);
    }
    set_vgein(0);
    clear_file(sf_wr);
}

/* V=0: guest file g delivering, identity k (and more) enabled */
static void ready_guest(unsigned g, uint64_t eie0)
{
    set_vgein(g);
    gf_wr(ISEL_EIDELIVERY, 1);
    gf_wr(ISEL_EITHRESHOLD, 0);
    gf_wr(ISEL_EIE0, eie0);
}

static void spin(void)
{
    for (volatile int i = 0; i < 200; i++)
        ;
}

/* --------------------------------------------------------- interrupts -- */
/* VS or HS external interrupt: claim with CSRRW stopei (vstopei with V=1) */
static volatile uint64_t g_claimed[4];
static volatile unsigned g_nclaimed;

static int claim_hook(int level, uint64_t cause)
{
    if (cause != (CAUSE_INTR | IRQ_SEI) || level == LVL_M)
        return 0;
    uint64_t v = claim_stopei();
    if (g_nclaimed < 4)
        g_claimed[g_nclaimed] = v;
    g_nclaimed++;
    return 1;
}

static void irq_reset(void)
{
    g_irq_n = 0;
    g_nclaimed = 0;
    for (int i = 0; i < 4; i++)
        g_claimed[i] = ~0UL;
}

static const char *lvl_str(uint64_t level)
{
    return level == LVL_M ? ": taken in M" : level == LVL_HS ? ": taken in HS" : ": taken in VS";
}

static void expect_irq_at(const char *name, unsigned i, uint64_t level, uint64_t cause, int prev)
{
    check_eq2(name, ": cause", g_irq_log[i].cause, cause);
    check_eq2(name, lvl_str(level), g_irq_log[i].level, level);
    check_eq2(name, ": previous mode", g_irq_log[i].prev, (uint64_t)prev);
}

/* ------------------------------------------------- 0: the CSRs exist -- */
static int aia_present(void)
{
    int ok = 1;
    static const unsigned csrs[] = {0x150, 0x151, 0x15c, 0x250, 0x251, 0x25c};
    for (unsigned i = 0; i < sizeof(csrs) / sizeof(csrs[0]); i++) {
        ht_arm();
        switch (csrs[i]) {
        case 0x150: (void)csr_read(0x150); break;
        case 0x151: csr_write(0x150, ISEL_EIDELIVERY); (void)csr_read(0x151); break;
        case 0x15c: (void)csr_read(0x15c); break;
        case 0x250: (void)csr_read(0x250); break;
        case 0x251:
            set_vgein(1);
            csr_write(0x250, ISEL_EIDELIVERY);
            (void)csr_read(0x251);
            set_vgein(0);
            break;
        default: set_vgein(1); (void)csr_read(0x25c); set_vgein(0); break;
        }
        if (ht_disarm()) {
            printf("CSR 0x%x: cause %lu\n", csrs[i], g_ht.cause);
            ok = 0;
        }
    }
    return ok;
}

/* ------------------------------------ 1: guest file registers, from HS -- */
static long hs_guest_file(long a, long b)
{
    (void)a; (void)b;
    clear_all_files();
    csr_write(0x607, ~0UL);
    EXPECT_EQ("hgeie: bits 1..GEILEN writable (GEILEN = 5)", csr_read(0x607), 0x3eUL);
    csr_write(0x607, 0);

    set_vgein(G);
    EXPECT_EQ("hstatus.VGEIN = 2 reads back", (csr_read(0x600) & HSTATUS_VGEIN) >> HSTATUS_VGEIN_SHIFT, G);
    gf_wr(ISEL_EIDELIVERY, 1);
    EXPECT_EQ("vsireg: eidelivery = 1 reads back", gf_rd(ISEL_EIDELIVERY), 1);
    gf_wr(ISEL_EITHRESHOLD, 0);
    EXPECT_EQ("vsireg: eithreshold = 0 reads back", gf_rd(ISEL_EITHRESHOLD), 0);
    gf_wr(ISEL_EIE0, (1UL << K) | 1);
    EXPECT_EQ("vsireg: eie0 bit 5 writable, bit 0 (identity 0) read-only zero", gf_rd(ISEL_EIE0), 1UL << K);
    EXPECT_EQ("before the MSI: eip0 = 0", gf_rd(ISEL_EIP0), 0);
    EXPECT_EQ("before the MSI: vstopei = 0", rd_vstopei(), 0);
    EXPECT_EQ("before the MSI: hgeip = 0", hgeip(), 0);
    EXPECT_EQ("before the MSI: hip.VSEIP = 0", hip() & MIP_VSEIP, 0);

    msi(IMSIC_PAGE(0, G), K);
    EXPECT_EQ("MSI 5 to guest file 2: eip0 = 1 << 5", gf_rd(ISEL_EIP0), 1UL << K);
    EXPECT_EQ("MSI 5 to guest file 2: hgeip = 1 << 2", hgeip(), 1UL << G);
    EXPECT_EQ("MSI 5 to guest file 2: hip.VSEIP = 1, SGEIP = 0 (hgeie clear)",
              hip() & (MIP_VSEIP | MIP_SGEIP), MIP_VSEIP);
    EXPECT_EQ("MSI 5 to guest file 2: vstopei = 5 << 16 | 5", rd_vstopei(), TOPEI(K));
    EXPECT_EQ("seteipnum_le reads zero", *(volatile uint32_t *)(uintptr_t)IMSIC_PAGE(0, G), 0);

    set_vgein(G2);
    EXPECT_EQ("VGEIN = 4: hip.VSEIP = 0", hip() & MIP_VSEIP, 0);
    EXPECT_EQ("VGEIN = 4: hgeip still 1 << 2", hgeip(), 1UL << G);
    EXPECT_EQ("VGEIN = 4: vstopei = 0 (file 4 is empty)", rd_vstopei(), 0);
    EXPECT_EQ("VGEIN = 4: eip0 = 0", gf_rd(ISEL_EIP0), 0);
    set_vgein(G);

    gf_wr(ISEL_EIDELIVERY, 0);
    EXPECT_EQ("eidelivery = 0: hgeip = 0", hgeip(), 0);
    EXPECT_EQ("eidelivery = 0: hip.VSEIP = 0", hip() & MIP_VSEIP, 0);
    EXPECT_EQ("eidelivery = 0: vstopei still 5 << 16 | 5", rd_vstopei(), TOPEI(K));
    gf_wr(ISEL_EIDELIVERY, 1);
    EXPECT_EQ("eidelivery = 1 again: hgeip = 1 << 2", hgeip(), 1UL << G);

    gf_wr(ISEL_EIE0, 0);
    EXPECT_EQ("eie0 = 0: hgeip = 0", hgeip(), 0);
    EXPECT_EQ("eie0 = 0: vstopei = 0", rd_vstopei(), 0);
    EXPECT_EQ("eie0 = 0: eip0 still 1 << 5", gf_rd(ISEL_EIP0), 1UL << K);
    gf_wr(ISEL_EIE0, 1UL << K);
    EXPECT_EQ("eie0 bit 5 again: hgeip = 1 << 2", hgeip(), 1UL << G);

    gf_wr(ISEL_EIP0, 0);
    EXPECT_EQ("eip0 = 0 through vsireg: hgeip = 0", hgeip(), 0);
    EXPECT_EQ("eip0 = 0 through vsireg: vstopei = 0", rd_vstopei(), 0);
    gf_wr(ISEL_EIP0, 1UL << K);
    EXPECT_EQ("eip0 bit 5 set through vsireg: hgeip = 1 << 2", hgeip(), 1UL << G);
    EXPECT_EQ("eip0 bit 5 set through vsireg: vstopei = 5 << 16 | 5", rd_vstopei(), TOPEI(K));
    clear_all_files();
    return 0;
}

static void test_guest_file(void)
{
    hyp_call(MODE_HS, hs_guest_file, 0, 0);
}

/* ------------------------------------------------------ 2: VS level -- */
static volatile uint64_t r_vs[8];

/* VS: look, then open the interrupt window (vsie.SEIE, then SIE) */
static long vs_take(long a, long b)
{
    (void)a; (void)b;
    r_vs[0] = rd_stopei();                  /* vstopei */
    r_vs[1] = csr_read(sip) & (1UL << IRQ_SEI);
    csr_set(sie, 1UL << IRQ_SEI);
    spin();
    r_vs[2] = g_irq_n;                      /* none yet: SIE = 0 */
    csr_set(sstatus, MSTATUS_SIE);
    spin();
    csr_clear(sstatus, MSTATUS_SIE);
    csr_clear(sie, 1UL << IRQ_SEI);
    r_vs[3] = rd_stopei();
    r_vs[4] = sf_rd(ISEL_EIP0);             /* vsiselect/vsireg */
    r_vs[5] = csr_read(sip) & (1UL << IRQ_SEI);
    return 0;
}

/* VS: priorities and claims with interrupts disabled */
static long vs_priority(long a, long b)
{
    (void)a; (void)b;
    r_vs[0] = rd_stopei();
    r_vs[1] = claim_stopei();
    r_vs[2] = rd_stopei();
    r_vs[3] = claim_stopei();
    r_vs[4] = rd_stopei();
    r_vs[5] = claim_stopei();               /* nothing to claim */
    return 0;
}

/* VS: eithreshold through siselect/sireg (vsiselect/vsireg) */
static long vs_threshold(long p, long b)
{
    (void)b;
    sf_wr(ISEL_EITHRESHOLD, (uint64_t)p);
    r_vs[0] = sf_rd(ISEL_EITHRESHOLD);
    r_vs[1] = rd_stopei();
    r_vs[2] = csr_read(sip) & (1UL << IRQ_SEI);
    return 0;
}

static long vs_rd_stopei(long a, long b)
{
    (void)a; (void)b;
    return (long)rd_stopei();
}

static long hs_rd_vstopei(long a, long b)
{
    (void)a; (void)b;
    return (long)rd_vstopei();
}

static long hs_ready(long g, long eie0)
{
    clear_all_files();
    ready_guest((unsigned)g, (uint64_t)eie0);
    return 0;
}

static long hs_clear(long a, long b)
{
    (void)a; (void)b;
    clear_all_files();
    return 0;
}

static void test_vs_level(void)
{
    csr_write(mideleg, 0x222UL);
    csr_wr(CSR_HIDELEG, MIP_VSEIP);
    hyp_call(MODE_HS, hs_ready, G, 1UL << K);
    /* guest file G stays selected (VGEIN = G) */
    msi(IMSIC_PAGE(0, G), K);
    uint64_t vsip = csr_rd(CSR_VSIP) & (1UL << IRQ_SEI);
    CHECK("hideleg.VSEI, VGEIN = 2: vsip.SEIP = 1 (QEMU 7.2: 0)", vsip || QEMU72(vsip == 0));

    irq_reset();
    g_irq_hook = claim_hook;
    csr_wr(CSR_VSSTATUS, csr_rd(CSR_VSSTATUS) & ~MSTATUS_SIE);
    hyp_call(MODE_VS, vs_take, 0, 0);
    g_irq_hook = 0;
    EXPECT_EQ("VS reads stopei (vstopei) = 5 << 16 | 5", r_vs[0], TOPEI(K));
    CHECK("VS reads sip.SEIP = 1 (QEMU 7.2: 0)", r_vs[1] == 1UL << IRQ_SEI || QEMU72(r_vs[1] == 0));
    EXPECT_EQ("VS with vsie.SEIE, vsstatus.SIE = 0: no interrupt", r_vs[2], 0);
    EXPECT_EQ("VS with vsie.SEIE, SIE = 1: one interrupt", g_irq_n, 1);
    expect_irq_at("VS external interrupt from guest file 2", 0, LVL_VS, CAUSE_INTR | IRQ_SEI, MODE_VS);
    EXPECT_EQ("VS claims with csrrw stopei: 5 << 16 | 5", g_claimed[0], TOPEI(K));
    EXPECT_EQ("after the claim: VS reads stopei = 0", r_vs[3], 0);
    EXPECT_EQ("after the claim: VS reads eip0 bit 5 = 0 (sireg)", r_vs[4] & (1UL << K), 0);
    EXPECT_EQ("after the claim: VS reads sip.SEIP = 0", r_vs[5], 0);
    EXPECT_EQ("after the claim: hgeip = 0", csr_rd(CSR_HGEIP), 0);
    EXPECT_EQ("after the claim: hip.VSEIP = 0", csr_rd(CSR_HIP) & MIP_VSEIP, 0);

    /* two identities: the lower number first */
    hyp_call(MODE_HS, hs_ready, G, (1UL << KLO) | (1UL << KHI));
    msi(IMSIC_PAGE(0, G), KHI);
    msi(IMSIC_PAGE(0, G), KLO);
    hyp_call(MODE_VS, vs_priority, 0, 0);
    EXPECT_EQ("3 and 9 pending: VS reads stopei = 3 << 16 | 3", r_vs[0], TOPEI(KLO));
    EXPECT_EQ("3 and 9 pending: csrrw stopei claims 3", r_vs[1], TOPEI(KLO));
    EXPECT_EQ("then stopei = 9 << 16 | 9", r_vs[2], TOPEI(KHI));
    EXPECT_EQ("then csrrw stopei claims 9", r_vs[3], TOPEI(KHI));
    EXPECT_EQ("then stopei = 0", r_vs[4], 0);
    EXPECT_EQ("csrrw stopei with nothing pending returns 0", r_vs[5], 0);
    EXPECT_EQ("both claimed: hgeip = 0", csr_rd(CSR_HGEIP), 0);

    /* eithreshold */
    msi(IMSIC_PAGE(0, G), KHI);
    hyp_call(MODE_VS, vs_threshold, KHI, 0);
    EXPECT_EQ("9 pending, VS sets eithreshold = 9: reads back 9", r_vs[0], KHI);
    EXPECT_EQ("9 pending, eithreshold = 9: stopei = 0", r_vs[1], 0);
    EXPECT_EQ("9 pending, eithreshold = 9: sip.SEIP = 0", r_vs[2], 0);
    EXPECT_EQ("9 pending, eithreshold = 9: hgeip = 0", csr_rd(CSR_HGEIP), 0);
    hyp_call(MODE_VS, vs_threshold, KHI + 1, 0);
    EXPECT_EQ("9 pending, eithreshold = 10: stopei = 9 << 16 | 9", r_vs[1], TOPEI(KHI));
    CHECK("9 pending, eithreshold = 10: sip.SEIP = 1 (QEMU 7.2: 0)",
          r_vs[2] == 1UL << IRQ_SEI || QEMU72(r_vs[2] == 0));
    EXPECT_EQ("9 pending, eithreshold = 10: hgeip = 1 << 2", csr_rd(CSR_HGEIP), 1UL << G);
    msi(IMSIC_PAGE(0, G), KLO);
    hyp_call(MODE_VS, vs_threshold, KLO, 0);
    EXPECT_EQ("3 and 9 pending, eithreshold = 3: stopei = 0", r_vs[1], 0);
    EXPECT_EQ("3 and 9 pending, eithreshold = 3: hgeip = 0", csr_rd(CSR_HGEIP), 0);
    hyp_call(MODE_VS, vs_threshold, KLO + 1, 0);
    EXPECT_EQ("3 and 9 pending, eithreshold = 4: stopei = 3 << 16 | 3", r_vs[1], TOPEI(KLO));
    hyp_call(MODE_VS, vs_threshold, 0, 0);
    EXPECT_EQ("3 and 9 pending, eithreshold = 0: stopei = 3 << 16 | 3", r_vs[1], TOPEI(KLO));

    /* no guest file selected */
    csr_wr(CSR_HSTATUS, csr_rd(CSR_HSTATUS) & ~HSTATUS_VGEIN);
    csr_write(medeleg, 1UL << CAUSE_VIRTUAL_INSN);
    ht_arm();
    hyp_call(MODE_VS, vs_rd_stopei, 0, 0);
    CHECK("VGEIN = 0: VS reads stopei: virtual instruction, in HS",
          ht_disarm() && g_ht.cause == CAUSE_VIRTUAL_INSN && g_ht.level == LVL_HS);
    csr_write(medeleg, 0);
    ht_arm();
    hyp_call(MODE_HS, hs_rd_vstopei, 0, 0);
    CHECK("VGEIN = 0: HS reads vstopei: illegal instruction",
          ht_disarm() && g_ht.cause == CAUSE_ILLEGAL_INSN && g_ht.level == LVL_M);
    hyp_call(MODE_HS, hs_clear, 0, 0);
}

/* ------------------------------------------------------------ 3: SGEI -- */
static long vs_spin(long a, long b)
{
    (void)a; (void)b;
    spin();
    return 0;
}

/* VS: open the VS window (vsie.SEIE and SIE) */
static long vs_window(long a, long b)
{
    (void)a; (void)b;
    csr_set(sie, 1UL << IRQ_SEI);
    csr_set(sstatus, MSTATUS_SIE);
    spin();
    csr_clear(sstatus, MSTATUS_SIE);
    csr_clear(sie, 1UL << IRQ_SEI);
    return 0;
}

/* HS: spin with sstatus.SIE = a */
static long hs_window(long sie_on, long b)
{
    (void)b;
    if (sie_on)
        csr_set(sstatus, MSTATUS_SIE);
    spin();
    csr_clear(sstatus, MSTATUS_SIE);
    return 0;
}

static void test_sgei(void)
{
    csr_write(mideleg, 0x222UL);
    hyp_call(MODE_HS, hs_ready, G, 1UL << K);
    csr_wr(CSR_HSTATUS, csr_rd(CSR_HSTATUS) & ~HSTATUS_VGEIN);     /* VGEIN = 0 */
    msi(IMSIC_PAGE(0, G), K);
    csr_wr(CSR_HIE, MIP_SGEIP);

    EXPECT_EQ("hgeie = 0: hgeip = 1 << 2", csr_rd(CSR_HGEIP), 1UL << G);
    EXPECT_EQ("hgeie = 0: hip.SGEIP = 0", csr_rd(CSR_HIP) & MIP_SGEIP, 0);
    irq_reset();
    hyp_call(MODE_VS, vs_spin, 0, 0);
    EXPECT_EQ("hgeie = 0, hie.SGEIE, in VS: no interrupt", g_irq_n, 0);
    csr_wr(CSR_HGEIE, 1UL << G2);
    EXPECT_EQ("hgeie = 1 << 4: hip.SGEIP = 0", csr_rd(CSR_HIP) & MIP_SGEIP, 0);
    hyp_call(MODE_VS, vs_spin, 0, 0);
    EXPECT_EQ("hgeie = 1 << 4, in VS: no interrupt", g_irq_n, 0);

    csr_wr(CSR_HGEIE, 1UL << G);
    EXPECT_EQ("hgeie = 1 << 2: hip.SGEIP = 1", csr_rd(CSR_HIP) & MIP_SGEIP, MIP_SGEIP);
    EXPECT_EQ("hgeie = 1 << 2: mip.SGEIP = 1", csr_read(mip) & MIP_SGEIP, MIP_SGEIP);
    EXPECT_EQ("hgeie = 1 << 2: hip.VSEIP = 0 (VGEIN = 0)", csr_rd(CSR_HIP) & MIP_VSEIP, 0);
    EXPECT_EQ("mideleg.SGEI reads 1", (csr_read(mideleg) >> IRQ_SGEI) & 1, 1);
    irq_reset();
    hyp_call(MODE_VS, vs_spin, 0, 0);
    EXPECT_EQ("SGEI in VS (HS's SIE = 0): one interrupt", g_irq_n, 1);
    expect_irq_at("SGEI in VS", 0, LVL_HS, CAUSE_INTR | IRQ_SGEI, MODE_VS);

    csr_wr(CSR_HIE, MIP_SGEIP);
    irq_reset();
    hyp_call(MODE_HS, hs_window, 0, 0);
    EXPECT_EQ("SGEI in HS with SIE = 0: no interrupt", g_irq_n, 0);
    hyp_call(MODE_HS, hs_window, 1, 0);
    EXPECT_EQ("SGEI in HS with SIE = 1: one interrupt", g_irq_n, 1);
    expect_irq_at("SGEI in HS with SIE = 1", 0, LVL_HS, CAUSE_INTR | IRQ_SGEI, MODE_HS);

    csr_wr(CSR_HIE, MIP_SGEIP);
    csr_wr(CSR_HSTATUS, (csr_rd(CSR_HSTATUS) & ~HSTATUS_VGEIN) | ((uint64_t)G << HSTATUS_VGEIN_SHIFT));
    gf_wr(ISEL_EIDELIVERY, 0);
    EXPECT_EQ("eidelivery = 0: hip.SGEIP = 0", csr_rd(CSR_HIP) & MIP_SGEIP, 0);
    irq_reset();
    hyp_call(MODE_VS, vs_spin, 0, 0);
    EXPECT_EQ("eidelivery = 0, in VS: no interrupt", g_irq_n, 0);
    gf_wr(ISEL_EIDELIVERY, 1);

    /* SGEI (to HS) and the VS external interrupt of the same file */
    csr_wr(CSR_HIDELEG, MIP_VSEIP);
    irq_reset();
    g_irq_hook = claim_hook;
    hyp_call(MODE_VS, vs_window, 0, 0);
    g_irq_hook = 0;
    EXPECT_EQ("SGEI and VSEI both pending, in VS: two interrupts", g_irq_n, 2);
    expect_irq_at("SGEI and VSEI: first", 0, LVL_HS, CAUSE_INTR | IRQ_SGEI, MODE_VS);
    expect_irq_at("SGEI and VSEI: second", 1, LVL_VS, CAUSE_INTR | IRQ_SEI, MODE_VS);
    EXPECT_EQ("SGEI and VSEI: VS claims 5", g_claimed[0], TOPEI(K));
    EXPECT_EQ("after the claim: hip.SGEIP = 0", csr_rd(CSR_HIP) & MIP_SGEIP, 0);
    csr_wr(CSR_HGEIE, 0);
    hyp_call(MODE_HS, hs_clear, 0, 0);
}

/* --------------------------------------------- 4: the supervisor file -- */
static volatile uint64_t r_hs[8];

static long hs_s_file(long a, long b)
{
    (void)a; (void)b;
    clear_all_files();
    sf_wr(ISEL_EIDELIVERY, 1);
    sf_wr(ISEL_EIE0, 1UL << K);
    msi(IMSIC_PAGE(0, 0), K);
    r_hs[0] = csr_read(sip) & (1UL << IRQ_SEI);
    r_hs[1] = rd_stopei();
    r_hs[2] = hgeip();
    r_hs[3] = sf_rd(ISEL_EIP0);
    csr_set(sie, 1UL << IRQ_SEI);
    csr_set(sstatus, MSTATUS_SIE);
    spin();
    csr_clear(sstatus, MSTATUS_SIE);
    csr_clear(sie, 1UL << IRQ_SEI);
    r_hs[4] = rd_stopei();
    r_hs[5] = csr_read(sip) & (1UL << IRQ_SEI);
    r_hs[6] = sf_rd(ISEL_EIP0);
    clear_all_files();
    return 0;
}

static void test_s_file(void)
{
    csr_write(mideleg, 0x222UL);
    irq_reset();
    g_irq_hook = claim_hook;
    hyp_call(MODE_HS, hs_s_file, 0, 0);
    g_irq_hook = 0;
    EXPECT_EQ("MSI 5 to the S file: sip.SEIP = 1", r_hs[0], 1UL << IRQ_SEI);
    EXPECT_EQ("MSI 5 to the S file: stopei = 5 << 16 | 5", r_hs[1], TOPEI(K));
    EXPECT_EQ("MSI 5 to the S file: hgeip = 0", r_hs[2], 0);
    EXPECT_EQ("MSI 5 to the S file: sireg eip0 = 1 << 5", r_hs[3], 1UL << K);
    EXPECT_EQ("HS with sie.SEIE, SIE: one interrupt", g_irq_n, 1);
    expect_irq_at("S file interrupt", 0, LVL_HS, CAUSE_INTR | IRQ_SEI, MODE_HS);
    EXPECT_EQ("HS claims with csrrw stopei: 5 << 16 | 5", g_claimed[0], TOPEI(K));
    EXPECT_EQ("after the claim: stopei = 0", r_hs[4], 0);
    EXPECT_EQ("after the claim: sip.SEIP = 0", r_hs[5], 0);
    EXPECT_EQ("after the claim: eip0 = 0", r_hs[6], 0);
}

/* ------------------------------------- 5: which pages hold a file -- */
static uint64_t any_pending(void)
{
    uint64_t seen = 0;
    for (unsigned g = 1; g <= AIA_GUESTS; g++) {
        set_vgein(g);
        if (gf_rd(ISEL_EIP0))
            seen |= 1UL << g;
    }
    set_vgein(0);
    if (sf_rd(ISEL_EIP0))
        seen |= 1;
    return seen;
}

static void test_pages(void)
{
    /* from M: M reaches every file through vsiselect/siselect too */
    clear_all_files();
    set_vgein(AIA_GUESTS);
    gf_wr(ISEL_EIDELIVERY, 1);
    gf_wr(ISEL_EIE0, 1UL << K);
    set_vgein(0);
    msi(IMSIC_PAGE(0, AIA_GUESTS), K);
    EXPECT_EQ("MSI to guest file 5 (the last): hgeip = 1 << 5", csr_rd(CSR_HGEIP), 1UL << AIA_GUESTS);
    EXPECT_EQ("MSI to guest file 5: only file 5 pending", any_pending(), 1UL << AIA_GUESTS);
    clear_all_files();
    for (unsigned p = AIA_GUESTS + 1; p < (1u << GUEST_BITS); p++) {
        ht_arm();
        msi(IMSIC_PAGE(0, p), K);
        int faulted = ht_disarm();
        CHECK(p == 6 ? "MSI to page 6 (no guest file 6): ignored or a store access fault"
                     : "MSI to page 7 (no guest file 7): ignored or a store access fault",
              !faulted || g_ht.cause == CAUSE_STORE_ACCESS);
        EXPECT_EQ(p == 6 ? "MSI to page 6: no file pending" : "MSI to page 7: no file pending",
                  any_pending(), 0);
        EXPECT_EQ(p == 6 ? "MSI to page 6: hgeip = 0" : "MSI to page 7: hgeip = 0", csr_rd(CSR_HGEIP), 0);
    }
    clear_all_files();
}

int main(void)
{
    hyp_init();
    if (!CHECK("AIA CSRs siselect/sireg/stopei and vsiselect/vsireg/vstopei exist", aia_present()))
        return test_summary("hyp_aia");
    hyp_section("guest file", test_guest_file);
    hyp_section("VS level", test_vs_level);
    hyp_section("SGEI", test_sgei);
    hyp_section("S file", test_s_file);
    hyp_section("pages", test_pages);
    return test_summary("hyp_aia");
}
