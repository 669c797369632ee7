/*
 * The ipc_lab_shm addon's entry point. Its own job: map a file (normally in /dev/shm) into memory,
 * MAP_SHARED, and hand the mapping to JavaScript as an ArrayBuffer. Node has no mmap of its own,
 * and a SharedArrayBuffer is shared between the threads of one process only; two OS processes that
 * map the same tmpfs file see the same physical pages, which is what Python's multiprocessing
 * Array/RawArray do with their anonymous shared arenas.
 *
 * The file is created, sized and deleted by JavaScript (lib/measure/shared-memory.ts): this file
 * only maps it.
 *
 * It also reads CLOCK_MONOTONIC for the runtimes whose process.hrtime does not (Bun and Deno count
 * from their own start): lib/measure/clock.ts uses it to put every runtime's peers on one clock.
 *
 * It also sizes a pipe (pipeSize): Node has no fcntl, and a pipe's 64 KiB default makes each of
 * the receiver's wake-ups move at most 64 KiB (lib/measure/pipe-size.ts).
 *
 * The zero-copy hand-over's functions (handoff.c and the handoff_*.c beside it) join the same addon.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "handoff.h"

/* "<what> <path>: <strerror(errno)>" (the hand-over's throw_errno words its lines by call instead). */
static napi_value throw_path_errno(napi_env env, const char *what, const char *path) {
  char message[4608];
  snprintf(message, sizeof message, "%s %s: %s", what, path, strerror(errno));
  napi_throw_error(env, NULL, message);
  return NULL;
}

/* The mapping lives as long as the ArrayBuffer: V8 calls this when the buffer is collected. */
static void unmap_buffer(napi_env env, void *data, void *hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}

/* map(path: string, bytes: number): ArrayBuffer */
static napi_value map_file(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 2) {
    napi_throw_type_error(env, NULL, "map(path, bytes) takes two arguments");
    return NULL;
  }
  char path[4096];
  size_t path_len = 0;
  if (napi_get_value_string_utf8(env, argv[0], path, sizeof path, &path_len) != napi_ok ||
      path_len == 0 || path_len >= sizeof path - 1) {
    napi_throw_type_error(env, NULL, "map: path must be a non-empty string shorter than 4095 bytes");
    return NULL;
  }
  double bytes_number = 0;
  if (napi_get_value_double(env, argv[1], &bytes_number) != napi_ok || bytes_number < 0 ||
      bytes_number != (double)(size_t)bytes_number) {
    napi_throw_type_error(env, NULL, "map: bytes must be a whole number >= 0");
    return NULL;
  }
  size_t bytes = (size_t)bytes_number;
  napi_value result;
  if (bytes == 0) {
    /* mmap refuses a zero length; an empty buffer is the honest answer. */
    napi_create_arraybuffer(env, 0, NULL, &result);
    return result;
  }
  int fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) return throw_path_errno(env, "map: cannot open", path);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return throw_path_errno(env, "map: cannot stat", path);
  }
  if ((size_t)st.st_size < bytes) {
    close(fd);
    char message[4608];
    snprintf(message, sizeof message, "map: %s holds %lld bytes, fewer than the %zu asked for", path,
             (long long)st.st_size, bytes);
    napi_throw_range_error(env, NULL, message);
    return NULL;
  }
  /*
   * MAP_POPULATE fills this process's page tables now, at map time, which the peers reach before
   * the clock starts: the region was created and touched before the transfer (as the article's
   * Array and RawArray are), and without it each peer would still take a minor fault per 4 KiB
   * page of its own view inside the timed copy (about 100 000 of them for 400 MB).
   */
  void *memory = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
  /* The mapping keeps its own reference to the file: the descriptor is not needed any more. */
  close(fd);
  if (memory == MAP_FAILED) return throw_path_errno(env, "map: mmap failed for", path);
  if (napi_create_external_arraybuffer(env, memory, bytes, unmap_buffer, (void *)(uintptr_t)bytes,
                                       &result) != napi_ok) {
    munmap(memory, bytes);
    napi_throw_error(env, NULL, "map: cannot wrap the mapping in an ArrayBuffer");
    return NULL;
  }
  return result;
}

/* monotonicNs(): clock_gettime(CLOCK_MONOTONIC) in nanoseconds, as a BigInt. */
static napi_value monotonic_ns(napi_env env, napi_callback_info info) {
  (void)info;
  struct timespec now;
  napi_value result;
  clock_gettime(CLOCK_MONOTONIC, &now);
  napi_create_bigint_uint64(env, (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec, &result);
  return result;
}

/*
 * pipeSize(fd, bytes): fcntl(F_SETPIPE_SZ) on the pipe `fd` is one end of (the kernel rounds up to
 * a power-of-two count of pages; both ends share the pipe), then the size it holds, F_GETPIPE_SZ.
 * A refusal throws one line: EPERM above /proc/sys/fs/pipe-max-size for an unprivileged process,
 * EBUSY below the bytes it holds now, EBADF or EINVAL for a descriptor that is not a pipe.
 */
static napi_value pipe_size(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int fd = -1;
  size_t bytes = 0;
  if (!get_args(env, info, 2, argv, "pipeSize(fd, bytes)") || !get_fd(env, argv[0], "pipeSize", 0, &fd) ||
      !get_bytes(env, argv[1], "pipeSize", &bytes))
    return NULL;
  if (bytes > INT32_MAX) {
    napi_throw_range_error(env, NULL, "pipeSize: bytes must be at most 2^31 - 1");
    return NULL;
  }
  if (fcntl(fd, F_SETPIPE_SZ, (int)bytes) < 0) return throw_errno(env, "pipeSize", "fcntl F_SETPIPE_SZ");
  int held = fcntl(fd, F_GETPIPE_SZ);
  if (held < 0) return throw_errno(env, "pipeSize", "fcntl F_GETPIPE_SZ");
  return number_value(env, held);
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "map", NAPI_AUTO_LENGTH, map_file, NULL, &fn);
  napi_set_named_property(env, exports, "map", fn);
  napi_create_function(env, "monotonicNs", NAPI_AUTO_LENGTH, monotonic_ns, NULL, &fn);
  napi_set_named_property(env, exports, "monotonicNs", fn);
  napi_create_function(env, "pipeSize", NAPI_AUTO_LENGTH, pipe_size, NULL, &fn);
  napi_set_named_property(env, exports, "pipeSize", fn);
  return init_handoff(env, exports);
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
