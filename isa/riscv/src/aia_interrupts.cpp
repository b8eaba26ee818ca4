// Interrupt selection under the AIA (RISC-V Advanced Interrupt Architecture
// 1.0): the default priority order, the S-level views sip/sie with mvien's
// virtual interrupts ("Interrupt filtering and virtual interrupts for
// supervisor level"), the VS-level views vsip/vsie with hvien's, and vstopi
// ("Interrupts for virtual machines (VS level)"), which decides the
// interrupt VS level takes.
//
// Priorities are not configurable: the iprio arrays and hviprio1/2 are
// read-only zero, which the AIA permits ("A minimal implementation of these
// CSRs has them both be read-only zeros", "Configuring priorities of major
// interrupts at VS level"); every major interrupt other than an external
// one therefore has priority number 0.
#include <array>
#include <optional>

#include "orrery/riscv/hart.hpp"

namespace orrery::riscv {

namespace {

using u64 = std::uint64_t;

// Highest first. 43 and 35 (RAS events) and 0-15 are the AIA's table; the
// other standard local interrupts (16-23, 32-47) follow the order the AIA's
// note plans for them; 15 is taken to rank after 14 (the AIA expects it to
// become a local interrupt). Custom interrupts (24-31, 48-63), which an
// implementation must place itself, rank below every standard one, lower
// numbers first; the reserved 0, 4 and 8 come last.
constexpr std::array<std::uint8_t, 64> kDefaultOrder = {
    47, 23, 46, 45, 22, 44, 43, 21, 42, 41, 20, 40,                 //
    11, 3,  7,  9,  1,  5,  12, 10, 2,  6,  13, 14, 15,             //
    39, 19, 38, 37, 18, 36, 35, 17, 34, 33, 16, 32,                 //
    24, 25, 26, 27, 28, 29, 30, 31, 48, 49, 50, 51, 52, 53, 54, 55,  //
    56, 57, 58, 59, 60, 61, 62, 63, 0,  4,  8};

constexpr std::array<std::uint8_t, 64> make_ranks() {
  std::array<std::uint8_t, 64> rank{};
  for (unsigned i = 0; i < kDefaultOrder.size(); ++i) rank[kDefaultOrder[i]] = static_cast<std::uint8_t>(i);
  return rank;
}
constexpr std::array<std::uint8_t, 64> kRank = make_ranks();

constexpr bool is_permutation_of_0_to_63() {
  u64 seen = 0;
  for (std::uint8_t irq : kDefaultOrder) seen |= 1ull << irq;
  return seen == ~u64{0};
}
static_assert(is_permutation_of_0_to_63(), "every major interrupt has one place in the order");

constexpr u64 kSLevelIrqs = irq_bit(kIrqSSI) | irq_bit(kIrqSTI) | irq_bit(kIrqSEI) | irq_bit(kIrqLCOFI);
// Delegated interrupts whose sip bit is software-writable (SEIP and STIP
// are not, privileged spec "sip"; LCOFIP is, Sscofpmf).
constexpr u64 kSipWritable = irq_bit(kIrqSSI) | irq_bit(kIrqLCOFI);
// Interrupts 13-63 that hideleg can pass to VS unchanged (LCOFI; the AIA's
// "The effects of hideleg and hvien on vsip and vsie").
constexpr u64 kVsLocalDelegable = irq_bit(kIrqLCOFI);
constexpr unsigned kSei = kIrqSEI;  // at VS level, VS external interrupts have code 9

// One entry of vstopi's candidate list: an interrupt with its priority
// number (0: default order; 256 and above only for external interrupts) and
// whether it ranks above a supervisor external interrupt by default.
struct Candidate {
  unsigned iid;
  unsigned prio;
  bool above_sei;
};

// The position in the order of the AIA's "Effect of the supervisor-level
// iprio array" table: priority number 0 is the highest for interrupts that
// default above SEI and the lowest for the others.
unsigned nominal(const Candidate& c) {
  constexpr unsigned kBelowEverything = 4096;
  if (c.prio) return c.prio;
  return c.above_sei ? 0 : kBelowEverything;
}

// IPRIO as stopi reports it (AIA, "Supervisor top interrupt CSR").
unsigned reported_iprio(const Candidate& c) {
  if (c.prio >= 1 && c.prio <= 255) return c.prio;
  if (c.prio > 255) return 255;
  return c.above_sei ? 0 : 255;
}

// The external-interrupt finalist against the other one.
Candidate higher_priority(const Candidate& sei, const Candidate& other) {
  const unsigned a = nominal(sei), b = nominal(other);
  return (a < b || (a == b && !other.above_sei)) ? sei : other;
}

unsigned vgein(const RiscvHart& h) {
  return static_cast<unsigned>((h.hstatus_ & hstatus::VGEIN) >> hstatus::VGEIN_SHIFT);
}

// The first three items of vstopi's candidate list: a VS external
// interrupt when bit 9 is set in both vsip and vsie, with its priority
// number from the guest file, from hvictl (VGEIN = 0, IID = 9, IPRIO != 0),
// or else 256.
std::optional<Candidate> vs_external(const RiscvHart& h) {
  if (!(h.vsip_view() & h.vsie_view() & irq_bit(kIrqSEI))) return std::nullopt;
  if (const InterruptFile* file = h.aia_guest_file()) {
    if (const std::uint32_t top = file->topei()) return Candidate{kSei, top & 0x7ff, false};
  }
  const unsigned iid = static_cast<unsigned>((h.hvictl_ & hvictl::IID) >> hvictl::IID_SHIFT);
  const unsigned iprio = static_cast<unsigned>(h.hvictl_ & hvictl::IPRIO);
  if (vgein(h) == 0 && iid == kSei && iprio != 0) return Candidate{kSei, iprio, false};
  return Candidate{kSei, 256, false};
}

// The last two items: with hvictl.VTI = 0 the best of vsip & vsie other
// than 9 (hviprio1/2 being zero, the default order picks it); with VTI = 1
// and IID != 9 the interrupt hvictl specifies, DPR placing it relative to
// SEI.
std::optional<Candidate> vs_other(const RiscvHart& h) {
  if (h.hvictl_ & hvictl::VTI) {
    const unsigned iid = static_cast<unsigned>((h.hvictl_ & hvictl::IID) >> hvictl::IID_SHIFT);
    if (iid == kSei) return std::nullopt;
    return Candidate{iid, static_cast<unsigned>(h.hvictl_ & hvictl::IPRIO), !(h.hvictl_ & hvictl::DPR)};
  }
  const int irq = highest_priority(h.vsip_view() & h.vsie_view() & ~irq_bit(kIrqSEI));
  if (irq < 0) return std::nullopt;
  const auto iid = static_cast<unsigned>(irq);
  return Candidate{iid, 0, kRank[iid] < kRank[kSei]};
}

}  // namespace

unsigned default_priority_rank(unsigned irq) { return irq < 64 ? kRank[irq] : 64; }

int highest_priority(u64 irqs) {
  for (std::uint8_t irq : kDefaultOrder)
    if ((irqs >> irq) & 1) return irq;
  return -1;
}

u64 RiscvHart::sip_view() const {
  return (live_mip() & mideleg_ & kSLevelIrqs) | (mvip_virtual() & mvien_ & ~mideleg_);
}

u64 RiscvHart::sie_view() const {
  return (mie_ & mideleg_ & kSLevelIrqs) | (sie_virtual_ & mvien_ & ~mideleg_);
}

void RiscvHart::write_sip(u64 v) {
  // Delegated SSIP is mip.SSIP; a routed SSIP or local interrupt is mvip's
  // bit. SEIP stays read-only in sip either way (privileged spec, "sip").
  const u64 real = kSipWritable & mideleg_;
  mip_sw_ = (mip_sw_ & ~real) | (v & real);
  const u64 routed = mvien_ & ~mideleg_ & (irq_bit(kIrqSSI) | kLocalIrqs);
  mvip_ = (mvip_ & ~routed) | (v & routed);
  update_mip();
}

void RiscvHart::write_sie(u64 v) {
  const u64 real = mideleg_ & kSLevelIrqs;
  mie_ = (mie_ & ~real) | (v & real);
  const u64 routed = mvien_ & ~mideleg_;
  sie_virtual_ = (sie_virtual_ & ~routed) | (v & routed);
  update_mip();
}

// Of hideleg bits 13-63 only LCOFI's is writable (the AIA lets the others
// be read-only zero): an LCOFI delegated to HS (mideleg) and on to VS
// (hideleg) is sip's bit 13 unshifted. The
// other vsip/vsie bits 13-63 are hvip's and independent bits where hvien is
// set, else zero ("The effects of hideleg and hvien on vsip and vsie").
u64 RiscvHart::vsip_view() const {
  return ((live_mip() & hideleg_ & kVsIrqs) >> 1) | (live_mip() & hideleg_ & mideleg_ & kVsLocalDelegable) |
         (hvip_ & hvien_ & ~hideleg_ & kLocalIrqs);
}

u64 RiscvHart::vsie_view() const {
  return ((mie_ & hideleg_ & kVsIrqs) >> 1) | (mie_ & hideleg_ & mideleg_ & kVsLocalDelegable) |
         (vsie_virtual_ & hvien_ & ~hideleg_ & kLocalIrqs);
}

void RiscvHart::write_vsip(u64 v) {
  // VSSIP (when delegated) and the hvien-routed bits are writable; they
  // land in hvip.
  const u64 m = (hideleg_ & irq_bit(kIrqVSSI)) | (hvien_ & ~hideleg_ & kLocalIrqs);
  const u64 shifted = ((v << 1) & kVsIrqs) | (v & kLocalIrqs);
  hvip_ = (hvip_ & ~m) | (shifted & m);
  // A delegated LCOFIP is the real one (mip/sip bit 13).
  const u64 lcofi = hideleg_ & mideleg_ & kVsLocalDelegable;
  mip_sw_ = (mip_sw_ & ~lcofi) | (v & lcofi);
  update_mip();
}

void RiscvHart::write_vsie(u64 v) {
  const u64 m = hideleg_ & kVsIrqs;
  mie_ = (mie_ & ~m) | ((v << 1) & m);
  const u64 lcofi = hideleg_ & mideleg_ & kVsLocalDelegable;
  mie_ = (mie_ & ~lcofi) | (v & lcofi);
  const u64 routed = hvien_ & ~hideleg_ & kLocalIrqs;
  vsie_virtual_ = (vsie_virtual_ & ~routed) | (v & routed);
  update_mip();
}

// AIA, "Interrupts at supervisor level": sip & sie (or hip & hie) and not
// passed on to VS by hideleg.
u64 RiscvHart::hs_interrupts(u64 mip) const {
  return (mip & mie_ & mideleg_ & ~hideleg_) | (mvip_virtual() & sie_virtual_ & mvien_ & ~mideleg_);
}

// AIA, "Virtual supervisor top interrupt CSR (vstopi)": of the (at most)
// two finalists the lower nominal priority wins; a tie goes by default
// order, which for an hvictl-specified interrupt is hvictl.DPR.
u64 RiscvHart::vstopi() const {
  const std::optional<Candidate> sei = vs_external(*this);
  const std::optional<Candidate> other = vs_other(*this);
  if (!sei && !other) return 0;
  const Candidate win = !other ? *sei : !sei ? *other : higher_priority(*sei, *other);
  const unsigned iprio = (hvictl_ & hvictl::IPRIOM) ? reported_iprio(win) : 1;
  return (u64{win.iid} << 16) | iprio;
}

}  // namespace orrery::riscv
