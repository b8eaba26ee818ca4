/* guest.c - runtime for Orrery RISC-V guest tests (see guest.h). */
#include "guest.h"

unsigned g_checks_passed, g_checks_failed;
volatile int g_trap_mode;
volatile struct trap_record g_trap;

/* ---------------------------------------------------------------- UART -- */
int putchar(int c)
{
    volatile uint8_t *uart = (volatile uint8_t *)UART0_BASE;
    while ((uart[UART_LSR] & UART_LSR_THRE) == 0)
        ;
    uart[UART_THR] = (uint8_t)c;
    return (unsigned char)c;
}

void putstr(const char *s)
{
    while (*s)
        putchar(*s++);
}

int puts(const char *s)
{
    putstr(s);
    putchar('\n');
    return 0;
}

static void put_unsigned(uint64_t v, unsigned base, int width, char pad)
{
    char buf[24];
    int n = 0;
    do {
        unsigned d = (unsigned)(v % base);
        buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v);
    while (width > n) {
        putchar(pad);
        width--;
    }
    while (n)
        putchar(buf[--n]);
}

int vprintf(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            putchar(*fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0, lng = 0;
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l') {
            lng = 1;
            fmt++;
        }
        switch (*fmt) {
        case 'd': {
            int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            uint64_t u = (uint64_t)v;
            if (v < 0) {
                putchar('-');
                u = -u;
                if (width)
                    width--;
            }
            put_unsigned(u, 10, width, pad);
            break;
        }
        case 'u':
            put_unsigned(lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10, width, pad);
            break;
        case 'x':
            put_unsigned(lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16, width, pad);
            break;
        case 'p':
            putstr("0x");
            put_unsigned((uint64_t)va_arg(ap, void *), 16, width, pad);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            putstr(s ? s : "(null)");
            break;
        }
        case 'c':
            putchar(va_arg(ap, int));
            break;
        case '%':
            putchar('%');
            break;
        case '\0':
            return 0;
        default:
            putchar('%');
            putchar(*fmt);
            break;
        }
    }
    return 0;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    return 0;
}

void exit(int code)
{
    volatile uint32_t *fin = (volatile uint32_t *)FINISHER_BASE;
    if (code == 0)
        *fin = FINISHER_PASS;
    else
        *fin = ((uint32_t)(code & 0xffff) << 16) | FINISHER_FAIL;
    for (;;)
        __asm__ __volatile__("wfi");
}

/* ---------------------------------------------------------------- libc -- */
void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        while (n--)
            *d++ = *s++;
    } else {
        while (n--)
            d[n] = s[n];
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* -------------------------------------------------------------- checks -- */
int check_eq(const char *name, uint64_t got, uint64_t want)
{
    if (got == want) {
        g_checks_passed++;
        printf("ok %s\n", name);
        return 1;
    }
    g_checks_failed++;
    printf("FAIL %s: got 0x%lx want 0x%lx\n", name, got, want);
    return 0;
}

int check_eq2(const char *name, const char *suffix, uint64_t got, uint64_t want)
{
    if (got == want) {
        g_checks_passed++;
        printf("ok %s%s\n", name, suffix);
        return 1;
    }
    g_checks_failed++;
    printf("FAIL %s%s: got 0x%lx want 0x%lx\n", name, suffix, got, want);
    return 0;
}

int check_true(const char *name, int cond)
{
    if (cond) {
        g_checks_passed++;
        printf("ok %s\n", name);
        return 1;
    }
    g_checks_failed++;
    printf("FAIL %s\n", name);
    return 0;
}

int test_summary(const char *test)
{
    printf("%s: %u passed, %u failed\n", test, g_checks_passed, g_checks_failed);
    return g_checks_failed ? 1 : 0;
}

/* --------------------------------------------------------------- traps -- */
extern char trap_catch_resume[];

void trap_handler(struct trap_frame *f)
{
    uint64_t cause = csr_read(mcause);
    uint64_t tval = csr_read(mtval);
    uint64_t status = csr_read(mstatus);
    int mode = g_trap_mode;

    if (mode == TRAP_MODE_NONE) {
        printf("\nUNEXPECTED TRAP: mcause=0x%lx mepc=0x%lx mtval=0x%lx\n",
               cause, f->mepc, tval);
        exit(3);
    }

    g_trap.cause = cause;
    g_trap.epc = f->mepc;
    g_trap.tval = tval;
    g_trap.mstatus = status;
    g_trap.count++;
    g_trap_mode = TRAP_MODE_NONE;

    if (mode == TRAP_MODE_SKIP) {
        /* Instruction length from the low two bits of its first halfword. */
        uint16_t lo = *(volatile uint16_t *)(uintptr_t)f->mepc;
        uint64_t len = (lo & 3) == 3 ? 4 : 2;
        g_trap.insn_len = len;
        f->mepc += len;
    } else {
        g_trap.insn_len = 0;
        f->mepc = (uint64_t)(uintptr_t)trap_catch_resume;
    }
}
