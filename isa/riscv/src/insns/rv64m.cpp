// "M" extension: integer multiply and divide. Division by zero and signed
// overflow do not trap; their results follow the table in the unprivileged
// spec, "Division Operations".
#include <limits>

#include "common.hpp"

namespace orrery::riscv {
namespace {
using namespace insn;
using i128 = __int128;
using u128 = unsigned __int128;

template <class S>
S div_signed(S a, S b) {
  if (b == 0) return -1;
  if (a == std::numeric_limits<S>::min() && b == -1) return a;  // overflow: quotient is the dividend
  return a / b;
}
template <class S>
S rem_signed(S a, S b) {
  if (b == 0) return a;
  if (a == std::numeric_limits<S>::min() && b == -1) return 0;
  return a % b;
}
template <class U>
U div_unsigned(U a, U b) {
  return b == 0 ? std::numeric_limits<U>::max() : a / b;
}
template <class U>
U rem_unsigned(U a, U b) {
  return b == 0 ? a : a % b;
}

i64 s(u64 v) { return static_cast<i64>(v); }
i32 s32(u64 v) { return static_cast<i32>(static_cast<u32>(v)); }

const InsnSpec kInsns[] = {
    {"mul", "0000001 ..... ..... 000 ..... 0110011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) * h.x(d.rs2)); }},
    {"mulh", "0000001 ..... ..... 001 ..... 0110011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) {
       h.set_x(d.rd, static_cast<u64>((static_cast<i128>(s(h.x(d.rs1))) * s(h.x(d.rs2))) >> 64));
     }},
    {"mulhsu", "0000001 ..... ..... 010 ..... 0110011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) {
       h.set_x(d.rd, static_cast<u64>((static_cast<i128>(s(h.x(d.rs1))) * static_cast<i128>(h.x(d.rs2))) >> 64));
     }},
    {"mulhu", "0000001 ..... ..... 011 ..... 0110011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) {
       h.set_x(d.rd, static_cast<u64>((static_cast<u128>(h.x(d.rs1)) * h.x(d.rs2)) >> 64));
     }},
    {"div", "0000001 ..... ..... 100 ..... 0110011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, static_cast<u64>(div_signed(s(h.x(d.rs1)), s(h.x(d.rs2))))); }},
    {"divu", "0000001 ..... ..... 101 ..... 0110011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, div_unsigned(h.x(d.rs1), h.x(d.rs2))); }},
    {"rem", "0000001 ..... ..... 110 ..... 0110011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, static_cast<u64>(rem_signed(s(h.x(d.rs1)), s(h.x(d.rs2))))); }},
    {"remu", "0000001 ..... ..... 111 ..... 0110011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, rem_unsigned(h.x(d.rs1), h.x(d.rs2))); }},

    {"mulw", "0000001 ..... ..... 000 ..... 0111011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(h.x(d.rs1) * h.x(d.rs2))); }},
    {"divw", "0000001 ..... ..... 100 ..... 0111011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(static_cast<u64>(div_signed(s32(h.x(d.rs1)), s32(h.x(d.rs2)))))); }},
    {"divuw", "0000001 ..... ..... 101 ..... 0111011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) {
       h.set_x(d.rd, sext32(div_unsigned(static_cast<u32>(h.x(d.rs1)), static_cast<u32>(h.x(d.rs2)))));
     }},
    {"remw", "0000001 ..... ..... 110 ..... 0111011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(static_cast<u64>(rem_signed(s32(h.x(d.rs1)), s32(h.x(d.rs2)))))); }},
    {"remuw", "0000001 ..... ..... 111 ..... 0111011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) {
       h.set_x(d.rd, sext32(rem_unsigned(static_cast<u32>(h.x(d.rs1)), static_cast<u32>(h.x(d.rs2)))));
     }},
};

}  // namespace

std::span<const InsnSpec> rv64m_insns() { return kInsns; }

}  // namespace orrery::riscv
