/*
 * msg_baseline.h: what the native message floor's three files share — msg_baseline.c (the command
 * line), msg_baseline_channel.c (a message's content, and sending and receiving one over a stream
 * or the shared mapping) and msg_baseline_run.c (the run: the parent drives, the forked child
 * serves or receives).
 */
#ifndef IPC_LAB_MSG_BASELINE_H
#define IPC_LAB_MSG_BASELINE_H

#include <stdatomic.h>

#include "baseline_common.h"

enum pattern { PAT_ROUNDTRIP, PAT_RATE, PATTERN_COUNT };
/* The patterns' names, as the command line takes them and the result prints them (msg_baseline.c). */
extern const char *const PATTERNS[PATTERN_COUNT];

struct config {
  int channel, pattern; /* enum channel, enum pattern */
  uint64_t bytes, messages, warmup;
};

/* The shared mapping's header: each side's words on its own cache line. Data follows at SHM_DATA.
 * roundtrip: head = requests posted, tail = replies posted. rate: head = messages written, tail =
 * messages read. ack: 1 after the warm-ups, 2 after the last message (rate only). */
struct shm_header {
  _Alignas(64) atomic_uint head;
  atomic_uint head_waiting;
  _Alignas(64) atomic_uint tail;
  atomic_uint tail_waiting;
  _Alignas(64) atomic_uint ack;
  atomic_uint ack_waiting;
};
#define SHM_DATA 256

/* The channel, as each side sees it. */
struct side {
  const struct config *cfg;
  int in, out; /* stream fds (the same socket for unix/tcp; two pipes for pipe) */
  struct shm_header *shm;
  unsigned char *slots;
  uint64_t ring_slots;
  pid_t parent;
};

/* Set in the parent: the control pipe's read end, watched while a futex wait times out. */
extern int g_watch_fd;

/* ---- message content (msg_baseline_channel.c) ---- */

/* ipc-lab's `bytes` content from byte 8 on: byte j = (j * 31 + 7) & 0xff. */
void fill_template(unsigned char *data, uint64_t bytes);

/* Message `seq`'s first 8 bytes: uint32 LE seq, then uint32 LE ~seq. */
void stamp(unsigned char *message, uint32_t seq);

/* Compare with the template (the seq words aside): the whole message, every byte. 0, or -1 with
 * g_error naming the first difference. */
int verify(const unsigned char *message, const unsigned char *template, uint64_t bytes, uint32_t seq);

/* ---- one message over the channel (msg_baseline_channel.c); each 0, or -1 with g_error set ---- */

/* rate's ring over shared memory: how many slots for messages of `bytes` (from 2 to 64, ≤ 8 MiB). */
uint64_t ring_slots_for(uint64_t bytes);

/* Send message `seq` (from `message`, B bytes). Over shm, a rate sender waits for a free slot. */
int send_message(struct side *s, const unsigned char *message, uint32_t seq);
/* Receive message `seq` into `message`. */
int receive_message(struct side *s, unsigned char *message, uint32_t seq);
/* roundtrip: the server's reply to `seq`, and the client's wait for it. */
int send_reply(struct side *s, const unsigned char *message, uint32_t seq);
int receive_reply(struct side *s, unsigned char *message, uint32_t seq);
/* rate's acknowledgements (1: warm-ups in, 2: last message in), receiver → sender. */
int send_ack(struct side *s, uint32_t which);
int receive_ack(struct side *s, uint32_t which);

/* ---- the run (msg_baseline_run.c) ---- */

/* The whole run. 0 and the JSON printed, or -1 with g_error set; the child is always reaped. */
int run(const struct config *cfg);

#endif
