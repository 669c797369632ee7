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
      "sources": ["ipc_baseline.c"],
      "configurations": {
        "Release": { "cflags!": ["-O3"] }
      }
    },
    {
      "target_name": "msg_baseline",
      "type": "executable",
      "sources": ["msg_baseline.c"],
      "configurations": {
        "Release": { "cflags!": ["-O3"] }
      }
    }
  ]
}
