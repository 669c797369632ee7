/*
 * msg_baseline: the machine's floor for many small messages, with no runtime in the way. It forks
 * a peer and moves N measured messages of B bytes (after W warm-up ones) through a pipe pair, a
 * Unix stream socket, TCP on loopback or a shared mapping, in one of two patterns:
 *
 *   roundtrip  the client (this process) sends message i, the server (the child) answers with a
 *              message of the same size and seq; one sample per measured message: reply held −
 *              send start, in ns.
 *   rate       the sender (this process) sends N messages back to back, blocking when the channel
 *              is full; the receiver (the child) verifies each and acknowledges the last with one
 *              byte. Time = receiver holds the last − sender's clock just before the first send.
 *
 * and prints one JSON object on stdout, e.g.
 *
 *   {"source":"c","channel":"unix","pattern":"roundtrip","bytes":64,"messages":3,"warmup":10,
 *    "senderCpuNs":41000,"receiverCpuNs":39000,"samplesNs":[15321,14210,14007]}
 *   {"source":"c","channel":"tcp","pattern":"rate",…,"firstSendNs":…,"lastHeldNs":…}
 *
 * Message i (seq = i, warm-ups first): uint32 LE seq at offset 0, uint32 LE ~seq at offset 4,
 * byte j ≥ 8 = (j * 31 + 7) & 0xff — ipc-lab's `bytes` content, so every runtime sends the same.
 * There is no framing: both sides know B. The client verifies a reply after taking its sample; the
 * server verifies a request after answering it; a rate receiver verifies each message as it comes
 * (inside the time: it cannot be otherwise for a stream).
 *
 * Rate's warm-up: the receiver acknowledges the W warm-up messages with one byte and the sender
 * waits for it, so the measured stream starts with an empty channel and a receiver already running.
 *
 * Shared memory waits with futex(2), blocking, never spinning (msg_baseline_channel.c).
 * Clock: CLOCK_MONOTONIC (Node's process.hrtime), shared by every process of the machine.
 *
 * Exit 0: every message verified. Exit 1: a run-time failure (one line on stderr). Exit 2: bad
 * arguments (one line). The child is always reaped and the socket dir removed, on SIGTERM, SIGINT
 * and SIGHUP too; if this process is killed outright, PR_SET_PDEATHSIG ends the child.
 *
 * This file: the command line; the run is msg_baseline_run.c, one message msg_baseline_channel.c.
 */
#define _GNU_SOURCE
#include "msg_baseline.h"

#define MIN_BYTES 8
#define MAX_BYTES (1 << 20)
#define MAX_MESSAGES 10000000
#define MAX_WARMUP 1000000
#define USAGE \
  "usage: msg_baseline --channel pipe|unix|tcp|shm --pattern roundtrip|rate --bytes B --messages N [--warmup W]"

const char *const PATTERNS[PATTERN_COUNT] = {"roundtrip", "rate"};

/* ipc-lab's warm-up rule: min(1000, max(10, ceil(n / 10))). */
static uint64_t default_warmup(uint64_t n) {
  uint64_t tenth = (n + 9) / 10;
  return tenth < 10 ? 10 : tenth > 1000 ? 1000 : tenth;
}

/* 0: run; 1: help shown; -1: bad arguments (g_error set). */
static int parse_args(int argc, char **argv, struct config *cfg) {
  static const char *const NAMES[] = {"--channel", "--pattern", "--bytes", "--messages", "--warmup"};
  int seen[5] = {0};
  *cfg = (struct config){0};
  for (int i = 1; i < argc; i++) {
    const char *name = argv[i];
    if (shows_help(name, USAGE)) return 1;
    int which = -1;
    for (int k = 0; k < 5; k++)
      if (strcmp(name, NAMES[k]) == 0) which = k;
    if (which < 0) return fail("unknown argument \"%s\" (%s)", shown(name), USAGE);
    if (seen[which]) return fail("%s is given twice", name);
    if (i + 1 >= argc) return fail("%s needs a value (%s)", name, USAGE);
    const char *value = argv[++i];
    seen[which] = 1;
    int rc = which == 0   ? parse_channel(name, value, &cfg->channel)
             : which == 1 ? parse_choice(name, value, PATTERNS, PATTERN_COUNT, "roundtrip, rate", &cfg->pattern)
             : which == 2 ? parse_whole(name, value, MIN_BYTES, MAX_BYTES, &cfg->bytes)
             : which == 3 ? parse_whole(name, value, 1, MAX_MESSAGES, &cfg->messages)
                          : parse_whole(name, value, 0, MAX_WARMUP, &cfg->warmup);
    if (rc != 0) return rc;
  }
  for (int k = 0; k < 4; k++)
    if (!seen[k]) return fail("%s is missing (%s)", NAMES[k], USAGE);
  if (!seen[4]) cfg->warmup = default_warmup(cfg->messages);
  return 0;
}

int main(int argc, char **argv) {
  struct config cfg;
  int parsed = parse_args(argc, argv, &cfg);
  if (parsed != 0) return exit_unparsed(parsed, "msg_baseline");
  install_signal_handlers();
  if (run(&cfg) != 0) {
    fprintf(stderr, "msg_baseline: %s\n", g_error);
    return 1;
  }
  return 0;
}
