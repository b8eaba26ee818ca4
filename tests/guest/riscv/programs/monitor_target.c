/*
 * monitor_target: the guest of the monitor test (tests/monitor/monitor_test.py).
 * It maps RAM twice with Sv39, through 1 GiB pages (identity, global and
 * RWX; and at 0xffffffc000000000, RW), prints where its marker word is and
 * "ready", then counts forever in S-mode with that translation on. It
 * never exits: the monitor's `quit` ends the run.
 */
#include "guest.h"
#include "priv.h"

volatile uint64_t marker = 0x0123456789abcdefULL;
volatile uint64_t counter;

static long spin(long a, long b)
{
    (void)a;
    (void)b;
    for (;;)
        counter++;
    return 0;
}

int main(void)
{
    priv_init();
    pt_pool_reset();
    uint64_t *root = pt_alloc();
    const uint64_t rwx = PTE_R | PTE_W | PTE_X | PTE_A | PTE_D;
    vm_map(root, 3, 0x80000000UL, 0x80000000UL, 2, rwx | PTE_G);
    vm_map(root, 3, 0xffffffc000000000UL, 0x80000000UL, 2, PTE_R | PTE_W | PTE_A | PTE_D);
    csr_write(satp, satp_make(SATP_MODE_SV39, 0, root));
    sfence_vma_all();
    printf("monitor_target: marker at 0x%lx\n", (uint64_t)(uintptr_t)&marker);
    printf("monitor_target: ready\n");
    priv_call(PRV_S, spin, 0, 0);
    return 1;
}
