/*
 * worldswitch - hypervisor world switches: a VS-mode guest ECALLs into an
 * HS-mode handler, which returns with SRET, ROUND_TRIPS times.  Each
 * round trip toggles virtualisation (V=1 -> V=0 -> V=1): the emulator
 * swaps the S-level CSRs for their VS copies (vsstatus, vstvec, vsepc,
 * ...), and changes translation regime and address-space identity even
 * with both stages Bare, which is what makes the hypervisor path costly.
 *
 * Setup, from M: ECALL-from-VS (cause 10) is delegated to HS through
 * medeleg (not on to VS: hedeleg stays 0), PMP entry 0 opens all memory
 * to the lower modes, and MRET enters HS (MPP = S, MPV = 0).  HS installs
 * its vector, sets hgatp = vsatp = 0 (Bare: guest physical = host
 * physical, so the guest runs the same code at the same addresses),
 * hstatus.SPV = 1 and sstatus.SPP = S, and SRETs into the VS loop.
 * The guest's ECALLs carry a0 = iterations left; the last one (a0 = 0)
 * makes HS record scause/hstatus and ECALL itself (cause 9, not
 * delegated), landing in an M vector that returns to the C caller.
 * Before that last ECALL the guest reads sscratch, which with V=1 is
 * vsscratch: HS set the two to different values.
 */
#include "bench.h"

#define ROUND_TRIPS 2500000u

#define MEDELEG_ECALL_VS (1ull << 10)

struct ws_result {
    uint64_t handled;   /* HS handler entries (t1) */
    uint64_t scause;    /* HS scause at the final guest ECALL: 10 */
    uint64_t hstatus;   /* hstatus then: SPV (bit 7) set by the trap */
    uint64_t mcause;    /* M's mcause for HS's ECALL: 9 */
    uint64_t guest_sscratch;    /* sscratch as read in the guest */
};

/* sscratch seen by HS and by the guest (which gets vsscratch): proves the
 * loop really ran with V=1. */
#define HS_SSCRATCH 0x4853      /* "HS"; no suffix: also used in asm */
#define VS_SSCRATCH 0x5653      /* "VS" */
#define STR_(x) #x
#define STR(x) STR_(x)

/* a0 = n > 0, a1 = where to store the result */
void ws_run(uint64_t n, struct ws_result *out);

__asm__(
    "   .text\n"
    "   .globl  ws_run\n"
    "ws_run:\n"                         /* M-mode */
    "   addi    sp, sp, -32\n"
    "   sd      ra, 0(sp)\n"
    "   csrr    t2, mtvec\n"
    "   sd      t2, 8(sp)\n"
    "   sd      a1, 16(sp)\n"
    "   csrw    mscratch, sp\n"         /* for ws_m_vec */
    "   la      t0, ws_m_vec\n"
    "   csrw    mtvec, t0\n"
    "   li      t0, 0x1800\n"           /* MPP = S (01) */
    "   csrc    mstatus, t0\n"
    "   li      t0, 0x800\n"
    "   csrs    mstatus, t0\n"
    "   li      t0, 1\n"                /* MPV = 0: enter HS, not VS */
    "   slli    t0, t0, 39\n"
    "   csrc    mstatus, t0\n"
    "   la      t0, ws_hs_entry\n"
    "   csrw    mepc, t0\n"
    "   mret\n"
    "\n"
    "ws_hs_entry:\n"                    /* HS-mode */
    "   la      t0, ws_hs_vec\n"
    "   csrw    stvec, t0\n"
    "   csrw    hgatp, zero\n"
    "   csrw    vsatp, zero\n"
    "   li      t0, " STR(HS_SSCRATCH) "\n"
    "   csrw    sscratch, t0\n"
    "   li      t0, " STR(VS_SSCRATCH) "\n"
    "   csrw    vsscratch, t0\n"
    "   li      t0, 0x80\n"             /* hstatus.SPV: SRET enters V=1 */
    "   csrs    hstatus, t0\n"
    "   li      t0, 0x100\n"            /* sstatus.SPP = S: ... as VS */
    "   csrs    sstatus, t0\n"
    "   la      t0, ws_vs_loop\n"
    "   csrw    sepc, t0\n"
    "   li      t1, 0\n"
    "   sret\n"
    "\n"
    "ws_vs_loop:\n"                     /* VS-mode */
    "   ecall\n"
    "   addi    a0, a0, -1\n"
    "   bnez    a0, ws_vs_loop\n"
    "   csrr    a3, sscratch\n"         /* vsscratch, since V=1 */
    "   ecall\n"                        /* a0 = 0: done, does not return */
    "1: j       1b\n"
    "\n"
    "   .balign 4\n"                    /* stvec direct mode: 4-aligned */
    "ws_hs_vec:\n"                      /* HS-mode, from VS */
    "   beqz    a0, 2f\n"
    "   csrr    t0, sepc\n"
    "   addi    t0, t0, 4\n"
    "   csrw    sepc, t0\n"
    "   addi    t1, t1, 1\n"
    "   sret\n"                         /* SPV = 1 again: back to VS */
    "2: csrr    a1, scause\n"
    "   csrr    a2, hstatus\n"
    "   ecall\n"                        /* cause 9 -> M */
    "3: j       3b\n"
    "\n"
    "   .balign 4\n"
    "ws_m_vec:\n"                       /* M-mode, from HS */
    "   csrr    sp, mscratch\n"
    "   ld      t0, 16(sp)\n"
    "   sd      t1, 0(t0)\n"
    "   sd      a1, 8(t0)\n"
    "   sd      a2, 16(t0)\n"
    "   csrr    t2, mcause\n"
    "   sd      t2, 24(t0)\n"
    "   sd      a3, 32(t0)\n"
    "   ld      t2, 8(sp)\n"
    "   csrw    mtvec, t2\n"
    "   ld      ra, 0(sp)\n"
    "   addi    sp, sp, 32\n"
    "   ret\n");

int main(void)
{
    /* Lower modes need a PMP entry to access anything: entry 0, NAPOT
     * over all addresses, R|W|X. */
    csr_write(pmpaddr0, ~0ull);
    csr_write(pmpcfg0, 0x1f);
    csr_set(medeleg, MEDELEG_ECALL_VS);

    struct ws_result r;
    ws_run(ROUND_TRIPS, &r);
    csr_clear(medeleg, MEDELEG_ECALL_VS);

    uint64_t spv = r.hstatus >> 7 & 1;
    printf("worldswitch: %u VS->HS->VS round trips, %lu handled, scause %lu, "
           "hstatus.SPV %lu, guest sscratch 0x%lx, then HS->M mcause %lu\n",
           ROUND_TRIPS, r.handled, r.scause, spv, r.guest_sscratch, r.mcause);
    int ok = r.handled == ROUND_TRIPS && r.scause == 10 && spv == 1 &&
             r.guest_sscratch == VS_SSCRATCH && r.mcause == CAUSE_ECALL_S;
    uint64_t sum = MIX_INIT;
    sum = mix64(mix64(mix64(sum, r.handled), r.scause), spv);
    sum = mix64(mix64(sum, r.guest_sscratch), r.mcause);
    return bench_report("worldswitch", sum, 0x776a8afdb2ce73b9ull) | !ok;
}
