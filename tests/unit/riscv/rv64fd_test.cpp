// "F" and "D" instructions executed through the hart. Arithmetic accuracy is
// the soft-float tests' job; here every instruction gets a few value checks
// and the architectural rules around them are tested, from the unprivileged
// spec ("F", "D") and the privileged spec ("Extension Context Status"):
//   * binary32 values are NaN-boxed: narrower writes set bits 63:32 to ones,
//     and an input that is not a valid box reads as the canonical NaN, except
//     that FSW and FMV.X.W move the low 32 bits untouched;
//   * mstatus.FS = Off makes every FP instruction (and fcsr access) illegal;
//     any FP state change makes FS Dirty, and mstatus.SD reads 1 then;
//   * rm 5 and 6 are reserved, and rm = 7 (dynamic) with frm = 5..7 is
//     illegal; instructions whose rm cannot affect the result (FCVT.D.S,
//     FCVT.D.W, FCVT.D.WU) still decode rm as usual;
//   * fflags accrue (are ORed) and are never cleared by instructions.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "rv_test.hpp"

namespace orrery::riscv::test {
namespace {

using namespace enc;

// FP register numbers used below.
enum : u32 { f0 = 0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10 };

class FpTest : public RvTest {
 protected:
  void SetUp() override { enable_fp(); }
  void set_s(unsigned r, float v) { set_f(r, box(fbits(v))); }
  void set_d(unsigned r, double v) { set_f(r, dbits(v)); }
  u64 fflags() { return csr(csrn::fflags); }
  void clear_flags() { set_csr(csrn::fflags, 0); }
  u64 mstatus() { return csr(csrn::mstatus); }

  // Run a one-source/one-destination FP op and return the destination
  // register (fd for FP results, rd for integer results).
  u64 op_s(u32 insn, float a, float b = 0, float c = 0) {
    set_s(f1, a);
    set_s(f2, b);
    set_s(f3, c);
    clear_flags();
    run(insn);
    return is_int_result(insn) ? x(a0) : f(f0);
  }
  u64 op_d(u32 insn, double a, double b = 0, double c = 0) {
    set_d(f1, a);
    set_d(f2, b);
    set_d(f3, c);
    clear_flags();
    run(insn);
    return is_int_result(insn) ? x(a0) : f(f0);
  }
  u64 op_bits(u32 insn, u64 a, u64 b = 0) {
    set_f(f1, a);
    set_f(f2, b);
    clear_flags();
    run(insn);
    return is_int_result(insn) ? x(a0) : f(f0);
  }
  u64 from_int(u32 insn, u64 v) {
    set_x(a1, v);
    clear_flags();
    run(insn);
    return f(f0);
  }
  // Integer-result ops in these tests always target a0 and FP ones f0; tell
  // them apart by the opcode class (compares, classify, fcvt to int, fmv.x).
  static bool is_int_result(u32 insn) {
    const u32 funct5 = insn >> 27;
    return (insn & 0x7f) == OP_FP && (funct5 == 0b10100 || funct5 == 0b11000 || funct5 == 0b11100);
  }
};

// ===========================================================================
// Loads and stores
// ===========================================================================
TEST_F(FpTest, FlwNaNBoxes) {
  const u32 v[2] = {0x3f80'0000, 0xc020'0000};
  put_data(kData, v, sizeof v);
  set_f(f4, 0);
  set_x(a1, kData + 8);
  run(flw(f4, a1, -8));
  EXPECT_EQ(f(f4), box(0x3f80'0000));
  run(flw(f5, a1, -4));
  EXPECT_EQ(f(f5), box(0xc020'0000));
}

TEST_F(FpTest, FswStoresTheLowWordEvenIfNotBoxed) {
  const u64 guard = 0x1111'1111'1111'1111ull;
  put_data(kData, &guard, 8);
  put_data(kData + 8, &guard, 8);
  set_f(f4, 0x1234'5678'9abc'def0ull);  // not a valid box
  set_x(a1, kData);
  run(fsw(f4, a1, 4));
  EXPECT_EQ(read_data<u64>(kData), 0x9abc'def0'1111'1111ull);
  EXPECT_EQ(read_data<u64>(kData + 8), guard);
  set_f(f5, box(0x4049'0fdb));
  run(fsw(f5, a1, 8));
  EXPECT_EQ(read_data<u32>(kData + 8), 0x4049'0fdbu);
}

TEST_F(FpTest, FldFsd) {
  const u64 v = 0x4009'21fb'5444'2d18ull;  // pi
  put_data(kData + 16, &v, 8);
  set_x(a1, kData + 2064);
  run(fld(f6, a1, -2048));
  EXPECT_EQ(f(f6), v);
  set_f(f7, 0xfff0'0000'0000'0001ull);  // an sNaN: stores move bits unchanged
  run(fsd(f7, a1, -2040));
  EXPECT_EQ(read_data<u64>(kData + 24), 0xfff0'0000'0000'0001ull);
}

TEST_F(FpTest, FpLoadFaultLeavesRegisterUnchanged) {
  set_f(f4, 0x1234);
  set_x(a1, kUnmapped);
  expect_trap(flw(f4, a1, 0), kCauseLoadAccess, kUnmapped);
  expect_trap(fld(f4, a1, 8), kCauseLoadAccess, kUnmapped + 8);
  EXPECT_EQ(f(f4), 0x1234u);
  expect_trap(fsw(f4, a1, 16), kCauseStoreAccess, kUnmapped + 16);
  expect_trap(fsd(f4, a1, -8), kCauseStoreAccess, kUnmapped - 8);
}

// ===========================================================================
// Single precision
// ===========================================================================
TEST_F(FpTest, SingleArithmetic) {
  EXPECT_EQ(op_s(fadd_s(f0, f1, f2), 1.5f, 2.25f), box(fbits(3.75f)));
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(op_s(fsub_s(f0, f1, f2), 1.5f, 2.25f), box(fbits(-0.75f)));
  EXPECT_EQ(op_s(fmul_s(f0, f1, f2), 1.5f, -2.0f), box(fbits(-3.0f)));
  EXPECT_EQ(op_s(fdiv_s(f0, f1, f2), 1.0f, 3.0f, 0), box(0x3eaa'aaab));
  EXPECT_EQ(fflags(), NX);
  EXPECT_EQ(op_s(fsqrt_s(f0, f1), 2.25f), box(fbits(1.5f)));
  EXPECT_EQ(fflags(), 0u);
  // Exceptional cases: every NaN result is the canonical NaN.
  EXPECT_EQ(op_s(fdiv_s(f0, f1, f2), 1.0f, 0.0f), box(0x7f80'0000));
  EXPECT_EQ(fflags(), DZ);
  EXPECT_EQ(op_s(fsqrt_s(f0, f1), -1.0f), box(kQNaN32));
  EXPECT_EQ(fflags(), NV);
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(op_s(fadd_s(f0, f1, f2), inf, -inf), box(kQNaN32));
  EXPECT_EQ(fflags(), NV);
  EXPECT_EQ(op_s(fmul_s(f0, f1, f2), 0.0f, inf), box(kQNaN32));
  EXPECT_EQ(fflags(), NV);
  EXPECT_EQ(op_s(fsub_s(f0, f1, f2), 3.0e38f, -3.0e38f), box(0x7f80'0000));
  EXPECT_EQ(fflags(), OF | NX);
}

TEST_F(FpTest, StaticRoundingModes) {
  // 1 + 2^-24 is exactly halfway between 1 and 1 + 2^-23.
  const float half_ulp = std::ldexp(1.0f, -24);
  struct {
    u32 rm;
    u32 expect;
  } cases[] = {{RNE, 0x3f80'0000}, {RTZ, 0x3f80'0000}, {RDN, 0x3f80'0000}, {RUP, 0x3f80'0001}, {RMM, 0x3f80'0001}};
  for (const auto& c : cases) {
    EXPECT_EQ(op_s(fadd_s(f0, f1, f2, c.rm), 1.0f, half_ulp), box(c.expect)) << "rm " << c.rm;
    EXPECT_EQ(fflags(), NX);
  }
  // Negative halfway: RDN rounds away from zero, RUP toward it.
  EXPECT_EQ(op_s(fsub_s(f0, f1, f2, RDN), -1.0f, half_ulp), box(0xbf80'0001));
  EXPECT_EQ(op_s(fsub_s(f0, f1, f2, RUP), -1.0f, half_ulp), box(0xbf80'0000));
}

TEST_F(FpTest, DynamicRoundingModeComesFromFrm) {
  const float half_ulp = std::ldexp(1.0f, -24);
  set_csr(csrn::frm, RUP);
  EXPECT_EQ(op_s(fadd_s(f0, f1, f2, DYN), 1.0f, half_ulp), box(0x3f80'0001));
  set_csr(csrn::frm, RTZ);
  EXPECT_EQ(op_s(fadd_s(f0, f1, f2, DYN), 1.0f, half_ulp), box(0x3f80'0000));
  // A static rm overrides frm.
  EXPECT_EQ(op_s(fadd_s(f0, f1, f2, RMM), 1.0f, half_ulp), box(0x3f80'0001));
  set_csr(csrn::frm, RMM);
  EXPECT_EQ(op_s(fcvt_w_s(a0, f1, DYN), 2.5f), 3u);
  set_csr(csrn::frm, RNE);
  EXPECT_EQ(op_s(fcvt_w_s(a0, f1, DYN), 2.5f), 2u);
}

TEST_F(FpTest, SingleFusedMultiplyAdd) {
  EXPECT_EQ(op_s(fmadd_s(f0, f1, f2, f3), 2.0f, 3.0f, 1.0f), box(fbits(7.0f)));
  EXPECT_EQ(op_s(fmsub_s(f0, f1, f2, f3), 2.0f, 3.0f, 1.0f), box(fbits(5.0f)));
  EXPECT_EQ(op_s(fnmsub_s(f0, f1, f2, f3), 2.0f, 3.0f, 1.0f), box(fbits(-5.0f)));
  EXPECT_EQ(op_s(fnmadd_s(f0, f1, f2, f3), 2.0f, 3.0f, 1.0f), box(fbits(-7.0f)));
  EXPECT_EQ(fflags(), 0u);
  // One rounding: (1 + 2^-23)^2 - (1 + 2^-22) = 2^-46 exactly.
  const float a = 1.0f + std::ldexp(1.0f, -23);
  const float c = -(1.0f + std::ldexp(1.0f, -22));
  EXPECT_EQ(op_s(fmadd_s(f0, f1, f2, f3, RNE), a, a, c), box(0x2880'0000));
  EXPECT_EQ(fflags(), 0u);
  // inf * 0 + qNaN is invalid (the spec requires NV here).
  EXPECT_EQ(op_s(fmadd_s(f0, f1, f2, f3), std::numeric_limits<float>::infinity(), 0.0f,
                 std::numeric_limits<float>::quiet_NaN()),
            box(kQNaN32));
  EXPECT_EQ(fflags(), NV);
}

TEST_F(FpTest, SingleSignInjection) {
  EXPECT_EQ(op_s(fsgnj_s(f0, f1, f2), 1.0f, -2.0f), box(fbits(-1.0f)));
  EXPECT_EQ(op_s(fsgnj_s(f0, f1, f2), -1.0f, 2.0f), box(fbits(1.0f)));
  EXPECT_EQ(op_s(fsgnjn_s(f0, f1, f2), 1.0f, -2.0f), box(fbits(1.0f)));
  EXPECT_EQ(op_s(fsgnjn_s(f0, f1, f2), 1.0f, 2.0f), box(fbits(-1.0f)));
  EXPECT_EQ(op_s(fsgnjx_s(f0, f1, f2), -1.0f, -2.0f), box(fbits(1.0f)));
  EXPECT_EQ(op_s(fsgnjx_s(f0, f1, f2), -1.0f, 2.0f), box(fbits(-1.0f)));
  // Sign injection works on NaNs without canonicalising or signalling.
  EXPECT_EQ(op_bits(fsgnjn_s(f0, f1, f1), box(kSNaN32), box(kSNaN32)), box(kSNaN32 | 0x8000'0000));
  EXPECT_EQ(fflags(), 0u);
}

TEST_F(FpTest, ImproperlyBoxedInputsReadAsCanonicalNaN) {
  const u64 unboxed_one = 0x0000'0000'3f80'0000ull;
  const u64 one = box(0x3f80'0000), minus_one = box(0xbf80'0000);
  EXPECT_EQ(op_bits(fsgnj_s(f0, f1, f2), unboxed_one, one), box(kQNaN32));
  EXPECT_EQ(op_bits(fsgnjn_s(f0, f1, f2), unboxed_one, one), box(kQNaN32 | 0x8000'0000));
  // As rs2 the canonical NaN contributes a positive sign.
  EXPECT_EQ(op_bits(fsgnj_s(f0, f1, f2), minus_one, unboxed_one), one);
  EXPECT_EQ(op_bits(fadd_s(f0, f1, f2), unboxed_one, one), box(kQNaN32));
  EXPECT_EQ(fflags(), 0u);  // a quiet NaN input does not signal
  // A box with only some upper bits set is not a box either.
  EXPECT_EQ(op_bits(fmul_s(f0, f1, f2), 0xffff'fffe'3f80'0000ull, one), box(kQNaN32));
  EXPECT_EQ(op_bits(fclass_s(a0, f1), 0x7fff'ffff'3f80'0000ull), 1u << 9);
  EXPECT_EQ(op_bits(fcvt_d_s(f0, f1), unboxed_one), kQNaN64);
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(op_bits(feq_s(a0, f1, f2), unboxed_one, unboxed_one), 0u);
  EXPECT_EQ(op_bits(fcvt_w_s(a0, f1), unboxed_one), 0x7fff'ffffu);  // NaN converts to the maximum
  EXPECT_EQ(fflags(), NV);
}

TEST_F(FpTest, SingleMinMax) {
  EXPECT_EQ(op_s(fmin_s(f0, f1, f2), 1.0f, 2.0f), box(fbits(1.0f)));
  EXPECT_EQ(op_s(fmax_s(f0, f1, f2), 1.0f, 2.0f), box(fbits(2.0f)));
  EXPECT_EQ(op_s(fmin_s(f0, f1, f2), -0.0f, 0.0f), box(0x8000'0000));  // -0 < +0
  EXPECT_EQ(op_s(fmin_s(f0, f1, f2), 0.0f, -0.0f), box(0x8000'0000));
  EXPECT_EQ(op_s(fmax_s(f0, f1, f2), -0.0f, 0.0f), box(0x0000'0000));
  EXPECT_EQ(fflags(), 0u);
  // One NaN input: the other operand; quiet NaN raises nothing, sNaN raises NV.
  EXPECT_EQ(op_bits(fmin_s(f0, f1, f2), box(kQNaN32), box(fbits(-3.0f))), box(fbits(-3.0f)));
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(op_bits(fmax_s(f0, f1, f2), box(fbits(-3.0f)), box(kSNaN32)), box(fbits(-3.0f)));
  EXPECT_EQ(fflags(), NV);
  // Both NaN: the canonical NaN.
  EXPECT_EQ(op_bits(fmax_s(f0, f1, f2), box(0x7fc0'1234), box(0xffc0'0001)), box(kQNaN32));
}

TEST_F(FpTest, SingleCompares) {
  EXPECT_EQ(op_s(feq_s(a0, f1, f2), 1.0f, 1.0f), 1u);
  EXPECT_EQ(op_s(feq_s(a0, f1, f2), -0.0f, 0.0f), 1u);
  EXPECT_EQ(op_s(flt_s(a0, f1, f2), -0.0f, 0.0f), 0u);
  EXPECT_EQ(op_s(fle_s(a0, f1, f2), -0.0f, 0.0f), 1u);
  EXPECT_EQ(op_s(flt_s(a0, f1, f2), 1.0f, 2.0f), 1u);
  EXPECT_EQ(op_s(flt_s(a0, f1, f2), 2.0f, 1.0f), 0u);
  EXPECT_EQ(op_s(fle_s(a0, f1, f2), 2.0f, 2.0f), 1u);
  EXPECT_EQ(op_s(fle_s(a0, f1, f2), 3.0f, 2.0f), 0u);
  EXPECT_EQ(fflags(), 0u);
  // FEQ is quiet: NV only for signaling NaNs. FLT/FLE signal on any NaN.
  EXPECT_EQ(op_bits(feq_s(a0, f1, f2), box(kQNaN32), box(kQNaN32)), 0u);
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(op_bits(feq_s(a0, f1, f2), box(kSNaN32), box(fbits(1.0f))), 0u);
  EXPECT_EQ(fflags(), NV);
  EXPECT_EQ(op_bits(flt_s(a0, f1, f2), box(kQNaN32), box(fbits(1.0f))), 0u);
  EXPECT_EQ(fflags(), NV);
  EXPECT_EQ(op_bits(fle_s(a0, f1, f2), box(fbits(1.0f)), box(kQNaN32)), 0u);
  EXPECT_EQ(fflags(), NV);
}

TEST_F(FpTest, SingleClassify) {
  struct {
    u32 bits;
    u64 mask;
  } cases[] = {
      {0xff80'0000, 1u << 0},  // -inf
      {0xbf80'0000, 1u << 1},  // -normal
      {0x8000'0001, 1u << 2},  // -subnormal
      {0x8000'0000, 1u << 3},  // -0
      {0x0000'0000, 1u << 4},  // +0
      {0x007f'ffff, 1u << 5},  // +subnormal
      {0x7f7f'ffff, 1u << 6},  // +normal
      {0x7f80'0000, 1u << 7},  // +inf
      {kSNaN32, 1u << 8},      // signaling NaN
      {0xff80'0001, 1u << 8},  // signaling NaN, negative
      {kQNaN32, 1u << 9},      // quiet NaN
      {0xffc0'0000, 1u << 9},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(op_bits(fclass_s(a0, f1), box(c.bits)), c.mask) << hex(c.bits);
    EXPECT_EQ(fflags(), 0u);
  }
}

TEST_F(FpTest, SingleToInteger) {
  // fcvt.w.s: rounding per rm, 32-bit result sign-extended.
  EXPECT_EQ(op_s(fcvt_w_s(a0, f1, RTZ), -1.5f), ~0ull);
  EXPECT_EQ(fflags(), NX);
  EXPECT_EQ(op_s(fcvt_w_s(a0, f1, RNE), -1.5f), static_cast<u64>(-2));
  EXPECT_EQ(op_s(fcvt_w_s(a0, f1, RNE), 2.5f), 2u);
  EXPECT_EQ(op_s(fcvt_w_s(a0, f1, RMM), 2.5f), 3u);
  EXPECT_EQ(op_s(fcvt_w_s(a0, f1, RUP), 2.1f), 3u);
  EXPECT_EQ(op_s(fcvt_w_s(a0, f1, RDN), -2.1f), static_cast<u64>(-3));
  EXPECT_EQ(op_s(fcvt_w_s(a0, f1, RTZ), -2147483648.0f), 0xFFFF'FFFF'8000'0000ull);
  EXPECT_EQ(fflags(), 0u);
  // Out of range and NaN: saturate, NV.
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(op_s(fcvt_w_s(a0, f1, RTZ), 3.0e9f), 0x7fff'ffffu);
  EXPECT_EQ(fflags(), NV);
  EXPECT_EQ(op_s(fcvt_w_s(a0, f1, RTZ), -3.0e9f), 0xFFFF'FFFF'8000'0000ull);
  EXPECT_EQ(op_s(fcvt_w_s(a0, f1, RTZ), -inf), 0xFFFF'FFFF'8000'0000ull);
  EXPECT_EQ(op_bits(fcvt_w_s(a0, f1, RTZ), box(kQNaN32)), 0x7fff'ffffu);
  EXPECT_EQ(fflags(), NV);

  // fcvt.wu.s: the 32-bit result is sign-extended too.
  EXPECT_EQ(op_s(fcvt_wu_s(a0, f1, RTZ), 3.0e9f), 0xFFFF'FFFF'B2D0'5E00ull);
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(op_s(fcvt_wu_s(a0, f1, RTZ), 7.9f), 7u);
  EXPECT_EQ(op_s(fcvt_wu_s(a0, f1, RTZ), -1.0f), 0u);
  EXPECT_EQ(fflags(), NV);
  EXPECT_EQ(op_s(fcvt_wu_s(a0, f1, RTZ), 5.0e9f), ~0ull);  // 2^32-1, sign-extended
  EXPECT_EQ(fflags(), NV);
  EXPECT_EQ(op_bits(fcvt_wu_s(a0, f1, RTZ), box(kQNaN32)), ~0ull);

  // fcvt.l.s / fcvt.lu.s
  EXPECT_EQ(op_s(fcvt_l_s(a0, f1, RTZ), -9.22337204e18f), 0x8000'0000'0000'0000ull);  // -2^63 exactly
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(op_s(fcvt_l_s(a0, f1, RTZ), 9.22337204e18f), 0x7FFF'FFFF'FFFF'FFFFull);  // 2^63 overflows
  EXPECT_EQ(fflags(), NV);
  EXPECT_EQ(op_bits(fcvt_l_s(a0, f1, RTZ), box(kQNaN32)), 0x7FFF'FFFF'FFFF'FFFFull);
  EXPECT_EQ(op_s(fcvt_l_s(a0, f1, RNE), -1e10f), static_cast<u64>(-10'000'000'000ll));
  EXPECT_EQ(op_s(fcvt_lu_s(a0, f1, RTZ), 9.22337204e18f), 0x8000'0000'0000'0000ull);
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(op_s(fcvt_lu_s(a0, f1, RTZ), -1.0f), 0u);
  EXPECT_EQ(fflags(), NV);
  EXPECT_EQ(op_s(fcvt_lu_s(a0, f1, RTZ), inf), ~0ull);
  EXPECT_EQ(op_bits(fcvt_lu_s(a0, f1, RTZ), box(kQNaN32)), ~0ull);
  EXPECT_EQ(fflags(), NV);
}

TEST_F(FpTest, IntegerToSingle) {
  // fcvt.s.w reads rs1[31:0] as signed, fcvt.s.wu as unsigned.
  EXPECT_EQ(from_int(fcvt_s_w(f0, a1), 0x0000'0000'FFFF'FFFFull), box(fbits(-1.0f)));
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(from_int(fcvt_s_w(f0, a1, RNE), 16'777'217), box(0x4b80'0000));  // 2^24 + 1 -> 2^24
  EXPECT_EQ(fflags(), NX);
  EXPECT_EQ(from_int(fcvt_s_w(f0, a1, RUP), 16'777'217), box(0x4b80'0001));
  EXPECT_EQ(from_int(fcvt_s_wu(f0, a1, RNE), 0xAAAA'AAAA'FFFF'FFFFull), box(0x4f80'0000));  // 2^32 - 1
  EXPECT_EQ(fflags(), NX);
  EXPECT_EQ(from_int(fcvt_s_wu(f0, a1, RTZ), 0x8000'0000u), box(0x4f00'0000));
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(from_int(fcvt_s_l(f0, a1), ~0ull), box(fbits(-1.0f)));
  EXPECT_EQ(from_int(fcvt_s_l(f0, a1), 0x8000'0000'0000'0000ull), box(0xdf00'0000));  // -2^63
  EXPECT_EQ(from_int(fcvt_s_l(f0, a1), 0x1'0000'0000ull), box(0x4f80'0000));  // not truncated to 32 bits
  EXPECT_EQ(from_int(fcvt_s_lu(f0, a1, RNE), ~0ull), box(0x5f80'0000));        // 2^64 - 1 -> 2^64
  EXPECT_EQ(fflags(), NX);
  EXPECT_EQ(from_int(fcvt_s_lu(f0, a1, RTZ), ~0ull), box(0x5f7f'ffff));
  EXPECT_EQ(from_int(fcvt_s_lu(f0, a1), 0), box(0));
}

TEST_F(FpTest, SingleMoves) {
  set_f(f1, box(0x8000'0001));
  run(fmv_x_w(a0, f1));
  EXPECT_EQ(x(a0), 0xFFFF'FFFF'8000'0001ull);  // sign-extended
  set_f(f1, box(0x7fff'ffff));
  run(fmv_x_w(a0, f1));
  EXPECT_EQ(x(a0), 0x7fff'ffffu);
  // FMV.X.W moves the low 32 bits whether or not they are boxed, NaN payload
  // and all.
  set_f(f1, 0x0000'0000'ff80'0123ull);
  run(fmv_x_w(a0, f1));
  EXPECT_EQ(x(a0), 0xFFFF'FFFF'ff80'0123ull);
  // FMV.W.X boxes the low 32 bits of rs1, unchanged (even a signaling NaN).
  set_x(a1, 0x1234'5678'7f80'0001ull);
  clear_flags();
  run(fmv_w_x(f2, a1));
  EXPECT_EQ(f(f2), box(0x7f80'0001));
  EXPECT_EQ(fflags(), 0u);
}

// ===========================================================================
// Double precision
// ===========================================================================
TEST_F(FpTest, DoubleArithmetic) {
  EXPECT_EQ(op_d(fadd_d(f0, f1, f2), 1.5, 2.25), dbits(3.75));
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(op_d(fsub_d(f0, f1, f2), 1.5, 2.25), dbits(-0.75));
  EXPECT_EQ(op_d(fmul_d(f0, f1, f2), 1e200, 1e200), 0x7ff0'0000'0000'0000ull);
  EXPECT_EQ(fflags(), OF | NX);
  EXPECT_EQ(op_d(fdiv_d(f0, f1, f2, RNE), 1.0, 3.0), 0x3fd5'5555'5555'5555ull);
  EXPECT_EQ(fflags(), NX);
  EXPECT_EQ(op_d(fdiv_d(f0, f1, f2, RUP), 1.0, 3.0), 0x3fd5'5555'5555'5556ull);
  EXPECT_EQ(op_d(fdiv_d(f0, f1, f2), -1.0, 0.0), 0xfff0'0000'0000'0000ull);
  EXPECT_EQ(fflags(), DZ);
  EXPECT_EQ(op_d(fsqrt_d(f0, f1, RNE), 2.0), 0x3ff6'a09e'667f'3bcdull);
  EXPECT_EQ(fflags(), NX);
  EXPECT_EQ(op_d(fsqrt_d(f0, f1), -0.0), 0x8000'0000'0000'0000ull);  // sqrt(-0) = -0
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(op_d(fsqrt_d(f0, f1), -4.0), kQNaN64);
  EXPECT_EQ(fflags(), NV);
  // A NaN-boxed single is just a NaN to a D instruction (payload dropped).
  EXPECT_EQ(op_bits(fadd_d(f0, f1, f2), box(0x3f80'0000), dbits(1.0)), kQNaN64);
}

TEST_F(FpTest, DoubleFusedMultiplyAdd) {
  EXPECT_EQ(op_d(fmadd_d(f0, f1, f2, f3), 2.0, 3.0, 1.0), dbits(7.0));
  EXPECT_EQ(op_d(fmsub_d(f0, f1, f2, f3), 2.0, 3.0, 1.0), dbits(5.0));
  EXPECT_EQ(op_d(fnmsub_d(f0, f1, f2, f3), 2.0, 3.0, 1.0), dbits(-5.0));
  EXPECT_EQ(op_d(fnmadd_d(f0, f1, f2, f3), 2.0, 3.0, 1.0), dbits(-7.0));
  EXPECT_EQ(fflags(), 0u);
  const double a = 1.0 + std::ldexp(1.0, -52);
  const double c = -(1.0 + std::ldexp(1.0, -51));
  EXPECT_EQ(op_d(fmadd_d(f0, f1, f2, f3, RNE), a, a, c), dbits(std::ldexp(1.0, -104)));
  EXPECT_EQ(fflags(), 0u);
  // fnmadd of +0 terms: -(0*1) - 0 = -0.
  EXPECT_EQ(op_d(fnmadd_d(f0, f1, f2, f3, RNE), 0.0, 1.0, 0.0), 0x8000'0000'0000'0000ull);
}

TEST_F(FpTest, DoubleSignInjection) {
  EXPECT_EQ(op_d(fsgnj_d(f0, f1, f2), 1.0, -2.0), dbits(-1.0));
  EXPECT_EQ(op_d(fsgnjn_d(f0, f1, f2), 1.0, -2.0), dbits(1.0));
  EXPECT_EQ(op_d(fsgnjn_d(f0, f1, f2), -1.0, -2.0), dbits(1.0));
  EXPECT_EQ(op_d(fsgnjx_d(f0, f1, f2), -1.0, -2.0), dbits(1.0));
  EXPECT_EQ(op_d(fsgnjx_d(f0, f1, f2), 1.0, -2.0), dbits(-1.0));
  EXPECT_EQ(op_bits(fsgnjx_d(f0, f1, f2), kSNaN64, dbits(-1.0)), kSNaN64 | (1ull << 63));
  EXPECT_EQ(fflags(), 0u);
}

TEST_F(FpTest, DoubleMinMax) {
  EXPECT_EQ(op_d(fmin_d(f0, f1, f2), -1.0, 2.0), dbits(-1.0));
  EXPECT_EQ(op_d(fmax_d(f0, f1, f2), -1.0, 2.0), dbits(2.0));
  EXPECT_EQ(op_d(fmin_d(f0, f1, f2), 0.0, -0.0), dbits(-0.0));
  EXPECT_EQ(op_d(fmax_d(f0, f1, f2), -0.0, 0.0), dbits(0.0));
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(op_bits(fmin_d(f0, f1, f2), kSNaN64, dbits(5.0)), dbits(5.0));
  EXPECT_EQ(fflags(), NV);
  EXPECT_EQ(op_bits(fmax_d(f0, f1, f2), kQNaN64 | 5, kQNaN64 | 7), kQNaN64);
  EXPECT_EQ(fflags(), 0u);
}

TEST_F(FpTest, DoubleCompares) {
  EXPECT_EQ(op_d(feq_d(a0, f1, f2), 2.0, 2.0), 1u);
  EXPECT_EQ(op_d(feq_d(a0, f1, f2), 2.0, 3.0), 0u);
  EXPECT_EQ(op_d(flt_d(a0, f1, f2), -3.0, 2.0), 1u);
  EXPECT_EQ(op_d(flt_d(a0, f1, f2), 2.0, 2.0), 0u);
  EXPECT_EQ(op_d(fle_d(a0, f1, f2), 2.0, 2.0), 1u);
  EXPECT_EQ(op_d(fle_d(a0, f1, f2), 2.5, 2.0), 0u);
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(op_bits(feq_d(a0, f1, f2), kQNaN64, kQNaN64), 0u);
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(op_bits(feq_d(a0, f1, f2), dbits(1.0), kSNaN64), 0u);
  EXPECT_EQ(fflags(), NV);
  EXPECT_EQ(op_bits(fle_d(a0, f1, f2), kQNaN64, kQNaN64), 0u);
  EXPECT_EQ(fflags(), NV);
  EXPECT_EQ(op_bits(flt_d(a0, f1, f2), dbits(1.0), kQNaN64), 0u);
  EXPECT_EQ(fflags(), NV);
}

TEST_F(FpTest, DoubleClassify) {
  struct {
    u64 bits;
    u64 mask;
  } cases[] = {
      {0xfff0'0000'0000'0000ull, 1u << 0}, {0xbff0'0000'0000'0000ull, 1u << 1},
      {0x800f'ffff'ffff'ffffull, 1u << 2}, {0x8000'0000'0000'0000ull, 1u << 3},
      {0x0000'0000'0000'0000ull, 1u << 4}, {0x0000'0000'0000'0001ull, 1u << 5},
      {0x0010'0000'0000'0000ull, 1u << 6}, {0x7ff0'0000'0000'0000ull, 1u << 7},
      {kSNaN64, 1u << 8},                  {kQNaN64, 1u << 9},
      {0xffff'ffff'3f80'0000ull, 1u << 9},  // a boxed single is a quiet NaN to D
  };
  for (const auto& c : cases) EXPECT_EQ(op_bits(fclass_d(a0, f1), c.bits), c.mask) << hex(c.bits);
}

TEST_F(FpTest, DoubleToInteger) {
  EXPECT_EQ(op_d(fcvt_w_d(a0, f1, RNE), -2.5), static_cast<u64>(-2));
  EXPECT_EQ(fflags(), NX);
  EXPECT_EQ(op_d(fcvt_w_d(a0, f1, RTZ), 2147483647.9), 0x7fff'ffffu);
  EXPECT_EQ(op_d(fcvt_w_d(a0, f1, RTZ), 2147483648.0), 0x7fff'ffffu);
  EXPECT_EQ(fflags(), NV);
  EXPECT_EQ(op_d(fcvt_w_d(a0, f1, RTZ), -2147483648.9), 0xFFFF'FFFF'8000'0000ull);
  EXPECT_EQ(fflags(), NX);
  EXPECT_EQ(op_d(fcvt_wu_d(a0, f1, RTZ), 4294967295.0), ~0ull);  // 0xFFFFFFFF sign-extended
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(op_d(fcvt_wu_d(a0, f1, RTZ), 4294967296.0), ~0ull);
  EXPECT_EQ(fflags(), NV);
  EXPECT_EQ(op_d(fcvt_wu_d(a0, f1, RTZ), 2147483648.0), 0xFFFF'FFFF'8000'0000ull);
  EXPECT_EQ(op_d(fcvt_wu_d(a0, f1, RUP), 0.25), 1u);
  EXPECT_EQ(op_d(fcvt_l_d(a0, f1, RTZ), -1.0e19), 0x8000'0000'0000'0000ull);
  EXPECT_EQ(fflags(), NV);
  EXPECT_EQ(op_d(fcvt_l_d(a0, f1, RNE), -12345.5), static_cast<u64>(-12346));
  EXPECT_EQ(op_bits(fcvt_l_d(a0, f1), kQNaN64 | (1ull << 63)), 0x7FFF'FFFF'FFFF'FFFFull);  // any NaN -> max
  EXPECT_EQ(op_d(fcvt_lu_d(a0, f1, RTZ), 9223372036854775808.0), 0x8000'0000'0000'0000ull);
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(op_d(fcvt_lu_d(a0, f1, RTZ), 18446744073709551616.0), ~0ull);
  EXPECT_EQ(fflags(), NV);
  EXPECT_EQ(op_d(fcvt_lu_d(a0, f1, RTZ), -0.5), 0u);
  EXPECT_EQ(fflags(), NX);
}

TEST_F(FpTest, IntegerToDouble) {
  EXPECT_EQ(from_int(fcvt_d_w(f0, a1), 0xFFFF'FFFF'8000'0000ull), dbits(-2147483648.0));
  EXPECT_EQ(from_int(fcvt_d_w(f0, a1), 0x1234'5678'0000'0007ull), dbits(7.0));  // rs1[31:0] only
  EXPECT_EQ(from_int(fcvt_d_wu(f0, a1), 0xFFFF'FFFF'FFFF'FFFFull), dbits(4294967295.0));
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(from_int(fcvt_d_l(f0, a1), ~0ull), dbits(-1.0));
  EXPECT_EQ(from_int(fcvt_d_l(f0, a1, RNE), (1ull << 53) + 1), dbits(9007199254740992.0));
  EXPECT_EQ(fflags(), NX);
  EXPECT_EQ(from_int(fcvt_d_lu(f0, a1, RNE), ~0ull), 0x43f0'0000'0000'0000ull);  // 2^64
  EXPECT_EQ(fflags(), NX);
  EXPECT_EQ(from_int(fcvt_d_lu(f0, a1, RDN), ~0ull), 0x43ef'ffff'ffff'ffffull);
}

TEST_F(FpTest, DoubleMovesAndFormatConversions) {
  set_f(f1, 0x8123'4567'89ab'cdefull);
  run(fmv_x_d(a0, f1));
  EXPECT_EQ(x(a0), 0x8123'4567'89ab'cdefull);
  set_x(a1, 0x7ff0'0000'0000'0001ull);
  run(fmv_d_x(f2, a1));
  EXPECT_EQ(f(f2), 0x7ff0'0000'0000'0001ull);  // no canonicalisation

  // fcvt.s.d rounds per rm and NaN-boxes.
  EXPECT_EQ(op_d(fcvt_s_d(f0, f1, RNE), 1.0 / 3.0), box(0x3eaa'aaab));
  EXPECT_EQ(fflags(), NX);
  EXPECT_EQ(op_d(fcvt_s_d(f0, f1, RTZ), 1.0 / 3.0), box(0x3eaa'aaaa));
  EXPECT_EQ(op_d(fcvt_s_d(f0, f1, RNE), 1e300), box(0x7f80'0000));
  EXPECT_EQ(fflags(), OF | NX);
  EXPECT_EQ(op_d(fcvt_s_d(f0, f1, RTZ), -1e300), box(0xff7f'ffff));
  EXPECT_EQ(op_bits(fcvt_s_d(f0, f1), kQNaN64 | 0x1234), box(kQNaN32));
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(op_bits(fcvt_s_d(f0, f1), kSNaN64), box(kQNaN32));
  EXPECT_EQ(fflags(), NV);
  // fcvt.d.s is exact.
  EXPECT_EQ(op_s(fcvt_d_s(f0, f1), 1.5f), dbits(1.5));
  EXPECT_EQ(op_s(fcvt_d_s(f0, f1), -0.0f), dbits(-0.0));
  EXPECT_EQ(fflags(), 0u);
  EXPECT_EQ(op_bits(fcvt_d_s(f0, f1), box(kSNaN32)), kQNaN64);
  EXPECT_EQ(fflags(), NV);
}

// ===========================================================================
// mstatus.FS
// ===========================================================================
struct NamedInsn {
  const char* name;
  u32 insn;
};

std::vector<NamedInsn> all_fp_instructions() {
  return {
      {"flw", flw(f1, a1, 0)},          {"fsw", fsw(f1, a1, 0)},
      {"fld", fld(f1, a1, 0)},          {"fsd", fsd(f1, a1, 0)},
      {"fmadd.s", fmadd_s(f1, f2, f3, f4, RNE)},   {"fmsub.s", fmsub_s(f1, f2, f3, f4, RNE)},
      {"fnmsub.s", fnmsub_s(f1, f2, f3, f4, RNE)}, {"fnmadd.s", fnmadd_s(f1, f2, f3, f4, RNE)},
      {"fadd.s", fadd_s(f1, f2, f3, RNE)},         {"fsub.s", fsub_s(f1, f2, f3, RNE)},
      {"fmul.s", fmul_s(f1, f2, f3, RNE)},         {"fdiv.s", fdiv_s(f1, f2, f3, RNE)},
      {"fsqrt.s", fsqrt_s(f1, f2, RNE)},           {"fsgnj.s", fsgnj_s(f1, f2, f3)},
      {"fsgnjn.s", fsgnjn_s(f1, f2, f3)},          {"fsgnjx.s", fsgnjx_s(f1, f2, f3)},
      {"fmin.s", fmin_s(f1, f2, f3)},              {"fmax.s", fmax_s(f1, f2, f3)},
      {"fcvt.w.s", fcvt_w_s(a0, f2, RNE)},         {"fcvt.wu.s", fcvt_wu_s(a0, f2, RNE)},
      {"fcvt.l.s", fcvt_l_s(a0, f2, RNE)},         {"fcvt.lu.s", fcvt_lu_s(a0, f2, RNE)},
      {"fmv.x.w", fmv_x_w(a0, f2)},                {"feq.s", feq_s(a0, f2, f3)},
      {"flt.s", flt_s(a0, f2, f3)},                {"fle.s", fle_s(a0, f2, f3)},
      {"fclass.s", fclass_s(a0, f2)},              {"fcvt.s.w", fcvt_s_w(f1, a1, RNE)},
      {"fcvt.s.wu", fcvt_s_wu(f1, a1, RNE)},       {"fcvt.s.l", fcvt_s_l(f1, a1, RNE)},
      {"fcvt.s.lu", fcvt_s_lu(f1, a1, RNE)},       {"fmv.w.x", fmv_w_x(f1, a1)},
      {"fmadd.d", fmadd_d(f1, f2, f3, f4, RNE)},   {"fmsub.d", fmsub_d(f1, f2, f3, f4, RNE)},
      {"fnmsub.d", fnmsub_d(f1, f2, f3, f4, RNE)}, {"fnmadd.d", fnmadd_d(f1, f2, f3, f4, RNE)},
      {"fadd.d", fadd_d(f1, f2, f3, RNE)},         {"fsub.d", fsub_d(f1, f2, f3, RNE)},
      {"fmul.d", fmul_d(f1, f2, f3, RNE)},         {"fdiv.d", fdiv_d(f1, f2, f3, RNE)},
      {"fsqrt.d", fsqrt_d(f1, f2, RNE)},           {"fsgnj.d", fsgnj_d(f1, f2, f3)},
      {"fsgnjn.d", fsgnjn_d(f1, f2, f3)},          {"fsgnjx.d", fsgnjx_d(f1, f2, f3)},
      {"fmin.d", fmin_d(f1, f2, f3)},              {"fmax.d", fmax_d(f1, f2, f3)},
      {"fcvt.s.d", fcvt_s_d(f1, f2, RNE)},         {"fcvt.d.s", fcvt_d_s(f1, f2, RNE)},
      {"feq.d", feq_d(a0, f2, f3)},                {"flt.d", flt_d(a0, f2, f3)},
      {"fle.d", fle_d(a0, f2, f3)},                {"fclass.d", fclass_d(a0, f2)},
      {"fcvt.w.d", fcvt_w_d(a0, f2, RNE)},         {"fcvt.wu.d", fcvt_wu_d(a0, f2, RNE)},
      {"fcvt.l.d", fcvt_l_d(a0, f2, RNE)},         {"fcvt.lu.d", fcvt_lu_d(a0, f2, RNE)},
      {"fcvt.d.w", fcvt_d_w(f1, a1, RNE)},         {"fcvt.d.wu", fcvt_d_wu(f1, a1, RNE)},
      {"fcvt.d.l", fcvt_d_l(f1, a1, RNE)},         {"fcvt.d.lu", fcvt_d_lu(f1, a1, RNE)},
      {"fmv.x.d", fmv_x_d(a0, f2)},                {"fmv.d.x", fmv_d_x(f1, a1)},
  };
}

TEST_F(FpTest, EveryFpInstructionIsIllegalWhenFsIsOff) {
  const auto insns = all_fp_instructions();
  EXPECT_EQ(insns.size(), 62u);  // 30 F + 32 D instructions in RV64FD
  for (const auto& i : insns) {
    SCOPED_TRACE(i.name);
    set_fs(ms::FS_DIRTY);
    set_f(f1, 0x1111);
    set_x(a0, 0x2222);
    set_x(a1, kData);
    set_fs(ms::FS_OFF);
    expect_illegal(i.insn);
    EXPECT_EQ(f(f1), 0x1111u) << "fd written";
    EXPECT_EQ(x(a0), 0x2222u) << "rd written";
    EXPECT_EQ(hart_->mstatus_ & ms::FS, ms::FS_OFF) << "FS changed by a trapping instruction";
  }
}

TEST_F(FpTest, EveryFpInstructionExecutesWhenFsIsInitialAndMakesItDirty) {
  for (const auto& i : all_fp_instructions()) {
    SCOPED_TRACE(i.name);
    set_x(a1, kData);
    set_fs(ms::FS_INITIAL);
    run(i.insn);
    const u64 s = mstatus();
    // Instructions that write an FP register must leave FS Dirty. (Those
    // that write only x registers or memory - compares, fclass, fcvt to
    // integer, fmv.x, stores - change FP state only if they raise flags.)
    const u32 opcode = i.insn & 0x7f;
    const bool writes_f = opcode == LOAD_FP || opcode == MADD || opcode == MSUB || opcode == NMSUB ||
                          opcode == NMADD || (opcode == OP_FP && !is_int_result(i.insn));
    if (writes_f) {
      EXPECT_EQ(s & ms::FS, ms::FS_DIRTY);
      EXPECT_EQ(s & ms::SD, ms::SD);
    } else {
      EXPECT_NE(s & ms::FS, ms::FS_OFF);
      EXPECT_EQ((s & ms::SD) != 0, (s & ms::FS) == ms::FS_DIRTY) << "SD must summarise FS";
    }
  }
}

TEST_F(FpTest, FsCleanBecomesDirtyOnFlagsOnlyChange) {
  // feq.s with a signaling NaN writes only an integer register and fflags;
  // fflags is FP state, so FS must become Dirty.
  set_f(f2, box(kSNaN32));
  set_f(f3, box(0));
  set_fs(ms::FS_CLEAN);
  EXPECT_EQ(mstatus() & (ms::FS | ms::SD), ms::FS_CLEAN);
  run(feq_s(a0, f2, f3));
  EXPECT_EQ(x(a0), 0u);
  const u64 s = mstatus();
  EXPECT_EQ(s & ms::FS, ms::FS_DIRTY);
  EXPECT_EQ(s & ms::SD, ms::SD);
  EXPECT_EQ(fflags(), NV);
}

TEST_F(FpTest, FsDirtyFromLoadAndMove) {
  const u32 v = 0x4000'0000;
  put_data(kData, &v, 4);
  set_x(a1, kData);
  set_fs(ms::FS_INITIAL);
  run(flw(f5, a1, 0));
  EXPECT_EQ(mstatus() & (ms::FS | ms::SD), ms::FS_DIRTY | ms::SD);
  EXPECT_EQ(f(f5), box(0x4000'0000));
  set_fs(ms::FS_CLEAN);
  run(fmv_d_x(f6, a1));
  EXPECT_EQ(mstatus() & (ms::FS | ms::SD), ms::FS_DIRTY | ms::SD);
}

// ===========================================================================
// Reserved rounding modes
// ===========================================================================
struct RmInsn {
  const char* name;
  u32 (*make)(u32 rm);
};

const RmInsn kRmInsns[] = {
    {"fmadd.s", [](u32 rm) { return fmadd_s(f1, f2, f3, f4, rm); }},
    {"fmsub.s", [](u32 rm) { return fmsub_s(f1, f2, f3, f4, rm); }},
    {"fnmsub.s", [](u32 rm) { return fnmsub_s(f1, f2, f3, f4, rm); }},
    {"fnmadd.s", [](u32 rm) { return fnmadd_s(f1, f2, f3, f4, rm); }},
    {"fadd.s", [](u32 rm) { return fadd_s(f1, f2, f3, rm); }},
    {"fsub.s", [](u32 rm) { return fsub_s(f1, f2, f3, rm); }},
    {"fmul.s", [](u32 rm) { return fmul_s(f1, f2, f3, rm); }},
    {"fdiv.s", [](u32 rm) { return fdiv_s(f1, f2, f3, rm); }},
    {"fsqrt.s", [](u32 rm) { return fsqrt_s(f1, f2, rm); }},
    {"fcvt.w.s", [](u32 rm) { return fcvt_w_s(a0, f2, rm); }},
    {"fcvt.wu.s", [](u32 rm) { return fcvt_wu_s(a0, f2, rm); }},
    {"fcvt.l.s", [](u32 rm) { return fcvt_l_s(a0, f2, rm); }},
    {"fcvt.lu.s", [](u32 rm) { return fcvt_lu_s(a0, f2, rm); }},
    {"fcvt.s.w", [](u32 rm) { return fcvt_s_w(f1, a1, rm); }},
    {"fcvt.s.wu", [](u32 rm) { return fcvt_s_wu(f1, a1, rm); }},
    {"fcvt.s.l", [](u32 rm) { return fcvt_s_l(f1, a1, rm); }},
    {"fcvt.s.lu", [](u32 rm) { return fcvt_s_lu(f1, a1, rm); }},
    {"fmadd.d", [](u32 rm) { return fmadd_d(f1, f2, f3, f4, rm); }},
    {"fmsub.d", [](u32 rm) { return fmsub_d(f1, f2, f3, f4, rm); }},
    {"fnmsub.d", [](u32 rm) { return fnmsub_d(f1, f2, f3, f4, rm); }},
    {"fnmadd.d", [](u32 rm) { return fnmadd_d(f1, f2, f3, f4, rm); }},
    {"fadd.d", [](u32 rm) { return fadd_d(f1, f2, f3, rm); }},
    {"fsub.d", [](u32 rm) { return fsub_d(f1, f2, f3, rm); }},
    {"fmul.d", [](u32 rm) { return fmul_d(f1, f2, f3, rm); }},
    {"fdiv.d", [](u32 rm) { return fdiv_d(f1, f2, f3, rm); }},
    {"fsqrt.d", [](u32 rm) { return fsqrt_d(f1, f2, rm); }},
    {"fcvt.w.d", [](u32 rm) { return fcvt_w_d(a0, f2, rm); }},
    {"fcvt.wu.d", [](u32 rm) { return fcvt_wu_d(a0, f2, rm); }},
    {"fcvt.l.d", [](u32 rm) { return fcvt_l_d(a0, f2, rm); }},
    {"fcvt.lu.d", [](u32 rm) { return fcvt_lu_d(a0, f2, rm); }},
    {"fcvt.d.w", [](u32 rm) { return fcvt_d_w(f1, a1, rm); }},
    {"fcvt.d.wu", [](u32 rm) { return fcvt_d_wu(f1, a1, rm); }},
    {"fcvt.d.l", [](u32 rm) { return fcvt_d_l(f1, a1, rm); }},
    {"fcvt.d.lu", [](u32 rm) { return fcvt_d_lu(f1, a1, rm); }},
    {"fcvt.s.d", [](u32 rm) { return fcvt_s_d(f1, f2, rm); }},
    {"fcvt.d.s", [](u32 rm) { return fcvt_d_s(f1, f2, rm); }},
};

TEST_F(FpTest, ReservedStaticRoundingModesAreIllegal) {
  for (const auto& i : kRmInsns) {
    for (u32 rm : {5u, 6u}) {
      SCOPED_TRACE(std::string(i.name) + " rm=" + std::to_string(rm));
      set_f(f1, 0x5555);
      set_x(a0, 0x6666);
      expect_illegal(i.make(rm));
      EXPECT_EQ(f(f1), 0x5555u);
      EXPECT_EQ(x(a0), 0x6666u);
    }
  }
}

TEST_F(FpTest, DynamicRoundingWithReservedFrmIsIllegal) {
  for (u32 frm : {5u, 6u, 7u}) {
    set_csr(csrn::frm, frm);
    EXPECT_EQ(csr(csrn::frm), frm);  // frm holds the value; only its use traps
    for (const auto& i : kRmInsns) {
      SCOPED_TRACE(std::string(i.name) + " frm=" + std::to_string(frm));
      expect_illegal(i.make(DYN));
      // A static rounding mode does not consult frm and executes.
      run(i.make(RTZ));
    }
  }
}

TEST_F(FpTest, AllValidStaticRoundingModesExecute) {
  for (const auto& i : kRmInsns) {
    for (u32 rm : {0u, 1u, 2u, 3u, 4u}) {
      SCOPED_TRACE(std::string(i.name) + " rm=" + std::to_string(rm));
      run(i.make(rm));
    }
  }
}

// ===========================================================================
// fflags accrual and fcsr
// ===========================================================================
TEST_F(FpTest, FlagsAccrueAndAreNeverClearedByInstructions) {
  set_csr(csrn::fcsr, 0);
  set_s(f1, 1.0f);
  set_s(f2, 0.0f);
  set_s(f3, 3.0f);
  run(fdiv_s(f4, f1, f2));  // DZ
  EXPECT_EQ(fflags(), DZ);
  run(fdiv_s(f4, f1, f3));  // NX
  EXPECT_EQ(fflags(), DZ | NX);
  run(fadd_s(f4, f1, f1));  // exact: nothing cleared
  EXPECT_EQ(fflags(), DZ | NX);
  run(fsqrt_s(f4, f3, RNE));  // NX again
  set_f(f5, box(kSNaN32));
  run(fadd_s(f4, f5, f1));  // NV
  EXPECT_EQ(fflags(), DZ | NX | NV);
  set_csr(csrn::frm, RDN);
  EXPECT_EQ(csr(csrn::fcsr), (u64{RDN} << 5) | DZ | NX | NV);
  set_s(f6, 1e30f);
  run(fmul_s(f4, f6, f6, RNE));  // OF | NX
  set_s(f7, 1e-30f);
  run(fmul_s(f4, f7, f7, RNE));  // UF | NX
  EXPECT_EQ(fflags(), DZ | NX | NV | OF | UF);
}

TEST_F(FpTest, TrappingFpInstructionDoesNotAccrueFlags) {
  set_csr(csrn::fflags, 0);
  set_s(f1, 1.0f);
  set_s(f2, 0.0f);
  expect_illegal(fdiv_s(f4, f1, f2, 5));
  EXPECT_EQ(fflags(), 0u);
}

}  // namespace
}  // namespace orrery::riscv::test
