/*
 * The baselines' one error line, their clock and their channels' names (baseline_common.h).
 */
#define _GNU_SOURCE
#include "baseline_common.h"

#include <stdarg.h>

char g_error[400];

const char *const CHANNELS[CHANNEL_COUNT] = {"pipe", "unix", "tcp", "shm"};

int fail(const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(g_error, sizeof g_error, format, args);
  va_end(args);
  return -1;
}

int fail_errno(const char *what) { return fail("%s: %s", what, strerror(errno)); }

int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}
