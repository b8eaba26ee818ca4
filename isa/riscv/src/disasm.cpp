#include <fmt/format.h>
#include <string>

#include "orrery/riscv/csr.hpp"
#include "orrery/riscv/decode.hpp"

namespace orrery::riscv {

const char* xreg_name(unsigned r) {
  static const char* const names[32] = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
                                        "a1",   "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
                                        "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
  return names[r & 31];
}

const char* freg_name(unsigned r) {
  static const char* const names[32] = {"ft0", "ft1", "ft2",  "ft3",  "ft4", "ft5", "ft6",  "ft7",
                                        "fs0", "fs1", "fa0",  "fa1",  "fa2", "fa3", "fa4",  "fa5",
                                        "fa6", "fa7", "fs2",  "fs3",  "fs4", "fs5", "fs6",  "fs7",
                                        "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};
  return names[r & 31];
}

namespace {

std::string fence_set(unsigned bits) {
  std::string s;
  if (bits & 8) s += 'i';
  if (bits & 4) s += 'o';
  if (bits & 2) s += 'r';
  if (bits & 1) s += 'w';
  return s.empty() ? "0" : s;
}

// Operand tokens used in the tables' operand strings.
std::string operand(std::string_view tok, const Decoded& d, std::uint64_t pc) {
  if (tok == "rd") return xreg_name(d.rd);
  if (tok == "rs1") return xreg_name(d.rs1);
  if (tok == "rs2") return xreg_name(d.rs2);
  if (tok == "fd") return freg_name(d.rd);
  if (tok == "fs1") return freg_name(d.rs1);
  if (tok == "fs2") return freg_name(d.rs2);
  if (tok == "fs3") return freg_name(d.rs3);
  if (tok == "imm") return fmt::format("{}", d.imm);
  if (tok == "shamt") return fmt::format("{:#x}", d.imm);
  if (tok == "uimm20") return fmt::format("{:#x}", (static_cast<std::uint64_t>(d.imm) >> 12) & 0xfffff);
  if (tok == "target") return fmt::format("{:#x}", pc + static_cast<std::uint64_t>(d.imm));
  if (tok == "mem") return fmt::format("{}({})", d.imm, xreg_name(d.rs1));
  if (tok == "amo") return fmt::format("({})", xreg_name(d.rs1));
  if (tok == "zimm") return fmt::format("{}", d.rs1);
  if (tok == "csr") {
    const auto name = csr_name(static_cast<std::uint16_t>(d.imm));
    return name.empty() ? fmt::format("{:#x}", d.imm) : std::string(name);
  }
  if (tok == "pred") return fence_set((d.imm >> 4) & 15);
  if (tok == "succ") return fence_set(d.imm & 15);
  if (tok == "rm") {
    static const char* const modes[8] = {"rne", "rtz", "rdn", "rup", "rmm", "rm5", "rm6", "dyn"};
    return modes[d.rm];
  }
  return fmt::format("?{}", tok);
}

}  // namespace

std::string disassemble(const Decoded& d, std::uint64_t pc) {
  std::string text(d.cname().empty() ? d.spec()->mnemonic : d.cname());
  std::string_view ops = d.spec()->operands;
  if (ops.starts_with("aqrl")) {
    // AMO ordering bits aq (26) and rl (25) print as a mnemonic suffix.
    static const char* const suffix[4] = {"", ".rl", ".aq", ".aqrl"};
    text += suffix[(d.raw >> 25) & 3];
    ops.remove_prefix(ops.size() > 4 ? 5 : 4);
  }
  bool first = true;
  while (!ops.empty()) {
    const auto comma = ops.find(',');
    const std::string_view tok = ops.substr(0, comma);
    ops = comma == std::string_view::npos ? std::string_view{} : ops.substr(comma + 1);
    // The rounding mode is shown only when it is not the dynamic default.
    if (tok == "rm" && d.rm == 7) continue;
    if (first) {
      text.resize(std::max<std::size_t>(text.size() + 1, 8), ' ');
      first = false;
    } else {
      text += ", ";
    }
    text += operand(tok, d, pc);
  }
  return text;
}

std::string disassemble(std::uint32_t raw, std::uint64_t pc) { return disassemble(decode(raw), pc); }

}  // namespace orrery::riscv
