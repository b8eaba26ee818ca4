// Guest test: every hart the device tree describes is online, and threads
// pinned to each of them run, share atomics and a mutex, and keep their
// floating-point state across context switches.
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T "hello_smp: "
enum { kIterations = 20000, kMaxThreads = 64 };

static int failures;
#define CHECK(cond, ...)                       \
  do {                                         \
    if (!(cond)) {                             \
      printf(T "FAIL: " __VA_ARGS__);          \
      putchar('\n');                           \
      failures++;                              \
    }                                          \
  } while (0)

static long ncpus;
static pthread_barrier_t barrier;
static atomic_long atomic_counter;
static long locked_counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

struct worker {
  pthread_t thread;
  int index;
  int cpu;          // the hart the worker pinned itself to
  int ran_on;       // what sched_getcpu() said after pinning
  int pin_error;
  double fp_result;
};

// A floating-point computation whose result depends on every step, so a
// lost or mixed-up FP register across a context switch changes it.
static double fp_work(int seed) {
  double x = 1.0 + seed / 1000.0, sum = 0;
  for (int i = 1; i <= kIterations; ++i) {
    x = x * 1.0000001 + 1.0 / i;
    sum += x / (i + seed);
    if (i % 4096 == 0) sched_yield();
  }
  return sum;
}

static void *work(void *arg) {
  struct worker *w = arg;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(w->cpu, &set);
  w->pin_error = pthread_setaffinity_np(pthread_self(), sizeof set, &set);
  sched_yield();
  w->ran_on = sched_getcpu();
  pthread_barrier_wait(&barrier);
  for (int i = 0; i < kIterations; ++i) {
    atomic_fetch_add_explicit(&atomic_counter, 1, memory_order_relaxed);
    if (i % 16 == 0) {
      pthread_mutex_lock(&lock);
      locked_counter++;
      pthread_mutex_unlock(&lock);
    }
  }
  w->fp_result = fp_work(w->index);
  return NULL;
}

// Harts in the flattened device tree that are not disabled.
static int dt_harts(void) {
  DIR *d = opendir("/sys/firmware/devicetree/base/cpus");
  if (!d) return -1;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strncmp(e->d_name, "cpu@", 4) != 0) continue;
    char path[512], status[32] = "okay";
    snprintf(path, sizeof path, "/sys/firmware/devicetree/base/cpus/%s/status", e->d_name);
    FILE *f = fopen(path, "r");
    if (f) {
      if (!fgets(status, sizeof status, f)) strcpy(status, "okay");
      fclose(f);
    }
    if (strncmp(status, "okay", 4) == 0 || strncmp(status, "ok", 2) == 0) n++;
  }
  closedir(d);
  return n;
}

static int cpuinfo_processors(void) {
  FILE *f = fopen("/proc/cpuinfo", "r");
  if (!f) return -1;
  char line[256];
  int n = 0;
  while (fgets(line, sizeof line, f))
    if (strncmp(line, "processor", 9) == 0) n++;
  fclose(f);
  return n;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  ncpus = sysconf(_SC_NPROCESSORS_ONLN);
  long conf = sysconf(_SC_NPROCESSORS_CONF);
  int harts = dt_harts(), listed = cpuinfo_processors();
  printf(T "%ld online, %ld configured, %d in /proc/cpuinfo, %d in the device tree\n", ncpus,
         conf, listed, harts);
  CHECK(ncpus >= 1, "sysconf(_SC_NPROCESSORS_ONLN) = %ld", ncpus);
  CHECK(listed == ncpus, "/proc/cpuinfo lists %d processors, sysconf says %ld", listed, ncpus);
  if (harts >= 0) CHECK(harts == ncpus, "%d harts in the device tree but %ld online", harts, ncpus);
  if (ncpus < 1) return 1;

  int nthreads = ncpus * 2 < 4 ? 4 : (int)ncpus * 2;
  if (nthreads > kMaxThreads) nthreads = kMaxThreads;
  static struct worker workers[kMaxThreads];
  pthread_barrier_init(&barrier, NULL, nthreads);
  for (int i = 0; i < nthreads; ++i) {
    workers[i].index = i;
    workers[i].cpu = i % ncpus;
    CHECK(pthread_create(&workers[i].thread, NULL, work, &workers[i]) == 0,
          "pthread_create %d", i);
  }
  for (int i = 0; i < nthreads; ++i) pthread_join(workers[i].thread, NULL);

  unsigned long seen = 0;
  for (int i = 0; i < nthreads; ++i) {
    struct worker *w = &workers[i];
    CHECK(w->pin_error == 0, "thread %d could not pin itself to cpu %d (error %d)", i, w->cpu,
          w->pin_error);
    CHECK(w->ran_on == w->cpu, "thread %d pinned to cpu %d ran on cpu %d", i, w->cpu, w->ran_on);
    if (w->ran_on >= 0 && w->ran_on < 64) seen |= 1ul << w->ran_on;
    double expect = fp_work(i);
    CHECK(w->fp_result == expect, "thread %d: floating-point result %.17g, expected %.17g", i,
          w->fp_result, expect);
  }
  long want = (long)nthreads * kIterations;
  CHECK(atomic_counter == want, "atomic counter %ld, expected %ld", (long)atomic_counter, want);
  CHECK(locked_counter == want / 16, "mutex counter %ld, expected %ld", locked_counter,
        want / 16);
  printf(T "%d threads ran on %d distinct cpus\n", nthreads, __builtin_popcountl(seen));
  printf(T "%s\n", failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
