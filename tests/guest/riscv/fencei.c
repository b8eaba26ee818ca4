/*
 * fencei: self-modifying code.  Rewrite instructions of a function, execute
 * FENCE.I, call it and get the new result; also generate code into a data
 * buffer, and replace a 32-bit instruction by two compressed ones.
 */
#include "guest.h"

uint64_t smc_fn(void);

static uint32_t enc_i(uint32_t opc, uint32_t f3, uint32_t rd, uint32_t rs1, int32_t imm)
{
    return ((uint32_t)imm << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
}

static uint32_t enc_r(uint32_t opc, uint32_t f3, uint32_t f7, uint32_t rd, uint32_t rs1, uint32_t rs2)
{
    return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
}

#define A0 10
#define RA 1
#define ADDI(rd, rs1, imm) enc_i(0x13, 0, rd, rs1, imm)
#define RET enc_i(0x67, 0, 0, RA, 0)

static inline void fence_i(void)
{
    __asm__ __volatile__("fence.i" ::: "memory");
}

static uint32_t code_buf[64] __attribute__((aligned(64)));

typedef uint64_t (*fn0)(void);
typedef uint64_t (*fn1)(uint64_t);

int main(void)
{
    volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)smc_fn;
    volatile uint16_t *h = (volatile uint16_t *)(uintptr_t)smc_fn;

    EXPECT_EQ("original function returns 1", smc_fn(), 1);
    EXPECT_EQ("encoder matches the assembler", p[0], ADDI(A0, 0, 1));

    p[0] = ADDI(A0, 0, 2);
    fence_i();
    EXPECT_EQ("patched addi returns 2", smc_fn(), 2);

    /* patch repeatedly, executing each version */
    uint64_t sum = 0;
    for (int i = 0; i < 50; i++) {
        p[0] = ADDI(A0, 0, i * 3);
        fence_i();
        sum += smc_fn();
    }
    EXPECT_EQ("50 successive patches", sum, 3 * (49 * 50 / 2));

    p[0] = 0x12345537;              /* lui a0, 0x12345 */
    fence_i();
    EXPECT_EQ("patched to lui", smc_fn(), 0x12345000);

    h[0] = 0x451d;                  /* c.li a0, 7 */
    h[1] = 0x0001;                  /* c.nop */
    fence_i();
    EXPECT_EQ("patched to c.li + c.nop", smc_fn(), 7);

    /* patch the return so that the function runs on into the next words */
    p[0] = ADDI(A0, 0, 5);
    p[1] = ADDI(A0, A0, 100);
    p[2] = RET;
    fence_i();
    EXPECT_EQ("patched three instructions", smc_fn(), 105);

    /* restore the original */
    p[0] = ADDI(A0, 0, 1);
    p[1] = RET;
    fence_i();
    EXPECT_EQ("restored original", smc_fn(), 1);

    /* generate a function into a data buffer: a0 = ((a0 + 3) << 4) - 1 */
    code_buf[0] = ADDI(A0, A0, 3);
    code_buf[1] = enc_i(0x13, 1, A0, A0, 4);    /* slli a0, a0, 4 */
    code_buf[2] = ADDI(A0, A0, -1);
    code_buf[3] = RET;
    fence_i();
    fn1 gen = (fn1)(uintptr_t)code_buf;
    EXPECT_EQ("generated code in .bss", gen(2), ((2 + 3) << 4) - 1);
    code_buf[2] = ADDI(A0, A0, -2);
    fence_i();
    EXPECT_EQ("regenerated code in .bss", gen(2), ((2 + 3) << 4) - 2);

    /* the same buffer, rewritten with a loop: a0 = a0 * 2 (10 times) */
    for (int i = 0; i < 10; i++)
        code_buf[i] = enc_r(0x33, 0, 0, A0, A0, A0);    /* add a0, a0, a0 */
    code_buf[10] = RET;
    fence_i();
    EXPECT_EQ("generated 10x add a0,a0,a0", gen(3), 3UL << 10);

    return test_summary("fencei");
}
