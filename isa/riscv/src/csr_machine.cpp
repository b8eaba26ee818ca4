// Machine-level CSRs (privileged spec, "Machine-Level CSRs").
#include "orrery/riscv/csr.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv {
namespace {

using u64 = std::uint64_t;

constexpr u64 kMstatusWritable = mstatus::SIE | mstatus::MIE | mstatus::SPIE | mstatus::MPIE | mstatus::SPP |
                                 mstatus::MPP | mstatus::FS | mstatus::MPRV | mstatus::SUM | mstatus::MXR |
                                 mstatus::TVM | mstatus::TW | mstatus::TSR;
// Interrupts: SSI, MSI, STI, MTI, SEI, MEI, and Sscofpmf's LCOFI.
constexpr u64 kMieWritable = irq_bit(kIrqSSI) | irq_bit(kIrqMSI) | irq_bit(kIrqSTI) | irq_bit(kIrqMTI) |
                             irq_bit(kIrqSEI) | irq_bit(kIrqMEI) | irq_bit(kIrqLCOFI);
// S-level interrupts (and LCOFI) may be delegated; M-level ones may not.
constexpr u64 kMidelegWritable = irq_bit(kIrqSSI) | irq_bit(kIrqSTI) | irq_bit(kIrqSEI) | irq_bit(kIrqLCOFI);
// Every exception except ECALL from M (11), which cannot be delegated, and
// the reserved codes.
constexpr u64 kMedelegWritable = 0xb3ff;

// Without Sscofpmf, LCOFI's bits are read-only zero.
u64 lcofi_mask(const RiscvHart& h) { return h.config().has_sscofpmf ? ~u64{0} : ~irq_bit(kIrqLCOFI); }

u64 read_mstatus(const RiscvHart& h) {
  u64 v = h.mstatus_ & ~mstatus::SD;
  if ((v & mstatus::FS) == mstatus::FS) v |= mstatus::SD;  // SD summarises FS (and XS/VS) == Dirty
  return v;
}
void write_mstatus(RiscvHart& h, u64 v) {
  const u64 writable = kMstatusWritable | (h.config().has_h ? (mstatus::MPV | mstatus::GVA) : 0);
  // MPP is WARL over the implemented modes; 2 (reserved) keeps the old value.
  if (((v & mstatus::MPP) >> mstatus::MPP_SHIFT) == 2) v = (v & ~mstatus::MPP) | (h.mstatus_ & mstatus::MPP);
  const u64 old = h.mstatus_;
  h.mstatus_ = (old & ~writable) | (v & writable);
  h.mstatus_ = read_mstatus(h);
  // MXR changes what every cached page may read; SUM, MPRV and MPP only
  // select which TLB is used.
  if ((old ^ h.mstatus_) & mstatus::MXR) h.flush_tlbs();
  h.update_tlb_indices();
}

const CsrSpec kCsrs[] = {
    {csr::mstatus, "mstatus", read_mstatus, write_mstatus},
    // misa is WARL; this hart's extensions cannot be switched off.
    {csr::misa, "misa", [](const RiscvHart& h) { return h.misa_; }, nullptr},
    // With H, ECALL from VS (10) and the guest-page-fault and
    // virtual-instruction causes (20-23) can be delegated to HS too.
    {0x302, "medeleg", [](const RiscvHart& h) { return h.medeleg_; },
     [](RiscvHart& h, u64 v) {
       const u64 h_causes = h.config().has_h ? ((1ull << 10) | (0xfull << 20)) : 0;
       h.medeleg_ = v & (kMedelegWritable | h_causes);
     }},
    // With H, the VS-level interrupts and SGEI are read-only one here.
    {0x303, "mideleg", [](const RiscvHart& h) { return h.mideleg_; },
     [](RiscvHart& h, u64 v) {
       const u64 fixed = h.config().has_h ? (kVsIrqs | irq_bit(kIrqSGEI)) : 0;
       h.mideleg_ = (v & kMidelegWritable & lcofi_mask(h)) | fixed;
     }},
    {csr::mie, "mie", [](const RiscvHart& h) { return h.mie_; },
     [](RiscvHart& h, u64 v) {
       const u64 h_bits = h.config().has_h ? (kVsIrqs | irq_bit(kIrqSGEI)) : 0;
       h.mie_ = v & (kMieWritable | h_bits) & lcofi_mask(h);
       h.update_mip();
     }},
    // M-level bits come from the CLINT/PLIC; SSIP, STIP (unless Sstc drives
    // it) and SEIP (unless mvien.SEI separates it off, AIA "Interrupt
    // filtering and virtual interrupts for supervisor level") are writable
    // here (privileged spec, "mip and mie").
    {csr::mip, "mip", [](const RiscvHart& h) { return h.live_mip(); },
     [](RiscvHart& h, u64 v) {
       // LCOFIP is set by a counter overflow and cleared by software
       // (Sscofpmf, "Local Counter Overflow Interrupt").
       u64 writable = (irq_bit(kIrqSSI) | (irq_bit(kIrqSEI) & ~h.mvien_) | irq_bit(kIrqLCOFI)) & lcofi_mask(h);
       if (!(h.menvcfg_ & menvcfg::STCE)) writable |= irq_bit(kIrqSTI);
       h.mip_sw_ = (h.mip_sw_ & ~writable) | (v & writable);
       // mip.VSSIP aliases hvip.VSSIP.
       if (h.config().has_h) h.hvip_ = (h.hvip_ & ~irq_bit(kIrqVSSI)) | (v & irq_bit(kIrqVSSI));
       h.update_mip();
     },
     nullptr,
     [](const RiscvHart& h) {
       // SEIP's software bit alone (privileged spec, "Machine Interrupt Registers").
       return (h.live_mip() & ~irq_bit(kIrqSEI)) | (h.mip_sw_ & irq_bit(kIrqSEI));
     }},
    // MODE 0 (direct) or 1 (vectored); bit 1 of the field is reserved.
    {csr::mtvec, "mtvec", [](const RiscvHart& h) { return h.mtvec_; },
     [](RiscvHart& h, u64 v) { h.mtvec_ = v & ~u64{2}; }},
    {0x306, "mcounteren", [](const RiscvHart& h) -> u64 { return h.mcounteren_; },
     [](RiscvHart& h, u64 v) { h.mcounteren_ = static_cast<std::uint32_t>(v); }},
    {0x30A, "menvcfg", [](const RiscvHart& h) { return h.menvcfg_; },
     [](RiscvHart& h, u64 v) {
       h.menvcfg_ = v & (menvcfg::FIOM | menvcfg::STCE);
       h.henvcfg_ &= ~menvcfg::STCE | (h.menvcfg_ & menvcfg::STCE);
       h.update_stimecmp();
     }},
    {csr::mscratch, "mscratch", [](const RiscvHart& h) { return h.mscratch_; },
     [](RiscvHart& h, u64 v) { h.mscratch_ = v; }},
    // With C, only bit 0 of mepc is always zero (IALIGN = 16).
    {csr::mepc, "mepc", [](const RiscvHart& h) { return h.mepc_; }, [](RiscvHart& h, u64 v) { h.mepc_ = v & ~u64{1}; }},
    {csr::mcause, "mcause", [](const RiscvHart& h) { return h.mcause_; }, [](RiscvHart& h, u64 v) { h.mcause_ = v; }},
    {csr::mtval, "mtval", [](const RiscvHart& h) { return h.mtval_; }, [](RiscvHart& h, u64 v) { h.mtval_ = v; }},
    {csr::mvendorid, "mvendorid", [](const RiscvHart& h) { return h.config().mvendorid; }, nullptr},
    {csr::marchid, "marchid", [](const RiscvHart& h) { return h.config().marchid; }, nullptr},
    {csr::mimpid, "mimpid", [](const RiscvHart& h) { return h.config().mimpid; }, nullptr},
    {csr::mhartid, "mhartid", [](const RiscvHart& h) -> u64 { return h.id(); }, nullptr},
    // No configuration structure exists (privileged spec 1.12 allows zero).
    {csr::mconfigptr, "mconfigptr", [](const RiscvHart&) -> u64 { return 0; }, nullptr},
};

}  // namespace

std::span<const CsrSpec> machine_csrs() { return kCsrs; }

}  // namespace orrery::riscv
