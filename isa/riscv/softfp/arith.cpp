// Addition, subtraction and multiplication (IEEE 754-2008 §5.4.1).
#include <utility>

#include "softfp/internal.hpp"

namespace orrery::riscv::softfp::detail {
namespace {

template <class F>
typename F::Bits add(typename F::Bits a, typename F::Bits b, bool negateB, Env& env) {
  if (F::isNaN(a) || F::isNaN(b)) return nanResult<F>(a, b, env);
  if (negateB) b ^= F::kSignMask;  // a - b == a + (-b) exactly, sign rules included

  if (F::isInf(a) || F::isInf(b)) {
    // §7.2(d): inf + (-inf) is invalid.
    if (F::isInf(a) && F::isInf(b) && F::sign(a) != F::sign(b)) {
      env.flags |= kNV;
      return F::kCanonicalNaN;
    }
    return F::isInf(a) ? a : b;
  }
  if (F::isZero(a) || F::isZero(b)) {
    if (!F::isZero(a)) return a;  // x + 0 == x exactly
    if (!F::isZero(b)) return b;
    // §6.3: (+0) + (+0) = +0, (-0) + (-0) = -0, mixed signs -> exactZeroSum.
    return F::sign(a) == F::sign(b) ? a : exactZeroSum<F>(env.rm);
  }

  Unpacked x = unpack<F>(a), y = unpack<F>(b);
  if (y.exp > x.exp || (y.exp == x.exp && y.sig > x.sig)) std::swap(x, y);  // |x| >= |y|

  // Put x's leading bit at 61 (bit 62 catches a carry).  The alignment shift
  // of y jams lost bits into bit 0.  This stays exact where it matters: if
  // the exponents differ by at most 1 nothing is shifted out (the low
  // 61-kFracBits bits are zero), and otherwise |x| - |y| > 2^60, so
  // roundPack shifts left by at most 2 and the sticky bit stays sticky.
  // Since bit 0 of `big` is 0, big - jammed(small) has the same bits above
  // bit 0 as the exact difference and a set bit 0 iff it is inexact.
  constexpr int kShift = 61 - F::kFracBits;
  const uint64_t big = x.sig << kShift;
  const uint64_t small = shiftRightJam(y.sig << kShift, x.exp - y.exp);
  uint64_t sum;
  if (x.sign == y.sign) {
    sum = big + small;
  } else {
    sum = big - small;
    if (sum == 0) return exactZeroSum<F>(env.rm);
  }
  return roundPack<F>(x.sign, x.exp - 61, sum, env);
}

template <class F>
typename F::Bits mul(typename F::Bits a, typename F::Bits b, Env& env) {
  if (F::isNaN(a) || F::isNaN(b)) return nanResult<F>(a, b, env);
  const bool negative = F::sign(a) != F::sign(b);
  if (F::isInf(a) || F::isInf(b)) {
    // §7.2(b): 0 * inf is invalid.
    if (F::isZero(a) || F::isZero(b)) {
      env.flags |= kNV;
      return F::kCanonicalNaN;
    }
    return F::signBit(negative) | F::kInf;
  }
  if (F::isZero(a) || F::isZero(b)) return F::signBit(negative);

  const Unpacked x = unpack<F>(a), y = unpack<F>(b);
  // The 2p-bit product is exact in 128 bits; narrowJam keeps its leading bit
  // at 62 whenever it has to jam.
  int lsbExp = x.exp + y.exp - 2 * F::kFracBits;
  const uint64_t sig = narrowJam(u128(x.sig) * y.sig, lsbExp);
  return roundPack<F>(negative, lsbExp, sig, env);
}

}  // namespace
}  // namespace orrery::riscv::softfp::detail

namespace orrery::riscv::softfp {
using detail::F32;
using detail::F64;

uint32_t f32_add(uint32_t a, uint32_t b, Env& env) { return detail::add<F32>(a, b, false, env); }
uint32_t f32_sub(uint32_t a, uint32_t b, Env& env) { return detail::add<F32>(a, b, true, env); }
uint32_t f32_mul(uint32_t a, uint32_t b, Env& env) { return detail::mul<F32>(a, b, env); }
uint64_t f64_add(uint64_t a, uint64_t b, Env& env) { return detail::add<F64>(a, b, false, env); }
uint64_t f64_sub(uint64_t a, uint64_t b, Env& env) { return detail::add<F64>(a, b, true, env); }
uint64_t f64_mul(uint64_t a, uint64_t b, Env& env) { return detail::mul<F64>(a, b, env); }

}  // namespace orrery::riscv::softfp
