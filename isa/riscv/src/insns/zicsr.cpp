// Zicsr: the CSR instructions (unprivileged spec, "Zicsr" chapter). CSRRW
// with rd = x0 does not read; CSRRS/CSRRC with rs1 = x0 (and the immediate
// forms with uimm = 0) do not write, so they may read read-only registers.
#include "common.hpp"

namespace orrery::riscv {
namespace {
using namespace insn;

enum class Op { Write, Set, Clear };

template <Op kOp, bool kImmediate>
void csr_insn(RiscvHart& h, const Decoded& d) {
  const u64 operand = kImmediate ? d.rs1 : h.x(d.rs1);
  const bool writes = kOp == Op::Write || d.rs1 != 0;
  const bool reads = kOp != Op::Write || d.rd != 0;
  const CsrSpec* spec = h.csr_check(d, writes);
  if (!spec) return;
  const u64 old = reads ? h.csr_read(*spec) : 0;
  if (writes) {
    const u64 base = (kOp != Op::Write && spec->read_for_update) ? spec->read_for_update(h) : old;
    const u64 value = kOp == Op::Write ? operand : kOp == Op::Set ? (base | operand) : (base & ~operand);
    h.csr_write(*spec, value);
  }
  h.set_x(d.rd, old);
}

const InsnSpec kInsns[] = {
    {"csrrw", "............ ..... 001 ..... 1110011", Imm::Csr, "rd,csr,rs1", csr_insn<Op::Write, false>},
    {"csrrs", "............ ..... 010 ..... 1110011", Imm::Csr, "rd,csr,rs1", csr_insn<Op::Set, false>},
    {"csrrc", "............ ..... 011 ..... 1110011", Imm::Csr, "rd,csr,rs1", csr_insn<Op::Clear, false>},
    {"csrrwi", "............ ..... 101 ..... 1110011", Imm::Csr, "rd,csr,zimm", csr_insn<Op::Write, true>},
    {"csrrsi", "............ ..... 110 ..... 1110011", Imm::Csr, "rd,csr,zimm", csr_insn<Op::Set, true>},
    {"csrrci", "............ ..... 111 ..... 1110011", Imm::Csr, "rd,csr,zimm", csr_insn<Op::Clear, true>},
};

}  // namespace

std::span<const InsnSpec> zicsr_insns() { return kInsns; }

}  // namespace orrery::riscv
