/*
 * pointer_chase: cycles per dependent load against the working-set size,
 * the classic latency curve (lmbench's lat_mem_rd). Each size's lines (64
 * bytes) are linked in a random cyclic order, so every load depends on the
 * previous one and no prefetch or reuse pattern helps: the time per load is
 * the latency of the level the working set fits in. Under a timing model
 * (orrery --timing PRESET) the steps sit at the configured L1/L2 sizes and
 * latencies; docs/timing.md plots them (tools/plot-pointer-chase).
 *
 * Runs in M-mode with translation off, so TLBs play no part. Prints
 * "size_kib cycles_per_load_x100" lines; deterministic.
 */
#include "guest.h"

#define LINE 64
#define MAX_BYTES (8u << 20)
#define LOADS_PER_SIZE 131072u

static uint8_t buffer[MAX_BYTES] __attribute__((aligned(4096)));

static uint64_t lcg_state = 0x9e3779b97f4a7c15ull;
static uint64_t next_random(void)
{
    lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
    return lcg_state >> 17;
}

/* Link the first `lines` lines of the buffer into one random cycle. */
static void **build_chain(uint32_t lines)
{
    static uint32_t order[MAX_BYTES / LINE];
    for (uint32_t i = 0; i < lines; ++i)
        order[i] = i;
    for (uint32_t i = lines - 1; i > 0; --i) { /* Fisher-Yates */
        const uint32_t j = (uint32_t)(next_random() % (i + 1));
        const uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i < lines; ++i)
        *(void **)(buffer + (uint64_t)order[i] * LINE) = buffer + (uint64_t)order[(i + 1) % lines] * LINE;
    return (void **)(buffer + (uint64_t)order[0] * LINE);
}

/* 16 dependent loads per round: the loop's two instructions of overhead
 * add an eighth of a cycle per load at most. */
static void **chase(void **p, uint32_t rounds)
{
    __asm__ __volatile__(
        "1:\n"
        ".rept 16\n"
        "ld %0, 0(%0)\n"
        ".endr\n"
        "addi %1, %1, -1\n"
        "bnez %1, 1b\n"
        : "+r"(p), "+r"(rounds)
        :
        : "memory");
    return p;
}

int main(void)
{
    static const uint32_t sizes_kib[] = {4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256,
                                         384, 512, 768, 1024, 2048, 4096, 8192};
    printf("pointer_chase: size_kib cycles_per_load_x100\n");
    for (unsigned s = 0; s < sizeof sizes_kib / sizeof sizes_kib[0]; ++s) {
        const uint32_t lines = sizes_kib[s] * 1024u / LINE;
        void **p = build_chain(lines);
        /* Warm: one full cycle through the chain (twice for small sets). */
        p = chase(p, (lines < 1024 ? 2 * 1024 : lines) / 16);
        const uint64_t c0 = csr_read(mcycle);
        p = chase(p, LOADS_PER_SIZE / 16);
        const uint64_t c1 = csr_read(mcycle);
        printf("%u %llu\n", sizes_kib[s], (unsigned long long)((c1 - c0) * 100 / LOADS_PER_SIZE));
        if (!p)
            return 1;
    }
    return 0;
}
