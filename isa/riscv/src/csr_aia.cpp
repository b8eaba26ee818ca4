// The AIA's IMSIC-facing CSRs (Smaia/Ssaia): miselect/mireg and mtopei for
// the machine file, siselect/sireg and stopei for the supervisor file,
// vsiselect/vsireg and vstopei for the guest file hstatus.VGEIN selects.
// They exist only on harts given interrupt files (-M virt,aia=aplic-imsic).
// iselect 0x30-0x3F (the major-interrupt iprio array) reads as zero: every
// iprio field is read-only zero, which the AIA permits (default priority
// order). Smstateen: CSRIND (bit 60) gates siselect/sireg, IMSIC (bit 58)
// gates stopei; from VS a clear hstateen bit is a virtual instruction.
#include "orrery/riscv/aia.hpp"
#include "orrery/riscv/csr.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv {
namespace {

using u64 = std::uint64_t;

bool iprio_select(u64 sel) { return sel >= 0x30 && sel <= 0x3F; }

CsrFault m_files(const RiscvHart& h, std::uint16_t) { return h.aia_m_file() ? CsrFault::None : CsrFault::Illegal; }
CsrFault s_indirect(const RiscvHart& h, std::uint16_t) {
  if (!h.aia_s_file()) return CsrFault::Illegal;
  return h.stateen_fault(0, stateen::CSRIND);
}
CsrFault s_topei(const RiscvHart& h, std::uint16_t) {
  if (!h.aia_s_file()) return CsrFault::Illegal;
  return h.stateen_fault(0, stateen::IMSIC);
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

// *ireg access: iprio reads zero; 0x70-0xFF goes to the file.
bool ireg_read(const InterruptFile* f, u64 sel, u64& v) {
  if (iprio_select(sel)) return v = 0, true;
  return f && f->read_indirect(static_cast<unsigned>(sel), v);
}
bool ireg_write(InterruptFile* f, u64 sel, u64 v) {
  if (iprio_select(sel)) return true;
  return f && f->write_indirect(static_cast<unsigned>(sel), v);
}

constexpr u64 kIselectMask = 0xfff;

// *topi: the highest-priority interrupt pending and enabled for a level,
// whatever the global enable says. Every iprio byte is read-only zero, so
// the default priority order decides and IPRIO may be reported as 1
// (AIA, "Machine top interrupt CSR" / "Supervisor top interrupt CSR").
u64 top_interrupt(u64 candidates) {
  static constexpr Irq kOrder[] = {kIrqMEI, kIrqMSI, kIrqMTI, kIrqSEI, kIrqSSI,
                                   kIrqSTI, kIrqSGEI, kIrqVSEI, kIrqVSSI, kIrqVSTI};
  for (Irq irq : kOrder)
    if (candidates & irq_bit(irq)) return (u64{irq} << 16) | 1;
  return 0;
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
    // VS by hideleg. (vstopi, which VS would reach here, is not implemented
    // yet, so stopi is illegal from V=1 rather than showing HS's value.)
    {0xDB0, "stopi",
     [](const RiscvHart& h) { return top_interrupt(h.live_mip() & h.mie_ & h.mideleg_ & ~h.hideleg_); }, nullptr,
     [](const RiscvHart& h, std::uint16_t) {
       if (!h.aia_s_file() || h.virt()) return CsrFault::Illegal;
       return h.stateen_fault(0, stateen::AIA);
     }},
    {0x150, "siselect", [](const RiscvHart& h) { return h.siselect_; },
     [](RiscvHart& h, u64 v) { h.siselect_ = v & kIselectMask; }, s_indirect},
    {0x151, "sireg",
     [](const RiscvHart& h) {
       u64 v = 0;
       ireg_read(h.aia_s_file(), h.siselect_, v);
       return v;
     },
     [](RiscvHart& h, u64 v) { ireg_write(h.aia_s_file(), h.siselect_, v); },
     [](const RiscvHart& h, std::uint16_t n) {
       const CsrFault f = s_indirect(h, n);
       if (f != CsrFault::None) return f;
       u64 unused;
       return ireg_read(h.aia_s_file(), h.siselect_, unused) ? CsrFault::None : CsrFault::Illegal;
     }},
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
