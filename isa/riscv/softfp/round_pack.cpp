// Final rounding and packing shared by every operation that can be inexact.
#include "softfp/internal.hpp"

namespace orrery::riscv::softfp::detail {
namespace {

// IEEE 754-2008 §7.4: on overflow the default result is ±inf for the
// round-to-nearest modes and for a directed mode rounding away from zero;
// otherwise it is the largest finite number of the result's sign.  OF is
// always accompanied by NX.
template <class F>
typename F::Bits overflowResult(bool negative, Env& env) {
  env.flags |= kOF | kNX;
  const Rounding rm = env.rm;
  const bool toInf = rm == Rounding::RNE || rm == Rounding::RMM ||
                     (rm == Rounding::RDN && negative) ||
                     (rm == Rounding::RUP && !negative) ||
                     uint8_t(rm) > uint8_t(Rounding::RMM);  // invalid rm acts as RNE
  return F::signBit(negative) | (toInf ? F::kInf : F::kMaxFinite);
}

}  // namespace

template <class F>
typename F::Bits roundPack(bool negative, int lsbExp, uint64_t sig, Env& env) {
  using Bits = typename F::Bits;
  // With the leading 1 at bit 62 the p kept bits are 62..kDiscard; bit
  // kDiscard-1 is the round bit and the bits below it are sticky.
  constexpr int kDiscard = 63 - F::kPrecision;
  constexpr uint64_t kStickyMask = (uint64_t(1) << (kDiscard - 1)) - 1;

  const int lead = 63 - __builtin_clzll(sig);
  const int exp = lsbExp + lead;  // unbiased exponent of the leading bit
  if (lead == 63)
    sig = (sig >> 1) | (sig & 1);
  else
    sig <<= 62 - lead;

  const Rounding rm = env.rm;
  auto increment = [&](uint64_t s) {
    return roundIncrement(rm, negative, (s >> kDiscard) & 1, (s >> (kDiscard - 1)) & 1,
                          (s & kStickyMask) != 0);
  };

  int biased = exp + F::kBias;
  bool tiny = false;
  if (biased < 1) {
    // Below 2^emin.  RISC-V ("Subnormal Arithmetic") detects tininess after
    // rounding, IEEE 754-2008 §7.5: the result is tiny if rounding it to p
    // bits *with an unbounded exponent range* still gives a magnitude below
    // 2^emin.  Only a value in [2^(emin-1), 2^emin) whose p-bit rounding
    // carries out to 2^emin escapes being tiny.
    const bool carriesToEmin =
        biased == 0 && (sig >> kDiscard) == (uint64_t(1) << F::kPrecision) - 1 && increment(sig);
    tiny = !carriesToEmin;
    // Denormalise to the fixed exponent emin; fewer significand bits remain.
    sig = shiftRightJam(sig, 1 - biased);
    biased = 1;
  }

  const bool inexact = (sig & ((uint64_t(1) << kDiscard) - 1)) != 0;
  uint64_t kept = sig >> kDiscard;
  if (increment(sig)) ++kept;

  if (biased >= F::kExpAllOnes) return overflowResult<F>(negative, env);
  // kept includes the hidden bit, so adding it to (biased-1) << kFracBits
  // yields the encoding directly; a rounding carry (including a subnormal
  // rounding up to the smallest normal) propagates into the exponent field.
  const Bits bits = (Bits(biased - 1) << F::kFracBits) + Bits(kept);
  if (F::biasedExp(bits) == F::kExpAllOnes) return overflowResult<F>(negative, env);

  if (inexact) {
    env.flags |= kNX;
    // §7.5 default handling: underflow is signalled only if tiny AND inexact.
    if (tiny) env.flags |= kUF;
  }
  return bits | F::signBit(negative);
}

template F32::Bits roundPack<F32>(bool, int, uint64_t, Env&);
template F64::Bits roundPack<F64>(bool, int, uint64_t, Env&);

}  // namespace orrery::riscv::softfp::detail
