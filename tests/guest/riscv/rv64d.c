/*
 * rv64d: double-precision arithmetic, FMA family, sqrt, div, min/max with
 * NaNs and signed zeros, compares, FCLASS, every conversion (to/from integers
 * with saturation, to/from single with NaN-boxing), FMV.X.D/FMV.D.X, FSGNJ*,
 * every static rounding mode and dynamic mode, RMM ties, subnormals and the
 * underflow flag, canonical NaN results, FLD/FSD.
 */
#include "guest.h"
#include "fp_harness.h"

#define B(x) (0xffffffff00000000ULL | (uint32_t)(x))

#define ONE   0x3ff0000000000000ULL
#define TWO   0x4000000000000000ULL
#define THREE 0x4008000000000000ULL
#define HALF  0x3fe0000000000000ULL
#define QUART 0x3fd0000000000000ULL
#define M1    0xbff0000000000000ULL
#define M2    0xc000000000000000ULL
#define P0    0x0000000000000000ULL
#define N0    0x8000000000000000ULL
#define PINF  0x7ff0000000000000ULL
#define NINF  0xfff0000000000000ULL
#define QNAN  0x7ff8000000000000ULL   /* canonical NaN */
#define QNANP 0x7ff8000000012345ULL
#define NQNAN 0xfff8000000000000ULL
#define SNAN  0x7ff0000000000001ULL
#define MAXD  0x7fefffffffffffffULL
#define NMAXD 0xffefffffffffffffULL
#define MINN  0x0010000000000000ULL
#define MINS  0x0000000000000001ULL
#define EPS53 0x3ca0000000000000ULL   /* 2^-53: half an ulp of 1.0 */
#define BOXED_ONE_F 0xffffffff3f800000ULL  /* 1.0f NaN-boxed: a quiet NaN as double */

DEF_RM(fadd_d, "fadd.d ft3, ft0, ft1", FP_POST_F)
DEF_RM(fsub_d, "fsub.d ft3, ft0, ft1", FP_POST_F)
DEF_RM(fmul_d, "fmul.d ft3, ft0, ft1", FP_POST_F)
DEF_RM(fdiv_d, "fdiv.d ft3, ft0, ft1", FP_POST_F)
DEF_RM(fsqrt_d, "fsqrt.d ft3, ft0", FP_POST_F)
DEF_RM(fmadd_d, "fmadd.d ft3, ft0, ft1, ft2", FP_POST_F)
DEF_RM(fmsub_d, "fmsub.d ft3, ft0, ft1, ft2", FP_POST_F)
DEF_RM(fnmadd_d, "fnmadd.d ft3, ft0, ft1, ft2", FP_POST_F)
DEF_RM(fnmsub_d, "fnmsub.d ft3, ft0, ft1, ft2", FP_POST_F)
DEF_NORM(fmin_d, "fmin.d ft3, ft0, ft1", FP_POST_F)
DEF_NORM(fmax_d, "fmax.d ft3, ft0, ft1", FP_POST_F)
DEF_NORM(feq_d, "feq.d %0, ft0, ft1", FP_POST_X)
DEF_NORM(flt_d, "flt.d %0, ft0, ft1", FP_POST_X)
DEF_NORM(fle_d, "fle.d %0, ft0, ft1", FP_POST_X)
DEF_NORM(fclass_d, "fclass.d %0, ft0", FP_POST_X)
DEF_RM(fcvt_w_d, "fcvt.w.d %0, ft0", FP_POST_X)
DEF_RM(fcvt_wu_d, "fcvt.wu.d %0, ft0", FP_POST_X)
DEF_RM(fcvt_l_d, "fcvt.l.d %0, ft0", FP_POST_X)
DEF_RM(fcvt_lu_d, "fcvt.lu.d %0, ft0", FP_POST_X)
/* exact conversions: the assembler takes no rounding mode for these */
DEF_NORM(fcvt_d_w, "fcvt.d.w ft3, %2", FP_POST_F)
DEF_NORM(fcvt_d_wu, "fcvt.d.wu ft3, %2", FP_POST_F)
DEF_RM(fcvt_d_l, "fcvt.d.l ft3, %2", FP_POST_F)
DEF_RM(fcvt_d_lu, "fcvt.d.lu ft3, %2", FP_POST_F)
DEF_RM(fcvt_s_d, "fcvt.s.d ft3, ft0", FP_POST_F)
DEF_NORM(fcvt_d_s, "fcvt.d.s ft3, ft0", FP_POST_F)
DEF_NORM(fmv_x_d, "fmv.x.d %0, ft0", FP_POST_X)
DEF_NORM(fmv_d_x, "fmv.d.x ft3, %2", FP_POST_F)
DEF_NORM(fsgnj_d, "fsgnj.d ft3, ft0, ft1", FP_POST_F)
DEF_NORM(fsgnjn_d, "fsgnjn.d ft3, ft0, ft1", FP_POST_F)
DEF_NORM(fsgnjx_d, "fsgnjx.d ft3, ft0, ft1", FP_POST_F)

#define C(fn, desc, rm, a, b, c, want, fl) { #fn " " desc " " #rm, fn, rm, a, b, c, want, fl }
#define C2(fn, desc, rm, a, b, want, fl) C(fn, desc, rm, a, b, 0, want, fl)

static const struct fp_case arith[] = {
    C2(fadd_d, "1+2", RNE, ONE, TWO, THREE, 0),
    C2(fadd_d, "1+2^-53", RNE, ONE, EPS53, ONE, NX),
    C2(fadd_d, "1+2^-53", RTZ, ONE, EPS53, ONE, NX),
    C2(fadd_d, "1+2^-53", RDN, ONE, EPS53, ONE, NX),
    C2(fadd_d, "1+2^-53", RUP, ONE, EPS53, 0x3ff0000000000001, NX),
    C2(fadd_d, "1+2^-53", RMM, ONE, EPS53, 0x3ff0000000000001, NX),
    C2(fadd_d, "1+2^-53", DYN(RMM), ONE, EPS53, 0x3ff0000000000001, NX),
    C2(fadd_d, "1+2^-53", DYN(RNE), ONE, EPS53, ONE, NX),
    C2(fadd_d, "(1+2^-52)+2^-53", RNE, 0x3ff0000000000001, EPS53, 0x3ff0000000000002, NX),
    C2(fadd_d, "-0+-0", RNE, N0, N0, N0, 0),
    C2(fadd_d, "-0++0", RNE, N0, P0, P0, 0),
    C2(fadd_d, "-0++0", RDN, N0, P0, N0, 0),
    C2(fadd_d, "qNaN(payload)+1", RNE, QNANP, ONE, QNAN, 0),
    C2(fadd_d, "1+sNaN", RNE, ONE, SNAN, QNAN, NV),
    C2(fadd_d, "inf+-inf", RNE, PINF, NINF, QNAN, NV),
    C2(fadd_d, "max+max", RNE, MAXD, MAXD, PINF, OF | NX),
    C2(fadd_d, "max+max", RTZ, MAXD, MAXD, MAXD, OF | NX),
    C2(fsub_d, "-1-2^-53", RNE, M1, EPS53, M1, NX),
    C2(fsub_d, "-1-2^-53", RDN, M1, EPS53, 0xbff0000000000001, NX),
    C2(fsub_d, "-1-2^-53", RUP, M1, EPS53, M1, NX),
    C2(fsub_d, "-1-2^-53", RMM, M1, EPS53, 0xbff0000000000001, NX),
    C2(fsub_d, "-1-2^-53", RTZ, M1, EPS53, M1, NX),
    C2(fsub_d, "1-1", RNE, ONE, ONE, P0, 0),
    C2(fsub_d, "1-1", RDN, ONE, ONE, N0, 0),
    C2(fsub_d, "inf-inf", RNE, PINF, PINF, QNAN, NV),
    C2(fmul_d, "3*0.5", RNE, THREE, HALF, 0x3ff8000000000000, 0),
    C2(fmul_d, "max*2", RNE, MAXD, TWO, PINF, OF | NX),
    C2(fmul_d, "max*2", RTZ, MAXD, TWO, MAXD, OF | NX),
    C2(fmul_d, "max*2", RDN, MAXD, TWO, MAXD, OF | NX),
    C2(fmul_d, "max*2", RUP, MAXD, TWO, PINF, OF | NX),
    C2(fmul_d, "max*2", RMM, MAXD, TWO, PINF, OF | NX),
    C2(fmul_d, "-max*2", DYN(RTZ), NMAXD, TWO, NMAXD, OF | NX),
    C2(fmul_d, "-max*2", DYN(RUP), NMAXD, TWO, NMAXD, OF | NX),
    C2(fmul_d, "-max*2", DYN(RDN), NMAXD, TWO, NINF, OF | NX),
    C2(fmul_d, "0*-inf", RNE, P0, NINF, QNAN, NV),
    C2(fmul_d, "minsub*0.5", RNE, MINS, HALF, P0, UF | NX),
    C2(fmul_d, "minsub*0.5", RTZ, MINS, HALF, P0, UF | NX),
    C2(fmul_d, "minsub*0.5", RDN, MINS, HALF, P0, UF | NX),
    C2(fmul_d, "minsub*0.5", RUP, MINS, HALF, MINS, UF | NX),
    C2(fmul_d, "minsub*0.5", RMM, MINS, HALF, MINS, UF | NX),
    C2(fmul_d, "-minsub*0.5", RDN, 0x8000000000000001, HALF, 0x8000000000000001, UF | NX),
    C2(fmul_d, "minnorm*0.5 exact subnormal", RNE, MINN, HALF, 0x0008000000000000, 0),
    C2(fmul_d, "minnorm*(1-2^-53)", RNE, MINN, 0x3fefffffffffffff, MINN, UF | NX),
    C2(fmul_d, "minnorm*(1-2^-53)", RTZ, MINN, 0x3fefffffffffffff, 0x000fffffffffffff, UF | NX),
    C2(fmul_d, "(1+2^-52)^2", RNE, 0x3ff0000000000001, 0x3ff0000000000001, 0x3ff0000000000002, NX),
    C2(fmul_d, "(1+2^-52)^2", RUP, 0x3ff0000000000001, 0x3ff0000000000001, 0x3ff0000000000003, NX),
    C2(fdiv_d, "1/3", RNE, ONE, THREE, 0x3fd5555555555555, NX),
    C2(fdiv_d, "1/3", RTZ, ONE, THREE, 0x3fd5555555555555, NX),
    C2(fdiv_d, "1/3", RDN, ONE, THREE, 0x3fd5555555555555, NX),
    C2(fdiv_d, "1/3", RUP, ONE, THREE, 0x3fd5555555555556, NX),
    C2(fdiv_d, "1/3", RMM, ONE, THREE, 0x3fd5555555555555, NX),
    C2(fdiv_d, "1/3", DYN(RNE), ONE, THREE, 0x3fd5555555555555, NX),
    C2(fdiv_d, "1/3", DYN(RTZ), ONE, THREE, 0x3fd5555555555555, NX),
    C2(fdiv_d, "1/3", DYN(RDN), ONE, THREE, 0x3fd5555555555555, NX),
    C2(fdiv_d, "1/3", DYN(RUP), ONE, THREE, 0x3fd5555555555556, NX),
    C2(fdiv_d, "1/3", DYN(RMM), ONE, THREE, 0x3fd5555555555555, NX),
    C2(fdiv_d, "-1/3", RDN, M1, THREE, 0xbfd5555555555556, NX),
    C2(fdiv_d, "-1/3", RUP, M1, THREE, 0xbfd5555555555555, NX),
    C2(fdiv_d, "1/0", RNE, ONE, P0, PINF, DZ),
    C2(fdiv_d, "-1/0", RNE, M1, P0, NINF, DZ),
    C2(fdiv_d, "0/0", RNE, P0, P0, QNAN, NV),
    C2(fdiv_d, "inf/inf", RNE, PINF, NINF, QNAN, NV),
    C2(fdiv_d, "1/-inf", RNE, ONE, NINF, N0, 0),
    C2(fdiv_d, "sNaN/0", RNE, SNAN, P0, QNAN, NV),
    C2(fsqrt_d, "4", RNE, 0x4010000000000000, 0, TWO, 0),
    C2(fsqrt_d, "2", RNE, TWO, 0, 0x3ff6a09e667f3bcd, NX),
    C2(fsqrt_d, "2", RTZ, TWO, 0, 0x3ff6a09e667f3bcc, NX),
    C2(fsqrt_d, "2", RDN, TWO, 0, 0x3ff6a09e667f3bcc, NX),
    C2(fsqrt_d, "2", RUP, TWO, 0, 0x3ff6a09e667f3bcd, NX),
    C2(fsqrt_d, "2", RMM, TWO, 0, 0x3ff6a09e667f3bcd, NX),
    C2(fsqrt_d, "-1", RNE, M1, 0, QNAN, NV),
    C2(fsqrt_d, "-0", RNE, N0, 0, N0, 0),
    C2(fsqrt_d, "+inf", RNE, PINF, 0, PINF, 0),
    C2(fsqrt_d, "qNaN", RNE, QNANP, 0, QNAN, 0),
    C2(fsqrt_d, "sNaN", RNE, SNAN, 0, QNAN, NV),
};

static const struct fp_case fma[] = {
    C(fmadd_d, "2*3+1", RNE, TWO, THREE, ONE, 0x401c000000000000, 0),
    C(fmsub_d, "2*3-1", RNE, TWO, THREE, ONE, 0x4014000000000000, 0),
    C(fnmsub_d, "-(2*3)+1", RNE, TWO, THREE, ONE, 0xc014000000000000, 0),
    C(fnmadd_d, "-(2*3)-1", RNE, TWO, THREE, ONE, 0xc01c000000000000, 0),
    C(fmadd_d, "fused (1+2^-27)^2-1", RNE, 0x3ff0000008000000, 0x3ff0000008000000, M1, 0x3e70000004000000, 0),
    C(fmadd_d, "1*2-2", RNE, ONE, TWO, M2, P0, 0),
    C(fmadd_d, "1*2-2", RDN, ONE, TWO, M2, N0, 0),
    C(fnmadd_d, "-(1*2)+2", RNE, ONE, TWO, M2, P0, 0),
    C(fnmsub_d, "-(1*2)+2", RDN, ONE, TWO, TWO, N0, 0),
    C(fmsub_d, "1*2-2", RUP, ONE, TWO, TWO, P0, 0),
    C(fmadd_d, "inf*0+qNaN", RNE, PINF, P0, QNAN, QNAN, NV),
    C(fmadd_d, "0*inf+1", RNE, P0, PINF, ONE, QNAN, NV),
    C(fmadd_d, "qNaN*1+1", RNE, QNANP, ONE, ONE, QNAN, 0),
    C(fmadd_d, "1*1+sNaN", RNE, ONE, ONE, SNAN, QNAN, NV),
    C(fmadd_d, "-minsub*0.25+minnorm", RNE, 0x8000000000000001, QUART, MINN, MINN, NX),
    C(fmadd_d, "-minsub*0.25+minnorm", RTZ, 0x8000000000000001, QUART, MINN, 0x000fffffffffffff, UF | NX),
    C(fmadd_d, "-minsub*0.25+minnorm", DYN(RUP), 0x8000000000000001, QUART, MINN, MINN, NX),
    C(fmadd_d, "1*2^-53+1", RMM, ONE, EPS53, ONE, 0x3ff0000000000001, NX),
    C(fmadd_d, "1*2^-53+1", RNE, ONE, EPS53, ONE, ONE, NX),
    C(fnmsub_d, "-(1*2^-53)-1... fnmsub(1,2^-53,-1)", RMM, ONE, EPS53, M1, 0xbff0000000000001, NX),
    C(fmadd_d, "max*2-max", RNE, MAXD, TWO, NMAXD, MAXD, 0),
};

static const struct fp_case minmax_cmp[] = {
    C2(fmin_d, "1,2", RNE, ONE, TWO, ONE, 0),
    C2(fmax_d, "1,2", RNE, ONE, TWO, TWO, 0),
    C2(fmin_d, "-0,+0", RNE, N0, P0, N0, 0),
    C2(fmin_d, "+0,-0", RNE, P0, N0, N0, 0),
    C2(fmax_d, "-0,+0", RNE, N0, P0, P0, 0),
    C2(fmax_d, "+0,-0", RNE, P0, N0, P0, 0),
    C2(fmin_d, "qNaN,1", RNE, QNANP, ONE, ONE, 0),
    C2(fmax_d, "-1,qNaN", RNE, M1, NQNAN, M1, 0),
    C2(fmin_d, "sNaN,1", RNE, SNAN, ONE, ONE, NV),
    C2(fmax_d, "1,sNaN", RNE, ONE, SNAN, ONE, NV),
    C2(fmin_d, "qNaN,qNaN", RNE, QNANP, NQNAN, QNAN, 0),
    C2(fmax_d, "sNaN,sNaN", RNE, SNAN, SNAN, QNAN, NV),
    C2(fmin_d, "boxed single (NaN),2", RNE, BOXED_ONE_F, TWO, TWO, 0),
    C2(fmax_d, "-inf,+inf", RNE, NINF, PINF, PINF, 0),
    C2(feq_d, "1,1", RNE, ONE, ONE, 1, 0),
    C2(feq_d, "1,2", RNE, ONE, TWO, 0, 0),
    C2(feq_d, "-0,+0", RNE, N0, P0, 1, 0),
    C2(feq_d, "qNaN,qNaN", RNE, QNAN, QNAN, 0, 0),
    C2(feq_d, "sNaN,1", RNE, SNAN, ONE, 0, NV),
    C2(flt_d, "1,2", RNE, ONE, TWO, 1, 0),
    C2(flt_d, "2,1", RNE, TWO, ONE, 0, 0),
    C2(flt_d, "-0,+0", RNE, N0, P0, 0, 0),
    C2(flt_d, "-2,-1", RNE, M2, M1, 1, 0),
    C2(flt_d, "qNaN,1", RNE, QNAN, ONE, 0, NV),
    C2(flt_d, "minsub,minnorm", RNE, MINS, MINN, 1, 0),
    C2(fle_d, "-0,+0", RNE, N0, P0, 1, 0),
    C2(fle_d, "1,1", RNE, ONE, ONE, 1, 0),
    C2(fle_d, "2,1", RNE, TWO, ONE, 0, 0),
    C2(fle_d, "qNaN,1", RNE, QNAN, ONE, 0, NV),
    C2(fle_d, "-inf,-max", RNE, NINF, NMAXD, 1, 0),
};

static const struct fp_case classify[] = {
    C2(fclass_d, "-inf", RNE, NINF, 0, 0x001, 0),
    C2(fclass_d, "-1", RNE, M1, 0, 0x002, 0),
    C2(fclass_d, "-subnormal", RNE, 0x800fffffffffffff, 0, 0x004, 0),
    C2(fclass_d, "-0", RNE, N0, 0, 0x008, 0),
    C2(fclass_d, "+0", RNE, P0, 0, 0x010, 0),
    C2(fclass_d, "+subnormal", RNE, MINS, 0, 0x020, 0),
    C2(fclass_d, "+1", RNE, ONE, 0, 0x040, 0),
    C2(fclass_d, "+inf", RNE, PINF, 0, 0x080, 0),
    C2(fclass_d, "sNaN", RNE, SNAN, 0, 0x100, 0),
    C2(fclass_d, "qNaN", RNE, QNAN, 0, 0x200, 0),
    C2(fclass_d, "-qNaN", RNE, NQNAN, 0, 0x200, 0),
    C2(fclass_d, "boxed single", RNE, BOXED_ONE_F, 0, 0x200, 0),
    C2(fclass_d, "minnorm", RNE, MINN, 0, 0x040, 0),
};

static const struct fp_case convert[] = {
    C2(fcvt_w_d, "2^31-0.5", RNE, 0x41dfffffffe00000, 0, 0x7fffffff, NV),
    C2(fcvt_w_d, "2^31-0.5", RTZ, 0x41dfffffffe00000, 0, 0x7fffffff, NX),
    C2(fcvt_w_d, "2^31-0.5", RDN, 0x41dfffffffe00000, 0, 0x7fffffff, NX),
    C2(fcvt_w_d, "2^31-0.5", RUP, 0x41dfffffffe00000, 0, 0x7fffffff, NV),
    C2(fcvt_w_d, "2^31-0.5", RMM, 0x41dfffffffe00000, 0, 0x7fffffff, NV),
    C2(fcvt_w_d, "-2^31-0.5", RNE, 0xc1e0000000100000, 0, 0xffffffff80000000, NX),
    C2(fcvt_w_d, "-2^31-0.5", RTZ, 0xc1e0000000100000, 0, 0xffffffff80000000, NX),
    C2(fcvt_w_d, "-2^31-0.5", RDN, 0xc1e0000000100000, 0, 0xffffffff80000000, NV),
    C2(fcvt_w_d, "-2^31-0.5", RMM, 0xc1e0000000100000, 0, 0xffffffff80000000, NV),
    C2(fcvt_w_d, "-1.5", RNE, 0xbff8000000000000, 0, 0xfffffffffffffffe, NX),
    C2(fcvt_w_d, "-1.5", DYN(RUP), 0xbff8000000000000, 0, 0xffffffffffffffff, NX),
    C2(fcvt_w_d, "qNaN", RNE, QNAN, 0, 0x7fffffff, NV),
    C2(fcvt_w_d, "-inf", RNE, NINF, 0, 0xffffffff80000000, NV),
    C2(fcvt_w_d, "sNaN", RNE, SNAN, 0, 0x7fffffff, NV),
    C2(fcvt_wu_d, "2^32-0.5", RNE, 0x41effffffff00000, 0, 0xffffffffffffffff, NV),
    C2(fcvt_wu_d, "2^32-0.5", RTZ, 0x41effffffff00000, 0, 0xffffffffffffffff, NX),
    C2(fcvt_wu_d, "3e9 (sign-extended)", RNE, 0x41e65a0bc0000000, 0, 0xffffffffb2d05e00, 0),
    C2(fcvt_wu_d, "-1", RNE, M1, 0, 0, NV),
    C2(fcvt_wu_d, "-0.25", RNE, 0xbfd0000000000000, 0, 0, NX),
    C2(fcvt_wu_d, "qNaN", RNE, QNAN, 0, 0xffffffffffffffff, NV),
    C2(fcvt_wu_d, "+inf", RNE, PINF, 0, 0xffffffffffffffff, NV),
    C2(fcvt_l_d, "2^63", RNE, 0x43e0000000000000, 0, 0x7fffffffffffffff, NV),
    C2(fcvt_l_d, "-2^63", RNE, 0xc3e0000000000000, 0, 0x8000000000000000, 0),
    C2(fcvt_l_d, "1e10", RNE, 0x4202a05f20000000, 0, 0x2540be400, 0),
    C2(fcvt_l_d, "-1.5", RDN, 0xbff8000000000000, 0, 0xfffffffffffffffe, NX),
    C2(fcvt_l_d, "-1.5", RTZ, 0xbff8000000000000, 0, 0xffffffffffffffff, NX),
    C2(fcvt_l_d, "2.5", RMM, 0x4004000000000000, 0, 3, NX),
    C2(fcvt_l_d, "2.5", RNE, 0x4004000000000000, 0, 2, NX),
    C2(fcvt_l_d, "qNaN", RNE, QNAN, 0, 0x7fffffffffffffff, NV),
    C2(fcvt_l_d, "-inf", RNE, NINF, 0, 0x8000000000000000, NV),
    C2(fcvt_lu_d, "2^63", RNE, 0x43e0000000000000, 0, 0x8000000000000000, 0),
    C2(fcvt_lu_d, "2^64", RNE, 0x43f0000000000000, 0, 0xffffffffffffffff, NV),
    C2(fcvt_lu_d, "-1", RNE, M1, 0, 0, NV),
    C2(fcvt_lu_d, "-0", RNE, N0, 0, 0, 0),
    C2(fcvt_lu_d, "qNaN", RNE, QNAN, 0, 0xffffffffffffffff, NV),
    C2(fcvt_lu_d, "0.5", RUP, HALF, 0, 1, NX),
    C2(fcvt_d_w, "-2^31", RNE, 0x80000000, 0, 0xc1e0000000000000, 0),
    C2(fcvt_d_w, "0x1ffffffff (low word -1)", RNE, 0x1ffffffff, 0, M1, 0),
    C2(fcvt_d_w, "0", RNE, 0, 0, P0, 0),
    C2(fcvt_d_wu, "0xffffffff", RNE, 0xffffffffffffffff, 0, 0x41efffffffe00000, 0),
    C2(fcvt_d_l, "2^63-1", RNE, 0x7fffffffffffffff, 0, 0x43e0000000000000, NX),
    C2(fcvt_d_l, "2^63-1", RTZ, 0x7fffffffffffffff, 0, 0x43dfffffffffffff, NX),
    C2(fcvt_d_l, "2^63-1", RDN, 0x7fffffffffffffff, 0, 0x43dfffffffffffff, NX),
    C2(fcvt_d_l, "2^63-1", RUP, 0x7fffffffffffffff, 0, 0x43e0000000000000, NX),
    C2(fcvt_d_l, "2^63-1", RMM, 0x7fffffffffffffff, 0, 0x43e0000000000000, NX),
    C2(fcvt_d_l, "-2^63", RNE, 0x8000000000000000, 0, 0xc3e0000000000000, 0),
    C2(fcvt_d_l, "-(2^53+1)", RNE, 0xffdfffffffffffff, 0, 0xc340000000000000, NX),
    C2(fcvt_d_l, "-(2^53+1)", RDN, 0xffdfffffffffffff, 0, 0xc340000000000001, NX),
    C2(fcvt_d_l, "-(2^53+1)", RMM, 0xffdfffffffffffff, 0, 0xc340000000000001, NX),
    C2(fcvt_d_lu, "2^64-1", RNE, 0xffffffffffffffff, 0, 0x43f0000000000000, NX),
    C2(fcvt_d_lu, "2^64-1", RDN, 0xffffffffffffffff, 0, 0x43efffffffffffff, NX),
    C2(fcvt_d_lu, "2^63", RNE, 0x8000000000000000, 0, 0x43e0000000000000, 0),
    C2(fcvt_s_d, "1/3", RNE, 0x3fd5555555555555, 0, B(0x3eaaaaab), NX),
    C2(fcvt_s_d, "0.1", RNE, 0x3fb999999999999a, 0, B(0x3dcccccd), NX),
    C2(fcvt_s_d, "0.1", RTZ, 0x3fb999999999999a, 0, B(0x3dcccccc), NX),
    C2(fcvt_s_d, "0.1", DYN(RDN), 0x3fb999999999999a, 0, B(0x3dcccccc), NX),
    C2(fcvt_s_d, "0.1", DYN(RUP), 0x3fb999999999999a, 0, B(0x3dcccccd), NX),
    C2(fcvt_s_d, "max", RNE, MAXD, 0, B(0x7f800000), OF | NX),
    C2(fcvt_s_d, "max", RTZ, MAXD, 0, B(0x7f7fffff), OF | NX),
    C2(fcvt_s_d, "2^-150", RNE, 0x3690000000000000, 0, B(0), UF | NX),
    C2(fcvt_s_d, "2^-150", RUP, 0x3690000000000000, 0, B(1), UF | NX),
    C2(fcvt_s_d, "2^-150", RMM, 0x3690000000000000, 0, B(1), UF | NX),
    C2(fcvt_s_d, "qNaN payload", RNE, QNANP, 0, B(0x7fc00000), 0),
    C2(fcvt_s_d, "sNaN", RNE, SNAN, 0, B(0x7fc00000), NV),
    C2(fcvt_s_d, "-inf", RNE, NINF, 0, B(0xff800000), 0),
    C2(fcvt_s_d, "-0", RNE, N0, 0, B(0x80000000), 0),
    C2(fcvt_d_s, "1.5f", RNE, B(0x3fc00000), 0, 0x3ff8000000000000, 0),
    C2(fcvt_d_s, "minsub f", RNE, B(0x00000001), 0, 0x36a0000000000000, 0),
    C2(fcvt_d_s, "-inf f", RNE, B(0xff800000), 0, NINF, 0),
    C2(fcvt_d_s, "sNaN f", RNE, B(0x7f800001), 0, QNAN, NV),
    C2(fcvt_d_s, "qNaN payload f", RNE, B(0x7fc12345), 0, QNAN, 0),
    C2(fcvt_d_s, "unboxed 1.0f", RNE, 0x000000003f800000, 0, QNAN, 0),
};

static const struct fp_case moves[] = {
    C2(fmv_x_d, "sNaN kept", RNE, SNAN, 0, SNAN, 0),
    C2(fmv_x_d, "-0", RNE, N0, 0, N0, 0),
    C2(fmv_d_x, "raw bits", RNE, 0x0123456789abcdef, 0, 0x0123456789abcdef, 0),
    C2(fmv_d_x, "sNaN kept", RNE, SNAN, 0, SNAN, 0),
    C2(fsgnj_d, "1,-2", RNE, ONE, M2, M1, 0),
    C2(fsgnj_d, "-1,2", RNE, M1, TWO, ONE, 0),
    C2(fsgnjn_d, "1,-2", RNE, ONE, M2, ONE, 0),
    C2(fsgnjn_d, "1,2", RNE, ONE, TWO, M1, 0),
    C2(fsgnjx_d, "-1,-2", RNE, M1, M2, ONE, 0),
    C2(fsgnjx_d, "-1,2", RNE, M1, TWO, M1, 0),
    C2(fsgnj_d, "qNaN payload kept", RNE, QNANP, M1, 0xfff8000000012345, 0),
    C2(fsgnj_d, "sNaN: no NV", RNE, SNAN, ONE, SNAN, 0),
    C2(fsgnj_d, "boxed single bits kept", RNE, BOXED_ONE_F, ONE, 0x7fffffff3f800000, 0),
    C2(fadd_d, "boxed single (NaN)+1", RNE, BOXED_ONE_F, ONE, QNAN, 0),
};

static void test_load_store(void)
{
    static volatile uint64_t dw[2] = { 0x0123456789abcdef, 0 };
    uint64_t r;
    __asm__ __volatile__("fld ft0, 0(%1)\n\tfsd ft0, 8(%1)\n\tfmv.x.d %0, ft0"
                         : "=r"(r) : "r"(dw) : "ft0", "memory");
    EXPECT_EQ("fld register image", r, 0x0123456789abcdef);
    EXPECT_EQ("fsd stores 64 bits", dw[1], 0x0123456789abcdef);
    dw[0] = SNAN;
    __asm__ __volatile__("fld ft0, 0(%0)\n\tfsd ft0, 8(%0)" :: "r"(dw) : "ft0", "memory");
    EXPECT_EQ("fld/fsd keep sNaN bits", dw[1], SNAN);
    /* fsd of a NaN-boxed single stores the box */
    __asm__ __volatile__("fmv.w.x ft0, %1\n\tfsd ft0, 8(%0)" :: "r"(dw), "r"(0x40490fdbUL) : "ft0", "memory");
    EXPECT_EQ("fsd of a single stores the NaN box", dw[1], 0xffffffff40490fdb);
    /* misaligned fld/fsd (performed like integer misaligned accesses) */
    static volatile uint8_t bytes[24] __attribute__((aligned(8)));
    for (int i = 0; i < 24; i++)
        bytes[i] = (uint8_t)(0x10 + i);
    __asm__ __volatile__("fld ft0, 3(%1)\n\tfsd ft0, 13(%1)\n\tfmv.x.d %0, ft0"
                         : "=r"(r) : "r"(bytes) : "ft0", "memory");
    EXPECT_EQ("fld misaligned", r, 0x1a19181716151413);
    EXPECT_EQ("fsd misaligned (byte 13)", bytes[13], 0x13);
    EXPECT_EQ("fsd misaligned (byte 20)", bytes[20], 0x1a);
    EXPECT_EQ("fsd misaligned (byte 21 untouched)", bytes[21], 0x25);
}

int main(void)
{
    fp_run_cases(arith, NCASES(arith));
    fp_run_cases(fma, NCASES(fma));
    fp_run_cases(minmax_cmp, NCASES(minmax_cmp));
    fp_run_cases(classify, NCASES(classify));
    fp_run_cases(convert, NCASES(convert));
    fp_run_cases(moves, NCASES(moves));
    test_load_store();
    return test_summary("rv64d");
}
