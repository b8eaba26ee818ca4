/*
 * guest.h - tiny bare-metal runtime for Orrery RISC-V guest tests.
 *
 * Machine: minimal `virt` (RAM at 0x80000000, NS16550A UART at 0x10000000,
 * SiFive test finisher at 0x100000), M-mode only.
 */
#ifndef ORRERY_GUEST_H
#define ORRERY_GUEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define UART0_BASE      0x10000000UL
#define UART_THR        0
#define UART_LSR        5
#define UART_LSR_THRE   0x20

#define FINISHER_BASE   0x100000UL
#define FINISHER_PASS   0x5555u
#define FINISHER_FAIL   0x3333u

/* A physical address with nothing behind it: any access raises an access fault. */
#define UNMAPPED_ADDR   0x200000000UL

/* mcause exception codes */
#define CAUSE_MISALIGNED_FETCH   0
#define CAUSE_FETCH_ACCESS       1
#define CAUSE_ILLEGAL_INSN       2
#define CAUSE_BREAKPOINT         3
#define CAUSE_MISALIGNED_LOAD    4
#define CAUSE_LOAD_ACCESS        5
#define CAUSE_MISALIGNED_STORE   6
#define CAUSE_STORE_ACCESS       7
#define CAUSE_ECALL_U            8
#define CAUSE_ECALL_S            9
#define CAUSE_ECALL_M            11

#define MSTATUS_MIE     (1UL << 3)
#define MSTATUS_MPIE    (1UL << 7)
#define MSTATUS_MPP     (3UL << 11)
#define MSTATUS_FS      (3UL << 13)

#define csr_read(csr) ({ uint64_t __v; \
    __asm__ __volatile__("csrr %0, " #csr : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, val) ({ \
    __asm__ __volatile__("csrw " #csr ", %0" :: "rK"((uint64_t)(val)) : "memory"); })
#define csr_set(csr, val) ({ \
    __asm__ __volatile__("csrs " #csr ", %0" :: "rK"((uint64_t)(val)) : "memory"); })
#define csr_clear(csr, val) ({ \
    __asm__ __volatile__("csrc " #csr ", %0" :: "rK"((uint64_t)(val)) : "memory"); })

/* ---- output ---- */
int  putchar(int c);
int  puts(const char *s);               /* appends '\n' like the libc one */
void putstr(const char *s);             /* no newline */
int  printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int  vprintf(const char *fmt, va_list ap);
void exit(int code) __attribute__((noreturn));

/* ---- libc bits the compiler may call ---- */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int   memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

/* ---- checks ---- */
extern unsigned g_checks_passed, g_checks_failed;

/* prints "ok <name>" or "FAIL <name>: got 0x.. want 0x.." */
int check_eq(const char *name, uint64_t got, uint64_t want);
/* same with the name given in two parts: "<name><suffix>" */
int check_eq2(const char *name, const char *suffix, uint64_t got, uint64_t want);
/* prints "ok <name>" or "FAIL <name>" */
int check_true(const char *name, int cond);
/* prints "<test>: N passed, M failed"; returns 0 if nothing failed, else 1 */
int test_summary(const char *test);

#define EXPECT_EQ(name, got, want) check_eq((name), (uint64_t)(got), (uint64_t)(want))
#define CHECK(name, cond)          check_true((name), (cond) ? 1 : 0)

/* ---- traps ---- */
struct trap_frame {
    uint64_t x[32];         /* x[0] unused, x[2] = interrupted sp */
    uint64_t mepc;
    uint64_t pad;
};

struct trap_record {
    uint64_t count;         /* number of expected traps taken so far */
    uint64_t cause;         /* mcause */
    uint64_t epc;           /* mepc at trap entry */
    uint64_t tval;          /* mtval */
    uint64_t mstatus;       /* mstatus at trap entry */
    uint64_t insn_len;      /* length used to skip (skip mode only) */
};

#define TRAP_MODE_NONE  0
#define TRAP_MODE_SKIP  1
#define TRAP_MODE_CATCH 2

extern volatile int g_trap_mode;
extern volatile struct trap_record g_trap;

/*
 * Skip mode: the next trap is recorded in g_trap and execution resumes after
 * the trapping instruction (mepc += 2 or 4 depending on the instruction at
 * mepc).  One-shot: the mode is reset to NONE when the trap is taken.
 */
static inline void trap_arm(void)
{
    g_trap.cause = g_trap.epc = g_trap.tval = ~0UL;
    __asm__ __volatile__("" ::: "memory");
    g_trap_mode = TRAP_MODE_SKIP;
    __asm__ __volatile__("" ::: "memory");
}
/* Returns 1 if the armed trap was taken (and disarms in any case). */
static inline int trap_disarm(void)
{
    __asm__ __volatile__("" ::: "memory");
    int taken = g_trap_mode == TRAP_MODE_NONE;
    g_trap_mode = TRAP_MODE_NONE;
    __asm__ __volatile__("" ::: "memory");
    return taken;
}

/*
 * Catch mode: calls fn(arg); a trap inside fn is recorded in g_trap and
 * abandons fn: trap_catch returns 1.  Returns 0 if fn returned normally.
 * Use this when the trapping pc cannot be read or skipped (fetch faults).
 */
long trap_catch(void (*fn)(unsigned long), unsigned long arg);

/* Called by crt0 for every trap. */
void trap_handler(struct trap_frame *f);

#endif
