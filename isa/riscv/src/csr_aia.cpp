// The AIA's hart CSRs (Smaia/Ssaia): miselect/mireg and mtopei for the
// machine file, siselect/sireg and stopei for the supervisor file,
// vsiselect/vsireg and vstopei for the guest file hstatus.VGEIN selects;
// mtopi/stopi/vstopi; mvien/mvip (virtual interrupts for S level) and
// hvien/hvictl/hviprio1/hviprio2 (for VS level), whose effect on sip/sie,
// vsip/vsie and interrupt delivery is in aia_interrupts.cpp.
// They exist only on harts given interrupt files (-M virt,aia=aplic-imsic).
// iselect 0x30-0x3F (the major-interrupt iprio array) reads as zero: every
// iprio field is read-only zero, which the AIA permits (default priority
// order). Smstateen (AIA, "Access control by the state-enable CSRs"):
// CSRIND (bit 60) gates siselect/sireg, IMSIC (bit 58) gates stopei and
// vstopei, AIA (bit 59) everything else below M: stopi, vstopi, the H CSRs
// hvien/hvictl/hviprio1/2 and the S-level iprio array through sireg; from
// VS a clear hstateen bit is a virtual instruction.
#include "orrery/riscv/aia.hpp"
#include "orrery/riscv/csr.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv {
namespace {

using u64 = std::uint64_t;

bool iprio_select(u64 sel) { return sel >= 0x30 && sel <= 0x3F; }

// *ireg access: iprio reads zero; 0x70-0xFF goes to the file.
bool ireg_read(const InterruptFile* f, u64 sel, u64& v) {
  if (iprio_select(sel)) return v = 0, true;
  return f && f->read_indirect(static_cast<unsigned>(sel), v);
}
bool ireg_write(InterruptFile* f, u64 sel, u64 v) {
  if (iprio_select(sel)) return true;
  return f && f->write_indirect(static_cast<unsigned>(sel), v);
}

CsrFault m_files(const RiscvHart& h, std::uint16_t) { return h.aia_m_file() ? CsrFault::None : CsrFault::Illegal; }
CsrFault s_indirect(const RiscvHart& h, std::uint16_t) {
  if (!h.aia_s_file()) return CsrFault::Illegal;
  return h.stateen_fault(0, stateen::CSRIND);
}
// With mvien.SEI set, M has taken the supervisor file away from S: S-mode
// accesses to it are illegal (AIA, "Interrupt filtering and virtual
// interrupts for supervisor level").
bool s_file_withheld(const RiscvHart& h) {
  return h.priv() == kPrivS && !h.virt() && (h.mvien_ & irq_bit(kIrqSEI));
}
CsrFault s_topei(const RiscvHart& h, std::uint16_t) {
  if (!h.aia_s_file() || s_file_withheld(h)) return CsrFault::Illegal;
  return h.stateen_fault(0, stateen::IMSIC);
}
// sireg by siselect: the iprio array is AIA state (bit 59), 0x70-0xFF the
// supervisor file.
CsrFault sireg_accessible(const RiscvHart& h, std::uint16_t n) {
  const CsrFault f = s_indirect(h, n);
  if (f != CsrFault::None) return f;
  if (iprio_select(h.siselect_)) return h.stateen_fault(0, stateen::AIA);
  if (s_file_withheld(h)) return CsrFault::Illegal;
  u64 unused;
  return ireg_read(h.aia_s_file(), h.siselect_, unused) ? CsrFault::None : CsrFault::Illegal;
}
// hvien, hvictl, hviprio1/2 and vstopi: H and AIA, gated by stateen AIA.
CsrFault h_aia(const RiscvHart& h, std::uint16_t) {
  if (!h.aia_s_file() || !h.config().has_h) return CsrFault::Illegal;
  return h.stateen_fault(0, stateen::AIA);
}
// The guest file vsireg/vstopei reach; from VS with no valid VGEIN the
// access is a virtual instruction, from HS an illegal one.
CsrFault vs_file(const RiscvHart& h, std::uint16_t n, std::uint64_t bit) {
  if (!h.aia_s_file() || !h.config().has_h) return CsrFault::Illegal;
  const CsrFault gate = h.stateen_fault(0, bit);
  if (gate != CsrFault::None) return gate;
  (void)n;
  if (!h.aia_guest_file()) return h.virt() ? CsrFault::Virtual : CsrFault::Illegal;
  return CsrFault::None;
}

constexpr u64 kIselectMask = 0xfff;

// *topi: the highest-priority interrupt pending and enabled for a level,
// whatever the global enable says. Every iprio byte is read-only zero, so
// the default priority order decides and IPRIO may be reported as 1
// (AIA, "Machine top interrupt CSR" / "Supervisor top interrupt CSR").
u64 top_interrupt(u64 candidates) {
  const int irq = highest_priority(candidates);
  return irq < 0 ? 0 : (static_cast<u64>(irq) << 16) | 1;
}

// mvien: bits 1 (SSI), 9 (SEI) and 13-63 are writable, the rest of 0-12
// read-only zero (AIA, "Interrupt filtering and virtual interrupts for
// supervisor level").
constexpr u64 kMvienWritable = irq_bit(kIrqSSI) | irq_bit(kIrqSEI) | kLocalIrqs;

// mvip: bit 1 is mip.SSIP unless mvien.1 separates it; bit 5 is mip.STIP
// while that is writable (not under Sstc) and read-only zero otherwise;
// bit 9 is the software-writable SEIP; bits 13-63 are mvip's own.
u64 read_mvip(const RiscvHart& h) {
  const u64 ssi = irq_bit(kIrqSSI), sti = irq_bit(kIrqSTI);
  u64 v = h.mvip_virtual() & (irq_bit(kIrqSEI) | kLocalIrqs);
  v |= ((h.mvien_ & ssi) ? h.mvip_ : h.live_mip()) & ssi;
  if (!(h.menvcfg_ & menvcfg::STCE)) v |= h.live_mip() & sti;
  return v;
}
void write_mvip(RiscvHart& h, u64 v) {
  const u64 ssi = irq_bit(kIrqSSI), sti = irq_bit(kIrqSTI), sei = irq_bit(kIrqSEI);
  const u64 in_mip = sei | ((h.mvien_ & ssi) ? 0 : ssi) | ((h.menvcfg_ & menvcfg::STCE) ? 0 : sti);
  const u64 own = kLocalIrqs | ((h.mvien_ & ssi) ? ssi : 0);
  h.mip_sw_ = (h.mip_sw_ & ~in_mip) | (v & in_mip);
  h.mvip_ = (h.mvip_ & ~own) | (v & own);
  h.update_mip();
}

const CsrSpec kCsrs[] = {
    {0x350, "miselect", [](const RiscvHart& h) { return h.miselect_; },
     [](RiscvHart& h, u64 v) { h.miselect_ = v & kIselectMask; }, m_files},
    {0x351, "mireg",
     [](const RiscvHart& h) {
       u64 v = 0;
       ireg_read(h.aia_m_file(), h.miselect_, v);
       return v;
     },
     [](RiscvHart& h, u64 v) { ireg_write(h.aia_m_file(), h.miselect_, v); },
     [](const RiscvHart& h, std::uint16_t n) {
       if (m_files(h, n) != CsrFault::None) return CsrFault::Illegal;
       u64 unused;
       return ireg_read(h.aia_m_file(), h.miselect_, unused) ? CsrFault::None : CsrFault::Illegal;
     }},
    {0x35C, "mtopei", [](const RiscvHart& h) -> u64 { return h.aia_m_file()->topei(); },
     [](RiscvHart& h, u64) { h.aia_m_file()->claim(); }, m_files},
    // Interrupts that trap to M: pending and enabled, not delegated.
    {0xFB0, "mtopi", [](const RiscvHart& h) { return top_interrupt(h.live_mip() & h.mie_ & ~h.mideleg_); }, nullptr,
     m_files},
    // Interrupts that trap to HS: delegated by mideleg and not passed on to
    // VS by hideleg, or routed by mvien. With V=1 the number reaches vstopi.
    {0xDB0, "stopi", [](const RiscvHart& h) { return top_interrupt(h.hs_interrupts(h.live_mip())); }, nullptr,
     [](const RiscvHart& h, std::uint16_t) {
       if (!h.aia_s_file()) return CsrFault::Illegal;
       return h.stateen_fault(0, stateen::AIA);
     }},
    {0xEB0, "vstopi", [](const RiscvHart& h) { return h.vstopi(); }, nullptr, h_aia},
    {0x308, "mvien", [](const RiscvHart& h) { return h.mvien_; },
     [](RiscvHart& h, u64 v) {
       h.mvien_ = v & kMvienWritable;
       h.update_mip();
     },
     m_files},
    {0x309, "mvip", read_mvip, write_mvip, m_files},
    // hvien: bits 13-63 writable, 0-12 read-only zero ("Virtual interrupts
    // for VS level").
    {0x608, "hvien", [](const RiscvHart& h) { return h.hvien_; },
     [](RiscvHart& h, u64 v) {
       h.hvien_ = v & kLocalIrqs;
       h.update_mip();
     },
     h_aia},
    // hvictl: all 12 IID bits are implemented.
    {0x609, "hvictl", [](const RiscvHart& h) { return h.hvictl_; },
     [](RiscvHart& h, u64 v) {
       h.hvictl_ = v & hvictl::kWritable;
       h.update_mip();
     },
     h_aia},
    // VS-level priorities are not configurable: both read-only zero, the
    // AIA's minimal implementation ("Configuring priorities of major
    // interrupts at VS level").
    {0x646, "hviprio1", [](const RiscvHart&) -> u64 { return 0; }, nullptr, h_aia},
    {0x647, "hviprio2", [](const RiscvHart&) -> u64 { return 0; }, nullptr, h_aia},
    {0x150, "siselect", [](const RiscvHart& h) { return h.siselect_; },
     [](RiscvHart& h, u64 v) { h.siselect_ = v & kIselectMask; }, s_indirect},
    {0x151, "sireg",
     [](const RiscvHart& h) {
       u64 v = 0;
       ireg_read(h.aia_s_file(), h.siselect_, v);
       return v;
     },
     [](RiscvHart& h, u64 v) { ireg_write(h.aia_s_file(), h.siselect_, v); }, sireg_accessible},
    {0x15C, "stopei", [](const RiscvHart& h) -> u64 { return h.aia_s_file()->topei(); },
     [](RiscvHart& h, u64) { h.aia_s_file()->claim(); }, s_topei},
    {0x250, "vsiselect", [](const RiscvHart& h) { return h.vsiselect_; },
     [](RiscvHart& h, u64 v) { h.vsiselect_ = v & kIselectMask; },
     [](const RiscvHart& h, std::uint16_t) {
       if (!h.aia_s_file() || !h.config().has_h) return CsrFault::Illegal;
       return h.stateen_fault(0, stateen::CSRIND);
     }},
    {0x251, "vsireg",
     [](const RiscvHart& h) {
       u64 v = 0;
       h.aia_guest_file()->read_indirect(static_cast<unsigned>(h.vsiselect_), v);
       return v;
     },
     [](RiscvHart& h, u64 v) { h.aia_guest_file()->write_indirect(static_cast<unsigned>(h.vsiselect_), v); },
     [](const RiscvHart& h, std::uint16_t n) {
       const CsrFault f = vs_file(h, n, stateen::CSRIND);
       if (f != CsrFault::None) return f;
       // A guest file has no iprio array; outside its registers the access
       // is a virtual instruction from VS, illegal from HS.
       u64 unused;
       if (h.aia_guest_file()->read_indirect(static_cast<unsigned>(h.vsiselect_), unused)) return CsrFault::None;
       return h.virt() ? CsrFault::Virtual : CsrFault::Illegal;
     }},
    {0x25C, "vstopei", [](const RiscvHart& h) -> u64 { return h.aia_guest_file()->topei(); },
     [](RiscvHart& h, u64) { h.aia_guest_file()->claim(); },
     [](const RiscvHart& h, std::uint16_t n) { return vs_file(h, n, stateen::IMSIC); }},
};

}  // namespace

std::span<const CsrSpec> aia_csrs() { return kCsrs; }

}  // namespace orrery::riscv
