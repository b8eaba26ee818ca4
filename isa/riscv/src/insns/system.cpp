// Privileged instructions (privileged spec, "Machine-Mode Privileged
// Instructions", "Supervisor Instructions") and Zifencei.
#include "common.hpp"

namespace orrery::riscv {
namespace {
using namespace insn;

const InsnSpec kInsns[] = {
    {"ecall", "000000000000 00000 000 00000 1110011", Imm::None, "",
     [](RiscvHart& h, const Decoded&) {
       // ECALL's cause encodes the privilege it was executed from; mtval is 0.
       // VS-mode uses cause 10; VU, like U, 8.
       const u64 cause = h.priv() == kPrivM ? kEcallM
                         : h.priv() == kPrivS ? (h.virt() ? kEcallVS : kEcallS)
                                               : kEcallU;
       h.raise(cause, 0);
     }},
    // mtval may be 0 or the pc for a breakpoint (privileged spec, "Machine
    // Trap Value"); 0 matches QEMU, against which guest tests are recorded.
    {"ebreak", "000000000001 00000 000 00000 1110011", Imm::None, "",
     [](RiscvHart& h, const Decoded&) { h.raise(kBreakpoint, 0); }},
    {"mret", "0011000 00010 00000 000 00000 1110011", Imm::None, "",
     [](RiscvHart& h, const Decoded& d) {
       if (h.priv() != kPrivM) return h.illegal(d);
       h.mret();
     }},
    {"sret", "0001000 00010 00000 000 00000 1110011", Imm::None, "", [](RiscvHart& h, const Decoded& d) { h.sret(d); }},
    {"wfi", "0001000 00101 00000 000 00000 1110011", Imm::None, "", [](RiscvHart& h, const Decoded& d) { h.wfi(d); }},
    {"sfence.vma", "0001001 ..... ..... 000 00000 1110011", Imm::None, "rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.sfence_vma(d); }},
    // Decoded instructions are cached by their bits, and every fetch reads
    // memory, so stores to code are seen at once: FENCE.I has nothing to
    // flush. The spec allows stronger-than-required coherence.
    {"fence.i", "............ ..... 001 ..... 0001111", Imm::I, "", [](RiscvHart&, const Decoded&) {}},
};

}  // namespace

std::span<const InsnSpec> system_insns() { return kInsns; }

}  // namespace orrery::riscv
