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

// ---- integer square root --------------------------------------------------
// floor(sqrt(n)) is computed by integer Newton iteration x' = (x + n/x) / 2
// from a table seed.  For any positive x, floor((x + floor(n/x)) / 2) >=
// floor(sqrt(n)) (AM-GM), so after one step the estimate can only be too
// large, and a short decrementing loop makes it exact whatever the seed
// quality; the seed and step count only decide how short that loop is.

// Digit-by-digit floor(sqrt(n)); used at compile time to build the seeds.
constexpr uint64_t isqrtBitwise(u128 n) {
  u128 root = 0, bit = u128(1) << 126;
  while (bit > n) bit >>= 2;
  for (; bit != 0; bit >>= 2) {
    if (n >= root + bit) {
      n -= root + bit;
      root = (root >> 1) + bit;
    } else {
      root >>= 1;
    }
  }
  return uint64_t(root);
}

// kRootSeed[i] ~ sqrt((i + 65) * 2^56): an estimate of sqrt(m) for every m in
// [(i + 64) * 2^56, (i + 65) * 2^56), good to about 7 bits.
struct RootSeeds {
  uint32_t v[192];
};
constexpr RootSeeds makeRootSeeds() {
  RootSeeds t{};
  for (int i = 0; i < 192; ++i) {
    const uint64_t r = isqrtBitwise(u128(i + 65) << 56);
    t.v[i] = r > 0xffffffffu ? 0xffffffffu : uint32_t(r);
  }
  return t;
}
constexpr RootSeeds kRootSeed = makeRootSeeds();

// floor(sqrt(n)) for 64-bit n != 0.
inline uint64_t isqrt64(uint64_t n) {
  const int shift = __builtin_clzll(n) & ~1;  // even, so sqrt scales by 2^(shift/2)
  const uint64_t m = n << shift;               // m >= 2^62
  uint64_t x = kRootSeed.v[(m >> 56) - 64];    // >= 2^31
  x = (x + m / x) >> 1;                        // ~15 bits
  x = (x + m / x) >> 1;                        // ~31 bits, now >= floor(sqrt(m))
  while (u128(x) * x > m) --x;
  return x >> (shift / 2);  // floor(floor(sqrt(m)) / k) == floor(sqrt(m) / k)
}

// floor(sqrt(n)) for n in [2^124, 2^126), plus whether n is not a square.
inline uint64_t isqrt128(u128 n, bool& inexact) {
  // sqrt of the high half gives 31 correct bits; (hi + 1) * 2^32 is within a
  // relative 2^-30 of sqrt(n), so one Newton step leaves an error of at most
  // a few units.
  uint64_t x = (isqrt64(uint64_t(n >> 64)) + 1) << 32;
  x = uint64_t((u128(x) + n / x) >> 1);
  while (u128(x) * x > n) --x;
  inexact = u128(x) * x != n;
  return x;
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
    const uint64_t n = x.sig << S;
    root = isqrt64(n);
    inexact = root * root != n;
  } else {
    S = 72;
    root = isqrt128(u128(x.sig) << S, inexact);
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
