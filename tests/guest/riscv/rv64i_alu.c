/*
 * rv64i_alu: every RV64I OP / OP-IMM / OP-32 / OP-IMM-32 instruction, LUI and
 * AUIPC, executed as exactly that (uncompressed) instruction.
 */
#include "guest.h"
#include "asm_helpers.h"

#define T_R(op, a, b, want)   EXPECT_EQ(op " " #a ", " #b, ROP(op, a, b), want)
#define T_I(op, a, imm, want) EXPECT_EQ(op " " #a ", " #imm, IOP(op, a, imm), want)

static void test_op(void)
{
    T_R("add", 1, 2, 3);
    T_R("add", 0x7fffffffffffffff, 1, 0x8000000000000000);
    T_R("add", -1, 1, 0);
    T_R("add", 0xffffffff, 1, 0x100000000);
    T_R("sub", 3, 5, 0xfffffffffffffffe);
    T_R("sub", 0x8000000000000000, 1, 0x7fffffffffffffff);
    T_R("sub", 0, 0x8000000000000000, 0x8000000000000000);
    T_R("sll", 1, 0, 1);
    T_R("sll", 1, 31, 0x80000000);
    T_R("sll", 1, 32, 0x100000000);
    T_R("sll", 1, 63, 0x8000000000000000);
    T_R("sll", 1, 64, 1);   /* only rs2[5:0] is used */
    T_R("sll", 0x0123456789abcdef, 4, 0x123456789abcdef0);
    T_R("slt", -1, 1, 1);
    T_R("slt", 1, -1, 0);
    T_R("slt", 5, 5, 0);
    T_R("slt", 0x8000000000000000, 0x7fffffffffffffff, 1);
    T_R("sltu", -1, 1, 0);
    T_R("sltu", 1, -1, 1);
    T_R("sltu", 5, 5, 0);
    T_R("sltu", 0, 1, 1);
    T_R("xor", 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0);
    T_R("srl", 0x8000000000000000, 0, 0x8000000000000000);
    T_R("srl", 0x8000000000000000, 31, 0x100000000);
    T_R("srl", 0x8000000000000000, 32, 0x80000000);
    T_R("srl", 0x8000000000000000, 63, 1);
    T_R("srl", -1, 64, 0xffffffffffffffff);
    T_R("sra", 0x8000000000000000, 0, 0x8000000000000000);
    T_R("sra", 0x8000000000000000, 31, 0xffffffff00000000);
    T_R("sra", 0x8000000000000000, 32, 0xffffffff80000000);
    T_R("sra", 0x8000000000000000, 63, 0xffffffffffffffff);
    T_R("sra", 0x4000000000000000, 62, 1);
    T_R("sra", 0x8000000000000000, 65, 0xc000000000000000);
    T_R("or", 0xf0f0f0f0f0f0f0f0, 0x0f0f0f0f0f0f0f0f, 0xffffffffffffffff);
    T_R("or", 0x1234, 0x8000000000000000, 0x8000000000001234);
    T_R("and", 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0x0f000f000f000f00);
    T_R("and", -1, 0, 0);
}

static void test_op_imm(void)
{
    T_I("addi", 1, -1, 0);
    T_I("addi", 0, 2047, 0x7ff);
    T_I("addi", 0, -2048, 0xfffffffffffff800);
    T_I("addi", 0x7fffffffffffffff, 1, 0x8000000000000000);
    T_I("slti", -5, -4, 1);
    T_I("slti", 0, -1, 0);
    T_I("slti", 0x8000000000000000, 0, 1);
    T_I("slti", 2047, 2047, 0);
    T_I("sltiu", 1, -1, 1);  /* immediate is sign-extended, then unsigned */
    T_I("sltiu", -1, -1, 0);
    T_I("sltiu", 0, 1, 1);
    T_I("sltiu", 5, 1, 0);
    T_I("xori", 0x00ff00ff, -1, 0xffffffffff00ff00);
    T_I("xori", 0x123, 0x7ff, 0x6dc);
    T_I("ori", 0, -2048, 0xfffffffffffff800);
    T_I("ori", 0x8000000000000000, 1, 0x8000000000000001);
    T_I("andi", -1, 0x7ff, 0x7ff);
    T_I("andi", 0x123456789abcdeff, -256, 0x123456789abcde00);
    T_I("slli", 1, 0, 1);
    T_I("slli", 1, 31, 0x80000000);
    T_I("slli", 1, 32, 0x100000000);
    T_I("slli", 1, 63, 0x8000000000000000);
    T_I("slli", 0xffffffff, 32, 0xffffffff00000000);
    T_I("srli", 0x8000000000000000, 0, 0x8000000000000000);
    T_I("srli", 0x8000000000000000, 31, 0x100000000);
    T_I("srli", 0x8000000000000000, 32, 0x80000000);
    T_I("srli", 0x8000000000000000, 63, 1);
    T_I("srli", -1, 32, 0xffffffff);
    T_I("srai", 0x8000000000000000, 0, 0x8000000000000000);
    T_I("srai", 0x8000000000000000, 31, 0xffffffff00000000);
    T_I("srai", 0x8000000000000000, 32, 0xffffffff80000000);
    T_I("srai", 0x8000000000000000, 63, 0xffffffffffffffff);
    T_I("srai", 0x7fffffffffffffff, 63, 0);
    T_I("srai", 0x7fffffffffffffff, 32, 0x7fffffff);
}

static void test_op_32(void)
{
    T_R("addw", 0x7fffffff, 1, 0xffffffff80000000);
    T_R("addw", 0xffffffff, 1, 0);
    T_R("addw", 0x100000001, 0x100000001, 2);
    T_R("addw", 0x80000000, 0x80000000, 0);
    T_R("subw", 0, 1, 0xffffffffffffffff);
    T_R("subw", 0x80000000, 1, 0x7fffffff);
    T_R("subw", 0x100000000, 0x80000000, 0xffffffff80000000);
    T_R("sllw", 1, 0, 1);
    T_R("sllw", 1, 31, 0xffffffff80000000);
    T_R("sllw", 1, 32, 1);  /* only rs2[4:0] is used */
    T_R("sllw", 0xffffffff00000001, 1, 2);
    T_R("sllw", 0x7fffffff, 4, 0xfffffffffffffff0);
    T_R("srlw", 0x80000000, 0, 0xffffffff80000000);
    T_R("srlw", 0x80000000, 31, 1);
    T_R("srlw", 0x80000000, 32, 0xffffffff80000000);
    T_R("srlw", 0xffffffff00000010, 4, 1);
    T_R("srlw", 0xffffffff, 1, 0x7fffffff);
    T_R("sraw", 0x80000000, 0, 0xffffffff80000000);
    T_R("sraw", 0x80000000, 31, 0xffffffffffffffff);
    T_R("sraw", 0x80000000, 32, 0xffffffff80000000);
    T_R("sraw", 0x7fffffff, 31, 0);
    T_R("sraw", 0x80000000, 4, 0xfffffffff8000000);
    T_R("sraw", 0x17fffffff, 1, 0x3fffffff);
}

static void test_op_imm_32(void)
{
    T_I("addiw", 0x7fffffff, 1, 0xffffffff80000000);
    T_I("addiw", 0xffffffff, 0, 0xffffffffffffffff);
    T_I("addiw", 0x123456789, 0, 0x23456789);
    T_I("addiw", 0, -2048, 0xfffffffffffff800);
    T_I("addiw", 0x80000000, -1, 0x7fffffff);
    T_I("slliw", 1, 0, 1);
    T_I("slliw", 1, 31, 0xffffffff80000000);
    T_I("slliw", 0x12345678, 4, 0x23456780);
    T_I("slliw", 0xf, 28, 0xfffffffff0000000);
    T_I("srliw", 0x80000000, 0, 0xffffffff80000000);
    T_I("srliw", 0x80000000, 31, 1);
    T_I("srliw", 0xffffffff, 4, 0x0fffffff);
    T_I("srliw", 0xabcdef0012345678, 16, 0x1234);
    T_I("sraiw", 0x80000000, 0, 0xffffffff80000000);
    T_I("sraiw", 0x80000000, 31, 0xffffffffffffffff);
    T_I("sraiw", 0x80000000, 4, 0xfffffffff8000000);
    T_I("sraiw", 0x7fffffff, 31, 0);
    T_I("sraiw", 0xffffffff7fffffff, 16, 0x7fff);
}

#define T_LUI(imm, want) ({ uint64_t _r; \
    __asm__ __volatile__(NORVC("lui %0, " #imm) : "=r"(_r)); \
    EXPECT_EQ("lui " #imm, _r, want); })

#define T_AUIPC(imm, off) ({ uint64_t _r, _pc; \
    __asm__ __volatile__(NORVC("1: auipc %0, " #imm "\n\tlla %1, 1b") \
        : "=&r"(_r), "=&r"(_pc)); \
    EXPECT_EQ("auipc " #imm, _r - _pc, (uint64_t)(off)); })

static void test_upper(void)
{
    T_LUI(0, 0);
    T_LUI(1, 0x1000);
    T_LUI(0x12345, 0x12345000);
    T_LUI(0x7ffff, 0x7ffff000);
    T_LUI(0x80000, 0xffffffff80000000);
    T_LUI(0xfffff, 0xfffffffffffff000);
    T_AUIPC(0, 0);
    T_AUIPC(1, 0x1000);
    T_AUIPC(0x7ffff, 0x7ffff000);
    T_AUIPC(0x80000, 0xffffffff80000000);
    T_AUIPC(0xfffff, 0xfffffffffffff000);
}

static void test_x0(void)
{
    uint64_t r;
    __asm__ __volatile__(NORVC("li t0, 123\n\tadd x0, t0, t0\n\tmv %0, x0") : "=r"(r) :: "t0");
    EXPECT_EQ("add x0 ignored", r, 0);
    __asm__ __volatile__(NORVC("addi x0, x0, 77\n\tmv %0, x0") : "=r"(r));
    EXPECT_EQ("addi x0 ignored", r, 0);
    __asm__ __volatile__(NORVC("lui x0, 0x12345\n\taddi %0, x0, 0") : "=r"(r));
    EXPECT_EQ("lui x0 ignored", r, 0);
    __asm__ __volatile__(NORVC("auipc x0, 1\n\taddi %0, x0, 0") : "=r"(r));
    EXPECT_EQ("auipc x0 ignored", r, 0);
    __asm__ __volatile__(NORVC("li t0, -1\n\tsraiw x0, t0, 3\n\tor %0, x0, x0") : "=r"(r) :: "t0");
    EXPECT_EQ("sraiw x0 ignored", r, 0);
    /* x0 as a source always reads zero */
    r = ROP("sub", 0, 5);
    EXPECT_EQ("sub from zero", r, 0xfffffffffffffffb);
    __asm__ __volatile__(NORVC("li %0, 9\n\tsltu %0, x0, %0") : "=&r"(r));
    EXPECT_EQ("sltu x0 (snez)", r, 1);
}

int main(void)
{
    test_op();
    test_op_imm();
    test_op_32();
    test_op_imm_32();
    test_upper();
    test_x0();
    return test_summary("rv64i_alu");
}
