// Private helpers shared by the soft-float translation units.  Not part of the
// public API; include "softfp/softfp.hpp" instead.
//
// Every operation is written once as a template over a format-traits class
// (F32 = binary32, F64 = binary64) and instantiated for both formats.
#pragma once
#include <cstdint>

#include "softfp/softfp.hpp"

namespace orrery::riscv::softfp::detail {

__extension__ typedef unsigned __int128 u128;  // GCC/Clang extension, fine under -Wpedantic

// IEEE 754-2008 §3.4 binary interchange format parameters.
template <typename BitsT, int ExpBits, int FracBits>
struct Format {
  using Bits = BitsT;
  static constexpr int kExpBits = ExpBits;
  static constexpr int kFracBits = FracBits;        // trailing significand field width
  static constexpr int kPrecision = FracBits + 1;   // p, including the hidden bit
  static constexpr int kBias = (1 << (ExpBits - 1)) - 1;
  static constexpr int kExpAllOnes = (1 << ExpBits) - 1;  // biased exponent of inf/NaN
  static constexpr int kEmin = 1 - kBias;
  static constexpr int kEmax = kBias;

  static constexpr Bits kSignMask = Bits(1) << (ExpBits + FracBits);
  static constexpr Bits kFracMask = (Bits(1) << FracBits) - 1;
  static constexpr Bits kHiddenBit = Bits(1) << FracBits;
  static constexpr Bits kQuietBit = Bits(1) << (FracBits - 1);  // §6.2.1: MSB of field = quiet
  static constexpr Bits kInf = Bits(kExpAllOnes) << FracBits;
  static constexpr Bits kMaxFinite = kInf - 1;
  // RISC-V "NaN Generation and Propagation": the canonical NaN has a positive
  // sign and all significand bits clear except the MSB (the quiet bit).
  static constexpr Bits kCanonicalNaN = kInf | kQuietBit;

  static constexpr bool sign(Bits x) { return (x & kSignMask) != 0; }
  static constexpr Bits signBit(bool negative) { return negative ? kSignMask : 0; }
  static constexpr int biasedExp(Bits x) { return int((x >> FracBits) & Bits(kExpAllOnes)); }
  static constexpr Bits frac(Bits x) { return x & kFracMask; }
  static constexpr Bits magnitude(Bits x) { return x & ~kSignMask; }
  static constexpr bool isNaN(Bits x) { return magnitude(x) > kInf; }
  static constexpr bool isSNaN(Bits x) { return isNaN(x) && !(x & kQuietBit); }
  static constexpr bool isInf(Bits x) { return magnitude(x) == kInf; }
  static constexpr bool isZero(Bits x) { return magnitude(x) == 0; }
};

using F32 = Format<uint32_t, 8, 23>;
using F64 = Format<uint64_t, 11, 52>;
static_assert(F32::kCanonicalNaN == kCanonicalNaN32);
static_assert(F64::kCanonicalNaN == kCanonicalNaN64);

// A finite, non-zero operand with an explicit significand:
//   value = (-1)^sign * sig * 2^(exp - kFracBits),  2^kFracBits <= sig < 2^(kFracBits+1)
// i.e. `exp` is the unbiased exponent of the leading significand bit.
// Subnormals are renormalised, so their exp is below kEmin.
struct Unpacked {
  bool sign;
  int exp;
  uint64_t sig;
};

template <class F>
inline Unpacked unpack(typename F::Bits x) {
  const int be = F::biasedExp(x);
  const uint64_t f = F::frac(x);
  if (be != 0) return {F::sign(x), be - F::kBias, f | uint64_t(F::kHiddenBit)};
  // Subnormal (§3.4: biased exponent 0 means exponent emin without hidden bit).
  const int shift = __builtin_clzll(f) - (63 - F::kFracBits);
  return {F::sign(x), F::kEmin - shift, f << shift};
}

// Logical right shift that ORs every bit shifted out into bit 0 ("jamming"),
// so later rounding still knows the value was inexact.
inline uint64_t shiftRightJam(uint64_t x, int dist) {
  if (dist <= 0) return x;
  if (dist >= 64) return x != 0;
  return (x >> dist) | uint64_t((x << (64 - dist)) != 0);
}

inline u128 shiftRightJam(u128 x, int dist) {
  if (dist <= 0) return x;
  if (dist >= 128) return x != 0;
  return (x >> dist) | u128((x << (128 - dist)) != 0);
}

inline int leadingBit(u128 x) {  // index of the most significant set bit, x != 0
  const uint64_t hi = uint64_t(x >> 64);
  return hi ? 127 - __builtin_clzll(hi) : 63 - __builtin_clzll(uint64_t(x));
}

// Reduces an exact 128-bit magnitude to at most 63 bits for roundPack, jamming
// the discarded bits into bit 0 and adjusting lsbExp (the weight of bit 0).
inline uint64_t narrowJam(u128 x, int& lsbExp) {
  const int shift = leadingBit(x) - 62;
  if (shift <= 0) return uint64_t(x);
  lsbExp += shift;
  return uint64_t(shiftRightJam(x, shift));
}

// IEEE 754-2008 §4.3: should a truncated magnitude be incremented by one unit
// in its last place?  `roundBit` is the first discarded bit (weight 1/2 ulp),
// `sticky` says whether anything below it is non-zero.
inline bool roundIncrement(Rounding rm, bool negative, bool lsbOdd, bool roundBit,
                           bool sticky) {
  switch (rm) {
    case Rounding::RTZ: return false;
    case Rounding::RDN: return negative && (roundBit || sticky);
    case Rounding::RUP: return !negative && (roundBit || sticky);
    // §4.3.1 roundTiesToAway: at or above the halfway point, away from zero.
    case Rounding::RMM: return roundBit;
    case Rounding::RNE:
    default: return roundBit && (sticky || lsbOdd);
  }
}

// §6.3: an exact zero sum/difference of non-zero operands (x - x), or the sum
// of zeros of opposite sign, is +0 in every rounding mode except
// roundTowardNegative, where it is -0.
template <class F>
inline typename F::Bits exactZeroSum(Rounding rm) {
  return F::signBit(rm == Rounding::RDN);
}

// RISC-V "NaN Generation and Propagation": any NaN result is the canonical
// NaN; a signalling NaN operand raises NV (IEEE 754-2008 §7.2(a)).
template <class F>
inline typename F::Bits nanResult(typename F::Bits a, typename F::Bits b, Env& env) {
  if (F::isSNaN(a) || F::isSNaN(b)) env.flags |= kNV;
  return F::kCanonicalNaN;
}

// Rounds the exact value (-1)^negative * sig * 2^lsbExp to format F and packs
// it, raising NX/UF/OF as required.  sig must be non-zero.  If bit 0 of sig
// is a jammed sticky bit, the left shift that brings sig's leading bit to
// bit 62 must leave it below the round bit, i.e. be smaller than
// 62 - kPrecision (binary64: 9, binary32: 38).  Callers that jam keep their
// leading bit high enough (see each call site).
template <class F>
typename F::Bits roundPack(bool negative, int lsbExp, uint64_t sig, Env& env);

}  // namespace orrery::riscv::softfp::detail
