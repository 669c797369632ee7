/*
 * The hand-over's Unix socket (handoff.h): a memfd's descriptor goes from the sender to the
 * receiver as SCM_RIGHTS ancillary data beside a small header, in one sendmsg — Node cannot send an
 * arbitrary fd itself (nodejs/node#53391). Listening, accepting and connecting are blocking calls
 * the peers make before the clock starts; the receiver polls recvHandoff so that its event loop
 * still hears the runner.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "handoff.h"

/* More descriptors than a hand-over carries (one), so that an odd message is seen, not truncated away. */
#define MAX_FDS_SEEN 8
#define MAX_HEADER_BYTES 4096

/* path as a Unix socket address, or a RangeError naming the path when it is too long for one; 1 or 0. */
static int socket_address(napi_env env, const char *call, const char *path, struct sockaddr_un *address) {
  memset(address, 0, sizeof *address);
  address->sun_family = AF_UNIX;
  if (strlen(path) >= sizeof address->sun_path) {
    char message[4300];
    snprintf(message, sizeof message, "%s: the socket path is %zu bytes, more than the %zu a Unix socket address holds: %s", call,
             strlen(path), sizeof address->sun_path - 1, path);
    napi_throw_range_error(env, NULL, message);
    return 0;
  }
  strcpy(address->sun_path, path);
  return 1;
}

/* Throw "<call>: <what> <path> failed: <strerror>" for the errno of a call on fd, after closing fd. */
static napi_value close_and_throw(napi_env env, int fd, const char *call, const char *what, const char *path) {
  int saved = errno;
  close(fd);
  errno = saved;
  char text[4200];
  snprintf(text, sizeof text, "%s %s", what, path);
  return throw_errno(env, call, text);
}

/* unixListen's and unixConnect's start: the one argument, a path, as a Unix socket address, and a
 * new socket. The fd, or -1 with an error thrown. */
static int socket_for_path(napi_env env, napi_callback_info info, const char *call, const char *usage, char *path,
                           size_t size, struct sockaddr_un *address) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv, usage) || !get_path(env, argv[0], call, path, size) || !socket_address(env, call, path, address))
    return -1;
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw_errno(env, call, "socket(AF_UNIX)");
  return fd;
}

/* unixListen(path): a listening socket whose file is born 0600. */
napi_value unix_listen(napi_env env, napi_callback_info info) {
  char path[4096];
  struct sockaddr_un address;
  int fd = socket_for_path(env, info, "unixListen", "unixListen(path)", path, sizeof path, &address);
  if (fd < 0) return NULL;
  /*
   * bind(2) creates the file with the umask applied, so the umask is narrowed around the call: a
   * chmod afterwards would leave a moment when the file is 0755 (as listenPrivately in
   * transports/common.ts). The umask is the process's: nothing else in a peer creates files now.
   */
  mode_t previous = umask(0177);
  int bound = bind(fd, (struct sockaddr *)&address, sizeof address);
  int saved = errno;
  umask(previous);
  errno = saved;
  if (bound != 0) return close_and_throw(env, fd, "unixListen", "bind", path);
  /* One sender connects: a backlog of one. */
  if (listen(fd, 1) != 0) return close_and_throw(env, fd, "unixListen", "listen on", path);
  return number_value(env, fd);
}

/* unixAccept(listenFd): blocking; the peers call it before the clock starts. */
napi_value unix_accept(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int listen_fd;
  if (!get_args(env, info, 1, argv, "unixAccept(listenFd)") || !get_fd(env, argv[0], "unixAccept", 0, &listen_fd)) return NULL;
  int fd;
  do fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) return throw_errno(env, "unixAccept", "accept4");
  return number_value(env, fd);
}

/* unixConnect(path): blocking (a Unix socket connects at once while the listener's backlog has room). */
napi_value unix_connect(napi_env env, napi_callback_info info) {
  char path[4096];
  struct sockaddr_un address;
  int fd = socket_for_path(env, info, "unixConnect", "unixConnect(path)", path, sizeof path, &address);
  if (fd < 0) return NULL;
  if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) return close_and_throw(env, fd, "unixConnect", "connect to", path);
  return number_value(env, fd);
}

/* sendHandoff(sockFd, header: Uint8Array, fd): one sendmsg, the header and (fd >= 0) that fd as SCM_RIGHTS. */
napi_value send_handoff(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int sock, fd;
  if (!get_args(env, info, 3, argv, "sendHandoff(sockFd, header, fd)") || !get_fd(env, argv[0], "sendHandoff", 0, &sock) ||
      !get_fd(env, argv[2], "sendHandoff", 1, &fd))
    return NULL;
  bool is_typed = false;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (napi_is_typedarray(env, argv[1], &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, argv[1], &type, &length, &data, NULL, NULL) != napi_ok || type != napi_uint8_array ||
      length == 0 || length > MAX_HEADER_BYTES) {
    /* A stream socket carries ancillary data only with at least one byte of data. */
    napi_throw_type_error(env, NULL, "sendHandoff: the header must be a Uint8Array of 1 to 4096 bytes");
    return NULL;
  }
  struct iovec iov = {.iov_base = data, .iov_len = length};
  union {
    struct cmsghdr align;
    char bytes[CMSG_SPACE(sizeof(int))];
  } control;
  struct msghdr message = {.msg_iov = &iov, .msg_iovlen = 1};
  if (fd >= 0) {
    memset(&control, 0, sizeof control);
    message.msg_control = control.bytes;
    message.msg_controllen = sizeof control.bytes;
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&message);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof fd);
  }
  ssize_t sent;
  /* MSG_NOSIGNAL: a receiver that is gone is EPIPE here, not a SIGPIPE that kills a runtime which does not ignore it. */
  do sent = sendmsg(sock, &message, MSG_NOSIGNAL);
  while (sent < 0 && errno == EINTR);
  if (sent < 0) return throw_errno(env, "sendHandoff", "sendmsg");
  if ((size_t)sent != length) {
    char text[160];
    snprintf(text, sizeof text, "sendHandoff: sendmsg sent %zd of the header's %zu bytes", sent, length);
    napi_throw_error(env, NULL, text);
    return NULL;
  }
  return undefined_value(env);
}

static void close_all(const int *fds, int count) {
  for (int i = 0; i < count; i++) close(fds[i]);
}

/*
 * recvHandoff(sockFd, headerBytes): null while nothing has arrived (MSG_DONTWAIT: the JavaScript
 * receiver polls, so its event loop still hears the runner's stop), else { header, fd } with fd -1
 * when the message carried none. MSG_CMSG_CLOEXEC: the received descriptor is not inherited by any
 * child this process starts. A message that is not one header and at most one descriptor is an
 * error, and whatever descriptors it carried are closed.
 */
napi_value recv_handoff(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int sock;
  size_t header_bytes;
  if (!get_args(env, info, 2, argv, "recvHandoff(sockFd, headerBytes)") || !get_fd(env, argv[0], "recvHandoff", 0, &sock) ||
      !get_bytes(env, argv[1], "recvHandoff", &header_bytes))
    return NULL;
  if (header_bytes == 0 || header_bytes > MAX_HEADER_BYTES) {
    napi_throw_range_error(env, NULL, "recvHandoff: headerBytes must be 1 to 4096");
    return NULL;
  }
  unsigned char header[MAX_HEADER_BYTES];
  struct iovec iov = {.iov_base = header, .iov_len = header_bytes};
  union {
    struct cmsghdr align;
    char bytes[CMSG_SPACE(MAX_FDS_SEEN * sizeof(int))];
  } control;
  struct msghdr message = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.bytes, .msg_controllen = sizeof control.bytes};
  ssize_t got;
  do got = recvmsg(sock, &message, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  while (got < 0 && errno == EINTR);
  if (got < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      napi_value nothing;
      napi_get_null(env, &nothing);
      return nothing;
    }
    return throw_errno(env, "recvHandoff", "recvmsg");
  }
  int fds[MAX_FDS_SEEN];
  int fd_count = 0;
  for (struct cmsghdr *cmsg = CMSG_FIRSTHDR(&message); cmsg; cmsg = CMSG_NXTHDR(&message, cmsg)) {
    if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS) continue;
    int n = (int)((cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int));
    for (int i = 0; i < n && fd_count < MAX_FDS_SEEN; i++) memcpy(&fds[fd_count++], CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
  }
  char text[200];
  text[0] = '\0';
  if (got == 0)
    snprintf(text, sizeof text, "recvHandoff: the sender closed the socket before handing over");
  else if (message.msg_flags & MSG_CTRUNC)
    snprintf(text, sizeof text, "recvHandoff: the message carried more than %d descriptors (a hand-over carries one)", MAX_FDS_SEEN);
  else if (fd_count > 1)
    snprintf(text, sizeof text, "recvHandoff: the message carried %d descriptors, a hand-over carries at most one", fd_count);
  else if ((size_t)got != header_bytes)
    snprintf(text, sizeof text, "recvHandoff: a short message, %zd of the header's %zu bytes", got, header_bytes);
  if (text[0]) {
    close_all(fds, fd_count);
    napi_throw_error(env, NULL, text);
    return NULL;
  }
  napi_value buffer, view, result;
  void *copy = NULL;
  napi_create_arraybuffer(env, header_bytes, &copy, &buffer);
  memcpy(copy, header, header_bytes);
  napi_create_typedarray(env, napi_uint8_array, header_bytes, buffer, 0, &view);
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "header", view);
  napi_set_named_property(env, result, "fd", number_value(env, fd_count == 1 ? fds[0] : -1));
  return result;
}

/*
 * awaitPeerClose(sockFd): block until the other end of a connected socket closes it (or fails).
 * The sender waits here, off the clock, for the receiver to hold the pages before it changes its
 * own mapping: an mprotect of 400 MB while the receiver maps the same file held it up 3–6 ms.
 */
napi_value await_peer_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd;
  if (!get_args(env, info, 1, argv, "awaitPeerClose(sockFd)") || !get_fd(env, argv[0], "awaitPeerClose", 0, &fd)) return NULL;
  char byte;
  ssize_t got;
  do got = recv(fd, &byte, 1, 0);
  while (got > 0 || (got < 0 && errno == EINTR));
  return undefined_value(env);
}
