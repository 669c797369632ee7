/*
 * ipc_baseline: the machine's physical limit for moving bytes from one process to another, with
 * no runtime in the way. It moves N bytes once per repeat, sender (this process) → receiver (a
 * forked child), through a pipe, a Unix stream socket, TCP on loopback or a shared mapping, the way
 * ipc-lab's Node transports do, and prints one JSON line per repeat:
 *
 *   {"channel":"pipe","bytes":400000000,"dest":"fresh","seconds":0.41,"ok":true}
 *
 * The payload is the bytes of an int32 array 0, 1, 2, … (10^8 elements = 400 MB); the receiver
 * reads straight into its destination buffer and verifies every int32 after the timed region.
 * Timing: CLOCK_MONOTONIC (the clock behind Node's process.hrtime), one clock for every process,
 * so the sender's start can be subtracted from the receiver's end. Start = just before the
 * sender's first write, after a handshake says the receiver is ready (process start and connection
 * set-up are not timed); end = the receiver holds the last byte.
 *
 * Exit 0: every repeat verified. Exit 1: a transfer failed (one line on stderr; a repeat whose
 * bytes arrived wrong is still printed, with "ok":false). Exit 2: bad arguments (one line). The
 * child is always reaped and the socket dir removed, on failure paths and on SIGTERM/SIGINT/SIGHUP
 * too; if this process is killed outright, PR_SET_PDEATHSIG ends the child.
 *
 * This file: the command line and the repeats; one transfer is ipc_baseline_transfer.c. Built by
 * node-gyp at npm ci (native/binding.gyp, a target of type executable, with baseline_*.c); plain C.
 */
#define _GNU_SOURCE
#include "ipc_baseline.h"

#include <sys/mman.h>

/* int32 values 0 … 2^31 - 1: at most 2^31 elements of 4 bytes. */
#define MAX_BYTES ((uint64_t)1 << 33)
#define MAX_REPEATS 1000
#define USAGE "usage: ipc_baseline --channel pipe|unix|tcp|shm --bytes N --dest fresh|reused [--repeats R]"

static const char *const DESTS[] = {"fresh", "reused"};

/* 0: run; 1: help shown; -1: bad arguments (g_error set). */
static int parse_args(int argc, char **argv, struct config *cfg) {
  int seen_channel = 0, seen_dest = 0, seen_bytes = 0, seen_repeats = 0;
  *cfg = (struct config){.repeats = 1};
  for (int i = 1; i < argc; i++) {
    const char *name = argv[i];
    if (shows_help(name, USAGE)) return 1;
    int *seen = strcmp(name, "--channel") == 0 ? &seen_channel
                : strcmp(name, "--dest") == 0  ? &seen_dest
                : strcmp(name, "--bytes") == 0 ? &seen_bytes
                : strcmp(name, "--repeats") == 0 ? &seen_repeats
                                                 : NULL;
    if (!seen) return fail("unknown argument \"%s\" (%s)", shown(name), USAGE);
    if (*seen) return fail("%s is given twice", name);
    if (i + 1 >= argc) return fail("%s needs a value (%s)", name, USAGE);
    const char *value = argv[++i];
    *seen = 1;
    int rc = seen == &seen_channel ? parse_channel(name, value, &cfg->channel)
             : seen == &seen_dest  ? parse_choice(name, value, DESTS, 2, "fresh, reused", &cfg->dest)
             : seen == &seen_bytes ? parse_whole(name, value, 1, MAX_BYTES, &cfg->bytes)
                                   : parse_whole(name, value, 1, MAX_REPEATS, &cfg->repeats);
    if (rc != 0) return rc;
  }
  if (!seen_channel) return fail("--channel is missing (%s)", USAGE);
  if (!seen_bytes) return fail("--bytes is missing (%s)", USAGE);
  if (!seen_dest) return fail("--dest is missing (%s)", USAGE);
  return 0;
}

int main(int argc, char **argv) {
  struct config cfg;
  int parsed = parse_args(argc, argv, &cfg);
  if (parsed != 0) return exit_unparsed(parsed, "ipc_baseline");

  install_signal_handlers();

  /* The payload, built once; MADV_DONTFORK keeps it out of the child, so fork copies no page
   * tables for it and the receiver cannot see it except through the channel. */
  unsigned char *payload = map_anonymous(cfg.bytes, 0);
  if (!payload) {
    fprintf(stderr, "ipc_baseline: mmap of the %" PRIu64 "-byte payload: %s\n", cfg.bytes, strerror(errno));
    return 1;
  }
  (void)madvise(payload, cfg.bytes, MADV_DONTFORK);
  fill_payload(payload, cfg.bytes);

  for (uint64_t repeat = 0; repeat < cfg.repeats; repeat++) {
    double seconds = 0;
    int ok = 0;
    int rc = run_repeat(&cfg, payload, &seconds, &ok);
    if (rc == 0) {
      printf("{\"channel\":\"%s\",\"bytes\":%" PRIu64 ",\"dest\":\"%s\",\"seconds\":%.9f,\"ok\":%s}\n",
             CHANNELS[cfg.channel], cfg.bytes, DESTS[cfg.dest], seconds, ok ? "true" : "false");
      fflush(stdout);
    }
    if (rc != 0 || !ok) {
      fprintf(stderr, "ipc_baseline: %s\n", g_error);
      return 1;
    }
  }
  return 0;
}
