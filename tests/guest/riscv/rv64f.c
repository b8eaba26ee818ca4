/*
 * rv64f: single-precision arithmetic, FMA family, sqrt, div, min/max with
 * NaNs and signed zeros, compares, FCLASS, every conversion (saturation at the
 * integer limits and for NaN), FMV, FSGNJ*, NaN-boxing of inputs and results,
 * results and fflags in every static rounding mode and in dynamic mode via frm,
 * RMM ties, subnormal results and the underflow flag (tininess after
 * rounding), canonical NaN results, FS=Off trapping, FS=Dirty tracking.
 *
 * Names are "<op> <operands> <rounding mode>"; single values are written as
 * 32-bit images and NaN-boxed with B() when they sit in an f register.
 */
#include "guest.h"
#include "fp_harness.h"

#define B(x) (0xffffffff00000000ULL | (uint32_t)(x))

#define ONE   0x3f800000
#define TWO   0x40000000
#define THREE 0x40400000
#define HALF  0x3f000000
#define QUART 0x3e800000
#define M1    0xbf800000
#define P0    0x00000000
#define N0    0x80000000
#define PINF  0x7f800000
#define NINF  0xff800000
#define QNAN  0x7fc00000      /* canonical NaN */
#define QNANP 0x7fc12345      /* quiet NaN with payload */
#define NQNAN 0xffc00000      /* negative quiet NaN */
#define SNAN  0x7f800001
#define MAXF  0x7f7fffff
#define MINN  0x00800000      /* smallest normal */
#define MINS  0x00000001      /* smallest subnormal */
#define EPS24 0x33800000      /* 2^-24: half an ulp of 1.0 */
#define UNBOXED 0x000000003f800000ULL    /* 1.0f without the NaN box */
#define BADBOX  0xfffffffe3f800000ULL    /* one zero bit in the box */

DEF_RM(fadd_s, "fadd.s ft3, ft0, ft1", FP_POST_F)
DEF_RM(fsub_s, "fsub.s ft3, ft0, ft1", FP_POST_F)
DEF_RM(fmul_s, "fmul.s ft3, ft0, ft1", FP_POST_F)
DEF_RM(fdiv_s, "fdiv.s ft3, ft0, ft1", FP_POST_F)
DEF_RM(fsqrt_s, "fsqrt.s ft3, ft0", FP_POST_F)
DEF_RM(fmadd_s, "fmadd.s ft3, ft0, ft1, ft2", FP_POST_F)
DEF_RM(fmsub_s, "fmsub.s ft3, ft0, ft1, ft2", FP_POST_F)
DEF_RM(fnmadd_s, "fnmadd.s ft3, ft0, ft1, ft2", FP_POST_F)
DEF_RM(fnmsub_s, "fnmsub.s ft3, ft0, ft1, ft2", FP_POST_F)
DEF_NORM(fmin_s, "fmin.s ft3, ft0, ft1", FP_POST_F)
DEF_NORM(fmax_s, "fmax.s ft3, ft0, ft1", FP_POST_F)
DEF_NORM(feq_s, "feq.s %0, ft0, ft1", FP_POST_X)
DEF_NORM(flt_s, "flt.s %0, ft0, ft1", FP_POST_X)
DEF_NORM(fle_s, "fle.s %0, ft0, ft1", FP_POST_X)
DEF_NORM(fclass_s, "fclass.s %0, ft0", FP_POST_X)
DEF_RM(fcvt_w_s, "fcvt.w.s %0, ft0", FP_POST_X)
DEF_RM(fcvt_wu_s, "fcvt.wu.s %0, ft0", FP_POST_X)
DEF_RM(fcvt_l_s, "fcvt.l.s %0, ft0", FP_POST_X)
DEF_RM(fcvt_lu_s, "fcvt.lu.s %0, ft0", FP_POST_X)
DEF_RM(fcvt_s_w, "fcvt.s.w ft3, %2", FP_POST_F)
DEF_RM(fcvt_s_wu, "fcvt.s.wu ft3, %2", FP_POST_F)
DEF_RM(fcvt_s_l, "fcvt.s.l ft3, %2", FP_POST_F)
DEF_RM(fcvt_s_lu, "fcvt.s.lu ft3, %2", FP_POST_F)
DEF_NORM(fmv_x_w, "fmv.x.w %0, ft0", FP_POST_X)
DEF_NORM(fmv_w_x, "fmv.w.x ft3, %2", FP_POST_F)
DEF_NORM(fsgnj_s, "fsgnj.s ft3, ft0, ft1", FP_POST_F)
DEF_NORM(fsgnjn_s, "fsgnjn.s ft3, ft0, ft1", FP_POST_F)
DEF_NORM(fsgnjx_s, "fsgnjx.s ft3, ft0, ft1", FP_POST_F)

/* C(op, description, rm, a, b, c, expected result, expected fflags) */
#define C(fn, desc, rm, a, b, c, want, fl) { #fn " " desc " " #rm, fn, rm, a, b, c, want, fl }
/* operands given as single-precision images, NaN-boxed automatically */
#define C2(fn, desc, rm, a, b, want, fl) C(fn, desc, rm, B(a), B(b), 0, B(want), fl)
#define C3(fn, desc, rm, a, b, c, want, fl) C(fn, desc, rm, B(a), B(b), B(c), B(want), fl)
/* f -> x results (not boxed) */
#define CX(fn, desc, rm, a, b, want, fl) C(fn, desc, rm, B(a), B(b), 0, want, fl)
/* x -> f (integer operand raw) */
#define CI(fn, desc, rm, a, want, fl) C(fn, desc, rm, a, 0, 0, B(want), fl)

static const struct fp_case arith[] = {
    C2(fadd_s, "1+2", RNE, ONE, TWO, THREE, 0),
    C2(fadd_s, "1+2^-24", RNE, ONE, EPS24, 0x3f800000, NX),
    C2(fadd_s, "1+2^-24", RTZ, ONE, EPS24, 0x3f800000, NX),
    C2(fadd_s, "1+2^-24", RDN, ONE, EPS24, 0x3f800000, NX),
    C2(fadd_s, "1+2^-24", RUP, ONE, EPS24, 0x3f800001, NX),
    C2(fadd_s, "1+2^-24", RMM, ONE, EPS24, 0x3f800001, NX),
    C2(fadd_s, "(1+2^-23)+2^-24", RNE, 0x3f800001, EPS24, 0x3f800002, NX),
    C2(fadd_s, "(1+2^-23)+2^-24", RMM, 0x3f800001, EPS24, 0x3f800002, NX),
    C2(fadd_s, "(1+2^-23)+2^-24", RTZ, 0x3f800001, EPS24, 0x3f800001, NX),
    C2(fadd_s, "-0+-0", RNE, N0, N0, N0, 0),
    C2(fadd_s, "-0++0", RNE, N0, P0, P0, 0),
    C2(fadd_s, "-0++0", RDN, N0, P0, N0, 0),
    C2(fadd_s, "qNaN(payload)+1", RNE, QNANP, ONE, QNAN, 0),
    C2(fadd_s, "1+sNaN", RNE, ONE, SNAN, QNAN, NV),
    C2(fadd_s, "inf+-inf", RNE, PINF, NINF, QNAN, NV),
    C2(fadd_s, "max+max", RNE, MAXF, MAXF, PINF, OF | NX),
    C2(fsub_s, "-1-2^-24", RNE, M1, EPS24, 0xbf800000, NX),
    C2(fsub_s, "-1-2^-24", RTZ, M1, EPS24, 0xbf800000, NX),
    C2(fsub_s, "-1-2^-24", RDN, M1, EPS24, 0xbf800001, NX),
    C2(fsub_s, "-1-2^-24", RUP, M1, EPS24, 0xbf800000, NX),
    C2(fsub_s, "-1-2^-24", RMM, M1, EPS24, 0xbf800001, NX),
    C2(fsub_s, "1-1", RNE, ONE, ONE, P0, 0),
    C2(fsub_s, "1-1", RDN, ONE, ONE, N0, 0),
    C2(fsub_s, "1-1", DYN(RDN), ONE, ONE, N0, 0),
    C2(fsub_s, "inf-inf", RNE, PINF, PINF, QNAN, NV),
    C2(fsub_s, "-0-+0", RNE, N0, P0, N0, 0),
    C2(fmul_s, "3*0.5", RNE, THREE, HALF, 0x3fc00000, 0),
    C2(fmul_s, "max*2", RNE, MAXF, TWO, PINF, OF | NX),
    C2(fmul_s, "max*2", RTZ, MAXF, TWO, MAXF, OF | NX),
    C2(fmul_s, "max*2", RDN, MAXF, TWO, MAXF, OF | NX),
    C2(fmul_s, "max*2", RUP, MAXF, TWO, PINF, OF | NX),
    C2(fmul_s, "max*2", RMM, MAXF, TWO, PINF, OF | NX),
    C2(fmul_s, "-max*2", DYN(RNE), 0xff7fffff, TWO, NINF, OF | NX),
    C2(fmul_s, "-max*2", DYN(RTZ), 0xff7fffff, TWO, 0xff7fffff, OF | NX),
    C2(fmul_s, "-max*2", DYN(RDN), 0xff7fffff, TWO, NINF, OF | NX),
    C2(fmul_s, "-max*2", DYN(RUP), 0xff7fffff, TWO, 0xff7fffff, OF | NX),
    C2(fmul_s, "-max*2", DYN(RMM), 0xff7fffff, TWO, NINF, OF | NX),
    C2(fmul_s, "0*inf", RNE, P0, PINF, QNAN, NV),
    C2(fmul_s, "-1*+0", RNE, M1, P0, N0, 0),
    C2(fmul_s, "minsub*0.5", RNE, MINS, HALF, P0, UF | NX),
    C2(fmul_s, "minsub*0.5", RTZ, MINS, HALF, P0, UF | NX),
    C2(fmul_s, "minsub*0.5", RDN, MINS, HALF, P0, UF | NX),
    C2(fmul_s, "minsub*0.5", RUP, MINS, HALF, MINS, UF | NX),
    C2(fmul_s, "minsub*0.5", RMM, MINS, HALF, MINS, UF | NX),
    C2(fmul_s, "-minsub*0.5", RMM, 0x80000001, HALF, 0x80000001, UF | NX),
    C2(fmul_s, "-minsub*0.5", RNE, 0x80000001, HALF, N0, UF | NX),
    C2(fmul_s, "minsub*0.25", RUP, MINS, QUART, MINS, UF | NX),
    C2(fmul_s, "minsub*0.25", RMM, MINS, QUART, P0, UF | NX),
    C2(fmul_s, "minnorm*0.5 exact subnormal", RNE, MINN, HALF, 0x00400000, 0),
    C2(fmul_s, "minnorm*0.75 exact subnormal", RNE, MINN, 0x3f400000, 0x00600000, 0),
    C2(fmul_s, "minnorm*(1-2^-24)", RNE, MINN, 0x3f7fffff, MINN, UF | NX),
    C2(fmul_s, "minnorm*(1-2^-24)", RTZ, MINN, 0x3f7fffff, 0x007fffff, UF | NX),
    C2(fmul_s, "(1+2^-23)^2", RNE, 0x3f800001, 0x3f800001, 0x3f800002, NX),
    C2(fmul_s, "(1+2^-23)^2", RUP, 0x3f800001, 0x3f800001, 0x3f800003, NX),
    C2(fdiv_s, "1/3", RNE, ONE, THREE, 0x3eaaaaab, NX),
    C2(fdiv_s, "1/3", RTZ, ONE, THREE, 0x3eaaaaaa, NX),
    C2(fdiv_s, "1/3", RDN, ONE, THREE, 0x3eaaaaaa, NX),
    C2(fdiv_s, "1/3", RUP, ONE, THREE, 0x3eaaaaab, NX),
    C2(fdiv_s, "1/3", RMM, ONE, THREE, 0x3eaaaaab, NX),
    C2(fdiv_s, "1/3", DYN(RNE), ONE, THREE, 0x3eaaaaab, NX),
    C2(fdiv_s, "1/3", DYN(RTZ), ONE, THREE, 0x3eaaaaaa, NX),
    C2(fdiv_s, "1/3", DYN(RDN), ONE, THREE, 0x3eaaaaaa, NX),
    C2(fdiv_s, "1/3", DYN(RUP), ONE, THREE, 0x3eaaaaab, NX),
    C2(fdiv_s, "1/3", DYN(RMM), ONE, THREE, 0x3eaaaaab, NX),
    C2(fdiv_s, "-1/3", RNE, M1, THREE, 0xbeaaaaab, NX),
    C2(fdiv_s, "-1/3", RTZ, M1, THREE, 0xbeaaaaaa, NX),
    C2(fdiv_s, "-1/3", RDN, M1, THREE, 0xbeaaaaab, NX),
    C2(fdiv_s, "-1/3", RUP, M1, THREE, 0xbeaaaaaa, NX),
    C2(fdiv_s, "-1/3", RMM, M1, THREE, 0xbeaaaaab, NX),
    C2(fdiv_s, "1/0", RNE, ONE, P0, PINF, DZ),
    C2(fdiv_s, "-1/0", RNE, M1, P0, NINF, DZ),
    C2(fdiv_s, "1/-0", RNE, ONE, N0, NINF, DZ),
    C2(fdiv_s, "0/0", RNE, P0, P0, QNAN, NV),
    C2(fdiv_s, "inf/inf", RNE, PINF, PINF, QNAN, NV),
    C2(fdiv_s, "1/inf", RNE, ONE, PINF, P0, 0),
    C2(fdiv_s, "inf/0", RNE, PINF, P0, PINF, 0),
    C2(fdiv_s, "qNaN/0", RNE, QNAN, P0, QNAN, 0),
    C2(fsqrt_s, "4", RNE, 0x40800000, 0, TWO, 0),
    C2(fsqrt_s, "2", RNE, TWO, 0, 0x3fb504f3, NX),
    C2(fsqrt_s, "2", RDN, TWO, 0, 0x3fb504f3, NX),
    C2(fsqrt_s, "2", RUP, TWO, 0, 0x3fb504f4, NX),
    C2(fsqrt_s, "2", DYN(RUP), TWO, 0, 0x3fb504f4, NX),
    C2(fsqrt_s, "-1", RNE, M1, 0, QNAN, NV),
    C2(fsqrt_s, "-0", RNE, N0, 0, N0, 0),
    C2(fsqrt_s, "+inf", RNE, PINF, 0, PINF, 0),
    C2(fsqrt_s, "-inf", RNE, NINF, 0, QNAN, NV),
    C2(fsqrt_s, "qNaN", RNE, QNANP, 0, QNAN, 0),
    C2(fsqrt_s, "sNaN", RNE, SNAN, 0, QNAN, NV),
};

static const struct fp_case fma[] = {
    C3(fmadd_s, "2*3+1", RNE, TWO, THREE, ONE, 0x40e00000, 0),
    C3(fmsub_s, "2*3-1", RNE, TWO, THREE, ONE, 0x40a00000, 0),
    C3(fnmsub_s, "-(2*3)+1", RNE, TWO, THREE, ONE, 0xc0a00000, 0),
    C3(fnmadd_s, "-(2*3)-1", RNE, TWO, THREE, ONE, 0xc0e00000, 0),
    C3(fmadd_s, "fused (1+2^-12)^2-1", RNE, 0x3f800800, 0x3f800800, M1, 0x3a000400, 0),
    C3(fmadd_s, "fused (1+2^-23)^2-(1+2^-22)", RNE, 0x3f800001, 0x3f800001, 0xbf800002, 0x28800000, 0),
    C3(fmadd_s, "1*2-2", RNE, ONE, TWO, 0xc0000000, P0, 0),
    C3(fmadd_s, "1*2-2", RDN, ONE, TWO, 0xc0000000, N0, 0),
    C3(fmsub_s, "1*2-2", RNE, ONE, TWO, TWO, P0, 0),
    C3(fmsub_s, "1*2-2", RDN, ONE, TWO, TWO, N0, 0),
    C3(fnmadd_s, "-(1*2)+2", RNE, ONE, TWO, 0xc0000000, P0, 0),
    C3(fnmsub_s, "-(1*2)+2", RNE, ONE, TWO, TWO, P0, 0),
    C3(fnmsub_s, "-(1*2)+2", RDN, ONE, TWO, TWO, N0, 0),
    C3(fmadd_s, "inf*0+qNaN", RNE, PINF, P0, QNAN, QNAN, NV),
    C3(fmadd_s, "qNaN*1+1", RNE, QNANP, ONE, ONE, QNAN, 0),
    C3(fmadd_s, "1*1+sNaN", RNE, ONE, ONE, SNAN, QNAN, NV),
    C3(fmadd_s, "inf*1-inf", RNE, PINF, ONE, NINF, QNAN, NV),
    C3(fmadd_s, "-minsub*0.25+minnorm", RNE, 0x80000001, QUART, MINN, MINN, NX),
    C3(fmadd_s, "-minsub*0.25+minnorm", RTZ, 0x80000001, QUART, MINN, 0x007fffff, UF | NX),
    C3(fmadd_s, "-minsub*0.25+minnorm", RUP, 0x80000001, QUART, MINN, MINN, NX),
    C3(fmadd_s, "-minsub*0.25+minnorm", DYN(RDN), 0x80000001, QUART, MINN, 0x007fffff, UF | NX),
    C3(fmadd_s, "1*(2^-24)+1", RMM, ONE, EPS24, ONE, 0x3f800001, NX),
    C3(fmadd_s, "1*(2^-24)+1", RNE, ONE, EPS24, ONE, 0x3f800000, NX),
    C3(fnmadd_s, "-(1*2^-24)-1", RMM, ONE, EPS24, ONE, 0xbf800001, NX),
    C3(fnmadd_s, "-(1*2^-24)-1", RUP, ONE, EPS24, ONE, 0xbf800000, NX),
    C3(fmadd_s, "max*2-max", RNE, MAXF, TWO, 0xff7fffff, MAXF, 0),
};

static const struct fp_case minmax_cmp[] = {
    C2(fmin_s, "1,2", RNE, ONE, TWO, ONE, 0),
    C2(fmax_s, "1,2", RNE, ONE, TWO, TWO, 0),
    C2(fmin_s, "-0,+0", RNE, N0, P0, N0, 0),
    C2(fmin_s, "+0,-0", RNE, P0, N0, N0, 0),
    C2(fmax_s, "-0,+0", RNE, N0, P0, P0, 0),
    C2(fmax_s, "+0,-0", RNE, P0, N0, P0, 0),
    C2(fmin_s, "qNaN,1", RNE, QNANP, ONE, ONE, 0),
    C2(fmin_s, "1,qNaN", RNE, ONE, QNANP, ONE, 0),
    C2(fmax_s, "qNaN,-1", RNE, QNAN, M1, M1, 0),
    C2(fmin_s, "sNaN,1", RNE, SNAN, ONE, ONE, NV),
    C2(fmax_s, "1,sNaN", RNE, ONE, SNAN, ONE, NV),
    C2(fmin_s, "qNaN,qNaN", RNE, QNANP, NQNAN, QNAN, 0),
    C2(fmax_s, "sNaN,qNaN", RNE, SNAN, QNANP, QNAN, NV),
    C2(fmin_s, "-inf,1", RNE, NINF, ONE, NINF, 0),
    C2(fmax_s, "-inf,+inf", RNE, NINF, PINF, PINF, 0),
    C2(fmin_s, "-1,minsub", RNE, M1, MINS, M1, 0),
    CX(feq_s, "1,1", RNE, ONE, ONE, 1, 0),
    CX(feq_s, "1,2", RNE, ONE, TWO, 0, 0),
    CX(feq_s, "-0,+0", RNE, N0, P0, 1, 0),
    CX(feq_s, "qNaN,1", RNE, QNAN, ONE, 0, 0),
    CX(feq_s, "qNaN,qNaN", RNE, QNAN, QNAN, 0, 0),
    CX(feq_s, "sNaN,1", RNE, SNAN, ONE, 0, NV),
    CX(flt_s, "1,2", RNE, ONE, TWO, 1, 0),
    CX(flt_s, "2,1", RNE, TWO, ONE, 0, 0),
    CX(flt_s, "1,1", RNE, ONE, ONE, 0, 0),
    CX(flt_s, "-0,+0", RNE, N0, P0, 0, 0),
    CX(flt_s, "-inf,inf", RNE, NINF, PINF, 1, 0),
    CX(flt_s, "-2,-1", RNE, 0xc0000000, M1, 1, 0),
    CX(flt_s, "qNaN,1", RNE, QNAN, ONE, 0, NV),
    CX(flt_s, "1,sNaN", RNE, ONE, SNAN, 0, NV),
    CX(fle_s, "-0,+0", RNE, N0, P0, 1, 0),
    CX(fle_s, "1,1", RNE, ONE, ONE, 1, 0),
    CX(fle_s, "2,1", RNE, TWO, ONE, 0, 0),
    CX(fle_s, "1,qNaN", RNE, ONE, QNAN, 0, NV),
    CX(fle_s, "minsub,minnorm", RNE, MINS, MINN, 1, 0),
};

static const struct fp_case classify[] = {
    CX(fclass_s, "-inf", RNE, NINF, 0, 0x001, 0),
    CX(fclass_s, "-1", RNE, M1, 0, 0x002, 0),
    CX(fclass_s, "-subnormal", RNE, 0x80000001, 0, 0x004, 0),
    CX(fclass_s, "-0", RNE, N0, 0, 0x008, 0),
    CX(fclass_s, "+0", RNE, P0, 0, 0x010, 0),
    CX(fclass_s, "+subnormal", RNE, 0x007fffff, 0, 0x020, 0),
    CX(fclass_s, "+1", RNE, ONE, 0, 0x040, 0),
    CX(fclass_s, "+inf", RNE, PINF, 0, 0x080, 0),
    CX(fclass_s, "sNaN", RNE, SNAN, 0, 0x100, 0),
    CX(fclass_s, "-sNaN", RNE, 0xff800001, 0, 0x100, 0),
    CX(fclass_s, "qNaN", RNE, QNAN, 0, 0x200, 0),
    CX(fclass_s, "-qNaN", RNE, NQNAN, 0, 0x200, 0),
    CX(fclass_s, "max", RNE, MAXF, 0, 0x040, 0),
};

static const struct fp_case convert[] = {
    CX(fcvt_w_s, "2.5", RNE, 0x40200000, 0, 2, NX),
    CX(fcvt_w_s, "2.5", RTZ, 0x40200000, 0, 2, NX),
    CX(fcvt_w_s, "2.5", RDN, 0x40200000, 0, 2, NX),
    CX(fcvt_w_s, "2.5", RUP, 0x40200000, 0, 3, NX),
    CX(fcvt_w_s, "2.5", RMM, 0x40200000, 0, 3, NX),
    CX(fcvt_w_s, "-2.5", RNE, 0xc0200000, 0, 0xfffffffffffffffe, NX),
    CX(fcvt_w_s, "-2.5", RTZ, 0xc0200000, 0, 0xfffffffffffffffe, NX),
    CX(fcvt_w_s, "-2.5", RDN, 0xc0200000, 0, 0xfffffffffffffffd, NX),
    CX(fcvt_w_s, "-2.5", RUP, 0xc0200000, 0, 0xfffffffffffffffe, NX),
    CX(fcvt_w_s, "-2.5", RMM, 0xc0200000, 0, 0xfffffffffffffffd, NX),
    CX(fcvt_w_s, "3.5", DYN(RNE), 0x40600000, 0, 4, NX),
    CX(fcvt_w_s, "3.5", DYN(RTZ), 0x40600000, 0, 3, NX),
    CX(fcvt_w_s, "0.5", RMM, HALF, 0, 1, NX),
    CX(fcvt_w_s, "0.5", RNE, HALF, 0, 0, NX),
    CX(fcvt_w_s, "1.0", RNE, ONE, 0, 1, 0),
    CX(fcvt_w_s, "-2^31", RNE, 0xcf000000, 0, 0xffffffff80000000, 0),
    CX(fcvt_w_s, "2^31", RNE, 0x4f000000, 0, 0x7fffffff, NV),
    CX(fcvt_w_s, "-3e9", RNE, 0xcf32d05e, 0, 0xffffffff80000000, NV),
    CX(fcvt_w_s, "+inf", RNE, PINF, 0, 0x7fffffff, NV),
    CX(fcvt_w_s, "-inf", RNE, NINF, 0, 0xffffffff80000000, NV),
    CX(fcvt_w_s, "qNaN", RNE, QNAN, 0, 0x7fffffff, NV),
    CX(fcvt_w_s, "-qNaN", RNE, NQNAN, 0, 0x7fffffff, NV),
    CX(fcvt_w_s, "sNaN", RNE, SNAN, 0, 0x7fffffff, NV),
    CX(fcvt_w_s, "-0", RNE, N0, 0, 0, 0),
    CX(fcvt_wu_s, "3e9 (sign-extended)", RNE, 0x4f32d05e, 0, 0xffffffffb2d05e00, 0),
    CX(fcvt_wu_s, "-1", RNE, M1, 0, 0, NV),
    CX(fcvt_wu_s, "-0.5", RNE, 0xbf000000, 0, 0, NX),
    CX(fcvt_wu_s, "-0.5", RDN, 0xbf000000, 0, 0, NV),
    CX(fcvt_wu_s, "2^32", RNE, 0x4f800000, 0, 0xffffffffffffffff, NV),
    CX(fcvt_wu_s, "+inf", RNE, PINF, 0, 0xffffffffffffffff, NV),
    CX(fcvt_wu_s, "-inf", RNE, NINF, 0, 0, NV),
    CX(fcvt_wu_s, "qNaN", RNE, QNAN, 0, 0xffffffffffffffff, NV),
    CX(fcvt_wu_s, "1.5", RUP, 0x3fc00000, 0, 2, NX),
    CX(fcvt_l_s, "2^63", RNE, 0x5f000000, 0, 0x7fffffffffffffff, NV),
    CX(fcvt_l_s, "-2^63", RNE, 0xdf000000, 0, 0x8000000000000000, 0),
    CX(fcvt_l_s, "qNaN", RNE, QNAN, 0, 0x7fffffffffffffff, NV),
    CX(fcvt_l_s, "-inf", RNE, NINF, 0, 0x8000000000000000, NV),
    CX(fcvt_l_s, "+inf", RNE, PINF, 0, 0x7fffffffffffffff, NV),
    CX(fcvt_l_s, "1.5", RNE, 0x3fc00000, 0, 2, NX),
    CX(fcvt_l_s, "-1.5", RTZ, 0xbfc00000, 0, 0xffffffffffffffff, NX),
    CX(fcvt_l_s, "-1.5", RMM, 0xbfc00000, 0, 0xfffffffffffffffe, NX),
    CX(fcvt_l_s, "3e9", RNE, 0x4f32d05e, 0, 3000000000, 0),
    CX(fcvt_lu_s, "2^63", RNE, 0x5f000000, 0, 0x8000000000000000, 0),
    CX(fcvt_lu_s, "2^64", RNE, 0x5f800000, 0, 0xffffffffffffffff, NV),
    CX(fcvt_lu_s, "-1", RNE, M1, 0, 0, NV),
    CX(fcvt_lu_s, "qNaN", RNE, QNAN, 0, 0xffffffffffffffff, NV),
    CX(fcvt_lu_s, "-inf", RNE, NINF, 0, 0, NV),
    CX(fcvt_lu_s, "0.75", RUP, 0x3f400000, 0, 1, NX),
    CI(fcvt_s_w, "0x7fffffff", RNE, 0x7fffffff, 0x4f000000, NX),
    CI(fcvt_s_w, "0x7fffffff", RTZ, 0x7fffffff, 0x4effffff, NX),
    CI(fcvt_s_w, "0x7fffffff", RDN, 0x7fffffff, 0x4effffff, NX),
    CI(fcvt_s_w, "0x7fffffff", RUP, 0x7fffffff, 0x4f000000, NX),
    CI(fcvt_s_w, "0x7fffffff", RMM, 0x7fffffff, 0x4f000000, NX),
    CI(fcvt_s_w, "-1", RNE, 0xffffffffffffffff, M1, 0),
    CI(fcvt_s_w, "0x100000001 (low word)", RNE, 0x100000001, ONE, 0),
    CI(fcvt_s_w, "0", RNE, 0, P0, 0),
    CI(fcvt_s_w, "-2^31", RNE, 0x80000000, 0xcf000000, 0),
    CI(fcvt_s_w, "0x1000001", RNE, 0x1000001, 0x4b800000, NX),
    CI(fcvt_s_w, "0x1000001", RUP, 0x1000001, 0x4b800001, NX),
    CI(fcvt_s_w, "0x1000003", RMM, 0x1000003, 0x4b800002, NX),
    CI(fcvt_s_w, "0x1000003", RNE, 0x1000003, 0x4b800002, NX),
    CI(fcvt_s_wu, "0xffffffff", RNE, 0xffffffff, 0x4f800000, NX),
    CI(fcvt_s_wu, "0xffffffff", RTZ, 0xffffffff, 0x4f7fffff, NX),
    CI(fcvt_s_wu, "0xffffffff80000000 (low word)", RNE, 0xffffffff80000000, 0x4f000000, 0),
    CI(fcvt_s_l, "-2^63", RNE, 0x8000000000000000, 0xdf000000, 0),
    CI(fcvt_s_l, "-1", RNE, 0xffffffffffffffff, M1, 0),
    CI(fcvt_s_l, "2^63-1", RNE, 0x7fffffffffffffff, 0x5f000000, NX),
    CI(fcvt_s_l, "2^63-1", RTZ, 0x7fffffffffffffff, 0x5effffff, NX),
    CI(fcvt_s_l, "0x100000001", RNE, 0x100000001, 0x4f800000, NX),
    CI(fcvt_s_lu, "2^64-1", RNE, 0xffffffffffffffff, 0x5f800000, NX),
    CI(fcvt_s_lu, "2^64-1", RDN, 0xffffffffffffffff, 0x5f7fffff, NX),
    CI(fcvt_s_lu, "2^63", RNE, 0x8000000000000000, 0x5f000000, 0),
};

static const struct fp_case moves[] = {
    CX(fmv_x_w, "-0 (sign-extends)", RNE, N0, 0, 0xffffffff80000000, 0),
    CX(fmv_x_w, "qNaN", RNE, QNAN, 0, 0x7fc00000, 0),
    C(fmv_x_w, "unboxed register (low word)", RNE, 0x123456789abcdef0, 0, 0, 0xffffffff9abcdef0, 0),
    C(fmv_x_w, "sNaN kept", RNE, B(SNAN), 0, 0, SNAN, 0),
    C(fmv_w_x, "boxes", RNE, 0x123456783f800000, 0, 0, B(ONE), 0),
    C(fmv_w_x, "sNaN kept", RNE, SNAN, 0, 0, B(SNAN), 0),
    C2(fsgnj_s, "1,-2", RNE, ONE, 0xc0000000, M1, 0),
    C2(fsgnj_s, "-1,2", RNE, M1, TWO, ONE, 0),
    C2(fsgnjn_s, "1,-2", RNE, ONE, 0xc0000000, ONE, 0),
    C2(fsgnjn_s, "1,2", RNE, ONE, TWO, M1, 0),
    C2(fsgnjx_s, "-1,-2", RNE, M1, 0xc0000000, ONE, 0),
    C2(fsgnjx_s, "-1,2", RNE, M1, TWO, M1, 0),
    C2(fsgnjx_s, "-inf,-0", RNE, NINF, N0, PINF, 0),
    C2(fsgnj_s, "qNaN payload kept", RNE, QNANP, M1, 0xffc12345, 0),
    C2(fsgnj_s, "sNaN: no NV, no quieting", RNE, SNAN, ONE, SNAN, 0),
    C2(fsgnjn_s, "sNaN negated", RNE, SNAN, SNAN, 0xff800001, 0),
};

/* A single-precision op reading an improperly NaN-boxed register sees the canonical NaN. */
static const struct fp_case nanbox[] = {
    C(fadd_s, "unboxed+1", RNE, UNBOXED, B(ONE), 0, B(QNAN), 0),
    C(fadd_s, "1+badbox", RNE, B(ONE), BADBOX, 0, B(QNAN), 0),
    C(fmul_s, "badbox*0", RNE, BADBOX, B(P0), 0, B(QNAN), 0),
    C(fsqrt_s, "unboxed", RNE, UNBOXED, 0, 0, B(QNAN), 0),
    C(fmadd_s, "1*1+unboxed", RNE, B(ONE), B(ONE), UNBOXED, B(QNAN), 0),
    C(fmin_s, "unboxed,2", RNE, UNBOXED, B(TWO), 0, B(TWO), 0),
    C(fmax_s, "unboxed,unboxed", RNE, UNBOXED, UNBOXED, 0, B(QNAN), 0),
    C(feq_s, "unboxed,unboxed", RNE, UNBOXED, UNBOXED, 0, 0, 0),
    C(fle_s, "unboxed,1", RNE, UNBOXED, B(ONE), 0, 0, NV),
    C(fclass_s, "unboxed", RNE, UNBOXED, 0, 0, 0x200, 0),
    C(fclass_s, "badbox", RNE, BADBOX, 0, 0, 0x200, 0),
    C(fcvt_w_s, "unboxed", RNE, UNBOXED, 0, 0, 0x7fffffff, NV),
    C(fsgnj_s, "unboxed,-1", RNE, UNBOXED, B(M1), 0, B(0xffc00000), 0),
    C(fsgnjn_s, "1,unboxed", RNE, B(ONE), UNBOXED, 0, B(M1), 0),
    C(fsgnjx_s, "unboxed,unboxed", RNE, UNBOXED, UNBOXED, 0, B(QNAN), 0),
};

static void test_load_store(void)
{
    static volatile uint32_t words[2] = { 0x3f800000, 0x11111111 };
    uint64_t r;
    __asm__ __volatile__("flw ft0, 0(%1)\n\tfmv.x.d %0, ft0" : "=r"(r) : "r"(words) : "ft0", "memory");
    EXPECT_EQ("flw NaN-boxes", r, B(ONE));
    __asm__ __volatile__("fmv.d.x ft0, %0\n\tfsw ft0, 4(%1)"
                         :: "r"(0x123456789abcdef0UL), "r"(words) : "ft0", "memory");
    EXPECT_EQ("fsw stores the low word of an unboxed register", words[1], 0x9abcdef0);
    EXPECT_EQ("fsw leaves the neighbour", words[0], 0x3f800000);
    words[1] = SNAN;
    __asm__ __volatile__("flw ft0, 4(%1)\n\tfsw ft0, 0(%1)\n\tfmv.x.d %0, ft0"
                         : "=r"(r) : "r"(words) : "ft0", "memory");
    EXPECT_EQ("flw/fsw keep sNaN bits", words[0], SNAN);
    EXPECT_EQ("flw sNaN register image", r, B(SNAN));
}

static void test_fflags(void)
{
    uint64_t fl, fcsr;
    /* flags accumulate until cleared */
    __asm__ __volatile__("fsflags x0\n\tfmv.w.x ft0, %1\n\tfmv.w.x ft1, x0\n\t"
                         "fdiv.s ft2, ft0, ft1\n\tfmv.w.x ft1, %2\n\tfdiv.s ft2, ft0, ft1\n\tfrflags %0"
                         : "=r"(fl) : "r"((uint64_t)ONE), "r"((uint64_t)THREE) : "ft0", "ft1", "ft2");
    EXPECT_EQ("fflags accumulate (DZ then NX)", fl, DZ | NX);
    /* an operation raising no exception leaves earlier flags alone */
    __asm__ __volatile__("fsflags %1\n\tfmv.w.x ft0, %2\n\tfadd.s ft1, ft0, ft0\n\tfrflags %0"
                         : "=r"(fl) : "r"((uint64_t)OF), "r"((uint64_t)ONE) : "ft0", "ft1");
    EXPECT_EQ("exact op keeps fflags", fl, OF);
    /* frm is not changed by operations; fcsr = frm<<5 | fflags */
    __asm__ __volatile__("fscsr x0\n\tfsrmi 3\n\tfmv.w.x ft0, %1\n\tfmv.w.x ft1, %2\n\t"
                         "fdiv.s ft2, ft0, ft1\n\tfrcsr %0\n\tfscsr x0"
                         : "=r"(fcsr) : "r"((uint64_t)ONE), "r"((uint64_t)THREE) : "ft0", "ft1", "ft2");
    EXPECT_EQ("fcsr after dyn 1/3 with frm=RUP", fcsr, (RUP << 5) | NX);
}

/* Invalid rounding modes are illegal instructions: frm = 5/6/7 with DYN, rm = 5/6 static. */
static void test_bad_rm(void)
{
    uint64_t r = 0;
    for (int m = 5; m <= 7; m++) {
        __asm__ __volatile__("fsrm %0" :: "r"((uint64_t)m));
        trap_arm();
        __asm__ __volatile__("fadd.s ft0, ft1, ft2, dyn" ::: "ft0");
        int t = trap_disarm();
        const char *nm = m == 5 ? "fadd.s dyn with frm=5 is illegal" :
                         m == 6 ? "fadd.s dyn with frm=6 is illegal" :
                                  "fadd.s dyn with frm=7 is illegal";
        CHECK(nm, t && g_trap.cause == CAUSE_ILLEGAL_INSN);
    }
    /* an instruction without a rounding mode does not care about frm */
    __asm__ __volatile__("fsrmi 6\n\tfmv.w.x ft1, %1\n\tfsgnjn.s ft0, ft1, ft1\n\tfmv.x.w %0, ft0\n\tfsrmi 0"
                         : "=r"(r) : "r"((uint64_t)ONE) : "ft0", "ft1");
    EXPECT_EQ("fsgnjn.s with frm=6 executes", r, 0xffffffffbf800000);
    __asm__ __volatile__("fsrmi 0");
    trap_arm();
    __asm__ __volatile__(".insn r 0x53, 5, 0, ft0, ft1, ft2" ::: "ft0"); /* fadd.s rm=5 */
    CHECK("fadd.s rm=5 is illegal", trap_disarm() && g_trap.cause == CAUSE_ILLEGAL_INSN);
    trap_arm();
    __asm__ __volatile__(".insn r 0x53, 6, 0x0c, ft0, ft1, ft2" ::: "ft0"); /* fdiv.s rm=6 */
    CHECK("fdiv.s rm=6 is illegal", trap_disarm() && g_trap.cause == CAUSE_ILLEGAL_INSN);
}

static void test_fs_field(void)
{
    uint64_t st;
    /* FS = Initial, then an FP write must make it Dirty (and set SD) */
    csr_clear(mstatus, MSTATUS_FS);
    csr_set(mstatus, 1UL << 13);
    __asm__ __volatile__("fmv.w.x ft0, x0\n\tfadd.s ft1, ft0, ft0" ::: "ft0", "ft1");
    st = csr_read(mstatus);
    EXPECT_EQ("FP op sets mstatus.FS=Dirty", (st >> 13) & 3, 3);
    EXPECT_EQ("mstatus.SD set when FS=Dirty", st >> 63, 1);
    /* FS = Off: FP instructions and fcsr accesses are illegal */
    csr_clear(mstatus, MSTATUS_FS);
    trap_arm();
    __asm__ __volatile__("fadd.s ft1, ft0, ft0" ::: "ft1");
    CHECK("FS=Off: fadd.s is illegal", trap_disarm() && g_trap.cause == CAUSE_ILLEGAL_INSN);
    trap_arm();
    __asm__ __volatile__("flw ft1, 0(sp)" ::: "ft1");
    CHECK("FS=Off: flw is illegal", trap_disarm() && g_trap.cause == CAUSE_ILLEGAL_INSN);
    uint64_t v = 0;
    trap_arm();
    __asm__ __volatile__("frcsr %0" : "+r"(v));
    CHECK("FS=Off: frcsr is illegal", trap_disarm() && g_trap.cause == CAUSE_ILLEGAL_INSN);
    csr_set(mstatus, 1UL << 13);
}

int main(void)
{
    fp_run_cases(arith, NCASES(arith));
    fp_run_cases(fma, NCASES(fma));
    fp_run_cases(minmax_cmp, NCASES(minmax_cmp));
    fp_run_cases(classify, NCASES(classify));
    fp_run_cases(convert, NCASES(convert));
    fp_run_cases(moves, NCASES(moves));
    fp_run_cases(nanbox, NCASES(nanbox));
    test_load_store();
    test_fflags();
    test_bad_rm();
    test_fs_field();
    return test_summary("rv64f");
}
