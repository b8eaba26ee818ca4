/*
 * crt0 for Orrery guest tests (M-mode only, bare metal).
 *
 * Entry: M-mode, a0 = hartid, nothing else initialised (no stack, mtvec = 0,
 * mstatus.FS = Off).  We set up gp/sp, the trap vector, enable the FPU,
 * clear .bss, call main() and hand its return value to exit(), which stops the
 * machine through the SiFive test finisher.
 *
 * Trap handling: trap_entry saves x1..x31 and mepc into a frame on the
 * current stack and calls the C function trap_handler(frame) (guest.c), which
 * may edit the frame (mepc, registers) before it is restored and MRET runs.
 */
#include "trap_frame.h"

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    bnez    a0, park                /* only hart 0 runs tests */
    la      sp, __stack_top
    la      t0, trap_entry
    csrw    mtvec, t0
    /* mstatus.FS = Initial (bits 14:13 = 01) so F/D instructions are legal. */
    li      t0, (1 << 13)
    csrs    mstatus, t0
    csrwi   fcsr, 0
    /* clear .bss */
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:  li      a0, 0
    li      a1, 0
    call    main
    call    exit                    /* does not return */
park:
    wfi
    j       park

    .text
/* ---------------------------------------------------------------------- */
    .balign 64
    .globl trap_entry
trap_entry:
    addi    sp, sp, -FRAME_SIZE
    SAVE_REGS
    addi    t0, sp, FRAME_SIZE      /* the interrupted sp */
    sd      t0,   2*8(sp)
    sd      zero, 0*8(sp)
    csrr    t0, mepc
    sd      t0, FRAME_EPC(sp)
    mv      a0, sp
    call    trap_handler
    ld      t0, FRAME_EPC(sp)
    csrw    mepc, t0
    RESTORE_REGS
    ld      sp,   2*8(sp)           /* last: may have been edited */
    mret

/* ---------------------------------------------------------------------- */
/*
 * long trap_catch(void (*fn)(unsigned long), unsigned long arg)
 *
 * Calls fn(arg).  If fn returns normally, returns 0.  If a trap happens while
 * fn runs, trap_handler records it and resumes at trap_catch_resume, which
 * restores ra/sp/s0-s11 as they were on entry and returns 1 from trap_catch.
 */
    .globl trap_catch
    .globl trap_catch_resume
trap_catch:
    la      t0, g_catch_ctx
    sd      ra,   0*8(t0)
    sd      sp,   1*8(t0)
    sd      s0,   2*8(t0)
    sd      s1,   3*8(t0)
    sd      s2,   4*8(t0)
    sd      s3,   5*8(t0)
    sd      s4,   6*8(t0)
    sd      s5,   7*8(t0)
    sd      s6,   8*8(t0)
    sd      s7,   9*8(t0)
    sd      s8,  10*8(t0)
    sd      s9,  11*8(t0)
    sd      s10, 12*8(t0)
    sd      s11, 13*8(t0)
    la      t1, g_trap_mode
    li      t2, 2                   /* TRAP_MODE_CATCH */
    sw      t2, 0(t1)
    mv      t1, a0
    mv      a0, a1
    jalr    t1
    la      t1, g_trap_mode
    sw      zero, 0(t1)
    li      a0, 0
    j       1f
trap_catch_resume:
    li      a0, 1
1:  la      t0, g_catch_ctx
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
    ret

    .bss
    .balign 8
    .globl g_catch_ctx
g_catch_ctx:
    .zero   14*8
