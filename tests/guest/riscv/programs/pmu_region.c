/*
 * pmu_region: the guest's own counters against the timing model's report
 * for one region (tests/timing/pmu_region_test.sh). It selects events in
 * mhpmevent3-8 (Orrery's selectors, docs/pmu.md), then
 *
 *     orrery.region.begin; read mcycle, minstret, mhpmcounter3-8;
 *     workload;
 *     read them again; orrery.region.end
 *
 * and prints each counter's difference. The region --stats reports
 * contains everything from its begin marker up to its end marker; each
 * difference starts at its first read and stops before its second, so
 * every event but instructions and cycles matches exactly, instructions
 * differ by exactly the 8 reads plus the begin marker, and cycles by the
 * few those take. The workload mixes a sort (branches that mispredict), a
 * pointer chase through 1 MiB (L1 and L2 misses) and a hash loop.
 */
#include "guest.h"

#define N_COUNTERS 8
#define REGION_BEGIN "slti x0, x0, 1\n"
#define REGION_END "slti x0, x0, 2\n"

static const char *const names[N_COUNTERS] = {"cycles",     "instructions", "l1d-misses", "branch-misses",
                                              "l2-misses",  "loads",        "branches",   "l1i-misses"};
/* Selectors for mhpmevent3..8. */
static const uint64_t events[N_COUNTERS - 2] = {0x09, 0x04, 0x0f, 0x12, 0x03, 0x07};

#define READ_ALL                                                                          \
    "csrr %0, mcycle\n csrr %1, minstret\n csrr %2, mhpmcounter3\n csrr %3, mhpmcounter4\n" \
    "csrr %4, mhpmcounter5\n csrr %5, mhpmcounter6\n csrr %6, mhpmcounter7\n csrr %7, mhpmcounter8\n"

static uint8_t chase_buf[1u << 20] __attribute__((aligned(4096)));
static uint32_t sort_buf[4096];

static uint64_t lcg = 12345;
static uint32_t rnd(void)
{
    lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(lcg >> 33);
}

static uint64_t workload(void)
{
    /* Insertion sort of random numbers: data-dependent branches. */
    for (unsigned i = 0; i < 4096; ++i)
        sort_buf[i] = rnd();
    for (unsigned i = 1; i < 1024; ++i) {
        const uint32_t v = sort_buf[i];
        unsigned j = i;
        while (j > 0 && sort_buf[j - 1] > v) {
            sort_buf[j] = sort_buf[j - 1];
            --j;
        }
        sort_buf[j] = v;
    }
    /* A strided chase over 1 MiB: misses in L1 and (small) in L2. */
    const unsigned lines = sizeof chase_buf / 64;
    for (unsigned i = 0; i < lines; ++i)
        *(void **)(chase_buf + (uint64_t)i * 64) = chase_buf + (uint64_t)((i * 4099u + 17u) % lines) * 64;
    void **p = (void **)chase_buf;
    for (unsigned i = 0; i < 40000; ++i)
        p = (void **)*p;
    /* Hashing. */
    uint64_t h = (uint64_t)(uintptr_t)p;
    for (unsigned i = 0; i < 20000; ++i)
        h = (h ^ sort_buf[i & 4095]) * 0x100000001b3ull;
    return h;
}

int main(void)
{
    for (unsigned i = 0; i < N_COUNTERS - 2; ++i) {
        switch (i) { /* CSR numbers are immediates */
        case 0: csr_write(mhpmevent3, events[0]); break;
        case 1: csr_write(mhpmevent4, events[1]); break;
        case 2: csr_write(mhpmevent5, events[2]); break;
        case 3: csr_write(mhpmevent6, events[3]); break;
        case 4: csr_write(mhpmevent7, events[4]); break;
        case 5: csr_write(mhpmevent8, events[5]); break;
        }
    }
    csr_write(mcountinhibit, 0);
    uint64_t a[N_COUNTERS], b[N_COUNTERS];
    /* Each block sits in one I-cache line that is fetched inside every
     * counter's window (the begin block's by the nop before the marker),
     * so fetch events line up too. */
    __asm__ __volatile__(".balign 64\n nop\n" REGION_BEGIN READ_ALL
                         : "=r"(a[0]), "=r"(a[1]), "=r"(a[2]), "=r"(a[3]), "=r"(a[4]), "=r"(a[5]), "=r"(a[6]),
                           "=r"(a[7])::"memory");
    const uint64_t h = workload();
    __asm__ __volatile__(".balign 64\n" READ_ALL REGION_END
                         : "=r"(b[0]), "=r"(b[1]), "=r"(b[2]), "=r"(b[3]), "=r"(b[4]), "=r"(b[5]), "=r"(b[6]),
                           "=r"(b[7])::"memory");
    printf("pmu_region: checksum %016llx\n", (unsigned long long)h);
    for (unsigned i = 0; i < N_COUNTERS; ++i)
        printf("guest %s %llu\n", names[i], (unsigned long long)(b[i] - a[i]));
    return 0;
}
