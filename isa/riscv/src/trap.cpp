// Traps, interrupts and the privileged control-transfer instructions
// (privileged spec, "Machine-Level ISA" and "Supervisor-Level ISA").
#include "orrery/core/machine.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv {

void RiscvHart::raise(std::uint64_t cause, std::uint64_t tval) {
  trapped_ = true;
  enter_trap(cause, tval, false);
}

void RiscvHart::enter_trap(std::uint64_t code, std::uint64_t tval, bool interrupt) {
  // Traps from S or U go to S when delegated; M-mode traps never go down.
  const bool to_s = priv_ <= kPrivS && (((interrupt ? mideleg_ : medeleg_) >> code) & 1);
  const std::uint64_t cause = interrupt ? (kInterruptBit | code) : code;
  std::uint64_t s = mstatus_;
  std::uint64_t tvec;
  if (to_s) {
    sepc_ = pc_;
    scause_ = cause;
    stval_ = tval;
    s = (s & ~mstatus::SPIE) | ((s & mstatus::SIE) ? mstatus::SPIE : 0);
    s &= ~mstatus::SIE;
    s = (s & ~mstatus::SPP) | (priv_ == kPrivS ? mstatus::SPP : 0);
    tvec = stvec_;
    mstatus_ = s;
    set_priv(kPrivS);
  } else {
    mepc_ = pc_;
    mcause_ = cause;
    mtval_ = tval;
    s = (s & ~mstatus::MPIE) | ((s & mstatus::MIE) ? mstatus::MPIE : 0);
    s &= ~mstatus::MIE;
    s = (s & ~mstatus::MPP) | (std::uint64_t{priv_} << mstatus::MPP_SHIFT);
    tvec = mtvec_;
    mstatus_ = s;
    set_priv(kPrivM);
  }
  // Vectored mode applies to interrupts only.
  const std::uint64_t base = tvec & ~std::uint64_t{3};
  pc_ = (interrupt && (tvec & 1)) ? base + 4 * code : base;
}

void RiscvHart::take_interrupt_if_pending() {
  const std::uint64_t pending = mip_ & mie_;
  // Interrupts not delegated go to M: taken below M always, in M when MIE.
  // Delegated ones go to S: taken in U always, in S when SIE, never in M.
  const bool m_enabled = priv_ < kPrivM || (mstatus_ & mstatus::MIE);
  const bool s_enabled = priv_ < kPrivS || (priv_ == kPrivS && (mstatus_ & mstatus::SIE));
  const std::uint64_t m_irqs = m_enabled ? (pending & ~mideleg_) : 0;
  const std::uint64_t s_irqs = s_enabled ? (pending & mideleg_) : 0;
  // Higher destination privilege first; within one, MEI MSI MTI SEI SSI STI.
  for (std::uint64_t irqs : {m_irqs, s_irqs}) {
    if (!irqs) continue;
    for (Irq irq : {kIrqMEI, kIrqMSI, kIrqMTI, kIrqSEI, kIrqSSI, kIrqSTI}) {
      if (irqs & irq_bit(irq)) {
        enter_trap(irq, 0, true);
        return;
      }
    }
  }
}

void RiscvHart::update_mip() {
  std::uint64_t v = mip_lines_ | mip_sw_;
  if (menvcfg_ & menvcfg::STCE) {
    // With Sstc enabled, STIP reflects stimecmp and is read-only.
    v &= ~irq_bit(kIrqSTI);
    if (read_time() >= stimecmp_) v |= irq_bit(kIrqSTI);
  }
  mip_ = v;
  if (mip_ & mie_) idle_ = false;  // WFI ends on any enabled pending interrupt
}

void RiscvHart::set_interrupt_line(unsigned line, bool level) {
  if (line >= 64) return;
  const std::uint64_t bit = 1ull << line;
  mip_lines_ = level ? (mip_lines_ | bit) : (mip_lines_ & ~bit);
  update_mip();
}

void RiscvHart::update_stimecmp() {
  if (stimecmp_event_) {
    machine_.events().cancel(stimecmp_event_);
    stimecmp_event_ = 0;
  }
  update_mip();
  if (!(menvcfg_ & menvcfg::STCE) || !mtime_) return;
  const std::uint64_t now_ticks = read_time();
  if (now_ticks >= stimecmp_) return;
  // Wake up when mtime reaches stimecmp; the callback re-checks, so rounding
  // or a changed mtime only costs another event.
  const Tick period = kTicksPerSecond / config_.timebase_hz;
  const std::uint64_t delta = stimecmp_ - now_ticks;
  const Tick now = machine_.now();
  if (delta > (EventQueue::kNever - now) / period - 1) return;  // effectively never
  stimecmp_event_ = machine_.events().schedule(now + delta * period, [this](Tick) {
    stimecmp_event_ = 0;
    update_stimecmp();
  });
}

void RiscvHart::mret() {
  std::uint64_t s = mstatus_;
  const Priv mpp = static_cast<Priv>((s & mstatus::MPP) >> mstatus::MPP_SHIFT);
  s = (s & ~mstatus::MIE) | ((s & mstatus::MPIE) ? mstatus::MIE : 0);
  s |= mstatus::MPIE;
  s &= ~mstatus::MPP;  // MPP becomes U, the least-privileged mode
  if (mpp != kPrivM) s &= ~mstatus::MPRV;
  mstatus_ = s;
  set_priv(mpp);
  npc_ = mepc_;
}

void RiscvHart::sret(const Decoded& d) {
  // SRET is illegal in U-mode, and in S-mode when mstatus.TSR is set.
  if (priv_ == kPrivU || (priv_ == kPrivS && (mstatus_ & mstatus::TSR))) return illegal(d);
  std::uint64_t s = mstatus_;
  const Priv spp = (s & mstatus::SPP) ? kPrivS : kPrivU;
  s = (s & ~mstatus::SIE) | ((s & mstatus::SPIE) ? mstatus::SIE : 0);
  s |= mstatus::SPIE;
  s &= ~mstatus::SPP;
  s &= ~mstatus::MPRV;  // SRET always returns below M
  mstatus_ = s;
  set_priv(spp);
  npc_ = sepc_;
}

void RiscvHart::wfi(const Decoded& d) {
  // With S-mode present WFI is illegal in U-mode, and below M when TW is
  // set (the "bounded time" the spec allows is zero here).
  if (priv_ == kPrivU || (priv_ != kPrivM && (mstatus_ & mstatus::TW))) return illegal(d);
  if ((mip_ & mie_) == 0) {
    idle_ = true;
    yield_ = true;
  }
}

void RiscvHart::sfence_vma(const Decoded& d) {
  if (priv_ == kPrivU || (priv_ == kPrivS && (mstatus_ & mstatus::TVM))) return illegal(d);
  // Every cached translation goes; ASID/address-selective flushing is an
  // optimisation the spec permits us to skip.
  flush_tlbs();
}

}  // namespace orrery::riscv
