// Division and square root (IEEE 754-2008 §5.4.1).  Both compute a truncated
// integer quotient/root with at least p+2 significant bits and fold the
// remainder into a sticky bit, which is all roundPack needs to round
// correctly in every mode.
#include "softfp/internal.hpp"

namespace orrery::riscv::softfp::detail {
namespace {

template <class F>
typename F::Bits div(typename F::Bits a, typename F::Bits b, Env& env) {
  if (F::isNaN(a) || F::isNaN(b)) return nanResult<F>(a, b, env);
  const bool negative = F::sign(a) != F::sign(b);
  const typename F::Bits zero = F::signBit(negative);
  const typename F::Bits inf = zero | F::kInf;
  if (F::isInf(a)) {
    if (F::isInf(b)) {  // §7.2(e): inf / inf is invalid
      env.flags |= kNV;
      return F::kCanonicalNaN;
    }
    return inf;
  }
  if (F::isInf(b)) return zero;
  if (F::isZero(b)) {
    if (F::isZero(a)) {  // §7.2(e): 0 / 0 is invalid
      env.flags |= kNV;
      return F::kCanonicalNaN;
    }
    env.flags |= kDZ;  // §7.3: finite non-zero / 0 -> exact infinity
    return inf;
  }
  if (F::isZero(a)) return zero;

  const Unpacked x = unpack<F>(a), y = unpack<F>(b);
  // x.sig / y.sig lies in (1/2, 2).  Scaling the dividend by 2^K gives an
  // integer quotient in (2^(K-1), 2^(K+1)).
  uint64_t q;
  bool remainder;
  int lsbExp;
  if constexpr (F::kPrecision <= 32) {
    // binary32: K = 64 - p = 40 fits a 64-bit division; the quotient's leading
    // bit is at 39 or 40, so roundPack's renormalising shift is <= 23 < 38.
    constexpr int K = 64 - F::kPrecision;
    const uint64_t n = x.sig << K;
    q = n / y.sig;
    remainder = n % y.sig != 0;
    lsbExp = x.exp - y.exp - K;
  } else {
    // binary64: K = 62 needs a 115-bit dividend; the quotient's leading bit is
    // at 61 or 62.
    constexpr int K = 62;
    const u128 n = u128(x.sig) << K;
    q = uint64_t(n / y.sig);
    remainder = n % y.sig != 0;
    lsbExp = x.exp - y.exp - K;
  }
  return roundPack<F>(negative, lsbExp, q | uint64_t(remainder), env);
}

// floor(sqrt(n)) by the binary digit-by-digit method; `inexact` reports a
// non-zero remainder.
template <class T>
uint64_t isqrt(T n, bool& inexact) {
  T root = 0;
  T bit = T(1) << (sizeof(T) * 8 - 2);  // highest power of four in T
  while (bit > n) bit >>= 2;
  while (bit != 0) {
    if (n >= root + bit) {
      n -= root + bit;
      root = (root >> 1) + bit;
    } else {
      root >>= 1;
    }
    bit >>= 2;
  }
  inexact = n != 0;
  return uint64_t(root);
}

template <class F>
typename F::Bits sqrt(typename F::Bits a, Env& env) {
  if (F::isNaN(a)) return nanResult<F>(a, a, env);
  if (F::isZero(a)) return a;  // §6.3: sqrt(-0) = -0
  if (F::sign(a)) {            // §7.2(g): sqrt of a value below zero (incl. -inf)
    env.flags |= kNV;
    return F::kCanonicalNaN;
  }
  if (F::isInf(a)) return a;

  Unpacked x = unpack<F>(a);
  // value = sig * 2^t.  Make t even so that sqrt(2^t) = 2^(t/2) exactly.
  int t = x.exp - F::kFracBits;
  if (t & 1) {
    x.sig <<= 1;
    --t;
  }
  // Scale the radicand by an even power 2^S so the root has enough bits:
  // binary64: sig < 2^54, S = 72 -> radicand in [2^124, 2^126), root in
  //           [2^62, 2^63);
  // binary32: sig < 2^25, S = 38 -> radicand < 2^63, root >= 2^30 (the
  //           renormalising shift is <= 32 < 38, so jamming is safe).
  bool inexact;
  uint64_t root;
  int S;
  if constexpr (F::kPrecision <= 32) {
    S = 38;
    root = isqrt<uint64_t>(x.sig << S, inexact);
  } else {
    S = 72;
    root = isqrt<u128>(u128(x.sig) << S, inexact);
  }
  return roundPack<F>(false, (t - S) / 2, root | uint64_t(inexact), env);
}

}  // namespace
}  // namespace orrery::riscv::softfp::detail

namespace orrery::riscv::softfp {
using detail::F32;
using detail::F64;

uint32_t f32_div(uint32_t a, uint32_t b, Env& env) { return detail::div<F32>(a, b, env); }
uint64_t f64_div(uint64_t a, uint64_t b, Env& env) { return detail::div<F64>(a, b, env); }
uint32_t f32_sqrt(uint32_t a, Env& env) { return detail::sqrt<F32>(a, env); }
uint64_t f64_sqrt(uint64_t a, Env& env) { return detail::sqrt<F64>(a, env); }

}  // namespace orrery::riscv::softfp
