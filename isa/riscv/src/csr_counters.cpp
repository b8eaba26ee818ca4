// Zicntr/Zihpm counters and Sscofpmf (privileged spec, "Hardware
// Performance Monitor"; Sscofpmf, "Count Overflow and Mode-Based
// Filtering"). mcycle counts the timing model's cycles when one runs
// (docs/timing.md), else one per instruction; minstret counts retired
// instructions. mhpmcounter3-31 count the event their mhpmevent selects
// (Orrery's selectors, docs/pmu.md). A CSR write to a counter sets the value
// the next instruction reads: the writing instruction's own increment does
// not apply. mcountinhibit freezes counters.
#include <array>
#include <utility>
#include <string>
#include <vector>

#include "orrery/riscv/csr.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv {
namespace {

using u64 = std::uint64_t;
constexpr std::uint32_t kInhibitCY = 1u << 0, kInhibitIR = 1u << 2;
constexpr std::uint32_t kHpmMask = 0xfffffff8u;  // counters 3-31
// Sscofpmf's mhpmevent bits: OF (63), MINH, SINH, UINH, VSINH, VUINH (58).
constexpr u64 kOf = 1ull << 63;
constexpr u64 kFilterBits = 0x1full << 58;
constexpr u64 kVirtFilterBits = 3ull << 58;

// The fixed counters' clocks. With a model, mcycle's own clock advances
// after the writing instruction retires (by its modelled cycles), so the
// offset is taken against the count before it; without one, the writing
// instruction's single cycle is absorbed as for minstret.
u64 cycle_clock_after_write(const RiscvHart& h) { return h.timing_core() ? h.counted_cycles() : h.cycles_ + 1; }

u64 read_cycle(const RiscvHart& h) {
  const auto& c = h.counters_;
  return (c.inhibit & kInhibitCY) ? c.cycle_frozen : h.counted_cycles() + c.cycle_offset;
}
u64 read_instret(const RiscvHart& h) {
  const auto& c = h.counters_;
  return (c.inhibit & kInhibitIR) ? c.instret_frozen : h.instret_ + c.instret_offset;
}
void write_cycle(RiscvHart& h, u64 v) {
  auto& c = h.counters_;
  if (c.inhibit & kInhibitCY) c.cycle_frozen = v;
  else c.cycle_offset = v - cycle_clock_after_write(h);
}
void write_instret(RiscvHart& h, u64 v) {
  auto& c = h.counters_;
  if (c.inhibit & kInhibitIR) c.instret_frozen = v;
  else c.instret_offset = v - (h.instret_ + 1);
}
void write_inhibit(RiscvHart& h, u64 v) {
  auto& c = h.counters_;
  const std::uint32_t now = static_cast<std::uint32_t>(v) & (kInhibitCY | kInhibitIR | kHpmMask);
  // Starting to inhibit freezes the value the register has after this
  // instruction; resuming continues from the frozen value.
  const u64 cycles_after = cycle_clock_after_write(h);
  if ((now & kInhibitCY) && !(c.inhibit & kInhibitCY)) c.cycle_frozen = cycles_after + c.cycle_offset;
  if (!(now & kInhibitCY) && (c.inhibit & kInhibitCY)) c.cycle_offset = c.cycle_frozen - cycles_after;
  if ((now & kInhibitIR) && !(c.inhibit & kInhibitIR)) c.instret_frozen = h.instret_ + 1 + c.instret_offset;
  if (!(now & kInhibitIR) && (c.inhibit & kInhibitIR)) c.instret_offset = c.instret_frozen - (h.instret_ + 1);
  c.inhibit = now;
  h.pmu_changed();
}

void write_hpmevent(RiscvHart& h, unsigned i, u64 v) {
  u64 keep = pmu::kSelectorMask;
  if (h.config().has_sscofpmf) keep |= kOf | (h.config().has_h ? kFilterBits : (kFilterBits & ~kVirtFilterBits));
  v &= keep;
  const pmu::EventInfo* before = pmu::find_event(h.mhpmevent_[i] & pmu::kSelectorMask);
  const pmu::EventInfo* after = pmu::find_event(v & pmu::kSelectorMask);
  h.mhpmevent_[i] = v;
  if (before != after) h.hpm_.select(i, after, h.event_counts());
  h.pmu_changed();
}

// The unprivileged counters are visible below M only where mcounteren (for
// S) and also scounteren (for U) set the counter's bit; in VS/VU hcounteren
// must set it too, and a bit clear there or (for VU) in scounteren raises a
// virtual-instruction exception rather than an illegal one (privileged spec,
// "Hypervisor Counter-Enable Register").
CsrFault counter_accessible(const RiscvHart& h, std::uint16_t number) {
  const unsigned bit = number & 31;
  if (h.priv() == kPrivM) return CsrFault::None;
  if (!((h.mcounteren_ >> bit) & 1)) return CsrFault::Illegal;
  if (h.virt()) {
    if (!((h.hcounteren_ >> bit) & 1)) return CsrFault::Virtual;
    if (h.priv() == kPrivU && !((h.scounteren_ >> bit) & 1)) return CsrFault::Virtual;
    return CsrFault::None;
  }
  return (h.priv() == kPrivS || ((h.scounteren_ >> bit) & 1)) ? CsrFault::None : CsrFault::Illegal;
}

// scountovf: the OF bits, each readable where mcounteren (and in VS also
// hcounteren) lets the hpmcounter be read, else zero (Sscofpmf, "Supervisor
// Count Overflow").
u64 read_scountovf(const RiscvHart& h) {
  u64 of = 0;
  for (unsigned i = 3; i < 32; ++i)
    if (h.mhpmevent_[i] & kOf) of |= 1ull << i;
  if (h.priv() == kPrivM) return of;
  of &= h.mcounteren_;
  if (h.virt()) of &= h.hcounteren_;
  return of;
}
CsrFault scountovf_accessible(const RiscvHart& h, std::uint16_t) {
  return h.config().has_sscofpmf ? CsrFault::None : CsrFault::Illegal;
}

// CsrSpec accessors are plain functions of the hart: one instance per
// counter index.
template <unsigned I>
u64 read_hpm(const RiscvHart& h) {
  return h.hpm_.value(I);
}
template <unsigned I>
void write_hpm(RiscvHart& h, u64 v) {
  h.hpm_.set_value(I, v);
  if (!h.observed()) h.hpm_.forget_resync();  // this instruction is not counted anyway
}
template <unsigned I>
u64 read_event(const RiscvHart& h) {
  return h.mhpmevent_[I];
}
template <unsigned I>
void write_event(RiscvHart& h, u64 v) {
  write_hpmevent(h, I, v);
}
std::array<std::string, 32 * 3> names;
template <unsigned I>
void add_counter(std::vector<CsrSpec>& v) {
  std::string* n = &names[I * 3];
  n[0] = "mhpmcounter" + std::to_string(I);
  n[1] = "mhpmevent" + std::to_string(I);
  n[2] = "hpmcounter" + std::to_string(I);
  v.push_back({static_cast<std::uint16_t>(csr::mcycle + I), n[0], read_hpm<I>, write_hpm<I>});
  v.push_back({static_cast<std::uint16_t>(csr::mcountinhibit + I), n[1], read_event<I>, write_event<I>});
  v.push_back({static_cast<std::uint16_t>(csr::cycle + I), n[2], read_hpm<I>, nullptr, counter_accessible});
}
template <unsigned... I>
void add_hpm(std::vector<CsrSpec>& v, std::integer_sequence<unsigned, I...>) {
  (add_counter<I + 3>(v), ...);
}

std::vector<CsrSpec> build() {
  std::vector<CsrSpec> v = {
      {csr::mcycle, "mcycle", read_cycle, write_cycle},
      {csr::minstret, "minstret", read_instret, write_instret},
      {csr::cycle, "cycle", read_cycle, nullptr, counter_accessible},
      // In VS/VU, time reads mtime + htimedelta.
      {csr::time, "time", [](const RiscvHart& h) { return h.read_time() + (h.virt() ? h.htimedelta_ : 0); }, nullptr,
       counter_accessible},
      {csr::instret, "instret", read_instret, nullptr, counter_accessible},
      {csr::mcountinhibit, "mcountinhibit", [](const RiscvHart& h) -> u64 { return h.counters_.inhibit; },
       write_inhibit},
      {0xDA0, "scountovf", read_scountovf, nullptr, scountovf_accessible},
  };
  add_hpm(v, std::make_integer_sequence<unsigned, 29>{});
  return v;
}

}  // namespace

std::span<const CsrSpec> counter_csrs() {
  static const std::vector<CsrSpec> table = build();
  return table;
}

}  // namespace orrery::riscv
