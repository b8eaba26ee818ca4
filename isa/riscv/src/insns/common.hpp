#pragma once
// Helpers shared by the instruction semantic files.
#include <cstdint>

#include "orrery/riscv/decode.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv::insn {

using u64 = std::uint64_t;
using i64 = std::int64_t;
using u32 = std::uint32_t;
using i32 = std::int32_t;

// RV64 "W" instructions compute on 32 bits and sign-extend the result.
inline u64 sext32(u64 v) { return static_cast<u64>(static_cast<i64>(static_cast<i32>(static_cast<u32>(v)))); }

inline u64 ea(const RiscvHart& h, const Decoded& d) { return h.x(d.rs1) + static_cast<u64>(d.imm); }

template <class T, class Extend>
inline void load_into_x(RiscvHart& h, const Decoded& d) {
  T v;
  if (h.load<T>(ea(h, d), v)) h.set_x(d.rd, static_cast<u64>(static_cast<Extend>(v)));
}

}  // namespace orrery::riscv::insn
