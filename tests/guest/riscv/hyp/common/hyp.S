/*
 * hyp.S - trap entries, mode switches and the call/resume machinery of the
 * hypervisor guest tests (see hyp.h).
 *
 * Trap entries: each level has a fixed trap stack whose top lives in its
 * scratch register (mscratch, HS sscratch, vsscratch - the VS entry runs
 * with V=1, where sscratch means vsscratch).  The entry swaps sp with the
 * scratch register, saves x1..x31 and the interrupted sp in a struct hframe,
 * restores the scratch register and calls hyp_trap(frame, level).
 */
#define CTX_SIZE     (16 * 8)     /* struct hctx in hyp.c */

    .option norvc

#include "trap_frame.h"

/* ENTRY name, scratch, epc, ret, level */
.macro ENTRY name, scratch, epc, xret, level
    .balign 64
    .globl \name
\name:
    csrrw   sp, \scratch, sp
    addi    sp, sp, -FRAME_SIZE
    SAVE_REGS
    csrr    t0, \scratch            /* interrupted sp */
    sd      t0,   2*8(sp)
    sd      zero, 0*8(sp)
    addi    t0, sp, FRAME_SIZE      /* trap stack top back into the scratch CSR */
    csrw    \scratch, t0
    csrr    t0, \epc
    sd      t0, FRAME_EPC(sp)
    mv      a0, sp
    li      a1, \level
    call    hyp_trap
    ld      t0, FRAME_EPC(sp)
    csrw    \epc, t0
    RESTORE_REGS
    ld      sp,   2*8(sp)
    \xret
.endm

    .text
    ENTRY   hyp_m_entry,  mscratch, mepc, mret, 3
    ENTRY   hyp_hs_entry, sscratch, sepc, sret, 2
    ENTRY   hyp_vs_entry, sscratch, sepc, sret, 1

/* ------------------------------------------------------------ context -- */
/* long hctx_save(struct hctx *c): 0 now, 1 when resumed by hyp_resume */
    .balign 4
    .globl hctx_save
hctx_save:
    sd      ra,   0*8(a0)
    sd      sp,   1*8(a0)
    sd      s0,   2*8(a0)
    sd      s1,   3*8(a0)
    sd      s2,   4*8(a0)
    sd      s3,   5*8(a0)
    sd      s4,   6*8(a0)
    sd      s5,   7*8(a0)
    sd      s6,   8*8(a0)
    sd      s7,   9*8(a0)
    sd      s8,  10*8(a0)
    sd      s9,  11*8(a0)
    sd      s10, 12*8(a0)
    sd      s11, 13*8(a0)
    li      a0, 0
    ret

/* Entered by an xRET (or a jump) in the mode of the innermost context:
 * pops it (g_depth--) and returns 1 from its hctx_save. */
    .globl hyp_resume
hyp_resume:
    la      t0, g_depth
    lw      t1, 0(t0)
    addi    t1, t1, -1
    sw      t1, 0(t0)
    li      t2, CTX_SIZE
    mul     t2, t1, t2
    la      t0, g_ctx
    add     t0, t0, t2
    ld      ra,   0*8(t0)
    ld      sp,   1*8(t0)
    ld      s0,   2*8(t0)
    ld      s1,   3*8(t0)
    ld      s2,   4*8(t0)
    ld      s3,   5*8(t0)
    ld      s4,   6*8(t0)
    ld      s5,   7*8(t0)
    ld      s6,   8*8(t0)
    ld      s7,   9*8(t0)
    ld      s8,  10*8(t0)
    ld      s9,  11*8(t0)
    ld      s10, 12*8(t0)
    ld      s11, 13*8(t0)
    li      a0, 1
    ret

/* void hyp_mret_to(fn, a0, a1, sp, ra) / hyp_sret_to(...): mode fields are
 * already set up by the caller. */
    .globl hyp_mret_to
hyp_mret_to:
    csrw    mepc, a0
    mv      sp, a3
    mv      ra, a4
    mv      a0, a1
    mv      a1, a2
    mret

    .globl hyp_sret_to
hyp_sret_to:
    csrw    sepc, a0
    mv      sp, a3
    mv      ra, a4
    mv      a0, a1
    mv      a1, a2
    sret

/* Lower-mode code returns here; the ECALL is recognised by its address. */
    .balign 8
    .globl hyp_exit_stub
hyp_exit_stub:
    ecall
    j       hyp_exit_stub

/* A handler passing an exit on to a more privileged level. */
    .globl hyp_forward
    .globl hyp_forward_ecall
hyp_forward:
hyp_forward_ecall:
    ecall
    j       hyp_forward_ecall

/* ------------------------------------------------------------- stacks -- */
    .bss
    .balign 16
    .globl hyp_stack_u_top, hyp_stack_hs_top, hyp_stack_vs_top, hyp_stack_vu_top, hyp_stack_m_top
    .globl hyp_trap_stack_m_top, hyp_trap_stack_hs_top, hyp_trap_stack_vs_top
    .zero   16384
hyp_stack_u_top:
    .zero   16384
hyp_stack_hs_top:
    .zero   16384
hyp_stack_vs_top:
    .zero   16384
hyp_stack_vu_top:
    .zero   16384
hyp_stack_m_top:
    .zero   8192
hyp_trap_stack_m_top:
    .zero   8192
hyp_trap_stack_hs_top:
    .zero   8192
hyp_trap_stack_vs_top:
