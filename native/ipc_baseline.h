/*
 * ipc_baseline.h: what the native byte baseline's two files share — ipc_baseline.c (the command
 * line and the repeats) and ipc_baseline_transfer.c (one transfer: the sender here, the receiver
 * in a forked child).
 */
#ifndef IPC_LAB_IPC_BASELINE_H
#define IPC_LAB_IPC_BASELINE_H

#include "baseline_common.h"

/* The receiver's destination: untouched before the transfer, or every page written once (why: receive()). */
enum dest { DEST_FRESH, DEST_REUSED };

struct config {
  int channel; /* enum channel */
  int dest;    /* enum dest */
  uint64_t bytes;
  uint64_t repeats;
};

/* An anonymous mapping, page-aligned and untouched (no page is backed until first written), shared
 * with a child forked later or private; NULL with errno set. */
unsigned char *map_anonymous(uint64_t bytes, int shared);

/* The payload: the bytes of an int32 array 0, 1, 2, …, the last partial word from the next value. */
void fill_payload(unsigned char *data, uint64_t bytes);

/* One transfer of the payload. Returns 0 with *seconds and *ok set, or -1 with g_error set. Always
 * reaps the child and frees what it made, whichever way it ends. */
int run_repeat(const struct config *cfg, const unsigned char *payload, double *seconds, int *ok);

#endif
