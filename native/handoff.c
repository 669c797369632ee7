/*
 * The zero-copy hand-over between two processes (transports handoff and handoff-name,
 * lib/measure/transports/handoff.ts, through lib/measure/handoff-memory.ts): the sender builds its
 * Int32Array in memory it can give away and gives it — a memfd's descriptor passed over a Unix
 * socket as SCM_RIGHTS (Node cannot send an arbitrary fd: nodejs/node#53391), or the name of a
 * file directly in /dev/shm. The receiver maps the same pages read-only: no byte of the payload is
 * copied. Registered into the ipc_lab_shm addon by shm.c's init (init_handoff).
 *
 * Why F_SEAL_FUTURE_WRITE and not F_SEAL_WRITE. F_SEAL_WRITE is refused (EBUSY) while any writable
 * shared mapping of the memfd exists, and the sender's own mapping, in which it built the payload,
 * is one: mprotect(PROT_READ) does not count (the kernel counts mappings that *may* write,
 * VM_MAYWRITE), so the sender would have to munmap and map again read-only before sealing.
 * Measured here in C: remapping 400 MB read-only took 13.3 ms at 10^8 int32, against 14 µs for
 * F_SEAL_FUTURE_WRITE (2.3 µs at 10^3) — the seal would cost more than the rest of the hand-over
 * and grow with the size. F_SEAL_FUTURE_WRITE refuses write(2) and pwrite (EPERM), any new
 * writable shared mapping (EPERM), and mprotect(PROT_WRITE) of any mapping made after it (the
 * receiver's: the kernel clears VM_MAYWRITE, EACCES). Only mappings that were already writable when
 * it was added — the sender's own — could still write. So after the hand-over, outside the timed
 * region, the sender also mprotects its own mapping PROT_READ (protect() below): that is a promise
 * within the sender's process (it could mprotect back), not a seal; the seal is what holds against
 * every other holder of the descriptor, the receiver included.
 *   F_SEAL_SHRINK: a shrunk file would make the receiver's reads past the new end fault with SIGBUS;
 *   F_SEAL_GROW: the size the receiver checked with fstat is the size for good;
 *   F_SEAL_SEAL: the set of seals the receiver sees is final.
 *
 * Why no MAP_POPULATE anywhere here. memfdCreate/createNamed: the sender's build writes every page
 * first and pays its own first touch, inside buildSeconds (a list packed into the mapping pays it in
 * encode, as the record's memory 'fresh' says). mapReadOnly: populating would make the hand-over's
 * cost grow with the size (~18 ms of page-table faults for 400 MB measured here); without it
 * mapping is a constant few µs and the receiver's first read — the verify pass — pays the faults,
 * which the record says (firstTouch 'sender').
 *
 * Every failure throws one line naming the call and, for a system call, strerror.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010 /* Linux 5.1 */
#endif

#define HANDOFF_SEALS (F_SEAL_FUTURE_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)
/* More descriptors than a hand-over carries (one), so that an odd message is seen, not truncated away. */
#define MAX_FDS_SEEN 8
#define MAX_HEADER_BYTES 4096

/* ---- errors and arguments ---------------------------------------------------------------------- */

/* "<call>: <what> failed: <strerror>", from errno. */
static napi_value throw_errno(napi_env env, const char *call, const char *what) {
  char message[4800];
  snprintf(message, sizeof message, "%s: %s failed: %s", call, what, strerror(errno));
  napi_throw_error(env, NULL, message);
  return NULL;
}

static int get_args(napi_env env, napi_callback_info info, size_t count, napi_value *argv, const char *usage) {
  size_t argc = count;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != count) {
    char message[256];
    snprintf(message, sizeof message, "%s takes %zu argument%s", usage, count, count == 1 ? "" : "s");
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  return 1;
}

/* Two arguments and an optional third (a reservation), or throw the usage line. */
static int get_args_into(napi_env env, napi_callback_info info, napi_value *argv, napi_value *into, const char *usage) {
  size_t argc = 3;
  napi_value all[3];
  if (napi_get_cb_info(env, info, &argc, all, NULL, NULL) != napi_ok || argc < 2 || argc > 3) {
    char message[256];
    snprintf(message, sizeof message, "%s takes 2 or 3 arguments", usage);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  napi_valuetype type = napi_undefined;
  if (argc == 3) napi_typeof(env, all[2], &type);
  argv[0] = all[0];
  argv[1] = all[1];
  *into = type == napi_undefined ? NULL : all[2];
  return 1;
}

/* A descriptor number: a whole number >= 0, or -1 where `none_ok` (sendHandoff without one). */
static int get_fd(napi_env env, napi_value value, const char *call, int none_ok, int *fd) {
  double number = 0;
  if (napi_get_value_double(env, value, &number) != napi_ok || number != (double)(int)number || number < (none_ok ? -1 : 0)) {
    char message[160];
    snprintf(message, sizeof message, "%s: the descriptor must be a whole number >= %d", call, none_ok ? -1 : 0);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  *fd = (int)number;
  return 1;
}

static int get_bytes(napi_env env, napi_value value, const char *call, size_t *bytes) {
  double number = 0;
  if (napi_get_value_double(env, value, &number) != napi_ok || number < 0 || number > 9007199254740991.0 ||
      number != (double)(size_t)number) {
    char message[160];
    snprintf(message, sizeof message, "%s: bytes must be a whole number >= 0", call);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  *bytes = (size_t)number;
  return 1;
}

static int get_path(napi_env env, napi_value value, const char *call, char *path, size_t size) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, path, size, &length) != napi_ok || length == 0 || length >= size - 1) {
    char message[160];
    snprintf(message, sizeof message, "%s: the path must be a non-empty string shorter than %zu bytes", call, size - 1);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  return 1;
}

static napi_value number_value(napi_env env, double number) {
  napi_value result;
  napi_create_double(env, number, &result);
  return result;
}

static napi_value undefined_value(napi_env env) {
  napi_value result;
  napi_get_undefined(env, &result);
  return result;
}

/* ---- mappings as ArrayBuffers ------------------------------------------------------------------ */

/*
 * Every mapping this file hands to JavaScript, so that protect() only ever mprotects one of them:
 * an address taken from any other ArrayBuffer (V8's own heap) would make the runtime's memory
 * read-only and crash it far from the cause. A mutex because finalizers of another runtime's
 * collector need not run on the thread that made the buffer.
 */
struct mapping {
  void *address;
  size_t bytes;
  struct mapping *next;
};
static struct mapping *mappings;
static pthread_mutex_t mappings_lock = PTHREAD_MUTEX_INITIALIZER;

/* The mapping lives as long as its ArrayBuffer: the collector calls this when the buffer goes. */
static void unmap_mapping(napi_env env, void *data, void *hint) {
  (void)env;
  (void)data;
  struct mapping *m = hint;
  pthread_mutex_lock(&mappings_lock);
  for (struct mapping **at = &mappings; *at; at = &(*at)->next) {
    if (*at == m) {
      *at = m->next;
      break;
    }
  }
  pthread_mutex_unlock(&mappings_lock);
  munmap(m->address, m->bytes);
  free(m);
}

/* Wrap a fresh mapping in an external ArrayBuffer; on failure the mapping is gone and an error thrown. */
static napi_value wrap_mapping(napi_env env, const char *call, void *address, size_t bytes) {
  struct mapping *m = malloc(sizeof *m);
  napi_value result;
  if (!m) {
    munmap(address, bytes);
    errno = ENOMEM;
    return throw_errno(env, call, "malloc");
  }
  m->address = address;
  m->bytes = bytes;
  pthread_mutex_lock(&mappings_lock);
  m->next = mappings;
  mappings = m;
  pthread_mutex_unlock(&mappings_lock);
  if (napi_create_external_arraybuffer(env, address, bytes, unmap_mapping, m, &result) != napi_ok) {
    unmap_mapping(env, address, m);
    char message[160];
    snprintf(message, sizeof message, "%s: this runtime would not wrap the mapping in an external ArrayBuffer", call);
    napi_throw_error(env, NULL, message);
    return NULL;
  }
  return result;
}

/* Whether [data, data + bytes) is a mapping this file made. */
static bool is_ours(void *data, size_t bytes) {
  bool ours = false;
  pthread_mutex_lock(&mappings_lock);
  for (struct mapping *m = mappings; m; m = m->next) ours |= m->address == data && m->bytes == bytes;
  pthread_mutex_unlock(&mappings_lock);
  return ours;
}

/* mmap refuses a zero length: an empty (ordinary) ArrayBuffer is the honest answer. */
static napi_value empty_buffer(napi_env env) {
  napi_value result;
  napi_create_arraybuffer(env, 0, NULL, &result);
  return result;
}

/* A writable shared mapping of the first `bytes` of fd. */
static napi_value map_writable(napi_env env, const char *call, int fd, size_t bytes) {
  if (bytes == 0) return empty_buffer(env);
  void *address = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (address == MAP_FAILED) return throw_errno(env, call, "mmap(PROT_READ|PROT_WRITE, MAP_SHARED)");
  return wrap_mapping(env, call, address, bytes);
}

/* A read-only shared mapping of the first `bytes` of fd, after checking the file holds them. */
static napi_value map_read_only(napi_env env, const char *call, int fd, size_t bytes, napi_value into) {
  struct stat st;
  if (fstat(fd, &st) != 0) return throw_errno(env, call, "fstat");
  if ((uint64_t)st.st_size < (uint64_t)bytes) {
    char message[256];
    snprintf(message, sizeof message, "%s: the region holds %lld bytes, fewer than the %zu announced", call,
             (long long)st.st_size, bytes);
    napi_throw_range_error(env, NULL, message);
    return NULL;
  }
  if (bytes == 0) return empty_buffer(env);
  if (into != NULL) {
    /*
     * Into a reservation the receiver made before the transfer (reserve()): the sender's pages
     * replace its inaccessible ones at the same address (MAP_FIXED), and the ArrayBuffer that
     * already wraps it is the view. Wrapping 400 MB in a new ArrayBuffer inside the timed region
     * made V8 start a collection there (external memory), 2–18 ms that grew with the size.
     */
    void *data = NULL;
    size_t length = 0;
    if (napi_get_arraybuffer_info(env, into, &data, &length) != napi_ok || length != bytes || !is_ours(data, bytes)) {
      char message[160];
      snprintf(message, sizeof message, "%s: the reservation is not one of reserve(%zu)", call, bytes);
      napi_throw_type_error(env, NULL, message);
      return NULL;
    }
    if (mmap(data, bytes, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED)
      return throw_errno(env, call, "mmap(PROT_READ, MAP_SHARED | MAP_FIXED)");
    return into;
  }
  void *address = mmap(NULL, bytes, PROT_READ, MAP_SHARED, fd, 0);
  if (address == MAP_FAILED) return throw_errno(env, call, "mmap(PROT_READ, MAP_SHARED)");
  return wrap_mapping(env, call, address, bytes);
}

/*
 * awaitPeerClose(sockFd): block until the other end of a connected socket closes it (or fails).
 * The sender waits here, off the clock, for the receiver to hold the pages before it changes its
 * own mapping: an mprotect of 400 MB while the receiver maps the same file held it up 3–6 ms.
 */
static napi_value await_peer_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd;
  if (!get_args(env, info, 1, argv, "awaitPeerClose(sockFd)") || !get_fd(env, argv[0], "awaitPeerClose", 0, &fd)) return NULL;
  char byte;
  ssize_t got;
  do got = recv(fd, &byte, 1, 0);
  while (got > 0 || (got < 0 && errno == EINTR));
  return undefined_value(env);
}

/* reserve(bytes): address space for a view to come, inaccessible until a hand-over is mapped into it. */
static napi_value reserve(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  size_t bytes;
  if (!get_args(env, info, 1, argv, "reserve(bytes)") || !get_bytes(env, argv[0], "reserve", &bytes)) return NULL;
  if (bytes == 0) return empty_buffer(env);
  void *address = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (address == MAP_FAILED) return throw_errno(env, "reserve", "mmap(PROT_NONE)");
  return wrap_mapping(env, "reserve", address, bytes);
}

/* ---- the region ---------------------------------------------------------------------------------- */

/* memfdCreate(bytes): { fd, buffer } — an anonymous file that can be sealed, and its writable mapping. */
static napi_value memfd_create_mapped(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  size_t bytes;
  if (!get_args(env, info, 1, argv, "memfdCreate(bytes)") || !get_bytes(env, argv[0], "memfdCreate", &bytes)) return NULL;
  int fd = memfd_create("ipc-lab-handoff", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return throw_errno(env, "memfdCreate", "memfd_create");
  if (ftruncate(fd, (off_t)bytes) != 0) {
    int saved = errno;
    close(fd);
    errno = saved;
    return throw_errno(env, "memfdCreate", "ftruncate");
  }
  napi_value buffer = map_writable(env, "memfdCreate", fd, bytes);
  if (!buffer) {
    close(fd);
    return NULL;
  }
  napi_value result;
  napi_create_object(env, &result);
  napi_set_named_property(env, result, "fd", number_value(env, fd));
  napi_set_named_property(env, result, "buffer", buffer);
  return result;
}

/* createNamed(path, bytes): a new 0600 file (never an existing one: O_EXCL), sized and mapped writable. */
static napi_value create_named(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  char path[4096];
  size_t bytes;
  if (!get_args(env, info, 2, argv, "createNamed(path, bytes)") || !get_path(env, argv[0], "createNamed", path, sizeof path) ||
      !get_bytes(env, argv[1], "createNamed", &bytes))
    return NULL;
  char what[4200];
  int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    snprintf(what, sizeof what, "open %s (O_CREAT|O_EXCL)", path);
    return throw_errno(env, "createNamed", what);
  }
  napi_value buffer = NULL;
  if (ftruncate(fd, (off_t)bytes) != 0) {
    snprintf(what, sizeof what, "ftruncate %s", path);
    throw_errno(env, "createNamed", what);
  } else {
    buffer = map_writable(env, "createNamed", fd, bytes);
  }
  /* The mapping holds its own reference to the file: the descriptor is not needed any more. */
  close(fd);
  /* A region that could not be made is not left behind under its name. */
  if (!buffer) unlink(path);
  return buffer;
}

/* seal(fd): add the hand-over's seals (see the top of this file). */
static napi_value seal(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd;
  if (!get_args(env, info, 1, argv, "seal(fd)") || !get_fd(env, argv[0], "seal", 0, &fd)) return NULL;
  if (fcntl(fd, F_ADD_SEALS, HANDOFF_SEALS) != 0) return throw_errno(env, "seal", "fcntl(F_ADD_SEALS)");
  return undefined_value(env);
}

/* seals(fd): the seals a descriptor's file carries (F_GET_SEALS), for tests. */
static napi_value seals(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd;
  if (!get_args(env, info, 1, argv, "seals(fd)") || !get_fd(env, argv[0], "seals", 0, &fd)) return NULL;
  int found = fcntl(fd, F_GET_SEALS);
  if (found < 0) return throw_errno(env, "seals", "fcntl(F_GET_SEALS)");
  return number_value(env, found);
}

/* protect(buffer): mprotect(PROT_READ) a mapping this file made (the sender's, after the hand-over). */
static napi_value protect(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  bool is_buffer = false;
  void *data = NULL;
  size_t bytes = 0;
  if (!get_args(env, info, 1, argv, "protect(buffer)")) return NULL;
  if (napi_is_arraybuffer(env, argv[0], &is_buffer) != napi_ok || !is_buffer ||
      napi_get_arraybuffer_info(env, argv[0], &data, &bytes) != napi_ok) {
    napi_throw_type_error(env, NULL, "protect: the argument must be an ArrayBuffer");
    return NULL;
  }
  if (bytes == 0) return undefined_value(env); /* an empty region has no pages */
  int ours = 0;
  pthread_mutex_lock(&mappings_lock);
  for (struct mapping *m = mappings; m; m = m->next) ours |= m->address == data && m->bytes == bytes;
  pthread_mutex_unlock(&mappings_lock);
  if (!ours) {
    napi_throw_type_error(env, NULL, "protect: this ArrayBuffer is not a mapping made by memfdCreate or createNamed");
    return NULL;
  }
  /* The address came from mmap, so it is page-aligned; the length is rounded up to whole pages by the kernel. */
  if (mprotect(data, bytes, PROT_READ) != 0) return throw_errno(env, "protect", "mprotect(PROT_READ)");
  return undefined_value(env);
}

/* mapReadOnly(fd, bytes): the receiver's view; does not close fd. */
static napi_value map_fd_read_only(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  napi_value into;
  int fd;
  size_t bytes;
  if (!get_args_into(env, info, argv, &into, "mapReadOnly(fd, bytes, into?)") || !get_fd(env, argv[0], "mapReadOnly", 0, &fd) ||
      !get_bytes(env, argv[1], "mapReadOnly", &bytes))
    return NULL;
  return map_read_only(env, "mapReadOnly", fd, bytes, into);
}

/* mapPathReadOnly(path, bytes): the receiver's view of a named region. */
static napi_value map_path_read_only(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  napi_value into;
  char path[4096];
  size_t bytes;
  if (!get_args_into(env, info, argv, &into, "mapPathReadOnly(path, bytes, into?)") || !get_path(env, argv[0], "mapPathReadOnly", path, sizeof path) ||
      !get_bytes(env, argv[1], "mapPathReadOnly", &bytes))
    return NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    char what[4200];
    snprintf(what, sizeof what, "open %s", path);
    return throw_errno(env, "mapPathReadOnly", what);
  }
  napi_value result = map_read_only(env, "mapPathReadOnly", fd, bytes, into);
  close(fd);
  return result;
}

/* closeFd(fd) */
static napi_value close_fd(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd;
  if (!get_args(env, info, 1, argv, "closeFd(fd)") || !get_fd(env, argv[0], "closeFd", 0, &fd)) return NULL;
  /* On Linux the descriptor is released even when close reports EINTR: never retry. */
  if (close(fd) != 0 && errno != EINTR) return throw_errno(env, "closeFd", "close");
  return undefined_value(env);
}

/* ---- the Unix socket ----------------------------------------------------------------------------- */

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

/* unixListen(path): a listening socket whose file is born 0600. */
static napi_value unix_listen(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char path[4096];
  struct sockaddr_un address;
  if (!get_args(env, info, 1, argv, "unixListen(path)") || !get_path(env, argv[0], "unixListen", path, sizeof path) ||
      !socket_address(env, "unixListen", path, &address))
    return NULL;
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "unixListen", "socket(AF_UNIX)");
  /*
   * bind(2) creates the file with the umask applied, so the umask is narrowed around the call: a
   * chmod afterwards would leave a moment when the file is 0755 (as listenPrivately in
   * transports/common.ts). The umask is the process's: nothing else in a peer creates files now.
   */
  mode_t previous = umask(0177);
  int bound = bind(fd, (struct sockaddr *)&address, sizeof address);
  int saved = errno;
  umask(previous);
  char what[4200];
  if (bound != 0) {
    close(fd);
    errno = saved;
    snprintf(what, sizeof what, "bind %s", path);
    return throw_errno(env, "unixListen", what);
  }
  /* One sender connects: a backlog of one. */
  if (listen(fd, 1) != 0) {
    saved = errno;
    close(fd);
    errno = saved;
    snprintf(what, sizeof what, "listen on %s", path);
    return throw_errno(env, "unixListen", what);
  }
  return number_value(env, fd);
}

/* unixAccept(listenFd): blocking; the peers call it before the clock starts. */
static napi_value unix_accept(napi_env env, napi_callback_info info) {
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
static napi_value unix_connect(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char path[4096];
  struct sockaddr_un address;
  if (!get_args(env, info, 1, argv, "unixConnect(path)") || !get_path(env, argv[0], "unixConnect", path, sizeof path) ||
      !socket_address(env, "unixConnect", path, &address))
    return NULL;
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "unixConnect", "socket(AF_UNIX)");
  if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
    int saved = errno;
    close(fd);
    errno = saved;
    char what[4200];
    snprintf(what, sizeof what, "connect to %s", path);
    return throw_errno(env, "unixConnect", what);
  }
  return number_value(env, fd);
}

/* sendHandoff(sockFd, header: Uint8Array, fd): one sendmsg, the header and (fd >= 0) that fd as SCM_RIGHTS. */
static napi_value send_handoff(napi_env env, napi_callback_info info) {
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
static napi_value recv_handoff(napi_env env, napi_callback_info info) {
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

/* ---- registration -------------------------------------------------------------------------------- */

/* Called from shm.c's init: the hand-over's functions join the one ipc_lab_shm addon. */
napi_value init_handoff(napi_env env, napi_value exports) {
  static const struct {
    const char *name;
    napi_callback call;
  } functions[] = {
      {"memfdCreate", memfd_create_mapped}, {"createNamed", create_named},   {"seal", seal},
      {"seals", seals},                     {"protect", protect},            {"mapReadOnly", map_fd_read_only}, {"reserve", reserve}, {"awaitPeerClose", await_peer_close},
      {"mapPathReadOnly", map_path_read_only}, {"closeFd", close_fd},        {"unixListen", unix_listen},
      {"unixAccept", unix_accept},          {"unixConnect", unix_connect},   {"sendHandoff", send_handoff},
      {"recvHandoff", recv_handoff},
  };
  for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
    napi_value fn;
    napi_create_function(env, functions[i].name, NAPI_AUTO_LENGTH, functions[i].call, NULL, &fn);
    napi_set_named_property(env, exports, functions[i].name, fn);
  }
  return exports;
}
