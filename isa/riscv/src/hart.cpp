#include "orrery/riscv/hart.hpp"

#include <fmt/format.h>
#include <string>

#include "orrery/core/machine.hpp"

namespace orrery::riscv {

RiscvHart::RiscvHart(unsigned id, Machine& machine, HartConfig config)
    : Hart(id),
      machine_(machine),
      bus_(machine.bus()),
      config_(config),
      stimecmp_event_(machine.events(), [this](Tick) { update_stimecmp(); }) {
  misa_ = kMisaMxl64 | misa_ext('I') | misa_ext('M') | misa_ext('A') | misa_ext('F') | misa_ext('D') |
          misa_ext('C') | misa_ext('S') | misa_ext('U') | (config_.has_h ? misa_ext('H') : 0);
  build_isa_name();
  // Writes to pages that come to hold decoded code leave the fast path in
  // every TLB of this hart, entries filled before included (Bus::mark_code).
  static_assert(mmu::SoftTlb<>::kPageSize == (std::uint64_t{1} << Bus::kCodePageBits),
                "watch_writes matches whole TLB pages against the bus's code pages");
  bus_.add_write_watcher([this](const std::uint8_t* host_page) {
    for (auto& tlb : tlbs_) tlb.watch_writes(host_page);
  });
}

void RiscvHart::build_isa_name() {
  isa_name_ = config_.has_h ? "rv64imafdch" : "rv64imafdc";
  isa_name_ += "_zicntr_zicsr_zifencei_zihintpause_zihpm";
  if (aia_m_) isa_name_ += "_smaia";
  if (config_.has_smstateen) isa_name_ += "_smstateen";
  if (aia_s_) isa_name_ += "_ssaia";
  if (config_.has_sscofpmf) isa_name_ += "_sscofpmf";
  isa_name_ += "_sstc";
}

void RiscvHart::attach_interrupt_files(InterruptFile* m, InterruptFile* s, std::vector<InterruptFile*> guests) {
  aia_m_ = m;
  aia_s_ = s;
  aia_guests_ = std::move(guests);
  build_isa_name();
}

void RiscvHart::reset(Addr pc) {
  for (auto& r : x_) r = 0;
  for (auto& r : f_) r = 0;
  pc_ = npc_ = pc;
  // Reset state (privileged spec, "Reset"): M-mode, MIE = 0, MPRV = 0;
  // FS = Off like QEMU and Spike, so firmware must enable the FPU first.
  // XLEN is 64 in every mode (UXL = SXL = 2).
  mstatus_ = (2ull << 32) | (2ull << 34);
  mtvec_ = mepc_ = mcause_ = mtval_ = mscratch_ = mie_ = 0;
  mip_ = mip_sw_ = 0;
  medeleg_ = 0;
  mcounteren_ = scounteren_ = 0;
  menvcfg_ = senvcfg_ = 0;
  stvec_ = sepc_ = scause_ = stval_ = sscratch_ = satp_ = 0;
  stimecmp_ = ~std::uint64_t{0};
  hstatus_ = hedeleg_ = hideleg_ = hvip_ = hgeie_ = hgeip_ = 0;
  hcounteren_ = 0;
  htimedelta_ = htval_ = htinst_ = henvcfg_ = hgatp_ = 0;
  vsstatus_ = vstvec_ = vsscratch_ = vsepc_ = vscause_ = vstval_ = vsatp_ = 0;
  vstimecmp_ = ~std::uint64_t{0};
  mtval2_ = mtinst_ = 0;
  for (unsigned i = 0; i < 4; ++i) mstateen_[i] = hstateen_[i] = sstateen_[i] = 0;
  miselect_ = siselect_ = vsiselect_ = 0;
  mvien_ = mvip_ = sie_virtual_ = 0;
  hvien_ = hvictl_ = vsie_virtual_ = 0;
  aia_virtual_pending_ = false;
  // With H, the VS-level interrupts and SGEI are always delegated past M.
  mideleg_ = config_.has_h ? (kVsIrqs | irq_bit(kIrqSGEI)) : 0;
  for (auto& c : pmpcfg_) c = 0;
  for (auto& a : pmpaddr_) a = 0;
  pmp_changed();
  fflags_ = frm_ = 0;
  counters_ = {};
  for (auto& e : mhpmevent_) e = 0;
  hpm_ = {};
  pmu_changed();
  instret_ = cycles_ = 0;
  reservation_valid_ = false;
  grace_end_ = 0;
  idle_ = false;
  set_mode(kPrivM, false);
  flush_tlbs();
  update_stimecmp();
}

void RiscvHart::visit_state(const StateVisitor& visit) const {
  visit("pc", pc_);
  for (unsigned r = 1; r < 32; ++r) visit(xreg_name(r), x_[r]);
  for (unsigned r = 0; r < 32; ++r) visit(freg_name(r), f_[r]);
  visit("priv", static_cast<std::uint64_t>(priv_));
  visit("V", virt_);
  visit("instret", instret_);
  visit("cycles", cycles_);
  visit("idle", idle_);
  visit("reservation", reservation_valid_ ? reservation_ : ~std::uint64_t{0});
  visit("fflags", fflags_);
  visit("frm", frm_);
  // The CSRs' backing state (side-effect-free, unlike some CSR reads).
  const std::pair<std::string_view, std::uint64_t> csrs[] = {
      {"mstatus", mstatus_}, {"mtvec", mtvec_}, {"mepc", mepc_}, {"mcause", mcause_}, {"mtval", mtval_},
      {"mscratch", mscratch_}, {"mie", mie_}, {"mip", mip_}, {"mip_sw", mip_sw_}, {"medeleg", medeleg_},
      {"mideleg", mideleg_}, {"mcounteren", mcounteren_}, {"scounteren", scounteren_}, {"menvcfg", menvcfg_},
      {"senvcfg", senvcfg_}, {"stvec", stvec_}, {"sepc", sepc_}, {"scause", scause_}, {"stval", stval_},
      {"sscratch", sscratch_}, {"satp", satp_}, {"stimecmp", stimecmp_}, {"hstatus", hstatus_},
      {"hedeleg", hedeleg_}, {"hideleg", hideleg_}, {"hvip", hvip_}, {"hgeie", hgeie_}, {"hgeip", hgeip_},
      {"hcounteren", hcounteren_}, {"htimedelta", htimedelta_}, {"htval", htval_}, {"htinst", htinst_},
      {"henvcfg", henvcfg_}, {"hgatp", hgatp_}, {"vsstatus", vsstatus_}, {"vstvec", vstvec_},
      {"vsscratch", vsscratch_}, {"vsepc", vsepc_}, {"vscause", vscause_}, {"vstval", vstval_},
      {"vsatp", vsatp_}, {"vstimecmp", vstimecmp_}, {"mtval2", mtval2_}, {"mtinst", mtinst_},
      {"mvien", mvien_}, {"mvip", mvip_}, {"hvien", hvien_}, {"hvictl", hvictl_}, {"miselect", miselect_},
      {"siselect", siselect_}, {"vsiselect", vsiselect_}, {"mcountinhibit", counters_.inhibit},
      {"mcycle_offset", counters_.cycle_offset}, {"minstret_offset", counters_.instret_offset},
  };
  for (const auto& [name, value] : csrs) visit(name, value);
  for (unsigned i = 0; i < 4; ++i) {
    visit(fmt::format("mstateen{}", i), mstateen_[i]);
    visit(fmt::format("hstateen{}", i), hstateen_[i]);
    visit(fmt::format("sstateen{}", i), sstateen_[i]);
  }
  for (unsigned i = 0; i < kPmpEntries; ++i) {
    visit(fmt::format("pmpcfg{}", i), pmpcfg_[i]);
    visit(fmt::format("pmpaddr{}", i), pmpaddr_[i]);
  }
  for (unsigned i = 3; i < 32; ++i) {
    visit(fmt::format("mhpmevent{}", i), mhpmevent_[i]);
    visit(fmt::format("mhpmcounter{}", i), hpm_.value(i));
  }
  // The timing model is part of what both engines must agree on.
  if (timing_) {
    visit("model.cycles", timing_->cycles());
    for (const pmu::EventInfo& e : pmu::events())
      visit(fmt::format("model.{}", e.name), timing_->count(e.event));
  }
}

void RiscvHart::begin_slice() {
  // Another hart may have stored to the reserved address while this one was
  // descheduled; SC may fail spuriously, so dropping the reservation is safe.
  if (config_.multi_hart) reservation_valid_ = false;
}

std::uint64_t RiscvHart::state_fingerprint() const {
  // FNV-1a over the state that changes most; visit_state has everything.
  std::uint64_t h = 0xcbf29ce484222325ull;
  const auto mix = [&h](std::uint64_t v) { h = (h ^ v) * 0x100000001b3ull; };
  mix(pc_);
  for (unsigned r = 1; r < 32; ++r) mix(x_[r]);
  for (unsigned r = 0; r < 32; ++r) mix(f_[r]);
  mix(instret_);
  mix(cycles_);
  mix(counted_cycles());
  mix(static_cast<std::uint64_t>(priv_) | (virt_ ? 4 : 0) | (reservation_valid_ ? 8 : 0));
  for (std::uint64_t v : {mstatus_, mepc_, mcause_, mtval_, mip_, mie_, sepc_, scause_, stval_, satp_, vsstatus_,
                          vsepc_, hstatus_, vsatp_, hgatp_})
    mix(v);
  return h;
}

std::uint64_t RiscvHart::interpret(std::uint64_t budget) {
  std::uint64_t done = 0;
  do done += interpret_once(budget - done);
  while (take_loop_switch() && done < budget);
  return done;
}

std::uint64_t RiscvHart::interpret_once(std::uint64_t budget) {
  const bool hooks = trace_ || debugged();
  if (observed_) return hooks ? run_loop<true, true>(budget) : run_loop<false, true>(budget);
  return hooks ? run_loop<true, false>(budget) : run_loop<false, false>(budget);
}

// kHooks: a trace is written or a debugger is attached (the loop checks
// breakpoints before each instruction and stops after a step).
template <bool kHooks, bool kObserve>
std::uint64_t RiscvHart::run_loop(std::uint64_t budget) {
  std::uint64_t executed = 0;
  // pmu_changed() requests a loop switch when observation turns on or off,
  // so the caller comes back with the other loop.
  while (executed < budget && !yield_) {
    ++executed;
    // A stepped instruction runs with interrupts masked, as QEMU's gdbstub
    // steps by default: the step lands on the next instruction, not in a
    // handler.
    const bool stepping = kHooks && debug_ && debug_->stepping(id());
    if (interrupt_attention() && !stepping) [[unlikely]] {
      const Addr pc = pc_;
      const unsigned mode = mode_index();
      take_interrupt_if_pending();
      if constexpr (kObserve) {
        if (pc_ != pc) observe_trap(pc, mode, false);
      }
    }
    if constexpr (kHooks) {
      // Before the instruction (a trap handler's first one included, when
      // an interrupt was just taken): nothing of it has happened.
      if (debug_ && debug_->is_breakpoint(pc_)) {
        --executed;
        debug_->note_stop(id(), DebugControl::StopKind::Breakpoint);
        request_yield();
        break;
      }
    }
    execute_next<kHooks, kObserve>();
    if constexpr (kHooks) {
      if (stepping) debug_->note_stop(id(), DebugControl::StopKind::Step);
      // A step, or a watchpoint the instruction hit: stop after it.
      if (debug_ && debug_->stop_pending()) {
        request_yield();
        break;
      }
    }
  }
  return executed;
}

template <bool kTrace, bool kObserve>
inline void RiscvHart::execute_next() {
  const Addr pc = pc_;
  std::uint32_t raw;
  if (const std::uint8_t* p = fetch_tlb_->lookup<mmu::Access::Execute>(pc, 4)) [[likely]] {
    std::memcpy(&raw, p, 4);
  } else {
    [[maybe_unused]] const unsigned mode = kObserve ? mode_index() : 0;
    if (!fetch_slow(raw)) {
      ++cycles_;  // the fetch fault was taken
      if constexpr (kObserve) observe_trap(pc, mode, true);
      return;
    }
  }
  if ((raw & 3) != 3) raw &= 0xffff;
  const Decoded& d = decode_cache_.lookup(raw);
  [[maybe_unused]] TraceBefore before;
  [[maybe_unused]] bool watching = false;
  if constexpr (kTrace) {
    watching = debug_ && debug_->watching();
    if (trace_ || watching) before = trace_before(d);
  }
  execute<kObserve>(d, raw, d.exec);
  if constexpr (kTrace) {
    if (trace_ && !trapped_) trace_retired(d, pc, before);
    if (watching && !trapped_) check_watchpoints(d, before);
  }
}

void RiscvHart::step_one() {
  if (observed_) execute_next<false, true>();
  else execute_next<false, false>();
}

const CsrSpec* RiscvHart::csr_check(const Decoded& d, bool write) {
  // Privileged spec, "CSR Address Mapping Conventions": bits [9:8] give the
  // lowest privilege (2 = hypervisor: HS), [11:10] == 3 marks read-only.
  // With V=1 (privileged spec, "Hypervisor Extension": virtual-instruction
  // exceptions): M-level CSRs are illegal; hypervisor and VS CSRs raise a
  // virtual-instruction exception where HS could access them; in VU so do
  // S-level CSRs; in VS the S-level numbers reach the VS registers (vs* CSR
  // numbers are the s* numbers + 0x100).
  const auto number = static_cast<std::uint16_t>(d.imm);
  const unsigned level = (number >> 8) & 3;
  const bool read_only = (number >> 10) == 3;
  const CsrSpec* spec = find_csr(number);
  bool fault_illegal = !spec || (write && read_only);
  bool fault_virtual = false;
  if (!fault_illegal && virt_) {
    if (level == 3) {
      fault_illegal = true;
    } else if (level == 2 || (level == 1 && priv_ == kPrivU)) {
      fault_virtual = true;
    } else if (level == 1) {
      if (const CsrSpec* vs = find_csr(static_cast<std::uint16_t>(number + 0x100))) spec = vs;
    }
  } else if (!fault_illegal) {
    const Priv required = level == 2 ? kPrivS : static_cast<Priv>(level);
    fault_illegal = priv_ < required;
  }
  if (!fault_illegal && spec->accessible) {
    const CsrFault f = spec->accessible(*this, number);
    // An absent register (e.g. H CSRs on a hart without H) is illegal even
    // where a present one would raise virtual-instruction.
    if (f == CsrFault::Illegal) fault_illegal = true;
    else if (f == CsrFault::Virtual) fault_virtual = true;
  }
  if (!fault_illegal && !fault_virtual && write && spec->write_accessible) {
    const CsrFault f = spec->write_accessible(*this);
    if (f == CsrFault::Illegal) fault_illegal = true;
    else if (f == CsrFault::Virtual) fault_virtual = true;
  }
  if (fault_illegal) {
    illegal(d);
    return nullptr;
  }
  if (fault_virtual) {
    virtual_insn(d);
    return nullptr;
  }
  return spec;
}

template std::uint64_t RiscvHart::run_loop<true, false>(std::uint64_t);
template std::uint64_t RiscvHart::run_loop<false, false>(std::uint64_t);
template std::uint64_t RiscvHart::run_loop<true, true>(std::uint64_t);
template std::uint64_t RiscvHart::run_loop<false, true>(std::uint64_t);

}  // namespace orrery::riscv
