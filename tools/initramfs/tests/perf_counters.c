// Guest test: the PMU through Linux's perf_event_open, the way perf(1) uses
// it. Linux 6.1's riscv_pmu_sbi driver asks OpenSBI (SBI PMU extension) for
// counters; OpenSBI programs Orrery's mhpmevent selectors from the device
// tree's riscv,pmu map. This program
//   1. counts cycles, instructions, cache references and misses, branches
//      and branch misses (a group, user mode only) around a workload and
//      prints them (with --timing the cache and branch figures come from the
//      model; without one they read 0); the counted stretch is also marked
//      as a statistics region, so tests/boot/linux_test.sh can compare the
//      counts with what orrery --stats-json reports for it;
//   2. samples instructions every 100,000 (user mode): each sample is a
//      counter overflow, i.e. a Sscofpmf local counter-overflow interrupt
//      (LCOFI) that the driver turns into a PERF_RECORD_SAMPLE.
// Exit 0 on success, 77 (skipped) when the kernel has no perf events.
#include <errno.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define T "perf_counters: "

static int perf_open(struct perf_event_attr* attr, int group) {
  return (int)syscall(SYS_perf_event_open, attr, 0, -1, group, 0);
}

// ioctl(fd, request, flags) as a bare ECALL followed at once by one of
// Orrery's statistics-region markers (slti x0, x0, 1 begins a region, 2
// ends one: HINTs, no-ops on other machines; docs/timing.md). The region
// --stats reports then holds exactly the user-mode instructions the
// counters count: from the first one after ENABLE to the ECALL of DISABLE.
#define IOCTL_THEN_MARK(fd, request, flags, marker)                                              \
  do {                                                                                           \
    register long a0_ __asm__("a0") = (fd);                                                      \
    register long a1_ __asm__("a1") = (long)(request);                                           \
    register long a2_ __asm__("a2") = (long)(flags);                                             \
    register long a7_ __asm__("a7") = SYS_ioctl;                                                 \
    __asm__ __volatile__("ecall\n slti x0, x0, " #marker : "+r"(a0_) : "r"(a1_), "r"(a2_), "r"(a7_) \
                         : "memory");                                                            \
  } while (0)

// A pointer chase through 2 MiB (misses in L1 and L2) and a branchy sort.
static uint8_t chase[2u << 20] __attribute__((aligned(4096)));
static uint32_t data[8192];
static volatile uint64_t sink;

static void workload(void) {
  const unsigned lines = sizeof chase / 64;
  for (unsigned i = 0; i < lines; ++i)
    *(void**)(chase + (uint64_t)i * 64) = chase + (uint64_t)((i * 12289u + 7u) % lines) * 64;
  void** p = (void**)chase;
  for (unsigned i = 0; i < 200000; ++i) p = (void**)*p;
  uint64_t x = 88172645463325252ull;
  for (unsigned i = 0; i < 8192; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    data[i] = (uint32_t)x;
  }
  for (unsigned i = 1; i < 2048; ++i) {  // insertion sort: unpredictable branches
    const uint32_t v = data[i];
    unsigned j = i;
    while (j > 0 && data[j - 1] > v) data[j] = data[j - 1], --j;
    data[j] = v;
  }
  sink = (uint64_t)(uintptr_t)p + data[100];
}

static const struct {
  const char* name;
  uint64_t config;
} kEvents[] = {
    {"cycles", PERF_COUNT_HW_CPU_CYCLES},
    {"instructions", PERF_COUNT_HW_INSTRUCTIONS},
    {"cache-references", PERF_COUNT_HW_CACHE_REFERENCES},
    {"cache-misses", PERF_COUNT_HW_CACHE_MISSES},
    {"branches", PERF_COUNT_HW_BRANCH_INSTRUCTIONS},
    {"branch-misses", PERF_COUNT_HW_BRANCH_MISSES},
};
#define N_EVENTS (sizeof kEvents / sizeof kEvents[0])

static int count_group(void) {
  int fds[N_EVENTS];
  for (unsigned i = 0; i < N_EVENTS; ++i) {
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.type = PERF_TYPE_HARDWARE;
    a.config = kEvents[i].config;
    a.disabled = i == 0;
    a.exclude_kernel = 1;
    a.exclude_hv = 1;
    a.read_format = PERF_FORMAT_GROUP;
    fds[i] = perf_open(&a, i == 0 ? -1 : fds[0]);
    if (fds[i] < 0) {
      printf(T "perf_event_open(%s): %s\n", kEvents[i].name, strerror(errno));
      return errno == ENOENT || errno == ENOSYS || errno == EOPNOTSUPP ? 77 : 1;
    }
  }
  ioctl(fds[0], PERF_EVENT_IOC_RESET, PERF_IOC_FLAG_GROUP);
  IOCTL_THEN_MARK(fds[0], PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP, 1);
  workload();
  IOCTL_THEN_MARK(fds[0], PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP, 2);
  uint64_t values[1 + N_EVENTS];
  if (read(fds[0], values, sizeof values) != (ssize_t)sizeof values || values[0] != N_EVENTS) {
    printf(T "reading the group failed\n");
    return 1;
  }
  for (unsigned i = 0; i < N_EVENTS; ++i) printf(T "%s %llu\n", kEvents[i].name, (unsigned long long)values[1 + i]);
  for (unsigned i = 0; i < N_EVENTS; ++i) close(fds[i]);
  const uint64_t cycles = values[1], instructions = values[2];
  if (instructions < 1000000 || cycles == 0) {
    printf(T "FAIL: the workload retires over a million instructions\n");
    return 1;
  }
  return 0;
}

static int sample_overflows(void) {
  struct perf_event_attr a;
  memset(&a, 0, sizeof a);
  a.size = sizeof a;
  a.type = PERF_TYPE_HARDWARE;
  a.config = PERF_COUNT_HW_INSTRUCTIONS;
  a.sample_period = 100000;
  a.sample_type = PERF_SAMPLE_IP;
  a.disabled = 1;
  a.exclude_kernel = 1;
  a.exclude_hv = 1;
  const int fd = perf_open(&a, -1);
  if (fd < 0) {
    // Without Sscofpmf, riscv_pmu_sbi refuses sampling events.
    printf(T "sampling: perf_event_open: %s\n", strerror(errno));
    return 1;
  }
  const long page = sysconf(_SC_PAGESIZE);
  const size_t len = (size_t)page * (1 + 16);
  void* ring = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (ring == MAP_FAILED) {
    printf(T "sampling: mmap: %s\n", strerror(errno));
    return 1;
  }
  ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
  workload();
  ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
  struct perf_event_mmap_page* meta = ring;
  const uint64_t head = __atomic_load_n(&meta->data_head, __ATOMIC_ACQUIRE);
  const uint8_t* data_area = (const uint8_t*)ring + page;
  const uint64_t size = (uint64_t)page * 16;
  unsigned samples = 0;
  for (uint64_t off = meta->data_tail; off < head;) {
    const struct perf_event_header* h = (const void*)(data_area + off % size);
    if (h->size == 0) break;
    if (h->type == PERF_RECORD_SAMPLE) ++samples;
    off += h->size;
  }
  printf(T "samples every 100000 instructions: %u\n", samples);
  munmap(ring, len);
  close(fd);
  if (samples < 5) {
    printf(T "FAIL: expected a sample per 100000 instructions (counter-overflow interrupts)\n");
    return 1;
  }
  return 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  const int counted = count_group();
  if (counted != 0) return counted;
  return sample_overflows();
}
