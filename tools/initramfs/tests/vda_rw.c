// Guest test: the first virtio block device (/dev/vda) can be read, and,
// unless it is read-only, a block written with O_DIRECT reads back the same.
// The last 4 KiB of the disk is overwritten during the test and restored
// afterwards. Exit 77 (skipped) when there is no /dev/vda.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define T "vda_rw: "
enum { kBlock = 4096 };

static int fail(const char *what) {
  printf(T "FAIL: %s: %s\n", what, strerror(errno));
  return 1;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  const char *dev = "/dev/vda";
  if (access(dev, F_OK) != 0) {
    printf(T "no %s: skipped\n", dev);
    return 77;
  }
  int writable = 1;
  int fd = open(dev, O_RDWR | O_DIRECT | O_SYNC);
  if (fd < 0 && (errno == EROFS || errno == EACCES || errno == EPERM)) {
    writable = 0;
    fd = open(dev, O_RDONLY | O_DIRECT);
  }
  if (fd < 0) return fail("open /dev/vda");

  uint64_t size = 0;
  if (ioctl(fd, BLKGETSIZE64, &size) != 0) return fail("BLKGETSIZE64");
  int ro = 0;
  if (ioctl(fd, BLKROGET, &ro) == 0 && ro) writable = 0;
  printf(T "%s: %llu bytes (%llu sectors)%s\n", dev, (unsigned long long)size,
         (unsigned long long)(size / 512), writable ? "" : ", read-only");
  if (size < kBlock) {
    printf(T "FAIL: disk smaller than %d bytes\n", kBlock);
    return 1;
  }

  unsigned char *orig, *pattern, *back;
  if (posix_memalign((void **)&orig, kBlock, kBlock) || posix_memalign((void **)&pattern, kBlock, kBlock) ||
      posix_memalign((void **)&back, kBlock, kBlock))
    return fail("posix_memalign");

  // Read the whole first MiB (or disk), then the last block.
  uint64_t first = size < (1u << 20) ? size / kBlock * kBlock : (1u << 20);
  for (uint64_t off = 0; off < first; off += kBlock)
    if (pread(fd, back, kBlock, (off_t)off) != kBlock) return fail("read");
  printf(T "read %llu bytes from the start\n", (unsigned long long)first);
  off_t last = (off_t)((size / kBlock - 1) * kBlock);
  if (pread(fd, orig, kBlock, last) != kBlock) return fail("read last block");
  if (!writable) {
    printf(T "read-only disk: write test not run\nvda_rw: ok\n");
    return 0;
  }

  unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
  for (int i = 0; i < kBlock; ++i) {
    seed = seed * 1103515245u + 12345u;
    pattern[i] = (unsigned char)(seed >> 16);
  }
  pattern[0] ^= orig[0] == pattern[0];  // never equal to what was there
  int failures = 0;
  if (pwrite(fd, pattern, kBlock, last) != kBlock) return fail("write");
  if (fsync(fd) != 0) return fail("fsync");
  if (ioctl(fd, BLKFLSBUF, 0) != 0 && errno != EACCES) return fail("BLKFLSBUF");
  memset(back, 0, kBlock);
  if (pread(fd, back, kBlock, last) != kBlock) return fail("read back");
  if (memcmp(back, pattern, kBlock) != 0) {
    printf(T "FAIL: the block read back differs from the one written\n");
    failures++;
  }
  if (pwrite(fd, orig, kBlock, last) != kBlock) return fail("restore");
  if (fsync(fd) != 0) return fail("fsync");
  if (pread(fd, back, kBlock, last) != kBlock) return fail("read restored");
  if (memcmp(back, orig, kBlock) != 0) {
    printf(T "FAIL: the restored block differs from the original\n");
    failures++;
  }
  close(fd);
  printf(T "wrote, read back and restored the block at offset %lld\n", (long long)last);
  printf(T "%s\n", failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
