/*
 * One transfer of ipc_baseline (ipc_baseline.h): the payload goes from this process, the sender, to
 * a forked receiver through the configured channel; the receiver reads straight into its
 * destination, takes the end time, then verifies every int32 outside the timed region. A control
 * pipe, child → parent, carries "ready", "done" (with the end time) or the receiver's error.
 */
#define _GNU_SOURCE
#include "ipc_baseline.h"

#include <sched.h>
#include <stdatomic.h>
#include <sys/mman.h>

/* The shared mapping: a 64-byte header (one cache line, holding the ready flag), then the data. */
#define SHM_HEADER 64

/* What the receiver tells the sender on the control pipe: fixed size, under PIPE_BUF, so each
 * message is one atomic write. */
enum { MSG_READY = 1, MSG_DONE, MSG_FAIL };
struct msg {
  int32_t kind;
  int32_t ok;
  int64_t end_ns;
  char text[512];
};

unsigned char *map_anonymous(uint64_t bytes, int shared) {
  void *memory = mmap(NULL, bytes, PROT_READ | PROT_WRITE, (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
  return memory == MAP_FAILED ? NULL : memory;
}

void fill_payload(unsigned char *data, uint64_t bytes) {
  uint64_t words = bytes / 4;
  int32_t *values = (int32_t *)data;
  for (uint64_t i = 0; i < words; i++) values[i] = (int32_t)i;
  int32_t last = (int32_t)words;
  memcpy(data + words * 4, &last, bytes % 4);
}

static int verify_payload(const unsigned char *data, uint64_t bytes) {
  uint64_t words = bytes / 4;
  const int32_t *values = (const int32_t *)data;
  for (uint64_t i = 0; i < words; i++) {
    if (values[i] != (int32_t)i)
      return fail("int32 #%" PRIu64 " arrived as %" PRId32 ", expected %" PRIu64, i, values[i], i);
  }
  int32_t last = (int32_t)words;
  if (memcmp(data + words * 4, &last, bytes % 4) != 0) return fail("the last %u bytes arrived wrong", (unsigned)(bytes % 4));
  return 0;
}

/* One control message, or 0 when the receiver closed its end without one, or -1. */
static int read_msg(int fd, struct msg *m) {
  int64_t got = read_full(fd, m, sizeof *m);
  if (got < 0) return -1;
  return got == (int64_t)sizeof *m ? 1 : 0;
}

/* The receiver, in the child. Returns 0 and fills *done, or -1 with g_error set. */
static int receive(const struct config *cfg, int data_fd, unsigned char *shared, uint16_t port, int control,
                   struct msg *done) {
  uint64_t n = cfg->bytes;
  /* fresh: untouched, so first-touch page faults are timed, as for a Buffer Node allocates;
   * reused: every page written once before timing. */
  unsigned char *dest = map_anonymous(n, 0);
  if (!dest) return fail_errno("mmap of the destination");
  if (cfg->dest == DEST_REUSED) memset(dest, 0, n);

  if (cfg->channel == CH_UNIX || cfg->channel == CH_TCP) {
    if ((data_fd = connect_back(cfg->channel == CH_UNIX, port)) < 0) return -1;
  }

  struct msg ready = {.kind = MSG_READY};
  if (write_all(control, &ready, sizeof ready) != 0) return fail_errno("write on the control pipe");

  int64_t end_ns;
  if (cfg->channel == CH_SHM) {
    atomic_uint *flag = (atomic_uint *)shared;
    /* Poll the flag; yielding keeps a spinning receiver from starving the sender on a busy machine. */
    while (atomic_load_explicit(flag, memory_order_acquire) == 0) sched_yield();
    memcpy(dest, shared + SHM_HEADER, n);
    end_ns = now_ns();
  } else {
    int64_t got = read_full(data_fd, dest, n);
    end_ns = now_ns();
    if (got < 0) return fail_errno("read");
    if ((uint64_t)got < n) return fail("the stream ended after %" PRId64 " of %" PRIu64 " bytes", got, n);
    unsigned char extra;
    int64_t more = read_full(data_fd, &extra, 1);
    if (more != 0) return more < 0 ? fail_errno("read") : fail("more than the %" PRIu64 " bytes arrived", n);
  }

  *done = (struct msg){.kind = MSG_DONE, .ok = 1, .end_ns = end_ns};
  if (verify_payload(dest, n) != 0) {
    done->ok = 0;
    snprintf(done->text, sizeof done->text, "%s", g_error);
  }
  return 0;
}

static void child_main(const struct config *cfg, int data_fd, unsigned char *shared, uint16_t port, int control,
                       pid_t parent) {
  /* Dies with the sender, so that nothing is left behind if it is killed outright. */
  child_start(parent);
  struct msg m = {0};
  if (receive(cfg, data_fd, shared, port, control, &m) != 0) {
    m = (struct msg){.kind = MSG_FAIL};
    snprintf(m.text, sizeof m.text, "receiver: %s", g_error);
  }
  _exit(write_all(control, &m, sizeof m) == 0 && m.kind == MSG_DONE ? 0 : 1);
}

int run_repeat(const struct config *cfg, const unsigned char *payload, double *seconds, int *ok) {
  uint64_t n = cfg->bytes;
  int control[2] = {-1, -1}, data[2] = {-1, -1}, listener = -1, out = -1, rc = -1;
  unsigned char *shared = NULL;
  uint16_t port = 0;
  pid_t child = -1;
  struct msg m;

  if (open_control(control) != 0) goto done;
  if (cfg->channel == CH_PIPE) {
    if (pipe2(data, O_CLOEXEC) != 0) {
      fail_errno("pipe");
      goto done;
    }
    /* 1 MiB instead of the default 64 KiB (1 MiB is /proc/sys/fs/pipe-max-size, the most an
     * unprivileged process may ask): each wake-up moves up to 1 MiB, fewer context switches.
     * The Node peers ask the same for their transfer pipe (lib/measure/pipe-size.ts); on refusal the default stays. */
    (void)fcntl(data[1], F_SETPIPE_SZ, 1 << 20);
  } else if (cfg->channel == CH_UNIX || cfg->channel == CH_TCP) {
    if ((listener = make_listener(cfg->channel == CH_UNIX, "ipc_baseline", &port)) < 0) goto done;
  } else {
    /* Like Python's Array/RawArray: an anonymous shared arena made before fork, zero-filled (so
     * every page is backed) before timing. */
    if (!(shared = map_anonymous(n + SHM_HEADER, 1))) {
      fail_errno("mmap of the shared region");
      goto done;
    }
    memset(shared, 0, n + SHM_HEADER);
  }

  pid_t parent = getpid();
  if ((child = fork_peer(control, listener)) < 0) goto done;
  if (child == 0) {
    if (data[1] >= 0) close(data[1]);
    child_main(cfg, data[0], shared, port, control[1], parent);
  }
  close_fd(&data[0]);
  out = data[1];
  data[1] = -1;

  if (listener >= 0) {
    /* Wait for the receiver to connect, or to fail (a message, or its end closed). */
    int connected = await_connection(listener, control[0]);
    if (connected < 0) goto done;
    if (!connected) {
      if (read_msg(control[0], &m) == 1 && m.kind == MSG_FAIL) fail("%s", m.text);
      else child_gone(child, "receiver", "before it connected");
      goto done;
    }
    if ((out = accept_peer(&listener)) < 0) goto done;
  }

  int got = read_msg(control[0], &m);
  if (got != 1 || m.kind != MSG_READY) {
    if (got == 1 && m.kind == MSG_FAIL) fail("%s", m.text);
    else if (got < 0) fail_errno("read on the control pipe");
    else child_gone(child, "receiver", "before it was ready");
    goto done;
  }

  int64_t start_ns = now_ns();
  if (cfg->channel == CH_SHM) {
    memcpy(shared + SHM_HEADER, payload, n);
    atomic_store_explicit((atomic_uint *)shared, 1, memory_order_release);
  } else if (write_all(out, payload, n) != 0) {
    int saved = errno;
    /* Most likely the receiver gave up or died first: its message or its exit says why. */
    struct pollfd fd = {.fd = control[0], .events = POLLIN};
    if (poll(&fd, 1, 1000) != 1) fail("write: %s", strerror(saved));
    else if (read_msg(control[0], &m) == 1 && m.kind == MSG_FAIL) fail("%s", m.text);
    else child_gone(child, "receiver", "during the transfer");
    goto done;
  }
  close_fd(&out); /* the end of the stream */

  got = read_msg(control[0], &m);
  if (got != 1 || m.kind != MSG_DONE) {
    if (got == 1 && m.kind == MSG_FAIL) fail("%s", m.text);
    else if (got < 0) fail_errno("read on the control pipe");
    else child_gone(child, "receiver", "during the transfer");
    goto done;
  }
  *seconds = (double)(m.end_ns - start_ns) / 1e9;
  *ok = m.ok;
  if (!m.ok) fail("the receiver verified the bytes and found them wrong: %s", m.text);
  rc = 0;

done:
  sigprocmask(SIG_BLOCK, &g_deadly, NULL);
  rc = reap_child(rc, "receiver");
  close_fd(&control[0]);
  close_fd(&control[1]);
  close_fd(&data[0]);
  close_fd(&data[1]);
  close_fd(&listener);
  close_fd(&out);
  if (shared) munmap(shared, n + SHM_HEADER);
  remove_socket_dir();
  sigprocmask(SIG_UNBLOCK, &g_deadly, NULL);
  return rc;
}
