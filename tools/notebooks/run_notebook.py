"""Execute one notebook with nbclient, reporting what runs as JSON lines on stdout for
tools/notebooks/execute.ts:

  {"event": "start", "codeCells": 7}
  {"event": "cell", "index": 2, "cellIndex": 4}        code cell 2 (0-based) of 7 starts
  {"event": "progress", "done": 3, "total": 20, "failed": 0, "line": "...", "final": false}
  {"event": "cell-done", "index": 2, "seconds": 12.5}
  {"event": "saved", "path": "..."}

Progress events are the display messages of a sweep (lib/notebook/live-progress.ts) that carry
`ipc_lab_progress` in their `transient` part, which Jupyter never saves. Exit status 0 when the
notebook was executed and written, failing cells included (check-outputs.ts finds them), else 1.

As nbconvert would: a failed cell's status goes into its metadata (`ipc_lab.status`), the execution
count comes from the execute_reply (tslab sends no execute_input), no per-cell timestamps (they would
change every committed notebook on every run), consecutive stream outputs merged. Only public
nbclient API (NotebookClient, on_cell_execute / on_cell_executed, process_message): 0.7 and 0.11.

  python3 run_notebook.py INPUT.ipynb OUTPUT.ipynb --timeout SECONDS [--stop-on-stdin-eof]

The kernel starts in the repository root whatever the working directory (tools/setup/kernel.ts).
"""

import argparse
import json
import os
import re
import signal
import sys
import threading
import time

import nbformat
from nbclient import NotebookClient

PROGRESS_KEY = "ipc_lab_progress"


def emit(event, **fields):
    """One JSON line on stdout, flushed at once: the reader draws it now, not when a buffer fills."""
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


class ReportingClient(NotebookClient):
    """A NotebookClient that says which cell runs and forwards sweep progress while it runs."""

    def __init__(self, nb, **kw):
        super().__init__(nb, on_cell_execute=self._cell_starts, on_cell_executed=self._cell_executed, **kw)
        self._code_index = {i: n for n, i in enumerate(i for i, c in enumerate(nb.cells) if c.cell_type == "code")}
        self._cell_started = None

    def _cell_starts(self, cell, cell_index, **_):
        self._cell_started = time.monotonic()
        emit("cell", index=self._code_index.get(cell_index, -1), cellIndex=cell_index)

    def _cell_executed(self, cell, cell_index, execute_reply, **_):
        # on_cell_executed, not on_cell_complete: nbclient calls the latter as soon as the request is sent.
        if self._cell_started is not None:
            seconds = round(time.monotonic() - self._cell_started, 3)
            emit("cell-done", index=self._code_index.get(cell_index, -1), seconds=seconds)
            self._cell_started = None
        content = (execute_reply or {}).get("content", {})
        if content.get("execution_count") and not cell.get("execution_count"):
            cell["execution_count"] = content["execution_count"]
        status = content.get("status", "ok")
        if status != "ok":
            cell.metadata["ipc_lab"] = {"status": status}

    def process_message(self, msg, cell, cell_index):
        # Read before nbclient handles it: handling an update renames its msg_type in place.
        if msg.get("msg_type") in ("display_data", "update_display_data"):
            progress = msg.get("content", {}).get("transient", {}).get(PROGRESS_KEY)
            if isinstance(progress, dict):
                emit("progress", **progress)
        return super().process_message(msg, cell, cell_index)


CARRIAGE_RETURN = re.compile(r".*\r(?=[^\n])")


def coalesce_streams(nb):
    """Merge consecutive outputs of one stream, and keep only what follows a carriage return, as nbconvert does."""
    for cell in nb.cells:
        merged = []
        for output in cell.get("outputs", []):
            last = merged[-1] if merged else None
            if output.output_type == "stream" and last is not None and last.output_type == "stream" and last.name == output.name:
                last.text += output.text
            else:
                merged.append(output)
        for output in merged:
            if output.output_type == "stream" and "\r" in output.text:
                output.text = CARRIAGE_RETURN.sub("", output.text)
        if "outputs" in cell:
            cell.outputs = merged


def stop_when_parent_goes():
    """execute.ts holds our stdin open: EOF means it is gone, so stop (nbclient then shuts the kernel down)."""

    def watch():
        # os.read on the descriptor, not sys.stdin: a daemon thread blocked inside a buffered
        # reader's lock aborts the interpreter at exit.
        while os.read(0, 4096):
            pass
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, daemon=True).start()


def main():
    parser = argparse.ArgumentParser(description="Execute a notebook, reporting progress as JSON lines.")
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--timeout", type=int, required=True, help="per-cell limit, seconds")
    parser.add_argument("--stop-on-stdin-eof", action="store_true", help="stop when stdin closes (execute.ts is gone)")
    args = parser.parse_args()

    if args.stop_on_stdin_eof:
        stop_when_parent_goes()
    nb = nbformat.read(args.input, as_version=4)
    client = ReportingClient(nb, timeout=args.timeout, startup_timeout=120, allow_errors=True, record_timing=False)
    emit("start", codeCells=len(client._code_index))
    client.execute()
    coalesce_streams(nb)
    nbformat.write(nb, args.output)
    emit("saved", path=args.output)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.stderr.write("run_notebook: interrupted\n")
        sys.exit(130)
    except Exception as error:  # noqa: BLE001 (one clear line for execute.ts, whatever failed)
        sys.stderr.write(f"run_notebook: {type(error).__name__}: {error}\n")
        sys.exit(1)
