/*
 * hyp_csrs: the hypervisor extension's CSRs (privileged spec 1.12,
 * "Hypervisor Extension", sections "Hypervisor and Virtual Supervisor CSRs"
 * and "Machine-Level CSRs"):
 *   existence of every hypervisor and VS CSR, mtval2 and mtinst (from M and
 *   HS; illegal from U), and that the RV32-only high halves are absent;
 *   the WARL behaviour of hstatus (VSBE, GVA, SPV, SPVP, HU, VGEIN, VTVM,
 *   VTW, VTSR, VSXL), hedeleg (causes 9-11 and 20-23 read-only 0), hideleg
 *   (only VS bits 2/6/10), mideleg's read-only-one VS bits, hvip/hip/hie
 *   and their mip/mie aliases, hgeip (read-only) and hgeie, hcounteren,
 *   htimedelta, htval, htinst, henvcfg, vstimecmp, hgatp (Bare, Sv39x4,
 *   Sv48x4, Sv57x4, PPN[1:0], VMID), the vs* CSRs, mtval2, mtinst,
 *   mstatus.MPV/GVA; mstatus.TVM making hgatp (not vsatp) illegal in HS;
 *   and, with V=1, the s* CSRs reaching their vs* replicas (senvcfg and
 *   scounteren do not) and htimedelta offsetting time in VS and VU.
 *
 * Requirements beyond the letter of the spec (QEMU 7.2 has them, and a
 * Linux/KVM host relies on them): hcounteren.CY/TM/IR are writable and
 * all three G-stage modes Sv39x4/Sv48x4/Sv57x4 are supported.
 *
 * QEMU 7.2 deviations (both behaviours accepted unless built with
 * -DHYP_STRICT; the check's name says what QEMU does):
 *   - hstatus keeps what is written to its WPRI bits (spec: reserved bits
 *     read-only zero);
 *   - hgatp keeps PPN[1:0] (spec: they read as zeros in the x4 modes);
 *   - hgatp, and vsatp written with V=0, keep an unsupported MODE as
 *     written (spec: "WARL in the normal way", a legal mode reads back);
 *   - mstatus.TVM=1 does not make hgatp illegal in HS;
 *   - hcounteren keeps 64 bits (spec: a 32-bit register);
 *   - henvcfg.STCE stays writable with menvcfg.STCE=0 (Sstc: read-only 0);
 *   - vsstatus keeps every bit written and never sets SD;
 *   - vsip does not show hvip.VSTIP/VSEIP as STIP/SEIP (hideleg set);
 *   - in VS-mode, reads of sie/sip (vsie/vsip) are masked with mideleg's
 *     S-level bits; the redirection checks delegate those (0x222) as a host
 *     does, so both behaviours give the same result there.
 * QEMU 7.2 has GEILEN = 0 but still makes mideleg.SGEI read-only one and
 * hie.SGEIE writable, which the spec allows.
 */
#include "hyp.h"

static uint64_t g_geilen;
static char g_nbuf[128];

/* "<a><b>" in a static buffer (printed at once by the check) */
static const char *nm(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la + lb >= sizeof(g_nbuf))
        lb = sizeof(g_nbuf) - 1 - la;
    memcpy(g_nbuf, a, la);
    memcpy(g_nbuf + la, b, lb);
    g_nbuf[la + lb] = 0;
    return g_nbuf;
}

/* write, read back under mask, compare */
static void warl(const char *name, unsigned num, uint64_t w, uint64_t mask, uint64_t want)
{
    csr_wr(num, w);
    check_eq(name, csr_rd(num) & mask, want);
}

static int popcount(uint64_t v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* ------------------------------------------------------------ presence -- */
struct csr_name {
    unsigned num;
    const char *name;
};

static const struct csr_name h_csrs[] = {
    {CSR_HSTATUS, "hstatus"}, {CSR_HEDELEG, "hedeleg"}, {CSR_HIDELEG, "hideleg"},
    {CSR_HIE, "hie"}, {CSR_HTIMEDELTA, "htimedelta"}, {CSR_HCOUNTEREN, "hcounteren"},
    {CSR_HGEIE, "hgeie"}, {CSR_HENVCFG, "henvcfg"}, {CSR_HTVAL, "htval"},
    {CSR_HIP, "hip"}, {CSR_HVIP, "hvip"}, {CSR_HTINST, "htinst"},
    {CSR_HGATP, "hgatp"}, {CSR_HGEIP, "hgeip"},
    {CSR_VSSTATUS, "vsstatus"}, {CSR_VSIE, "vsie"}, {CSR_VSTVEC, "vstvec"},
    {CSR_VSSCRATCH, "vsscratch"}, {CSR_VSEPC, "vsepc"}, {CSR_VSCAUSE, "vscause"},
    {CSR_VSTVAL, "vstval"}, {CSR_VSIP, "vsip"}, {CSR_VSATP, "vsatp"},
};
#define N_H_CSRS (sizeof(h_csrs) / sizeof(h_csrs[0]))

static long f_try_rd(long num, long b)
{
    (void)b;
    uint64_t v;
    return (long)csr_try_rd((unsigned)num, &v);
}

static void test_presence(void)
{
    CHECK("misa.H set", (csr_read(misa) >> 7) & 1);
    for (unsigned i = 0; i < N_H_CSRS; i++)
        EXPECT_EQ(nm("M reads ", h_csrs[i].name), csr_try_rd(h_csrs[i].num, 0), 0);
    EXPECT_EQ("M reads mtval2", csr_try_rd(CSR_MTVAL2, 0), 0);
    EXPECT_EQ("M reads mtinst", csr_try_rd(CSR_MTINST, 0), 0);
    /* RV32-only high halves do not exist on RV64 */
    EXPECT_EQ("htimedeltah absent on RV64 (illegal)", csr_try_rd(CSR_HTIMEDELTAH, 0),
              CAUSE_ILLEGAL_INSN + 1);
    EXPECT_EQ("henvcfgh absent on RV64 (illegal)", csr_try_rd(CSR_HENVCFGH, 0),
              CAUSE_ILLEGAL_INSN + 1);
    /* all of them accessible from HS (mstatus.TVM = 0), illegal from U */
    for (unsigned i = 0; i < N_H_CSRS; i++)
        EXPECT_EQ(nm("HS reads ", h_csrs[i].name),
                  hyp_call(MODE_HS, f_try_rd, h_csrs[i].num, 0), 0);
    for (unsigned i = 0; i < N_H_CSRS; i++) {
        uint64_t r = (uint64_t)hyp_call(MODE_U, f_try_rd, h_csrs[i].num, 0);
        char name[48];
        const char *s = nm("U reads ", h_csrs[i].name);
        memcpy(name, s, strlen(s) + 1);
        check_eq2(name, ": illegal", r, CAUSE_ILLEGAL_INSN + 1);
        check_eq2(name, ": taken in M", g_ht.level, LVL_M);
        check_eq2(name, ": tval = instruction", g_ht.tval, CSRR_T0(h_csrs[i].num));
    }
    EXPECT_EQ("HS reads mtval2: illegal", hyp_call(MODE_HS, f_try_rd, CSR_MTVAL2, 0),
              CAUSE_ILLEGAL_INSN + 1);
    EXPECT_EQ("HS reads mtinst: illegal", hyp_call(MODE_HS, f_try_rd, CSR_MTINST, 0),
              CAUSE_ILLEGAL_INSN + 1);
}

/* -------------------------------------------------------------- hstatus -- */
static void hstatus_bit(const char *name, uint64_t bit)
{
    uint64_t base = csr_rd(CSR_HSTATUS) & ~bit;
    csr_wr(CSR_HSTATUS, base | bit);
    uint64_t set = csr_rd(CSR_HSTATUS);
    csr_wr(CSR_HSTATUS, base);
    uint64_t clr = csr_rd(CSR_HSTATUS);
    check_eq2(name, " writable: reads 1", set & bit, bit);
    check_eq2(name, " writable: reads 0", clr & bit, 0);
}

static void test_hstatus(void)
{
    uint64_t v = csr_rd(CSR_HSTATUS);
    EXPECT_EQ("hstatus.VSXL = 2 (VSXLEN 64)", (v >> HSTATUS_VSXL_SHIFT) & 3, 2);
    hstatus_bit("hstatus.VTSR", HSTATUS_VTSR);
    hstatus_bit("hstatus.VTW", HSTATUS_VTW);
    hstatus_bit("hstatus.VTVM", HSTATUS_VTVM);
    hstatus_bit("hstatus.HU", HSTATUS_HU);
    hstatus_bit("hstatus.SPVP", HSTATUS_SPVP);
    hstatus_bit("hstatus.SPV", HSTATUS_SPV);
    hstatus_bit("hstatus.GVA", HSTATUS_GVA);
    /* VSBE: WARL, may be read-only 0 (little-endian like HS) */
    uint64_t base = csr_rd(CSR_HSTATUS) & ~HSTATUS_VSBE;
    csr_wr(CSR_HSTATUS, base | HSTATUS_VSBE);
    csr_wr(CSR_HSTATUS, base);
    EXPECT_EQ("hstatus.VSBE reads 0 after writing 0", csr_rd(CSR_HSTATUS) & HSTATUS_VSBE, 0);
    /* VSXL: WARL over the supported widths (MXL encoding 1 = 32, 2 = 64) */
    base = csr_rd(CSR_HSTATUS) & ~HSTATUS_VSXL;
    csr_wr(CSR_HSTATUS, base | (1UL << HSTATUS_VSXL_SHIFT));
    v = (csr_rd(CSR_HSTATUS) >> HSTATUS_VSXL_SHIFT) & 3;
    CHECK("hstatus.VSXL written 1: reads a legal width (1 or 2)", v == 1 || v == 2);
    csr_wr(CSR_HSTATUS, base | (3UL << HSTATUS_VSXL_SHIFT));
    v = (csr_rd(CSR_HSTATUS) >> HSTATUS_VSXL_SHIFT) & 3;
    CHECK("hstatus.VSXL written 3 (RV128): reads a legal width", v == 1 || v == 2);
    csr_wr(CSR_HSTATUS, base | (2UL << HSTATUS_VSXL_SHIFT));
    EXPECT_EQ("hstatus.VSXL written 2: reads 2", (csr_rd(CSR_HSTATUS) >> HSTATUS_VSXL_SHIFT) & 3, 2);
    /* VGEIN: WLRL, holds 0..GEILEN */
    base = csr_rd(CSR_HSTATUS) & ~HSTATUS_VGEIN;
    csr_wr(CSR_HSTATUS, base | (g_geilen << HSTATUS_VGEIN_SHIFT));
    EXPECT_EQ("hstatus.VGEIN holds GEILEN", (csr_rd(CSR_HSTATUS) & HSTATUS_VGEIN) >> HSTATUS_VGEIN_SHIFT,
              g_geilen);
    csr_wr(CSR_HSTATUS, base);
    EXPECT_EQ("hstatus.VGEIN holds 0", csr_rd(CSR_HSTATUS) & HSTATUS_VGEIN, 0);
    /* reserved (WPRI) bits: read-only zero; QEMU 7.2 keeps them */
    uint64_t defined = HSTATUS_VSBE | HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_HU |
                       HSTATUS_VGEIN | HSTATUS_VTVM | HSTATUS_VTW | HSTATUS_VTSR | HSTATUS_VSXL;
    uint64_t w = (~0UL & ~(HSTATUS_VGEIN | HSTATUS_VSXL)) | (2UL << HSTATUS_VSXL_SHIFT);
    csr_wr(CSR_HSTATUS, w);
    v = csr_rd(CSR_HSTATUS);
    CHECK("hstatus WPRI bits read 0 (QEMU 7.2: as written)",
          (v & ~defined) == 0 || QEMU72((v & ~defined) == (w & ~defined)));
    EXPECT_EQ("hstatus all fields written 1: VTSR/VTW/VTVM/HU/SPVP/SPV/GVA read 1",
              v & (HSTATUS_VTSR | HSTATUS_VTW | HSTATUS_VTVM | HSTATUS_HU | HSTATUS_SPVP |
                   HSTATUS_SPV | HSTATUS_GVA),
              HSTATUS_VTSR | HSTATUS_VTW | HSTATUS_VTVM | HSTATUS_HU | HSTATUS_SPVP |
                  HSTATUS_SPV | HSTATUS_GVA);
    csr_wr(CSR_HSTATUS, 2UL << HSTATUS_VSXL_SHIFT);
    EXPECT_EQ("hstatus written VSXL only: reads VSXL only", csr_rd(CSR_HSTATUS),
              2UL << HSTATUS_VSXL_SHIFT);
}

/* ----------------------------------------------------------- delegation -- */
#define HEDELEG_RO0 ((1UL << 9) | (1UL << 10) | (1UL << 11) | (1UL << 20) | (1UL << 21) | \
                     (1UL << 22) | (1UL << 23))
#define HEDELEG_RW  (0x1feUL | (1UL << 12) | (1UL << 13) | (1UL << 15))

static void test_deleg(void)
{
    csr_wr(CSR_HEDELEG, ~0UL);
    uint64_t v = csr_rd(CSR_HEDELEG);
    EXPECT_EQ("hedeleg all ones: causes 9,10,11,20,21,22,23 read 0", v & HEDELEG_RO0, 0);
    EXPECT_EQ("hedeleg all ones: causes 1-8,12,13,15 read 1", v & HEDELEG_RW, HEDELEG_RW);
    warl("hedeleg[10] (ECALL from VS) read-only 0", CSR_HEDELEG, 1UL << 10, ~0UL, 0);
    warl("hedeleg[9] (ECALL from HS) read-only 0", CSR_HEDELEG, 1UL << 9, ~0UL, 0);
    warl("hedeleg[20] (fetch guest-page fault) read-only 0", CSR_HEDELEG, 1UL << 20, ~0UL, 0);
    warl("hedeleg[21] (load guest-page fault) read-only 0", CSR_HEDELEG, 1UL << 21, ~0UL, 0);
    warl("hedeleg[22] (virtual instruction) read-only 0", CSR_HEDELEG, 1UL << 22, ~0UL, 0);
    warl("hedeleg[23] (store guest-page fault) read-only 0", CSR_HEDELEG, 1UL << 23, ~0UL, 0);
    warl("hedeleg[8] (ECALL from U/VU) writable", CSR_HEDELEG, 1UL << 8, ~0UL, 1UL << 8);
    warl("hedeleg[13] (load page fault) writable", CSR_HEDELEG, 1UL << 13, ~0UL, 1UL << 13);
    warl("hedeleg written 0", CSR_HEDELEG, 0, ~0UL, 0);

    /* mideleg: the VS-level interrupts are always delegated past M */
    csr_write(mideleg, 0);
    v = csr_read(mideleg);
    EXPECT_EQ("mideleg written 0: VSSI/VSTI/VSEI read-only 1", v & MIP_VS_ALL, MIP_VS_ALL);
    CHECK("mideleg written 0: SGEI read-only 1 if GEILEN > 0",
          g_geilen == 0 || ((v >> IRQ_SGEI) & 1));

    csr_wr(CSR_HIDELEG, ~0UL);
    v = csr_rd(CSR_HIDELEG);
    EXPECT_EQ("hideleg all ones: bits 1-12 = VSSI/VSTI/VSEI only", v & 0x1ffeUL, MIP_VS_ALL);
    warl("hideleg[1] (SSI) read-only 0", CSR_HIDELEG, 1UL << 1, ~0UL, 0);
    warl("hideleg[9] (SEI) read-only 0", CSR_HIDELEG, 1UL << 9, ~0UL, 0);
    warl("hideleg[6] (VSTI) writable", CSR_HIDELEG, 1UL << 6, ~0UL, 1UL << 6);
    warl("hideleg written 0", CSR_HIDELEG, 0, ~0UL, 0);
}

/* ------------------------------------------------------ interrupt regs -- */
static void test_interrupt_regs(void)
{
    uint64_t v;
    warl("hvip all ones: bits 15:0 = VSEIP|VSTIP|VSSIP", CSR_HVIP, ~0UL, 0xffff, MIP_VS_ALL);
    EXPECT_EQ("hvip set: hip shows VSEIP/VSTIP/VSSIP", csr_rd(CSR_HIP) & 0xffff, MIP_VS_ALL);
    EXPECT_EQ("hvip set: mip shows VSEIP/VSTIP/VSSIP", csr_read(mip) & MIP_VS_ALL, MIP_VS_ALL);
    csr_wr(CSR_HIP, 0);
    EXPECT_EQ("hip written 0: only VSSIP (alias of hvip.VSSIP) clears",
              csr_rd(CSR_HVIP) & 0xffff, MIP_VSTIP | MIP_VSEIP);
    EXPECT_EQ("hip written 0: VSTIP/VSEIP still pending", csr_rd(CSR_HIP) & MIP_VS_ALL,
              MIP_VSTIP | MIP_VSEIP);
    csr_set(mip, MIP_VSSIP);
    EXPECT_EQ("mip.VSSIP written 1: hvip.VSSIP set (alias)", csr_rd(CSR_HVIP) & MIP_VSSIP, MIP_VSSIP);
    csr_clear(mip, MIP_VSSIP);
    EXPECT_EQ("mip.VSSIP written 0: hvip.VSSIP clear", csr_rd(CSR_HVIP) & MIP_VSSIP, 0);
    csr_wr(CSR_HVIP, 0);
    EXPECT_EQ("hvip 0: hip VS bits clear", csr_rd(CSR_HIP) & MIP_VS_ALL, 0);
    EXPECT_EQ("hvip 0: mip VS bits clear", csr_read(mip) & MIP_VS_ALL, 0);

    /* SGEIE: writable when GEILEN > 0, else writable or read-only 0 */
    csr_wr(CSR_HIE, ~0UL);
    v = csr_rd(CSR_HIE);
    EXPECT_EQ("hie all ones: bits 15:0 = VSSIE|VSTIE|VSEIE (+ SGEIE)", v & 0xefff, MIP_VS_ALL);
    CHECK("hie all ones: SGEIE set if GEILEN > 0", g_geilen == 0 || (v & MIP_SGEIP));
    EXPECT_EQ("hie set: mie shows the same bits (alias)", csr_read(mie) & 0x1444UL, v & 0x1444UL);
    csr_clear(mie, MIP_VS_ALL);
    EXPECT_EQ("mie VS bits cleared: hie VS bits clear", csr_rd(CSR_HIE) & MIP_VS_ALL, 0);
    csr_wr(CSR_HIE, 0);
    EXPECT_EQ("hie written 0", csr_rd(CSR_HIE), 0);

    /* sip/sie and hip/hie are disjoint */
    csr_write(mideleg, 0x222UL);
    csr_write(sie, ~0UL);
    EXPECT_EQ("sie all ones: no VS/SGEI bits in sie", csr_read(sie) & 0x1444UL, 0);
    EXPECT_EQ("sie all ones: hie untouched", csr_rd(CSR_HIE), 0);
    csr_wr(CSR_HVIP, MIP_VS_ALL);
    EXPECT_EQ("hvip set: no VS bits in sip", csr_read(sip) & 0x1444UL, 0);
    csr_wr(CSR_HVIP, 0);
    csr_write(sie, 0);
    csr_write(mideleg, 0);

    /* guest external interrupts */
    EXPECT_EQ("hgeip reads 0 (nothing pending)", csr_rd(CSR_HGEIP), 0);
    EXPECT_EQ("hgeip is read-only: csrw traps (illegal)", csr_try_wr(CSR_HGEIP, 0), CAUSE_ILLEGAL_INSN + 1);
    EXPECT_EQ("  tval = instruction", g_ht.tval, CSRW_T0(CSR_HGEIP));
    csr_wr(CSR_HGEIE, ~0UL);
    v = csr_rd(CSR_HGEIE);
    EXPECT_EQ("hgeie all ones: bit 0 read-only 0", v & 1, 0);
    CHECK("hgeie all ones: bits GEILEN:1 set, others 0", ((v >> 1) & ((v >> 1) + 1)) == 0);
    EXPECT_EQ("hgeie set, hgeip 0: hip.SGEIP = 0", csr_rd(CSR_HIP) & MIP_SGEIP, 0);
    warl("hgeie written 0", CSR_HGEIE, 0, ~0UL, 0);
}

/* ------------------------------------------------------------ the rest -- */
static void test_misc_regs(void)
{
    csr_wr(CSR_HCOUNTEREN, ~0UL);
    uint64_t v = csr_rd(CSR_HCOUNTEREN);
    EXPECT_EQ("hcounteren all ones: CY/TM/IR writable", v & 7, 7);
    CHECK("hcounteren is 32 bits (QEMU 7.2: keeps 64)", (v >> 32) == 0 || QEMU72((v >> 32) == 0xffffffffUL));
    warl("hcounteren written 0", CSR_HCOUNTEREN, 0, ~0UL, 0);
    warl("htimedelta holds 64 bits", CSR_HTIMEDELTA, 0x123456789abcdef0UL, ~0UL, 0x123456789abcdef0UL);
    warl("htimedelta written 0", CSR_HTIMEDELTA, 0, ~0UL, 0);
    warl("htval holds 0", CSR_HTVAL, 0, ~0UL, 0);
    warl("htinst holds 0", CSR_HTINST, 0, ~0UL, 0);
    warl("mtval2 holds 0", CSR_MTVAL2, 0, ~0UL, 0);
    warl("mtinst holds 0", CSR_MTINST, 0, ~0UL, 0);

    /* henvcfg: FIOM; STCE only with menvcfg.STCE (Sstc) */
    warl("henvcfg.FIOM writable", CSR_HENVCFG, ENVCFG_FIOM, ENVCFG_FIOM, ENVCFG_FIOM);
    warl("henvcfg written 0", CSR_HENVCFG, 0, ~0UL, 0);
    uint64_t menv = csr_rd(CSR_MENVCFG);
    csr_wr(CSR_MENVCFG, menv | ENVCFG_STCE);
    int sstc = (csr_rd(CSR_MENVCFG) & ENVCFG_STCE) != 0;
    CHECK("Sstc present (menvcfg.STCE writable)", sstc);
    if (sstc) {
        warl("menvcfg.STCE=1: henvcfg.STCE writable", CSR_HENVCFG, ENVCFG_STCE, ENVCFG_STCE, ENVCFG_STCE);
        EXPECT_EQ("Sstc: vstimecmp exists", csr_try_wr(CSR_VSTIMECMP, 0x1234567), 0);
        EXPECT_EQ("Sstc: vstimecmp holds a value", csr_rd(CSR_VSTIMECMP), 0x1234567);
        csr_wr(CSR_VSTIMECMP, ~0UL);
        csr_wr(CSR_MENVCFG, menv & ~ENVCFG_STCE);
        csr_wr(CSR_HENVCFG, ENVCFG_STCE);
        v = csr_rd(CSR_HENVCFG) & ENVCFG_STCE;
        CHECK("menvcfg.STCE=0: henvcfg.STCE read-only 0 (QEMU 7.2: writable)", v == 0 || QEMU72(v == ENVCFG_STCE));
    }
    csr_wr(CSR_HENVCFG, ~0UL);
    v = csr_rd(CSR_HENVCFG);
    EXPECT_EQ("henvcfg all ones: nothing outside FIOM/CBIE/CBCFE/CBZE/ADUE/PBMTE/STCE",
              v & ~(ENVCFG_FIOM | (0xfUL << 4) | (3UL << 61) | ENVCFG_STCE), 0);
    csr_wr(CSR_HENVCFG, 0);
    csr_wr(CSR_MENVCFG, menv);

    /* mstatus.MPV and GVA (RV64: in mstatus), not part of sstatus */
    csr_set(mstatus, MSTATUS_MPV);
    EXPECT_EQ("mstatus.MPV writable (1)", csr_read(mstatus) & MSTATUS_MPV, MSTATUS_MPV);
    csr_set(mstatus, MSTATUS_GVA);
    EXPECT_EQ("mstatus.GVA writable (1)", csr_read(mstatus) & MSTATUS_GVA, MSTATUS_GVA);
    EXPECT_EQ("sstatus does not show MPV/GVA", csr_read(sstatus) & (MSTATUS_MPV | MSTATUS_GVA), 0);
    csr_clear(mstatus, MSTATUS_MPV | MSTATUS_GVA);
    EXPECT_EQ("mstatus.MPV/GVA writable (0)", csr_read(mstatus) & (MSTATUS_MPV | MSTATUS_GVA), 0);
}

/* ----------------------------------------------------------------- hgatp -- */
static long f_rd_hgatp(long a, long b)
{
    (void)a; (void)b;
    return (long)csr_try_rd(CSR_HGATP, 0);
}

static long f_rd_vsatp(long a, long b)
{
    (void)a; (void)b;
    return (long)csr_try_rd(CSR_VSATP, 0);
}

static int legal_gmode(uint64_t m)
{
    return m == 0 || m == 8 || m == 9 || m == 10;
}

static void test_hgatp(void)
{
    hpt_reset();
    uint64_t *root = hpt_alloc_root16k();
    uint64_t ppn = (uint64_t)(uintptr_t)root >> 12;
    csr_wr(CSR_HGATP, (ATP_MODE_SV39 << 60) | ppn | 3);
    uint64_t v = csr_rd(CSR_HGATP);
    EXPECT_EQ("hgatp Sv39x4: MODE reads 8", v >> 60, 8);
    v &= (1UL << 44) - 1;
    CHECK("hgatp Sv39x4: PPN reads back with PPN[1:0] = 0 (QEMU 7.2: as written)", v == ppn || QEMU72(v == (ppn | 3)));
    csr_wr(CSR_HGATP, (ATP_MODE_SV39 << 60) | (0x3fffUL << 44) | ppn);
    uint64_t vmid = (csr_rd(CSR_HGATP) >> 44) & 0x3fff;
    CHECK("hgatp VMID: implemented bits are the low ones", (vmid & (vmid + 1)) == 0);
    csr_wr(CSR_HGATP, (ATP_MODE_SV48 << 60) | ppn);
    EXPECT_EQ("hgatp Sv48x4: MODE reads 9", csr_rd(CSR_HGATP) >> 60, 9);
    csr_wr(CSR_HGATP, (ATP_MODE_SV57 << 60) | ppn);
    EXPECT_EQ("hgatp Sv57x4: MODE reads 10", csr_rd(CSR_HGATP) >> 60, 10);
    csr_wr(CSR_HGATP, 0);
    EXPECT_EQ("hgatp Bare: reads 0", csr_rd(CSR_HGATP), 0);
    csr_wr(CSR_HGATP, (1UL << 60) | ppn);
    v = csr_rd(CSR_HGATP) >> 60;
    CHECK("hgatp MODE=1 (reserved): reads a legal mode (QEMU 7.2: 1)", legal_gmode(v) || QEMU72(v == 1));
    csr_wr(CSR_HGATP, 0);
    hfence_gvma_all();

    /* mstatus.TVM: hgatp illegal in HS, vsatp still accessible */
    csr_set(mstatus, MSTATUS_TVM);
    v = (uint64_t)hyp_call(MODE_HS, f_rd_hgatp, 0, 0);
    CHECK("TVM=1: HS reads hgatp: illegal (QEMU 7.2: no trap)",
          (v == CAUSE_ILLEGAL_INSN + 1 && g_ht.tval == CSRR_T0(CSR_HGATP)) || QEMU72(v == 0));
    EXPECT_EQ("TVM=1: HS reads vsatp: no trap", hyp_call(MODE_HS, f_rd_vsatp, 0, 0), 0);
    EXPECT_EQ("TVM=1: M reads hgatp: no trap", csr_try_rd(CSR_HGATP, 0), 0);
    csr_clear(mstatus, MSTATUS_TVM);
    EXPECT_EQ("TVM=0: HS reads hgatp: no trap", hyp_call(MODE_HS, f_rd_hgatp, 0, 0), 0);
}

/* --------------------------------------------------------------- vs CSRs -- */
#define SSTATUS_VIEW (MSTATUS_SIE | MSTATUS_SPIE | (1UL << 6) | MSTATUS_SPP | (3UL << 9) | \
                      (3UL << 13) | (3UL << 15) | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)

static void test_vs_regs(void)
{
    uint64_t w = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR | (3UL << 13);
    uint64_t uxl = csr_rd(CSR_VSSTATUS) & MSTATUS_UXL;
    EXPECT_EQ("vsstatus.UXL = 2 (64-bit VU)", uxl >> 32, 2);
    csr_wr(CSR_VSSTATUS, uxl | w);
    uint64_t v = csr_rd(CSR_VSSTATUS);
    EXPECT_EQ("vsstatus SIE/SPIE/SPP/SUM/MXR/FS writable", v & w, w);
    CHECK("vsstatus FS = Dirty: SD = 1 (QEMU 7.2: 0)", (v >> 63) == 1 || QEMU72((v >> 63) == 0));
    csr_wr(CSR_VSSTATUS, ~0UL);
    v = csr_rd(CSR_VSSTATUS);
    CHECK("vsstatus all ones: only sstatus fields (QEMU 7.2: keeps all bits)",
          (v & ~SSTATUS_VIEW) == 0 || QEMU72(v == ~0UL));
    csr_wr(CSR_VSSTATUS, uxl | (1UL << 13));
    EXPECT_EQ("vsstatus FS = Initial: SD = 0", csr_rd(CSR_VSSTATUS) >> 63, 0);

    /* vsie/vsip: visible only for interrupts delegated by hideleg */
    csr_wr(CSR_HIDELEG, 0);
    warl("hideleg=0: vsie read-only 0", CSR_VSIE, ~0UL, ~0UL, 0);
    csr_wr(CSR_HVIP, MIP_VS_ALL);
    EXPECT_EQ("hideleg=0: vsip reads 0 (hvip set)", csr_rd(CSR_VSIP), 0);
    csr_wr(CSR_HVIP, 0);
    csr_wr(CSR_HIDELEG, MIP_VS_ALL);
    warl("hideleg VS bits: vsie all ones: SSIE/STIE/SEIE (bits 1/5/9)", CSR_VSIE, ~0UL, 0xffff, 0x222);
    EXPECT_EQ("  vsie aliases hie.VSSIE/VSTIE/VSEIE", csr_rd(CSR_HIE) & MIP_VS_ALL, MIP_VS_ALL);
    csr_wr(CSR_VSIE, 0);
    EXPECT_EQ("vsie written 0: hie VS bits clear", csr_rd(CSR_HIE) & MIP_VS_ALL, 0);
    csr_wr(CSR_HVIP, MIP_VSTIP | MIP_VSEIP);
    v = csr_rd(CSR_VSIP) & 0xffff;
    CHECK("hvip VSTIP/VSEIP: vsip STIP/SEIP (bits 5/9) (QEMU 7.2: 0)", v == 0x220 || QEMU72(v == 0));
    csr_wr(CSR_VSIP, 1UL << 1);
    EXPECT_EQ("vsip.SSIP written 1: hvip.VSSIP set", csr_rd(CSR_HVIP) & MIP_VSSIP, MIP_VSSIP);
    csr_wr(CSR_VSIP, 0);
    EXPECT_EQ("vsip.SSIP written 0: hvip.VSSIP clear", csr_rd(CSR_HVIP) & MIP_VSSIP, 0);
    csr_wr(CSR_HVIP, 0);
    csr_wr(CSR_HIDELEG, 0);

    uint64_t old = csr_rd(CSR_VSTVEC);
    warl("vstvec holds a vectored base", CSR_VSTVEC, 0x80001001UL, ~0UL, 0x80001001UL);
    warl("vstvec holds a direct base", CSR_VSTVEC, 0x80002000UL, ~0UL, 0x80002000UL);
    csr_wr(CSR_VSTVEC, old);
    old = csr_rd(CSR_VSSCRATCH);
    warl("vsscratch holds 64 bits", CSR_VSSCRATCH, 0x0123456789abcdefUL, ~0UL, 0x0123456789abcdefUL);
    csr_wr(CSR_VSSCRATCH, old);
    warl("vsepc holds an address", CSR_VSEPC, 0x80001234UL, ~0UL, 0x80001234UL);
    warl("vscause holds an interrupt cause", CSR_VSCAUSE, CAUSE_INTR | 5, ~0UL, CAUSE_INTR | 5);
    warl("vscause holds an exception cause", CSR_VSCAUSE, 2, ~0UL, 2);
    warl("vstval holds 64 bits", CSR_VSTVAL, 0xfedcba9876543210UL, ~0UL, 0xfedcba9876543210UL);

    hpt_reset();
    uint64_t *root = hpt_alloc();
    uint64_t ppn = (uint64_t)(uintptr_t)root >> 12;
    csr_wr(CSR_VSATP, (ATP_MODE_SV39 << 60) | ppn);
    v = csr_rd(CSR_VSATP);
    EXPECT_EQ("vsatp Sv39: MODE reads 8", v >> 60, 8);
    EXPECT_EQ("vsatp Sv39: PPN reads back", v & ((1UL << 44) - 1), ppn);
    csr_wr(CSR_VSATP, (ATP_MODE_SV39 << 60) | (0xffffUL << 44) | ppn);
    uint64_t asid = (csr_rd(CSR_VSATP) >> 44) & 0xffff;
    CHECK("vsatp ASID: implemented bits are the low ones", (asid & (asid + 1)) == 0);
    csr_wr(CSR_VSATP, 0);
    EXPECT_EQ("vsatp Bare: reads 0", csr_rd(CSR_VSATP), 0);
    csr_wr(CSR_VSATP, (1UL << 60) | ppn);
    v = csr_rd(CSR_VSATP) >> 60;
    CHECK("vsatp MODE=1 with V=0: reads a legal mode (QEMU 7.2: 1)", legal_gmode(v) || QEMU72(v == 1));
    csr_wr(CSR_VSATP, 0);
}

/* ------------------------------------------------------------ redirect -- */
static volatile uint64_t r_val[16];
static uint64_t *g_idroot_hs, *g_idroot_vs;

/* VS: read and write the s* CSRs; results in r_val */
static long f_vs_redirect(long vs_satp, long b)
{
    (void)b;
    r_val[0] = csr_read(sstatus);
    csr_clear(sstatus, MSTATUS_SUM);
    r_val[1] = csr_read(sscratch);
    csr_write(sscratch, 0x5c5c5c5cUL);
    r_val[2] = csr_read(sepc);
    csr_write(sepc, 0x80004444UL);
    r_val[3] = csr_read(scause);
    csr_write(scause, 7);
    r_val[4] = csr_read(stval);
    csr_write(stval, 0x7777UL);
    r_val[5] = csr_read(stvec);
    csr_write(stvec, 0x80005000UL);
    r_val[6] = csr_read(sie);
    csr_write(sie, 1UL << IRQ_STI);
    r_val[7] = csr_read(sip);
    csr_write(sip, 0);
    r_val[8] = csr_read(satp);
    csr_write(satp, (uint64_t)vs_satp);
    sfence_vma_all();
    r_val[9] = csr_read(satp);
    csr_write(senvcfg, ENVCFG_FIOM);
    csr_write(scounteren, 5);
    return 0;
}

static long f_rd_time(long a, long b)
{
    (void)a; (void)b;
    return (long)csr_read(time);
}

static void time_check(const char *name, int mode, uint64_t delta)
{
    uint64_t t0 = mtime_read();
    uint64_t t = (uint64_t)hyp_call(mode, f_rd_time, 0, 0);
    uint64_t t1 = mtime_read();
    CHECK(name, t - delta >= t0 && t - delta <= t1);
}

static void test_redirect(void)
{
    hpt_reset();
    g_idroot_hs = hpt_alloc();
    hyp_map_identity(g_idroot_hs, 3, 0, 0);
    g_idroot_vs = hpt_alloc();
    hyp_map_identity(g_idroot_vs, 3, 0, 0);
    uint64_t hs_satp = atp_make(ATP_MODE_SV39, 1, g_idroot_hs);
    uint64_t vs_satp = atp_make(ATP_MODE_SV39, 5, g_idroot_vs);

    uint64_t vs_status = csr_rd(CSR_VSSTATUS);
    csr_wr(CSR_VSSTATUS, vs_status | MSTATUS_SUM | MSTATUS_SPIE);
    csr_clear(mstatus, MSTATUS_SUM | MSTATUS_SPIE);
    uint64_t vs_scratch = csr_rd(CSR_VSSCRATCH);
    csr_wr(CSR_VSSCRATCH, 0x1111UL);
    csr_write(sscratch, 0x2222UL);           /* HS trap stack: no HS trap happens here */
    csr_wr(CSR_VSEPC, 0x80003330UL);
    csr_write(sepc, 0x80006660UL);
    csr_wr(CSR_VSCAUSE, 3);
    csr_write(scause, 4);
    csr_wr(CSR_VSTVAL, 0x3333UL);
    csr_write(stval, 0x6666UL);
    uint64_t vs_tvec = csr_rd(CSR_VSTVEC);
    csr_wr(CSR_HIDELEG, MIP_VS_ALL);
    csr_write(mideleg, 0x222UL);    /* as a host does; QEMU 7.2 masks VS sie/sip reads with it */
    csr_wr(CSR_HIE, MIP_VSSIP);
    csr_wr(CSR_HVIP, MIP_VSSIP);
    csr_write(satp, hs_satp);
    sfence_vma_all();
    csr_write(senvcfg, 0);
    csr_write(scounteren, 0);

    hyp_call(MODE_VS, f_vs_redirect, (long)vs_satp, 0);

    uint64_t vs_after = csr_rd(CSR_VSSTATUS);
    uint64_t m_after = csr_read(mstatus);
    CHECK("VS reads sstatus: vsstatus (SUM and SPIE set)",
          (r_val[0] & (MSTATUS_SUM | MSTATUS_SPIE)) == (MSTATUS_SUM | MSTATUS_SPIE));
    EXPECT_EQ("VS clears sstatus.SUM: vsstatus.SUM = 0", vs_after & MSTATUS_SUM, 0);
    EXPECT_EQ("  HS sstatus.SUM untouched (0)", m_after & MSTATUS_SUM, 0);
    EXPECT_EQ("VS reads sscratch: vsscratch", r_val[1], 0x1111);
    EXPECT_EQ("VS writes sscratch: vsscratch", csr_rd(CSR_VSSCRATCH), 0x5c5c5c5cUL);
    EXPECT_EQ("  HS sscratch untouched", csr_read(sscratch), 0x2222);
    EXPECT_EQ("VS reads sepc: vsepc", r_val[2], 0x80003330UL);
    EXPECT_EQ("VS writes sepc: vsepc", csr_rd(CSR_VSEPC), 0x80004444UL);
    EXPECT_EQ("  HS sepc untouched", csr_read(sepc), 0x80006660UL);
    EXPECT_EQ("VS reads scause: vscause", r_val[3], 3);
    EXPECT_EQ("VS writes scause: vscause", csr_rd(CSR_VSCAUSE), 7);
    EXPECT_EQ("  HS scause untouched", csr_read(scause), 4);
    EXPECT_EQ("VS reads stval: vstval", r_val[4], 0x3333);
    EXPECT_EQ("VS writes stval: vstval", csr_rd(CSR_VSTVAL), 0x7777);
    EXPECT_EQ("  HS stval untouched", csr_read(stval), 0x6666);
    EXPECT_EQ("VS reads stvec: vstvec", r_val[5], vs_tvec);
    EXPECT_EQ("VS writes stvec: vstvec", csr_rd(CSR_VSTVEC), 0x80005000UL);
    EXPECT_EQ("VS reads sie: vsie (SSIE from hie.VSSIE)", r_val[6] & 0xffff, 1UL << IRQ_SSI);
    EXPECT_EQ("VS writes sie.STIE: hie = VSTIE", csr_rd(CSR_HIE) & 0xffff, MIP_VSTIP);
    EXPECT_EQ("VS reads sip: vsip (SSIP from hvip.VSSIP)", r_val[7] & 0xffff, 1UL << IRQ_SSI);
    EXPECT_EQ("VS writes sip 0: hvip.VSSIP clear", csr_rd(CSR_HVIP) & MIP_VSSIP, 0);
    EXPECT_EQ("VS reads satp: vsatp (0)", r_val[8], 0);
    EXPECT_EQ("VS writes satp: reads back", r_val[9], vs_satp);
    EXPECT_EQ("  vsatp holds it", csr_rd(CSR_VSATP), vs_satp);
    EXPECT_EQ("  HS satp untouched", csr_read(satp), hs_satp);
    EXPECT_EQ("VS writes senvcfg: the one senvcfg (no VS copy)", csr_read(senvcfg), ENVCFG_FIOM);
    EXPECT_EQ("VS writes scounteren: the one scounteren", csr_read(scounteren), 5);
    csr_write(satp, 0);
    csr_wr(CSR_VSATP, 0);
    csr_write(senvcfg, 0);
    csr_wr(CSR_VSTVEC, vs_tvec);
    csr_wr(CSR_VSSCRATCH, vs_scratch);
    csr_wr(CSR_VSSTATUS, vs_status);
    hyp_reset();

    /* htimedelta: time in VS/VU reads time + htimedelta; HS unaffected */
    uint64_t delta = 0x100000000000UL;
    csr_wr(CSR_HTIMEDELTA, delta);
    time_check("VS reads time = mtime + htimedelta", MODE_VS, delta);
    time_check("VU reads time = mtime + htimedelta", MODE_VU, delta);
    time_check("HS reads time = mtime (htimedelta ignored)", MODE_HS, 0);
    csr_wr(CSR_HTIMEDELTA, -1000000UL);
    time_check("VS reads time with a negative htimedelta", MODE_VS, -1000000UL);
    csr_wr(CSR_HTIMEDELTA, 0);
}

static void probe_geilen(void)
{
    csr_wr(CSR_HGEIE, ~0UL);
    g_geilen = (uint64_t)popcount(csr_rd(CSR_HGEIE) >> 1);
    csr_wr(CSR_HGEIE, 0);
}

int main(void)
{
    hyp_init();
    hyp_section("probe", probe_geilen);
    hyp_section("presence", test_presence);
    hyp_section("hstatus", test_hstatus);
    hyp_section("delegation", test_deleg);
    hyp_section("interrupt registers", test_interrupt_regs);
    hyp_section("other registers", test_misc_regs);
    hyp_section("hgatp", test_hgatp);
    hyp_section("vs registers", test_vs_regs);
    hyp_section("redirection", test_redirect);
    return test_summary("hyp_csrs");
}
