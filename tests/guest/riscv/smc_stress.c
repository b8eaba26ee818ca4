/*
 * smc_stress: self-modifying code at its hardest for an emulator that keeps
 * decoded code: a store that rewrites the very next instruction, the same
 * by an AMO, a rewritten branch offset, a rewritten instruction that
 * straddles a page boundary (patched half by half), and ten thousand
 * rewrite-and-run rounds. Unprivileged spec, "Zifencei": after FENCE.I the
 * hart must fetch what was stored; without it, the old or the new word may
 * run, so that check accepts both (the engines' lockstep comparison pins
 * Orrery's own choice down).
 */
#include "guest.h"

uint64_t smc_next(uint32_t insn);
uint64_t smc_next_nofence(uint32_t insn);
uint64_t smc_amo(uint32_t insn);
uint64_t smc_branch(void);
uint64_t smc_straddle(void);
extern uint32_t smc_branch_site[];
extern uint16_t smc_straddle_site[];

static uint32_t enc_i(uint32_t opc, uint32_t f3, uint32_t rd, uint32_t rs1, int32_t imm)
{
    return ((uint32_t)imm << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
}

/* B-type: imm[12|10:5] rs2 rs1 funct3 imm[4:1|11] opcode */
static uint32_t enc_beq(uint32_t rs1, uint32_t rs2, int32_t off)
{
    uint32_t u = (uint32_t)off;
    return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) |
           (((u >> 1) & 0xf) << 8) | (((u >> 11) & 1) << 7) | 0x63;
}

#define A0 10
#define ADDI(rd, rs1, imm) enc_i(0x13, 0, rd, rs1, imm)

static inline void fence_i(void)
{
    __asm__ __volatile__("fence.i" ::: "memory");
}

int main(void)
{
    EXPECT_EQ("the next instruction, rewritten before FENCE.I", smc_next(ADDI(A0, 0, 2)), 2);
    EXPECT_EQ("and again (the site now holds addi 2)", smc_next(ADDI(A0, 0, 3)), 3);

    uint64_t r = smc_next_nofence(ADDI(A0, 0, 7));
    check_true("no FENCE.I: the old or the new instruction runs", r == 1 || r == 7);
    fence_i();
    EXPECT_EQ("after a FENCE.I the new one runs", smc_next_nofence(ADDI(A0, 0, 7)), 7);

    EXPECT_EQ("rewritten by amoswap.w", smc_amo(ADDI(A0, 0, 42)), 42);
    EXPECT_EQ("amoswap.w again", smc_amo(ADDI(A0, 0, -5)), (uint64_t)-5);

    EXPECT_EQ("branch +8", smc_branch(), 100);
    smc_branch_site[0] = enc_beq(0, 0, 12);
    fence_i();
    EXPECT_EQ("branch patched to +12", smc_branch(), 0);
    smc_branch_site[0] = enc_beq(0, 0, 4);
    fence_i();
    EXPECT_EQ("branch patched to +4", smc_branch(), 110);

    EXPECT_EQ("instruction across a page boundary", smc_straddle(), 1);
    uint32_t w = ADDI(A0, A0, 41);
    smc_straddle_site[0] = (uint16_t)w;          /* last halfword of the page */
    fence_i();
    /* addi a0,a0,0 and addi a0,a0,41 differ only in the high half */
    EXPECT_EQ("its low half rewritten (same bits)", smc_straddle(), 1);
    smc_straddle_site[1] = (uint16_t)(w >> 16);  /* first halfword of the next page */
    fence_i();
    EXPECT_EQ("both halves rewritten", smc_straddle(), 42);

    uint64_t sum = 0;
    for (int i = 0; i < 10000; i++)
        sum += smc_next(ADDI(A0, 0, i & 1023));
    uint64_t want = 0;
    for (int i = 0; i < 10000; i++)
        want += (uint64_t)(i & 1023);
    EXPECT_EQ("10000 rewrite-and-run rounds", sum, want);

    return test_summary("smc_stress");
}
