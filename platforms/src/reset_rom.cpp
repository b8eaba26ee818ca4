// The reset ROM ("mrom" in QEMU) that every hart starts in, and a tiny
// RV64 encoder for its handful of instructions.
#include <cstring>

#include "orrery/platforms/riscv_virt.hpp"

namespace orrery {
namespace {

// Base-ISA encodings (unprivileged spec, chapter "RV32I Base Integer
// Instruction Set", and "Zicsr"), only what the ROM needs.
namespace rv {
enum Reg : std::uint32_t { t0 = 5, a0 = 10, a1 = 11, a2 = 12 };
constexpr std::uint32_t i_type(std::uint32_t imm12, std::uint32_t rs1, std::uint32_t funct3, std::uint32_t rd,
                               std::uint32_t opcode) {
  return (imm12 & 0xfff) << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | opcode;
}
constexpr std::uint32_t auipc(Reg rd, std::uint32_t imm20) { return imm20 << 12 | rd << 7 | 0x17; }
constexpr std::uint32_t addi(Reg rd, Reg rs1, std::uint32_t imm) { return i_type(imm, rs1, 0, rd, 0x13); }
constexpr std::uint32_t ld(Reg rd, Reg rs1, std::uint32_t imm) { return i_type(imm, rs1, 3, rd, 0x03); }
constexpr std::uint32_t jalr_x0(Reg rs1) { return i_type(0, rs1, 0, 0, 0x67); }
// csrrs rd, csr, x0
constexpr std::uint32_t csrr(Reg rd, std::uint32_t csr) { return i_type(csr, 0, 2, rd, 0x73); }
constexpr std::uint32_t kMhartid = 0xf14;
}  // namespace rv

// Offsets of the ROM's data, after the code.
constexpr std::uint32_t kEntryOffset = 0x18, kFdtOffset = 0x20;
static_assert(kResetRomInfoOffset == kFdtOffset + 8);

// OpenSBI's struct fw_dynamic_info (include/sbi/fw_dynamic.h), version 2:
// six XLEN-wide fields.
constexpr std::uint64_t kFwDynamicMagic = 0x4942534f;  // "OSBI"
constexpr std::uint64_t kFwDynamicVersion = 2;
constexpr std::uint64_t kFwDynamicNextModeS = 1;

void put32(std::vector<std::uint8_t>& rom, std::size_t at, std::uint32_t v) { std::memcpy(&rom[at], &v, 4); }
void put64(std::vector<std::uint8_t>& rom, std::size_t at, std::uint64_t v) { std::memcpy(&rom[at], &v, 8); }

}  // namespace

std::vector<std::uint8_t> make_reset_rom(Addr entry, Addr fdt, Addr next_addr) {
  using namespace rv;
  const std::uint32_t code[kResetRomInstructions] = {
      auipc(t0, 0),                      // t0 = 0x1000, the ROM's own address
      addi(a2, t0, kResetRomInfoOffset),  // a2 = &fw_dynamic_info
      csrr(a0, kMhartid),                // a0 = this hart's ID
      ld(a1, t0, kFdtOffset),            // a1 = device tree address
      ld(t0, t0, kEntryOffset),          // t0 = firmware (or kernel) entry
      jalr_x0(t0),                       // jr t0, still in M-mode
  };
  std::vector<std::uint8_t> rom(kResetRomInfoOffset + 6 * 8, 0);
  for (unsigned i = 0; i < kResetRomInstructions; ++i) put32(rom, 4 * i, code[i]);
  put64(rom, kEntryOffset, entry);
  put64(rom, kFdtOffset, fdt);
  const std::uint64_t info[6] = {
      kFwDynamicMagic, kFwDynamicVersion,
      next_addr,            // where OpenSBI goes next: the kernel (0 without -kernel, as QEMU)
      kFwDynamicNextModeS,  // ... in S-mode
      0,                    // options
      0,                    // boot_hart: hart 0 is the preferred boot hart (QEMU passes 0)
  };
  for (unsigned i = 0; i < 6; ++i) put64(rom, kResetRomInfoOffset + 8 * i, info[i]);
  return rom;
}

}  // namespace orrery
