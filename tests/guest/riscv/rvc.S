/*
 * rvc.S - every RV64C instruction, written with explicit c.* mnemonics so the
 * compressed encoding is what runs.  Each function takes a results array in
 * a0 (moved to t6) and stores the values that rvc.c checks.
 */
    .option rvc
    .text

/* c.addi4spn, c.addi16sp, c.li, c.addi, c.nop */
    .globl rvc_sp_imm
rvc_sp_imm:
    addi    sp, sp, -16          /* s0/s1 are callee-saved */
    sd      s0, 0(sp)
    sd      s1, 8(sp)
    mv      t6, a0
    mv      t0, sp
    c.addi4spn a0, sp, 4
    sub     a0, a0, sp
    sd      a0, 0(t6)               /* 4 */
    c.addi4spn a1, sp, 1020
    sub     a1, a1, sp
    sd      a1, 8(t6)               /* 1020 */
    c.addi16sp sp, -512
    sub     a2, t0, sp
    sd      a2, 16(t6)              /* 512 */
    c.addi16sp sp, 496
    c.addi16sp sp, 16
    sub     a3, t0, sp
    sd      a3, 24(t6)              /* 0: sp restored */
    c.li    a4, -32
    sd      a4, 32(t6)              /* -32 */
    c.li    a4, 31
    sd      a4, 40(t6)              /* 31 */
    c.li    a5, 5
    c.addi  a5, -32
    sd      a5, 48(t6)              /* -27 */
    c.addi  a5, 31
    c.nop
    sd      a5, 56(t6)              /* 4 */
    c.li    s1, 0
    c.addi  s1, 1
    sd      s1, 64(t6)              /* 1 */
    ld      s0, 0(sp)
    ld      s1, 8(sp)
    addi    sp, sp, 16
    ret

/* c.addiw, c.lui */
    .globl rvc_w_lui
rvc_w_lui:
    mv      t6, a0
    li      a0, 0x7fffffff
    c.addiw a0, 1
    sd      a0, 0(t6)               /* 0xffffffff80000000 */
    li      a1, 0xffffffff
    c.addiw a1, 0                   /* sext.w */
    sd      a1, 8(t6)               /* -1 */
    li      a2, 0x100000005
    c.addiw a2, -6
    sd      a2, 16(t6)              /* -1 */
    c.lui   a3, 1
    sd      a3, 24(t6)              /* 0x1000 */
    c.lui   a3, 0x1f
    sd      a3, 32(t6)              /* 0x1f000 */
    c.lui   a4, 0xfffff
    sd      a4, 40(t6)              /* 0xfffffffffffff000 */
    c.lui   a4, 0xfffe0
    sd      a4, 48(t6)              /* 0xfffffffffffe0000 */
    mv      t5, ra
    c.lui   ra, 0x10                /* rd may be any of x1..x31 except x2 */
    sd      ra, 56(t6)              /* 0x10000 */
    mv      ra, t5
    ret

/* shifts and ALU register-register ops */
    .globl rvc_alu
rvc_alu:
    addi    sp, sp, -16          /* s0/s1 are callee-saved */
    sd      s0, 0(sp)
    sd      s1, 8(sp)
    mv      t6, a0
    li      a0, 0x8000000000000000
    c.srli  a0, 63
    sd      a0, 0(t6)               /* 1 */
    li      a0, 0x8000000000000000
    c.srli  a0, 32
    sd      a0, 8(t6)               /* 0x80000000 */
    li      a0, 0x8000000000000000
    c.srai  a0, 1
    sd      a0, 16(t6)              /* 0xc000000000000000 */
    li      a0, 0x8000000000000000
    c.srai  a0, 63
    sd      a0, 24(t6)              /* -1 */
    li      a0, 1
    c.slli  a0, 63
    sd      a0, 32(t6)              /* 0x8000000000000000 */
    li      a0, 0xffffffff
    c.slli  a0, 32
    sd      a0, 40(t6)              /* 0xffffffff00000000 */
    li      a0, -1
    c.andi  a0, -32
    sd      a0, 48(t6)              /* 0xffffffffffffffe0 */
    li      a0, 0x1234
    c.andi  a0, 15
    sd      a0, 56(t6)              /* 4 */
    li      a0, 3
    li      a1, 5
    c.sub   a0, a1
    sd      a0, 64(t6)              /* -2 */
    li      a0, 0xff00ff00ff00ff00
    li      a1, 0x0ff00ff00ff00ff0
    c.xor   a0, a1
    sd      a0, 72(t6)              /* 0xf0f0f0f0f0f0f0f0 */
    li      a0, 0xff00ff00ff00ff00
    c.or    a0, a1
    sd      a0, 80(t6)              /* 0xfff0fff0fff0fff0 */
    li      a0, 0xff00ff00ff00ff00
    c.and   a0, a1
    sd      a0, 88(t6)              /* 0x0f000f000f000f00 */
    li      a0, 0x80000000
    li      a1, 1
    c.subw  a0, a1
    sd      a0, 96(t6)              /* 0x7fffffff */
    li      a0, 0x7fffffff
    c.addw  a0, a1
    sd      a0, 104(t6)             /* 0xffffffff80000000 */
    li      a0, 0x100000000
    c.subw  a0, a1
    sd      a0, 112(t6)             /* -1 */
    li      a0, 0x7fffffffffffffff
    li      a1, 1
    c.add   a0, a1
    sd      a0, 120(t6)             /* 0x8000000000000000 */
    li      a2, 0x123456789abcdef0
    c.mv    t1, a2
    sd      t1, 128(t6)             /* 0x123456789abcdef0 */
    li      s0, 8
    c.sub   s0, a1                  /* s0 (x8) is a compressed register */
    sd      s0, 136(t6)             /* 7 */
    li      a5, 0x100000007
    li      s1, 0x100000002
    c.addw  a5, s1
    sd      a5, 144(t6)             /* 9 */
    ld      s0, 0(sp)
    ld      s1, 8(sp)
    addi    sp, sp, 16
    ret

/* loads and stores, register-based and sp-based, integer and double */
    .globl rvc_mem
rvc_mem:
    addi    sp, sp, -16          /* s0/s1 are callee-saved */
    sd      s0, 0(sp)
    sd      s1, 8(sp)
    mv      t6, a0
    la      a1, rvc_buf
    li      a0, 0x80000000
    c.sw    a0, 4(a1)
    c.lw    a2, 4(a1)
    sd      a2, 0(t6)               /* 0xffffffff80000000 */
    li      a0, 0x1122334455667788
    c.sd    a0, 248(a1)
    c.ld    a3, 248(a1)
    sd      a3, 8(t6)               /* 0x1122334455667788 */
    c.lw    a4, 124(a1)
    sd      a4, 16(t6)              /* 0x5a5a5a5a (pre-filled) */
    lwu     a4, 248(a1)
    sd      a4, 24(t6)              /* 0x55667788 */
    li      a0, 0x400921fb54442d18  /* pi */
    fmv.d.x fa0, a0
    c.fsd   fa0, 16(a1)
    c.fld   fa1, 16(a1)
    fmv.x.d a5, fa1
    sd      a5, 32(t6)              /* pi */
    ld      a5, 16(a1)
    sd      a5, 40(t6)              /* pi */
    /* sp-relative forms on a 512-byte frame */
    addi    sp, sp, -512
    li      a0, 0xfedcba9876543210
    c.sdsp  a0, 504(sp)
    c.ldsp  s0, 504(sp)
    sd      s0, 48(t6)              /* 0xfedcba9876543210 */
    li      a0, 0x87654321
    c.swsp  a0, 252(sp)
    c.lwsp  t2, 252(sp)             /* rd may be any non-zero register */
    sd      t2, 56(t6)              /* 0xffffffff87654321 */
    c.swsp  a0, 0(sp)
    c.lwsp  t3, 0(sp)
    sd      t3, 64(t6)              /* 0xffffffff87654321 */
    li      a0, 0xc000000000000000  /* -2.0 */
    fmv.d.x ft5, a0
    c.fsdsp ft5, 496(sp)
    c.fldsp ft6, 496(sp)
    fmv.x.d t4, ft6
    sd      t4, 72(t6)              /* -2.0 */
    ld      t4, 496(sp)
    sd      t4, 80(t6)              /* -2.0 */
    c.ldsp  t4, 504(sp)
    sd      t4, 88(t6)              /* 0xfedcba9876543210 */
    addi    sp, sp, 512
    ld      s0, 0(sp)
    ld      s1, 8(sp)
    addi    sp, sp, 16
    ret

/* control transfer: c.j, c.beqz, c.bnez, c.jr, c.jalr */
    .globl rvc_ctl
rvc_ctl:
    mv      t6, a0
    li      a0, 0
    c.j     1f
    addi    a0, a0, 100             /* skipped */
1:  addi    a0, a0, 1
    c.j     3f
2:  addi    a0, a0, 10              /* reached by the backward c.j */
    c.j     4f
3:  c.j     2b
4:  sd      a0, 0(t6)               /* 11 */

    li      a0, 0
    li      a1, 0
    c.beqz  a1, 1f                  /* taken */
    addi    a0, a0, 100
1:  li      a1, 7
    c.beqz  a1, 2f                  /* not taken */
    addi    a0, a0, 1
2:  c.bnez  a1, 3f                  /* taken */
    addi    a0, a0, 100
3:  li      a1, 0
    c.bnez  a1, 4f                  /* not taken */
    addi    a0, a0, 2
4:  li      a2, 0x100000000         /* c.beqz tests all 64 bits */
    c.beqz  a2, 5f
    addi    a0, a0, 4
5:  sd      a0, 8(t6)               /* 7 */

    li      a0, 0
    li      a1, 3
6:  addi    a0, a0, 1               /* backward c.bnez loop */
    addi    a1, a1, -1
    c.bnez  a1, 6b
    sd      a0, 16(t6)              /* 3 */

    la      a3, 7f
    li      a0, 0
    c.jr    a3
    addi    a0, a0, 100
7:  addi    a0, a0, 1
    sd      a0, 24(t6)              /* 1 */

    mv      t5, ra
    la      a4, 9f
8:  c.jalr  a4
    addi    a0, a0, 100             /* return address: must not be reached */
9:  la      a5, 8b
    sub     a5, ra, a5
    sd      a5, 32(t6)              /* 2: link = pc + 2 */
    la      a2, 10f
    c.jalr  a2                      /* call a real subroutine */
    sd      a0, 40(t6)              /* 0x55 */
    mv      ra, t5
    ret
10: li      a0, 0x55
    c.jr    ra

/* c.ebreak: returns the address of the c.ebreak in a0 (the trap is expected) */
    .globl rvc_ebreak
rvc_ebreak:
    la      a0, 1f
1:  c.ebreak
    c.li    a1, 1                   /* execution resumes here (mepc + 2) */
    add     a0, a0, a1
    ret

    .data
    .balign 8
    .globl rvc_buf
rvc_buf:
    .rept   32
    .dword  0x5a5a5a5a5a5a5a5a
    .endr
