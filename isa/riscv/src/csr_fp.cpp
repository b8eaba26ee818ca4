// fflags, frm and fcsr (unprivileged spec, "Floating-Point Control and
// Status Register"). They are inaccessible while mstatus.FS is Off, and any
// write marks the FP state dirty.
#include "orrery/riscv/csr.hpp"
#include "orrery/riscv/hart.hpp"

namespace orrery::riscv {
namespace {

CsrFault fp_on(const RiscvHart& h, std::uint16_t) { return h.fp_enabled() ? CsrFault::None : CsrFault::Illegal; }

const CsrSpec kCsrs[] = {
    {csr::fflags, "fflags", [](const RiscvHart& h) -> std::uint64_t { return h.fflags_; },
     [](RiscvHart& h, std::uint64_t v) {
       h.fflags_ = v & 0x1f;
       h.mark_fs_dirty();
     },
     fp_on},
    {csr::frm, "frm", [](const RiscvHart& h) -> std::uint64_t { return h.frm_; },
     [](RiscvHart& h, std::uint64_t v) {
       h.frm_ = v & 7;  // reserved modes are stored; instructions using them trap
       h.mark_fs_dirty();
     },
     fp_on},
    {csr::fcsr, "fcsr", [](const RiscvHart& h) -> std::uint64_t { return (std::uint64_t{h.frm_} << 5) | h.fflags_; },
     [](RiscvHart& h, std::uint64_t v) {
       h.fflags_ = v & 0x1f;
       h.frm_ = (v >> 5) & 7;
       h.mark_fs_dirty();
     },
     fp_on},
};

}  // namespace

std::span<const CsrSpec> fp_csrs() { return kCsrs; }

}  // namespace orrery::riscv
