// Orrery RISC-V soft-float core: IEEE 754-2008 binary32/binary64 arithmetic
// with the exact semantics the RISC-V unprivileged ISA ("F" and "D"
// extensions) requires:
//   * five rounding modes (RNE, RTZ, RDN, RUP, RMM = roundTiesToAway);
//   * accrued exception flags in the fcsr bit layout (NX, UF, OF, DZ, NV);
//   * tininess detected after rounding, UF only when also inexact;
//   * every NaN result is the canonical NaN (no payload propagation);
//   * FCVT-to-integer saturation, FMIN/FMAX and FCLASS as specified.
//
// The implementation is pure integer code: it never touches the host FPU or
// its rounding mode, so results do not depend on the host at all.
//
// Each operation ORs the exceptions it raises into Env::flags and never
// clears any.  Env::rm must be a static rounding mode (0..4); the caller
// resolves DYN (7) from fcsr.frm and rejects the reserved encodings 5 and 6.
// (If an out-of-range value is passed anyway it behaves as RNE.)
#pragma once
#include <cstdint>

namespace orrery::riscv::softfp {

enum class Rounding : uint8_t { RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4 };

// fflags bit positions as in the RISC-V fcsr.
enum : uint8_t { kNX = 1, kUF = 2, kOF = 4, kDZ = 8, kNV = 16 };

struct Env {
  Rounding rm = Rounding::RNE;
  uint8_t flags = 0;  // operations OR their exceptions in here
};

constexpr uint32_t kCanonicalNaN32 = 0x7fc00000u;
constexpr uint64_t kCanonicalNaN64 = 0x7ff8000000000000ull;

// ---- arithmetic (correctly rounded, one rounding each) ----------------------
uint32_t f32_add(uint32_t a, uint32_t b, Env& env);
uint32_t f32_sub(uint32_t a, uint32_t b, Env& env);
uint32_t f32_mul(uint32_t a, uint32_t b, Env& env);
uint32_t f32_div(uint32_t a, uint32_t b, Env& env);
uint32_t f32_sqrt(uint32_t a, Env& env);
uint64_t f64_add(uint64_t a, uint64_t b, Env& env);
uint64_t f64_sub(uint64_t a, uint64_t b, Env& env);
uint64_t f64_mul(uint64_t a, uint64_t b, Env& env);
uint64_t f64_div(uint64_t a, uint64_t b, Env& env);
uint64_t f64_sqrt(uint64_t a, Env& env);

// Fused: (negate_product ? -(a*b) : a*b) + (negate_addend ? -c : c), rounded
// once.  FMADD = (false,false), FMSUB = (false,true), FNMSUB = (true,false),
// FNMADD = (true,true).
uint32_t f32_muladd(uint32_t a, uint32_t b, uint32_t c, bool negate_product,
                    bool negate_addend, Env& env);
uint64_t f64_muladd(uint64_t a, uint64_t b, uint64_t c, bool negate_product,
                    bool negate_addend, Env& env);

// ---- FMIN/FMAX (F/D v2.2: minimumNumber/maximumNumber, -0 < +0) ------------
uint32_t f32_min(uint32_t a, uint32_t b, Env& env);
uint32_t f32_max(uint32_t a, uint32_t b, Env& env);
uint64_t f64_min(uint64_t a, uint64_t b, Env& env);
uint64_t f64_max(uint64_t a, uint64_t b, Env& env);

// ---- comparisons: FEQ is quiet (NV only for sNaN), FLT/FLE signal on any NaN
bool f32_eq(uint32_t a, uint32_t b, Env& env);
bool f32_lt(uint32_t a, uint32_t b, Env& env);
bool f32_le(uint32_t a, uint32_t b, Env& env);
bool f64_eq(uint64_t a, uint64_t b, Env& env);
bool f64_lt(uint64_t a, uint64_t b, Env& env);
bool f64_le(uint64_t a, uint64_t b, Env& env);

// ---- FCLASS: 10-bit mask (bit 0 -inf ... bit 9 quiet NaN) -------------------
uint32_t f32_classify(uint32_t a);
uint32_t f64_classify(uint64_t a);

// ---- format conversions ----------------------------------------------------
uint64_t f32_to_f64(uint32_t a, Env& env);  // exact; NV only for sNaN
uint32_t f64_to_f32(uint64_t a, Env& env);  // rounded per env.rm

// ---- float -> integer: the value FCVT writes to the integer register -------
// 32-bit results (W and WU) are sign-extended to 64 bits.  Out-of-range and
// NaN inputs raise NV and saturate (NaN -> maximum).
uint64_t f32_to_i32(uint32_t a, Env& env);
uint64_t f32_to_u32(uint32_t a, Env& env);
uint64_t f32_to_i64(uint32_t a, Env& env);
uint64_t f32_to_u64(uint32_t a, Env& env);
uint64_t f64_to_i32(uint64_t a, Env& env);
uint64_t f64_to_u32(uint64_t a, Env& env);
uint64_t f64_to_i64(uint64_t a, Env& env);
uint64_t f64_to_u64(uint64_t a, Env& env);

// ---- integer -> float --------------------------------------------------------
uint32_t i32_to_f32(int32_t a, Env& env);
uint32_t u32_to_f32(uint32_t a, Env& env);
uint32_t i64_to_f32(int64_t a, Env& env);
uint32_t u64_to_f32(uint64_t a, Env& env);
uint64_t i32_to_f64(int32_t a, Env& env);
uint64_t u32_to_f64(uint32_t a, Env& env);
uint64_t i64_to_f64(int64_t a, Env& env);
uint64_t u64_to_f64(uint64_t a, Env& env);

}  // namespace orrery::riscv::softfp
