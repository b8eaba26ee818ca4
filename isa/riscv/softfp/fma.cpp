// Fused multiply-add (IEEE 754-2008 §5.4.1 fusedMultiplyAdd): the exact value
// of (±a*b) + (±c) rounded once.
#include "softfp/internal.hpp"

namespace orrery::riscv::softfp::detail {
namespace {

template <class F>
typename F::Bits muladd(typename F::Bits a, typename F::Bits b, typename F::Bits c,
                        bool negateProduct, bool negateAddend, Env& env) {
  using Bits = typename F::Bits;
  const bool zeroTimesInf =
      (F::isZero(a) && F::isInf(b)) || (F::isInf(a) && F::isZero(b));
  if (F::isNaN(a) || F::isNaN(b) || F::isNaN(c) || zeroTimesInf) {
    // IEEE 754-2008 §7.2(c) leaves it to the implementation whether
    // fma(0, inf, qNaN) signals; the RISC-V F chapter ("Single-Precision
    // Floating-Point Computational Instructions") requires NV "even if the
    // addend is a quiet NaN".  Any sNaN operand also signals.
    if (zeroTimesInf || F::isSNaN(a) || F::isSNaN(b) || F::isSNaN(c)) env.flags |= kNV;
    return F::kCanonicalNaN;
  }

  const bool productNeg = F::sign(a) != F::sign(b) ? !negateProduct : negateProduct;
  const bool addendNeg = F::sign(c) != negateAddend;
  const Bits addend = F::magnitude(c) | F::signBit(addendNeg);

  if (F::isInf(a) || F::isInf(b)) {
    if (F::isInf(c) && addendNeg != productNeg) {  // §7.2(d): inf - inf
      env.flags |= kNV;
      return F::kCanonicalNaN;
    }
    return F::signBit(productNeg) | F::kInf;
  }
  if (F::isInf(c)) return addend;
  if (F::isZero(a) || F::isZero(b)) {
    // The product is an exact zero with sign productNeg (§6.3), so the sum
    // is c itself, or a zero following the rules for adding zeros.
    if (!F::isZero(c)) return addend;
    return productNeg == addendNeg ? addend : exactZeroSum<F>(env.rm);
  }

  const Unpacked x = unpack<F>(a), y = unpack<F>(b);
  int lsbExp = x.exp + y.exp - 2 * F::kFracBits;
  u128 product = u128(x.sig) * y.sig;  // exact, at most 2p bits
  if (F::isZero(c)) {
    // An exact non-zero product plus a zero: the sum is the product, and its
    // sign survives even if it rounds to zero (§6.3).
    const uint64_t sig = narrowJam(product, lsbExp);
    return roundPack<F>(productNeg, lsbExp, sig, env);
  }

  // Align the exact product and the addend as 128-bit integers whose leading
  // bits sit at bit 125 (bits 126/127 absorb the carry of the addition).
  constexpr int kTop = 125;
  const int pLead = leadingBit(product);
  product <<= kTop - pLead;
  int pExp = lsbExp + pLead;  // exponent of the product's leading bit
  const Unpacked z = unpack<F>(c);
  u128 addSig = u128(z.sig) << (kTop - F::kFracBits);
  int cExp = z.exp;

  // big := the operand of larger magnitude.
  bool bigNeg = productNeg;
  u128 big = product, small = addSig;
  int bigExp = pExp, smallExp = cExp;
  if (cExp > pExp || (cExp == pExp && addSig > product)) {
    big = addSig;
    small = product;
    bigExp = cExp;
    smallExp = pExp;
    bigNeg = addendNeg;
  }
  // As in addition: both operands have at least 20 zero low bits (2p <= 106
  // bits were shifted up to bit 125), so a shift of <= 1 loses nothing, and
  // for larger shifts |big| - |small| > 2^124, which narrowJam then shifts
  // right by >= 62 bits, keeping the jammed bit purely sticky.
  small = shiftRightJam(small, bigExp - smallExp);
  u128 sum;
  if (productNeg == addendNeg) {
    sum = big + small;
  } else {
    sum = big - small;
    if (sum == 0) return exactZeroSum<F>(env.rm);  // §6.3, exact cancellation
  }
  lsbExp = bigExp - kTop;
  const uint64_t sig = narrowJam(sum, lsbExp);
  return roundPack<F>(bigNeg, lsbExp, sig, env);
}

}  // namespace
}  // namespace orrery::riscv::softfp::detail

namespace orrery::riscv::softfp {

uint32_t f32_muladd(uint32_t a, uint32_t b, uint32_t c, bool negate_product,
                    bool negate_addend, Env& env) {
  return detail::muladd<detail::F32>(a, b, c, negate_product, negate_addend, env);
}

uint64_t f64_muladd(uint64_t a, uint64_t b, uint64_t c, bool negate_product,
                    bool negate_addend, Env& env) {
  return detail::muladd<detail::F64>(a, b, c, negate_product, negate_addend, env);
}

}  // namespace orrery::riscv::softfp
