// Conversions: between binary32 and binary64, float -> integer (FCVT.{W,WU,L,LU})
// and integer -> float (FCVT.{S,D}.{W,WU,L,LU}).
#include "softfp/internal.hpp"

namespace orrery::riscv::softfp::detail {
namespace {

// formatOf (IEEE 754-2008 §5.4.2).  Widening is always exact; narrowing rounds.
template <class To, class From>
typename To::Bits convertFormat(typename From::Bits a, Env& env) {
  if (From::isNaN(a)) {
    nanResult<From>(a, a, env);  // NV for sNaN; the result is To's canonical NaN
    return To::kCanonicalNaN;
  }
  const bool negative = From::sign(a);
  if (From::isInf(a)) return To::signBit(negative) | To::kInf;
  if (From::isZero(a)) return To::signBit(negative);
  const Unpacked x = unpack<From>(a);
  return roundPack<To>(negative, x.exp - From::kFracBits, x.sig, env);
}

// Integer target of an FCVT: signedness and width (32 or 64).
struct IntTarget {
  bool isSigned;
  int width;
};

// convertToInteger (IEEE 754-2008 §5.8) with the RISC-V saturation rules of
// the "FCVT.W.S conversion results" table: NaN and too-large positive values
// give the maximum, too-large negative values the minimum (0 when unsigned),
// all with NV only (never NX).  Returns the register value, so 32-bit
// results, unsigned ones included, are sign-extended from bit 31.
template <class F>
uint64_t toInt(typename F::Bits a, IntTarget target, Env& env) {
  const uint64_t maxU = target.width == 64 ? ~uint64_t(0) : (uint64_t(1) << 32) - 1;
  const uint64_t maxPos = target.isSigned ? maxU >> 1 : maxU;  // largest result
  const uint64_t maxNegMag = target.isSigned ? maxPos + 1 : 0;  // |smallest result|
  auto toRegister = [&](uint64_t v) {
    return target.width == 32 ? uint64_t(int64_t(int32_t(uint32_t(v)))) : v;
  };
  auto invalid = [&](bool negative) {
    env.flags |= kNV;
    return toRegister(negative ? uint64_t(0) - maxNegMag : maxPos);
  };

  if (F::isNaN(a)) return invalid(false);
  const bool negative = F::sign(a);
  if (F::isInf(a)) return invalid(negative);
  if (F::isZero(a)) return 0;

  const Unpacked x = unpack<F>(a);
  // |a| >= 2^64 is out of range for every target, and the magnitude below
  // then always fits 64 bits.
  if (x.exp >= 64) return invalid(negative);
  uint64_t mag;
  bool inexact = false;
  const int shift = F::kFracBits - x.exp;  // right shift giving the integer part
  if (shift <= 0) {
    mag = x.sig << -shift;  // an integer already (exp <= 63, so it fits)
  } else {
    // |a| < 2^kFracBits here, so mag cannot overflow.  For shift > 64 the
    // value is below 1/2 (sig < 2^(kFracBits+1)): only a sticky bit remains.
    const uint64_t intPart = shift >= 64 ? 0 : x.sig >> shift;
    const bool roundBit = shift <= 64 && ((x.sig >> (shift - 1)) & 1);
    const bool sticky = shift > 64 || (x.sig & ((uint64_t(1) << (shift - 1)) - 1)) != 0;
    inexact = roundBit || sticky;
    mag = intPart + roundIncrement(env.rm, negative, intPart & 1, roundBit, sticky);
  }

  if (negative ? mag > maxNegMag : mag > maxPos) return invalid(negative);
  // In range.  The F chapter makes a conversion invalid only when "the
  // rounded result is not representable in the destination format", so a
  // negative input that rounds to 0 for an unsigned target is merely inexact.
  if (inexact) env.flags |= kNX;
  return toRegister(negative ? uint64_t(0) - mag : mag);
}

// convertFromInt (§5.4.1): exact unless the integer has more than p
// significant bits.  Zero converts to +0.
template <class F>
typename F::Bits fromInt(bool negative, uint64_t magnitude, Env& env) {
  if (magnitude == 0) return 0;
  return roundPack<F>(negative, 0, magnitude, env);
}

template <class F>
typename F::Bits fromSigned(int64_t v, Env& env) {
  // Negate in unsigned arithmetic so INT64_MIN works.
  return fromInt<F>(v < 0, v < 0 ? uint64_t(0) - uint64_t(v) : uint64_t(v), env);
}

constexpr IntTarget kI32{true, 32}, kU32{false, 32}, kI64{true, 64}, kU64{false, 64};

}  // namespace
}  // namespace orrery::riscv::softfp::detail

namespace orrery::riscv::softfp {
using detail::F32;
using detail::F64;

uint64_t f32_to_f64(uint32_t a, Env& env) { return detail::convertFormat<F64, F32>(a, env); }
uint32_t f64_to_f32(uint64_t a, Env& env) { return detail::convertFormat<F32, F64>(a, env); }

uint64_t f32_to_i32(uint32_t a, Env& env) { return detail::toInt<F32>(a, detail::kI32, env); }
uint64_t f32_to_u32(uint32_t a, Env& env) { return detail::toInt<F32>(a, detail::kU32, env); }
uint64_t f32_to_i64(uint32_t a, Env& env) { return detail::toInt<F32>(a, detail::kI64, env); }
uint64_t f32_to_u64(uint32_t a, Env& env) { return detail::toInt<F32>(a, detail::kU64, env); }
uint64_t f64_to_i32(uint64_t a, Env& env) { return detail::toInt<F64>(a, detail::kI32, env); }
uint64_t f64_to_u32(uint64_t a, Env& env) { return detail::toInt<F64>(a, detail::kU32, env); }
uint64_t f64_to_i64(uint64_t a, Env& env) { return detail::toInt<F64>(a, detail::kI64, env); }
uint64_t f64_to_u64(uint64_t a, Env& env) { return detail::toInt<F64>(a, detail::kU64, env); }

uint32_t i32_to_f32(int32_t a, Env& env) { return detail::fromSigned<F32>(a, env); }
uint32_t u32_to_f32(uint32_t a, Env& env) { return detail::fromInt<F32>(false, a, env); }
uint32_t i64_to_f32(int64_t a, Env& env) { return detail::fromSigned<F32>(a, env); }
uint32_t u64_to_f32(uint64_t a, Env& env) { return detail::fromInt<F32>(false, a, env); }
uint64_t i32_to_f64(int32_t a, Env& env) { return detail::fromSigned<F64>(a, env); }
uint64_t u32_to_f64(uint32_t a, Env& env) { return detail::fromInt<F64>(false, a, env); }
uint64_t i64_to_f64(int64_t a, Env& env) { return detail::fromSigned<F64>(a, env); }
uint64_t u64_to_f64(uint64_t a, Env& env) { return detail::fromInt<F64>(false, a, env); }

}  // namespace orrery::riscv::softfp
