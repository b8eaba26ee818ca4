// /init for Orrery's guest initramfs (built by tools/build-initramfs).
//
// Mounts proc, sysfs and devtmpfs; prints the kernel (as `uname -a` would),
// the boot time and /proc/cpuinfo; runs every executable in /tests in name
// order, printing each one's name and exit status; ends with exactly one of
//   orrery-init: all tests passed
//   orrery-init: FAILED: <names of the tests that failed>
// and powers the machine off. A test that exits with 77 counts as skipped
// (its device is absent), not failed.
//
// Kernel command line options (read from /proc/cmdline):
//   orrery.timeout=SECONDS  per-test time limit, default 600 (0: none)
//   orrery.shell=1          do not power off at the end; wait forever instead
//
// Static glibc: riscv64-linux-gnu-gcc -static -O2 -o init init.c

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmdline.h"

enum { kSkipStatus = 77 };

static void say(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("orrery-init: ", stdout);
  vprintf(fmt, ap);
  fputc('\n', stdout);
  va_end(ap);
  fflush(stdout);
}

// Makes sure fds 0-2 are the console, whatever the kernel managed to open.
static void open_console(void) {
  int fd = open("/dev/console", O_RDWR | O_NOCTTY);
  if (fd < 0) return;
  for (int i = 0; i < 3; ++i)
    if (fcntl(i, F_GETFD) < 0) dup2(fd, i);
  if (fd > 2) close(fd);
}

static int mount_one(const char *source, const char *target, const char *type) {
  mkdir(target, 0755);
  unsigned long flags = MS_NOSUID;
  if (strcmp(type, "devtmpfs") != 0) flags |= MS_NOEXEC;
  if (mount(source, target, type, flags, NULL) == 0) return 0;
  if (errno == EBUSY) return 0;  // already mounted
  say("cannot mount %s on %s: %s", type, target, strerror(errno));
  return -1;
}

static void cat(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    say("cannot read %s: %s", path, strerror(errno));
    return;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) fwrite(buf, 1, n, stdout);
  fclose(f);
  fflush(stdout);
}

static double monotonic_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int is_test(const struct dirent *e) {
  if (e->d_name[0] == '.') return 0;
  char path[512];
  snprintf(path, sizeof path, "/tests/%s", e->d_name);
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

// Runs one test; returns its wait status, or -1 if it could not start.
// A test still running after `timeout` seconds is killed with SIGKILL.
static int run_test(const char *name, long timeout, int *timed_out) {
  char path[512];
  snprintf(path, sizeof path, "/tests/%s", name);
  *timed_out = 0;
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    char *argv[] = {path, NULL};
    char *envp[] = {"PATH=/tests", "HOME=/", "TERM=vt100", NULL};
    setpgid(0, 0);
    execve(path, argv, envp);
    fprintf(stderr, "exec %s: %s\n", path, strerror(errno));
    _exit(127);
  }
  double deadline = monotonic_seconds() + (double)timeout;
  for (;;) {
    int status;
    pid_t r = waitpid(-1, &status, timeout > 0 ? WNOHANG : 0);
    if (r == pid) {
      kill(-pid, SIGKILL);  // leftovers of the test's process group
      return status;
    }
    if (r > 0) continue;  // an orphan reparented to us; keep reaping
    if (r < 0 && errno != EINTR) return -1;
    if (timeout > 0 && monotonic_seconds() > deadline && !*timed_out) {
      *timed_out = 1;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
    }
    if (r == 0) usleep(20000);
  }
}

static void power_off(void) {
  sync();
  if (cmdline_option("orrery.shell")) {
    say("orrery.shell given: not powering off");
    for (;;) pause();
  }
  reboot(RB_POWER_OFF);
  say("power off failed: %s", strerror(errno));
  for (;;) pause();  // init must never exit
}

int main(void) {
  open_console();
  setvbuf(stdout, NULL, _IOLBF, 0);

  // The kernel's uptime when init starts: the guest's boot time.
  say("started as pid %d", (int)getpid());
  int mounts_ok = 1;
  mounts_ok &= mount_one("proc", "/proc", "proc") == 0;
  mounts_ok &= mount_one("sysfs", "/sys", "sysfs") == 0;
  mounts_ok &= mount_one("devtmpfs", "/dev", "devtmpfs") == 0;
  FILE *up = fopen("/proc/uptime", "r");
  double uptime = 0;
  if (up) {
    if (fscanf(up, "%lf", &uptime) != 1) uptime = 0;
    fclose(up);
  }
  say("kernel booted to init in %.2f s (guest clock)", uptime);

  struct utsname u;
  if (uname(&u) == 0)
    printf("%s %s %s %s %s GNU/Linux\n", u.sysname, u.nodename, u.release, u.version, u.machine);
  say("/proc/cpuinfo:");
  cat("/proc/cpuinfo");

  long timeout = 600;
  const char *t = cmdline_option("orrery.timeout");
  if (t) timeout = strtol(t, NULL, 10);

  struct dirent **list = NULL;
  int n = scandir("/tests", &list, is_test, alphasort);
  if (n < 0) {
    say("no /tests directory: nothing to run");
    n = 0;
  }
  int passed = 0, skipped = 0, failed = 0;
  char failures[1024] = "";
  if (!mounts_ok) {
    failed++;
    strcat(failures, " mounts");
  }
  for (int i = 0; i < n; ++i) {
    const char *name = list[i]->d_name;
    say("running %s", name);
    double t0 = monotonic_seconds();
    int timed_out;
    int status = run_test(name, timeout, &timed_out);
    double dt = monotonic_seconds() - t0;
    int ok = 0;
    if (status < 0) {
      say("%s: could not run it: %s", name, strerror(errno));
    } else if (timed_out) {
      say("%s: timed out after %ld s (orrery.timeout)", name, timeout);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == kSkipStatus) {
      say("%s: skipped (exit status 77) in %.2f s", name, dt);
      skipped++;
      ok = 2;
    } else if (WIFEXITED(status)) {
      say("%s: exit status %d in %.2f s", name, WEXITSTATUS(status), dt);
      ok = WEXITSTATUS(status) == 0;
    } else if (WIFSIGNALED(status)) {
      say("%s: killed by signal %d (%s) in %.2f s", name, WTERMSIG(status),
          strsignal(WTERMSIG(status)), dt);
    }
    if (ok == 1) passed++;
    if (ok == 0) {
      failed++;
      if (strlen(failures) + strlen(name) + 2 < sizeof failures) {
        strcat(failures, " ");
        strcat(failures, name);
      }
    }
    free(list[i]);
  }
  free(list);

  say("%d passed, %d failed, %d skipped", passed, failed, skipped);
  if (failed == 0)
    say("all tests passed");
  else
    say("FAILED:%s", failures);
  power_off();
  return 0;
}
