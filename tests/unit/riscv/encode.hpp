#pragma once
// Instruction encoders for the RISC-V unit tests, written from the
// unprivileged specification (Volume I) rather than from the emulator:
//   * the base formats R, I, S, B, U, J ("Base Instruction Formats" and
//     "Immediate Encoding Variants"), R4 for the fused multiply-adds, the AMO
//     layout with aq/rl ("A" chapter) and the CSR layout ("Zicsr" chapter);
//   * the major-opcode map ("RV32/64G Instruction Set Listings");
//   * the sixteen-bit formats CR, CI, CSS, CIW, CL, CS, CA, CB, CJ and the
//     RVC instruction listings ("C" chapter).
// Immediate bit scatterings are written in the manual's own notation, e.g.
// nzuimm[5:4|9:6|2|3], and expanded by scatter(), so each helper can be
// compared line by line with the specification's encoding tables.
//
// Assembly operand order is kept: stores are sw(rs2, rs1, imm) like
// "sw rs2, imm(rs1)", AMOs are amoadd_w(rd, rs2, rs1) like
// "amoadd.w rd, rs2, (rs1)", branches are beq(rs1, rs2, offset).
// Because `and`, `or`, `xor` are C++ keywords, those helpers end in '_'.
#include <cstdint>
#include <string_view>

namespace orrery::riscv::test::enc {

using u32 = std::uint32_t;
using i32 = std::int32_t;

// ---------------------------------------------------------------------------
// Registers (ABI names) and rounding modes.
// ---------------------------------------------------------------------------
enum : u32 {
  zero = 0, ra = 1, sp = 2, gp = 3, tp = 4, t0 = 5, t1 = 6, t2 = 7,
  s0 = 8, s1 = 9, a0 = 10, a1 = 11, a2 = 12, a3 = 13, a4 = 14, a5 = 15,
  a6 = 16, a7 = 17, s2 = 18, s3 = 19, s4 = 20, s5 = 21, s6 = 22, s7 = 23,
  s8 = 24, s9 = 25, s10 = 26, s11 = 27, t3 = 28, t4 = 29, t5 = 30, t6 = 31,
};

// Rounding-mode field values ("Floating-Point Control and Status Register").
enum Rm : u32 { RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4, DYN = 7 };

// Major opcodes (inst[6:0]).
enum Opcode : u32 {
  LOAD = 0x03, LOAD_FP = 0x07, MISC_MEM = 0x0f, OP_IMM = 0x13, AUIPC = 0x17, OP_IMM_32 = 0x1b,
  STORE = 0x23, STORE_FP = 0x27, AMO = 0x2f, OP = 0x33, LUI = 0x37, OP_32 = 0x3b,
  MADD = 0x43, MSUB = 0x47, NMSUB = 0x4b, NMADD = 0x4f, OP_FP = 0x53,
  BRANCH = 0x63, JALR = 0x67, JAL = 0x6f, SYSTEM = 0x73,
};

// ---------------------------------------------------------------------------
// scatter("12|10:5", imm): the bits of imm named by the layout, first-named
// bit most significant, packed into a field of the total width.
// ---------------------------------------------------------------------------
constexpr u32 scatter(std::string_view layout, u32 value) {
  u32 out = 0;
  std::size_t i = 0;
  auto number = [&]() {
    unsigned n = 0;
    while (i < layout.size() && layout[i] >= '0' && layout[i] <= '9') n = n * 10 + unsigned(layout[i++] - '0');
    return n;
  };
  while (i < layout.size()) {
    const unsigned hi = number();
    unsigned lo = hi;
    if (i < layout.size() && layout[i] == ':') {
      ++i;
      lo = number();
    }
    for (int b = int(hi); b >= int(lo); --b) out = (out << 1) | ((value >> b) & 1u);
    if (i < layout.size() && layout[i] == '|') ++i;
  }
  return out;
}

// ---------------------------------------------------------------------------
// 32-bit base formats.
// ---------------------------------------------------------------------------
constexpr u32 r_type(u32 opcode, u32 rd, u32 funct3, u32 rs1, u32 rs2, u32 funct7) {
  return (funct7 & 0x7f) << 25 | (rs2 & 31) << 20 | (rs1 & 31) << 15 | (funct3 & 7) << 12 | (rd & 31) << 7 |
         (opcode & 0x7f);
}
constexpr u32 i_type(u32 opcode, u32 rd, u32 funct3, u32 rs1, i32 imm) {
  return scatter("11:0", u32(imm)) << 20 | (rs1 & 31) << 15 | (funct3 & 7) << 12 | (rd & 31) << 7 | (opcode & 0x7f);
}
constexpr u32 s_type(u32 opcode, u32 funct3, u32 rs1, u32 rs2, i32 imm) {
  return scatter("11:5", u32(imm)) << 25 | (rs2 & 31) << 20 | (rs1 & 31) << 15 | (funct3 & 7) << 12 |
         scatter("4:0", u32(imm)) << 7 | (opcode & 0x7f);
}
constexpr u32 b_type(u32 funct3, u32 rs1, u32 rs2, i32 offset) {
  return scatter("12|10:5", u32(offset)) << 25 | (rs2 & 31) << 20 | (rs1 & 31) << 15 | (funct3 & 7) << 12 |
         scatter("4:1|11", u32(offset)) << 7 | BRANCH;
}
// imm20 is the value of inst[31:12] (what the assembler writes for lui/auipc).
constexpr u32 u_type(u32 opcode, u32 rd, u32 imm20) { return (imm20 & 0xfffff) << 12 | (rd & 31) << 7 | opcode; }
constexpr u32 j_type(u32 rd, i32 offset) { return scatter("20|10:1|11|19:12", u32(offset)) << 12 | (rd & 31) << 7 | JAL; }
constexpr u32 r4_type(u32 opcode, u32 rd, u32 rm, u32 rs1, u32 rs2, u32 fmt, u32 rs3) {
  return (rs3 & 31) << 27 | (fmt & 3) << 25 | (rs2 & 31) << 20 | (rs1 & 31) << 15 | (rm & 7) << 12 | (rd & 31) << 7 |
         opcode;
}
constexpr u32 amo_type(u32 funct5, u32 funct3, u32 rd, u32 rs1, u32 rs2, bool aq, bool rl) {
  return (funct5 & 31) << 27 | u32(aq) << 26 | u32(rl) << 25 | (rs2 & 31) << 20 | (rs1 & 31) << 15 |
         (funct3 & 7) << 12 | (rd & 31) << 7 | AMO;
}
constexpr u32 csr_type(u32 funct3, u32 rd, u32 csr, u32 rs1_or_uimm) {
  return (csr & 0xfff) << 20 | (rs1_or_uimm & 31) << 15 | (funct3 & 7) << 12 | (rd & 31) << 7 | SYSTEM;
}

// ---------------------------------------------------------------------------
// RV64I
// ---------------------------------------------------------------------------
constexpr u32 lui(u32 rd, u32 imm20) { return u_type(LUI, rd, imm20); }
constexpr u32 auipc(u32 rd, u32 imm20) { return u_type(AUIPC, rd, imm20); }
constexpr u32 jal(u32 rd, i32 offset) { return j_type(rd, offset); }
constexpr u32 jalr(u32 rd, u32 rs1, i32 imm) { return i_type(JALR, rd, 0, rs1, imm); }

constexpr u32 beq(u32 rs1, u32 rs2, i32 off) { return b_type(0, rs1, rs2, off); }
constexpr u32 bne(u32 rs1, u32 rs2, i32 off) { return b_type(1, rs1, rs2, off); }
constexpr u32 blt(u32 rs1, u32 rs2, i32 off) { return b_type(4, rs1, rs2, off); }
constexpr u32 bge(u32 rs1, u32 rs2, i32 off) { return b_type(5, rs1, rs2, off); }
constexpr u32 bltu(u32 rs1, u32 rs2, i32 off) { return b_type(6, rs1, rs2, off); }
constexpr u32 bgeu(u32 rs1, u32 rs2, i32 off) { return b_type(7, rs1, rs2, off); }

constexpr u32 lb(u32 rd, u32 rs1, i32 imm) { return i_type(LOAD, rd, 0, rs1, imm); }
constexpr u32 lh(u32 rd, u32 rs1, i32 imm) { return i_type(LOAD, rd, 1, rs1, imm); }
constexpr u32 lw(u32 rd, u32 rs1, i32 imm) { return i_type(LOAD, rd, 2, rs1, imm); }
constexpr u32 ld(u32 rd, u32 rs1, i32 imm) { return i_type(LOAD, rd, 3, rs1, imm); }
constexpr u32 lbu(u32 rd, u32 rs1, i32 imm) { return i_type(LOAD, rd, 4, rs1, imm); }
constexpr u32 lhu(u32 rd, u32 rs1, i32 imm) { return i_type(LOAD, rd, 5, rs1, imm); }
constexpr u32 lwu(u32 rd, u32 rs1, i32 imm) { return i_type(LOAD, rd, 6, rs1, imm); }

constexpr u32 sb(u32 rs2, u32 rs1, i32 imm) { return s_type(STORE, 0, rs1, rs2, imm); }
constexpr u32 sh(u32 rs2, u32 rs1, i32 imm) { return s_type(STORE, 1, rs1, rs2, imm); }
constexpr u32 sw(u32 rs2, u32 rs1, i32 imm) { return s_type(STORE, 2, rs1, rs2, imm); }
constexpr u32 sd(u32 rs2, u32 rs1, i32 imm) { return s_type(STORE, 3, rs1, rs2, imm); }

constexpr u32 addi(u32 rd, u32 rs1, i32 imm) { return i_type(OP_IMM, rd, 0, rs1, imm); }
constexpr u32 slti(u32 rd, u32 rs1, i32 imm) { return i_type(OP_IMM, rd, 2, rs1, imm); }
constexpr u32 sltiu(u32 rd, u32 rs1, i32 imm) { return i_type(OP_IMM, rd, 3, rs1, imm); }
constexpr u32 xori(u32 rd, u32 rs1, i32 imm) { return i_type(OP_IMM, rd, 4, rs1, imm); }
constexpr u32 ori(u32 rd, u32 rs1, i32 imm) { return i_type(OP_IMM, rd, 6, rs1, imm); }
constexpr u32 andi(u32 rd, u32 rs1, i32 imm) { return i_type(OP_IMM, rd, 7, rs1, imm); }
// RV64I shifts by immediate: imm[11:6] is the funct6 (000000 or 010000),
// imm[5:0] the shift amount.
constexpr u32 slli(u32 rd, u32 rs1, u32 shamt) { return i_type(OP_IMM, rd, 1, rs1, i32(shamt & 63)); }
constexpr u32 srli(u32 rd, u32 rs1, u32 shamt) { return i_type(OP_IMM, rd, 5, rs1, i32(shamt & 63)); }
constexpr u32 srai(u32 rd, u32 rs1, u32 shamt) { return i_type(OP_IMM, rd, 5, rs1, i32(0x400 | (shamt & 63))); }

constexpr u32 add(u32 rd, u32 rs1, u32 rs2) { return r_type(OP, rd, 0, rs1, rs2, 0x00); }
constexpr u32 sub(u32 rd, u32 rs1, u32 rs2) { return r_type(OP, rd, 0, rs1, rs2, 0x20); }
constexpr u32 sll(u32 rd, u32 rs1, u32 rs2) { return r_type(OP, rd, 1, rs1, rs2, 0x00); }
constexpr u32 slt(u32 rd, u32 rs1, u32 rs2) { return r_type(OP, rd, 2, rs1, rs2, 0x00); }
constexpr u32 sltu(u32 rd, u32 rs1, u32 rs2) { return r_type(OP, rd, 3, rs1, rs2, 0x00); }
constexpr u32 xor_(u32 rd, u32 rs1, u32 rs2) { return r_type(OP, rd, 4, rs1, rs2, 0x00); }
constexpr u32 srl(u32 rd, u32 rs1, u32 rs2) { return r_type(OP, rd, 5, rs1, rs2, 0x00); }
constexpr u32 sra(u32 rd, u32 rs1, u32 rs2) { return r_type(OP, rd, 5, rs1, rs2, 0x20); }
constexpr u32 or_(u32 rd, u32 rs1, u32 rs2) { return r_type(OP, rd, 6, rs1, rs2, 0x00); }
constexpr u32 and_(u32 rd, u32 rs1, u32 rs2) { return r_type(OP, rd, 7, rs1, rs2, 0x00); }

constexpr u32 addiw(u32 rd, u32 rs1, i32 imm) { return i_type(OP_IMM_32, rd, 0, rs1, imm); }
constexpr u32 slliw(u32 rd, u32 rs1, u32 shamt) { return i_type(OP_IMM_32, rd, 1, rs1, i32(shamt & 31)); }
constexpr u32 srliw(u32 rd, u32 rs1, u32 shamt) { return i_type(OP_IMM_32, rd, 5, rs1, i32(shamt & 31)); }
constexpr u32 sraiw(u32 rd, u32 rs1, u32 shamt) { return i_type(OP_IMM_32, rd, 5, rs1, i32(0x400 | (shamt & 31))); }
constexpr u32 addw(u32 rd, u32 rs1, u32 rs2) { return r_type(OP_32, rd, 0, rs1, rs2, 0x00); }
constexpr u32 subw(u32 rd, u32 rs1, u32 rs2) { return r_type(OP_32, rd, 0, rs1, rs2, 0x20); }
constexpr u32 sllw(u32 rd, u32 rs1, u32 rs2) { return r_type(OP_32, rd, 1, rs1, rs2, 0x00); }
constexpr u32 srlw(u32 rd, u32 rs1, u32 rs2) { return r_type(OP_32, rd, 5, rs1, rs2, 0x00); }
constexpr u32 sraw(u32 rd, u32 rs1, u32 rs2) { return r_type(OP_32, rd, 5, rs1, rs2, 0x20); }

// FENCE: fm[31:28] pred[27:24] succ[23:20]; pred/succ bits are I, O, R, W.
enum FenceSet : u32 { FW = 1, FR = 2, FO = 4, FI = 8, FRW = 3, FIORW = 15 };
constexpr u32 fence(u32 pred, u32 succ, u32 fm = 0) {
  return i_type(MISC_MEM, 0, 0, 0, i32((fm & 15) << 8 | (pred & 15) << 4 | (succ & 15)));
}
constexpr u32 fence_tso() { return fence(FRW, FRW, 0b1000); }
constexpr u32 fence_i() { return i_type(MISC_MEM, 0, 1, 0, 0); }  // Zifencei

// SYSTEM: funct12 in the I-immediate.
constexpr u32 ecall() { return i_type(SYSTEM, 0, 0, 0, 0x000); }
constexpr u32 ebreak() { return i_type(SYSTEM, 0, 0, 0, 0x001); }
constexpr u32 sret() { return i_type(SYSTEM, 0, 0, 0, 0x102); }
constexpr u32 wfi() { return i_type(SYSTEM, 0, 0, 0, 0x105); }
constexpr u32 mret() { return i_type(SYSTEM, 0, 0, 0, 0x302); }
constexpr u32 sfence_vma(u32 rs1, u32 rs2) { return r_type(SYSTEM, 0, 0, rs1, rs2, 0b0001001); }

// ---------------------------------------------------------------------------
// Zicsr
// ---------------------------------------------------------------------------
constexpr u32 csrrw(u32 rd, u32 csr, u32 rs1) { return csr_type(1, rd, csr, rs1); }
constexpr u32 csrrs(u32 rd, u32 csr, u32 rs1) { return csr_type(2, rd, csr, rs1); }
constexpr u32 csrrc(u32 rd, u32 csr, u32 rs1) { return csr_type(3, rd, csr, rs1); }
constexpr u32 csrrwi(u32 rd, u32 csr, u32 uimm) { return csr_type(5, rd, csr, uimm); }
constexpr u32 csrrsi(u32 rd, u32 csr, u32 uimm) { return csr_type(6, rd, csr, uimm); }
constexpr u32 csrrci(u32 rd, u32 csr, u32 uimm) { return csr_type(7, rd, csr, uimm); }
constexpr u32 csrr(u32 rd, u32 csr) { return csrrs(rd, csr, zero); }
constexpr u32 csrw(u32 csr, u32 rs1) { return csrrw(zero, csr, rs1); }

// ---------------------------------------------------------------------------
// M
// ---------------------------------------------------------------------------
constexpr u32 mul(u32 rd, u32 rs1, u32 rs2) { return r_type(OP, rd, 0, rs1, rs2, 0x01); }
constexpr u32 mulh(u32 rd, u32 rs1, u32 rs2) { return r_type(OP, rd, 1, rs1, rs2, 0x01); }
constexpr u32 mulhsu(u32 rd, u32 rs1, u32 rs2) { return r_type(OP, rd, 2, rs1, rs2, 0x01); }
constexpr u32 mulhu(u32 rd, u32 rs1, u32 rs2) { return r_type(OP, rd, 3, rs1, rs2, 0x01); }
constexpr u32 div(u32 rd, u32 rs1, u32 rs2) { return r_type(OP, rd, 4, rs1, rs2, 0x01); }
constexpr u32 divu(u32 rd, u32 rs1, u32 rs2) { return r_type(OP, rd, 5, rs1, rs2, 0x01); }
constexpr u32 rem(u32 rd, u32 rs1, u32 rs2) { return r_type(OP, rd, 6, rs1, rs2, 0x01); }
constexpr u32 remu(u32 rd, u32 rs1, u32 rs2) { return r_type(OP, rd, 7, rs1, rs2, 0x01); }
constexpr u32 mulw(u32 rd, u32 rs1, u32 rs2) { return r_type(OP_32, rd, 0, rs1, rs2, 0x01); }
constexpr u32 divw(u32 rd, u32 rs1, u32 rs2) { return r_type(OP_32, rd, 4, rs1, rs2, 0x01); }
constexpr u32 divuw(u32 rd, u32 rs1, u32 rs2) { return r_type(OP_32, rd, 5, rs1, rs2, 0x01); }
constexpr u32 remw(u32 rd, u32 rs1, u32 rs2) { return r_type(OP_32, rd, 6, rs1, rs2, 0x01); }
constexpr u32 remuw(u32 rd, u32 rs1, u32 rs2) { return r_type(OP_32, rd, 7, rs1, rs2, 0x01); }

// ---------------------------------------------------------------------------
// A (funct5 values from the "A" chapter; width funct3 010 = .W, 011 = .D)
// ---------------------------------------------------------------------------
enum AmoOp : u32 {
  AMOADD = 0b00000, AMOSWAP = 0b00001, LR = 0b00010, SC = 0b00011, AMOXOR = 0b00100, AMOOR = 0b01000,
  AMOAND = 0b01100, AMOMIN = 0b10000, AMOMAX = 0b10100, AMOMINU = 0b11000, AMOMAXU = 0b11100,
};
constexpr u32 kW = 2, kD = 3;
constexpr u32 lr_w(u32 rd, u32 rs1, bool aq = false, bool rl = false) { return amo_type(LR, kW, rd, rs1, 0, aq, rl); }
constexpr u32 lr_d(u32 rd, u32 rs1, bool aq = false, bool rl = false) { return amo_type(LR, kD, rd, rs1, 0, aq, rl); }
#define ORRERY_ENC_AMO(name, op)                                                                         \
  constexpr u32 name##_w(u32 rd, u32 rs2, u32 rs1, bool aq = false, bool rl = false) {                  \
    return amo_type(op, kW, rd, rs1, rs2, aq, rl);                                                       \
  }                                                                                                      \
  constexpr u32 name##_d(u32 rd, u32 rs2, u32 rs1, bool aq = false, bool rl = false) {                  \
    return amo_type(op, kD, rd, rs1, rs2, aq, rl);                                                       \
  }
ORRERY_ENC_AMO(sc, SC)
ORRERY_ENC_AMO(amoswap, AMOSWAP)
ORRERY_ENC_AMO(amoadd, AMOADD)
ORRERY_ENC_AMO(amoxor, AMOXOR)
ORRERY_ENC_AMO(amoand, AMOAND)
ORRERY_ENC_AMO(amoor, AMOOR)
ORRERY_ENC_AMO(amomin, AMOMIN)
ORRERY_ENC_AMO(amomax, AMOMAX)
ORRERY_ENC_AMO(amominu, AMOMINU)
ORRERY_ENC_AMO(amomaxu, AMOMAXU)
#undef ORRERY_ENC_AMO

// ---------------------------------------------------------------------------
// F and D. OP-FP: funct7 = funct5 << 2 | fmt (fmt S = 00, D = 01).
// ---------------------------------------------------------------------------
enum Fmt : u32 { FMT_S = 0, FMT_D = 1, FMT_H = 2, FMT_Q = 3 };
constexpr u32 fp_op(u32 funct5, u32 fmt, u32 rd, u32 rs1, u32 rs2, u32 funct3) {
  return r_type(OP_FP, rd, funct3, rs1, rs2, (funct5 & 31) << 2 | (fmt & 3));
}

constexpr u32 flw(u32 rd, u32 rs1, i32 imm) { return i_type(LOAD_FP, rd, 2, rs1, imm); }
constexpr u32 fld(u32 rd, u32 rs1, i32 imm) { return i_type(LOAD_FP, rd, 3, rs1, imm); }
constexpr u32 fsw(u32 rs2, u32 rs1, i32 imm) { return s_type(STORE_FP, 2, rs1, rs2, imm); }
constexpr u32 fsd(u32 rs2, u32 rs1, i32 imm) { return s_type(STORE_FP, 3, rs1, rs2, imm); }

#define ORRERY_ENC_FP(sfx, fmt, wrm)                                                                                \
  constexpr u32 fmadd_##sfx(u32 rd, u32 rs1, u32 rs2, u32 rs3, u32 rm = DYN) {                                   \
    return r4_type(MADD, rd, rm, rs1, rs2, fmt, rs3);                                                            \
  }                                                                                                              \
  constexpr u32 fmsub_##sfx(u32 rd, u32 rs1, u32 rs2, u32 rs3, u32 rm = DYN) {                                   \
    return r4_type(MSUB, rd, rm, rs1, rs2, fmt, rs3);                                                            \
  }                                                                                                              \
  constexpr u32 fnmsub_##sfx(u32 rd, u32 rs1, u32 rs2, u32 rs3, u32 rm = DYN) {                                  \
    return r4_type(NMSUB, rd, rm, rs1, rs2, fmt, rs3);                                                           \
  }                                                                                                              \
  constexpr u32 fnmadd_##sfx(u32 rd, u32 rs1, u32 rs2, u32 rs3, u32 rm = DYN) {                                  \
    return r4_type(NMADD, rd, rm, rs1, rs2, fmt, rs3);                                                           \
  }                                                                                                              \
  constexpr u32 fadd_##sfx(u32 rd, u32 rs1, u32 rs2, u32 rm = DYN) { return fp_op(0b00000, fmt, rd, rs1, rs2, rm); } \
  constexpr u32 fsub_##sfx(u32 rd, u32 rs1, u32 rs2, u32 rm = DYN) { return fp_op(0b00001, fmt, rd, rs1, rs2, rm); } \
  constexpr u32 fmul_##sfx(u32 rd, u32 rs1, u32 rs2, u32 rm = DYN) { return fp_op(0b00010, fmt, rd, rs1, rs2, rm); } \
  constexpr u32 fdiv_##sfx(u32 rd, u32 rs1, u32 rs2, u32 rm = DYN) { return fp_op(0b00011, fmt, rd, rs1, rs2, rm); } \
  constexpr u32 fsqrt_##sfx(u32 rd, u32 rs1, u32 rm = DYN) { return fp_op(0b01011, fmt, rd, rs1, 0, rm); }          \
  constexpr u32 fsgnj_##sfx(u32 rd, u32 rs1, u32 rs2) { return fp_op(0b00100, fmt, rd, rs1, rs2, 0); }              \
  constexpr u32 fsgnjn_##sfx(u32 rd, u32 rs1, u32 rs2) { return fp_op(0b00100, fmt, rd, rs1, rs2, 1); }             \
  constexpr u32 fsgnjx_##sfx(u32 rd, u32 rs1, u32 rs2) { return fp_op(0b00100, fmt, rd, rs1, rs2, 2); }             \
  constexpr u32 fmin_##sfx(u32 rd, u32 rs1, u32 rs2) { return fp_op(0b00101, fmt, rd, rs1, rs2, 0); }               \
  constexpr u32 fmax_##sfx(u32 rd, u32 rs1, u32 rs2) { return fp_op(0b00101, fmt, rd, rs1, rs2, 1); }               \
  constexpr u32 fle_##sfx(u32 rd, u32 rs1, u32 rs2) { return fp_op(0b10100, fmt, rd, rs1, rs2, 0); }                \
  constexpr u32 flt_##sfx(u32 rd, u32 rs1, u32 rs2) { return fp_op(0b10100, fmt, rd, rs1, rs2, 1); }                \
  constexpr u32 feq_##sfx(u32 rd, u32 rs1, u32 rs2) { return fp_op(0b10100, fmt, rd, rs1, rs2, 2); }                \
  constexpr u32 fclass_##sfx(u32 rd, u32 rs1) { return fp_op(0b11100, fmt, rd, rs1, 0, 1); }                        \
  constexpr u32 fcvt_w_##sfx(u32 rd, u32 rs1, u32 rm = DYN) { return fp_op(0b11000, fmt, rd, rs1, 0, rm); }         \
  constexpr u32 fcvt_wu_##sfx(u32 rd, u32 rs1, u32 rm = DYN) { return fp_op(0b11000, fmt, rd, rs1, 1, rm); }        \
  constexpr u32 fcvt_l_##sfx(u32 rd, u32 rs1, u32 rm = DYN) { return fp_op(0b11000, fmt, rd, rs1, 2, rm); }         \
  constexpr u32 fcvt_lu_##sfx(u32 rd, u32 rs1, u32 rm = DYN) { return fp_op(0b11000, fmt, rd, rs1, 3, rm); }        \
  constexpr u32 fcvt_##sfx##_w(u32 rd, u32 rs1, u32 rm = wrm) { return fp_op(0b11010, fmt, rd, rs1, 0, rm); }       \
  constexpr u32 fcvt_##sfx##_wu(u32 rd, u32 rs1, u32 rm = wrm) { return fp_op(0b11010, fmt, rd, rs1, 1, rm); }      \
  constexpr u32 fcvt_##sfx##_l(u32 rd, u32 rs1, u32 rm = DYN) { return fp_op(0b11010, fmt, rd, rs1, 2, rm); }       \
  constexpr u32 fcvt_##sfx##_lu(u32 rd, u32 rs1, u32 rm = DYN) { return fp_op(0b11010, fmt, rd, rs1, 3, rm); }
// The rm default is DYN, except for the conversions that are always exact
// (FCVT.D.W, FCVT.D.WU, FCVT.D.S), where the spec asks software to write RNE
// and assemblers do so.
ORRERY_ENC_FP(s, FMT_S, DYN)
ORRERY_ENC_FP(d, FMT_D, RNE)
#undef ORRERY_ENC_FP

constexpr u32 fmv_x_w(u32 rd, u32 rs1) { return fp_op(0b11100, FMT_S, rd, rs1, 0, 0); }
constexpr u32 fmv_w_x(u32 rd, u32 rs1) { return fp_op(0b11110, FMT_S, rd, rs1, 0, 0); }
constexpr u32 fmv_x_d(u32 rd, u32 rs1) { return fp_op(0b11100, FMT_D, rd, rs1, 0, 0); }
constexpr u32 fmv_d_x(u32 rd, u32 rs1) { return fp_op(0b11110, FMT_D, rd, rs1, 0, 0); }
// FCVT between formats: funct5 01000, fmt = destination, rs2 = source fmt.
constexpr u32 fcvt_s_d(u32 rd, u32 rs1, u32 rm = DYN) { return fp_op(0b01000, FMT_S, rd, rs1, FMT_D, rm); }
constexpr u32 fcvt_d_s(u32 rd, u32 rs1, u32 rm = RNE) { return fp_op(0b01000, FMT_D, rd, rs1, FMT_S, rm); }

// ---------------------------------------------------------------------------
// C: sixteen-bit formats. rd'/rs1'/rs2' arguments are full register numbers
// x8..x15 (f8..f15); the three-bit field holds the number minus 8.
// ---------------------------------------------------------------------------
constexpr u32 creg(u32 r) { return (r - 8) & 7; }

constexpr u32 cr_type(u32 funct4, u32 rd_rs1, u32 rs2, u32 op) {
  return (funct4 & 15) << 12 | (rd_rs1 & 31) << 7 | (rs2 & 31) << 2 | op;
}
// CI/CSS/CIW/CL/CS/CB/CJ: the caller passes already-scattered immediate fields.
constexpr u32 ci_type(u32 funct3, u32 imm12, u32 rd_rs1, u32 imm6_2, u32 op) {
  return funct3 << 13 | (imm12 & 1) << 12 | (rd_rs1 & 31) << 7 | (imm6_2 & 31) << 2 | op;
}
constexpr u32 css_type(u32 funct3, u32 imm12_7, u32 rs2, u32 op) {
  return funct3 << 13 | (imm12_7 & 63) << 7 | (rs2 & 31) << 2 | op;
}
constexpr u32 ciw_type(u32 funct3, u32 imm12_5, u32 rdp, u32 op) {
  return funct3 << 13 | (imm12_5 & 255) << 5 | creg(rdp) << 2 | op;
}
constexpr u32 cl_type(u32 funct3, u32 imm12_10, u32 rs1p, u32 imm6_5, u32 rdp, u32 op) {
  return funct3 << 13 | (imm12_10 & 7) << 10 | creg(rs1p) << 7 | (imm6_5 & 3) << 5 | creg(rdp) << 2 | op;
}
constexpr u32 cs_type(u32 funct3, u32 imm12_10, u32 rs1p, u32 imm6_5, u32 rs2p, u32 op) {
  return cl_type(funct3, imm12_10, rs1p, imm6_5, rs2p, op);
}
constexpr u32 ca_type(u32 funct6, u32 rdp, u32 funct2, u32 rs2p, u32 op) {
  return (funct6 & 63) << 10 | creg(rdp) << 7 | (funct2 & 3) << 5 | creg(rs2p) << 2 | op;
}
constexpr u32 cb_type(u32 funct3, u32 off12_10, u32 rs1p, u32 off6_2, u32 op) {
  return funct3 << 13 | (off12_10 & 7) << 10 | creg(rs1p) << 7 | (off6_2 & 31) << 2 | op;
}
constexpr u32 cj_type(u32 funct3, u32 target12_2, u32 op) { return funct3 << 13 | (target12_2 & 0x7ff) << 2 | op; }

// Quadrant 0
constexpr u32 c_addi4spn(u32 rdp, u32 nzuimm) { return ciw_type(0b000, scatter("5:4|9:6|2|3", nzuimm), rdp, 0b00); }
constexpr u32 c_fld(u32 rdp, u32 rs1p, u32 uimm) {
  return cl_type(0b001, scatter("5:3", uimm), rs1p, scatter("7:6", uimm), rdp, 0b00);
}
constexpr u32 c_lw(u32 rdp, u32 rs1p, u32 uimm) {
  return cl_type(0b010, scatter("5:3", uimm), rs1p, scatter("2|6", uimm), rdp, 0b00);
}
constexpr u32 c_ld(u32 rdp, u32 rs1p, u32 uimm) {
  return cl_type(0b011, scatter("5:3", uimm), rs1p, scatter("7:6", uimm), rdp, 0b00);
}
constexpr u32 c_fsd(u32 rs2p, u32 rs1p, u32 uimm) {
  return cs_type(0b101, scatter("5:3", uimm), rs1p, scatter("7:6", uimm), rs2p, 0b00);
}
constexpr u32 c_sw(u32 rs2p, u32 rs1p, u32 uimm) {
  return cs_type(0b110, scatter("5:3", uimm), rs1p, scatter("2|6", uimm), rs2p, 0b00);
}
constexpr u32 c_sd(u32 rs2p, u32 rs1p, u32 uimm) {
  return cs_type(0b111, scatter("5:3", uimm), rs1p, scatter("7:6", uimm), rs2p, 0b00);
}

// Quadrant 1
constexpr u32 c_addi(u32 rd, i32 imm) { return ci_type(0b000, scatter("5", u32(imm)), rd, scatter("4:0", u32(imm)), 0b01); }
constexpr u32 c_nop() { return c_addi(0, 0); }
constexpr u32 c_addiw(u32 rd, i32 imm) {
  return ci_type(0b001, scatter("5", u32(imm)), rd, scatter("4:0", u32(imm)), 0b01);
}
constexpr u32 c_li(u32 rd, i32 imm) { return ci_type(0b010, scatter("5", u32(imm)), rd, scatter("4:0", u32(imm)), 0b01); }
constexpr u32 c_addi16sp(i32 nzimm) {
  return ci_type(0b011, scatter("9", u32(nzimm)), sp, scatter("4|6|8:7|5", u32(nzimm)), 0b01);
}
// nzimm is the value loaded into rd, i.e. a multiple of 4096 in [-2^17, 2^17).
constexpr u32 c_lui(u32 rd, i32 nzimm) {
  return ci_type(0b011, scatter("17", u32(nzimm)), rd, scatter("16:12", u32(nzimm)), 0b01);
}
constexpr u32 c_srli(u32 rdp, u32 shamt) {
  return cb_type(0b100, scatter("5", shamt) << 2 | 0b00, rdp, scatter("4:0", shamt), 0b01);
}
constexpr u32 c_srai(u32 rdp, u32 shamt) {
  return cb_type(0b100, scatter("5", shamt) << 2 | 0b01, rdp, scatter("4:0", shamt), 0b01);
}
constexpr u32 c_andi(u32 rdp, i32 imm) {
  return cb_type(0b100, scatter("5", u32(imm)) << 2 | 0b10, rdp, scatter("4:0", u32(imm)), 0b01);
}
constexpr u32 c_sub(u32 rdp, u32 rs2p) { return ca_type(0b100011, rdp, 0b00, rs2p, 0b01); }
constexpr u32 c_xor(u32 rdp, u32 rs2p) { return ca_type(0b100011, rdp, 0b01, rs2p, 0b01); }
constexpr u32 c_or(u32 rdp, u32 rs2p) { return ca_type(0b100011, rdp, 0b10, rs2p, 0b01); }
constexpr u32 c_and(u32 rdp, u32 rs2p) { return ca_type(0b100011, rdp, 0b11, rs2p, 0b01); }
constexpr u32 c_subw(u32 rdp, u32 rs2p) { return ca_type(0b100111, rdp, 0b00, rs2p, 0b01); }
constexpr u32 c_addw(u32 rdp, u32 rs2p) { return ca_type(0b100111, rdp, 0b01, rs2p, 0b01); }
constexpr u32 c_j(i32 offset) { return cj_type(0b101, scatter("11|4|9:8|10|6|7|3:1|5", u32(offset)), 0b01); }
constexpr u32 c_beqz(u32 rs1p, i32 offset) {
  return cb_type(0b110, scatter("8|4:3", u32(offset)), rs1p, scatter("7:6|2:1|5", u32(offset)), 0b01);
}
constexpr u32 c_bnez(u32 rs1p, i32 offset) {
  return cb_type(0b111, scatter("8|4:3", u32(offset)), rs1p, scatter("7:6|2:1|5", u32(offset)), 0b01);
}

// Quadrant 2
constexpr u32 c_slli(u32 rd, u32 shamt) { return ci_type(0b000, scatter("5", shamt), rd, scatter("4:0", shamt), 0b10); }
constexpr u32 c_fldsp(u32 rd, u32 uimm) { return ci_type(0b001, scatter("5", uimm), rd, scatter("4:3|8:6", uimm), 0b10); }
constexpr u32 c_lwsp(u32 rd, u32 uimm) { return ci_type(0b010, scatter("5", uimm), rd, scatter("4:2|7:6", uimm), 0b10); }
constexpr u32 c_ldsp(u32 rd, u32 uimm) { return ci_type(0b011, scatter("5", uimm), rd, scatter("4:3|8:6", uimm), 0b10); }
constexpr u32 c_jr(u32 rs1) { return cr_type(0b1000, rs1, 0, 0b10); }
constexpr u32 c_mv(u32 rd, u32 rs2) { return cr_type(0b1000, rd, rs2, 0b10); }
constexpr u32 c_ebreak() { return cr_type(0b1001, 0, 0, 0b10); }
constexpr u32 c_jalr(u32 rs1) { return cr_type(0b1001, rs1, 0, 0b10); }
constexpr u32 c_add(u32 rd, u32 rs2) { return cr_type(0b1001, rd, rs2, 0b10); }
constexpr u32 c_fsdsp(u32 rs2, u32 uimm) { return css_type(0b101, scatter("5:3|8:6", uimm), rs2, 0b10); }
constexpr u32 c_swsp(u32 rs2, u32 uimm) { return css_type(0b110, scatter("5:2|7:6", uimm), rs2, 0b10); }
constexpr u32 c_sdsp(u32 rs2, u32 uimm) { return css_type(0b111, scatter("5:3|8:6", uimm), rs2, 0b10); }

}  // namespace orrery::riscv::test::enc
