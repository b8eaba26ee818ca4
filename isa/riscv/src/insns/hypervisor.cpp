// H extension instructions: HFENCE.VVMA/GVMA and the hypervisor virtual-
// machine loads and stores HLV, HLVX and HSV (privileged spec, "Hypervisor
// Instructions").
#include "common.hpp"

namespace orrery::riscv {
namespace {
using namespace insn;

template <class T, class Extend, bool kExecute>
void hlv(RiscvHart& h, const Decoded& d) {
  if (!h.hlsv_allowed(d)) return;
  std::uint64_t v;
  if (h.load_guest(h.x(d.rs1), sizeof(T), kExecute, v))
    h.set_x(d.rd, static_cast<u64>(static_cast<Extend>(static_cast<T>(v))));
}

template <class T>
void hsv(RiscvHart& h, const Decoded& d) {
  if (!h.hlsv_allowed(d)) return;
  h.store_guest(h.x(d.rs1), sizeof(T), static_cast<T>(h.x(d.rs2)));
}

using std::int16_t, std::int32_t, std::int8_t, std::uint16_t, std::uint32_t, std::uint8_t;

const InsnSpec kInsns[] = {
    {"hfence.vvma", "0010001 ..... ..... 000 00000 1110011", Imm::None, "rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.hfence(d, false); }},
    {"hfence.gvma", "0110001 ..... ..... 000 00000 1110011", Imm::None, "rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.hfence(d, true); }},
    {"hlv.b", "0110000 00000 ..... 100 ..... 1110011", Imm::None, "rd,amo", hlv<uint8_t, int8_t, false>},
    {"hlv.bu", "0110000 00001 ..... 100 ..... 1110011", Imm::None, "rd,amo", hlv<uint8_t, uint8_t, false>},
    {"hlv.h", "0110010 00000 ..... 100 ..... 1110011", Imm::None, "rd,amo", hlv<uint16_t, int16_t, false>},
    {"hlv.hu", "0110010 00001 ..... 100 ..... 1110011", Imm::None, "rd,amo", hlv<uint16_t, uint16_t, false>},
    {"hlvx.hu", "0110010 00011 ..... 100 ..... 1110011", Imm::None, "rd,amo", hlv<uint16_t, uint16_t, true>},
    {"hlv.w", "0110100 00000 ..... 100 ..... 1110011", Imm::None, "rd,amo", hlv<uint32_t, int32_t, false>},
    {"hlv.wu", "0110100 00001 ..... 100 ..... 1110011", Imm::None, "rd,amo", hlv<uint32_t, uint32_t, false>},
    {"hlvx.wu", "0110100 00011 ..... 100 ..... 1110011", Imm::None, "rd,amo", hlv<uint32_t, uint32_t, true>},
    {"hlv.d", "0110110 00000 ..... 100 ..... 1110011", Imm::None, "rd,amo", hlv<u64, u64, false>},
    {"hsv.b", "0110001 ..... ..... 100 00000 1110011", Imm::None, "rs2,amo", hsv<uint8_t>},
    {"hsv.h", "0110011 ..... ..... 100 00000 1110011", Imm::None, "rs2,amo", hsv<uint16_t>},
    {"hsv.w", "0110101 ..... ..... 100 00000 1110011", Imm::None, "rs2,amo", hsv<uint32_t>},
    {"hsv.d", "0110111 ..... ..... 100 00000 1110011", Imm::None, "rs2,amo", hsv<u64>},
};

}  // namespace

std::span<const InsnSpec> hypervisor_insns() { return kInsns; }

}  // namespace orrery::riscv
