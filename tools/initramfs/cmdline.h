// cmdline.h: reading one option of the kernel command line, shared by
// /init and the guest test programs (tools/build-initramfs puts this
// directory on their include path).
#ifndef ORRERY_INITRAMFS_CMDLINE_H
#define ORRERY_INITRAMFS_CMDLINE_H
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

// The value of NAME=VALUE on /proc/cmdline (up to 255 bytes, in a static
// buffer), or NULL when absent.
static const char *cmdline_option(const char *name) {
  static char cmdline[4096];
  if (!cmdline[0]) {
    int fd = open("/proc/cmdline", O_RDONLY);
    if (fd < 0) return NULL;
    ssize_t n = read(fd, cmdline, sizeof cmdline - 1);
    close(fd);
    if (n <= 0) return NULL;
    cmdline[n] = '\0';
  }
  size_t len = strlen(name);
  for (const char *p = cmdline; (p = strstr(p, name)) != NULL; p += len) {
    if ((p == cmdline || p[-1] == ' ') && p[len] == '=') {
      static char value[256];
      size_t i = 0;
      for (const char *v = p + len + 1; *v && *v != ' ' && *v != '\n' && i + 1 < sizeof value; ++v)
        value[i++] = *v;
      value[i] = '\0';
      return value;
    }
  }
  return NULL;
}

#endif
