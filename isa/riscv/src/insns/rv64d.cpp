// "D" extension: double-precision floating point (unprivileged spec, "D").
#include "fp.hpp"

namespace orrery::riscv {
namespace {
using namespace insn;
using F = F64;

const InsnSpec kInsns[] = {
    {"fld", "............ ..... 011 ..... 0000111", Imm::I, "fd,mem", fp_load<F>},
    {"fsd", "....... ..... ..... 011 ..... 0100111", Imm::S, "fs2,mem", fp_store<F>},
    {"fmadd.d", "..... 01 ..... ..... ... ..... 1000011", Imm::None, "fd,fs1,fs2,fs3,rm", fp_fused<F, false, false>},
    {"fmsub.d", "..... 01 ..... ..... ... ..... 1000111", Imm::None, "fd,fs1,fs2,fs3,rm", fp_fused<F, false, true>},
    {"fnmsub.d", "..... 01 ..... ..... ... ..... 1001011", Imm::None, "fd,fs1,fs2,fs3,rm", fp_fused<F, true, false>},
    {"fnmadd.d", "..... 01 ..... ..... ... ..... 1001111", Imm::None, "fd,fs1,fs2,fs3,rm", fp_fused<F, true, true>},
    {"fadd.d", "00000 01 ..... ..... ... ..... 1010011", Imm::None, "fd,fs1,fs2,rm", fp_binary<F, F::add>},
    {"fsub.d", "00001 01 ..... ..... ... ..... 1010011", Imm::None, "fd,fs1,fs2,rm", fp_binary<F, F::sub>},
    {"fmul.d", "00010 01 ..... ..... ... ..... 1010011", Imm::None, "fd,fs1,fs2,rm", fp_binary<F, F::mul>},
    {"fdiv.d", "00011 01 ..... ..... ... ..... 1010011", Imm::None, "fd,fs1,fs2,rm", fp_binary<F, F::div>},
    {"fsqrt.d", "01011 01 00000 ..... ... ..... 1010011", Imm::None, "fd,fs1,rm", fp_sqrt<F>},
    {"fsgnj.d", "00100 01 ..... ..... 000 ..... 1010011", Imm::None, "fd,fs1,fs2", fp_sign_inject<F, Sgn::Copy>},
    {"fsgnjn.d", "00100 01 ..... ..... 001 ..... 1010011", Imm::None, "fd,fs1,fs2", fp_sign_inject<F, Sgn::Negate>},
    {"fsgnjx.d", "00100 01 ..... ..... 010 ..... 1010011", Imm::None, "fd,fs1,fs2", fp_sign_inject<F, Sgn::Xor>},
    {"fmin.d", "00101 01 ..... ..... 000 ..... 1010011", Imm::None, "fd,fs1,fs2", fp_minmax<F, F::min>},
    {"fmax.d", "00101 01 ..... ..... 001 ..... 1010011", Imm::None, "fd,fs1,fs2", fp_minmax<F, F::max>},
    {"fcvt.w.d", "11000 01 00000 ..... ... ..... 1010011", Imm::None, "rd,fs1,rm", fp_to_int<F, F::to_i32>},
    {"fcvt.wu.d", "11000 01 00001 ..... ... ..... 1010011", Imm::None, "rd,fs1,rm", fp_to_int<F, F::to_u32>},
    {"fcvt.l.d", "11000 01 00010 ..... ... ..... 1010011", Imm::None, "rd,fs1,rm", fp_to_int<F, F::to_i64>},
    {"fcvt.lu.d", "11000 01 00011 ..... ... ..... 1010011", Imm::None, "rd,fs1,rm", fp_to_int<F, F::to_u64>},
    {"fmv.x.d", "1110001 00000 ..... 000 ..... 1010011", Imm::None, "rd,fs1",
     [](RiscvHart& h, const Decoded& d) {
       if (!h.fp_enabled()) return h.illegal(d);
       h.set_x(d.rd, h.f(d.rs1));
     }},
    {"feq.d", "10100 01 ..... ..... 010 ..... 1010011", Imm::None, "rd,fs1,fs2", fp_compare<F, F::eq>},
    {"flt.d", "10100 01 ..... ..... 001 ..... 1010011", Imm::None, "rd,fs1,fs2", fp_compare<F, F::lt>},
    {"fle.d", "10100 01 ..... ..... 000 ..... 1010011", Imm::None, "rd,fs1,fs2", fp_compare<F, F::le>},
    {"fclass.d", "11100 01 00000 ..... 001 ..... 1010011", Imm::None, "rd,fs1", fp_classify<F>},
    {"fcvt.d.w", "1101001 00000 ..... ... ..... 1010011", Imm::None, "fd,rs1", int_to_fp<F, i32, F::from_i32>},
    {"fcvt.d.wu", "1101001 00001 ..... ... ..... 1010011", Imm::None, "fd,rs1", int_to_fp<F, u32, F::from_u32>},
    {"fcvt.d.l", "1101001 00010 ..... ... ..... 1010011", Imm::None, "fd,rs1,rm", int_to_fp<F, i64, F::from_i64>},
    {"fcvt.d.lu", "1101001 00011 ..... ... ..... 1010011", Imm::None, "fd,rs1,rm", int_to_fp<F, u64, F::from_u64>},
    {"fmv.d.x", "1111001 00000 ..... 000 ..... 1010011", Imm::None, "fd,rs1",
     [](RiscvHart& h, const Decoded& d) {
       if (!h.fp_enabled()) return h.illegal(d);
       h.set_f64(d.rd, h.x(d.rs1));
     }},
    {"fcvt.s.d", "0100000 00001 ..... ... ..... 1010011", Imm::None, "fd,fs1,rm",
     [](RiscvHart& h, const Decoded& d) {
       with_rounding(h, d, [&](sf::Env& e) { h.set_f32(d.rd, sf::f64_to_f32(h.f(d.rs1), e)); });
     }},
    {"fcvt.d.s", "0100001 00000 ..... ... ..... 1010011", Imm::None, "fd,fs1",
     [](RiscvHart& h, const Decoded& d) {
       with_rounding(h, d, [&](sf::Env& e) { h.set_f64(d.rd, sf::f32_to_f64(h.f32(d.rs1), e)); });
     }},
};

}  // namespace

std::span<const InsnSpec> rv64d_insns() { return kInsns; }

}  // namespace orrery::riscv
