// "F" extension: single-precision floating point (unprivileged spec, "F").
#include "fp.hpp"

namespace orrery::riscv {
namespace {
using namespace insn;
using F = F32;

const InsnSpec kInsns[] = {
    {"flw", "............ ..... 010 ..... 0000111", Imm::I, "fd,mem", fp_load<F>},
    {"fsw", "....... ..... ..... 010 ..... 0100111", Imm::S, "fs2,mem", fp_store<F>},
    {"fmadd.s", "..... 00 ..... ..... ... ..... 1000011", Imm::None, "fd,fs1,fs2,fs3,rm", fp_fused<F, false, false>},
    {"fmsub.s", "..... 00 ..... ..... ... ..... 1000111", Imm::None, "fd,fs1,fs2,fs3,rm", fp_fused<F, false, true>},
    {"fnmsub.s", "..... 00 ..... ..... ... ..... 1001011", Imm::None, "fd,fs1,fs2,fs3,rm", fp_fused<F, true, false>},
    {"fnmadd.s", "..... 00 ..... ..... ... ..... 1001111", Imm::None, "fd,fs1,fs2,fs3,rm", fp_fused<F, true, true>},
    {"fadd.s", "0000000 ..... ..... ... ..... 1010011", Imm::None, "fd,fs1,fs2,rm", fp_binary<F, F::add>},
    {"fsub.s", "0000100 ..... ..... ... ..... 1010011", Imm::None, "fd,fs1,fs2,rm", fp_binary<F, F::sub>},
    {"fmul.s", "0001000 ..... ..... ... ..... 1010011", Imm::None, "fd,fs1,fs2,rm", fp_binary<F, F::mul>},
    {"fdiv.s", "0001100 ..... ..... ... ..... 1010011", Imm::None, "fd,fs1,fs2,rm", fp_binary<F, F::div>},
    {"fsqrt.s", "0101100 00000 ..... ... ..... 1010011", Imm::None, "fd,fs1,rm", fp_sqrt<F>},
    {"fsgnj.s", "0010000 ..... ..... 000 ..... 1010011", Imm::None, "fd,fs1,fs2", fp_sign_inject<F, Sgn::Copy>},
    {"fsgnjn.s", "0010000 ..... ..... 001 ..... 1010011", Imm::None, "fd,fs1,fs2", fp_sign_inject<F, Sgn::Negate>},
    {"fsgnjx.s", "0010000 ..... ..... 010 ..... 1010011", Imm::None, "fd,fs1,fs2", fp_sign_inject<F, Sgn::Xor>},
    {"fmin.s", "0010100 ..... ..... 000 ..... 1010011", Imm::None, "fd,fs1,fs2", fp_minmax<F, F::min>},
    {"fmax.s", "0010100 ..... ..... 001 ..... 1010011", Imm::None, "fd,fs1,fs2", fp_minmax<F, F::max>},
    {"fcvt.w.s", "1100000 00000 ..... ... ..... 1010011", Imm::None, "rd,fs1,rm", fp_to_int<F, F::to_i32>},
    {"fcvt.wu.s", "1100000 00001 ..... ... ..... 1010011", Imm::None, "rd,fs1,rm", fp_to_int<F, F::to_u32>},
    {"fcvt.l.s", "1100000 00010 ..... ... ..... 1010011", Imm::None, "rd,fs1,rm", fp_to_int<F, F::to_i64>},
    {"fcvt.lu.s", "1100000 00011 ..... ... ..... 1010011", Imm::None, "rd,fs1,rm", fp_to_int<F, F::to_u64>},
    {"fmv.x.w", "1110000 00000 ..... 000 ..... 1010011", Imm::None, "rd,fs1",
     [](RiscvHart& h, const Decoded& d) {
       // Moves the raw low 32 bits, boxed or not, sign-extended.
       if (!h.fp_enabled()) return h.illegal(d);
       h.set_x(d.rd, sext32(h.f(d.rs1)));
     }},
    {"feq.s", "1010000 ..... ..... 010 ..... 1010011", Imm::None, "rd,fs1,fs2", fp_compare<F, F::eq>},
    {"flt.s", "1010000 ..... ..... 001 ..... 1010011", Imm::None, "rd,fs1,fs2", fp_compare<F, F::lt>},
    {"fle.s", "1010000 ..... ..... 000 ..... 1010011", Imm::None, "rd,fs1,fs2", fp_compare<F, F::le>},
    {"fclass.s", "1110000 00000 ..... 001 ..... 1010011", Imm::None, "rd,fs1", fp_classify<F>},
    {"fcvt.s.w", "1101000 00000 ..... ... ..... 1010011", Imm::None, "fd,rs1,rm", int_to_fp<F, i32, F::from_i32>},
    {"fcvt.s.wu", "1101000 00001 ..... ... ..... 1010011", Imm::None, "fd,rs1,rm", int_to_fp<F, u32, F::from_u32>},
    {"fcvt.s.l", "1101000 00010 ..... ... ..... 1010011", Imm::None, "fd,rs1,rm", int_to_fp<F, i64, F::from_i64>},
    {"fcvt.s.lu", "1101000 00011 ..... ... ..... 1010011", Imm::None, "fd,rs1,rm", int_to_fp<F, u64, F::from_u64>},
    {"fmv.w.x", "1111000 00000 ..... 000 ..... 1010011", Imm::None, "fd,rs1",
     [](RiscvHart& h, const Decoded& d) {
       if (!h.fp_enabled()) return h.illegal(d);
       h.set_f32(d.rd, static_cast<u32>(h.x(d.rs1)));
     }},
};

}  // namespace

std::span<const InsnSpec> rv64f_insns() { return kInsns; }

}  // namespace orrery::riscv
