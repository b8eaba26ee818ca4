// Hypervisor-extension CSRs (privileged spec, "Hypervisor Extension":
// hypervisor and virtual-supervisor CSRs, mtval2, mtinst). They exist only
// on harts configured with H; elsewhere they raise illegal-instruction like
// any absent CSR. When V=1 the s* CSR numbers reach the vs* registers (the
// hart redirects number + 0x100, see RiscvHart::csr_check).
#include "orrery/riscv/csr.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv {
namespace {

using u64 = std::uint64_t;

constexpr u64 kHstatusWritable = hstatus::GVA | hstatus::SPV | hstatus::SPVP | hstatus::HU | hstatus::VGEIN |
                                 hstatus::VTVM | hstatus::VTW | hstatus::VTSR;
constexpr u64 kVsstatusWritable = mstatus::SIE | mstatus::SPIE | mstatus::SPP | mstatus::FS | mstatus::SUM |
                                  mstatus::MXR;
// ECALL from HS/VS/M and the guest-page-fault and virtual-instruction causes
// cannot be delegated to VS (privileged spec, "hedeleg and hideleg").
constexpr u64 kHedelegWritable = 0xb1ff;
constexpr u64 kHgatpPpn = ((1ull << 44) - 1) & ~u64{3};  // 16 KiB-aligned root: PPN[1:0] read as zero

CsrFault needs_h(const RiscvHart& h, std::uint16_t) { return h.config().has_h ? CsrFault::None : CsrFault::Illegal; }
// vsatp reached as satp from VS-mode obeys hstatus.VTVM.
CsrFault vsatp_accessible(const RiscvHart& h, std::uint16_t n) {
  if (needs_h(h, n) != CsrFault::None) return CsrFault::Illegal;
  return (h.virt() && (h.hstatus_ & hstatus::VTVM)) ? CsrFault::Virtual : CsrFault::None;
}
// vstimecmp from VS (as stimecmp) needs henvcfg.STCE and hcounteren.TM as
// well as the M-level enables.
CsrFault vstimecmp_accessible(const RiscvHart& h, std::uint16_t n) {
  if (needs_h(h, n) != CsrFault::None) return CsrFault::Illegal;
  if (h.priv() == kPrivM) return CsrFault::None;
  if (!(h.menvcfg_ & menvcfg::STCE) || !(h.mcounteren_ & 2)) return CsrFault::Illegal;
  if (h.virt() && (!(h.henvcfg_ & menvcfg::STCE) || !(h.hcounteren_ & 2))) return CsrFault::Virtual;
  return CsrFault::None;
}

// AIA, "Virtual interrupts for VS level": while hvictl.VTI is set the
// hypervisor owns the guest's view of pending interrupts, so VS-mode
// accesses to sip/sie, and writes that could clear a vsip bit (stimecmp),
// are virtual-instruction exceptions.
bool vti_traps_guest(const RiscvHart& h) { return h.virt() && (h.hvictl_ & hvictl::VTI); }
CsrFault vsip_vsie_accessible(const RiscvHart& h, std::uint16_t n) {
  if (needs_h(h, n) != CsrFault::None) return CsrFault::Illegal;
  return vti_traps_guest(h) ? CsrFault::Virtual : CsrFault::None;
}
CsrFault vti_blocks_guest_write(const RiscvHart& h) { return vti_traps_guest(h) ? CsrFault::Virtual : CsrFault::None; }

u64 read_vsstatus(const RiscvHart& h) {
  u64 v = (h.vsstatus_ & kVsstatusWritable) | (2ull << 32);  // UXL: VU is 64-bit
  if ((v & mstatus::FS) == mstatus::FS) v |= mstatus::SD;
  return v;
}

const CsrSpec kCsrs[] = {
    {0x600, "hstatus", [](const RiscvHart& h) -> u64 { return h.hstatus_ | hstatus::VSXL_64; },
     [](RiscvHart& h, u64 v) {
       h.hstatus_ = v & kHstatusWritable;
       // VGEIN picks the hgeip bit that is hip.VSEIP: a new guest number
       // changes the pending interrupts.
       h.update_mip();
     },
     needs_h},
    {0x602, "hedeleg", [](const RiscvHart& h) { return h.hedeleg_; },
     [](RiscvHart& h, u64 v) { h.hedeleg_ = v & kHedelegWritable; }, needs_h},
    {0x603, "hideleg", [](const RiscvHart& h) { return h.hideleg_; },
     [](RiscvHart& h, u64 v) {
       // LCOFI may go on to VS too (Sscofpmf; the AIA's hideleg bits 13-63).
       h.hideleg_ = v & (kVsIrqs | (h.config().has_sscofpmf ? irq_bit(kIrqLCOFI) : 0));
       h.update_mip();
     },
     needs_h},
    {0x604, "hie", [](const RiscvHart& h) { return h.mie_ & (kVsIrqs | irq_bit(kIrqSGEI)); },
     [](RiscvHart& h, u64 v) {
       const u64 m = kVsIrqs | irq_bit(kIrqSGEI);
       h.mie_ = (h.mie_ & ~m) | (v & m);
       h.update_mip();
     },
     needs_h},
    {0x605, "htimedelta", [](const RiscvHart& h) { return h.htimedelta_; },
     [](RiscvHart& h, u64 v) {
       h.htimedelta_ = v;
       h.update_stimecmp();
     },
     needs_h},
    {0x606, "hcounteren", [](const RiscvHart& h) -> u64 { return h.hcounteren_; },
     [](RiscvHart& h, u64 v) { h.hcounteren_ = static_cast<std::uint32_t>(v); }, needs_h},
    {0x607, "hgeie", [](const RiscvHart& h) { return h.hgeie_; },
     [](RiscvHart& h, u64 v) {
       h.hgeie_ = v & h.geilen_mask();
       h.update_mip();
     },
     needs_h},
    {0x60A, "henvcfg", [](const RiscvHart& h) { return h.henvcfg_; },
     [](RiscvHart& h, u64 v) {
       // STCE is read-only zero here unless menvcfg.STCE is set.
       h.henvcfg_ = v & (menvcfg::FIOM | (h.menvcfg_ & menvcfg::STCE));
       h.update_stimecmp();
     },
     [](const RiscvHart& h, std::uint16_t n) {
       if (needs_h(h, n) != CsrFault::None) return CsrFault::Illegal;
       return h.stateen_fault(0, stateen::ENVCFG);
     }},
    {0x643, "htval", [](const RiscvHart& h) { return h.htval_; }, [](RiscvHart& h, u64 v) { h.htval_ = v; }, needs_h},
    // hip: only VSSIP is writable (it aliases hvip.VSSIP).
    {0x644, "hip", [](const RiscvHart& h) { return h.live_mip() & (kVsIrqs | irq_bit(kIrqSGEI)); },
     [](RiscvHart& h, u64 v) {
       h.hvip_ = (h.hvip_ & ~irq_bit(kIrqVSSI)) | (v & irq_bit(kIrqVSSI));
       h.update_mip();
     },
     needs_h},
    // hvip: the VS-level bits, and (AIA) bits 13-63, all writable because
    // every hvien bit 13-63 is ("Virtual interrupts for VS level").
    {0x645, "hvip", [](const RiscvHart& h) { return h.hvip_; },
     [](RiscvHart& h, u64 v) {
       h.hvip_ = v & (kVsIrqs | (h.aia_s_file() ? kLocalIrqs : 0));
       h.update_mip();
     },
     needs_h},
    {0x64A, "htinst", [](const RiscvHart& h) { return h.htinst_; }, [](RiscvHart& h, u64 v) { h.htinst_ = v; },
     needs_h},
    // hgatp, like satp, traps in HS when mstatus.TVM is set.
    {0x680, "hgatp", [](const RiscvHart& h) { return h.hgatp_; },
     [](RiscvHart& h, u64 v) {
       // Bare, Sv39x4, Sv48x4, Sv57x4; another mode leaves hgatp unchanged.
       const u64 mode = v >> 60;
       if (mode != 0 && mode != 8 && mode != 9 && mode != 10) return;
       h.hgatp_ = v & ((0xfull << 60) | (0x3fffull << 44) | kHgatpPpn);  // 14 VMID bits
       h.flush_tlbs();
     },
     [](const RiscvHart& h, std::uint16_t n) {
       if (needs_h(h, n) != CsrFault::None) return CsrFault::Illegal;
       return (h.priv() == kPrivS && (h.mstatus_ & mstatus::TVM)) ? CsrFault::Illegal : CsrFault::None;
     }},
    {0xE12, "hgeip", [](const RiscvHart& h) { return h.hgeip_; }, nullptr, needs_h},

    {0x200, "vsstatus", read_vsstatus,
     [](RiscvHart& h, u64 v) {
       const u64 old = h.vsstatus_;
       h.vsstatus_ = v & kVsstatusWritable;
       if ((old ^ h.vsstatus_) & mstatus::MXR) h.flush_tlbs();
       h.update_tlb_indices();
     },
     needs_h},
    // vsie/vsip show the VS-level bits delegated by hideleg one position
    // lower, where a guest's sie/sip have them, and (AIA) bits 13-63 that
    // hvien routes (RiscvHart::vsip_view).
    {0x204, "vsie", [](const RiscvHart& h) { return h.vsie_view(); }, [](RiscvHart& h, u64 v) { h.write_vsie(v); },
     vsip_vsie_accessible},
    {0x205, "vstvec", [](const RiscvHart& h) { return h.vstvec_; },
     [](RiscvHart& h, u64 v) { h.vstvec_ = v & ~u64{2}; }, needs_h},
    {0x240, "vsscratch", [](const RiscvHart& h) { return h.vsscratch_; },
     [](RiscvHart& h, u64 v) { h.vsscratch_ = v; }, needs_h},
    {0x241, "vsepc", [](const RiscvHart& h) { return h.vsepc_; },
     [](RiscvHart& h, u64 v) { h.vsepc_ = v & ~u64{1}; }, needs_h},
    {0x242, "vscause", [](const RiscvHart& h) { return h.vscause_; },
     [](RiscvHart& h, u64 v) { h.vscause_ = v; }, needs_h},
    {0x243, "vstval", [](const RiscvHart& h) { return h.vstval_; }, [](RiscvHart& h, u64 v) { h.vstval_ = v; },
     needs_h},
    {0x244, "vsip", [](const RiscvHart& h) { return h.vsip_view(); }, [](RiscvHart& h, u64 v) { h.write_vsip(v); },
     vsip_vsie_accessible},
    {0x24D, "vstimecmp", [](const RiscvHart& h) { return h.vstimecmp_; },
     [](RiscvHart& h, u64 v) {
       h.vstimecmp_ = v;
       h.update_stimecmp();
     },
     vstimecmp_accessible, nullptr, vti_blocks_guest_write},
    {0x280, "vsatp", [](const RiscvHart& h) { return h.vsatp_; },
     [](RiscvHart& h, u64 v) {
       // The same legal modes as satp; others leave vsatp unchanged.
       const u64 mode = v >> 60;
       if (mode != 0 && mode != 8 && mode != 9 && mode != 10) return;
       h.vsatp_ = v & ((0xfull << 60) | (0xffffull << 44) | ((1ull << 44) - 1));
       h.flush_tlbs();
     },
     vsatp_accessible},
    {0x34A, "mtinst", [](const RiscvHart& h) { return h.mtinst_; }, [](RiscvHart& h, u64 v) { h.mtinst_ = v; },
     needs_h},
    {0x34B, "mtval2", [](const RiscvHart& h) { return h.mtval2_; }, [](RiscvHart& h, u64 v) { h.mtval2_ = v; },
     needs_h},
};

}  // namespace

std::span<const CsrSpec> hypervisor_csrs() { return kCsrs; }

}  // namespace orrery::riscv
