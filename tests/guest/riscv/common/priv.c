/* priv.c - trap handlers, PMP and page-table helpers (see priv.h). */
#include "priv.h"

volatile int g_pt_mode;
volatile struct ptrap g_pt;
void (*volatile g_irq_hook)(uint64_t cause, int level);
volatile struct irq_rec g_irq_log[IRQ_LOG_MAX];
volatile unsigned g_irq_n;
volatile uint64_t g_vec_slot;

/* priv.S */
extern char priv_s_entry[], priv_resume[], priv_exit_s[];
extern volatile uint64_t g_priv_u_exit, g_priv_ret, g_priv_exit_reason;

#define EXIT_NORMAL     0
#define EXIT_CAUGHT     1
#define EXIT_S_UNEXPECTED 2

static volatile struct ptrap g_unexpected;

void priv_set_u_exit(uint64_t va)
{
    g_priv_u_exit = va;
}

/* ------------------------------------------------------------ handlers -- */
static void log_irq(uint64_t cause, int level, uint64_t epc, uint64_t from)
{
    unsigned n = g_irq_n;
    if (n < IRQ_LOG_MAX) {
        g_irq_log[n].cause = cause;
        g_irq_log[n].level = (uint64_t)level;
        g_irq_log[n].epc = epc;
        g_irq_log[n].from = from;
    }
    g_irq_n = n + 1;
}

static int is_exit_ecall(uint64_t epc)
{
    return epc == (uint64_t)(uintptr_t)priv_exit_s || epc == g_priv_u_exit;
}

static int is_exit_ill(uint64_t epc)
{
    return epc == (uint64_t)(uintptr_t)priv_exit_s + 4 || epc == g_priv_u_exit + 4;
}

/* Resume priv_call's caller in M-mode with `ret`. */
static void m_leave(struct trap_frame *f, uint64_t ret)
{
    g_priv_ret = ret;
    f->mepc = (uint64_t)(uintptr_t)priv_resume;
    csr_set(mstatus, MSTATUS_MPP);
    csr_clear(mstatus, MSTATUS_MPIE);   /* MIE stays 0 until priv_resume */
}

/* Halfword at a lower mode's pc: through that mode's translation (MPRV) when
 * paging is on, with MXR so execute-only pages are readable. */
static uint16_t m_read_insn(uint64_t epc, uint64_t from)
{
    uint16_t v;
    if (from == PRV_M || (csr_read(satp) >> 60) == 0)
        return *(volatile uint16_t *)(uintptr_t)epc;
    csr_set(mstatus, MSTATUS_MPRV | MSTATUS_MXR);
    __asm__ __volatile__("lhu %0, 0(%1)" : "=r"(v) : "r"(epc) : "memory");
    csr_clear(mstatus, MSTATUS_MPRV | MSTATUS_MXR);
    return v;
}

void priv_m_handler(struct trap_frame *f)
{
    uint64_t cause = csr_read(mcause);
    uint64_t tval = csr_read(mtval);
    uint64_t st = csr_read(mstatus);
    uint64_t from = (st >> MSTATUS_MPP_SHIFT) & 3;

    if (cause & CAUSE_INTR) {
        if (g_irq_hook) {
            log_irq(cause, PRV_M, f->mepc, from);
            g_irq_hook(cause, PRV_M);
            return;
        }
    } else if (((cause == CAUSE_ECALL_U || cause == CAUSE_ECALL_S || cause == CAUSE_ECALL_M) &&
                is_exit_ecall(f->mepc)) ||
               (cause == CAUSE_ILLEGAL_INSN && is_exit_ill(f->mepc))) {
        m_leave(f, f->x[10]);
        return;
    } else if (g_pt_mode != PT_NONE) {
        int mode = g_pt_mode;
        g_pt.level = PRV_M;
        g_pt.cause = cause;
        g_pt.epc = f->mepc;
        g_pt.tval = tval;
        g_pt.status = st;
        g_pt.from = from;
        g_pt.count++;
        g_pt_mode = PT_NONE;
        if (mode == PT_SKIP) {
            uint64_t len = (m_read_insn(f->mepc, from) & 3) == 3 ? 4 : 2;
            g_pt.insn_len = len;
            f->mepc += len;
        } else {
            g_pt.insn_len = 0;
            g_priv_exit_reason = EXIT_CAUGHT;
            m_leave(f, 0);
        }
        return;
    } else if (from == PRV_M) {
        trap_handler(f);        /* guest.c: trap_arm/trap_catch or unexpected */
        return;
    }
    printf("\nUNEXPECTED TRAP: mcause=0x%lx mepc=0x%lx mtval=0x%lx from mode %lu\n",
           cause, f->mepc, tval, from);
    exit(3);
}

void priv_s_handler(struct trap_frame *f)
{
    uint64_t cause = csr_read(scause);
    uint64_t tval = csr_read(stval);
    uint64_t st = csr_read(sstatus);
    uint64_t from = (st >> 8) & 1;

    if (cause & CAUSE_INTR) {
        if (g_irq_hook) {
            log_irq(cause, PRV_S, f->mepc, from);
            g_irq_hook(cause, PRV_S);
            return;
        }
    } else if ((cause == CAUSE_ECALL_U || cause == CAUSE_ECALL_S) && is_exit_ecall(f->mepc)) {
        f->mepc += 4;           /* delegated ECALL: use the illegal instruction */
        return;
    } else if (g_pt_mode != PT_NONE) {
        int mode = g_pt_mode;
        g_pt.level = PRV_S;
        g_pt.cause = cause;
        g_pt.epc = f->mepc;
        g_pt.tval = tval;
        g_pt.status = st;
        g_pt.from = from;
        g_pt.count++;
        g_pt_mode = PT_NONE;
        if (mode == PT_SKIP) {
            uint16_t lo;
            csr_set(sstatus, MSTATUS_SUM | MSTATUS_MXR);
            lo = *(volatile uint16_t *)(uintptr_t)f->mepc;
            csr_clear(sstatus, MSTATUS_SUM | MSTATUS_MXR);
            csr_set(sstatus, st & (MSTATUS_SUM | MSTATUS_MXR));
            uint64_t len = (lo & 3) == 3 ? 4 : 2;
            g_pt.insn_len = len;
            f->mepc += len;
            return;
        }
        g_pt.insn_len = 0;
        g_priv_exit_reason = EXIT_CAUGHT;
    } else {
        g_unexpected.cause = cause;
        g_unexpected.epc = f->mepc;
        g_unexpected.tval = tval;
        g_unexpected.from = from;
        g_priv_exit_reason = EXIT_S_UNEXPECTED;
    }
    /* leave through the S-mode exit stub */
    f->mepc = (uint64_t)(uintptr_t)priv_exit_s;
    f->x[10] = 0;
    csr_set(sstatus, MSTATUS_SPP);
}

long priv_enter(int mode, priv_fn fn, long a0, long a1);

static void check_s_unexpected(void)
{
    if (g_priv_exit_reason == EXIT_S_UNEXPECTED) {
        printf("\nUNEXPECTED TRAP in S: scause=0x%lx sepc=0x%lx stval=0x%lx from mode %lu\n",
               g_unexpected.cause, g_unexpected.epc, g_unexpected.tval, g_unexpected.from);
        exit(3);
    }
}

long priv_call(int mode, priv_fn fn, long a0, long a1)
{
    long r = priv_enter(mode, fn, a0, a1);
    check_s_unexpected();
    return r;
}

int pt_catch(int mode, priv_fn fn, long a0, long a1)
{
    g_pt.level = g_pt.cause = g_pt.epc = g_pt.tval = g_pt.from = ~0UL;
    __asm__ __volatile__("" ::: "memory");
    g_pt_mode = PT_CATCH;
    __asm__ __volatile__("" ::: "memory");
    priv_enter(mode, fn, a0, a1);
    check_s_unexpected();
    int caught = g_priv_exit_reason == EXIT_CAUGHT;
    g_pt_mode = PT_NONE;
    return caught;
}

/* ------------------------------------------------------------------ PMP -- */
#define PMPADDR_CASE(n) case n: csr_write(pmpaddr##n, v); break;
#define PMPADDR_READ(n) case n: return csr_read(pmpaddr##n);

static void pmpaddr_write(int i, uint64_t v)
{
    switch (i) {
    PMPADDR_CASE(0) PMPADDR_CASE(1) PMPADDR_CASE(2) PMPADDR_CASE(3)
    PMPADDR_CASE(4) PMPADDR_CASE(5) PMPADDR_CASE(6) PMPADDR_CASE(7)
    PMPADDR_CASE(8) PMPADDR_CASE(9) PMPADDR_CASE(10) PMPADDR_CASE(11)
    PMPADDR_CASE(12) PMPADDR_CASE(13) PMPADDR_CASE(14) PMPADDR_CASE(15)
    default: break;
    }
}

uint64_t pmp_get_addr(int i)
{
    switch (i) {
    PMPADDR_READ(0) PMPADDR_READ(1) PMPADDR_READ(2) PMPADDR_READ(3)
    PMPADDR_READ(4) PMPADDR_READ(5) PMPADDR_READ(6) PMPADDR_READ(7)
    PMPADDR_READ(8) PMPADDR_READ(9) PMPADDR_READ(10) PMPADDR_READ(11)
    PMPADDR_READ(12) PMPADDR_READ(13) PMPADDR_READ(14) PMPADDR_READ(15)
    default: return 0;
    }
}

static uint64_t pmpcfg_read(int reg)
{
    return reg == 0 ? csr_read(pmpcfg0) : csr_read(pmpcfg2);
}

static void pmpcfg_write(int reg, uint64_t v)
{
    if (reg == 0)
        csr_write(pmpcfg0, v);
    else
        csr_write(pmpcfg2, v);
}

unsigned pmp_get_cfg(int i)
{
    return (unsigned)(pmpcfg_read(i < 8 ? 0 : 2) >> (8 * (i & 7))) & 0xff;
}

void pmp_set(int i, uint64_t addr_field, unsigned cfg)
{
    int reg = i < 8 ? 0 : 2;
    unsigned sh = 8 * (i & 7);
    uint64_t c = pmpcfg_read(reg);
    /* turn the entry off while its address changes */
    pmpcfg_write(reg, c & ~(0xffUL << sh));
    pmpaddr_write(i, addr_field);
    c = pmpcfg_read(reg);
    pmpcfg_write(reg, (c & ~(0xffUL << sh)) | ((uint64_t)(cfg & 0xff) << sh));
    sfence_vma_all();           /* PMP changes with paging: spec 3.7.2 */
}

void pmp_clear_all(void)
{
    for (int i = 0; i < 15; i++)
        pmp_set(i, 0, 0);
}

/* ------------------------------------------------------------- paging -- */
#define PT_POOL_PAGES 64
static uint64_t pt_pool[PT_POOL_PAGES][512] __attribute__((aligned(4096)));
static unsigned pt_pool_used;

void pt_pool_reset(void)
{
    pt_pool_used = 0;
}

uint64_t *pt_alloc(void)
{
    if (pt_pool_used >= PT_POOL_PAGES) {
        puts("pt_alloc: page-table pool exhausted");
        exit(3);
    }
    uint64_t *p = pt_pool[pt_pool_used++];
    memset(p, 0, 4096);
    return p;
}

static unsigned vpn(uint64_t va, int level)
{
    return (unsigned)(va >> (12 + 9 * level)) & 0x1ff;
}

volatile uint64_t *vm_map(uint64_t *root, int levels, uint64_t va, uint64_t pa,
                          int level, uint64_t flags)
{
    uint64_t *table = root;
    for (int l = levels - 1; l > level; l--) {
        volatile uint64_t *pte = &table[vpn(va, l)];
        if (!(*pte & PTE_V) || (*pte & (PTE_R | PTE_W | PTE_X))) {
            uint64_t *next = pt_alloc();
            *pte = (((uint64_t)(uintptr_t)next >> 12) << 10) | PTE_V;
        }
        table = (uint64_t *)(uintptr_t)((*pte >> 10) << 12);
    }
    volatile uint64_t *leaf = &table[vpn(va, level)];
    *leaf = ((pa >> 12) << 10) | flags | PTE_V;
    return leaf;
}

volatile uint64_t *vm_pte(uint64_t *root, int levels, uint64_t va, int level)
{
    uint64_t *table = root;
    for (int l = levels - 1; l > level; l--) {
        uint64_t pte = table[vpn(va, l)];
        if (!(pte & PTE_V) || (pte & (PTE_R | PTE_W | PTE_X)))
            return NULL;
        table = (uint64_t *)(uintptr_t)((pte >> 10) << 12);
    }
    return &table[vpn(va, level)];
}

/* --------------------------------------------------------------- init -- */
void priv_init(void)
{
    csr_write(mtvec, (uint64_t)(uintptr_t)priv_m_entry);
    csr_write(stvec, (uint64_t)(uintptr_t)priv_s_entry);
    csr_write(mscratch, 0);
    csr_write(sscratch, 0);
    csr_write(medeleg, 0);
    csr_write(mideleg, 0);
    csr_write(satp, 0);
    /* entry 15: everything, RWX (the lowest-numbered matching entry wins) */
    pmp_set(15, ~0UL, PMP_NAPOT | PMP_R | PMP_W | PMP_X);
}
