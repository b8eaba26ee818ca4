/*
 * bench.h - shared helpers for the benchmark workloads in this directory.
 *
 * The workloads are bare-metal RV64GC M-mode programs linked with the guest
 * test runtime (tests/guest/riscv/common: crt0.S, guest.c, link.ld), so all
 * they have is guest.h's printf.  Everything here is static inline to keep
 * each workload a single translation unit.
 *
 * Output rules every workload follows, so a run can be diffed between
 * emulators and checked on its own:
 *   - only deterministic values are printed (no cycle/time/instret reads);
 *   - the last line is "<name>: checksum 0x<16 hex digits> ok" (or FAIL),
 *     where the expected value was recorded on QEMU 7.2 and, for the
 *     integer workloads, on the host as well;
 *   - main() returns bench_report()'s result, so a wrong checksum ends the
 *     run with a nonzero exit status.
 */
#ifndef ORRERY_BENCH_H
#define ORRERY_BENCH_H

#include "guest.h"

/*
 * For data the workloads write.  The runtime's link script puts .bss right
 * after .text, so a small array would share a 4 KiB page with code, and
 * emulators that detect self-modifying code per page (QEMU, for one) then
 * take a slow path on every store to it.  Real programs rarely write to
 * their code pages; page-aligning written data keeps the measurement about
 * the workload, not about that artifact.
 */
#define BENCH_DATA __attribute__((aligned(4096)))

/*
 * PRNG: splitmix64.  One 64-bit add and a short mixing chain per output,
 * full 2^64 period, and every output bit depends on the whole state, so it
 * is good enough for shuffles and test data while staying cheap next to the
 * work being measured.
 */
struct bench_rng {
    uint64_t state;
};

static inline uint64_t rng_next(struct bench_rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n) for n > 0.  The modulo bias (< n / 2^64) is irrelevant
 * here; what matters is that the result is reproducible everywhere. */
static inline uint64_t rng_below(struct bench_rng *r, uint64_t n)
{
    return rng_next(r) % n;
}

/*
 * Running checksum: order-sensitive (each step multiplies the previous
 * state) so a permuted or missing value changes the result, unlike a plain
 * sum or xor.
 */
static inline uint64_t mix64(uint64_t h, uint64_t v)
{
    h ^= v;
    h *= 0x100000001b3ull;          /* the 64-bit FNV prime */
    return h ^ (h >> 29);
}

#define MIX_INIT 0xcbf29ce484222325ull

/* Prints "<name>: <what> 0x<hex>" for an intermediate value. */
static inline void bench_value(const char *name, const char *what, uint64_t v)
{
    printf("%s: %s 0x%016lx\n", name, what, v);
}

/*
 * Prints the final checksum line and compares it with the recorded value.
 * Returns main()'s exit status: 0 if it matched, 1 if not.
 */
static inline int bench_report(const char *name, uint64_t sum, uint64_t want)
{
    if (sum == want) {
        printf("%s: checksum 0x%016lx ok\n", name, sum);
        return 0;
    }
    printf("%s: checksum 0x%016lx FAIL (want 0x%016lx)\n", name, sum, want);
    return 1;
}

#endif
