#pragma once
// Instruction decode driven by declarative tables. Each table entry names an
// instruction, gives its encoding as a bit-pattern string as the manual draws
// it ('0'/'1' fixed, '.' operand bits), its immediate format, its operands in
// assembly order, and the small function that implements it. The same entry
// drives decoding, the disassembler and the trace.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "orrery/core/timing.hpp"

namespace orrery::riscv {

class RiscvHart;
struct Decoded;
using ExecFn = void (*)(RiscvHart&, const Decoded&);

enum class Imm : std::uint8_t { None, I, S, B, U, J, Shamt6, Shamt5, Csr, Fence };

struct InsnSpec {
  std::string_view mnemonic;
  std::string_view pattern;   // 32 characters of 0, 1 or '.', spaces ignored
  Imm imm;
  std::string_view operands;  // e.g. "rd,rs1,imm"; tokens listed in disasm.cpp
  ExecFn exec;
};

// A compressed (RVC) encoding and its expansion to the 32-bit instruction
// the specification defines it as (unprivileged spec, "C" chapter).
struct CompressedSpec {
  std::string_view mnemonic;
  std::string_view pattern;  // 16 characters
  std::uint32_t (*expand)(std::uint16_t raw);  // 0 = reserved/illegal encoding
};

// A decoded instruction: the handler plus pre-extracted operands. Cached by
// raw encoding, so it must not depend on pc or machine state. 32 bytes:
// the threaded engine keeps one per op, so its size is the working set of
// every block (docs/performance.md); the spec and the compressed mnemonic,
// which only the disassembler and the trace read, are table indices.
struct Decoded {
  ExecFn exec = nullptr;
  std::int32_t imm = 0;                   // every RISC-V immediate fits (U-type: bits 31:12)
  std::uint32_t raw = 0;                  // 16 or 32 bits as fetched
  std::uint16_t spec_index = 0;           // spec()
  std::uint16_t compressed_index = 0;     // cname(); 0 for a 32-bit encoding
  std::uint8_t rd = 0, rs1 = 0, rs2 = 0, rs3 = 0, rm = 0;
  std::uint8_t len = 4;                   // 2 or 4 bytes
  // What the timing model needs (classify(); timing::kRegs numbering:
  // x1-x31 are 1-31, f0-f31 are 32-63, 0 is none).
  timing::OpClass tclass = timing::OpClass::Alu;
  timing::Control tcontrol = timing::Control::None;
  std::uint8_t tdst = 0;
  std::uint8_t tsrc[3] = {0, 0, 0};

  // The expanded instruction's table entry (for disassembly).
  const InsnSpec* spec() const;
  // The compressed mnemonic, empty for a 32-bit encoding.
  std::string_view cname() const;
};
static_assert(sizeof(Decoded) == 32);

// Fill in d's timing fields from its (expanded) 32-bit encoding.
void classify(Decoded& d, std::uint32_t expanded);

// Decode one instruction (16-bit encodings have raw[1:0] != 3). Never fails:
// an unknown or reserved encoding yields the illegal-instruction handler.
Decoded decode(std::uint32_t raw);

// The 32-bit instruction a 16-bit encoding stands for; 0 if it is reserved
// or illegal.
std::uint32_t expand_compressed(std::uint16_t half);

// Disassemble as objdump/Spike print it (ABI register names); pc resolves
// branch and jump targets.
std::string disassemble(const Decoded& d, std::uint64_t pc);
std::string disassemble(std::uint32_t raw, std::uint64_t pc);

const char* xreg_name(unsigned r);
const char* freg_name(unsigned r);

// The instruction tables, one per extension (isa/riscv/src/insns/*.cpp).
std::span<const InsnSpec> rv64i_insns();
std::span<const InsnSpec> rv64m_insns();
std::span<const InsnSpec> rv64a_insns();
std::span<const InsnSpec> rv64f_insns();
std::span<const InsnSpec> rv64d_insns();
std::span<const InsnSpec> zicsr_insns();
std::span<const InsnSpec> system_insns();
std::span<const InsnSpec> hypervisor_insns();
std::span<const CompressedSpec> rvc_insns();

// Direct-mapped cache of decoded instructions keyed by raw encoding. Keying by
// the bits (not the pc) makes self-modifying code safe without invalidation:
// the fetch always reads memory, and changed bits miss.
class DecodeCache {
 public:
  DecodeCache();
  const Decoded& lookup(std::uint32_t raw) {
    Decoded& e = entries_[index(raw)];
    if (e.raw != raw) [[unlikely]]
      e = decode(raw);
    return e;
  }

 private:
  static constexpr unsigned kBits = 12;
  static unsigned index(std::uint32_t raw) { return (raw * 0x9E3779B1u) >> (32 - kBits); }
  std::array<Decoded, 1u << kBits> entries_;
};

}  // namespace orrery::riscv
