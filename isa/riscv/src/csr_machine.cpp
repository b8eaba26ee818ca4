// Machine-level CSRs of an M-mode-only RV64 hart (privileged spec,
// "Machine-Level CSRs"). Only the fields such a hart has are writable: with
// no lower privilege modes, MPP is hardwired to M and MPRV/TW/SUM/MXR are
// read-only zero.
#include "orrery/riscv/csr.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv {
namespace {

using u64 = std::uint64_t;

constexpr u64 kMstatusWritable = mstatus::MIE | mstatus::MPIE | mstatus::FS;
// Interrupt-enable bits for the M-level software, timer and external
// interrupts (MSIE, MTIE, MEIE).
constexpr u64 kMieWritable = (1u << 3) | (1u << 7) | (1u << 11);

u64 read_mstatus(const RiscvHart& h) {
  u64 v = h.mstatus_ & ~mstatus::SD;
  if ((v & mstatus::FS) == mstatus::FS) v |= mstatus::SD;  // SD summarises FS (and XS/VS) == Dirty
  return v;
}
void write_mstatus(RiscvHart& h, u64 v) {
  h.mstatus_ = (h.mstatus_ & ~kMstatusWritable) | (v & kMstatusWritable);
  h.mstatus_ = read_mstatus(h);
}

const CsrSpec kCsrs[] = {
    {csr::mstatus, "mstatus", read_mstatus, write_mstatus},
    // misa is WARL; this hart's extensions cannot be switched off.
    {csr::misa, "misa", [](const RiscvHart& h) { return h.misa_; }, nullptr},
    {csr::mie, "mie", [](const RiscvHart& h) { return h.mie_; },
     [](RiscvHart& h, u64 v) { h.mie_ = v & kMieWritable; }},
    // mip's M-level bits are driven by interrupt controllers, read-only here.
    {csr::mip, "mip", [](const RiscvHart& h) { return h.mip_; }, nullptr},
    // MODE 0 (direct) or 1 (vectored); bit 1 of the field is reserved.
    {csr::mtvec, "mtvec", [](const RiscvHart& h) { return h.mtvec_; },
     [](RiscvHart& h, u64 v) { h.mtvec_ = v & ~u64{2}; }},
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
