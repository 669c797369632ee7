/*
 * baseline_common.h: what the two native baselines (ipc_baseline.c, msg_baseline.c) share, written
 * once. Both fork one peer, talk to it over a pipe, a Unix stream socket, TCP on loopback or a
 * shared mapping, report one error line, and must leave nothing behind: no child, no socket dir.
 *
 * Static functions in a header, not a separate object file: each baseline is a single-source
 * executable target in binding.gyp, and every function here is used by both, so -Wall -Wextra
 * stays quiet about unused ones. Include it after defining _GNU_SOURCE (for pipe2, accept4,
 * SOCK_CLOEXEC), before any other header.
 */
#ifndef IPC_LAB_BASELINE_COMMON_H
#define IPC_LAB_BASELINE_COMMON_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- the one error line ---- */

/* The one error line, written once by main (or sent to the parent by the child). */
static char g_error[400];

/* Set g_error from a printf format; returns -1, so that `return fail(…)` reports and fails. */
static int fail(const char *format, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(g_error, sizeof g_error, format, args);
  va_end(args);
  return -1;
}

/* fail() with what was being done and errno's text: "what: reason". */
static int fail_errno(const char *what) { return fail("%s: %s", what, strerror(errno)); }

/* CLOCK_MONOTONIC in ns: the clock behind Node's process.hrtime, one clock for every process of
 * the machine, so one side's start can be subtracted from the other side's end. */
static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- what a signal must undo: the child, and the Unix socket's private dir ---- */

static volatile sig_atomic_t g_child = 0;
static volatile sig_atomic_t g_have_dir = 0;
static char g_dir[4096];
static char g_sock[sizeof(((struct sockaddr_un *)0)->sun_path)];
/* The signals handled by on_signal: blocked while the child and the dir change hands, so the
 * handler never sees a child it does not know yet. */
static sigset_t g_deadly;

static void remove_socket_dir(void) {
  if (!g_have_dir) return;
  g_have_dir = 0;
  unlink(g_sock);
  rmdir(g_dir);
}

/* SIGTERM, SIGINT, SIGHUP: kill and reap the child, remove the socket dir, then die of the signal.
 * Async-signal-safe calls only. */
static void on_signal(int sig) {
  pid_t child = (pid_t)g_child;
  if (child > 0) {
    kill(child, SIGKILL);
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {
    }
  }
  remove_socket_dir();
  signal(sig, SIG_DFL);
  raise(sig);
}

/* In main, before any child exists: on_signal for SIGTERM, SIGINT and SIGHUP, and SIGPIPE
 * ignored, so that a peer gone makes write fail with EPIPE, reported as such. */
static void install_signal_handlers(void) {
  sigemptyset(&g_deadly);
  sigaddset(&g_deadly, SIGTERM);
  sigaddset(&g_deadly, SIGINT);
  sigaddset(&g_deadly, SIGHUP);
  struct sigaction action = {.sa_handler = on_signal, .sa_mask = g_deadly};
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGINT, &action, NULL);
  sigaction(SIGHUP, &action, NULL);
  signal(SIGPIPE, SIG_IGN);
}

/* In the child, first thing after fork: the default action for the deadly signals (the handler
 * is the parent's), unblocked again, and the socket dir left to the parent, never the child. */
static void child_signals_default(void) {
  signal(SIGTERM, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
  g_have_dir = 0;
  sigprocmask(SIG_UNBLOCK, &g_deadly, NULL);
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

/* The start of a run: the deadly signals blocked (until fork_peer has told on_signal of the
 * child), then the control pipe, child → parent. 0, or -1 with g_error set. */
static int open_control(int control[2]) {
  sigprocmask(SIG_BLOCK, &g_deadly, NULL);
  return pipe2(control, O_CLOEXEC) == 0 ? 0 : fail_errno("pipe for control");
}

/* Fork the peer, after open_control. In the child: 0, with the parent's ends closed (control[0],
 * the listener if any). In the parent: the child's pid, known to on_signal from now on, the deadly
 * signals unblocked again and the child's end of the control pipe closed; or -1 with g_error set.
 * stdout is flushed first, so that the child cannot print the parent's buffered output again. */
static pid_t fork_peer(int control[2], int listener) {
  fflush(stdout);
  pid_t child = fork();
  if (child < 0) return fail_errno("fork");
  if (child == 0) {
    close_fd(&control[0]);
    if (listener >= 0) close(listener);
    return 0;
  }
  g_child = child;
  sigprocmask(SIG_UNBLOCK, &g_deadly, NULL);
  close_fd(&control[1]);
  return child;
}

/* Explain how the child ended without a message (it exited or was killed); `who` names it
 * ("receiver", "peer") and `when` says at which step. Reaps it; returns -1 with g_error set. */
static int child_gone(pid_t child, const char *who, const char *when) {
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  g_child = 0;
  if (WIFSIGNALED(status)) return fail("the %s was killed by signal %d %s", who, WTERMSIG(status), when);
  return fail("the %s exited with status %d %s", who, WEXITSTATUS(status), when);
}

/* The end of a run, success or not: the child (if any) killed when the run failed, always reaped.
 * Returns rc, or -1 with g_error set when the run succeeded but the child did not exit 0. */
static int reap_child(int rc, const char *who) {
  pid_t child = (pid_t)g_child;
  if (child <= 0) return rc;
  int status = 0;
  if (rc != 0) kill(child, SIGKILL);
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  g_child = 0;
  if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) return fail("the %s did not exit cleanly", who);
  return rc;
}

/* ---- streams ---- */

/* Write all `bytes`, retrying after EINTR: 0, or -1 with errno set (g_error untouched, so the
 * caller can first ask the peer why). The whole rest goes in one call each time: the kernel
 * takes what it can (at most 0x7ffff000 per call). */
static int write_all(int fd, const void *buffer, uint64_t bytes) {
  const unsigned char *at = buffer;
  while (bytes > 0) {
    ssize_t written = write(fd, at, bytes);
    if (written < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    at += written;
    bytes -= (uint64_t)written;
  }
  return 0;
}

/* Read until `bytes` arrived or the stream ended: how many arrived, or -1 with errno set. */
static int64_t read_full(int fd, void *buffer, uint64_t bytes) {
  unsigned char *at = buffer;
  uint64_t got = 0;
  while (got < bytes) {
    ssize_t n = read(fd, at + got, bytes - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) break;
    got += (uint64_t)n;
  }
  return (int64_t)got;
}

/* ---- the socket channels: the parent listens, the child connects back ---- */

/* A listening socket: Unix (`unix_socket` != 0) in a private dir named after `program`, or TCP on
 * 127.0.0.1 at a port the kernel picks (*port). The fd, or -1 with g_error set. `too_long` is the
 * error format for a socket path over the limit (given the dir and the limit in bytes). */
static int make_listener(int unix_socket, const char *program, const char *too_long, uint16_t *port)
    __attribute__((format(printf, 3, 0)));
static int make_listener(int unix_socket, const char *program, const char *too_long, uint16_t *port) {
  int fd = socket(unix_socket ? AF_UNIX : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail_errno("socket");
  int rc;
  if (unix_socket) {
    /* A private 0700 dir (mkdtemp) in TMPDIR; the socket file goes as soon as the peer is in. */
    const char *base = getenv("TMPDIR");
    if (!base || !*base) base = "/tmp";
    if (snprintf(g_dir, sizeof g_dir, "%s/%s-XXXXXX", base, program) >= (int)sizeof g_dir) {
      close(fd);
      return fail("TMPDIR is too long");
    }
    if (!mkdtemp(g_dir)) {
      int saved = errno;
      close(fd);
      return fail("cannot make a temp dir in %s: %s", base, strerror(saved));
    }
    g_have_dir = 1;
    if (snprintf(g_sock, sizeof g_sock, "%s/s", g_dir) >= (int)sizeof g_sock) {
      close(fd);
      return fail(too_long, g_dir, sizeof g_sock - 1);
    }
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    memcpy(address.sun_path, g_sock, sizeof address.sun_path);
    rc = bind(fd, (struct sockaddr *)&address, sizeof address);
  } else {
    /* Loopback only, on a port the kernel picks. */
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = 0};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    rc = bind(fd, (struct sockaddr *)&address, sizeof address);
    socklen_t length = sizeof address;
    if (rc == 0) rc = getsockname(fd, (struct sockaddr *)&address, &length);
    *port = ntohs(address.sin_port);
  }
  if (rc != 0 || listen(fd, 1) != 0) {
    int saved = errno;
    close(fd);
    errno = saved;
    return fail_errno(unix_socket ? "bind/listen on the Unix socket" : "bind/listen on 127.0.0.1");
  }
  return fd;
}

/* In the child: a socket connected to the parent's listener (g_sock, or 127.0.0.1:port). The fd,
 * or -1 with g_error set and the socket closed. */
static int connect_back(int unix_socket, uint16_t port) {
  int fd = socket(unix_socket ? AF_UNIX : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail_errno("socket");
  int rc;
  if (unix_socket) {
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    memcpy(address.sun_path, g_sock, sizeof address.sun_path);
    rc = connect(fd, (struct sockaddr *)&address, sizeof address);
  } else {
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    rc = connect(fd, (struct sockaddr *)&address, sizeof address);
  }
  if (rc != 0) {
    fail("connect to %s: %s", unix_socket ? g_sock : "127.0.0.1", strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

/* In the parent: wait until the child connects to `listener` or speaks (or closes its end) on the
 * control pipe. 1: a connection is waiting; 0: the control pipe spoke first; -1: poll failed
 * (g_error set). */
static int await_connection(int listener, int control) {
  struct pollfd fds[2] = {{.fd = listener, .events = POLLIN}, {.fd = control, .events = POLLIN}};
  while (poll(fds, 2, -1) < 0) {
    if (errno != EINTR) return fail_errno("poll");
  }
  return (fds[0].revents & POLLIN) ? 1 : 0;
}

/* In the parent, once await_connection said 1: the peer's connection, the listener closed and the
 * socket file's dir removed (the peer is in, nobody else may come). The fd, or -1 with g_error. */
static int accept_peer(int *listener) {
  int fd = accept4(*listener, NULL, NULL, SOCK_CLOEXEC);
  if (fd < 0) return fail_errno("accept");
  close_fd(listener);
  remove_socket_dir();
  return fd;
}

/* ---- arguments ---- */

/* Is `arg` --help or -h? Then the usage line is printed on stdout. */
static int shows_help(const char *arg, const char *usage) {
  if (strcmp(arg, "--help") != 0 && strcmp(arg, "-h") != 0) return 0;
  printf("%s\n", usage);
  return 1;
}

/* main's exit code when parse_args did not say "run" (parsed != 0): 0 after the help, 2 after
 * bad arguments, whose one line goes to stderr as "program: error". */
static int exit_unparsed(int parsed, const char *program) {
  if (parsed < 0) fprintf(stderr, "%s: %s\n", program, g_error);
  return parsed < 0 ? 2 : 0;
}

/* A value as shown in an error line: at most 60 bytes, control characters as '?'. */
static const char *shown(const char *value) {
  static char text[64];
  size_t i = 0;
  for (; value[i] && i < 60; i++) text[i] = (unsigned char)value[i] < 32 || value[i] == 127 ? '?' : value[i];
  text[i] = 0;
  return text;
}

/* The option `name`'s value as a whole number from min to max into *out: 0, or -1 with g_error
 * naming the value and the range. */
static int parse_whole(const char *name, const char *value, uint64_t min, uint64_t max, uint64_t *out) {
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

/* The option `name`'s value as an index into choices[count] into *out: 0, or -1 with g_error
 * naming the value and `valid`, the choices as the error line lists them. */
static int parse_choice(const char *name, const char *value, const char *const *choices, int count, const char *valid,
                        int *out) {
  for (int i = 0; i < count; i++) {
    if (strcmp(value, choices[i]) == 0) {
      *out = i;
      return 0;
    }
  }
  return fail("%s \"%s\" is not one of %s", name, shown(value), valid);
}

#endif
