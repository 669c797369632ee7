/*
 * The hand-over's mappings as ArrayBuffers (handoff.h): the sender's writable region, the
 * receiver's reservation and its read-only view, and protect() for the sender afterwards.
 *
 * Why no MAP_POPULATE anywhere here. memfdCreate/createNamed: the sender's build writes every page
 * first and pays its own first touch, inside buildSeconds (a list packed into the mapping pays it in
 * encode, as the record's memory 'fresh' says). mapReadOnly: populating would make the hand-over's
 * cost grow with the size (~18 ms of page-table faults for 400 MB measured here); without it
 * mapping is a constant few µs and the receiver's first read — the verify pass — pays the faults,
 * which the record says (firstTouch 'sender').
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "handoff.h"

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
napi_value empty_buffer(napi_env env) {
  napi_value result;
  napi_create_arraybuffer(env, 0, NULL, &result);
  return result;
}

/* A writable shared mapping of the first `bytes` of fd. */
napi_value map_writable(napi_env env, const char *call, int fd, size_t bytes) {
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

/* reserve(bytes): address space for a view to come, inaccessible until a hand-over is mapped into it. */
napi_value reserve(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  size_t bytes;
  if (!get_args(env, info, 1, argv, "reserve(bytes)") || !get_bytes(env, argv[0], "reserve", &bytes)) return NULL;
  if (bytes == 0) return empty_buffer(env);
  void *address = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (address == MAP_FAILED) return throw_errno(env, "reserve", "mmap(PROT_NONE)");
  return wrap_mapping(env, "reserve", address, bytes);
}

/* protect(buffer): mprotect(PROT_READ) a mapping this file made (the sender's, after the hand-over). */
napi_value protect(napi_env env, napi_callback_info info) {
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
  if (!is_ours(data, bytes)) {
    napi_throw_type_error(env, NULL, "protect: this ArrayBuffer is not a mapping made by memfdCreate or createNamed");
    return NULL;
  }
  /* The address came from mmap, so it is page-aligned; the length is rounded up to whole pages by the kernel. */
  if (mprotect(data, bytes, PROT_READ) != 0) return throw_errno(env, "protect", "mprotect(PROT_READ)");
  return undefined_value(env);
}

/* mapReadOnly(fd, bytes): the receiver's view; does not close fd. */
napi_value map_fd_read_only(napi_env env, napi_callback_info info) {
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
napi_value map_path_read_only(napi_env env, napi_callback_info info) {
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
