// RV64I base integer instructions (unprivileged spec, "RV32I" and "RV64I"
// chapters).
#include "common.hpp"

namespace orrery::riscv {
namespace {
using namespace insn;

void branch_if(RiscvHart& h, const Decoded& d, bool taken) {
  if (taken) h.set_next_pc(h.cur_pc() + static_cast<u64>(d.imm));
}

const InsnSpec kInsns[] = {
    {"lui", "....................  ..... 0110111", Imm::U, "rd,uimm20",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, static_cast<u64>(d.imm)); }},
    {"auipc", "....................  ..... 0010111", Imm::U, "rd,uimm20",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.cur_pc() + static_cast<u64>(d.imm)); }},
    {"jal", "....................  ..... 1101111", Imm::J, "rd,target",
     [](RiscvHart& h, const Decoded& d) {
       h.set_x(d.rd, h.cur_pc() + d.len);
       h.set_next_pc(h.cur_pc() + static_cast<u64>(d.imm));
     }},
    {"jalr", "............ ..... 000 ..... 1100111", Imm::I, "rd,mem",
     [](RiscvHart& h, const Decoded& d) {
       const u64 target = ea(h, d) & ~u64{1};  // computed before rd is written: rd may be rs1
       h.set_x(d.rd, h.cur_pc() + d.len);
       h.set_next_pc(target);
     }},

    {"beq", "....... ..... ..... 000 ..... 1100011", Imm::B, "rs1,rs2,target",
     [](RiscvHart& h, const Decoded& d) { branch_if(h, d, h.x(d.rs1) == h.x(d.rs2)); }},
    {"bne", "....... ..... ..... 001 ..... 1100011", Imm::B, "rs1,rs2,target",
     [](RiscvHart& h, const Decoded& d) { branch_if(h, d, h.x(d.rs1) != h.x(d.rs2)); }},
    {"blt", "....... ..... ..... 100 ..... 1100011", Imm::B, "rs1,rs2,target",
     [](RiscvHart& h, const Decoded& d) { branch_if(h, d, static_cast<i64>(h.x(d.rs1)) < static_cast<i64>(h.x(d.rs2))); }},
    {"bge", "....... ..... ..... 101 ..... 1100011", Imm::B, "rs1,rs2,target",
     [](RiscvHart& h, const Decoded& d) { branch_if(h, d, static_cast<i64>(h.x(d.rs1)) >= static_cast<i64>(h.x(d.rs2))); }},
    {"bltu", "....... ..... ..... 110 ..... 1100011", Imm::B, "rs1,rs2,target",
     [](RiscvHart& h, const Decoded& d) { branch_if(h, d, h.x(d.rs1) < h.x(d.rs2)); }},
    {"bgeu", "....... ..... ..... 111 ..... 1100011", Imm::B, "rs1,rs2,target",
     [](RiscvHart& h, const Decoded& d) { branch_if(h, d, h.x(d.rs1) >= h.x(d.rs2)); }},

    {"lb", "............ ..... 000 ..... 0000011", Imm::I, "rd,mem", load_into_x<std::uint8_t, std::int8_t>},
    {"lh", "............ ..... 001 ..... 0000011", Imm::I, "rd,mem", load_into_x<std::uint16_t, std::int16_t>},
    {"lw", "............ ..... 010 ..... 0000011", Imm::I, "rd,mem", load_into_x<std::uint32_t, std::int32_t>},
    {"ld", "............ ..... 011 ..... 0000011", Imm::I, "rd,mem", load_into_x<std::uint64_t, std::uint64_t>},
    {"lbu", "............ ..... 100 ..... 0000011", Imm::I, "rd,mem", load_into_x<std::uint8_t, std::uint8_t>},
    {"lhu", "............ ..... 101 ..... 0000011", Imm::I, "rd,mem", load_into_x<std::uint16_t, std::uint16_t>},
    {"lwu", "............ ..... 110 ..... 0000011", Imm::I, "rd,mem", load_into_x<std::uint32_t, std::uint32_t>},

    {"sb", "....... ..... ..... 000 ..... 0100011", Imm::S, "rs2,mem",
     [](RiscvHart& h, const Decoded& d) { h.store<std::uint8_t>(ea(h, d), static_cast<std::uint8_t>(h.x(d.rs2))); }},
    {"sh", "....... ..... ..... 001 ..... 0100011", Imm::S, "rs2,mem",
     [](RiscvHart& h, const Decoded& d) { h.store<std::uint16_t>(ea(h, d), static_cast<std::uint16_t>(h.x(d.rs2))); }},
    {"sw", "....... ..... ..... 010 ..... 0100011", Imm::S, "rs2,mem",
     [](RiscvHart& h, const Decoded& d) { h.store<std::uint32_t>(ea(h, d), static_cast<std::uint32_t>(h.x(d.rs2))); }},
    {"sd", "....... ..... ..... 011 ..... 0100011", Imm::S, "rs2,mem",
     [](RiscvHart& h, const Decoded& d) { h.store<std::uint64_t>(ea(h, d), h.x(d.rs2)); }},

    {"addi", "............ ..... 000 ..... 0010011", Imm::I, "rd,rs1,imm",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) + static_cast<u64>(d.imm)); }},
    {"slti", "............ ..... 010 ..... 0010011", Imm::I, "rd,rs1,imm",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, static_cast<i64>(h.x(d.rs1)) < d.imm); }},
    {"sltiu", "............ ..... 011 ..... 0010011", Imm::I, "rd,rs1,imm",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) < static_cast<u64>(d.imm)); }},
    {"xori", "............ ..... 100 ..... 0010011", Imm::I, "rd,rs1,imm",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) ^ static_cast<u64>(d.imm)); }},
    {"ori", "............ ..... 110 ..... 0010011", Imm::I, "rd,rs1,imm",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) | static_cast<u64>(d.imm)); }},
    {"andi", "............ ..... 111 ..... 0010011", Imm::I, "rd,rs1,imm",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) & static_cast<u64>(d.imm)); }},
    {"slli", "000000 ...... ..... 001 ..... 0010011", Imm::Shamt6, "rd,rs1,shamt",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) << d.imm); }},
    {"srli", "000000 ...... ..... 101 ..... 0010011", Imm::Shamt6, "rd,rs1,shamt",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) >> d.imm); }},
    {"srai", "010000 ...... ..... 101 ..... 0010011", Imm::Shamt6, "rd,rs1,shamt",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, static_cast<u64>(static_cast<i64>(h.x(d.rs1)) >> d.imm)); }},

    {"add", "0000000 ..... ..... 000 ..... 0110011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) + h.x(d.rs2)); }},
    {"sub", "0100000 ..... ..... 000 ..... 0110011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) - h.x(d.rs2)); }},
    {"sll", "0000000 ..... ..... 001 ..... 0110011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) << (h.x(d.rs2) & 63)); }},
    {"slt", "0000000 ..... ..... 010 ..... 0110011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, static_cast<i64>(h.x(d.rs1)) < static_cast<i64>(h.x(d.rs2))); }},
    {"sltu", "0000000 ..... ..... 011 ..... 0110011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) < h.x(d.rs2)); }},
    {"xor", "0000000 ..... ..... 100 ..... 0110011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) ^ h.x(d.rs2)); }},
    {"srl", "0000000 ..... ..... 101 ..... 0110011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) >> (h.x(d.rs2) & 63)); }},
    {"sra", "0100000 ..... ..... 101 ..... 0110011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) {
       h.set_x(d.rd, static_cast<u64>(static_cast<i64>(h.x(d.rs1)) >> (h.x(d.rs2) & 63)));
     }},
    {"or", "0000000 ..... ..... 110 ..... 0110011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) | h.x(d.rs2)); }},
    {"and", "0000000 ..... ..... 111 ..... 0110011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, h.x(d.rs1) & h.x(d.rs2)); }},

    {"addiw", "............ ..... 000 ..... 0011011", Imm::I, "rd,rs1,imm",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(h.x(d.rs1) + static_cast<u64>(d.imm))); }},
    {"slliw", "0000000 ..... ..... 001 ..... 0011011", Imm::Shamt5, "rd,rs1,shamt",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(h.x(d.rs1) << d.imm)); }},
    {"srliw", "0000000 ..... ..... 101 ..... 0011011", Imm::Shamt5, "rd,rs1,shamt",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(static_cast<u32>(h.x(d.rs1)) >> d.imm)); }},
    {"sraiw", "0100000 ..... ..... 101 ..... 0011011", Imm::Shamt5, "rd,rs1,shamt",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(static_cast<u32>(static_cast<i32>(h.x(d.rs1)) >> d.imm))); }},
    {"addw", "0000000 ..... ..... 000 ..... 0111011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(h.x(d.rs1) + h.x(d.rs2))); }},
    {"subw", "0100000 ..... ..... 000 ..... 0111011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(h.x(d.rs1) - h.x(d.rs2))); }},
    {"sllw", "0000000 ..... ..... 001 ..... 0111011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(h.x(d.rs1) << (h.x(d.rs2) & 31))); }},
    {"srlw", "0000000 ..... ..... 101 ..... 0111011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) { h.set_x(d.rd, sext32(static_cast<u32>(h.x(d.rs1)) >> (h.x(d.rs2) & 31))); }},
    {"sraw", "0100000 ..... ..... 101 ..... 0111011", Imm::None, "rd,rs1,rs2",
     [](RiscvHart& h, const Decoded& d) {
       h.set_x(d.rd, sext32(static_cast<u32>(static_cast<i32>(h.x(d.rs1)) >> (h.x(d.rs2) & 31))));
     }},

    // FENCE orders memory for other harts and devices; this machine executes
    // each hart's accesses in program order and one hart at a time, so every
    // ordering the instruction asks for already holds. Reserved fm/rs1/rd
    // values must be ignored (unprivileged spec, "Memory Ordering").
    {"fence.tso", "1000 0011 0011 ..... 000 ..... 0001111", Imm::Fence, "", [](RiscvHart&, const Decoded&) {}},
    {"fence", ".... .... .... ..... 000 ..... 0001111", Imm::Fence, "pred,succ", [](RiscvHart&, const Decoded&) {}},
};

}  // namespace

std::span<const InsnSpec> rv64i_insns() { return kInsns; }

}  // namespace orrery::riscv
