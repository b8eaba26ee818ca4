/*
 * intloop: the integer-dispatch benchmark. 30 million rounds of a
 * three-instruction ALU loop (addi, xor, bne): the shape where an
 * emulator's per-instruction dispatch cost is everything, so it measures
 * the execution engine itself (cpubound mixes in soft-float and memory).
 * Prints the round count and a checksum; deterministic.
 */
#include "guest.h"

int main(void)
{
    uint64_t i = 0, acc = 0;
    const uint64_t rounds = 30000000;
    __asm__ __volatile__("1: addi %0, %0, 1\n"
                         "   xor  %1, %1, %0\n"
                         "   bne  %0, %2, 1b\n"
                         : "+r"(i), "+r"(acc)
                         : "r"(rounds));
    printf("intloop: %llu rounds, checksum %016llx\n", (unsigned long long)i, (unsigned long long)acc);
    return 0;
}
