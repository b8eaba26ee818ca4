// "M" extension: multiply and divide. Expected values come from the
// unprivileged spec ("M" chapter), in particular the table "Semantics for
// division by zero and division overflow":
//   DIV  x/0 = -1,        REM  x/0 = x,  DIVU x/0 = 2^XLEN - 1, REMU x/0 = x
//   DIV  -2^(L-1)/-1 = -2^(L-1),  REM  -2^(L-1)/-1 = 0
// and the W forms compute on 32 bits and sign-extend the 32-bit result
// (so DIVUW/REMUW results are sign-extended as well).
#include <gtest/gtest.h>

#include <cstdint>

#include "rv_test.hpp"

namespace orrery::riscv::test {
namespace {

using namespace enc;

class Rv64mTest : public RvTest {
 protected:
  // rd = op(rs1 = a, rs2 = b)
  u64 calc(u32 (*op)(u32, u32, u32), u64 a, u64 b) {
    set_x(a1, a);
    set_x(a2, b);
    set_x(a0, 0x5555'5555'5555'5555ull);
    run(op(a0, a1, a2));
    return x(a0);
  }
};

constexpr u64 kMin64 = 1ull << 63;
constexpr u64 kMax64 = kMin64 - 1;
constexpr u64 kAll = ~0ull;
constexpr u64 neg(u64 v) { return 0 - v; }

TEST_F(Rv64mTest, Mul) {
  EXPECT_EQ(calc(mul, 6, 7), 42u);
  EXPECT_EQ(calc(mul, kAll, kAll), 1u);
  EXPECT_EQ(calc(mul, 1ull << 32, 1ull << 32), 0u);  // only the low 64 bits
  EXPECT_EQ(calc(mul, neg(3), 5), neg(15));
  EXPECT_EQ(calc(mul, 0x1234'5678'9abc'def0ull, 0x0fed'cba9'8765'4321ull), 0x2236'd88f'e561'8cf0ull);
}

TEST_F(Rv64mTest, MulhSignedBySigned) {
  EXPECT_EQ(calc(mulh, kAll, kAll), 0u);                   // (-1)(-1) = 1
  EXPECT_EQ(calc(mulh, neg(2), 3), kAll);                  // -6 -> high word all ones
  EXPECT_EQ(calc(mulh, kMin64, kMin64), 0x4000'0000'0000'0000ull);  // 2^126
  EXPECT_EQ(calc(mulh, kMin64, kAll), 0u);                 // 2^63
  EXPECT_EQ(calc(mulh, kMax64, kMax64), 0x3FFF'FFFF'FFFF'FFFFull);
  EXPECT_EQ(calc(mulh, 1ull << 32, 1ull << 32), 1u);
}

TEST_F(Rv64mTest, MulhuUnsignedByUnsigned) {
  EXPECT_EQ(calc(mulhu, kAll, kAll), 0xFFFF'FFFF'FFFF'FFFEull);
  EXPECT_EQ(calc(mulhu, kMin64, 2), 1u);
  EXPECT_EQ(calc(mulhu, kAll, 1), 0u);
  EXPECT_EQ(calc(mulhu, 1ull << 32, 1ull << 32), 1u);
}

TEST_F(Rv64mTest, MulhsuSignedByUnsigned) {
  // rs1 signed, rs2 unsigned.
  EXPECT_EQ(calc(mulhsu, kAll, kAll), kAll);    // -1 * (2^64-1) = -2^64 + 1
  EXPECT_EQ(calc(mulhsu, 2, kAll), 1u);         // 2 * (2^64-1)
  EXPECT_EQ(calc(mulhsu, kMin64, kAll), kMin64);  // floor((-2^127 + 2^63) / 2^64) = -2^63
  EXPECT_EQ(calc(mulhsu, neg(1), 1), kAll);     // -1 * 1: high word of -1
  EXPECT_EQ(calc(mulhsu, kAll, 0), 0u);
}

TEST_F(Rv64mTest, Mulw) {
  EXPECT_EQ(calc(mulw, 0x7FFF'FFFF, 2), 0xFFFF'FFFF'FFFF'FFFEull);  // 0xFFFFFFFE sign-extended
  EXPECT_EQ(calc(mulw, 0x1'0000'0003ull, 0x1'0000'0005ull), 15u);  // upper bits ignored
  EXPECT_EQ(calc(mulw, 0x10000, 0x8000), 0xFFFF'FFFF'8000'0000ull);
  EXPECT_EQ(calc(mulw, 0x10000, 0x10000), 0u);
}

TEST_F(Rv64mTest, DivAndRem) {
  EXPECT_EQ(calc(div, neg(7), 2), neg(3));  // rounds toward zero
  EXPECT_EQ(calc(rem, neg(7), 2), neg(1));  // sign of the dividend
  EXPECT_EQ(calc(div, 7, neg(2)), neg(3));
  EXPECT_EQ(calc(rem, 7, neg(2)), 1u);
  EXPECT_EQ(calc(div, 100, 7), 14u);
  EXPECT_EQ(calc(rem, 100, 7), 2u);
  // Division by zero.
  EXPECT_EQ(calc(div, 12345, 0), kAll);
  EXPECT_EQ(calc(div, neg(12345), 0), kAll);
  EXPECT_EQ(calc(rem, 12345, 0), 12345u);
  EXPECT_EQ(calc(rem, neg(12345), 0), neg(12345));
  // Overflow.
  EXPECT_EQ(calc(div, kMin64, kAll), kMin64);
  EXPECT_EQ(calc(rem, kMin64, kAll), 0u);
  // Not an overflow: other operands near the limits.
  EXPECT_EQ(calc(div, kMin64, 1), kMin64);
  EXPECT_EQ(calc(div, kMin64 + 1, kAll), kMax64);
}

TEST_F(Rv64mTest, DivuAndRemu) {
  EXPECT_EQ(calc(divu, kAll, 2), kMax64);
  EXPECT_EQ(calc(remu, kAll, 2), 1u);
  EXPECT_EQ(calc(divu, neg(7), 2), 0x7FFF'FFFF'FFFF'FFFCull);
  EXPECT_EQ(calc(divu, 5, kAll), 0u);
  EXPECT_EQ(calc(remu, 5, kAll), 5u);
  // Division by zero.
  EXPECT_EQ(calc(divu, 12345, 0), kAll);
  EXPECT_EQ(calc(divu, 0, 0), kAll);
  EXPECT_EQ(calc(remu, 12345, 0), 12345u);
  EXPECT_EQ(calc(remu, kAll, 0), kAll);
  // No overflow case for unsigned.
  EXPECT_EQ(calc(divu, kMin64, kAll), 0u);
  EXPECT_EQ(calc(remu, kMin64, kAll), kMin64);
}

TEST_F(Rv64mTest, DivwAndRemw) {
  // Operands are the low 32 bits; results sign-extended.
  EXPECT_EQ(calc(divw, 0xAAAA'AAAA'0000'0007ull, 0x5555'5555'FFFF'FFFEull), neg(3));  // 7 / -2
  EXPECT_EQ(calc(remw, 0xAAAA'AAAA'0000'0007ull, 0x5555'5555'FFFF'FFFEull), 1u);
  EXPECT_EQ(calc(divw, 0xFFFF'FFF9u, 2), neg(3));  // -7 / 2
  EXPECT_EQ(calc(remw, 0xFFFF'FFF9u, 2), neg(1));
  // Division by zero.
  EXPECT_EQ(calc(divw, 0x1234'5678'8765'4321ull, 0xFFFF'FFFF'0000'0000ull), kAll);
  EXPECT_EQ(calc(remw, 0x1234'5678'8765'4321ull, 0xFFFF'FFFF'0000'0000ull), 0xFFFF'FFFF'8765'4321ull);
  EXPECT_EQ(calc(remw, 0x1234'5678'0765'4321ull, 0), 0x0765'4321u);
  // Overflow: -2^31 / -1.
  EXPECT_EQ(calc(divw, 0x8000'0000u, kAll), 0xFFFF'FFFF'8000'0000ull);
  EXPECT_EQ(calc(remw, 0x8000'0000u, kAll), 0u);
  EXPECT_EQ(calc(divw, 0xFFFF'FFFF'8000'0000ull, 0x0000'0000'FFFF'FFFFull), 0xFFFF'FFFF'8000'0000ull);
}

TEST_F(Rv64mTest, DivuwAndRemuw) {
  EXPECT_EQ(calc(divuw, 0x8000'0000u, 1), 0xFFFF'FFFF'8000'0000ull);  // 32-bit result sign-extended
  EXPECT_EQ(calc(divuw, 0xFFFF'FFFF'FFFF'FFFEull, 2), 0x7FFF'FFFFu);
  EXPECT_EQ(calc(remuw, 0xFFFF'FFFFu, 0x1'0000'0010ull), 0xFu);  // 0xFFFFFFFF % 16
  EXPECT_EQ(calc(remuw, 0x8000'0005u, 0x8000'0000u), 5u);
  // Division by zero: DIVUW gives 2^32-1 (sign-extended: all ones), REMUW the
  // dividend's low word sign-extended.
  EXPECT_EQ(calc(divuw, 0x1234'5678'8765'4321ull, 0xABCD'0000'0000'0000ull), kAll);
  EXPECT_EQ(calc(divuw, 0, 0), kAll);
  EXPECT_EQ(calc(remuw, 0x1234'5678'8765'4321ull, 0), 0xFFFF'FFFF'8765'4321ull);
  EXPECT_EQ(calc(remuw, 0x1234'5678'0765'4321ull, 0), 0x0765'4321u);
}

TEST_F(Rv64mTest, RegistersMayAlias) {
  set_x(a1, 9);
  run(mul(a1, a1, a1));
  EXPECT_EQ(x(a1), 81u);
  run(div(a1, a1, a1));
  EXPECT_EQ(x(a1), 1u);
  set_x(a1, 0);
  run(divu(a1, a1, a1));  // 0 / 0
  EXPECT_EQ(x(a1), kAll);
  run(rem(zero, a1, a1));
  EXPECT_EQ(x(zero), 0u);
}

}  // namespace
}  // namespace orrery::riscv::test
