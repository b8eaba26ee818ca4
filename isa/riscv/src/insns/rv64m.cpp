// "M" extension: integer multiply and divide (semantics: rv64m_sem.hpp).
#include "rv64m_sem.hpp"

namespace orrery::riscv {
namespace {
using namespace insn;

const InsnSpec kInsns[] = {
    {"mul", "0000001 ..... ..... 000 ..... 0110011", Imm::None, "rd,rs1,rs2", sem::i_mul},
    {"mulh", "0000001 ..... ..... 001 ..... 0110011", Imm::None, "rd,rs1,rs2", sem::i_mulh},
    {"mulhsu", "0000001 ..... ..... 010 ..... 0110011", Imm::None, "rd,rs1,rs2", sem::i_mulhsu},
    {"mulhu", "0000001 ..... ..... 011 ..... 0110011", Imm::None, "rd,rs1,rs2", sem::i_mulhu},
    {"div", "0000001 ..... ..... 100 ..... 0110011", Imm::None, "rd,rs1,rs2", sem::i_div},
    {"divu", "0000001 ..... ..... 101 ..... 0110011", Imm::None, "rd,rs1,rs2", sem::i_divu},
    {"rem", "0000001 ..... ..... 110 ..... 0110011", Imm::None, "rd,rs1,rs2", sem::i_rem},
    {"remu", "0000001 ..... ..... 111 ..... 0110011", Imm::None, "rd,rs1,rs2", sem::i_remu},

    {"mulw", "0000001 ..... ..... 000 ..... 0111011", Imm::None, "rd,rs1,rs2", sem::i_mulw},
    {"divw", "0000001 ..... ..... 100 ..... 0111011", Imm::None, "rd,rs1,rs2", sem::i_divw},
    {"divuw", "0000001 ..... ..... 101 ..... 0111011", Imm::None, "rd,rs1,rs2", sem::i_divuw},
    {"remw", "0000001 ..... ..... 110 ..... 0111011", Imm::None, "rd,rs1,rs2", sem::i_remw},
    {"remuw", "0000001 ..... ..... 111 ..... 0111011", Imm::None, "rd,rs1,rs2", sem::i_remuw},
};

}  // namespace

std::span<const InsnSpec> rv64m_insns() { return kInsns; }

}  // namespace orrery::riscv
