{
  "targets": [
    {
      "target_name": "ipc_lab_shm",
      "sources": ["shm.c", "handoff.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    },
    {
      "target_name": "ipc_baseline",
      "type": "executable",
      "sources": ["ipc_baseline.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "configurations": {
        "Release": { "cflags!": ["-O3"] }
      }
    },
    {
      "target_name": "msg_baseline",
      "type": "executable",
      "sources": ["msg_baseline.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "configurations": {
        "Release": { "cflags!": ["-O3"] }
      }
    }
  ]
}
