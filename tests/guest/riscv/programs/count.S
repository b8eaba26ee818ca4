# A program with a known dynamic instruction count, for --stats and --trace:
# 1 (setup) + 2 * 1000 (loop) + 4 (exit sequence, the finisher store
# included) = 2005 retired instructions.
        .option norvc
        .section .text.start
        .globl _start
_start:
        addi    t0, zero, 1000
1:      addi    t0, t0, -1
        bne     t0, zero, 1b
        lui     t1, 0x100           # SiFive test finisher at 0x100000
        lui     t2, 0x5
        addi    t2, t2, 0x555       # 0x5555: pass
        sw      t2, 0(t1)
2:      j       2b
