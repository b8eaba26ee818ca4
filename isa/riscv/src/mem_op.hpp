#pragma once
// What memory a RISC-V instruction accesses, from its encoding: the commit
// trace's records (trace.cpp) and the debugger's watchpoints (watch.cpp)
// derive the access from the decoded instruction and the registers before
// it ran, so the load and store paths carry no hooks.
#include <cstdint>

#include "orrery/riscv/decode.hpp"

namespace orrery::riscv {

// A memory instruction's access, from its (expanded, 32-bit) encoding: the
// major opcode gives the kind, funct3 (or HLV/HSV's funct7) the size.
struct MemOp {
  enum class Kind : std::uint8_t { None, Load, Store, LoadReserved, StoreConditional, Amo };
  Kind kind = Kind::None;
  unsigned size = 0;
  bool offset = false;    // the address is rs1 + imm (else rs1: A, HLV/HSV)
  bool fp_data = false;   // a store of an f register
};

inline MemOp mem_op(std::uint32_t insn) {
  using K = MemOp::Kind;
  const unsigned funct3 = (insn >> 12) & 7;
  const unsigned size = 1u << (funct3 & 3);
  switch (insn & 0x7f) {
    case 0x03: case 0x07: return {K::Load, size, true, false};  // LOAD, LOAD-FP
    case 0x23: return {K::Store, size, true, false};              // STORE
    case 0x27: return {K::Store, size, true, true};               // STORE-FP
    case 0x2f: {                                                  // AMO: funct5 2 = LR, 3 = SC
      const unsigned funct5 = insn >> 27;
      const K kind = funct5 == 2 ? K::LoadReserved : funct5 == 3 ? K::StoreConditional : K::Amo;
      return {kind, size, false, false};
    }
    case 0x73:  // SYSTEM with funct3 4: HLV/HLVX (funct7 even) and HSV (odd); funct7[2:1] = log2 size
      if (funct3 != 4) return {};
      return {((insn >> 25) & 1) ? K::Store : K::Load, 1u << ((insn >> 26) & 3), false, false};
    default: return {};
  }
}

// The access of decoded instruction d, whose rs1 held `rs1` before it ran:
// its kind and size, and its (virtual) address.
struct MemAccess {
  MemOp op;
  std::uint64_t addr = 0;
};
inline MemAccess mem_access(const Decoded& d, std::uint64_t rs1) {
  const MemOp op = mem_op(d.len == 2 ? expand_compressed(static_cast<std::uint16_t>(d.raw)) : d.raw);
  return {op, rs1 + (op.offset ? static_cast<std::uint64_t>(static_cast<std::int64_t>(d.imm)) : 0)};
}

}  // namespace orrery::riscv
