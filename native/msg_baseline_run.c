/*
 * msg_baseline's run (msg_baseline.h): the parent sets up the channel and forks the peer, drives
 * the messages — client of a round trip, or sender of a stream — and prints the one JSON result;
 * the child serves the round trips or receives the stream and reports on the control pipe.
 *
 * CPU: getrusage(RUSAGE_SELF) user + system of each side over the measured messages.
 */
#define _GNU_SOURCE
#include "msg_baseline.h"

#include <netinet/tcp.h>
#include <sys/mman.h>
#include <sys/resource.h>

/* Child → parent on the control pipe, one atomic write each (under PIPE_BUF). */
enum { MSG_DONE = 1, MSG_FAIL };
struct report {
  int32_t kind;
  int64_t cpu_ns;
  int64_t last_held_ns;
  char text[512];
};

static int64_t cpu_ns(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return ((int64_t)usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000 +
         ((int64_t)usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000;
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
  child_start(s->parent);
  g_watch_fd = -1;
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

int run(const struct config *cfg) {
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
    if ((listener = make_listener(cfg->channel == CH_UNIX, "msg_baseline", &port)) < 0) goto done;
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
