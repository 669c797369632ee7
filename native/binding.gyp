{
  "targets": [
    {
      "target_name": "ipc_lab_shm",
      "sources": ["shm.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
