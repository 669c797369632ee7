/*
 * The zero-copy hand-over between two processes (transports handoff and handoff-name,
 * lib/measure/transports/handoff.ts, through lib/measure/handoff-memory.ts): the sender builds its
 * Int32Array in memory it can give away and gives it — a memfd's descriptor passed over a Unix
 * socket as SCM_RIGHTS (handoff_socket.c), or the name of a file directly in /dev/shm
 * (handoff_memfd.c). The receiver maps the same pages read-only (handoff_mappings.c): no byte of
 * the payload is copied. The memfd is sealed so that no other holder can write it (why these seals:
 * handoff_memfd.c).
 *
 * Every failure throws one line naming the call and, for a system call, strerror (handoff_args.c).
 * This file registers the functions into the ipc_lab_shm addon; shm.c's init calls it.
 */
#include "handoff.h"

napi_value init_handoff(napi_env env, napi_value exports) {
  static const struct {
    const char *name;
    napi_callback call;
  } functions[] = {
      {"memfdCreate", memfd_create_mapped},
      {"createNamed", create_named},
      {"seal", seal},
      {"seals", seals},
      {"protect", protect},
      {"mapReadOnly", map_fd_read_only},
      {"reserve", reserve},
      {"awaitPeerClose", await_peer_close},
      {"mapPathReadOnly", map_path_read_only},
      {"closeFd", close_fd},
      {"unixListen", unix_listen},
      {"unixAccept", unix_accept},
      {"unixConnect", unix_connect},
      {"sendHandoff", send_handoff},
      {"recvHandoff", recv_handoff},
  };
  for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
    napi_value fn;
    napi_create_function(env, functions[i].name, NAPI_AUTO_LENGTH, functions[i].call, NULL, &fn);
    napi_set_named_property(env, exports, functions[i].name, fn);
  }
  return exports;
}
