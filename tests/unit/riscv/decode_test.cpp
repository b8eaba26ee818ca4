// Decode tables: structural checks, a round trip from every table entry's
// pattern, a cross-check of the test encoders (encode.hpp) against the LLVM
// assembler, and disassembly spot checks.
//
// The golden encodings below were produced by `llvm-mc -triple=riscv64
// -mattr=+m,+a,+f,+d[,+c] -show-encoding` from the assembly in the first
// column; they pin encode.hpp to an independent assembler, and through it
// every table entry's pattern to the specification's encodings.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "rv_test.hpp"

namespace orrery::riscv::test {
namespace {

using namespace enc;

struct Golden {
  const char* assembly;
  const char* mnemonic;  // table entry expected to decode it ("illegal": none)
  u32 encoded;           // encode.hpp
  u32 llvm;              // llvm-mc
};

const Golden kGolden[] = {
    {"lui a0, 0x80000", "lui", lui(a0, 0x80000), 0x80000537},
    {"auipc t1, 0xfffff", "auipc", auipc(t1, 0xfffff), 0xfffff317},
    {"jal ra, -2048", "jal", jal(ra, -2048), 0x801ff0ef},
    {"jal zero, 1048574", "jal", jal(zero, 1048574), 0x7ffff06f},
    {"jal a5, -1048576", "jal", jal(a5, -1048576), 0x800007ef},
    {"jalr ra, -1(a0)", "jalr", jalr(ra, a0, -1), 0xfff500e7},
    {"beq a0, a1, -4096", "beq", beq(a0, a1, -4096), 0x80b50063},
    {"bne t0, t6, 4094", "bne", bne(t0, t6, 4094), 0x7ff29fe3},
    {"blt s0, s1, 2048", "blt", blt(s0, s1, 2048), 0x009440e3},
    {"bge a2, a3, -2", "bge", bge(a2, a3, -2), 0xfed65fe3},
    {"bltu a4, a5, 30", "bltu", bltu(a4, a5, 30), 0x00f76f63},
    {"bgeu x31, x1, -2048", "bgeu", bgeu(t6, ra, -2048), 0x801ff0e3},
    {"lb a0, -2048(sp)", "lb", lb(a0, sp, -2048), 0x80010503},
    {"lh a0, 2047(sp)", "lh", lh(a0, sp, 2047), 0x7ff11503},
    {"lw a0, 8(a1)", "lw", lw(a0, a1, 8), 0x0085a503},
    {"ld s11, -8(t2)", "ld", ld(s11, t2, -8), 0xff83bd83},
    {"lbu a0, 1(a1)", "lbu", lbu(a0, a1, 1), 0x0015c503},
    {"lhu a0, 2(a1)", "lhu", lhu(a0, a1, 2), 0x0025d503},
    {"lwu a0, 4(a1)", "lwu", lwu(a0, a1, 4), 0x0045e503},
    {"sb a0, -2048(sp)", "sb", sb(a0, sp, -2048), 0x80a10023},
    {"sh a1, 2047(a0)", "sh", sh(a1, a0, 2047), 0x7eb51fa3},
    {"sw t0, -33(a0)", "sw", sw(t0, a0, -33), 0xfc552fa3},
    {"sd t6, 1000(s0)", "sd", sd(t6, s0, 1000), 0x3ff43423},
    {"addi a0, a1, -2048", "addi", addi(a0, a1, -2048), 0x80058513},
    {"slti a0, a1, 2047", "slti", slti(a0, a1, 2047), 0x7ff5a513},
    {"sltiu a0, a1, -1", "sltiu", sltiu(a0, a1, -1), 0xfff5b513},
    {"xori a0, a1, -1", "xori", xori(a0, a1, -1), 0xfff5c513},
    {"ori a0, a1, 0x555", "ori", ori(a0, a1, 0x555), 0x5555e513},
    {"andi a0, a1, -16", "andi", andi(a0, a1, -16), 0xff05f513},
    {"slli a0, a1, 63", "slli", slli(a0, a1, 63), 0x03f59513},
    {"srli a0, a1, 33", "srli", srli(a0, a1, 33), 0x0215d513},
    {"srai a0, a1, 63", "srai", srai(a0, a1, 63), 0x43f5d513},
    {"add a0, a0, a1", "add", add(a0, a0, a1), 0x00b50533},
    {"sub t0, t1, t2", "sub", sub(t0, t1, t2), 0x407302b3},
    {"sll a0, a1, a2", "sll", sll(a0, a1, a2), 0x00c59533},
    {"slt a0, a1, a2", "slt", slt(a0, a1, a2), 0x00c5a533},
    {"sltu a0, a1, a2", "sltu", sltu(a0, a1, a2), 0x00c5b533},
    {"xor a0, a1, a2", "xor", xor_(a0, a1, a2), 0x00c5c533},
    {"srl a0, a1, a2", "srl", srl(a0, a1, a2), 0x00c5d533},
    {"sra a0, a1, a2", "sra", sra(a0, a1, a2), 0x40c5d533},
    {"or a0, a1, a2", "or", or_(a0, a1, a2), 0x00c5e533},
    {"and a0, a1, a2", "and", and_(a0, a1, a2), 0x00c5f533},
    {"addiw a0, a1, -1", "addiw", addiw(a0, a1, -1), 0xfff5851b},
    {"slliw a0, a1, 31", "slliw", slliw(a0, a1, 31), 0x01f5951b},
    {"srliw a0, a1, 1", "srliw", srliw(a0, a1, 1), 0x0015d51b},
    {"sraiw a0, a1, 31", "sraiw", sraiw(a0, a1, 31), 0x41f5d51b},
    {"addw a0, a1, a2", "addw", addw(a0, a1, a2), 0x00c5853b},
    {"subw a0, a1, a2", "subw", subw(a0, a1, a2), 0x40c5853b},
    {"sllw a0, a1, a2", "sllw", sllw(a0, a1, a2), 0x00c5953b},
    {"srlw a0, a1, a2", "srlw", srlw(a0, a1, a2), 0x00c5d53b},
    {"sraw a0, a1, a2", "sraw", sraw(a0, a1, a2), 0x40c5d53b},
    {"fence iorw, iorw", "fence", fence(FIORW, FIORW), 0x0ff0000f},
    {"fence r, w", "fence", fence(FR, FW), 0x0210000f},
    {"fence.tso", "fence.tso", fence_tso(), 0x8330000f},
    {"fence.i", "fence.i", fence_i(), 0x0000100f},
    {"ecall", "ecall", ecall(), 0x00000073},
    {"ebreak", "ebreak", ebreak(), 0x00100073},
    {"sret", "sret", sret(), 0x10200073},
    {"wfi", "wfi", wfi(), 0x10500073},
    {"mret", "mret", mret(), 0x30200073},
    {"sfence.vma a0, a1", "sfence.vma", sfence_vma(a0, a1), 0x12b50073},
    {"sfence.vma", "sfence.vma", sfence_vma(zero, zero), 0x12000073},
    {"csrrw a0, mstatus, a1", "csrrw", csrrw(a0, 0x300, a1), 0x30059573},
    {"csrrs a0, mscratch, zero", "csrrs", csrrs(a0, 0x340, zero), 0x34002573},
    {"csrrc t6, 0x7ff, t5", "csrrc", csrrc(t6, 0x7ff, t5), 0x7fff3ff3},
    {"csrrwi a0, fcsr, 31", "csrrwi", csrrwi(a0, 3, 31), 0x003fd573},
    {"csrrsi zero, mie, 8", "csrrsi", csrrsi(zero, 0x304, 8), 0x30446073},
    {"csrrci a0, 0xfff, 1", "csrrci", csrrci(a0, 0xfff, 1), 0xfff0f573},
    {"mul a0, a1, a2", "mul", mul(a0, a1, a2), 0x02c58533},
    {"mulh a0, a1, a2", "mulh", mulh(a0, a1, a2), 0x02c59533},
    {"mulhsu a0, a1, a2", "mulhsu", mulhsu(a0, a1, a2), 0x02c5a533},
    {"mulhu a0, a1, a2", "mulhu", mulhu(a0, a1, a2), 0x02c5b533},
    {"div a0, a1, a2", "div", div(a0, a1, a2), 0x02c5c533},
    {"divu a0, a1, a2", "divu", divu(a0, a1, a2), 0x02c5d533},
    {"rem a0, a1, a2", "rem", rem(a0, a1, a2), 0x02c5e533},
    {"remu a0, a1, a2", "remu", remu(a0, a1, a2), 0x02c5f533},
    {"mulw a0, a1, a2", "mulw", mulw(a0, a1, a2), 0x02c5853b},
    {"divw a0, a1, a2", "divw", divw(a0, a1, a2), 0x02c5c53b},
    {"divuw a0, a1, a2", "divuw", divuw(a0, a1, a2), 0x02c5d53b},
    {"remw a0, a1, a2", "remw", remw(a0, a1, a2), 0x02c5e53b},
    {"remuw a0, a1, a2", "remuw", remuw(a0, a1, a2), 0x02c5f53b},
    {"lr.w a0, (a1)", "lr.w", lr_w(a0, a1), 0x1005a52f},
    {"lr.d.aqrl a0, (a1)", "lr.d", lr_d(a0, a1, true, true), 0x1605b52f},
    {"sc.w.aq a0, a2, (a1)", "sc.w", sc_w(a0, a2, a1, true, false), 0x1cc5a52f},
    {"sc.d.rl a0, a2, (a1)", "sc.d", sc_d(a0, a2, a1, false, true), 0x1ac5b52f},
    {"amoswap.w a0, a2, (a1)", "amoswap.w", amoswap_w(a0, a2, a1), 0x08c5a52f},
    {"amoadd.w a0, a2, (a1)", "amoadd.w", amoadd_w(a0, a2, a1), 0x00c5a52f},
    {"amoxor.w a0, a2, (a1)", "amoxor.w", amoxor_w(a0, a2, a1), 0x20c5a52f},
    {"amoand.w a0, a2, (a1)", "amoand.w", amoand_w(a0, a2, a1), 0x60c5a52f},
    {"amoor.w a0, a2, (a1)", "amoor.w", amoor_w(a0, a2, a1), 0x40c5a52f},
    {"amomin.w a0, a2, (a1)", "amomin.w", amomin_w(a0, a2, a1), 0x80c5a52f},
    {"amomax.w a0, a2, (a1)", "amomax.w", amomax_w(a0, a2, a1), 0xa0c5a52f},
    {"amominu.w a0, a2, (a1)", "amominu.w", amominu_w(a0, a2, a1), 0xc0c5a52f},
    {"amomaxu.w a0, a2, (a1)", "amomaxu.w", amomaxu_w(a0, a2, a1), 0xe0c5a52f},
    {"amoswap.d.aq a0, a2, (a1)", "amoswap.d", amoswap_d(a0, a2, a1, true, false), 0x0cc5b52f},
    {"amoadd.d a0, a2, (a1)", "amoadd.d", amoadd_d(a0, a2, a1), 0x00c5b52f},
    {"amoxor.d a0, a2, (a1)", "amoxor.d", amoxor_d(a0, a2, a1), 0x20c5b52f},
    {"amoand.d a0, a2, (a1)", "amoand.d", amoand_d(a0, a2, a1), 0x60c5b52f},
    {"amoor.d a0, a2, (a1)", "amoor.d", amoor_d(a0, a2, a1), 0x40c5b52f},
    {"amomin.d a0, a2, (a1)", "amomin.d", amomin_d(a0, a2, a1), 0x80c5b52f},
    {"amomax.d a0, a2, (a1)", "amomax.d", amomax_d(a0, a2, a1), 0xa0c5b52f},
    {"amominu.d a0, a2, (a1)", "amominu.d", amominu_d(a0, a2, a1), 0xc0c5b52f},
    {"amomaxu.d.aqrl a0, a2, (a1)", "amomaxu.d", amomaxu_d(a0, a2, a1, true, true), 0xe6c5b52f},
    {"flw ft0, -4(a0)", "flw", flw(0, a0, -4), 0xffc52007},
    {"fsw ft1, 12(sp)", "fsw", fsw(1, sp, 12), 0x00112627},
    {"fld fa0, 2040(a0)", "fld", fld(10, a0, 2040), 0x7f853507},
    {"fsd fs11, -2048(t0)", "fsd", fsd(27, t0, -2048), 0x81b2b027},
    {"fmadd.s fa0, fa1, fa2, fa3, rne", "fmadd.s", fmadd_s(10, 11, 12, 13, RNE), 0x68c58543},
    {"fmsub.s fa0, fa1, fa2, fa3, rtz", "fmsub.s", fmsub_s(10, 11, 12, 13, RTZ), 0x68c59547},
    {"fnmsub.s fa0, fa1, fa2, fa3, rdn", "fnmsub.s", fnmsub_s(10, 11, 12, 13, RDN), 0x68c5a54b},
    {"fnmadd.s fa0, fa1, fa2, fa3, rup", "fnmadd.s", fnmadd_s(10, 11, 12, 13, RUP), 0x68c5b54f},
    {"fmadd.d ft11, fa1, fa2, fa3, rmm", "fmadd.d", fmadd_d(31, 11, 12, 13, RMM), 0x6ac5cfc3},
    {"fmsub.d fa0, fa1, fa2, fa3", "fmsub.d", fmsub_d(10, 11, 12, 13), 0x6ac5f547},
    {"fnmsub.d fa0, fa1, fa2, fa3", "fnmsub.d", fnmsub_d(10, 11, 12, 13), 0x6ac5f54b},
    {"fnmadd.d fa0, fa1, fa2, fa3", "fnmadd.d", fnmadd_d(10, 11, 12, 13), 0x6ac5f54f},
    {"fadd.s fa0, fa1, fa2", "fadd.s", fadd_s(10, 11, 12), 0x00c5f553},
    {"fsub.s fa0, fa1, fa2, rtz", "fsub.s", fsub_s(10, 11, 12, RTZ), 0x08c59553},
    {"fmul.s fa0, fa1, fa2", "fmul.s", fmul_s(10, 11, 12), 0x10c5f553},
    {"fdiv.s fa0, fa1, fa2", "fdiv.s", fdiv_s(10, 11, 12), 0x18c5f553},
    {"fsqrt.s fa0, fa1", "fsqrt.s", fsqrt_s(10, 11), 0x5805f553},
    {"fsgnj.s fa0, fa1, fa2", "fsgnj.s", fsgnj_s(10, 11, 12), 0x20c58553},
    {"fsgnjn.s fa0, fa1, fa2", "fsgnjn.s", fsgnjn_s(10, 11, 12), 0x20c59553},
    {"fsgnjx.s fa0, fa1, fa2", "fsgnjx.s", fsgnjx_s(10, 11, 12), 0x20c5a553},
    {"fmin.s fa0, fa1, fa2", "fmin.s", fmin_s(10, 11, 12), 0x28c58553},
    {"fmax.s fa0, fa1, fa2", "fmax.s", fmax_s(10, 11, 12), 0x28c59553},
    {"fcvt.w.s a0, fa1, rtz", "fcvt.w.s", fcvt_w_s(a0, 11, RTZ), 0xc0059553},
    {"fcvt.wu.s a0, fa1", "fcvt.wu.s", fcvt_wu_s(a0, 11), 0xc015f553},
    {"fcvt.l.s a0, fa1", "fcvt.l.s", fcvt_l_s(a0, 11), 0xc025f553},
    {"fcvt.lu.s a0, fa1", "fcvt.lu.s", fcvt_lu_s(a0, 11), 0xc035f553},
    {"fmv.x.w a0, fa1", "fmv.x.w", fmv_x_w(a0, 11), 0xe0058553},
    {"feq.s a0, fa1, fa2", "feq.s", feq_s(a0, 11, 12), 0xa0c5a553},
    {"flt.s a0, fa1, fa2", "flt.s", flt_s(a0, 11, 12), 0xa0c59553},
    {"fle.s a0, fa1, fa2", "fle.s", fle_s(a0, 11, 12), 0xa0c58553},
    {"fclass.s a0, fa1", "fclass.s", fclass_s(a0, 11), 0xe0059553},
    {"fcvt.s.w fa0, a1", "fcvt.s.w", fcvt_s_w(10, a1), 0xd005f553},
    {"fcvt.s.wu fa0, a1", "fcvt.s.wu", fcvt_s_wu(10, a1), 0xd015f553},
    {"fcvt.s.l fa0, a1", "fcvt.s.l", fcvt_s_l(10, a1), 0xd025f553},
    {"fcvt.s.lu fa0, a1", "fcvt.s.lu", fcvt_s_lu(10, a1), 0xd035f553},
    {"fmv.w.x fa0, a1", "fmv.w.x", fmv_w_x(10, a1), 0xf0058553},
    {"fadd.d fa0, fa1, fa2", "fadd.d", fadd_d(10, 11, 12), 0x02c5f553},
    {"fsub.d fa0, fa1, fa2", "fsub.d", fsub_d(10, 11, 12), 0x0ac5f553},
    {"fmul.d fa0, fa1, fa2", "fmul.d", fmul_d(10, 11, 12), 0x12c5f553},
    {"fdiv.d fa0, fa1, fa2, rup", "fdiv.d", fdiv_d(10, 11, 12, RUP), 0x1ac5b553},
    {"fsqrt.d fa0, fa1", "fsqrt.d", fsqrt_d(10, 11), 0x5a05f553},
    {"fsgnj.d fa0, fa1, fa2", "fsgnj.d", fsgnj_d(10, 11, 12), 0x22c58553},
    {"fsgnjn.d fa0, fa1, fa2", "fsgnjn.d", fsgnjn_d(10, 11, 12), 0x22c59553},
    {"fsgnjx.d fa0, fa1, fa2", "fsgnjx.d", fsgnjx_d(10, 11, 12), 0x22c5a553},
    {"fmin.d fa0, fa1, fa2", "fmin.d", fmin_d(10, 11, 12), 0x2ac58553},
    {"fmax.d fa0, fa1, fa2", "fmax.d", fmax_d(10, 11, 12), 0x2ac59553},
    {"fcvt.s.d fa0, fa1", "fcvt.s.d", fcvt_s_d(10, 11), 0x4015f553},
    {"fcvt.d.s fa0, fa1", "fcvt.d.s", fcvt_d_s(10, 11), 0x42058553},
    {"feq.d a0, fa1, fa2", "feq.d", feq_d(a0, 11, 12), 0xa2c5a553},
    {"flt.d a0, fa1, fa2", "flt.d", flt_d(a0, 11, 12), 0xa2c59553},
    {"fle.d a0, fa1, fa2", "fle.d", fle_d(a0, 11, 12), 0xa2c58553},
    {"fclass.d a0, fa1", "fclass.d", fclass_d(a0, 11), 0xe2059553},
    {"fcvt.w.d a0, fa1", "fcvt.w.d", fcvt_w_d(a0, 11), 0xc205f553},
    {"fcvt.wu.d a0, fa1", "fcvt.wu.d", fcvt_wu_d(a0, 11), 0xc215f553},
    {"fcvt.l.d a0, fa1", "fcvt.l.d", fcvt_l_d(a0, 11), 0xc225f553},
    {"fcvt.lu.d a0, fa1", "fcvt.lu.d", fcvt_lu_d(a0, 11), 0xc235f553},
    {"fcvt.d.w fa0, a1", "fcvt.d.w", fcvt_d_w(10, a1), 0xd2058553},
    {"fcvt.d.wu fa0, a1", "fcvt.d.wu", fcvt_d_wu(10, a1), 0xd2158553},
    {"fcvt.d.l fa0, a1", "fcvt.d.l", fcvt_d_l(10, a1), 0xd225f553},
    {"fcvt.d.lu fa0, a1", "fcvt.d.lu", fcvt_d_lu(10, a1), 0xd235f553},
    {"fmv.x.d a0, fa1", "fmv.x.d", fmv_x_d(a0, 11), 0xe2058553},
    {"fmv.d.x fa0, a1", "fmv.d.x", fmv_d_x(10, a1), 0xf2058553},
    {"c.addi4spn a0, sp, 1020", "c.addi4spn", c_addi4spn(a0, 1020), 0x1fe8},
    {"c.addi4spn s0, sp, 4", "c.addi4spn", c_addi4spn(s0, 4), 0x0040},
    {"c.fld fa5, 248(s0)", "c.fld", c_fld(15, s0, 248), 0x3c7c},
    {"c.lw a5, 124(a0)", "c.lw", c_lw(a5, a0, 124), 0x5d7c},
    {"c.lw s1, 4(s1)", "c.lw", c_lw(s1, s1, 4), 0x40c4},
    {"c.ld a2, 248(a3)", "c.ld", c_ld(a2, a3, 248), 0x7ef0},
    {"c.fsd fs0, 8(a5)", "c.fsd", c_fsd(8, a5, 8), 0xa780},
    {"c.sw a4, 64(s0)", "c.sw", c_sw(a4, s0, 64), 0xc038},
    {"c.sd a1, 136(a2)", "c.sd", c_sd(a1, a2, 136), 0xe64c},
    {"c.nop", "c.addi", c_nop(), 0x0001},
    {"c.addi a0, -32", "c.addi", c_addi(a0, -32), 0x1501},
    {"c.addi t6, 31", "c.addi", c_addi(t6, 31), 0x0ffd},
    {"c.addiw a0, -1", "c.addiw", c_addiw(a0, -1), 0x357d},
    {"c.li ra, -17", "c.li", c_li(ra, -17), 0x50bd},
    {"c.addi16sp sp, -512", "c.addi16sp", c_addi16sp(-512), 0x7101},
    {"c.addi16sp sp, 496", "c.addi16sp", c_addi16sp(496), 0x617d},
    {"c.lui a0, 0xfffe0", "c.lui", c_lui(a0, -131072), 0x7501},
    {"c.lui t0, 0x1f", "c.lui", c_lui(t0, 0x1f000), 0x62fd},
    {"c.srli a0, 63", "c.srli", c_srli(a0, 63), 0x917d},
    {"c.srai s1, 32", "c.srai", c_srai(s1, 32), 0x9481},
    {"c.andi a5, -32", "c.andi", c_andi(a5, -32), 0x9b81},
    {"c.sub a0, a1", "c.sub", c_sub(a0, a1), 0x8d0d},
    {"c.xor s0, a5", "c.xor", c_xor(s0, a5), 0x8c3d},
    {"c.or a2, a3", "c.or", c_or(a2, a3), 0x8e55},
    {"c.and a4, s1", "c.and", c_and(a4, s1), 0x8f65},
    {"c.subw a0, a1", "c.subw", c_subw(a0, a1), 0x9d0d},
    {"c.addw a0, a1", "c.addw", c_addw(a0, a1), 0x9d2d},
    {"c.j -2048", "c.j", c_j(-2048), 0xb001},
    {"c.j 2046", "c.j", c_j(2046), 0xaffd},
    {"c.j 1366", "c.j", c_j(1366), 0xab99},
    {"c.beqz a0, -256", "c.beqz", c_beqz(a0, -256), 0xd101},
    {"c.bnez s1, 254", "c.bnez", c_bnez(s1, 254), 0xecfd},
    {"c.beqz a5, 170", "c.beqz", c_beqz(a5, 170), 0xc7cd},
    {"c.slli a0, 63", "c.slli", c_slli(a0, 63), 0x157e},
    {"c.fldsp fa0, 504(sp)", "c.fldsp", c_fldsp(10, 504), 0x357e},
    {"c.lwsp t0, 252(sp)", "c.lwsp", c_lwsp(t0, 252), 0x52fe},
    {"c.ldsp ra, 504(sp)", "c.ldsp", c_ldsp(ra, 504), 0x70fe},
    {"c.ldsp s0, 168(sp)", "c.ldsp", c_ldsp(s0, 168), 0x742a},
    {"c.jr ra", "c.jr", c_jr(ra), 0x8082},
    {"c.mv a0, a1", "c.mv", c_mv(a0, a1), 0x852e},
    {"c.ebreak", "c.ebreak", c_ebreak(), 0x9002},
    {"c.jalr t0", "c.jalr", c_jalr(t0), 0x9282},
    {"c.add a0, t6", "c.add", c_add(a0, t6), 0x957e},
    {"c.fsdsp fs1, 504(sp)", "c.fsdsp", c_fsdsp(9, 504), 0xbfa6},
    {"c.swsp a0, 252(sp)", "c.swsp", c_swsp(a0, 252), 0xdfaa},
    {"c.sdsp a0, 504(sp)", "c.sdsp", c_sdsp(a0, 504), 0xffaa},
    {"c.sdsp s2, 328(sp)", "c.sdsp", c_sdsp(s2, 328), 0xe6ca},
};

// ---------------------------------------------------------------------------
// Pattern parsing (from InsnSpec::pattern / CompressedSpec::pattern).
// ---------------------------------------------------------------------------
struct Pattern {
  u32 mask = 0, match = 0;
  unsigned width = 0;
};

Pattern parse(std::string_view text) {
  Pattern p;
  for (char c : text) {
    if (c == ' ') continue;
    p.mask <<= 1;
    p.match <<= 1;
    if (c == '0' || c == '1') {
      p.mask |= 1;
      p.match |= (c == '1');
    } else {
      EXPECT_EQ(c, '.') << "bad pattern character in \"" << text << "\"";
    }
    ++p.width;
  }
  return p;
}

struct Entry32 {
  const InsnSpec* spec;
  Pattern pat;
};
struct Entry16 {
  const CompressedSpec* spec;
  Pattern pat;
};

std::vector<Entry32> all32() {
  std::vector<Entry32> v;
  for (auto table : {rv64i_insns(), rv64m_insns(), rv64a_insns(), rv64f_insns(), rv64d_insns(), zicsr_insns(),
                     system_insns()})
    for (const InsnSpec& s : table) v.push_back({&s, parse(s.pattern)});
  return v;
}
std::vector<Entry16> all16() {
  std::vector<Entry16> v;
  for (const CompressedSpec& s : rvc_insns()) v.push_back({&s, parse(s.pattern)});
  return v;
}

bool matches(const Pattern& p, u32 raw) { return (raw & p.mask) == p.match; }
bool overlap(const Pattern& a, const Pattern& b) { return ((a.match ^ b.match) & a.mask & b.mask) == 0; }

// ---------------------------------------------------------------------------
// Structure
// ---------------------------------------------------------------------------
TEST(DecodeTables, BuildWithoutThrowing) {
  EXPECT_NO_THROW(decode(0x0000'0013));
  EXPECT_NO_THROW(decode(0x0001));
  EXPECT_NO_THROW({ DecodeCache cache; (void)cache.lookup(0x00b50533); });
}

TEST(DecodeTables, PatternsAreWellFormed) {
  for (const auto& e : all32()) {
    SCOPED_TRACE(std::string(e.spec->mnemonic));
    EXPECT_EQ(e.pat.width, 32u);
    EXPECT_EQ(e.pat.mask & 0x7f, 0x7fu) << "the major opcode must be fixed";
    EXPECT_EQ(e.pat.match & 3, 3u);
    EXPECT_NE(e.spec->exec, nullptr);
  }
  for (const auto& e : all16()) {
    SCOPED_TRACE(std::string(e.spec->mnemonic));
    EXPECT_EQ(e.pat.width, 16u);
    EXPECT_EQ(e.pat.mask & 0xe003, 0xe003u) << "quadrant and funct3 must be fixed";
    EXPECT_NE(e.pat.match & 3, 3u);
    EXPECT_NE(e.spec->expand, nullptr);
  }
}

TEST(DecodeTables, MnemonicsAreUnique) {
  std::set<std::string_view> seen;
  for (const auto& e : all32()) EXPECT_TRUE(seen.insert(e.spec->mnemonic).second) << e.spec->mnemonic;
  for (const auto& e : all16()) EXPECT_TRUE(seen.insert(e.spec->mnemonic).second) << e.spec->mnemonic;
}

// Two entries of equal specificity that can match the same encoding would
// make decoding depend on table order. Overlaps of unequal specificity are
// allowed only as proper nesting (the more specific entry is a special case
// of the other, e.g. fence.tso within fence, c.jr within c.mv).
template <class Entry>
void check_overlaps(const std::vector<Entry>& entries, std::set<std::string>& nested) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    for (std::size_t j = i + 1; j < entries.size(); ++j) {
      const auto& a = entries[i];
      const auto& b = entries[j];
      if (!overlap(a.pat, b.pat)) continue;
      const int pa = std::popcount(a.pat.mask), pb = std::popcount(b.pat.mask);
      const std::string pair = std::string(a.spec->mnemonic) + " / " + std::string(b.spec->mnemonic);
      EXPECT_NE(pa, pb) << "equally specific entries overlap: " << pair;
      const auto& general = pa < pb ? a : b;
      const auto& special = pa < pb ? b : a;
      EXPECT_EQ(special.pat.mask & general.pat.mask, general.pat.mask)
          << "partial overlap (not nested): " << pair;
      nested.insert(std::string(special.spec->mnemonic) + " < " + std::string(general.spec->mnemonic));
    }
  }
}

TEST(DecodeTables, NoAmbiguousOverlaps) {
  std::set<std::string> nested;
  check_overlaps(all32(), nested);
  check_overlaps(all16(), nested);
  // The nestings the specification itself defines, and no others.
  const std::set<std::string> expected = {
      "fence.tso < fence",      "c.addi16sp < c.lui", "c.jr < c.mv",
      "c.ebreak < c.jalr",      "c.ebreak < c.add",   "c.jalr < c.add",
  };
  EXPECT_EQ(nested, expected);
}

// ---------------------------------------------------------------------------
// Round trip: an encoding built from an entry's pattern with random operand
// bits decodes to that entry, unless a more specific entry matches too.
// ---------------------------------------------------------------------------
TEST(DecodeTables, RandomEncodingsDecodeToTheirEntry) {
  const auto entries = all32();
  std::mt19937 g(12345);
  for (const auto& e : entries) {
    for (int i = 0; i < 64; ++i) {
      const u32 raw = (g() & ~e.pat.mask) | e.pat.match;
      const Entry32* best = nullptr;
      int best_bits = -1, ties = 0;
      for (const auto& o : entries) {
        if (!matches(o.pat, raw)) continue;
        const int bits = std::popcount(o.pat.mask);
        if (bits > best_bits) {
          best = &o;
          best_bits = bits;
          ties = 0;
        } else if (bits == best_bits) {
          ++ties;
        }
      }
      ASSERT_NE(best, nullptr);
      ASSERT_EQ(ties, 0) << hex(raw);
      const Decoded d = decode(raw);
      EXPECT_EQ(d.spec(), best->spec) << hex(raw) << " from " << e.spec->mnemonic << " decoded as "
                                    << d.spec()->mnemonic << ", expected " << best->spec->mnemonic;
      EXPECT_EQ(d.len, 4u);
      EXPECT_EQ(d.raw, raw);
      EXPECT_TRUE(d.cname().empty());
      EXPECT_EQ(d.exec, best->spec->exec);
    }
  }
}

// Reserved RV64C encodings, from the spec's RVC listings.
bool rvc_reserved(std::string_view m, u32 c) {
  const u32 rd = (c >> 7) & 31;
  const u32 imm6 = ((c >> 12) & 1) << 5 | ((c >> 2) & 31);
  if (m == "c.addi4spn") return ((c >> 5) & 0xff) == 0;
  if (m == "c.addiw" || m == "c.lwsp" || m == "c.ldsp" || m == "c.jr") return rd == 0;
  if (m == "c.lui" || m == "c.addi16sp") return imm6 == 0;
  return false;
}

TEST(DecodeTables, RandomCompressedEncodingsDecodeToTheirEntry) {
  const auto entries = all16();
  std::mt19937 g(54321);
  for (const auto& e : entries) {
    for (int i = 0; i < 256; ++i) {
      const u32 raw = (g() & 0xffff & ~e.pat.mask) | e.pat.match;
      const Entry16* best = nullptr;
      int best_bits = -1;
      for (const auto& o : entries) {
        if (!matches(o.pat, raw)) continue;
        const int bits = std::popcount(o.pat.mask);
        ASSERT_NE(bits, best_bits) << "tie at " << hex(raw);
        if (bits > best_bits) {
          best = &o;
          best_bits = bits;
        }
      }
      ASSERT_NE(best, nullptr);
      const Decoded d = decode(raw);
      EXPECT_EQ(d.len, 2u) << hex(raw);
      EXPECT_EQ(d.raw, raw);
      if (rvc_reserved(best->spec->mnemonic, raw)) {
        EXPECT_EQ(d.spec()->mnemonic, "illegal") << hex(raw) << " (" << best->spec->mnemonic << ") is reserved";
        EXPECT_TRUE(d.cname().empty());
      } else {
        EXPECT_EQ(d.cname(), best->spec->mnemonic) << hex(raw);
        EXPECT_NE(d.spec()->mnemonic, "illegal") << hex(raw);
      }
    }
  }
}

TEST(DecodeTables, UnassignedCompressedSlotsAreIllegal) {
  std::mt19937 g(99);
  for (int i = 0; i < 256; ++i) {
    const u32 q0_100 = 0x8000 | (g() & 0x1ffc);                               // quadrant 0, funct3 100
    const u32 ca_rsv = 0x9c01 | (g() & 0x0380) | (g() & 0x001c) | ((2 + (g() & 1)) << 5);  // subw/addw slots 10, 11
    for (u32 raw : {q0_100, ca_rsv}) {
      EXPECT_EQ(decode(raw).spec()->mnemonic, "illegal") << hex(raw);
      EXPECT_EQ(decode(raw).len, 2u);
    }
  }
}

// ---------------------------------------------------------------------------
// encode.hpp against the assembler, and every table entry against encode.hpp
// ---------------------------------------------------------------------------
TEST(Encoders, MatchTheLlvmAssembler) {
  for (const Golden& gd : kGolden) EXPECT_EQ(gd.encoded, gd.llvm) << gd.assembly;
}

TEST(Encoders, GoldenEncodingsDecodeToTheRightEntry) {
  for (const Golden& gd : kGolden) {
    const Decoded d = decode(gd.llvm);
    const std::string_view got = d.cname().empty() ? d.spec()->mnemonic : d.cname();
    EXPECT_EQ(got, gd.mnemonic) << gd.assembly << " = " << hex(gd.llvm);
    EXPECT_EQ(d.len, (gd.llvm & 3) == 3 ? 4u : 2u) << gd.assembly;
  }
}

TEST(Encoders, EveryTableEntryIsCoveredByAGoldenEncoding) {
  std::set<std::string_view> golden;
  for (const Golden& gd : kGolden) golden.insert(gd.mnemonic);
  for (const auto& e : all32()) EXPECT_TRUE(golden.count(e.spec->mnemonic)) << e.spec->mnemonic;
  for (const auto& e : all16()) EXPECT_TRUE(golden.count(e.spec->mnemonic)) << e.spec->mnemonic;
  // ...and the tables hold every RV64IMAFDC + Zicsr + Zifencei instruction
  // and the privileged instructions of an M/S/U hart: RV64I 51 (with fence
  // and fence.tso; ecall and ebreak are in the system table), M 13, A 22,
  // F 30, D 32, Zicsr 6, system 7 (ecall, ebreak, mret, sret, wfi,
  // sfence.vma, fence.i); 36 RV64C entries (c.nop shares c.addi).
  EXPECT_EQ(all32().size(), 51u + 13 + 22 + 30 + 32 + 6 + 7);
  EXPECT_EQ(all16().size(), 36u);
}

// ---------------------------------------------------------------------------
// Operand extraction: immediates and registers as the spec defines them.
// ---------------------------------------------------------------------------
TEST(DecodeFields, ImmediatesAndRegisters) {
  std::mt19937 g(2024);
  auto reg = [&] { return static_cast<u32>(g() % 32); };
  for (int i = 0; i < 500; ++i) {
    const u32 rd = reg(), rs1 = reg(), rs2 = reg();
    const i32 imm12 = static_cast<i32>(g() % 4096) - 2048;
    const i32 boff = 2 * (static_cast<i32>(g() % 4096) - 2048);
    const i32 joff = 2 * (static_cast<i32>(g() % (1 << 20)) - (1 << 19));
    const u32 imm20 = g() & 0xfffff;
    Decoded d = decode(addi(rd, rs1, imm12));
    EXPECT_EQ(d.rd, rd);
    EXPECT_EQ(d.rs1, rs1);
    EXPECT_EQ(d.imm, imm12);
    d = decode(sd(rs2, rs1, imm12));
    EXPECT_EQ(d.rs1, rs1);
    EXPECT_EQ(d.rs2, rs2);
    EXPECT_EQ(d.imm, imm12);
    d = decode(bgeu(rs1, rs2, boff));
    EXPECT_EQ(d.rs1, rs1);
    EXPECT_EQ(d.rs2, rs2);
    EXPECT_EQ(d.imm, boff);
    d = decode(jal(rd, joff));
    EXPECT_EQ(d.rd, rd);
    EXPECT_EQ(d.imm, joff);
    d = decode(lui(rd, imm20));
    EXPECT_EQ(d.imm, static_cast<i64>(static_cast<i32>(imm20 << 12)));
    d = decode(auipc(rd, imm20));
    EXPECT_EQ(d.imm, static_cast<i64>(static_cast<i32>(imm20 << 12)));
    const u32 sh = g() % 64;
    d = decode(srai(rd, rs1, sh));
    EXPECT_EQ(d.imm, static_cast<i64>(sh));
    d = decode(sraiw(rd, rs1, sh % 32));
    EXPECT_EQ(d.imm, static_cast<i64>(sh % 32));
    const u32 csr = g() % 4096;
    d = decode(csrrc(rd, csr, rs1));
    EXPECT_EQ(d.imm, static_cast<i64>(csr));
    EXPECT_EQ(d.rd, rd);
    EXPECT_EQ(d.rs1, rs1);
    const u32 rs3 = reg(), rm = g() % 8;
    d = decode(fnmadd_d(rd, rs1, rs2, rs3, rm));
    EXPECT_EQ(d.rd, rd);
    EXPECT_EQ(d.rs1, rs1);
    EXPECT_EQ(d.rs2, rs2);
    EXPECT_EQ(d.rs3, rs3);
    EXPECT_EQ(d.rm, rm);
  }
}

// ---------------------------------------------------------------------------
// Disassembly (format of disasm.cpp: mnemonic padded to 8 columns, ABI
// register names, ", " between operands, targets as absolute hex).
// ---------------------------------------------------------------------------
TEST(Disassembly, SpotChecks) {
  const u64 pc = 0x8000'1000;
  struct {
    u32 raw;
    const char* text;
  } cases[] = {
      {0x00b50533, "add     a0, a0, a1"},
      {addi(a0, a1, -2048), "addi    a0, a1, -2048"},
      {slli(a0, a1, 63), "slli    a0, a1, 0x3f"},
      {lw(a0, a1, 8), "lw      a0, 8(a1)"},
      {sd(t6, s0, 1000), "sd      t6, 1000(s0)"},
      {beq(a0, a1, -4096), "beq     a0, a1, 0x80000000"},
      {jal(ra, -2048), "jal     ra, 0x80000800"},
      {jalr(ra, a0, -1), "jalr    ra, -1(a0)"},
      {lui(a0, 0x80000), "lui     a0, 0x80000"},
      {auipc(t1, 0xfffff), "auipc   t1, 0xfffff"},
      {csrrw(a0, csrn::mstatus, a1), "csrrw   a0, mstatus, a1"},
      {csrrwi(a0, csrn::fcsr, 31), "csrrwi  a0, fcsr, 31"},
      {csrrc(t6, 0x7ff, t5), "csrrc   t6, 0x7ff, t5"},
      {fence(FIORW, FIORW), "fence   iorw, iorw"},
      {fence(FR, FW), "fence   r, w"},
      {fence_tso(), "fence.tso"},
      {fence_i(), "fence.i"},
      {ecall(), "ecall"},
      {mret(), "mret"},
      {amoadd_w(a0, a2, a1, true, true), "amoadd.w.aqrl a0, a2, (a1)"},
      {lr_d(a0, a1, true, false), "lr.d.aq a0, (a1)"},
      {sc_w(a0, a2, a1), "sc.w    a0, a2, (a1)"},
      {flw(0, a0, -4), "flw     ft0, -4(a0)"},
      {fadd_s(10, 11, 12), "fadd.s  fa0, fa1, fa2"},
      {fsub_s(10, 11, 12, RTZ), "fsub.s  fa0, fa1, fa2, rtz"},
      {fmadd_d(31, 11, 12, 13, RMM), "fmadd.d ft11, fa1, fa2, fa3, rmm"},
      {fcvt_w_s(a0, 11, RTZ), "fcvt.w.s a0, fa1, rtz"},
      {fmv_x_d(a0, 11), "fmv.x.d a0, fa1"},
      {mulhsu(s2, s3, s4), "mulhsu  s2, s3, s4"},
      {c_addi(a0, -32), "c.addi  a0, a0, -32"},
      {0x0000'0000, "illegal"},
  };
  for (const auto& c : cases) EXPECT_EQ(disassemble(c.raw, pc), c.text) << hex(c.raw);
}

}  // namespace
}  // namespace orrery::riscv::test
