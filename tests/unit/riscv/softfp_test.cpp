// Tests for the Orrery soft-float core (isa/riscv/softfp).
//
// Three layers:
//   1. Directed tests with hand-checked constants for every RISC-V rule.
//   2. Differential tests against the host (x86-64 SSE) FPU in the four IEEE
//      rounding modes the host supports, bits and flags.
//   3. A differential test for all five modes, RMM included, against an
//      exact reference built from host extended precision rounded to odd and
//      a separately written rounding routine (RefRound below).
//
// Build this file with -frounding-math -ffp-contract=off so the host
// computations really happen at run time, in the selected mode, unfused.
// The seed can be changed with ORRERY_SOFTFP_SEED=<n>.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cfenv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <sstream>
#include <string>

#include "softfp/softfp.hpp"

namespace sf = orrery::riscv::softfp;
using sf::Env;
using sf::Rounding;
using u128 = unsigned __int128;

namespace {

// ===========================================================================
// Helpers
// ===========================================================================

constexpr Rounding kAllModes[] = {Rounding::RNE, Rounding::RTZ, Rounding::RDN, Rounding::RUP,
                                  Rounding::RMM};
const char* modeName(Rounding rm) {
  static const char* const names[] = {"RNE", "RTZ", "RDN", "RUP", "RMM"};
  return names[static_cast<int>(rm)];
}

uint32_t bitsOf(float f) { return std::bit_cast<uint32_t>(f); }
uint64_t bitsOf(double d) { return std::bit_cast<uint64_t>(d); }
float asF32(uint32_t b) { return std::bit_cast<float>(b); }
double asF64(uint64_t b) { return std::bit_cast<double>(b); }

std::string hex(uint64_t v) {
  std::ostringstream s;
  s << "0x" << std::hex << v;
  return s.str();
}

std::string flagStr(unsigned f) {
  std::string s;
  if (f & sf::kNV) s += "NV ";
  if (f & sf::kDZ) s += "DZ ";
  if (f & sf::kOF) s += "OF ";
  if (f & sf::kUF) s += "UF ";
  if (f & sf::kNX) s += "NX ";
  return s.empty() ? "-" : s;
}

// Host exception flags, in fflags layout.
uint8_t hostFlags() {
  const int e = std::fetestexcept(FE_ALL_EXCEPT);
  return uint8_t(((e & FE_INEXACT) ? sf::kNX : 0) | ((e & FE_UNDERFLOW) ? sf::kUF : 0) |
                 ((e & FE_OVERFLOW) ? sf::kOF : 0) | ((e & FE_DIVBYZERO) ? sf::kDZ : 0) |
                 ((e & FE_INVALID) ? sf::kNV : 0));
}

int hostMode(Rounding rm) {
  switch (rm) {
    case Rounding::RTZ: return FE_TOWARDZERO;
    case Rounding::RDN: return FE_DOWNWARD;
    case Rounding::RUP: return FE_UPWARD;
    default: return FE_TONEAREST;
  }
}

// Restores round-to-nearest even if a test fails half-way.
struct HostModeGuard {
  ~HostModeGuard() { std::fesetround(FE_TONEAREST); }
};

uint64_t seed() {
  static const uint64_t s = [] {
    const char* e = std::getenv("ORRERY_SOFTFP_SEED");
    return e ? std::strtoull(e, nullptr, 0) : 0x5eed0f10a7ull;
  }();
  return s;
}

// xoshiro256** seeded through splitmix64.
class Rng {
 public:
  explicit Rng(uint64_t s) {
    for (auto& w : s_) {
      s += 0x9e3779b97f4a7c15ull;
      uint64_t z = s;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      w = z ^ (z >> 31);
    }
  }
  uint64_t next() {
    const uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = std::rotl(s_[3], 45);
    return result;
  }
  uint64_t below(uint64_t n) { return next() % n; }
  bool bit() { return next() & 1; }

 private:
  uint64_t s_[4];
};

uint64_t seedFor(const char* name) {
  uint64_t h = seed();
  for (const char* p = name; *p; ++p) h = (h ^ uint8_t(*p)) * 0x100000001b3ull;
  return h;
}

// Format description used by the generators and the reference rounding; it
// is deliberately independent of the implementation's traits.
struct Fmt {
  int expBits, fracBits;
  int width() const { return 1 + expBits + fracBits; }
  int precision() const { return fracBits + 1; }
  int bias() const { return (1 << (expBits - 1)) - 1; }
  uint64_t expMax() const { return (uint64_t(1) << expBits) - 1; }
  uint64_t fracMask() const { return (uint64_t(1) << fracBits) - 1; }
  uint64_t signMask() const { return uint64_t(1) << (width() - 1); }
  uint64_t quietBit() const { return uint64_t(1) << (fracBits - 1); }
  uint64_t canonicalNaN() const { return (expMax() << fracBits) | quietBit(); }
  uint64_t pack(bool neg, uint64_t e, uint64_t f) const {
    return (neg ? signMask() : 0) | (e << fracBits) | (f & fracMask());
  }
  uint64_t expOf(uint64_t x) const { return (x >> fracBits) & expMax(); }
  bool isNaN(uint64_t x) const { return expOf(x) == expMax() && (x & fracMask()) != 0; }
  bool isSNaN(uint64_t x) const { return isNaN(x) && !(x & quietBit()); }
  bool isInf(uint64_t x) const { return expOf(x) == expMax() && (x & fracMask()) == 0; }
  bool isZero(uint64_t x) const { return (x & ~signMask()) == 0; }
};
constexpr Fmt kF32{8, 23};
constexpr Fmt kF64{11, 52};

// ===========================================================================
// Biased random operands
// ===========================================================================

uint64_t randomFloat(Rng& r, const Fmt& f) {
  const bool neg = r.bit();
  const uint64_t frac = r.next() & f.fracMask();
  const uint64_t emax = f.expMax();
  auto anyExp = [&] { return 1 + r.below(emax - 1); };
  switch (r.below(32)) {
    case 0: case 1: case 2: case 3:  // raw bits
      return r.next() & (f.signMask() | (f.signMask() - 1));
    case 4: case 5: case 6: case 7: case 8:  // near 1.0
      return f.pack(neg, f.bias() - 2 + r.below(5), frac);
    case 9:  // huge
      return f.pack(neg, emax - 1 - r.below(4), frac);
    case 10:  // tiny normal
      return f.pack(neg, 1 + r.below(4), frac);
    case 11: case 12:  // subnormal, sometimes with few significant bits
      return f.pack(neg, 0, (frac >> r.below(f.fracBits)) | 1);
    case 13: return f.pack(neg, 0, 0);
    case 14: return f.pack(neg, emax, 0);
    case 15: return f.pack(neg, emax, f.quietBit() | frac);
    case 16: return f.pack(neg, emax, (frac & (f.quietBit() - 1)) | (uint64_t(1) << r.below(f.fracBits - 1)));
    case 17: case 18: case 19: {  // sparse significand: exact results and ties
      uint64_t s = 0;
      for (int k = int(r.below(3)); k > 0; --k) s |= uint64_t(1) << r.below(f.fracBits);
      return f.pack(neg, r.bit() ? anyExp() : f.bias() - 8 + r.below(17), s);
    }
    case 20: case 21:  // dense significand: carries out of the significand
      return f.pack(neg, r.bit() ? anyExp() : f.bias() - 8 + r.below(17),
                    f.fracMask() ^ (r.below(4) == 0 ? 0 : r.next() & 7));
    default:
      return f.pack(neg, anyExp(), frac);
  }
}

enum class Shape { Add, Mul, Div };

struct Operands {
  uint64_t a = 0, b = 0, c = 0;
  bool negProduct = false, negAddend = false;
};

int clampExp(const Fmt& f, long e) { return int(std::clamp<long>(e, 1, long(f.expMax()) - 1)); }

void randomPair(Rng& r, const Fmt& f, Shape shape, Operands& o) {
  o.a = randomFloat(r, f);
  const bool aFinite = f.expOf(o.a) != f.expMax();
  const long ea = long(f.expOf(o.a));
  switch (aFinite ? r.below(10) : 0) {
    case 8: case 9:  // product/quotient within a few ulps of 2^emin or of max-finite
      if (shape != Shape::Add && !f.isZero(o.a)) {
        const uint64_t target = r.bit() ? f.pack(false, 1, 0) : f.pack(false, f.expMax() - 1, ~0ull);
        const uint64_t absA = o.a & ~f.signMask();
        Env env{Rounding(r.below(5)), 0};
        uint64_t b = f.width() == 32
                         ? (shape == Shape::Mul ? sf::f32_div(uint32_t(target), uint32_t(absA), env)
                                                : sf::f32_div(uint32_t(absA), uint32_t(target), env))
                         : (shape == Shape::Mul ? sf::f64_div(target, absA, env) : sf::f64_div(absA, target, env));
        if (!f.isZero(b) && f.expOf(b) != f.expMax()) b += r.below(5) - 2;
        o.b = b ^ (r.bit() ? f.signMask() : 0);
        break;
      }
      [[fallthrough]];
    case 3:  // close exponents: cancellation in add/sub
      o.b = f.pack(r.bit(), clampExp(f, ea + long(r.below(5)) - 2), r.next());
      if (f.expOf(o.a) == 0) o.b = f.pack(r.bit(), r.below(2), r.next());
      break;
    case 4:  // a with perturbed low bits, maybe negated
      o.b = (o.a ^ r.below(16)) ^ (r.bit() ? f.signMask() : 0);
      break;
    case 5:  // exactly ±a
      o.b = o.a ^ (r.bit() ? f.signMask() : 0);
      break;
    case 6: case 7: {
      const long bias = f.bias();
      const uint64_t frac = r.below(3) == 0 ? uint64_t(1) << r.below(f.fracBits) : r.next();
      if (shape == Shape::Add) {
        // b just around a's rounding position: ties and sticky bits.
        o.b = f.pack(r.bit(), clampExp(f, ea - f.precision() + long(r.below(5)) - 2), frac);
      } else {
        // Aim the result exponent at the underflow or overflow threshold.
        const long emin = 1 - bias, emax = bias;
        const long target = r.bit() ? emin - long(r.below(f.precision() + 3)) + 1
                                    : emax - 1 + long(r.below(3));
        const long unbA = ea - bias;
        const long unbB = shape == Shape::Mul ? target - unbA : unbA - target;
        o.b = f.pack(r.bit(), clampExp(f, unbB + bias), frac);
      }
      break;
    }
    default:
      o.b = randomFloat(r, f);
  }
}

void randomTriple(Rng& r, const Fmt& f, Operands& o) {
  randomPair(r, f, Shape::Mul, o);
  o.negProduct = r.bit();
  o.negAddend = r.bit();
  Env env;  // approximate product, only used to pick interesting addends
  const uint64_t p = f.width() == 32 ? sf::f32_mul(uint32_t(o.a), uint32_t(o.b), env)
                                     : sf::f64_mul(o.a, o.b, env);
  const bool pFinite = f.expOf(p) != f.expMax() && !f.isZero(p);
  switch (pFinite ? r.below(6) : 0) {
    case 2: case 3: {  // c close to -(±a*b): massive cancellation, exact zeros
      uint64_t c = p;
      if (r.below(3) != 0) c += r.below(5) - 2;
      if (f.expOf(c) == f.expMax()) c = p;
      // Make (±a*b) + (±c) a subtraction.
      const bool productNeg = ((p & f.signMask()) != 0) != o.negProduct;
      const bool cNeg = !productNeg != o.negAddend;
      o.c = (c & ~f.signMask()) | (cNeg ? f.signMask() : 0);
      break;
    }
    case 4: {  // partial overlap with the product
      const long e = long(f.expOf(p)) + long(r.below(2 * f.precision() + 7)) - f.precision() - 3;
      o.c = f.pack(r.bit(), clampExp(f, e), r.next());
      break;
    }
    default:
      o.c = randomFloat(r, f);
  }
}

// ===========================================================================
// Differential harness
// ===========================================================================

struct Outcome {
  uint64_t bits;
  uint8_t flags;
  bool isNaN;  // the host produced some NaN: softfp must give the canonical NaN
};

// Compares one softfp result against an expectation.  Returns "" if equal.
std::string compare(const Outcome& want, uint64_t gotBits, uint8_t gotFlags, uint64_t canonicalNaN) {
  const bool valueOk = want.isNaN ? gotBits == canonicalNaN : gotBits == want.bits;
  if (valueOk && want.flags == gotFlags) return "";
  return "want " + (want.isNaN ? std::string("NaN") : hex(want.bits)) + " [" + flagStr(want.flags) +
         "] got " + hex(gotBits) + " [" + flagStr(gotFlags) + "]";
}

std::string describe(const Operands& o, int arity) {
  std::string s = "a=" + hex(o.a);
  if (arity > 1) s += " b=" + hex(o.b);
  if (arity > 2)
    s += " c=" + hex(o.c) + " negP=" + std::to_string(o.negProduct) +
         " negC=" + std::to_string(o.negAddend);
  return s;
}

struct DiffStats {
  long cases = 0;
  long failures = 0;
  long flagCount[5] = {};  // host NX, UF, OF, DZ, NV occurrences: generator coverage
  long nanResults = 0;
};

std::string coverage(const DiffStats& st) {
  static const char* const names[] = {"NX", "UF", "OF", "DZ", "NV"};
  std::string s;
  for (int i = 0; i < 5; ++i)
    if (st.flagCount[i]) s += " " + std::string(names[i]) + "=" + std::to_string(st.flagCount[i]);
  if (st.nanResults) s += " NaN=" + std::to_string(st.nanResults);
  return s;
}

// Runs `casesPerMode` random cases in each host rounding mode (or only RNE
// if the operation does not round).  host(ops) must clear the host flags,
// compute, and read them back; soft(ops, env) runs softfp.
template <class Gen, class Host, class Soft>
DiffStats differential(const char* name, int arity, uint64_t canonicalNaN, bool rounds,
                       long casesPerMode, Gen gen, Host host, Soft soft) {
  HostModeGuard guard;
  Rng rng(seedFor(name));
  DiffStats st;
  for (Rounding rm : {Rounding::RNE, Rounding::RTZ, Rounding::RDN, Rounding::RUP}) {
    if (!rounds && rm != Rounding::RNE) continue;
    std::fesetround(hostMode(rm));
    const long n = rounds ? casesPerMode : 4 * casesPerMode;
    for (long i = 0; i < n; ++i) {
      Operands o;
      gen(rng, o);
      const Outcome want = host(o);
      Env env{rm, 0};
      const uint64_t got = soft(o, env);
      const std::string err = compare(want, got, env.flags, canonicalNaN);
      ++st.cases;
      for (int k = 0; k < 5; ++k) st.flagCount[k] += (want.flags >> k) & 1;
      st.nanResults += want.isNaN;
      if (!err.empty() && ++st.failures <= 10)
        ADD_FAILURE() << name << " " << modeName(rm) << " " << describe(o, arity) << ": " << err;
    }
  }
  std::printf("    [%s: %ld random cases; expected flags:%s]\n", name, st.cases, coverage(st).c_str());
  EXPECT_EQ(st.failures, 0) << name;
  return st;
}

// Host computation helpers.  `volatile` keeps the operations between the
// flag clear and the flag read and prevents constant folding.
template <class T>
Outcome hostOutcome(T r) {
  volatile T v = r;
  const uint8_t flags = hostFlags();
  return {bitsOf(T(v)), flags, std::isnan(T(v))};
}

}  // namespace

// ===========================================================================
// 1. Directed tests (hand-checked constants)
// ===========================================================================
namespace {

// Expected {bits, flags} for RNE, RTZ, RDN, RUP, RMM (the Rounding order).
struct Want {
  uint64_t bits;
  uint8_t flags;
};
using PerMode = Want[5];

template <class Fn>
void expectModes(const std::string& what, Fn fn, const PerMode& want) {
  for (Rounding rm : kAllModes) {
    Env env{rm, 0};
    const uint64_t got = uint64_t(fn(env));
    const Want& w = want[static_cast<int>(rm)];
    EXPECT_EQ(hex(got), hex(w.bits)) << what << " in " << modeName(rm);
    EXPECT_EQ(flagStr(env.flags), flagStr(w.flags)) << what << " in " << modeName(rm);
  }
}

// Same expectation in every mode.
template <class Fn>
void expectAll(const std::string& what, Fn fn, uint64_t bits, uint8_t flags) {
  const PerMode w = {{bits, flags}, {bits, flags}, {bits, flags}, {bits, flags}, {bits, flags}};
  expectModes(what, fn, w);
}

constexpr uint8_t NX = sf::kNX, UF = sf::kUF, OF = sf::kOF, DZ = sf::kDZ, NV = sf::kNV;

// binary32 constants
constexpr uint32_t kOne = 0x3f800000, kTwo = 0x40000000, kHalf = 0x3f000000, kNegOne = 0xbf800000;
constexpr uint32_t kInf = 0x7f800000, kNegInf = 0xff800000, kMax = 0x7f7fffff;
constexpr uint32_t kQNaN = 0x7fc00000, kQNaNPayload = 0x7fc12345, kSNaN = 0x7f800001,
                   kNegSNaN = 0xff812345;
constexpr uint32_t kPosZero = 0, kNegZero = 0x80000000, kMinSub = 1;
constexpr uint32_t kCanon32 = sf::kCanonicalNaN32;
// binary64 constants
constexpr uint64_t kOne64 = 0x3ff0000000000000, kTwo64 = 0x4000000000000000;
constexpr uint64_t kInf64 = 0x7ff0000000000000, kMax64 = 0x7fefffffffffffff;
constexpr uint64_t kSign64 = 0x8000000000000000, kHalf64 = 0x3fe0000000000000;
constexpr uint64_t kQNaN64Payload = 0x7ff8000000000123, kSNaN64 = 0x7ff0000000000001;
constexpr uint64_t kCanon64 = sf::kCanonicalNaN64;

uint32_t f32Exact(double v) {  // exact host conversion, for building operands
  const float f = float(v);
  EXPECT_EQ(double(f), v);
  return bitsOf(f);
}

TEST(SoftFpDirected, RmmTiesGoAwayFromZero) {
  // 1 + 2^-24 is exactly halfway between 1 and 1 + 2^-23 (binary32).
  const uint32_t tiny = 0x33800000;  // 2^-24
  expectModes("1 + 2^-24", [&](Env& e) { return sf::f32_add(kOne, tiny, e); },
              {{0x3f800000, NX}, {0x3f800000, NX}, {0x3f800000, NX}, {0x3f800001, NX},
               {0x3f800001, NX}});
  // Negative tie: RMM goes to the more negative neighbour.
  expectModes("-1 - 2^-24", [&](Env& e) { return sf::f32_add(kNegOne, tiny | 0x80000000u, e); },
              {{0xbf800000, NX}, {0xbf800000, NX}, {0xbf800001, NX}, {0xbf800000, NX},
               {0xbf800001, NX}});
  // Tie with an odd lower neighbour: RNE and RMM agree.
  expectModes("(1+2^-23) + 2^-24", [&](Env& e) { return sf::f32_add(0x3f800001, tiny, e); },
              {{0x3f800002, NX}, {0x3f800001, NX}, {0x3f800001, NX}, {0x3f800002, NX},
               {0x3f800002, NX}});
  // Just below the tie (2^-24 - 2^-48): RMM must not round up.
  expectModes("1 + (2^-24 - 2^-48)", [&](Env& e) { return sf::f32_add(kOne, 0x337fffff, e); },
              {{0x3f800000, NX}, {0x3f800000, NX}, {0x3f800000, NX}, {0x3f800001, NX},
               {0x3f800000, NX}});
  // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24: a tie in multiplication.
  expectModes("(1+2^-12)^2", [&](Env& e) { return sf::f32_mul(0x3f800800, 0x3f800800, e); },
              {{0x3f801000, NX}, {0x3f801000, NX}, {0x3f801000, NX}, {0x3f801001, NX},
               {0x3f801001, NX}});
  expectModes("fma 1*1 + 2^-24", [&](Env& e) { return sf::f32_muladd(kOne, kOne, tiny, false, false, e); },
              {{0x3f800000, NX}, {0x3f800000, NX}, {0x3f800000, NX}, {0x3f800001, NX},
               {0x3f800001, NX}});
  // binary64: 1 + 2^-53.
  expectModes("f64 1 + 2^-53", [&](Env& e) { return sf::f64_add(kOne64, 0x3ca0000000000000, e); },
              {{0x3ff0000000000000, NX}, {0x3ff0000000000000, NX}, {0x3ff0000000000000, NX},
               {0x3ff0000000000001, NX}, {0x3ff0000000000001, NX}});
  expectModes("f64 -1 - 2^-53",
              [&](Env& e) { return sf::f64_add(kOne64 | kSign64, 0xbca0000000000000, e); },
              {{0xbff0000000000000, NX}, {0xbff0000000000000, NX}, {0xbff0000000000001, NX},
               {0xbff0000000000000, NX}, {0xbff0000000000001, NX}});
  // Conversions: 2^24 + 1 and 1 + 2^-24 (from binary64) are ties in binary32.
  expectModes("i32 16777217", [&](Env& e) { return sf::i32_to_f32(16777217, e); },
              {{0x4b800000, NX}, {0x4b800000, NX}, {0x4b800000, NX}, {0x4b800001, NX},
               {0x4b800001, NX}});
  expectModes("i32 -16777217", [&](Env& e) { return sf::i32_to_f32(-16777217, e); },
              {{0xcb800000, NX}, {0xcb800000, NX}, {0xcb800001, NX}, {0xcb800000, NX},
               {0xcb800001, NX}});
  expectModes("f64->f32 1 + 2^-24", [&](Env& e) { return sf::f64_to_f32(0x3ff0000010000000, e); },
              {{0x3f800000, NX}, {0x3f800000, NX}, {0x3f800000, NX}, {0x3f800001, NX},
               {0x3f800001, NX}});
  // 2^53 + 1 to binary64.
  expectModes("u64 2^53+1", [&](Env& e) { return sf::u64_to_f64((1ull << 53) + 1, e); },
              {{0x4340000000000000, NX}, {0x4340000000000000, NX}, {0x4340000000000000, NX},
               {0x4340000000000001, NX}, {0x4340000000000001, NX}});
}

TEST(SoftFpDirected, SubnormalResultsAndUnderflowInEveryMode) {
  // 2^-149 * 0.5 = 2^-150: halfway between 0 and the smallest subnormal.
  expectModes("2^-149 * 0.5", [&](Env& e) { return sf::f32_mul(kMinSub, kHalf, e); },
              {{0, UF | NX}, {0, UF | NX}, {0, UF | NX}, {1, UF | NX}, {1, UF | NX}});
  expectModes("-2^-149 * 0.5", [&](Env& e) { return sf::f32_mul(0x80000001, kHalf, e); },
              {{0x80000000, UF | NX}, {0x80000000, UF | NX}, {0x80000001, UF | NX},
               {0x80000000, UF | NX}, {0x80000001, UF | NX}});
  // 3 * 2^-150 = 1.5 * 2^-149 (a tie between 1 and 2 units).
  expectModes("2^-149 * 1.5", [&](Env& e) { return sf::f32_mul(kMinSub, 0x3fc00000, e); },
              {{2, UF | NX}, {1, UF | NX}, {1, UF | NX}, {2, UF | NX}, {2, UF | NX}});
  // Tiny but exact: no UF (IEEE 754 §7.5 default handling).
  expectAll("2^-148 * 0.5", [&](Env& e) { return sf::f32_mul(2, kHalf, e); }, 1, 0);
  expectAll("subnormal sum", [&](Env& e) { return sf::f32_add(3, 1, e); }, 4, 0);
  expectAll("minnormal - next", [&](Env& e) { return sf::f32_sub(0x00800001, 0x00800000, e); }, 1, 0);
  expectAll("subnormal / 2 exact", [&](Env& e) { return sf::f32_div(0x00400000, kTwo, e); },
            0x00200000, 0);

  // Tininess AFTER rounding.  v = 2^-126 - 2^-151 = 1801*2^-75 * 18631*2^-76.
  // Rounded to 24 bits with unbounded exponent: a tie between 2^-126 - 2^-150
  // (odd) and 2^-126 (even), so RNE/RMM/RUP give 2^-126: not tiny, no UF,
  // even though the exact value is below 2^-126.  RTZ/RDN stay tiny.
  const uint32_t a1 = f32Exact(std::ldexp(1801.0, -75)), b1 = f32Exact(std::ldexp(18631.0, -76));
  expectModes("2^-126 - 2^-151", [&](Env& e) { return sf::f32_mul(a1, b1, e); },
              {{0x00800000, NX}, {0x007fffff, UF | NX}, {0x007fffff, UF | NX},
               {0x00800000, NX}, {0x00800000, NX}});
  // v = 2^-126 - 3*2^-152 = 5197*2^-76 * 12913*2^-76.  Unbounded 24-bit
  // rounding to nearest gives 2^-126 - 2^-150 (tiny), but the subnormal
  // rounding gives 2^-126: a normal result that still raises UF.
  const uint32_t a2 = f32Exact(std::ldexp(5197.0, -76)), b2 = f32Exact(std::ldexp(12913.0, -76));
  expectModes("2^-126 - 3*2^-152", [&](Env& e) { return sf::f32_mul(a2, b2, e); },
              {{0x00800000, UF | NX}, {0x007fffff, UF | NX}, {0x007fffff, UF | NX},
               {0x00800000, NX}, {0x00800000, UF | NX}});
  // Same in binary64: 2^-1074 * 0.5.
  expectModes("f64 2^-1074 * 0.5", [&](Env& e) { return sf::f64_mul(1, kHalf64, e); },
              {{0, UF | NX}, {0, UF | NX}, {0, UF | NX}, {1, UF | NX}, {1, UF | NX}});
  // f64 -> f32 into the subnormal range: 2^-150 and 2^-149 (exact).
  expectModes("f64->f32 2^-150", [&](Env& e) { return sf::f64_to_f32(0x3690000000000000, e); },
              {{0, UF | NX}, {0, UF | NX}, {0, UF | NX}, {1, UF | NX}, {1, UF | NX}});
  expectAll("f64->f32 2^-149", [&](Env& e) { return sf::f64_to_f32(0x36a0000000000000, e); }, 1, 0);
  // Far below the subnormal range: 2^-100 * 2^-100.
  expectModes("2^-100 * -2^-100", [&](Env& e) { return sf::f32_mul(0x0d800000, 0x8d800000, e); },
              {{0x80000000, UF | NX}, {0x80000000, UF | NX}, {0x80000001, UF | NX},
               {0x80000000, UF | NX}, {0x80000000, UF | NX}});
  // 1 / 2^127 = 2^-127 is an exact subnormal; 1 / (3 * 2^126) is not.
  expectAll("1 / 2^127", [&](Env& e) { return sf::f32_div(kOne, 0x7f000000, e); }, 0x00400000, 0);
  expectModes("f32 sqrt(2^-149)", [&](Env& e) { return sf::f32_sqrt(kMinSub, e); },
              {{0x1a3504f3, NX}, {0x1a3504f3, NX}, {0x1a3504f3, NX}, {0x1a3504f4, NX},
               {0x1a3504f3, NX}});
}

TEST(SoftFpDirected, OverflowInEveryMode) {
  expectModes("max * 2", [&](Env& e) { return sf::f32_mul(kMax, kTwo, e); },
              {{kInf, OF | NX}, {kMax, OF | NX}, {kMax, OF | NX}, {kInf, OF | NX}, {kInf, OF | NX}});
  expectModes("-max * 2", [&](Env& e) { return sf::f32_mul(kMax | 0x80000000u, kTwo, e); },
              {{kNegInf, OF | NX}, {0xff7fffff, OF | NX}, {kNegInf, OF | NX},
               {0xff7fffff, OF | NX}, {kNegInf, OF | NX}});
  // max + half an ulp (2^103): a tie between max (odd) and 2^128.  Directed
  // modes that round down do not overflow at all (the unbounded result is max).
  expectModes("max + 2^103", [&](Env& e) { return sf::f32_add(kMax, 0x73000000, e); },
              {{kInf, OF | NX}, {kMax, NX}, {kMax, NX}, {kInf, OF | NX}, {kInf, OF | NX}});
  expectModes("max + 2^102", [&](Env& e) { return sf::f32_add(kMax, 0x72800000, e); },
              {{kMax, NX}, {kMax, NX}, {kMax, NX}, {kInf, OF | NX}, {kMax, NX}});
  expectModes("-max - 2^103", [&](Env& e) { return sf::f32_sub(0xff7fffff, 0x73000000, e); },
              {{kNegInf, OF | NX}, {0xff7fffff, NX}, {kNegInf, OF | NX}, {0xff7fffff, NX},
               {kNegInf, OF | NX}});
  expectAll("max + 0", [&](Env& e) { return sf::f32_add(kMax, kPosZero, e); }, kMax, 0);
  expectModes("f64 max * 2", [&](Env& e) { return sf::f64_mul(kMax64, kTwo64, e); },
              {{kInf64, OF | NX}, {kMax64, OF | NX}, {kMax64, OF | NX}, {kInf64, OF | NX},
               {kInf64, OF | NX}});
  expectModes("f64 1 / 2^-1074", [&](Env& e) { return sf::f64_div(kOne64 | kSign64, 1, e); },
              {{kInf64 | kSign64, OF | NX}, {kMax64 | kSign64, OF | NX}, {kInf64 | kSign64, OF | NX},
               {kMax64 | kSign64, OF | NX}, {kInf64 | kSign64, OF | NX}});
  expectModes("f64->f32 2^128", [&](Env& e) { return sf::f64_to_f32(0x47f0000000000000, e); },
              {{kInf, OF | NX}, {kMax, OF | NX}, {kMax, OF | NX}, {kInf, OF | NX}, {kInf, OF | NX}});
  expectModes("fma max*2 - max", [&](Env& e) { return sf::f32_muladd(kMax, kTwo, kMax, false, true, e); },
              {{kMax, 0}, {kMax, 0}, {kMax, 0}, {kMax, 0}, {kMax, 0}});  // no intermediate overflow
  expectModes("u64 max -> f32", [&](Env& e) { return sf::u64_to_f32(~0ull, e); },
              {{0x5f800000, NX}, {0x5f7fffff, NX}, {0x5f7fffff, NX}, {0x5f800000, NX},
               {0x5f800000, NX}});
}

TEST(SoftFpDirected, FusedMultiplyAddInvalidRule) {
  // RISC-V: 0 * inf in a fused multiply-add is invalid even if c is a qNaN.
  expectAll("0*inf+qNaN", [&](Env& e) { return sf::f32_muladd(kPosZero, kInf, kQNaN, false, false, e); },
            kCanon32, NV);
  expectAll("inf*-0+qNaN'", [&](Env& e) { return sf::f32_muladd(kInf, kNegZero, kQNaNPayload, true, true, e); },
            kCanon32, NV);
  expectAll("0*inf+1", [&](Env& e) { return sf::f32_muladd(kPosZero, kNegInf, kOne, false, false, e); },
            kCanon32, NV);
  expectAll("f64 0*inf+qNaN", [&](Env& e) { return sf::f64_muladd(0, kInf64, kQNaN64Payload, false, false, e); },
            kCanon64, NV);
  // Not 0*inf: a quiet NaN propagates (canonically) without NV.
  expectAll("qNaN*0+inf", [&](Env& e) { return sf::f32_muladd(kQNaNPayload, kPosZero, kInf, false, false, e); },
            kCanon32, 0);
  expectAll("f64 qNaN*1+1", [&](Env& e) { return sf::f64_muladd(kQNaN64Payload, kOne64, kOne64, false, false, e); },
            kCanon64, 0);
  expectAll("1*1+sNaN", [&](Env& e) { return sf::f32_muladd(kOne, kOne, kSNaN, false, false, e); }, kCanon32, NV);
  // inf - inf inside the fused operation, and the negation flags.
  expectAll("inf*1 + -inf", [&](Env& e) { return sf::f32_muladd(kInf, kOne, kNegInf, false, false, e); },
            kCanon32, NV);
  expectAll("inf*1 - -inf", [&](Env& e) { return sf::f32_muladd(kInf, kOne, kNegInf, false, true, e); },
            kInf, 0);
  expectAll("-(inf*1) + -inf", [&](Env& e) { return sf::f32_muladd(kInf, kOne, kNegInf, true, false, e); },
            kNegInf, 0);
  expectAll("2*3 + inf", [&](Env& e) { return sf::f32_muladd(kTwo, 0x40400000, kNegInf, false, true, e); },
            kInf, 0);
  // Single rounding: (1+2^-12)^2 - 1 = 2^-11 + 2^-24 exactly.
  expectAll("fma exact", [&](Env& e) { return sf::f32_muladd(0x3f800800, 0x3f800800, kOne, false, true, e); },
            0x3a000400, 0);
}

TEST(SoftFpDirected, ZeroSigns) {
  const PerMode plusZeroExceptRdn = {{0, 0}, {0, 0}, {kNegZero, 0}, {0, 0}, {0, 0}};
  expectModes("1 + -1", [&](Env& e) { return sf::f32_add(kOne, kNegOne, e); }, plusZeroExceptRdn);
  expectModes("1 - 1", [&](Env& e) { return sf::f32_sub(kOne, kOne, e); }, plusZeroExceptRdn);
  expectModes("+0 + -0", [&](Env& e) { return sf::f32_add(kPosZero, kNegZero, e); }, plusZeroExceptRdn);
  expectModes("+0 - +0", [&](Env& e) { return sf::f32_sub(kPosZero, kPosZero, e); }, plusZeroExceptRdn);
  expectModes("2^-149 - 2^-149", [&](Env& e) { return sf::f32_add(kMinSub, 0x80000001, e); },
              plusZeroExceptRdn);
  expectAll("-0 + -0", [&](Env& e) { return sf::f32_add(kNegZero, kNegZero, e); }, kNegZero, 0);
  expectAll("-0 - +0", [&](Env& e) { return sf::f32_sub(kNegZero, kPosZero, e); }, kNegZero, 0);
  expectAll("+0 + +0", [&](Env& e) { return sf::f32_add(kPosZero, kPosZero, e); }, kPosZero, 0);
  expectAll("-0 + 1", [&](Env& e) { return sf::f32_add(kNegZero, kOne, e); }, kOne, 0);
  expectAll("-1 * +0", [&](Env& e) { return sf::f32_mul(kNegOne, kPosZero, e); }, kNegZero, 0);
  expectAll("-0 * -0", [&](Env& e) { return sf::f32_mul(kNegZero, kNegZero, e); }, kPosZero, 0);
  expectAll("-0 / 1", [&](Env& e) { return sf::f32_div(kNegZero, kOne, e); }, kNegZero, 0);
  expectAll("1 / -inf", [&](Env& e) { return sf::f32_div(kOne, kNegInf, e); }, kNegZero, 0);
  expectAll("sqrt(-0)", [&](Env& e) { return sf::f32_sqrt(kNegZero, e); }, kNegZero, 0);
  expectAll("f64 sqrt(-0)", [&](Env& e) { return sf::f64_sqrt(kSign64, e); }, kSign64, 0);
  expectModes("f64 1 - 1", [&](Env& e) { return sf::f64_sub(kOne64, kOne64, e); },
              {{0, 0}, {0, 0}, {kSign64, 0}, {0, 0}, {0, 0}});
  // Fused multiply-add zero signs.
  expectModes("fma 1*1 - 1", [&](Env& e) { return sf::f32_muladd(kOne, kOne, kOne, false, true, e); },
              plusZeroExceptRdn);
  expectModes("fma +0*1 + -0", [&](Env& e) { return sf::f32_muladd(kPosZero, kOne, kNegZero, false, false, e); },
              plusZeroExceptRdn);
  expectAll("fma -0*1 + -0", [&](Env& e) { return sf::f32_muladd(kNegZero, kOne, kNegZero, false, false, e); },
            kNegZero, 0);
  expectAll("fma -(0*1) - 0", [&](Env& e) { return sf::f32_muladd(kPosZero, kOne, kPosZero, true, true, e); },
            kNegZero, 0);
  expectAll("fma 0*1 + 5", [&](Env& e) { return sf::f32_muladd(kPosZero, kOne, 0x40a00000, true, false, e); },
            0x40a00000, 0);
  expectModes("fma 2^-149*1 - 2^-149", [&](Env& e) { return sf::f32_muladd(kMinSub, kOne, kMinSub, false, true, e); },
              plusZeroExceptRdn);
  // A non-zero product that underflows keeps its sign when c is zero.
  expectModes("fma 2^-100*2^-100 + -0", [&](Env& e) { return sf::f32_muladd(0x0d800000, 0x0d800000, kNegZero, false, false, e); },
              {{0, UF | NX}, {0, UF | NX}, {0, UF | NX}, {1, UF | NX}, {0, UF | NX}});
  expectModes("fma -(2^-100*2^-100) + +0", [&](Env& e) { return sf::f32_muladd(0x0d800000, 0x0d800000, kPosZero, true, false, e); },
              {{kNegZero, UF | NX}, {kNegZero, UF | NX}, {0x80000001, UF | NX}, {kNegZero, UF | NX},
               {kNegZero, UF | NX}});
  expectAll("i32 0 -> f32", [&](Env& e) { return sf::i32_to_f32(0, e); }, 0, 0);
  expectAll("-0 -> i32", [&](Env& e) { return sf::f32_to_i32(kNegZero, e); }, 0, 0);
  expectAll("-0 -> u64", [&](Env& e) { return sf::f64_to_u64(kSign64, e); }, 0, 0);
}
}  // namespace

namespace {

constexpr uint64_t kI32Min = 0xffffffff80000000ull, kI32Max = 0x7fffffff;
constexpr uint64_t kI64Min = 0x8000000000000000ull, kI64Max = 0x7fffffffffffffffull;
constexpr uint64_t kAllOnes = ~0ull;

// "FCVT.W.S conversion results" table of the F chapter, for each target.
TEST(SoftFpDirected, FcvtToIntSaturationTable) {
  struct Row {
    const char* what;
    uint32_t in;
    uint64_t w, wu, l, lu;
  };
  // Every row raises exactly NV: -inf, below range, above range, +inf, NaNs.
  const Row rows[] = {
      {"-inf", kNegInf, kI32Min, 0, kI64Min, 0},
      {"-2^64", 0xdf800000, kI32Min, 0, kI64Min, 0},
      {"+2^64", 0x5f800000, kI32Max, kAllOnes, kI64Max, kAllOnes},
      {"+inf", kInf, kI32Max, kAllOnes, kI64Max, kAllOnes},
      {"qNaN", kQNaN, kI32Max, kAllOnes, kI64Max, kAllOnes},
      {"-qNaN", 0xffc00000, kI32Max, kAllOnes, kI64Max, kAllOnes},
      {"-sNaN", kNegSNaN, kI32Max, kAllOnes, kI64Max, kAllOnes},
  };
  for (const Row& r : rows) {
    const std::string w = r.what;
    expectAll("W " + w, [&](Env& e) { return sf::f32_to_i32(r.in, e); }, r.w, NV);
    expectAll("WU " + w, [&](Env& e) { return sf::f32_to_u32(r.in, e); }, r.wu, NV);
    expectAll("L " + w, [&](Env& e) { return sf::f32_to_i64(r.in, e); }, r.l, NV);
    expectAll("LU " + w, [&](Env& e) { return sf::f32_to_u64(r.in, e); }, r.lu, NV);
  }
  expectAll("D->L NaN", [&](Env& e) { return sf::f64_to_i64(kSNaN64, e); }, kI64Max, NV);
  expectAll("D->WU NaN", [&](Env& e) { return sf::f64_to_u32(kQNaN64Payload, e); }, kAllOnes, NV);
  expectAll("D->W 1e300", [&](Env& e) { return sf::f64_to_i32(0x7e37e43c8800759c, e); }, kI32Max, NV);
  expectAll("D->LU -1e300", [&](Env& e) { return sf::f64_to_u64(0xfe37e43c8800759c, e); }, 0, NV);

  // Range edges (binary32 2^31, 2^32, 2^63; WU results are sign-extended).
  expectAll("W 2^31", [&](Env& e) { return sf::f32_to_i32(0x4f000000, e); }, kI32Max, NV);
  expectAll("W -2^31", [&](Env& e) { return sf::f32_to_i32(0xcf000000, e); }, kI32Min, 0);
  expectAll("WU 2^31", [&](Env& e) { return sf::f32_to_u32(0x4f000000, e); }, 0xffffffff80000000, 0);
  expectAll("WU 2^32-256", [&](Env& e) { return sf::f32_to_u32(0x4f7fffff, e); }, 0xffffffffffffff00, 0);
  expectAll("WU 2^32", [&](Env& e) { return sf::f32_to_u32(0x4f800000, e); }, kAllOnes, NV);
  expectAll("WU 3e9", [&](Env& e) { return sf::f32_to_u32(0x4f32d05e, e); }, 0xffffffffb2d05e00, 0);
  expectAll("W 3e9", [&](Env& e) { return sf::f32_to_i32(0x4f32d05e, e); }, kI32Max, NV);
  expectAll("WU -2^31", [&](Env& e) { return sf::f32_to_u32(0xcf000000, e); }, 0, NV);
  expectAll("L 2^63", [&](Env& e) { return sf::f32_to_i64(0x5f000000, e); }, kI64Max, NV);
  expectAll("L -2^63", [&](Env& e) { return sf::f32_to_i64(0xdf000000, e); }, kI64Min, 0);
  expectAll("LU 2^63", [&](Env& e) { return sf::f32_to_u64(0x5f000000, e); }, kI64Min, 0);
  expectAll("LU 2^64-2^40", [&](Env& e) { return sf::f32_to_u64(0x5f7fffff, e); }, 0xffffff0000000000, 0);
  expectAll("D->L -2^63", [&](Env& e) { return sf::f64_to_i64(0xc3e0000000000000, e); }, kI64Min, 0);
  expectAll("D->L 2^63-1024", [&](Env& e) { return sf::f64_to_i64(0x43dfffffffffffff, e); },
            0x7ffffffffffffc00, 0);
  expectAll("D->LU 2^64", [&](Env& e) { return sf::f64_to_u64(0x43f0000000000000, e); }, kAllOnes, NV);

  // Values that round across the limit: 2^31 - 0.5 and -2^31 - 0.5.
  expectModes("D->W 2147483647.5", [&](Env& e) { return sf::f64_to_i32(0x41dfffffffe00000, e); },
              {{kI32Max, NV}, {kI32Max, NX}, {kI32Max, NX}, {kI32Max, NV}, {kI32Max, NV}});
  expectModes("D->W -2147483648.5", [&](Env& e) { return sf::f64_to_i32(0xc1e0000000100000, e); },
              {{kI32Min, NX}, {kI32Min, NX}, {kI32Min, NV}, {kI32Min, NX}, {kI32Min, NV}});
  expectModes("D->WU 4294967295.5", [&](Env& e) { return sf::f64_to_u32(0x41effffffff00000, e); },
              {{kAllOnes, NV}, {kAllOnes, NX}, {kAllOnes, NX}, {kAllOnes, NV}, {kAllOnes, NV}});

  // Unsigned targets: negative values that round to 0 are only inexact;
  // those that round to -1 or below are invalid.
  expectModes("WU -0.25", [&](Env& e) { return sf::f32_to_u32(0xbe800000, e); },
              {{0, NX}, {0, NX}, {0, NV}, {0, NX}, {0, NX}});
  expectModes("WU -0.5", [&](Env& e) { return sf::f32_to_u32(0xbf000000, e); },
              {{0, NX}, {0, NX}, {0, NV}, {0, NX}, {0, NV}});
  expectModes("LU -0.75", [&](Env& e) { return sf::f32_to_u64(0xbf400000, e); },
              {{0, NV}, {0, NX}, {0, NV}, {0, NX}, {0, NV}});
  expectAll("LU -1", [&](Env& e) { return sf::f32_to_u64(kNegOne, e); }, 0, NV);
  expectModes("D->LU -2^-1074", [&](Env& e) { return sf::f64_to_u64(kSign64 | 1, e); },
              {{0, NX}, {0, NX}, {0, NV}, {0, NX}, {0, NX}});

  // Rounding of in-range values.
  expectModes("W 2.5", [&](Env& e) { return sf::f32_to_i32(0x40200000, e); },
              {{2, NX}, {2, NX}, {2, NX}, {3, NX}, {3, NX}});
  expectModes("W -2.5", [&](Env& e) { return sf::f32_to_i32(0xc0200000, e); },
              {{uint64_t(-2), NX}, {uint64_t(-2), NX}, {uint64_t(-3), NX}, {uint64_t(-2), NX},
               {uint64_t(-3), NX}});
  expectModes("L 3.5", [&](Env& e) { return sf::f32_to_i64(0x40600000, e); },
              {{4, NX}, {3, NX}, {3, NX}, {4, NX}, {4, NX}});
  expectModes("W 2^-149", [&](Env& e) { return sf::f32_to_i32(kMinSub, e); },
              {{0, NX}, {0, NX}, {0, NX}, {1, NX}, {0, NX}});
  expectModes("W -2^-149", [&](Env& e) { return sf::f32_to_i32(0x80000001, e); },
              {{0, NX}, {0, NX}, {kAllOnes, NX}, {0, NX}, {0, NX}});
  expectAll("W -7", [&](Env& e) { return sf::f32_to_i32(0xc0e00000, e); }, uint64_t(-7), 0);
  expectAll("D->LU 2^53+2", [&](Env& e) { return sf::f64_to_u64(0x4340000000000001, e); },
            (1ull << 53) + 2, 0);
}

TEST(SoftFpDirected, IntToFloat) {
  expectAll("i32 min", [&](Env& e) { return sf::i32_to_f32(INT32_MIN, e); }, 0xcf000000, 0);
  expectAll("i64 min -> f64", [&](Env& e) { return sf::i64_to_f64(INT64_MIN, e); }, 0xc3e0000000000000, 0);
  expectAll("i32 -1 -> f64", [&](Env& e) { return sf::i32_to_f64(-1, e); }, 0xbff0000000000000, 0);
  expectAll("u32 max -> f64", [&](Env& e) { return sf::u32_to_f64(~0u, e); }, 0x41efffffffe00000, 0);
  expectModes("i64 max -> f64", [&](Env& e) { return sf::i64_to_f64(INT64_MAX, e); },
              {{0x43e0000000000000, NX}, {0x43dfffffffffffff, NX}, {0x43dfffffffffffff, NX},
               {0x43e0000000000000, NX}, {0x43e0000000000000, NX}});
  expectModes("u32 max -> f32", [&](Env& e) { return sf::u32_to_f32(~0u, e); },
              {{0x4f800000, NX}, {0x4f7fffff, NX}, {0x4f7fffff, NX}, {0x4f800000, NX},
               {0x4f800000, NX}});
  expectModes("i64 -(2^63-1) -> f32", [&](Env& e) { return sf::i64_to_f32(-INT64_MAX, e); },
              {{0xdf000000, NX}, {0xdeffffff, NX}, {0xdf000000, NX}, {0xdeffffff, NX},
               {0xdf000000, NX}});
  expectAll("u64 0 -> f64", [&](Env& e) { return sf::u64_to_f64(0, e); }, 0, 0);
}

TEST(SoftFpDirected, FormatConversionsAndNaNs) {
  expectAll("f32->f64 2^-149", [&](Env& e) { return sf::f32_to_f64(kMinSub, e); }, 0x36a0000000000000, 0);
  expectAll("f32->f64 -max", [&](Env& e) { return sf::f32_to_f64(0xff7fffff, e); }, 0xc7efffffe0000000, 0);
  expectAll("f32->f64 -inf", [&](Env& e) { return sf::f32_to_f64(kNegInf, e); }, kInf64 | kSign64, 0);
  expectAll("f32->f64 sNaN", [&](Env& e) { return sf::f32_to_f64(kNegSNaN, e); }, kCanon64, NV);
  expectAll("f32->f64 qNaN", [&](Env& e) { return sf::f32_to_f64(kQNaNPayload, e); }, kCanon64, 0);
  expectAll("f64->f32 sNaN", [&](Env& e) { return sf::f64_to_f32(kSNaN64, e); }, kCanon32, NV);
  expectAll("f64->f32 -qNaN", [&](Env& e) { return sf::f64_to_f32(0xfff8000000000123, e); }, kCanon32, 0);
  expectAll("f64->f32 -0", [&](Env& e) { return sf::f64_to_f32(kSign64, e); }, kNegZero, 0);
}

TEST(SoftFpDirected, NaNsAndInvalidOperations) {
  expectAll("qNaN' + 1", [&](Env& e) { return sf::f32_add(kQNaNPayload, kOne, e); }, kCanon32, 0);
  expectAll("1 + -qNaN", [&](Env& e) { return sf::f32_add(kOne, 0xffc00000, e); }, kCanon32, 0);
  expectAll("sNaN + 1", [&](Env& e) { return sf::f32_add(kSNaN, kOne, e); }, kCanon32, NV);
  expectAll("qNaN * sNaN", [&](Env& e) { return sf::f32_mul(kQNaN, kNegSNaN, e); }, kCanon32, NV);
  expectAll("inf + -inf", [&](Env& e) { return sf::f32_add(kInf, kNegInf, e); }, kCanon32, NV);
  expectAll("inf - inf", [&](Env& e) { return sf::f32_sub(kInf, kInf, e); }, kCanon32, NV);
  expectAll("inf + inf", [&](Env& e) { return sf::f32_add(kInf, kInf, e); }, kInf, 0);
  expectAll("0 * inf", [&](Env& e) { return sf::f32_mul(kNegZero, kInf, e); }, kCanon32, NV);
  expectAll("0 / 0", [&](Env& e) { return sf::f32_div(kPosZero, kNegZero, e); }, kCanon32, NV);
  expectAll("inf / inf", [&](Env& e) { return sf::f32_div(kNegInf, kInf, e); }, kCanon32, NV);
  expectAll("1 / 0", [&](Env& e) { return sf::f32_div(kOne, kPosZero, e); }, kInf, DZ);
  expectAll("-1 / 0", [&](Env& e) { return sf::f32_div(kNegOne, kPosZero, e); }, kNegInf, DZ);
  expectAll("1 / -0", [&](Env& e) { return sf::f32_div(kOne, kNegZero, e); }, kNegInf, DZ);
  expectAll("2^-149 / 0", [&](Env& e) { return sf::f32_div(kMinSub, kPosZero, e); }, kInf, DZ);
  expectAll("inf / 0", [&](Env& e) { return sf::f32_div(kInf, kPosZero, e); }, kInf, 0);
  expectAll("f64 1 / -0", [&](Env& e) { return sf::f64_div(kOne64, kSign64, e); }, kInf64 | kSign64, DZ);
  expectAll("sqrt(-1)", [&](Env& e) { return sf::f32_sqrt(kNegOne, e); }, kCanon32, NV);
  expectAll("sqrt(-2^-149)", [&](Env& e) { return sf::f32_sqrt(0x80000001, e); }, kCanon32, NV);
  expectAll("sqrt(-inf)", [&](Env& e) { return sf::f32_sqrt(kNegInf, e); }, kCanon32, NV);
  expectAll("sqrt(-qNaN)", [&](Env& e) { return sf::f32_sqrt(0xffc00000, e); }, kCanon32, 0);
  expectAll("sqrt(sNaN)", [&](Env& e) { return sf::f32_sqrt(kSNaN, e); }, kCanon32, NV);
  expectAll("sqrt(inf)", [&](Env& e) { return sf::f32_sqrt(kInf, e); }, kInf, 0);
  expectAll("f64 sqrt(-1)", [&](Env& e) { return sf::f64_sqrt(kOne64 | kSign64, e); }, kCanon64, NV);
  expectAll("f64 sNaN - 1", [&](Env& e) { return sf::f64_sub(kSNaN64, kOne64, e); }, kCanon64, NV);
  expectAll("f64 inf * 0", [&](Env& e) { return sf::f64_mul(kInf64, 0, e); }, kCanon64, NV);
  expectAll("f64 qNaN' / 0", [&](Env& e) { return sf::f64_div(kQNaN64Payload, 0, e); }, kCanon64, 0);
}

TEST(SoftFpDirected, CorrectlyRoundedValues) {
  expectModes("1/3", [&](Env& e) { return sf::f32_div(kOne, 0x40400000, e); },
              {{0x3eaaaaab, NX}, {0x3eaaaaaa, NX}, {0x3eaaaaaa, NX}, {0x3eaaaaab, NX},
               {0x3eaaaaab, NX}});
  expectModes("-1/3", [&](Env& e) { return sf::f32_div(kNegOne, 0x40400000, e); },
              {{0xbeaaaaab, NX}, {0xbeaaaaaa, NX}, {0xbeaaaaab, NX}, {0xbeaaaaaa, NX},
               {0xbeaaaaab, NX}});
  expectModes("f64 1/3", [&](Env& e) { return sf::f64_div(kOne64, 0x4008000000000000, e); },
              {{0x3fd5555555555555, NX}, {0x3fd5555555555555, NX}, {0x3fd5555555555555, NX},
               {0x3fd5555555555556, NX}, {0x3fd5555555555555, NX}});
  expectModes("sqrt 2", [&](Env& e) { return sf::f32_sqrt(kTwo, e); },
              {{0x3fb504f3, NX}, {0x3fb504f3, NX}, {0x3fb504f3, NX}, {0x3fb504f4, NX},
               {0x3fb504f3, NX}});
  expectModes("f64 sqrt 2", [&](Env& e) { return sf::f64_sqrt(kTwo64, e); },
              {{0x3ff6a09e667f3bcd, NX}, {0x3ff6a09e667f3bcc, NX}, {0x3ff6a09e667f3bcc, NX},
               {0x3ff6a09e667f3bcd, NX}, {0x3ff6a09e667f3bcd, NX}});
  expectAll("sqrt 4", [&](Env& e) { return sf::f32_sqrt(0x40800000, e); }, kTwo, 0);
  expectAll("f64 sqrt 2^-1074", [&](Env& e) { return sf::f64_sqrt(1, e); }, 0x1e60000000000000, 0);
  // sqrt(max) = 2^512 * (1 - 2^-54 - ...): just below the midpoint 2^512 * (1 - 2^-54).
  expectModes("f64 sqrt max", [&](Env& e) { return sf::f64_sqrt(kMax64, e); },
              {{0x5fefffffffffffff, NX}, {0x5fefffffffffffff, NX}, {0x5fefffffffffffff, NX},
               {0x5ff0000000000000, NX}, {0x5fefffffffffffff, NX}});
  expectAll("1.5 * 1.5", [&](Env& e) { return sf::f32_mul(0x3fc00000, 0x3fc00000, e); }, 0x40100000, 0);
  expectModes("1 - 2^-30", [&](Env& e) { return sf::f32_sub(kOne, 0x30800000, e); },
              {{kOne, NX}, {0x3f7fffff, NX}, {0x3f7fffff, NX}, {kOne, NX}, {kOne, NX}});
}

TEST(SoftFpDirected, MinMax) {
  expectAll("min(-0,+0)", [&](Env& e) { return sf::f32_min(kNegZero, kPosZero, e); }, kNegZero, 0);
  expectAll("min(+0,-0)", [&](Env& e) { return sf::f32_min(kPosZero, kNegZero, e); }, kNegZero, 0);
  expectAll("max(-0,+0)", [&](Env& e) { return sf::f32_max(kNegZero, kPosZero, e); }, kPosZero, 0);
  expectAll("max(+0,-0)", [&](Env& e) { return sf::f32_max(kPosZero, kNegZero, e); }, kPosZero, 0);
  expectAll("min(qNaN,1)", [&](Env& e) { return sf::f32_min(kQNaNPayload, kOne, e); }, kOne, 0);
  expectAll("min(1,qNaN)", [&](Env& e) { return sf::f32_min(kOne, kQNaN, e); }, kOne, 0);
  expectAll("max(-qNaN,-1)", [&](Env& e) { return sf::f32_max(0xffc00000, kNegOne, e); }, kNegOne, 0);
  expectAll("min(sNaN,1)", [&](Env& e) { return sf::f32_min(kSNaN, kOne, e); }, kOne, NV);
  expectAll("max(-0,sNaN)", [&](Env& e) { return sf::f32_max(kNegZero, kNegSNaN, e); }, kNegZero, NV);
  expectAll("min(qNaN,qNaN')", [&](Env& e) { return sf::f32_min(kQNaN, kQNaNPayload, e); }, kCanon32, 0);
  expectAll("max(sNaN,qNaN)", [&](Env& e) { return sf::f32_max(kSNaN, kQNaN, e); }, kCanon32, NV);
  expectAll("min(-inf,max)", [&](Env& e) { return sf::f32_min(kNegInf, kMax, e); }, kNegInf, 0);
  expectAll("max(1,2)", [&](Env& e) { return sf::f32_max(kOne, kTwo, e); }, kTwo, 0);
  expectAll("min(-1,-2)", [&](Env& e) { return sf::f32_min(kNegOne, 0xc0000000, e); }, 0xc0000000, 0);
  expectAll("max(-1,-2)", [&](Env& e) { return sf::f32_max(kNegOne, 0xc0000000, e); }, kNegOne, 0);
  expectAll("max(inf,qNaN)", [&](Env& e) { return sf::f32_max(kInf, kQNaN, e); }, kInf, 0);
  expectAll("f64 min(+0,-0)", [&](Env& e) { return sf::f64_min(0, kSign64, e); }, kSign64, 0);
  expectAll("f64 max(-0,+0)", [&](Env& e) { return sf::f64_max(kSign64, 0, e); }, 0, 0);
  expectAll("f64 min(sNaN,2)", [&](Env& e) { return sf::f64_min(kSNaN64, kTwo64, e); }, kTwo64, NV);
  expectAll("f64 max(qNaN,qNaN)", [&](Env& e) { return sf::f64_max(kQNaN64Payload, kQNaN64Payload, e); },
            kCanon64, 0);
  expectAll("f64 max(1,2)", [&](Env& e) { return sf::f64_max(kOne64, kTwo64, e); }, kTwo64, 0);
}

TEST(SoftFpDirected, Compare) {
  auto check = [](const char* what, auto fn, bool want, uint8_t wantFlags) {
    Env env;
    EXPECT_EQ(fn(env), want) << what;
    EXPECT_EQ(flagStr(env.flags), flagStr(wantFlags)) << what;
  };
  check("eq(qNaN,1)", [](Env& e) { return sf::f32_eq(kQNaN, kOne, e); }, false, 0);
  check("eq(qNaN,qNaN)", [](Env& e) { return sf::f32_eq(kQNaN, kQNaN, e); }, false, 0);
  check("eq(sNaN,1)", [](Env& e) { return sf::f32_eq(kSNaN, kOne, e); }, false, NV);
  check("eq(-0,+0)", [](Env& e) { return sf::f32_eq(kNegZero, kPosZero, e); }, true, 0);
  check("eq(1,1)", [](Env& e) { return sf::f32_eq(kOne, kOne, e); }, true, 0);
  check("eq(1,-1)", [](Env& e) { return sf::f32_eq(kOne, kNegOne, e); }, false, 0);
  check("lt(qNaN,1)", [](Env& e) { return sf::f32_lt(kQNaN, kOne, e); }, false, NV);
  check("le(1,qNaN)", [](Env& e) { return sf::f32_le(kOne, kQNaN, e); }, false, NV);
  check("lt(-0,+0)", [](Env& e) { return sf::f32_lt(kNegZero, kPosZero, e); }, false, 0);
  check("le(+0,-0)", [](Env& e) { return sf::f32_le(kPosZero, kNegZero, e); }, true, 0);
  check("lt(-1,1)", [](Env& e) { return sf::f32_lt(kNegOne, kOne, e); }, true, 0);
  check("lt(1,-1)", [](Env& e) { return sf::f32_lt(kOne, kNegOne, e); }, false, 0);
  check("lt(-2,-1)", [](Env& e) { return sf::f32_lt(0xc0000000, kNegOne, e); }, true, 0);
  check("le(-1,-2)", [](Env& e) { return sf::f32_le(kNegOne, 0xc0000000, e); }, false, 0);
  check("le(inf,inf)", [](Env& e) { return sf::f32_le(kInf, kInf, e); }, true, 0);
  check("lt(-inf,-max)", [](Env& e) { return sf::f32_lt(kNegInf, 0xff7fffff, e); }, true, 0);
  check("f64 eq(sNaN,sNaN)", [](Env& e) { return sf::f64_eq(kSNaN64, kSNaN64, e); }, false, NV);
  check("f64 lt(qNaN,1)", [](Env& e) { return sf::f64_lt(kQNaN64Payload, kOne64, e); }, false, NV);
  check("f64 le(-0,+0)", [](Env& e) { return sf::f64_le(kSign64, 0, e); }, true, 0);
  check("f64 lt(2^-1074,2^-1073)", [](Env& e) { return sf::f64_lt(1, 2, e); }, true, 0);
}

TEST(SoftFpDirected, Classify) {
  const std::pair<uint32_t, int> f32Cases[] = {
      {kNegInf, 0}, {kNegOne, 1}, {0x80000001, 2}, {0x807fffff, 2}, {kNegZero, 3}, {kPosZero, 4},
      {kMinSub, 5}, {0x00800000, 6}, {kMax, 6}, {kInf, 7}, {kSNaN, 8}, {kNegSNaN, 8},
      {0x7fbfffff, 8}, {kQNaN, 9}, {0xffc00000, 9}, {kQNaNPayload, 9}};
  for (auto [in, bit] : f32Cases) EXPECT_EQ(sf::f32_classify(in), 1u << bit) << hex(in);
  const std::pair<uint64_t, int> f64Cases[] = {
      {kInf64 | kSign64, 0}, {kOne64 | kSign64, 1}, {kSign64 | 1, 2}, {kSign64, 3}, {0, 4},
      {0x000fffffffffffff, 5}, {kOne64, 6}, {kInf64, 7}, {kSNaN64, 8}, {kQNaN64Payload, 9},
      {kCanon64 | kSign64, 9}};
  for (auto [in, bit] : f64Cases) EXPECT_EQ(sf::f64_classify(in), 1u << bit) << hex(in);
}

// Env::rm is meant to hold a resolved static mode; reserved encodings (5, 6)
// and DYN (7) are rejected by the decoder, but must not crash here and are
// documented to act as RNE.
TEST(SoftFpDirected, OutOfRangeRoundingModeActsAsRne) {
  for (uint8_t rm : {5, 6, 7}) {
    Env env{Rounding(rm), 0};
    EXPECT_EQ(sf::f32_add(kOne, 0x33800000, env), kOne);
    EXPECT_EQ(sf::f32_mul(kMax, kTwo, env), kInf);
    EXPECT_EQ(sf::f32_to_i32(0x40200000, env), 2u);
    EXPECT_EQ(env.flags, NX | OF);
  }
}

TEST(SoftFpDirected, FlagsAccumulate) {
  Env env{Rounding::RNE, DZ};
  sf::f32_div(kOne, 0x40400000, env);
  EXPECT_EQ(env.flags, DZ | NX);
  sf::f32_add(kOne, kOne, env);  // exact: must not clear anything
  EXPECT_EQ(env.flags, DZ | NX);
}

}  // namespace

// ===========================================================================
// 2. Differential tests against the host FPU (RNE, RTZ, RDN, RUP)
// ===========================================================================
//
// Known host differences, masked below:
//  * NaN results: x86 returns the first NaN operand (quieted) or the default
//    NaN 0xffc00000 / 0xfff8000000000000.  RISC-V requires the canonical NaN,
//    so a host NaN only means "softfp must return the canonical NaN".
//  * fma(0, inf, qNaN): the host (hardware FMA via glibc) does not raise
//    invalid; RISC-V does, so NV is added to the host flags in that case.
//  * float -> integer: x86 cvt* return the "integer indefinite" value on
//    overflow/NaN and have no unsigned 32/64-bit forms, so those are checked
//    against nearbyint() in the current mode plus explicit range checks.
//  * FMIN/FMAX have no host equivalent with the RISC-V NaN/sNaN rules; they
//    are checked against a direct transcription of the spec text.
namespace {

constexpr long kCasesPerMode = 500000;  // x4 modes = 2M random cases per operation

template <class T>
constexpr const Fmt& fmtOf() {
  if constexpr (sizeof(T) == 4) return kF32; else return kF64;
}
template <class T>
T fromBits(uint64_t b) {
  if constexpr (sizeof(T) == 4) return asF32(uint32_t(b)); else return asF64(b);
}

// ---- host operations: clear flags, compute, read flags ----------------------
template <class T> Outcome hostAdd(const Operands& o) {
  volatile T x = fromBits<T>(o.a), y = fromBits<T>(o.b);
  std::feclearexcept(FE_ALL_EXCEPT);
  return hostOutcome<T>(x + y);
}
template <class T> Outcome hostSub(const Operands& o) {
  volatile T x = fromBits<T>(o.a), y = fromBits<T>(o.b);
  std::feclearexcept(FE_ALL_EXCEPT);
  return hostOutcome<T>(x - y);
}
template <class T> Outcome hostMul(const Operands& o) {
  volatile T x = fromBits<T>(o.a), y = fromBits<T>(o.b);
  std::feclearexcept(FE_ALL_EXCEPT);
  return hostOutcome<T>(x * y);
}
template <class T> Outcome hostDiv(const Operands& o) {
  volatile T x = fromBits<T>(o.a), y = fromBits<T>(o.b);
  std::feclearexcept(FE_ALL_EXCEPT);
  return hostOutcome<T>(x / y);
}
template <class T> Outcome hostSqrt(const Operands& o) {
  volatile T x = fromBits<T>(o.a);
  std::feclearexcept(FE_ALL_EXCEPT);
  return hostOutcome<T>(std::sqrt(T(x)));
}
template <class T> Outcome hostFma(const Operands& o) {
  volatile T x = fromBits<T>(o.a), y = fromBits<T>(o.b), z = fromBits<T>(o.c);
  if (o.negProduct) x = -x;  // -(a*b) == (-a)*b exactly
  if (o.negAddend) z = -z;
  std::feclearexcept(FE_ALL_EXCEPT);
  Outcome out = hostOutcome<T>(std::fma(T(x), T(y), T(z)));
  const Fmt& f = fmtOf<T>();
  const bool zeroTimesInf = (f.isZero(o.a) && f.isInf(o.b)) || (f.isInf(o.a) && f.isZero(o.b));
  if (zeroTimesInf && f.isNaN(o.c) && !f.isSNaN(o.c)) out.flags |= sf::kNV;  // masked, see above
  return out;
}

// ---- softfp, same signature -------------------------------------------------
template <class T> uint64_t softAdd(const Operands& o, Env& e) {
  if constexpr (sizeof(T) == 4) return sf::f32_add(uint32_t(o.a), uint32_t(o.b), e); else return sf::f64_add(o.a, o.b, e);
}
template <class T> uint64_t softSub(const Operands& o, Env& e) {
  if constexpr (sizeof(T) == 4) return sf::f32_sub(uint32_t(o.a), uint32_t(o.b), e); else return sf::f64_sub(o.a, o.b, e);
}
template <class T> uint64_t softMul(const Operands& o, Env& e) {
  if constexpr (sizeof(T) == 4) return sf::f32_mul(uint32_t(o.a), uint32_t(o.b), e); else return sf::f64_mul(o.a, o.b, e);
}
template <class T> uint64_t softDiv(const Operands& o, Env& e) {
  if constexpr (sizeof(T) == 4) return sf::f32_div(uint32_t(o.a), uint32_t(o.b), e); else return sf::f64_div(o.a, o.b, e);
}
template <class T> uint64_t softSqrt(const Operands& o, Env& e) {
  if constexpr (sizeof(T) == 4) return sf::f32_sqrt(uint32_t(o.a), e); else return sf::f64_sqrt(o.a, e);
}
template <class T> uint64_t softFma(const Operands& o, Env& e) {
  if constexpr (sizeof(T) == 4)
    return sf::f32_muladd(uint32_t(o.a), uint32_t(o.b), uint32_t(o.c), o.negProduct, o.negAddend, e);
  else
    return sf::f64_muladd(o.a, o.b, o.c, o.negProduct, o.negAddend, e);
}

// ---- generators ---------------------------------------------------------------
template <class T> auto genUnary() {
  return [](Rng& r, Operands& o) { o.a = randomFloat(r, fmtOf<T>()); };
}
template <class T> auto genSqrt() {  // mostly non-negative operands
  return [](Rng& r, Operands& o) {
    o.a = randomFloat(r, fmtOf<T>());
    if (r.below(4) != 0) o.a &= ~fmtOf<T>().signMask();
  };
}
template <class T> auto genPair(Shape s) {
  return [s](Rng& r, Operands& o) { randomPair(r, fmtOf<T>(), s, o); };
}
template <class T> auto genTriple() {
  return [](Rng& r, Operands& o) { randomTriple(r, fmtOf<T>(), o); };
}

// Value m * 2^e as format bits (m < 2^p, result normal, exact).
uint64_t packExact(const Fmt& f, bool neg, uint64_t m, int e) {
  const int lead = 63 - __builtin_clzll(m);
  return f.pack(neg, uint64_t(lead + e + f.bias()), m << (f.fracBits - lead));
}

// Floats near the integer conversion limits and half-integers.
uint64_t randomFloatForInt(Rng& r, const Fmt& f) {
  static const int kLimits[] = {-2, -1, 0, 1, 31, 32, 63, 64};
  switch (r.below(4)) {
    case 0: {  // ±2^k, moved a few ulps
      const int k = kLimits[r.below(8)];
      return packExact(f, r.bit(), 1, k) + r.below(9) - 4;
    }
    case 1: {  // n + 1/2 and n + 1/4 for small n (ties and non-ties)
      const uint64_t n = r.next() >> (64 - r.below(std::min(f.fracBits - 1, 40)) - 1);
      return packExact(f, r.bit(), 4 * n + 1 + r.below(3), -2);
    }
    default:
      return randomFloat(r, f);
  }
}

// ---- float -> integer reference: nearbyint (or round for RMM) + range -------
struct IntTarget {
  bool isSigned;
  int width;
};

Outcome refToInt(double x, IntTarget t, bool tiesAway) {
  const long double lo = t.isSigned ? -std::ldexp(1.0L, t.width - 1) : 0.0L;
  const long double hi = t.isSigned ? std::ldexp(1.0L, t.width - 1) - 1 : std::ldexp(1.0L, t.width) - 1;
  auto reg = [&](uint64_t v) { return t.width == 32 ? uint64_t(int64_t(int32_t(uint32_t(v)))) : v; };
  const uint64_t maxBits = t.isSigned ? uint64_t(hi) : (t.width == 64 ? ~0ull : uint64_t(hi));
  const uint64_t minBits = t.isSigned ? uint64_t(int64_t(lo)) : 0;
  if (std::isnan(x)) return {reg(maxBits), sf::kNV, false};
  // roundTiesToAway is C's round(); the other modes are the host's current mode.
  const double r = tiesAway ? std::round(x) : std::nearbyint(x);
  if (r < lo) return {reg(minBits), sf::kNV, false};
  if (r > hi) return {reg(maxBits), sf::kNV, false};
  const uint64_t v = r < 0 ? uint64_t(int64_t(r)) : uint64_t(r);
  return {reg(v), uint8_t(r != x ? sf::kNX : 0), false};
}

template <class T>
uint64_t softToInt(uint64_t a, IntTarget t, Env& e) {
  if constexpr (sizeof(T) == 4) {
    const uint32_t x = uint32_t(a);
    if (t.width == 32) return t.isSigned ? sf::f32_to_i32(x, e) : sf::f32_to_u32(x, e);
    return t.isSigned ? sf::f32_to_i64(x, e) : sf::f32_to_u64(x, e);
  } else {
    if (t.width == 32) return t.isSigned ? sf::f64_to_i32(a, e) : sf::f64_to_u32(a, e);
    return t.isSigned ? sf::f64_to_i64(a, e) : sf::f64_to_u64(a, e);
  }
}

// ---- integer -> float ---------------------------------------------------------
uint64_t randomInt(Rng& r) {
  static const uint64_t kEdges[] = {0, 1, 1ull << 24, 1ull << 31, 1ull << 32, 1ull << 53,
                                    1ull << 63, 0x7fffffff, 0xffffffff, 0x7fffffffffffffff};
  switch (r.below(6)) {
    case 0: return r.next();
    case 1: return kEdges[r.below(10)] + r.below(9) - 4;
    case 2: case 3: {  // p+1 significant bits: ties for binary32/64
      const int bits = r.bit() ? 25 : 54;
      const uint64_t m = ((r.next() >> (64 - bits)) | (1ull << (bits - 1)) | 1) + r.below(3) - 1;
      const uint64_t v = m << r.below(64 - bits);
      return r.bit() ? v : uint64_t(0) - v;
    }
    default: {
      const uint64_t v = r.next() >> r.below(64);
      return r.bit() ? v : uint64_t(0) - v;
    }
  }
}

enum class IntSrc { I32, U32, I64, U64 };

template <class T>
Outcome hostFromInt(uint64_t v, IntSrc s) {
  volatile uint64_t in = v;
  std::feclearexcept(FE_ALL_EXCEPT);
  switch (s) {
    case IntSrc::I32: return hostOutcome<T>(T(int32_t(uint32_t(in))));
    case IntSrc::U32: return hostOutcome<T>(T(uint32_t(in)));
    case IntSrc::I64: return hostOutcome<T>(T(int64_t(in)));
    default: return hostOutcome<T>(T(uint64_t(in)));
  }
}

template <class T>
uint64_t softFromInt(uint64_t v, IntSrc s, Env& e) {
  if constexpr (sizeof(T) == 4) {
    switch (s) {
      case IntSrc::I32: return sf::i32_to_f32(int32_t(uint32_t(v)), e);
      case IntSrc::U32: return sf::u32_to_f32(uint32_t(v), e);
      case IntSrc::I64: return sf::i64_to_f32(int64_t(v), e);
      default: return sf::u64_to_f32(v, e);
    }
  } else {
    switch (s) {
      case IntSrc::I32: return sf::i32_to_f64(int32_t(uint32_t(v)), e);
      case IntSrc::U32: return sf::u32_to_f64(uint32_t(v), e);
      case IntSrc::I64: return sf::i64_to_f64(int64_t(v), e);
      default: return sf::u64_to_f64(v, e);
    }
  }
}

#if defined(__x86_64__) || defined(__i386__)
#define HOST_DIFF_TEST(name) TEST(SoftFpHostDifferential, name)
#else
// Other hosts may detect tininess before rounding or differ in NaN/flag
// behaviour; these tests are calibrated for x86 SSE.
#define HOST_DIFF_TEST(name) TEST(SoftFpHostDifferential, DISABLED_##name)
#endif

template <class T>
void arithmeticDifferential(const char* prefix) {
  const uint64_t canon = fmtOf<T>().canonicalNaN();
  const std::string p = prefix;
  differential((p + "add").c_str(), 2, canon, true, kCasesPerMode, genPair<T>(Shape::Add), hostAdd<T>, softAdd<T>);
  differential((p + "sub").c_str(), 2, canon, true, kCasesPerMode, genPair<T>(Shape::Add), hostSub<T>, softSub<T>);
  differential((p + "mul").c_str(), 2, canon, true, kCasesPerMode, genPair<T>(Shape::Mul), hostMul<T>, softMul<T>);
  differential((p + "div").c_str(), 2, canon, true, kCasesPerMode, genPair<T>(Shape::Div), hostDiv<T>, softDiv<T>);
  differential((p + "sqrt").c_str(), 1, canon, true, kCasesPerMode, genSqrt<T>(), hostSqrt<T>, softSqrt<T>);
  differential((p + "muladd").c_str(), 3, canon, true, kCasesPerMode, genTriple<T>(), hostFma<T>, softFma<T>);
}

HOST_DIFF_TEST(F32Arithmetic) { arithmeticDifferential<float>("f32_"); }
HOST_DIFF_TEST(F64Arithmetic) { arithmeticDifferential<double>("f64_"); }

// Every binary32 significand in [1, 4) (both exponent parities): the square
// root's integer core sees each radicand shape once.
HOST_DIFF_TEST(F32SqrtExhaustiveTwoBinades) {
  HostModeGuard guard;
  long failures = 0;
  for (Rounding rm : {Rounding::RNE, Rounding::RUP}) {
    std::fesetround(hostMode(rm));
    for (uint32_t bits = 0x3f800000; bits < 0x40800000; ++bits) {
      Operands o;
      o.a = bits;
      const Outcome want = hostSqrt<float>(o);
      Env env{rm, 0};
      const uint64_t got = sf::f32_sqrt(bits, env);
      const std::string err = compare(want, got, env.flags, kCanon32);
      if (!err.empty() && ++failures <= 10) ADD_FAILURE() << "sqrt " << modeName(rm) << " " << hex(bits) << ": " << err;
    }
  }
  EXPECT_EQ(failures, 0);
}

template <class T>
void compareDifferential(const char* prefix) {
  const std::string p = prefix;
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  auto gen = genPair<T>(Shape::Add);
  // Host == is UCOMISS/UCOMISD (quiet), < and <= are COMISS/COMISD (signalling).
  differential((p + "eq").c_str(), 2, 0, false, kCasesPerMode, gen,
               [](const Operands& o) {
                 volatile T x = fromBits<T>(o.a), y = fromBits<T>(o.b);
                 std::feclearexcept(FE_ALL_EXCEPT);
                 volatile bool r = x == y;
                 return Outcome{r, hostFlags(), false};
               },
               [](const Operands& o, Env& e) -> uint64_t {
                 if constexpr (sizeof(T) == 4) return sf::f32_eq(Bits(o.a), Bits(o.b), e); else return sf::f64_eq(o.a, o.b, e);
               });
  differential((p + "lt").c_str(), 2, 0, false, kCasesPerMode, gen,
               [](const Operands& o) {
                 volatile T x = fromBits<T>(o.a), y = fromBits<T>(o.b);
                 std::feclearexcept(FE_ALL_EXCEPT);
                 volatile bool r = x < y;
                 return Outcome{r, hostFlags(), false};
               },
               [](const Operands& o, Env& e) -> uint64_t {
                 if constexpr (sizeof(T) == 4) return sf::f32_lt(Bits(o.a), Bits(o.b), e); else return sf::f64_lt(o.a, o.b, e);
               });
  differential((p + "le").c_str(), 2, 0, false, kCasesPerMode, gen,
               [](const Operands& o) {
                 volatile T x = fromBits<T>(o.a), y = fromBits<T>(o.b);
                 std::feclearexcept(FE_ALL_EXCEPT);
                 volatile bool r = x <= y;
                 return Outcome{r, hostFlags(), false};
               },
               [](const Operands& o, Env& e) -> uint64_t {
                 if constexpr (sizeof(T) == 4) return sf::f32_le(Bits(o.a), Bits(o.b), e); else return sf::f64_le(o.a, o.b, e);
               });
  // FMIN/FMAX against the spec text, using host comparisons for ordering.
  for (bool isMax : {false, true}) {
    differential((p + (isMax ? "max" : "min")).c_str(), 2, fmtOf<T>().canonicalNaN(), false, kCasesPerMode, gen,
                 [isMax](const Operands& o) {
                   const Fmt& f = fmtOf<T>();
                   const uint8_t nv = (f.isSNaN(o.a) || f.isSNaN(o.b)) ? sf::kNV : 0;
                   if (f.isNaN(o.a) && f.isNaN(o.b)) return Outcome{0, nv, true};
                   if (f.isNaN(o.a)) return Outcome{o.b, nv, false};
                   if (f.isNaN(o.b)) return Outcome{o.a, nv, false};
                   const T x = fromBits<T>(o.a), y = fromBits<T>(o.b);
                   // -0 < +0: break the ±0 tie on the sign bit.
                   const bool aLess = x < y || (x == y && std::signbit(x) && !std::signbit(y));
                   return Outcome{aLess != isMax ? o.a : o.b, nv, false};
                 },
                 [isMax](const Operands& o, Env& e) -> uint64_t {
                   if constexpr (sizeof(T) == 4)
                     return isMax ? sf::f32_max(Bits(o.a), Bits(o.b), e) : sf::f32_min(Bits(o.a), Bits(o.b), e);
                   else
                     return isMax ? sf::f64_max(o.a, o.b, e) : sf::f64_min(o.a, o.b, e);
                 });
  }
}

HOST_DIFF_TEST(F32CompareMinMax) { compareDifferential<float>("f32_"); }
HOST_DIFF_TEST(F64CompareMinMax) { compareDifferential<double>("f64_"); }

HOST_DIFF_TEST(FormatConversions) {
  differential("f32_to_f64", 1, kCanon64, false, kCasesPerMode, genUnary<float>(),
               [](const Operands& o) {
                 volatile float x = asF32(uint32_t(o.a));
                 std::feclearexcept(FE_ALL_EXCEPT);
                 return hostOutcome<double>(double(x));
               },
               [](const Operands& o, Env& e) { return sf::f32_to_f64(uint32_t(o.a), e); });
  // Narrowing: bias binary64 operands towards the binary32 range.
  differential("f64_to_f32", 1, kCanon32, true, kCasesPerMode,
               [](Rng& r, Operands& o) {
                 o.a = randomFloat(r, kF64);
                 if (r.bit() && !kF64.isNaN(o.a) && !kF64.isInf(o.a)) {
                   const long e = long(r.below(300)) - 150 - 20 + 1023;  // around f32's range
                   o.a = kF64.pack(r.bit(), uint64_t(std::clamp<long>(e, 1, 2046)), o.a);
                   if (r.below(4) == 0) o.a &= ~((uint64_t(1) << r.below(29)) - 1);  // ties
                 }
               },
               [](const Operands& o) {
                 volatile double x = asF64(o.a);
                 std::feclearexcept(FE_ALL_EXCEPT);
                 return hostOutcome<float>(float(x));
               },
               [](const Operands& o, Env& e) -> uint64_t { return sf::f64_to_f32(o.a, e); });
}

template <class T>
void toIntDifferential(const char* prefix) {
  const std::string p = prefix;
  const IntTarget targets[] = {{true, 32}, {false, 32}, {true, 64}, {false, 64}};
  const char* names[] = {"to_i32", "to_u32", "to_i64", "to_u64"};
  for (int i = 0; i < 4; ++i) {
    const IntTarget t = targets[i];
    differential((p + names[i]).c_str(), 1, 0, true, kCasesPerMode,
                 [](Rng& r, Operands& o) { o.a = randomFloatForInt(r, fmtOf<T>()); },
                 [t](const Operands& o) {  // nearbyint in the mode the harness set
                   return refToInt(double(fromBits<T>(o.a)), t, false);
                 },
                 [t](const Operands& o, Env& e) { return softToInt<T>(o.a, t, e); });
  }
}

HOST_DIFF_TEST(F32ToInt) { toIntDifferential<float>("f32_"); }
HOST_DIFF_TEST(F64ToInt) { toIntDifferential<double>("f64_"); }

template <class T>
void fromIntDifferential(const char* prefix) {
  const std::string p = prefix;
  const char* names[] = {"i32_to", "u32_to", "i64_to", "u64_to"};
  for (int i = 0; i < 4; ++i) {
    const IntSrc s = IntSrc(i);
    differential((names[i] + p).c_str(), 1, 0, true, kCasesPerMode,
                 [](Rng& r, Operands& o) { o.a = randomInt(r); },
                 [s](const Operands& o) { return hostFromInt<T>(o.a, s); },
                 [s](const Operands& o, Env& e) { return softFromInt<T>(o.a, s, e); });
  }
}

HOST_DIFF_TEST(IntToF32) { fromIntDifferential<float>("_f32"); }
HOST_DIFF_TEST(IntToF64) { fromIntDifferential<double>("_f64"); }

}  // namespace

// ===========================================================================
// 3. All five rounding modes, RMM included, against an exact reference
// ===========================================================================
//
// The exact result is obtained from the host in a wider format (x87 80-bit
// long double, 64-bit significand; binary128 for binary64 fused multiply-add,
// whose exact product needs 106 bits) computed with round-toward-zero, with
// the inexact flag appended as an extra low "sticky" 1 bit.  This is rounding
// to odd: with at least p+2 bits it preserves every p-bit rounding decision
// (nearest/tie/directed, subnormal or not), so RefRound below can round it to
// the target format in any mode, including roundTiesToAway, which the host
// cannot do.  RefRound shares no code with the implementation; the four
// host-supported modes double-check the reference against the host itself.
#if defined(__x86_64__) || defined(__i386__)  // needs x87 long double and __float128
namespace {

constexpr long kRmmCases = 200000;  // per operation, each checked in all five modes

struct Exact {  // |value| = mant * 2^exp
  bool neg;
  u128 mant;
  int exp;
};

Exact withSticky(Exact x, bool inexact) {
  if (inexact) {
    x.mant = (x.mant << 1) | 1;
    --x.exp;
  }
  return x;
}

Exact fromLongDouble(long double v, bool inexact) {
  static_assert(std::numeric_limits<long double>::digits == 64, "x87 extended expected");
  unsigned char raw[sizeof(long double)];
  std::memcpy(raw, &v, sizeof v);
  uint64_t m;
  uint16_t se;
  std::memcpy(&m, raw, 8);
  std::memcpy(&se, raw + 8, 2);
  return withSticky({bool(se >> 15), m, int(se & 0x7fff) - 16383 - 63}, inexact);
}

Exact fromQuad(__float128 v, bool inexact) {
  uint64_t w[2];
  std::memcpy(w, &v, 16);
  const u128 frac = (u128(w[1] & 0xffffffffffffull) << 64) | w[0];
  const int e = int((w[1] >> 48) & 0x7fff);  // always normal here
  return withSticky({bool(w[1] >> 63), frac | (u128(1) << 112), e - 16383 - 112}, inexact);
}

Exact fromFloatBits(const Fmt& f, uint64_t bits) {  // finite, non-zero
  const uint64_t e = f.expOf(bits), frac = bits & f.fracMask();
  const bool neg = (bits & f.signMask()) != 0;
  if (e == 0) return {neg, frac, 1 - f.bias() - f.fracBits};
  return {neg, frac | (uint64_t(1) << f.fracBits), int(e) - f.bias() - f.fracBits};
}

int msb(u128 x) {
  int n = -1;
  while (x) {
    x >>= 1;
    ++n;
  }
  return n;
}

// Rounds x to a multiple of 2^q; returns the multiple and whether it changed.
u128 roundToMultiple(const Exact& x, int q, Rounding rm, bool& inexact) {
  if (q <= x.exp) {
    inexact = false;
    return x.mant << (x.exp - q);
  }
  const int d = q - x.exp;
  const u128 whole = d >= 128 ? 0 : x.mant >> d;
  const u128 rest = d >= 128 ? x.mant : x.mant - (whole << d);
  inexact = rest != 0;
  int vsHalf = -1;  // rest compared with half a unit, 2^(d-1)
  if (d - 1 < 128) {
    const u128 half = u128(1) << (d - 1);
    vsHalf = rest < half ? -1 : rest == half ? 0 : 1;
  }
  bool up = false;
  switch (rm) {
    case Rounding::RNE: up = vsHalf > 0 || (vsHalf == 0 && (whole & 1)); break;
    case Rounding::RMM: up = vsHalf >= 0; break;
    case Rounding::RTZ: up = false; break;
    case Rounding::RDN: up = inexact && x.neg; break;
    case Rounding::RUP: up = inexact && !x.neg; break;
  }
  return whole + up;
}

Outcome refRound(const Exact& x, const Fmt& f, Rounding rm) {
  const int p = f.precision(), emin = 1 - f.bias(), emax = f.bias();
  const uint64_t sign = x.neg ? f.signMask() : 0;
  const int e = msb(x.mant) + x.exp;  // exponent of the exact value
  bool inexact;
  // Rounded to p bits with unbounded exponent: decides overflow and tininess.
  const u128 unbounded = roundToMultiple(x, e - (p - 1), rm, inexact);
  const int eRounded = (unbounded >> p) ? e + 1 : e;
  if (eRounded > emax) {
    const bool inf = rm == Rounding::RNE || rm == Rounding::RMM || (rm == Rounding::RUP && !x.neg) ||
                     (rm == Rounding::RDN && x.neg);
    const uint64_t mag = inf ? f.expMax() << f.fracBits : (f.expMax() << f.fracBits) - 1;
    return {sign | mag, uint8_t(sf::kOF | sf::kNX), false};
  }
  const bool tiny = eRounded < emin;
  // The real rounding: quantum 2^(max(e, emin) - (p-1)).
  int q = std::max(e, emin) - (p - 1);
  u128 m = roundToMultiple(x, q, rm, inexact);
  if (m >> p) {  // carried into the next binade
    m >>= 1;
    ++q;
  }
  uint64_t bits;
  if (m < (u128(1) << (p - 1)))  // subnormal or zero
    bits = uint64_t(m);
  else
    bits = (uint64_t(q + (p - 1) + f.bias()) << f.fracBits) | (uint64_t(m) & f.fracMask());
  const uint8_t flags = inexact ? uint8_t(sf::kNX | (tiny ? sf::kUF : 0)) : 0;
  return {sign | bits, flags, false};
}

enum class ArithOp { Add, Sub, Mul, Div, Sqrt, Fma };

// Exact (rounded-to-odd) result of op; the operands are finite.
template <class T>
Exact extendedRoundToOdd(ArithOp op, const Operands& o) {
  std::fesetround(FE_TOWARDZERO);
  bool inexact;
  Exact x;
  if (sizeof(T) == 8 && op == ArithOp::Fma) {
    volatile __float128 a = fromBits<T>(o.a), b = fromBits<T>(o.b), c = fromBits<T>(o.c);
    if (o.negProduct) a = -a;
    if (o.negAddend) c = -c;
    std::feclearexcept(FE_ALL_EXCEPT);
    volatile __float128 product = a * b;  // exact: 2*53 <= 113 bits
    volatile __float128 r = product + c;
    inexact = std::fetestexcept(FE_INEXACT);
    x = fromQuad(r, inexact);
  } else {
    volatile long double a = fromBits<T>(o.a), b = fromBits<T>(o.b), c = fromBits<T>(o.c);
    if (o.negProduct) a = -a;
    if (o.negAddend) c = -c;
    std::feclearexcept(FE_ALL_EXCEPT);
    volatile long double r;
    switch (op) {
      case ArithOp::Add: r = a + b; break;
      case ArithOp::Sub: r = a - b; break;
      case ArithOp::Mul: r = a * b; break;
      case ArithOp::Div: r = a / b; break;
      case ArithOp::Sqrt: r = sqrtl(a); break;
      case ArithOp::Fma: {
        volatile long double product = a * b;  // exact: 2*24 <= 64 bits
        r = product + c;
        break;
      }
    }
    inexact = std::fetestexcept(FE_INEXACT);
    x = fromLongDouble(r, inexact);
  }
  std::fesetround(FE_TONEAREST);
  return x;
}

// For each case: if the host's round-to-nearest result is exact, the result
// is the same in every mode (RMM included) and is checked against it.
// Otherwise the exact value is rounded by RefRound in all five modes; softfp
// must match, and for the four host modes so must the host.
template <class Gen, class Host, class Soft, class ExactFn>
void allModesDifferential(const char* name, int arity, const Fmt& f, Gen gen, Host host, Soft soft,
                          ExactFn exact) {
  HostModeGuard guard;
  Rng rng(seedFor(name));
  long failures = 0, inexactCases = 0, rmmDiffers = 0;
  auto fail = [&](const std::string& msg) {
    if (++failures <= 10) ADD_FAILURE() << name << " " << msg;
  };
  for (long i = 0; i < kRmmCases; ++i) {
    Operands o;
    gen(rng, o);
    std::fesetround(FE_TONEAREST);
    const Outcome rne = host(o);
    if (!(rne.flags & sf::kNX)) {
      Env env{Rounding::RMM, 0};
      const uint64_t got = soft(o, env);
      const std::string err = compare(rne, got, env.flags, f.canonicalNaN());
      if (!err.empty()) fail("RMM exact " + describe(o, arity) + ": " + err);
      continue;
    }
    ++inexactCases;
    const Exact x = exact(o);
    rmmDiffers += refRound(x, f, Rounding::RMM).bits != refRound(x, f, Rounding::RNE).bits;
    for (Rounding rm : kAllModes) {
      const Outcome want = refRound(x, f, rm);
      if (rm != Rounding::RMM) {
        std::fesetround(hostMode(rm));
        const Outcome h = host(o);
        std::fesetround(FE_TONEAREST);
        const std::string err = compare(want, h.bits, h.flags, f.canonicalNaN());
        if (!err.empty()) fail(std::string("reference vs host ") + modeName(rm) + " " + describe(o, arity) + ": " + err);
      }
      Env env{rm, 0};
      const uint64_t got = soft(o, env);
      const std::string err = compare(want, got, env.flags, f.canonicalNaN());
      if (!err.empty()) fail(std::string(modeName(rm)) + " " + describe(o, arity) + ": " + err);
    }
  }
  std::printf("    [%s: %ld cases, %ld inexact ones checked in 5 modes, %ld ties where RMM != RNE]\n",
              name, kRmmCases, inexactCases, rmmDiffers);
  EXPECT_EQ(failures, 0) << name;
  EXPECT_GT(inexactCases, kRmmCases / 10) << name << ": generator produced too few inexact cases";
}

template <class T>
void arithmeticAllModes(const char* prefix) {
  const Fmt& f = fmtOf<T>();
  const std::string p = prefix;
  auto ext = [](ArithOp op) { return [op](const Operands& o) { return extendedRoundToOdd<T>(op, o); }; };
  allModesDifferential((p + "add").c_str(), 2, f, genPair<T>(Shape::Add), hostAdd<T>, softAdd<T>, ext(ArithOp::Add));
  allModesDifferential((p + "sub").c_str(), 2, f, genPair<T>(Shape::Add), hostSub<T>, softSub<T>, ext(ArithOp::Sub));
  allModesDifferential((p + "mul").c_str(), 2, f, genPair<T>(Shape::Mul), hostMul<T>, softMul<T>, ext(ArithOp::Mul));
  allModesDifferential((p + "div").c_str(), 2, f, genPair<T>(Shape::Div), hostDiv<T>, softDiv<T>, ext(ArithOp::Div));
  allModesDifferential((p + "sqrt").c_str(), 1, f, genSqrt<T>(), hostSqrt<T>, softSqrt<T>, ext(ArithOp::Sqrt));
  allModesDifferential((p + "muladd").c_str(), 3, f, genTriple<T>(), hostFma<T>, softFma<T>, ext(ArithOp::Fma));
}

HOST_DIFF_TEST(F32ArithmeticAllModesIncludingRmm) { arithmeticAllModes<float>("rmm_f32_"); }
HOST_DIFF_TEST(F64ArithmeticAllModesIncludingRmm) { arithmeticAllModes<double>("rmm_f64_"); }

HOST_DIFF_TEST(ConversionsAllModesIncludingRmm) {
  allModesDifferential(
      "rmm_f64_to_f32", 1, kF32,
      [](Rng& r, Operands& o) {
        o.a = randomFloat(r, kF64);
        if (r.bit() && !kF64.isNaN(o.a) && !kF64.isInf(o.a)) {
          o.a = kF64.pack(r.bit(), uint64_t(1023 - 170 + long(r.below(300))), o.a);
          if (r.below(4) == 0) o.a &= ~((uint64_t(1) << r.below(29)) - 1);
        }
      },
      [](const Operands& o) {
        volatile double x = asF64(o.a);
        std::feclearexcept(FE_ALL_EXCEPT);
        return hostOutcome<float>(float(x));
      },
      [](const Operands& o, Env& e) -> uint64_t { return sf::f64_to_f32(o.a, e); },
      [](const Operands& o) { return fromFloatBits(kF64, o.a); });

  const char* names[] = {"rmm_i32_to_", "rmm_u32_to_", "rmm_i64_to_", "rmm_u64_to_"};
  for (int i = 0; i < 4; ++i) {
    const IntSrc s = IntSrc(i);
    auto exactInt = [s](const Operands& o) {
      int64_t v;
      switch (s) {
        case IntSrc::I32: v = int32_t(uint32_t(o.a)); break;
        case IntSrc::U32: v = int64_t(uint32_t(o.a)); break;
        case IntSrc::I64: v = int64_t(o.a); break;
        default: return Exact{false, o.a, 0};
      }
      return Exact{v < 0, v < 0 ? uint64_t(0) - uint64_t(v) : uint64_t(v), 0};
    };
    auto gen = [](Rng& r, Operands& o) { o.a = randomInt(r); };
    allModesDifferential((names[i] + std::string("f32")).c_str(), 1, kF32, gen,
                         [s](const Operands& o) { return hostFromInt<float>(o.a, s); },
                         [s](const Operands& o, Env& e) { return softFromInt<float>(o.a, s, e); }, exactInt);
    if (s == IntSrc::I32 || s == IntSrc::U32) continue;  // always exact in binary64
    allModesDifferential((names[i] + std::string("f64")).c_str(), 1, kF64, gen,
                         [s](const Operands& o) { return hostFromInt<double>(o.a, s); },
                         [s](const Operands& o, Env& e) { return softFromInt<double>(o.a, s, e); }, exactInt);
  }
}

// float -> integer with roundTiesToAway: C's round() is exactly that.
template <class T>
void toIntRmm(const char* prefix) {
  const IntTarget targets[] = {{true, 32}, {false, 32}, {true, 64}, {false, 64}};
  const char* names[] = {"to_i32", "to_u32", "to_i64", "to_u64"};
  for (int i = 0; i < 4; ++i) {
    const std::string name = std::string(prefix) + names[i];
    Rng rng(seedFor(name.c_str()));
    long failures = 0, ties = 0;
    for (long k = 0; k < 4 * kRmmCases; ++k) {
      const uint64_t a = randomFloatForInt(rng, fmtOf<T>());
      const double x = double(fromBits<T>(a));
      ties += std::fabs(x - std::trunc(x)) == 0.5;
      const Outcome want = refToInt(x, targets[i], true);
      Env env{Rounding::RMM, 0};
      const uint64_t got = softToInt<T>(a, targets[i], env);
      const std::string err = compare(want, got, env.flags, 0);
      if (!err.empty() && ++failures <= 10) ADD_FAILURE() << name << " RMM a=" << hex(a) << ": " << err;
    }
    std::printf("    [%s RMM: %ld cases, %ld ties]\n", name.c_str(), 4 * kRmmCases, ties);
    EXPECT_EQ(failures, 0) << name;
  }
}

HOST_DIFF_TEST(FloatToIntRmm) {
  toIntRmm<float>("rmm_f32_");
  toIntRmm<double>("rmm_f64_");
}

}  // namespace
#endif  // x86
