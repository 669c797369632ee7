/*
 * msg_baseline's channel (msg_baseline.h): a message's content and its check, and one message,
 * reply or acknowledgement over a stream (pipe, Unix socket, TCP) or the shared mapping.
 *
 * Shared memory waits with futex(2) FUTEX_WAIT/FUTEX_WAKE on words of a MAP_SHARED anonymous
 * mapping (not the _PRIVATE futex ops: the two sides are two processes). It blocks and never
 * spins: a waiter announces itself in a "waiting" word, re-checks, then sleeps in the kernel; the
 * other side wakes it only when it announced itself, so a stream that never waits makes no system
 * call at all. roundtrip uses one slot; rate a ring of up to 64 slots (at most 8 MiB).
 */
#define _GNU_SOURCE
#include "msg_baseline.h"

#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>

/* rate's ring over shared memory: up to 64 slots, at most 8 MiB of them, at least 2. */
#define RING_SLOTS_MAX 64
#define RING_BYTES_MAX (8 << 20)

int g_watch_fd = -1;

/* ---- message content ---- */

void fill_template(unsigned char *data, uint64_t bytes) {
  for (uint64_t i = 8; i < bytes; i++) data[i] = (unsigned char)((i * 31 + 7) & 0xff);
}

static void put_u32le(unsigned char *at, uint32_t value) {
  for (int i = 0; i < 4; i++) at[i] = (unsigned char)(value >> (8 * i));
}

static uint32_t get_u32le(const unsigned char *at) {
  return (uint32_t)at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16 | (uint32_t)at[3] << 24;
}

void stamp(unsigned char *message, uint32_t seq) {
  put_u32le(message, seq);
  put_u32le(message + 4, ~seq);
}

int verify(const unsigned char *message, const unsigned char *template, uint64_t bytes, uint32_t seq) {
  uint32_t got = get_u32le(message), check = get_u32le(message + 4);
  if (got != seq || check != ~seq)
    return fail("message #%" PRIu32 " arrived with seq %" PRIu32 " and check word %" PRIu32, seq, got, check);
  if (memcmp(message + 8, template + 8, bytes - 8) != 0) {
    uint64_t i = 8;
    while (message[i] == template[i]) i++;
    return fail("message #%" PRIu32 " byte %" PRIu64 " arrived as %u, expected %u", seq, i, message[i], template[i]);
  }
  return 0;
}

/* ---- streams ---- */

/* write_all and read_full (baseline_common.h) with the failure in g_error: a stream that ends
 * inside a message is a failure here, since both sides know B. */
static int send_bytes(int fd, const void *buffer, uint64_t bytes) {
  return write_all(fd, buffer, bytes) == 0 ? 0 : fail_errno("write");
}

static int receive_bytes(int fd, void *buffer, uint64_t bytes) {
  int64_t got = read_full(fd, buffer, bytes);
  if (got < 0) return fail_errno("read");
  if ((uint64_t)got < bytes)
    return fail("the peer closed the channel with %" PRIu64 " bytes of a message missing", bytes - (uint64_t)got);
  return 0;
}

/* ---- futex waits on the shared mapping ---- */

static long futex(atomic_uint *word, int op, uint32_t value, const struct timespec *timeout) {
  return syscall(SYS_futex, (uint32_t *)word, op, value, timeout, NULL, 0);
}

/* Has the peer given up? In the parent: the control pipe has a message or was closed. In the
 * child: the parent is gone (PDEATHSIG would normally have ended us already). */
static int peer_gone(pid_t parent) {
  if (g_watch_fd >= 0) {
    struct pollfd fd = {.fd = g_watch_fd, .events = POLLIN};
    return poll(&fd, 1, 0) == 1;
  }
  return getppid() != parent;
}

/* Block until *word differs from `old`: announce, re-check, sleep in the kernel. The 200 ms
 * timeout only lets a waiter notice a peer that died; it is not a poll of the word. */
static int wait_change(atomic_uint *word, atomic_uint *waiting, uint32_t old, pid_t parent) {
  const struct timespec timeout = {.tv_sec = 0, .tv_nsec = 200 * 1000 * 1000};
  while (atomic_load(word) == old) {
    atomic_store(waiting, 1);
    if (atomic_load(word) == old) {
      /* A peer that finished posts its last word before it reports: re-read the word first. */
      if (futex(word, FUTEX_WAIT, old, &timeout) != 0 && errno == ETIMEDOUT && peer_gone(parent) && atomic_load(word) == old) {
        atomic_store(waiting, 0);
        return fail("the peer stopped while this side waited on shared memory");
      }
    }
    atomic_store(waiting, 0);
  }
  return 0;
}

/* Publish a new value; wake the peer only when it announced that it sleeps on this word. The
 * seq_cst store then load pairs with the waiter's store then load, so one of them sees the other. */
static void post(atomic_uint *word, atomic_uint *waiting, uint32_t value) {
  atomic_store(word, value);
  if (atomic_load(waiting)) futex(word, FUTEX_WAKE, INT_MAX, NULL);
}

/* ---- one message over the channel ---- */

uint64_t ring_slots_for(uint64_t bytes) {
  uint64_t slots = RING_BYTES_MAX / bytes;
  if (slots > RING_SLOTS_MAX) slots = RING_SLOTS_MAX;
  return slots < 2 ? 2 : slots;
}

int send_message(struct side *s, const unsigned char *message, uint32_t seq) {
  uint64_t b = s->cfg->bytes;
  if (!s->shm) return send_bytes(s->out, message, b);
  if (s->cfg->pattern == PAT_ROUNDTRIP) {
    memcpy(s->slots, message, b);
    post(&s->shm->head, &s->shm->head_waiting, seq + 1);
    return 0;
  }
  uint32_t tail;
  while (seq - (tail = atomic_load(&s->shm->tail)) >= s->ring_slots) {
    if (wait_change(&s->shm->tail, &s->shm->tail_waiting, tail, s->parent) != 0) return -1;
  }
  memcpy(s->slots + (seq % s->ring_slots) * b, message, b);
  post(&s->shm->head, &s->shm->head_waiting, seq + 1);
  return 0;
}

int receive_message(struct side *s, unsigned char *message, uint32_t seq) {
  uint64_t b = s->cfg->bytes;
  if (!s->shm) return receive_bytes(s->in, message, b);
  uint32_t head;
  while ((head = atomic_load(&s->shm->head)) == seq) {
    if (wait_change(&s->shm->head, &s->shm->head_waiting, head, s->parent) != 0) return -1;
  }
  uint64_t slot = s->cfg->pattern == PAT_ROUNDTRIP ? 0 : seq % s->ring_slots;
  memcpy(message, s->slots + slot * b, b);
  if (s->cfg->pattern == PAT_RATE) post(&s->shm->tail, &s->shm->tail_waiting, seq + 1);
  return 0;
}

int send_reply(struct side *s, const unsigned char *message, uint32_t seq) {
  if (!s->shm) return send_bytes(s->out, message, s->cfg->bytes);
  memcpy(s->slots, message, s->cfg->bytes);
  post(&s->shm->tail, &s->shm->tail_waiting, seq + 1);
  return 0;
}

int receive_reply(struct side *s, unsigned char *message, uint32_t seq) {
  if (!s->shm) return receive_bytes(s->in, message, s->cfg->bytes);
  uint32_t tail;
  while ((tail = atomic_load(&s->shm->tail)) != seq + 1) {
    if (wait_change(&s->shm->tail, &s->shm->tail_waiting, tail, s->parent) != 0) return -1;
  }
  memcpy(message, s->slots, s->cfg->bytes);
  return 0;
}

int send_ack(struct side *s, uint32_t which) {
  if (!s->shm) {
    unsigned char byte = (unsigned char)which;
    return send_bytes(s->out, &byte, 1);
  }
  post(&s->shm->ack, &s->shm->ack_waiting, which);
  return 0;
}

int receive_ack(struct side *s, uint32_t which) {
  if (!s->shm) {
    unsigned char byte = 0;
    if (receive_bytes(s->in, &byte, 1) != 0) return -1;
    return byte == which ? 0 : fail("acknowledgement %u arrived as %u", which, byte);
  }
  uint32_t ack;
  while ((ack = atomic_load(&s->shm->ack)) != which) {
    if (wait_change(&s->shm->ack, &s->shm->ack_waiting, ack, s->parent) != 0) return -1;
  }
  return 0;
}
