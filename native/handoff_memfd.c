/*
 * The hand-over's region (handoff.h): an anonymous memfd that can be sealed and passed on as a
 * descriptor, or a new file named in /dev/shm that the receiver opens by path; each mapped writable
 * for the sender to build its payload in.
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
 * region, the sender also mprotects its own mapping PROT_READ (protect(), handoff_mappings.c): that
 * is a promise within the sender's process (it could mprotect back), not a seal; the seal is what
 * holds against every other holder of the descriptor, the receiver included.
 *   F_SEAL_SHRINK: a shrunk file would make the receiver's reads past the new end fault with SIGBUS;
 *   F_SEAL_GROW: the size the receiver checked with fstat is the size for good;
 *   F_SEAL_SEAL: the set of seals the receiver sees is final.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "handoff.h"

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010 /* Linux 5.1 */
#endif

#define HANDOFF_SEALS (F_SEAL_FUTURE_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL)

/* memfdCreate(bytes): { fd, buffer } — an anonymous file that can be sealed, and its writable mapping. */
napi_value memfd_create_mapped(napi_env env, napi_callback_info info) {
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
napi_value create_named(napi_env env, napi_callback_info info) {
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

/* seal(fd): add the hand-over's seals (why these: the top of this file). */
napi_value seal(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd;
  if (!get_args(env, info, 1, argv, "seal(fd)") || !get_fd(env, argv[0], "seal", 0, &fd)) return NULL;
  if (fcntl(fd, F_ADD_SEALS, HANDOFF_SEALS) != 0) return throw_errno(env, "seal", "fcntl(F_ADD_SEALS)");
  return undefined_value(env);
}

/* seals(fd): the seals a descriptor's file carries (F_GET_SEALS), for tests. */
napi_value seals(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd;
  if (!get_args(env, info, 1, argv, "seals(fd)") || !get_fd(env, argv[0], "seals", 0, &fd)) return NULL;
  int found = fcntl(fd, F_GET_SEALS);
  if (found < 0) return throw_errno(env, "seals", "fcntl(F_GET_SEALS)");
  return number_value(env, found);
}

/* closeFd(fd) */
napi_value close_fd(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd;
  if (!get_args(env, info, 1, argv, "closeFd(fd)") || !get_fd(env, argv[0], "closeFd", 0, &fd)) return NULL;
  /* On Linux the descriptor is released even when close reports EINTR: never retry. */
  if (close(fd) != 0 && errno != EINTR) return throw_errno(env, "closeFd", "close");
  return undefined_value(env);
}

