# Every RV64GC instruction Orrery decodes, assembled by GNU as and
# disassembled by objdump as an independent check of the decode tables and
# the disassembler (tests/unit/riscv/objdump_test.cpp).
        .option norvc
        .text
start:
        lui     a0, 0x12345
        lui     t6, 0xfffff
        auipc   s1, 0x1
        jal     ra, start
        jal     zero, fwd
        jalr    ra, 0(a0)
        jalr    zero, -2048(t1)
        beq     a0, a1, start
        bne     s0, zero, fwd
        blt     t0, t1, start
        bge     a2, a3, fwd
        bltu    a4, a5, start
        bgeu    s2, s3, fwd
fwd:
        lb      a0, -1(sp)
        lh      a1, 2(s0)
        lw      a2, 2047(t0)
        ld      a3, -2048(a0)
        lbu     a4, 0(a1)
        lhu     a5, 6(a2)
        lwu     a6, 8(a3)
        sb      a0, -1(sp)
        sh      t1, 2(s0)
        sw      t2, 100(gp)
        sd      s11, -8(tp)
        addi    a0, a1, -5
        slti    t0, t1, 7
        sltiu   s2, s3, -1
        xori    a7, a6, 0x7ff
        ori     t3, t4, -2048
        andi    t5, t6, 255
        slli    a0, a0, 63
        srli    a1, a2, 1
        srai    a3, a4, 32
        add     a0, a1, a2
        sub     s0, s1, s2
        sll     t0, t1, t2
        slt     a3, a4, a5
        sltu    a6, a7, s2
        xor     s3, s4, s5
        srl     s6, s7, s8
        sra     s9, s10, s11
        or      t3, t4, t5
        and     t6, ra, sp
        addiw   a0, a1, -1
        slliw   a2, a3, 31
        srliw   a4, a5, 7
        sraiw   a6, a7, 0
        addw    a0, a1, a2
        subw    a3, a4, a5
        sllw    a6, a7, s0
        srlw    s1, s2, s3
        sraw    s4, s5, s6
        fence   iorw, iorw
        fence   r, w
        fence.tso
        fence.i
        ecall
        ebreak
        mret
        sret
        sfence.vma a0, a1
        sfence.vma
        wfi
        mul     a0, a1, a2
        mulh    a3, a4, a5
        mulhsu  a6, a7, s0
        mulhu   s1, s2, s3
        div     s4, s5, s6
        divu    s7, s8, s9
        rem     s10, s11, t3
        remu    t4, t5, t6
        mulw    a0, a1, a2
        divw    a3, a4, a5
        divuw   a6, a7, s0
        remw    s1, s2, s3
        remuw   s4, s5, s6
        lr.w    a0, (a1)
        sc.w    a2, a3, (a4)
        amoswap.w.aq a0, a1, (a2)
        amoadd.w.rl a3, a4, (a5)
        amoxor.w.aqrl a6, a7, (s0)
        amoand.w s1, s2, (s3)
        amoor.w s4, s5, (s6)
        amomin.w s7, s8, (s9)
        amomax.w s10, s11, (t3)
        amominu.w t4, t5, (t6)
        amomaxu.w a0, a1, (a2)
        lr.d.aq a0, (a1)
        sc.d.rl a2, a3, (a4)
        amoswap.d a0, a1, (a2)
        amoadd.d a3, a4, (a5)
        amoxor.d a6, a7, (s0)
        amoand.d s1, s2, (s3)
        amoor.d s4, s5, (s6)
        amomin.d s7, s8, (s9)
        amomax.d s10, s11, (t3)
        amominu.d t4, t5, (t6)
        amomaxu.d a0, a1, (a2)
        csrrw   a0, mstatus, a1
        csrrs   a2, mscratch, zero
        csrrc   a3, mie, a4
        csrrwi  a5, mtvec, 5
        csrrsi  a6, fcsr, 31
        csrrci  a7, mcountinhibit, 1
        csrrs   t0, minstret, zero
        csrrs   t1, mhpmcounter17, zero
        csrrs   t2, mhartid, zero
        flw     fa0, 4(a0)
        fsw     fs1, -4(sp)
        fmadd.s fa0, fa1, fa2, fa3
        fmsub.s ft0, ft1, ft2, ft3, rtz
        fnmsub.s fs0, fs1, fs2, fs3, rdn
        fnmadd.s ft8, ft9, ft10, ft11, rup
        fadd.s  fa0, fa1, fa2
        fsub.s  fa3, fa4, fa5, rmm
        fmul.s  fa6, fa7, fs2, rne
        fdiv.s  fs3, fs4, fs5
        fsqrt.s fs6, fs7
        fsgnj.s fs8, fs9, fs10
        fsgnjn.s fs11, ft8, ft9
        fsgnjx.s ft10, ft11, ft0
        fmin.s  fa0, fa1, fa2
        fmax.s  fa3, fa4, fa5
        fcvt.w.s a0, fa0, rtz
        fcvt.wu.s a1, fa1
        fcvt.l.s a2, fa2, rdn
        fcvt.lu.s a3, fa3, rup
        fmv.x.w a4, fa4
        feq.s   a5, fa5, fa6
        flt.s   a6, fa6, fa7
        fle.s   a7, fa7, fs0
        fclass.s t0, ft0
        fcvt.s.w fa0, a0
        fcvt.s.wu fa1, a1, rtz
        fcvt.s.l fa2, a2
        fcvt.s.lu fa3, a3, rmm
        fmv.w.x fa4, a4
        fld     fa0, 8(a0)
        fsd     fs1, -8(sp)
        fmadd.d fa0, fa1, fa2, fa3
        fmsub.d ft0, ft1, ft2, ft3, rtz
        fnmsub.d fs0, fs1, fs2, fs3
        fnmadd.d ft8, ft9, ft10, ft11, rup
        fadd.d  fa0, fa1, fa2
        fsub.d  fa3, fa4, fa5, rmm
        fmul.d  fa6, fa7, fs2
        fdiv.d  fs3, fs4, fs5, rtz
        fsqrt.d fs6, fs7
        fsgnj.d fs8, fs9, fs10
        fsgnjn.d fs11, ft8, ft9
        fsgnjx.d ft10, ft11, ft0
        fmin.d  fa0, fa1, fa2
        fmax.d  fa3, fa4, fa5
        fcvt.w.d a0, fa0, rtz
        fcvt.wu.d a1, fa1
        fcvt.l.d a2, fa2, rdn
        fcvt.lu.d a3, fa3
        fmv.x.d a4, fa4
        feq.d   a5, fa5, fa6
        flt.d   a6, fa6, fa7
        fle.d   a7, fa7, fs0
        fclass.d t0, ft0
        fcvt.d.w fa0, a0
        fcvt.d.wu fa1, a1
        fcvt.d.l fa2, a2, rtz
        fcvt.d.lu fa3, a3
        fmv.d.x fa4, a4
        fcvt.s.d fa5, fa6
        fcvt.d.s fa7, fs0
        hfence.vvma a0, a1
        hfence.gvma a2, zero
        hlv.b   a0, (a1)
        hlv.bu  a2, (a3)
        hlv.h   a4, (a5)
        hlv.hu  s0, (s1)
        hlvx.hu t0, (t1)
        hlv.w   t2, (s2)
        hlv.wu  s3, (s4)
        hlvx.wu s5, (s6)
        hlv.d   s7, (s8)
        hsv.b   a0, (a1)
        hsv.h   a2, (a3)
        hsv.w   a4, (a5)
        hsv.d   a6, (a7)
        .option rvc
        c.addi4spn a0, sp, 16
        c.fld   fa0, 8(a1)
        c.lw    a2, 4(a3)
        c.ld    a4, 16(a5)
        c.fsd   fa1, 24(s0)
        c.sw    s1, 124(a0)
        c.sd    a1, 248(a2)
        c.nop
        c.addi  a0, -32
        c.addiw a1, 31
        c.li    a2, -1
        c.addi16sp sp, -512
        c.lui   a3, 0x1f
        c.srli  s0, 63
        c.srai  s1, 1
        c.andi  a4, -7
        c.sub   a0, a1
        c.xor   a2, a3
        c.or    a4, a5
        c.and   s0, s1
        c.subw  a0, a5
        c.addw  s1, a2
near:
        c.j     start
        c.beqz  a0, near
        c.bnez  s1, near
        c.slli  t0, 12
        c.fldsp fa0, 504(sp)
        c.lwsp  a0, 252(sp)
        c.ldsp  ra, 8(sp)
        c.jr    ra
        c.mv    a0, a1
        c.ebreak
        c.jalr  t0
        c.add   a0, s11
        c.fsdsp fs0, 0(sp)
        c.swsp  a5, 4(sp)
        c.sdsp  s2, 40(sp)
