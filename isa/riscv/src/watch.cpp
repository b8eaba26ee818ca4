// Watchpoints (GDB's Z2-Z4) on a RISC-V hart: after an instruction retired
// under a debugger, its data access (from its encoding and the registers
// before it ran, as the trace derives it) is compared with the watched
// virtual ranges. The hart then stops after the instruction, so the
// debugger sees the value written. Instruction fetches and page-table
// walks are not data accesses, and device DMA is not the hart's; neither
// triggers a watchpoint (nor does either in QEMU).
#include "orrery/core/debug.hpp"
#include "orrery/riscv/hart.hpp"
#include "mem_op.hpp"

namespace orrery::riscv {

bool RiscvHart::sc_succeeded(Addr addr, const TraceBefore& before) const {
  return before.reserved && before.reservation == addr;
}

void RiscvHart::check_watchpoints(const Decoded& d, const TraceBefore& before) {
  using K = MemOp::Kind;
  const auto [op, addr] = mem_access(d, before.rs1);
  if (op.kind == K::None) return;
  const bool read = op.kind == K::Load || op.kind == K::LoadReserved || op.kind == K::Amo;
  const bool write = op.kind == K::Store || op.kind == K::Amo ||
                     (op.kind == K::StoreConditional && sc_succeeded(addr, before));
  if (read || write) debug_->check_access(id(), addr, op.size, read, write);
}

}  // namespace orrery::riscv
