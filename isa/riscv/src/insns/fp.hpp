#pragma once
// Shared semantics of the "F" and "D" extensions, written once over a format
// traits class (F32 or F64). Every FP instruction is illegal while
// mstatus.FS is Off (privileged spec, "Extension Context Status"); those with
// an rm field are illegal for a reserved rounding mode (unprivileged spec,
// "Floating-Point Control and Status Register").
#include "softfp/softfp.hpp"
#include "common.hpp"

namespace orrery::riscv::insn {

namespace sf = softfp;

struct F32 {
  using Bits = u32;
  static Bits get(const RiscvHart& h, unsigned r) { return h.f32(r); }
  static void set(RiscvHart& h, unsigned r, Bits v) { h.set_f32(r, v); }
  static constexpr auto add = sf::f32_add, sub = sf::f32_sub, mul = sf::f32_mul, div = sf::f32_div;
  static constexpr auto sqrt = sf::f32_sqrt;
  static constexpr auto muladd = sf::f32_muladd;
  static constexpr auto min = sf::f32_min, max = sf::f32_max;
  static constexpr auto eq = sf::f32_eq, lt = sf::f32_lt, le = sf::f32_le;
  static constexpr auto classify = sf::f32_classify;
  static constexpr auto to_i32 = sf::f32_to_i32, to_u32 = sf::f32_to_u32, to_i64 = sf::f32_to_i64,
                        to_u64 = sf::f32_to_u64;
  // One declaration each: the four have different types.
  static constexpr auto from_i32 = sf::i32_to_f32;
  static constexpr auto from_u32 = sf::u32_to_f32;
  static constexpr auto from_i64 = sf::i64_to_f32;
  static constexpr auto from_u64 = sf::u64_to_f32;
  static constexpr Bits kSign = Bits{1} << 31;
};

struct F64 {
  using Bits = u64;
  static Bits get(const RiscvHart& h, unsigned r) { return h.f(r); }
  static void set(RiscvHart& h, unsigned r, Bits v) { h.set_f64(r, v); }
  static constexpr auto add = sf::f64_add, sub = sf::f64_sub, mul = sf::f64_mul, div = sf::f64_div;
  static constexpr auto sqrt = sf::f64_sqrt;
  static constexpr auto muladd = sf::f64_muladd;
  static constexpr auto min = sf::f64_min, max = sf::f64_max;
  static constexpr auto eq = sf::f64_eq, lt = sf::f64_lt, le = sf::f64_le;
  static constexpr auto classify = sf::f64_classify;
  static constexpr auto to_i32 = sf::f64_to_i32, to_u32 = sf::f64_to_u32, to_i64 = sf::f64_to_i64,
                        to_u64 = sf::f64_to_u64;
  // One declaration each: the four have different types.
  static constexpr auto from_i32 = sf::i32_to_f64;
  static constexpr auto from_u32 = sf::u32_to_f64;
  static constexpr auto from_i64 = sf::i64_to_f64;
  static constexpr auto from_u64 = sf::u64_to_f64;
  static constexpr Bits kSign = Bits{1} << 63;
};

// Run op(env) for an instruction with an rm field, then accrue its flags.
template <class Op>
void with_rounding(RiscvHart& h, const Decoded& d, Op op) {
  unsigned rm;
  if (!h.fp_enabled() || !h.rounding_mode(d.rm, rm)) return h.illegal(d);
  sf::Env env{static_cast<sf::Rounding>(rm), 0};
  op(env);
  h.accrue_fflags(env.flags);
}
// The same for instructions without rounding (compares, min/max).
template <class Op>
void with_flags(RiscvHart& h, const Decoded& d, Op op) {
  if (!h.fp_enabled()) return h.illegal(d);
  sf::Env env;
  op(env);
  h.accrue_fflags(env.flags);
}

template <class F, auto Fn>
void fp_binary(RiscvHart& h, const Decoded& d) {
  with_rounding(h, d, [&](sf::Env& e) { F::set(h, d.rd, Fn(F::get(h, d.rs1), F::get(h, d.rs2), e)); });
}
template <class F>
void fp_sqrt(RiscvHart& h, const Decoded& d) {
  with_rounding(h, d, [&](sf::Env& e) { F::set(h, d.rd, F::sqrt(F::get(h, d.rs1), e)); });
}
template <class F, bool kNegProduct, bool kNegAddend>
void fp_fused(RiscvHart& h, const Decoded& d) {
  with_rounding(h, d, [&](sf::Env& e) {
    F::set(h, d.rd, F::muladd(F::get(h, d.rs1), F::get(h, d.rs2), F::get(h, d.rs3), kNegProduct, kNegAddend, e));
  });
}
template <class F, auto Fn>
void fp_minmax(RiscvHart& h, const Decoded& d) {
  with_flags(h, d, [&](sf::Env& e) { F::set(h, d.rd, Fn(F::get(h, d.rs1), F::get(h, d.rs2), e)); });
}
template <class F, auto Fn>
void fp_compare(RiscvHart& h, const Decoded& d) {
  with_flags(h, d, [&](sf::Env& e) { h.set_x(d.rd, Fn(F::get(h, d.rs1), F::get(h, d.rs2), e) ? 1 : 0); });
}

enum class Sgn { Copy, Negate, Xor };
template <class F, Sgn kMode>
void fp_sign_inject(RiscvHart& h, const Decoded& d) {
  if (!h.fp_enabled()) return h.illegal(d);
  const typename F::Bits a = F::get(h, d.rs1), b = F::get(h, d.rs2);
  const typename F::Bits sign = kMode == Sgn::Copy ? (b & F::kSign) : kMode == Sgn::Negate ? (~b & F::kSign)
                                                                                           : ((a ^ b) & F::kSign);
  F::set(h, d.rd, (a & ~F::kSign) | sign);
}
template <class F>
void fp_classify(RiscvHart& h, const Decoded& d) {
  if (!h.fp_enabled()) return h.illegal(d);
  h.set_x(d.rd, F::classify(F::get(h, d.rs1)));
}

// FCVT to an integer register (the softfp result is already the register value).
template <class F, auto Fn>
void fp_to_int(RiscvHart& h, const Decoded& d) {
  with_rounding(h, d, [&](sf::Env& e) { h.set_x(d.rd, Fn(F::get(h, d.rs1), e)); });
}
// FCVT from an integer register; Src is the integer type the instruction reads.
template <class F, class Src, auto Fn>
void int_to_fp(RiscvHart& h, const Decoded& d) {
  with_rounding(h, d, [&](sf::Env& e) { F::set(h, d.rd, Fn(static_cast<Src>(h.x(d.rs1)), e)); });
}

template <class F>
void fp_load(RiscvHart& h, const Decoded& d) {
  if (!h.fp_enabled()) return h.illegal(d);
  typename F::Bits v;
  if (h.load(ea(h, d), v)) F::set(h, d.rd, v);
}
// Stores write the raw register bits (no NaN-box check for FSW).
template <class F>
void fp_store(RiscvHart& h, const Decoded& d) {
  if (!h.fp_enabled()) return h.illegal(d);
  const u64 off = static_cast<u64>(static_cast<i64>(d.imm));
  h.store(h.x(d.rs1) + off, static_cast<typename F::Bits>(h.f(d.rs2)));
}

}  // namespace orrery::riscv::insn
