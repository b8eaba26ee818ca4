/*
 * rv64m: MUL/MULH/MULHSU/MULHU/DIV/DIVU/REM/REMU and the W forms, including
 * division by zero and signed overflow (results per the M-extension table;
 * no traps).
 */
#include "guest.h"
#include "asm_helpers.h"

#define T(op, a, b, want) EXPECT_EQ(op " " #a ", " #b, ROP(op, a, b), want)

#define MIN64 0x8000000000000000
#define MAX64 0x7fffffffffffffff

static void test_mul(void)
{
    T("mul", 3, 7, 21);
    T("mul", -3, 7, 0xffffffffffffffeb);
    T("mul", -3, -7, 21);
    T("mul", 0x100000000, 0x100000000, 0);
    T("mul", MIN64, -1, MIN64);
    T("mul", 0x123456789abcdef0, 0x0fedcba987654321, 0x2236d88fe5618cf0);
    T("mulh", -1, -1, 0);
    T("mulh", MIN64, MIN64, 0x4000000000000000);
    T("mulh", -1, 1, 0xffffffffffffffff);
    T("mulh", MAX64, MAX64, 0x3fffffffffffffff);
    T("mulh", MIN64, MAX64, 0xc000000000000000);
    T("mulh", 0x123456789abcdef0, 0x0fedcba987654321, 0x0121fa00ad77d742);
    T("mulh", -0x123456789abcdef0, -0x0fedcba987654321, 0x0121fa00ad77d742);
    T("mulhu", -1, -1, 0xfffffffffffffffe);
    T("mulhu", 0x100000000, 0x100000000, 1);
    T("mulhu", -1, 1, 0);
    T("mulhu", MIN64, 2, 1);
    T("mulhu", 0x123456789abcdef0, 0x0fedcba987654321, 0x0121fa00ad77d742);
    T("mulhsu", -1, -1, 0xffffffffffffffff);
    T("mulhsu", 1, -1, 0);
    T("mulhsu", MIN64, -1, MIN64);
    T("mulhsu", -0x123456789abcdef0, 0xfedcba9876543210, 0xede05ff528828bdd);
    T("mulhsu", 0x7fffffffffffffff, MIN64, 0x3fffffffffffffff);
    T("mulw", 0x7fffffff, 2, 0xfffffffffffffffe);
    T("mulw", 0x100000003, 0x100000005, 15);
    T("mulw", 0x10000, 0x10000, 0);
    T("mulw", -3, 7, 0xffffffffffffffeb);
    T("mulw", 0x8000, 0x10000, 0xffffffff80000000);
}

static void test_div(void)
{
    T("div", 20, 6, 3);
    T("div", -20, 6, -3);
    T("div", 20, -6, -3);
    T("div", -20, -6, 3);
    T("div", 1234, 0, 0xffffffffffffffff);
    T("div", MIN64, 0, 0xffffffffffffffff);
    T("div", MIN64, -1, MIN64);
    T("div", MIN64, 1, MIN64);
    T("divu", 20, 6, 3);
    T("divu", -20, 6, 0x2aaaaaaaaaaaaaa7);
    T("divu", 1234, 0, 0xffffffffffffffff);
    T("divu", MIN64, -1, 0);
    T("divu", -1, -1, 1);
    T("rem", 20, 6, 2);
    T("rem", -20, 6, -2);
    T("rem", 20, -6, 2);
    T("rem", -20, -6, -2);
    T("rem", 1234, 0, 1234);
    T("rem", -1234, 0, -1234);
    T("rem", MIN64, -1, 0);
    T("remu", 20, 6, 2);
    T("remu", -20, 6, 2);
    T("remu", -20, 0, -20);
    T("remu", MIN64, -1, MIN64);
}

static void test_div_w(void)
{
    T("divw", -20, 6, -3);
    T("divw", 0x100000014, 6, 3);                /* upper bits of rs1 ignored */
    T("divw", 20, 0x1fffffffa, -3);              /* rs2 low word is -6 */
    T("divw", 1234, 0, 0xffffffffffffffff);
    T("divw", 1234, 0x100000000, 0xffffffffffffffff); /* low word of rs2 is 0 */
    T("divw", 0x80000000, -1, 0xffffffff80000000);
    T("divw", 0x80000000, 1, 0xffffffff80000000);
    T("divuw", 0xffffffff, 1, 0xffffffffffffffff); /* result sign-extended */
    T("divuw", 0x80000000, 2, 0x40000000);
    T("divuw", 1234, 0, 0xffffffffffffffff);
    T("divuw", -20, 6, 0x2aaaaaa7);
    T("divuw", 0x80000000, 0xffffffff, 0);
    T("remw", -20, 6, -2);
    T("remw", 20, -6, 2);
    T("remw", 0x180000001, 0, 0xffffffff80000001);
    T("remw", 0x7fffffff, 0, 0x7fffffff);
    T("remw", 0x80000000, -1, 0);
    T("remw", 0xffffffff80000000, 0xffffffff, 0);
    T("remuw", -20, 6, 2);
    T("remuw", 0x80000001, 0, 0xffffffff80000001);
    T("remuw", 0x100000007, 0x100000003, 1);
    T("remuw", 0xfffffffe, 0xffffffff, 0xfffffffffffffffe);
}

static void test_rd_rs(void)
{
    uint64_t r;
    /* rd overlapping a source */
    __asm__ __volatile__(NORVC("li %0, 12\n\tmul %0, %0, %0") : "=&r"(r));
    EXPECT_EQ("mul rd==rs1==rs2", r, 144);
    __asm__ __volatile__(NORVC("li %0, 100\n\tli t0, 7\n\tremu %0, %0, t0") : "=&r"(r) :: "t0");
    EXPECT_EQ("remu rd==rs1", r, 2);
    __asm__ __volatile__(NORVC("li t0, 9\n\tmul x0, t0, t0\n\tmv %0, x0") : "=r"(r) :: "t0");
    EXPECT_EQ("mul x0 ignored", r, 0);
}

int main(void)
{
    test_mul();
    test_div();
    test_div_w();
    test_rd_rs();
    return test_summary("rv64m");
}
