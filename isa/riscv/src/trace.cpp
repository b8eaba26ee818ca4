// The commit trace (--trace and its --trace-* flags): one line per retired
// instruction in Spike's --log-commits layout,
//   core   0: 3 0x0000000080000000 (0x00000297) x5  0x0000000080000000
// then, on request, the CSR the instruction wrote (c<number>_<name> 0x...),
// its memory accesses (mem 0xADDR for a read, mem 0xADDR 0xVALUE for a
// write, VALUE as wide as the access) and " ; " and the disassembly.
// Everything is derived from the decoded instruction and the state before
// and after it, so the memory paths need no hooks and the untraced loops
// pay nothing.
#include <cstring>
#include <fmt/format.h>
#include <optional>
#include <string>

#include "orrery/core/trace.hpp"
#include "orrery/riscv/hart.hpp"
#include "mem_op.hpp"

namespace orrery::riscv {

namespace {

std::string read_record(Addr addr) { return fmt::format(" mem 0x{:016x}", addr); }

std::string write_record(Addr addr, std::uint64_t value, unsigned size) {
  const std::uint64_t mask = size == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * size)) - 1;
  return fmt::format(" mem 0x{:016x} 0x{:0{}x}", addr, value & mask, size * 2);
}

}  // namespace

void RiscvHart::trace_retired(const Decoded& d, Addr pc, const TraceBefore& before) {
  const TraceConfig& c = trace_->config();
  const std::uint64_t index = trace_->next_index();
  if (index >= c.window_end) {
    // Nothing after the window is traced: leave the hooks loop for good,
    // so the rest of the run goes at full speed (on either engine).
    trace_ = nullptr;
    request_loop_switch();
    return;
  }
  if (index < c.window_begin || !trace_->selects(id(), before.mode, pc)) return;
  trace_commit(d, pc, before);
}

void RiscvHart::trace_commit(const Decoded& d, Addr pc, const TraceBefore& before) {
  const TraceConfig& c = trace_->config();
  // The privilege the instruction ran in, as Spike prints it (mret's line
  // shows M, not where it returned to).
  std::string line = fmt::format("core {:>3}: {} 0x{:016x} (0x{:0{}x})", id(), static_cast<unsigned>(before.priv),
                                  pc, d.raw, d.len * 2);
  const std::string reg = register_record(d);
  const CsrSpec* csr = c.csr ? written_csr(d) : nullptr;
  if (csr) {
    const std::string text = fmt::format(" c{}_{} 0x{:016x}", csr->number, csr->name, csr_read(*csr));
    // Spike lists an instruction's writes ordered by (register number, x
    // before CSR), so a CSR numbered below rd (fflags, frm, fcsr) comes first.
    line += csr->number < d.rd ? text + reg : reg + text;
  } else {
    line += reg;
  }
  if (c.mem) line += memory_records(d, before);
  if (c.disasm) {
    line += " ; ";
    line += disassemble(d, pc);
  }
  line += '\n';
  trace_->write(line);
}

std::string RiscvHart::register_record(const Decoded& d) const {
  // The destination named first in the operand list is the register written.
  std::string_view ops = d.spec()->operands;
  if (ops.starts_with("aqrl,")) ops.remove_prefix(5);
  if (ops.starts_with("rd") && d.rd != 0) return fmt::format(" x{:<2} 0x{:016x}", d.rd, x_[d.rd]);
  if (ops.starts_with("fd")) return fmt::format(" f{:<2} 0x{:016x}", d.rd, f_[d.rd]);
  return {};
}

const CsrSpec* RiscvHart::written_csr(const Decoded& d) const {
  // Zicsr (SYSTEM, funct3 1-3 and 5-7): CSRRW[I] always write, CSRRS[I] and
  // CSRRC[I] only with a nonzero rs1 field. Compressed encodings are never
  // CSR instructions (their raw bits [1:0] differ from 0x73's).
  const unsigned funct3 = (d.raw >> 12) & 7;
  if ((d.raw & 0x7f) != 0x73 || (funct3 & 3) == 0) return nullptr;
  if ((funct3 & 3) != 1 && d.rs1 == 0) return nullptr;
  // The register reached, as csr_check resolves it: with V=1 the S-level
  // numbers name the VS registers (vs* = s* + 0x100).
  const auto number = static_cast<std::uint16_t>(d.imm);
  if (virt_ && ((number >> 8) & 3) == 1) {
    if (const CsrSpec* vs = find_csr(static_cast<std::uint16_t>(number + 0x100))) return vs;
  }
  return find_csr(number);
}

std::string RiscvHart::memory_records(const Decoded& d, const TraceBefore& before) const {
  using K = MemOp::Kind;
  const auto [op, addr] = mem_access(d, before.rs1);
  switch (op.kind) {
    case K::None: return {};
    case K::Load:
    case K::LoadReserved: return read_record(addr);
    case K::Store: return write_record(addr, op.fp_data ? f_[d.rs2] : before.rs2, op.size);
    case K::StoreConditional:
      return sc_succeeded(addr, before) ? write_record(addr, before.rs2, op.size) : "";
    case K::Amo: {
      // A read, then a write of what the operation computed, which is now
      // in memory: AMOs only reach RAM, so reading it back is harmless.
      std::string records = read_record(addr);
      const std::optional<Addr> pa = debug_translate(addr);
      const std::uint8_t* p = pa ? bus_.host_ptr(*pa, op.size, false) : nullptr;
      if (!p) return records;  // not reached: the AMO just wrote there
      std::uint64_t value = 0;
      std::memcpy(&value, p, op.size);
      return records + write_record(addr, value, op.size);
    }
  }
  return {};
}

}  // namespace orrery::riscv
