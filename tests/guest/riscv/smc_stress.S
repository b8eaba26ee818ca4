/* smc_stress.S - code that rewrites itself (in .text, RAM on this machine).
 * Every routine is non-compressed where it is patched, so the patch sites
 * are fixed 32-bit words. */
    .text
    .option push
    .option norvc

/* uint64_t smc_next(uint32_t insn): store insn over the instruction right
 * after the store, FENCE.I, and run it. The unpatched word is addi a0,x0,1. */
    .balign 8
    .globl smc_next
smc_next:
    la      t0, 1f
    sw      a0, 0(t0)
    fence.i
1:  addi    a0, x0, 1
    ret

/* uint64_t smc_next_nofence(uint32_t insn): the same without FENCE.I: the
 * hart may run the old or the new word (unprivileged spec, "Zifencei"). */
    .balign 8
    .globl smc_next_nofence
smc_next_nofence:
    la      t0, 1f
    sw      a0, 0(t0)
1:  addi    a0, x0, 1
    ret

/* uint64_t smc_amo(uint32_t insn): the same, the store being an AMO; returns
 * the patched instruction's result. The old word lands in t1. */
    .balign 8
    .globl smc_amo
smc_amo:
    la      t0, 1f
    amoswap.w t1, a0, (t0)
    fence.i
1:  addi    a0, x0, 1
    ret

/* uint64_t smc_branch(void): a forward branch whose offset gets patched:
 * +8 skips one addi (returns 10), +12 skips two (returns 0). */
    .balign 8
    .globl smc_branch, smc_branch_site
smc_branch:
    li      a0, 0
smc_branch_site:
    beq     x0, x0, 2f          /* +8 */
    addi    a0, a0, 10
2:  addi    a0, a0, 100
    ret

/* uint64_t smc_straddle(void): its second instruction straddles a page
 * boundary (IALIGN = 16 with C). Unpatched: 1 + 0 = 1. */
    .balign 4096
    .skip   4096 - 6
    .globl smc_straddle, smc_straddle_site
smc_straddle:
    addi    a0, x0, 1
smc_straddle_site:
    addi    a0, a0, 0
    ret

    .option pop
