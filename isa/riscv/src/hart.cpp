#include "orrery/riscv/hart.hpp"

#include <fmt/format.h>
#include <string>

#include "orrery/core/machine.hpp"
#include "orrery/core/trace.hpp"

namespace orrery::riscv {

RiscvHart::RiscvHart(unsigned id, Machine& machine, HartConfig config)
    : Hart(id), machine_(machine), bus_(machine.bus()), config_(config) {
  misa_ = kMisaMxl64 | misa_ext('I') | misa_ext('M') | misa_ext('A') | misa_ext('F') | misa_ext('D') | misa_ext('C');
}

void RiscvHart::reset(Addr pc) {
  // The fast load/store/fetch paths cover the machine's largest RAM region;
  // everything else goes through the bus.
  const BusRegion* best = nullptr;
  for (const BusRegion& r : bus_.regions())
    if (r.kind == BusRegion::Kind::Ram && (!best || r.size > best->size)) best = &r;
  if (!best || best->size < 8) throw Error("a RISC-V hart needs at least 8 bytes of RAM");
  ram_ = best->host;
  ram_base_ = best->base;
  ram_size_ = best->size;

  for (auto& r : x_) r = 0;
  for (auto& r : f_) r = 0;
  pc_ = npc_ = pc;
  priv_ = kPrivM;
  // Reset state (privileged spec, "Reset"): MIE = 0; MPP is M because no
  // other mode exists; FS = Off like QEMU and Spike, so firmware must enable
  // the FPU before using it.
  mstatus_ = std::uint64_t{kPrivM} << mstatus::MPP_SHIFT;
  mtvec_ = mepc_ = mcause_ = mtval_ = mscratch_ = mie_ = mip_ = 0;
  fflags_ = frm_ = 0;
  counters_ = {};
  instret_ = cycles_ = 0;
  reservation_valid_ = false;
}

std::uint64_t RiscvHart::interpret(std::uint64_t budget) {
  // Another hart may have stored to the reserved address while this one was
  // descheduled; SC may fail spuriously, so dropping the reservation is safe.
  if (config_.multi_hart) reservation_valid_ = false;
  return trace_ ? run_loop<true>(budget) : run_loop<false>(budget);
}

template <bool kTrace>
std::uint64_t RiscvHart::run_loop(std::uint64_t budget) {
  std::uint64_t executed = 0;
  while (executed < budget && !yield_) {
    ++executed;
    if ((mip_ & mie_) != 0) [[unlikely]]
      take_interrupt_if_pending();
    const Addr pc = pc_;
    std::uint32_t raw;
    const Addr off = pc - ram_base_;
    if (off <= ram_size_ - 4) [[likely]] {
      std::memcpy(&raw, ram_ + off, 4);
    } else if (!fetch_slow(raw)) {
      ++cycles_;  // the fetch fault was taken
      continue;
    }
    if ((raw & 3) != 3) raw &= 0xffff;
    const Decoded& d = decode_cache_.lookup(raw);
    npc_ = pc + d.len;
    trapped_ = false;
    d.exec(*this, d);
    x_[0] = 0;
    ++cycles_;
    if (trapped_) [[unlikely]]
      continue;  // raise() already redirected pc; the instruction did not retire
    ++instret_;
    if constexpr (kTrace) trace_commit(d, pc);
    pc_ = npc_;
  }
  return executed;
}

bool RiscvHart::fetch_slow(std::uint32_t& raw) {
  // Instructions come only from RAM or ROM: MMIO is not executable, so a
  // fetch there is an instruction access fault (a PMA violation).
  std::uint16_t lo, hi;
  const std::uint8_t* p = bus_.host_ptr(pc_, 2, false);
  if (!p) {
    raise(kInsnAccessFault, pc_);
    return false;
  }
  std::memcpy(&lo, p, 2);
  if ((lo & 3) != 3) {
    raw = lo;
    return true;
  }
  // A 32-bit instruction whose second half is not fetchable faults with the
  // address of that half in mtval (privileged spec, "Machine Trap Value").
  p = bus_.host_ptr(pc_ + 2, 2, false);
  if (!p) {
    raise(kInsnAccessFault, pc_ + 2);
    return false;
  }
  std::memcpy(&hi, p, 2);
  raw = lo | (std::uint32_t{hi} << 16);
  return true;
}

// No translation yet: va is the physical address. Misaligned accesses are
// performed when they fall in RAM (the spec allows hardware to handle them);
// a misaligned MMIO access is an access fault, which the spec also permits
// for regions that cannot be accessed misaligned. A failed access has no
// side effects: the bus performs it whole or not at all.

Addr RiscvHart::faulting_portion(Addr va, unsigned size) const {
  // An access that starts inside a region and runs past its end faults on
  // the part beyond it; mtval holds that part's address (privileged spec,
  // "Machine Trap Value Register").
  const BusRegion* r = bus_.find(va);
  if (r && !r->contains(va, size)) return r->base + r->size;
  return va;
}

bool RiscvHart::load_slow(Addr va, unsigned size, std::uint64_t& value) {
  if (!bus_.read(va, size, value)) {
    raise(kLoadAccessFault, faulting_portion(va, size));
    return false;
  }
  return true;
}

bool RiscvHart::store_slow(Addr va, unsigned size, std::uint64_t value) {
  if (!bus_.write(va, size, value)) {
    raise(kStoreAccessFault, faulting_portion(va, size));
    return false;
  }
  return true;
}

std::uint8_t* RiscvHart::amo_ptr(Addr va, unsigned size, bool is_load_reserved) {
  if (va & (size - 1)) {
    raise(is_load_reserved ? kLoadMisaligned : kStoreMisaligned, va);
    return nullptr;
  }
  std::uint8_t* p = bus_.host_ptr(va, size, true);
  if (!p) raise(is_load_reserved ? kLoadAccessFault : kStoreAccessFault, va);
  return p;
}

void RiscvHart::raise(std::uint64_t cause, std::uint64_t tval) {
  // Trap entry into M-mode (privileged spec, "Machine Trap Handling").
  trapped_ = true;
  mepc_ = pc_;
  mcause_ = cause;
  mtval_ = tval;
  std::uint64_t s = mstatus_;
  s = (s & ~mstatus::MPIE) | ((s & mstatus::MIE) ? mstatus::MPIE : 0);
  s &= ~mstatus::MIE;
  s = (s & ~mstatus::MPP) | (std::uint64_t{priv_} << mstatus::MPP_SHIFT);
  mstatus_ = s;
  priv_ = kPrivM;
  // Synchronous exceptions always go to BASE, even in vectored mode.
  const std::uint64_t base = mtvec_ & ~std::uint64_t{3};
  if (cause & kInterruptBit) {
    pc_ = (mtvec_ & 1) ? base + 4 * (cause & ~kInterruptBit) : base;
  } else {
    pc_ = base;
  }
}

void RiscvHart::set_interrupt_line(unsigned line, bool level) {
  if (line >= 64) return;
  const std::uint64_t bit = 1ull << line;
  mip_ = level ? (mip_ | bit) : (mip_ & ~bit);
  // WFI ends when any interrupt is pending and enabled, whatever the global
  // enables say (privileged spec, "Wait for Interrupt").
  if (mip_ & mie_) idle_ = false;
}

void RiscvHart::take_interrupt_if_pending() {
  // M-level interrupts are taken in M-mode when mstatus.MIE is set, or at
  // any time from a lower privilege. Priority order: MEI, MSI, MTI.
  const std::uint64_t pending = mip_ & mie_;
  if (!pending || (priv_ == kPrivM && !(mstatus_ & mstatus::MIE))) return;
  for (unsigned cause : {11u, 3u, 7u}) {
    if (pending & (1ull << cause)) {
      raise(kInterruptBit | cause, 0);
      trapped_ = false;  // the interrupted instruction has not started
      return;
    }
  }
}

void RiscvHart::mret() {
  std::uint64_t s = mstatus_;
  const Priv mpp = static_cast<Priv>((s & mstatus::MPP) >> mstatus::MPP_SHIFT);
  s = (s & ~mstatus::MIE) | ((s & mstatus::MPIE) ? mstatus::MIE : 0);
  s |= mstatus::MPIE;
  // MPP becomes the least-privileged supported mode: M on this hart.
  s = (s & ~mstatus::MPP) | (std::uint64_t{kPrivM} << mstatus::MPP_SHIFT);
  mstatus_ = s;
  priv_ = mpp;
  npc_ = mepc_;
}

const CsrSpec* RiscvHart::csr_check(const Decoded& d, bool write) {
  const auto number = static_cast<std::uint16_t>(d.imm);
  const CsrSpec* spec = find_csr(number);
  const unsigned min_priv = (number >> 8) & 3;
  const bool read_only = (number >> 10) == 3;
  if (!spec || priv_ < min_priv || (write && read_only) || (spec->accessible && !spec->accessible(*this))) {
    illegal(d);
    return nullptr;
  }
  return spec;
}

void RiscvHart::trace_commit(const Decoded& d, std::uint64_t pc) {
  // Spike's --log-commits layout, with the disassembly appended after ';'
  // (strip it with sed 's/ ;.*//' to diff against Spike).
  std::string line = fmt::format("core {:>3}: {} 0x{:016x} (0x{:0{}x})", id(), static_cast<unsigned>(priv_), pc,
                                 d.raw, d.len * 2);
  std::string_view ops = d.spec->operands;
  if (ops.starts_with("aqrl,")) ops.remove_prefix(5);
  if (ops.starts_with("rd") && d.rd != 0) line += fmt::format(" x{:<2} 0x{:016x}", d.rd, x_[d.rd]);
  else if (ops.starts_with("fd")) line += fmt::format(" f{:<2} 0x{:016x}", d.rd, f_[d.rd]);
  line += " ; ";
  line += disassemble(d, pc);
  line += '\n';
  trace_->write(line);
}

template std::uint64_t RiscvHart::run_loop<true>(std::uint64_t);
template std::uint64_t RiscvHart::run_loop<false>(std::uint64_t);

}  // namespace orrery::riscv
