/*
 * handoff.h: what the zero-copy hand-over's files share. The hand-over is one job in five files:
 *
 *   handoff.c           what the hand-over is, and its functions registered into the addon
 *   handoff_args.c      a callback's arguments read, and every failure thrown as one line
 *   handoff_mappings.c  mappings as ArrayBuffers: reservations, read-only views, protect
 *   handoff_memfd.c     the region: a sealed memfd, or a named file in /dev/shm
 *   handoff_socket.c    the Unix socket that carries a memfd's descriptor (SCM_RIGHTS)
 *
 * The addon is built with -fvisibility=hidden (binding.gyp), so these names stay inside it and no
 * symbol of the runtime that loads it (Node, Bun, Deno) can stand in for one of them.
 */
#ifndef IPC_LAB_HANDOFF_H
#define IPC_LAB_HANDOFF_H

#include <node_api.h>
#include <stddef.h>

/* ---- errors and arguments (handoff_args.c) ---- */

/* Throw "<call>: <what> failed: <strerror(errno)>"; returns NULL, for `return throw_errno(…)`. */
napi_value throw_errno(napi_env env, const char *call, const char *what);

/* Exactly `count` arguments into argv, or throw "<usage> takes <count> arguments"; 1 or 0. */
int get_args(napi_env env, napi_callback_info info, size_t count, napi_value *argv, const char *usage);

/* Two arguments into argv and an optional third (a reservation, NULL when absent); 1 or 0. */
int get_args_into(napi_env env, napi_callback_info info, napi_value *argv, napi_value *into, const char *usage);

/* A descriptor number: a whole number >= 0, or -1 where `none_ok`; 1, or 0 with a TypeError thrown. */
int get_fd(napi_env env, napi_value value, const char *call, int none_ok, int *fd);

/* A byte count: a whole number from 0 to 2^53 - 1; 1, or 0 with a TypeError thrown. */
int get_bytes(napi_env env, napi_value value, const char *call, size_t *bytes);

/* A non-empty path that fits in `size` bytes with room to spare; 1, or 0 with a TypeError thrown. */
int get_path(napi_env env, napi_value value, const char *call, char *path, size_t size);

napi_value number_value(napi_env env, double number);
napi_value undefined_value(napi_env env);

/* ---- mappings (handoff_mappings.c) ---- */

/* An empty ordinary ArrayBuffer: mmap refuses a zero length, and an empty region has no pages. */
napi_value empty_buffer(napi_env env);

/* A writable shared mapping of the first `bytes` of fd, as an ArrayBuffer; NULL with an error thrown. */
napi_value map_writable(napi_env env, const char *call, int fd, size_t bytes);

/* ---- the functions JavaScript calls (registered by handoff.c) ---- */

/* handoff_mappings.c */
napi_value reserve(napi_env env, napi_callback_info info);
napi_value protect(napi_env env, napi_callback_info info);
napi_value map_fd_read_only(napi_env env, napi_callback_info info);
napi_value map_path_read_only(napi_env env, napi_callback_info info);

/* handoff_memfd.c */
napi_value memfd_create_mapped(napi_env env, napi_callback_info info);
napi_value create_named(napi_env env, napi_callback_info info);
napi_value seal(napi_env env, napi_callback_info info);
napi_value seals(napi_env env, napi_callback_info info);
napi_value close_fd(napi_env env, napi_callback_info info);

/* handoff_socket.c */
napi_value unix_listen(napi_env env, napi_callback_info info);
napi_value unix_accept(napi_env env, napi_callback_info info);
napi_value unix_connect(napi_env env, napi_callback_info info);
napi_value send_handoff(napi_env env, napi_callback_info info);
napi_value recv_handoff(napi_env env, napi_callback_info info);
napi_value await_peer_close(napi_env env, napi_callback_info info);

/* handoff.c: the functions above join the exports of the one ipc_lab_shm addon (called by shm.c's init). */
napi_value init_handoff(napi_env env, napi_value exports);

#endif
