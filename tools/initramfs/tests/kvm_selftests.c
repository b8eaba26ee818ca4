// Guest test: Linux 6.1's riscv KVM selftests, run inside the guest against
// its built-in KVM (the emulated H extension). The programs are Linux's own,
// built by tools/build-kvm-selftests and put in /kvm-selftests/ by
// `tools/build-initramfs --kvm-selftests DIR`; this program only runs them.
//
// Exit 77 (skipped) when /dev/kvm is missing (the hart has no H extension:
// -cpu rv64,h=off) or the archive has no /kvm-selftests/ (the default one). Otherwise each
// selftest runs in turn, its output going straight to the console, then
//   kvm-selftest <name>: PASS|FAIL|SKIP (exit N)
// (or "FAIL (killed by signal N)" / "FAIL (timed out after N s)"). Exit
// status 0 is PASS and 4 (KSFT_SKIP) is SKIP; a selftest skips when KVM
// lacks something it needs, which on Orrery means an emulated feature is
// missing, so SKIP counts as failure here: the exit status is 1 unless every
// selftest passed.
//
// Arguments, chosen for a 256-512 MiB machine emulated at 40-70 MIPS (the
// defaults ask for 1 GiB or more of guest memory per test):
//   kvm_create_max_vcpus, kvm_binary_stats_test, set_memory_region_test
//                       no arguments (none has a size option): they create
//                       VMs, vCPUs and memslots (KVM_CAP_MAX_VCPUS = 1024
//                       vCPUs; 4 VMs x 4 vCPUs; 32767 memslots of 2 MiB with
//                       no memory behind them) and run no guest code.
//   demand_paging_test  -b 16M -v 2   16 MiB per vCPU (default 1 GiB), two
//                       vCPUs for the two harts, in every guest mode (52-,
//                       48- and 40-bit guest physical addresses under
//                       Sv57x4). No -u: userfaultfd needs CONFIG_USERFAULTFD,
//                       which the guest kernel lacks, so this is the
//                       KVM-only path (every guest page faults in through
//                       the G-stage once).
//   kvm_page_table_test -b 16M -v 2   16 MiB (default 1 GiB) mapped, written,
//                       read and remapped by two vCPUs, in every guest mode.
//   dirty_log_test      -i 3 -m 5      3 host iterations (default 32; it
//                       wants more than 2) at the default 10 ms interval, in
//                       both log modes riscv 6.1 has (dirty-log, clear-log;
//                       there is no dirty ring, which the test reports and
//                       passes over), in guest mode 5 only (P40V48_4K, the
//                       riscv default; the 52- and 48-bit modes cost as much
//                       again each, and the two tests above cover them). Its
//                       test region is fixed at 1 GiB (DIRTY_MEM_BITS, no
//                       option) and the guest writes every page of it first,
//                       so it needs more than 1 GiB of free RAM: with
//                       MemAvailable under 1088 MiB it is not started (the
//                       OOM killer would end it) and is reported as SKIP.
//                       Boot with -m 1536M or more to run it.
//
// Time: the guest clock follows retired instructions, so the guest-side
// limits below are far shorter in host time than they read. Measured with
// -smp 2 at ~60 MIPS: the first five take ~2 s of guest time together (the
// whole boot ~45 s of host time at -m 512M); dirty_log_test ~7 s of guest
// time (~160 s of host time).
//
// Each selftest gets at most 600 s (guest clock). Kernel command line:
//   orrery.kvm_selftests=NAME[,NAME...]  run only these
//   orrery.kvm_timeout=SECONDS           per-selftest limit (0: none)
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmdline.h"

#define T "kvm-selftest "
#define DIR "/kvm-selftests"
enum { kSkipStatus = 77, kKsftSkip = 4, kMaxArgs = 8 };

struct selftest {
  const char *name;
  const char *args[kMaxArgs];
  long min_available_mib;  // MemAvailable it needs to be worth starting
};

static const struct selftest kSelftests[] = {
    {"kvm_create_max_vcpus", {NULL}, 0},
    {"kvm_binary_stats_test", {NULL}, 0},
    {"set_memory_region_test", {NULL}, 0},
    {"demand_paging_test", {"-b", "16M", "-v", "2", NULL}, 0},
    {"kvm_page_table_test", {"-b", "16M", "-v", "2", NULL}, 0},
    {"dirty_log_test", {"-i", "3", "-m", "5", NULL}, 1088},
};

// MemAvailable from /proc/meminfo in MiB, or -1.
static long available_mib(void) {
  FILE *f = fopen("/proc/meminfo", "r");
  if (!f) return -1;
  char line[256];
  long kib = -1;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "MemAvailable: %ld kB", &kib) == 1) break;
  fclose(f);
  return kib < 0 ? -1 : kib / 1024;
}

// Whether `name` is in the comma-separated `list`.
static int listed(const char *list, const char *name) {
  size_t len = strlen(name);
  for (const char *p = list; *p;) {
    const char *end = strchr(p, ',');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n == len && strncmp(p, name, n) == 0) return 1;
    if (!end) break;
    p = end + 1;
  }
  return 0;
}

static double monotonic_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

// Runs one selftest and prints its result line; returns 1 if it passed.
static int run(const struct selftest *t, long timeout) {
  char path[256];
  snprintf(path, sizeof path, DIR "/%s", t->name);
  char *argv[kMaxArgs + 1];
  int argc = 0;
  argv[argc++] = path;
  for (int i = 0; t->args[i] && argc < kMaxArgs; ++i) argv[argc++] = (char *)t->args[i];
  argv[argc] = NULL;

  long avail = available_mib();
  if (t->min_available_mib > 0 && avail >= 0 && avail < t->min_available_mib) {
    printf(T "%s: SKIP (not run: needs %ld MiB of available memory, the guest has %ld MiB;"
           " boot with -m 1536M or more)\n", t->name, t->min_available_mib, avail);
    return 0;
  }
  printf(T "%s: running", t->name);
  for (int i = 0; i < argc; ++i) printf(" %s", argv[i]);
  printf("\n");
  fflush(NULL);

  double t0 = monotonic_seconds();
  pid_t pid = fork();
  if (pid < 0) {
    printf(T "%s: FAIL (fork: %s)\n", t->name, strerror(errno));
    return 0;
  }
  if (pid == 0) {
    setpgid(0, 0);
    dup2(1, 2);  // one stream, so the console keeps the order of the lines
    execv(path, argv);
    fprintf(stderr, "exec %s: %s\n", path, strerror(errno));
    _exit(127);
  }
  int status = 0, timed_out = 0;
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) {
      printf(T "%s: FAIL (waitpid: %s)\n", t->name, strerror(errno));
      return 0;
    }
    if (timeout > 0 && !timed_out && monotonic_seconds() - t0 > (double)timeout) {
      timed_out = 1;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
    }
    usleep(50000);
  }
  kill(-pid, SIGKILL);  // leftover threads' processes, if any
  double dt = monotonic_seconds() - t0;
  fflush(NULL);
  if (timed_out) {
    printf(T "%s: FAIL (timed out after %ld s)\n", t->name, timeout);
    return 0;
  }
  if (WIFSIGNALED(status)) {
    printf(T "%s: FAIL (killed by signal %d, %s) in %.1f s\n", t->name, WTERMSIG(status),
           strsignal(WTERMSIG(status)), dt);
    return 0;
  }
  int code = WEXITSTATUS(status);
  const char *verdict = code == 0 ? "PASS" : code == kKsftSkip ? "SKIP" : "FAIL";
  printf(T "%s: %s (exit %d) in %.1f s\n", t->name, verdict, code, dt);
  return code == 0;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (access("/dev/kvm", F_OK) != 0) {
    printf(T "no /dev/kvm (the hart has no H extension: h=off?): skipped\n");
    return kSkipStatus;
  }
  if (access(DIR, F_OK) != 0) {
    printf(T "no " DIR " in this initramfs "
           "(tools/build-initramfs --kvm-selftests \"$(tools/build-kvm-selftests)\"): skipped\n");
    return kSkipStatus;
  }
  long timeout = 600;
  const char *opt = cmdline_option("orrery.kvm_timeout");
  if (opt) timeout = strtol(opt, NULL, 10);
  const char *only = cmdline_option("orrery.kvm_selftests");

  int ran = 0, passed = 0;
  char failed[512] = "";
  for (size_t i = 0; i < sizeof kSelftests / sizeof kSelftests[0]; ++i) {
    const struct selftest *t = &kSelftests[i];
    if (only && !listed(only, t->name)) continue;
    ran++;
    if (run(t, timeout)) {
      passed++;
    } else if (strlen(failed) + strlen(t->name) + 2 < sizeof failed) {
      strcat(failed, " ");
      strcat(failed, t->name);
    }
  }
  printf(T "summary: %d of %d passed%s%s\n", passed, ran, failed[0] ? "; failed or skipped:" : "",
         failed);
  return ran > 0 && passed == ran ? 0 : 1;
}
