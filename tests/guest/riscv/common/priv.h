/*
 * priv.h - helpers for guest tests of the privileged architecture
 * (S and U modes, delegation, interrupts, paging, PMP).  Link common/priv.S
 * and common/priv.c with the test (CMakeLists.txt: ORRERY_GUEST_PRIV_TESTS).
 *
 * priv_init() installs an M-mode trap vector (priv_m_entry) and an S-mode one
 * (stvec = priv_s_entry) and opens PMP entry 15 (NAPOT, whole address space,
 * RWX) so that S/U-mode code may touch memory at all; lower-numbered entries
 * take precedence, so tests restrict with entries 0..14.
 *
 * priv_call(mode, fn, a0, a1) runs fn(a0, a1) in U (0), S (1) or M (3) mode
 * (entered through MRET, on its own stack) and returns its return value.  fn
 * returns to an exit stub that executes ECALL; the M-mode handler recognises
 * the stub and resumes priv_call's caller in M-mode.  (If that ECALL cause is
 * delegated to S, the S handler redirects to an illegal instruction right
 * after the stub, which M recognises too; do not delegate both 8/9 and 2 while
 * lower-mode code returns.)
 *
 * Expected traps, taken in M or in S (delegated), are recorded in g_pt:
 *   pt_arm()   next trap is recorded and the instruction skipped
 *              (xepc += 2 or 4); pt_disarm() says whether it happened.
 *   pt_catch(mode, fn, a0, a1)  runs fn in mode; a trap abandons fn and
 *              returns 1 (0 if fn returned normally).
 * Interrupts go to g_irq_hook(cause, level) (which must clear the source) and
 * are logged in g_irq_log; with no hook they are unexpected.
 * An unexpected trap prints a line and exits with status 3 (from S-mode the
 * report is printed in M once priv_call regains control).
 *
 * Lower-mode code runs with gp/tp as in M and, when paging is on, must be
 * reachable at the same addresses (tests identity-map RAM) except for U-mode
 * snippets whose exit stub is moved with priv_set_u_exit().
 */
#ifndef ORRERY_PRIV_H
#define ORRERY_PRIV_H
#include "guest.h"

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define MSTATUS_SIE     (1UL << 1)
#define MSTATUS_SPIE    (1UL << 5)
#define MSTATUS_SPP     (1UL << 8)
#define MSTATUS_MPRV    (1UL << 17)
#define MSTATUS_SUM     (1UL << 18)
#define MSTATUS_MXR     (1UL << 19)
#define MSTATUS_TVM     (1UL << 20)
#define MSTATUS_TW      (1UL << 21)
#define MSTATUS_TSR     (1UL << 22)
#define MSTATUS_MPP_SHIFT 11

#define CAUSE_FETCH_PAGE  12
#define CAUSE_LOAD_PAGE   13
#define CAUSE_STORE_PAGE  15

#define CAUSE_INTR      (1UL << 63)
#define IRQ_SSI         1
#define IRQ_MSI         3
#define IRQ_STI         5
#define IRQ_MTI         7
#define IRQ_SEI         9
#define IRQ_MEI         11
#define MIP_SSIP        (1UL << IRQ_SSI)
#define MIP_MSIP        (1UL << IRQ_MSI)
#define MIP_STIP        (1UL << IRQ_STI)
#define MIP_MTIP        (1UL << IRQ_MTI)
#define MIP_SEIP        (1UL << IRQ_SEI)
#define MIP_MEIP        (1UL << IRQ_MEI)

/* QEMU virt: CLINT (10 MHz timebase) and PLIC */
#define CLINT_BASE      0x2000000UL
#define CLINT_MSIP(h)   (CLINT_BASE + 4UL * (h))
#define CLINT_MTIMECMP(h) (CLINT_BASE + 0x4000UL + 8UL * (h))
#define CLINT_MTIME     (CLINT_BASE + 0xbff8UL)
#define PLIC_BASE       0xc000000UL
#define PLIC_PRIORITY(s) (PLIC_BASE + 4UL * (s))
#define PLIC_PENDING    (PLIC_BASE + 0x1000UL)
#define PLIC_ENABLE(c)  (PLIC_BASE + 0x2000UL + 0x80UL * (c))
#define PLIC_THRESHOLD(c) (PLIC_BASE + 0x200000UL + 0x1000UL * (c))
#define PLIC_CLAIM(c)   (PLIC_BASE + 0x200004UL + 0x1000UL * (c))
#define UART_IRQ        10

#define MMIO32(a)       (*(volatile uint32_t *)(uintptr_t)(a))
#define MMIO64(a)       (*(volatile uint64_t *)(uintptr_t)(a))
#define MMIO8(a)        (*(volatile uint8_t *)(uintptr_t)(a))

/* ---- traps ---- */
struct ptrap {
    uint64_t count;     /* expected traps taken so far */
    uint64_t level;     /* mode that took the trap: 3 (M) or 1 (S) */
    uint64_t cause;     /* mcause / scause */
    uint64_t epc;       /* mepc / sepc */
    uint64_t tval;      /* mtval / stval */
    uint64_t status;    /* mstatus / sstatus in the handler */
    uint64_t from;      /* previous mode: MPP or SPP */
    uint64_t insn_len;  /* skip mode: bytes skipped */
};

#define PT_NONE  0
#define PT_SKIP  1
#define PT_CATCH 2
extern volatile int g_pt_mode;
extern volatile struct ptrap g_pt;

static inline void pt_arm(void)
{
    g_pt.level = g_pt.cause = g_pt.epc = g_pt.tval = g_pt.from = ~0UL;
    __asm__ __volatile__("" ::: "memory");
    g_pt_mode = PT_SKIP;
    __asm__ __volatile__("" ::: "memory");
}
static inline int pt_disarm(void)
{
    __asm__ __volatile__("" ::: "memory");
    int taken = g_pt_mode == PT_NONE;
    g_pt_mode = PT_NONE;
    __asm__ __volatile__("" ::: "memory");
    return taken;
}

typedef long (*priv_fn)(long, long);

void priv_init(void);
long priv_call(int mode, priv_fn fn, long a0, long a1);
int  pt_catch(int mode, priv_fn fn, long a0, long a1);
/* Address of the U-mode exit stub (default: priv_exit_u in .text).  A test
 * running U-mode code from a copied page points it at a copy of
 * priv_exit_u_code (PRIV_EXIT_U_SIZE bytes) in that page, at its U-mode VA. */
void priv_set_u_exit(uint64_t va);
extern const char priv_exit_u_code[];
#define PRIV_EXIT_U_SIZE 8

/* Interrupts */
#define IRQ_LOG_MAX 16
struct irq_rec {
    uint64_t cause, level, epc, from;
};
extern void (*volatile g_irq_hook)(uint64_t cause, int level);
extern volatile struct irq_rec g_irq_log[IRQ_LOG_MAX];
extern volatile unsigned g_irq_n;

/* Vectored M-mode trap table: priv_m_vector + 4 * cause.  Slot i records i
 * in g_vec_slot before joining priv_m_entry (only for traps taken from M). */
extern char priv_m_vector[];
extern char priv_m_entry[];
extern volatile uint64_t g_vec_slot;

/* ---- PMP ---- */
#define PMP_R     0x01
#define PMP_W     0x02
#define PMP_X     0x04
#define PMP_OFF   0x00
#define PMP_TOR   0x08
#define PMP_NA4   0x10
#define PMP_NAPOT 0x18
#define PMP_L     0x80
void     pmp_set(int i, uint64_t addr_field, unsigned cfg); /* pmpaddr<i>, pmp<i>cfg */
uint64_t pmp_get_addr(int i);
unsigned pmp_get_cfg(int i);
void     pmp_clear_all(void);      /* entries 0..14 off and zero (not 15) */
/* NAPOT pmpaddr value for [base, base + size), size a power of two >= 8 */
static inline uint64_t pmp_napot(uint64_t base, uint64_t size)
{
    return (base >> 2) | ((size >> 3) - 1);
}

/* ---- paging ---- */
#define PTE_V  0x01UL
#define PTE_R  0x02UL
#define PTE_W  0x04UL
#define PTE_X  0x08UL
#define PTE_U  0x10UL
#define PTE_G  0x20UL
#define PTE_A  0x40UL
#define PTE_D  0x80UL
#define SATP_MODE_SV39 8UL
#define SATP_MODE_SV48 9UL
#define SATP_MODE_SV57 10UL

/* Zeroed, 4 KiB-aligned page-table pages from a static pool. */
void      pt_pool_reset(void);
uint64_t *pt_alloc(void);
/*
 * Map va -> pa with a leaf at `level` (0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB, ...)
 * in a table of `levels` levels (3, 4, 5), creating intermediate tables.
 * flags are the leaf's low bits (V is added).  Returns the leaf PTE's address.
 */
volatile uint64_t *vm_map(uint64_t *root, int levels, uint64_t va, uint64_t pa,
                          int level, uint64_t flags);
/* Address of the PTE for va at `level` (the tables must exist), or NULL. */
volatile uint64_t *vm_pte(uint64_t *root, int levels, uint64_t va, int level);
static inline uint64_t satp_make(uint64_t mode, uint64_t asid, const void *root)
{
    return (mode << 60) | (asid << 44) | ((uint64_t)(uintptr_t)root >> 12);
}
static inline void sfence_vma_all(void)
{
    __asm__ __volatile__("sfence.vma" ::: "memory");
}

/* ---- misc ---- */
static inline uint64_t mtime_read(void) { return MMIO64(CLINT_MTIME); }
static inline void fence_i(void) { __asm__ __volatile__("fence.i" ::: "memory"); }

#endif
