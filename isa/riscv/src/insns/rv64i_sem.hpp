#pragma once
// RV64I semantics (unprivileged spec, "RV32I" and "RV64I" chapters) as named
// inline functions: rv64i.cpp's table rows point at them, and the threaded
// engine's hot ops (threaded.cpp) inline the very same bodies.
#include "common.hpp"

namespace orrery::riscv::sem {
using namespace insn;

inline void branch_if(RiscvHart& h, const Decoded& d, bool taken) {
  if (taken) h.set_next_pc(h.cur_pc() + static_cast<u64>(d.imm));
}

inline void i_lui(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, static_cast<u64>(d.imm)); }
inline void i_auipc(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.cur_pc() + static_cast<u64>(d.imm)); }
inline void i_jal(RiscvHart& h, const Decoded& d) {
  h.set_x(d.rd, h.cur_pc() + d.len);
  h.set_next_pc(h.cur_pc() + static_cast<u64>(d.imm));
}
inline void i_jalr(RiscvHart& h, const Decoded& d) {
  const u64 target = ea(h, d) & ~u64{1};  // computed before rd is written: rd may be rs1
  h.set_x(d.rd, h.cur_pc() + d.len);
  h.set_next_pc(target);
}
inline void i_beq(RiscvHart& h, const Decoded& d) { branch_if(h, d, h.x(d.rs1) == h.x(d.rs2)); }
inline void i_bne(RiscvHart& h, const Decoded& d) { branch_if(h, d, h.x(d.rs1) != h.x(d.rs2)); }
inline void i_blt(RiscvHart& h, const Decoded& d) { branch_if(h, d, static_cast<i64>(h.x(d.rs1)) < static_cast<i64>(h.x(d.rs2))); }
inline void i_bge(RiscvHart& h, const Decoded& d) { branch_if(h, d, static_cast<i64>(h.x(d.rs1)) >= static_cast<i64>(h.x(d.rs2))); }
inline void i_bltu(RiscvHart& h, const Decoded& d) { branch_if(h, d, h.x(d.rs1) < h.x(d.rs2)); }
inline void i_bgeu(RiscvHart& h, const Decoded& d) { branch_if(h, d, h.x(d.rs1) >= h.x(d.rs2)); }
inline void i_sb(RiscvHart& h, const Decoded& d) { h.store<std::uint8_t>(ea(h, d), static_cast<std::uint8_t>(h.x(d.rs2))); }
inline void i_sh(RiscvHart& h, const Decoded& d) { h.store<std::uint16_t>(ea(h, d), static_cast<std::uint16_t>(h.x(d.rs2))); }
inline void i_sw(RiscvHart& h, const Decoded& d) { h.store<std::uint32_t>(ea(h, d), static_cast<std::uint32_t>(h.x(d.rs2))); }
inline void i_sd(RiscvHart& h, const Decoded& d) { h.store<std::uint64_t>(ea(h, d), h.x(d.rs2)); }
inline void i_addi(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) + static_cast<u64>(d.imm)); }
// SLTI with rd = x0 is a HINT of the custom-use space (unprivileged spec,
// "HINT Instructions"); Orrery gives two of them a meaning, the statistics-
// region markers slti x0, x0, 1 (begin) and 2 (end) (docs/timing.md).
// Elsewhere they are no-ops.
inline void i_slti(RiscvHart& h, const Decoded& d) {
  if (d.rd == 0) [[unlikely]] {
    if (d.rs1 == 0 && (d.imm == 1 || d.imm == 2)) h.region_marker(d.imm == 1);
    return;
  }
  h.set_x(d.rd, static_cast<i64>(h.x(d.rs1)) < d.imm);
}
inline void i_sltiu(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) < static_cast<u64>(d.imm)); }
inline void i_xori(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) ^ static_cast<u64>(d.imm)); }
inline void i_ori(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) | static_cast<u64>(d.imm)); }
inline void i_andi(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) & static_cast<u64>(d.imm)); }
inline void i_slli(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) << d.imm); }
inline void i_srli(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) >> d.imm); }
inline void i_srai(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, static_cast<u64>(static_cast<i64>(h.x(d.rs1)) >> d.imm)); }
inline void i_add(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) + h.x(d.rs2)); }
inline void i_sub(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) - h.x(d.rs2)); }
inline void i_sll(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) << (h.x(d.rs2) & 63)); }
inline void i_slt(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, static_cast<i64>(h.x(d.rs1)) < static_cast<i64>(h.x(d.rs2))); }
inline void i_sltu(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) < h.x(d.rs2)); }
inline void i_xor(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) ^ h.x(d.rs2)); }
inline void i_srl(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) >> (h.x(d.rs2) & 63)); }
inline void i_sra(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, static_cast<u64>(static_cast<i64>(h.x(d.rs1)) >> (h.x(d.rs2) & 63))); }
inline void i_or(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) | h.x(d.rs2)); }
inline void i_and(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) & h.x(d.rs2)); }
inline void i_addiw(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(h.x(d.rs1) + static_cast<u64>(d.imm))); }
inline void i_slliw(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(h.x(d.rs1) << d.imm)); }
inline void i_srliw(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(static_cast<u32>(h.x(d.rs1)) >> d.imm)); }
inline void i_sraiw(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(static_cast<u32>(static_cast<i32>(h.x(d.rs1)) >> d.imm))); }
inline void i_addw(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(h.x(d.rs1) + h.x(d.rs2))); }
inline void i_subw(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(h.x(d.rs1) - h.x(d.rs2))); }
inline void i_sllw(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(h.x(d.rs1) << (h.x(d.rs2) & 31))); }
inline void i_srlw(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(static_cast<u32>(h.x(d.rs1)) >> (h.x(d.rs2) & 31))); }
inline void i_sraw(RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(static_cast<u32>(static_cast<i32>(h.x(d.rs1)) >> (h.x(d.rs2) & 31)))); }
inline void i_fence_tso(RiscvHart&, const Decoded&) {}
inline void i_fence(RiscvHart&, const Decoded&) {}

}  // namespace orrery::riscv::sem
