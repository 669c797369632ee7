{
  "target_defaults": {
    "cflags": ["-O2", "-Wall", "-Wextra", "-Werror"],
    "cflags!": ["-Wno-unused-parameter"]
  },
  "targets": [
    {
      "target_name": "ipc_lab_shm",
      "sources": ["shm.c", "handoff.c", "handoff_args.c", "handoff_mappings.c", "handoff_memfd.c", "handoff_socket.c"],
      "cflags": ["-fvisibility=hidden"]
    },
    {
      "target_name": "ipc_baseline",
      "type": "executable",
      "sources": ["ipc_baseline.c", "ipc_baseline_transfer.c", "baseline_common.c", "baseline_peer.c", "baseline_sockets.c", "baseline_args.c"],
      "configurations": {
        "Release": { "cflags!": ["-O3"] }
      }
    },
    {
      "target_name": "msg_baseline",
      "type": "executable",
      "sources": ["msg_baseline.c", "msg_baseline_channel.c", "msg_baseline_run.c", "baseline_common.c", "baseline_peer.c", "baseline_sockets.c", "baseline_args.c"],
      "configurations": {
        "Release": { "cflags!": ["-O3"] }
      }
    }
  ]
}
