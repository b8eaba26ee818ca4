// RV64I base integer instructions (unprivileged spec, "RV32I" and "RV64I"
// chapters).
#include "rv64i_sem.hpp"

namespace orrery::riscv {
namespace {
using namespace insn;

const InsnSpec kInsns[] = {
    {"lui", "....................  ..... 0110111", Imm::U, "rd,uimm20", sem::i_lui},
    {"auipc", "....................  ..... 0010111", Imm::U, "rd,uimm20", sem::i_auipc},
    {"jal", "....................  ..... 1101111", Imm::J, "rd,target", sem::i_jal},
    {"jalr", "............ ..... 000 ..... 1100111", Imm::I, "rd,mem", sem::i_jalr},

    {"beq", "....... ..... ..... 000 ..... 1100011", Imm::B, "rs1,rs2,target", sem::i_beq},
    {"bne", "....... ..... ..... 001 ..... 1100011", Imm::B, "rs1,rs2,target", sem::i_bne},
    {"blt", "....... ..... ..... 100 ..... 1100011", Imm::B, "rs1,rs2,target", sem::i_blt},
    {"bge", "....... ..... ..... 101 ..... 1100011", Imm::B, "rs1,rs2,target", sem::i_bge},
    {"bltu", "....... ..... ..... 110 ..... 1100011", Imm::B, "rs1,rs2,target", sem::i_bltu},
    {"bgeu", "....... ..... ..... 111 ..... 1100011", Imm::B, "rs1,rs2,target", sem::i_bgeu},

    {"lb", "............ ..... 000 ..... 0000011", Imm::I, "rd,mem", load_into_x<std::uint8_t, std::int8_t>},
    {"lh", "............ ..... 001 ..... 0000011", Imm::I, "rd,mem", load_into_x<std::uint16_t, std::int16_t>},
    {"lw", "............ ..... 010 ..... 0000011", Imm::I, "rd,mem", load_into_x<std::uint32_t, std::int32_t>},
    {"ld", "............ ..... 011 ..... 0000011", Imm::I, "rd,mem", load_into_x<std::uint64_t, std::uint64_t>},
    {"lbu", "............ ..... 100 ..... 0000011", Imm::I, "rd,mem", load_into_x<std::uint8_t, std::uint8_t>},
    {"lhu", "............ ..... 101 ..... 0000011", Imm::I, "rd,mem", load_into_x<std::uint16_t, std::uint16_t>},
    {"lwu", "............ ..... 110 ..... 0000011", Imm::I, "rd,mem", load_into_x<std::uint32_t, std::uint32_t>},

    {"sb", "....... ..... ..... 000 ..... 0100011", Imm::S, "rs2,mem", sem::i_sb},
    {"sh", "....... ..... ..... 001 ..... 0100011", Imm::S, "rs2,mem", sem::i_sh},
    {"sw", "....... ..... ..... 010 ..... 0100011", Imm::S, "rs2,mem", sem::i_sw},
    {"sd", "....... ..... ..... 011 ..... 0100011", Imm::S, "rs2,mem", sem::i_sd},

    {"addi", "............ ..... 000 ..... 0010011", Imm::I, "rd,rs1,imm", sem::i_addi},
    {"slti", "............ ..... 010 ..... 0010011", Imm::I, "rd,rs1,imm", sem::i_slti},
    {"sltiu", "............ ..... 011 ..... 0010011", Imm::I, "rd,rs1,imm", sem::i_sltiu},
    {"xori", "............ ..... 100 ..... 0010011", Imm::I, "rd,rs1,imm", sem::i_xori},
    {"ori", "............ ..... 110 ..... 0010011", Imm::I, "rd,rs1,imm", sem::i_ori},
    {"andi", "............ ..... 111 ..... 0010011", Imm::I, "rd,rs1,imm", sem::i_andi},
    {"slli", "000000 ...... ..... 001 ..... 0010011", Imm::Shamt6, "rd,rs1,shamt", sem::i_slli},
    {"srli", "000000 ...... ..... 101 ..... 0010011", Imm::Shamt6, "rd,rs1,shamt", sem::i_srli},
    {"srai", "010000 ...... ..... 101 ..... 0010011", Imm::Shamt6, "rd,rs1,shamt", sem::i_srai},

    {"add", "0000000 ..... ..... 000 ..... 0110011", Imm::None, "rd,rs1,rs2", sem::i_add},
    {"sub", "0100000 ..... ..... 000 ..... 0110011", Imm::None, "rd,rs1,rs2", sem::i_sub},
    {"sll", "0000000 ..... ..... 001 ..... 0110011", Imm::None, "rd,rs1,rs2", sem::i_sll},
    {"slt", "0000000 ..... ..... 010 ..... 0110011", Imm::None, "rd,rs1,rs2", sem::i_slt},
    {"sltu", "0000000 ..... ..... 011 ..... 0110011", Imm::None, "rd,rs1,rs2", sem::i_sltu},
    {"xor", "0000000 ..... ..... 100 ..... 0110011", Imm::None, "rd,rs1,rs2", sem::i_xor},
    {"srl", "0000000 ..... ..... 101 ..... 0110011", Imm::None, "rd,rs1,rs2", sem::i_srl},
    {"sra", "0100000 ..... ..... 101 ..... 0110011", Imm::None, "rd,rs1,rs2", sem::i_sra},
    {"or", "0000000 ..... ..... 110 ..... 0110011", Imm::None, "rd,rs1,rs2", sem::i_or},
    {"and", "0000000 ..... ..... 111 ..... 0110011", Imm::None, "rd,rs1,rs2", sem::i_and},

    {"addiw", "............ ..... 000 ..... 0011011", Imm::I, "rd,rs1,imm", sem::i_addiw},
    {"slliw", "0000000 ..... ..... 001 ..... 0011011", Imm::Shamt5, "rd,rs1,shamt", sem::i_slliw},
    {"srliw", "0000000 ..... ..... 101 ..... 0011011", Imm::Shamt5, "rd,rs1,shamt", sem::i_srliw},
    {"sraiw", "0100000 ..... ..... 101 ..... 0011011", Imm::Shamt5, "rd,rs1,shamt", sem::i_sraiw},
    {"addw", "0000000 ..... ..... 000 ..... 0111011", Imm::None, "rd,rs1,rs2", sem::i_addw},
    {"subw", "0100000 ..... ..... 000 ..... 0111011", Imm::None, "rd,rs1,rs2", sem::i_subw},
    {"sllw", "0000000 ..... ..... 001 ..... 0111011", Imm::None, "rd,rs1,rs2", sem::i_sllw},
    {"srlw", "0000000 ..... ..... 101 ..... 0111011", Imm::None, "rd,rs1,rs2", sem::i_srlw},
    {"sraw", "0100000 ..... ..... 101 ..... 0111011", Imm::None, "rd,rs1,rs2", sem::i_sraw},

    // FENCE orders memory for other harts and devices; this machine executes
    // each hart's accesses in program order and one hart at a time, so every
    // ordering the instruction asks for already holds. Reserved fm/rs1/rd
    // values must be ignored (unprivileged spec, "Memory Ordering").
    {"fence.tso", "1000 0011 0011 ..... 000 ..... 0001111", Imm::Fence, "", sem::i_fence_tso},
    {"fence", ".... .... .... ..... 000 ..... 0001111", Imm::Fence, "pred,succ", sem::i_fence},
};

}  // namespace

std::span<const InsnSpec> rv64i_insns() { return kInsns; }

}  // namespace orrery::riscv
