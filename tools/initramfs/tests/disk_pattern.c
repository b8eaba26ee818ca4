// Guest test driven by the host: with orrery.disk=write on the kernel command
// line it writes a known 4 KiB pattern at byte offset 8192 of /dev/vda and
// syncs it, for the host to find in the image file after power-off; with
// orrery.disk=readonly it checks that writing to /dev/vda fails (the drive
// was given with readonly=on). Without the option it is skipped (exit 77).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmdline.h"

#define T "disk_pattern: "
enum { kBlock = 4096, kOffset = 8192 };

static const char *mode(void) {
  const char *m = cmdline_option("orrery.disk");
  if (m && strcmp(m, "write") == 0) return "write";
  if (m && strcmp(m, "readonly") == 0) return "readonly";
  return NULL;
}

// The pattern the host expects: "orrery:pattern!\n" (16 bytes) repeated.
static void fill(char *buf) {
  for (int i = 0; i < kBlock; i += 16) memcpy(buf + i, "orrery:pattern!\n", 16);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  const char *m = mode();
  if (!m) {
    printf(T "no orrery.disk= option: skipped\n");
    return 77;
  }
  static char buf[kBlock];
  fill(buf);
  if (strcmp(m, "write") == 0) {
    int fd = open("/dev/vda", O_RDWR);
    if (fd < 0 || pwrite(fd, buf, kBlock, kOffset) != kBlock || fsync(fd) != 0) {
      printf(T "FAIL: writing the pattern: %s\n", strerror(errno));
      return 1;
    }
    close(fd);
    printf(T "pattern written at offset %d and synced\n", kOffset);
    printf(T "ok\n");
    return 0;
  }
  // readonly: the open for writing or the write itself must fail.
  int fd = open("/dev/vda", O_RDWR);
  if (fd < 0) {
    printf(T "readonly: open for writing rejected: %s\n", strerror(errno));
    printf(T "ok\n");
    return 0;
  }
  errno = 0;
  const ssize_t n = pwrite(fd, buf, kBlock, kOffset);
  const int synced = n == kBlock ? fsync(fd) : -1;
  const int err = errno;
  close(fd);
  if (n == kBlock && synced == 0) {
    printf(T "FAIL: a write to the read-only drive succeeded\n");
    return 1;
  }
  printf(T "readonly: write rejected: %s\n", strerror(err));
  printf(T "ok\n");
  return 0;
}
