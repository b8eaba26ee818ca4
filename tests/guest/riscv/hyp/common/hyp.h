/*
 * hyp.h - harness for the hypervisor-extension guest tests (privileged spec
 * 1.12, "Hypervisor Extension"; Smstateen).  Linked with common/crt0.S and
 * common/guest.c (UART, printf, checks, exit) and hyp/common/hyp.S, hyp.c.
 *
 * Three trap levels, each with its own entry and trap stack:
 *   M   (mtvec  = hyp_m_entry,  stack via mscratch)   the M-mode harness
 *   HS  (stvec  = hyp_hs_entry, stack via sscratch)   the mini-hypervisor
 *   VS  (vstvec = hyp_vs_entry, stack via vsscratch)  the guest kernel
 * All three share one C handler, hyp_trap(), which records and dispatches.
 *
 * Running code in another mode (MODE_*: U, HS, M, VU = V|U, VS = V|S):
 *   hyp_call(mode, fn, a0, a1)   from M, by MRET (MPP/MPV), any mode
 *   hs_call(mode, fn, a0, a1)    from HS, by SRET (SPP/hstatus.SPV): U, VU, VS
 *   vs_call(mode, fn, a0, a1)    from VS, by SRET (vsstatus.SPP): VU
 * fn(a0, a1) runs on its mode's own stack and returns to hyp_exit_stub,
 * whose ECALL (cause 8, 9 or 10) reaches whichever level it is delegated
 * to; that level resumes the caller (with an xRET when the caller is less
 * privileged) or forwards the exit upwards with an ECALL of its own (at
 * hyp_forward).  So calls nest: M -> HS -> VS -> VU, with any delegation.
 * Never delegate ECALL from HS (medeleg[9]): forwarding from HS uses it.
 *
 * Expected traps (exceptions, at any level) are recorded in g_ht:
 *   ht_arm()      the next exception is recorded and the instruction skipped
 *                 (xepc += 2 or 4, read at xepc in the handler's own address
 *                 space: identity-mapped code only); ht_disarm() says
 *                 whether it happened.
 *   ht_catch(mode, fn, a0, a1)  from M: runs fn; an exception abandons it
 *                 and returns 1 (0 if fn returned).
 * Before that, a per-level hook g_hook[level] may handle an exception
 * (emulate, fix up, retry) by returning 1.
 * Interrupts are logged in g_irq_log and then disabled at the level that
 * took them (mie, hie/sie, or vsie), unless g_irq_hook handles them.
 *
 * Unexpected traps do not stop the test: the trap is recorded, control
 * returns to the innermost M-level caller (hyp_call or hyp_section), which
 * prints "FAIL unexpected trap ..." (a failed check) and carries on.  A trap
 * inside a trap handler is fatal (exit status 3).
 *
 * Lower-mode code must be reachable at the same addresses as in M: tests
 * that enable VS-stage or G-stage translation identity-map RAM and the
 * devices (hyp_map_identity).
 */
#ifndef ORRERY_HYP_H
#define ORRERY_HYP_H
#include "guest.h"

#define NORVC(s) ".option push\n\t.option norvc\n\t" s "\n\t.option pop\n\t"

/* Checks accept QEMU 7.2's deviations from the spec (the reference the
 * expected outputs are recorded on) unless built with -DHYP_STRICT. */
#ifdef HYP_STRICT
#define QEMU72(cond) (0 && (cond))
#else
#define QEMU72(cond) (cond)
#endif

/* ---- modes and levels ---- */
#define MODE_U   0
#define MODE_HS  1
#define MODE_M   3
#define MODE_VU  4
#define MODE_VS  5
#define LVL_VS   1
#define LVL_HS   2
#define LVL_M    3

/* ---- CSR numbers (hypervisor extension, Smstateen, Sstc, AIA) ---- */
#define CSR_SSTATUS     0x100
#define CSR_SIE         0x104
#define CSR_STVEC       0x105
#define CSR_SCOUNTEREN  0x106
#define CSR_SENVCFG     0x10a
#define CSR_SSTATEEN0   0x10c
#define CSR_SSTATEEN1   0x10d
#define CSR_SSTATEEN2   0x10e
#define CSR_SSTATEEN3   0x10f
#define CSR_SSCRATCH    0x140
#define CSR_SEPC        0x141
#define CSR_SCAUSE      0x142
#define CSR_STVAL       0x143
#define CSR_SIP         0x144
#define CSR_STIMECMP    0x14d
#define CSR_SISELECT    0x150
#define CSR_SIREG       0x151
#define CSR_STOPEI      0x15c
#define CSR_SATP        0x180
#define CSR_SCONTEXT    0x5a8
#define CSR_VSSTATUS    0x200
#define CSR_VSIE        0x204
#define CSR_VSTVEC      0x205
#define CSR_VSSCRATCH   0x240
#define CSR_VSEPC       0x241
#define CSR_VSCAUSE     0x242
#define CSR_VSTVAL      0x243
#define CSR_VSIP        0x244
#define CSR_VSTIMECMP   0x24d
#define CSR_VSATP       0x280
#define CSR_MSTATUS     0x300
#define CSR_MEDELEG     0x302
#define CSR_MIDELEG     0x303
#define CSR_MENVCFG     0x30a
#define CSR_MSTATEEN0   0x30c
#define CSR_MSTATEEN1   0x30d
#define CSR_MSTATEEN2   0x30e
#define CSR_MSTATEEN3   0x30f
#define CSR_MSTATEEN0H  0x31c
#define CSR_MTINST      0x34a
#define CSR_MTVAL2      0x34b
#define CSR_HSTATUS     0x600
#define CSR_HEDELEG     0x602
#define CSR_HIDELEG     0x603
#define CSR_HIE         0x604
#define CSR_HTIMEDELTA  0x605
#define CSR_HCOUNTEREN  0x606
#define CSR_HGEIE       0x607
#define CSR_HENVCFG     0x60a
#define CSR_HSTATEEN0   0x60c
#define CSR_HSTATEEN1   0x60d
#define CSR_HSTATEEN2   0x60e
#define CSR_HSTATEEN3   0x60f
#define CSR_HTIMEDELTAH 0x615
#define CSR_HENVCFGH    0x61a
#define CSR_HSTATEEN0H  0x61c
#define CSR_HTVAL       0x643
#define CSR_HIP         0x644
#define CSR_HVIP        0x645
#define CSR_HTINST      0x64a
#define CSR_HGATP       0x680
#define CSR_HGEIP       0xe12
#define CSR_STOPI       0xdb0
#define CSR_CYCLE       0xc00
#define CSR_TIME        0xc01
#define CSR_INSTRET     0xc02
#define CSR_JVT         0x017

/* ---- status fields ---- */
#define MSTATUS_SIE     (1UL << 1)
#define MSTATUS_SPIE    (1UL << 5)
#define MSTATUS_SPP     (1UL << 8)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPRV    (1UL << 17)
#define MSTATUS_SUM     (1UL << 18)
#define MSTATUS_MXR     (1UL << 19)
#define MSTATUS_TVM     (1UL << 20)
#define MSTATUS_TW      (1UL << 21)
#define MSTATUS_TSR     (1UL << 22)
#define MSTATUS_UXL     (3UL << 32)
#define MSTATUS_GVA     (1UL << 38)
#define MSTATUS_MPV     (1UL << 39)
#define MSTATUS_SD      (1UL << 63)

#define HSTATUS_VSBE    (1UL << 5)
#define HSTATUS_GVA     (1UL << 6)
#define HSTATUS_SPV     (1UL << 7)
#define HSTATUS_SPVP    (1UL << 8)
#define HSTATUS_HU      (1UL << 9)
#define HSTATUS_VGEIN_SHIFT 12
#define HSTATUS_VGEIN   (0x3fUL << 12)
#define HSTATUS_VTVM    (1UL << 20)
#define HSTATUS_VTW     (1UL << 21)
#define HSTATUS_VTSR    (1UL << 22)
#define HSTATUS_VSXL_SHIFT 32
#define HSTATUS_VSXL    (3UL << 32)

#define ENVCFG_FIOM     (1UL << 0)
#define ENVCFG_STCE     (1UL << 63)

/* Smstateen bits of mstateen0 / hstateen0 (sstateen0: the low 32) */
#define SE_C            (1UL << 0)
#define SE_FCSR         (1UL << 1)
#define SE_JVT          (1UL << 2)
#define SE_CONTEXT      (1UL << 57)
#define SE_IMSIC        (1UL << 58)
#define SE_AIA          (1UL << 59)
#define SE_CSRIND       (1UL << 60)
#define SE_ENVCFG       (1UL << 62)
#define SE_SE0          (1UL << 63)

/* ---- causes ---- */
#define CAUSE_ECALL_VS      10
#define CAUSE_FETCH_PAGE    12
#define CAUSE_LOAD_PAGE     13
#define CAUSE_STORE_PAGE    15
#define CAUSE_FETCH_GPF     20
#define CAUSE_LOAD_GPF      21
#define CAUSE_VIRTUAL_INSN  22
#define CAUSE_STORE_GPF     23
#define CAUSE_INTR          (1UL << 63)

#define IRQ_SSI     1
#define IRQ_VSSI    2
#define IRQ_MSI     3
#define IRQ_STI     5
#define IRQ_VSTI    6
#define IRQ_MTI     7
#define IRQ_SEI     9
#define IRQ_VSEI    10
#define IRQ_MEI     11
#define IRQ_SGEI    12
#define MIP_VSSIP   (1UL << IRQ_VSSI)
#define MIP_VSTIP   (1UL << IRQ_VSTI)
#define MIP_VSEIP   (1UL << IRQ_VSEI)
#define MIP_SGEIP   (1UL << IRQ_SGEI)
#define MIP_VS_ALL  (MIP_VSSIP | MIP_VSTIP | MIP_VSEIP)
#define MIP_MTIP    (1UL << IRQ_MTI)

/* QEMU virt CLINT */
#define CLINT_MTIMECMP0 0x2004000UL
#define CLINT_MTIME     0x200bff8UL
#define MMIO64(a)       (*(volatile uint64_t *)(uintptr_t)(a))

/* ---- instruction encodings (for tval checks) ---- */
/* csrr t0, csr (csrrs x5, csr, x0) and csrw csr, t0 (csrrw x0, csr, x5) */
#define CSRR_T0(csr)        (((uint64_t)(csr) << 20) | 0x22f3)
#define CSRW_T0(csr)        (((uint64_t)(csr) << 20) | (5 << 15) | 0x1073)
#define INSN_WFI            0x10500073UL
#define INSN_SRET           0x10200073UL
#define INSN_MRET           0x30200073UL
#define INSN_SFENCE_VMA     0x12000073UL    /* sfence.vma x0, x0 */
#define INSN_HFENCE_VVMA    0x22000073UL    /* hfence.vvma x0, x0 */
#define INSN_HFENCE_GVMA    0x62000073UL    /* hfence.gvma x0, x0 */
/* hlv.d t0, (t1) / hsv.d t0, (t1) / hlvx.hu t0, (t1) */
#define INSN_HLV_D_T0_T1    0x6c0342f3UL
#define INSN_HSV_D_T0_T1    0x6e534073UL
#define INSN_HLVX_HU_T0_T1  0x643342f3UL

/* ---- trap records ---- */
struct hframe {
    uint64_t x[32];         /* x[2] = interrupted sp */
    uint64_t epc;
    uint64_t pad;
};

struct htrap {
    uint64_t count;         /* expected exceptions taken so far */
    uint64_t level;         /* LVL_M, LVL_HS or LVL_VS */
    uint64_t cause;         /* mcause / scause / vscause */
    uint64_t epc;
    uint64_t tval;          /* mtval / stval / vstval */
    uint64_t tval2;         /* mtval2 / htval (VS: ~0) */
    uint64_t tinst;         /* mtinst / htinst (VS: ~0) */
    uint64_t status;        /* mstatus / HS sstatus / vsstatus, in the handler */
    uint64_t hstatus;       /* hstatus in the handler (VS: ~0) */
    uint64_t prev;          /* previous mode as MODE_*: MPP|MPV<<2, SPP|SPV<<2, SPP|4 */
    uint64_t gva;           /* mstatus.GVA / hstatus.GVA (VS: ~0) */
    uint64_t insn_len;      /* skip mode: bytes skipped */
};

#define HT_NONE  0
#define HT_SKIP  1
#define HT_CATCH 2
extern volatile int g_ht_mode;
extern volatile struct htrap g_ht;

static inline void ht_arm(void)
{
    g_ht.level = g_ht.cause = g_ht.epc = g_ht.tval = g_ht.tval2 = g_ht.tinst = ~0UL;
    g_ht.prev = g_ht.gva = g_ht.hstatus = g_ht.status = ~0UL;
    __asm__ __volatile__("" ::: "memory");
    g_ht_mode = HT_SKIP;
    __asm__ __volatile__("" ::: "memory");
}
static inline int ht_disarm(void)
{
    __asm__ __volatile__("" ::: "memory");
    int taken = g_ht_mode == HT_NONE;
    g_ht_mode = HT_NONE;
    __asm__ __volatile__("" ::: "memory");
    return taken;
}

typedef long (*hfn)(long, long);
/* A hook handles an exception at its level (returns 1) or declines (0). */
typedef int (*hhook)(volatile struct htrap *t, struct hframe *f);
extern hhook volatile g_hook[4];            /* indexed by LVL_* */

long hyp_call(int mode, hfn fn, long a0, long a1);
long hs_call(int mode, hfn fn, long a0, long a1);
long vs_call(int mode, hfn fn, long a0, long a1);
int  ht_catch(int mode, hfn fn, long a0, long a1);
/* Runs fn in M; an unexpected trap abandons the rest of it (a FAIL line). */
void hyp_section(const char *name, void (*fn)(void));

/* Interrupts */
#define IRQ_LOG_MAX 16
struct irq_rec {
    uint64_t level, cause, prev;
};
extern volatile struct irq_rec g_irq_log[IRQ_LOG_MAX];
extern volatile unsigned g_irq_n;
extern int (*volatile g_irq_hook)(int level, uint64_t cause);

/* ---- setup ---- */
extern int g_has_h;                 /* misa.H */
/* mtvec/stvec/vstvec, trap stacks, PMP entry 15 = everything, then
 * hyp_reset().  Prints a FAIL line if misa.H is clear. */
void hyp_init(void);
/* Quiet hypervisor state: no delegation, no translation, no interrupt
 * enables, hstatus.VSXL only, counters enabled (mcounteren, hcounteren and
 * scounteren all ones), FS = Initial in mstatus and vsstatus, scratch
 * registers and trap vectors as after hyp_init. */
void hyp_reset(void);

/* ---- CSR access by number (only the numbers in hyp.c's list) ---- */
uint64_t csr_rd(unsigned num);
void     csr_wr(unsigned num, uint64_t v);
/* With a skip-mode trap armed: returns 0 and the value, or the cause + 1
 * of the exception the access raised (recorded in g_ht). */
uint64_t csr_try_rd(unsigned num, uint64_t *v);
uint64_t csr_try_wr(unsigned num, uint64_t v);
/* 1 if reading the CSR from M does not trap */
int      csr_exists(unsigned num);

/* ---- page tables ---- */
#define PTE_V  0x01UL
#define PTE_R  0x02UL
#define PTE_W  0x04UL
#define PTE_X  0x08UL
#define PTE_U  0x10UL
#define PTE_G  0x20UL
#define PTE_A  0x40UL
#define PTE_D  0x80UL
#define ATP_MODE_SV39 8UL
#define ATP_MODE_SV48 9UL
#define ATP_MODE_SV57 10UL
void      hpt_reset(void);
uint64_t *hpt_alloc(void);          /* zeroed 4 KiB page */
uint64_t *hpt_alloc_root16k(void);  /* zeroed, 16 KiB aligned (G-stage root) */
/*
 * Map va -> pa with a leaf at `level` (0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB ...)
 * in a table of `levels` levels; x4 = 1 for a G-stage table (2048-entry
 * root).  flags are the leaf's low bits (V added).  Returns the leaf.
 */
volatile uint64_t *hpt_map(uint64_t *root, int levels, int x4, uint64_t va, uint64_t pa,
                           int level, uint64_t flags);
/* The PTE for va at `level` (tables must exist) or NULL. */
volatile uint64_t *hpt_pte(uint64_t *root, int levels, int x4, uint64_t va, int level);
static inline uint64_t pte_leaf(uint64_t pa, uint64_t flags) { return ((pa >> 12) << 10) | flags | PTE_V; }
/* Identity map of the devices (0..1 GiB, RW) and RAM (2..3 GiB, RWX) with
 * 1 GiB leaves, A and D set; `u` adds the U bit (G-stage tables need it). */
void hyp_map_identity(uint64_t *root, int levels, int x4, int u);
static inline uint64_t atp_make(uint64_t mode, uint64_t id, const void *root)
{
    return (mode << 60) | (id << 44) | ((uint64_t)(uintptr_t)root >> 12);
}

/* ---- fences ---- */
static inline void hfence_gvma_all(void) { __asm__ __volatile__(".option push\n\t.option arch, +h\n\thfence.gvma\n\t.option pop" ::: "memory"); }
static inline void hfence_vvma_all(void) { __asm__ __volatile__(".option push\n\t.option arch, +h\n\thfence.vvma\n\t.option pop" ::: "memory"); }
static inline void sfence_vma_all(void) { __asm__ __volatile__("sfence.vma" ::: "memory"); }
static inline void fence_i(void) { __asm__ __volatile__("fence.i" ::: "memory"); }

/* ---- misc ---- */
static inline uint64_t mtime_read(void) { return MMIO64(CLINT_MTIME); }
const char *mode_name(int mode);
/* An M timer `ticks` ahead (10 MHz) bounds a WFI that would wait forever;
 * its interrupt is logged and disables MTIE.  watchdog_stop() disarms it. */
void watchdog_start(uint64_t ticks);
void watchdog_stop(void);

#endif
