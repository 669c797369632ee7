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
 * Shared memory waits with futex(2) FUTEX_WAIT/FUTEX_WAKE on words of a MAP_SHARED anonymous
 * mapping (not the _PRIVATE futex ops: the two sides are two processes). It blocks and never
 * spins: a waiter announces itself in a "waiting" word, re-checks, then sleeps in the kernel; the
 * other side wakes it only when it announced itself, so a stream that never waits makes no system
 * call at all. roundtrip uses one slot; rate a ring of up to 64 slots (at most 8 MiB).
 *
 * CPU: getrusage(RUSAGE_SELF) user + system of each side over the measured messages.
 * Clock: CLOCK_MONOTONIC (Node's process.hrtime), shared by every process of the machine.
 *
 * Exit 0: every message verified. Exit 1: a run-time failure (one line on stderr). Exit 2: bad
 * arguments (one line). The child is always reaped and the socket dir removed, on SIGTERM, SIGINT
 * and SIGHUP too; if this process is killed outright, PR_SET_PDEATHSIG ends the child.
 */
#define _GNU_SOURCE
#include "baseline_common.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <netinet/tcp.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#define MIN_BYTES 8
#define MAX_BYTES (1 << 20)
#define MAX_MESSAGES 10000000
#define MAX_WARMUP 1000000
/* rate's ring over shared memory: up to 64 slots, at most 8 MiB of them, at least 2. */
#define RING_SLOTS_MAX 64
#define RING_BYTES_MAX (8 << 20)
/* make_listener's error for a socket path over the limit (given the dir and the limit in bytes). */
#define TOO_LONG "the socket path %s/s is longer than a Unix socket path may be (%zu bytes): set TMPDIR to a shorter dir"
#define USAGE \
  "usage: msg_baseline --channel pipe|unix|tcp|shm --pattern roundtrip|rate --bytes B --messages N [--warmup W]"

enum channel { CH_PIPE, CH_UNIX, CH_TCP, CH_SHM };
static const char *const CHANNELS[] = {"pipe", "unix", "tcp", "shm"};
enum pattern { PAT_ROUNDTRIP, PAT_RATE };
static const char *const PATTERNS[] = {"roundtrip", "rate"};

struct config {
  int channel, pattern;
  uint64_t bytes, messages, warmup;
};

/* Child → parent on the control pipe, one atomic write each (under PIPE_BUF). */
enum { MSG_DONE = 1, MSG_FAIL };
struct report {
  int32_t kind;
  int64_t cpu_ns;
  int64_t last_held_ns;
  char text[512];
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

/* Set in the parent: the control pipe's read end, watched while a futex wait times out. */
static int g_watch_fd = -1;

static int64_t cpu_ns(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return ((int64_t)usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000 +
         ((int64_t)usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000;
}

/* ---- message content ---- */

static void fill_template(unsigned char *data, uint64_t bytes) {
  for (uint64_t i = 8; i < bytes; i++) data[i] = (unsigned char)((i * 31 + 7) & 0xff);
}

static void put_u32le(unsigned char *at, uint32_t value) {
  for (int i = 0; i < 4; i++) at[i] = (unsigned char)(value >> (8 * i));
}

static uint32_t get_u32le(const unsigned char *at) {
  return (uint32_t)at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16 | (uint32_t)at[3] << 24;
}

static void stamp(unsigned char *message, uint32_t seq) {
  put_u32le(message, seq);
  put_u32le(message + 4, ~seq);
}

/* Compare with the template (the seq words aside): the whole message, every byte. */
static int verify(const unsigned char *message, const unsigned char *template, uint64_t bytes, uint32_t seq) {
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

/* ---- the channel, as each side sees it ---- */

struct side {
  const struct config *cfg;
  int in, out; /* stream fds (the same socket for unix/tcp; two pipes for pipe) */
  struct shm_header *shm;
  unsigned char *slots;
  uint64_t ring_slots;
  pid_t parent;
};

static uint64_t ring_slots_for(uint64_t bytes) {
  uint64_t slots = RING_BYTES_MAX / bytes;
  if (slots > RING_SLOTS_MAX) slots = RING_SLOTS_MAX;
  return slots < 2 ? 2 : slots;
}

/* Send message `seq` (from `message`, B bytes). Over shm, a rate sender waits for a free slot. */
static int send_message(struct side *s, const unsigned char *message, uint32_t seq) {
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

/* Receive message `seq` into `message`. */
static int receive_message(struct side *s, unsigned char *message, uint32_t seq) {
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

/* roundtrip over shm: the server's reply to `seq` and the client's wait for it. */
static int send_reply(struct side *s, const unsigned char *message, uint32_t seq) {
  if (!s->shm) return send_bytes(s->out, message, s->cfg->bytes);
  memcpy(s->slots, message, s->cfg->bytes);
  post(&s->shm->tail, &s->shm->tail_waiting, seq + 1);
  return 0;
}

static int receive_reply(struct side *s, unsigned char *message, uint32_t seq) {
  if (!s->shm) return receive_bytes(s->in, message, s->cfg->bytes);
  uint32_t tail;
  while ((tail = atomic_load(&s->shm->tail)) != seq + 1) {
    if (wait_change(&s->shm->tail, &s->shm->tail_waiting, tail, s->parent) != 0) return -1;
  }
  memcpy(message, s->slots, s->cfg->bytes);
  return 0;
}

/* rate's acknowledgements (1: warm-ups in, 2: last message in), receiver → sender. */
static int send_ack(struct side *s, uint32_t which) {
  if (!s->shm) {
    unsigned char byte = (unsigned char)which;
    return send_bytes(s->out, &byte, 1);
  }
  post(&s->shm->ack, &s->shm->ack_waiting, which);
  return 0;
}

static int receive_ack(struct side *s, uint32_t which) {
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

/* ---- the child: server (roundtrip) or receiver (rate) ---- */

static int serve(struct side *s, const unsigned char *template, unsigned char *message, struct report *r) {
  const struct config *cfg = s->cfg;
  uint32_t total = (uint32_t)(cfg->warmup + cfg->messages), warm = (uint32_t)cfg->warmup;
  /* With no warm-ups the sender waits for this acknowledgement before its first message. */
  if (cfg->pattern == PAT_RATE && warm == 0 && send_ack(s, 1) != 0) return -1;
  int64_t cpu_start = cpu_ns();
  for (uint32_t seq = 0; seq < total; seq++) {
    if (seq == warm) cpu_start = cpu_ns();
    if (receive_message(s, message, seq) != 0) return -1;
    if (cfg->pattern == PAT_ROUNDTRIP) {
      if (send_reply(s, message, seq) != 0) return -1;
      if (verify(message, template, cfg->bytes, seq) != 0) return -1;
    } else {
      if (seq + 1 == total) r->last_held_ns = now_ns();
      if (verify(message, template, cfg->bytes, seq) != 0) return -1;
      if (seq + 1 == warm && send_ack(s, 1) != 0) return -1;
    }
  }
  r->cpu_ns = cpu_ns() - cpu_start;
  if (cfg->pattern == PAT_RATE && send_ack(s, 2) != 0) return -1;
  return 0;
}

/* connect_back (baseline_common.h), with TCP_NODELAY over TCP: a small message goes at once. */
static int connect_peer(const struct config *cfg, uint16_t port) {
  int fd = connect_back(cfg->channel == CH_UNIX, port), one = 1;
  if (fd < 0 || cfg->channel != CH_TCP) return fd;
  if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) {
    fail("connect to 127.0.0.1: %s", strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

static void child_main(struct side *s, const unsigned char *template, uint16_t port, int control) {
  child_signals_default();
  g_watch_fd = -1;
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != s->parent) _exit(1);
  struct report r = {.kind = MSG_DONE};
  unsigned char *message = malloc(s->cfg->bytes);
  int rc = message ? 0 : fail("out of memory for a %" PRIu64 "-byte message", s->cfg->bytes);
  if (rc == 0 && (s->cfg->channel == CH_UNIX || s->cfg->channel == CH_TCP)) {
    rc = (s->in = s->out = connect_peer(s->cfg, port)) < 0 ? -1 : 0;
  }
  if (rc == 0) rc = serve(s, template, message, &r);
  if (rc != 0) {
    r = (struct report){.kind = MSG_FAIL};
    snprintf(r.text, sizeof r.text, "%s: %s", s->cfg->pattern == PAT_ROUNDTRIP ? "server" : "receiver", g_error);
  }
  _exit(write_all(control, &r, sizeof r) == 0 && r.kind == MSG_DONE ? 0 : 1);
}

/* ---- the parent: client (roundtrip) or sender (rate) ---- */

static int drive(struct side *s, const unsigned char *template, unsigned char *message, unsigned char *reply,
                 int64_t *samples, int64_t *cpu_used, int64_t *first_send) {
  const struct config *cfg = s->cfg;
  uint32_t total = (uint32_t)(cfg->warmup + cfg->messages), warm = (uint32_t)cfg->warmup;
  int64_t cpu_start = cpu_ns();
  if (cfg->pattern == PAT_ROUNDTRIP) {
    for (uint32_t seq = 0; seq < total; seq++) {
      stamp(message, seq);
      if (seq == warm) cpu_start = cpu_ns();
      int64_t start = now_ns();
      if (send_message(s, message, seq) != 0 || receive_reply(s, reply, seq) != 0) return -1;
      int64_t held = now_ns();
      if (seq >= warm) samples[seq - warm] = held - start;
      if (verify(reply, template, cfg->bytes, seq) != 0) return fail("reply: %s", g_error);
    }
  } else {
    for (uint32_t seq = 0; seq < total; seq++) {
      if (seq == warm) {
        if (receive_ack(s, 1) != 0) return -1;
        cpu_start = cpu_ns();
        stamp(message, seq);
        *first_send = now_ns();
      } else {
        stamp(message, seq);
      }
      if (send_message(s, message, seq) != 0) return -1;
    }
    if (receive_ack(s, 2) != 0) return -1;
  }
  *cpu_used = cpu_ns() - cpu_start;
  return 0;
}

/* After a failure on the data channel: the peer's own report says why, when it has one. */
static void explain(int control, pid_t child, const char *when) {
  char mine[sizeof g_error];
  snprintf(mine, sizeof mine, "%s", g_error);
  struct report r;
  struct pollfd fd = {.fd = control, .events = POLLIN};
  if (poll(&fd, 1, 1000) == 1) {
    ssize_t got = read(control, &r, sizeof r);
    if (got == (ssize_t)sizeof r && r.kind == MSG_FAIL) {
      fail("%s", r.text);
      return;
    }
    if (got == 0) {
      child_gone(child, "peer", when);
      return;
    }
  }
  fail("%s", mine);
}

static void print_result(const struct config *cfg, const int64_t *samples, int64_t sender_cpu, const struct report *r,
                         int64_t first_send) {
  printf("{\"source\":\"c\",\"channel\":\"%s\",\"pattern\":\"%s\",\"bytes\":%" PRIu64 ",\"messages\":%" PRIu64
         ",\"warmup\":%" PRIu64 ",\"senderCpuNs\":%" PRId64 ",\"receiverCpuNs\":%" PRId64,
         CHANNELS[cfg->channel], PATTERNS[cfg->pattern], cfg->bytes, cfg->messages, cfg->warmup, sender_cpu, r->cpu_ns);
  if (cfg->pattern == PAT_ROUNDTRIP) {
    fputs(",\"samplesNs\":[", stdout);
    for (uint64_t i = 0; i < cfg->messages; i++) printf(i ? ",%" PRId64 : "%" PRId64, samples[i]);
    fputs("]}\n", stdout);
  } else {
    printf(",\"firstSendNs\":%" PRId64 ",\"lastHeldNs\":%" PRId64 "}\n", first_send, r->last_held_ns);
  }
  fflush(stdout);
}

/* The whole run. 0 and the JSON printed, or -1 with g_error set; the child is always reaped. */
static int run(const struct config *cfg) {
  uint64_t b = cfg->bytes;
  int control[2] = {-1, -1}, up[2] = {-1, -1}, down[2] = {-1, -1}, listener = -1, conn = -1, rc = -1;
  uint16_t port = 0;
  pid_t child = -1;
  struct side s = {.cfg = cfg, .in = -1, .out = -1, .parent = getpid()};
  size_t shm_bytes = 0;
  unsigned char *template = malloc(b), *message = malloc(b), *reply = malloc(b);
  int64_t *samples = cfg->pattern == PAT_ROUNDTRIP ? calloc(cfg->messages, sizeof *samples) : NULL;
  if (!template || !message || !reply || (cfg->pattern == PAT_ROUNDTRIP && !samples)) {
    fail("out of memory for %" PRIu64 " messages of %" PRIu64 " bytes", cfg->messages, b);
    goto done;
  }
  fill_template(template, b);
  memcpy(message, template, b);

  if (open_control(control) != 0) goto done;
  if (cfg->channel == CH_PIPE) {
    /* Two pipes, one each way; the default 64 KiB pipe size, as Node's FIFOs have. */
    if (pipe2(down, O_CLOEXEC) != 0 || pipe2(up, O_CLOEXEC) != 0) {
      fail_errno("pipe");
      goto done;
    }
  } else if (cfg->channel == CH_UNIX || cfg->channel == CH_TCP) {
    if ((listener = make_listener(cfg->channel == CH_UNIX, "msg_baseline", TOO_LONG, &port)) < 0) goto done;
  } else {
    s.ring_slots = cfg->pattern == PAT_ROUNDTRIP ? 1 : ring_slots_for(b);
    shm_bytes = SHM_DATA + s.ring_slots * b;
    void *memory = mmap(NULL, shm_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
      shm_bytes = 0;
      fail_errno("mmap of the shared region");
      goto done;
    }
    memset(memory, 0, shm_bytes); /* every page backed before the first message */
    s.shm = memory;
    s.slots = (unsigned char *)memory + SHM_DATA;
  }

  if ((child = fork_peer(control, listener)) < 0) goto done;
  if (child == 0) {
    if (cfg->channel == CH_PIPE) {
      close(down[1]);
      close(up[0]);
      s.in = down[0];
      s.out = up[1];
    }
    child_main(&s, template, port, control[1]);
  }
  g_watch_fd = control[0];
  if (cfg->channel == CH_PIPE) {
    close_fd(&down[0]);
    close_fd(&up[1]);
    s.out = down[1];
    s.in = up[0];
  }

  if (listener >= 0) {
    /* Wait for the peer to connect, or to fail (a report, or its end closed). */
    int connected = await_connection(listener, control[0]);
    if (connected < 0) goto done;
    if (!connected) {
      explain(control[0], child, "before it connected");
      goto done;
    }
    if ((conn = accept_peer(&listener)) < 0) goto done;
    int one = 1;
    if (cfg->channel == CH_TCP && setsockopt(conn, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0) {
      fail_errno("TCP_NODELAY");
      goto done;
    }
    s.in = s.out = conn;
  }

  int64_t sender_cpu = 0, first_send = 0;
  if (drive(&s, template, message, reply, samples, &sender_cpu, &first_send) != 0) {
    explain(control[0], child, "during the run");
    goto done;
  }
  struct report r;
  ssize_t got = read(control[0], &r, sizeof r);
  if (got != (ssize_t)sizeof r || r.kind != MSG_DONE) {
    if (got == (ssize_t)sizeof r && r.kind == MSG_FAIL) fail("%s", r.text);
    else if (got < 0) fail_errno("read on the control pipe");
    else child_gone(child, "peer", "after the last message");
    goto done;
  }
  print_result(cfg, samples, sender_cpu, &r, first_send);
  rc = 0;

done:
  sigprocmask(SIG_BLOCK, &g_deadly, NULL);
  rc = reap_child(rc, "peer");
  g_watch_fd = -1;
  close_fd(&control[0]);
  close_fd(&control[1]);
  close_fd(&up[0]);
  close_fd(&up[1]);
  close_fd(&down[0]);
  close_fd(&down[1]);
  close_fd(&listener);
  close_fd(&conn);
  if (shm_bytes) munmap(s.shm, shm_bytes);
  remove_socket_dir();
  sigprocmask(SIG_UNBLOCK, &g_deadly, NULL);
  free(template);
  free(message);
  free(reply);
  free(samples);
  return rc;
}

/* ---- arguments ---- */

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
    int rc = which == 0   ? parse_choice(name, value, CHANNELS, 4, "pipe, unix, tcp, shm", &cfg->channel)
             : which == 1 ? parse_choice(name, value, PATTERNS, 2, "roundtrip, rate", &cfg->pattern)
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
