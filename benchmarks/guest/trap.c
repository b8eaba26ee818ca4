/*
 * trap - exception entry/exit cost: ECALL -> M-mode handler -> MRET, as
 * tight as it gets, so the emulator's trap path (cause/epc/status update,
 * vector fetch, leaving and re-entering translated code) dominates.
 *
 *   M -> M  ECALL from M-mode, TRAPS times;
 *   U -> M  the same from U-mode: entered by MRET with MPP = U, each ECALL
 *           switches privilege twice (and with it the emulator's
 *           per-privilege state such as its TLBs or PMP view).
 *
 * The handler is a five-instruction vector of its own (mepc += 4, count in
 * t1, MRET) installed only while the loops run: crt0's C-level handler
 * would measure register saving and C code instead.  The loops and the
 * handler share a register convention (t0 scratch, t1 the count, a0 the
 * iterations left) so no memory is touched on the hot path.
 */
#include "bench.h"

#define TRAPS 2500000u

struct trap_result {
    uint64_t handled;   /* handler entries counted in t1 */
    uint64_t mcause;    /* mcause after the last trap */
};

/* Both return struct trap_result in a0/a1 (two XLEN words, per the
 * psABI); a0 = n > 0 on entry. */
struct trap_result trap_m_loop(uint64_t n);
struct trap_result trap_u_loop(uint64_t n);

__asm__(
    "   .text\n"
    /* ---- M -> M ---------------------------------------------------- */
    "   .balign 4\n"                    /* mtvec direct mode: 4-aligned */
    "trap_m_vec:\n"
    "   csrr    t0, mepc\n"
    "   addi    t0, t0, 4\n"            /* ECALL is always 4 bytes */
    "   csrw    mepc, t0\n"
    "   addi    t1, t1, 1\n"
    "   mret\n"
    "\n"
    "   .globl  trap_m_loop\n"
    "trap_m_loop:\n"
    "   csrr    t2, mtvec\n"            /* crt0's vector, restored below */
    "   la      t0, trap_m_vec\n"
    "   csrw    mtvec, t0\n"
    "   li      t1, 0\n"
    "1: ecall\n"
    "   addi    a0, a0, -1\n"
    "   bnez    a0, 1b\n"
    "   csrw    mtvec, t2\n"
    "   mv      a0, t1\n"
    "   csrr    a1, mcause\n"
    "   ret\n"
    "\n"
    /* ---- U -> M ---------------------------------------------------- */
    /* U-mode's ECALLs carry a0 = iterations left (> 0); the final one
     * carries a0 = 0 and asks to return to trap_u_loop's caller, whose
     * sp was parked in mscratch. */
    "   .balign 4\n"
    "trap_u_vec:\n"
    "   beqz    a0, 2f\n"
    "   csrr    t0, mepc\n"
    "   addi    t0, t0, 4\n"
    "   csrw    mepc, t0\n"
    "   addi    t1, t1, 1\n"
    "   mret\n"                         /* MPP = U again: back to U */
    "2: csrr    sp, mscratch\n"
    "   ld      t2, 8(sp)\n"
    "   csrw    mtvec, t2\n"
    "   ld      ra, 0(sp)\n"
    "   addi    sp, sp, 16\n"
    "   mv      a0, t1\n"
    "   csrr    a1, mcause\n"
    "   ret\n"                          /* still in M: the trap put us here */
    "\n"
    "trap_user_loop:\n"                 /* runs in U-mode */
    "   ecall\n"
    "   addi    a0, a0, -1\n"
    "   bnez    a0, trap_user_loop\n"
    "   ecall\n"                        /* a0 = 0: done, does not return */
    "3: j       3b\n"
    "\n"
    "   .globl  trap_u_loop\n"
    "trap_u_loop:\n"
    "   addi    sp, sp, -16\n"
    "   sd      ra, 0(sp)\n"
    "   csrr    t2, mtvec\n"
    "   sd      t2, 8(sp)\n"
    "   csrw    mscratch, sp\n"
    "   la      t0, trap_u_vec\n"
    "   csrw    mtvec, t0\n"
    "   li      t0, 0x1800\n"           /* mstatus.MPP = U (0) */
    "   csrc    mstatus, t0\n"
    "   la      t0, trap_user_loop\n"
    "   csrw    mepc, t0\n"
    "   li      t1, 0\n"
    "   mret\n");

int main(void)
{
    /* With no PMP entry, U-mode can access nothing (M-mode is unaffected).
     * Entry 0: NAPOT over the whole address space (pmpaddr all ones),
     * R|W|X. */
    csr_write(pmpaddr0, ~0ull);
    csr_write(pmpcfg0, 0x1f);

    struct trap_result m = trap_m_loop(TRAPS);
    printf("trap: M->M %u ecalls, %lu handled, last mcause %lu\n", TRAPS, m.handled, m.mcause);
    struct trap_result u = trap_u_loop(TRAPS);
    printf("trap: U->M %u ecalls, %lu handled, last mcause %lu\n", TRAPS, u.handled, u.mcause);

    int ok = m.handled == TRAPS && m.mcause == CAUSE_ECALL_M &&
             u.handled == TRAPS && u.mcause == CAUSE_ECALL_U;
    uint64_t sum = mix64(mix64(mix64(mix64(MIX_INIT, m.handled), m.mcause), u.handled), u.mcause);
    return bench_report("trap", sum, 0x0d45f9297ccc54e2ull) | !ok;
}
