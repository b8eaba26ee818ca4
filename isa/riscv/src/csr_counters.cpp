// Zicntr/Zihpm counters (privileged spec, "Hardware Performance Monitor").
// mcycle and minstret count; a CSR write to one of them sets the value the
// next instruction reads, i.e. the writing instruction's own increment does
// not apply. mcountinhibit freezes them. mhpmcounter3-31 and mhpmevent3-31
// are read-only zero, which the spec permits, until the timing model and PMU
// provide events.
#include <array>
#include <string>
#include <vector>

#include "orrery/riscv/csr.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv {
namespace {

using u64 = std::uint64_t;
constexpr std::uint32_t kInhibitCY = 1u << 0, kInhibitIR = 1u << 2;

u64 read_cycle(const RiscvHart& h) {
  const auto& c = h.counters_;
  return (c.inhibit & kInhibitCY) ? c.cycle_frozen : h.cycles_ + c.cycle_offset;
}
u64 read_instret(const RiscvHart& h) {
  const auto& c = h.counters_;
  return (c.inhibit & kInhibitIR) ? c.instret_frozen : h.instret_ + c.instret_offset;
}
// The writing instruction still counts once it completes, so the offset
// absorbs that increment.
void write_cycle(RiscvHart& h, u64 v) {
  auto& c = h.counters_;
  if (c.inhibit & kInhibitCY) c.cycle_frozen = v;
  else c.cycle_offset = v - (h.cycles_ + 1);
}
void write_instret(RiscvHart& h, u64 v) {
  auto& c = h.counters_;
  if (c.inhibit & kInhibitIR) c.instret_frozen = v;
  else c.instret_offset = v - (h.instret_ + 1);
}
void write_inhibit(RiscvHart& h, u64 v) {
  auto& c = h.counters_;
  const std::uint32_t now = static_cast<std::uint32_t>(v) & (kInhibitCY | kInhibitIR);
  // Starting to inhibit freezes the value the register has after this
  // instruction; resuming continues from the frozen value.
  if ((now & kInhibitCY) && !(c.inhibit & kInhibitCY)) c.cycle_frozen = h.cycles_ + 1 + c.cycle_offset;
  if (!(now & kInhibitCY) && (c.inhibit & kInhibitCY)) c.cycle_offset = c.cycle_frozen - (h.cycles_ + 1);
  if ((now & kInhibitIR) && !(c.inhibit & kInhibitIR)) c.instret_frozen = h.instret_ + 1 + c.instret_offset;
  if (!(now & kInhibitIR) && (c.inhibit & kInhibitIR)) c.instret_offset = c.instret_frozen - (h.instret_ + 1);
  c.inhibit = now;
}
u64 read_zero(const RiscvHart&) { return 0; }

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
  };
  static std::array<std::string, 29 * 3> names;
  for (unsigned i = 3; i < 32; ++i) {
    std::string* n = &names[(i - 3) * 3];
    n[0] = "mhpmcounter" + std::to_string(i);
    n[1] = "mhpmevent" + std::to_string(i);
    n[2] = "hpmcounter" + std::to_string(i);
    v.push_back({static_cast<std::uint16_t>(csr::mcycle + i), n[0], read_zero, nullptr});
    v.push_back({static_cast<std::uint16_t>(0x320 + i), n[1], read_zero, nullptr});
    v.push_back({static_cast<std::uint16_t>(csr::cycle + i), n[2], read_zero, nullptr, counter_accessible});
  }
  return v;
}

}  // namespace

std::span<const CsrSpec> counter_csrs() {
  static const std::vector<CsrSpec> table = build();
  return table;
}

}  // namespace orrery::riscv
