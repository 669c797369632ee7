/*
 * The baselines' byte streams (baseline_common.h): whole reads and writes, and the socket channels,
 * where the parent listens and the child connects back.
 */
#define _GNU_SOURCE
#include "baseline_common.h"

/* The whole rest goes in one call each time: the kernel takes what it can (at most 0x7ffff000 per call). */
int write_all(int fd, const void *buffer, uint64_t bytes) {
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

int64_t read_full(int fd, void *buffer, uint64_t bytes) {
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

int make_listener(int unix_socket, const char *program, uint16_t *port) {
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
      return fail("the socket path %s/s is longer than the %zu bytes a Unix socket path may have: set TMPDIR to a shorter dir",
                  g_dir, sizeof g_sock - 1);
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

int connect_back(int unix_socket, uint16_t port) {
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

int await_connection(int listener, int control) {
  struct pollfd fds[2] = {{.fd = listener, .events = POLLIN}, {.fd = control, .events = POLLIN}};
  while (poll(fds, 2, -1) < 0) {
    if (errno != EINTR) return fail_errno("poll");
  }
  return (fds[0].revents & POLLIN) ? 1 : 0;
}

int accept_peer(int *listener) {
  int fd = accept4(*listener, NULL, NULL, SOCK_CLOEXEC);
  if (fd < 0) return fail_errno("accept");
  close_fd(listener);
  remove_socket_dir();
  return fd;
}
