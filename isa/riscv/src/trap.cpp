// Traps, interrupts and the privileged control-transfer instructions
// (privileged spec, "Machine-Level ISA", "Supervisor-Level ISA" and
// "Hypervisor Extension": trap routing to M, HS or VS).
#include "orrery/core/machine.hpp"
#include "orrery/core/trace.hpp"
#include "orrery/riscv/hart.hpp"
#include "orrery/riscv/tinst.hpp"

namespace orrery::riscv {

namespace {

// Exceptions whose tval is a memory address: with V=1 (or for HLV/HSV) it is
// a guest virtual address and GVA is set.
bool address_cause(std::uint64_t code) {
  switch (code) {
    case kInsnMisaligned: case kInsnAccessFault: case kLoadMisaligned: case kLoadAccessFault:
    case kStoreMisaligned: case kStoreAccessFault: case kInsnPageFault: case kLoadPageFault:
    case kStorePageFault: case kInsnGuestPageFault: case kLoadGuestPageFault: case kStoreGuestPageFault:
      return true;
    default:
      return false;
  }
}

// Trap entry into an S level (HS through mstatus, VS through vsstatus):
// SPIE = SIE, SIE = 0, SPP = the privilege the trap came from.
std::uint64_t push_s_interrupt_stack(std::uint64_t s, Priv from) {
  s = (s & ~mstatus::SPIE) | ((s & mstatus::SIE) ? mstatus::SPIE : 0);
  s &= ~mstatus::SIE;
  return (s & ~mstatus::SPP) | (from == kPrivS ? mstatus::SPP : 0);
}

}  // namespace

RiscvHart::TrapTarget RiscvHart::exception_target(std::uint64_t code) const {
  if (priv_ == kPrivM || !((medeleg_ >> code) & 1)) return TrapTarget::M;
  if (virt_ && ((hedeleg_ >> code) & 1)) return TrapTarget::VS;
  return TrapTarget::HS;
}

void RiscvHart::raise(std::uint64_t cause, std::uint64_t tval) {
  trapped_ = true;
  request_block_exit();  // pc, privilege and translation change
  enter_trap(cause, tval, false, exception_target(cause));
}

void RiscvHart::raise_guest_page_fault(std::uint64_t cause, std::uint64_t gva, std::uint64_t gpa) {
  pending_gpa_ = gpa;
  raise(cause, gva);
}

std::uint32_t RiscvHart::explicit_access_tinst(std::uint64_t fault_va) {
  // Addr. Offset: how far the faulting address is past the first byte the
  // instruction accesses (rs1 + imm; rd has not been written yet).
  const Decoded& d = decode_cache_.lookup(executing_raw_);
  const std::uint64_t first = x_[d.rs1] + static_cast<std::uint64_t>(d.imm);
  const std::uint64_t offset = fault_va - first;
  return transformed_instruction(executing_raw_, offset < 8 ? offset : 0);
}

void RiscvHart::enter_trap(std::uint64_t code, std::uint64_t tval, bool interrupt, TrapTarget target) {
  const bool was_virt = virt_;
  const unsigned from_mode = mode_index();
  const bool gva = !interrupt && address_cause(code) && (was_virt || hlsv_active_);
  // Guest physical address of a guest-page fault, shifted as htval/mtval2
  // hold it. htinst/mtinst get the pseudoinstruction of an implicit access
  // (VS-stage walk), the transformed instruction of an explicit load, store
  // or AMO, and 0 for an instruction fetch and every other trap (the spec
  // always permits 0).
  const std::uint64_t gpa_field = pending_gpa_ >> 2;
  std::uint64_t tinst = pending_tinst_;
  if (!interrupt && !tinst && (code == kLoadGuestPageFault || code == kStoreGuestPageFault))
    tinst = explicit_access_tinst(tval);
  pending_gpa_ = 0;
  pending_tinst_ = 0;
  std::uint64_t tvec;
  std::uint64_t vector_code = code;
  if (target == TrapTarget::VS) {
    // A VS-level interrupt's code is already the one VS sees (vstopi's IID:
    // VSEI 10 is 9, VSSI 2 is 1, VSTI 6 is 5).
    vsepc_ = pc_;
    vscause_ = interrupt ? (kInterruptBit | vector_code) : code;
    vstval_ = tval;
    vsstatus_ = push_s_interrupt_stack(vsstatus_, priv_);
    tvec = vstvec_;
    set_mode(kPrivS, true);
  } else if (target == TrapTarget::HS) {
    sepc_ = pc_;
    scause_ = interrupt ? (kInterruptBit | code) : code;
    stval_ = tval;
    htval_ = gpa_field;
    htinst_ = tinst;
    std::uint64_t h = hstatus_;
    h = (h & ~hstatus::SPV) | (was_virt ? hstatus::SPV : 0);
    if (was_virt) h = (h & ~hstatus::SPVP) | (priv_ == kPrivS ? hstatus::SPVP : 0);
    h = (h & ~hstatus::GVA) | (gva ? hstatus::GVA : 0);
    hstatus_ = h;
    mstatus_ = push_s_interrupt_stack(mstatus_, priv_);
    tvec = stvec_;
    set_mode(kPrivS, false);
  } else {
    mepc_ = pc_;
    mcause_ = interrupt ? (kInterruptBit | code) : code;
    mtval_ = tval;
    mtval2_ = gpa_field;
    mtinst_ = tinst;
    std::uint64_t s = mstatus_;
    s = (s & ~mstatus::MPIE) | ((s & mstatus::MIE) ? mstatus::MPIE : 0);
    s &= ~mstatus::MIE;
    s = (s & ~mstatus::MPP) | (std::uint64_t{priv_} << mstatus::MPP_SHIFT);
    if (config_.has_h) {
      s = (s & ~mstatus::MPV) | (was_virt ? mstatus::MPV : 0);
      s = (s & ~mstatus::GVA) | (gva ? mstatus::GVA : 0);
    }
    mstatus_ = s;
    tvec = mtvec_;
    set_mode(kPrivM, false);
  }
  // Vectored mode applies to interrupts only.
  const std::uint64_t base = tvec & ~std::uint64_t{3};
  const Addr epc = pc_;
  pc_ = (interrupt && (tvec & 1)) ? base + 4 * vector_code : base;
  if (log_mask_ & (interrupt ? log_category::kInterrupt : log_category::kException)) [[unlikely]]
    log_trap(code, tval, interrupt, from_mode, epc);
}

void RiscvHart::take_interrupt_if_pending() {
  // Not delegated: M, taken below M always and in M when MIE. Trapping to HS
  // (hs_interrupts: delegated and not in hideleg, or routed by mvien): taken
  // in VS/VU always, in U, and in HS when SIE. VS level takes what vstopi
  // names, only with V=1: in VU always and in VS when vsstatus.SIE
  // (privileged spec, "Hypervisor Extension": interrupts; AIA, "Interrupt
  // traps to VS-mode"). A higher destination goes first; within one, the
  // default priority order decides.
  const bool m_enabled = priv_ < kPrivM || (mstatus_ & mstatus::MIE);
  const bool hs_enabled = virt_ || priv_ < kPrivS || (priv_ == kPrivS && (mstatus_ & mstatus::SIE));
  const bool vs_enabled = virt_ && (priv_ == kPrivU || (vsstatus_ & mstatus::SIE));
  if (m_enabled) {
    if (const int irq = highest_priority(mip_ & mie_ & ~mideleg_); irq >= 0)
      return enter_trap(static_cast<std::uint64_t>(irq), 0, true, TrapTarget::M);
  }
  if (hs_enabled) {
    if (const int irq = highest_priority(hs_interrupts(mip_)); irq >= 0)
      return enter_trap(static_cast<std::uint64_t>(irq), 0, true, TrapTarget::HS);
  }
  if (vs_enabled) {
    if (const std::uint64_t top = vstopi()) return enter_trap(top >> 16, 0, true, TrapTarget::VS);
  }
}

void RiscvHart::update_mip() {
  // With mvien.SEI set, the software-writable SEIP (mvip.SEIP) is no longer
  // part of mip.SEIP (AIA, "Interrupt filtering and virtual interrupts for
  // supervisor level").
  std::uint64_t v = mip_lines_ | (mip_sw_ & ~(mvien_ & irq_bit(kIrqSEI)));
  if (menvcfg_ & menvcfg::STCE) {
    // With Sstc enabled, STIP reflects stimecmp and is read-only.
    v &= ~irq_bit(kIrqSTI);
    if (stimecmp_due()) v |= irq_bit(kIrqSTI);
  }
  if (config_.has_h) {
    v |= hvip_ & kVsIrqs;
    if ((henvcfg_ & menvcfg::STCE) && read_time() + htimedelta_ >= vstimecmp_) v |= irq_bit(kIrqVSTI);
    const unsigned vgein = static_cast<unsigned>((hstatus_ & hstatus::VGEIN) >> hstatus::VGEIN_SHIFT);
    if (vgein && ((hgeip_ >> vgein) & 1)) v |= irq_bit(kIrqVSEI);
    if (hgeip_ & hgeie_) v |= irq_bit(kIrqSGEI);
  }
  mip_ = v;
  // Interrupts are checked before each block, so the block being run (this
  // hart's own MMIO store got here) must end at this instruction.
  request_block_exit();
  // Virtual interrupts outside mip & mie: routed by mvien, routed by hvien,
  // or specified by hvictl.VTI (IID 9 means none).
  const bool vti = (hvictl_ & hvictl::VTI) && ((hvictl_ & hvictl::IID) >> hvictl::IID_SHIFT) != kIrqSEI;
  aia_virtual_pending_ = (mvip_virtual() & sie_virtual_ & mvien_) != 0 ||
                         (hvip_ & hvien_ & vsie_virtual_ & kLocalIrqs) != 0 || vti;
  if (interrupt_attention()) idle_ = false;  // WFI ends on an interrupt pending at any level
}

void RiscvHart::set_interrupt_line(unsigned line, bool level) {
  if (line >= 64) return;
  const std::uint64_t bit = 1ull << line;
  mip_lines_ = level ? (mip_lines_ | bit) : (mip_lines_ & ~bit);
  update_mip();
}

void RiscvHart::set_guest_external_line(unsigned guest, bool level) {
  if (guest == 0 || guest > config_.geilen) return;
  const std::uint64_t bit = 1ull << guest;
  hgeip_ = level ? (hgeip_ | bit) : (hgeip_ & ~bit);
  update_mip();
}

void RiscvHart::update_stimecmp() {
  stimecmp_event_.cancel();
  update_mip();
  if (!mtime_) return;
  // Wake up when mtime reaches the nearest enabled compare (stimecmp, or
  // vstimecmp - htimedelta); the callback re-checks, so rounding or a changed
  // mtime only costs another event.
  const std::uint64_t now_ticks = read_time();
  std::uint64_t target = ~std::uint64_t{0};
  if ((menvcfg_ & menvcfg::STCE) && now_ticks < stimecmp_) target = stimecmp_;
  if (config_.has_h && (henvcfg_ & menvcfg::STCE)) {
    const std::uint64_t vs_target = vstimecmp_ - htimedelta_;
    if (now_ticks + htimedelta_ < vstimecmp_ && vs_target > now_ticks) target = std::min(target, vs_target);
  }
  if (target == ~std::uint64_t{0} || target <= now_ticks) return;
  const Tick period = kTicksPerSecond / config_.timebase_hz;
  const std::uint64_t delta = target - now_ticks;
  const Tick now = machine_.now();
  if (delta > (EventQueue::kNever - now) / period - 1) return;  // effectively never
  stimecmp_event_.arm(now + delta * period);
}

void RiscvHart::mret() {
  std::uint64_t s = mstatus_;
  const Priv mpp = static_cast<Priv>((s & mstatus::MPP) >> mstatus::MPP_SHIFT);
  const bool mpv = mpp != kPrivM && (s & mstatus::MPV);
  s = (s & ~mstatus::MIE) | ((s & mstatus::MPIE) ? mstatus::MIE : 0);
  s |= mstatus::MPIE;
  s &= ~(mstatus::MPP | mstatus::MPV);  // MPP becomes U, the least-privileged mode
  if (mpp != kPrivM) s &= ~mstatus::MPRV;
  mstatus_ = s;
  set_mode(mpp, mpv);
  npc_ = mepc_;
}

void RiscvHart::sret(const Decoded& d) {
  if (virt_) {
    // In VU, and in VS with hstatus.VTSR, SRET is a virtual instruction.
    if (priv_ == kPrivU || (hstatus_ & hstatus::VTSR)) return virtual_insn(d);
    std::uint64_t s = vsstatus_;
    const Priv spp = (s & mstatus::SPP) ? kPrivS : kPrivU;
    s = (s & ~mstatus::SIE) | ((s & mstatus::SPIE) ? mstatus::SIE : 0);
    s |= mstatus::SPIE;
    s &= ~mstatus::SPP;
    vsstatus_ = s;
    set_mode(spp, true);
    npc_ = vsepc_;
    return;
  }
  // SRET is illegal in U-mode, and in S-mode when mstatus.TSR is set.
  if (priv_ == kPrivU || (priv_ == kPrivS && (mstatus_ & mstatus::TSR))) return illegal(d);
  std::uint64_t s = mstatus_;
  const Priv spp = (s & mstatus::SPP) ? kPrivS : kPrivU;
  const bool spv = priv_ == kPrivS && (hstatus_ & hstatus::SPV);
  s = (s & ~mstatus::SIE) | ((s & mstatus::SPIE) ? mstatus::SIE : 0);
  s |= mstatus::SPIE;
  s &= ~mstatus::SPP;
  s &= ~mstatus::MPRV;  // SRET always returns below M
  mstatus_ = s;
  hstatus_ &= ~hstatus::SPV;
  set_mode(spp, spv);
  npc_ = sepc_;
}

void RiscvHart::wfi(const Decoded& d) {
  // With S-mode present WFI is illegal in U-mode, and below M when TW is set
  // (the "bounded time" the spec allows is zero here). With TW clear, WFI in
  // VU, or in VS with VTW set, is a virtual instruction.
  if (priv_ != kPrivM && (mstatus_ & mstatus::TW)) return illegal(d);
  if (virt_ && (priv_ == kPrivU || (hstatus_ & hstatus::VTW))) return virtual_insn(d);
  if (priv_ == kPrivU) return illegal(d);
  if (!interrupt_attention()) {
    idle_ = true;
    request_yield();
  }
}

void RiscvHart::sfence_vma(const Decoded& d) {
  if (virt_) {
    if (priv_ == kPrivU || (hstatus_ & hstatus::VTVM)) return virtual_insn(d);
  } else if (priv_ == kPrivU || (priv_ == kPrivS && (mstatus_ & mstatus::TVM))) {
    return illegal(d);
  }
  // Every cached translation goes; ASID/address-selective flushing is an
  // optimisation the spec permits us to skip.
  flush_tlbs();
}

void RiscvHart::hfence(const Decoded& d, bool gvma) {
  // HFENCE.VVMA/GVMA: virtual instructions in VS/VU, illegal in U; GVMA is
  // also illegal in HS when mstatus.TVM is set.
  if (!config_.has_h) return illegal(d);
  if (virt_) return virtual_insn(d);
  if (priv_ == kPrivU || (gvma && priv_ == kPrivS && (mstatus_ & mstatus::TVM))) return illegal(d);
  flush_tlbs();
}

}  // namespace orrery::riscv
