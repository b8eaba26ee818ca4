// FEQ/FLT/FLE, FMIN/FMAX and FCLASS.
#include "softfp/internal.hpp"

namespace orrery::riscv::softfp::detail {
namespace {

// a < b for non-NaN operands.  With zerosEqual, -0 and +0 compare equal
// (IEEE 754-2008 §5.11); without it -0 orders below +0 (FMIN/FMAX).
template <class F>
bool less(typename F::Bits a, typename F::Bits b, bool zerosEqual) {
  const bool sa = F::sign(a), sb = F::sign(b);
  if (zerosEqual && F::isZero(a) && F::isZero(b)) return false;
  if (sa != sb) return sa;
  // Same sign: magnitudes order like their encodings (§3.4), reversed for
  // negative numbers.
  return sa ? F::magnitude(a) > F::magnitude(b) : F::magnitude(a) < F::magnitude(b);
}

// FEQ is a quiet comparison: NV only for signalling NaNs.
template <class F>
bool eq(typename F::Bits a, typename F::Bits b, Env& env) {
  if (F::isNaN(a) || F::isNaN(b)) {
    if (F::isSNaN(a) || F::isSNaN(b)) env.flags |= kNV;
    return false;
  }
  return a == b || (F::isZero(a) && F::isZero(b));
}

// FLT/FLE are signalling comparisons (§5.11 compareSignalingLess...): any NaN
// operand raises NV and the result is false.
template <class F>
bool lt(typename F::Bits a, typename F::Bits b, Env& env) {
  if (F::isNaN(a) || F::isNaN(b)) {
    env.flags |= kNV;
    return false;
  }
  return less<F>(a, b, true);
}

template <class F>
bool le(typename F::Bits a, typename F::Bits b, Env& env) {
  if (F::isNaN(a) || F::isNaN(b)) {
    env.flags |= kNV;
    return false;
  }
  return !less<F>(b, a, true);
}

// FMIN/FMAX, F/D extension v2.2 ("Single-Precision Floating-Point
// Computational Instructions"): IEEE 754-2019 minimumNumber/maximumNumber.
// A single NaN operand is ignored, two NaNs give the canonical NaN, any
// signalling NaN raises NV even when the result is not a NaN, and -0 < +0.
template <class F>
typename F::Bits minMax(typename F::Bits a, typename F::Bits b, bool wantMax, Env& env) {
  if (F::isSNaN(a) || F::isSNaN(b)) env.flags |= kNV;
  const bool nanA = F::isNaN(a), nanB = F::isNaN(b);
  if (nanA && nanB) return F::kCanonicalNaN;
  if (nanA) return b;
  if (nanB) return a;
  return less<F>(a, b, false) != wantMax ? a : b;
}

// FCLASS ("Single-Precision Floating-Point Classify Instruction"): exactly
// one bit of the 10-bit mask is set.
template <class F>
uint32_t classify(typename F::Bits a) {
  const bool negative = F::sign(a);
  unsigned bit;
  if (F::isNaN(a)) {
    bit = F::isSNaN(a) ? 8 : 9;
  } else if (F::isInf(a)) {
    bit = negative ? 0 : 7;
  } else if (F::isZero(a)) {
    bit = negative ? 3 : 4;
  } else if (F::biasedExp(a) == 0) {
    bit = negative ? 2 : 5;  // subnormal
  } else {
    bit = negative ? 1 : 6;  // normal
  }
  return uint32_t(1) << bit;
}

}  // namespace
}  // namespace orrery::riscv::softfp::detail

namespace orrery::riscv::softfp {
using detail::F32;
using detail::F64;

bool f32_eq(uint32_t a, uint32_t b, Env& env) { return detail::eq<F32>(a, b, env); }
bool f32_lt(uint32_t a, uint32_t b, Env& env) { return detail::lt<F32>(a, b, env); }
bool f32_le(uint32_t a, uint32_t b, Env& env) { return detail::le<F32>(a, b, env); }
bool f64_eq(uint64_t a, uint64_t b, Env& env) { return detail::eq<F64>(a, b, env); }
bool f64_lt(uint64_t a, uint64_t b, Env& env) { return detail::lt<F64>(a, b, env); }
bool f64_le(uint64_t a, uint64_t b, Env& env) { return detail::le<F64>(a, b, env); }

uint32_t f32_min(uint32_t a, uint32_t b, Env& env) { return detail::minMax<F32>(a, b, false, env); }
uint32_t f32_max(uint32_t a, uint32_t b, Env& env) { return detail::minMax<F32>(a, b, true, env); }
uint64_t f64_min(uint64_t a, uint64_t b, Env& env) { return detail::minMax<F64>(a, b, false, env); }
uint64_t f64_max(uint64_t a, uint64_t b, Env& env) { return detail::minMax<F64>(a, b, true, env); }

uint32_t f32_classify(uint32_t a) { return detail::classify<F32>(a); }
uint32_t f64_classify(uint64_t a) { return detail::classify<F64>(a); }

}  // namespace orrery::riscv::softfp
