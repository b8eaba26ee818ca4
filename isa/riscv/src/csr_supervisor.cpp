// Supervisor-level CSRs (privileged spec, "Supervisor-Level ISA") and Sstc's
// stimecmp. sstatus, sie and sip are restricted views of their M-level
// counterparts.
#include "orrery/riscv/csr.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv {
namespace {

using u64 = std::uint64_t;

constexpr u64 kSstatusView = mstatus::SIE | mstatus::SPIE | mstatus::SPP | mstatus::FS | mstatus::SUM |
                             mstatus::MXR | mstatus::UXL | mstatus::SD;
constexpr u64 kSstatusWritable = mstatus::SIE | mstatus::SPIE | mstatus::SPP | mstatus::FS | mstatus::SUM |
                                 mstatus::MXR;

const CsrSpec* mstatus_spec() { return find_csr(csr::mstatus); }

// satp and SFENCE.VMA trap in (H)S-mode when mstatus.TVM is set.
CsrFault satp_accessible(const RiscvHart& h, std::uint16_t) {
  return (h.priv() == kPrivS && !h.virt() && (h.mstatus_ & mstatus::TVM)) ? CsrFault::Illegal : CsrFault::None;
}
// Sstc: below M, stimecmp needs menvcfg.STCE and mcounteren.TM.
CsrFault stimecmp_accessible(const RiscvHart& h, std::uint16_t) {
  const bool ok = h.priv() == kPrivM || ((h.menvcfg_ & menvcfg::STCE) && (h.mcounteren_ & 2));
  return ok ? CsrFault::None : CsrFault::Illegal;
}

void write_satp(RiscvHart& h, u64 v) {
  // Only Bare, Sv39, Sv48 and Sv57 exist; a write selecting another mode has
  // no effect at all (privileged spec, "satp").
  const u64 mode = v >> 60;
  if (mode != 0 && mode != 8 && mode != 9 && mode != 10) return;
  // 16 ASID bits, 44 PPN bits.
  h.satp_ = v & ((0xfull << 60) | (0xffffull << 44) | ((1ull << 44) - 1));
  h.flush_tlbs();
}

const CsrSpec kCsrs[] = {
    {0x100, "sstatus", [](const RiscvHart& h) { return mstatus_spec()->read(h) & kSstatusView; },
     [](RiscvHart& h, u64 v) {
       mstatus_spec()->write(h, (h.mstatus_ & ~kSstatusWritable) | (v & kSstatusWritable));
     }},
    // sie/sip show the S-level interrupts delegated to S, and the virtual
    // ones mvien routes (RiscvHart::sip_view); the VS-level bits and SGEI
    // that H makes read-only one in mideleg belong to hie/hip (privileged
    // spec: their nonzero bits are mutually exclusive).
    {0x104, "sie", [](const RiscvHart& h) { return h.sie_view(); }, [](RiscvHart& h, u64 v) { h.write_sie(v); }},
    {0x105, "stvec", [](const RiscvHart& h) { return h.stvec_; }, [](RiscvHart& h, u64 v) { h.stvec_ = v & ~u64{2}; }},
    {0x106, "scounteren", [](const RiscvHart& h) -> u64 { return h.scounteren_; },
     [](RiscvHart& h, u64 v) { h.scounteren_ = static_cast<std::uint32_t>(v); }},
    {0x10A, "senvcfg", [](const RiscvHart& h) { return h.senvcfg_; },
     [](RiscvHart& h, u64 v) { h.senvcfg_ = v & menvcfg::FIOM; },
     [](const RiscvHart& h, std::uint16_t) { return h.stateen_fault(0, stateen::ENVCFG); }},
    {0x140, "sscratch", [](const RiscvHart& h) { return h.sscratch_; }, [](RiscvHart& h, u64 v) { h.sscratch_ = v; }},
    {0x141, "sepc", [](const RiscvHart& h) { return h.sepc_; }, [](RiscvHart& h, u64 v) { h.sepc_ = v & ~u64{1}; }},
    {0x142, "scause", [](const RiscvHart& h) { return h.scause_; }, [](RiscvHart& h, u64 v) { h.scause_ = v; }},
    {0x143, "stval", [](const RiscvHart& h) { return h.stval_; }, [](RiscvHart& h, u64 v) { h.stval_ = v; }},
    // SSIP (delegated or routed) and routed local interrupts are writable.
    {0x144, "sip", [](const RiscvHart& h) { return h.sip_view(); }, [](RiscvHart& h, u64 v) { h.write_sip(v); }},
    {0x14D, "stimecmp", [](const RiscvHart& h) { return h.stimecmp_; },
     [](RiscvHart& h, u64 v) {
       h.stimecmp_ = v;
       h.update_stimecmp();
     },
     stimecmp_accessible},
    {0x180, "satp", [](const RiscvHart& h) { return h.satp_; }, write_satp, satp_accessible},
};

}  // namespace

std::span<const CsrSpec> supervisor_csrs() { return kCsrs; }

}  // namespace orrery::riscv
