/*
 * priv.S - trap entries and mode switching for the privileged-architecture
 * guest tests (see priv.h).
 *
 * Stacks: while code runs below M, mscratch holds the M-mode stack pointer to
 * use on a trap (priv_call's sp); in M it is 0.  Likewise sscratch holds the
 * S-mode stack for traps from U and is 0 in S.  Each entry swaps sp with the
 * scratch register and swaps back when that gave 0 (the trap came from the
 * handler's own mode, whose sp is already right).
 */

    .option norvc

#include "trap_frame.h"

    .text
/* ------------------------------------------------------------ M entry -- */
    .balign 64
    .globl priv_m_entry
priv_m_entry:
    csrrw   sp, mscratch, sp
    bnez    sp, 1f
    csrrw   sp, mscratch, sp        /* from M: sp as it was, mscratch = 0 */
1:  addi    sp, sp, -FRAME_SIZE
    SAVE_REGS
    csrrw   t0, mscratch, zero      /* interrupted sp if from below M, else 0 */
    bnez    t0, 2f
    addi    t0, sp, FRAME_SIZE
2:  sd      t0,   2*8(sp)
    sd      zero, 0*8(sp)
    csrr    t0, mepc
    sd      t0, FRAME_EPC(sp)
    mv      a0, sp
    call    priv_m_handler
    ld      t0, FRAME_EPC(sp)
    csrw    mepc, t0
    csrr    t0, mstatus
    srli    t0, t0, 11
    andi    t0, t0, 3
    li      t1, 3
    beq     t0, t1, 3f
    addi    t0, sp, FRAME_SIZE      /* returning below M: re-arm mscratch */
    csrw    mscratch, t0
3:  RESTORE_REGS
    ld      sp,   2*8(sp)
    mret

/* ------------------------------------------------------------ S entry -- */
    .balign 64
    .globl priv_s_entry
priv_s_entry:
    csrrw   sp, sscratch, sp
    bnez    sp, 1f
    csrrw   sp, sscratch, sp        /* from S */
1:  addi    sp, sp, -FRAME_SIZE
    SAVE_REGS
    csrrw   t0, sscratch, zero
    bnez    t0, 2f
    addi    t0, sp, FRAME_SIZE
2:  sd      t0,   2*8(sp)
    sd      zero, 0*8(sp)
    csrr    t0, sepc
    sd      t0, FRAME_EPC(sp)
    mv      a0, sp
    call    priv_s_handler
    ld      t0, FRAME_EPC(sp)
    csrw    sepc, t0
    csrr    t0, sstatus
    andi    t0, t0, 0x100           /* SPP */
    bnez    t0, 3f
    addi    t0, sp, FRAME_SIZE      /* returning to U: re-arm sscratch */
    csrw    sscratch, t0
3:  RESTORE_REGS
    ld      sp,   2*8(sp)
    sret

/* ------------------------------------------------- vectored M table -- */
.macro VEC_SLOT n
vec_slot_\n:
    addi    sp, sp, -16
    sd      t0, 0(sp)
    sd      t1, 8(sp)
    li      t0, \n
    la      t1, g_vec_slot
    sd      t0, 0(t1)
    ld      t0, 0(sp)
    ld      t1, 8(sp)
    addi    sp, sp, 16
    j       priv_m_entry
.endm

    .balign 256
    .globl priv_m_vector
priv_m_vector:
    j       vec_slot_0
    j       vec_slot_1
    j       vec_slot_2
    j       vec_slot_3
    j       vec_slot_4
    j       vec_slot_5
    j       vec_slot_6
    j       vec_slot_7
    j       vec_slot_8
    j       vec_slot_9
    j       vec_slot_10
    j       vec_slot_11
    j       vec_slot_12
    j       vec_slot_13
    j       vec_slot_14
    j       vec_slot_15
    VEC_SLOT 0
    VEC_SLOT 1
    VEC_SLOT 2
    VEC_SLOT 3
    VEC_SLOT 4
    VEC_SLOT 5
    VEC_SLOT 6
    VEC_SLOT 7
    VEC_SLOT 8
    VEC_SLOT 9
    VEC_SLOT 10
    VEC_SLOT 11
    VEC_SLOT 12
    VEC_SLOT 13
    VEC_SLOT 14
    VEC_SLOT 15

/* ---------------------------------------------------------- priv_enter -- */
/* long priv_enter(int mode, priv_fn fn, long a0, long a1): priv_call's core */
    .balign 4
    .globl priv_enter
priv_enter:
    csrr    t0, mstatus
    andi    t0, t0, 8               /* MIE */
    csrci   mstatus, 8              /* no interrupts until MRET */
    la      t1, g_priv_ctx
    sd      ra,   0*8(t1)
    sd      sp,   1*8(t1)
    sd      s0,   2*8(t1)
    sd      s1,   3*8(t1)
    sd      s2,   4*8(t1)
    sd      s3,   5*8(t1)
    sd      s4,   6*8(t1)
    sd      s5,   7*8(t1)
    sd      s6,   8*8(t1)
    sd      s7,   9*8(t1)
    sd      s8,  10*8(t1)
    sd      s9,  11*8(t1)
    sd      s10, 12*8(t1)
    sd      s11, 13*8(t1)
    sd      t0,  14*8(t1)
    la      t1, g_priv_exit_reason
    sd      zero, 0(t1)
    li      t0, (3 << 11) | (1 << 7)
    csrc    mstatus, t0             /* MPP = 0, MPIE = 0 */
    slli    t0, a0, 11
    csrs    mstatus, t0             /* MPP = mode */
    csrw    mepc, a1
    la      ra, priv_exit_s
    csrw    sscratch, zero
    bnez    a0, 1f
    la      t1, g_priv_u_exit       /* U: its own exit stub, S stack for traps */
    ld      ra, 0(t1)
    la      t1, priv_s_stack_top
    csrw    sscratch, t1
1:  li      t0, 3
    beq     a0, t0, 2f
    csrw    mscratch, sp            /* M stack for traps from below M */
2:  la      sp, priv_lower_stack_top
    mv      a0, a2
    mv      a1, a3
    mret

/* Back in M after the exit stub or an abandoning trap (priv_m_handler). */
    .globl priv_resume
priv_resume:
    la      t1, g_priv_ctx
    ld      ra,   0*8(t1)
    ld      sp,   1*8(t1)
    ld      s0,   2*8(t1)
    ld      s1,   3*8(t1)
    ld      s2,   4*8(t1)
    ld      s3,   5*8(t1)
    ld      s4,   6*8(t1)
    ld      s5,   7*8(t1)
    ld      s6,   8*8(t1)
    ld      s7,   9*8(t1)
    ld      s8,  10*8(t1)
    ld      s9,  11*8(t1)
    ld      s10, 12*8(t1)
    ld      s11, 13*8(t1)
    ld      t0,  14*8(t1)
    csrs    mstatus, t0             /* MIE as it was (MRET left it 0) */
    la      t1, g_priv_ret
    ld      a0, 0(t1)
    ret

/* Exit stubs: lower-mode code returns here.  ECALL goes to M; if that cause
 * is delegated, the S handler moves on to the illegal instruction after it. */
    .balign 8
    .globl priv_exit_s
priv_exit_s:
    ecall
    .word   0
    .globl priv_exit_u_code
    .globl priv_exit_u
priv_exit_u_code:
priv_exit_u:
    ecall
    .word   0

    .data
    .balign 8
    .globl g_priv_u_exit
g_priv_u_exit:
    .dword  priv_exit_u

    .bss
    .balign 16
    .globl g_priv_ctx
g_priv_ctx:
    .zero   16*8
    .globl g_priv_ret
g_priv_ret:
    .zero   8
    .globl g_priv_exit_reason
g_priv_exit_reason:
    .zero   8
    .balign 16
priv_lower_stack:
    .zero   16384
    .globl priv_lower_stack_top
priv_lower_stack_top:
priv_s_stack:
    .zero   8192
    .globl priv_s_stack_top
priv_s_stack_top:
