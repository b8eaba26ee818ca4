// Guest test: the timer works (monotonic clock advances, nanosleep and an
// interval timer signal wake us up in about the right time), and the
// goldfish RTC, when present as /dev/rtc0, reads a plausible date.
#include <errno.h>
#include <fcntl.h>
#include <linux/rtc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define T "timers: "

static double now(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static volatile sig_atomic_t ticks;
static void on_alarm(int sig) {
  (void)sig;
  ticks++;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  int failures = 0;

  struct timespec res;
  clock_getres(CLOCK_MONOTONIC, &res);
  printf(T "CLOCK_MONOTONIC resolution %ld ns\n", res.tv_nsec);

  // Sleep 100 ms. Slow emulation may oversleep, never undersleep; allow a
  // generous upper bound.
  double t0 = now(CLOCK_MONOTONIC);
  struct timespec req = {0, 100 * 1000 * 1000};
  while (nanosleep(&req, &req) != 0 && errno == EINTR) {
  }
  double slept = now(CLOCK_MONOTONIC) - t0;
  printf(T "nanosleep(100 ms) took %.1f ms\n", slept * 1e3);
  if (slept < 0.0999 || slept > 10.0) {
    printf(T "FAIL: nanosleep(100 ms) took %.3f s\n", slept);
    failures++;
  }

  // Five ticks of a 20 ms interval timer.
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it = {{0, 20000}, {0, 20000}};
  t0 = now(CLOCK_MONOTONIC);
  setitimer(ITIMER_REAL, &it, NULL);
  while (ticks < 5 && now(CLOCK_MONOTONIC) - t0 < 20.0) pause();
  double took = now(CLOCK_MONOTONIC) - t0;
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  printf(T "%d interval-timer ticks in %.1f ms\n", (int)ticks, took * 1e3);
  if (ticks < 5 || took < 0.0999) {
    printf(T "FAIL: expected 5 ticks taking at least 100 ms\n");
    failures++;
  }

  int fd = open("/dev/rtc0", O_RDONLY);
  if (fd < 0) {
    printf(T "no /dev/rtc0: RTC not checked\n");
  } else {
    struct rtc_time tm;
    if (ioctl(fd, RTC_RD_TIME, &tm) != 0) {
      printf(T "FAIL: RTC_RD_TIME: %s\n", strerror(errno));
      failures++;
    } else {
      printf(T "RTC: %04d-%02d-%02d %02d:%02d:%02d UTC\n", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
      if (tm.tm_year + 1900 < 2020) {
        printf(T "FAIL: the RTC reads a year before 2020\n");
        failures++;
      }
    }
    close(fd);
  }
  printf(T "%s\n", failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
