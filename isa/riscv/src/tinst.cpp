// The transformed instruction a trap writes to htinst/mtinst (privileged
// spec, "Hypervisor Extension" > "Traps" > "Transformed Instruction or
// Pseudoinstruction for mtinst or htinst"). Orrery writes it for guest-page
// faults caused by explicit loads, stores, AMOs/LR/SC and HLV/HLVX/HSV, as
// QEMU does, so a hypervisor can emulate an MMIO access without reading the
// guest's instruction memory.
#include "orrery/riscv/tinst.hpp"

#include "orrery/riscv/decode.hpp"

namespace orrery::riscv {
namespace {

constexpr std::uint32_t kOpLoad = 0x03, kOpLoadFp = 0x07, kOpStore = 0x23, kOpStoreFp = 0x27;
constexpr std::uint32_t kOpAmo = 0x2F, kOpSystem = 0x73;
constexpr std::uint32_t kRs1Field = 31u << 15;
constexpr std::uint32_t kImmI = 0xFFFu << 20;                     // imm[11:0]
constexpr std::uint32_t kImmS = (0x7Fu << 25) | (31u << 7);       // imm[11:5], imm[4:0]

// HLV/HLVX/HSV: SYSTEM with funct3 = 100 and funct7 = 011xxxx.
bool is_hypervisor_load_store(std::uint32_t insn) {
  return (insn & 0x7F) == kOpSystem && ((insn >> 12) & 7) == 4 && (insn >> 29) == 3;
}

}  // namespace

std::uint32_t transformed_instruction(std::uint32_t raw, std::uint64_t addr_offset) {
  const bool compressed = (raw & 3) != 3;
  const std::uint32_t insn = compressed ? expand_compressed(static_cast<std::uint16_t>(raw)) : raw;
  if (insn == 0) return 0;
  // The offset of the faulting address from the access's first byte: only
  // non-zero when a misaligned access faults on a later part.
  const std::uint32_t offset = static_cast<std::uint32_t>(addr_offset & 31) << 15;
  std::uint32_t t;
  switch (insn & 0x7F) {
    case kOpLoad:
    case kOpLoadFp:
      t = (insn & ~(kImmI | kRs1Field)) | offset;
      break;
    case kOpStore:
    case kOpStoreFp:
      t = (insn & ~(kImmS | kRs1Field)) | offset;
      break;
    case kOpAmo:
      t = (insn & ~kRs1Field) | offset;
      break;
    default:
      if (!is_hypervisor_load_store(insn)) return 0;
      t = (insn & ~kRs1Field) | offset;
      break;
  }
  // Bit 1 says how long the trapping instruction was: 1 for 32 bits, 0 for
  // a compressed one (whose 32-bit expansion the other bits give).
  return compressed ? (t & ~2u) : t;
}

}  // namespace orrery::riscv
