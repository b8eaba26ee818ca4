/*
 * chase - memory-bound pointer chasing: dependent loads at random
 * addresses over a 16 MiB table.
 *
 * next[] (2 Mi 64-bit indices) holds one random cyclic permutation, built
 * with Sattolo's variant of the Fisher-Yates shuffle (swap only with an
 * earlier slot), which yields a single cycle through all entries.  Chasing
 * idx = next[idx] then visits the entries in random order, each load's
 * address depending on the previous load: no overlap, no locality beyond
 * chance, and 4096 pages touched in random order, so an emulator's data
 * TLB misses on nearly every step.
 *
 * The cycle is checked (a walk of exactly N steps returns to the start and
 * not earlier), then STEPS further steps are taken.  The shuffle's swaps
 * are random accesses as well, so the whole run is memory-bound.
 */
#include "bench.h"

#define N       (2u << 20)      /* entries: 16 MiB of uint64 */
/* ~3 laps; not a whole number of them, so the index sum depends on the
 * order of the cycle, not just on its length */
#define STEPS   ((6u << 20) + 4321u)

static uint64_t next[N] BENCH_DATA;

static void build_cycle(struct bench_rng *rng)
{
    for (uint64_t i = 0; i < N; i++)
        next[i] = i;
    /* Sattolo: j < i strictly, so every element ends up in one cycle. */
    for (uint64_t i = N - 1; i > 0; i--) {
        uint64_t j = rng_below(rng, i);
        uint64_t t = next[i];
        next[i] = next[j];
        next[j] = t;
    }
}

/* Walks n steps from start; returns where it ends, the sum of the visited
 * indices in *sum and how often it passed start in *returns. */
static uint64_t chase(uint64_t start, uint64_t n, uint64_t *sum, uint64_t *returns)
{
    uint64_t idx = start, s = 0, r = 0;
    for (uint64_t k = 0; k < n; k++) {
        idx = next[idx];
        s += idx;
        r += idx == start;
    }
    *sum = s;
    *returns = r;
    return idx;
}

int main(void)
{
    struct bench_rng rng = { 0x6368617365u };   /* "chase" */
    build_cycle(&rng);

    /* One lap: back at the start after exactly N steps, never before, and
     * every index visited once, so the sum is 0 + 1 + ... + N-1. */
    uint64_t lap_sum, lap_returns;
    uint64_t end = chase(0, N, &lap_sum, &lap_returns);
    int cycle_ok = end == 0 && lap_returns == 1 && lap_sum == (uint64_t)N * (N - 1) / 2;
    printf("chase: %u entries, single cycle %s\n", N, cycle_ok ? "yes" : "NO");

    /* The long walk, from somewhere in the middle of the cycle. */
    uint64_t sum, returns;
    uint64_t last = chase(next[N / 3], STEPS, &sum, &returns);
    printf("chase: %u steps, %lu passes by the start\n", STEPS, returns);
    bench_value("chase", "last index", last);
    bench_value("chase", "index sum", sum);
    uint64_t check = mix64(mix64(MIX_INIT, last), sum);
    return bench_report("chase", check, 0x8b50920558222a12ull) | !cycle_ok;
}
