/*
 * stream - memory-bound streaming, after McCalpin's STREAM kernels but on
 * uint64 arrays (no FP, so the loads and stores dominate):
 *   copy   c = a
 *   scale  b = k * c
 *   add    c = a + b
 *   triad  a = b + k * c
 * over three 8 MiB arrays (1 Mi elements each, 24 MiB in all: far beyond
 * any cache a timing model would give, and every access of a pass touches
 * a new 8-byte word, so an emulator's per-access cost is what is measured).
 *
 * The arrays are padded by STREAM_PAD elements (default one 4 KiB page),
 * like STREAM's OFFSET: without it they sit exactly 8 MiB apart, a[i],
 * b[i] and c[i] share an index in a direct-mapped software TLB (Orrery's
 * is one, and QEMU's main TLB is too), and every access misses: that
 * measures the TLB's conflict behaviour rather than streaming.  Build with -DSTREAM_PAD=0 to
 * see it.
 *
 * Each pass multiplies a by m = k^2 + 2k (mod 2^64), so after PASSES passes
 * every element has a closed form; the verification checks all of them.
 */
#include "bench.h"

#define N       (1u << 20)      /* elements per array: 8 MiB */
#define PASSES  6u
#ifndef STREAM_PAD
#define STREAM_PAD 512u         /* elements: 4 KiB */
#endif

static uint64_t a[N + STREAM_PAD] BENCH_DATA, b[N + STREAM_PAD] BENCH_DATA,
                c[N + STREAM_PAD] BENCH_DATA;

/* Read through a volatile so the compiler emits a real multiply instead of
 * shift-and-add for a known constant, as STREAM's scalar is a variable. */
static volatile uint64_t scalar = 3;

/* The empty asm in the copy loop keeps GCC from turning it into a memcpy
 * call (the runtime's memcpy is byte-wise, and STREAM's copy is meant to
 * be a plain load/store loop anyway). */
static void copy(uint64_t *restrict dst, const uint64_t *restrict src)
{
    for (uint32_t i = 0; i < N; i++) {
        uint64_t v = src[i];
        __asm__("" : "+r"(v));
        dst[i] = v;
    }
}

static void scale(uint64_t *restrict dst, const uint64_t *restrict src, uint64_t k)
{
    for (uint32_t i = 0; i < N; i++)
        dst[i] = k * src[i];
}

static void add(uint64_t *restrict dst, const uint64_t *restrict x, const uint64_t *restrict y)
{
    for (uint32_t i = 0; i < N; i++)
        dst[i] = x[i] + y[i];
}

static void triad(uint64_t *restrict dst, const uint64_t *restrict x,
                  const uint64_t *restrict y, uint64_t k)
{
    for (uint32_t i = 0; i < N; i++)
        dst[i] = x[i] + k * y[i];
}

/* Initial value of a[i]: distinct, spread over all 64 bits, cheap to
 * recompute during verification. */
static inline uint64_t a0(uint32_t i)
{
    return ((uint64_t)i + 1) * 0x9e3779b97f4a7c15ull;
}

static uint64_t power(uint64_t x, uint32_t e)
{
    uint64_t r = 1;
    while (e--)
        r *= x;
    return r;
}

int main(void)
{
    const uint64_t k = scalar;
    for (uint32_t i = 0; i < N; i++)
        a[i] = a0(i);

    for (uint32_t p = 0; p < PASSES; p++) {
        copy(c, a);
        scale(b, c, k);
        add(c, a, b);
        triad(a, b, c, k);
    }

    /* a = m^P a0, b = k m^(P-1) a0, c = (1+k) m^(P-1) a0  (mod 2^64) */
    const uint64_t m = k * k + 2 * k;
    const uint64_t fa = power(m, PASSES), fb = k * power(m, PASSES - 1),
                   fc = (1 + k) * power(m, PASSES - 1);
    uint32_t wrong = 0;
    uint64_t sa = 0, sb = 0, sc = 0;
    for (uint32_t i = 0; i < N; i++) {
        uint64_t x = a0(i);
        wrong += (a[i] != fa * x) + (b[i] != fb * x) + (c[i] != fc * x);
        sa += a[i];
        sb += b[i];
        sc += c[i];
    }
    printf("stream: %u elements x %u passes, %u wrong\n", N, PASSES, wrong);
    bench_value("stream", "sum a", sa);
    bench_value("stream", "sum b", sb);
    bench_value("stream", "sum c", sc);
    uint64_t sum = mix64(mix64(mix64(MIX_INIT, sa), sb), sc);
    return bench_report("stream", sum, 0x90f4e35f2604b959ull) | (wrong != 0);
}
