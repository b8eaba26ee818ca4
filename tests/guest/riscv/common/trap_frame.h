/* The trap frame the guest harnesses' assembly trap entries share
 * (crt0.S, priv.S, hyp/common/hyp.S): x0..x31 at 8-byte slots, the trapped
 * pc, and padding to keep sp 16-byte aligned (struct trap_frame in C).
 * SAVE_REGS/RESTORE_REGS store and reload x1 and x3..x31; x2 (sp) is
 * handled by each entry, which knows where the interrupted sp lives. */
#ifndef ORRERY_GUEST_TRAP_FRAME_H
#define ORRERY_GUEST_TRAP_FRAME_H

#define FRAME_SIZE   (34 * 8)
#define FRAME_EPC    (32 * 8)

.macro SAVE_REGS
    .irp r, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    sd      x\r, \r*8(sp)
    .endr
.endm

.macro RESTORE_REGS
    .irp r, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    ld      x\r, \r*8(sp)
    .endr
.endm

#endif
