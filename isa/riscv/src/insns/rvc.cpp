// "C" extension: each 16-bit encoding expands to the 32-bit instruction the
// unprivileged spec defines it as ("C" chapter, RVC instruction listings for
// RV64). Reserved encodings expand to 0, which decodes as illegal.
#include "common.hpp"

namespace orrery::riscv {
namespace {
using namespace insn;

// Field helpers on the 16-bit instruction.
constexpr u32 bits(u32 c, unsigned hi, unsigned lo) { return (c >> lo) & ((1u << (hi - lo + 1)) - 1); }
constexpr u32 bit(u32 c, unsigned b) { return (c >> b) & 1; }
constexpr u32 rd_full(u32 c) { return bits(c, 11, 7); }
constexpr u32 rs2_full(u32 c) { return bits(c, 6, 2); }
constexpr u32 rd_prime(u32 c) { return 8 + bits(c, 4, 2); }   // rd'/rs2' in bits 4:2
constexpr u32 rs1_prime(u32 c) { return 8 + bits(c, 9, 7); }  // rs1'/rd' in bits 9:7
constexpr i32 sext(u32 v, unsigned width) { return static_cast<i32>(v << (32 - width)) >> (32 - width); }
// CI-format 6-bit immediate: imm[5] = c[12], imm[4:0] = c[6:2].
constexpr i32 ci_imm(u32 c) { return sext((bit(c, 12) << 5) | bits(c, 6, 2), 6); }

// 32-bit encoders (base formats).
constexpr u32 enc_i(u32 op, u32 rd, u32 f3, u32 rs1, i32 imm) {
  return (static_cast<u32>(imm) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
constexpr u32 enc_r(u32 op, u32 rd, u32 f3, u32 rs1, u32 rs2, u32 f7) {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
constexpr u32 enc_s(u32 op, u32 f3, u32 rs1, u32 rs2, i32 imm) {
  const u32 u = static_cast<u32>(imm);
  return ((u >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((u & 31) << 7) | op;
}
constexpr u32 enc_b(u32 f3, u32 rs1, u32 rs2, i32 imm) {
  const u32 u = static_cast<u32>(imm);
  return (bit(u, 12) << 31) | (bits(u, 10, 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (bits(u, 4, 1) << 8) |
         (bit(u, 11) << 7) | 0x63;
}
constexpr u32 enc_j(u32 rd, i32 imm) {
  const u32 u = static_cast<u32>(imm);
  return (bit(u, 20) << 31) | (bits(u, 10, 1) << 21) | (bit(u, 11) << 20) | (bits(u, 19, 12) << 12) | (rd << 7) | 0x6f;
}

constexpr u32 kOpImm = 0x13, kOpImm32 = 0x1b, kOp = 0x33, kOp32 = 0x3b, kLoad = 0x03, kStore = 0x23;
constexpr u32 kLoadFp = 0x07, kStoreFp = 0x27, kLui = 0x37, kJalr = 0x67;

// Scaled unsigned offsets of the load/store forms.
constexpr u32 cl_w_off(u32 c) { return (bits(c, 12, 10) << 3) | (bit(c, 6) << 2) | (bit(c, 5) << 6); }
constexpr u32 cl_d_off(u32 c) { return (bits(c, 12, 10) << 3) | (bits(c, 6, 5) << 6); }
constexpr u32 ci_lwsp_off(u32 c) { return (bit(c, 12) << 5) | (bits(c, 6, 4) << 2) | (bits(c, 3, 2) << 6); }
constexpr u32 ci_ldsp_off(u32 c) { return (bit(c, 12) << 5) | (bits(c, 6, 5) << 3) | (bits(c, 4, 2) << 6); }
constexpr u32 css_swsp_off(u32 c) { return (bits(c, 12, 9) << 2) | (bits(c, 8, 7) << 6); }
constexpr u32 css_sdsp_off(u32 c) { return (bits(c, 12, 10) << 3) | (bits(c, 9, 7) << 6); }
constexpr i32 cb_off(u32 c) {
  return sext((bit(c, 12) << 8) | (bits(c, 11, 10) << 3) | (bits(c, 6, 5) << 6) | (bits(c, 4, 3) << 1) |
                  (bit(c, 2) << 5),
              9);
}
constexpr i32 cj_off(u32 c) {
  return sext((bit(c, 12) << 11) | (bit(c, 11) << 4) | (bits(c, 10, 9) << 8) | (bit(c, 8) << 10) | (bit(c, 7) << 6) |
                  (bit(c, 6) << 7) | (bits(c, 5, 3) << 1) | (bit(c, 2) << 5),
              12);
}

u32 c_addi4spn(std::uint16_t c) {
  const u32 imm = (bits(c, 12, 11) << 4) | (bits(c, 10, 7) << 6) | (bit(c, 6) << 2) | (bit(c, 5) << 3);
  return imm ? enc_i(kOpImm, rd_prime(c), 0, 2, static_cast<i32>(imm)) : 0;
}
u32 c_fld(std::uint16_t c) { return enc_i(kLoadFp, rd_prime(c), 3, rs1_prime(c), static_cast<i32>(cl_d_off(c))); }
u32 c_lw(std::uint16_t c) { return enc_i(kLoad, rd_prime(c), 2, rs1_prime(c), static_cast<i32>(cl_w_off(c))); }
u32 c_ld(std::uint16_t c) { return enc_i(kLoad, rd_prime(c), 3, rs1_prime(c), static_cast<i32>(cl_d_off(c))); }
u32 c_fsd(std::uint16_t c) { return enc_s(kStoreFp, 3, rs1_prime(c), rd_prime(c), static_cast<i32>(cl_d_off(c))); }
u32 c_sw(std::uint16_t c) { return enc_s(kStore, 2, rs1_prime(c), rd_prime(c), static_cast<i32>(cl_w_off(c))); }
u32 c_sd(std::uint16_t c) { return enc_s(kStore, 3, rs1_prime(c), rd_prime(c), static_cast<i32>(cl_d_off(c))); }

// C.NOP and the HINT forms (rd = 0 or imm = 0) expand to ADDI as well, which
// executes them as the no-ops they are.
u32 c_addi(std::uint16_t c) { return enc_i(kOpImm, rd_full(c), 0, rd_full(c), ci_imm(c)); }
u32 c_addiw(std::uint16_t c) { return rd_full(c) ? enc_i(kOpImm32, rd_full(c), 0, rd_full(c), ci_imm(c)) : 0; }
u32 c_li(std::uint16_t c) { return enc_i(kOpImm, rd_full(c), 0, 0, ci_imm(c)); }
u32 c_addi16sp(std::uint16_t c) {
  const i32 imm = sext((bit(c, 12) << 9) | (bit(c, 6) << 4) | (bit(c, 5) << 6) | (bits(c, 4, 3) << 7) | (bit(c, 2) << 5),
                       10);
  return imm ? enc_i(kOpImm, 2, 0, 2, imm) : 0;
}
u32 c_lui(std::uint16_t c) {
  const i32 imm = ci_imm(c);  // nzimm[17:12]
  return imm ? (static_cast<u32>(imm) << 12) | (rd_full(c) << 7) | kLui : 0;
}
u32 c_srli(std::uint16_t c) {
  const u32 sh = (bit(c, 12) << 5) | bits(c, 6, 2);
  return enc_i(kOpImm, rs1_prime(c), 5, rs1_prime(c), static_cast<i32>(sh));
}
u32 c_srai(std::uint16_t c) {
  const u32 sh = (bit(c, 12) << 5) | bits(c, 6, 2);
  return enc_i(kOpImm, rs1_prime(c), 5, rs1_prime(c), static_cast<i32>(sh | 0x400));
}
u32 c_andi(std::uint16_t c) { return enc_i(kOpImm, rs1_prime(c), 7, rs1_prime(c), ci_imm(c)); }
template <u32 kOpcode, u32 kF3, u32 kF7>
u32 c_arith(std::uint16_t c) {
  return enc_r(kOpcode, rs1_prime(c), kF3, rs1_prime(c), rd_prime(c), kF7);
}
u32 c_j(std::uint16_t c) { return enc_j(0, cj_off(c)); }
u32 c_beqz(std::uint16_t c) { return enc_b(0, rs1_prime(c), 0, cb_off(c)); }
u32 c_bnez(std::uint16_t c) { return enc_b(1, rs1_prime(c), 0, cb_off(c)); }

u32 c_slli(std::uint16_t c) {
  const u32 sh = (bit(c, 12) << 5) | bits(c, 6, 2);
  return enc_i(kOpImm, rd_full(c), 1, rd_full(c), static_cast<i32>(sh));
}
u32 c_fldsp(std::uint16_t c) { return enc_i(kLoadFp, rd_full(c), 3, 2, static_cast<i32>(ci_ldsp_off(c))); }
u32 c_lwsp(std::uint16_t c) { return rd_full(c) ? enc_i(kLoad, rd_full(c), 2, 2, static_cast<i32>(ci_lwsp_off(c))) : 0; }
u32 c_ldsp(std::uint16_t c) { return rd_full(c) ? enc_i(kLoad, rd_full(c), 3, 2, static_cast<i32>(ci_ldsp_off(c))) : 0; }
u32 c_jr(std::uint16_t c) { return rd_full(c) ? enc_i(kJalr, 0, 0, rd_full(c), 0) : 0; }
u32 c_mv(std::uint16_t c) { return enc_r(kOp, rd_full(c), 0, 0, rs2_full(c), 0); }
u32 c_ebreak(std::uint16_t) { return 0x00100073; }
u32 c_jalr(std::uint16_t c) { return enc_i(kJalr, 1, 0, rd_full(c), 0); }
u32 c_add(std::uint16_t c) { return enc_r(kOp, rd_full(c), 0, rd_full(c), rs2_full(c), 0); }
u32 c_fsdsp(std::uint16_t c) { return enc_s(kStoreFp, 3, 2, rs2_full(c), static_cast<i32>(css_sdsp_off(c))); }
u32 c_swsp(std::uint16_t c) { return enc_s(kStore, 2, 2, rs2_full(c), static_cast<i32>(css_swsp_off(c))); }
u32 c_sdsp(std::uint16_t c) { return enc_s(kStore, 3, 2, rs2_full(c), static_cast<i32>(css_sdsp_off(c))); }

const CompressedSpec kInsns[] = {
    // Quadrant 0
    {"c.addi4spn", "000 ........ ... 00", c_addi4spn},
    {"c.fld", "001 ... ... .. ... 00", c_fld},
    {"c.lw", "010 ... ... .. ... 00", c_lw},
    {"c.ld", "011 ... ... .. ... 00", c_ld},
    {"c.fsd", "101 ... ... .. ... 00", c_fsd},
    {"c.sw", "110 ... ... .. ... 00", c_sw},
    {"c.sd", "111 ... ... .. ... 00", c_sd},
    // Quadrant 1
    {"c.addi", "000 . ..... ..... 01", c_addi},
    {"c.addiw", "001 . ..... ..... 01", c_addiw},
    {"c.li", "010 . ..... ..... 01", c_li},
    {"c.addi16sp", "011 . 00010 ..... 01", c_addi16sp},
    {"c.lui", "011 . ..... ..... 01", c_lui},
    {"c.srli", "100 . 00 ... ..... 01", c_srli},
    {"c.srai", "100 . 01 ... ..... 01", c_srai},
    {"c.andi", "100 . 10 ... ..... 01", c_andi},
    {"c.sub", "100 0 11 ... 00 ... 01", c_arith<kOp, 0, 0x20>},
    {"c.xor", "100 0 11 ... 01 ... 01", c_arith<kOp, 4, 0>},
    {"c.or", "100 0 11 ... 10 ... 01", c_arith<kOp, 6, 0>},
    {"c.and", "100 0 11 ... 11 ... 01", c_arith<kOp, 7, 0>},
    {"c.subw", "100 1 11 ... 00 ... 01", c_arith<kOp32, 0, 0x20>},
    {"c.addw", "100 1 11 ... 01 ... 01", c_arith<kOp32, 0, 0>},
    {"c.j", "101 ........... 01", c_j},
    {"c.beqz", "110 ... ... ..... 01", c_beqz},
    {"c.bnez", "111 ... ... ..... 01", c_bnez},
    // Quadrant 2
    {"c.slli", "000 . ..... ..... 10", c_slli},
    {"c.fldsp", "001 . ..... ..... 10", c_fldsp},
    {"c.lwsp", "010 . ..... ..... 10", c_lwsp},
    {"c.ldsp", "011 . ..... ..... 10", c_ldsp},
    {"c.jr", "100 0 ..... 00000 10", c_jr},
    {"c.mv", "100 0 ..... ..... 10", c_mv},
    {"c.ebreak", "100 1 00000 00000 10", c_ebreak},
    {"c.jalr", "100 1 ..... 00000 10", c_jalr},
    {"c.add", "100 1 ..... ..... 10", c_add},
    {"c.fsdsp", "101 ...... ..... 10", c_fsdsp},
    {"c.swsp", "110 ...... ..... 10", c_swsp},
    {"c.sdsp", "111 ...... ..... 10", c_sdsp},
};

}  // namespace

std::span<const CompressedSpec> rvc_insns() { return kInsns; }

}  // namespace orrery::riscv
