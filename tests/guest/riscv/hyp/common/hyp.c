/* hyp.c - trap dispatch, mode calls, CSR access by number and page tables
 * for the hypervisor guest tests (see hyp.h). */
#include "hyp.h"

/* ------------------------------------------------------------- state -- */
#define HCTX_MAX 8
struct hctx {
    uint64_t regs[14];      /* ra, sp, s0..s11 (hyp.S: hctx_save) */
    uint64_t level;         /* LVL_* of the code waiting here */
    uint64_t pad;
};
struct hctx g_ctx[HCTX_MAX];
int g_depth;                /* hyp.S reads it as a 32-bit word */

volatile int g_ht_mode;
volatile struct htrap g_ht;
hhook volatile g_hook[4];
volatile struct irq_rec g_irq_log[IRQ_LOG_MAX];
volatile unsigned g_irq_n;
int (*volatile g_irq_hook)(int level, uint64_t cause);
int g_has_h;
static int g_has_stateen;

#define EXIT_NORMAL     0
#define EXIT_CAUGHT     1
#define EXIT_UNEXPECTED 2
static volatile uint64_t g_exit_val;
static volatile int g_exit_reason;
static volatile struct htrap g_unexp;
static volatile int g_unexp_pending;
static volatile int g_in_handler[4];

extern char hyp_m_entry[], hyp_hs_entry[], hyp_vs_entry[], hyp_resume[];
extern char hyp_exit_stub[], hyp_forward_ecall[];
extern char hyp_stack_u_top[], hyp_stack_hs_top[], hyp_stack_vs_top[], hyp_stack_vu_top[],
    hyp_stack_m_top[];
extern char hyp_trap_stack_m_top[], hyp_trap_stack_hs_top[], hyp_trap_stack_vs_top[];

long hctx_save(struct hctx *c) __attribute__((returns_twice));
void hyp_mret_to(hfn fn, long a0, long a1, void *sp, void *ra) __attribute__((noreturn));
void hyp_sret_to(hfn fn, long a0, long a1, void *sp, void *ra) __attribute__((noreturn));
void hyp_forward(void) __attribute__((noreturn));

const char *mode_name(int mode)
{
    switch (mode) {
    case MODE_U: return "U";
    case MODE_HS: return "HS";
    case MODE_M: return "M";
    case MODE_VU: return "VU";
    case MODE_VS: return "VS";
    default: return "?";
    }
}

static const char *level_name(uint64_t lvl)
{
    return lvl == LVL_M ? "M" : lvl == LVL_HS ? "HS" : lvl == LVL_VS ? "VS" : "?";
}

/* ------------------------------------------------------------- calls -- */
static void *stack_for(int mode)
{
    switch (mode) {
    case MODE_U: return hyp_stack_u_top;
    case MODE_HS: return hyp_stack_hs_top;
    case MODE_VU: return hyp_stack_vu_top;
    case MODE_VS: return hyp_stack_vs_top;
    default: return hyp_stack_m_top;
    }
}

static long enter(int from, int mode, hfn fn, long a0, long a1)
{
    if (g_depth >= HCTX_MAX) {
        puts("hyp: calls nested too deeply");
        exit(3);
    }
    struct hctx *c = &g_ctx[g_depth];
    c->level = (uint64_t)from;
    if (hctx_save(c) == 0) {
        g_depth++;
        g_exit_reason = EXIT_NORMAL;
        g_exit_val = 0;
        if (from == LVL_M) {
            uint64_t st = csr_read(mstatus);
            st &= ~(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MPV);
            st |= (uint64_t)(mode & 3) << MSTATUS_MPP_SHIFT;
            if (mode & 4)
                st |= MSTATUS_MPV;
            csr_write(mstatus, st);
            hyp_mret_to(fn, a0, a1, stack_for(mode), hyp_exit_stub);
        }
        uint64_t st = csr_read(sstatus);
        st &= ~(MSTATUS_SPP | MSTATUS_SPIE);
        if (mode & 1)
            st |= MSTATUS_SPP;
        csr_write(sstatus, st);
        if (from == LVL_HS) {
            if (mode & 4)
                csr_set(0x600, HSTATUS_SPV);
            else
                csr_clear(0x600, HSTATUS_SPV);
        }
        hyp_sret_to(fn, a0, a1, stack_for(mode), hyp_exit_stub);
    }
    return (long)g_exit_val;
}

static void report_unexpected(const char *where)
{
    if (!g_unexp_pending)
        return;
    g_unexp_pending = 0;
    g_checks_failed++;
    printf("FAIL %sunexpected trap in %s from %s: cause=0x%lx epc=0x%lx tval=0x%lx tval2=0x%lx\n",
           where, level_name(g_unexp.level), mode_name((int)g_unexp.prev), g_unexp.cause,
           g_unexp.epc, g_unexp.tval, g_unexp.tval2);
}

long hyp_call(int mode, hfn fn, long a0, long a1)
{
    long r = enter(LVL_M, mode, fn, a0, a1);
    report_unexpected("");
    return r;
}

long hs_call(int mode, hfn fn, long a0, long a1)
{
    return enter(LVL_HS, mode, fn, a0, a1);
}

long vs_call(int mode, hfn fn, long a0, long a1)
{
    return enter(LVL_VS, mode, fn, a0, a1);
}

int ht_catch(int mode, hfn fn, long a0, long a1)
{
    ht_arm();
    g_ht_mode = HT_CATCH;
    __asm__ __volatile__("" ::: "memory");
    enter(LVL_M, mode, fn, a0, a1);
    report_unexpected("");
    int caught = g_exit_reason == EXIT_CAUGHT;
    g_ht_mode = HT_NONE;
    return caught;
}

void hyp_section(const char *name, void (*fn)(void))
{
    hyp_reset();
    struct hctx *c = &g_ctx[g_depth];
    c->level = LVL_M;
    if (hctx_save(c) == 0) {
        g_depth++;
        fn();
        g_depth--;
    }
    if (g_unexp_pending) {
        printf("(section %s abandoned)\n", name);
        report_unexpected("");
    }
    hyp_reset();
}

/* ------------------------------------------------------------- traps -- */
static void read_trap(volatile struct htrap *t, int lvl)
{
    t->level = (uint64_t)lvl;
    t->tval2 = t->tinst = t->hstatus = t->gva = ~0UL;
    if (lvl == LVL_M) {
        uint64_t st = csr_read(mstatus);
        t->cause = csr_read(mcause);
        t->tval = csr_read(mtval);
        t->status = st;
        t->prev = ((st >> MSTATUS_MPP_SHIFT) & 3) | ((st & MSTATUS_MPV) ? 4 : 0);
        if (g_has_h) {
            t->tval2 = csr_read(0x34b);
            t->tinst = csr_read(0x34a);
            t->hstatus = csr_read(0x600);
            t->gva = (st >> 38) & 1;
        }
    } else if (lvl == LVL_HS) {
        uint64_t st = csr_read(sstatus);
        uint64_t hs = csr_read(0x600);
        t->cause = csr_read(scause);
        t->tval = csr_read(stval);
        t->status = st;
        t->hstatus = hs;
        t->tval2 = csr_read(0x643);
        t->tinst = csr_read(0x64a);
        t->prev = ((st >> 8) & 1) | ((hs & HSTATUS_SPV) ? 4 : 0);
        t->gva = (hs >> 6) & 1;
    } else {
        uint64_t st = csr_read(sstatus);   /* vsstatus */
        t->cause = csr_read(scause);
        t->tval = csr_read(stval);
        t->status = st;
        t->prev = ((st >> 8) & 1) | 4;
    }
}

/* Resume the innermost waiting caller: by an xRET from here when it is at
 * this level or below, else by forwarding the exit upwards (no return). */
static void do_exit(struct hframe *f, int lvl)
{
    if (g_depth <= 0) {
        puts("\nhyp: exit with no caller");
        exit(3);
    }
    int target = (int)g_ctx[g_depth - 1].level;
    if (target > lvl) {
        g_in_handler[lvl] = 0;
        hyp_forward();
    }
    f->epc = (uint64_t)(uintptr_t)hyp_resume;
    if (lvl == LVL_M) {
        uint64_t st = csr_read(mstatus);
        st &= ~(MSTATUS_MPP | MSTATUS_MPV | MSTATUS_MPIE);
        if (target == LVL_M)
            st |= 3UL << MSTATUS_MPP_SHIFT;
        else if (target == LVL_HS)
            st |= 1UL << MSTATUS_MPP_SHIFT;
        else
            st |= (1UL << MSTATUS_MPP_SHIFT) | MSTATUS_MPV;
        csr_write(mstatus, st);
    } else {
        csr_clear(sstatus, MSTATUS_SPIE);
        csr_set(sstatus, MSTATUS_SPP);
        if (lvl == LVL_HS) {
            if (target == LVL_VS)
                csr_set(0x600, HSTATUS_SPV);
            else
                csr_clear(0x600, HSTATUS_SPV);
        }
    }
}

/* Abandon everything up to the innermost M-level caller. */
static void unwind_to_m(struct hframe *f, int lvl)
{
    while (g_depth > 0 && g_ctx[g_depth - 1].level != LVL_M)
        g_depth--;
    if (g_depth == 0) {
        printf("\nUNEXPECTED TRAP in %s: cause=0x%lx epc=0x%lx tval=0x%lx\n", level_name(lvl),
               g_unexp.cause, g_unexp.epc, g_unexp.tval);
        exit(3);
    }
    do_exit(f, lvl);
}

static void handle_irq(volatile struct htrap *t, int lvl)
{
    unsigned n = g_irq_n;
    uint64_t code = t->cause & 0xff;
    if (n < IRQ_LOG_MAX) {
        g_irq_log[n].level = (uint64_t)lvl;
        g_irq_log[n].cause = t->cause;
        g_irq_log[n].prev = t->prev;
    }
    g_irq_n = n + 1;
    if (g_irq_hook && g_irq_hook(lvl, t->cause))
        return;
    /* default: disable the interrupt at the level that took it */
    if (lvl == LVL_M) {
        csr_clear(mie, 1UL << code);
        if (code == IRQ_MTI)
            MMIO64(CLINT_MTIMECMP0) = ~0UL;
    } else if (lvl == LVL_HS) {
        if (code == IRQ_VSSI || code == IRQ_VSTI || code == IRQ_VSEI || code == IRQ_SGEI)
            csr_clear(0x604, 1UL << code);
        else
            csr_clear(sie, 1UL << code);
    } else {
        csr_clear(sie, 1UL << code);
    }
}

static uint64_t insn_len_at(uint64_t epc)
{
    uint16_t lo = *(volatile uint16_t *)(uintptr_t)epc;
    return (lo & 3) == 3 ? 4 : 2;
}

void hyp_trap(struct hframe *f, int lvl)
{
    volatile struct htrap t;
    if (g_in_handler[lvl]) {
        printf("\nTRAP INSIDE THE %s TRAP HANDLER: epc=0x%lx\n", level_name(lvl), f->epc);
        exit(3);
    }
    g_in_handler[lvl] = 1;
    read_trap(&t, lvl);
    t.epc = f->epc;
    t.count = 0;
    t.insn_len = 0;

    if (t.cause & CAUSE_INTR) {
        handle_irq(&t, lvl);
    } else if ((t.cause >= 8 && t.cause <= 11) &&
               (t.epc == (uint64_t)(uintptr_t)hyp_exit_stub ||
                t.epc == (uint64_t)(uintptr_t)hyp_forward_ecall)) {
        if (t.epc == (uint64_t)(uintptr_t)hyp_exit_stub)
            g_exit_val = f->x[10];
        do_exit(f, lvl);
    } else if (g_hook[lvl] && g_hook[lvl](&t, f)) {
        /* handled */
    } else if (g_ht_mode != HT_NONE) {
        int mode = g_ht_mode;
        g_ht.level = t.level;
        g_ht.cause = t.cause;
        g_ht.epc = t.epc;
        g_ht.tval = t.tval;
        g_ht.tval2 = t.tval2;
        g_ht.tinst = t.tinst;
        g_ht.status = t.status;
        g_ht.hstatus = t.hstatus;
        g_ht.prev = t.prev;
        g_ht.gva = t.gva;
        g_ht.count++;
        g_ht_mode = HT_NONE;
        if (mode == HT_SKIP) {
            g_ht.insn_len = insn_len_at(f->epc);
            f->epc += g_ht.insn_len;
        } else {
            g_ht.insn_len = 0;
            g_exit_reason = EXIT_CAUGHT;
            g_exit_val = 0;
            unwind_to_m(f, lvl);
        }
    } else {
        g_unexp.level = t.level;
        g_unexp.cause = t.cause;
        g_unexp.epc = t.epc;
        g_unexp.tval = t.tval;
        g_unexp.tval2 = t.tval2;
        g_unexp.prev = t.prev;
        g_unexp_pending = 1;
        g_exit_reason = EXIT_UNEXPECTED;
        g_exit_val = 0;
        unwind_to_m(f, lvl);
    }
    g_in_handler[lvl] = 0;
}

/* ------------------------------------------------------------- setup -- */
void hyp_reset(void)
{
    g_ht_mode = HT_NONE;
    for (int i = 0; i < 4; i++)
        g_hook[i] = 0;
    g_irq_hook = 0;
    csr_write(mie, 0);
    csr_write(mtvec, (uint64_t)(uintptr_t)hyp_m_entry);
    csr_write(stvec, (uint64_t)(uintptr_t)hyp_hs_entry);
    csr_write(mscratch, (uint64_t)(uintptr_t)hyp_trap_stack_m_top);
    csr_write(sscratch, (uint64_t)(uintptr_t)hyp_trap_stack_hs_top);
    csr_write(medeleg, 0);
    csr_write(mideleg, 0);
    csr_clear(mstatus, MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR | MSTATUS_SIE |
                       MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_SPP);
    csr_set(mstatus, 1UL << 13);                    /* FS != Off */
    csr_write(satp, 0);
    csr_write(mcounteren, 0xffffffffUL);
    csr_write(scounteren, 0xffffffffUL);
    csr_clear(mip, 0x222UL);
    MMIO64(CLINT_MTIMECMP0) = ~0UL;
    if (g_has_stateen) {
        csr_wr(CSR_MSTATEEN0, ~0UL);
        csr_wr(CSR_MSTATEEN1, ~0UL);
        csr_wr(CSR_MSTATEEN2, ~0UL);
        csr_wr(CSR_MSTATEEN3, ~0UL);
        if (g_has_h) {
            csr_wr(CSR_HSTATEEN0, ~0UL);
            csr_wr(CSR_HSTATEEN1, ~0UL);
            csr_wr(CSR_HSTATEEN2, ~0UL);
            csr_wr(CSR_HSTATEEN3, ~0UL);
        }
        csr_wr(CSR_SSTATEEN0, 0);
        csr_wr(CSR_SSTATEEN1, 0);
        csr_wr(CSR_SSTATEEN2, 0);
        csr_wr(CSR_SSTATEEN3, 0);
    }
    if (g_has_h) {
        csr_clear(mstatus, MSTATUS_MPV | MSTATUS_GVA);
        csr_write(0x205, (uint64_t)(uintptr_t)hyp_vs_entry);        /* vstvec */
        csr_write(0x240, (uint64_t)(uintptr_t)hyp_trap_stack_vs_top); /* vsscratch */
        csr_write(0x600, csr_read(0x600) & HSTATUS_VSXL);           /* hstatus */
        csr_write(0x602, 0);            /* hedeleg */
        csr_write(0x603, 0);            /* hideleg */
        csr_write(0x645, 0);            /* hvip */
        csr_write(0x604, 0);            /* hie */
        csr_write(0x607, 0);            /* hgeie */
        csr_write(0x606, 0xffffffffUL); /* hcounteren */
        csr_write(0x605, 0);            /* htimedelta */
        csr_write(0x680, 0);            /* hgatp */
        csr_write(0x280, 0);            /* vsatp */
        csr_write(0x200, (csr_read(0x200) & MSTATUS_UXL) | (1UL << 13)); /* vsstatus: FS */
        csr_write(0x204, 0);            /* vsie */
        hfence_gvma_all();
        hfence_vvma_all();
    }
    sfence_vma_all();
}

void hyp_init(void)
{
    g_has_h = (csr_read(misa) >> 7) & 1;
    csr_write(mtvec, (uint64_t)(uintptr_t)hyp_m_entry);
    csr_write(mscratch, (uint64_t)(uintptr_t)hyp_trap_stack_m_top);
    /* PMP entry 15: the whole address space, RWX, so that S/U/VS/VU run */
    csr_write(pmpaddr15, ~0UL);
    csr_write(pmpcfg2, 0x1fUL << 56);
    g_has_stateen = csr_exists(CSR_MSTATEEN0);
    if (!g_has_h)
        check_true("misa.H (hypervisor extension) is implemented", 0);
    hyp_reset();
}

/* ------------------------------------------------------------ watchdog -- */
void watchdog_start(uint64_t ticks)
{
    MMIO64(CLINT_MTIMECMP0) = mtime_read() + ticks;
    csr_set(mie, MIP_MTIP);
}

void watchdog_stop(void)
{
    csr_clear(mie, MIP_MTIP);
    MMIO64(CLINT_MTIMECMP0) = ~0UL;
}

/* -------------------------------------------------- CSRs by number -- */
#define HYP_CSR_LIST(X) \
    X(0x017) X(0x100) X(0x104) X(0x105) X(0x106) X(0x10a) X(0x10c) X(0x10d) X(0x10e) \
    X(0x10f) X(0x140) X(0x141) X(0x142) X(0x143) X(0x144) X(0x14d) X(0x150) X(0x151) \
    X(0x15c) X(0x180) X(0x200) X(0x204) X(0x205) X(0x240) X(0x241) X(0x242) X(0x243) \
    X(0x244) X(0x24d) X(0x280) X(0x300) X(0x302) X(0x303) X(0x30a) X(0x30c) X(0x30d) \
    X(0x30e) X(0x30f) X(0x31c) X(0x34a) X(0x34b) X(0x5a8) X(0x600) X(0x602) X(0x603) \
    X(0x604) X(0x605) X(0x606) X(0x607) X(0x60a) X(0x60c) X(0x60d) X(0x60e) X(0x60f) \
    X(0x615) X(0x61a) X(0x61c) X(0x643) X(0x644) X(0x645) X(0x64a) X(0x680) X(0xc00) \
    X(0xc01) X(0xc02) X(0xdb0) X(0xe12)

static void csr_unknown(unsigned num)
{
    printf("\nhyp: CSR 0x%x is not in hyp.c's list\n", num);
    exit(3);
}

/* The access itself is one 4-byte instruction on t0 (tval = CSRR_T0/CSRW_T0). */
#define RD_CASE(n) case n: \
    __asm__ __volatile__("csrr t0, " #n "\n\tmv %0, t0" : "=r"(v) :: "t0", "memory"); break;
#define WR_CASE(n) case n: \
    __asm__ __volatile__("mv t0, %0\n\tcsrw " #n ", t0" :: "r"(v) : "t0", "memory"); break;

uint64_t csr_rd(unsigned num)
{
    uint64_t v = 0;
    switch (num) {
    HYP_CSR_LIST(RD_CASE)
    default: csr_unknown(num);
    }
    return v;
}

void csr_wr(unsigned num, uint64_t v)
{
    switch (num) {
    HYP_CSR_LIST(WR_CASE)
    default: csr_unknown(num);
    }
}

uint64_t csr_try_rd(unsigned num, uint64_t *v)
{
    ht_arm();
    uint64_t x = csr_rd(num);
    if (ht_disarm())
        return g_ht.cause + 1;
    if (v)
        *v = x;
    return 0;
}

uint64_t csr_try_wr(unsigned num, uint64_t v)
{
    ht_arm();
    csr_wr(num, v);
    if (ht_disarm())
        return g_ht.cause + 1;
    return 0;
}

int csr_exists(unsigned num)
{
    return csr_try_rd(num, 0) == 0;
}

/* ------------------------------------------------------------ paging -- */
#define HPT_POOL_PAGES 64
static uint64_t hpt_pool[HPT_POOL_PAGES][512] __attribute__((aligned(16384)));
static unsigned hpt_used;

void hpt_reset(void)
{
    hpt_used = 0;
}

static uint64_t *pool_take(unsigned n)
{
    if (hpt_used + n > HPT_POOL_PAGES) {
        puts("hpt: page-table pool exhausted");
        exit(3);
    }
    uint64_t *p = hpt_pool[hpt_used];
    hpt_used += n;
    memset(p, 0, 4096UL * n);
    return p;
}

uint64_t *hpt_alloc(void)
{
    return pool_take(1);
}

uint64_t *hpt_alloc_root16k(void)
{
    hpt_used = (hpt_used + 3) & ~3u;
    return pool_take(4);
}

static unsigned vpn(uint64_t va, int level, int top, int x4)
{
    unsigned mask = (level == top && x4) ? 0x7ff : 0x1ff;
    return (unsigned)(va >> (12 + 9 * level)) & mask;
}

volatile uint64_t *hpt_map(uint64_t *root, int levels, int x4, uint64_t va, uint64_t pa,
                           int level, uint64_t flags)
{
    uint64_t *table = root;
    int top = levels - 1;
    for (int l = top; l > level; l--) {
        volatile uint64_t *pte = &table[vpn(va, l, top, x4)];
        if (!(*pte & PTE_V) || (*pte & (PTE_R | PTE_W | PTE_X))) {
            uint64_t *next = hpt_alloc();
            *pte = (((uint64_t)(uintptr_t)next >> 12) << 10) | PTE_V;
        }
        table = (uint64_t *)(uintptr_t)((*pte >> 10) << 12);
    }
    volatile uint64_t *leaf = &table[vpn(va, level, top, x4)];
    *leaf = pte_leaf(pa, flags);
    return leaf;
}

volatile uint64_t *hpt_pte(uint64_t *root, int levels, int x4, uint64_t va, int level)
{
    uint64_t *table = root;
    int top = levels - 1;
    for (int l = top; l > level; l--) {
        uint64_t pte = table[vpn(va, l, top, x4)];
        if (!(pte & PTE_V) || (pte & (PTE_R | PTE_W | PTE_X)))
            return NULL;
        table = (uint64_t *)(uintptr_t)((pte >> 10) << 12);
    }
    return &table[vpn(va, level, top, x4)];
}

void hyp_map_identity(uint64_t *root, int levels, int x4, int u)
{
    uint64_t uf = u ? PTE_U : 0;
    hpt_map(root, levels, x4, 0, 0, 2, PTE_R | PTE_W | PTE_A | PTE_D | uf);
    hpt_map(root, levels, x4, 0x80000000UL, 0x80000000UL, 2,
            PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | uf);
}
