// Guest test: /dev/hwrng (virtio-rng) delivers bytes that look random.
// Exit 77 (skipped) when there is no hardware RNG: /dev/hwrng is missing,
// or exists with no device behind it (rng_current is "none").
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define T "hwrng: "
enum { kBytes = 512 };

static int read_full(int fd, unsigned char *buf, int len) {
  int got = 0;
  while (got < len) {
    ssize_t n = read(fd, buf + got, len - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? -1 : got;
    got += n;
  }
  return got;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  char current[128] = "";
  FILE *f = fopen("/sys/class/misc/hw_random/rng_current", "r");
  if (f) {
    if (!fgets(current, sizeof current, f)) current[0] = '\0';
    fclose(f);
    current[strcspn(current, "\n")] = '\0';
  }
  if (access("/dev/hwrng", F_OK) != 0 || strcmp(current, "none") == 0 || !f) {
    printf(T "no hardware RNG (rng_current: %s): skipped\n", current[0] ? current : "absent");
    return 77;
  }
  printf(T "rng_current: %s\n", current);
  int fd = open("/dev/hwrng", O_RDONLY);
  if (fd < 0) {
    if (errno == ENODEV) {
      printf(T "/dev/hwrng: no device: skipped\n");
      return 77;
    }
    printf(T "FAIL: open /dev/hwrng: %s\n", strerror(errno));
    return 1;
  }
  static unsigned char a[kBytes], b[kBytes];
  int na = read_full(fd, a, kBytes), nb = read_full(fd, b, kBytes);
  close(fd);
  if (na != kBytes || nb != kBytes) {
    printf(T "FAIL: short read (%d and %d of %d bytes): %s\n", na, nb, kBytes, strerror(errno));
    return 1;
  }
  int counts[256] = {0}, distinct = 0, bits = 0;
  for (int i = 0; i < kBytes; ++i) {
    if (counts[a[i]]++ == 0) distinct++;
    bits += __builtin_popcount(a[i]);
  }
  // 512 uniform bytes: ~222 distinct values, ~2048 set bits (sd ~45).
  int failures = 0;
  printf(T "read 2 x %d bytes: %d distinct byte values, %d of %d bits set\n", kBytes, distinct,
         bits, kBytes * 8);
  if (distinct < 128) {
    printf(T "FAIL: only %d distinct byte values\n", distinct);
    failures++;
  }
  if (bits < kBytes * 4 - 400 || bits > kBytes * 4 + 400) {
    printf(T "FAIL: %d bits set is far from half\n", bits);
    failures++;
  }
  if (memcmp(a, b, kBytes) == 0) {
    printf(T "FAIL: two reads returned the same bytes\n");
    failures++;
  }
  printf(T "%s\n", failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
