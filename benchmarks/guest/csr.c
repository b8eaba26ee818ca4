/*
 * csr - CSR access throughput: a tight loop of Zicsr instructions that an
 * emulator cannot treat as plain ALU work (each goes through its CSR file:
 * privilege and existence checks, WARL masks, side effects).
 *
 * Per iteration: csrw/csrrs/csrrc on mscratch (read-modify-write with the
 * old value used, so each depends on the previous one) and csrr of the
 * read-only mhartid and misa, 12 instructions in all.  Counters
 * (cycle/time/instret) are deliberately avoided: their values differ
 * between emulators.  misa enters only as (misa xor its value before the
 * loop), so the result does not depend on which extensions the emulator
 * reports, only on misa reading the same every time.  The chain through
 * acc forgets old history (the OR and the doubling push it out), so a
 * second register sums every csrrc result: a wrong value in any
 * iteration shows in the sum.
 *
 * The loop's result is compared with the same recurrence computed without
 * CSRs, which checks the old-value/new-value semantics of csrrs/csrrc.
 */
#include "bench.h"

#define ITERATIONS 4000000u

struct csr_result {
    uint64_t acc, sum, scratch;
};

static struct csr_result csr_loop(uint64_t acc, uint64_t n, uint64_t k)
{
    uint64_t t, u, h, m, sum = 0;
    const uint64_t misa0 = csr_read(misa);
    __asm__ __volatile__(
        "1:\n\t"
        "csrw   mscratch, %[acc]\n\t"           /* mscratch = acc            */
        "csrrs  %[t], mscratch, %[n]\n\t"       /* t = acc,     |= n         */
        "csrrc  %[u], mscratch, %[k]\n\t"       /* u = acc | n, &= ~k        */
        "csrr   %[h], mhartid\n\t"              /* 0: only hart 0 runs this  */
        "csrr   %[m], misa\n\t"
        "xor    %[m], %[m], %[misa0]\n\t"       /* 0 while misa is stable    */
        "add    %[acc], %[u], %[t]\n\t"
        "add    %[sum], %[sum], %[u]\n\t"
        "add    %[h], %[h], %[m]\n\t"
        "xor    %[acc], %[acc], %[h]\n\t"
        "addi   %[n], %[n], -1\n\t"
        "bnez   %[n], 1b\n\t"
        : [acc] "+r"(acc), [sum] "+r"(sum), [n] "+r"(n), [t] "=&r"(t), [u] "=&r"(u), [h] "=&r"(h),
          [m] "=&r"(m)
        : [k] "r"(k), [misa0] "r"(misa0)
        : "memory");
    return (struct csr_result){ acc, sum, csr_read(mscratch) };
}

/* The loop above without CSRs: mscratch is a variable here. */
static struct csr_result model_loop(uint64_t acc, uint64_t n, uint64_t k)
{
    uint64_t scratch = 0, sum = 0;
    for (; n; n--) {
        uint64_t t = acc;
        uint64_t u = acc | n;
        scratch = (acc | n) & ~k;
        acc = (u + t) ^ 0;  /* ^ (hartid 0 + misa drift 0) */
        sum += u;
    }
    return (struct csr_result){ acc, sum, scratch };
}

int main(void)
{
    const uint64_t seed = 0x637372u, k = 0x00ff00ff00ff00ffull;     /* "csr" */
    struct csr_result got = csr_loop(seed, ITERATIONS, k);
    struct csr_result want = model_loop(seed, ITERATIONS, k);
    int same = got.acc == want.acc && got.sum == want.sum && got.scratch == want.scratch;

    printf("csr: %u iterations, acc 0x%016lx sum 0x%016lx mscratch 0x%016lx (%s)\n",
           ITERATIONS, got.acc, got.sum, got.scratch, same ? "matches model" : "MODEL MISMATCH");
    uint64_t sum = mix64(mix64(mix64(MIX_INIT, got.acc), got.sum), got.scratch);
    return bench_report("csr", sum, 0x8cbc154d3e06810full) | !same;
}
