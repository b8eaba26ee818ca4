#pragma once
// "M" extension semantics as named inline functions: rv64m.cpp's table rows
// point at them and the threaded engine's hot ops inline them. Division by
// zero and signed overflow do not trap; their results follow the table in
// the unprivileged spec, "Division Operations".
#include <limits>

#include "common.hpp"

namespace orrery::riscv::sem {
using namespace insn;
using i128 = __int128;
using u128 = unsigned __int128;

template <class S>
inline S div_signed(S a, S b) {
  if (b == 0) return -1;
  if (a == std::numeric_limits<S>::min() && b == -1) return a;  // overflow: quotient is the dividend
  return a / b;
}
template <class S>
inline S rem_signed(S a, S b) {
  if (b == 0) return a;
  if (a == std::numeric_limits<S>::min() && b == -1) return 0;
  return a % b;
}
template <class U>
inline U div_unsigned(U a, U b) {
  return b == 0 ? std::numeric_limits<U>::max() : a / b;
}
template <class U>
inline U rem_unsigned(U a, U b) {
  return b == 0 ? a : a % b;
}

inline i64 s(u64 v) { return static_cast<i64>(v); }
inline i32 s32(u64 v) { return static_cast<i32>(static_cast<u32>(v)); }

inline void i_mul(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) * h.x(d.rs2)); }
inline void i_mulh(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, static_cast<u64>((static_cast<i128>(s(h.x(d.rs1))) * s(h.x(d.rs2))) >> 64)); }
inline void i_mulhsu(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, static_cast<u64>((static_cast<i128>(s(h.x(d.rs1))) * static_cast<i128>(h.x(d.rs2))) >> 64)); }
inline void i_mulhu(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, static_cast<u64>((static_cast<u128>(h.x(d.rs1)) * h.x(d.rs2)) >> 64)); }
inline void i_div(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, static_cast<u64>(div_signed(s(h.x(d.rs1)), s(h.x(d.rs2))))); }
inline void i_divu(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, div_unsigned(h.x(d.rs1), h.x(d.rs2))); }
inline void i_rem(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, static_cast<u64>(rem_signed(s(h.x(d.rs1)), s(h.x(d.rs2))))); }
inline void i_remu(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, rem_unsigned(h.x(d.rs1), h.x(d.rs2))); }
inline void i_mulw(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(h.x(d.rs1) * h.x(d.rs2))); }
inline void i_divw(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(static_cast<u64>(div_signed(s32(h.x(d.rs1)), s32(h.x(d.rs2)))))); }
inline void i_divuw(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(div_unsigned(static_cast<u32>(h.x(d.rs1)), static_cast<u32>(h.x(d.rs2))))); }
inline void i_remw(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(static_cast<u64>(rem_signed(s32(h.x(d.rs1)), s32(h.x(d.rs2)))))); }
inline void i_remuw(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(rem_unsigned(static_cast<u32>(h.x(d.rs1)), static_cast<u32>(h.x(d.rs2))))); }

}  // namespace orrery::riscv::sem
