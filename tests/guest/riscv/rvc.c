/*
 * rvc: every RV64C instruction (see rvc.S, which uses explicit c.* mnemonics),
 * including C.ADDI16SP/C.ADDI4SPN, C.LUI, C.ADDIW sign extension, C.J/C.JR/
 * C.JALR (link = pc + 2), C.LDSP/C.SDSP, C.FLD/C.FSD, C.FLDSP/C.FSDSP and
 * C.EBREAK through an expected trap.  (C.JAL is RV32-only; its encoding is
 * C.ADDIW on RV64, tested as such.)
 */
#include "guest.h"

void rvc_sp_imm(uint64_t *out);
void rvc_w_lui(uint64_t *out);
void rvc_alu(uint64_t *out);
void rvc_mem(uint64_t *out);
void rvc_ctl(uint64_t *out);
uint64_t rvc_ebreak(void);

static uint64_t out[32];

static void clear(void)
{
    for (int i = 0; i < 32; i++)
        out[i] = 0xdeadbeefdeadbeef;
}

int main(void)
{
    clear();
    rvc_sp_imm(out);
    EXPECT_EQ("c.addi4spn a0, sp, 4", out[0], 4);
    EXPECT_EQ("c.addi4spn a1, sp, 1020", out[1], 1020);
    EXPECT_EQ("c.addi16sp sp, -512", out[2], 512);
    EXPECT_EQ("c.addi16sp sp, 496 + 16 restores sp", out[3], 0);
    EXPECT_EQ("c.li a4, -32", out[4], (uint64_t)-32);
    EXPECT_EQ("c.li a4, 31", out[5], 31);
    EXPECT_EQ("c.addi a5, -32", out[6], (uint64_t)-27);
    EXPECT_EQ("c.addi a5, 31 + c.nop", out[7], 4);
    EXPECT_EQ("c.addi s1, 1", out[8], 1);

    clear();
    rvc_w_lui(out);
    EXPECT_EQ("c.addiw 0x7fffffff+1 sign-extends", out[0], 0xffffffff80000000);
    EXPECT_EQ("c.addiw 0 (sext.w) of 0xffffffff", out[1], 0xffffffffffffffff);
    EXPECT_EQ("c.addiw 0x100000005-6", out[2], 0xffffffffffffffff);
    EXPECT_EQ("c.lui 1", out[3], 0x1000);
    EXPECT_EQ("c.lui 0x1f", out[4], 0x1f000);
    EXPECT_EQ("c.lui 0xfffff", out[5], 0xfffffffffffff000);
    EXPECT_EQ("c.lui 0xfffe0", out[6], 0xfffffffffffe0000);
    EXPECT_EQ("c.lui ra, 0x10", out[7], 0x10000);

    clear();
    rvc_alu(out);
    EXPECT_EQ("c.srli 63", out[0], 1);
    EXPECT_EQ("c.srli 32", out[1], 0x80000000);
    EXPECT_EQ("c.srai 1", out[2], 0xc000000000000000);
    EXPECT_EQ("c.srai 63", out[3], 0xffffffffffffffff);
    EXPECT_EQ("c.slli 63", out[4], 0x8000000000000000);
    EXPECT_EQ("c.slli 32", out[5], 0xffffffff00000000);
    EXPECT_EQ("c.andi -32", out[6], 0xffffffffffffffe0);
    EXPECT_EQ("c.andi 15", out[7], 4);
    EXPECT_EQ("c.sub", out[8], 0xfffffffffffffffe);
    EXPECT_EQ("c.xor", out[9], 0xf0f0f0f0f0f0f0f0);
    EXPECT_EQ("c.or", out[10], 0xfff0fff0fff0fff0);
    EXPECT_EQ("c.and", out[11], 0x0f000f000f000f00);
    EXPECT_EQ("c.subw 0x80000000-1", out[12], 0x7fffffff);
    EXPECT_EQ("c.addw 0x7fffffff+1", out[13], 0xffffffff80000000);
    EXPECT_EQ("c.subw 0x100000000-1", out[14], 0xffffffffffffffff);
    EXPECT_EQ("c.add", out[15], 0x8000000000000000);
    EXPECT_EQ("c.mv t1, a2", out[16], 0x123456789abcdef0);
    EXPECT_EQ("c.sub s0", out[17], 7);
    EXPECT_EQ("c.addw upper bits ignored", out[18], 9);

    clear();
    rvc_mem(out);
    EXPECT_EQ("c.sw/c.lw sign-extends", out[0], 0xffffffff80000000);
    EXPECT_EQ("c.sd/c.ld 248(a1)", out[1], 0x1122334455667788);
    EXPECT_EQ("c.lw 124(a1)", out[2], 0x5a5a5a5a);
    EXPECT_EQ("c.sd stored little-endian", out[3], 0x55667788);
    EXPECT_EQ("c.fsd/c.fld", out[4], 0x400921fb54442d18);
    EXPECT_EQ("c.fsd memory", out[5], 0x400921fb54442d18);
    EXPECT_EQ("c.sdsp/c.ldsp 504(sp)", out[6], 0xfedcba9876543210);
    EXPECT_EQ("c.swsp/c.lwsp 252(sp) sign-extends", out[7], 0xffffffff87654321);
    EXPECT_EQ("c.swsp/c.lwsp 0(sp)", out[8], 0xffffffff87654321);
    EXPECT_EQ("c.fsdsp/c.fldsp 496(sp)", out[9], 0xc000000000000000);
    EXPECT_EQ("c.fsdsp memory", out[10], 0xc000000000000000);
    EXPECT_EQ("c.ldsp reload", out[11], 0xfedcba9876543210);

    clear();
    rvc_ctl(out);
    EXPECT_EQ("c.j forward/backward", out[0], 11);
    EXPECT_EQ("c.beqz/c.bnez taken/not taken", out[1], 7);
    EXPECT_EQ("c.bnez backward loop", out[2], 3);
    EXPECT_EQ("c.jr", out[3], 1);
    EXPECT_EQ("c.jalr link = pc+2", out[4], 2);
    EXPECT_EQ("c.jalr call, c.jr ra return", out[5], 0x55);

    trap_arm();
    uint64_t r = rvc_ebreak();
    CHECK("c.ebreak traps", trap_disarm());
    EXPECT_EQ("c.ebreak mcause", g_trap.cause, CAUSE_BREAKPOINT);
    EXPECT_EQ("c.ebreak mepc", g_trap.epc, r - 1);
    EXPECT_EQ("c.ebreak is 2 bytes", g_trap.insn_len, 2);
    /* the spec allows 0 or the pc; QEMU writes 0 */
    EXPECT_EQ("c.ebreak mtval (0 as in QEMU)", g_trap.tval, 0);

    return test_summary("rvc");
}
