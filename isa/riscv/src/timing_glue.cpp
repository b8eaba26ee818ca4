// RISC-V's side of the timing model and the PMU: turning each executed
// instruction into a timing::Insn (physical fetch and data addresses,
// control flow), feeding the counters, raising the Sscofpmf overflow
// interrupt, and a side-effect-free page-table walker the model's TLB
// misses read through the caches.
#include <cstring>

#include "orrery/riscv/hart.hpp"
#include "pte.hpp"

namespace orrery::riscv {

namespace {


// Sscofpmf (mhpmevent bits 63:58): OF, then the inhibit bits for M, S, U,
// VS and VU.
constexpr std::uint64_t kOf = 1ull << 63;
// Indexed by RiscvHart::ModeIndex: M, S, U, VS, VU.
constexpr std::uint64_t kInhibitForMode[] = {1ull << 62, 1ull << 61, 1ull << 60, 1ull << 59, 1ull << 58};

}  // namespace

// Timing contexts (timing::Insn::fetch_context, data_context) are the
// ModeIndex of the access's translation regime.
RiscvHart::Ctx ctx_of(unsigned context) {
  switch (context) {
    case RiscvHart::kModeM: return {kPrivM, false};
    case RiscvHart::kModeS: return {kPrivS, false};
    case RiscvHart::kModeU: return {kPrivU, false};
    case RiscvHart::kModeVS: return {kPrivS, true};
    default: return {kPrivU, true};
  }
}

class RiscvHart::ModelWalker final : public timing::PageWalker {
 public:
  explicit ModelWalker(RiscvHart& hart) : hart_(hart) {}
  unsigned walk_addresses(Addr va, bool fetch, unsigned context, Addr* out, unsigned max) override {
    Addr pa;
    bool ok;
    return hart_.probe_translate(va, ctx_of(context), fetch, out, max, pa, ok);
  }

 private:
  RiscvHart& hart_;
};

RiscvHart::~RiscvHart() = default;

void RiscvHart::attach_timing(timing::Memory& memory, const timing::Config& config) {
  timing_ = std::make_unique<timing::Core>(config, memory);
  walker_ = std::make_unique<ModelWalker>(*this);
  timing_->set_walker(walker_.get());
  pmu_changed();
}

// One stage's walk without side effects (no A/D updates, no faults): the
// addresses of the PTEs read are appended to ptes[n...]. The VS-stage's
// table addresses are guest physical and go through the G-stage first.
unsigned RiscvHart::probe_stage(Addr root, unsigned levels, unsigned top_bits, bool vs_stage, Addr va, Addr* ptes,
                                unsigned max, unsigned n, Addr& pa, bool& ok) const {
  ok = false;
  Addr table = root;
  for (int level = static_cast<int>(levels) - 1; level >= 0; --level) {
    const unsigned index_bits = level == static_cast<int>(levels) - 1 ? top_bits : 9;
    Addr pte_addr = table + ((va >> (12 + 9 * level)) & ((1ull << index_bits) - 1)) * 8;
    if (vs_stage && (hgatp_ >> 60) != 0) {
      bool g_ok;
      n = probe_stage((hgatp_ & kPpnMask) << 12, levels_for(static_cast<unsigned>(hgatp_ >> 60)), 11, false,
                      pte_addr, ptes, max, n, pte_addr, g_ok);
      if (!g_ok) return n;
    }
    if (n < max) ptes[n++] = pte_addr;
    const std::uint8_t* host = bus_.host_ptr(pte_addr, 8, false);
    if (!host) return n;
    std::uint64_t pte;
    std::memcpy(&pte, host, 8);
    if (!(pte & kPteV) || (!(pte & kPteR) && (pte & kPteW))) return n;
    const std::uint64_t ppn = (pte >> 10) & kPpnMask;
    if (pte & (kPteR | kPteX)) {
      const unsigned page_bits = 12 + 9 * level;
      pa = ((ppn >> (9 * level)) << page_bits) | (va & ((1ull << page_bits) - 1));
      ok = true;
      return n;
    }
    table = ppn << 12;
  }
  return n;
}

unsigned RiscvHart::probe_translate(Addr va, Ctx ctx, bool, Addr* ptes, unsigned max, Addr& pa,
                                    bool& ok) const {
  pa = va;
  ok = true;
  if (ctx.priv == kPrivM) return 0;
  if (!ctx.virt) {
    if ((satp_ >> 60) == 0) return 0;
    return probe_stage((satp_ & kPpnMask) << 12, levels_for(static_cast<unsigned>(satp_ >> 60)), 9, false, va,
                       ptes, max, 0, pa, ok);
  }
  unsigned n = 0;
  Addr gpa = va;
  if ((vsatp_ >> 60) != 0) {
    n = probe_stage((vsatp_ & kPpnMask) << 12, levels_for(static_cast<unsigned>(vsatp_ >> 60)), 9, true, va, ptes,
                    max, n, gpa, ok);
    if (!ok) return n;
  }
  if ((hgatp_ >> 60) == 0) {
    pa = gpa;
    return n;
  }
  return probe_stage((hgatp_ & kPpnMask) << 12, levels_for(static_cast<unsigned>(hgatp_ >> 60)), 11, false, gpa,
                     ptes, max, n, pa, ok);
}

// The physical address of the instruction at pc, from the fetch TLB (the
// fetch just used it) or, for fetches that took the slow path, a probe.
bool RiscvHart::physical_fetch_slow(Addr pc, Addr& pa) {
  const Addr page = pc >> 12;
  if (const std::uint8_t* host = fetch_tlb_->lookup<mmu::Access::Execute>(pc & ~Addr{0xfff}, 1)) {
    Addr base;
    if (bus_.phys_of_host(host, base)) {
      observed_fetch_page_ = page;
      observed_fetch_base_ = base;
      pa = base | (pc & 0xfff);
      return true;
    }
  }
  Addr ptes[timing::PageWalker::kMaxReads];
  bool ok;
  probe_translate(pc, Ctx{priv_, virt_}, true, ptes, timing::PageWalker::kMaxReads, pa, ok);
  if (!ok) return false;
  const BusRegion* r = bus_.find(pa);
  return r && r->kind != BusRegion::Kind::Mmio;
}

// Before the instruction runs, while the fetch TLB still holds the
// translation it was fetched through (an xRET changes the regime).
void RiscvHart::observe_begin(const Decoded& d, Observation& o) {
  o.pc = pc_;
  o.mode = mode_index();
  if (!timing_) return;
  o.data_context = 0;
  o.fetch_cached = physical_fetch(pc_, o.fetch_pa);
  switch (d.tclass) {
    case timing::OpClass::Load:
    case timing::OpClass::Store:
      o.va = x_[d.rs1] + static_cast<std::uint64_t>(d.imm);
      break;
    case timing::OpClass::Atomic:
      o.va = x_[d.rs1];
      break;
    default:
      return;
  }
  // MPRV makes M-mode data accesses translate as MPP's.
  if (priv_ == kPrivM && !(mstatus_ & mstatus::MPRV)) {
    o.data_context = kModeM;
  } else {
    const Ctx data = data_ctx();
    o.data_context = static_cast<std::uint8_t>(mode_of(data.priv, data.virt));
  }
}

void RiscvHart::observe_end(const Decoded& d, const Observation& seen, bool trapped) {
  if (timing_) {
    timing::Insn in;
    in.pc = seen.pc;
    in.length = d.len;
    in.cls = d.tclass;
    in.trapped = trapped;
    in.fetch_context = static_cast<std::uint8_t>(seen.mode);
    in.data_context = seen.data_context;
    if (!trapped) {
      in.fetch_pa = seen.fetch_pa;
      in.fetch_cached = seen.fetch_cached;
      in.control = d.tcontrol;
      in.dst = d.tdst;
      in.src[0] = d.tsrc[0];
      in.src[1] = d.tsrc[1];
      in.src[2] = d.tsrc[2];
      if (d.tcontrol != timing::Control::None) {
        in.target = pc_;
        in.taken = pc_ != seen.pc + d.len || d.tcontrol != timing::Control::Conditional;
      }
      if (d.tclass == timing::OpClass::Load || d.tclass == timing::OpClass::Store ||
          d.tclass == timing::OpClass::Atomic) {
        in.va = seen.va;
        // The access just went through the data TLB, unless it was MMIO
        // or another slow-path access (the probe settles those).
        const std::uint8_t* host = data_tlb().lookup<mmu::Access::Read>(seen.va, 1);
        if (!host || !bus_.phys_of_host(host, in.pa)) {
          Addr ptes[timing::PageWalker::kMaxReads];
          bool ok;
          probe_translate(seen.va, ctx_of(seen.data_context), false, ptes, timing::PageWalker::kMaxReads, in.pa, ok);
          const BusRegion* r = ok ? bus_.find(in.pa) : nullptr;
          in.data_cached = r && r->kind != BusRegion::Kind::Mmio;
        }
      }
    }
    timing_->execute(in);
  } else {
    auto& e = functional_events_;
    ++e[static_cast<unsigned>(timing::Event::Cycles)];
    if (!trapped) {
      ++e[static_cast<unsigned>(timing::Event::Instructions)];
      switch (d.tclass) {
        case timing::OpClass::Load: ++e[static_cast<unsigned>(timing::Event::Loads)]; break;
        case timing::OpClass::Store: ++e[static_cast<unsigned>(timing::Event::Stores)]; break;
        case timing::OpClass::Atomic: ++e[static_cast<unsigned>(timing::Event::Atomics)]; break;
        default: break;
      }
      if (d.tcontrol != timing::Control::None) ++e[static_cast<unsigned>(timing::Event::Branches)];
      if (d.tcontrol == timing::Control::Conditional) ++e[static_cast<unsigned>(timing::Event::CondBranches)];
    }
  }
  count_events(seen.mode);
}

// The marker runs inside its instruction, before the model has counted it:
// a region includes its begin marker and stops before its end marker.
void RiscvHart::region_marker(bool begin) {
  if (timing_) {
    if (begin) region_.begin(timing_->events(), mode_index(), address_space());
    else region_.end();
    return;
  }
  // Without a model only the two clocks exist outside observation.
  timing::EventCounts now{};
  now[static_cast<unsigned>(timing::Event::Cycles)] = cycles_;
  now[static_cast<unsigned>(timing::Event::Instructions)] = instret_;
  if (begin) region_.begin(now, mode_index(), address_space());
  else region_.end_snapshot(now);
}

void RiscvHart::observe_simple(const Decoded& d, Addr pc) {
  const unsigned mode = mode_index();  // a register-only op changes no mode
  Addr fetch_pa;
  if (!physical_fetch(pc, fetch_pa)) [[unlikely]] {
    // Fetched from uncached memory: the general path.
    const Observation seen{pc, 0, fetch_pa, mode, false, 0};
    observe_end(d, seen, false);
    return;
  }
  timing_->execute_simple(pc, fetch_pa, static_cast<std::uint8_t>(mode), d.tclass, d.tdst, d.tsrc);
  count_events(mode);
}

void RiscvHart::observe_trap(Addr pc, unsigned mode, bool fetch_fault) {
  if (timing_) {
    timing::Insn in;
    in.pc = pc;
    in.trapped = true;
    in.fetch_context = static_cast<std::uint8_t>(mode);
    timing_->execute(in);
  } else if (fetch_fault) {
    // Without a model the cycle clock counts executed instructions, and a
    // fetch fault is one; taking an interrupt is not (as for mcycle).
    ++functional_events_[static_cast<unsigned>(timing::Event::Cycles)];
  }
  count_events(mode);
}

// Sscofpmf: a counter that wraps while its OF bit is clear sets OF and
// raises the local counter-overflow interrupt (LCOFIP, mip bit 13); with
// OF already set it wraps silently.
void RiscvHart::count_events_slow(unsigned mode) {
  if (timing_ && region_.open) region_.step(timing_->events(), mode, address_space());
  std::uint32_t wrapped = 0;
  if (hpm_.selected()) wrapped = hpm_.advance(event_counts(), pmu_counting_[mode]);
  // A CSR write that changed what counts took effect after its own
  // instruction, which has now been counted under the old setting.
  if (pmu_masks_pending_) apply_pmu_masks();
  if (!wrapped || !config_.has_sscofpmf) return;
  bool raise = false;
  for (std::uint32_t m = wrapped; m; m &= m - 1) {
    const unsigned i = static_cast<unsigned>(__builtin_ctz(m));
    if (mhpmevent_[i] & kOf) continue;
    mhpmevent_[i] |= kOf;
    raise = true;
  }
  if (raise) {
    mip_sw_ |= irq_bit(kIrqLCOFI);
    update_mip();
  }
}

// Counter configuration changes (mhpmevent, mcountinhibit, counter writes)
// take effect after the writing instruction, which counts under the old
// setting, as mcycle and minstret do; a counter written does not count its
// writing instruction (CounterBank's resync).
void RiscvHart::pmu_changed() {
  const std::uint32_t counting = hpm_.selected() & ~counters_.inhibit & ~0x7u;
  for (unsigned mode = 0; mode < kModes; ++mode) {
    std::uint32_t mask = 0;
    for (std::uint32_t m = counting; m; m &= m - 1) {
      const unsigned i = static_cast<unsigned>(__builtin_ctz(m));
      if (!config_.has_sscofpmf || !(mhpmevent_[i] & kInhibitForMode[mode])) mask |= 1u << i;
    }
    pmu_counting_next_[mode] = mask;
  }
  if (observed_) {
    pmu_masks_pending_ = true;  // count_events applies them after this instruction
  } else {
    // This instruction is not observed: nothing of it to count or skip.
    apply_pmu_masks();
    hpm_.forget_resync();
  }
  const bool observed = timing_ != nullptr || counting != 0;
  if (observed != observed_) {
    observed_ = observed;
    request_loop_switch();  // the engines continue in the other loop
  }
}

void RiscvHart::apply_pmu_masks() {
  for (unsigned mode = 0; mode < kModes; ++mode) pmu_counting_[mode] = pmu_counting_next_[mode];
  pmu_masks_pending_ = false;
}

}  // namespace orrery::riscv
