/*
 * The baselines' command lines (baseline_common.h): every bad value refused with one line that
 * names it and what would be valid.
 */
#define _GNU_SOURCE
#include "baseline_common.h"

int shows_help(const char *arg, const char *usage) {
  if (strcmp(arg, "--help") != 0 && strcmp(arg, "-h") != 0) return 0;
  printf("%s\n", usage);
  return 1;
}

int exit_unparsed(int parsed, const char *program) {
  if (parsed < 0) fprintf(stderr, "%s: %s\n", program, g_error);
  return parsed < 0 ? 2 : 0;
}

const char *shown(const char *value) {
  /* One buffer: every caller puts the value in its error line at once. */
  static char text[64];
  size_t i = 0;
  for (; value[i] && i < 60; i++) text[i] = (unsigned char)value[i] < 32 || value[i] == 127 ? '?' : value[i];
  text[i] = 0;
  return text;
}

int parse_whole(const char *name, const char *value, uint64_t min, uint64_t max, uint64_t *out) {
  uint64_t number = 0;
  int ok = *value != 0;
  for (const char *c = value; ok && *c; c++) {
    if (*c < '0' || *c > '9') ok = 0;
    else if ((number = number * 10 + (uint64_t)(*c - '0')) > max) ok = 0;
  }
  if (!ok || number < min)
    return fail("%s \"%s\" is not a whole number from %" PRIu64 " to %" PRIu64, name, shown(value), min, max);
  *out = number;
  return 0;
}

int parse_choice(const char *name, const char *value, const char *const *choices, int count, const char *valid, int *out) {
  for (int i = 0; i < count; i++) {
    if (strcmp(value, choices[i]) == 0) {
      *out = i;
      return 0;
    }
  }
  return fail("%s \"%s\" is not one of %s", name, shown(value), valid);
}

int parse_channel(const char *name, const char *value, int *out) {
  return parse_choice(name, value, CHANNELS, CHANNEL_COUNT, "pipe, unix, tcp, shm", out);
}
